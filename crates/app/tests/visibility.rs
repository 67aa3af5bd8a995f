//! The visibility matrix of `docs/architecture.md`, cell by cell, at the use-case
//! layer: one candidate with a scorecard, a raised and resolved red flag, a
//! reference, evidence, a decision, an accepted offer and a portal link, read by
//! each kind of viewer. The same matrix is walked through the pages, the API and
//! the CLI in `crates/cli/tests/visibility_matrix.rs`.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use jiff::civil::date;
use multiplier_app::{
    Account, Actor, App, AppError, CandidateInput, CandidateView, DecisionInput, ScorecardDraft,
};
use multiplier_core::framework::Signal;
use multiplier_core::pipeline::{
    OfferRequest, Outcome, RaisedFlag, Recommendation, Reference, ReferenceKind,
};
use multiplier_core::score::Score;
use multiplier_core::{Framework, Role};
use multiplier_store::testing::TestDb;
use multiplier_store::{AccountRole, CandidateId};
use std::collections::BTreeMap;
use std::sync::Arc;

const PASSWORD: &str = "correct horse battery";
const FLAG: &str = "dismisses-dissent";

struct World {
    app: App,
    dana: CandidateId,
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

fn draft(stage: &str, signals: &[Signal], flags: Vec<RaisedFlag>) -> ScorecardDraft {
    ScorecardDraft {
        stage: stage.into(),
        scores: signals
            .iter()
            .map(|s| (*s, Score::new(3).unwrap()))
            .collect(),
        notes: signals
            .iter()
            .map(|s| (*s, "what they did".into()))
            .collect(),
        red_flags: flags,
        recommendation: Recommendation::Yes,
    }
}

/// Dana, with everything a viewer could see recorded about her.
async fn world(db: &TestDb) -> World {
    let store = db.open().await;
    let fw = Arc::new(Framework::default_framework().unwrap());
    let app = App::new(store, Arc::clone(&fw));
    for (name, role) in [
        ("priya", AccountRole::Admin),
        ("hana", AccountRole::Admin),
        ("ana", AccountRole::Interviewer),
        ("bo", AccountRole::Interviewer),
        ("cy", AccountRole::Interviewer),
        ("eve", AccountRole::Interviewer),
    ] {
        app.add_account(&Actor::Operator, name, role, PASSWORD)
            .await
            .unwrap();
    }
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/roles/payments-player-coach.toml"
    ))
    .unwrap();
    let role = Role::parse(&fw, "payments", &text).unwrap();
    let p = priya();
    let (_, opening) = app.open_role(&p, &role, None).await.unwrap();
    let dana = app
        .add_candidate(
            &p,
            opening,
            &CandidateInput {
                name: "Dana Reyes".into(),
                email: Some("dana@example.com".into()),
                ..CandidateInput::default()
            },
        )
        .await
        .unwrap();
    for (stage, who) in [
        ("code-review", "ana"),
        ("technical-depth", "cy"),
        ("product-partnership", "bo"),
        ("leadership", "hana"),
    ] {
        app.assign(&p, dana, stage, who).await.unwrap();
    }
    let bo = account("bo", AccountRole::Interviewer);
    app.submit_scorecard(
        &bo,
        dana,
        &draft(
            "product-partnership",
            &[Signal::TeamMultiplier],
            vec![RaisedFlag {
                id: FLAG.into(),
                note: "talked over the PM twice".into(),
            }],
        ),
        None,
    )
    .await
    .unwrap();
    app.add_reference(
        &p,
        dana,
        &Reference {
            kind: ReferenceKind::Engineer,
            name: "Lee".into(),
            relationship: "reported to Dana for two years".into(),
            answer: "yes, much better".into(),
            example: "her review of my first migration".into(),
            scores: BTreeMap::from([(Signal::TeamMultiplier, Score::new(4).unwrap())]),
        },
    )
    .await
    .unwrap();
    app.resolve_flag(&p, dana, FLAG, "two former reports describe the opposite")
        .await
        .unwrap();
    app.attach_evidence(
        &p,
        dana,
        "code-review-grade",
        "grade.json",
        &serde_json::json!({"score": 3}),
    )
    .await
    .unwrap();
    app.decide(
        &p,
        dana,
        &DecisionInput {
            outcome: Outcome::Hire,
            rationale: "strong on both in the conversations so far".into(),
            against_policy: true,
        },
    )
    .await
    .unwrap();
    let request = OfferRequest {
        level: "tech-lead".into(),
        region: "us".into(),
        coding: multiplier_core::role::parse_split("60").unwrap(),
        stage: None,
    };
    app.record_offer(&p, dana, &request).await.unwrap();
    app.accept_offer(&p, dana, date(2027, 1, 11)).await.unwrap();
    app.create_link(&p, dana, "orders-n-plus-one", 7)
        .await
        .unwrap();
    World { app, dana }
}

