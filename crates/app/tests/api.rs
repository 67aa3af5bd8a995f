//! Use cases the JSON API leans on: every use case about one candidate answers
//! "not found" to an interviewer not assigned to it before any role check (so
//! ids cannot be probed), "forbidden" to an assigned interviewer, and the
//! job-description writer's inputs for an opening.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use multiplier_app::{Account, Actor, App, AppError, CandidateInput, DecisionInput};
use multiplier_core::pipeline::{OfferRequest, Outcome};
use multiplier_core::role::parse_split;
use multiplier_core::{Framework, Role};
use multiplier_store::testing::TestDb;
use multiplier_store::{AccountRole, CandidateId, OpeningId};
use std::sync::Arc;

const PASSWORD: &str = "correct horse battery";

struct Fixture {
    app: App,
    hm: Account,
    /// Assigned to the candidate's code-review stage.
    ivy: Account,
    /// Assigned to nothing.
    una: Account,
    opening: OpeningId,
    candidate: CandidateId,
}

async fn fixture(db: &TestDb) -> Fixture {
    let store = db.open().await;
    let framework = Arc::new(Framework::default_framework().unwrap());
    let app = App::new(store, Arc::clone(&framework));
    for (name, role) in [
        ("hm", AccountRole::Admin),
        ("ivy", AccountRole::Interviewer),
        ("una", AccountRole::Interviewer),
    ] {
        app.add_account(&Actor::Operator, name, role, PASSWORD)
            .await
            .unwrap();
    }
    let account = |name: &str, role| Account {
        name: name.into(),
        role,
    };
    let hm = account("hm", AccountRole::Admin);
    let text = include_str!("../../../examples/roles/payments-player-coach.toml");
    let role = Role::parse(&framework, "payments-player-coach.toml", text).unwrap();
    let (_, opening) = app.open_role(&hm, &role, None).await.unwrap();
    let candidate = app
        .add_candidate(
            &hm,
            opening,
            &CandidateInput {
                name: "Dana Reyes".into(),
                email: Some("dana@example.com".into()),
                ..CandidateInput::default()
            },
        )
        .await
        .unwrap();
    app.assign(&hm, candidate, "code-review", "ivy")
        .await
        .unwrap();
    Fixture {
        app,
        hm,
        ivy: account("ivy", AccountRole::Interviewer),
        una: account("una", AccountRole::Interviewer),
        opening,
        candidate,
    }
}

/// Each hiring-manager use case on the candidate, as `who`; the error's kind.
async fn refusals(f: &Fixture, who: &Account) -> Vec<(&'static str, AppError)> {
    let (app, id) = (&f.app, f.candidate);
    let edit = CandidateInput {
        name: "Dana R.".into(),
        ..CandidateInput::default()
    };
    let decision = DecisionInput {
        outcome: Outcome::Hold,
        rationale: "wait for the references".into(),
        against_policy: false,
    };
    let offer = OfferRequest {
        level: "tech-lead".into(),
        region: "us".into(),
        coding: parse_split("60/40").unwrap(),
        stage: None,
    };
    let start = "2030-01-07".parse().unwrap();
    let body = serde_json::json!({"grade": 3});
    let mut out = Vec::new();
    let mut keep = |what, r: Result<(), AppError>| out.push((what, r.expect_err(what)));
    keep(
        "edit_candidate",
        app.edit_candidate(who, id, &edit).await.map(drop),
    );
    keep(
        "move_candidate",
        app.move_candidate(who, id, "leadership").await.map(drop),
    );
    keep(
        "assign",
        app.assign(who, id, "leadership", "una").await.map(drop),
    );
    keep("decide", app.decide(who, id, &decision).await.map(drop));
    keep(
        "record_offer",
        app.record_offer(who, id, &offer).await.map(drop),
    );
    keep(
        "accept_offer",
        app.accept_offer(who, id, start).await.map(drop),
    );
    keep("offers", app.offers(who, id).await.map(drop));
    keep("onboarding", app.onboarding(who, id).await.map(drop));
    keep(
        "mark_step_done",
        app.mark_step_done(who, id, "access", "").await.map(drop),
    );
    keep(
        "attach_evidence",
        app.attach_evidence(who, id, "code-review-grade", "test", &body)
            .await
            .map(drop),
    );
    keep(
        "resolve_flag",
        app.resolve_flag(who, id, "nitpicks-over-substance", "seen")
            .await
            .map(drop),
    );
    out
}

multiplier_store::each_backend! {
    async fn an_unassigned_interviewer_is_told_the_candidate_does_not_exist_before_any_role_check(db) {
        let f = fixture(&db).await;
        for (what, e) in refusals(&f, &f.una).await {
            assert!(
                matches!(e, AppError::NotFound(ref m) if m == &format!("there is no candidate {}", f.candidate)),
                "{what}: {e:?}"
            );
        }
        // Exactly as for an id that was never used.
        let e = f
            .app
            .move_candidate(&f.una, CandidateId(999), "leadership")
            .await
            .expect_err("no such candidate");
        assert!(matches!(e, AppError::NotFound(_)), "{e:?}");
    }
}

multiplier_store::each_backend! {
    async fn an_assigned_interviewer_is_refused_the_hiring_managers_use_cases(db) {
        let f = fixture(&db).await;
        for (what, e) in refusals(&f, &f.ivy).await {
            assert!(
                matches!(e, AppError::Forbidden(ref m) if m.contains("hiring manager")),
                "{what}: {e:?}"
            );
        }
        // The hiring manager passes the access rule (and is stopped only by the state).
        let moved = f
            .app
            .move_candidate(&f.hm, f.candidate, "leadership")
            .await
            .unwrap();
        assert_eq!(moved.stage, "leadership");
    }
}

multiplier_store::each_backend! {
    async fn the_job_description_writer_gets_the_openings_role_and_an_empty_baseline(db) {
        let f = fixture(&db).await;
        let (role, baseline) = f.app.opening_role(&f.una, f.opening).await.unwrap();
        assert!(!role.title.is_empty());
        assert_eq!(baseline, multiplier_core::delivery::Baseline::default());
        let e = f
            .app
            .opening_role(&f.una, OpeningId(999))
            .await
            .expect_err("no such opening");
        assert!(matches!(e, AppError::NotFound(_)), "{e:?}");
    }
}
