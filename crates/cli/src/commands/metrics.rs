//! `multiplier metrics git|deploys|prs|save|history|compare`: delivery numbers from
//! real data, the baseline, and the outcome against the framework's targets.

use crate::context::{Actor, Globals, block_on, read_text};
use crate::output::{self, Exit, Format, Out, style};
use anyhow::{Context, Result, anyhow, bail};
use clap::{ArgGroup, Args, Subcommand};
use multiplier_core::delivery::{
    self, Baseline, DeliveryReport, Incident, Window, compare, input, pr_report,
};
use multiplier_store::OpeningId;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// The DORA four keys from a git repository's tags or a deployment branch.
    #[command(
        after_help = "Examples:\n  multiplier metrics git . --deploy-tags 'v*'\n  multiplier metrics git ../api --deploy-branch production --since 2026-01-01 --until 2026-04-01\n  multiplier metrics git . --deploy-tags 'release-*' --incidents incidents.csv --format json > baseline.json\n\n--until is exclusive; dates are UTC."
    )]
    Git(GitArgs),
    /// The DORA four keys from a CD system's deployment records (JSON or CSV).
    #[command(
        after_help = "Examples:\n  multiplier metrics deploys --deployments deploys.csv --incidents incidents.json"
    )]
    Deploys(DeploysArgs),
    /// Review time from pull requests (`gh pr list --json ...` or the GitHub REST pulls JSON).
    #[command(
        after_help = "Examples:\n  gh pr list --state all --limit 500 --json number,author,createdAt,mergedAt,closedAt,isDraft,reviews > prs.json\n  multiplier metrics prs prs.json"
    )]
    Prs(PrsArgs),
    /// Store a metrics report as a snapshot of an opening's team (the first is the baseline).
    #[command(
        after_help = "Examples:\n  multiplier metrics save --opening 1 baseline.json --as priya\n  multiplier metrics save --opening 1 prs.json --as priya\n\nA report of `metrics git` or `metrics deploys` is saved as a `delivery` snapshot, one of\n`metrics prs` as `prs`. The first snapshot of each kind is the opening's baseline.\nNeeds an admin account."
    )]
    Save(SaveArgs),
    /// The snapshots saved for an opening, oldest (the baseline) first.
    #[command(after_help = "Examples:\n  multiplier metrics history --opening 1 --as priya")]
    History(HistoryArgs),
    /// A later report against the baseline and the framework's targets: met, on track or missed.
    #[command(
        after_help = "Examples:\n  multiplier metrics compare baseline.json month-6.json\n  multiplier metrics compare baseline.json month-6.json --months 6 --format json\n\nExit codes: 0 every target met or on track, 1 a target missed."
    )]
    Compare(CompareArgs),
    /// Read the opening's repository (see `opening set-repo`) and save a `delivery` snapshot.
    #[command(
        after_help = "Examples:\n  multiplier metrics snapshot --opening 1 --as priya\n  multiplier metrics snapshot --opening 1 --since 2026-01-01 --as priya\n\nThe window runs from --since (default: 90 days ago) to now. Needs an admin account."
    )]
    Snapshot(SnapshotArgs),
    /// The opening's outcome: each later snapshot judged against the baseline and the targets.
    #[command(
        after_help = "Examples:\n  multiplier metrics outcomes --opening 1 --as priya\n  multiplier metrics outcomes --opening 1 --format json --as priya\n\nThe months elapsed are counted from the hire's start date when one is on record.\nThe same data as /openings/ID/outcomes and GET /api/v1/openings/ID/outcomes."
    )]
    Outcomes(HistoryArgs),
}

#[derive(Debug, Args)]
pub struct SnapshotArgs {
    #[arg(long)]
    opening: OpeningId,
    /// From this date or time (UTC, inclusive); default 90 days ago.
    #[arg(long)]
    since: Option<String>,
    #[command(flatten)]
    actor: Actor,
}

#[derive(Debug, Args)]
pub struct WindowArgs {
    /// From this date or time (UTC, inclusive).
    #[arg(long)]
    since: Option<String>,
    /// Until this date or time (UTC, exclusive).
    #[arg(long)]
    until: Option<String>,
}

