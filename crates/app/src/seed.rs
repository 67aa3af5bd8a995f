//! Generated hiring data at scale, for `multiplier demo seed` and the benches.
//!
//! Openings are opened through the use cases (a role each, hiring manager
//! `priya`); the candidates and everything about them are generated here and
//! written through the store's bulk seeding, one transaction and one audit entry
//! (`demo.seed`) per batch of [`BATCH`] candidates. What is generated follows the
//! framework: candidates at every stage (more early, fewer late), three
//! interviewers per interview stage, each assigned before scoring, one score per
//! signal the stage feeds with a note (always for a 1 or a 4), red flags the
//! stage may raise, a few amended scorecards, references from the leadership
//! stage on, the written assessment's analysis and a graded code review (the real
//! analyzer and grader run on a handful of answers and reviews, reused), and
//! decisions and offers at the end of the loop. The generator is seeded, so the
//! same request gives the same data.

use crate::{Actor, App, AppError, AppResult};
use jiff::{Span, Timestamp};
use multiplier_core::Role;
use multiplier_core::answers::{Answer, Answers};
use multiplier_core::framework::Signal;
use multiplier_core::pipeline::{
    OfferRequest, Outcome, RaisedFlag, Recommendation, Reference, ReferenceKind, Scorecard,
};
use multiplier_core::review::submission::{ReviewComment, Side, SubmissionFormat};
use multiplier_core::review::{Builtin, Review};
use multiplier_core::score::{Percent, Score};
use multiplier_store::{
    CandidateId, NewCandidate, OpeningId, SeedCandidate, SeedCounts, SeedDecision, SeedOffer,
    SeedStore,
};
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Candidates written per transaction.
pub const BATCH: usize = 500;

/// What to generate.
#[derive(Debug, Clone)]
pub struct SeedPlan {
    pub candidates: usize,
    pub openings: usize,
    /// The hiring manager who opens the openings and records decisions (an admin).
    pub manager: String,
    /// The interviewers (existing accounts) who score.
    pub interviewers: Vec<String>,
    /// The generator's seed: the same plan and seed give the same data.
    pub seed: u64,
}

/// What seeding wrote.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct SeedReport {
    pub openings: Vec<OpeningId>,
    pub counts: SeedCounts,
}

const ROLES: [(&str, &str); 2] = [
    (
        "examples/roles/payments-player-coach.toml",
        include_str!("../../../examples/roles/payments-player-coach.toml"),
    ),
    (
        "examples/roles/platform-leader-coder.toml",
        include_str!("../../../examples/roles/platform-leader-coder.toml"),
    ),
];

const TEAMS: [&str; 20] = [
    "Payments",
    "Platform",
    "Checkout",
    "Search",
    "Identity",
    "Data",
    "Mobile",
    "Billing",
    "Risk",
    "Logistics",
    "Growth",
    "Messaging",
    "Ledger",
    "Observability",
    "Onboarding",
    "Pricing",
    "Catalogue",
    "Support Tools",
    "Infrastructure",
    "Partner API",
];

const FIRST: [&str; 40] = [
    "Amara", "Jonas", "Lucía", "Chen", "Sam", "Dana", "Ravi", "Maya", "Tomás", "Ingrid", "Kwame",
    "Aiko", "Fatima", "Lars", "Priyanka", "Mateo", "Zofia", "Hamid", "Noor", "Elena", "Kenji",
    "Olu", "Sofia", "Arjun", "Mei", "Diego", "Hanna", "Yusuf", "Clara", "Emeka", "Leila", "Bruno",
    "Anya", "Tariq", "Greta", "Nikhil", "Isabel", "Jae", "Rosa", "Viktor",
];

