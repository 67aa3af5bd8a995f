//! `multiplier`: run a rigorous Tech Lead hiring process from the terminal.
//!
//! An adapter: it parses arguments and reads files into core's types, calls one
//! use case of `multiplier_app::App` (or a pure core computation), and prints
//! the result. Errors become exit codes in one place (`output::report`): 0 fine,
//! 1 a check found problems, 2 bad usage, unreadable input, or a request that is
//! invalid, names nothing that exists or conflicts with the records (clap uses 2
//! for usage errors too), 3 refused by an access rule, 4 a fault of the database
//! or the program.

mod commands;
mod context;
mod git_history;
mod output;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

const ABOUT: &str = "Run a rigorous Tech Lead hiring process: define the role, assess technical depth and team-multiplier instinct independently, decide with evidence.";

const AFTER_HELP: &str = "\
Examples:
  multiplier tour                              a guided first look
  multiplier role check examples/roles/payments-player-coach.toml
  multiplier user add priya --role admin       the first account (as the local operator)
  multiplier role new --as priya               answer the intake questions, store the role
  multiplier jd write --role 1 --baseline metrics.json --as priya
  multiplier jd lint job.md
  multiplier review grade --exercise orders-n-plus-one --review review.json
  multiplier framework export --out my.toml    edit your own copy, then:
  multiplier --framework my.toml role check my-role.toml
  multiplier candidate show 3 --as priya       hiring data: act as an account

Who acts: every command that reads or writes hiring data needs --as NAME (or
MULTIPLIER_USER) naming an existing account; what it may see and do follows that
account. `user add|list|password|role` run as the local operator unless --as is given.

Exit codes: 0 fine, 1 a check found problems, 2 bad usage, unreadable input, or a
request that is invalid, names nothing that exists or conflicts with the records,
3 refused by an access rule (the account may not do this), 4 a fault of the database.
Colour is used only on a terminal, and never when NO_COLOR is set.";

#[derive(Debug, Parser)]
#[command(name = "multiplier", version, about = ABOUT, after_help = AFTER_HELP)]
pub struct Cli {
    /// Use this framework file instead of the embedded default (see `framework export`).
    #[arg(long, global = true, env = "MULTIPLIER_FRAMEWORK", value_name = "FILE")]
    framework: Option<PathBuf>,

