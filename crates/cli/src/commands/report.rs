//! `multiplier report funnel|adverse-impact`: the hiring funnel and the
//! adverse-impact tables, as text, JSON or CSV.

use crate::context::{Actor, Globals, block_on};
use crate::output::{self, Exit, Out, style};
use anyhow::Result;
use clap::{Args, Subcommand, ValueEnum};
use multiplier_app::{AdverseImpactReport, FunnelReport, MIN_CELL, dimension_label};
use multiplier_core::fairness::Table;
use multiplier_core::funnel::Funnel;
use multiplier_store::OpeningId;
use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ReportFormat {
    /// For people.
    #[default]
    Text,
    /// One JSON document (see docs/cli.md).
    Json,
    /// One CSV table with a header row (see docs/cli.md).
    Csv,
}

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Candidates reaching each stage, conversion, time in stage, time to hire,
    /// source of hire and reasons for rejection: overall and per opening.
    #[command(
        after_help = "Examples:\n  multiplier report funnel --as priya\n  multiplier report funnel --opening 2 --format csv --as priya > funnel.csv\n  multiplier report funnel --format json --as priya\n\nAdmins see every opening; an interviewer named as an opening's hiring manager sees that\nopening's funnel (give --opening)."
    )]
    Funnel(FunnelArgs),
    /// Selection rates and impact ratios per stage by sex, race/ethnicity and
    /// both (four-fifths rule), and the automatic instruments' scores by category.
    #[command(
        name = "adverse-impact",
        after_help = "Examples:\n  multiplier report adverse-impact --as priya\n  multiplier report adverse-impact --opening 2 --stage code-review --as priya\n  multiplier report adverse-impact --format csv --as priya > impact.csv\n\nAdmins only. Built from voluntary self-identification; lines counted over 1 to 4\ncandidates show `<5` instead of counts. Method: docs/fairness.md.\nExit codes: 0 nothing flagged, 1 an impact ratio under four fifths."
    )]
    AdverseImpact(ImpactArgs),
}

#[derive(Debug, Args)]
pub struct FunnelArgs {
    /// Only this opening.
    #[arg(long)]
    opening: Option<OpeningId>,
    #[command(flatten)]
    who: Actor,
    #[arg(long, value_enum, default_value_t)]
    format: ReportFormat,
}

#[derive(Debug, Args)]
pub struct ImpactArgs {
    /// Only this opening.
    #[arg(long)]
    opening: Option<OpeningId>,
    /// Only this step: `overall` or a stage id of the framework.
    #[arg(long)]
    stage: Option<String>,
    #[command(flatten)]
    who: Actor,
    #[arg(long, value_enum, default_value_t)]
    format: ReportFormat,
}

impl Cmd {
    pub fn run(self, globals: &Globals) -> Result<Exit> {
        match self {
            Cmd::Funnel(a) => {
                let report = block_on(async {
                    let (app, me) = globals.acting(&a.who).await?;
                    Ok(app.funnel_report(&me, a.opening).await?)
                })?;
                let mut out = output::stdout();
                match a.format {
                    ReportFormat::Json => output::json(&mut out, &report)?,
                    ReportFormat::Csv => out.write_all(report.csv()?.as_bytes())?,
                    ReportFormat::Text => funnel_text(&mut out, &report)?,
                }
                Ok(Exit::Fine)
            }
            Cmd::AdverseImpact(a) => {
                let report = block_on(async {
                    let (app, me) = globals.acting(&a.who).await?;
                    Ok(app
                        .adverse_impact_report(&me, a.opening, a.stage.as_deref())
                        .await?)
                })?;
                let mut out = output::stdout();
                match a.format {
                    ReportFormat::Json => output::json(&mut out, &report)?,
                    ReportFormat::Csv => out.write_all(report.csv()?.as_bytes())?,
                    ReportFormat::Text => impact_text(&mut out, &report)?,
                }
                let flagged = report
                    .steps
                    .iter()
                    .flat_map(|s| s.tables())
                    .any(|t| t.rows.iter().any(|r| r.below_four_fifths));
                Ok(if flagged { Exit::Problems } else { Exit::Fine })
            }
        }
    }
}

fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "—".into(), |x| format!("{:.0}%", x * 100.0))
}

fn days(v: Option<f64>) -> String {
    v.map_or_else(|| "—".into(), |x| format!("{x:.1} d"))
}

