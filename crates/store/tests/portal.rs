//! The candidate portal's persistence: links found by their token's hash while live
//! only, drafts frozen on submission, evidence attached with the submission, and
//! erasure that removes personal data but keeps an audit trail free of it. Each
//! scenario runs on SQLite and, when `MULTIPLIER_TEST_POSTGRES_URL` is set, on
//! PostgreSQL.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use jiff::{SignedDuration, Timestamp};
use multiplier_core::{Framework, Role};
use multiplier_store::testing::TestDb;
use multiplier_store::{
    AuditFilter, CandidateId, HiringStore, NewCandidate, NewLink, PortalStore, RoleStore, Store,
    StoreError, SubmittedEvidence, Task, TokenHash, erased_name,
};
use serde_json::json;

async fn store_with_candidates(db: &TestDb) -> (Store, CandidateId, CandidateId) {
    let store = db.open().await;
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
    let mut ids = Vec::new();
    for (name, email) in [
        ("Dana Example", "dana@example.test"),
        ("Eli Other", "eli@example.test"),
    ] {
        let c = NewCandidate {
            opening,
            name: name.into(),
            email: Some(email.into()),
            internal: true,
            wants_leadership: Some("yes, the people side".into()),
            gives_up: Some("some coding".into()),
            stage: "assessment".into(),
        };
        ids.push(store.add_candidate("hm", &c).await.expect("candidate"));
    }
    (store, ids[0], ids[1])
}

fn new_link(candidate: CandidateId, token: &str, days: i64) -> NewLink {
    NewLink {
        candidate,
        token_hash: TokenHash::of(token),
        exercise: "orders-n-plus-one".into(),
        expires_at: Timestamp::now() + SignedDuration::from_hours(24 * days),
    }
}

fn evidence(kind: &str) -> SubmittedEvidence {
    SubmittedEvidence {
        kind: kind.into(),
        source: "candidate portal".into(),
        body: json!({"answers": [{"question": "sprint-risk", "text": "my words"}], "analysis": {}}),
    }
}

multiplier_store::each_backend! {
    async fn a_link_is_found_by_its_token_hash_only_while_live(db) {
        let (store, dana, _) = store_with_candidates(&db).await;
        let link = store
            .create_link("hm", &new_link(dana, "tok-a", 14))
            .await
            .unwrap();
        assert_eq!(link.candidate, dana);
        assert_eq!(link.created_by, "hm");
        assert!(link.opened_at.is_none() && link.revoked_at.is_none());

        let now = Timestamp::now();
        let found = store.live_link(&TokenHash::of("tok-a"), now).await.unwrap();
        assert_eq!(found.map(|l| l.id), Some(link.id));
        assert!(
            store
                .live_link(&TokenHash::of("tok-b"), now)
                .await
                .unwrap()
                .is_none()
        );
        // After its expiry the same token finds nothing.
        let later = link.expires_at + SignedDuration::from_secs(1);
        assert!(
            store
                .live_link(&TokenHash::of("tok-a"), later)
                .await
                .unwrap()
                .is_none()
        );

        // The token itself is stored nowhere.
        let audit = store.audit(&AuditFilter::default()).await.unwrap();
        let created = audit
            .iter()
            .find(|e| e.action == "portal.link.create")
            .expect("audited");
        assert_eq!(created.subject, format!("candidate:{dana}"));
        assert!(!created.detail.contains("tok-a"));
        assert!(!created.detail.contains(TokenHash::of("tok-a").as_str()));
    }
}

multiplier_store::each_backend! {
    async fn revoking_or_creating_a_new_link_ends_the_old_one(db) {
        let (store, dana, eli) = store_with_candidates(&db).await;
        let first = store
            .create_link("hm", &new_link(dana, "first", 14))
            .await
            .unwrap();
        let second = store
            .create_link("hm", &new_link(dana, "second", 14))
            .await
            .unwrap();
        let now = Timestamp::now();
        assert!(
            store
                .live_link(&TokenHash::of("first"), now)
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            store
                .live_link(&TokenHash::of("second"), now)
                .await
                .unwrap()
                .is_some()
        );
        let links = store.links(dana).await.unwrap();
        assert_eq!(
            links.iter().map(|l| l.id).collect::<Vec<_>>(),
            [second.id, first.id]
        );
        assert!(links[1].revoked_at.is_some());

        // A link is revoked through its own candidate only.
        let err = store.revoke_link("hm", eli, second.id).await.unwrap_err();
        assert!(matches!(err, StoreError::NotFound { .. }), "{err}");
        store.revoke_link("hm", dana, second.id).await.unwrap();
        assert!(
            store
                .live_link(&TokenHash::of("second"), now)
                .await
                .unwrap()
                .is_none()
        );
        let actions: Vec<String> = store
            .audit(&AuditFilter::default())
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
        assert!(actions.contains(&"portal.link.revoke".to_string()));
    }
}

