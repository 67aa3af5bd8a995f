//! The delivery outcome of a hire (issue 19, item 1): judgements against the
//! baseline with months counted from the start date, who sees what, uploads
//! and their field errors, a snapshot read through the edge's history reader,
//! and the 6- and 12-month reminders, each queued once.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use jiff::Timestamp;
use jiff::civil::date;
use multiplier_app::outcomes::{HistoryReader, RepoHistory};
use multiplier_app::{
    Account, Actor, App, AppError, CandidateInput, DeploysUpload, ErasureReason, Upload,
};
use multiplier_core::delivery::{Change, Deployment, Status};
use multiplier_core::{Framework, Role};
use multiplier_store::{
    AccountRole, AtsStore, CandidateId, DeployRule, HiringStore, OpeningId, RepoSetting,
};
use serde_json::json;
use std::sync::Arc;

const PASSWORD: &str = "correct horse battery";

async fn app() -> (App, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = multiplier_store::open(&dir.path().join("m.db").display().to_string())
        .await
        .unwrap();
    let app = App::new(store, Arc::new(Framework::default_framework().unwrap()));
    for (name, role, email) in [
        ("priya", AccountRole::Admin, Some("priya@example.com")),
        ("maria", AccountRole::Admin, Some("maria@example.com")),
        ("omar", AccountRole::Admin, None),
        ("ana", AccountRole::Interviewer, Some("ana@example.com")),
    ] {
        app.add_account(&Actor::Operator, name, role, PASSWORD)
            .await
            .unwrap();
        if let Some(e) = email {
            app.set_email(&Actor::Operator, name, Some(e))
                .await
                .unwrap();
        }
    }
    (app, dir)
}

fn account(name: &str, role: AccountRole) -> Account {
    Account {
        name: name.into(),
        role,
    }
}

fn priya() -> Account {
    account("priya", AccountRole::Admin)
}

fn ana() -> Account {
    account("ana", AccountRole::Interviewer)
}

async fn opening(app: &App) -> OpeningId {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/roles/payments-player-coach.toml"
    ))
    .unwrap();
    let role = Role::parse(app.framework(), "payments", &text).unwrap();
    app.open_role(&priya(), &role, None).await.unwrap().1
}

/// A candidate of `opening` with an accepted offer starting on `start`.
async fn hire(app: &App, opening: OpeningId, name: &str, start: jiff::civil::Date) -> CandidateId {
    let id = app
        .add_candidate(
            &priya(),
            opening,
            &CandidateInput {
                name: name.into(),
                email: Some("hire@example.org".into()),
                ..CandidateInput::default()
            },
        )
        .await
        .unwrap();
    let store = app.store();
    store
        .record_offer("priya", id, &json!({"note": "test offer"}))
        .await
        .unwrap();
    store.accept_offer("priya", id, start).await.unwrap();
    store
        .set_candidate_status("priya", id, "active", "hired", None)
        .await
        .unwrap();
    id
}

fn report(until: &str, per_week: f64, lead: f64, failure: f64) -> serde_json::Value {
    json!({"deployments": 10, "deployments_per_week": per_week,
        "lead_time_hours": {"median": lead, "p90": lead * 2.0},
        "change_failure_rate": failure,
        "time_to_restore_hours": {"median": 5.0, "p90": 9.0},
        "window": {"since": "2025-10-01T00:00:00Z", "until": until}})
}

