//! Measure the code-review grader and the written-answer analyzer against the
//! hand-labelled set in `crates/core/tests/data/labelled/` and print the tables
//! quoted in docs/review-grading.md.
//!
//!     cargo run -q -p multiplier-core --example review_agreement
//!
//! `--signals FILE` measures an edited copy of framework/review-signals.toml.

#[path = "../tests/support/agreement.rs"]
mod agreement;

use multiplier_core::framework::Framework;
use multiplier_core::review::{DEFAULT_SIGNALS_SOURCE, DEFAULT_SIGNALS_TOML, ReviewSignals};
use std::process::ExitCode;

fn main() -> ExitCode {
    match run() {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<String, String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (source, text) = match args.as_slice() {
        [] => (
            DEFAULT_SIGNALS_SOURCE.to_string(),
            DEFAULT_SIGNALS_TOML.to_string(),
        ),
        [flag, path] if flag == "--signals" => (
            path.clone(),
            std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?,
        ),
        _ => return Err("usage: review_agreement [--signals FILE]".to_string()),
    };
    let signals = ReviewSignals::parse(&source, &text).map_err(|e| e.to_string())?;
    let framework = Framework::default_framework().map_err(|e| e.to_string())?;
    let measured = agreement::measure(&signals, &framework)?;
    Ok(agreement::report(&measured))
}
