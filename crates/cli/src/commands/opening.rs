//! `multiplier opening new|list|show`: an opening is a stored role being hired for.

use super::hiring::{Actor, open_store};
use crate::context::{Globals, block_on};
use crate::output::{self, Exit, Format, style};
use anyhow::{Context, Result, anyhow};
use clap::{Args, Subcommand};
use multiplier_store::{HiringStore, OpeningId, RoleId, RoleStore};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Open a stored role for hiring.
    #[command(
        after_help = "Examples:\n  multiplier opening new --role 1 --manager priya --as priya\n  multiplier opening new --role 1 --title \"Tech Lead, Payments (Berlin)\" --manager priya"
    )]
    New(NewArgs),
    /// List openings with their candidate counts.
    List(ListArgs),
    /// The pipeline board of an opening: the stages as columns, candidates in them.
    #[command(
        after_help = "Examples:\n  multiplier opening show 1\n  multiplier opening show 1 --format json"
    )]
    Show(ShowArgs),
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The role, from `multiplier role list`.
    #[arg(long)]
    role: RoleId,
    /// Defaults to the role's title.
    #[arg(long)]
    title: Option<String>,
    /// The hiring manager who owns the loop and records the decision.
    #[arg(long)]
    manager: String,
    #[command(flatten)]
    actor: Actor,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    id: OpeningId,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Serialize)]
struct Column {
    stage: String,
    name: String,
    candidates: Vec<Card>,
}

#[derive(Serialize)]
struct Card {
    id: i64,
    name: String,
    internal: bool,
}

impl Cmd {
    pub fn run(self, globals: &Globals) -> Result<Exit> {
        let fw = globals.framework()?.framework;
        let mut out = output::stdout();
        let (key, dim) = (style::KEY, style::DIM);
        match self {
            Cmd::New(args) => {
                let actor = args.actor.name()?;
                let id = block_on(async {
                    let store = open_store(globals).await?;
                    let role = store.role(args.role).await?.ok_or_else(|| {
                        anyhow!(
                            "there is no role {} (see `multiplier role list`)",
                            args.role
                        )
                    })?;
                    let title = args.title.clone().unwrap_or(role.title);
                    store
                        .add_opening(&actor, args.role, &title, args.manager.trim())
                        .await
                        .context("cannot open the opening")
                })??;
                match args.format {
                    Format::Json => output::json(&mut out, &serde_json::json!({ "id": id }))?,
                    Format::Text => writeln!(
                        out,
                        "opening {id} is open; add candidates with `multiplier candidate add --opening {id} --name NAME`"
                    )?,
                }
            }
            Cmd::List(args) => {
                let (openings, candidates) = block_on(async {
                    let store = open_store(globals).await?;
                    anyhow::Ok((store.openings().await?, store.candidates(None).await?))
                })??;
                let mut counts: BTreeMap<i64, usize> = BTreeMap::new();
                for c in &candidates {
                    *counts.entry(c.opening.0).or_default() += 1;
                }
                if args.format == Format::Json {
                    let rows: Vec<_> = openings
                        .iter()
                        .map(|o| serde_json::json!({ "id": o.id, "role": o.role, "title": o.title, "manager": o.manager, "status": o.status, "candidates": counts.get(&o.id.0).copied().unwrap_or(0), "created_at": o.created_at.to_string() }))
                        .collect();
                    output::json(&mut out, &rows)?;
                } else if openings.is_empty() {
                    writeln!(
                        out,
                        "no openings yet; open one with `multiplier opening new --role ID --manager NAME`"
                    )?;
                } else {
                    writeln!(
                        out,
                        "{key}{:>4}  {:<36} {:<14} {:>10}  status{key:#}",
                        "id", "title", "manager", "candidates"
                    )?;
                    for o in &openings {
                        writeln!(
                            out,
                            "{:>4}  {:<36} {:<14} {:>10}  {}",
                            o.id,
                            o.title,
                            o.manager,
                            counts.get(&o.id.0).copied().unwrap_or(0),
                            o.status
                        )?;
                    }
                }
            }
            Cmd::Show(args) => {
                let (opening, candidates) = block_on(async {
                    let store = open_store(globals).await?;
                    let o = store.opening(args.id).await?.ok_or_else(|| {
                        anyhow!(
                            "there is no opening {} (see `multiplier opening list`)",
                            args.id
                        )
                    })?;
                    let cs = store.candidates(Some(args.id)).await?;
                    anyhow::Ok((o, cs))
                })??;
                let columns: Vec<Column> =
                    multiplier_core::pipeline::board(&fw, &candidates, |c| c.stage.as_str())
                        .into_iter()
                        .map(|col| Column {
                            stage: col.stage,
                            name: col.name,
                            candidates: col
                                .items
                                .into_iter()
                                .map(|c| Card {
                                    id: c.id.0,
                                    name: c.name.clone(),
                                    internal: c.internal,
                                })
                                .collect(),
                        })
                        .collect();
                if args.format == Format::Json {
                    output::json(
                        &mut out,
                        &serde_json::json!({ "opening": opening, "columns": columns }),
                    )?;
                } else {
                    writeln!(
                        out,
                        "{key}{}{key:#}  {dim}(opening {}, role {}, hiring manager {}){dim:#}\n",
                        opening.title, opening.id, opening.role, opening.manager
                    )?;
                    for col in &columns {
                        let names: Vec<String> = col
                            .candidates
                            .iter()
                            .map(|c| {
                                format!(
                                    "#{} {}{}",
                                    c.id,
                                    c.name,
                                    if c.internal { " (internal)" } else { "" }
                                )
                            })
                            .collect();
                        let list = if names.is_empty() {
                            format!("{dim}—{dim:#}")
                        } else {
                            names.join(", ")
                        };
                        writeln!(out, "  {key}{:<24}{key:#} {list}", col.name)?;
                    }
                }
            }
        }
        Ok(Exit::Fine)
    }
}