#[tokio::test]
async fn later_snapshots_are_judged_against_the_baseline_from_the_start_date() {
    let (app, _dir) = app().await;
    let o = opening(&app).await;
    app.save_snapshot(
        &priya(),
        o,
        "base.json",
        &report("2025-12-20T00:00:00Z", 2.0, 100.0, 0.2),
    )
    .await
    .unwrap();
    app.save_snapshot(
        &priya(),
        o,
        "prs.json",
        &json!({"pull_requests": 3, "first_review_hours": {"median": 20.0, "p90": 30.0}, "merge_hours": {"median": 40.0, "p90": 50.0}}),
    )
    .await
    .unwrap();
    // Before a hire: the months come from the reports' windows.
    app.save_snapshot(
        &priya(),
        o,
        "m6.json",
        &report("2026-07-02T12:00:00Z", 4.5, 75.0, 0.2),
    )
    .await
    .unwrap();
    let before = app.outcomes(&priya(), o).await.unwrap();
    assert!(!before.counted_from_start);
    let later = &before.snapshots[2];
    let c = later.comparison.as_ref().expect("judged");
    assert!(c.months_elapsed.unwrap() > 6.0, "{:?}", c.months_elapsed);

    hire(&app, o, "Dana Example", date(2026, 1, 1)).await;
    let v = app.outcomes(&priya(), o).await.unwrap();
    assert!(v.counted_from_start);
    assert_eq!(
        v.snapshots.iter().map(|s| s.baseline).collect::<Vec<_>>(),
        [true, true, false],
        "the first of each kind is the baseline"
    );
    assert!(v.snapshots[0].comparison.is_none());
    assert!(
        v.snapshots[1].comparison.is_none(),
        "review times have no target"
    );
    let later = &v.snapshots[2];
    assert_eq!(later.months_elapsed, Some(6.0));
    let c = later.comparison.as_ref().expect("judged");
    assert_eq!(c.months_elapsed, Some(6.0));
    let status = |metric: &str| {
        c.metrics
            .iter()
            .find(|m| m.metric == metric)
            .unwrap_or_else(|| panic!("{metric}"))
            .status
    };
    // 2 → 4.5 a week: 2.25×, the low end is 2×.
    assert_eq!(status("deployment-frequency"), Status::Met);
    // 100 → 75 h: −25 %, short of −40 % but past the −20 % due at 6 of 12 months.
    assert_eq!(status("lead-time"), Status::OnTrack);
    // No change in the failure rate.
    assert_eq!(status("change-failure-rate"), Status::Missed);
    // The same numbers as `metrics compare` (core's compare) gives.
    let direct = multiplier_core::delivery::compare(
        &serde_json::from_value(report("2025-12-20T00:00:00Z", 2.0, 100.0, 0.2)).unwrap(),
        &serde_json::from_value(report("2026-07-02T12:00:00Z", 4.5, 75.0, 0.2)).unwrap(),
        &app.framework().delivery.targets,
        Some(6.0),
    );
    assert_eq!(c.metrics, direct.metrics);
    // Trends: every snapshot that measured the metric, oldest first.
    let trend = |id: &str| v.trends.iter().find(|t| t.metric.id == id).unwrap();
    assert_eq!(
        trend("deployment-frequency")
            .points
            .iter()
            .map(|p| p.value)
            .collect::<Vec<_>>(),
        [2.0, 4.5]
    );
    assert_eq!(trend("first-review").points.len(), 1);
    assert_eq!(trend("change-failure-rate").points[0].value, 20.0);
}

#[tokio::test]
async fn everyone_sees_the_numbers_but_the_hire_only_as_the_candidate_page_allows() {
    let (app, _dir) = app().await;
    let o = opening(&app).await;
    let id = hire(&app, o, "Dana Example", date(2026, 1, 1)).await;
    app.set_repository(
        &priya(),
        o,
        Some(&RepoSetting {
            path: "/srv/git/team.git".into(),
            deploy: DeployRule::Tags("v*".into()),
        }),
    )
    .await
    .unwrap();
    let admin = app.outcomes(&priya(), o).await.unwrap();
    assert_eq!(admin.hires[0].name.as_deref(), Some("Dana Example"));
    assert_eq!(admin.hires[0].start_date, Some(date(2026, 1, 1)));
    assert!(admin.may_manage);
    assert!(admin.repository.is_some());
    assert_eq!(admin.reminders.len(), 2);

    // An interviewer not on the candidate's loop: the numbers, not the person.
    let other = app.outcomes(&ana(), o).await.unwrap();
    assert_eq!(other.hires.len(), 1);
    assert_eq!(other.hires[0].name, None);
    assert_eq!(other.hires[0].candidate, None);
    assert_eq!(other.hires[0].start_date, None);
    assert!(!other.may_manage);
    assert!(other.repository.is_none());
    assert!(other.reminders.is_empty());
    assert!(
        other.counted_from_start,
        "the same judgement for every viewer"
    );
    // Assigned: the name, still not the offer's start date.
    app.assign(&priya(), id, "technical-depth", "ana")
        .await
        .unwrap();
    let assigned = app.outcomes(&ana(), o).await.unwrap();
    assert_eq!(assigned.hires[0].name.as_deref(), Some("Dana Example"));
    assert_eq!(assigned.hires[0].start_date, None);

    // Writes are for hiring managers.
    let e = app
        .upload_prs(&ana(), o, Upload::default())
        .await
        .unwrap_err();
    assert!(matches!(e, AppError::Forbidden(_)), "{e:?}");
    let e = app.set_repository(&ana(), o, None).await.unwrap_err();
    assert!(matches!(e, AppError::Forbidden(_)), "{e:?}");
    assert!(matches!(
        app.outcomes(&ana(), OpeningId(99)).await,
        Err(AppError::NotFound(_))
    ));

    // Erased: shown as erased, whoever looks, and no start date is left.
    app.erase_candidate(&priya(), id, true, Some(ErasureReason::CandidateRequest))
        .await
        .unwrap();
    for who in [priya(), ana()] {
        let v = app.outcomes(&who, o).await.unwrap();
        assert!(v.hires[0].erased);
        assert_ne!(v.hires[0].name.as_deref(), Some("Dana Example"));
        assert_eq!(v.hires[0].start_date, None);
    }
}