/// What one viewer should see, row by row of the matrix.
#[derive(Debug, PartialEq)]
struct Seen {
    email: bool,
    others_scorecards: bool,
    references: bool,
    resolutions: bool,
    decisions: bool,
    offers: bool,
    timeline_decision: bool,
    timeline_flag: bool,
    timeline_offer: bool,
    timeline_portal: bool,
    debrief: bool,
}

fn seen(v: &CandidateView, viewer: &str, debrief: bool) -> Seen {
    let has = |prefix: &str| v.timeline.iter().any(|e| e.action.starts_with(prefix));
    Seen {
        email: v.candidate.email.is_some(),
        others_scorecards: v.scorecards.iter().any(|c| c.card.interviewer != viewer),
        references: !v.references.is_empty(),
        resolutions: !v.resolutions.is_empty(),
        decisions: !v.decisions.is_empty(),
        offers: !v.offers.is_empty(),
        timeline_decision: has("decision."),
        timeline_flag: has("flag."),
        timeline_offer: has("offer."),
        timeline_portal: has("portal."),
        debrief,
    }
}

async fn look(w: &World, who: &Account) -> Seen {
    let v = w.app.candidate(who, w.dana).await.unwrap();
    let debrief = match w.app.debrief(who, w.dana).await {
        Ok(_) => true,
        Err(AppError::Forbidden(_)) => false,
        Err(e) => panic!("{e}"),
    };
    // The debrief and the view agree on the blind rule.
    assert_eq!(v.sight.blind.is_none(), debrief, "{}", who.name);
    seen(&v, &who.name, debrief)
}

const ALL: Seen = Seen {
    email: true,
    others_scorecards: true,
    references: true,
    resolutions: true,
    decisions: true,
    offers: true,
    timeline_decision: true,
    timeline_flag: true,
    timeline_offer: true,
    timeline_portal: true,
    debrief: true,
};

const BLIND: Seen = Seen {
    email: false,
    others_scorecards: false,
    references: false,
    resolutions: false,
    decisions: false,
    offers: false,
    timeline_decision: false,
    timeline_flag: false,
    timeline_offer: false,
    timeline_portal: false,
    debrief: false,
};

multiplier_store::each_backend! {
    async fn each_kind_of_viewer_sees_exactly_its_cells_of_the_matrix(db) {
        let w = world(&db).await;
        // B: an admin who owes nothing sees it all.
        assert_eq!(look(&w, &priya()).await, ALL);
        // A: an admin who owes a card keeps contact details and portal links, and
        // nothing of anyone's judgement.
        let hana = account("hana", AccountRole::Admin);
        assert_eq!(
            look(&w, &hana).await,
            Seen {
                email: true,
                timeline_portal: true,
                ..BLIND
            }
        );
        // C: an assigned interviewer who owes a card.
        let cy = account("cy", AccountRole::Interviewer);
        assert_eq!(look(&w, &cy).await, BLIND);
        // D: once their card is in, an interviewer reads the judgements, never the
        // e-mail, the offer or the portal.
        let ana = account("ana", AccountRole::Interviewer);
        assert_eq!(look(&w, &ana).await, BLIND, "before submitting");
        w.app
            .submit_scorecard(
                &ana,
                w.dana,
                &draft(
                    "code-review",
                    &[Signal::TechnicalDepth, Signal::TeamMultiplier],
                    Vec::new(),
                ),
                None,
            )
            .await
            .unwrap();
        assert_eq!(
            look(&w, &ana).await,
            Seen {
                email: false,
                offers: false,
                timeline_offer: false,
                timeline_portal: false,
                ..ALL
            }
        );
        // E: an unassigned interviewer gets "not found" for everything about her,
        // exactly as for a candidate that does not exist.
        let eve = account("eve", AccountRole::Interviewer);
        for result in [
            w.app.candidate(&eve, w.dana).await.err(),
            w.app.candidate(&eve, CandidateId(999)).await.err(),
        ] {
            assert!(
                matches!(result, Some(AppError::NotFound(ref m)) if m.starts_with("there is no candidate"))
            );
        }
        assert!(matches!(
            w.app.scorecards(&eve, w.dana).await,
            Err(AppError::NotFound(_))
        ));
        assert!(matches!(
            w.app.debrief(&eve, w.dana).await,
            Err(AppError::NotFound(_))
        ));
        let rows = w.app.search(&eve, &Default::default()).await.unwrap().rows;
        assert!(rows.is_empty(), "not even listed");
    }
}

