//! Property tests for every parser of outside input: random text and small
//! mutations of valid files never make one panic (each answers `Ok` or an error
//! with its problems), and what has a written form round-trips through it.
//!
//! Parsers: the framework TOML, role files, exercise TOML and diffs, reviews (our
//! JSON and GitHub's review-comment export), written answers, deployments (JSON
//! and CSV), pull-request exports (GitHub's CLI and REST shapes) and incidents.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use multiplier_core::answers::{Answer, Answers};
use multiplier_core::delivery::input::{deployments, incidents, pull_requests};
use multiplier_core::framework::DEFAULT_TOML;
use multiplier_core::review::submission::Review;
use multiplier_core::review::{Diff, ExerciseSpec};
use multiplier_core::{Framework, Role};
use proptest::prelude::*;
use std::sync::OnceLock;

fn framework() -> &'static Framework {
    static FW: OnceLock<Framework> = OnceLock::new();
    FW.get_or_init(|| Framework::parse("default", DEFAULT_TOML).unwrap())
}

fn file(path: &str) -> String {
    std::fs::read_to_string(format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// `text` with a few random edits: a span deleted, a string inserted, bytes
/// swapped; kept on character boundaries so the result is still UTF-8.
fn mutated(text: String) -> impl Strategy<Value = String> {
    let len = text.chars().count().max(1);
    proptest::collection::vec(
        (
            0..len,
            0..len.min(40),
            "[\\PC\\n\"'=\\[\\]{},:#-]{0,12}",
            0u8..3,
        ),
        1..5,
    )
    .prop_map(move |edits| {
        let mut chars: Vec<char> = text.chars().collect();
        for (at, span, insert, kind) in edits {
            let at = at.min(chars.len());
            match kind {
                0 => {
                    let end = (at + span).min(chars.len());
                    chars.drain(at..end);
                }
                1 => {
                    for (i, c) in insert.chars().enumerate() {
                        chars.insert((at + i).min(chars.len()), c);
                    }
                }
                _ => {
                    let other = (at + span).min(chars.len().saturating_sub(1));
                    if at < chars.len() {
                        chars.swap(at, other);
                    }
                }
            }
        }
        chars.into_iter().collect()
    })
}

/// Random text or a mutation of one of `samples`.
fn inputs(samples: Vec<String>) -> impl Strategy<Value = String> {
    let mutations: Vec<_> = samples.into_iter().map(mutated).collect();
    prop_oneof![
        1 => ".{0,400}",
        1 => "[\\[\\]{}\",:=\\n 0-9a-z#.-]{0,400}",
        4 => proptest::strategy::Union::new(mutations),
    ]
}

const DEPLOYS_CSV: &str = "id,finished,commits,change_times,environment,result\n\
d1,2026-03-02T10:00:00Z,abc def,2026-03-01T10:00:00Z;2026-03-02T08:00:00Z,production,success\n\
d2,2026-03-02T11:00:00Z,,,staging,success\n";
const DEPLOYS_JSON: &str = r#"[{"id": "d1", "finished": "2026-03-02T10:00:00Z", "commits": ["abc"], "change_times": ["2026-03-01T10:00:00Z"], "environment": "production", "result": "success"}]"#;
const INCIDENTS_JSON: &str =
    r#"[{"id": 7, "created": "2026-03-02T10:00:00Z", "resolved": null, "deployment": "v1"}]"#;
const INCIDENTS_CSV: &str = "id,created,resolved,deployment\n7,2026-03-02T10:00:00Z,,v1\n";
const PRS_GH: &str = r#"[{"number": 1, "author": {"login": "ana"}, "createdAt": "2026-03-02T09:00:00Z", "mergedAt": null, "closedAt": null, "isDraft": false, "reviews": [{"author": {"login": "ben"}, "submittedAt": "2026-03-02T11:00:00Z", "state": "APPROVED"}]}]"#;
const PRS_REST: &str = r#"[{"number": 1, "user": {"login": "ana"}, "created_at": "2026-03-02T09:00:00Z", "merged_at": null, "closed_at": null, "draft": false, "reviews": [{"user": {"login": "ben"}, "submitted_at": "2026-03-02T11:00:00Z"}]}]"#;
const REVIEW_OWN: &str = r#"{"summary": "Good start.", "comments": [{"path": "app/orders.rb", "line": 12, "side": "new", "body": "This loads each customer in the loop: an N+1."}]}"#;
const REVIEW_GITHUB: &str =
    r#"[{"path": "app/orders.rb", "line": 12, "side": "RIGHT", "body": "nit: rename"}]"#;
const ANSWERS: &str = r#"{"answers": [{"question": "architecture-decision", "text": "We always split services."}, {"question": "sprint-risk", "text": "I write risks down."}]}"#;

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn the_framework_loader_never_panics(text in inputs(vec![DEFAULT_TOML.to_string()])) {
        let _ = Framework::parse("fuzz.toml", &text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn role_files_never_panic(text in inputs(vec![
        file("examples/roles/payments-player-coach.toml"),
        file("examples/roles/platform-leader-coder.toml"),
    ])) {
        let _ = Role::parse(framework(), "fuzz.toml", &text);
    }

    #[test]
    fn exercise_files_and_diffs_never_panic(
        toml in inputs(vec![file("exercises/cart-pricing/exercise.toml")]),
        diff in inputs(vec![file("exercises/cart-pricing/change.diff"), file("exercises/avatar-uploads/change.diff")]),
    ) {
        let _ = ExerciseSpec::parse("fuzz.toml", &toml);
        let _ = Diff::parse(&diff);
    }

    #[test]
    fn reviews_in_both_formats_never_panic(text in inputs(vec![
        REVIEW_OWN.to_string(),
        REVIEW_GITHUB.to_string(),
        file("crates/core/tests/data/labelled/reviews/avatar-h-github-corrections.json"),
    ])) {
        let _ = Review::parse("fuzz.json", &text);
    }

    #[test]
    fn answers_never_panic(text in inputs(vec![ANSWERS.to_string()])) {
        let _ = Answers::parse("fuzz.json", &text, framework());
    }

    #[test]
    fn deployments_never_panic(text in inputs(vec![DEPLOYS_CSV.to_string(), DEPLOYS_JSON.to_string()])) {
        let _ = deployments("fuzz.csv", &text);
        let _ = deployments("fuzz.json", &text);
    }

    #[test]
    fn pull_request_exports_never_panic(text in inputs(vec![PRS_GH.to_string(), PRS_REST.to_string()])) {
        let _ = pull_requests("fuzz.json", &text);
    }

    #[test]
    fn incidents_never_panic(text in inputs(vec![INCIDENTS_JSON.to_string(), INCIDENTS_CSV.to_string()])) {
        let _ = incidents("fuzz.json", &text);
        let _ = incidents("fuzz.csv", &text);
    }

    /// Any answers the analyzer accepts survive being written out as JSON and read back.
    #[test]
    fn answers_round_trip_through_json(texts in proptest::collection::vec(".{0,200}", 1..3)) {
        let questions = ["architecture-decision", "sprint-risk"];
        let answers = Answers {
            answers: texts
                .into_iter()
                .zip(questions)
                .map(|(text, q)| Answer { question: q.to_string(), text })
                .collect(),
        };
        let json = serde_json::to_string(&answers).unwrap();
        prop_assert_eq!(Answers::parse("rt.json", &json, framework()).unwrap(), answers);
    }

    /// A role written back to TOML reads as the same role.
    #[test]
    fn a_role_round_trips_through_its_toml(title in "[A-Za-z][A-Za-z ,.-]{0,60}") {
        let text = file("examples/roles/payments-player-coach.toml");
        let mut role = Role::parse(framework(), "x.toml", &text).unwrap();
        role.title = title.trim().to_string();
        prop_assume!(!role.title.is_empty());
        let written = role.to_toml().unwrap();
        let again = Role::parse(framework(), "rt.toml", &written).unwrap();
        prop_assert_eq!(again, role);
    }

    /// Incidents read the same from JSON and from the CSV written from it.
    #[test]
    fn incidents_read_alike_from_json_and_csv(
        rows in proptest::collection::vec(("[a-z0-9]{1,8}", 0u32..28, proptest::option::of("[a-z0-9.]{1,6}")), 1..6)
    ) {
        let json: Vec<serde_json::Value> = rows
            .iter()
            .map(|(id, day, dep)| serde_json::json!({
                "id": id, "created": format!("2026-03-{:02}T10:00:00Z", day + 1), "resolved": null, "deployment": dep
            }))
            .collect();
        let mut csv = String::from("id,created,resolved,deployment\n");
        for (id, day, dep) in &rows {
            csv.push_str(&format!("{id},2026-03-{:02}T10:00:00Z,,{}\n", day + 1, dep.as_deref().unwrap_or("")));
        }
        let from_json = incidents("a.json", &serde_json::to_string(&json).unwrap()).unwrap();
        prop_assert_eq!(from_json, incidents("a.csv", &csv).unwrap());
    }
}
