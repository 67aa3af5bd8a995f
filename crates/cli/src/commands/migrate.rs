//! `multiplier migrate`: copy a SQLite database into an empty PostgreSQL one.

use crate::context::block_on;
use crate::output::{self, Exit, Format};
use anyhow::Result;
use clap::Args;
use std::io::Write;

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  multiplier migrate --from sqlite:/var/lib/multiplier/multiplier.db --to postgres://multiplier:PASSWORD@db.internal/multiplier\n  multiplier migrate --from multiplier.db --to postgres://multiplier@localhost/multiplier --format json\n\n\
Stop every `multiplier serve` first. Both databases are brought up to date; every\n\
table is then copied from one snapshot of the SQLite file into the PostgreSQL\n\
database in one transaction, ids kept, and the row counts of every table compared\n\
before it commits. The search index is rebuilt on PostgreSQL as rows arrive. The\n\
target must be empty: a database holding any row is refused, so a second run\n\
never writes over the first. The audit chain is then walked on the target; exit 1\n\
when it does not verify or does not end at the source's last entry. Progress\n\
goes to standard error, one line per table. Runs as the local operator."
)]
pub struct Cmd {
    /// The SQLite database to copy: sqlite:PATH or a file path.
    #[arg(long, value_name = "sqlite:PATH")]
    from: String,
    /// The empty PostgreSQL database to fill: postgres://USER:PASSWORD@HOST/DATABASE.
    #[arg(long, value_name = "postgres://…")]
    to: String,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

impl Cmd {
    pub fn run(self) -> Result<Exit> {
        let report = block_on(async {
            Ok(multiplier_app::migrate(&self.from, &self.to, |t| {
                eprintln!("copied {:>8} rows of {}", t.rows, t.table);
            })
            .await?)
        })?;
        let mut out = output::stdout();
        if self.format == Format::Json {
            output::json(
                &mut out,
                &serde_json::json!({
                    "from": self.from,
                    "to": multiplier_store::redact(&self.to),
                    "tables": report.tables,
                    "skipped": report.skipped,
                    "rows": report.rows(),
                    "source_head": report.source_head,
                    "audit": report.audit,
                    "verified": report.verified(),
                }),
            )?;
        } else {
            for s in &report.skipped {
                writeln!(out, "not copied: {} ({})", s.table, s.why)?;
            }
            writeln!(
                out,
                "copied {} rows in {} tables from {} to {}; row counts equal in every table",
                report.rows(),
                report.tables.len(),
                self.from,
                multiplier_store::redact(&self.to)
            )?;
            let audit = &report.audit;
            let verdict = match &audit.broken {
                Some(b) => format!(
                    "broken at entry {} ({}); it was copied as the source holds it: run `multiplier audit verify` on the source",
                    b.id, b.reason
                ),
                None if audit.head != report.source_head => format!(
                    "intact but ends at {} where the source ends at {}",
                    short(&audit.head),
                    short(&report.source_head)
                ),
                None => format!("intact, ending at {}", short(&audit.head)),
            };
            writeln!(
                out,
                "audit log on the target: {} entries, {verdict}",
                audit.entries
            )?;
        }
        Ok(if report.verified() {
            Exit::Fine
        } else {
            Exit::Problems
        })
    }
}

/// The first characters of a hash, enough to compare by eye.
fn short(hash: &str) -> &str {
    if hash.is_empty() {
        "(no entry)"
    } else {
        hash.get(..16).unwrap_or(hash)
    }
}
