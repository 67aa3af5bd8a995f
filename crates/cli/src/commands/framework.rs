//! `multiplier framework show|export|check`.

use crate::context::{Globals, read_text};
use crate::output::{self, Exit, Format, Out, style, wrap};
use anyhow::Result;
use clap::{Args, Subcommand};
use multiplier_core::framework::{Framework, Severity, TargetChange};
use multiplier_core::source::Problem;
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Summarise the framework in use (the whole of it with --format json).
    #[command(
        after_help = "Examples:\n  multiplier framework show\n  multiplier framework show --format json | jq '.stages[].id'\n  multiplier --framework my.toml framework show"
    )]
    Show(ShowArgs),
    /// Write the framework in use as TOML, to edit a company copy.
    #[command(
        after_help = "Examples:\n  multiplier framework export --out my-framework.toml\n  multiplier framework export > my-framework.toml"
    )]
    Export(ExportArgs),
    /// Validate a framework file; every problem is reported with its line and field.
    #[command(
        after_help = "Examples:\n  multiplier framework check my-framework.toml\n  multiplier framework check my-framework.toml --format json\n\nExit codes: 0 valid, 1 problems found, 2 the file cannot be read."
    )]
    Check(CheckArgs),
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Write here instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Replace FILE if it exists.
    #[arg(long, requires = "out")]
    force: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The framework file to check (`-` reads standard input).
    file: PathBuf,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

impl Cmd {
    pub fn run(self, globals: &Globals) -> Result<Exit> {
        match self {
            Cmd::Show(args) => {
                let loaded = globals.framework()?;
                let mut out = output::stdout();
                match args.format {
                    Format::Json => output::json(&mut out, &loaded.framework)?,
                    Format::Text => show(&mut out, &loaded.framework, &loaded.source)?,
                }
                Ok(Exit::Fine)
            }
            Cmd::Export(args) => {
                let loaded = globals.framework()?;
                output::export(
                    &loaded.text,
                    &loaded.source,
                    args.out.as_deref(),
                    args.force,
                )?;
                Ok(Exit::Fine)
            }
            Cmd::Check(args) => check(&args),
        }
    }
}

#[derive(Serialize)]
struct CheckReport<'a> {
    source: String,
    valid: bool,
    problems: &'a [Problem],
    warnings: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<Summary>,
}

#[derive(Serialize)]
struct Summary {
    name: String,
    version: String,
    intake_questions: usize,
    stages: usize,
    assessment_questions: usize,
    red_flags: usize,
    critical_red_flags: usize,
    bands: usize,
    onboarding_steps: usize,
}

fn check(args: &CheckArgs) -> Result<Exit> {
    let source = args.file.display().to_string();
    let text = read_text(&args.file, "framework file")?;
    let parsed = Framework::parse(&source, &text);
    let (problems, framework) = match &parsed {
        Ok(fw) => (Vec::new(), Some(fw)),
        Err(e) => (e.0.problems.clone(), None),
    };
    let report = CheckReport {
        source: source.clone(),
        valid: framework.is_some(),
        problems: &problems,
        warnings: framework.map(Framework::warnings).unwrap_or_default(),
        summary: framework.map(|fw| Summary {
            name: fw.meta.name.clone(),
            version: fw.meta.version.clone(),
            intake_questions: fw.intake.questions.len(),
            stages: fw.stages.len(),
            assessment_questions: fw.assessment.questions.len(),
            red_flags: fw.red_flags.len(),
            critical_red_flags: fw
                .red_flags
                .iter()
                .filter(|f| f.severity == Severity::Critical)
                .count(),
            bands: fw.compensation.bands.len(),
            onboarding_steps: fw.onboarding.steps.len(),
        }),
    };
    let mut out = output::stdout();
    match args.format {
        Format::Json => output::json(&mut out, &report)?,
        Format::Text => {
            for p in &problems {
                let (bad, loc) = (
                    style::BAD,
                    p.line
                        .map_or_else(|| source.clone(), |l| format!("{source}:{l}")),
                );
                writeln!(out, "{bad}{loc}{bad:#}: {}: {}", p.field, p.message)?;
            }
            for w in &report.warnings {
                let warn = style::WARN;
                writeln!(out, "{warn}warning{warn:#}: {}", wrap(w, 9))?;
            }
            match &report.summary {
                Some(s) => {
                    let good = style::GOOD;
                    writeln!(
                        out,
                        "{good}valid{good:#}: {source} — {} {}: {} intake questions, {} stages, {} written-assessment questions, {} red flags ({} critical), {} bands, {} onboarding steps",
                        s.name,
                        s.version,
                        s.intake_questions,
                        s.stages,
                        s.assessment_questions,
                        s.red_flags,
                        s.critical_red_flags,
                        s.bands,
                        s.onboarding_steps
                    )?;
                }
                None => writeln!(out, "{} problem(s) in {source}", problems.len())?,
            }
        }
    }
    Ok(if report.valid {
        Exit::Fine
    } else {
        Exit::Problems
    })
}

