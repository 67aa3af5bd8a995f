//! The hiring framework as data: everything a company may want to tune — intake
//! questions, stages and their kits, rubrics, red flags, the decision policy,
//! compensation bands, the onboarding template, delivery targets and DORA tiers.
//!
//! The default ships in `framework/tech-lead.toml` and is embedded here as
//! [`DEFAULT_TOML`]. [`Framework::parse`] loads any copy and validates it, reporting
//! every problem with its line and field.

mod delivery;
mod load;

pub use delivery::{
    DeliveryMetric, DeliveryTargets, DoraTier, DoraTiers, Target, TargetChange, TierId,
};
pub use load::FrameworkError;

use crate::score::{Bar, Score};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The default framework, as shipped.
pub const DEFAULT_TOML: &str = include_str!("../../../../framework/tech-lead.toml");

/// The name used for the embedded default in messages.
pub const DEFAULT_SOURCE: &str = "<embedded default framework>";

/// The two signals a hire needs, each on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Signal {
    TechnicalDepth,
    TeamMultiplier,
}

impl Signal {
    pub const ALL: [Signal; 2] = [Signal::TechnicalDepth, Signal::TeamMultiplier];

    pub fn id(self) -> &'static str {
        match self {
            Signal::TechnicalDepth => "technical-depth",
            Signal::TeamMultiplier => "team-multiplier",
        }
    }
}

impl fmt::Display for Signal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A validated framework.
#[derive(Debug, Clone, Serialize)]
pub struct Framework {
    pub meta: Meta,
    pub signals: Vec<SignalDef>,
    pub intake: Intake,
    pub stages: Vec<Stage>,
    pub assessment: Assessment,
    pub screening: Vec<EvidenceTier>,
    pub red_flags: Vec<RedFlag>,
    pub decision: DecisionPolicy,
    pub compensation: Compensation,
    pub onboarding: Onboarding,
    pub delivery: Delivery,
    pub retention: Retention,
    /// Why a candidate may be rejected: a rejection names one of these.
    pub rejection_reasons: Vec<RejectionReason>,
}

// ---------------------------------------------------------------- retention

/// How long candidates' personal data are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Retention {
    /// A candidate's personal data are erased this many months after the last
    /// thing recorded about them (1 to 120).
    pub months: u32,
}

impl Retention {
    /// Used when a framework file has no `[retention]` section.
    pub const DEFAULT_MONTHS: u32 = 24;
    /// The longest period a framework may set: ten years.
    pub const MAX_MONTHS: u32 = 120;
}

