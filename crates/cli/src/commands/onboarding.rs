//! `multiplier onboarding show|done|adr-template`: the dated 90-day plan.

use super::hiring::{Actor, candidate, open_store};
use crate::context::{Globals, block_on};
use crate::output::{self, Exit, Format, style, wrap};
use anyhow::{Context, Result, anyhow, bail};
use clap::Subcommand;
use multiplier_core::pipeline::plan;
use multiplier_store::{CandidateId, HiringStore, onboarding_progress, onboarding_start};
use std::io::Write;

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// The 90-day plan, dated from the accepted offer's start date, with what is done.
    #[command(
        after_help = "Examples:\n  multiplier onboarding show --candidate 3\n  multiplier onboarding show --candidate 3 --format json"
    )]
    Show {
        #[arg(long)]
        candidate: CandidateId,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Mark a milestone done.
    #[command(
        after_help = "Examples:\n  multiplier onboarding done --candidate 3 --step first-adr --note \"ADR-014: queue retries\" --as priya"
    )]
    Done {
        #[arg(long)]
        candidate: CandidateId,
        /// The step id (see `onboarding show`).
        #[arg(long)]
        step: String,
        #[arg(long, default_value = "")]
        note: String,
        #[command(flatten)]
        actor: Actor,
    },
    /// Print the ADR template for the month-2 decision record.
    AdrTemplate,
}

impl Cmd {
    pub fn run(self, globals: &Globals) -> Result<Exit> {
        let fw = globals.framework()?.framework;
        let mut out = output::stdout();
        match self {
            Cmd::AdrTemplate => out.write_all(fw.onboarding.adr_template.as_bytes())?,
            Cmd::Done {
                candidate: id,
                step,
                note,
                actor,
            } => {
                let name = actor.name()?;
                if !fw.onboarding.steps.iter().any(|s| s.id == step) {
                    let ids: Vec<&str> =
                        fw.onboarding.steps.iter().map(|s| s.id.as_str()).collect();
                    bail!(
                        "`{step}` is not an onboarding step; choose one of {}",
                        ids.join(", ")
                    );
                }
                block_on(async {
                    let store = open_store(globals).await?;
                    start_date(&store, id).await?;
                    store
                        .mark_step_done(&name, id, &step, note.trim())
                        .await
                        .context("cannot mark the step done")
                })??;
                writeln!(out, "`{step}` done for candidate {id}")?;
            }
            Cmd::Show {
                candidate: id,
                format,
            } => {
                let (start, done, name) = block_on(async {
                    let store = open_store(globals).await?;
                    let (c, _) = candidate(&store, id).await?;
                    let start = start_date(&store, id).await?;
                    anyhow::Ok((start, store.steps_done(id).await?, c.name))
                })??;
                let today = jiff::ZonedDateTime::now().date();
                let rows = onboarding_progress(plan(&fw, start), &done, today);
                if format == Format::Json {
                    output::json(
                        &mut out,
                        &serde_json::json!({ "candidate": id, "start": start, "steps": rows }),
                    )?;
                } else {
                    let (head, key, dim) = (style::HEAD, style::KEY, style::DIM);
                    writeln!(
                        out,
                        "{head}90-day plan for {name}{head:#}, starting {start}\n"
                    )?;
                    for r in &rows {
                        let (mark, st) = match (&r.done, r.overdue) {
                            (Some(_), _) => ("[x]", style::GOOD),
                            (None, true) => ("[!]", style::BAD),
                            (None, false) => ("[ ]", style::DIM),
                        };
                        writeln!(
                            out,
                            "{st}{mark}{st:#} {key}{}{key:#}  {} to {}  {}",
                            r.step.phase, r.step.starts, r.step.due, r.step.title
                        )?;
                        for t in &r.step.tasks {
                            writeln!(out, "      - {}", wrap(t, 8))?;
                        }
                        writeln!(
                            out,
                            "      {dim}milestone:{dim:#} {}",
                            wrap(&r.step.milestone, 17)
                        )?;
                        if let Some(d) = &r.done {
                            writeln!(
                                out,
                                "      {dim}done by {} on {}{}{dim:#}",
                                d.done_by,
                                d.at.to_string().get(..10).unwrap_or_default(),
                                if d.note.is_empty() {
                                    String::new()
                                } else {
                                    format!(": {}", d.note)
                                }
                            )?;
                        } else if r.overdue {
                            writeln!(out, "      {}overdue{:#}", style::BAD, style::BAD)?;
                        }
                    }
                    writeln!(
                        out,
                        "\n{dim}Mark a milestone with `multiplier onboarding done --candidate {id} --step ID`; the ADR template: `multiplier onboarding adr-template`.{dim:#}"
                    )?;
                }
            }
        }
        Ok(Exit::Fine)
    }
}

async fn start_date(store: &multiplier_store::Store, id: CandidateId) -> Result<jiff::civil::Date> {
    onboarding_start(&store.offers(id).await?)
        .ok_or_else(|| anyhow!("candidate {id} has no accepted offer yet; record one with `multiplier offer accept --candidate {id} --start YYYY-MM-DD`"))
}
