//! Real repositories built in the test with fixed author and committer dates.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use multiplier_core::delivery::{Incident, Window, WindowError, report};
use multiplier_core::framework::Framework;
use multiplier_git::{GitError, History, Mode, read};
use std::path::Path;
use std::process::Command;

struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn new() -> Repo {
        let r = Repo {
            dir: tempfile::tempdir().expect("tempdir"),
        };
        r.git(&["init", "-q", "-b", "main"], "2026-03-01T00:00:00");
        r
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn git(&self, args: &[&str], date: &str) -> String {
        let out = Command::new("git")
            .args([
                "-c",
                "user.name=Test",
                "-c",
                "user.email=test@example.com",
                "-c",
                "commit.gpgsign=false",
                "-c",
                "tag.gpgsign=false",
            ])
            .args(args)
            .current_dir(self.path())
            .env("GIT_AUTHOR_DATE", format!("{date}+0000"))
            .env("GIT_COMMITTER_DATE", format!("{date}+0000"))
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// A commit authored at `authored`, committed at `committed`; returns its id.
    fn commit(&self, msg: &str, authored: &str, committed: &str) -> String {
        // One file per commit, so branches merge without conflicts.
        let name = format!("{}.txt", msg.replace(' ', "-"));
        std::fs::write(self.path().join(&name), format!("{msg}\n")).expect("write");
        self.git(&["add", &name], committed);
        let out = Command::new("git")
            .args([
                "-c",
                "user.name=Test",
                "-c",
                "user.email=test@example.com",
                "-c",
                "commit.gpgsign=false",
                "commit",
                "-q",
                "-m",
                msg,
            ])
            .current_dir(self.path())
            .env("GIT_AUTHOR_DATE", format!("{authored}+0000"))
            .env("GIT_COMMITTER_DATE", format!("{committed}+0000"))
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .output()
            .expect("git commit");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        self.git(&["rev-parse", "HEAD"], committed)
    }

    fn tag(&self, name: &str, date: &str, annotated: bool) {
        if annotated {
            self.git(&["tag", "-a", name, "-m", name], date);
        } else {
            self.git(&["tag", name], date);
        }
    }

    fn read(&self, mode: Mode) -> History {
        read(self.path(), &mode, &mut |_| {}).expect("reads")
    }
}

fn fw() -> Framework {
    Framework::default_framework().expect("fw")
}

fn hours_of(h: &History, name: &str) -> Vec<f64> {
    let d = h
        .deployments
        .iter()
        .find(|d| d.name == name)
        .expect("deployment");
    let mut v: Vec<f64> = d
        .changes
        .iter()
        .map(|c| d.time.duration_since(c.authored).as_secs_f64() / 3600.0)
        .collect();
    v.sort_by(f64::total_cmp);
    v
}

#[test]
fn tag_mode_assigns_each_commit_to_the_first_tag_that_ships_it() {
    let r = Repo::new();
    r.commit("a", "2026-03-01T08:00:00", "2026-03-01T09:00:00");
    r.commit("b", "2026-03-01T10:00:00", "2026-03-01T11:00:00");
    r.tag("v1", "2026-03-01T12:00:00", false);
    r.commit("c", "2026-03-02T10:00:00", "2026-03-02T10:00:00");
    r.tag("v2", "2026-03-03T10:00:00", true);
    r.tag("not-a-release", "2026-03-03T11:00:00", false);
    let h = r.read(Mode::Tags("v*".into()));
    let names: Vec<&str> = h.deployments.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["v1", "v2"]);
    // v1 is lightweight: the commit's committer date (11:00) is the deployment time.
    assert_eq!(hours_of(&h, "v1"), [1.0, 3.0]);
    // v2 is annotated: the tagger date, a day after the commit.
    assert_eq!(hours_of(&h, "v2"), [24.0]);
    assert_eq!(h.commits, 3);
}

