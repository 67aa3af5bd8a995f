//! `multiplier audit`: who did what, when.

use crate::context::{Actor, Globals, block_on};
use crate::output::{self, Exit, Format, style};
use anyhow::{Result, anyhow};
use clap::{Args, Subcommand};
use multiplier_app::{MAX_LIMIT, PageRequest};
use multiplier_store::{AuditFilter, CandidateId};
use std::io::Write;

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  multiplier audit --as priya\n  multiplier audit --candidate 3 --as priya\n  multiplier audit --actor ana --action scorecard --format json --as priya\n  multiplier audit --since 2026-11-01 --limit 50 --as priya\n  multiplier audit verify                      check the hash chain (exit 1 when broken)\n\nThe audit log is for admins (hiring managers).",
    args_conflicts_with_subcommands = true
)]
pub struct Cmd {
    #[command(subcommand)]
    check: Option<Check>,
    #[arg(long)]
    candidate: Option<CandidateId>,
    /// Only what this person did.
    #[arg(long)]
    actor: Option<String>,
    /// Actions starting with this, e.g. `scorecard` or `decision.record`.
    #[arg(long)]
    action: Option<String>,
    /// From this date (YYYY-MM-DD, UTC) on.
    #[arg(long)]
    since: Option<jiff::civil::Date>,
    /// At most this many entries (the oldest that match); every one when left
    /// out. The log is read in pages of 200 either way.
    #[arg(long)]
    limit: Option<u32>,
    #[command(flatten)]
    who: Actor,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Debug, Subcommand)]
enum Check {
    /// Walk the audit log's hash chain: exit 0 when every entry is intact and in
    /// place, 1 naming the first entry that is not.
    #[command(
        after_help = "Examples:\n  multiplier audit verify\n  multiplier audit verify --format json --as priya\n\nEach entry holds the hash of the one before it and of its own fields, so an entry\nedited, removed or inserted in the database file breaks the chain there. Entries cut\noff the end leave no trace in the chain itself: keep the printed head hash elsewhere\n(with each backup, say) and compare. Runs as the local operator unless --as is given."
    )]
    Verify {
        #[command(flatten)]
        who: Actor,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

fn verify(globals: &Globals, who: &Actor, format: Format) -> Result<Exit> {
    let check = block_on(async {
        let (app, me) = globals.administering(who).await?;
        Ok(app.verify_audit(&me).await?)
    })?;
    let mut out = output::stdout();
    if format == Format::Json {
        output::json(&mut out, &check)?;
    } else {
        match &check.broken {
            None => writeln!(
                out,
                "the audit log is intact: {} entries, head {}",
                check.entries,
                if check.head.is_empty() {
                    "(empty log)"
                } else {
                    &check.head
                }
            )?,
            Some(b) => writeln!(
                out,
                "the audit log is broken at entry {}: {} ({} entries read up to it)",
                b.id, b.reason, check.entries
            )?,
        }
    }
    Ok(if check.broken.is_some() {
        Exit::Problems
    } else {
        Exit::Fine
    })
}

impl Cmd {
    pub fn run(self, globals: &Globals) -> Result<Exit> {
        if let Some(Check::Verify { who, format }) = &self.check {
            return verify(globals, who, *format);
        }
        let since = self
            .since
            .map(|d| {
                d.to_zoned_datetime(jiff::tz::TimeZone::UTC)
                    .map(|z| z.timestamp())
            })
            .transpose()
            .map_err(|e| anyhow!("--since: {e}"))?;
        let filter = AuditFilter {
            actor: self.actor,
            action: self.action,
            subject: self.candidate.map(|c| format!("candidate:{c}")),
            since,
            ..AuditFilter::default()
        };
        let wanted = self.limit.map(|n| n as usize);
        let entries = block_on(async {
            let (app, me) = globals.acting(&self.who).await?;
            // Page by page through the same use case as the API, oldest first,
            // until the last page or the limit.
            let mut entries = Vec::new();
            let mut page = PageRequest::first(MAX_LIMIT);
            loop {
                if let Some(n) = wanted {
                    let left = n.saturating_sub(entries.len());
                    if left == 0 {
                        break;
                    }
                    page.limit = Some(u32::try_from(left).unwrap_or(MAX_LIMIT).min(MAX_LIMIT));
                }
                let found = app.audit_page(&me, &filter, &page).await?;
                entries.extend(found.rows);
                match found.next {
                    Some(next) => page.cursor = Some(next),
                    None => break,
                }
            }
            Ok(entries)
        })?;
        let mut out = output::stdout();
        if self.format == Format::Json {
            output::json(&mut out, &entries)?;
        } else if entries.is_empty() {
            writeln!(out, "nothing recorded")?;
        } else {
            let (key, dim) = (style::KEY, style::DIM);
            writeln!(
                out,
                "{key}{:<20} {:<15} {:<20} {:<14} detail{key:#}",
                "when (UTC)", "who", "action", "subject"
            )?;
            for e in &entries {
                let at = e.at.to_string();
                writeln!(
                    out,
                    "{dim}{:<20}{dim:#} {:<15} {:<20} {:<14} {}",
                    at.get(..19).unwrap_or(&at).replace('T', " "),
                    e.actor,
                    e.action,
                    e.subject,
                    e.detail
                )?;
            }
        }
        Ok(Exit::Fine)
    }
}
