//! Issue 17: a debrief that cannot mislead, people and "my work", assignments
//! several at a time and undone.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use multiplier_app::{
    Account, Actor, App, AppError, CandidateInput, DecisionInput, ScorecardDraft,
};
use multiplier_core::framework::Signal;
use multiplier_core::pipeline::OfferRequest;
use multiplier_core::pipeline::{Outcome, Recommendation, Reference, ReferenceKind, Verdict};
use multiplier_core::role::parse_split;
use multiplier_core::score::Score;
use multiplier_core::{Framework, Role};
use multiplier_store::testing::TestDb;
use multiplier_store::{AccountRole, CandidateId};
use std::collections::BTreeMap;
use std::sync::Arc;

const PASSWORD: &str = "correct horse battery";

async fn app(db: &TestDb) -> App {
    let store = db.open().await;
    let app = App::new(store, Arc::new(Framework::default_framework().unwrap()));
    for (name, role) in [
        ("priya", AccountRole::Admin),
        ("ana", AccountRole::Interviewer),
        ("ben", AccountRole::Interviewer),
        ("cy", AccountRole::Interviewer),
    ] {
        app.add_account(&Actor::Operator, name, role, PASSWORD)
            .await
            .unwrap();
    }
    app
}

fn who(name: &str) -> Account {
    Account {
        name: name.into(),
        role: if name == "priya" {
            AccountRole::Admin
        } else {
            AccountRole::Interviewer
        },
    }
}

async fn candidate(app: &App) -> CandidateId {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/roles/payments-player-coach.toml"
    ))
    .unwrap();
    let role = Role::parse(app.framework(), "payments", &text).unwrap();
    let o = app.open_role(&who("priya"), &role, None).await.unwrap().1;
    app.add_candidate(
        &who("priya"),
        o,
        &CandidateInput {
            name: "Dana".into(),
            ..CandidateInput::default()
        },
    )
    .await
    .unwrap()
}

fn draft(stage: &str, scores: &[(Signal, i64)]) -> ScorecardDraft {
    ScorecardDraft {
        stage: stage.into(),
        scores: scores
            .iter()
            .map(|(s, n)| (*s, Score::new(*n).unwrap()))
            .collect(),
        notes: scores
            .iter()
            .map(|(s, _)| (*s, "what they said and did".to_string()))
            .collect(),
        red_flags: Vec::new(),
        recommendation: Recommendation::Yes,
    }
}

const TD: Signal = Signal::TechnicalDepth;
const TM: Signal = Signal::TeamMultiplier;

/// ana scores technical depth, ben both signals, cy leadership; all strong.
async fn strong_loop(app: &App, id: CandidateId) {
    let p = who("priya");
    app.assign(&p, id, "technical-depth", "ana").await.unwrap();
    app.assign(&p, id, "code-review", "ben").await.unwrap();
    app.assign(&p, id, "leadership", "cy").await.unwrap();
    app.submit_scorecard(&who("ana"), id, &draft("technical-depth", &[(TD, 3)]), None)
        .await
        .unwrap();
    app.submit_scorecard(
        &who("ben"),
        id,
        &draft("code-review", &[(TD, 3), (TM, 3)]),
        None,
    )
    .await
    .unwrap();
}

multiplier_store::each_backend! {
    async fn the_verdict_is_incomplete_until_every_assigned_card_is_in(db) {
        let app = app(&db).await;
        let id = candidate(&app).await;
        strong_loop(&app, id).await;
        let p = who("priya");
        let d = app.debrief(&p, id).await.unwrap().debrief;
        assert_eq!(
            d.verdict().text(),
            "incomplete — waiting for: leadership by cy"
        );
        assert!(!d.meets_bar);
        // A hire now goes against the policy and needs saying so.
        let hire = DecisionInput {
            outcome: Outcome::Hire,
            rationale: "strong so far".into(),
            against_policy: false,
        };
        assert!(matches!(
            app.decide(&p, id, &hire).await,
            Err(AppError::Invalid { .. })
        ));
        app.submit_scorecard(&who("cy"), id, &draft("leadership", &[(TM, 4)]), None)
            .await
            .unwrap();
        let d = app.debrief(&p, id).await.unwrap().debrief;
        assert_eq!(d.verdict(), Verdict::MeetsBar, "{:?}", d.reasons);
        let rows = app
            .opening_debrief(
                &p,
                app.candidate(&p, id).await.unwrap().opening.id,
                &multiplier_app::PageRequest::default(),
            )
            .await
            .unwrap();
        assert_eq!(rows.rows.len(), 1);
    }
}

