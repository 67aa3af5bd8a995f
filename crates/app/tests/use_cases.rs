//! The use cases' own rules: who acts, what is refused and why, what each write
//! leaves in the audit log, and scorecard versions under concurrent amendments.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use multiplier_app::{
    Account, Actor, App, AppError, CandidateInput, DecisionInput, ScorecardDraft,
};
use multiplier_core::framework::Signal;
use multiplier_core::pipeline::{Outcome, Recommendation};
use multiplier_core::score::Score;
use multiplier_core::{Framework, Role};
use multiplier_store::testing::TestDb;
use multiplier_store::{AccountRole, AuditFilter, CandidateId, OpeningId};
use std::collections::BTreeMap;
use std::sync::Arc;

const PASSWORD: &str = "correct horse battery";

async fn app(db: &TestDb) -> App {
    let store = db.open().await;
    let app = App::new(store, Arc::new(Framework::default_framework().unwrap()));
    for (name, role) in [
        ("priya", AccountRole::Admin),
        ("ana", AccountRole::Interviewer),
    ] {
        app.add_account(&Actor::Operator, name, role, PASSWORD)
            .await
            .unwrap();
    }
    app
}

fn priya() -> Account {
    Account {
        name: "priya".into(),
        role: AccountRole::Admin,
    }
}

fn ana() -> Account {
    Account {
        name: "ana".into(),
        role: AccountRole::Interviewer,
    }
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

async fn candidate(app: &App) -> CandidateId {
    let o = opening(app).await;
    app.add_candidate(
        &priya(),
        o,
        &CandidateInput {
            name: "Dana".into(),
            ..CandidateInput::default()
        },
    )
    .await
    .unwrap()
}

fn leadership(score: i64) -> ScorecardDraft {
    ScorecardDraft {
        stage: "leadership".into(),
        scores: BTreeMap::from([(Signal::TeamMultiplier, Score::new(score).unwrap())]),
        notes: BTreeMap::from([(Signal::TeamMultiplier, "what they said".into())]),
        red_flags: Vec::new(),
        recommendation: Recommendation::Yes,
    }
}

async fn actions(app: &App) -> Vec<(String, String)> {
    app.audit_log(&priya(), &AuditFilter::default())
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.actor, e.action))
        .collect()
}

multiplier_store::each_backend! {
    async fn act_as_refuses_a_name_that_is_not_an_account(db) {
        let app = app(&db).await;
        assert_eq!(app.act_as(" ana ").await.unwrap(), ana());
        let nobody = app.act_as("mallory").await.unwrap_err();
        assert!(
            matches!(nobody, AppError::Forbidden(ref m) if m.contains("no account called `mallory`"))
        );
        assert!(matches!(
            app.act_as("  ").await,
            Err(AppError::Invalid { .. })
        ));
    }
}

