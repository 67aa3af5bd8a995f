//! Write a concrete job description from a role's intake answers and, when there is
//! one, the team's measured baseline. Every fact comes from the role, the baseline or
//! the framework; where a fact is missing the description says less and `gaps` says
//! what to add.

use super::Baseline;
use crate::framework::{DeliveryMetric, Framework, Target, TargetChange, q};
use crate::role::{Answer, Archetype, Role};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    pub heading: String,
    pub paragraphs: Vec<String>,
    pub bullets: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JobDescription {
    pub title: String,
    pub sections: Vec<Section>,
    /// Facts the description had to leave out, and how to supply them.
    pub gaps: Vec<String>,
}

impl JobDescription {
    pub fn to_markdown(&self) -> String {
        let mut blocks = vec![format!("# {}", self.title)];
        for s in &self.sections {
            blocks.push(format!("## {}", s.heading));
            blocks.extend(s.paragraphs.iter().cloned());
            if !s.bullets.is_empty() {
                let list: Vec<String> = s.bullets.iter().map(|b| format!("- {b}")).collect();
                blocks.push(list.join("\n"));
            }
        }
        blocks.join("\n\n") + "\n"
    }
}

fn section(heading: &str, paragraphs: Vec<String>, bullets: Vec<String>) -> Section {
    Section {
        heading: heading.to_string(),
        paragraphs,
        bullets,
    }
}

