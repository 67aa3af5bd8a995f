//! The real `multiplier` binary: exit codes, JSON output, files and databases.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn example(name: &str) -> PathBuf {
    root().join("examples/roles").join(name)
}

/// The binary, isolated from the caller's environment, with a fresh database.
fn cmd(dir: &tempfile::TempDir) -> Command {
    let mut c = Command::cargo_bin("multiplier").expect("binary");
    c.env_remove("MULTIPLIER_FRAMEWORK")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("MULTIPLIER_USER")
        .env("MULTIPLIER_DB", dir.path().join("t.db"))
        .current_dir(dir.path());
    c
}

fn json(out: &[u8]) -> Value {
    serde_json::from_slice(out).expect("stdout is JSON")
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().expect("tempdir")
}

/// A fresh database with one admin account, `priya`, created by the local operator.
fn with_admin() -> tempfile::TempDir {
    let dir = tmp();
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
    dir
}

#[test]
fn help_shows_examples_and_exits_zero() {
    let dir = tmp();
    cmd(&dir)
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Examples:"));
    for sub in [
        &["role", "check", "--help"][..],
        &["framework", "check", "--help"],
        &["role", "new", "--help"],
    ] {
        cmd(&dir)
            .args(sub)
            .assert()
            .success()
            .stdout(predicate::str::contains("Examples:"));
    }
}

#[test]
fn bad_usage_exits_two() {
    let dir = tmp();
    cmd(&dir).arg("no-such-command").assert().code(2);
    cmd(&dir)
        .args(["role", "check", "x.toml", "--format", "yaml"])
        .assert()
        .code(2);
    cmd(&dir)
        .args(["role", "show", "not-a-number"])
        .assert()
        .code(2);
}

#[test]
fn the_tour_runs_on_the_embedded_default() {
    let dir = tmp();
    cmd(&dir).arg("tour").assert().success().stdout(
        predicate::str::contains("payments-player-coach.toml")
            .and(predicate::str::contains("Findings")),
    );
}

#[test]
fn an_exported_framework_checks_clean_and_round_trips() {
    let dir = tmp();
    let out = dir.path().join("fw.toml");
    cmd(&dir)
        .args(["framework", "export", "--out"])
        .arg(&out)
        .assert()
        .success();
    cmd(&dir)
        .args(["framework", "check"])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("valid"));
    // Refuses to overwrite without --force.
    cmd(&dir)
        .args(["framework", "export", "--out"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--force"));
    cmd(&dir)
        .args(["framework", "export", "--force", "--out"])
        .arg(&out)
        .assert()
        .success();
    let report = json(
        &cmd(&dir)
            .args(["framework", "check", "--format", "json"])
            .arg(&out)
            .assert()
            .success()
            .get_output()
            .stdout,
    );
    assert_eq!(report["valid"], true);
    assert_eq!(report["summary"]["stages"], 9);
}

#[test]
fn a_broken_framework_file_is_reported_with_file_and_line_and_exits_one() {
    let dir = tmp();
    let path = dir.path().join("broken.toml");
    let text = multiplier_core::framework::DEFAULT_TOML.replacen(
        "[decision]",
        "[decision]\nbogus_field = 1",
        1,
    );
    std::fs::write(&path, &text).expect("write");
    let line = text
        .lines()
        .position(|l| l.contains("bogus_field"))
        .map(|i| i + 1)
        .expect("line");
    cmd(&dir)
        .args(["framework", "check"])
        .arg(&path)
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains(format!("broken.toml:{line}"))
                .and(predicate::str::contains("bogus_field")),
        );
    let report = json(
        &cmd(&dir)
            .args(["framework", "check", "--format", "json"])
            .arg(&path)
            .assert()
            .code(1)
            .get_output()
            .stdout,
    );
    assert_eq!(report["valid"], false);
    assert_eq!(report["problems"][0]["line"], line);
    // Used as the framework of another command, it is unusable input: exit 2, never a panic.
    cmd(&dir)
        .arg("--framework")
        .arg(&path)
        .args(["role", "check"])
        .arg(example("payments-player-coach.toml"))
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("not valid").and(predicate::str::contains("panicked").not()),
        );
}

#[test]
fn a_missing_file_exits_two_with_its_name() {
    let dir = tmp();
    cmd(&dir)
        .args(["framework", "check", "nope.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nope.toml"));
    cmd(&dir)
        .args(["role", "check", "nope-role.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nope-role.toml"));
}

#[test]
fn role_check_prints_guidance_and_json() {
    let dir = tmp();
    cmd(&dir)
        .args(["role", "check"])
        .arg(example("payments-player-coach.toml"))
        .assert()
        .success()
        .stdout(predicate::str::contains("player-coach"));
    let report = json(
        &cmd(&dir)
            .args(["role", "check", "--format", "json"])
            .arg(example("platform-leader-coder.toml"))
            .assert()
            .success()
            .get_output()
            .stdout,
    );
    assert_eq!(report["valid"], true);
    assert_eq!(report["role"]["title"], "Tech Lead, Platform");
    assert_eq!(report["guidance"]["archetype"], "leader-coder");
    assert_eq!(report["guidance"]["suggested_level"]["level"], "staff-lead");
    let rules: Vec<&str> = report["guidance"]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert!(rules.contains(&"no-sprint-planning"));
}

