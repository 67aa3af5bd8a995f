//! How results are printed: text for people (aligned, wrapped, coloured on a
//! terminal unless NO_COLOR), JSON for programs.

use anstream::AutoStream;
use clap::ValueEnum;
use multiplier_app::AppError;
use serde::Serialize;
use std::io::{self, StdoutLock, Write};
use std::process::ExitCode;

/// The exit codes every command uses (documented in docs/cli.md and `--help`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// All good.
    Fine = 0,
    /// The check ran and found problems.
    Problems = 1,
    /// Bad usage, an input that could not be read, or a request the application
    /// turned down: invalid, not found, or in conflict with what is recorded.
    Unusable = 2,
    /// Refused by an access rule: the account may not do this.
    Refused = 3,
    /// A fault of the database or of the program, not of what was asked.
    Fault = 4,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e as u8)
    }
}

/// The exit code for an error: the application's typed error decides when there
/// is one in the chain; anything else is bad usage or unreadable input.
pub fn exit_for(err: &anyhow::Error) -> Exit {
    match err.chain().find_map(|e| e.downcast_ref::<AppError>()) {
        Some(AppError::Forbidden(_)) => Exit::Refused,
        Some(AppError::Store(_) | AppError::Internal(_)) => Exit::Fault,
        Some(AppError::NotFound(_) | AppError::Conflict(_) | AppError::Invalid { .. }) | None => {
            Exit::Unusable
        }
    }
}

/// Print an error on stderr: one sentence, each field problem of an invalid
/// request on a line of its own, then each cause. Answers the exit code. The one
/// place where errors become what the user sees.
pub fn report(err: &anyhow::Error) -> Exit {
    let mut stderr = anstream::stderr();
    let red = style::ERROR;
    for (i, e) in err.chain().enumerate() {
        let line = match e.downcast_ref::<AppError>() {
            Some(AppError::Invalid { what, problems }) => {
                format!(
                    "{what} is not accepted ({}):",
                    count(problems.len(), "problem", "problems")
                )
            }
            _ => e.to_string(),
        };
        let _ = if i == 0 {
            writeln!(stderr, "{red}error:{red:#} {line}")
        } else {
            writeln!(stderr, "  cause: {line}")
        };
        for p in e
            .downcast_ref::<AppError>()
            .map(AppError::problems)
            .unwrap_or_default()
        {
            let _ = writeln!(stderr, "  {}: {}", p.field, p.message);
        }
    }
    exit_for(err)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Format {
    /// For people.
    #[default]
    Text,
    /// For programs: one JSON document on stdout (see docs/cli.md).
    Json,
}

pub mod style {
    use anstyle::{AnsiColor, Style};
    pub const ERROR: Style = AnsiColor::Red.on_default().bold();
    pub const BAD: Style = AnsiColor::Red.on_default().bold();
    pub const WARN: Style = AnsiColor::Yellow.on_default().bold();
    pub const NOTE: Style = AnsiColor::Cyan.on_default();
    pub const GOOD: Style = AnsiColor::Green.on_default().bold();
    pub const HEAD: Style = Style::new().bold().underline();
    pub const KEY: Style = Style::new().bold();
    pub const DIM: Style = Style::new().dimmed();
}

pub type Out = AutoStream<StdoutLock<'static>>;

/// Standard output, with colour only on a terminal and never under NO_COLOR.
pub fn stdout() -> Out {
    AutoStream::auto(io::stdout().lock())
}

pub fn json<T: Serialize>(out: &mut Out, value: &T) -> anyhow::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)?;
    Ok(())
}

/// Wrap `text` to the terminal's width for printing at column `indent`: the caller
/// has already printed `indent` columns on the first line; later lines are padded.
pub fn wrap(text: &str, indent: usize) -> String {
    let width = textwrap::termwidth().clamp(60, 110);
    let pad = " ".repeat(indent);
    let options = textwrap::Options::new(width)
        .initial_indent(&pad)
        .subsequent_indent(&pad);
    textwrap::fill(text, options)
        .get(indent..)
        .unwrap_or_default()
        .to_string()
}

/// "1 note", "2 notes".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Whether an error is stdout closing early (e.g. piping into `head`).
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|e| e.downcast_ref::<io::Error>())
        .any(|e| e.kind() == io::ErrorKind::BrokenPipe)
        || err
            .chain()
            .filter_map(|e| e.downcast_ref::<serde_json::Error>())
            .any(|e| e.io_error_kind() == Some(io::ErrorKind::BrokenPipe))
}

/// Print an editable data file (a framework, word lists) to stdout, or write it to
/// `out`, refusing to replace an existing file unless `force`. `source` names
/// where the text came from in the confirmation on stderr.
pub fn export(
    text: &str,
    source: &str,
    out: Option<&std::path::Path>,
    force: bool,
) -> anyhow::Result<()> {
    use anyhow::Context;
    let Some(path) = out else {
        stdout().write_all(text.as_bytes())?;
        return Ok(());
    };
    if path.exists() && !force {
        anyhow::bail!(
            "{} already exists; pass --force to replace it",
            path.display()
        );
    }
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?;
    writeln!(
        anstream::stderr(),
        "wrote {} ({}) from {source}",
        path.display(),
        count(text.lines().count(), "line", "lines")
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;
    use multiplier_app::FieldProblem;

    fn code(e: AppError) -> Exit {
        exit_for(&anyhow::Error::new(e))
    }

    #[test]
    fn each_application_error_has_its_exit_code() {
        assert_eq!(code(AppError::NotFound("x".into())), Exit::Unusable);
        assert_eq!(code(AppError::Conflict("x".into())), Exit::Unusable);
        assert_eq!(
            code(AppError::field("the card", "stage", "unknown")),
            Exit::Unusable
        );
        assert_eq!(code(AppError::Forbidden("x".into())), Exit::Refused);
        assert_eq!(code(AppError::Internal("x".into())), Exit::Fault);
        assert_eq!(
            exit_for(&anyhow::anyhow!("cannot read the file x.toml")),
            Exit::Unusable
        );
    }

    #[test]
    fn the_code_is_found_under_added_context() {
        let wrapped: anyhow::Result<()> =
            Err(AppError::Forbidden("no".into())).context("cannot move the candidate");
        let err = wrapped.err().unwrap_or_else(|| anyhow::anyhow!("no error"));
        assert_eq!(exit_for(&err), Exit::Refused);
        let invalid = AppError::check(
            "the scorecard",
            vec![
                FieldProblem::new("scores", "missing"),
                FieldProblem::new("notes.technical-depth", "needs evidence"),
            ],
        );
        assert_eq!(
            invalid
                .map_err(anyhow::Error::new)
                .err()
                .map(|e| exit_for(&e)),
            Some(Exit::Unusable)
        );
    }
}