impl Default for Retention {
    fn default() -> Self {
        Retention {
            months: Retention::DEFAULT_MONTHS,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    pub name: String,
    pub version: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignalDef {
    pub id: Signal,
    pub name: String,
    pub description: String,
}

// ---------------------------------------------------------------- intake

#[derive(Debug, Clone, Serialize)]
pub struct Intake {
    pub rules: IntakeRules,
    pub questions: Vec<Question>,
}

/// Thresholds the intake guidance uses.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntakeRules {
    /// At or above this coding share the role is a player-coach; below, a leader-coder.
    pub player_coach_min_coding: u8,
    /// Below this coding share the role has drifted away from hands-on leadership.
    pub min_coding: u8,
    /// Teams of this size or smaller are small.
    pub small_team_max: u32,
    /// Teams of this size or larger need more leading than coding.
    pub large_team_min: u32,
}

/// How a question is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AnswerKind {
    /// A whole number from 0 to 100.
    Percent,
    /// true or false.
    YesNo,
    /// One of the question's choices.
    Choice,
    /// Any number of the question's choices (possibly none).
    MultiChoice,
    /// A head count for each of the question's choices (seniority levels).
    TeamMix,
    /// Free text.
    Text,
}

impl AnswerKind {
    pub fn id(self) -> &'static str {
        match self {
            AnswerKind::Percent => "percent",
            AnswerKind::YesNo => "yes-no",
            AnswerKind::Choice => "choice",
            AnswerKind::MultiChoice => "multi-choice",
            AnswerKind::TeamMix => "team-mix",
            AnswerKind::Text => "text",
        }
    }
    pub fn has_choices(self) -> bool {
        matches!(
            self,
            AnswerKind::Choice | AnswerKind::MultiChoice | AnswerKind::TeamMix
        )
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    pub kind: AnswerKind,
    pub prompt: String,
    pub help: String,
    #[serde(default, rename = "choice", skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<Choice>,
}

impl Question {
    pub fn choice(&self, id: &str) -> Option<&Choice> {
        self.choices.iter().find(|c| c.id == id)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub id: String,
    pub label: String,
    /// What this answer means for the hire: shown as guidance when chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub guidance: Option<String>,
    /// For team-mix levels: whether engineers at this level count as senior.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub senior: bool,
}

/// The question ids the intake engine relies on, with the kind each must have.
pub const REQUIRED_QUESTIONS: [(&str, AnswerKind); 8] = [
    (q::CODING_SHARE, AnswerKind::Percent),
    (q::TEAM, AnswerKind::TeamMix),
    (q::PERFORMANCE_REVIEWS, AnswerKind::YesNo),
    (q::ARCHITECTURE, AnswerKind::Choice),
    (q::MANDATE, AnswerKind::Choice),
    (q::MAIN_CHALLENGE, AnswerKind::Choice),
    (q::RITUALS, AnswerKind::MultiChoice),
    (q::REPORTS_TO, AnswerKind::Choice),
];

/// Ids of the intake questions and of the choices the rules look at.
pub mod q {
    pub const CODING_SHARE: &str = "coding-share";
    pub const TEAM: &str = "team";
    pub const PERFORMANCE_REVIEWS: &str = "performance-reviews";
    pub const ARCHITECTURE: &str = "architecture";
    pub const MANDATE: &str = "mandate";
    pub const MAIN_CHALLENGE: &str = "main-challenge";
    pub const RITUALS: &str = "rituals";
    pub const REPORTS_TO: &str = "reports-to";