const LAST: [&str; 40] = [
    "Okafor",
    "Weber",
    "Fernández",
    "Wei",
    "Patel",
    "Kowalski",
    "Iyer",
    "Lindqvist",
    "Silva",
    "Nakamura",
    "Mensah",
    "Haddad",
    "Johansson",
    "Rossi",
    "Kim",
    "Novak",
    "Abebe",
    "Murphy",
    "Costa",
    "Schmidt",
    "Tanaka",
    "Adeyemi",
    "García",
    "Horvat",
    "Chowdhury",
    "Dubois",
    "Yilmaz",
    "Nguyen",
    "Berg",
    "Moreau",
    "Kaur",
    "Ivanova",
    "Mwangi",
    "Bianchi",
    "Sato",
    "Ramos",
    "Fischer",
    "Ali",
    "Popescu",
    "Jensen",
];

/// How many candidates sit at each stage, per 100 (screen first).
const FUNNEL: [u32; 9] = [18, 15, 14, 12, 10, 10, 8, 7, 6];

/// What an interviewer saw, by signal and score band (1..=4).
fn depth_note(score: i64, rng: &mut StdRng) -> String {
    let topics = [
        "the idempotency keys of card captures",
        "partitioning the event stream",
        "the ledger's double-entry invariants",
        "back-pressure between the queue and the workers",
        "migrating the nightly batch job",
        "the cache invalidation on price changes",
        "the read replica lag during failover",
        "schema changes without downtime",
        "retry storms after a dependency outage",
        "the N+1 query in the orders endpoint",
    ];
    let topic = topics.choose(rng).copied().unwrap_or_default();
    let line = match score {
        1 => [
            "Could not explain",
            "Guessed at",
            "Stayed on buzzwords when asked about",
        ]
        .choose(rng)
        .map(|s| format!("{s} {topic}; no trade-off named when probed twice.")),
        2 => [
            "Knew the textbook answer on",
            "Needed hints to reach the failure mode of",
            "Described the happy path of",
        ]
        .choose(rng)
        .map(|s| format!("{s} {topic}, but not what breaks first under load.")),
        3 => [
            "Solid on",
            "Reasoned carefully through",
            "Gave a working design for",
        ]
        .choose(rng)
        .map(|s| format!("{s} {topic}; vaguer on how to roll it out safely.")),
        _ => [
            "Best answer of the loop on",
            "Derived from first principles",
            "Named the exact failure behind",
        ]
        .choose(rng)
        .map(|s| format!("{s} {topic}, with the numbers to back the choice.")),
    };
    line.unwrap_or_default()
}

fn multiplier_note(score: i64, rng: &mut StdRng) -> String {
    let scenes = [
        "a reviewer who blocked every pull request",
        "a junior engineer stuck on the same bug for a week",
        "an incident at 3 a.m. with the on-call engineer panicking",
        "a disagreement between two seniors about the queue design",
        "a product manager pushing a date the team could not meet",
        "an engineer who wanted to rewrite the service from scratch",
        "a team that skipped retrospectives",
        "a new hire's first month",
    ];
    let scene = scenes.choose(rng).copied().unwrap_or_default();
    let line = match score {
        1 => ["Took over", "Blamed the team for", "Overruled everyone in"]
            .choose(rng)
            .map(|s| format!("{s} {scene}; nobody learned anything from it.")),
        2 => [
            "Fixed it alone in",
            "Gave correct but terse answers in",
            "Decided quickly in",
        ]
        .choose(rng)
        .map(|s| format!("{s} {scene}; could not say how the team grew.")),
        3 => [
            "Coached through",
            "Paired on",
            "Set up a review routine after",
        ]
        .choose(rng)
        .map(|s| format!("{s} {scene}; the team handled the next one alone.")),
        _ => ["Turned", "Used", "Made a teaching moment of"]
            .choose(rng)
            .map(|s| {
                format!("{s} {scene} into a practice the team still runs; review time halved.")
            }),
    };
    line.unwrap_or_default()
}

fn clamp_score(v: f64) -> i64 {
    (v.round() as i64).clamp(1, 4)
}

fn score(v: i64) -> AppResult<Score> {
    Score::new(v).map_err(|e| AppError::Internal(format!("a generated score: {e}")))
}

/// The written assessment's answers and analysis, and graded reviews: the real
/// tools run once per template, reused across candidates.
struct Templates {
    assessments: Vec<Value>,
    reviews: Vec<Value>,
    offer: Value,
}

