//! The hiring loop end to end through the real binary on a temporary database.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

struct Loop {
    dir: tempfile::TempDir,
    framework: Option<PathBuf>,
}

impl Loop {
    /// A database with the accounts priya (admin), ana, ben and cy
    /// (interviewers), one role, one opening (manager priya) and candidate 1
    /// (with an e-mail address), with ana, ben and cy assigned to three stages.
    fn new() -> Loop {
        let l = Loop {
            dir: tempfile::tempdir().expect("tempdir"),
            framework: None,
        };
        l.account("priya", "admin");
        for who in ["ana", "ben", "cy"] {
            l.account(who, "interviewer");
        }
        let role = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../examples/roles/payments-player-coach.toml");
        l.ok(&[
            "role",
            "new",
            "--as",
            "priya",
            "--from",
            role.to_str().expect("utf-8 path"),
        ]);
        l.ok(&["opening", "new", "--role", "1", "--as", "priya"]);
        l.ok(&[
            "candidate",
            "add",
            "--opening",
            "1",
            "--name",
            "Dana Reyes",
            "--email",
            "dana@example.com",
            "--as",
            "priya",
        ]);
        for (stage, who) in [
            ("technical-depth", "ana"),
            ("code-review", "ben"),
            ("leadership", "cy"),
        ] {
            l.ok(&[
                "assign",
                "--candidate",
                "1",
                "--stage",
                stage,
                "--interviewer",
                who,
                "--as",
                "priya",
            ]);
        }
        l
    }

    /// Create an account as the local operator (no `--as`).
    fn account(&self, name: &str, role: &str) {
        self.cmd()
            .args(["user", "add", name, "--role", role, "--password-stdin"])
            .write_stdin("a long enough secret\n")
            .assert()
            .success();
    }

    /// Run and expect exit `code`, answering stderr.
    fn fails(&self, code: i32, args: &[&str]) -> String {
        let out = self
            .cmd()
            .args(args)
            .assert()
            .code(code)
            .get_output()
            .clone();
        String::from_utf8_lossy(&out.stderr).into_owned()
    }

    /// Every audit entry, as priya (an admin) reads them.
    fn audit(&self) -> Vec<Value> {
        self.json(&["audit", "--as", "priya"])
            .as_array()
            .cloned()
            .expect("array")
    }

    fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("multiplier").expect("binary");
        c.env_remove("MULTIPLIER_FRAMEWORK")
            .env_remove("MULTIPLIER_USER")
            .env("MULTIPLIER_DB", self.dir.path().join("loop.db"))
            .current_dir(self.dir.path());
        if let Some(fw) = &self.framework {
            c.arg("--framework").arg(fw);
        }
        c
    }

    fn ok(&self, args: &[&str]) -> Vec<u8> {
        self.cmd()
            .args(args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    }

    fn json(&self, args: &[&str]) -> Value {
        let out = self
            .cmd()
            .args(args)
            .args(["--format", "json"])
            .output()
            .expect("runs");
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{args:?}: {e}; stderr: {}",
                String::from_utf8_lossy(&out.stderr)
            )
        })
    }

    /// Scorecards: ana scores depth; ben depth and multiplier; cy multiplier.
    fn score(&self, td: [u8; 2], tm: [u8; 2]) {
        let s = |sig: &str, n: u8| format!("{sig}={n}");
        let note = |sig: &str| format!("{sig}=what they said");
        self.ok(&[
            "scorecard",
            "submit",
            "--candidate",
            "1",
            "--stage",
            "technical-depth",
            "--score",
            &s("technical-depth", td[0]),
            "--note",
            &note("technical-depth"),
            "--recommend",
            "yes",
            "--as",
            "ana",
        ]);
        self.ok(&[
            "scorecard",
            "submit",
            "--candidate",
            "1",
            "--stage",
            "code-review",
            "--score",
            &s("technical-depth", td[1]),
            "--score",
            &s("team-multiplier", tm[0]),
            "--note",
            &note("technical-depth"),
            "--note",
            &note("team-multiplier"),
            "--recommend",
            "yes",
            "--as",
            "ben",
        ]);
        self.ok(&[
            "scorecard",
            "submit",
            "--candidate",
            "1",
            "--stage",
            "leadership",
            "--score",
            &s("team-multiplier", tm[1]),
            "--note",
            &note("team-multiplier"),
            "--recommend",
            "yes",
            "--as",
            "cy",
        ]);
    }

    fn meets_bar(&self) -> bool {
        self.json(&["debrief", "--candidate", "1", "--as", "priya"])["meets_bar"]
            .as_bool()
            .expect("meets_bar")
    }

    fn use_framework(&mut self, edit: impl Fn(&str) -> String) {
        let path = self.dir.path().join("fw.toml");
        std::fs::write(&path, edit(multiplier_core::framework::DEFAULT_TOML)).expect("write");
        self.framework = Some(path);
    }
}