#[test]
fn a_contradictory_role_exits_one() {
    let dir = tmp();
    let text = std::fs::read_to_string(example("payments-player-coach.toml"))
        .expect("example")
        .replace("performance-reviews = false", "performance-reviews = true");
    let report = json(
        &cmd(&dir)
            .args(["role", "check", "-", "--format", "json"])
            .write_stdin(text)
            .assert()
            .code(1)
            .get_output()
            .stdout,
    );
    assert_eq!(
        report["guidance"]["findings"][0]["rule"],
        "performance-reviews-make-it-em"
    );
    assert_eq!(report["guidance"]["findings"][0]["kind"], "contradiction");
}

#[test]
fn an_invalid_role_file_lists_its_problems_and_exits_one() {
    let dir = tmp();
    let text = std::fs::read_to_string(example("payments-player-coach.toml"))
        .expect("example")
        .replace("\"monolith\"", "\"mainframe\"");
    cmd(&dir)
        .args(["role", "check", "-"])
        .write_stdin(text)
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("answers.architecture")
                .and(predicate::str::contains("mainframe")),
        );
}

#[test]
fn roles_are_stored_listed_and_shown() {
    let dir = with_admin();
    let created = json(
        &cmd(&dir)
            .args(["role", "new", "--as", "priya", "--format", "json", "--from"])
            .arg(example("payments-player-coach.toml"))
            .assert()
            .success()
            .get_output()
            .stdout,
    );
    assert_eq!(created["id"], 1);
    cmd(&dir)
        .args(["role", "new", "--as", "priya", "--from"])
        .arg(example("platform-leader-coder.toml"))
        .assert()
        .success()
        .stderr(predicate::str::contains("stored as role 2"));
    let list = json(
        &cmd(&dir)
            .args(["role", "list", "--as", "priya", "--format", "json"])
            .assert()
            .success()
            .get_output()
            .stdout,
    );
    let titles: Vec<&str> = list
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|r| r["title"].as_str())
        .collect();
    assert_eq!(
        titles,
        ["Tech Lead, Payments backend", "Tech Lead, Platform"]
    );
    let shown = json(
        &cmd(&dir)
            .args(["role", "show", "2", "--as", "priya", "--format", "json"])
            .assert()
            .success()
            .get_output()
            .stdout,
    );
    assert_eq!(shown["guidance"]["archetype"], "leader-coder");
    cmd(&dir)
        .args(["role", "show", "9", "--as", "priya"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no role 9"));
    cmd(&dir)
        .args(["role", "list"])
        .env("MULTIPLIER_USER", "priya")
        .assert()
        .success()
        .stdout(predicate::str::contains("Tech Lead, Platform"));
}

#[test]
fn an_invalid_role_is_not_stored() {
    let dir = with_admin();
    cmd(&dir)
        .args(["role", "new", "--as", "priya", "--from", "-"])
        .write_stdin("title = \"x\"\n[answers]\n")
        .assert()
        .code(1);
    let list = json(
        &cmd(&dir)
            .args(["role", "list", "--as", "priya", "--format", "json"])
            .assert()
            .success()
            .get_output()
            .stdout,
    );
    assert_eq!(list.as_array().map(Vec::len), Some(0));
}

#[test]
fn role_new_without_a_terminal_asks_for_a_file() {
    let dir = with_admin();
    cmd(&dir)
        .args(["role", "new", "--as", "priya"])
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--from"));
}

#[test]
fn an_edited_framework_changes_the_guidance_via_flag_and_environment() {
    let dir = tmp();
    let path = dir.path().join("mine.toml");
    let text = multiplier_core::framework::DEFAULT_TOML.replacen(
        "player_coach_min_coding = 60",
        "player_coach_min_coding = 70",
        1,
    );
    assert_ne!(
        text,
        multiplier_core::framework::DEFAULT_TOML,
        "the default sets the line at 60"
    );
    std::fs::write(&path, text).expect("write");
    let archetype = |c: &mut Command| {
        let out = c
            .args(["role", "check", "--format", "json"])
            .arg(example("payments-player-coach.toml"))
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        json(&out)["guidance"]["archetype"]
            .as_str()
            .map(str::to_string)
    };
    assert_eq!(archetype(&mut cmd(&dir)).as_deref(), Some("player-coach"));
    assert_eq!(
        archetype(cmd(&dir).arg("--framework").arg(&path)).as_deref(),
        Some("leader-coder")
    );
    assert_eq!(
        archetype(cmd(&dir).env("MULTIPLIER_FRAMEWORK", &path)).as_deref(),
        Some("leader-coder")
    );
}

#[test]
fn colour_only_when_forced_and_never_under_no_color() {
    let dir = tmp();
    let plain = cmd(&dir)
        .args(["framework", "show"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(
        !plain.contains(&0x1b),
        "no escape codes when not a terminal"
    );
    let forced = cmd(&dir)
        .env("CLICOLOR_FORCE", "1")
        .args(["framework", "show"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(forced.contains(&0x1b));
    let no_color = cmd(&dir)
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .args(["framework", "show"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(!no_color.contains(&0x1b));
}

#[test]
fn framework_show_json_is_the_whole_framework() {
    let dir = tmp();
    let fw = json(
        &cmd(&dir)
            .args(["framework", "show", "--format", "json"])
            .assert()
            .success()
            .get_output()
            .stdout,
    );
    assert_eq!(fw["stages"].as_array().map(Vec::len), Some(9));
    assert_eq!(fw["intake"]["questions"].as_array().map(Vec::len), Some(8));
    assert_eq!(fw["decision"]["signals"][0]["bar"], 3.0);
}

#[test]
fn a_database_that_cannot_be_opened_exits_two() {
    let dir = tmp();
    cmd(&dir)
        .args([
            "--db",
            "/nonexistent-dir/x/y.db",
            "role",
            "list",
            "--as",
            "priya",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot use the database"));
}
