//! The hiring loop's persistence: append-only scorecards, an audit entry for every
//! change, and refusals that say why.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use jiff::civil::date;
use multiplier_core::framework::Signal;
use multiplier_core::pipeline::{FlagResolution, Outcome, Recommendation, Scorecard};
use multiplier_core::score::Score;
use multiplier_core::{Framework, Role};
use multiplier_store::{
    AuditFilter, CandidateId, HiringStore, NewCandidate, OpeningId, RoleId, RoleStore, Store,
    StoreError, Submission, open,
};
use std::collections::BTreeMap;

async fn store_with_candidate(dir: &tempfile::TempDir) -> (Store, CandidateId) {
    let store = open(&dir.path().join("h.db").display().to_string())
        .await
        .expect("open");
    let fw = Framework::default_framework().expect("fw");
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/roles/payments-player-coach.toml"
    ))
    .expect("example");
    let role = store
        .add_role("hm", &Role::parse(&fw, "x", &text).expect("role"))
        .await
        .expect("role stored");
    let opening = store
        .add_opening("hm", role, "Tech Lead, Payments", "hm")
        .await
        .expect("opening");
    let candidate = NewCandidate {
        opening,
        name: "Dana".into(),
        email: None,
        internal: false,
        wants_leadership: None,
        gives_up: None,
        stage: "screen".into(),
    };
    let id = store
        .add_candidate("hm", &candidate)
        .await
        .expect("candidate");
    (store, id)
}

fn card(version: u32, score: i64) -> Scorecard {
    Scorecard {
        stage: "leadership".into(),
        interviewer: "ana".into(),
        scores: BTreeMap::from([(Signal::TeamMultiplier, Score::new(score).expect("score"))]),
        notes: BTreeMap::from([(Signal::TeamMultiplier, "evidence".to_string())]),
        red_flags: Vec::new(),
        recommendation: Recommendation::Yes,
        version,
        amendment_reason: (version > 1).then(|| "reason".to_string()),
    }
}

#[tokio::test]
async fn a_submitted_scorecard_cannot_be_replaced_only_amended() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, id) = store_with_candidate(&dir).await;
    let early = store
        .submit_scorecard("ana", id, &card(2, 2), Submission::Amendment { at_most: 5 })
        .await
        .expect_err("nothing to amend yet");
    assert!(
        matches!(early, StoreError::Refused(ref m) if m.contains("no submitted scorecard")),
        "{early}"
    );
    let first = store
        .submit_scorecard("ana", id, &card(7, 2), Submission::First)
        .await
        .expect("first");
    assert_eq!(
        first.card.version, 1,
        "the store numbers versions, not the caller"
    );
    let again = store
        .submit_scorecard("ana", id, &card(1, 4), Submission::First)
        .await
        .expect_err("resubmitting version 1");
    assert!(
        matches!(again, StoreError::Refused(ref m) if m.contains("amend it with a reason")),
        "{again}"
    );
    let amended = store
        .submit_scorecard("ana", id, &card(2, 3), Submission::Amendment { at_most: 5 })
        .await
        .expect("amendment");
    assert_eq!(amended.card.version, 2);
    let cards = store.scorecards(id).await.expect("list");
    assert_eq!(
        cards
            .iter()
            .map(|c| (c.card.version, c.card.scores[&Signal::TeamMultiplier].get()))
            .collect::<Vec<_>>(),
        [(1, 2), (2, 3)]
    );
}

#[tokio::test]
async fn every_change_is_audited_with_actor_and_subject() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, id) = store_with_candidate(&dir).await;
    store
        .assign("hm", id, "leadership", "ana")
        .await
        .expect("assign");
    store
        .submit_scorecard("ana", id, &card(1, 3), Submission::First)
        .await
        .expect("submit");
    store
        .resolve_flag(
            "hm",
            id,
            &FlagResolution {
                flag: "x".into(),
                by: "hm".into(),
                note: "checked".into(),
            },
        )
        .await
        .expect("resolve");
    store
        .record_decision("hm", id, Outcome::Hire, "both signals clear", true)
        .await
        .expect("decide");
    let all = store.audit(&AuditFilter::default()).await.expect("audit");
    let actions: Vec<&str> = all.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "role.create",
            "opening.create",
            "candidate.add",
            "interviewer.assign",
            "scorecard.submit",
            "flag.resolve",
            "decision.record"
        ]
    );
    let by_ana = store
        .audit(&AuditFilter {
            actor: Some("ana".into()),
            ..AuditFilter::default()
        })
        .await
        .expect("audit");
    assert_eq!(by_ana.len(), 1);
    assert_eq!(by_ana[0].subject, format!("candidate:{id}"));
    assert!(
        !by_ana[0].detail.contains("Dana"),
        "no personal data in the log"
    );
    let scorecards = store
        .audit(&AuditFilter {
            action: Some("scorecard".into()),
            ..AuditFilter::default()
        })
        .await
        .expect("audit");
    assert_eq!(scorecards.len(), 1);
}