#[test]
fn the_whole_loop_runs_end_to_end() {
    let l = Loop::new();
    l.ok(&["kit", "code-review"]);
    // ben may not read ana's scorecard before submitting his own.
    l.ok(&[
        "scorecard",
        "submit",
        "--candidate",
        "1",
        "--stage",
        "technical-depth",
        "--score",
        "technical-depth=3",
        "--recommend",
        "yes",
        "--as",
        "ana",
    ]);
    // The list is not refused: it holds what ben may read, and says how many are hidden.
    let listed = l.json(&["scorecard", "list", "--candidate", "1", "--as", "ben"]);
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(0));
    assert_eq!(listed["hidden"], 1);
    assert!(listed["blind"].is_string(), "{listed:#}");
    let shown = l.json(&["candidate", "show", "1", "--as", "ben"]);
    assert_eq!(shown["scorecards"].as_array().map(Vec::len), Some(0));
    assert_eq!(shown["hidden_scorecards"], 1);
    l.ok(&[
        "scorecard",
        "submit",
        "--candidate",
        "1",
        "--stage",
        "code-review",
        "--score",
        "technical-depth=3",
        "--score",
        "team-multiplier=3",
        "--recommend",
        "yes",
        "--as",
        "ben",
    ]);
    let listed = l.json(&["scorecard", "list", "--candidate", "1", "--as", "ben"]);
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(listed["hidden"], 0);
    l.ok(&[
        "scorecard",
        "submit",
        "--candidate",
        "1",
        "--stage",
        "leadership",
        "--score",
        "team-multiplier=4",
        "--note",
        "team-multiplier=changed course after a junior's objection",
        "--recommend",
        "strong-yes",
        "--as",
        "cy",
    ]);
    l.ok(&[
        "reference",
        "add",
        "--candidate",
        "1",
        "--kind",
        "engineer",
        "--name",
        "Lee",
        "--relationship",
        "report",
        "--answer",
        "yes",
        "--example",
        "taught me query plans",
        "--score",
        "team-multiplier=4",
        "--as",
        "priya",
    ]);
    let grade = l.dir.path().join("grade.json");
    std::fs::write(&grade, r#"{"issues": [], "scores": {}}"#).expect("write");
    l.ok(&[
        "evidence",
        "attach",
        "--candidate",
        "1",
        "--kind",
        "code-review-grade",
        "--file",
        grade.to_str().expect("path"),
        "--as",
        "priya",
    ]);

    let d = l.json(&["debrief", "--candidate", "1", "--as", "priya"]);
    assert_eq!(d["meets_bar"], true, "{d:#}");
    assert_eq!(d["signals"][0]["signal"], "technical-depth");
    assert_eq!(d["signals"][1]["signal"], "team-multiplier");
    l.ok(&[
        "decide",
        "--candidate",
        "1",
        "--outcome",
        "hire",
        "--rationale",
        "both signals clear",
        "--as",
        "priya",
    ]);

    let offer = l.json(&[
        "offer",
        "--level",
        "tech-lead",
        "--region",
        "western-europe",
        "--split",
        "60/40",
        "--stage",
        "series-b-plus",
        "--candidate",
        "1",
        "--as",
        "priya",
    ]);
    assert_eq!(offer["band_min"], 110_000);
    assert_eq!(offer["currency"], "EUR");
    l.ok(&[
        "offer",
        "accept",
        "--candidate",
        "1",
        "--start",
        "2027-01-11",
        "--as",
        "priya",
    ]);
    l.ok(&[
        "onboarding",
        "done",
        "--candidate",
        "1",
        "--step",
        "access",
        "--as",
        "priya",
    ]);
    let plan = l.json(&["onboarding", "show", "--candidate", "1", "--as", "priya"]);
    assert_eq!(plan["steps"][0]["starts"], "2026-12-28");
    assert!(plan["steps"][0]["done"].is_object());
    assert!(plan["steps"][1]["done"].is_null());

    let found = l.json(&[
        "candidate",
        "search",
        "--min-technical-depth",
        "3",
        "--min-team-multiplier",
        "3",
        "--as",
        "priya",
    ]);
    assert_eq!(found.as_array().map(Vec::len), Some(1));
    assert_eq!(found[0]["meets_bar"], true);
    assert_eq!(
        l.json(&[
            "candidate",
            "search",
            "--text",
            "query plans",
            "--as",
            "priya"
        ])
        .as_array()
        .map(Vec::len),
        Some(1)
    );
    assert_eq!(
        l.json(&["candidate", "search", "--stage", "offer", "--as", "priya"])
            .as_array()
            .map(Vec::len),
        Some(0)
    );

    let audit = l.json(&["audit", "--candidate", "1", "--as", "priya"]);
    let actions: Vec<&str> = audit
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    for action in [
        "candidate.add",
        "interviewer.assign",
        "scorecard.submit",
        "reference.add",
        "evidence.attach",
        "decision.record",
        "offer.make",
        "offer.accept",
        "onboarding.done",
    ] {
        assert!(
            actions.contains(&action),
            "{action} missing from {actions:?}"
        );
    }
    let shown = l.json(&["candidate", "show", "1", "--as", "priya"]);
    assert_eq!(
        shown["evidence"].as_array().map(Vec::len),
        Some(1),
        "evidence is evidence"
    );
    assert_eq!(
        shown["scorecards"].as_array().map(Vec::len),
        Some(3),
        "and never a scorecard"
    );
}

