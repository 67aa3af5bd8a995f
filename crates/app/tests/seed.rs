//! `App::seed_demo`: a small seed writes the counts it reports, at every stage,
//! rows the use cases read back (valid scorecards, references, evidence,
//! decisions and offers), one audit entry per batch on an intact chain; and the
//! same seed gives the same data.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use multiplier_app::seed::{BATCH, SeedPlan};
use multiplier_app::{Account, Actor, App, AppError};
use multiplier_core::Framework;
use multiplier_store::testing::TestDb;
use multiplier_store::{AccountRole, CandidateId};
use std::collections::BTreeSet;
use std::sync::Arc;

const PASSWORD: &str = "correct horse battery";
const INTERVIEWERS: [&str; 4] = ["marco", "aisha", "tom", "lena"];

async fn app(db: &TestDb) -> App {
    let store = db.open().await;
    App::new(store, Arc::new(Framework::default_framework().unwrap()))
}

async fn with_accounts(app: &App) {
    app.add_account(&Actor::Operator, "priya", AccountRole::Admin, PASSWORD)
        .await
        .unwrap();
    for name in INTERVIEWERS {
        app.add_account(&Actor::Operator, name, AccountRole::Interviewer, PASSWORD)
            .await
            .unwrap();
    }
}

fn plan(candidates: usize, openings: usize) -> SeedPlan {
    SeedPlan {
        candidates,
        openings,
        manager: "priya".into(),
        interviewers: INTERVIEWERS.iter().map(|s| s.to_string()).collect(),
        seed: 7,
    }
}

multiplier_store::each_backend! {
    async fn a_small_seed_writes_what_it_reports_and_the_use_cases_read_it(db) {
        let app = app(&db).await;
        assert!(app.database_is_empty().await.unwrap());
        with_accounts(&app).await;
        assert!(
            !app.database_is_empty().await.unwrap(),
            "accounts count as data"
        );

        let mut seen = Vec::new();
        let report = app
            .seed_demo(&Actor::Operator, &plan(50, 2), &mut |n| seen.push(n))
            .await
            .unwrap();
        assert_eq!(report.openings.len(), 2);
        assert_eq!(report.counts.candidates, 50);
        assert_eq!(seen.last(), Some(&50), "progress reaches the total");
        let c = report.counts;
        assert!(
            c.scorecards > 100,
            "about nine scorecards a candidate: {c:?}"
        );
        assert!(c.assignments >= c.scorecards / 2, "{c:?}");
        assert!(
            c.references > 0 && c.evidence > 0 && c.decisions > 0 && c.offers > 0,
            "{c:?}"
        );

        let priya = Account {
            name: "priya".into(),
            role: AccountRole::Admin,
        };
        let fw = app.framework();
        let mut stages = BTreeSet::new();
        let (mut cards, mut references, mut evidence) = (0, 0, 0);
        for id in 1..=50 {
            let id = CandidateId(id);
            let view = app.candidate(&priya, id).await.unwrap();
            stages.insert(view.candidate.stage.clone());
            let list = app.scorecards(&priya, id).await.unwrap();
            cards += list.items.len() + list.hidden;
            for card in &list.items {
                assert!(
                    card.card.problems(fw).is_empty(),
                    "a generated scorecard breaks the framework's rules: {:?}",
                    card.card.problems(fw)
                );
            }
            let refs = app.references(&priya, id).await.unwrap();
            references += refs.items.len() + refs.hidden;
            evidence += view.evidence.len();
            // The debrief reads every candidate's scorecards and references.
            app.debrief(&priya, id).await.unwrap();
        }
        assert_eq!(cards, c.scorecards);
        assert_eq!(references, c.references);
        assert_eq!(evidence, c.evidence);
        assert!(
            stages.len() >= 7,
            "candidates at nearly every stage: {stages:?}"
        );
        for opening in &report.openings {
            app.opening_debrief(&priya, *opening, &multiplier_app::PageRequest::default())
                .await
                .unwrap();
        }

        // One audit entry per batch (and per role and opening), chain intact.
        let check = app.verify_audit(&Actor::Operator).await.unwrap();
        assert!(check.broken.is_none());
        let accounts = 1 + INTERVIEWERS.len() as u64;
        let batches = 2 * (25_u64.div_ceil(BATCH as u64));
        assert_eq!(check.entries, accounts + 2 * 2 + batches);
    }
}

multiplier_store::each_backend! {
    async fn the_same_seed_gives_the_same_data_and_only_the_operator_seeds(db) {
        let mut firsts = Vec::new();
        for _ in 0..2 {
            // Each run on a fresh database of the scenario's backend.
            let fresh = TestDb::on(db.backend()).await.unwrap();
            let app = app(&fresh).await;
            with_accounts(&app).await;
            let report = app
                .seed_demo(&Actor::Operator, &plan(12, 1), &mut |_| {})
                .await
                .unwrap();
            let priya = Account {
                name: "priya".into(),
                role: AccountRole::Admin,
            };
            let view = app.candidate(&priya, CandidateId(12)).await.unwrap();
            firsts.push((report.counts, view.candidate.name, view.candidate.stage));
        }
        assert_eq!(firsts[0], firsts[1]);

        let app = app(&db).await;
        with_accounts(&app).await;
        let priya = Account {
            name: "priya".into(),
            role: AccountRole::Admin,
        };
        let refused = app
            .seed_demo(&Actor::Account(priya), &plan(5, 1), &mut |_| {})
            .await
            .unwrap_err();
        assert!(matches!(refused, AppError::Forbidden(_)), "{refused:?}");
    }
}
