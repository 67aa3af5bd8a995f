//! Print the held-out figures of the instruments, as quoted in the docs:
//!
//!     cargo run -q -p multiplier-core --example instrument_agreement
//!
//! - the teaching model on the test split of the teaching corpus
//!   (docs/review-grading.md);
//!
//! `--split train|dev|test` chooses the split of the teaching corpus (default test).

#[path = "../tests/support/teaching.rs"]
#[allow(dead_code)]
mod teaching;

use multiplier_core::review::ReviewSignals;
use std::process::ExitCode;
use teaching::Split;

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
    let split = match args.as_slice() {
        [] => Split::Test,
        [flag, s] if flag == "--split" => match s.as_str() {
            "train" => Split::Train,
            "dev" => Split::Dev,
            "test" => Split::Test,
            other => return Err(format!("unknown split `{other}`")),
        },
        _ => return Err("usage: instrument_agreement [--split train|dev|test]".to_string()),
    };
    let signals = ReviewSignals::default_signals().map_err(|e| e.to_string())?;
    let corpus = teaching::load()?;
    let a = teaching::agreement(&corpus, split, &signals);
    Ok(format!(
        "## Teaching model\n\n{}",
        teaching::report(split, &a)
    ))
}