    pub const SPRINT_PLANNING: &str = "sprint-planning";
    pub const ARCHITECTURE_REVIEW: &str = "architecture-review";
    pub const ENGINEERING_MANAGER: &str = "engineering-manager";
}

// ---------------------------------------------------------------- stages

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stage {
    pub id: String,
    pub name: String,
    pub purpose: String,
    /// Who takes part (roles, not names).
    pub participants: Vec<String>,
    /// The signals this stage's scores feed; empty for stages that only decide or act.
    #[serde(default)]
    pub signals: Vec<Signal>,
    #[serde(default)]
    pub questions: Vec<String>,
    /// What good looks like.
    #[serde(default)]
    pub good: Vec<String>,
    /// Rubric anchors, one per score 1–4 (keys "1" to "4").
    #[serde(default)]
    pub rubric: BTreeMap<String, String>,
    /// Ids of red flags (see `red_flag`) this stage watches for.
    #[serde(default)]
    pub red_flags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minutes: Option<u32>,
}

impl Stage {
    /// The anchor text for a score, when the stage has a rubric.
    pub fn anchor(&self, score: Score) -> Option<&str> {
        self.rubric.get(&score.to_string()).map(String::as_str)
    }
}

/// The stage ids the pipeline relies on, in order.
pub const REQUIRED_STAGES: [&str; 9] = [
    "screen",
    "async-assessment",
    "technical-depth",
    "code-review",
    "product-partnership",
    "leadership",
    "references",
    "debrief",
    "offer",
];

// ---------------------------------------------------------------- assessment

#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    /// What the candidate is told before the questions.
    pub instructions: String,
    pub questions: Vec<AssessmentQuestion>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssessmentQuestion {
    pub id: String,
    pub title: String,
    pub prompt: String,
    pub signals: Vec<Signal>,
    /// What a strong answer contains.
    pub strong_answer: Vec<String>,
}

/// The written-assessment question ids the analyzer relies on.
pub const REQUIRED_ASSESSMENT_QUESTIONS: [&str; 5] = [
    "architecture-decision",
    "technical-disagreement",
    "teaching-review",
    "sprint-risk",
    "incident-guidance",
];

// ---------------------------------------------------------------- screening

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Strength {
    Strongest,
    Middling,
    Weakest,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceTier {
    pub strength: Strength,
    pub name: String,
    pub evidence: Vec<String>,
}

// ---------------------------------------------------------------- red flags

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FlagKind {
    Technical,
    Behavioural,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Minor,
    Major,
    /// Blocks a hire until a person resolves it.
    Critical,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedFlag {
    pub id: String,
    pub kind: FlagKind,
    pub severity: Severity,
    pub title: String,
    pub description: String,
}

/// One reason a candidate may be rejected for (`[[rejection_reason]]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RejectionReason {
    pub id: String,
    /// Shown in the reject form and on the candidate's page.
    pub title: String,
}

impl RejectionReason {
    /// Used when a framework file has no `[[rejection_reason]]`.
    pub fn defaults() -> Vec<RejectionReason> {
        [
            ("not-enough-depth", "Technical depth below the bar"),
            ("not-a-multiplier", "Does not raise the team around them"),
            ("red-flag", "A red flag that was not resolved"),
            ("role-mismatch", "Wants a different role than this one"),
            ("compensation", "Expectations outside the band"),
            ("position-filled", "The opening was filled"),
        ]
        .into_iter()
        .map(|(id, title)| RejectionReason {
            id: id.to_string(),
            title: title.to_string(),
        })
        .collect()
    }
}

// ---------------------------------------------------------------- decision

#[derive(Debug, Clone, Serialize)]
pub struct DecisionPolicy {
    /// Unresolved critical red flags block a hire.
    pub critical_flags_block: bool,
    pub signals: Vec<SignalBar>,
    pub reference_weights: ReferenceWeights,
}

impl DecisionPolicy {
    pub fn bar(&self, signal: Signal) -> Option<&SignalBar> {
        self.signals.iter().find(|b| b.signal == signal)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignalBar {
    pub signal: Signal,
    /// The lowest acceptable score on the 1–4 scale.
    pub bar: Bar,
    /// How many independent raters must have scored the signal.
    pub min_raters: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferenceWeights {
    /// Former direct reports and peers.
    pub engineer: f64,
    pub manager: f64,
}

// ---------------------------------------------------------------- compensation

#[derive(Debug, Clone, Serialize)]
pub struct Compensation {
    pub note: String,
    pub levels: Vec<Level>,
    pub regions: Vec<Region>,
    pub bands: Vec<Band>,
    pub equity: Vec<Equity>,
}

impl Compensation {
    pub fn band(&self, level: &str, region: &str) -> Option<&Band> {
        self.bands
            .iter()
            .find(|b| b.level == level && b.region == region)
    }
    pub fn level(&self, id: &str) -> Option<&Level> {
        self.levels.iter().find(|l| l.id == id)
    }
}

/// Level ids the intake guidance suggests from.
pub const REQUIRED_LEVELS: [&str; 3] = ["senior-lead", "tech-lead", "staff-lead"];

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    pub id: String,
    pub name: String,
    /// Typical years of experience, [from, to].
    pub years: [u32; 2],
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    pub id: String,
    pub name: String,
    /// ISO 4217 code, e.g. USD or EUR.
    pub currency: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub level: String,
    pub region: String,
    /// Yearly base salary, in the region's currency.
    pub min: u32,
    pub max: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Equity {
    /// Company stage id, e.g. `series-a`.
    pub stage: String,
    pub name: String,
    /// Options as a percentage of the company.
    pub min_percent: f64,
    pub max_percent: f64,
}

// ---------------------------------------------------------------- onboarding

#[derive(Debug, Clone, Serialize)]
pub struct Onboarding {
    pub adr_template: String,
    pub steps: Vec<OnboardingStep>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnboardingStep {
    pub id: String,
    /// A label such as "Before day one" or "Weeks 1–2".
    pub phase: String,
    /// Days from the start date (day 0 is the first day; negative is before it).
    pub start_day: i32,
    pub due_day: i32,
    pub title: String,
    pub tasks: Vec<String>,
    /// The milestone that marks the step done.
    pub milestone: String,
}

// ---------------------------------------------------------------- delivery

#[derive(Debug, Clone, Serialize)]
pub struct Delivery {
    pub targets: DeliveryTargets,
    pub dora: DoraTiers,
}
