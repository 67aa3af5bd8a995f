//! The written-answer analyzer against the labelled answers of
//! `tests/data/answers/`: precision and recall of its flags on the held-out personas
//! may not fall below the floors docs/review-grading.md reports.
//! `cargo run -p multiplier-core --example instrument_agreement` prints the tables.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

#[allow(dead_code)]
mod support {
    pub mod answers;
}

use multiplier_core::answers::FLAGS;
use multiplier_core::review::ReviewSignals;
use support::answers::{agreement, load, report};

/// The documented floors (docs/review-grading.md, "The written-assessment analyzer").
const PRECISION_FLOOR: f64 = 0.80;
const RECALL_FLOOR: f64 = 0.90;
const TAKES_OVER_FLOOR: f64 = 0.85;

#[test]
fn the_answer_corpus_is_big_enough_and_every_flag_is_labelled_in_both_splits() {
    let answers = load(&FLAGS).unwrap_or_else(|e| panic!("{e}"));
    assert!(answers.len() >= 100, "{} answers", answers.len());
    for split in ["tune", "held-out"] {
        for flag in FLAGS {
            assert!(
                answers
                    .iter()
                    .any(|a| a.split == split && a.answer.expect.iter().any(|e| e == flag)),
                "no {split} answer labelled `{flag}`"
            );
        }
    }
}

#[test]
fn answer_flags_on_the_held_out_personas_stay_above_their_floors() {
    let answers = load(&FLAGS).unwrap_or_else(|e| panic!("{e}"));
    let signals = ReviewSignals::default_signals().expect("signals");
    let a = agreement(&answers, "held-out", &signals);
    let table = report("held-out", &a);
    assert!(a.all.precision() >= PRECISION_FLOOR, "{table}");
    assert!(a.all.recall() >= RECALL_FLOOR, "{table}");
    let t = a.per_flag.get("takes-over").copied().unwrap_or_default();
    assert!(t.precision() >= TAKES_OVER_FLOOR, "{table}");
    assert!(t.recall() >= TAKES_OVER_FLOOR, "{table}");
}
