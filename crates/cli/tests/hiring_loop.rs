//! The hiring loop end to end through the real binary on a temporary database.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

struct Loop {
    dir: tempfile::TempDir,
    framework: Option<PathBuf>,
}

/// A database holding only the accounts priya (admin), ana, ben and cy
/// (interviewers), each made by the local operator; created on first use.
fn accounts() -> &'static Path {
    static TEMPLATE: OnceLock<tempfile::TempDir> = OnceLock::new();
    TEMPLATE
        .get_or_init(|| {
            let dir = tempfile::Builder::new()
                .prefix("hiring-loop-accounts")
                .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
                .expect("tempdir");
            let template = Loop {
                dir,
                framework: None,
            };
            template.account("priya", "admin");
            for who in ["ana", "ben", "cy"] {
                template.account(who, "interviewer");
            }
            template.dir
        })
        .path()
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
        // The accounts come from a database made once per run: hashing their
        // passwords is what is slow in a debug build.
        let template = accounts();
        for file in ["loop.db", "loop.db-wal"] {
            let from = template.join(file);
            if from.exists() {
                std::fs::copy(&from, l.dir.path().join(file)).expect("copy the accounts");
            }
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
    assert_eq!(found["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(found["items"][0]["meets_bar"], true);
    assert!(found["next"].is_null(), "one page");
    assert_eq!(
        l.json(&[
            "candidate",
            "search",
            "--text",
            "query plans",
            "--as",
            "priya"
        ])["items"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    assert_eq!(
        l.json(&["candidate", "search", "--stage", "offer", "--as", "priya"])["items"]
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

/// The action of every timeline entry in a `candidate show` JSON.
fn actions(shown: &Value) -> Vec<String> {
    shown["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .filter_map(|e| e["action"].as_str().map(str::to_string))
        .collect()
}

/// The rows of a list (a page's `items`, or a plain array).
fn len(v: &Value) -> usize {
    v.get("items")
        .unwrap_or(v)
        .as_array()
        .map_or(usize::MAX, Vec::len)
}

#[test]
fn acting_as_a_name_that_is_no_account_is_refused_and_writes_nothing() {
    let l = Loop::new();
    let before = l.audit();
    let refused: [&[&str]; 5] = [
        &["candidate", "add", "--opening", "1", "--name", "Sam"],
        &["candidate", "move", "1", "--stage", "code-review"],
        &[
            "assign",
            "--candidate",
            "1",
            "--stage",
            "leadership",
            "--interviewer",
            "ana",
        ],
        &[
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
        ],
        &["candidate", "show", "1"],
    ];
    for args in refused {
        let mut with = args.to_vec();
        with.extend(["--as", "ghost"]);
        let err = l.fails(3, &with);
        assert!(err.contains("no account called `ghost`"), "{with:?}: {err}");
        // The environment variable is the same as --as.
        l.cmd()
            .env("MULTIPLIER_USER", "ghost")
            .args(args)
            .assert()
            .code(3);
    }
    assert_eq!(l.audit(), before, "nothing was recorded");
    let shown = l.json(&["candidate", "show", "1", "--as", "priya"]);
    assert_eq!(shown["candidate"]["stage"], "screen");
    assert_eq!(len(&shown["scorecards"]), 0);
    assert_eq!(len(&l.json(&["candidate", "search", "--as", "priya"])), 1);

    // Leaving --as out is bad usage that names the flag and the variable.
    let err = l.fails(2, &["candidate", "show", "1"]);
    assert!(
        err.contains("--as") && err.contains("MULTIPLIER_USER"),
        "{err}"
    );
    l.cmd()
        .env("MULTIPLIER_USER", "priya")
        .args(["candidate", "show", "1"])
        .assert()
        .success();
}

#[test]
fn an_interviewer_running_an_admin_command_is_refused_with_exit_three() {
    let l = Loop::new();
    let before = l.audit();
    let admin_only: [&[&str]; 7] = [
        &["opening", "new", "--role", "1"],
        &["candidate", "add", "--opening", "1", "--name", "Sam"],
        &["candidate", "move", "1", "--stage", "code-review"],
        &["candidate", "edit", "--candidate", "1", "--name", "Someone"],
        &[
            "assign",
            "--candidate",
            "1",
            "--stage",
            "leadership",
            "--interviewer",
            "ana",
        ],
        &[
            "decide",
            "--candidate",
            "1",
            "--outcome",
            "no-hire",
            "--rationale",
            "not convinced",
        ],
        &["audit"],
    ];
    for args in admin_only {
        let mut with = args.to_vec();
        with.extend(["--as", "ana"]);
        l.fails(3, &with);
    }
    assert_eq!(l.audit(), before, "nothing was recorded");
}

#[test]
fn the_audit_log_names_the_account_given_with_as() {
    let l = Loop::new();
    l.score([3, 3], [3, 3]);
    let entries = l.audit();
    let actor_of = |action: &str| -> Vec<String> {
        entries
            .iter()
            .filter(|e| e["action"] == action)
            .filter_map(|e| e["actor"].as_str().map(str::to_string))
            .collect()
    };
    assert_eq!(actor_of("user.add")[0], "local operator");
    assert_eq!(actor_of("opening.create"), ["priya"]);
    assert_eq!(actor_of("candidate.add"), ["priya"]);
    assert_eq!(actor_of("interviewer.assign"), ["priya", "priya", "priya"]);
    assert_eq!(actor_of("scorecard.submit"), ["ana", "ben", "cy"]);
}

#[test]
fn an_interviewer_who_owes_a_card_sees_no_others_judgement_until_they_submit() {
    let l = Loop::new();
    // Everything ana must not see yet: ben's and cy's cards (ben raises a
    // critical flag), priya's reference, its resolution, a decision, an offer.
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
        "team-multiplier=2",
        "--flag",
        "dismisses-dissent=waved away the reviewer who disagreed",
        "--recommend",
        "no",
        "--as",
        "ben",
    ]);
    l.ok(&[
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
        "changed a design after my objection",
        "--as",
        "priya",
    ]);
    l.ok(&[
        "flag",
        "resolve",
        "--candidate",
        "1",
        "--flag",
        "dismisses-dissent",
        "--note",
        "the reference describes the opposite",
        "--as",
        "priya",
    ]);
    l.ok(&[
        "decide",
        "--candidate",
        "1",
        "--outcome",
        "hire",
        "--rationale",
        "SECRET-RATIONALE until the last card is in",
        "--against-policy",
        "--as",
        "priya",
    ]);
    l.ok(&[
        "offer",
        "--level",
        "tech-lead",
        "--region",
        "us",
        "--split",
        "60/40",
        "--candidate",
        "1",
        "--as",
        "priya",
    ]);

    let shown = l.json(&["candidate", "show", "1", "--as", "ana"]);
    assert!(shown["sight"]["blind"].is_string(), "{shown:#}");
    assert_eq!(shown["sight"]["pending"][0], "technical-depth");
    assert_eq!(len(&shown["scorecards"]), 0);
    assert_eq!(shown["hidden_scorecards"], 2);
    assert_eq!(len(&shown["references"]), 0);
    assert_eq!(shown["hidden_references"], 1);
    assert_eq!(len(&shown["resolutions"]), 0);
    assert_eq!(len(&shown["decisions"]), 0);
    assert_eq!(len(&shown["offers"]), 0);
    assert!(shown["candidate"]["email"].is_null(), "admins only");
    let seen = actions(&shown);
    assert!(seen.contains(&"scorecard.submit".to_string()), "{seen:?}");
    for hidden in [
        "decision.record",
        "flag.resolve",
        "offer.make",
        "reference.add",
    ] {
        assert!(!seen.contains(&hidden.to_string()), "{hidden} in {seen:?}");
    }
    let text = String::from_utf8(l.ok(&["candidate", "show", "1", "--as", "ana"])).expect("utf-8");
    for secret in ["SECRET-RATIONALE", "dana@example.com", "waved away", "Lee"] {
        assert!(!text.contains(secret), "`{secret}` shown to ana:\n{text}");
    }
    l.fails(3, &["debrief", "--candidate", "1", "--as", "ana"]);

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
    let shown = l.json(&["candidate", "show", "1", "--as", "ana"]);
    assert!(shown["sight"]["blind"].is_null(), "{shown:#}");
    assert_eq!(len(&shown["scorecards"]), 3);
    assert_eq!(shown["hidden_scorecards"], 0);
    assert_eq!(len(&shown["references"]), 1);
    assert_eq!(len(&shown["resolutions"]), 1);
    assert_eq!(len(&shown["decisions"]), 1);
    assert!(shown["candidate"]["email"].is_null(), "still admins only");
    assert_eq!(len(&shown["offers"]), 0, "offers are the admins'");
    let seen = actions(&shown);
    for open in ["decision.record", "flag.resolve", "reference.add"] {
        assert!(seen.contains(&open.to_string()), "{open} not in {seen:?}");
    }
    assert!(!seen.contains(&"offer.make".to_string()), "{seen:?}");
    // The debrief opens to her now (exit 1: the policy says below the bar).
    l.fails(1, &["debrief", "--candidate", "1", "--as", "ana"]);

    let admin = l.json(&["candidate", "show", "1", "--as", "priya"]);
    assert_eq!(admin["candidate"]["email"], "dana@example.com");
    assert_eq!(len(&admin["offers"]), 1);
    assert!(actions(&admin).contains(&"offer.make".to_string()));
}

#[test]
fn an_interviewer_not_on_the_candidate_is_told_it_does_not_exist() {
    let l = Loop::new();
    l.account("dee", "interviewer");
    let err = l.fails(2, &["candidate", "show", "1", "--as", "dee"]);
    assert!(err.contains("no candidate 1"), "{err}");
    assert_eq!(len(&l.json(&["candidate", "search", "--as", "dee"])), 0);
    let openings = l.json(&["opening", "list", "--as", "dee"]);
    assert_eq!(openings["items"][0]["candidates"], 0);
}

#[test]
fn candidate_edit_changes_only_what_is_given_and_the_audit_names_fields_not_values() {
    let l = Loop::new();
    let record = l.json(&[
        "candidate",
        "edit",
        "--candidate",
        "1",
        "--name",
        "Dana Reyes-Ortiz",
        "--as",
        "priya",
    ]);
    assert_eq!(record["name"], "Dana Reyes-Ortiz");
    let shown = l.json(&["candidate", "show", "1", "--as", "priya"]);
    assert_eq!(shown["candidate"]["name"], "Dana Reyes-Ortiz");
    assert_eq!(shown["candidate"]["email"], "dana@example.com", "kept");
    assert_eq!(shown["candidate"]["stage"], "screen", "kept");
    let edits: Vec<Value> = l
        .audit()
        .into_iter()
        .filter(|e| e["action"] == "candidate.edit")
        .collect();
    assert_eq!(edits.len(), 1);
    assert_eq!(edits[0]["actor"], "priya");
    let detail = edits[0]["detail"].as_str().expect("detail");
    assert!(detail.contains("name"), "{detail}");
    assert!(
        !detail.contains("Dana") && !detail.contains("Ortiz"),
        "a value in the audit log: {detail}"
    );

    let err = l.fails(
        2,
        &[
            "candidate",
            "edit",
            "--candidate",
            "1",
            "--internal",
            "--as",
            "priya",
        ],
    );
    assert!(err.contains("wants_leadership"), "{err}");
    l.ok(&[
        "candidate",
        "edit",
        "--candidate",
        "1",
        "--internal",
        "--wants-leadership",
        "yes, the reviews most of all",
        "--gives-up",
        "feature work",
        "--as",
        "priya",
    ]);
    l.ok(&[
        "candidate",
        "edit",
        "--candidate",
        "1",
        "--email",
        "",
        "--as",
        "priya",
    ]);
    let shown = l.json(&["candidate", "show", "1", "--as", "priya"]);
    assert!(shown["candidate"]["email"].is_null());
    assert_eq!(shown["candidate"]["internal"], true, "kept");
    let last = l
        .audit()
        .into_iter()
        .rfind(|e| e["action"] == "candidate.edit")
        .expect("an edit");
    assert!(
        last["detail"]
            .as_str()
            .is_some_and(|d| d.contains("email") && !d.contains('@')),
        "{last}"
    );
    l.fails(
        2,
        &[
            "candidate",
            "edit",
            "--candidate",
            "9",
            "--name",
            "X",
            "--as",
            "priya",
        ],
    );
}

#[test]
fn a_hire_against_the_policy_is_recorded_only_with_against_policy() {
    let l = Loop::new();
    l.score([4, 4], [2, 2]);
    let err = l.fails(
        2,
        &[
            "decide",
            "--candidate",
            "1",
            "--outcome",
            "hire",
            "--rationale",
            "we need someone now",
            "--as",
            "priya",
        ],
    );
    assert!(err.contains("against_policy"), "{err}");
    let decided = |l: &Loop| {
        l.audit()
            .iter()
            .filter(|e| e["action"] == "decision.record")
            .count()
    };
    assert_eq!(decided(&l), 0);
    let out = l.ok(&[
        "decide",
        "--candidate",
        "1",
        "--outcome",
        "hire",
        "--against-policy",
        "--rationale",
        "we need someone now",
        "--as",
        "priya",
    ]);
    assert!(String::from_utf8_lossy(&out).contains("does not meet the bar"));
    assert_eq!(decided(&l), 1);
    let shown = l.json(&["candidate", "show", "1", "--as", "priya"]);
    assert_eq!(shown["decisions"][0]["meets_bar"], false);
}

#[test]
fn assign_takes_several_stages_and_remove_undoes_one() {
    let l = Loop::new();
    let out = l.ok(&[
        "assign",
        "--candidate",
        "1",
        "--stage",
        "product-partnership",
        "--stage",
        "references",
        "--interviewer",
        "ana",
        "--as",
        "priya",
    ]);
    let text = String::from_utf8_lossy(&out);
    assert!(text.contains("product-partnership, references"), "{text}");
    let out = l.ok(&[
        "assign",
        "--candidate",
        "1",
        "--stage",
        "references",
        "--interviewer",
        "ana",
        "--remove",
        "--as",
        "priya",
    ]);
    assert!(String::from_utf8_lossy(&out).contains("no longer interviews"));
    let actions: Vec<String> = l
        .audit()
        .iter()
        .filter_map(|e| e["action"].as_str().map(str::to_string))
        .collect();
    assert_eq!(
        actions
            .iter()
            .filter(|a| *a == "interviewer.unassign")
            .count(),
        1
    );
    // Nothing to remove: not found (exit 2).
    l.fails(
        2,
        &[
            "assign",
            "--candidate",
            "1",
            "--stage",
            "references",
            "--interviewer",
            "ana",
            "--remove",
            "--as",
            "priya",
        ],
    );
}
