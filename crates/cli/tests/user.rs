//! `multiplier user`: the accounts of the web application.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use assert_cmd::Command;
use predicates::prelude::*;

fn cmd(dir: &tempfile::TempDir) -> Command {
    let mut c = Command::cargo_bin("multiplier").expect("binary");
    c.env("MULTIPLIER_DB", dir.path().join("t.db"))
        .env_remove("MULTIPLIER_USER")
        .current_dir(dir.path());
    c
}

/// `user add NAME --role ROLE` with a password on stdin, plus `extra` arguments.
fn add(
    dir: &tempfile::TempDir,
    name: &str,
    role: &str,
    extra: &[&str],
) -> assert_cmd::assert::Assert {
    cmd(dir)
        .args(["user", "add", name, "--role", role, "--password-stdin"])
        .args(extra)
        .write_stdin("a long enough secret\n")
        .assert()
}

fn users(dir: &tempfile::TempDir) -> Vec<(String, String)> {
    let out = cmd(dir)
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

fn audit(dir: &tempfile::TempDir, admin: &str) -> serde_json::Value {
    let out = cmd(dir)
        .args(["audit", "--format", "json", "--as", admin])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap()
}

#[test]
fn accounts_are_added_listed_and_never_show_their_hash() {
    let dir = tempfile::tempdir().unwrap();
    cmd(&dir)
        .args(["user", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("user add NAME --role admin"));
    cmd(&dir)
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
    cmd(&dir)
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
    let out = cmd(&dir)
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

#[test]
fn bad_accounts_are_refused_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    cmd(&dir)
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
    cmd(&dir)
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
    cmd(&dir)
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
    cmd(&dir)
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
    cmd(&dir)
        .args(["user", "password", "nobody", "--password-stdin"])
        .write_stdin("a long enough secret\n")
        .assert()
        .failure()
        .stderr(predicate::str::contains("nobody"));
}

#[test]
fn accounts_made_without_as_are_the_local_operators_and_with_as_the_admins() {
    let dir = tempfile::tempdir().unwrap();
    add(&dir, "priya", "admin", &[]).success();
    add(&dir, "marco", "interviewer", &["--as", "priya"]).success();
    let entries = audit(&dir, "priya");
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
    add(&dir, "sam", "admin", &["--as", "marco"])
        .code(3)
        .stderr(predicate::str::contains("admin"));
    add(&dir, "sam", "admin", &["--as", "ghost"])
        .code(3)
        .stderr(predicate::str::contains("ghost"));
    cmd(&dir)
        .args(["user", "list", "--as", "marco"])
        .assert()
        .code(3);
    assert_eq!(users(&dir).len(), 2, "nothing was added");
}

#[test]
fn user_role_changes_a_role_and_never_demotes_the_last_admin() {
    let dir = tempfile::tempdir().unwrap();
    add(&dir, "priya", "admin", &[]).success();
    add(&dir, "marco", "interviewer", &[]).success();
    cmd(&dir)
        .args(["user", "role", "priya", "--role", "interviewer"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("only admin"));
    cmd(&dir)
        .args(["user", "role", "marco", "--role", "admin", "--as", "marco"])
        .assert()
        .code(3);
    cmd(&dir)
        .args(["user", "role", "marco", "--role", "admin", "--as", "priya"])
        .assert()
        .success()
        .stdout(predicate::str::contains("marco"));
    cmd(&dir)
        .args(["user", "role", "priya", "--role", "interviewer"])
        .assert()
        .success();
    assert_eq!(
        users(&dir),
        [
            ("marco".to_string(), "admin".to_string()),
            ("priya".to_string(), "interviewer".to_string())
        ]
    );
    cmd(&dir)
        .args(["user", "role", "nobody", "--role", "admin"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nobody"));
    let actions: Vec<String> = audit(&dir, "marco")
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

#[test]
fn an_account_changes_its_own_password_but_not_anothers() {
    let dir = tempfile::tempdir().unwrap();
    add(&dir, "priya", "admin", &[]).success();
    add(&dir, "marco", "interviewer", &[]).success();
    cmd(&dir)
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
    cmd(&dir)
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
