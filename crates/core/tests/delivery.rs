//! Delivery metrics, one rule at a time, on hand-built events.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use jiff::Timestamp;
use multiplier_core::delivery::{
    Baseline, Change, Deployment, Incident, PullRequest, Review, Status, Window, WindowError,
    compare, pr_report, report,
};
use multiplier_core::framework::Framework;

fn t(s: &str) -> Timestamp {
    format!("{s}Z")
        .parse()
        .unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn change(id: &str, authored: &str) -> Change {
    Change {
        id: id.repeat(8).into(),
        authored: t(authored),
        reverts: Vec::new(),
    }
}

fn deploy(name: &str, time: &str, changes: Vec<Change>) -> Deployment {
    Deployment {
        name: name.into(),
        time: t(time),
        changes,
    }
}

fn run(
    deploys: &[Deployment],
    incidents: &[Incident],
    window: Window,
) -> multiplier_core::delivery::DeliveryReport {
    let fw = Framework::default_framework().expect("fw");
    report(deploys, &[], incidents, window, &fw.delivery.dora).expect("report")
}

fn week() -> Vec<Deployment> {
    vec![
        deploy(
            "v1",
            "2026-03-02T10:00:00",
            vec![
                change("a1", "2026-03-01T10:00:00"),
                change("a2", "2026-03-02T08:00:00"),
            ],
        ),
        deploy(
            "v2",
            "2026-03-04T10:00:00",
            vec![change("b1", "2026-03-03T22:00:00")],
        ),
        deploy(
            "v3",
            "2026-03-06T10:00:00",
            vec![change("c1", "2026-03-05T10:00:00")],
        ),
    ]
}

#[test]
fn lead_time_is_deployment_minus_author_time_median_and_p90() {
    let r = run(&week(), &[], Window::default());
    // 24, 2, 12, 24 hours.
    assert_eq!(r.changes, 4);
    assert_eq!(r.lead_time_hours.median, Some(18.0));
    assert_eq!(r.lead_time_hours.p90, Some(24.0));
    assert_eq!(r.tiers.get("lead_time").map(String::as_str), Some("elite"));
}

#[test]
fn frequency_counts_deployments_and_deployment_days_per_week() {
    let w = Window {
        since: Some(t("2026-03-02T00:00:00")),
        until: Some(t("2026-03-16T00:00:00")),
    };
    let r = run(&week(), &[], w);
    assert_eq!(r.deployments, 3);
    assert_eq!(r.deployments_per_week, 1.5);
    // Week one: 3 deployment days; week two: none.
    assert_eq!(r.deployment_days_per_week_median, 1.5);
    assert_eq!(
        r.tiers.get("deployment_frequency").map(String::as_str),
        Some("high")
    );
}

#[test]
fn until_is_exclusive_and_since_inclusive() {
    let w = Window {
        since: Some(t("2026-03-04T10:00:00")),
        until: Some(t("2026-03-06T10:00:00")),
    };
    let r = run(&week(), &[], w);
    assert_eq!(r.deployments, 1, "v2 only: v3 sits exactly on until");
}

#[test]
fn an_empty_or_inverted_window_is_explained() {
    let fw = Framework::default_framework().expect("fw");
    let w = Window {
        since: Some(t("2027-01-01T00:00:00")),
        until: Some(t("2027-02-01T00:00:00")),
    };
    assert!(matches!(
        report(&week(), &[], &[], w, &fw.delivery.dora),
        Err(WindowError::NoDeployments { .. })
    ));
    let inverted = Window {
        since: Some(t("2027-01-01T00:00:00")),
        until: Some(t("2026-01-01T00:00:00")),
    };
    assert!(matches!(
        report(&week(), &[], &[], inverted, &fw.delivery.dora),
        Err(WindowError::Empty { .. })
    ));
    assert!(matches!(
        report(&[], &[], &[], Window::default(), &fw.delivery.dora),
        Err(WindowError::Nothing)
    ));
}

#[test]
fn a_revert_fails_the_deployment_it_reverts_and_restores_when_shipped() {
    let mut d = week();
    let mut revert = change("r1", "2026-03-05T12:00:00");
    revert.reverts = vec!["b1b1b1b".into()]; // abbreviated sha of b1…
    d[2].changes.push(revert);
    let r = run(&d, &[], Window::default());
    assert_eq!(r.failed_deployments, ["v2"]);
    assert_eq!(r.change_failure_rate, 0.33);
    assert_eq!(r.time_to_restore_hours.median, Some(48.0));
    assert!(r.failures[0].cause.contains("shipped in v3"));
}

#[test]
fn an_incident_naming_a_deployment_fails_it_until_resolved() {
    let inc = Incident {
        id: "INC-1".into(),
        created: t("2026-03-06T12:00:00"),
        resolved: Some(t("2026-03-06T15:00:00")),
        deployment: Some("v1".into()),
    };
    let r = run(&week(), &[inc], Window::default());
    assert_eq!(r.failed_deployments, ["v1"]);
    assert_eq!(r.failures[0].restore_hours, Some(101.0)); // 4 days 5 hours
}

#[test]
fn an_incident_between_deployments_fails_the_earlier_one() {
    let inc = Incident {
        id: "INC-2".into(),
        created: t("2026-03-05T01:00:00"),
        resolved: Some(t("2026-03-05T03:00:00")),
        deployment: None,
    };
    let r = run(&week(), &[inc], Window::default());
    assert_eq!(r.failed_deployments, ["v2"]);
    assert_eq!(r.time_to_restore_hours.median, Some(17.0));
}

#[test]
fn a_deployment_failing_twice_counts_once_with_the_earliest_restore() {
    let mut d = week();
    let mut revert = change("r1", "2026-03-05T12:00:00");
    revert.reverts = vec!["b1".repeat(8)];
    d[2].changes.push(revert);
    let inc = Incident {
        id: "INC-3".into(),
        created: t("2026-03-04T11:00:00"),
        resolved: Some(t("2026-03-04T12:00:00")),
        deployment: None,
    };
    let r = run(&d, &[inc], Window::default());
    assert_eq!(r.failed_deployments, ["v2"]);
    assert_eq!(r.change_failure_rate, 0.33);
    assert_eq!(r.time_to_restore_hours.median, Some(2.0));
}

/// `week()` with full lowercase commit ids (kept as 20 bytes), v2 shipping
/// `b1b1…`, and a change of v3 reverting `reverted`.
fn week_with_commit_ids(reverted: &str) -> Vec<Deployment> {
    let mut d = week();
    for (k, dep) in d.iter_mut().enumerate() {
        for (j, c) in dep.changes.iter_mut().enumerate() {
            c.id = format!("{k}{j}").repeat(20).into();
        }
    }
    d[1].changes[0].id = "b1".repeat(20).into();
    let mut revert = change("r1", "2026-03-05T12:00:00");
    revert.id = "e".repeat(40).into();
    revert.reverts = vec![reverted.to_string()];
    d[2].changes.push(revert);
    d
}

#[test]
fn a_revert_id_abbreviated_or_in_uppercase_finds_the_commit_it_names() {
    for reverted in [
        "b1".repeat(20),
        "B1".repeat(20),
        "b1b1b1b".to_string(),
        "B1b1B1b1B1".to_string(),
    ] {
        let r = run(&week_with_commit_ids(&reverted), &[], Window::default());
        assert_eq!(r.failed_deployments, ["v2"], "{reverted}");
        assert_eq!(
            r.failures[0].cause,
            format!(
                "commit {} reverted by eeeeeeeeee (shipped in v3)",
                reverted.chars().take(10).collect::<String>()
            )
        );
    }
    // Fewer than 7 characters, or a prefix of nothing shipped: no failure.
    for reverted in [
        "b1b1b1",
        "b1b1b1c",
        "B1B1B1B1B1B1B1B1B1B1B1B1B1B1B1B1B1B1B1B1B1",
    ] {
        let r = run(&week_with_commit_ids(reverted), &[], Window::default());
        assert!(r.failed_deployments.is_empty(), "{reverted}");
    }
}

#[test]
fn an_ambiguous_abbreviated_revert_names_the_smallest_matching_id() {
    // v1 and v3 both ship an id starting `abcdef1`; v1's is the smaller.
    let mut d = week_with_commit_ids("abcdef1");
    d[0].changes[1].id = format!("abcdef1{}", "0".repeat(33)).into();
    d[2].changes[0].id = format!("abcdef1{}", "f".repeat(33)).into();
    let r = run(&d, &[], Window::default());
    assert_eq!(r.failed_deployments, ["v1"]);
    // The same when the smaller one ships later: the id decides, not the time.
    let mut d = week_with_commit_ids("ABCDEF1");
    d[0].changes[1].id = format!("abcdef1{}", "f".repeat(33)).into();
    d[1].changes[0].id = format!("abcdef1{}", "0".repeat(33)).into();
    let r = run(&d, &[], Window::default());
    assert_eq!(r.failed_deployments, ["v2"]);
}

#[test]
fn ids_that_are_not_lowercase_commit_ids_match_reverts_ignoring_case() {
    // A CD record's ids are kept as given: uppercase, short, or not hex at all.
    let mut d = week();
    d[1].changes[0].id = "B1B1B1B1-deploy".into();
    let mut revert = change("r1", "2026-03-05T12:00:00");
    revert.id = "Revert-Commit-7".into();
    revert.reverts = vec!["b1b1b1b1".into()];
    d[2].changes.push(revert);
    let r = run(&d, &[], Window::default());
    assert_eq!(r.failed_deployments, ["v2"]);
    assert_eq!(
        r.failures[0].cause,
        "commit b1b1b1b1 reverted by Revert-Com (shipped in v3)"
    );
}

#[test]
fn pull_requests_measure_first_review_by_someone_else_and_skip_drafts() {
    let review = |who: &str, at: &str| Review {
        author: who.into(),
        submitted: t(at),
    };
    let pr = |n,
              author: &str,
              created: &str,
              merged: Option<&str>,
              closed: Option<&str>,
              draft,
              reviews| PullRequest {
        number: n,
        author: author.into(),
        created: t(created),
        merged: merged.map(t),
        closed: closed.map(t),
        draft,
        reviews,
    };
    let prs = vec![
        pr(
            1,
            "ana",
            "2026-03-02T09:00:00",
            Some("2026-03-03T09:00:00"),
            Some("2026-03-03T09:00:00"),
            false,
            vec![
                review("ana", "2026-03-02T09:30:00"),
                review("ben", "2026-03-02T13:00:00"),
            ],
        ),
        pr(
            2,
            "ben",
            "2026-03-02T09:00:00",
            None,
            Some("2026-03-04T09:00:00"),
            false,
            vec![review("cy", "2026-03-02T11:00:00")],
        ),
        pr(3, "cy", "2026-03-02T09:00:00", None, None, false, vec![]),
        pr(
            4,
            "cy",
            "2026-03-02T09:00:00",
            None,
            None,
            true,
            vec![review("ana", "2026-03-02T10:00:00")],
        ),
    ];
    let r = pr_report(&prs);
    assert_eq!(
        (r.pull_requests, r.drafts_skipped, r.without_review),
        (3, 1, 1)
    );
    assert_eq!(r.first_review_hours.median, Some(3.0)); // 4 h and 2 h
    assert_eq!(r.merge_hours.median, Some(24.0));
    assert_eq!((r.merged, r.open, r.closed_unmerged), (1, 1, 1));
}

fn snapshot(json: &str) -> Baseline {
    Baseline::from_json(json).expect("baseline")
}

#[test]
fn compare_judges_each_target_met_on_track_or_missed() {
    let fw = Framework::default_framework().expect("fw");
    let base = snapshot(
        r#"{"deployments_per_week": 2.0, "lead_time_hours": {"median": 100}, "change_failure_rate": 0.2, "window": {"until": "2026-01-01T00:00:00Z"}}"#,
    );
    let later = snapshot(
        r#"{"deployments_per_week": 4.5, "lead_time_hours": {"median": 80}, "change_failure_rate": 0.19, "window": {"until": "2026-07-02T00:00:00Z"}}"#,
    );
    let c = compare(&base, &later, &fw.delivery.targets, None);
    let status = |m: &str| c.metrics.iter().find(|x| x.metric == m).map(|x| x.status);
    assert!(c.months_elapsed.is_some_and(|m| (5.9..6.1).contains(&m)));
    assert_eq!(
        status("deployment-frequency"),
        Some(Status::Met),
        "2.25× ≥ 2×"
    );
    assert_eq!(
        status("lead-time"),
        Some(Status::OnTrack),
        "−20% after half the horizon of a −40% target"
    );
    assert_eq!(
        status("change-failure-rate"),
        Some(Status::Missed),
        "−5% where −15% was due"
    );
    // Without elapsed time the targets are judged as at the horizon.
    let c = compare(&base, &later, &fw.delivery.targets, Some(12.0));
    assert_eq!(
        c.metrics
            .iter()
            .find(|x| x.metric == "lead-time")
            .map(|x| x.status),
        Some(Status::Missed)
    );
    let empty = compare(&Baseline::default(), &later, &fw.delivery.targets, None);
    assert!(empty.metrics.iter().all(|m| m.status == Status::Unknown));
}