fn answer_text(question: &str, strong: bool) -> String {
    match (question, strong) {
        ("architecture-decision", true) => "We chose a queue over synchronous calls because the payment provider times out under load. We wrote the decision down, named the cost (eventual consistency in the dashboard) and agreed to revisit it after the peak season. Two engineers disagreed; we ran a one-week spike and their numbers changed the retry design.".to_string(),
        ("architecture-decision", false) => "I always pick microservices because they scale. I decided and we moved on; the team just implemented it.".to_string(),
        ("technical-disagreement", true) => "A senior wanted to keep the ORM everywhere. I asked what would convince them otherwise, we measured the slow endpoint together, and we kept the ORM except for the two reporting queries.".to_string(),
        ("technical-disagreement", false) => "I explained why they were wrong and we used my approach, which was obviously better.".to_string(),
        ("teaching-review", true) => "I leave one comment that explains the why and links the pattern, then pair for twenty minutes if the second review shows the same gap.".to_string(),
        ("teaching-review", false) => "I rewrite it myself, it is faster than explaining.".to_string(),
        ("sprint-risk", true) => "I would say in the planning meeting that the migration is the risk, cut the export feature to make room, and check the burn-down mid-sprint with the product manager.".to_string(),
        ("sprint-risk", false) => "We never miss sprints if everyone works hard.".to_string(),
        (_, true) => "I would pair with the on-call engineer, keep the incident channel calm, write down what we tried, and let them lead the fix while I handle the stakeholders.".to_string(),
        (_, false) => "I would take over the incident and fix it myself, it is quicker.".to_string(),
    }
}

impl Templates {
    async fn build(app: &App) -> AppResult<Templates> {
        let mut assessments = Vec::new();
        for strong in [true, false] {
            let answers = Answers {
                answers: app
                    .framework()
                    .assessment
                    .questions
                    .iter()
                    .map(|q| Answer {
                        question: q.id.clone(),
                        text: answer_text(&q.id, strong),
                    })
                    .collect(),
            };
            let analysis = crate::analysis::analyze_answers(&answers)?;
            assessments.push(json!({ "answers": answers.answers, "analysis": analysis }));
        }
        let mut reviews = Vec::new();
        for slug in ["orders-n-plus-one", "invoice-search"] {
            let builtin = Builtin::find(slug).ok_or_else(|| {
                AppError::Internal(format!("the built-in exercise `{slug}` is missing"))
            })?;
            let ex = builtin
                .load()
                .map_err(|e| AppError::Internal(format!("the built-in exercise `{slug}`: {e}")))?;
            // A thorough teacher, a finder who does not explain, and a skimmer.
            for found in [usize::MAX, 2, 1] {
                let teaching = found == usize::MAX;
                let comments = ex
                    .issues
                    .iter()
                    .take(found)
                    .filter_map(|issue| {
                        let place = issue.at.first()?;
                        let body = if teaching {
                            format!(
                                "{}: this matters because it fails in production under real data. A safer pattern is to fix it where it starts; could you add a test that shows the failure first?",
                                issue.title
                            )
                        } else {
                            format!("{} — fix.", issue.title)
                        };
                        Some(ReviewComment {
                            path: place.file.clone(),
                            line: place.lines.iter().max().copied(),
                            start_line: None,
                            side: Side::default(),
                            body,
                        })
                    })
                    .collect();
                let review = Review {
                    format: SubmissionFormat::Multiplier,
                    summary: if teaching {
                        "Security first, then the query count, then naming. Happy to pair on the tests.".to_string()
                    } else {
                        "Some issues, see comments.".to_string()
                    },
                    comments,
                };
                let grade = crate::analysis::grade_review(&ex, &review, app.framework())?;
                reviews.push(json!({ "exercise": slug, "review": review, "grade": grade }));
            }
        }
        let offer = app.quote(&OfferRequest {
            level: "tech-lead".to_string(),
            region: "western-europe".to_string(),
            coding: Percent::new(60).map_err(|e| AppError::Internal(e.to_string()))?,
            stage: Some("series-b-plus".to_string()),
        })?;
        let offer = serde_json::to_value(&offer)
            .map_err(|e| AppError::Internal(format!("cannot encode the offer: {e}")))?;
        Ok(Templates {
            assessments,
            reviews,
            offer,
        })
    }
}