multiplier_store::each_backend! {
    async fn the_references_stage_counts_once(db) {
        let app = app(&db).await;
        let id = candidate(&app).await;
        let p = who("priya");
        app.assign(&p, id, "technical-depth", "ana").await.unwrap();
        app.assign(&p, id, "code-review", "ben").await.unwrap();
        app.assign(&p, id, "references", "cy").await.unwrap();
        app.submit_scorecard(&who("ana"), id, &draft("technical-depth", &[(TD, 3)]), None)
            .await
            .unwrap();
        app.submit_scorecard(
            &who("ben"),
            id,
            &draft("code-review", &[(TD, 3), (TM, 3)]),
            None,
        )
        .await
        .unwrap();
        // One phone call: cy's reading of it and the structured reference.
        app.add_reference(
            &who("cy"),
            id,
            &Reference {
                kind: ReferenceKind::Engineer,
                name: "Former report".into(),
                relationship: "reported to Dana for two years".into(),
                answer: "yes, my reviews got sharper".into(),
                example: "the retry budget comment".into(),
                scores: BTreeMap::from([(TM, Score::new(4).unwrap())]),
            },
        )
        .await
        .unwrap();
        app.submit_scorecard(
            &who("cy"),
            id,
            &draft("references", &[(TD, 3), (TM, 4)]),
            None,
        )
        .await
        .unwrap();
        let d = app.debrief(&p, id).await.unwrap().debrief;
        let tm = d.signals.iter().find(|s| s.signal == TM).unwrap();
        assert_eq!(tm.raters, 1, "only ben interviewed for team multiplier");
        assert_eq!(tm.ratings.len(), 2, "ben, and the references once");
        assert_eq!(tm.set_aside.len(), 1);
        assert!(!tm.clears);
        assert!(!d.meets_bar);
    }
}

multiplier_store::each_backend! {
    async fn an_offer_needs_a_recorded_hire(db) {
        let app = app(&db).await;
        let id = candidate(&app).await;
        let p = who("priya");
        let request = OfferRequest {
            level: "tech-lead".into(),
            region: "us".into(),
            coding: parse_split("60").unwrap(),
            stage: None,
        };
        let none = app.record_offer(&p, id, &request).await.unwrap_err();
        assert!(
            matches!(&none, AppError::Conflict(m) if m.contains("no hiring decision is recorded")),
            "{none:?}"
        );
        app.decide(
            &p,
            id,
            &DecisionInput {
                outcome: Outcome::NoHire,
                rationale: "below the bar on both".into(),
                against_policy: false,
            },
        )
        .await
        .unwrap();
        let no = app.record_offer(&p, id, &request).await.unwrap_err();
        assert!(
            matches!(&no, AppError::Conflict(m) if m.contains("is no hire")),
            "{no:?}"
        );
        assert!(app.offers(&p, id).await.unwrap().is_empty());
        app.decide(
            &p,
            id,
            &DecisionInput {
                outcome: Outcome::Hire,
                rationale: "reconsidered after a second reference".into(),
                against_policy: true,
            },
        )
        .await
        .unwrap();
        app.record_offer(&p, id, &request).await.unwrap();
    }
}

multiplier_store::each_backend! {
    async fn an_amendment_after_unblinding_is_marked(db) {
        let app = app(&db).await;
        let id = candidate(&app).await;
        strong_loop(&app, id).await;
        let ana = who("ana");
        // ana had her card in and ben's was there: an amendment now is unblinded.
        let amended = app
            .submit_scorecard(
                &ana,
                id,
                &draft("technical-depth", &[(TD, 2)]),
                Some("read ben's notes"),
            )
            .await
            .unwrap();
        let view = app.candidate(&ana, id).await.unwrap();
        assert_eq!(view.unblinded_amendments, vec![amended.id]);
        app.submit_scorecard(&who("cy"), id, &draft("leadership", &[(TM, 4)]), None)
            .await
            .unwrap();
        let d = app.debrief(&who("priya"), id).await.unwrap();
        assert_eq!(d.unblinded_amendments, vec![amended.id]);
    }
}

