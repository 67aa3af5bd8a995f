//! `multiplier serve --demo`: a realistic opening with candidates at every stage,
//! so a newcomer sees a living product at once.
//!
//! The data is invented. It is seeded through the use cases, as the people would
//! enter it: the local operator creates the accounts, then `priya` (the hiring
//! manager) opens the role, adds and assigns the candidates, records references,
//! the decision and the offer, and each interviewer submits their own scorecards,
//! so every rule (existing accounts, assignments, the blind rule, complete
//! scorecards) holds for the demo too. Seeding is idempotent: when the demo admin
//! already exists nothing is added and the summary says so. The demo accounts get
//! one fresh random password, printed once on standard error.

use crate::AppState;
use multiplier_app::{Actor, CandidateInput, DecisionInput, ScorecardDraft};
use multiplier_core::Role;
use multiplier_core::framework::Signal;
use multiplier_core::pipeline::{
    OfferRequest, Outcome, RaisedFlag, Recommendation, Reference, ReferenceKind,
};
use multiplier_core::score::{Percent, Score};
use multiplier_store::AccountRole;
use rand::Rng;
use rand::distr::Alphanumeric;
use std::collections::BTreeMap;
use std::fmt;

/// The example role the demo opening is for.
const ROLE: &str = include_str!("../../../examples/roles/payments-player-coach.toml");
/// The demo's admin and hiring manager.
pub const ADMIN: &str = "priya";
/// The demo's interviewers.
pub const INTERVIEWERS: [&str; 3] = ["marco", "aisha", "tom"];

/// What seeding did, for the terminal.
#[derive(Debug)]
pub struct Seeded {
    /// `None` when the demo was already there (passwords are not shown again).
    pub password: Option<String>,
    pub opening: Option<i64>,
    pub candidates: usize,
}

impl fmt::Display for Seeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.password, self.opening) {
            (Some(password), Some(opening)) => write!(
                f,
                "Demo data: opening {opening} with {} candidates at every stage.\n{}",
                self.candidates,
                password_notice(password, &INTERVIEWERS)
            ),
            _ => write!(
                f,
                "Demo data is already in this database; sign in as `{ADMIN}` with the password printed when it was seeded \
                 (or set a new one with `multiplier user password {ADMIN}`)."
            ),
        }
    }
}

/// Errors while seeding: all of them are bugs in the demo data or a store failure.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct DemoError(String);

fn err(e: impl fmt::Display) -> DemoError {
    DemoError(e.to_string())
}

fn score(v: i64) -> Result<Score, DemoError> {
    Score::new(v).map_err(err)
}

struct Card<'a> {
    stage: &'a str,
    interviewer: &'a str,
    depth: Option<(i64, &'a str)>,
    multiplier: Option<(i64, &'a str)>,
    flags: &'a [(&'a str, &'a str)],
    recommendation: Recommendation,
}

impl Card<'_> {
    fn draft(&self) -> Result<ScorecardDraft, DemoError> {
        let mut scores = BTreeMap::new();
        let mut notes = BTreeMap::new();
        for (signal, part) in [
            (Signal::TechnicalDepth, self.depth),
            (Signal::TeamMultiplier, self.multiplier),
        ] {
            if let Some((v, note)) = part {
                scores.insert(signal, score(v)?);
                notes.insert(signal, note.to_string());
            }
        }
        Ok(ScorecardDraft {
            stage: self.stage.to_string(),
            scores,
            notes,
            red_flags: self
                .flags
                .iter()
                .map(|(id, note)| RaisedFlag {
                    id: (*id).to_string(),
                    note: (*note).to_string(),
                })
                .collect(),
            recommendation: self.recommendation,
        })
    }
}

fn password() -> String {
    rand::rng()
        .sample_iter(&Alphanumeric)
        .take(16)
        .map(char::from)
        .collect()
}

/// How to sign in to the demo, shown once: the admin, the interviewers and
/// their one password.
pub fn password_notice(password: &str, interviewers: &[&str]) -> String {
    format!(
        "Sign in as `{ADMIN}` (admin) or as an interviewer ({}) with the password: {password}\n\
         (printed once; change it with `multiplier user password NAME`).",
        interviewers.join(", ")
    )
}