multiplier_store::each_backend! {
    async fn blind_viewers_keep_their_own_work_and_see_how_much_is_hidden(db) {
        let w = world(&db).await;
        let cy = account("cy", AccountRole::Interviewer);
        let v = w.app.candidate(&cy, w.dana).await.unwrap();
        assert_eq!(v.sight.pending, ["technical-depth"]);
        assert!(v.scorecards.is_empty());
        assert_eq!(v.hidden_scorecards, 1, "bo's card is withheld, not denied");
        assert_eq!(v.hidden_references, 1);
        assert!(v.sight.blind.as_deref().unwrap().contains("not submitted"));
        let list = w.app.scorecards(&cy, w.dana).await.unwrap();
        assert!(list.items.is_empty());
        assert_eq!(list.hidden, 1);
        // A tool's grade is a verdict like a colleague's score: withheld, and
        // counted. The assignment table is not a judgement.
        assert!(v.evidence.is_empty());
        assert_eq!(v.hidden_evidence, 1);
        let p = w.app.candidate(&priya(), w.dana).await.unwrap();
        assert_eq!((p.evidence.len(), p.hidden_evidence), (1, 0));
        assert!(
            v.assignments
                .iter()
                .any(|a| a.interviewer == "bo" && a.submitted)
        );
        // Search while blind: no score is shown, and a filter on scores or flags
        // leaves the candidate out rather than judging on hidden cards.
        let rows = w.app.search(&cy, &Default::default()).await.unwrap().rows;
        assert_eq!(rows.len(), 1);
        assert!(rows[0].hit.is_none() && rows[0].candidate.email.is_none());
        let by_flag = multiplier_app::SearchInput {
            filter: multiplier_core::pipeline::SearchFilter {
                flag: Some(FLAG.into()),
                ..Default::default()
            },
            ..Default::default()
        };
        assert!(w.app.search(&cy, &by_flag).await.unwrap().rows.is_empty());
        assert_eq!(
            w.app.search(&priya(), &by_flag).await.unwrap().rows.len(),
            1
        );
    }
}

multiplier_store::each_backend! {
    async fn an_admin_who_owes_a_card_may_not_decide_resolve_or_make_offers_yet(db) {
        let w = world(&db).await;
        let hana = account("hana", AccountRole::Admin);
        let decision = DecisionInput {
            outcome: Outcome::NoHire,
            rationale: "not convinced".into(),
            against_policy: false,
        };
        assert!(matches!(
            w.app.decide(&hana, w.dana, &decision).await,
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            w.app.offers(&hana, w.dana).await,
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            w.app.onboarding(&hana, w.dana).await,
            Err(AppError::Forbidden(_))
        ));
        // Managing the candidate is not a judgement: still allowed.
        w.app
            .move_candidate(&hana, w.dana, "debrief")
            .await
            .unwrap();
        let admin = w.app.portal_admin(&hana, w.dana).await.unwrap();
        assert_eq!(admin.links.len(), 1);
    }
}

multiplier_store::each_backend! {
    async fn interviewers_may_only_score_their_stages_and_never_manage(db) {
        let w = world(&db).await;
        let cy = account("cy", AccountRole::Interviewer);
        let not_mine = w
            .app
            .submit_scorecard(
                &cy,
                w.dana,
                &draft("code-review", &[Signal::TechnicalDepth], Vec::new()),
                None,
            )
            .await;
        assert!(matches!(not_mine, Err(AppError::Forbidden(_))));
        for refused in [
            w.app.move_candidate(&cy, w.dana, "debrief").await.err(),
            w.app.assign(&cy, w.dana, "code-review", "cy").await.err(),
            w.app
                .attach_evidence(&cy, w.dana, "x", "y", &serde_json::json!({}))
                .await
                .err(),
            w.app.portal_admin(&cy, w.dana).await.err(),
            w.app
                .erase_candidate(
                    &cy,
                    w.dana,
                    true,
                    Some(multiplier_app::ErasureReason::CandidateRequest),
                )
                .await
                .err(),
        ] {
            assert!(
                matches!(refused, Some(AppError::Forbidden(_))),
                "{refused:?}"
            );
        }
        assert!(matches!(
            w.app.audit_log(&cy, &Default::default()).await,
            Err(AppError::Forbidden(_))
        ));
    }
}
