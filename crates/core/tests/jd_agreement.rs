//! The job-description linter against the labelled postings of `tests/data/jd/`:
//! agreement with the labels on the held-out split may not fall below the floor
//! docs/jd.md reports. `cargo run -p multiplier-core --example instrument_agreement`
//! prints the tables.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

#[allow(dead_code)]
mod support {
    pub mod jd;
}

use multiplier_core::jd::{LintWords, RULES};
use support::jd::{agreement, load, report};

/// The documented floor (docs/jd.md, "Measured agreement").
const HELD_OUT_FLOOR: f64 = 0.95;

#[test]
fn the_labelled_postings_are_enough_and_every_rule_fires_in_both_splits() {
    let postings = load().unwrap_or_else(|e| panic!("{e}"));
    assert!(postings.len() >= 40, "{} postings", postings.len());
    for split in ["tune", "held-out"] {
        let here: Vec<_> = postings.iter().filter(|p| p.split == split).collect();
        assert!(here.len() >= 15, "{split}: {} postings", here.len());
        for (rule, _) in RULES {
            assert!(
                here.iter().any(|p| p.fires.iter().any(|r| r == rule)),
                "no {split} posting where `{rule}` should fire"
            );
            assert!(
                here.iter().any(|p| !p.fires.iter().any(|r| r == rule)),
                "no {split} posting where `{rule}` should stay silent"
            );
        }
    }
}

#[test]
fn jd_lint_agreement_on_the_held_out_postings_stays_above_its_floor() {
    let postings = load().unwrap_or_else(|e| panic!("{e}"));
    let words = LintWords::default_words().expect("words");
    let a = agreement(&postings, "held-out", &words);
    let table = report("held-out", &a);
    assert!(a.rate() >= HELD_OUT_FLOOR, "{table}");
    // The tune split is what the linter was changed against; it must not regress
    // either.
    let t = agreement(&postings, "tune", &words);
    assert!(t.rate() >= HELD_OUT_FLOOR, "{}", report("tune", &t));
}