multiplier_store::each_backend! {
    async fn the_first_visit_is_recorded_once(db) {
        let (store, dana, _) = store_with_candidates(&db).await;
        let link = store
            .create_link("hm", &new_link(dana, "t", 14))
            .await
            .unwrap();
        store.mark_opened(link.id).await.unwrap();
        let opened = store.links(dana).await.unwrap()[0]
            .opened_at
            .expect("opened");
        store.mark_opened(link.id).await.unwrap();
        assert_eq!(store.links(dana).await.unwrap()[0].opened_at, Some(opened));
        let opens = store
            .audit(&AuditFilter {
                action: Some("portal.open".into()),
                ..AuditFilter::default()
            })
            .await
            .unwrap();
        assert_eq!(opens.len(), 1);
    }
}

multiplier_store::each_backend! {
    async fn drafts_save_until_submitted_then_freeze_and_attach_evidence(db) {
        let (store, dana, eli) = store_with_candidates(&db).await;
        let link = store
            .create_link("hm", &new_link(dana, "t", 14))
            .await
            .unwrap();
        assert!(
            store
                .work(link.id, Task::Assessment)
                .await
                .unwrap()
                .is_none()
        );

        store
            .save_work(link.id, Task::Assessment, &json!({"a": 1}))
            .await
            .unwrap();
        store
            .save_work(link.id, Task::Assessment, &json!({"a": 2}))
            .await
            .unwrap();
        let draft = store
            .work(link.id, Task::Assessment)
            .await
            .unwrap()
            .expect("draft");
        assert_eq!(draft.body, json!({"a": 2}));
        assert!(draft.submitted_at.is_none());
        assert!(store.work(link.id, Task::Review).await.unwrap().is_none());

        let at = store
            .submit_work(
                link.id,
                Task::Assessment,
                &json!({"a": 3}),
                &evidence("written-assessment"),
            )
            .await
            .unwrap();
        let done = store
            .work(link.id, Task::Assessment)
            .await
            .unwrap()
            .expect("work");
        assert_eq!((done.body, done.submitted_at), (json!({"a": 3}), Some(at)));
        assert_eq!(
            store.links(dana).await.unwrap()[0].assessment_submitted_at,
            Some(at)
        );

        // Submitted once: no second submission, no more drafts.
        let again = store
            .submit_work(
                link.id,
                Task::Assessment,
                &json!({"a": 4}),
                &evidence("written-assessment"),
            )
            .await
            .unwrap_err();
        assert!(matches!(again, StoreError::Refused(_)), "{again}");
        let draft_after = store
            .save_work(link.id, Task::Assessment, &json!({"a": 5}))
            .await
            .unwrap_err();
        assert!(
            matches!(draft_after, StoreError::Refused(_)),
            "{draft_after}"
        );

        // The evidence went to the link's candidate, once.
        let ev = store.evidence(dana).await.unwrap();
        assert_eq!(ev.len(), 1);
        assert_eq!(ev[0].kind, "written-assessment");
        assert!(store.evidence(eli).await.unwrap().is_empty());
        // The review task is independent.
        store
            .save_work(link.id, Task::Review, &json!({"summary": "s"}))
            .await
            .unwrap();
    }
}