fn file(name: &str, text: &str) -> Upload {
    Upload {
        file_name: name.into(),
        bytes: text.as_bytes().to_vec(),
    }
}

#[tokio::test]
async fn uploads_are_measured_like_the_cli_and_bad_files_name_their_field() {
    let (app, _dir) = app().await;
    let o = opening(&app).await;
    let deploys = r#"[
        {"id": "d1", "finished": "2026-03-02T10:00:00Z", "change_times": ["2026-03-02T06:00:00Z"]},
        {"id": "d2", "finished": "2026-03-03T10:00:00Z", "change_times": ["2026-03-03T08:00:00Z"], "environment": "staging"},
        {"id": "d3", "finished": "2026-03-04T10:00:00Z", "change_times": ["2026-03-04T08:00:00Z"]}
    ]"#;
    let incidents =
        "id,created,resolved,deployment\nINC-1,2026-03-04T12:00:00Z,2026-03-04T13:00:00Z,\n";
    let s = app
        .upload_deployments(
            &priya(),
            o,
            DeploysUpload {
                deployments: file("d.json", deploys),
                incidents: Some(file("i.csv", incidents)),
            },
        )
        .await
        .unwrap();
    assert_eq!(s.kind, "delivery");
    assert_eq!(s.source, "upload d.json + i.csv");
    assert_eq!(s.body["deployments"], 2);
    assert_eq!(s.body["failed_deployments"], json!(["d3"]));
    assert_eq!(s.body["time_to_restore_hours"]["median"], 3.0);

    let prs = r#"[{"number": 1, "author": {"login": "a"}, "createdAt": "2026-03-02T09:00:00Z", "mergedAt": "2026-03-02T15:00:00Z", "closedAt": "2026-03-02T15:00:00Z", "isDraft": false, "reviews": [{"author": {"login": "b"}, "submittedAt": "2026-03-02T11:00:00Z"}]}]"#;
    let s = app
        .upload_prs(&priya(), o, file("prs.json", prs))
        .await
        .unwrap();
    assert_eq!(s.kind, "prs");
    assert_eq!(s.body["first_review_hours"]["median"], 2.0);

    let field = |e: AppError| {
        let p = e.problems().first().cloned().expect("a field problem");
        (p.field, p.message)
    };
    let bad = app
        .upload_deployments(
            &priya(),
            o,
            DeploysUpload {
                deployments: file("d.csv", "id,finished\nd1,yesterday-ish\n"),
                incidents: None,
            },
        )
        .await
        .unwrap_err();
    let (f, m) = field(bad);
    assert_eq!(f, "deployments");
    assert!(m.contains("d.csv:2"), "{m}");
    let bad = app
        .upload_deployments(
            &priya(),
            o,
            DeploysUpload {
                deployments: file("d.json", deploys),
                incidents: Some(file("i.csv", "id,created\nINC-1,never\n")),
            },
        )
        .await
        .unwrap_err();
    assert_eq!(field(bad).0, "incidents");
    let big = "x".repeat(multiplier_app::limits::MAX_INPUT_BYTES + 1);
    let (f, m) = field(
        app.upload_prs(&priya(), o, file("big.json", &big))
            .await
            .unwrap_err(),
    );
    assert_eq!(f, "prs");
    assert!(m.contains("2097152 bytes"), "{m}");
    let (f, _) = field(
        app.upload_prs(&priya(), o, file("e.json", "  "))
            .await
            .unwrap_err(),
    );
    assert_eq!(f, "prs");
    let (f, _) = field(
        app.upload_prs(
            &priya(),
            o,
            Upload {
                file_name: "bin".into(),
                bytes: vec![0xff, 0xfe, 0x00],
            },
        )
        .await
        .unwrap_err(),
    );
    assert_eq!(f, "prs");
    // Nothing refused was saved.
    assert_eq!(app.snapshots(&priya(), o).await.unwrap().len(), 2);
}

