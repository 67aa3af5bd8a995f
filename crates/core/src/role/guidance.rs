//! Guidance derived from a role's intake answers, every line explained: the rule
//! that fired, the answers it rests on, and what to do about it. It advises; the
//! hiring manager decides.

use super::{Answer, Role};
use crate::framework::{AnswerKind, Framework, q};
use serde::Serialize;

/// Every rule the guidance applies, with what it checks (for docs and `--help`).
pub const RULES: &[(&str, FindingKind, &str)] = &[
    (
        NO_TEAM,
        FindingKind::Contradiction,
        "the team has no engineers",
    ),
    (
        PERFORMANCE_REVIEWS,
        FindingKind::Contradiction,
        "the lead would write performance reviews: that is an engineering-manager role",
    ),
    (
        REVIEWS_BESIDE_EM,
        FindingKind::Contradiction,
        "the lead would write performance reviews while reporting to an engineering manager",
    ),
    (
        CODING_HEAVY_LARGE_TEAM,
        FindingKind::Contradiction,
        "a player-coach coding share with a large team",
    ),
    (
        LEADER_WITHOUT_ARCH_REVIEW,
        FindingKind::Contradiction,
        "a leader-coder who does not run architecture review",
    ),
    (
        LEADER_SMALL_TEAM,
        FindingKind::Warning,
        "a leader-coder share with a small team",
    ),
    (
        CODING_BELOW_MINIMUM,
        FindingKind::Warning,
        "a coding share below the framework's minimum for a hands-on lead",
    ),
    (
        NO_SENIORS,
        FindingKind::Note,
        "a team beyond small size with no senior engineers",
    ),
    (
        NO_SPRINT_PLANNING,
        FindingKind::Note,
        "the lead does not run sprint planning",
    ),
];

const NO_TEAM: &str = "no-team";
const PERFORMANCE_REVIEWS: &str = "performance-reviews-make-it-em";
const REVIEWS_BESIDE_EM: &str = "reviews-duplicate-the-em";
const CODING_HEAVY_LARGE_TEAM: &str = "coding-heavy-large-team";
const LEADER_WITHOUT_ARCH_REVIEW: &str = "leader-coder-without-architecture-review";
const LEADER_SMALL_TEAM: &str = "leader-coder-small-team";
const CODING_BELOW_MINIMUM: &str = "coding-share-below-minimum";
const NO_SENIORS: &str = "no-senior-engineers";
const NO_SPRINT_PLANNING: &str = "no-sprint-planning";

/// How much a finding matters. Contradictions make `role check` exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    /// The answers cannot all be true of one Tech Lead role.
    Contradiction,
    /// Possible, but likely to produce a poor hire.
    Warning,
    /// Worth knowing when writing the description and planning the loop.
    Note,
}

impl FindingKind {
    pub fn id(self) -> &'static str {
        match self {
            FindingKind::Contradiction => "contradiction",
            FindingKind::Warning => "warning",
            FindingKind::Note => "note",
        }
    }
}

/// An answer a finding rests on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    pub question: String,
    pub answer: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub kind: FindingKind,
    pub message: String,
    pub evidence: Vec<Evidence>,
    pub hint: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Archetype {
    /// Codes most of the week and leads alongside.
    PlayerCoach,
    /// Leads most of the week and codes alongside.
    LeaderCoder,
}

impl Archetype {
    pub fn name(self) -> &'static str {
        match self {
            Archetype::PlayerCoach => "player-coach",
            Archetype::LeaderCoder => "leader-coder",
        }
    }
}

/// What a chosen answer means for the hire, from the framework's choice guidance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Focus {
    pub question: String,
    pub answer: String,
    pub guidance: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LevelSuggestion {
    pub level: String,
    pub name: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Guidance {
    pub archetype: Archetype,
    pub archetype_reason: String,
    pub suggested_level: LevelSuggestion,
    /// Which depth and experience matter most, from the chosen answers.
    pub focus: Vec<Focus>,
    /// Contradictions first, then warnings, then notes.
    pub findings: Vec<Finding>,
}

impl Guidance {
    pub fn has_contradictions(&self) -> bool {
        self.findings
            .iter()
            .any(|f| f.kind == FindingKind::Contradiction)
    }
}

struct Ctx<'a> {
    framework: &'a Framework,
    role: &'a Role,
}

