//! `multiplier demo seed`: generated hiring data at scale, for trying the product
//! with thousands of candidates and for the benches.

use crate::context::Globals;
use crate::output::{self, Exit, Format};
use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use multiplier_app::Actor;
use multiplier_app::seed::SeedPlan;
use std::io::{IsTerminal, Write};
use std::time::Instant;

/// Interviewers added next to the demo's three, so each stage has a panel.
const MORE_INTERVIEWERS: [&str; 8] = [
    "lena", "omar", "kofi", "ines", "yuki", "pavel", "sara", "noah",
];

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Generate openings and candidates at every stage with scorecards, references, evidence, decisions and offers.
    #[command(
        after_help = "Examples:\n  multiplier demo seed --candidates 10000 --db /tmp/big.db\n  multiplier demo seed --candidates 50 --openings 2 --db demo.db --format json\n\n\
The database must be empty (a new file is): generated people must not mix with real\n\
ones. --force adds the generated data to a database that already holds some.\n\
The demo accounts (priya, admin; marco, aisha, tom and eight more interviewers) get\n\
one random password, printed once on standard error. Progress goes to standard error.\n\
Candidates are written in batches of 500, one transaction and one audit entry\n\
(`demo.seed`) per batch."
    )]
    Seed(SeedArgs),
}

#[derive(Debug, Args)]
pub struct SeedArgs {
    /// How many candidates to generate, spread evenly over the openings.
    #[arg(long, value_name = "N")]
    candidates: usize,
    /// How many openings (each with its own role).
    #[arg(long, value_name = "M", default_value_t = 20)]
    openings: usize,
    /// The generator's seed: the same numbers give the same data.
    #[arg(long, default_value_t = 14)]
    seed: u64,
    /// Add to a database that already holds accounts, roles, openings or candidates.
    #[arg(long)]
    force: bool,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

impl Cmd {
    pub fn run(self, globals: &Globals) -> Result<Exit> {
        let Cmd::Seed(a) = self;
        if a.openings == 0 {
            bail!("--openings must be at least 1");
        }
        if a.openings > 1000 {
            bail!("--openings is at most 1000");
        }
        if a.candidates > 1_000_000 {
            bail!("--candidates is at most 1,000,000");
        }
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .context("cannot start the async runtime")?;
        runtime.block_on(async {
            let app = globals.app().await?;
            if !app.database_is_empty().await? && !a.force {
                bail!(
                    "the database {} already holds accounts, roles, openings or candidates; seed a new file (--db new.db), or pass --force to add the generated data to it",
                    multiplier_store::redact(&globals.db)
                );
            }
            let started = Instant::now();
            let password = if app.account(multiplier_web::demo::ADMIN).await?.is_none() {
                Some(
                    multiplier_web::demo::add_accounts(&app, &MORE_INTERVIEWERS)
                        .await
                        .context("cannot create the demo accounts")?,
                )
            } else {
                None
            };
            let interviewers: Vec<String> = multiplier_web::demo::INTERVIEWERS
                .iter()
                .chain(MORE_INTERVIEWERS.iter())
                .map(|s| s.to_string())
                .collect();
            let plan = SeedPlan {
                candidates: a.candidates,
                openings: a.openings,
                manager: multiplier_web::demo::ADMIN.to_string(),
                interviewers,
                seed: a.seed,
            };
            let total = a.candidates;
            let tty = std::io::stderr().is_terminal();
            let mut last = Instant::now();
            let mut progress = move |done: usize| {
                // One line per batch when piped; a line redrawn in place on a terminal.
                if tty {
                    eprint!("\rseeding: {done} of {total} candidates");
                    if done == total {
                        eprintln!();
                    }
                } else if done == total || last.elapsed().as_secs() >= 1 {
                    eprintln!("seeding: {done} of {total} candidates");
                    last = Instant::now();
                }
            };
            let report = app
                .seed_demo(&Actor::Operator, &plan, &mut progress)
                .await
                .context("cannot seed the generated data")?;
            app.store().close().await?;
            let seconds = started.elapsed().as_secs_f64();
            let mut out = output::stdout();
            if a.format == Format::Json {
                output::json(
                    &mut out,
                    &serde_json::json!({
                        "openings": report.openings,
                        "counts": report.counts,
                        "seconds": (seconds * 100.0).round() / 100.0,
                    }),
                )?;
            } else {
                let c = report.counts;
                writeln!(
                    out,
                    "Seeded {} openings with {} candidates, {} assignments, {} scorecards, {} references, {} evidence, {} decisions and {} offers in {seconds:.1} s.",
                    report.openings.len(),
                    c.candidates,
                    c.assignments,
                    c.scorecards,
                    c.references,
                    c.evidence,
                    c.decisions,
                    c.offers
                )?;
            }
            match password {
                Some(p) => {
                    let names: Vec<&str> = multiplier_web::demo::INTERVIEWERS
                        .iter()
                        .chain(MORE_INTERVIEWERS.iter())
                        .copied()
                        .collect();
                    eprintln!("{}", multiplier_web::demo::password_notice(&p, &names));
                }
                None => eprintln!(
                    "The demo accounts were already there; sign in with their password (or set a new one with `multiplier user password {}`).",
                    multiplier_web::demo::ADMIN
                ),
            }
            anyhow::Ok(())
        })?;
        Ok(Exit::Fine)
    }
}