#[test]
fn branch_mode_makes_each_first_parent_commit_a_deployment_and_merges_carry_their_branch() {
    let r = Repo::new();
    r.commit("base", "2026-03-01T08:00:00", "2026-03-01T08:00:00");
    r.git(&["checkout", "-q", "-b", "feature"], "2026-03-01T09:00:00");
    r.commit("feature work", "2026-03-01T09:00:00", "2026-03-01T09:00:00");
    r.git(&["checkout", "-q", "main"], "2026-03-01T10:00:00");
    r.commit("main work", "2026-03-01T10:00:00", "2026-03-01T10:00:00");
    r.git(
        &["merge", "-q", "--no-ff", "-m", "merge feature", "feature"],
        "2026-03-01T12:00:00",
    );
    let h = r.read(Mode::Branch("main".into()));
    assert_eq!(h.deployments.len(), 3, "base, main work, the merge");
    let merge = h.deployments.last().expect("merge");
    assert_eq!(
        merge.changes.len(),
        2,
        "the merge ships itself and the feature commit"
    );
    assert_eq!(hours_of(&h, &merge.name), [0.0, 3.0]);
}

#[test]
fn a_revert_marks_the_deployment_that_shipped_the_reverted_commit() {
    let r = Repo::new();
    let bad = r.commit("risky", "2026-03-02T08:00:00", "2026-03-02T08:00:00");
    r.tag("v1", "2026-03-02T09:00:00", false);
    r.git(&["revert", "--no-edit", &bad], "2026-03-02T15:00:00");
    r.tag("v2", "2026-03-02T15:00:00", false);
    let h = r.read(Mode::Tags("v*".into()));
    let rep = report(
        &h.deployments,
        &h.undeployed,
        &[],
        Window::default(),
        &fw().delivery.dora,
    )
    .expect("report");
    assert_eq!(rep.failed_deployments, ["v1"]);
    assert_eq!(rep.change_failure_rate, 0.5);
    // v1 is lightweight, so it deployed at its commit time (08:00); v2 ships the revert at 15:00.
    assert_eq!(rep.time_to_restore_hours.median, Some(7.0));
}

#[test]
fn change_ids_are_git_ids_and_an_abbreviated_uppercase_revert_still_resolves() {
    let r = Repo::new();
    let bad = r.commit("risky", "2026-03-02T08:00:00", "2026-03-02T08:00:00");
    r.tag("v1", "2026-03-02T09:00:00", false);
    // Written by hand: 12 characters of the id, in uppercase.
    let fix = r.commit(
        &format!(
            "Undo risky\n\nThis reverts commit {}.",
            bad[..12].to_uppercase()
        ),
        "2026-03-02T14:00:00",
        "2026-03-02T14:00:00",
    );
    r.tag("v2", "2026-03-02T15:00:00", false);
    let h = r.read(Mode::Tags("v*".into()));
    // Ids print as git prints them (kept as bytes inside).
    assert_eq!(h.deployments[0].changes[0].id.to_string(), bad);
    assert_eq!(h.deployments[1].changes[0].id.to_string(), fix);
    assert_eq!(h.deployments[1].changes[0].reverts, [bad[..12].to_string()]);
    let rep = report(
        &h.deployments,
        &h.undeployed,
        &[],
        Window::default(),
        &fw().delivery.dora,
    )
    .expect("report");
    assert_eq!(rep.failed_deployments, ["v1"]);
    assert_eq!(
        rep.failures[0].cause,
        format!(
            "commit {} reverted by {} (shipped in v2)",
            &bad[..10],
            &fix[..10]
        )
    );
    let json = serde_json::to_value(&h.deployments[0].changes[0]).expect("json");
    assert_eq!(json["id"], bad.as_str());
}

#[test]
fn a_revert_not_yet_deployed_fails_without_a_restore() {
    let r = Repo::new();
    let bad = r.commit("risky", "2026-03-02T08:00:00", "2026-03-02T08:00:00");
    r.tag("v1", "2026-03-02T09:00:00", false);
    r.git(&["revert", "--no-edit", &bad], "2026-03-02T15:00:00");
    let h = r.read(Mode::Tags("v*".into()));
    assert_eq!(h.undeployed.len(), 1);
    let rep = report(
        &h.deployments,
        &h.undeployed,
        &[],
        Window::default(),
        &fw().delivery.dora,
    )
    .expect("report");
    assert_eq!(rep.failed_deployments, ["v1"]);
    assert_eq!(rep.time_to_restore_hours.median, None);
}