/// A repository that deployed twice in the window, as the edge's reader would say.
#[derive(Debug)]
struct FakeHistory;

impl HistoryReader for FakeHistory {
    fn read(
        &self,
        setting: &RepoSetting,
        _since: Option<Timestamp>,
    ) -> Result<RepoHistory, String> {
        if setting.path == "/nowhere" {
            return Err("not a git repository".into());
        }
        let t = |s: &str| s.parse::<Timestamp>().unwrap();
        let change = |id: &str, at: &str| Change {
            id: id.into(),
            authored: t(at),
            reverts: Vec::new(),
        };
        Ok(RepoHistory {
            deployments: vec![
                Deployment {
                    name: "v1".into(),
                    time: t("2026-03-02T12:00:00Z"),
                    changes: vec![change("aaaaaaa", "2026-03-02T08:00:00Z")],
                },
                Deployment {
                    name: "v2".into(),
                    time: t("2026-03-09T12:00:00Z"),
                    changes: vec![change("bbbbbbb", "2026-03-09T10:00:00Z")],
                },
            ],
            undeployed: Vec::new(),
            commits: 2,
        })
    }
}

#[tokio::test]
async fn a_snapshot_is_taken_from_the_opening_repository_through_the_reader() {
    let (app, _dir) = app().await;
    let o = opening(&app).await;
    let now: Timestamp = "2026-03-15T00:00:00Z".parse().unwrap();
    let e = app.take_snapshot(&priya(), o, None, now).await.unwrap_err();
    assert!(
        matches!(e, AppError::Conflict(ref m) if m.contains("no repository")),
        "{e:?}"
    );
    let setting = RepoSetting {
        path: " /srv/git/team.git ".into(),
        deploy: DeployRule::Tags("v*".into()),
    };
    let stored = app
        .set_repository(&priya(), o, Some(&setting))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.setting.path, "/srv/git/team.git", "trimmed");
    let e = app.take_snapshot(&priya(), o, None, now).await.unwrap_err();
    assert!(
        matches!(e, AppError::Conflict(ref m) if m.contains("cannot read git")),
        "{e:?}"
    );

    let app = app.with_history(Arc::new(FakeHistory));
    let s = app.take_snapshot(&priya(), o, None, now).await.unwrap();
    assert_eq!(s.kind, "delivery");
    assert_eq!(s.source, "git /srv/git/team.git");
    assert_eq!(s.body["deployments"], 2);
    assert_eq!(s.body["window"]["until"], "2026-03-15T00:00:00Z");
    assert_eq!(s.body["lead_time_hours"]["median"], 3.0);
    let e = app.take_snapshot(&ana(), o, None, now).await.unwrap_err();
    assert!(matches!(e, AppError::Forbidden(_)));

    // Bad settings name their field; an unreadable path is a conflict that says why.
    let e = app
        .set_repository(
            &priya(),
            o,
            Some(&RepoSetting {
                path: "".into(),
                deploy: DeployRule::Branch(" ".into()),
            }),
        )
        .await
        .unwrap_err();
    let fields: Vec<_> = e.problems().iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["path", "deploy_branch"]);
    app.set_repository(
        &priya(),
        o,
        Some(&RepoSetting {
            path: "/nowhere".into(),
            deploy: DeployRule::Branch("main".into()),
        }),
    )
    .await
    .unwrap();
    let e = app.take_snapshot(&priya(), o, None, now).await.unwrap_err();
    assert!(
        matches!(e, AppError::Conflict(ref m) if m.contains("not a git repository")),
        "{e:?}"
    );
    assert_eq!(app.set_repository(&priya(), o, None).await.unwrap(), None);
}