struct Generator<'a> {
    app: &'a App,
    plan: &'a SeedPlan,
    templates: Templates,
    rng: StdRng,
    now: Timestamp,
}

impl Generator<'_> {
    fn candidate(&mut self, opening: OpeningId, n: usize) -> AppResult<SeedCandidate> {
        let fw = self.app.framework();
        let rng = &mut self.rng;
        let stages = &fw.stages;
        let roll = rng.random_range(0..FUNNEL.iter().sum::<u32>());
        let mut acc = 0;
        let at = FUNNEL
            .iter()
            .position(|w| {
                acc += w;
                roll < acc
            })
            .unwrap_or(0)
            .min(stages.len().saturating_sub(1));
        let stage = stages
            .get(at)
            .ok_or_else(|| AppError::Internal("the framework has no stages".into()))?;
        let first = FIRST.choose(rng).copied().unwrap_or("Alex");
        let last = LAST.choose(rng).copied().unwrap_or("Doe");
        let internal = rng.random_bool(0.1);
        let created_at = self.now - Span::new().hours(rng.random_range(24 * 14..24 * 365));
        let candidate = NewCandidate {
            opening,
            name: format!("{first} {last}"),
            email: Some(format!(
                "{}.{}.{n}@example.com",
                first.to_lowercase(),
                last.to_lowercase()
            )),
            internal,
            wants_leadership: internal.then(|| {
                "Yes: I already run our design reviews and want it to be my job.".to_string()
            }),
            gives_up: internal.then(|| {
                "Owning a service's code day to day; I would review it instead.".to_string()
            }),
            stage: stage.id.clone(),
        };
        // Latent strength on each signal; every rater sees it through noise.
        let depth: f64 = rng.random_range(1.2..3.9);
        let mult: f64 = rng.random_range(1.2..3.9);
        let mut out = SeedCandidate::new(candidate, created_at);
        let mut when = created_at;
        for (i, s) in stages.iter().enumerate().take(at + 1) {
            if s.signals.is_empty() {
                continue;
            }
            let panel: Vec<&String> = self.plan.interviewers.choose_multiple(rng, 3).collect();
            // The current stage is under way: assigned, partly scored.
            let scored = if i < at {
                panel.len()
            } else {
                rng.random_range(0..=panel.len())
            };
            for (k, who) in panel.iter().enumerate() {
                out.assignments.push((s.id.clone(), (*who).clone()));
                if k >= scored {
                    continue;
                }
                when += Span::new().hours(rng.random_range(2..72));
                let mut scores = BTreeMap::new();
                let mut notes = BTreeMap::new();
                for signal in &s.signals {
                    let latent = match signal {
                        Signal::TechnicalDepth => depth,
                        _ => mult,
                    };
                    let v = clamp_score(latent + rng.random_range(-0.9..0.9));
                    scores.insert(*signal, score(v)?);
                    // Notes always for a 1 or a 4, usually otherwise.
                    if v == 1 || v == 4 || rng.random_bool(0.85) {
                        let note = match signal {
                            Signal::TechnicalDepth => depth_note(v, rng),
                            _ => multiplier_note(v, rng),
                        };
                        notes.insert(*signal, note);
                    }
                }
                let mean = scores.values().map(|s| s.get() as f64).sum::<f64>()
                    / scores.len().max(1) as f64;
                let recommendation = match mean {
                    m if m >= 3.5 => Recommendation::StrongYes,
                    m if m >= 2.5 => Recommendation::Yes,
                    m if m >= 1.5 => Recommendation::No,
                    _ => Recommendation::StrongNo,
                };
                let mut red_flags = Vec::new();
                if mean < 2.5
                    && rng.random_bool(0.25)
                    && let Some(flag) = s.red_flags.choose(rng)
                {
                    red_flags.push(RaisedFlag {
                        id: flag.clone(),
                        note: "Seen twice in the interview; asked a follow-up and it held."
                            .to_string(),
                    });
                }
                let card = Scorecard {
                    stage: s.id.clone(),
                    interviewer: (*who).clone(),
                    scores,
                    notes,
                    red_flags,
                    recommendation,
                    version: 1,
                    amendment_reason: None,
                };
                if rng.random_bool(0.03) {
                    let mut amended = card.clone();
                    amended.version = 2;
                    amended.amendment_reason = Some(
                        "Re-read my notes after the debrief prep: the second half of the answer was stronger than I wrote."
                            .to_string(),
                    );
                    out.scorecards.push((card, when));
                    out.scorecards
                        .push((amended, when + Span::new().hours(rng.random_range(1..48))));
                } else {
                    out.scorecards.push((card, when));
                }
            }
            if s.id == "async-assessment"
                && i < at
                && let Some(body) = self
                    .templates
                    .assessments
                    .get(usize::from(depth + mult < 5.0))
            {
                out.evidence.push((
                    App::ASSESSMENT_EVIDENCE.to_string(),
                    App::PORTAL_SOURCE.to_string(),
                    body.clone(),
                ));
            }
            if s.id == "code-review"
                && i < at
                && let Some(body) = self.templates.reviews.choose(rng)
            {
                out.evidence.push((
                    App::REVIEW_EVIDENCE.to_string(),
                    App::PORTAL_SOURCE.to_string(),
                    body.clone(),
                ));
            }
        }
        // References from the leadership stage on.
        let leadership = stages.iter().position(|s| s.id == "leadership");
        let references = stages.iter().find(|s| s.id == "references");
        if let (Some(from), Some(refs)) = (leadership, references)
            && at >= from
        {
            for k in 0..rng.random_range(2..=3) {
                let kind = if k == 0 {
                    ReferenceKind::Engineer
                } else {
                    *[ReferenceKind::Engineer, ReferenceKind::Manager]
                        .choose(rng)
                        .unwrap_or(&ReferenceKind::Manager)
                };
                let mut scores = BTreeMap::new();
                for signal in &refs.signals {
                    let latent = match signal {
                        Signal::TechnicalDepth => depth,
                        _ => mult,
                    };
                    scores.insert(
                        *signal,
                        score(clamp_score(latent + rng.random_range(-0.7..0.7)))?,
                    );
                }
                let concrete = rng.random_bool(0.8);
                out.references.push((
                    Reference {
                        kind,
                        name: format!(
                            "{} {}",
                            FIRST.choose(rng).copied().unwrap_or("Alex"),
                            LAST.choose(rng).copied().unwrap_or("Doe")
                        ),
                        relationship: match kind {
                            ReferenceKind::Engineer => "Engineer on their team for two years",
                            ReferenceKind::Manager => "Their engineering manager",
                        }
                        .to_string(),
                        answer: if mult >= 2.5 {
                            "Yes. My reviews went from three rounds to one; they taught me to write the test first."
                        } else {
                            "They were the strongest engineer in the room, though they mostly fixed things themselves."
                        }
                        .to_string(),
                        example: if concrete {
                            "They paired with me on the refund flow and left a checklist I still use."
                        } else {
                            ""
                        }
                        .to_string(),
                        scores,
                    },
                    self.plan.manager.clone(),
                ));
            }
        }
        // Decisions at the debrief, hires and offers at the offer stage.
        let meets_bar = depth >= 2.5 && mult >= 2.5;
        match stage.id.as_str() {
            "debrief" if rng.random_bool(0.5) => {
                let outcome = if meets_bar {
                    Outcome::Hold
                } else {
                    Outcome::NoHire
                };
                out.decision = Some(SeedDecision {
                    by: self.plan.manager.clone(),
                    outcome,
                    rationale: if meets_bar {
                        "Both signals at the bar; holding until the second finalist's references are in.".to_string()
                    } else {
                        "Deep technically, but no evidence of growing others; the team multiplier is below the bar.".to_string()
                    },
                    meets_bar,
                });
            }
            "offer" => {
                out.decision = Some(SeedDecision {
                    by: self.plan.manager.clone(),
                    outcome: Outcome::Hire,
                    rationale: "Both signals above the bar with three raters each; the engineer reference was concrete.".to_string(),
                    meets_bar,
                });
                let status = *["made", "made", "accepted", "accepted", "declined"]
                    .choose(rng)
                    .unwrap_or(&"made");
                let start = (status == "accepted").then(|| {
                    (self.now + Span::new().hours(24 * rng.random_range(14..60)))
                        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                        .date()
                });
                out.offer = Some(SeedOffer {
                    body: self.templates.offer.clone(),
                    status: status.to_string(),
                    start,
                });
            }
            _ => {}
        }
        Ok(out)
    }
}

