//! `multiplier metrics ...` through the real binary: JSON fields, exit codes,
//! saved baselines feeding the job description.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::path::Path;

fn cmd(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("multiplier").expect("binary");
    c.env_remove("MULTIPLIER_FRAMEWORK")
        .env_remove("MULTIPLIER_USER")
        .env("MULTIPLIER_DB", dir.join("m.db"))
        .current_dir(dir);
    c
}

fn json(out: &[u8]) -> Value {
    serde_json::from_slice(out).expect("JSON")
}

fn git(repo: &Path, args: &[&str], date: &str) {
    let ok = std::process::Command::new("git")
        .args([
            "-c",
            "user.name=T",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "tag.gpgsign=false",
        ])
        .args(args)
        .current_dir(repo)
        .env("GIT_AUTHOR_DATE", format!("{date}+0000"))
        .env("GIT_COMMITTER_DATE", format!("{date}+0000"))
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .status()
        .expect("git")
        .success();
    assert!(ok, "git {args:?}");
}

/// Two weeks, four tagged releases, each a day after its commit.
fn repo(dir: &Path) -> std::path::PathBuf {
    let repo = dir.join("repo");
    std::fs::create_dir(&repo).expect("mkdir");
    git(&repo, &["init", "-q", "-b", "main"], "2026-03-01T00:00:00");
    for (i, day) in ["02", "04", "09", "11"].iter().enumerate() {
        std::fs::write(repo.join(format!("{i}.txt")), "x").expect("write");
        git(&repo, &["add", "."], &format!("2026-03-{day}T09:00:00"));
        git(
            &repo,
            &["commit", "-q", "-m", &format!("change {i}")],
            &format!("2026-03-{day}T09:00:00"),
        );
        git(
            &repo,
            &["tag", "-a", &format!("v{i}"), "-m", "release"],
            &format!(
                "2026-03-{}T09:00:00",
                format_args!("{:02}", day.parse::<u8>().expect("day") + 1)
            ),
        );
    }
    repo
}

#[test]
fn metrics_git_reports_every_documented_field() {
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = repo(dir.path());
    let out = json(
        &cmd(dir.path())
            .args(["metrics", "git"])
            .arg(&repo)
            .args([
                "--deploy-tags",
                "v*",
                "--since",
                "2026-03-02",
                "--until",
                "2026-03-16",
                "--format",
                "json",
            ])
            .assert()
            .success()
            .get_output()
            .stdout,
    );
    for field in [
        "deployments",
        "deployments_per_week",
        "deployment_days_per_week_median",
        "lead_time_hours",
        "change_failure_rate",
        "failed_deployments",
        "time_to_restore_hours",
        "tiers",
        "window",
    ] {
        assert!(out.get(field).is_some(), "{field} missing");
    }
    assert_eq!(out["deployments"], 4);
    assert_eq!(out["deployments_per_week"], 2.0);
    assert_eq!(out["lead_time_hours"]["median"], 24.0);
    assert_eq!(out["tiers"]["lead_time"], "elite");
    assert_eq!(out["window"]["since"], "2026-03-02T00:00:00Z");
}

