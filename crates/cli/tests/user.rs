//! `multiplier user`: the accounts of the web application.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use assert_cmd::Command;
use predicates::prelude::*;

fn cmd(dir: &tempfile::TempDir) -> Command {
    let mut c = Command::cargo_bin("multiplier").expect("binary");
    c.env("MULTIPLIER_DB", dir.path().join("t.db"))
        .env("MULTIPLIER_USER", "setup")
        .current_dir(dir.path());
    c
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
