//! `multiplier onboarding show|done|adr-template`: the dated 90-day plan.

use crate::context::{Actor, Globals, block_on};
use crate::output::{self, Exit, Format, style, wrap};
use anyhow::Result;
use clap::Subcommand;
use multiplier_store::CandidateId;
use std::io::Write;

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// The 90-day plan, dated from the accepted offer's start date, with what is done.
    #[command(
        after_help = "Examples:\n  multiplier onboarding show --candidate 3 --as priya\n  multiplier onboarding show --candidate 3 --format json --as priya"
    )]
    Show {
        #[arg(long)]
        candidate: CandidateId,
        #[command(flatten)]
        actor: Actor,
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
        let mut out = output::stdout();
        match self {
            Cmd::AdrTemplate => {
                let fw = globals.framework()?.framework;
                out.write_all(fw.onboarding.adr_template.as_bytes())?;
            }
            Cmd::Done {
                candidate: id,
                step,
                note,
                actor,
            } => {
                block_on(async {
                    let (app, me) = globals.acting(&actor).await?;
                    Ok(app.mark_step_done(&me, id, &step, &note).await?)
                })?;
                writeln!(out, "`{}` done for candidate {id}", step.trim())?;
            }
            Cmd::Show {
                candidate: id,
                actor,
                format,
            } => {
                let plan = block_on(async {
                    let (app, me) = globals.acting(&actor).await?;
                    Ok(app.onboarding(&me, id).await?)
                })?;
                if format == Format::Json {
                    output::json(&mut out, &plan)?;
                    return Ok(Exit::Fine);
                }
                let (head, key, dim) = (style::HEAD, style::KEY, style::DIM);
                writeln!(
                    out,
                    "{head}90-day plan for candidate {id}{head:#}, starting {}\n",
                    plan.start
                )?;
                for r in &plan.steps {
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
        Ok(Exit::Fine)
    }
}