/// Create the demo accounts as the local operator — `priya` (admin), the
/// three demo interviewers and `extra` interviewers — with one fresh random
/// password, which is returned (to be shown once).
pub async fn add_accounts(app: &multiplier_app::App, extra: &[&str]) -> Result<String, DemoError> {
    let pass = password();
    app.add_account(&Actor::Operator, ADMIN, AccountRole::Admin, &pass)
        .await
        .map_err(err)?;
    // Example addresses (reserved domains): messages to them wait in the outbox.
    app.set_email(
        &Actor::Operator,
        ADMIN,
        Some(&format!("{ADMIN}@example.com")),
    )
    .await
    .map_err(err)?;
    for name in INTERVIEWERS.iter().chain(extra) {
        app.add_account(&Actor::Operator, name, AccountRole::Interviewer, &pass)
            .await
            .map_err(err)?;
        app.set_email(&Actor::Operator, name, Some(&format!("{name}@example.org")))
            .await
            .map_err(err)?;
    }
    Ok(pass)
}

/// Seed the demo through `state.app` unless it is already there.
pub async fn seed(state: &AppState) -> Result<Seeded, DemoError> {
    let app = &state.app;
    if app.account(ADMIN).await.map_err(err)?.is_some() {
        return Ok(Seeded {
            password: None,
            opening: None,
            candidates: 0,
        });
    }
    let pass = add_accounts(app, &[]).await?;
    let priya = app.act_as(ADMIN).await.map_err(err)?;

    let role = Role::parse(
        app.framework(),
        "examples/roles/payments-player-coach.toml",
        ROLE,
    )
    .map_err(err)?;
    let role_id = app.add_role(&priya, &role).await.map_err(err)?;
    let opening = app
        .open_opening(&priya, role_id, Some("Tech Lead, Payments"), None)
        .await
        .map_err(err)?;

    let people: [(&str, &str, bool, &str); 8] = [
        ("Amara Okafor", "amara.okafor@example.com", false, "screen"),
        (
            "Jonas Weber",
            "jonas.weber@example.com",
            false,
            "async-assessment",
        ),
        (
            "Lucía Fernández",
            "lucia.fernandez@example.com",
            false,
            "code-review",
        ),
        ("Chen Wei", "chen.wei@example.com", false, "leadership"),
        ("Sam Patel", "sam.patel@example.com", true, "references"),
        ("Dana Kowalski", "dana.k@example.com", false, "debrief"),
        ("Ravi Iyer", "ravi.iyer@example.com", false, "debrief"),
        ("Maya Lindqvist", "maya.l@example.com", false, "offer"),
    ];
    let mut ids = Vec::new();
    for (name, email, internal, stage) in people {
        let input = CandidateInput {
            name: name.to_string(),
            email: Some(email.to_string()),
            internal,
            wants_leadership: internal.then(|| {
                "Yes: I already run our design reviews and want it to be my job, not a side task."
                    .to_string()
            }),
            gives_up: internal.then(|| {
                "Owning the ledger service's code day to day; I would review it instead."
                    .to_string()
            }),
            stage: Some(stage.to_string()),
        };
        ids.push(
            app.add_candidate(&priya, opening, &input)
                .await
                .map_err(err)?,
        );
    }
    for id in &ids[2..] {
        for (who, stage) in
            INTERVIEWERS
                .iter()
                .zip(["technical-depth", "code-review", "leadership"])
        {
            app.assign(&priya, *id, stage, who).await.map_err(err)?;
        }
    }

    // Scorecards: further along, more evidence. Dana meets both bars, Ravi is deep
    // but not a multiplier, Maya was hired.
    let strong: &[Card] = &[
        Card {
            stage: "technical-depth",
            interviewer: "marco",
            depth: Some((
                4,
                "Walked the idempotency-key design for card captures from first principles and named the failure it guards against.",
            )),
            multiplier: None,
            flags: &[],
            recommendation: Recommendation::StrongYes,
        },
        Card {
            stage: "code-review",
            interviewer: "aisha",
            depth: Some((
                3,
                "Found the N+1 query and the hard-coded retry limit; missed the unchecked currency code.",
            )),
            multiplier: Some((
                4,
                "Each comment explained the why and pointed at a pattern the author could reuse.",
            )),
            flags: &[],
            recommendation: Recommendation::Yes,
        },
        Card {
            stage: "leadership",
            interviewer: "tom",
            depth: None,
            multiplier: Some((
                3,
                "Described coaching a reviewer who blocked every PR; the team's review time fell by half.",
            )),
            flags: &[],
            recommendation: Recommendation::Yes,
        },
        Card {
            stage: "product-partnership",
            interviewer: "priya",
            depth: None,
            multiplier: Some((
                3,
                "Traded scope with the PM using the change-failure numbers rather than opinion.",
            )),
            flags: &[],
            recommendation: Recommendation::Yes,
        },
    ];
    let deep_not_multiplier: &[Card] = &[
        Card {
            stage: "technical-depth",
            interviewer: "marco",
            depth: Some((
                4,
                "Best systems answer of the loop: partitioning, back-pressure and the ledger's invariants.",
            )),
            multiplier: None,
            flags: &[],
            recommendation: Recommendation::StrongYes,
        },
        Card {
            stage: "code-review",
            interviewer: "aisha",
            depth: Some((
                4,
                "Found every planted issue, including the timing-unsafe token comparison.",
            )),
            multiplier: Some((
                2,
                "Comments were correct but terse: 'use a join', 'wrong'. No reasons given.",
            )),
            flags: &[(
                "corrects-without-teaching",
                "Eleven comments, none says why.",
            )],
            recommendation: Recommendation::Yes,
        },
        Card {
            stage: "leadership",
            interviewer: "tom",
            depth: None,
            multiplier: Some((
                2,
                "Resolved a disagreement by overruling; could not say how the team heard about it.",
            )),
            flags: &[("decision-without-process", "'I decided and we moved on.'")],
            recommendation: Recommendation::No,
        },
    ];
    let middling: &[Card] = &[
        Card {
            stage: "technical-depth",
            interviewer: "marco",
            depth: Some((
                3,
                "Solid on the queue design; vaguer on how to migrate the old batch job.",
            )),
            multiplier: None,
            flags: &[],
            recommendation: Recommendation::Yes,
        },
        Card {
            stage: "code-review",
            interviewer: "aisha",
            depth: Some((3, "Caught the N+1 and the happy-path-only test.")),
            multiplier: Some((
                3,
                "Two comments taught the pattern; the rest were fine but brief.",
            )),
            flags: &[],
            recommendation: Recommendation::Yes,
        },
    ];
    let per_candidate: [&[Card]; 8] = [
        &[],
        &[],
        &middling[..1],
        middling,
        strong,
        strong,
        deep_not_multiplier,
        strong,
    ];
    for (id, cards) in ids.iter().zip(per_candidate) {
        for card in cards {
            let interviewer = app.act_as(card.interviewer).await.map_err(err)?;
            app.submit_scorecard(&interviewer, *id, &card.draft()?, None)
                .await
                .map_err(err)?;
        }
    }

    // References for the candidates at references and beyond.
    for id in &ids[4..] {
        for (kind, name, relationship, answer, example, depth, mult) in [
            (
                ReferenceKind::Engineer,
                "A former report",
                "Engineer on their team for two years",
                "Yes. My pull requests went from three review rounds to one; I learned to write the tests first.",
                "They paired with me on the refund flow and left a checklist I still use.",
                3,
                4,
            ),
            (
                ReferenceKind::Manager,
                "Their previous manager",
                "Engineering manager",
                "Reliable, and the team's delivery improved while they led it.",
                "",
                3,
                3,
            ),
        ] {
            let mut scores = BTreeMap::new();
            scores.insert(Signal::TechnicalDepth, score(depth)?);
            scores.insert(Signal::TeamMultiplier, score(mult)?);
            let reference = Reference {
                kind,
                name: name.to_string(),
                relationship: relationship.to_string(),
                answer: answer.to_string(),
                example: example.to_string(),
                scores,
            };
            app.add_reference(&priya, *id, &reference)
                .await
                .map_err(err)?;
        }
    }

    // Maya: hired, offer accepted, onboarding under way.
    if let Some(maya) = ids.last().copied() {
        let decision = DecisionInput {
            outcome: Outcome::Hire,
            rationale: "Both signals above the bar with three independent raters each; the engineer reference was concrete.".to_string(),
            against_policy: false,
        };
        app.decide(&priya, maya, &decision).await.map_err(err)?;
        let request = OfferRequest {
            level: "tech-lead".to_string(),
            region: "western-europe".to_string(),
            coding: Percent::new(60).map_err(err)?,
            stage: Some("series-b-plus".to_string()),
        };
        app.record_offer(&priya, maya, &request)
            .await
            .map_err(err)?;
        let start = jiff::ZonedDateTime::now().date();
        app.accept_offer(&priya, maya, start).await.map_err(err)?;
        let plan = app.onboarding(&priya, maya).await.map_err(err)?;
        if let Some(first) = plan.steps.first() {
            app.mark_step_done(
                &priya,
                maya,
                &first.step.id,
                "Laptop, accounts and the team's runbook sent.",
            )
            .await
            .map_err(err)?;
        }
    }

    // The tools' evidence, made the way candidates make it: through their
    // private link. Jonas's written answers go through the answer analyzer, and
    // Lucía's and Dana's reviews through the real grader.
    let portal_work: [(usize, bool, Option<&str>); 3] = [
        (1, true, None),
        (2, false, Some(TEACHING_REVIEW)),
        (5, true, Some(TEACHING_REVIEW)),
    ];
    for (i, answers, review) in portal_work {
        let Some(id) = ids.get(i).copied() else {
            continue;
        };
        let link = app
            .create_link(&priya, id, DEMO_EXERCISE, 14)
            .await
            .map_err(err)?;
        let visit = app.visit(&link.token).await.map_err(err)?;
        if answers {
            let (mut written, _) = app.written_answers(&visit).await.map_err(err)?;
            for (a, text) in written.answers.iter_mut().zip(DEMO_ANSWERS.iter().cycle()) {
                a.text = (*text).to_string();
            }
            app.submit_assessment(&visit, &written).await.map_err(err)?;
        }
        if let Some(summary) = review {
            let review = multiplier_core::review::Review {
                format: multiplier_core::review::SubmissionFormat::Multiplier,
                summary: summary.to_string(),
                comments: vec![multiplier_core::review::ReviewComment {
                    path: "shop/orders/views.py".to_string(),
                    line: Some(27),
                    start_line: None,
                    side: multiplier_core::review::submission::Side::New,
                    body: "This runs one query per order inside the loop (an N+1): a page of 50 orders costs 51 queries. Fetch the lines with prefetch_related so the page costs a fixed number of queries; the Django docs on prefetching explain the pattern, and it will come up again in the reports code.".to_string(),
                }],
            };
            app.submit_review(&visit, &review).await.map_err(err)?;
        }
    }

    // A delivery and review-speed baseline for the opening, measured by the
    // same code as `multiplier metrics`, so the opening's metrics page has
    // something to compare against.
    for body in baseline_reports(app.framework())? {
        app.save_snapshot(&priya, opening, "demo: the team before the hire", &body)
            .await
            .map_err(err)?;
    }

    Ok(Seeded {
        password: Some(pass),
        opening: Some(opening.0),
        candidates: ids.len(),
    })
}