multiplier_store::each_backend! {
    async fn my_work_lists_what_is_due_and_how_late(db) {
        let app = app(&db).await;
        let id = candidate(&app).await;
        let p = who("priya");
        let views = app
            .assign_stages(
                &p,
                id,
                &["code-review".to_string(), "leadership".to_string()],
                "ana",
            )
            .await
            .unwrap();
        assert_eq!(views.len(), 2);
        let in_three_days = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(72 + 1);
        let work = app.my_work(&who("ana"), in_three_days).await.unwrap();
        assert_eq!(work.due.len(), 2);
        assert!(work.due.iter().all(|w| w.days_waiting == 3), "{work:?}");
        assert_eq!(work.due[0].candidate_name, "Dana");
        app.submit_scorecard(&who("ana"), id, &draft("leadership", &[(TM, 3)]), None)
            .await
            .unwrap();
        let work = app.my_work(&who("ana"), in_three_days).await.unwrap();
        assert_eq!(work.due.len(), 1);
        assert_eq!(work.due[0].stage, "code-review");
        assert_eq!(work.done.len(), 1);
        assert!(
            app.my_work(&who("ben"), in_three_days)
                .await
                .unwrap()
                .due
                .is_empty()
        );
    }
}

multiplier_store::each_backend! {
    async fn several_stages_at_once_and_unassign_are_audited(db) {
        let app = app(&db).await;
        let id = candidate(&app).await;
        let p = who("priya");
        // One bad stage refuses them all.
        let bad = app
            .assign_stages(&p, id, &["code-review".into(), "offer".into()], "ben")
            .await
            .unwrap_err();
        assert!(matches!(&bad, AppError::Invalid { problems, .. } if problems[0].field == "stages[1]"));
        assert!(app.candidate(&p, id).await.unwrap().assignments.is_empty());
        app.assign_stages(&p, id, &["code-review".into(), "leadership".into()], "ben")
            .await
            .unwrap();
        // Interviewers may not unassign.
        assert!(matches!(
            app.unassign(&who("ben"), id, "code-review", "ben").await,
            Err(AppError::Forbidden(_))
        ));
        let left = app.unassign(&p, id, "code-review", "ben").await.unwrap();
        assert_eq!(left.len(), 1);
        assert!(matches!(
            app.unassign(&p, id, "code-review", "ben").await,
            Err(AppError::NotFound(_))
        ));
        app.submit_scorecard(&who("ben"), id, &draft("leadership", &[(TM, 3)]), None)
            .await
            .unwrap();
        assert!(matches!(
            app.unassign(&p, id, "leadership", "ben").await,
            Err(AppError::Conflict(_))
        ));
        let timeline = app.candidate(&p, id).await.unwrap().timeline;
        let actions: Vec<&str> = timeline.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions
                .iter()
                .filter(|a| **a == "interviewer.assign")
                .count(),
            2
        );
        assert!(actions.contains(&"interviewer.unassign"));
    }
}

multiplier_store::each_backend! {
    async fn admins_rename_accounts_and_reset_passwords_shown_once(db) {
        let app = app(&db).await;
        let p = Actor::Account(who("priya"));
        app.set_display_name(&p, "ana", Some("Ana Lima"))
            .await
            .unwrap();
        let users = app.accounts(&p).await.unwrap();
        let ana = users.iter().find(|u| u.name == "ana").unwrap();
        assert_eq!(ana.display_name.as_deref(), Some("Ana Lima"));
        assert!(matches!(
            app.set_display_name(&Actor::Account(who("ben")), "ana", Some("x"))
                .await,
            Err(AppError::Forbidden(_))
        ));
        let password = app.reset_password(&p, "ana").await.unwrap();
        assert_eq!(
            password.chars().count(),
            multiplier_app::GENERATED_PASSWORD_CHARS
        );
        assert!(app.sign_in("ana", &password, "test").await.unwrap().is_ok());
        assert!(app.sign_in("ana", PASSWORD, "test").await.unwrap().is_err());
        assert!(matches!(
            app.reset_password(&Actor::Account(who("ben")), "ana").await,
            Err(AppError::Forbidden(_))
        ));
    }
}