#[test]
fn strong_depth_and_weak_multiplier_never_meets_the_bar() {
    let l = Loop::new();
    l.score([4, 4], [2, 2]);
    l.cmd()
        .args(["debrief", "--candidate", "1", "--as", "priya"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("team-multiplier does not clear"));
    assert!(!l.meets_bar());
}

#[test]
fn a_changed_bar_changes_the_outcome() {
    let mut l = Loop::new();
    l.score([3, 3], [3, 3]);
    assert!(l.meets_bar());
    l.use_framework(|t| t.replace("bar = 3.0", "bar = 3.5"));
    assert!(!l.meets_bar());
}

#[test]
fn changed_reference_weights_change_the_outcome() {
    let mut l = Loop::new();
    l.score([3, 3], [2, 3]);
    l.ok(&[
        "reference",
        "add",
        "--candidate",
        "1",
        "--kind",
        "engineer",
        "--name",
        "Lee",
        "--relationship",
        "report",
        "--answer",
        "somewhat",
        "--score",
        "team-multiplier=2",
        "--as",
        "priya",
    ]);
    l.ok(&[
        "reference",
        "add",
        "--candidate",
        "1",
        "--kind",
        "manager",
        "--name",
        "Kim",
        "--relationship",
        "manager",
        "--answer",
        "yes",
        "--score",
        "team-multiplier=4",
        "--as",
        "priya",
    ]);
    assert!(!l.meets_bar(), "engineer references weigh 2, managers 1");
    l.use_framework(|t| {
        t.replacen("engineer = 2.0", "engineer = 1.0", 1).replacen(
            "manager = 1.0",
            "manager = 2.0",
            1,
        )
    });
    assert!(l.meets_bar());
}

#[test]
fn a_submitted_scorecard_is_amended_never_replaced() {
    let l = Loop::new();
    l.ok(&[
        "scorecard",
        "submit",
        "--candidate",
        "1",
        "--stage",
        "leadership",
        "--score",
        "team-multiplier=2",
        "--recommend",
        "no",
        "--as",
        "cy",
    ]);
    l.cmd()
        .args([
            "scorecard",
            "submit",
            "--candidate",
            "1",
            "--stage",
            "leadership",
            "--score",
            "team-multiplier=3",
            "--recommend",
            "yes",
            "--as",
            "cy",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("amend"));
    l.cmd()
        .args([
            "scorecard",
            "amend",
            "--candidate",
            "1",
            "--stage",
            "leadership",
            "--score",
            "team-multiplier=3",
            "--recommend",
            "yes",
            "--as",
            "cy",
        ])
        .assert()
        .code(2);
    l.ok(&[
        "scorecard",
        "amend",
        "--candidate",
        "1",
        "--stage",
        "leadership",
        "--score",
        "team-multiplier=3",
        "--recommend",
        "yes",
        "--reason",
        "re-read my notes",
        "--as",
        "cy",
    ]);
    l.ok(&[
        "scorecard",
        "amend",
        "--candidate",
        "1",
        "--stage",
        "leadership",
        "--score",
        "team-multiplier=2",
        "--recommend",
        "no",
        "--reason",
        "talked it over with the other interviewers",
        "--as",
        "cy",
    ]);
    let cards = l.json(&["scorecard", "list", "--candidate", "1", "--as", "cy"]);
    let versions: Vec<u64> = cards["items"]
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|c| c["card"]["version"].as_u64())
        .collect();
    assert_eq!(versions, [1, 2, 3], "each amendment is the next version");
    let amended = l
        .audit()
        .iter()
        .filter(|e| e["action"] == "scorecard.amend")
        .count();
    assert_eq!(amended, 2);
}

#[test]
fn incomplete_scorecards_and_bad_input_are_refused_with_reasons() {
    let l = Loop::new();
    fn leadership(extra: &[&'static str]) -> Vec<&'static str> {
        let mut args = vec![
            "scorecard",
            "submit",
            "--candidate",
            "1",
            "--stage",
            "leadership",
            "--recommend",
            "yes",
            "--as",
            "cy",
        ];
        args.extend_from_slice(extra);
        args
    }
    let cases: [(Vec<&str>, &str); 8] = [
        (
            leadership(&["--score", "team-multiplier=4"]),
            "needs the evidence",
        ),
        (leadership(&["--score", "team-multiplier=9"]), "from 1 to 4"),
        (
            leadership(&["--score", "team-multiplier=3", "--flag", "made-up=x"]),
            "not a red flag",
        ),
        (
            vec![
                "candidate",
                "add",
                "--opening",
                "1",
                "--name",
                "Sam",
                "--internal",
                "--as",
                "priya",
            ],
            "wants_leadership",
        ),
        (
            vec![
                "candidate",
                "move",
                "1",
                "--stage",
                "whiteboard",
                "--as",
                "priya",
            ],
            "not a stage",
        ),
        (
            vec!["onboarding", "show", "--candidate", "1", "--as", "priya"],
            "no accepted offer",
        ),
        (
            vec!["debrief", "--candidate", "99", "--as", "priya"],
            "no candidate 99",
        ),
        (
            vec!["offer", "--level", "cto", "--region", "us", "--split", "50"],
            "tech-lead",
        ),
    ];
    for (args, reason) in cases {
        l.cmd()
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(reason));
    }
}