impl Ctx<'_> {
    fn evidence(&self, question: &str) -> Evidence {
        let q = self.framework.question(question);
        Evidence {
            question: question.to_string(),
            answer: self
                .role
                .answers
                .get(question)
                .map_or_else(|| "—".to_string(), |a| a.describe(q)),
        }
    }
    fn finding(
        &self,
        rule: &'static str,
        kind: FindingKind,
        questions: &[&str],
        message: String,
        hint: &str,
    ) -> Finding {
        Finding {
            rule,
            kind,
            message,
            evidence: questions.iter().map(|q| self.evidence(q)).collect(),
            hint: hint.to_string(),
        }
    }
}

impl Role {
    /// Derive the explained guidance for this role.
    pub fn guidance(&self, framework: &Framework) -> Guidance {
        let cx = Ctx {
            framework,
            role: self,
        };
        let f = &self.facts;
        let rules = &framework.intake.rules;
        let coding = f.coding_share.get();
        let team = f.team.total;
        let player_coach = coding >= rules.player_coach_min_coding;
        let archetype = if player_coach {
            Archetype::PlayerCoach
        } else {
            Archetype::LeaderCoder
        };
        let archetype_reason = if player_coach {
            format!(
                "{coding}% coding is at or above the player-coach line of {}%: most of the week is hands-on work, with leading done alongside it",
                rules.player_coach_min_coding
            )
        } else {
            format!(
                "{coding}% coding is below the player-coach line of {}%: most of the week goes to reviews, design, planning and unblocking others",
                rules.player_coach_min_coding
            )
        };

        let mut findings = Vec::new();
        if team == 0 {
            findings.push(cx.finding(NO_TEAM, FindingKind::Contradiction, &[q::TEAM],
                "A Tech Lead multiplies a team's output, and this role has no engineers to lead.".into(),
                "Give the team's head count by level, or hire a senior engineer instead."));
        }
        if f.performance_reviews {
            findings.push(cx.finding(PERFORMANCE_REVIEWS, FindingKind::Contradiction, &[q::PERFORMANCE_REVIEWS],
                "Writing performance reviews makes this an engineering-manager role: a different pay band, a different candidate pool and different work from technical leadership.".into(),
                "Keep performance reviews with the engineering manager, or advertise and assess the role as engineering manager."));
            if f.reports_to == q::ENGINEERING_MANAGER {
                findings.push(cx.finding(REVIEWS_BESIDE_EM, FindingKind::Contradiction, &[q::PERFORMANCE_REVIEWS, q::REPORTS_TO],
                    "The lead reports to an engineering manager yet would write the team's performance reviews: two people would own the same people's growth.".into(),
                    "Decide who owns reviews; in a Tech Lead role it is the engineering manager."));
            }
        }
        if player_coach && team >= rules.large_team_min {
            findings.push(cx.finding(CODING_HEAVY_LARGE_TEAM, FindingKind::Contradiction, &[q::CODING_SHARE, q::TEAM],
                format!("{coding}% coding with {team} engineers: a team of {} or more needs more leading than a player-coach has time for, so reviews and design will queue behind the lead's own work.", rules.large_team_min),
                "Lower the coding share, split the team, or add a second lead."));
        }
        if !player_coach && !f.runs_architecture_review {
            findings.push(cx.finding(LEADER_WITHOUT_ARCH_REVIEW, FindingKind::Contradiction, &[q::CODING_SHARE, q::RITUALS],
                format!("At {coding}% coding the role is mostly leadership, yet the lead does not run architecture review, the main place where that leadership happens."),
                "Give the lead architecture review, or raise the coding share and hire a player-coach."));
        }
        if !player_coach && team > 0 && team <= rules.small_team_max {
            findings.push(cx.finding(LEADER_SMALL_TEAM, FindingKind::Warning, &[q::CODING_SHARE, q::TEAM],
                format!("{team} engineer(s) rarely generate enough review, design and planning work to fill {}% of a week; the lead is likely to drift back to coding or to over-manage.", 100 - u32::from(coding)),
                format!("For a team of {} or fewer, a player-coach split (coding {}% or more) usually fits.", rules.small_team_max, rules.player_coach_min_coding).as_str()));
        }
        if coding < rules.min_coding {
            findings.push(cx.finding(CODING_BELOW_MINIMUM, FindingKind::Warning, &[q::CODING_SHARE],
                format!("At {coding}% coding the lead will lose touch with the code their reviews and decisions depend on; below {}% this is closer to an architect or manager role.", rules.min_coding),
                "Keep some hands-on time in the role, or define it as architect or engineering manager."));
        }
        if team > rules.small_team_max && f.team.seniors == 0 {
            findings.push(cx.finding(NO_SENIORS, FindingKind::Note, &[q::TEAM],
                format!("{team} engineers and none senior: every review, design question and incident leans on the lead."),
                "Budget time for teaching and reviews, and screen hard for comments that teach rather than correct."));
        }
        if !f.runs_sprint_planning {
            findings.push(cx.finding(NO_SPRINT_PLANNING, FindingKind::Note, &[q::RITUALS],
                "The lead does not run sprint planning, where technical risk is best exposed before work starts.".into(),
                "Agree how the lead's risk review feeds planning, e.g. a standing technical-risk item in whoever runs it."));
        }
        findings.sort_by_key(|f| f.kind);

        let level = |id: &str, reason: String| LevelSuggestion {
            level: id.to_string(),
            name: framework
                .compensation
                .level(id)
                .map_or_else(|| id.to_string(), |l| l.name.clone()),
            reason,
        };
        let suggested_level = if !player_coach && team >= rules.large_team_min {
            level(
                "staff-lead",
                format!(
                    "a leader-coder for {team} engineers (a large team, {} or more) leads through others most of the week",
                    rules.large_team_min
                ),
            )
        } else if player_coach && team <= rules.small_team_max {
            level(
                "senior-lead",
                format!(
                    "a player-coach for {team} engineer(s) (a small team, {} or fewer) is mostly a senior hands-on engineer",
                    rules.small_team_max
                ),
            )
        } else if player_coach && team >= rules.large_team_min {
            level(
                "tech-lead",
                format!(
                    "a player-coach for {team} engineers (a large team, {} or more) is the `{CODING_HEAVY_LARGE_TEAM}` contradiction; settle it first, the middle level fits the answers as they stand",
                    rules.large_team_min
                ),
            )
        } else {
            level(
                "tech-lead",
                format!(
                    "a {} for {team} engineers, {} of them senior: larger than a small team ({} or fewer), smaller than a large one ({} or more)",
                    archetype.name(),
                    f.team.seniors,
                    rules.small_team_max,
                    rules.large_team_min
                ),
            )
        };

        let mut focus = Vec::new();
        for question in &framework.intake.questions {
            if !matches!(question.kind, AnswerKind::Choice | AnswerKind::MultiChoice) {
                continue;
            }
            let chosen: Vec<&String> = match self.answers.get(&question.id) {
                Some(Answer::Choice(c)) => vec![c],
                Some(Answer::MultiChoice(cs)) => cs.iter().collect(),
                _ => Vec::new(),
            };
            for id in chosen {
                if let Some(choice) = question.choice(id)
                    && let Some(guidance) = &choice.guidance
                {
                    focus.push(Focus {
                        question: question.id.clone(),
                        answer: choice.label.clone(),
                        guidance: guidance.clone(),
                    });
                }
            }
        }

        Guidance {
            archetype,
            archetype_reason,
            suggested_level,
            focus,
            findings,
        }
    }
}
