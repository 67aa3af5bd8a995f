//! `multiplier token`: API tokens issued, listed and revoked through the real
//! binary, as the local operator and as an admin with `--as`.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use assert_cmd::Command;
use multiplier_store::testing::TestDb;
use predicates::prelude::*;

fn cmd(db: &TestDb) -> Command {
    let mut c = Command::cargo_bin("multiplier").expect("binary");
    c.env("MULTIPLIER_DB", db.location())
        .env_remove("MULTIPLIER_USER");
    c
}

fn add(db: &TestDb, name: &str, role: &str) {
    cmd(db)
        .args(["user", "add", name, "--role", role, "--password-stdin"])
        .write_stdin("a long enough secret\n")
        .assert()
        .success();
}

fn json(out: &[u8]) -> serde_json::Value {
    serde_json::from_slice(out).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(out)))
}

multiplier_store::each_backend! {
    async fn a_token_is_shown_once_listed_without_its_secret_and_revoked(db) {
        add(&db, "priya", "admin");
        add(&db, "sam", "interviewer");

        let out = cmd(&db)
            .args([
                "token",
                "create",
                "--for",
                "sam",
                "--label",
                "ci",
                "--scope",
                "read-only",
            ])
            .args(["--days", "30", "--format", "json"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let created = json(&out);
        let token = created["token"].as_str().unwrap().to_string();
        assert!(token.starts_with("mpt_") && token.len() == 68, "{created}");
        assert_eq!(created["account"], "sam");
        assert_eq!(created["scope"], "read-only");
        assert_eq!(created["created_by"], "local operator");
        let id = created["id"].as_i64().unwrap();

        // Listed in text and JSON, never with the token.
        let listed = cmd(&db).args(["token", "list"]).assert().success();
        let text = String::from_utf8_lossy(&listed.get_output().stdout).to_string();
        assert!(
            text.contains("sam") && text.contains("read-only") && text.contains("never used"),
            "{text}"
        );
        assert!(!text.contains(&token[4..]), "{text}");
        let out = cmd(&db)
            .args(["token", "list", "--for", "sam", "--format", "json"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let list = json(&out);
        assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
        assert!(!list.to_string().contains(&token[4..]));

        // An interviewer may not issue or revoke; an admin may, with --as.
        cmd(&db)
            .args([
                "token",
                "create",
                "--for",
                "sam",
                "--label",
                "x",
                "--scope",
                "read-write",
                "--as",
                "sam",
            ])
            .assert()
            .code(3)
            .stderr(predicate::str::contains("admin"));
        cmd(&db)
            .args(["token", "revoke", &id.to_string(), "--as", "priya"])
            .assert()
            .success()
            .stdout(predicate::str::contains("revoked"));
        cmd(&db)
            .args(["token", "revoke", &id.to_string()])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("already revoked"));
        cmd(&db).args(["token", "revoke", "999"]).assert().code(2);

        // The audit log names who issued and revoked it, never the token.
        let out = cmd(&db)
            .args(["audit", "--format", "json", "--as", "priya"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let log = json(&out);
        let actions: Vec<(&str, &str)> = log
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["actor"].as_str().unwrap(), e["action"].as_str().unwrap()))
            .collect();
        assert!(
            actions.contains(&("local operator", "token.create")),
            "{log}"
        );
        assert!(actions.contains(&("priya", "token.revoke")), "{log}");
        assert!(!log.to_string().contains(&token[4..]));
    }
}

multiplier_store::each_backend! {
    async fn bad_token_requests_name_what_to_fix(db) {
        add(&db, "priya", "admin");
        cmd(&db)
            .args([
                "token",
                "create",
                "--for",
                "nobody",
                "--label",
                "ci",
                "--scope",
                "read-only",
            ])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("no account called `nobody`"));
        cmd(&db)
            .args([
                "token", "create", "--for", "priya", "--label", "ci", "--scope", "admin",
            ])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("read-only or read-write"));
        cmd(&db)
            .args([
                "token",
                "create",
                "--for",
                "priya",
                "--label",
                " ",
                "--scope",
                "read-only",
            ])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("label"));
        cmd(&db)
            .args([
                "token",
                "create",
                "--for",
                "priya",
                "--label",
                "ci",
                "--scope",
                "read-only",
                "--days",
                "400",
            ])
            .assert()
            .code(2);
    }
}