#[tokio::test]
async fn refusals_and_missing_records_say_why() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, id) = store_with_candidate(&dir).await;
    let err = store
        .accept_offer("hm", id, date(2027, 1, 4))
        .await
        .expect_err("no offer yet");
    assert!(err.to_string().contains("no open offer"));
    store
        .record_offer("hm", id, &serde_json::json!({"band_min": 1}))
        .await
        .expect("offer");
    store
        .accept_offer("hm", id, date(2027, 1, 4))
        .await
        .expect("accept");
    assert_eq!(
        store.offers(id).await.expect("offers")[0].start_date,
        Some(date(2027, 1, 4))
    );
    store
        .mark_step_done("hm", id, "access", "")
        .await
        .expect("done");
    assert!(
        store.mark_step_done("hm", id, "access", "").await.is_err(),
        "done once"
    );
    let missing = store
        .assign("hm", CandidateId(999), "screen", "ana")
        .await
        .expect_err("no candidate");
    assert!(matches!(
        missing,
        StoreError::NotFound {
            what: "candidate",
            ..
        }
    ));
    let no_role = store
        .add_opening("hm", RoleId(999), "x", "hm")
        .await
        .expect_err("no role");
    assert!(
        matches!(no_role, StoreError::NotFound { what: "role", .. }),
        "{no_role}"
    );
    let no_opening = NewCandidate {
        opening: OpeningId(999),
        name: "x".into(),
        email: None,
        internal: false,
        wants_leadership: None,
        gives_up: None,
        stage: "screen".into(),
    };
    assert!(matches!(
        store.add_candidate("hm", &no_opening).await,
        Err(StoreError::NotFound {
            what: "opening",
            ..
        })
    ));
}

#[tokio::test]
async fn the_audit_log_pages_back_from_the_newest_and_filters_by_several_subjects() {
    let dir = tempfile::tempdir().expect("dir");
    let (store, id) = store_with_candidate(&dir).await;
    for stage in ["async-assessment", "technical-depth", "code-review"] {
        store.move_candidate("hm", id, stage).await.expect("move");
    }
    let all = store.audit(&AuditFilter::default()).await.expect("audit");
    assert_eq!(all.len(), 6, "role, opening, candidate and three moves");
    let first_page = store
        .audit(&AuditFilter {
            newest_first: true,
            limit: Some(2),
            ..AuditFilter::default()
        })
        .await
        .expect("audit");
    let ids: Vec<i64> = first_page.iter().map(|e| e.id).collect();
    assert_eq!(ids, [all[5].id, all[4].id], "newest first, limited");
    let next_page = store
        .audit(&AuditFilter {
            newest_first: true,
            limit: Some(2),
            before: Some(all[4].id),
            ..AuditFilter::default()
        })
        .await
        .expect("audit");
    let ids: Vec<i64> = next_page.iter().map(|e| e.id).collect();
    assert_eq!(ids, [all[3].id, all[2].id], "the page before the cursor");
    let about = store
        .audit(&AuditFilter {
            subjects: vec!["opening:1".into(), format!("candidate:{id}")],
            action: Some("candidate".into()),
            ..AuditFilter::default()
        })
        .await
        .expect("audit");
    assert_eq!(about.len(), 4, "candidate.add and the moves: {about:?}");
    let none = store
        .audit(&AuditFilter {
            subjects: vec!["candidate:999".into()],
            ..AuditFilter::default()
        })
        .await
        .expect("audit");
    assert!(none.is_empty());
}
