//! The teaching model against the held-out test split of the teaching corpus
//! (`tests/data/teaching/`): the figures docs/review-grading.md reports may not fall
//! below their documented floors. The split is never read by the training.
//! `cargo run -p multiplier-core --example instrument_agreement` prints the tables.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

#[allow(dead_code)]
mod support {
    pub mod teaching;
}

use multiplier_core::review::{ReviewSignals, TeachingModel};
use support::teaching::{STYLES, Split, agreement, load, report};

/// The documented floors (docs/review-grading.md, "The teaching model").
const ACCURACY_FLOOR: f64 = 0.90;
const PRECISION_FLOOR: f64 = 0.85;
const RECALL_FLOOR: f64 = 0.85;

#[test]
fn the_corpus_is_big_enough_split_by_scenario_and_every_style_is_in_every_split() {
    let corpus = load().unwrap_or_else(|e| panic!("{e}"));
    assert!(corpus.len() >= 400, "{} comments", corpus.len());
    for split in [Split::Train, Split::Dev, Split::Test] {
        let here: Vec<_> = corpus.iter().filter(|c| c.split == split).collect();
        for style in STYLES {
            assert!(
                here.iter().any(|c| c.style == style),
                "no `{style}` comment in {}",
                split.id()
            );
        }
        for label in [true, false] {
            assert!(here.iter().any(|c| c.teaches == label));
        }
        // No scenario in two splits.
        for c in &here {
            assert!(
                corpus
                    .iter()
                    .filter(|o| o.exercise == c.exercise)
                    .all(|o| o.split == split)
            );
        }
    }
}

#[test]
fn the_shipped_model_was_trained_on_this_corpus_train_and_dev_splits() {
    let corpus = load().unwrap_or_else(|e| panic!("{e}"));
    let model = TeachingModel::default_model().expect("model");
    let count = |s: Split| corpus.iter().filter(|c| c.split == s).count();
    assert_eq!(model.trained.train_examples, count(Split::Train));
    assert_eq!(model.trained.dev_examples, count(Split::Dev));
}

#[test]
fn teaching_agreement_on_the_test_split_stays_above_its_floors() {
    let corpus = load().unwrap_or_else(|e| panic!("{e}"));
    let signals = ReviewSignals::default_signals().expect("signals");
    let a = agreement(&corpus, Split::Test, &signals);
    let table = report(Split::Test, &a);
    assert!(a.all.total() >= 100, "{table}");
    assert!(a.all.accuracy() >= ACCURACY_FLOOR, "{table}");
    assert!(a.all.precision() >= PRECISION_FLOOR, "{table}");
    assert!(a.all.recall() >= RECALL_FLOOR, "{table}");
}