/// The exercise the demo's links carry.
const DEMO_EXERCISE: &str = "orders-n-plus-one";

/// A review that explains its reasons, for the grader to read.
const TEACHING_REVIEW: &str = "Thanks for this: the loyalty feature reads well. Two things before it merges, in this order. First, the order list now makes one query per order (see my comment on line 27); on the busiest page that will hurt, and prefetch_related fixes it. Second, please add a test for the case where the loyalty service is down, so we know the page still renders. Happy to pair on either.";

/// Written answers in the demo's voice, one per question in turn.
const DEMO_ANSWERS: [&str; 3] = [
    "At my last company I owned the move from a nightly settlement batch to an event stream. I wrote the design note, ran the review with the two teams that consumed the batch, and we shipped behind a flag over six weeks; settlement errors fell from about four a month to none in the quarter after.",
    "Two seniors disagreed about splitting the ledger service. I asked each to write one page on the trade-off they cared about, we compared both against the outcome we needed (fewer cross-team deploys), chose the split, and agreed to revisit after a month with the numbers. We kept it; the one who lost the argument led the migration.",
    "I review for the author's next pull request, not this one: every blocking comment says why and links an example, and nits are marked as nits. When a junior engineer's reviews were all approvals, I paired with them on three reviews; a month later their comments were catching real bugs.",
];

