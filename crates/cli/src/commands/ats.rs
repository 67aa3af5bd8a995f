//! The ATS commands around the loop (issue 17): `candidate status|note|notes|import`
//! and `opening close|reopen|archive`. Each calls one use case.

use crate::context::{Actor, Globals, block_on};
use crate::output::{self, Exit, Format, style};
use anyhow::{Context, Result};
use clap::Args;
use multiplier_app::{ImportReport, RowOutcome, StatusInput};
use multiplier_store::{CandidateId, OpeningId};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct StatusArgs {
    id: CandidateId,
    /// active, on-hold, rejected, withdrawn or hired.
    status: String,
    /// To reject: a reason id from the framework (`multiplier framework show`
    /// lists them); with another status, an optional short note.
    #[arg(long)]
    reason: Option<String>,
    #[command(flatten)]
    actor: Actor,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

pub fn status(args: StatusArgs, globals: &Globals) -> Result<Exit> {
    let mut out = output::stdout();
    let input = StatusInput {
        status: args.status,
        reason: args.reason,
    };
    let record = block_on(async {
        let (app, me) = globals.acting(&args.actor).await?;
        Ok(app.set_status(&me, args.id, &input).await?)
    })?;
    match args.format {
        Format::Json => output::json(&mut out, &record)?,
        Format::Text => writeln!(
            out,
            "candidate {} is now {}{}",
            record.id,
            record.status,
            record
                .status_reason
                .as_deref()
                .map_or_else(String::new, |r| format!(" ({r})"))
        )?,
    }
    Ok(Exit::Fine)
}

#[derive(Debug, Args)]
pub struct NoteArgs {
    id: CandidateId,
    /// The note's text.
    text: String,
    #[command(flatten)]
    actor: Actor,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

pub fn note(args: NoteArgs, globals: &Globals) -> Result<Exit> {
    let mut out = output::stdout();
    let note = block_on(async {
        let (app, me) = globals.acting(&args.actor).await?;
        Ok(app.add_note(&me, args.id, &args.text).await?)
    })?;
    match args.format {
        Format::Json => output::json(&mut out, &note)?,
        Format::Text => writeln!(out, "note {} added to candidate {}", note.id, args.id)?,
    }
    Ok(Exit::Fine)
}

#[derive(Debug, Args)]
pub struct NotesArgs {
    id: CandidateId,
    #[command(flatten)]
    actor: Actor,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

pub fn notes(args: NotesArgs, globals: &Globals) -> Result<Exit> {
    let mut out = output::stdout();
    let (notes, hidden) = block_on(async {
        let (app, me) = globals.acting(&args.actor).await?;
        Ok(app.notes(&me, args.id).await?)
    })?;
    match args.format {
        Format::Json => output::json(
            &mut out,
            &serde_json::json!({ "notes": notes, "hidden": hidden }),
        )?,
        Format::Text => {
            let dim = style::DIM;
            if notes.is_empty() {
                writeln!(out, "no notes you may read")?;
            }
            for n in &notes {
                writeln!(
                    out,
                    "{dim}{} · {}{dim:#}\n  {}",
                    n.created_at.strftime("%Y-%m-%d %H:%M"),
                    n.author,
                    n.body
                )?;
            }
            if hidden > 0 {
                writeln!(
                    out,
                    "{hidden} note(s) by others stay hidden until your scorecard is in"
                )?;
            }
        }
    }
    Ok(Exit::Fine)
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The CSV file: our headers (name, email, links) or a Greenhouse or Lever export.
    file: PathBuf,
    #[arg(long)]
    opening: OpeningId,
    /// Report what would happen, writing nothing.
    #[arg(long)]
    dry_run: bool,
    #[command(flatten)]
    actor: Actor,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

pub fn import(args: ImportArgs, globals: &Globals) -> Result<Exit> {
    let mut out = output::stdout();
    let bytes = std::fs::read(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let report = block_on(async {
        let (app, me) = globals.acting(&args.actor).await?;
        Ok(app
            .import_candidates(&me, args.opening, &bytes, args.dry_run)
            .await?)
    })?;
    match args.format {
        Format::Json => output::json(&mut out, &report)?,
        Format::Text => print_import(&mut out, &report)?,
    }
    Ok(Exit::Fine)
}

fn print_import(out: &mut output::Out, r: &ImportReport) -> Result<()> {
    let (key, dim) = (style::KEY, style::DIM);
    let columns: Vec<String> = r
        .columns
        .iter()
        .map(|(field, column)| format!("{field} ← \"{column}\""))
        .collect();
    writeln!(out, "{dim}columns: {}{dim:#}", columns.join(", "))?;
    for row in &r.rows {
        let what = match &row.outcome {
            RowOutcome::Created {
                candidate: Some(id),
            } => format!("created (candidate {id})"),
            RowOutcome::Created { candidate: None } => "would be created".to_string(),
            RowOutcome::Duplicate {
                candidate: Some(id),
            } => {
                format!("duplicate of candidate {id}")
            }
            RowOutcome::Duplicate { candidate: None } => "duplicate of an earlier row".to_string(),
            RowOutcome::Invalid { reason } => format!("invalid: {reason}"),
        };
        writeln!(
            out,
            "line {:>4}  {:<28} {:<32} {what}",
            row.line, row.name, row.email
        )?;
    }
    let verb = if r.dry_run { "would create" } else { "created" };
    writeln!(
        out,
        "{key}{verb} {}, {} duplicate(s), {} invalid{key:#}{}",
        r.created,
        r.duplicates,
        r.invalid,
        if r.dry_run {
            " — a dry run: nothing was written"
        } else {
            ""
        }
    )?;
    Ok(())
}

#[derive(Debug, Args)]
pub struct OpeningStatusArgs {
    id: OpeningId,
    #[command(flatten)]
    actor: Actor,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

/// What to do to an opening.
#[derive(Debug, Clone, Copy)]
pub enum OpeningChange {
    Close,
    Reopen,
    Archive,
}

pub fn opening_status(
    change: OpeningChange,
    args: OpeningStatusArgs,
    globals: &Globals,
) -> Result<Exit> {
    let mut out = output::stdout();
    let opening = block_on(async {
        let (app, me) = globals.acting(&args.actor).await?;
        Ok(match change {
            OpeningChange::Close => app.close_opening(&me, args.id).await?,
            OpeningChange::Reopen => app.reopen_opening(&me, args.id).await?,
            OpeningChange::Archive => app.archive_opening(&me, args.id).await?,
        })
    })?;
    match args.format {
        Format::Json => output::json(&mut out, &opening)?,
        Format::Text => writeln!(
            out,
            "opening {} \"{}\" is now {}",
            opening.id, opening.title, opening.status
        )?,
    }
    Ok(Exit::Fine)
}