multiplier_store::each_backend! {
    async fn erasure_is_requested_once_and_removes_personal_data_but_not_the_audit_trail(db) {
        let (store, dana, eli) = store_with_candidates(&db).await;
        let link = store
            .create_link("hm", &new_link(dana, "t", 14))
            .await
            .unwrap();
        store
            .save_work(link.id, Task::Review, &json!({"summary": "draft"}))
            .await
            .unwrap();
        store
            .submit_work(
                link.id,
                Task::Assessment,
                &json!({"a": 1}),
                &evidence("written-assessment"),
            )
            .await
            .unwrap();

        let first = store.request_erasure(link.id).await.unwrap();
        let again = store.request_erasure(link.id).await.unwrap();
        assert_eq!(first.id, again.id, "an open request is not recorded twice");
        assert_eq!(store.erasure_requests(dana).await.unwrap().len(), 1);
        assert!(store.erasure_requests(eli).await.unwrap().is_empty());

        let erased = store
            .erase_candidate("hm", dana, "candidate-request")
            .await
            .unwrap();
        assert_eq!(erased.work_deleted, 2);
        assert_eq!(erased.evidence_deleted, 1);
        assert_eq!(erased.links_revoked, 1);

        let c = store
            .candidate(dana)
            .await
            .unwrap()
            .expect("the record stays");
        assert_eq!(c.name, erased_name(dana));
        assert_eq!(
            (c.email, c.wants_leadership, c.gives_up),
            (None, None, None)
        );
        assert!(store.evidence(dana).await.unwrap().is_empty());
        assert!(store.work(link.id, Task::Review).await.unwrap().is_none());
        assert!(
            store
                .live_link(&TokenHash::of("t"), Timestamp::now())
                .await
                .unwrap()
                .is_none()
        );
        let requests = store.erasure_requests(dana).await.unwrap();
        assert!(requests[0].erased_at.is_some());
        assert_eq!(requests[0].erased_by.as_deref(), Some("hm"));

        // The other candidate is untouched.
        let other = store.candidate(eli).await.unwrap().expect("eli");
        assert_eq!(other.name, "Eli Other");

        // The trail shows what happened, with no name or email in it.
        let audit = store.audit(&AuditFilter::default()).await.unwrap();
        assert!(
            audit
                .iter()
                .any(|e| e.action == "candidate.erasure.request")
        );
        assert!(
            audit
                .iter()
                .any(|e| e.action == "candidate.erase" && e.actor == "hm")
        );
        for e in &audit {
            let line = format!("{} {} {} {}", e.actor, e.action, e.subject, e.detail);
            assert!(!line.contains("Dana") && !line.contains("dana@"), "{line}");
        }

        let missing = store
            .erase_candidate("hm", CandidateId(999), "candidate-request")
            .await
            .unwrap_err();
        assert!(matches!(missing, StoreError::NotFound { .. }), "{missing}");
    }
}

multiplier_store::each_backend! {
    /// The retention scan reads the candidates a page at a time: candidates on
    /// every page are found, the erased ones are left out, and the cutoff is
    /// compared with each one's last audit entry.
    async fn the_retention_scan_reads_every_page_of_candidates(db) {
        let (store, first, second) = store_with_candidates(&db).await;
        let opening = store.candidate(first).await.unwrap().unwrap().opening;
        let mut ids = vec![first, second];
        // Past two pages of 500.
        for i in 0..1_001 {
            let id = store
                .add_candidate(
                    "hm",
                    &NewCandidate {
                        opening,
                        name: format!("Candidate {i}"),
                        email: None,
                        internal: false,
                        wants_leadership: None,
                        gives_up: None,
                        stage: "screen".into(),
                    },
                )
                .await
                .unwrap();
            ids.push(id);
        }
        store.erase_candidate("hm", second, "candidate-request").await.unwrap();
        let later = Timestamp::now() + SignedDuration::from_hours(24);
        let due = store.inactive_candidates(later).await.unwrap();
        let expected: Vec<CandidateId> = ids.iter().copied().filter(|id| *id != second).collect();
        assert_eq!(due, expected);
        assert!(store.inactive_candidates(Timestamp::UNIX_EPOCH).await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn the_retention_scan_leaves_an_in_memory_database_whole() {
    let db = TestDb::sqlite_in_memory();
    let (store, first, second) = store_with_candidates(&db).await;
    let later = Timestamp::now() + SignedDuration::from_hours(24);
    assert_eq!(
        store.inactive_candidates(later).await.unwrap(),
        [first, second]
    );
    // The scan's connection is closed afterwards on a file; in memory the one
    // connection is the database, and the candidates are still there.
    assert!(store.candidate(first).await.unwrap().is_some());
    assert_eq!(
        store.inactive_candidates(later).await.unwrap(),
        [first, second]
    );
}