#[test]
fn metrics_git_explains_bad_input_with_exit_two() {
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = repo(dir.path());
    cmd(dir.path())
        .args(["metrics", "git"])
        .arg(&repo)
        .assert()
        .code(2);
    cmd(dir.path())
        .args(["metrics", "git"])
        .arg(&repo)
        .args(["--deploy-tags", "release-*"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no tag").and(predicate::str::contains("v0")));
    cmd(dir.path())
        .args(["metrics", "git", "nowhere", "--deploy-tags", "v*"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a git repository"));
    cmd(dir.path())
        .args(["metrics", "git"])
        .arg(&repo)
        .args([
            "--deploy-tags",
            "v*",
            "--since",
            "2027-01-01",
            "--until",
            "2027-02-01",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no deployment falls in the window",
        ));
    let bad = dir.path().join("inc.csv");
    std::fs::write(&bad, "id,created\n1,2026-03-03\n2,whenever\n").expect("write");
    cmd(dir.path())
        .args(["metrics", "git"])
        .arg(&repo)
        .args(["--deploy-tags", "v*", "--incidents"])
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("inc.csv:3"));
}

#[test]
fn deploys_and_prs_read_their_exports() {
    let dir = tempfile::tempdir().expect("tempdir");
    let deploys = dir.path().join("d.json");
    std::fs::write(&deploys, r#"[
        {"id": "d1", "finished": "2026-03-02T10:00:00Z", "change_times": ["2026-03-02T06:00:00Z"], "environment": "production", "result": "success"},
        {"id": "d2", "finished": "2026-03-03T10:00:00Z", "change_times": ["2026-03-03T08:00:00Z"], "environment": "staging", "result": "success"},
        {"id": "d3", "finished": "2026-03-04T10:00:00Z", "change_times": ["2026-03-04T08:00:00Z"]}
    ]"#).expect("write");
    let incidents = dir.path().join("i.csv");
    std::fs::write(
        &incidents,
        "id,created,resolved,deployment\nINC-1,2026-03-04T12:00:00Z,2026-03-04T13:00:00Z,\n",
    )
    .expect("write");
    let out = json(
        &cmd(dir.path())
            .args(["metrics", "deploys", "--deployments"])
            .arg(&deploys)
            .arg("--incidents")
            .arg(&incidents)
            .args(["--format", "json"])
            .assert()
            .success()
            .get_output()
            .stdout,
    );
    assert_eq!(out["deployments"], 2);
    assert_eq!(out["failed_deployments"], serde_json::json!(["d3"]));
    assert_eq!(out["time_to_restore_hours"]["median"], 3.0);

    let prs = dir.path().join("prs.json");
    std::fs::write(&prs, r#"[{"number": 1, "author": {"login": "a"}, "createdAt": "2026-03-02T09:00:00Z", "mergedAt": "2026-03-02T15:00:00Z", "closedAt": "2026-03-02T15:00:00Z", "isDraft": false, "reviews": [{"author": {"login": "b"}, "submittedAt": "2026-03-02T11:00:00Z"}]}]"#).expect("write");
    let out = json(
        &cmd(dir.path())
            .args(["metrics", "prs"])
            .arg(&prs)
            .args(["--format", "json"])
            .assert()
            .success()
            .get_output()
            .stdout,
    );
    assert_eq!(out["first_review_hours"]["median"], 2.0);
    assert_eq!(out["merge_hours"]["median"], 6.0);
    for field in ["merged", "open", "closed_unmerged"] {
        assert!(out.get(field).is_some(), "{field}");
    }
}

#[test]
fn a_saved_baseline_feeds_the_job_description_and_compare_judges_outcomes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let role = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/roles/payments-player-coach.toml");
    cmd(d)
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
    cmd(d)
        .args(["role", "new", "--as", "priya", "--from"])
        .arg(&role)
        .assert()
        .success();
    cmd(d)
        .args(["opening", "new", "--role", "1", "--as", "priya"])
        .assert()
        .success();
    let base = d.join("base.json");
    std::fs::write(&base, r#"{"deployments": 8, "deployments_per_week": 2.0, "lead_time_hours": {"median": 96.0, "p90": 200.0}, "change_failure_rate": 0.2, "window": {"since": "2026-01-01T00:00:00Z", "until": "2026-02-01T00:00:00Z"}}"#).expect("write");
    cmd(d)
        .args(["metrics", "save", "--opening", "1", "--as", "priya"])
        .arg(&base)
        .assert()
        .success();
    cmd(d)
        .args(["metrics", "save", "--opening", "9", "--as", "priya"])
        .arg(&base)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no opening 9"));
    assert_eq!(
        json(
            &cmd(d)
                .args([
                    "metrics",
                    "history",
                    "--opening",
                    "1",
                    "--format",
                    "json",
                    "--as",
                    "priya"
                ])
                .assert()
                .success()
                .get_output()
                .stdout
        )
        .as_array()
        .map(Vec::len),
        Some(1)
    );
    cmd(d)
        .args(["jd", "write", "--opening", "1", "--as", "priya"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "We deploy to production 2 times a week",
        ));

    let later = d.join("later.json");
    std::fs::write(&later, r#"{"deployments_per_week": 5.0, "lead_time_hours": {"median": 50.0}, "change_failure_rate": 0.19, "window": {"until": "2027-02-01T00:00:00Z"}}"#).expect("write");
    let c = json(
        &cmd(d)
            .args(["metrics", "compare"])
            .arg(&base)
            .arg(&later)
            .args(["--format", "json"])
            .assert()
            .code(1)
            .get_output()
            .stdout,
    );
    let status = |m: &str| {
        c["metrics"]
            .as_array()
            .and_then(|a| a.iter().find(|x| x["metric"] == m))
            .map(|x| x["status"].clone())
    };
    assert_eq!(status("deployment-frequency"), Some(Value::from("met")));
    assert_eq!(status("lead-time"), Some(Value::from("met")));
    assert_eq!(status("change-failure-rate"), Some(Value::from("missed")));
}

#[test]
fn an_opening_repository_gives_snapshots_and_the_outcome_reads_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    let repo = repo(d);
    let role = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/roles/payments-player-coach.toml");
    cmd(d)
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
    cmd(d)
        .args([
            "user",
            "add",
            "ana",
            "--role",
            "interviewer",
            "--password-stdin",
        ])
        .write_stdin("a long enough secret\n")
        .assert()
        .success();
    cmd(d)
        .args(["role", "new", "--as", "priya", "--from"])
        .arg(&role)
        .assert()
        .success();
    cmd(d)
        .args(["opening", "new", "--role", "1", "--as", "priya"])
        .assert()
        .success();
    // No repository yet: a conflict that says what to do.
    cmd(d)
        .args(["metrics", "snapshot", "--opening", "1", "--as", "priya"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("opening set-repo"));
    cmd(d)
        .args(["opening", "set-repo", "1"])
        .arg(&repo)
        .args(["--deploy-tags", "v*", "--as", "ana"])
        .assert()
        .code(3);
    cmd(d)
        .args(["opening", "set-repo", "1"])
        .arg(&repo)
        .args(["--deploy-tags", "v*", "--as", "priya"])
        .assert()
        .success()
        .stdout(predicate::str::contains("deployments: tags v*"));
    cmd(d)
        .args([
            "metrics",
            "snapshot",
            "--opening",
            "1",
            "--since",
            "2026-03-01",
            "--as",
            "priya",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "snapshot 1 (delivery) saved for opening 1 from git",
        ));
    let outcome = json(
        &cmd(d)
            .args([
                "metrics",
                "outcomes",
                "--opening",
                "1",
                "--format",
                "json",
                "--as",
                "ana",
            ])
            .assert()
            .success()
            .get_output()
            .stdout,
    );
    assert_eq!(outcome["snapshots"][0]["baseline"], true);
    // Four tagged releases, the first measured from 2026-03-01.
    let deploys = outcome["trends"][0]["points"][0]["value"]
        .as_f64()
        .expect("a value");
    assert!(deploys > 0.0, "{outcome}");
    assert_eq!(outcome["repository"], Value::Null, "the path is for admins");
    cmd(d)
        .args(["metrics", "outcomes", "--opening", "1", "--as", "priya"])
        .assert()
        .success()
        .stdout(predicate::str::contains("#1").and(predicate::str::contains("(baseline)")));
    // The reminder scan for cron users: no hire, nothing to send.
    cmd(d)
        .args(["mail", "remind-outcomes"])
        .assert()
        .success()
        .stdout(predicate::str::contains("0 outcome reminder(s) queued"));
    cmd(d)
        .args(["opening", "set-repo", "1", "--clear", "--as", "priya"])
        .assert()
        .success()
        .stdout(predicate::str::contains("no repository"));
}