pub fn money(currency: &str, amount: u32) -> String {
    let symbol = match currency {
        "USD" => "$",
        "EUR" => "€",
        "GBP" => "£",
        _ => "",
    };
    let k = f64::from(amount) / 1000.0;
    let number = if k.fract() == 0.0 {
        format!("{k:.0}k")
    } else {
        format!("{k:.1}k")
    };
    if symbol.is_empty() {
        format!("{number} {currency}")
    } else {
        format!("{symbol}{number}")
    }
}

fn signals_label(signals: &[multiplier_core::Signal]) -> String {
    if signals.is_empty() {
        "—".to_string()
    } else {
        signals
            .iter()
            .map(|s| s.id())
            .collect::<Vec<_>>()
            .join(" + ")
    }
}

fn show(out: &mut Out, fw: &Framework, source: &str) -> Result<()> {
    let (head, key, dim) = (style::HEAD, style::KEY, style::DIM);
    writeln!(
        out,
        "{key}{}{key:#} {}  {dim}({source}){dim:#}",
        fw.meta.name, fw.meta.version
    )?;
    if !fw.meta.description.is_empty() {
        writeln!(out, "{}", wrap(&fw.meta.description, 0))?;
    }
    writeln!(out, "\n{head}Signals{head:#} (each must clear its own bar)")?;
    for s in &fw.signals {
        writeln!(
            out,
            "  {key}{:<16}{key:#} {}",
            s.id.id(),
            wrap(&s.description, 19)
        )?;
    }
    writeln!(
        out,
        "\n{head}Intake questions{head:#} ({})",
        fw.intake.questions.len()
    )?;
    for q in &fw.intake.questions {
        writeln!(
            out,
            "  {key}{:<20}{key:#} {:<13} {}",
            q.id,
            q.kind.id(),
            wrap(&q.prompt, 37)
        )?;
    }
    writeln!(out, "\n{head}Stages{head:#} ({})", fw.stages.len())?;
    for (i, s) in fw.stages.iter().enumerate() {
        writeln!(
            out,
            "  {:>2}. {key}{:<20}{key:#} {:<34} {}",
            i + 1,
            s.id,
            signals_label(&s.signals),
            s.participants.join(", ")
        )?;
    }
    writeln!(
        out,
        "\n{head}Written assessment{head:#} ({} questions, no time limit)",
        fw.assessment.questions.len()
    )?;
    for q in &fw.assessment.questions {
        writeln!(out, "  {key}{:<24}{key:#} {}", q.id, q.title)?;
    }
    writeln!(out, "\n{head}Screening evidence{head:#}, strongest first")?;
    for t in &fw.screening {
        writeln!(
            out,
            "  {key}{}{key:#}: {}",
            t.name,
            wrap(&t.evidence.join("; "), 4)
        )?;
    }
    let critical = fw
        .red_flags
        .iter()
        .filter(|f| f.severity == Severity::Critical)
        .count();
    writeln!(
        out,
        "\n{head}Red flags{head:#} ({}, {critical} critical)",
        fw.red_flags.len()
    )?;
    for f in &fw.red_flags {
        let sev = match f.severity {
            Severity::Critical => (style::BAD, "critical"),
            Severity::Major => (style::WARN, "major"),
            Severity::Minor => (style::NOTE, "minor"),
        };
        let kind = match f.kind {
            multiplier_core::framework::FlagKind::Technical => "technical",
            multiplier_core::framework::FlagKind::Behavioural => "behavioural",
        };
        writeln!(
            out,
            "  {}{:<9}{:#} {:<12} {key}{:<34}{key:#} {}",
            sev.0, sev.1, sev.0, kind, f.id, f.title
        )?;
    }
    writeln!(out, "\n{head}Decision policy{head:#}")?;
    for b in &fw.decision.signals {
        writeln!(
            out,
            "  {key}{:<16}{key:#} bar {:.1} on 1–4, at least {} independent rater(s)",
            b.signal.id(),
            b.bar.get(),
            b.min_raters
        )?;
    }
    let w = &fw.decision.reference_weights;
    writeln!(
        out,
        "  references weigh engineer {} : manager {}; unresolved critical red flags {}",
        w.engineer,
        w.manager,
        if fw.decision.critical_flags_block {
            "block a hire"
        } else {
            "do not block"
        }
    )?;
    let comp = &fw.compensation;
    writeln!(out, "\n{head}Compensation{head:#} (yearly base)")?;
    let mut header = format!("  {:<24}", "");
    for r in &comp.regions {
        header.push_str(&format!(" {:<18}", r.name));
    }
    writeln!(out, "{}", header.trim_end())?;
    for l in &comp.levels {
        let label = format!("{} ({}–{} yrs)", l.id, l.years[0], l.years[1]);
        let mut row = String::new();
        for r in &comp.regions {
            let cell = comp.band(&l.id, &r.id).map_or_else(String::new, |b| {
                let max = money(&r.currency, b.max);
                format!(
                    "{}–{}",
                    money(&r.currency, b.min),
                    max.trim_start_matches(['$', '€', '£'])
                )
            });
            row.push_str(&format!(" {cell:<18}"));
        }
        writeln!(out, "  {key}{label:<24}{key:#}{}", row.trim_end())?;
    }
    let equity: Vec<String> = comp
        .equity
        .iter()
        .map(|e| format!("{} {}–{} %", e.name, e.min_percent, e.max_percent))
        .collect();
    writeln!(out, "  equity: {}", equity.join("; "))?;
    writeln!(
        out,
        "\n{head}Onboarding{head:#} ({} steps, days from the start date)",
        fw.onboarding.steps.len()
    )?;
    for s in &fw.onboarding.steps {
        writeln!(
            out,
            "  day {:>4} to {:>3}  {key}{:<16}{key:#} {}",
            s.start_day, s.due_day, s.phase, s.title
        )?;
    }
    let t = &fw.delivery.targets;
    writeln!(
        out,
        "\n{head}Delivery targets{head:#} (within {} months of the hire)",
        t.horizon_months
    )?;
    for target in &t.targets {
        let metric = serde_json::to_value(target.metric)?
            .as_str()
            .unwrap_or_default()
            .to_string();
        let [lo, hi] = target.range;
        let text = match target.change {
            TargetChange::Multiply => format!("{lo}–{hi}× the baseline"),
            TargetChange::ReducePercent => format!("−{lo} to −{hi} % from the baseline"),
        };
        writeln!(out, "  {key}{metric:<22}{key:#} {text}")?;
    }
    writeln!(
        out,
        "\n{head}DORA tiers{head:#} ({})",
        fw.delivery.dora.source
    )?;
    for tier in &fw.delivery.dora.tiers {
        let mut parts = Vec::new();
        if let Some(v) = tier.deploys_per_week_min {
            parts.push(format!("≥ {v} deploys/week"));
        }
        if let Some(v) = tier.lead_time_hours_max {
            parts.push(format!("lead time ≤ {v} h"));
        }
        if let Some(v) = tier.change_failure_rate_max {
            parts.push(format!("failure rate ≤ {:.0} %", v * 100.0));
        }
        if let Some(v) = tier.restore_hours_max {
            parts.push(format!("restore ≤ {v} h"));
        }
        let rule = if parts.is_empty() {
            "everything below the tier above".to_string()
        } else {
            parts.join(", ")
        };
        writeln!(out, "  {key}{:<8}{key:#} {rule}", tier.name)?;
    }
    Ok(())
}