#[test]
fn incidents_link_by_name_and_by_time_to_real_deployments() {
    let r = Repo::new();
    r.commit("a", "2026-03-02T08:00:00", "2026-03-02T08:00:00");
    r.tag("v1", "2026-03-02T09:00:00", false);
    r.commit("b", "2026-03-03T08:00:00", "2026-03-03T08:00:00");
    r.tag("v2", "2026-03-03T09:00:00", false);
    r.commit("c", "2026-03-04T08:00:00", "2026-03-04T08:00:00");
    r.tag("v3", "2026-03-04T09:00:00", false);
    let h = r.read(Mode::Tags("v*".into()));
    let t = |s: &str| format!("{s}Z").parse().expect("ts");
    let incidents = [
        Incident {
            id: "named".into(),
            created: t("2026-03-04T20:00:00"),
            resolved: Some(t("2026-03-04T21:00:00")),
            deployment: Some("v1".into()),
        },
        Incident {
            id: "timed".into(),
            created: t("2026-03-03T12:00:00"),
            resolved: Some(t("2026-03-03T13:00:00")),
            deployment: None,
        },
    ];
    let rep = report(
        &h.deployments,
        &h.undeployed,
        &incidents,
        Window::default(),
        &fw().delivery.dora,
    )
    .expect("report");
    assert_eq!(rep.failed_deployments, ["v1", "v2"]);
}

#[test]
fn window_edges_and_an_empty_window() {
    let r = Repo::new();
    for (i, day) in ["02", "03", "04"].iter().enumerate() {
        r.commit(
            &format!("c{i}"),
            &format!("2026-03-{day}T08:00:00"),
            &format!("2026-03-{day}T08:00:00"),
        );
        r.tag(&format!("v{i}"), &format!("2026-03-{day}T09:00:00"), false);
    }
    let h = r.read(Mode::Tags("v*".into()));
    let t = |s: &str| Some(format!("{s}Z").parse().expect("ts"));
    let w = Window {
        since: t("2026-03-03T09:00:00"),
        until: t("2026-03-04T09:00:00"),
    };
    let rep = report(&h.deployments, &h.undeployed, &[], w, &fw().delivery.dora).expect("report");
    assert_eq!(rep.deployments, 1, "since is inclusive, until exclusive");
    let empty = Window {
        since: t("2026-04-01T00:00:00"),
        until: t("2026-05-01T00:00:00"),
    };
    assert!(matches!(
        report(
            &h.deployments,
            &h.undeployed,
            &[],
            empty,
            &fw().delivery.dora
        ),
        Err(WindowError::NoDeployments { .. })
    ));
}

#[test]
fn a_repository_without_matching_tags_says_so() {
    let r = Repo::new();
    r.commit("a", "2026-03-02T08:00:00", "2026-03-02T08:00:00");
    let err = read(r.path(), &Mode::Tags("v*".into()), &mut |_| {}).expect_err("no tags");
    assert!(
        matches!(err, GitError::NoMatchingTags { total: 0, .. }),
        "{err}"
    );
    r.tag("release-1", "2026-03-02T09:00:00", false);
    let err = read(r.path(), &Mode::Tags("v*".into()), &mut |_| {}).expect_err("no match");
    assert!(err.to_string().contains("release-1"), "{err}");
}

#[test]
fn a_missing_repository_or_branch_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let err = read(
        &dir.path().join("nope"),
        &Mode::Tags("v*".into()),
        &mut |_| {},
    )
    .expect_err("missing");
    assert!(matches!(err, GitError::Open { .. }));
    let r = Repo::new();
    r.commit("a", "2026-03-02T08:00:00", "2026-03-02T08:00:00");
    let err =
        read(r.path(), &Mode::Branch("production".into()), &mut |_| {}).expect_err("no branch");
    assert!(err.to_string().contains("production"));
}
