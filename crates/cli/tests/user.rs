//! `multiplier user`: the accounts of the web application.

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

/// `user add NAME --role ROLE` with a password on stdin, plus `extra` arguments.
fn add(db: &TestDb, name: &str, role: &str, extra: &[&str]) -> assert_cmd::assert::Assert {
    cmd(db)
        .args(["user", "add", name, "--role", role, "--password-stdin"])
        .args(extra)
        .write_stdin("a long enough secret\n")
        .assert()
}

fn users(db: &TestDb) -> Vec<(String, String)> {
    let out = cmd(db)
        .args(["user", "list", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["name"].as_str().unwrap().to_string(),
                u["role"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn audit(db: &TestDb, admin: &str) -> serde_json::Value {
    let out = cmd(db)
        .args(["audit", "--format", "json", "--as", admin])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap()
}

multiplier_store::each_backend! {
    async fn accounts_are_added_listed_and_never_show_their_hash(db) {
        cmd(&db)
            .args(["user", "list"])
            .assert()
            .success()
            .stdout(predicate::str::contains("user add NAME --role admin"));
        cmd(&db)
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
            .success()
            .stdout(predicate::str::contains("priya"));
        cmd(&db)
            .args([
                "user",
                "add",
                "marco",
                "--role",
                "interviewer",
                "--password-stdin",
            ])
            .write_stdin("another long secret\n")
            .assert()
            .success();
        let out = cmd(&db)
            .args(["user", "list", "--format", "json"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let text = String::from_utf8(out).unwrap();
        let users: serde_json::Value = serde_json::from_str(&text).unwrap();
        let roles: Vec<(&str, &str)> = users
            .as_array()
            .unwrap()
            .iter()
            .map(|u| (u["name"].as_str().unwrap(), u["role"].as_str().unwrap()))
            .collect();
        assert_eq!(roles, [("marco", "interviewer"), ("priya", "admin")]);
        assert!(!text.contains("argon2"), "the hash leaked: {text}");
    }
}

multiplier_store::each_backend! {
    async fn bad_accounts_are_refused_with_a_reason(db) {
        cmd(&db)
            .args([
                "user",
                "add",
                "priya",
                "--role",
                "admin",
                "--password-stdin",
            ])
            .write_stdin("short\n")
            .assert()
            .failure()
            .stderr(predicate::str::contains("10"));
        cmd(&db)
            .args([
                "user",
                "add",
                "priya",
                "--role",
                "owner",
                "--password-stdin",
            ])
            .write_stdin("a long enough secret\n")
            .assert()
            .code(2)
            .stderr(predicate::str::contains("admin"));
        cmd(&db)
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
        cmd(&db)
            .args([
                "user",
                "add",
                "priya",
                "--role",
                "interviewer",
                "--password-stdin",
            ])
            .write_stdin("a long enough secret\n")
            .assert()
            .failure()
            .stderr(predicate::str::contains("priya"));
        cmd(&db)
            .args(["user", "password", "nobody", "--password-stdin"])
            .write_stdin("a long enough secret\n")
            .assert()
            .failure()
            .stderr(predicate::str::contains("nobody"));
    }
}

multiplier_store::each_backend! {
    async fn accounts_made_without_as_are_the_local_operators_and_with_as_the_admins(db) {
        add(&db, "priya", "admin", &[]).success();
        add(&db, "marco", "interviewer", &["--as", "priya"]).success();
        let entries = audit(&db, "priya");
        let by: Vec<(&str, &str)> = entries
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["action"].as_str().is_some_and(|a| a.starts_with("user.")))
            .map(|e| (e["actor"].as_str().unwrap(), e["subject"].as_str().unwrap()))
            .collect();
        assert_eq!(by.len(), 2, "{entries:#}");
        assert_eq!(by[0].0, "local operator");
        assert_eq!(by[1].0, "priya");
        // An interviewer administers nothing; a name that is no account acts as nobody.
        add(&db, "sam", "admin", &["--as", "marco"])
            .code(3)
            .stderr(predicate::str::contains("admin"));
        add(&db, "sam", "admin", &["--as", "ghost"])
            .code(3)
            .stderr(predicate::str::contains("ghost"));
        cmd(&db)
            .args(["user", "list", "--as", "marco"])
            .assert()
            .code(3);
        assert_eq!(users(&db).len(), 2, "nothing was added");
    }
}

multiplier_store::each_backend! {
    async fn user_role_changes_a_role_and_never_demotes_the_last_admin(db) {
        add(&db, "priya", "admin", &[]).success();
        add(&db, "marco", "interviewer", &[]).success();
        cmd(&db)
            .args(["user", "role", "priya", "--role", "interviewer"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("only admin"));
        cmd(&db)
            .args(["user", "role", "marco", "--role", "admin", "--as", "marco"])
            .assert()
            .code(3);
        cmd(&db)
            .args(["user", "role", "marco", "--role", "admin", "--as", "priya"])
            .assert()
            .success()
            .stdout(predicate::str::contains("marco"));
        cmd(&db)
            .args(["user", "role", "priya", "--role", "interviewer"])
            .assert()
            .success();
        assert_eq!(
            users(&db),
            [
                ("marco".to_string(), "admin".to_string()),
                ("priya".to_string(), "interviewer".to_string())
            ]
        );
        cmd(&db)
            .args(["user", "role", "nobody", "--role", "admin"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("nobody"));
        let actions: Vec<String> = audit(&db, "marco")
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|e| e["action"].as_str().map(str::to_string))
            .collect();
        assert_eq!(
            actions.iter().filter(|a| a.contains("role")).count(),
            2,
            "{actions:?}"
        );
    }
}

multiplier_store::each_backend! {
    async fn an_account_changes_its_own_password_but_not_anothers(db) {
        add(&db, "priya", "admin", &[]).success();
        add(&db, "marco", "interviewer", &[]).success();
        cmd(&db)
            .args([
                "user",
                "password",
                "marco",
                "--password-stdin",
                "--as",
                "marco",
            ])
            .write_stdin("a brand new secret\n")
            .assert()
            .success();
        cmd(&db)
            .args([
                "user",
                "password",
                "priya",
                "--password-stdin",
                "--as",
                "marco",
            ])
            .write_stdin("a brand new secret\n")
            .assert()
            .code(3);
    }
}