    /// The database: a SQLite file path, a sqlite: URL, or a postgres:// URL.
    #[arg(long, global = true, env = "MULTIPLIER_DB", value_name = "PATH|URL", default_value = multiplier_store::DEFAULT_LOCATION)]
    db: String,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// A guided first look: the framework, and two example roles checked with their guidance.
    Tour(commands::tour::Cmd),
    /// Show, export or check the hiring framework (questions, stages, rubrics, bands, ...).
    #[command(subcommand)]
    Framework(commands::framework::Cmd),
    /// Define a role through the intake questions, check it, list and show stored roles.
    #[command(subcommand)]
    Role(commands::role::Cmd),
    /// Write a job description from a role and its baseline, or lint any job description.
    #[command(subcommand)]
    Jd(commands::jd::Cmd),
    /// Delivery numbers from git history, deployment records and pull requests; baseline and outcome.
    #[command(subcommand)]
    Metrics(commands::metrics::Cmd),
    /// The code-review exercises: list, show, check a folder, import one from real commits.
    #[command(subcommand)]
    Exercise(commands::exercise::Cmd),
    /// Grade a candidate's review of an exercise, explaining every point.
    #[command(subcommand)]
    Review(commands::review::Cmd),
    /// Analyze written-assessment answers: explainable flags with their sentences.
    #[command(subcommand)]
    Answers(commands::answers::Cmd),
    /// Open a role for hiring, list openings, show an opening's pipeline board.
    #[command(subcommand)]
    Opening(commands::opening::Cmd),
    /// Add candidates, correct their details, show one (under the blind rule), move them, search them all.
    #[command(subcommand)]
    Candidate(commands::candidate::Cmd),
    /// Assign an interviewer to one or more of a candidate's stages, or take them off one (--remove).
    Assign(commands::interview::AssignCmd),
    /// Print a stage's interview kit: who, questions, what good looks like, red flags, rubric.
    Kit(commands::decision::KitCmd),
    /// Submit, amend or list scorecards (blind until you have submitted yours).
    #[command(subcommand)]
    Scorecard(commands::interview::ScorecardCmd),
    /// Attach automatic evidence (a code-review grade, assessment flags) to a candidate.
    #[command(subcommand)]
    Evidence(commands::interview::EvidenceCmd),
    /// Record a structured reference (engineer references weigh more).
    #[command(subcommand)]
    Reference(commands::interview::ReferenceCmd),
    /// Resolve a raised red flag with the evidence that settles it.
    #[command(subcommand)]
    Flag(commands::interview::FlagCmd),
    /// Both signals side by side against their bars, with raters, spread, evidence and red flags.
    Debrief(commands::decision::DebriefCmd),
    /// Record a person's decision and its rationale.
    Decide(commands::decision::DecideCmd),
    /// The offer: band by level and region, positioned by the split, and equity.
    Offer(commands::offer::Cmd),
    /// The dated 90-day onboarding plan and its milestones.
    #[command(subcommand)]
    Onboarding(commands::onboarding::Cmd),
    /// Every state change: who, what, when.
    Audit(commands::audit::Cmd),
    /// Reports: the hiring funnel, and adverse impact by self-identified category.
    #[command(subcommand)]
    Report(commands::report::Cmd),
    /// Run the web application: pages, the candidate portal and the JSON API.
    Serve(commands::serve::Cmd),
    /// Generated data at scale: `demo seed --candidates 10000` for trying the product and the benches.
    #[command(subcommand)]
    Demo(commands::demo::Cmd),
    /// Accounts: add, list, change a password or a role, deactivate (as the local operator, or an admin with --as).
    #[command(subcommand)]
    User(commands::user::Cmd),
    /// API tokens for scripts: create (shown once), list, revoke (as the local operator, or an admin with --as).
    #[command(subcommand)]
    Token(commands::token::Cmd),
    /// The outbox: list messages, show one with its attempts, retry a failed one (admins, with --as).
    #[command(subcommand)]
    Mail(commands::mail::Cmd),
    /// Write a consistent copy of the database, safe while the server runs.
    Backup(commands::backup::BackupCmd),
    /// Put a backup back as the database (stop the server first).
    Restore(commands::backup::RestoreCmd),
    /// Erase candidates' personal data past the framework's retention period.
    #[command(subcommand)]
    Retention(commands::retention::Cmd),
    /// Copy a SQLite database into an empty PostgreSQL database, then verify the copy.
    Migrate(commands::migrate::Cmd),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let globals = context::Globals {
        framework: cli.framework,
        db: cli.db,
    };
    let result = match cli.command {
        Command::Tour(cmd) => cmd.run(&globals),
        Command::Framework(cmd) => cmd.run(&globals),
        Command::Role(cmd) => cmd.run(&globals),
        Command::Jd(cmd) => cmd.run(&globals),
        Command::Metrics(cmd) => cmd.run(&globals),
        Command::Exercise(cmd) => cmd.run(&globals),
        Command::Review(cmd) => cmd.run(&globals),
        Command::Answers(cmd) => cmd.run(&globals),
        Command::Opening(cmd) => cmd.run(&globals),
        Command::Candidate(cmd) => cmd.run(&globals),
        Command::Assign(cmd) => cmd.run(&globals),
        Command::Kit(cmd) => cmd.run(&globals),
        Command::Scorecard(cmd) => cmd.run(&globals),
        Command::Evidence(cmd) => cmd.run(&globals),
        Command::Reference(cmd) => cmd.run(&globals),
        Command::Flag(cmd) => cmd.run(&globals),
        Command::Debrief(cmd) => cmd.run(&globals),
        Command::Decide(cmd) => cmd.run(&globals),
        Command::Offer(cmd) => cmd.run(&globals),
        Command::Onboarding(cmd) => cmd.run(&globals),
        Command::Audit(cmd) => cmd.run(&globals),
        Command::Report(cmd) => cmd.run(&globals),
        Command::Serve(cmd) => cmd.run(&globals),
        Command::Demo(cmd) => cmd.run(&globals),
        Command::User(cmd) => cmd.run(&globals),
        Command::Token(cmd) => cmd.run(&globals),
        Command::Mail(cmd) => cmd.run(&globals),
        Command::Backup(cmd) => cmd.run(&globals),
        Command::Restore(cmd) => cmd.run(&globals),
        Command::Retention(cmd) => cmd.run(&globals),
        Command::Migrate(cmd) => cmd.run(),
    };
    match result {
        Ok(code) => code.into(),
        Err(err) if output::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => output::report(&err).into(),
    }
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        // Catches clashing argument ids and similar mistakes for every subcommand.
        Cli::command().debug_assert();
    }
}