impl WindowArgs {
    fn window(&self) -> Result<Window> {
        let t = |v: &Option<String>, name: &str| {
            v.as_deref()
                .map(|s| input::parse_time(s).map_err(|e| anyhow!("--{name}: {e}")))
                .transpose()
        };
        Ok(Window {
            since: t(&self.since, "since")?,
            until: t(&self.until, "until")?,
        })
    }
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("mode").required(true).args(["deploy_tags", "deploy_branch"])))]
pub struct GitArgs {
    /// The repository (a working tree or a bare repository).
    repo: PathBuf,
    /// Deployments are tags matching this glob, e.g. 'v*'.
    #[arg(long, value_name = "GLOB")]
    deploy_tags: Option<String>,
    /// Deployments are the first-parent commits of this branch.
    #[arg(long, value_name = "BRANCH")]
    deploy_branch: Option<String>,
    /// Incidents, JSON or CSV: id, created, resolved, deployment (optional).
    #[arg(long, value_name = "FILE")]
    incidents: Option<PathBuf>,
    #[command(flatten)]
    window: WindowArgs,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Debug, Args)]
pub struct DeploysArgs {
    /// JSON or CSV: id, finished, commits, change_times, environment, result.
    #[arg(long, value_name = "FILE")]
    deployments: PathBuf,
    #[arg(long, value_name = "FILE")]
    incidents: Option<PathBuf>,
    #[command(flatten)]
    window: WindowArgs,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Debug, Args)]
pub struct PrsArgs {
    file: PathBuf,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Debug, Args)]
pub struct SaveArgs {
    #[arg(long)]
    opening: OpeningId,
    /// The JSON of `metrics git|deploys|prs`.
    file: PathBuf,
    #[command(flatten)]
    actor: Actor,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    #[arg(long)]
    opening: OpeningId,
    #[command(flatten)]
    actor: Actor,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    baseline: PathBuf,
    later: PathBuf,
    /// Months between the two measurements (default: from the reports' windows).
    #[arg(long)]
    months: Option<f64>,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

fn read_incidents(path: &Option<PathBuf>) -> Result<Vec<Incident>> {
    match path {
        None => Ok(Vec::new()),
        Some(p) => Ok(input::incidents(
            &p.display().to_string(),
            &read_text(p, "incidents file")?,
        )?),
    }
}

/// A spinner on stderr while commits are read, only when stderr is a terminal.
fn progress() -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_message("reading history");
    Some(bar)
}

