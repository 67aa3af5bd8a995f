//! `multiplier retention`: erase candidates' personal data once the
//! framework's retention period has passed.

use crate::context::{Actor, Globals, block_on};
use crate::output::{self, Exit, Format};
use anyhow::Result;
use clap::Subcommand;
use std::io::Write;

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Erase every candidate whose last record is older than the retention period.
    #[command(
        after_help = "Examples:\n  multiplier retention run\n  multiplier retention run --format json --as priya\n\nThe period is the framework's `[retention] months` (24 by default). `multiplier serve`\ndoes the same hourly. Each erasure is audited as `candidate.erase` by \"retention period\"\nwith the reason `retention`, never the data. Runs as the local operator unless --as\nis given."
    )]
    Run {
        #[command(flatten)]
        who: Actor,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

impl Cmd {
    pub fn run(self, globals: &Globals) -> Result<Exit> {
        let Cmd::Run { who, format } = self;
        let report = block_on(async {
            let (app, me) = globals.administering(&who).await?;
            Ok(app.apply_retention(&me, jiff::Timestamp::now()).await?)
        })?;
        let mut out = output::stdout();
        if format == Format::Json {
            output::json(&mut out, &report)?;
        } else if report.erased.is_empty() {
            writeln!(
                out,
                "nothing to erase: no candidate's last record is older than {} months",
                report.months
            )?;
        } else {
            let ids: Vec<String> = report.erased.iter().map(ToString::to_string).collect();
            writeln!(
                out,
                "erased {} candidate(s) past the {}-month retention period: {}",
                ids.len(),
                report.months,
                ids.join(", ")
            )?;
        }
        Ok(Exit::Fine)
    }
}