fn one_funnel(out: &mut Out, f: &Funnel) -> Result<()> {
    let (key, dim) = (style::KEY, style::DIM);
    writeln!(
        out,
        "{key}{:<24} {:>7} {:>10} {:>7} {:>13}{key:#}",
        "stage", "reached", "go on", "stays", "median stay"
    )?;
    for s in &f.steps {
        writeln!(
            out,
            "{:<24} {:>7} {:>10} {:>7} {:>13}",
            s.name,
            s.reached,
            pct(s.conversion),
            s.stays,
            days(s.median_days)
        )?;
    }
    writeln!(
        out,
        "{} candidate(s), {} hired; median time to hire {}",
        f.candidates,
        f.hired,
        days(f.median_days_to_hire)
    )?;
    let sources: Vec<String> = f
        .sources
        .iter()
        .map(|s| format!("{} {} ({} hired)", s.source, s.candidates, s.hired))
        .collect();
    if !sources.is_empty() {
        writeln!(out, "{dim}sources:{dim:#} {}", sources.join(", "))?;
    }
    let reasons: Vec<String> = f
        .rejections
        .iter()
        .filter(|t| t.count > 0)
        .map(|t| format!("{} {}", t.label, t.count))
        .collect();
    if !reasons.is_empty() {
        writeln!(out, "{dim}rejected for:{dim:#} {}", reasons.join(", "))?;
    }
    Ok(())
}

fn funnel_text(out: &mut Out, r: &FunnelReport) -> Result<()> {
    let head = style::HEAD;
    // One opening asked: its section is the whole report.
    if r.opening.is_none() {
        writeln!(out, "{head}All openings{head:#}")?;
        one_funnel(out, &r.overall)?;
    }
    for (i, o) in r.openings.iter().enumerate() {
        if r.opening.is_none() || i > 0 {
            writeln!(out)?;
        }
        writeln!(out, "{head}Opening {} · {}{head:#}", o.opening, o.title)?;
        one_funnel(out, &o.funnel)?;
    }
    Ok(())
}

fn count(v: Option<u64>) -> String {
    v.map_or_else(|| format!("<{MIN_CELL}"), |n| n.to_string())
}

fn table_text(out: &mut Out, t: &Table) -> Result<()> {
    let (key, bad, dim) = (style::KEY, style::BAD, style::DIM);
    writeln!(out, "{key}by {}{key:#}", dimension_label(&t.dimension))?;
    for r in t.rows.iter().filter(|r| r.applicants != Some(0)) {
        let note = if !r.declared {
            format!("{dim}not judged{dim:#}")
        } else if r.below_four_fifths {
            format!("{bad}under four fifths{bad:#}")
        } else if r.too_small {
            format!("{dim}too few to judge{dim:#}")
        } else if t.reference.as_deref() == Some(r.category.as_str()) {
            "reference".into()
        } else {
            String::new()
        };
        writeln!(
            out,
            "  {:<48} {:>6} {:>6} {:>6} {:>6}  {note}",
            r.label,
            count(r.applicants),
            count(r.selected),
            pct(r.rate),
            r.impact_ratio
                .map_or_else(|| "—".into(), |x| format!("{x:.2}")),
        )?;
    }
    Ok(())
}

fn impact_text(out: &mut Out, r: &AdverseImpactReport) -> Result<()> {
    let (head, dim, warn) = (style::HEAD, style::DIM, style::WARN);
    writeln!(
        out,
        "{dim}columns: category, candidates, selected, selection rate, impact ratio; lines of 1–{} candidates show <{MIN_CELL}; method: docs/fairness.md{dim:#}",
        MIN_CELL - 1
    )?;
    for s in &r.steps {
        writeln!(out)?;
        writeln!(out, "{head}{} → {}{head:#}", s.stage_name, s.next_name)?;
        for t in s.tables() {
            table_text(out, t)?;
        }
    }
    if !r.instruments.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{head}Automatic instruments: mean score by category{head:#}"
        )?;
        for i in &r.instruments {
            writeln!(
                out,
                "{} (declared mean {})",
                i.instrument,
                i.declared_mean
                    .map_or_else(|| "—".into(), |m| format!("{m:.2}"))
            )?;
            for row in i.by_sex.iter().chain(&i.by_race).filter(|x| x.n != Some(0)) {
                writeln!(
                    out,
                    "  {:<48} {:>6} {:>6} {:>7}",
                    row.label,
                    count(row.n),
                    row.mean.map_or_else(|| "—".into(), |m| format!("{m:.2}")),
                    row.difference
                        .map_or_else(String::new, |d| format!("{d:+.2}")),
                )?;
            }
        }
    }
    if !r.warnings.is_empty() {
        writeln!(out)?;
        for w in &r.warnings {
            writeln!(out, "{warn}warning:{warn:#} {w}")?;
        }
    }
    Ok(())
}