impl App {
    /// Whether the database holds no accounts, roles, openings or candidates:
    /// the seeder refuses to mix generated data into real data unless forced.
    pub async fn database_is_empty(&self) -> AppResult<bool> {
        Ok(self.store.is_empty().await?)
    }

    /// Open `plan.openings` openings and generate `plan.candidates` candidates
    /// spread over them (the local operator only). `progress` is told the
    /// candidates written so far after every batch.
    pub async fn seed_demo(
        &self,
        actor: &Actor,
        plan: &SeedPlan,
        progress: &mut (dyn FnMut(usize) + Send),
    ) -> AppResult<SeedReport> {
        if !matches!(actor, Actor::Operator) {
            return Err(AppError::Forbidden(
                "only the local operator seeds generated data".to_string(),
            ));
        }
        if plan.openings == 0 {
            return Err(AppError::field(
                "the seed",
                "openings",
                "at least one opening",
            ));
        }
        if plan.interviewers.len() < 3 {
            return Err(AppError::field(
                "the seed",
                "interviewers",
                "at least three interviewers (a panel per stage)",
            ));
        }
        let manager = self.act_as(&plan.manager).await?;
        let mut report = SeedReport::default();
        for i in 0..plan.openings {
            let (source, text) = ROLES[i % ROLES.len()];
            let role = Role::parse(self.framework(), source, text)
                .map_err(|e| AppError::Internal(format!("{source}: {e}")))?;
            let role_id = self.add_role(&manager, &role).await?;
            let team = TEAMS[i % TEAMS.len()];
            let title = if i < TEAMS.len() {
                format!("Tech Lead, {team}")
            } else {
                format!("Tech Lead, {team} ({})", i / TEAMS.len() + 1)
            };
            report.openings.push(
                self.open_opening(&manager, role_id, Some(&title), None)
                    .await?,
            );
        }
        let mut g = Generator {
            app: self,
            plan,
            templates: Templates::build(self).await?,
            rng: StdRng::seed_from_u64(plan.seed),
            now: Timestamp::now(),
        };
        // Candidates go to openings round robin, written opening by opening.
        let per = |o: usize| {
            plan.candidates / plan.openings + usize::from(o < plan.candidates % plan.openings)
        };
        let mut n = 0;
        for (o, opening) in report.openings.clone().into_iter().enumerate() {
            let mut left = per(o);
            while left > 0 {
                let take = left.min(BATCH);
                let mut batch = Vec::with_capacity(take);
                for _ in 0..take {
                    n += 1;
                    batch.push(g.candidate(opening, n)?);
                }
                let (_ids, counts): (Vec<CandidateId>, SeedCounts) = self
                    .store
                    .seed_batch(OPERATOR_NAME, opening, &batch)
                    .await?;
                report.counts.add(counts);
                left -= take;
                progress(n);
            }
        }
        self.store.after_bulk_load().await?;
        Ok(report)
    }
}

/// Who the audit log names for seeded batches.
const OPERATOR_NAME: &str = crate::OPERATOR;
