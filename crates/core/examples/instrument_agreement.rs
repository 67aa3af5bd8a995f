//! Print the held-out figures of the instruments, as quoted in the docs:
//!
//!     cargo run -q -p multiplier-core --example instrument_agreement
//!
//! - the teaching model on the test split of the teaching corpus
//!   (docs/review-grading.md);
//! - the job-description linter on the held-out postings (docs/jd.md);
//! - the written-answer analyzer on the held-out personas (docs/review-grading.md);
//!
//! `--split train|dev|test` chooses the split of the teaching corpus (default test);
//! `--jd-split tune|held-out` the postings' split, `--answers-split tune|held-out`
//! the answers' (both default held-out).

#[path = "../tests/support/teaching.rs"]
#[allow(dead_code)]
mod teaching;

#[path = "../tests/support/jd.rs"]
#[allow(dead_code)]
mod jd;

#[path = "../tests/support/answers.rs"]
#[allow(dead_code)]
mod answers;

use multiplier_core::answers::FLAGS;
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
    let mut answers_split = "held-out".to_string();
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
            "--answers-split" => {
                answers_split = args.next().ok_or("--answers-split tune|held-out")?;
            }
            _ => {
                return Err(
                    "usage: instrument_agreement [--split train|dev|test] [--jd-split tune|held-out] [--answers-split tune|held-out]"
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
    let labelled = answers::load(&FLAGS)?;
    let w = answers::agreement(&labelled, &answers_split, &signals);
    Ok(format!(
        "## Teaching model\n\n{}\n## Job-description linter\n\n{}\n## Written-answer analyzer\n\n{}",
        teaching::report(split, &a),
        jd::report(&jd_split, &j),
        answers::report(&answers_split, &w)
    ))
}
