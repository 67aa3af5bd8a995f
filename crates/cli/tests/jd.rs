//! `multiplier jd write|lint|words` through the real binary.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/roles")
        .join(name)
}

fn cmd(dir: &tempfile::TempDir) -> Command {
    let mut c = Command::cargo_bin("multiplier").expect("binary");
    c.env_remove("MULTIPLIER_FRAMEWORK")
        .env_remove("MULTIPLIER_JD_WORDS")
        .env_remove("MULTIPLIER_USER")
        .env("MULTIPLIER_DB", dir.path().join("t.db"))
        .current_dir(dir.path());
    c
}

fn json(out: &[u8]) -> Value {
    serde_json::from_slice(out).expect("stdout is JSON")
}

const GENERIC: &str =
    "We want a rockstar engineer to build world-class systems in a fast-paced environment.\n";

#[test]
fn a_written_description_passes_the_linter() {
    let dir = tempfile::tempdir().expect("tempdir");
    let baseline = dir.path().join("git.json");
    std::fs::write(&baseline, r#"{"deployments_per_week": 1.5, "lead_time_hours": {"median": 70, "p90": 200}, "change_failure_rate": 0.25}"#).expect("write");
    for role in ["payments-player-coach.toml", "platform-leader-coder.toml"] {
        let md = cmd(&dir)
            .args(["jd", "write", "--baseline"])
            .arg(&baseline)
            .arg("--role")
            .arg(example(role))
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let text = String::from_utf8(md).expect("utf-8");
        assert!(text.starts_with("# Tech Lead"), "{text}");
        cmd(&dir)
            .args(["jd", "lint", "-"])
            .write_stdin(text)
            .assert()
            .success()
            .stdout(predicate::str::contains("no findings"));
    }
}

#[test]
fn write_json_carries_markdown_sections_gaps_and_lint() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = json(
        &cmd(&dir)
            .args(["jd", "write", "--format", "json", "--role"])
            .arg(example("payments-player-coach.toml"))
            .assert()
            .success()
            .get_output()
            .stdout,
    );
    assert!(
        out["markdown"]
            .as_str()
            .is_some_and(|m| m.contains("## Success at six months"))
    );
    assert!(
        out["sections"]
            .as_array()
            .is_some_and(|s| s.iter().any(|s| s["heading"] == "What this role is not"))
    );
    assert!(out["gaps"].as_array().is_some_and(|g| {
        g.iter()
            .any(|g| g.as_str().is_some_and(|g| g.contains("--baseline")))
    }));
    assert_eq!(out["lint"]["summary"]["findings"], 0);
}

#[test]
fn write_reads_a_stored_role_by_id() {
    let dir = tempfile::tempdir().expect("tempdir");
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
        .args(["role", "new", "--as", "priya", "--from"])
        .arg(example("platform-leader-coder.toml"))
        .assert()
        .success();
    cmd(&dir)
        .args(["jd", "write", "--role", "1", "--as", "priya"])
        .assert()
        .success()
        .stdout(predicate::str::contains("# Tech Lead, Platform"));
    cmd(&dir)
        .args(["jd", "write", "--role", "7", "--as", "priya"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no role 7"));
    // A stored role is hiring data: it is read as an account.
    cmd(&dir)
        .args(["jd", "write", "--role", "1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--as").and(predicate::str::contains("MULTIPLIER_USER")));
}

#[test]
fn a_bad_baseline_file_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{not json").expect("write");
    cmd(&dir)
        .args(["jd", "write", "--baseline"])
        .arg(&bad)
        .arg("--role")
        .arg(example("payments-player-coach.toml"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.json"));
}

#[test]
fn lint_reports_findings_as_json_and_exits_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = json(
        &cmd(&dir)
            .args(["jd", "lint", "-", "--format", "json"])
            .write_stdin(GENERIC)
            .assert()
            .code(1)
            .get_output()
            .stdout,
    );
    let findings = out["findings"].as_array().expect("findings");
    let vague: Vec<&Value> = findings
        .iter()
        .filter(|f| f["rule"] == "vague-phrase")
        .collect();
    assert_eq!(vague.len(), 3);
    assert_eq!(vague[0]["line"], 1);
    assert_eq!(vague[0]["text"], "rockstar");
    for key in ["rule", "line", "text", "message", "hint"] {
        assert!(findings[0].get(key).is_some(), "missing {key}");
    }
    let missing = findings
        .iter()
        .find(|f| f["rule"] == "ic-split-missing")
        .expect("split missing");
    assert!(missing["line"].is_null());
    assert_eq!(out["summary"]["rules"]["vague-phrase"], 3);
    cmd(&dir)
        .args(["jd", "lint", "no-such.md"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no-such.md"));
}

#[test]
fn an_edited_word_list_changes_the_findings_and_a_broken_one_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let words = dir.path().join("words.toml");
    cmd(&dir)
        .args(["jd", "words", "--out"])
        .arg(&words)
        .assert()
        .success();
    let text = std::fs::read_to_string(&words)
        .expect("read")
        .replace("phrases = [", "phrases = [\n  \"synergistic\",");
    std::fs::write(&words, &text).expect("write");
    let doc = "A synergistic team.\n";
    let count = |c: &mut Command, extra: &[&std::ffi::OsStr]| {
        let out = c
            .args(["jd", "lint", "-", "--format", "json"])
            .args(extra)
            .write_stdin(doc)
            .assert()
            .code(1)
            .get_output()
            .stdout
            .clone();
        json(&out)["summary"]["rules"]["vague-phrase"].as_u64()
    };
    assert_eq!(count(&mut cmd(&dir), &[]), Some(0));
    let flag = ["--words".as_ref(), words.as_os_str()];
    assert_eq!(count(&mut cmd(&dir), &flag), Some(1));
    assert_eq!(
        count(cmd(&dir).env("MULTIPLIER_JD_WORDS", &words), &[]),
        Some(1)
    );
    std::fs::write(
        &words,
        text.replace("min_difference = 2", "min_difference = \"two\""),
    )
    .expect("write");
    cmd(&dir)
        .args(["jd", "lint", "-", "--words"])
        .arg(&words)
        .write_stdin(doc)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("words.toml"));
}
