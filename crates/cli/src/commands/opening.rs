//! `multiplier opening new|list|show`: an opening is a stored role being hired for.

use crate::context::{Actor, Globals, block_on};
use crate::output::{self, Exit, Format, style};
use anyhow::Result;
use clap::{Args, Subcommand};
use multiplier_store::{CandidateId, OpeningId, RoleId};
use serde::Serialize;
use std::collections::BTreeSet;
use std::io::Write;

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Open a stored role for hiring.
    #[command(
        after_help = "Examples:\n  multiplier opening new --role 1 --as priya\n  multiplier opening new --role 1 --title \"Tech Lead, Payments (Berlin)\" --manager marco --as priya"
    )]
    New(NewArgs),
    /// List openings with the number of their candidates you may see.
    List(ListArgs),
    /// The pipeline board of an opening: the stages as columns, candidates in them.
    #[command(
        after_help = "Examples:\n  multiplier opening show 1 --as priya\n  multiplier opening show 1 --format json --as ana"
    )]
    Show(ShowArgs),
    /// Close an opening: it takes no new candidates or applications and leaves the careers page.
    #[command(after_help = "Examples:\n  multiplier opening close 1 --as priya")]
    Close(super::ats::OpeningStatusArgs),
    /// Open a closed or archived opening again.
    #[command(after_help = "Examples:\n  multiplier opening reopen 1 --as priya")]
    Reopen(super::ats::OpeningStatusArgs),
    /// Archive an opening: closed, and left out of `opening list` (see --archived).
    #[command(
        after_help = "Examples:\n  multiplier opening archive 1 --as priya\n  multiplier opening list --archived --as priya"
    )]
    Archive(super::ats::OpeningStatusArgs),
    /// Name the repository the opening's delivery snapshots are read from.
    #[command(
        after_help = "Examples:\n  multiplier opening set-repo 1 /srv/git/payments.git --deploy-tags 'v*' --as priya\n  multiplier opening set-repo 1 ../api --deploy-branch production --as priya\n  multiplier opening set-repo 1 --clear --as priya\n\nThe path is read on the machine that takes the snapshot (`multiplier metrics snapshot`,\nor the server's \"Take a snapshot now\"). Needs an admin account."
    )]
    SetRepo(SetRepoArgs),
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("mode").args(["deploy_tags", "deploy_branch", "clear"]).required(true)))]
pub struct SetRepoArgs {
    id: OpeningId,
    /// The repository (a working tree or a bare repository).
    #[arg(required_unless_present = "clear")]
    path: Option<String>,
    /// Deployments are tags matching this glob, e.g. 'v*'.
    #[arg(long, value_name = "GLOB")]
    deploy_tags: Option<String>,
    /// Deployments are the first-parent commits of this branch.
    #[arg(long, value_name = "BRANCH")]
    deploy_branch: Option<String>,
    /// Forget the opening's repository.
    #[arg(long, conflicts_with = "path")]
    clear: bool,
    #[command(flatten)]
    actor: Actor,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The role, from `multiplier role list`.
    #[arg(long)]
    role: RoleId,
    /// Defaults to the role's title.
    #[arg(long)]
    title: Option<String>,
    /// The hiring manager who owns the loop (an existing account; default: you).
    #[arg(long)]
    manager: Option<String>,
    #[command(flatten)]
    actor: Actor,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Include archived openings.
    #[arg(long)]
    archived: bool,
    /// Rows per page, 1–200.
    #[arg(long, default_value_t = multiplier_app::DEFAULT_LIMIT)]
    limit: u32,
    /// Where the page starts: the cursor printed after the previous page.
    #[arg(long)]
    cursor: Option<String>,
    #[command(flatten)]
    actor: Actor,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    id: OpeningId,
    /// By status: current (active and on hold, the default), ended (rejected, withdrawn, hired) or all.
    #[arg(long, default_value = "current")]
    show: multiplier_app::Shown,
    /// Cards per stage, 1–200.
    #[arg(long, default_value_t = multiplier_app::DEFAULT_LIMIT)]
    limit: u32,
    /// Move this stage's column on to the page `--cursor` names.
    #[arg(long, value_name = "STAGE", requires = "cursor")]
    stage: Option<String>,
    /// Where the stage's page starts: the cursor printed after its column.
    #[arg(long)]
    cursor: Option<String>,
    #[command(flatten)]
    actor: Actor,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

/// One column of `opening show --format json` (documented in docs/cli.md).
#[derive(Serialize)]
struct Column<'a> {
    stage: &'a str,
    name: &'a str,
    /// Every candidate at this stage the viewer may see.
    count: u64,
    /// One page of them.
    candidates: Vec<Card<'a>>,
    /// Pass as `--stage STAGE --cursor NEXT` for the column's next page.
    next: Option<&'a str>,
}

#[derive(Serialize)]
struct Card<'a> {
    id: CandidateId,
    name: &'a str,
    internal: bool,
    /// Scorecards in: one per interviewer and stage.
    scorecards: usize,
    /// Red flags raised; `None` while the blind rule hides them from you.
    red_flags: Option<&'a BTreeSet<String>>,
    blind: Option<&'a str>,
}