/// Four weeks of invented deployments and pull requests, measured.
fn baseline_reports(fw: &multiplier_core::Framework) -> Result<Vec<serde_json::Value>, DemoError> {
    use multiplier_core::delivery::{
        Change, Deployment, PullRequest, Review as PrReview, Window, pr_report, report,
    };
    let start = jiff::Timestamp::from_second(1_767_225_600).map_err(err)?; // 2026-01-01
    let hours = |h: i64| start + jiff::SignedDuration::from_hours(h);
    let deployments: Vec<Deployment> = (0..12)
        .map(|i| Deployment {
            name: format!("release-{}", i + 1),
            time: hours(i * 56 + 30),
            changes: vec![Change {
                id: format!("{:040x}", i + 1).into(),
                authored: hours(i * 56),
                reverts: Vec::new(),
            }],
        })
        .collect();
    let delivery =
        report(&deployments, &[], &[], Window::default(), &fw.delivery.dora).map_err(err)?;
    let prs: Vec<PullRequest> = (0..20)
        .map(|i| PullRequest {
            number: 100 + i as u64,
            author: format!("dev{}", i % 5),
            created: hours(i * 30),
            merged: Some(hours(i * 30 + 20 + i % 7)),
            closed: None,
            draft: false,
            reviews: vec![PrReview {
                author: "reviewer".to_string(),
                submitted: hours(i * 30 + 6 + i % 9),
            }],
        })
        .collect();
    let prs = pr_report(&prs);
    Ok(vec![
        serde_json::to_value(&delivery).map_err(err)?,
        serde_json::to_value(&prs).map_err(err)?,
    ])
}
