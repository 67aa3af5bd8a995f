//! `multiplier backup` and `multiplier restore`: a consistent copy of the
//! database while the server runs, and putting one back.

use crate::context::{Actor, Globals, block_on};
use crate::output::{self, Exit, Format};
use anyhow::Result;
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  multiplier backup /var/backups/multiplier-2026-11-30.db\n  multiplier --db /var/lib/multiplier/multiplier.db backup backup.db\n\nSafe while `multiplier serve` runs: the copy is one consistent moment of the\ndatabase. It is compact: free space is not copied, so data erased before the\nbackup is not in it. Erasures made after a backup are not undone in it: keep\nbackups no longer than the retention period. Put one back with `multiplier restore`.\nRuns as the local operator unless --as is given."
)]
pub struct BackupCmd {
    /// The file to write; it must not exist yet.
    out: PathBuf,
    #[command(flatten)]
    who: Actor,
}

impl BackupCmd {
    pub fn run(self, globals: &Globals) -> Result<Exit> {
        block_on(async {
            let (app, me) = globals.administering(&self.who).await?;
            Ok(app.backup(&me, &self.out).await?)
        })?;
        let bytes = std::fs::metadata(&self.out).map(|m| m.len()).unwrap_or(0);
        writeln!(
            output::stdout(),
            "backup written to {} ({bytes} bytes)",
            self.out.display()
        )?;
        Ok(Exit::Fine)
    }
}

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  multiplier --db restored.db restore backup.db\n  multiplier --db /var/lib/multiplier/multiplier.db restore backup.db --replace\n\nStop `multiplier serve` first. The backup is checked (SQLite's integrity check, and\nthat it is a multiplier database) before anything is written; the database named by\n--db is then written from it, brought up to date, and its audit log verified. An\nexisting database is only replaced with --replace. Exit 1 when the restored audit\nlog does not verify."
)]
pub struct RestoreCmd {
    /// The backup file made by `multiplier backup`.
    backup: PathBuf,
    /// Overwrite the database named by --db when it exists.
    #[arg(long)]
    replace: bool,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

impl RestoreCmd {
    pub fn run(self, globals: &Globals) -> Result<Exit> {
        let report = block_on(async {
            Ok(multiplier_app::restore(&self.backup, &globals.db, self.replace).await?)
        })?;
        let mut out = output::stdout();
        if self.format == Format::Json {
            output::json(&mut out, &report)?;
        } else {
            writeln!(
                out,
                "restored {} from {}; audit log: {} entries, {}",
                report.database,
                self.backup.display(),
                report.audit.entries,
                match &report.audit.broken {
                    None => "intact".to_string(),
                    Some(b) => format!("broken at entry {} ({})", b.id, b.reason),
                }
            )?;
        }
        Ok(if report.audit.broken.is_some() {
            Exit::Problems
        } else {
            Exit::Fine
        })
    }
}
