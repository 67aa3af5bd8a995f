//! Print the held-out figures of the instruments, as quoted in the docs:
//!
//!     cargo run -q -p multiplier-core --example instrument_agreement
//!
//! - the teaching model on the test split of the teaching corpus
//!   (docs/review-grading.md);
//! - the job-description linter on the held-out postings (docs/jd.md);
//!
//! `--split train|dev|test` chooses the split of the teaching corpus (default test);
//! `--jd-split tune|held-out` the postings' split (default held-out).

#[path = "../tests/support/teaching.rs"]
#[allow(dead_code)]
mod teaching;

#[path = "../tests/support/jd.rs"]
#[allow(dead_code)]
mod jd;

use multiplier_core::jd::LintWords;
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
    let mut split = Split::Test;
    let mut jd_split = "held-out".to_string();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--split" => {
                split = match args.next().as_deref() {
                    Some("train") => Split::Train,
                    Some("dev") => Split::Dev,
                    Some("test") => Split::Test,
                    other => return Err(format!("unknown split {other:?}")),
                }
            }
            "--jd-split" => jd_split = args.next().ok_or("--jd-split tune|held-out")?,
            _ => {
                return Err(
                    "usage: instrument_agreement [--split train|dev|test] [--jd-split tune|held-out]"
                        .to_string(),
                );
            }
        }
    }
    let signals = ReviewSignals::default_signals().map_err(|e| e.to_string())?;
    let corpus = teaching::load()?;
    let a = teaching::agreement(&corpus, split, &signals);
    let words = LintWords::default_words().map_err(|e| e.to_string())?;
    let postings = jd::load()?;
    let j = jd::agreement(&postings, &jd_split, &words);
    Ok(format!(
        "## Teaching model\n\n{}\n## Job-description linter\n\n{}",
        teaching::report(split, &a),
        jd::report(&jd_split, &j)
    ))
}