impl Cmd {
    pub fn run(self, globals: &Globals) -> Result<Exit> {
        let fw = globals.framework()?.framework;
        let mut out = output::stdout();
        match self {
            Cmd::Git(a) => {
                let mode = match (&a.deploy_tags, &a.deploy_branch) {
                    (Some(glob), _) => multiplier_git::Mode::Tags(glob.clone()),
                    (None, Some(branch)) => multiplier_git::Mode::Branch(branch.clone()),
                    (None, None) => bail!(
                        "say how deployments are marked: --deploy-tags GLOB or --deploy-branch BRANCH"
                    ),
                };
                let window = a.window.window()?;
                let incidents = read_incidents(&a.incidents)?;
                let bar = progress();
                // With --since only the history the window needs is read.
                let history = multiplier_git::read_since(&a.repo, &mode, window.since, &mut |n| {
                    if let Some(b) = &bar {
                        b.set_message(format!("{n} commits read"));
                        b.tick();
                    }
                });
                if let Some(b) = bar {
                    b.finish_and_clear();
                }
                let history = history
                    .with_context(|| format!("cannot read the history of {}", a.repo.display()))?;
                let r = delivery::report(
                    &history.deployments,
                    &history.undeployed,
                    &incidents,
                    window,
                    &fw.delivery.dora,
                )?;
                print_report(
                    &mut out,
                    &r,
                    a.format,
                    &format!("{} ({} commits read)", a.repo.display(), history.commits),
                )?;
            }
            Cmd::Deploys(a) => {
                let source = a.deployments.display().to_string();
                let records =
                    input::deployments(&source, &read_text(&a.deployments, "deployments file")?)?;
                let incidents = read_incidents(&a.incidents)?;
                let r = delivery::report(
                    &records.deployments,
                    &[],
                    &incidents,
                    a.window.window()?,
                    &fw.delivery.dora,
                )?;
                print_report(
                    &mut out,
                    &r,
                    a.format,
                    &format!(
                        "{source} ({} records skipped: not successful production deployments)",
                        records.skipped
                    ),
                )?;
                if records.without_change_times > 0 {
                    writeln!(
                        anstream::stderr(),
                        "{} deployment(s) list commits without change times, so they add no lead time",
                        records.without_change_times
                    )?;
                }
            }
            Cmd::Prs(a) => {
                let source = a.file.display().to_string();
                let prs = input::pull_requests(&source, &read_text(&a.file, "pull-request file")?)?;
                let r = pr_report(&prs);
                if a.format == Format::Json {
                    output::json(&mut out, &r)?;
                } else {
                    let key = style::KEY;
                    let h =
                        |v: Option<f64>| v.map_or_else(|| "—".to_string(), |v| format!("{v:.1} h"));
                    writeln!(
                        out,
                        "{key}Pull requests{key:#}  {} counted ({} drafts left out) from {source}",
                        r.pull_requests, r.drafts_skipped
                    )?;
                    writeln!(
                        out,
                        "  first review by someone else  median {}, p90 {}  ({} never reviewed)",
                        h(r.first_review_hours.median),
                        h(r.first_review_hours.p90),
                        r.without_review
                    )?;
                    writeln!(
                        out,
                        "  time to merge                 median {}, p90 {}",
                        h(r.merge_hours.median),
                        h(r.merge_hours.p90)
                    )?;
                    writeln!(
                        out,
                        "  merged {}, open {}, closed without merging {}",
                        r.merged, r.open, r.closed_unmerged
                    )?;
                }
            }
            Cmd::Save(a) => {
                let text = read_text(&a.file, "metrics report")?;
                let body: serde_json::Value = serde_json::from_str(&text).with_context(|| {
                    format!("{} is not JSON from `multiplier metrics`", a.file.display())
                })?;
                let source = a.file.display().to_string();
                let snapshot = block_on(async {
                    let (app, me) = globals.acting(&a.actor).await?;
                    Ok(app.save_snapshot(&me, a.opening, &source, &body).await?)
                })?;
                writeln!(
                    out,
                    "snapshot {} ({}) saved for opening {}",
                    snapshot.id, snapshot.kind, a.opening
                )?;
            }
            Cmd::History(a) => {
                let snaps = block_on(async {
                    let (app, me) = globals.acting(&a.actor).await?;
                    Ok(app.snapshots(&me, a.opening).await?)
                })?;
                if a.format == Format::Json {
                    output::json(&mut out, &snaps)?;
                } else if snaps.is_empty() {
                    writeln!(
                        out,
                        "no snapshots for opening {}; save one with `multiplier metrics save --opening {} FILE`",
                        a.opening, a.opening
                    )?;
                } else {
                    for s in &snaps {
                        let b: Baseline =
                            serde_json::from_value(s.body.clone()).unwrap_or_default();
                        let f = |v: Option<f64>, unit: &str| {
                            v.map_or_else(|| "—".to_string(), |v| format!("{v:.1}{unit}"))
                        };
                        writeln!(
                            out,
                            "{:>4}  {}  {:<8} deploys/week {:<6} lead time {:<9} failure rate {:<6} first review {}",
                            s.id,
                            s.created_at.to_string().get(..10).unwrap_or_default(),
                            s.kind,
                            f(b.deploys_per_week(), ""),
                            f(b.lead_time_median(), " h"),
                            f(b.failure_rate().map(|r| r * 100.0), "%"),
                            f(b.first_review_median(), " h")
                        )?;
                    }
                }
            }
            Cmd::Snapshot(a) => {
                let since = a
                    .since
                    .as_deref()
                    .map(|s| input::parse_time(s).map_err(|e| anyhow!("--since: {e}")))
                    .transpose()?;
                let snapshot = block_on(async {
                    let (app, me) = globals.acting(&a.actor).await?;
                    Ok(app
                        .take_snapshot(&me, a.opening, since, jiff::Timestamp::now())
                        .await?)
                })?;
                writeln!(
                    out,
                    "snapshot {} ({}) saved for opening {} from {}",
                    snapshot.id, snapshot.kind, a.opening, snapshot.source
                )?;
            }
            Cmd::Outcomes(a) => {
                let view = block_on(async {
                    let (app, me) = globals.acting(&a.actor).await?;
                    Ok(app.outcomes(&me, a.opening).await?)
                })?;
                if a.format == Format::Json {
                    output::json(&mut out, &view)?;
                    return Ok(Exit::Fine);
                }
                let key = style::KEY;
                writeln!(out, "{key}Delivery outcome{key:#}  {}", view.opening.title)?;
                if view.snapshots.is_empty() {
                    writeln!(
                        out,
                        "no snapshots yet; save one with `multiplier metrics save --opening {}` or `metrics snapshot`",
                        a.opening
                    )?;
                }
                for s in &view.snapshots {
                    let months = s
                        .months_elapsed
                        .map_or_else(String::new, |m| format!(", {m:.1} months in"));
                    writeln!(
                        out,
                        "  #{} {} {}{}{months}",
                        s.id,
                        s.measured_at.strftime("%Y-%m-%d"),
                        s.kind,
                        if s.baseline { " (baseline)" } else { "" }
                    )?;
                    for m in s.comparison.iter().flat_map(|c| &c.metrics) {
                        let (st, label) = match m.status {
                            delivery::Status::Met => (style::GOOD, "met"),
                            delivery::Status::OnTrack => (style::NOTE, "on track"),
                            delivery::Status::Missed => (style::BAD, "missed"),
                            delivery::Status::Unknown => (style::DIM, "unknown"),
                        };
                        writeln!(
                            out,
                            "      {:<22} {st}{label:<8}{st:#} {}",
                            m.metric, m.reason
                        )?;
                    }
                }
            }
            Cmd::Compare(a) => {
                let load = |p: &Path| -> Result<Baseline> {
                    Baseline::from_json(&read_text(p, "metrics report")?).with_context(|| {
                        format!(
                            "{} is not a metrics report (JSON from `multiplier metrics`)",
                            p.display()
                        )
                    })
                };
                let c = compare(
                    &load(&a.baseline)?,
                    &load(&a.later)?,
                    &fw.delivery.targets,
                    a.months,
                );
                if a.format == Format::Json {
                    output::json(&mut out, &c)?;
                } else {
                    let key = style::KEY;
                    let elapsed = c.months_elapsed.map_or_else(
                        || "unknown (judged as at the horizon)".to_string(),
                        |m| format!("{m:.1}"),
                    );
                    writeln!(
                        out,
                        "{key}Against the targets{key:#} (horizon {} months; months elapsed: {elapsed})",
                        c.horizon_months
                    )?;
                    for m in &c.metrics {
                        let (st, label) = match m.status {
                            delivery::Status::Met => (style::GOOD, "met"),
                            delivery::Status::OnTrack => (style::NOTE, "on track"),
                            delivery::Status::Missed => (style::BAD, "missed"),
                            delivery::Status::Unknown => (style::DIM, "unknown"),
                        };
                        let v =
                            |x: Option<f64>| x.map_or_else(|| "—".to_string(), |x| format!("{x}"));
                        writeln!(
                            out,
                            "  {:<22} {:>8} → {:<8} target {:<22} {st}{label:<8}{st:#} {}",
                            m.metric,
                            v(m.baseline),
                            v(m.later),
                            m.target,
                            m.reason
                        )?;
                    }
                }
                let missed = c
                    .metrics
                    .iter()
                    .any(|m| m.status == delivery::Status::Missed);
                return Ok(if missed { Exit::Problems } else { Exit::Fine });
            }
        }
        Ok(Exit::Fine)
    }
}