multiplier_store::each_backend! {
    async fn every_write_is_audited_under_the_acting_account(db) {
        let app = app(&db).await;
        let id = candidate(&app).await;
        app.assign(&priya(), id, "leadership", "ana").await.unwrap();
        app.submit_scorecard(&ana(), id, &leadership(3), None)
            .await
            .unwrap();
        let log = actions(&app).await;
        let expected: Vec<(String, String)> = [
            ("local operator", "user.add"),
            ("local operator", "user.add"),
            ("priya", "role.create"),
            ("priya", "opening.create"),
            ("priya", "candidate.add"),
            ("priya", "interviewer.assign"),
            ("ana", "scorecard.submit"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        assert_eq!(log, expected);
    }
}

multiplier_store::each_backend! {
    async fn a_refused_use_case_writes_nothing(db) {
        let app = app(&db).await;
        let id = candidate(&app).await;
        let before = actions(&app).await.len();
        let refusals = [
            app.assign(&priya(), id, "leadership", "ghost").await.err(),
            app.assign(&ana(), id, "leadership", "ana").await.err(),
            app.assign(&priya(), id, "offer", "ana").await.err(),
            app.move_candidate(&priya(), id, "nowhere").await.err(),
            app.submit_scorecard(&priya(), id, &leadership(3), Some("second thoughts"))
                .await
                .err(),
            app.decide(
                &priya(),
                id,
                &DecisionInput {
                    outcome: Outcome::Hire,
                    rationale: "gut feeling".into(),
                    against_policy: false,
                },
            )
            .await
            .err(),
        ];
        let kinds: Vec<&str> = refusals
            .iter()
            .map(|e| match e {
                Some(AppError::Invalid { .. }) => "invalid",
                Some(AppError::Forbidden(_)) => "forbidden",
                Some(AppError::Conflict(_)) => "conflict",
                Some(AppError::NotFound(_)) => "not found",
                other => panic!("unexpected {other:?}"),
            })
            .collect();
        assert_eq!(
            kinds,
            // ana is not assigned to the candidate: she learns nothing, not even
            // that an admin could do it.
            [
                "invalid",
                "not found",
                "invalid",
                "invalid",
                "conflict",
                "invalid"
            ]
        );
        assert_eq!(
            refusals[5].as_ref().unwrap().problems()[0].field,
            "against_policy"
        );
        assert_eq!(actions(&app).await.len(), before, "nothing was written");
    }
}

multiplier_store::each_backend! {
    async fn a_candidate_edit_names_the_fields_changed_never_their_values(db) {
        let app = app(&db).await;
        let id = candidate(&app).await;
        let edited = app
            .edit_candidate(
                &priya(),
                id,
                &CandidateInput {
                    name: "Dana Reyes".into(),
                    email: Some("dana@example.com".into()),
                    ..CandidateInput::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(edited.name, "Dana Reyes");
        let entry = app
            .audit_log(&priya(), &AuditFilter::default())
            .await
            .unwrap()
            .pop()
            .unwrap();
        assert_eq!(entry.action, "candidate.edit");
        assert_eq!(entry.detail, "changed name, email");
        let bad = app
            .edit_candidate(
                &priya(),
                id,
                &CandidateInput {
                    name: " ".into(),
                    email: Some("not an address".into()),
                    internal: true,
                    ..CandidateInput::default()
                },
            )
            .await
            .unwrap_err();
        let fields: Vec<&str> = bad.problems().iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["name", "email", "wants_leadership", "gives_up"]);
    }
}

multiplier_store::each_backend! {
    async fn concurrent_amendments_get_consecutive_distinct_versions_up_to_the_cap(db) {
        let app = app(&db).await;
        let id = candidate(&app).await;
        app.submit_scorecard(&priya(), id, &leadership(3), None)
            .await
            .unwrap();
        let mut tasks = Vec::new();
        for i in 0..16 {
            let app = app.clone();
            tasks.push(tokio::spawn(async move {
                app.submit_scorecard(&priya(), id, &leadership(2 + i % 2), Some("re-read"))
                    .await
                    .map(|r| r.card.version)
            }));
        }
        let mut versions = Vec::new();
        let mut refused = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(v) => versions.push(v),
                Err(AppError::Conflict(m)) => {
                    assert!(m.contains("amended 5 times"), "{m}");
                    refused += 1;
                }
                Err(e) => panic!("unexpected: {e}"),
            }
        }
        versions.sort_unstable();
        // The cap holds under a burst: exactly MAX_AMENDMENTS amendments get in.
        let cap = multiplier_app::limits::MAX_AMENDMENTS;
        assert_eq!(versions, (2..=cap + 1).collect::<Vec<u32>>());
        assert_eq!(refused, 16 - cap as usize);
    }
}

multiplier_store::each_backend! {
    async fn account_administration_is_for_admins_and_the_operator(db) {
        let app = app(&db).await;
        let ana_actor = Actor::Account(ana());
        assert!(matches!(
            app.add_account(&ana_actor, "zed", AccountRole::Admin, PASSWORD)
                .await,
            Err(AppError::Forbidden(_))
        ));
        // Anyone may change their own password; only admins someone else's.
        app.set_password(&ana_actor, "ana", "a brand new secret")
            .await
            .unwrap();
        assert!(matches!(
            app.set_password(&ana_actor, "priya", "a brand new secret")
                .await,
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            app.set_password(&Actor::Operator, "priya", "short").await,
            Err(AppError::Invalid { .. })
        ));
        // The last admin stays an admin.
        assert!(matches!(
            app.set_role(&Actor::Operator, "priya", AccountRole::Interviewer)
                .await,
            Err(AppError::Conflict(_))
        ));
        app.set_role(&Actor::Account(priya()), "ana", AccountRole::Admin)
            .await
            .unwrap();
        assert_eq!(app.act_as("ana").await.unwrap().role, AccountRole::Admin);
        assert!(matches!(
            app.add_account(&Actor::Operator, "priya", AccountRole::Admin, PASSWORD)
                .await,
            Err(AppError::Conflict(_))
        ));
    }
}