impl Cmd {
    pub fn run(self, globals: &Globals) -> Result<Exit> {
        let mut out = output::stdout();
        let (key, dim) = (style::KEY, style::DIM);
        match self {
            Cmd::SetRepo(a) => {
                let setting = match (a.path, a.deploy_tags, a.deploy_branch) {
                    (Some(path), Some(glob), _) => Some(multiplier_store::RepoSetting {
                        path,
                        deploy: multiplier_store::DeployRule::Tags(glob),
                    }),
                    (Some(path), None, Some(branch)) => Some(multiplier_store::RepoSetting {
                        path,
                        deploy: multiplier_store::DeployRule::Branch(branch),
                    }),
                    _ => None,
                };
                let record = block_on(async {
                    let (app, me) = globals.acting(&a.actor).await?;
                    Ok(app.set_repository(&me, a.id, setting.as_ref()).await?)
                })?;
                match record {
                    Some(r) => writeln!(
                        out,
                        "opening {} reads its snapshots from {} ({})",
                        a.id,
                        r.setting.path,
                        match &r.setting.deploy {
                            multiplier_store::DeployRule::Tags(g) =>
                                format!("deployments: tags {g}"),
                            multiplier_store::DeployRule::Branch(b) =>
                                format!("deployments: branch {b}"),
                        }
                    )?,
                    None => writeln!(out, "opening {} has no repository now", a.id)?,
                }
            }
            Cmd::Close(args) => {
                return super::ats::opening_status(super::ats::OpeningChange::Close, args, globals);
            }
            Cmd::Reopen(args) => {
                return super::ats::opening_status(
                    super::ats::OpeningChange::Reopen,
                    args,
                    globals,
                );
            }
            Cmd::Archive(args) => {
                return super::ats::opening_status(
                    super::ats::OpeningChange::Archive,
                    args,
                    globals,
                );
            }
            Cmd::New(args) => {
                let id = block_on(async {
                    let (app, me) = globals.acting(&args.actor).await?;
                    Ok(app
                        .open_opening(
                            &me,
                            args.role,
                            args.title.as_deref(),
                            args.manager.as_deref(),
                        )
                        .await?)
                })?;
                match args.format {
                    Format::Json => output::json(&mut out, &serde_json::json!({ "id": id }))?,
                    Format::Text => writeln!(
                        out,
                        "opening {id} is open; add candidates with `multiplier candidate add --opening {id} --name NAME`"
                    )?,
                }
            }
            Cmd::List(args) => {
                let openings = block_on(async {
                    let (app, me) = globals.acting(&args.actor).await?;
                    let page = multiplier_app::PageRequest {
                        limit: Some(args.limit),
                        cursor: args.cursor,
                    };
                    Ok(app.openings_page(&me, &page, args.archived).await?)
                })?;
                let next = openings.next;
                let openings = openings.rows;
                if args.format == Format::Json {
                    let rows: Vec<_> = openings
                        .iter()
                        .map(|s| {
                            let o = &s.opening;
                            serde_json::json!({ "id": o.id, "role": o.role, "title": o.title, "manager": o.manager, "status": o.status, "candidates": s.candidates, "created_at": o.created_at.to_string() })
                        })
                        .collect();
                    output::json(
                        &mut out,
                        &serde_json::json!({ "items": rows, "next": next }),
                    )?;
                } else if openings.is_empty() {
                    writeln!(
                        out,
                        "no openings yet; open one with `multiplier opening new --role ID`"
                    )?;
                } else {
                    writeln!(
                        out,
                        "{key}{:>4}  {:<36} {:<14} {:>10}  status{key:#}",
                        "id", "title", "manager", "candidates"
                    )?;
                    for s in &openings {
                        let o = &s.opening;
                        writeln!(
                            out,
                            "{:>4}  {:<36} {:<14} {:>10}  {}",
                            o.id, o.title, o.manager, s.candidates, o.status
                        )?;
                    }
                    if let Some(next) = &next {
                        writeln!(out, "next page: --cursor {next}")?;
                    }
                }
            }
            Cmd::Show(args) => {
                let board = block_on(async {
                    let (app, me) = globals.acting(&args.actor).await?;
                    let request = multiplier_app::BoardRequest {
                        stage: args.stage,
                        page: multiplier_app::PageRequest {
                            limit: Some(args.limit),
                            cursor: args.cursor,
                        },
                        shown: args.show,
                    };
                    Ok(app.board_page(&me, args.id, &request).await?)
                })?;
                let opening = &board.opening;
                let columns: Vec<Column> = board
                    .columns
                    .iter()
                    .map(|col| Column {
                        stage: &col.stage,
                        name: &col.name,
                        count: col.count,
                        next: col.next.as_deref(),
                        candidates: col
                            .items
                            .iter()
                            .map(|c| Card {
                                id: c.candidate.id,
                                name: &c.candidate.name,
                                internal: c.candidate.internal,
                                scorecards: c.scorecards,
                                red_flags: c.red_flags.as_ref(),
                                blind: c.blind.as_deref(),
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
                        writeln!(
                            out,
                            "  {key}{:<24}{key:#} {dim}({}){dim:#} {list}",
                            col.name, col.count
                        )?;
                        if let Some(next) = col.next {
                            writeln!(
                                out,
                                "  {:<24} {dim}more: --stage {} --cursor {next}{dim:#}",
                                "", col.stage
                            )?;
                        }
                    }
                }
            }
        }
        Ok(Exit::Fine)
    }
}
