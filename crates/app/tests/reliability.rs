//! The rules of issue 13 as use cases hold them: sign-in limits that parallel
//! bursts cannot pass, sign-ins audited, sessions ended by password, role and
//! activation changes, the retention period, the length limits on text fields,
//! and the one input cap on analyses.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use multiplier_app::limits::{MAX_INPUT_BYTES, MAX_SHORT_CHARS, MAX_TEXT_CHARS};
use multiplier_app::{
    Account, Actor, App, AppError, CandidateInput, ErasureReason, MAX_FAILURES_PER_CLIENT,
    MAX_FAILURES_PER_NAME, RETENTION_ACTOR, SignInRefused,
};
use multiplier_core::answers::{Answer, Answers};
use multiplier_core::{Framework, Role};
use multiplier_store::testing::TestDb;
use multiplier_store::{AccountRole, AccountStore, AuditFilter, CandidateId, HiringStore};
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

async fn candidate(app: &App, name: &str) -> CandidateId {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/roles/payments-player-coach.toml"
    ))
    .unwrap();
    let role = Role::parse(app.framework(), "payments", &text).unwrap();
    let o = app.open_role(&priya(), &role, None).await.unwrap().1;
    app.add_candidate(
        &priya(),
        o,
        &CandidateInput {
            name: name.into(),
            ..CandidateInput::default()
        },
    )
    .await
    .unwrap()
}

/// Sign in `n` times at once with a wrong password; count the attempts that were
/// checked (a mismatch) and those refused by the limits.
async fn burst(app: &App, n: usize, name: &str, client: &str) -> (usize, usize) {
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let (app, name, client) = (app.clone(), name.to_string(), client.to_string());
            tokio::spawn(async move { app.sign_in(&name, "wrong password!", &client).await })
        })
        .collect();
    let (mut checked, mut limited) = (0, 0);
    for t in tasks {
        match t.await.unwrap().unwrap() {
            Err(SignInRefused::Mismatch) => checked += 1,
            Err(SignInRefused::TooManyFailures) => limited += 1,
            Ok(_) => panic!("a wrong password signed in"),
        }
    }
    (checked, limited)
}

// Both backends, written out: each_backend! gives two workers, this burst wants four.
mod a_parallel_burst_of_guesses_never_exceeds_the_limit_per_name {
    use super::*;

