//! `multiplier kit`, `debrief`, `decide`: the interview kit, the two-signal debrief
//! and the person's decision.

use crate::context::{Actor, Globals, block_on};
use crate::output::{self, Exit, Format, style, wrap};
use anyhow::{Result, anyhow};
use clap::{Args, ValueEnum};
use multiplier_app::DecisionInput;
use multiplier_core::pipeline::{Outcome, kit};
use multiplier_store::CandidateId;
use std::io::Write;

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  multiplier kit code-review\n  multiplier kit leadership --format json"
)]
pub struct KitCmd {
    /// The stage id (see `multiplier framework show`).
    stage: String,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

impl KitCmd {
    pub fn run(self, globals: &Globals) -> Result<Exit> {
        let fw = globals.framework()?.framework;
        let k = kit(&fw, &self.stage).map_err(|ids| {
            anyhow!(
                "`{}` is not a stage; choose one of {}",
                self.stage,
                ids.join(", ")
            )
        })?;
        let mut out = output::stdout();
        if self.format == Format::Json {
            output::json(&mut out, &k)?;
            return Ok(Exit::Fine);
        }
        let (head, key, dim) = (style::HEAD, style::KEY, style::DIM);
        writeln!(
            out,
            "{key}Stage {} of {}: {}{key:#}",
            k.position,
            fw.stages.len(),
            k.name
        )?;
        writeln!(out, "{}", wrap(&k.purpose, 0))?;
        let signals: Vec<&str> = k.signals.iter().map(|s| s.id()).collect();
        writeln!(
            out,
            "\n  {dim}who:{dim:#}     {}",
            k.participants.join(", ")
        )?;
        writeln!(
            out,
            "  {dim}feeds:{dim:#}   {}",
            if signals.is_empty() {
                "no signal (decides or acts)".to_string()
            } else {
                signals.join(" + ")
            }
        )?;
        if let Some(m) = k.minutes {
            writeln!(out, "  {dim}length:{dim:#}  {m} minutes")?;
        }
        for (title, items) in [
            ("Questions", &k.questions),
            ("What good looks like", &k.good),
        ] {
            if !items.is_empty() {
                writeln!(out, "\n{head}{title}{head:#}")?;
                for (i, q) in items.iter().enumerate() {
                    writeln!(out, "  {}. {}", i + 1, wrap(q, 5))?;
                }
            }
        }
        if !k.red_flags.is_empty() {
            writeln!(out, "\n{head}Red flags to watch for{head:#}")?;
            for f in &k.red_flags {
                let severity = serde_json::to_value(f.severity)?;
                writeln!(
                    out,
                    "  {key}{}{key:#} ({}): {}",
                    f.id,
                    severity.as_str().unwrap_or_default(),
                    wrap(&f.description, 4)
                )?;
            }
        }
        if !k.rubric.is_empty() {
            writeln!(out, "\n{head}Rubric{head:#}")?;
            for (n, anchor) in &k.rubric {
                writeln!(out, "  {key}{n}{key:#}  {}", wrap(anchor, 5))?;
            }
        }
        Ok(Exit::Fine)
    }
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  multiplier debrief --candidate 3 --as priya\n  multiplier debrief --candidate 3 --as priya --format json\n\nExit codes: 0 the policy says meets bar, 1 it does not (the decision stays yours)."
)]
pub struct DebriefCmd {
    #[arg(long)]
    candidate: CandidateId,
    #[command(flatten)]
    actor: Actor,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

impl DebriefCmd {
    pub fn run(self, globals: &Globals) -> Result<Exit> {
        let view = block_on(async {
            let (app, me) = globals.acting(&self.actor).await?;
            Ok(app.debrief(&me, self.candidate).await?)
        })?;
        let (d, c) = (&view.debrief, &view.candidate);
        let mut out = output::stdout();
        if self.format == Format::Json {
            output::json(&mut out, &d)?;
        } else {
            let (head, key, dim) = (style::HEAD, style::KEY, style::DIM);
            writeln!(
                out,
                "{key}Debrief: {}{key:#}  {dim}(candidate {}){dim:#}",
                c.name, c.id
            )?;
            if c.internal {
                writeln!(
                    out,
                    "  internal candidate. Wants the leadership work: {}. Gives up: {}.",
                    c.wants_leadership.as_deref().unwrap_or("—"),
                    c.gives_up.as_deref().unwrap_or("—")
                )?;
            }
            for s in &d.signals {
                let (mark, st) = if s.clears {
                    ("clears", style::GOOD)
                } else {
                    ("below", style::BAD)
                };
                let median = s
                    .median
                    .map_or_else(|| "—".to_string(), |m| format!("{m:.2}"));
                writeln!(
                    out,
                    "\n{head}{}{head:#}  median {median} vs bar {:.1}, {} rater(s) of {} needed  {st}{mark}{st:#}",
                    s.signal, s.bar, s.raters, s.min_raters
                )?;
                for r in &s.ratings {
                    let score = if r.score.fract() == 0.0 {
                        format!("{:.0}", r.score)
                    } else {
                        format!("{:.2}", r.score)
                    };
                    writeln!(
                        out,
                        "  {score:>4}  {:<12} {:<20} {}",
                        r.rater,
                        r.stage,
                        wrap(&r.note, 41)
                    )?;
                }
                for r in &s.set_aside {
                    writeln!(
                        out,
                        "  {dim}{:>4}  {:<12} {:<20} {}{dim:#}",
                        "—",
                        r.rater,
                        r.stage,
                        wrap(&r.note, 41)
                    )?;
                }
                if let Some(spread) = s.spread {
                    writeln!(out, "  {dim}spread {spread:.1}{dim:#}")?;
                }
            }
            if !d.red_flags.is_empty() {
                writeln!(out, "\n{head}Red flags{head:#}")?;
                for f in &d.red_flags {
                    let state = match (&f.resolution, f.blocks) {
                        (Some(r), _) => format!("resolved by {}: {}", r.by, r.note),
                        (None, true) => "unresolved, blocks".to_string(),
                        (None, false) => "unresolved".to_string(),
                    };
                    let severity = serde_json::to_value(f.severity)?;
                    writeln!(
                        out,
                        "  {} {} raised by {}: {state}",
                        severity.as_str().unwrap_or_default(),
                        f.id,
                        f.raised_by.join(", ")
                    )?;
                }
            }
            writeln!(out, "\n{head}Policy: {}{head:#}", d.verdict().text())?;
            for r in &d.reasons {
                writeln!(out, "  • {}", wrap(r, 4))?;
            }
            match view.decisions.last() {
                Some(last) => writeln!(
                    out,
                    "\n{key}Decision{key:#}: {} by {} — {}",
                    last.outcome.id(),
                    last.decided_by,
                    wrap(&last.rationale, 4)
                )?,
                None => writeln!(
                    out,
                    "\n{dim}Record the decision with `multiplier decide --candidate {} --outcome hire|no-hire|hold --rationale TEXT`.{dim:#}",
                    c.id
                )?,
            }
        }
        Ok(if d.meets_bar {
            Exit::Fine
        } else {
            Exit::Problems
        })
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum OutcomeArg {
    Hire,
    NoHire,
    Hold,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  multiplier decide --candidate 3 --outcome hire --as priya \\\n      --rationale \"both signals clear; references give three concrete examples of reports growing\"\n  multiplier decide --candidate 4 --outcome hire --against-policy --as priya \\\n      --rationale \"the open flag was a misunderstanding; see the reference from Lee\"\n\nA hire the policy does not support (see `multiplier debrief`) is recorded only with\n--against-policy, and stays on record as such."
)]
pub struct DecideCmd {
    #[arg(long)]
    candidate: CandidateId,
    #[arg(long, value_enum)]
    outcome: OutcomeArg,
    /// Why, in a sentence or two: kept with the decision and in the audit log.
    #[arg(long)]
    rationale: String,
    /// Record a hire although the policy says the candidate does not meet the bar.
    #[arg(long)]
    against_policy: bool,
    #[command(flatten)]
    actor: Actor,
}

impl DecideCmd {
    pub fn run(self, globals: &Globals) -> Result<Exit> {
        let input = DecisionInput {
            outcome: match self.outcome {
                OutcomeArg::Hire => Outcome::Hire,
                OutcomeArg::NoHire => Outcome::NoHire,
                OutcomeArg::Hold => Outcome::Hold,
            },
            rationale: self.rationale,
            against_policy: self.against_policy,
        };
        let record = block_on(async {
            let (app, me) = globals.acting(&self.actor).await?;
            Ok(app.decide(&me, self.candidate, &input).await?)
        })?;
        let mut out = output::stdout();
        writeln!(
            out,
            "decision recorded: {} for candidate {} by {}",
            record.outcome.id(),
            record.candidate,
            record.decided_by
        )?;
        if record.outcome == Outcome::Hire && !record.meets_bar {
            writeln!(
                out,
                "{}note: the decision policy said this candidate does not meet the bar; your rationale is on record{:#}",
                style::WARN,
                style::WARN
            )?;
        }
        Ok(Exit::Fine)
    }
}
