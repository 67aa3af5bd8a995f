//! Parse a framework TOML text and validate it, collecting every problem with its
//! line and field rather than stopping at the first.

use super::*;
use crate::source::{Position, Problem, Problems, toml_problem};
use std::collections::BTreeSet;
use std::ops::Range;
use toml::Spanned;

/// A framework text that could not be loaded: every problem, with line and field.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct FrameworkError(pub Problems);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    framework: Spanned<Meta>,
    signal: Vec<Spanned<SignalDef>>,
    intake: RawIntake,
    stage: Vec<Spanned<Stage>>,
    assessment: RawAssessment,
    screening: RawScreening,
    red_flag: Vec<Spanned<RedFlag>>,
    decision: Spanned<RawDecision>,
    compensation: RawCompensation,
    onboarding: RawOnboarding,
    delivery: RawDelivery,
    #[serde(default)]
    retention: Option<Spanned<Retention>>,
    #[serde(default)]
    rejection_reason: Vec<Spanned<RejectionReason>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIntake {
    rules: Spanned<IntakeRules>,
    question: Vec<Spanned<Question>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAssessment {
    instructions: String,
    question: Vec<Spanned<AssessmentQuestion>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScreening {
    tier: Vec<Spanned<EvidenceTier>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDecision {
    critical_flags_block: bool,
    signal: Vec<Spanned<SignalBar>>,
    reference_weights: ReferenceWeights,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCompensation {
    note: String,
    level: Vec<Spanned<Level>>,
    region: Vec<Spanned<Region>>,
    band: Vec<Spanned<Band>>,
    equity: Vec<Spanned<Equity>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOnboarding {
    adr_template: String,
    step: Vec<Spanned<OnboardingStep>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDelivery {
    targets: Spanned<DeliveryTargets>,
    dora: Spanned<DoraTiers>,
}

struct Check<'a> {
    text: &'a str,
    problems: Vec<Problem>,
}

impl Check<'_> {
    fn line(&self, span: &Range<usize>) -> usize {
        Position::at(self.text, span.start).line
    }
    fn fail(&mut self, span: &Range<usize>, field: impl Into<String>, message: impl Into<String>) {
        let line = self.line(span);
        self.problems.push(Problem::new(Some(line), field, message));
    }
    fn fail_anywhere(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem::new(None, field, message));
    }
    fn not_blank(&mut self, span: &Range<usize>, field: &str, value: &str) {
        if value.trim().is_empty() {
            self.fail(span, field, "must not be empty");
        }
    }
    fn not_empty<T>(&mut self, span: &Range<usize>, field: &str, list: &[T]) {
        if list.is_empty() {
            self.fail(span, field, "must list at least one entry");
        }
    }
    /// Report ids seen twice; return the set of ids.
    fn unique<'b, T: 'b>(
        &mut self,
        what: &str,
        items: impl IntoIterator<Item = &'b Spanned<T>>,
        id: impl Fn(&T) -> String,
    ) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        for item in items {
            let key = id(item.get_ref());
            if !seen.insert(key.clone()) {
                self.fail(
                    &item.span(),
                    format!("{what}[{key}]"),
                    "this id is used twice",
                );
            }
        }
        seen
    }
}

fn field(what: &str, id: &str, name: &str) -> String {
    format!("{what}[{id}].{name}")
}

impl Framework {
    /// The default framework, as shipped with the binary.
    pub fn default_framework() -> Result<Framework, FrameworkError> {
        Framework::parse(DEFAULT_SOURCE, DEFAULT_TOML)
    }

    /// Parse and validate a framework text. `source` names it in messages.
    pub fn parse(source: &str, text: &str) -> Result<Framework, FrameworkError> {
        let fail = |problems| {
            FrameworkError(Problems {
                source: source.to_string(),
                problems,
            })
        };
        let raw: Raw = toml::from_str(text).map_err(|e| fail(vec![toml_problem(text, &e)]))?;
        let mut c = Check {
            text,
            problems: Vec::new(),
        };
        c.check(&raw);
        if !c.problems.is_empty() {
            return Err(fail(c.problems));
        }
        Ok(raw.into_framework())
    }

    /// Advice about choices that are valid but unusual (not errors).
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        let w = &self.decision.reference_weights;
        if w.engineer <= w.manager {
            out.push(format!(
                "decision.reference_weights: engineer references ({}) do not weigh more than manager references ({}); former reports are the most telling witnesses of a lead's reviews",
                w.engineer, w.manager
            ));
        }
        if !self.decision.critical_flags_block {
            out.push(
                "decision.critical_flags_block is false: critical red flags will not block a hire"
                    .to_string(),
            );
        }
        out
    }

    pub fn stage(&self, id: &str) -> Option<&Stage> {
        self.stages.iter().find(|s| s.id == id)
    }

    /// The stage after `id` in the loop's order: `None` after the last stage
    /// or for a stage the framework does not have.
    pub fn next_stage(&self, id: &str) -> Option<&Stage> {
        let at = self.stages.iter().position(|s| s.id == id)?;
        self.stages.get(at + 1)
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.intake.questions.iter().find(|q| q.id == id)
    }

    pub fn red_flag(&self, id: &str) -> Option<&RedFlag> {
        self.red_flags.iter().find(|f| f.id == id)
    }

    pub fn signal(&self, signal: Signal) -> Option<&SignalDef> {
        self.signals.iter().find(|s| s.id == signal)
    }
}

fn inner<T>(items: Vec<Spanned<T>>) -> Vec<T> {
    items.into_iter().map(Spanned::into_inner).collect()
}

impl Raw {
    fn into_framework(self) -> Framework {
        let decision = self.decision.into_inner();
        Framework {
            meta: self.framework.into_inner(),
            signals: inner(self.signal),
            intake: Intake {
                rules: self.intake.rules.into_inner(),
                questions: inner(self.intake.question),
            },
            stages: inner(self.stage),
            assessment: Assessment {
                instructions: self.assessment.instructions,
                questions: inner(self.assessment.question),
            },
            screening: inner(self.screening.tier),
            red_flags: inner(self.red_flag),
            decision: DecisionPolicy {
                critical_flags_block: decision.critical_flags_block,
                signals: inner(decision.signal),
                reference_weights: decision.reference_weights,
            },
            compensation: Compensation {
                note: self.compensation.note,
                levels: inner(self.compensation.level),
                regions: inner(self.compensation.region),
                bands: inner(self.compensation.band),
                equity: inner(self.compensation.equity),
            },
            onboarding: Onboarding {
                adr_template: self.onboarding.adr_template,
                steps: inner(self.onboarding.step),
            },
            delivery: Delivery {
                targets: self.delivery.targets.into_inner(),
                dora: self.delivery.dora.into_inner(),
            },
            retention: self.retention.map(Spanned::into_inner).unwrap_or_default(),
            rejection_reasons: if self.rejection_reason.is_empty() {
                RejectionReason::defaults()
            } else {
                inner(self.rejection_reason)
            },
        }
    }
}

impl Check<'_> {
    fn check(&mut self, raw: &Raw) {
        let meta = &raw.framework;
        self.not_blank(&meta.span(), "framework.name", &meta.get_ref().name);
        self.not_blank(&meta.span(), "framework.version", &meta.get_ref().version);
        self.signals(&raw.signal);
        self.intake(&raw.intake);
        let flags = self.red_flags(&raw.red_flag);
        self.stages(&raw.stage, &flags);
        self.assessment(&raw.assessment);
        self.screening(&raw.screening);
        self.decision(&raw.decision);
        self.compensation(&raw.compensation);
        self.onboarding(&raw.onboarding);
        self.delivery(&raw.delivery);
        if let Some(r) = &raw.retention {
            self.retention(r);
        }
        self.unique("rejection_reason", &raw.rejection_reason, |r| r.id.clone());
        for r in &raw.rejection_reason {
            let v = r.get_ref();
            self.not_blank(&r.span(), &field("rejection_reason", &v.id, "id"), &v.id);
            self.not_blank(
                &r.span(),
                &field("rejection_reason", &v.id, "title"),
                &v.title,
            );
        }
    }

    fn retention(&mut self, r: &Spanned<Retention>) {
        let months = r.get_ref().months;
        if !(1..=Retention::MAX_MONTHS).contains(&months) {
            self.fail(
                &r.span(),
                "retention.months",
                format!(
                    "must be between 1 and {} (ten years); {months} was given",
                    Retention::MAX_MONTHS
                ),
            );
        }
    }

    fn signals(&mut self, signals: &[Spanned<SignalDef>]) {
        let seen = self.unique("signal", signals, |s| s.id.to_string());
        for s in signals {
            self.not_blank(
                &s.span(),
                &field("signal", s.get_ref().id.id(), "name"),
                &s.get_ref().name,
            );
        }
        for signal in Signal::ALL {
            if !seen.contains(signal.id()) {
                self.fail_anywhere("signal", format!("the signal `{signal}` is missing"));
            }
        }
    }

    fn intake(&mut self, intake: &RawIntake) {
        let rules = intake.rules.get_ref();
        let span = intake.rules.span();
        if rules.player_coach_min_coding > 100 {
            self.fail(
                &span,
                "intake.rules.player_coach_min_coding",
                "must be a percentage (0–100)",
            );
        }
        if rules.min_coding >= rules.player_coach_min_coding {
            self.fail(
                &span,
                "intake.rules.min_coding",
                "must be below player_coach_min_coding",
            );
        }
        if rules.small_team_max >= rules.large_team_min {
            self.fail(
                &span,
                "intake.rules.small_team_max",
                "must be below large_team_min",
            );
        }

        let ids = self.unique("intake.question", &intake.question, |q| q.id.clone());
        for q in &intake.question {
            let span = q.span();
            let q = q.get_ref();
            let f = |name| field("intake.question", &q.id, name);
            self.not_blank(&span, &f("prompt"), &q.prompt);
            self.not_blank(&span, &f("help"), &q.help);
            if let Some((_, kind)) = REQUIRED_QUESTIONS.iter().find(|(id, _)| *id == q.id)
                && *kind != q.kind
            {
                self.fail(
                    &span,
                    f("kind"),
                    format!(
                        "must be `{}` (the intake rules read it that way), not `{}`",
                        kind.id(),
                        q.kind.id()
                    ),
                );
            }
            let min_choices = match q.kind {
                AnswerKind::Choice => 2,
                AnswerKind::MultiChoice | AnswerKind::TeamMix => 1,
                _ => 0,
            };
            if q.kind.has_choices() && q.choices.len() < min_choices {
                self.fail(
                    &span,
                    f("choice"),
                    format!(
                        "a `{}` question needs at least {min_choices} choice(s)",
                        q.kind.id()
                    ),
                );
            }
            if !q.kind.has_choices() && !q.choices.is_empty() {
                self.fail(
                    &span,
                    f("choice"),
                    format!("a `{}` question takes no choices", q.kind.id()),
                );
            }
            let mut seen = BTreeSet::new();
            for choice in &q.choices {
                if !seen.insert(choice.id.as_str()) {
                    self.fail(
                        &span,
                        f("choice"),
                        format!("the choice `{}` is listed twice", choice.id),
                    );
                }
                if choice.senior && q.kind != AnswerKind::TeamMix {
                    self.fail(
                        &span,
                        f("choice"),
                        format!(
                            "`senior` only applies to team-mix levels (choice `{}`)",
                            choice.id
                        ),
                    );
                }
                if choice.label.trim().is_empty() {
                    self.fail(
                        &span,
                        f("choice"),
                        format!("the choice `{}` needs a label", choice.id),
                    );
                }
            }
            if q.id == q::RITUALS {
                for needed in [q::SPRINT_PLANNING, q::ARCHITECTURE_REVIEW] {
                    if q.choice(needed).is_none() {
                        self.fail(
                            &span,
                            f("choice"),
                            format!("must offer the choice `{needed}` (the intake rules read it)"),
                        );
                    }
                }
            }
        }
        for (id, _) in REQUIRED_QUESTIONS {
            if !ids.contains(id) {
                self.fail_anywhere("intake.question", format!("the question `{id}` is missing"));
            }
        }
    }

    fn red_flags(&mut self, flags: &[Spanned<RedFlag>]) -> BTreeSet<String> {
        let ids = self.unique("red_flag", flags, |f| f.id.clone());
        for flag in flags {
            let f = flag.get_ref();
            self.not_blank(&flag.span(), &field("red_flag", &f.id, "title"), &f.title);
            self.not_blank(
                &flag.span(),
                &field("red_flag", &f.id, "description"),
                &f.description,
            );
        }
        for kind in [FlagKind::Technical, FlagKind::Behavioural] {
            if !flags.iter().any(|f| f.get_ref().kind == kind) {
                self.fail_anywhere(
                    "red_flag",
                    format!(
                        "no red flag of kind `{}`",
                        match kind {
                            FlagKind::Technical => "technical",
                            FlagKind::Behavioural => "behavioural",
                        }
                    ),
                );
            }
        }
        ids
    }

    fn stages(&mut self, stages: &[Spanned<Stage>], flags: &BTreeSet<String>) {
        self.unique("stage", stages, |s| s.id.clone());
        for stage in stages {
            let span = stage.span();
            let s = stage.get_ref();
            let f = |name| field("stage", &s.id, name);
            self.not_blank(&span, &f("name"), &s.name);
            self.not_blank(&span, &f("purpose"), &s.purpose);
            self.not_empty(&span, &f("participants"), &s.participants);
            if !s.signals.is_empty() {
                self.not_empty(&span, &f("questions"), &s.questions);
                self.not_empty(&span, &f("good"), &s.good);
                for score in Score::ALL {
                    match s.anchor(score) {
                        Some(text) if !text.trim().is_empty() => {}
                        _ => self.fail(
                            &span,
                            f("rubric"),
                            format!("needs an anchor for score {score}"),
                        ),
                    }
                }
            }
            for key in s.rubric.keys() {
                if !matches!(key.as_str(), "1" | "2" | "3" | "4") {
                    self.fail(
                        &span,
                        f("rubric"),
                        format!("`{key}` is not a score; use the keys 1 to 4"),
                    );
                }
            }
            for flag in &s.red_flags {
                if !flags.contains(flag) {
                    self.fail(
                        &span,
                        f("red_flags"),
                        format!("`{flag}` is not the id of any [[red_flag]]"),
                    );
                }
            }
        }
        // The pipeline's stages must be there, in this order (others may sit between).
        let mut last = None;
        for id in REQUIRED_STAGES {
            match stages.iter().position(|s| s.get_ref().id == id) {
                None => self.fail_anywhere("stage", format!("the stage `{id}` is missing")),
                Some(i) => {
                    if let Some((prev_i, prev)) = last
                        && i < prev_i
                    {
                        self.fail(
                            &stages[i].span(),
                            format!("stage[{id}]"),
                            format!("must come after `{prev}`"),
                        );
                    }
                    last = Some((i, id));
                }
            }
        }
    }

    fn assessment(&mut self, a: &RawAssessment) {
        if a.instructions.trim().is_empty() {
            self.fail_anywhere("assessment.instructions", "must not be empty");
        }
        let ids = self.unique("assessment.question", &a.question, |q| q.id.clone());
        for q in &a.question {
            let span = q.span();
            let q = q.get_ref();
            let f = |name| field("assessment.question", &q.id, name);
            self.not_blank(&span, &f("prompt"), &q.prompt);
            self.not_empty(&span, &f("signals"), &q.signals);
            self.not_empty(&span, &f("strong_answer"), &q.strong_answer);
        }
        for id in REQUIRED_ASSESSMENT_QUESTIONS {
            if !ids.contains(id) {
                self.fail_anywhere(
                    "assessment.question",
                    format!("the question `{id}` is missing"),
                );
            }
        }
    }

    fn screening(&mut self, s: &RawScreening) {
        for strength in [Strength::Strongest, Strength::Middling, Strength::Weakest] {
            let tiers: Vec<_> = s
                .tier
                .iter()
                .filter(|t| t.get_ref().strength == strength)
                .collect();
            let name = serde_json::to_value(strength)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            match tiers.as_slice() {
                [] => {
                    self.fail_anywhere("screening.tier", format!("no tier with strength `{name}`"))
                }
                [one] => self.not_empty(
                    &one.span(),
                    &format!("screening.tier[{name}].evidence"),
                    &one.get_ref().evidence,
                ),
                [_, second, ..] => self.fail(
                    &second.span(),
                    format!("screening.tier[{name}]"),
                    "this strength is listed twice",
                ),
            }
        }
    }

    fn decision(&mut self, d: &Spanned<RawDecision>) {
        let span = d.span();
        let d = d.get_ref();
        self.unique("decision.signal", &d.signal, |b| b.signal.to_string());
        for bar in &d.signal {
            if bar.get_ref().min_raters == 0 {
                self.fail(
                    &bar.span(),
                    format!("decision.signal[{}].min_raters", bar.get_ref().signal),
                    "must be at least 1",
                );
            }
        }
        for signal in Signal::ALL {
            if !d.signal.iter().any(|b| b.get_ref().signal == signal) {
                self.fail(
                    &span,
                    "decision.signal",
                    format!("no bar for the signal `{signal}`"),
                );
            }
        }
        let w = &d.reference_weights;
        for (name, value) in [("engineer", w.engineer), ("manager", w.manager)] {
            if !(value.is_finite() && value > 0.0) {
                self.fail(
                    &span,
                    format!("decision.reference_weights.{name}"),
                    "must be a positive number",
                );
            }
        }
    }

    fn compensation(&mut self, c: &RawCompensation) {
        let levels = self.unique("compensation.level", &c.level, |l| l.id.clone());
        let regions = self.unique("compensation.region", &c.region, |r| r.id.clone());
        for level in &c.level {
            let l = level.get_ref();
            if l.years[0] > l.years[1] {
                self.fail(
                    &level.span(),
                    field("compensation.level", &l.id, "years"),
                    "the first year must not exceed the second",
                );
            }
        }
        for id in REQUIRED_LEVELS {
            if !levels.contains(id) {
                self.fail_anywhere("compensation.level", format!("the level `{id}` is missing"));
            }
        }
        for region in &c.region {
            let r = region.get_ref();
            if r.currency.len() != 3 || !r.currency.chars().all(|ch| ch.is_ascii_uppercase()) {
                self.fail(
                    &region.span(),
                    field("compensation.region", &r.id, "currency"),
                    "must be a three-letter ISO code such as USD or EUR",
                );
            }
        }
        let mut pairs = BTreeSet::new();
        for band in &c.band {
            let span = band.span();
            let b = band.get_ref();
            let name = format!("compensation.band[{}/{}]", b.level, b.region);
            if !levels.contains(&b.level) {
                self.fail(
                    &span,
                    format!("{name}.level"),
                    format!("`{}` is not a level id", b.level),
                );
            }
            if !regions.contains(&b.region) {
                self.fail(
                    &span,
                    format!("{name}.region"),
                    format!("`{}` is not a region id", b.region),
                );
            }
            if b.min >= b.max {
                self.fail(&span, format!("{name}.min"), "must be below max");
            }
            if !pairs.insert((b.level.clone(), b.region.clone())) {
                self.fail(&span, name, "this level and region already have a band");
            }
        }
        for level in &levels {
            for region in &regions {
                if !pairs.contains(&(level.clone(), region.clone())) {
                    self.fail_anywhere(
                        "compensation.band",
                        format!("no band for level `{level}` in region `{region}`"),
                    );
                }
            }
        }
        self.unique("compensation.equity", &c.equity, |e| e.stage.clone());
        for equity in &c.equity {
            let e = equity.get_ref();
            if !(e.min_percent > 0.0 && e.min_percent < e.max_percent && e.max_percent <= 100.0) {
                self.fail(
                    &equity.span(),
                    format!("compensation.equity[{}]", e.stage),
                    "needs 0 < min_percent < max_percent ≤ 100",
                );
            }
        }
        if c.equity.is_empty() {
            self.fail_anywhere(
                "compensation.equity",
                "must list at least one company stage",
            );
        }
    }

    fn onboarding(&mut self, o: &RawOnboarding) {
        if o.adr_template.trim().is_empty() {
            self.fail_anywhere("onboarding.adr_template", "must not be empty");
        }
        self.unique("onboarding.step", &o.step, |s| s.id.clone());
        if o.step.is_empty() {
            self.fail_anywhere("onboarding.step", "must list at least one step");
        }
        let mut previous_start = i32::MIN;
        for step in &o.step {
            let span = step.span();
            let s = step.get_ref();
            if s.start_day > s.due_day {
                self.fail(
                    &span,
                    field("onboarding.step", &s.id, "due_day"),
                    "must not be before start_day",
                );
            }
            if s.start_day < previous_start {
                self.fail(
                    &span,
                    field("onboarding.step", &s.id, "start_day"),
                    "steps must be listed in the order they start",
                );
            }
            previous_start = s.start_day;
            self.not_empty(&span, &field("onboarding.step", &s.id, "tasks"), &s.tasks);
            self.not_blank(
                &span,
                &field("onboarding.step", &s.id, "milestone"),
                &s.milestone,
            );
        }
    }

    fn delivery(&mut self, d: &RawDelivery) {
        let span = d.targets.span();
        let t = d.targets.get_ref();
        let mut seen = BTreeSet::new();
        for target in &t.targets {
            let name = serde_json::to_string(&target.metric).unwrap_or_default();
            if !seen.insert(name.clone()) {
                self.fail(
                    &span,
                    "delivery.targets.target",
                    format!("the metric {name} has two targets"),
                );
            }
            let [low, high] = target.range;
            if !(low.is_finite() && high.is_finite() && 0.0 < low && low <= high) {
                self.fail(
                    &span,
                    format!("delivery.targets.target[{}].range", name.trim_matches('"')),
                    "needs 0 < low ≤ high",
                );
            }
            if target.change == TargetChange::ReducePercent && high > 100.0 {
                self.fail(
                    &span,
                    format!("delivery.targets.target[{}].range", name.trim_matches('"')),
                    "a reduction cannot exceed 100 %",
                );
            }
        }
        let span = d.dora.span();
        let tiers = &d.dora.get_ref().tiers;
        if tiers.is_empty() {
            self.fail(&span, "delivery.dora.tier", "must list at least one tier");
        }
        if let Some(last) = tiers.last() {
            let open = last.deploys_per_week_min.is_none()
                && last.lead_time_hours_max.is_none()
                && last.change_failure_rate_max.is_none()
                && last.restore_hours_max.is_none();
            if !open {
                self.fail(
                    &span,
                    "delivery.dora.tier",
                    "the last tier must have no thresholds, so every value falls in some tier",
                );
            }
        }
        for pair in tiers.windows(2) {
            let (better, worse) = (&pair[0], &pair[1]);
            let name = format!(
                "delivery.dora.tier[{}]",
                serde_json::to_string(&worse.id)
                    .unwrap_or_default()
                    .trim_matches('"')
            );
            let ordered = |a: Option<f64>, b: Option<f64>, higher_better: bool| match (a, b) {
                (Some(a), Some(b)) => {
                    if higher_better {
                        a >= b
                    } else {
                        a <= b
                    }
                }
                (None, Some(_)) => false,
                _ => true,
            };
            if !ordered(
                better.deploys_per_week_min,
                worse.deploys_per_week_min,
                true,
            ) || !ordered(better.lead_time_hours_max, worse.lead_time_hours_max, false)
                || !ordered(
                    better.change_failure_rate_max,
                    worse.change_failure_rate_max,
                    false,
                )
                || !ordered(better.restore_hours_max, worse.restore_hours_max, false)
            {
                self.fail(&span, name, "tiers must be listed best first, each threshold no stricter than the tier above");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_default_framework_loads() {
        let fw = Framework::default_framework();
        assert!(
            fw.is_ok(),
            "{}",
            fw.err().map(|e| e.to_string()).unwrap_or_default()
        );
    }
}
