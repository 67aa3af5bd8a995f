//! Use cases added for the web pages: the debrief behind the decision form.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use multiplier_app::{Account, Actor, App, AppError, CandidateInput, ScorecardDraft};
use multiplier_core::pipeline::Recommendation;
use multiplier_core::score::Score;
use multiplier_core::{Framework, Role, Signal};
use multiplier_store::testing::TestDb;
use multiplier_store::{AccountRole, CandidateId};
use std::collections::BTreeMap;
use std::sync::Arc;

const ROLE: &str = include_str!("../../../examples/roles/payments-player-coach.toml");

struct World {
    app: App,
    hm: Account,
    priya: Account,
    ana: Account,
    candidate: CandidateId,
}

fn account(name: &str, role: AccountRole) -> Account {
    Account {
        name: name.into(),
        role,
    }
}

/// One opening, one candidate; `ana` (interviewer) scores code-review, `priya`
/// (admin) scores leadership, `hm` (admin) interviews nobody.
async fn world(db: &TestDb) -> World {
    let store = db.open().await;
    let fw = Arc::new(Framework::default_framework().unwrap());
    let app = App::new(store, Arc::clone(&fw));
    for (name, role) in [
        ("hm", AccountRole::Admin),
        ("priya", AccountRole::Admin),
        ("ana", AccountRole::Interviewer),
    ] {
        app.add_account(&Actor::Operator, name, role, "correct horse battery")
            .await
            .unwrap();
    }
    let hm = account("hm", AccountRole::Admin);
    let role = Role::parse(&fw, "payments-player-coach.toml", ROLE).unwrap();
    let (_, opening) = app.open_role(&hm, &role, None).await.unwrap();
    let candidate = app
        .add_candidate(
            &hm,
            opening,
            &CandidateInput {
                name: "Dana".into(),
                ..CandidateInput::default()
            },
        )
        .await
        .unwrap();
    app.assign(&hm, candidate, "code-review", "ana")
        .await
        .unwrap();
    app.assign(&hm, candidate, "leadership", "priya")
        .await
        .unwrap();
    World {
        app,
        hm,
        priya: account("priya", AccountRole::Admin),
        ana: account("ana", AccountRole::Interviewer),
        candidate,
    }
}

fn code_review() -> ScorecardDraft {
    ScorecardDraft {
        stage: "code-review".into(),
        scores: BTreeMap::from([
            (Signal::TechnicalDepth, Score::new(3).unwrap()),
            (Signal::TeamMultiplier, Score::new(3).unwrap()),
        ]),
        notes: BTreeMap::new(),
        red_flags: Vec::new(),
        recommendation: Recommendation::Yes,
    }
}

multiplier_store::each_backend! {
    async fn the_debrief_for_a_decision_opens_only_to_a_hiring_manager_who_may_decide(db) {
        let w = world(&db).await;
        // An interviewer, even with her card in and the debrief open to her: refused.
        w.app
            .submit_scorecard(&w.ana, w.candidate, &code_review(), None)
            .await
            .unwrap();
        assert!(w.app.debrief(&w.ana, w.candidate).await.is_ok());
        let e = w
            .app
            .debrief_for_decision(&w.ana, w.candidate)
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::Forbidden(_)), "{e}");
        // An admin who still owes a scorecard on the candidate: refused, like decide.
        let e = w
            .app
            .debrief_for_decision(&w.priya, w.candidate)
            .await
            .unwrap_err();
        assert!(
            matches!(e, AppError::Forbidden(ref m) if m.contains("decision")),
            "{e}"
        );
        // A candidate that does not exist: not found.
        let e = w
            .app
            .debrief_for_decision(&w.hm, CandidateId(999))
            .await
            .unwrap_err();
        assert!(matches!(e, AppError::NotFound(_)), "{e}");
        // The hiring manager who owes nothing: the full debrief.
        let view = w
            .app
            .debrief_for_decision(&w.hm, w.candidate)
            .await
            .unwrap();
        assert_eq!(view.candidate.name, "Dana");
        assert!(view.sight.blind.is_none());
        assert!(view.decisions.is_empty());
    }
}
