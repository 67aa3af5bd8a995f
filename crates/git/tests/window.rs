//! A window read with `read_since` gives the same deployments from `since` on,
//! the same changes and undeployed commits, and the same report, as reading the
//! whole history and applying the window after — on a history with a long-lived
//! branch merged back, reverts across the window's edge and a commit dated
//! before its parent (clock skew) — while reading fewer commits.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use jiff::Timestamp;
use multiplier_core::Framework;
use multiplier_core::delivery::{self, Window};
use multiplier_git::{History, Mode, read, read_since};
use std::path::Path;
use std::process::Command;

fn git(repo: &Path, args: &[&str], date: &str) -> String {
    let out = Command::new("git")
        .args(["-c", "user.name=T", "-c", "user.email=t@example.com"])
        .args(["-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"])
        .args(args)
        .current_dir(repo)
        .env("GIT_AUTHOR_DATE", format!("{date}+0000"))
        .env("GIT_COMMITTER_DATE", format!("{date}+0000"))
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn day(d: u32, hour: u32) -> String {
    let month = 3 + (d - 1) / 28;
    let dd = (d - 1) % 28 + 1;
    format!("2026-{month:02}-{dd:02}T{hour:02}:00:00")
}

fn commit(repo: &Path, file: &str, message: &str, date: &str) -> String {
    std::fs::write(repo.join(file), date).unwrap();
    git(repo, &["add", "."], date);
    git(repo, &["commit", "-q", "-m", message], date);
    git(repo, &["rev-parse", "HEAD"], date)
}

/// Sixty days on main with a tag every third day; a branch from day 10 to day
/// 40 merged on day 41 (one of its commits dated a day before its parent);
/// reverts of earlier commits on days 25, 33 and 50; three undeployed commits.
fn history(dir: &Path) -> std::path::PathBuf {
    let repo = dir.join("repo");
    std::fs::create_dir(&repo).unwrap();
    git(&repo, &["init", "-q", "-b", "main"], &day(1, 0));
    let mut main_ids = Vec::new();
    for d in 1..=60 {
        if d == 10 {
            git(&repo, &["checkout", "-q", "-b", "feature"], &day(d, 8));
            for f in [11, 15, 14, 20, 30, 40] {
                // Day 14 comes after day 15: a skewed clock.
                commit(
                    &repo,
                    "feature.txt",
                    &format!("feature work {f}"),
                    &day(f, 7),
                );
            }
            git(&repo, &["checkout", "-q", "main"], &day(d, 8));
        }
        if d == 41 {
            git(
                &repo,
                &["merge", "-q", "--no-ff", "-m", "merge feature", "feature"],
                &day(d, 8),
            );
        }
        let message = match d {
            25 => format!(
                "Revert \"change 5\"\n\nThis reverts commit {}.",
                main_ids[4]
            ),
            33 => format!(
                "Revert \"change 30\"\n\nThis reverts commit {}.",
                main_ids[29]
            ),
            50 => format!(
                "Revert \"change 3\"\n\nThis reverts commit {}.",
                main_ids[2]
            ),
            _ => format!("change {d}"),
        };
        main_ids.push(commit(&repo, "main.txt", &message, &day(d, 9)));
        if d % 3 == 0 && d <= 57 {
            git(
                &repo,
                &["tag", "-a", &format!("v{d}"), "-m", "release"],
                &day(d, 12),
            );
        }
    }
    repo
}

fn from(h: &History, since: Timestamp) -> Vec<(String, Timestamp, Vec<String>)> {
    h.deployments
        .iter()
        .filter(|d| d.time >= since)
        .map(|d| {
            let mut ids: Vec<String> = d.changes.iter().map(|c| c.id.to_string()).collect();
            ids.sort();
            (d.name.clone(), d.time, ids)
        })
        .collect()
}

fn undeployed(h: &History) -> Vec<String> {
    let mut ids: Vec<String> = h.undeployed.iter().map(|c| c.id.to_string()).collect();
    ids.sort();
    ids
}

#[test]
fn a_window_reads_less_and_measures_the_same_as_the_whole_history() {
    let dir = tempfile::tempdir().unwrap();
    let repo = history(dir.path());
    let fw = Framework::default_framework().unwrap();
    for mode in [Mode::Tags("v*".into()), Mode::Branch("main".into())] {
        let whole = read(&repo, &mode, &mut |_| {}).unwrap();
        for start in [2, 12, 16, 24, 31, 42, 55] {
            let since: Timestamp = format!("{}Z", day(start, 0)).parse().unwrap();
            let until: Timestamp = format!("{}Z", day(start + 14, 0)).parse().unwrap();
            let part = read_since(&repo, &mode, Some(since), &mut |_| {}).unwrap();
            assert_eq!(
                from(&part, since),
                from(&whole, since),
                "{mode:?} since day {start}"
            );
            assert_eq!(
                undeployed(&part),
                undeployed(&whole),
                "{mode:?} since day {start}"
            );
            if start > 2 {
                assert!(
                    part.commits < whole.commits,
                    "{mode:?} since day {start} read everything"
                );
            }
            for window in [
                Window {
                    since: Some(since),
                    until: None,
                },
                Window {
                    since: Some(since),
                    until: Some(until),
                },
            ] {
                let a = delivery::report(
                    &whole.deployments,
                    &whole.undeployed,
                    &[],
                    window,
                    &fw.delivery.dora,
                );
                let b = delivery::report(
                    &part.deployments,
                    &part.undeployed,
                    &[],
                    window,
                    &fw.delivery.dora,
                );
                match (a, b) {
                    (Ok(a), Ok(b)) => assert_eq!(
                        serde_json::to_value(&a).unwrap(),
                        serde_json::to_value(&b).unwrap(),
                        "{mode:?} {window:?}"
                    ),
                    (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
                    (a, b) => panic!("{mode:?} {window:?}: {a:?} against {b:?}"),
                }
            }
        }
    }
}
