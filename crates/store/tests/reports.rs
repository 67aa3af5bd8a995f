//! The reports' persistence: self-identification kept apart, written with an
//! application, never named in the audit log, deleted by erasure; the stage
//! and status history the funnel is measured on; scores summed by category.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use multiplier_core::fairness::{Race, SelfId, Sex};
use multiplier_core::{Framework, Role};
use multiplier_store::testing::TestDb;
use multiplier_store::{
    Added, AtsStore, AuditFilter, CandidateId, HiringStore, NewCandidate, OpeningId, Origin,
    PortalStore, ReportStore, RoleStore, Store,
};
use serde_json::json;

async fn setup(db: &TestDb) -> (Store, OpeningId) {
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
        .expect("role");
    let opening = store
        .add_opening("hm", role, "Tech Lead", "hm")
        .await
        .expect("opening");
    (store, opening)
}

async fn apply(store: &Store, opening: OpeningId, email: &str, id: Option<SelfId>) -> CandidateId {
    let new = NewCandidate {
        opening,
        name: "Applicant".into(),
        email: Some(email.into()),
        internal: false,
        wants_leadership: None,
        gives_up: None,
        stage: "screen".into(),
    };
    let origin = Origin {
        source: "applied".into(),
        unique_email: true,
        self_id: id,
        ..Origin::default()
    };
    match store
        .add_candidate_from("applicant", &new, &origin)
        .await
        .expect("apply")
    {
        Added::Created(c) => c,
        Added::Duplicate(_) => panic!("duplicate"),
    }
}

const FEMALE_ASIAN: SelfId = SelfId {
    sex: Sex::Female,
    race: Race::Asian,
};

multiplier_store::each_backend! {
    async fn an_application_keeps_its_self_identification_apart_and_the_log_does_not_name_it(db) {
        let (store, opening) = setup(&db).await;
        let a = apply(&store, opening, "a@example.test", Some(FEMALE_ASIAN)).await;
        apply(&store, opening, "b@example.test", None).await;
        assert!(store.self_id_given(a).await.unwrap().is_some());
        let outcomes = store.outcomes(Some(opening)).await.unwrap();
        let counted: u64 = outcomes
            .iter()
            .filter(|o| o.self_id == Some(FEMALE_ASIAN))
            .map(|o| o.count)
            .sum();
        assert_eq!(counted, 1);
        assert_eq!(outcomes.iter().map(|o| o.count).sum::<u64>(), 2);
        let log = store.audit(&AuditFilter::default()).await.unwrap();
        for e in &log {
            for word in ["female", "asian", "Female", "Asian"] {
                assert!(!e.detail.contains(word), "{}: {}", e.action, e.detail);
            }
        }
        assert!(
            log.iter()
                .any(|e| e.detail.contains("with a self-identification"))
        );
    }
}

multiplier_store::each_backend! {
    async fn erasure_removes_the_self_identification_in_its_transaction(db) {
        let (store, opening) = setup(&db).await;
        let a = apply(&store, opening, "a@example.test", Some(FEMALE_ASIAN)).await;
        store
            .erase_candidate("hm", a, "asked")
            .await
            .expect("erase");
        assert_eq!(store.self_id_given(a).await.unwrap(), None);
        let outcomes = store.outcomes(None).await.unwrap();
        assert!(outcomes.iter().all(|o| o.self_id.is_none()), "{outcomes:?}");
    }
}

multiplier_store::each_backend! {
    async fn set_self_id_replaces_and_prefer_not_to_say_withdraws(db) {
        let (store, opening) = setup(&db).await;
        let a = apply(&store, opening, "a@example.test", None).await;
        assert_eq!(store.self_id_given(a).await.unwrap(), None);
        store.set_self_id("portal", a, &FEMALE_ASIAN).await.unwrap();
        assert!(store.self_id_given(a).await.unwrap().is_some());
        store
            .set_self_id("portal", a, &SelfId::default())
            .await
            .unwrap();
        assert_eq!(store.self_id_given(a).await.unwrap(), None);
        let missing = store
            .set_self_id("portal", CandidateId(999), &FEMALE_ASIAN)
            .await;
        assert!(missing.is_err());
    }
}