#[tokio::test]
async fn reminders_go_at_six_and_twelve_months_once_each() {
    let (app, _dir) = app().await;
    let o = opening(&app).await;
    let id = hire(&app, o, "Dana Example", date(2026, 1, 1)).await;
    let at = |s: &str| s.parse::<Timestamp>().unwrap();
    let outbox = |app: App| async move {
        app.outbox(&priya(), None)
            .await
            .unwrap()
            .into_iter()
            .filter(|m| m.kind == "outcome-reminder")
            .collect::<Vec<_>>()
    };

    assert_eq!(
        app.queue_outcome_reminders(at("2026-06-30T23:59:00Z"))
            .await
            .unwrap(),
        0
    );
    assert!(outbox(app.clone()).await.is_empty());

    // Two servers scan at the same moment: one reminder goes.
    let now = at("2026-07-01T00:00:00Z");
    let (a, b) = tokio::join!(
        app.queue_outcome_reminders(now),
        app.queue_outcome_reminders(now)
    );
    assert_eq!(a.unwrap() + b.unwrap(), 1);
    let sent = outbox(app.clone()).await;
    let mut to: Vec<_> = sent.iter().map(|m| m.recipient.as_str()).collect();
    to.sort();
    // The manager (priya) and every admin with an address; not the interviewer,
    // not the admin without one.
    assert_eq!(to, ["maria@example.com", "priya@example.com"]);
    assert!(sent[0].subject.contains("6 months"), "{}", sent[0].subject);
    assert!(
        sent[0].body.contains("/openings/1/outcomes"),
        "{}",
        sent[0].body
    );
    assert!(sent[0].body.contains("2026-01-01"));
    assert_eq!(sent[0].candidate, Some(id), "erased with the hire");
    // Again, and after a restart (a second app on the same database): nothing.
    assert_eq!(app.queue_outcome_reminders(now).await.unwrap(), 0);
    let again = App::new(app.store().clone(), app.framework_arc());
    assert_eq!(
        again
            .queue_outcome_reminders(at("2026-09-01T00:00:00Z"))
            .await
            .unwrap(),
        0
    );

    assert_eq!(
        app.queue_outcome_reminders(at("2027-01-01T08:00:00Z"))
            .await
            .unwrap(),
        1
    );
    let sent = outbox(app.clone()).await;
    assert_eq!(sent.len(), 4);
    assert!(sent.iter().any(|m| m.subject.contains("12 months")));
    assert_eq!(
        app.queue_outcome_reminders(at("2028-01-01T00:00:00Z"))
            .await
            .unwrap(),
        0
    );
    let v = app.outcomes(&priya(), o).await.unwrap();
    assert!(v.reminders.iter().all(|r| r.sent_at.is_some()));

    // Found late (both milestones past): one message, about twelve months.
    let late = hire(&app, o, "Lee Late", date(2024, 1, 10)).await;
    assert_eq!(
        app.queue_outcome_reminders(at("2026-07-02T00:00:00Z"))
            .await
            .unwrap(),
        1
    );
    let for_late: Vec<_> = outbox(app.clone())
        .await
        .into_iter()
        .filter(|m| m.candidate == Some(late))
        .collect();
    assert_eq!(for_late.len(), 2);
    assert!(for_late.iter().all(|m| m.subject.contains("12 months")));
    assert_eq!(
        app.queue_outcome_reminders(at("2026-07-03T00:00:00Z"))
            .await
            .unwrap(),
        0
    );
    // Each queueing is on the audit trail.
    let trail = app.audit_log(&priya(), &Default::default()).await.unwrap();
    assert_eq!(
        trail
            .iter()
            .filter(|e| e.action == "mail.outcome-reminder")
            .count(),
        3
    );
}
