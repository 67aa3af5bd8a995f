//! `candidate status|note|notes|import` and `opening close|reopen|archive`
//! through the real binary on a fresh database of each backend.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use assert_cmd::Command;
use multiplier_store::testing::TestDb;
use serde_json::Value;
use std::path::Path;

/// The database of one test (SQLite or a PostgreSQL schema) and its commands.
struct Db(TestDb);

impl Db {
    fn new(test_db: TestDb) -> Db {
        let db = Db(test_db);
        db.cmd()
            .args([
                "user",
                "add",
                "priya",
                "--role",
                "admin",
                "--password-stdin",
            ])
            .write_stdin("a long enough secret\n")
            .assert()
            .success();
        let role = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../examples/roles/payments-player-coach.toml");
        db.ok(&[
            "role",
            "new",
            "--as",
            "priya",
            "--from",
            role.to_str().unwrap(),
        ]);
        db.ok(&["opening", "new", "--role", "1", "--as", "priya"]);
        db.ok(&[
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
        db
    }

    fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("multiplier").unwrap();
        c.env_remove("MULTIPLIER_FRAMEWORK")
            .env_remove("MULTIPLIER_USER")
            .env("MULTIPLIER_DB", self.0.location());
        c
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self
            .cmd()
            .args(args)
            .assert()
            .success()
            .get_output()
            .clone();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

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

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(&[args, &["--format", "json"]].concat())).unwrap()
    }
}

fn data(name: &str) -> String {
    format!("{}/../app/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))
}

multiplier_store::each_backend! {
    async fn status_changes_follow_the_rules_and_ended_candidates_leave_the_board(test_db) {
        let db = Db::new(test_db);
        let err = db.fails(
            2,
            &["candidate", "status", "1", "rejected", "--as", "priya"],
        );
        assert!(err.contains("reason"), "{err}");
        let err = db.fails(2, &["candidate", "status", "1", "hired", "--as", "priya"]);
        assert!(err.contains("hire decision"), "{err}");
        let text = db.ok(&[
            "candidate",
            "status",
            "1",
            "rejected",
            "--reason",
            "role-mismatch",
            "--as",
            "priya",
        ]);
        assert!(
            text.contains("candidate 1 is now rejected (role-mismatch)"),
            "{text}"
        );
        let board = db.json(&["opening", "show", "1", "--as", "priya"]);
        assert!(
            !board.to_string().contains("Dana Reyes"),
            "off the board: {board}"
        );
        let ended = db.json(&["opening", "show", "1", "--show", "ended", "--as", "priya"]);
        assert!(ended.to_string().contains("Dana Reyes"));
        let current = db.json(&["candidate", "search", "--as", "priya"]);
        assert_eq!(current["items"].as_array().unwrap().len(), 0);
        let all = db.json(&["candidate", "search", "--show", "all", "--as", "priya"]);
        assert_eq!(all["items"].as_array().unwrap().len(), 1);
        let back = db.json(&["candidate", "status", "1", "active", "--as", "priya"]);
        assert_eq!(back["status"], "active");
    }
}

multiplier_store::each_backend! {
    async fn notes_are_written_and_listed(test_db) {
        let db = Db::new(test_db);
        db.ok(&[
            "candidate",
            "note",
            "1",
            "prefers to start in March",
            "--as",
            "priya",
        ]);
        let notes = db.json(&["candidate", "notes", "1", "--as", "priya"]);
        assert_eq!(notes["notes"][0]["body"], "prefers to start in March");
        assert_eq!(notes["hidden"], 0);
    }
}

multiplier_store::each_backend! {
    async fn openings_close_reopen_and_archive(test_db) {
        let db = Db::new(test_db);
        db.ok(&["opening", "close", "1", "--as", "priya"]);
        let err = db.fails(
            2,
            &[
                "candidate",
                "add",
                "--opening",
                "1",
                "--name",
                "Late",
                "--as",
                "priya",
            ],
        );
        assert!(err.contains("reopen"), "{err}");
        db.ok(&["opening", "archive", "1", "--as", "priya"]);
        assert_eq!(
            db.json(&["opening", "list", "--as", "priya"])["items"],
            Value::Array(vec![])
        );
        let all = db.json(&["opening", "list", "--archived", "--as", "priya"]);
        assert_eq!(all["items"][0]["status"], "archived");
        let text = db.ok(&["opening", "reopen", "1", "--as", "priya"]);
        assert!(text.contains("is now open"), "{text}");
    }
}

multiplier_store::each_backend! {
    async fn an_import_reports_each_row_and_runs_twice_without_duplicates(test_db) {
        let db = Db::new(test_db);
        let file = data("import-greenhouse.csv");
        let dry = db.ok(&[
            "candidate",
            "import",
            &file,
            "--opening",
            "1",
            "--dry-run",
            "--as",
            "priya",
        ]);
        assert!(
            dry.contains("would create 2, 0 duplicate(s), 1 invalid"),
            "{dry}"
        );
        assert!(dry.contains("invalid: no e-mail address"), "{dry}");
        let first = db.json(&[
            "candidate",
            "import",
            &file,
            "--opening",
            "1",
            "--as",
            "priya",
        ]);
        assert_eq!(first["created"], 2);
        assert_eq!(first["rows"][0]["outcome"], "created");
        assert_eq!(first["rows"][0]["name"], "Katherine Johnson");
        let second = db.json(&[
            "candidate",
            "import",
            &file,
            "--opening",
            "1",
            "--as",
            "priya",
        ]);
        assert_eq!(
            (second["created"].as_u64(), second["duplicates"].as_u64()),
            (Some(0), Some(2))
        );
        let all = db.json(&["candidate", "search", "--as", "priya"]);
        assert_eq!(all["items"].as_array().unwrap().len(), 3);
        let err = db.fails(
            2,
            &[
                "candidate",
                "import",
                "missing.csv",
                "--opening",
                "1",
                "--as",
                "priya",
            ],
        );
        assert!(err.contains("missing.csv"), "{err}");
    }
}

multiplier_store::each_backend! {
    async fn candidate_show_prints_the_status_and_the_notes(test_db) {
        let db = Db::new(test_db);
        db.ok(&[
            "candidate",
            "note",
            "1",
            "prefers to start in March",
            "--as",
            "priya",
        ]);
        db.ok(&["candidate", "status", "1", "on-hold", "--as", "priya"]);
        let text = db.ok(&["candidate", "show", "1", "--as", "priya"]);
        assert!(
            text.contains("status: on-hold · source: added-by-staff"),
            "{text}"
        );
        assert!(text.contains("prefers to start in March"), "{text}");
        let json = db.json(&["candidate", "show", "1", "--as", "priya"]);
        assert_eq!(json["candidate"]["status"], "on-hold");
        assert_eq!(json["notes"][0]["author"], "priya");
    }
}