/// "1.5", "2", "0.4": one decimal, none when whole.
fn num(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

fn hours(h: f64) -> String {
    if h >= 48.0 {
        format!("{} hours (about {} days)", num(h), num(h / 24.0))
    } else {
        format!("{} hours", num(h))
    }
}

fn level_words(id: &str) -> String {
    match id {
        "mid" => "mid-level".to_string(),
        other => other.to_string(),
    }
}

fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn choice_label(framework: &Framework, role: &Role, question: &str) -> Option<String> {
    match role.answers.get(question) {
        Some(Answer::Choice(id)) => framework
            .question(question)
            .and_then(|q| q.choice(id))
            .map(|c| c.label.clone()),
        _ => None,
    }
}

/// The first clause of a choice label ("Scaling: more users" → "scaling").
fn short(label: &str) -> String {
    let head = label.split(':').next().unwrap_or(label).trim();
    let mut chars = head.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Six months is half the framework's twelve-month horizon: aim halfway to the low end.
fn six_month_goal(target: &Target, baseline: f64, horizon_months: u32) -> f64 {
    let share = if horizon_months == 0 {
        1.0
    } else {
        (6.0 / f64::from(horizon_months)).min(1.0)
    };
    let low = target.range[0];
    match target.change {
        TargetChange::Multiply => baseline * (1.0 + (low - 1.0) * share),
        TargetChange::ReducePercent => baseline * (1.0 - low / 100.0 * share),
    }
}

fn range_text(target: &Target) -> String {
    let [lo, hi] = target.range;
    match target.change {
        TargetChange::Multiply => format!("{}–{}×", num(lo), num(hi)),
        TargetChange::ReducePercent => format!("{}–{}%", num(lo), num(hi)),
    }
}

/// Write the job description for `role`.
pub fn write(framework: &Framework, role: &Role, baseline: &Baseline) -> JobDescription {
    let f = &role.facts;
    let ctx = &role.context;
    let mut gaps = Vec::new();

    // The team.
    let mix: Vec<String> = match role.answers.get(q::TEAM) {
        Some(Answer::TeamMix(counts)) => framework
            .question(q::TEAM)
            .map(|q| {
                q.choices
                    .iter()
                    .filter_map(|c| {
                        counts
                            .get(&c.id)
                            .filter(|n| **n > 0)
                            .map(|n| format!("{n} {}", level_words(&c.id)))
                    })
                    .collect()
            })
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let team_name = ctx.team.clone().unwrap_or_else(|| "The team".to_string());
    let mut team = vec![format!(
        "{team_name} is {} engineers: {}.",
        f.team.total,
        join_and(&mix)
    )];
    if let Some(product) = &ctx.product {
        team.push(format!(
            "Together we build {}.",
            product.trim_end_matches('.').to_lowercase_first()
        ));
    }
    let architecture =
        choice_label(framework, role, q::ARCHITECTURE).map(|label| match f.architecture.as_str() {
            "monolith" => "a monolith".to_string(),
            "modular-monolith" => "a modular monolith".to_string(),
            "microservices" => "a set of microservices".to_string(),
            "event-driven" => "an event-driven system".to_string(),
            "serverless" => "a serverless system".to_string(),
            "mixed" => "a mix of architectures".to_string(),
            _ => format!("of this kind: {}", label.to_lowercase_first()),
        });
    let mandate = choice_label(framework, role, q::MANDATE).map(|label| match f.mandate.as_str() {
        "greenfield" => "building something new".to_string(),
        "legacy-modernisation" => "modernising an existing system".to_string(),
        "mixed" => "building new parts beside an existing core".to_string(),
        _ => label.to_lowercase_first(),
    });
    match (&ctx.stack, &architecture) {
        (Some(stack), Some(arch)) => team.push(format!(
            "The system is {arch}, built with {}.",
            stack.trim_end_matches('.')
        )),
        (None, Some(arch)) => {
            team.push(format!("The system is {arch}."));
            gaps.push("the stack: add `stack` under [context] in the role file".to_string());
        }
        (Some(stack), None) => team.push(format!("We build with {}.", stack.trim_end_matches('.'))),
        (None, None) => {
            gaps.push("the stack: add `stack` under [context] in the role file".to_string())
        }
    }
    match &ctx.scale {
        Some(scale) => team.push(format!("Today it serves {}.", scale.trim_end_matches('.'))),
        None => gaps.push(
            "the scale: add `scale` under [context] (users, requests, data volume)".to_string(),
        ),
    }
    if let Some(mandate) = &mandate {
        team.push(format!("This role is about {mandate}."));
    }

    // Where we are today: the baseline.
    let mut today = Vec::new();
    let tier = |metric, value| {
        framework
            .delivery
            .dora
            .tier(metric, value)
            .map(|t| {
                format!(
                    " ({} on the {} bands)",
                    t.name.to_lowercase(),
                    framework
                        .delivery
                        .dora
                        .source
                        .split(',')
                        .next()
                        .unwrap_or("DORA")
                )
            })
            .unwrap_or_default()
    };
    if let Some(d) = baseline.deploys_per_week() {
        today.push(format!(
            "We deploy to production {} times a week on average{}.",
            num(d),
            tier(DeliveryMetric::DeploymentFrequency, d)
        ));
    }
    if let Some(h) = baseline.lead_time_median() {
        today.push(format!(
            "A change takes a median of {} from commit to production{}.",
            hours(h),
            tier(DeliveryMetric::LeadTime, h)
        ));
    }
    if let Some(r) = baseline.failure_rate() {
        today.push(format!(
            "{}% of deployments need a fix or a rollback afterwards{}.",
            num(r * 100.0),
            tier(DeliveryMetric::ChangeFailureRate, r)
        ));
    }
    if let Some(h) = baseline.restore_median() {
        today.push(format!(
            "Restoring service after a failed deployment takes a median of {}.",
            hours(h)
        ));
    }
    if let Some(h) = baseline.first_review_median() {
        today.push(format!(
            "Pull requests wait a median of {} for their first review.",
            hours(h)
        ));
    }
    if baseline.is_empty() {
        gaps.push("delivery numbers: pass --baseline with the JSON of `multiplier metrics git|deploys|prs`".to_string());
    }

    // What you will own.
    let mut runs = Vec::new();
    if f.runs_sprint_planning {
        runs.push("sprint planning".to_string());
    }
    if f.runs_architecture_review {
        runs.push("the weekly architecture review".to_string());
    }
    let mut own = vec![if runs.is_empty() {
        "The technical direction of the team.".to_string()
    } else {
        format!(
            "The technical direction of the team: you run {}.",
            join_and(&runs)
        )
    }];
    own.push("The team's engineering standards: how we write, test and review code, kept in writing where everyone can find them.".to_string());
    own.push("Architecture decisions, each written as an ADR that the whole team can read, understand and build on.".to_string());
    if let Some(c) = choice_label(framework, role, q::MAIN_CHALLENGE) {
        own.push(format!(
            "The main technical problem of the next twelve months: {}.",
            short(&c)
        ));
    }

    // The split.
    let coding = f.coding_share.get();
    let kind = match role.guidance(framework).archetype {
        Archetype::PlayerCoach => {
            "This is a player-coach role: you ship code every week and guide the team alongside it."
        }
        Archetype::LeaderCoder => {
            "Most of your impact comes through the team rather than through your own code, so expect to spend more time in reviews and design than in your editor."
        }
    };
    let split = vec![format!(
        "About {coding}% of your week is hands-on coding and {}% is guiding the team: reviews, design, planning and unblocking others. {kind}",
        100 - u32::from(coding)
    )];

    // What the role is not.
    let mut not = Vec::new();
    if f.performance_reviews {
        not.push("Performance reviews are part of this role, which makes it closer to engineering management; we pay and assess it as such.".to_string());
        gaps.push("the role includes performance reviews: `multiplier role check` explains why that makes it an engineering-manager role".to_string());
    } else {
        let who = if f.reports_to == q::ENGINEERING_MANAGER {
            "your engineering manager"
        } else {
            "the engineering manager"
        };
        not.push(format!(
            "You will not write performance reviews: they stay with {who}."
        ));
    }
    if !f.runs_sprint_planning {
        not.push("You will not run sprint planning; you bring the technical risk to it so the plan is honest.".to_string());
    }
    if !f.runs_architecture_review {
        not.push("You will not run the architecture review; you take part in it and write your decisions down.".to_string());
    }
    not.push("You will not be the only person who can approve a change: growing reviewers around you is part of the job.".to_string());

    // Success at six months.
    let targets = &framework.delivery.targets;
    let horizon = targets.horizon_months;
    let mut success = Vec::new();
    let by = |metric| targets.for_metric(metric);
    if let (Some(d), Some(t)) = (
        baseline.deploys_per_week(),
        by(DeliveryMetric::DeploymentFrequency),
    ) {
        success.push(format!(
            "Deploy at least {} times a week, up from {} today, on the way to {} within {horizon} months.",
            num(six_month_goal(t, d, horizon)),
            num(d),
            range_text(t)
        ));
    }
    if let (Some(h), Some(t)) = (baseline.lead_time_median(), by(DeliveryMetric::LeadTime)) {
        success.push(format!(
            "A median time from commit to production of {} or less, down from {}, on the way to a {} cut within {horizon} months.",
            hours(six_month_goal(t, h, horizon)),
            hours(h),
            range_text(t)
        ));
    }
    if let (Some(r), Some(t)) = (
        baseline.failure_rate(),
        by(DeliveryMetric::ChangeFailureRate),
    ) {
        success.push(format!(
            "At most {}% of deployments needing a fix, down from {}%, on the way to a {} cut within {horizon} months.",
            num(six_month_goal(t, r, horizon) * 100.0),
            num(r * 100.0),
            range_text(t)
        ));
    }
    if let Some(h) = baseline.first_review_median() {
        success.push(format!(
            "Pull requests get their first review in under {}, half of today's {}.",
            hours(h / 2.0),
            hours(h)
        ));
    }
    if baseline.deploys_per_week().is_none() && baseline.lead_time_median().is_none() {
        let ranges: Vec<String> = targets
            .targets
            .iter()
            .map(|t| {
                let metric = match t.metric {
                    DeliveryMetric::DeploymentFrequency => "more deployments",
                    DeliveryMetric::LeadTime => "shorter lead time for changes",
                    DeliveryMetric::ChangeFailureRate => "fewer failed deployments",
                    DeliveryMetric::TimeToRestore => "faster recovery",
                };
                format!("{} {metric}", range_text(t))
            })
            .collect();
        success.push(format!(
            "Our delivery numbers measured in your first month, and on course for {} within {horizon} months.",
            join_and(&ranges)
        ));
    }
    success.push("Every engineer on the team can explain the reasoning behind our five most important architecture decisions, because each one is written down.".to_string());

    let mut sections = vec![section("The team", vec![team.join(" ")], Vec::new())];
    if !today.is_empty() {
        sections.push(section("Where we are today", Vec::new(), today));
    }
    sections.push(section("What you will own", Vec::new(), own));
    sections.push(section("How your week splits", split, Vec::new()));
    sections.push(section("What this role is not", Vec::new(), not));
    sections.push(section("Success at six months", Vec::new(), success));
    if let Some(r) = choice_label(framework, role, q::REPORTS_TO) {
        sections.push(section(
            "Who you report to",
            vec![format!("You report to {}.", r.to_lowercase_first())],
            Vec::new(),
        ));
    }
    let place = place_and_pay(framework, role, &mut gaps);
    if !place.is_empty() {
        sections.push(section("Pay and place", Vec::new(), place));
    }
    JobDescription {
        title: role.title.clone(),
        sections,
        gaps,
    }
}

/// "1,234,567" for people.
fn grouped(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The company, the location and the framework's salary band for the role's
/// suggested level in its region, from the role's context; what is missing
/// goes to `gaps` once a region or company is given at all.
fn place_and_pay(framework: &Framework, role: &Role, gaps: &mut Vec<String>) -> Vec<String> {
    let ctx = &role.context;
    let mut out = Vec::new();
    if let Some(company) = &ctx.company {
        out.push(format!("You join {company}."));
    }
    if let Some(location) = &ctx.location {
        out.push(format!("Location: {location}."));
    }
    if let Some(region_id) = &ctx.region {
        let comp = &framework.compensation;
        let level = role.guidance(framework).suggested_level.level;
        let region = comp.regions.iter().find(|r| &r.id == region_id);
        match (region, comp.band(&level, region_id)) {
            (Some(region), Some(band)) => {
                let level_name = comp.level(&level).map_or(level.as_str(), |l| l.name.as_str());
                out.push(format!(
                    "Base salary {}–{} {} a year ({}, {}).",
                    grouped(band.min),
                    grouped(band.max),
                    region.currency,
                    level_name,
                    region.name
                ));
            }
            _ => gaps.push(format!(
                "the salary band: `{region_id}` is not a compensation region of the framework; set context.region to one of its regions"
            )),
        }
    }
    out
}

trait LowercaseFirst {
    fn to_lowercase_first(&self) -> String;
}

impl LowercaseFirst for str {
    /// "The CTO" → "the CTO"; leaves acronyms ("CTO") alone.
    fn to_lowercase_first(&self) -> String {
        let mut chars = self.chars();
        match (chars.next(), chars.clone().next()) {
            (Some(c), Some(n)) if n.is_lowercase() || n == ' ' => {
                c.to_lowercase().chain(chars).collect()
            }
            (Some(c), _) => std::iter::once(c).chain(chars).collect(),
            (None, _) => String::new(),
        }
    }
}