    async fn scenario(db: TestDb) {
        let app = app(&db).await;
        let (checked, limited) = burst(&app, 24, "priya", "10.0.0.1").await;
        assert_eq!(checked, MAX_FAILURES_PER_NAME as usize);
        assert_eq!(limited, 24 - MAX_FAILURES_PER_NAME as usize);
        // The right password is refused too, now.
        assert_eq!(
            app.sign_in("priya", PASSWORD, "10.0.0.2").await.unwrap(),
            Err(SignInRefused::TooManyFailures)
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn sqlite() {
        scenario(TestDb::sqlite()).await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn postgres() {
        if let Some(db) = TestDb::postgres().await {
            scenario(db).await
        }
    }
}

// Both backends, written out: each_backend! gives two workers, this burst wants four.
mod a_parallel_burst_over_many_names_never_exceeds_the_limit_per_client {
    use super::*;

    async fn scenario(db: TestDb) {
        let app = app(&db).await;
        let tasks: Vec<_> = (0..40)
            .map(|i| {
                let app = app.clone();
                tokio::spawn(async move {
                    app.sign_in(&format!("guess{i}"), "wrong password!", "10.9.9.9")
                        .await
                })
            })
            .collect();
        let mut checked = 0;
        for t in tasks {
            if t.await.unwrap().unwrap() == Err(SignInRefused::Mismatch) {
                checked += 1;
            }
        }
        assert_eq!(checked, MAX_FAILURES_PER_CLIENT as usize);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn sqlite() {
        scenario(TestDb::sqlite()).await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn postgres() {
        if let Some(db) = TestDb::postgres().await {
            scenario(db).await
        }
    }
}

multiplier_store::each_backend! {
    async fn sign_ins_are_audited_without_the_name_typed_on_failure(db) {
        let app = app(&db).await;
        assert!(app.sign_in("priya", PASSWORD, "c").await.unwrap().is_ok());
        assert!(
            app.sign_in("nobody-zq", "wrong password!", "c")
                .await
                .unwrap()
                .is_err()
        );
        assert!(
            app.sign_in("ana", "wrong password!", "c")
                .await
                .unwrap()
                .is_err()
        );
        let log = app
            .audit_log(&priya(), &AuditFilter::default())
            .await
            .unwrap();
        let ok = log.iter().find(|e| e.action == "user.sign-in").unwrap();
        assert_eq!(ok.actor, "priya");
        let failed: Vec<_> = log
            .iter()
            .filter(|e| e.action == "user.sign-in.failed")
            .collect();
        assert_eq!(failed.len(), 2);
        assert!(failed.iter().any(|e| e.subject == "user:unknown"));
        assert!(!format!("{log:?}").contains("nobody-zq"));
        // Account changes are audited as well, and role creation.
        candidate(&app, "Dana").await;
        app.set_role(&Actor::Operator, "ana", AccountRole::Admin)
            .await
            .unwrap();
        app.deactivate_account(&Actor::Operator, "ana")
            .await
            .unwrap();
        let log = app
            .audit_log(&priya(), &AuditFilter::default())
            .await
            .unwrap();
        for action in ["user.add", "user.role", "user.deactivate", "role.create"] {
            assert!(log.iter().any(|e| e.action == action), "{action}");
        }
    }
}

/// A session row for `name`, as the web's session layer stores it.
async fn session_for(app: &App, id: &str, name: &str) {
    let far = jiff::Timestamp::now().as_second() + 3600;
    assert!(
        app.store()
            .create_session(id, Some(name), b"{}", far)
            .await
            .unwrap()
    );
}

async fn has_session(app: &App, id: &str) -> bool {
    let now = jiff::Timestamp::now().as_second();
    app.store().load_session(id, now).await.unwrap().is_some()
}

multiplier_store::each_backend! {
    async fn a_password_change_a_role_change_or_a_deactivation_ends_that_accounts_sessions(db) {
        let app = app(&db).await;
        session_for(&app, "s-ana-1", "ana").await;
        session_for(&app, "s-priya", "priya").await;
        app.set_password(&Actor::Operator, "ana", "a new long password")
            .await
            .unwrap();
        assert!(!has_session(&app, "s-ana-1").await);
        assert!(has_session(&app, "s-priya").await, "others keep theirs");

        session_for(&app, "s-ana-2", "ana").await;
        app.set_role(&Actor::Operator, "ana", AccountRole::Admin)
            .await
            .unwrap();
        assert!(!has_session(&app, "s-ana-2").await);

        session_for(&app, "s-ana-3", "ana").await;
        app.deactivate_account(&Actor::Operator, "ana")
            .await
            .unwrap();
        assert!(!has_session(&app, "s-ana-3").await);
        assert!(has_session(&app, "s-priya").await);
        // A deactivated account cannot sign in or act.
        assert_eq!(
            app.sign_in("ana", "a new long password", "c")
                .await
                .unwrap(),
            Err(SignInRefused::Mismatch)
        );
        assert!(app.account("ana").await.unwrap().is_none());
        assert!(matches!(
            app.act_as("ana").await,
            Err(AppError::Forbidden(_))
        ));
        // Until reactivated.
        app.activate_account(&Actor::Operator, "ana").await.unwrap();
        assert!(
            app.sign_in("ana", "a new long password", "c")
                .await
                .unwrap()
                .is_ok()
        );
    }
}

multiplier_store::each_backend! {
    async fn the_last_active_admin_and_oneself_cannot_be_deactivated(db) {
        let app = app(&db).await;
        assert!(matches!(
            app.deactivate_account(&Actor::Operator, "priya").await,
            Err(AppError::Conflict(_))
        ));
        assert!(matches!(
            app.deactivate_account(&Actor::Account(priya()), "priya")
                .await,
            Err(AppError::Conflict(_))
        ));
        let ana = Account {
            name: "ana".into(),
            role: AccountRole::Interviewer,
        };
        assert!(matches!(
            app.deactivate_account(&Actor::Account(ana), "priya").await,
            Err(AppError::Forbidden(_))
        ));
    }
}

multiplier_store::each_backend! {
    async fn old_failures_and_expired_sessions_are_purged(db) {
        let app = app(&db).await;
        let long_ago = jiff::Timestamp::now().as_second() - 2 * 24 * 3600;
        app.store()
            .create_session("old", Some("ana"), b"{}", long_ago)
            .await
            .unwrap();
        app.store()
            .begin_sign_in(
                "ana",
                "c",
                long_ago,
                multiplier_store::SignInLimits {
                    since: 0,
                    per_name: 5,
                    per_client: 20,
                },
            )
            .await
            .unwrap();
        let (sessions, failures) = app.purge_sign_in_records().await.unwrap();
        assert_eq!((sessions, failures), (1, 1));
    }
}

multiplier_store::each_backend! {
    async fn the_retention_period_erases_only_candidates_past_it_and_audits_each(db) {
        let app = app(&db).await;
        let old = candidate(&app, "Old Candidate-zq").await;
        let months = app.framework().retention.months;
        assert_eq!(months, 24);
        // A day short of the period: nothing happens.
        let now = jiff::Timestamp::now();
        let almost = now
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .checked_add(jiff::ToSpan::months(i64::from(months)))
            .unwrap()
            .timestamp()
            - jiff::SignedDuration::from_hours(24);
        let report = app.apply_retention(&Actor::Operator, almost).await.unwrap();
        assert!(report.erased.is_empty());
        // Past it: erased, with its own audit entry naming the reason.
        let later = almost + jiff::SignedDuration::from_hours(48);
        let report = app.apply_retention(&Actor::Operator, later).await.unwrap();
        assert_eq!(report.erased, vec![old]);
        let c = app.store().candidate(old).await.unwrap().unwrap();
        assert_eq!(c.name, multiplier_store::erased_name(old));
        let log = app
            .audit_log(&priya(), &AuditFilter::default())
            .await
            .unwrap();
        let e = log.iter().find(|e| e.action == "candidate.erase").unwrap();
        assert_eq!(e.actor, RETENTION_ACTOR);
        assert!(e.detail.contains("reason: retention"));
        assert!(!format!("{log:?}").contains("Old Candidate-zq"));
        // Erased candidates are not erased again.
        let report = app.apply_retention(&Actor::Operator, later).await.unwrap();
        assert!(report.erased.is_empty());
        // Interviewers may not run it; a person may not give `retention` as a reason.
        let ana = Account {
            name: "ana".into(),
            role: AccountRole::Interviewer,
        };
        assert!(matches!(
            app.apply_retention(&Actor::Account(ana), later).await,
            Err(AppError::Forbidden(_))
        ));
        let other = candidate(&app, "Other").await;
        assert!(matches!(
            app.erase_candidate(&priya(), other, true, Some(ErasureReason::Retention))
                .await,
            Err(AppError::Invalid { .. })
        ));
    }
}

multiplier_store::each_backend! {
    async fn every_text_field_has_a_limit_checked_in_the_use_case(db) {
        let app = app(&db).await;
        let id = candidate(&app, "Dana").await;
        let o = app.store().candidate(id).await.unwrap().unwrap().opening;
        // A 1.9 MB name was once accepted.
        let huge = "n".repeat(1_900_000);
        let e = app
            .add_candidate(
                &priya(),
                o,
                &CandidateInput {
                    name: huge,
                    ..CandidateInput::default()
                },
            )
            .await
            .unwrap_err();
        assert_eq!(e.problems()[0].field, "name");
        let e = app
            .add_candidate(
                &priya(),
                o,
                &CandidateInput {
                    name: "x".repeat(MAX_SHORT_CHARS + 1),
                    internal: true,
                    wants_leadership: Some("w".repeat(MAX_TEXT_CHARS + 1)),
                    gives_up: Some("fine".into()),
                    ..CandidateInput::default()
                },
            )
            .await
            .unwrap_err();
        let fields: Vec<&str> = e.problems().iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["name", "wants_leadership"]);
        // At the limit is fine.
        app.add_candidate(
            &priya(),
            o,
            &CandidateInput {
                name: "é".repeat(MAX_SHORT_CHARS),
                ..CandidateInput::default()
            },
        )
        .await
        .unwrap();
        let e = app
            .resolve_flag(&priya(), id, "x", &"y".repeat(MAX_TEXT_CHARS + 1))
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::Invalid { .. }));
        let e = app
            .open_opening(
                &priya(),
                multiplier_store::RoleId(1),
                Some(&"t".repeat(MAX_SHORT_CHARS + 1)),
                None,
            )
            .await
            .unwrap_err();
        assert_eq!(e.problems()[0].field, "title");
        let e = app
            .add_account(
                &Actor::Operator,
                "long",
                AccountRole::Interviewer,
                &"p".repeat(1_001),
            )
            .await
            .unwrap_err();
        assert_eq!(e.problems()[0].field, "password");
    }
}

multiplier_store::each_backend! {
    async fn the_one_input_cap_refuses_an_analysis_one_byte_over_before_any_work(db) {
        let app = app(&db).await;
        let at_cap = "a".repeat(MAX_INPUT_BYTES);
        let over = "a".repeat(MAX_INPUT_BYTES + 1);
        let e = app.lint_jd(over.clone()).await.unwrap_err();
        assert_eq!(e.problems()[0].field, "text");
        assert!(multiplier_app::analysis::lint_jd(&over).is_err());
        let answers = |text: &str| Answers {
            answers: vec![
                Answer {
                    question: "architecture-decision".into(),
                    text: text[..text.len() / 2].to_string(),
                },
                Answer {
                    question: "sprint-risk".into(),
                    text: text[text.len() / 2..].to_string(),
                },
            ],
        };
        // The cap counts every answer together.
        let e = app.analyze_answers(answers(&over)).await.unwrap_err();
        assert_eq!(e.problems()[0].field, "answers");
        // A short text goes through, on a blocking thread.
        assert!(app.lint_jd("We hire a Tech Lead.".into()).await.is_ok());
        assert!(multiplier_app::limits::check_input("x", "y", at_cap.len()).is_ok());
    }
}