fn print_report(out: &mut Out, r: &DeliveryReport, format: Format, source: &str) -> Result<()> {
    if format == Format::Json {
        return output::json(out, r);
    }
    let (key, dim) = (style::KEY, style::DIM);
    let tier = |k: &str| {
        r.tiers
            .get(k)
            .map_or_else(String::new, |t| format!("{dim}DORA {t}{dim:#}"))
    };
    let h = |v: Option<f64>| v.map_or_else(|| "—".to_string(), |v| format!("{v:.1} h"));
    let w = &r.window;
    writeln!(out, "{key}Delivery{key:#}  {dim}{source}{dim:#}")?;
    writeln!(
        out,
        "  window         {} to {} (UTC, until exclusive; {:.1} weeks)",
        w.since.to_string().get(..10).unwrap_or_default(),
        w.until.to_string().get(..10).unwrap_or_default(),
        w.weeks
    )?;
    writeln!(
        out,
        "  deployments    {} ({} a week; median {} deployment days a week)   {}",
        r.deployments,
        r.deployments_per_week,
        r.deployment_days_per_week_median,
        tier("deployment_frequency")
    )?;
    writeln!(
        out,
        "  lead time      median {}, p90 {} over {} changes   {}",
        h(r.lead_time_hours.median),
        h(r.lead_time_hours.p90),
        r.changes,
        tier("lead_time")
    )?;
    writeln!(
        out,
        "  failure rate   {:.0}% ({} of {})   {}",
        r.change_failure_rate * 100.0,
        r.failed_deployments.len(),
        r.deployments,
        tier("change_failure_rate")
    )?;
    writeln!(
        out,
        "  time to restore median {}   {}",
        h(r.time_to_restore_hours.median),
        tier("time_to_restore")
    )?;
    for f in &r.failures {
        let restored = f.restore_hours.map_or_else(
            || "not restored yet".to_string(),
            |h| format!("restored after {h:.1} h"),
        );
        writeln!(out, "    {} failed: {}; {restored}", f.deployment, f.cause)?;
    }
    Ok(())
}