multiplier_store::each_backend! {
    async fn moves_and_status_changes_are_kept_as_history_for_the_funnel(db) {
        let (store, opening) = setup(&db).await;
        let a = apply(&store, opening, "a@example.test", None).await;
        store
            .move_candidate("hm", a, "technical-depth")
            .await
            .unwrap();
        store.move_candidate("hm", a, "offer").await.unwrap();
        store
            .set_candidate_status("hm", a, "active", "hired", None)
            .await
            .unwrap();
        let b = apply(&store, opening, "b@example.test", None).await;
        store
            .set_candidate_status("hm", b, "active", "rejected", Some("not-enough-depth"))
            .await
            .unwrap();
        let journeys = store.journeys(Some(opening)).await.unwrap();
        assert_eq!(journeys.len(), 2);
        let (_, ja) = &journeys[0];
        let stages: Vec<&str> = ja.stages.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(stages, ["screen", "technical-depth", "offer"]);
        assert!(ja.stages.windows(2).all(|w| w[0].1 <= w[1].1));
        assert!(ja.hired_at.is_some());
        let (_, jb) = &journeys[1];
        assert_eq!(jb.reason.as_deref(), Some("not-enough-depth"));
        assert_eq!(jb.status, "rejected");
        let outcomes = store.outcomes(Some(opening)).await.unwrap();
        assert!(outcomes.iter().any(|o| o.hired && o.count == 1));
        assert!(
            store
                .journeys(Some(OpeningId(opening.0 + 1)))
                .await
                .unwrap()
                .is_empty()
        );
    }
}

multiplier_store::each_backend! {
    async fn scores_are_summed_by_category_from_the_tools_evidence_only(db) {
        let (store, opening) = setup(&db).await;
        let grade = |n: i64| {
            json!({"grade": {"scores": {
            "issues": {"score": n}, "prioritization": {"score": n}, "teaching": {"score": n}}}})
        };
        let a = apply(&store, opening, "a@example.test", Some(FEMALE_ASIAN)).await;
        let b = apply(&store, opening, "b@example.test", Some(FEMALE_ASIAN)).await;
        let c = apply(&store, opening, "c@example.test", None).await;
        store
            .add_evidence("hm", a, "code-review", "portal", &grade(2))
            .await
            .unwrap();
        // The latest record counts: a's 2 is replaced by 4.
        store
            .add_evidence("hm", a, "code-review", "portal", &grade(4))
            .await
            .unwrap();
        store
            .add_evidence("hm", b, "code-review", "portal", &grade(3))
            .await
            .unwrap();
        // Typed in by staff, not the tool's shape: not a score.
        store
            .add_evidence("hm", c, "code-review", "notes", &json!({"text": "fine"}))
            .await
            .unwrap();
        let answers = json!({"analysis": {"answers": [
            {"question": "q1", "flags": [{"id": "x"}, {"id": "y"}]},
            {"question": "q2", "flags": []}]}});
        store
            .add_evidence("hm", c, "written-assessment", "portal", &answers)
            .await
            .unwrap();
        let cells = store.score_cells(Some(opening)).await.unwrap();
        let issues = cells
            .iter()
            .find(|x| x.instrument == "code-review.issues" && x.self_id == Some(FEMALE_ASIAN))
            .expect("issues");
        assert_eq!((issues.n, issues.sum), (2, 7.0));
        assert!(
            !cells
                .iter()
                .any(|x| x.instrument.starts_with("code-review") && x.self_id.is_none())
        );
        let flags = cells
            .iter()
            .find(|x| x.instrument == "written-assessment.flags")
            .expect("flags");
        assert_eq!((flags.n, flags.sum, flags.self_id), (1, 2.0, None));
    }
}
