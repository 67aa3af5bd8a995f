//! The interview-loop pages over HTTP: the kit and scorecard form, the reference
//! form, the debrief with its plot and decision form, the offer calculator and the
//! onboarding checklist — for every role, with the blind rule and CSRF.
//!
//! Demo data (see `multiplier_web::demo`): opening 1, candidates 1–8. Candidates 3–8
//! have marco (technical-depth), aisha (code-review) and tom (leadership) assigned.
//! Candidate 3 (Lucía) has only marco's scorecard, so aisha and tom still owe
//! theirs; candidate 6 (Dana) clears both bars; candidate 7 (Ravi) is deep but
//! below the team-multiplier bar; candidate 8 (Maya) is hired and onboarding.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod support;

use multiplier_core::Signal;
use multiplier_core::pipeline::{
    OfferRequest, RaisedFlag, Recommendation, Scorecard, debrief, offer, plan,
};
use multiplier_core::score::{Percent, Score};
use multiplier_store::{CandidateId, HiringStore, OpeningId};
use support::TestApp;

const LUCIA: CandidateId = CandidateId(3);
const DANA: CandidateId = CandidateId(6);
const RAVI: CandidateId = CandidateId(7);
const MAYA: CandidateId = CandidateId(8);

/// How often `needle` occurs in `haystack`.
fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

// ------------------------------------------------------------ kit and scorecard

multiplier_store::each_backend! {
    async fn the_kit_and_form_show_to_the_assigned_interviewer_without_others_scores(db) {
        let app = TestApp::with_demo_on(db).await;
        let aisha = app.login("aisha").await;
        let page = aisha.get("/candidates/3/stages/code-review").await;
        assert_eq!(page.status, 200, "{}", page.body);
        let kit = multiplier_core::pipeline::kit(&app.state.framework, "code-review").unwrap();
        for (_, anchor) in &kit.rubric {
            assert!(
                page.body.contains(&maud::html! { (anchor) }.into_string()),
                "rubric anchor missing: {anchor}"
            );
        }
        assert!(
            page.body
                .contains(&maud::html! { (kit.questions[0]) }.into_string())
        );
        // Radios for both signals the stage feeds, and the recommendation.
        assert!(
            page.body
                .contains(r#"name="score-technical-depth" value="4""#)
        );
        assert!(
            page.body
                .contains(r#"name="score-team-multiplier" value="1""#)
        );
        assert!(page.body.contains(r#"name="recommendation""#));
        // The blind rule: marco's note on Lucía is nowhere on the page.
        assert!(!page.body.contains("Solid on the queue design"));
        // A made-up "saved" notice is not shown: aisha has stored nothing yet.
        let fake = aisha.get("/candidates/3/stages/code-review?saved=1").await;
        assert!(!fake.body.contains("is stored"));
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn a_four_without_evidence_is_refused_with_the_message_at_its_field_and_values_kept(db) {
        let app = TestApp::with_demo_on(db).await;
        let aisha = app.login("aisha").await;
        let res = aisha
            .post_form(
                "/candidates/3/stages/code-review",
                &[
                    ("score-technical-depth", "3"),
                    ("score-team-multiplier", "4"),
                    ("note-technical-depth", "found the N+1 in the loop"),
                    ("recommendation", "yes"),
                ],
            )
            .await;
        assert_eq!(res.status, 422, "{}", res.body);
        assert!(
            res.body.contains(r#"id="note-team-multiplier-error""#),
            "{}",
            res.body
        );
        assert!(res.body.contains("needs the evidence behind it"));
        // What was typed comes back.
        assert!(res.body.contains("found the N+1 in the loop"));
        assert!(
            res.body
                .contains(r#"name="score-team-multiplier" value="4" checked"#)
        );
        assert!(
            app.store()
                .scorecards(LUCIA)
                .await
                .unwrap()
                .iter()
                .all(|c| c.card.interviewer != "aisha")
        );
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn a_score_for_a_signal_the_stage_does_not_feed_is_refused(db) {
        let app = TestApp::with_demo_on(db).await;
        let tom = app.login("tom").await;
        let res = tom
            .post_form(
                "/candidates/3/stages/leadership",
                &[
                    ("score-team-multiplier", "3"),
                    ("score-technical-depth", "3"),
                    ("recommendation", "yes"),
                ],
            )
            .await;
        assert_eq!(res.status, 422, "{}", res.body);
        assert!(res.body.contains("does not feed"), "{}", res.body);
        let res = tom
            .post_form(
                "/candidates/3/stages/leadership",
                &[("score-team-multiplier", "7"), ("recommendation", "yes")],
            )
            .await;
        assert_eq!(res.status, 422);
        assert!(res.body.contains("choose a score from 1 to 4"));
        assert!(
            app.store()
                .scorecards(LUCIA)
                .await
                .unwrap()
                .iter()
                .all(|c| c.card.interviewer != "tom")
        );
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn a_raised_flag_without_what_was_seen_is_refused_beside_that_flag(db) {
        let app = TestApp::with_demo_on(db).await;
        let tom = app.login("tom").await;
        let res = tom
            .post_form(
                "/candidates/3/stages/leadership",
                &[
                    ("score-team-multiplier", "3"),
                    ("recommendation", "yes"),
                    ("flag", "decision-without-process"),
                ],
            )
            .await;
        assert_eq!(res.status, 422, "{}", res.body);
        assert!(
            res.body
                .contains(r#"id="flag-decision-without-process-error""#),
            "{}",
            res.body
        );
        assert!(
            res.body
                .contains(r#"value="decision-without-process" checked"#),
            "the tick is kept"
        );
        assert!(
            app.store()
                .scorecards(LUCIA)
                .await
                .unwrap()
                .iter()
                .all(|c| c.card.interviewer != "tom")
        );
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn a_second_submission_is_an_amendment_that_needs_a_reason(db) {
        let app = TestApp::with_demo_on(db).await;
        let aisha = app.login("aisha").await;
        let card = [
            ("score-technical-depth", "3"),
            ("score-team-multiplier", "3"),
            ("recommendation", "yes"),
        ];
        let res = aisha
            .post_form("/candidates/3/stages/code-review", &card)
            .await;
        assert_eq!(res.status, 303, "{}", res.body);
        assert_eq!(
            res.location.as_deref(),
            Some("/candidates/3/stages/code-review?saved=1")
        );
        // Sending it again without a reason conflicts with the stored card: the
        // form comes back asking for the reason.
        let again = aisha
            .post_form("/candidates/3/stages/code-review", &card)
            .await;
        assert_eq!(again.status, 409);
        assert!(
            again.body.contains(r#"id="amendment_reason-error""#),
            "{}",
            again.body
        );
        let mut amended = card.to_vec();
        amended.push((
            "amendment_reason",
            "re-read my notes on the teaching comments",
        ));
        let res = aisha
            .post_form("/candidates/3/stages/code-review", &amended)
            .await;
        assert_eq!(res.status, 303, "{}", res.body);
        let versions: Vec<u32> = app
            .store()
            .scorecards(LUCIA)
            .await
            .unwrap()
            .iter()
            .filter(|c| c.card.interviewer == "aisha")
            .map(|c| c.card.version)
            .collect();
        assert_eq!(versions, [1, 2]);
        let page = aisha.get("/candidates/3/stages/code-review?saved=2").await;
        assert!(
            page.body
                .contains("re-read my notes on the teaching comments")
        );
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn only_the_admin_or_the_assigned_interviewer_may_score_a_stage(db) {
        let app = TestApp::with_demo_on(db).await;
        let card = [("score-team-multiplier", "3"), ("recommendation", "yes")];
        // Anonymous: to the sign-in page.
        let anon = app.anonymous();
        let res = anon.get("/candidates/3/stages/leadership").await;
        assert_eq!(res.status, 303);
        assert!(res.location.unwrap().starts_with("/login?next="));
        // An interviewer with no assignment on the candidate: not found.
        let ivy = app.login("ivy").await;
        assert_eq!(ivy.get("/candidates/3/stages/leadership").await.status, 404);
        assert_eq!(
            ivy.post_form("/candidates/3/stages/leadership", &card)
                .await
                .status,
            404
        );
        // Assigned to another stage: may read the kit, not submit.
        let marco = app.login("marco").await;
        let page = marco.get("/candidates/3/stages/leadership").await;
        assert_eq!(page.status, 200);
        assert!(!page.body.contains(r#"name="recommendation""#));
        assert_eq!(
            marco
                .post_form("/candidates/3/stages/leadership", &card)
                .await
                .status,
            403
        );
        // Without the CSRF token: refused before anything else.
        let tom = app.login("tom").await;
        assert_eq!(
            tom.post_form_raw("/candidates/3/stages/leadership", &card)
                .await
                .status,
            403
        );
        assert_eq!(
            tom.post_form("/candidates/3/stages/leadership", &card)
                .await
                .status,
            303
        );
        // The admin may score any stage.
        let hm = app.login("hm").await;
        assert_eq!(
            hm.post_form("/candidates/3/stages/product-partnership", &card)
                .await
                .status,
            303
        );
        assert_eq!(
            hm.get("/candidates/3/stages/no-such-stage").await.status,
            404
        );
        app.stop().await;
    }
}

// ------------------------------------------------------------ references

multiplier_store::each_backend! {
    async fn a_reference_is_recorded_by_the_admin_and_listed_with_its_weight(db) {
        let app = TestApp::with_demo_on(db).await;
        let hm = app.login("hm").await;
        let page = hm.get("/candidates/3/references").await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("weighs 2"), "engineer weight named");
        let missing = hm
            .post_form("/candidates/3/references", &[("kind", "engineer")])
            .await;
        assert_eq!(missing.status, 422);
        assert!(missing.body.contains(r#"id="answer-error""#));
        let res = hm
            .post_form(
                "/candidates/3/references",
                &[
                    ("kind", "engineer"),
                    ("name", "Former report"),
                    ("relationship", "reported to her for two years"),
                    (
                        "answer",
                        "Yes: my migrations stopped needing three review rounds.",
                    ),
                    ("example", ""),
                    ("score-team-multiplier", "4"),
                    ("score-technical-depth", ""),
                ],
            )
            .await;
        assert_eq!(res.status, 303, "{}", res.body);
        let page = hm.get(res.location.as_deref().unwrap()).await;
        assert!(page.body.contains("gave no concrete example"));
        assert!(
            page.body
                .contains("my migrations stopped needing three review rounds")
        );
        let refs = app.store().references(LUCIA).await.unwrap();
        assert_eq!(refs.len(), 1);
        assert_eq!(refs[0].reference.scores.len(), 1);
        assert!(
            refs[0]
                .reference
                .scores
                .contains_key(&Signal::TeamMultiplier)
        );
        app.stop().await;
    }
}

/// The form to record a reference is on the page.
const REFERENCE_FORM: &str = r#"name="kind""#;

multiplier_store::each_backend! {
    async fn references_need_the_references_assignment_and_the_list_follows_the_blind_rule(db) {
        let app = TestApp::with_demo_on(db).await;
        // marco interviews Lucía, but not at the references stage: the list (what he
        // may read of it) without the form, and recording is refused.
        let marco = app.login("marco").await;
        let page = marco.get("/candidates/3/references").await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(!page.body.contains(REFERENCE_FORM), "no form for him");
        assert!(page.body.contains("not assigned to take references"));
        let fields = [
            ("kind", "manager"),
            ("name", "Their manager"),
            ("relationship", "manager for a year"),
            ("answer", "solid"),
        ];
        assert_eq!(
            marco
                .post_form("/candidates/3/references", &fields)
                .await
                .status,
            403
        );
        assert_eq!(
            app.login("ivy")
                .await
                .get("/candidates/3/references")
                .await
                .status,
            404
        );
        // Once assigned, marco may record. While he owes a scorecard, he reads the
        // references he recorded and not the hiring manager's.
        app.store()
            .assign("hm", LUCIA, "references", "marco")
            .await
            .unwrap();
        let hm = app.login("hm").await;
        let hms = [
            ("kind", "engineer"),
            ("name", "A former report"),
            ("relationship", "reported to her on the ledger team"),
            ("answer", "my reviews got shorter and kinder"),
        ];
        assert_eq!(
            hm.post_form("/candidates/3/references", &hms).await.status,
            303
        );
        assert_eq!(
            marco
                .post_form_raw("/candidates/3/references", &fields)
                .await
                .status,
            403,
            "no CSRF token"
        );
        let res = marco.post_form("/candidates/3/references", &fields).await;
        assert_eq!(res.status, 303, "{}", res.body);
        let page = marco.get(res.location.as_deref().unwrap()).await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains(REFERENCE_FORM), "his form now");
        assert!(page.body.contains("The manager reference is stored."));
        assert!(
            page.body.contains("2 reference(s) recorded"),
            "{}",
            page.body
        );
        assert!(page.body.contains("manager for a year"), "his own");
        assert!(!page.body.contains("ledger team"), "the hiring manager's");
        assert!(page.body.contains("the other 1"));
        assert_eq!(app.store().references(LUCIA).await.unwrap().len(), 2);
        app.stop().await;
    }
}

// ------------------------------------------------------------ debrief

multiplier_store::each_backend! {
    async fn the_opening_debrief_plots_one_point_per_candidate_and_both_bars(db) {
        let app = TestApp::with_demo_on(db).await;
        let fw = &app.state.framework;
        // What core says: the candidates with a median on both signals.
        let mut plotted = Vec::new();
        for c in app.store().candidates(Some(OpeningId(1))).await.unwrap() {
            let cards: Vec<_> = app
                .store()
                .scorecards(c.id)
                .await
                .unwrap()
                .into_iter()
                .map(|r| r.card)
                .collect();
            let refs: Vec<_> = app
                .store()
                .references(c.id)
                .await
                .unwrap()
                .into_iter()
                .map(|r| r.reference)
                .collect();
            let d = debrief(fw, &cards, &refs, &[]);
            if d.signals.iter().all(|s| s.median.is_some()) {
                plotted.push(c.id);
            }
        }
        assert!(plotted.len() >= 4, "the demo has candidates to plot");
        let hm = app.login("hm").await;
        let page = hm.get("/openings/1/debrief").await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert_eq!(count(&page.body, r#"<g class="point""#), plotted.len());
        for id in &plotted {
            assert!(page.body.contains(&format!(r#"data-candidate="{id}""#)));
        }
        assert_eq!(
            count(&page.body, r#"class="bar-line bar-technical-depth""#),
            1
        );
        assert_eq!(
            count(&page.body, r#"class="bar-line bar-team-multiplier""#),
            1
        );
        assert!(page.body.contains("<title id=\"opening-plot-title\">"));
        assert!(page.body.contains("<desc id=\"opening-plot-desc\">"));
        // The table carries the same candidates, Lucía (one signal only) among them.
        assert!(page.body.contains("<table class=\"debrief-table\">"));
        assert!(page.body.contains("Lucía Fernández"));
        assert!(page.body.contains("Not plotted"));
        // Anonymous visitors go to sign in; a missing opening is a 404.
        assert_eq!(app.anonymous().get("/openings/1/debrief").await.status, 303);
        assert_eq!(hm.get("/openings/99/debrief").await.status, 404);
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn the_debrief_follows_the_blind_rule_for_interviewers(db) {
        let app = TestApp::with_demo_on(db).await;
        let aisha = app.login("aisha").await;
        // aisha still owes her code-review scorecard on Lucía.
        let res = aisha.get("/candidates/3/debrief").await;
        assert_eq!(res.status, 403, "{}", res.body);
        assert!(!res.body.contains("Solid on the queue design"));
        let opening = aisha.get("/openings/1/debrief").await;
        assert_eq!(opening.status, 200);
        assert!(!opening.body.contains(r#"data-candidate="3""#));
        assert!(opening.body.contains("Hidden:"));
        // On Dana she has submitted, so every scorecard is open to her.
        let dana = aisha.get("/candidates/6/debrief").await;
        assert_eq!(dana.status, 200);
        assert!(dana.body.contains("Walked the idempotency-key design"));
        assert!(
            !dana.body.contains(r#"action="/candidates/6/decision""#),
            "no decision form for interviewers"
        );
        // Once she submits on Lucía, Lucía's debrief opens.
        let res = aisha
            .post_form(
                "/candidates/3/stages/code-review",
                &[
                    ("score-technical-depth", "3"),
                    ("score-team-multiplier", "3"),
                    ("recommendation", "yes"),
                ],
            )
            .await;
        assert_eq!(res.status, 303);
        let res = aisha.get("/candidates/3/debrief").await;
        assert_eq!(res.status, 200);
        assert!(res.body.contains("Solid on the queue design"));
        // Not assigned at all: neither the candidate nor a row on the opening's debrief.
        let ivy = app.login("ivy").await;
        assert_eq!(ivy.get("/candidates/6/debrief").await.status, 404);
        let page = ivy.get("/openings/1/debrief").await;
        assert_eq!(count(&page.body, r#"<g class="point""#), 0);
        assert!(!page.body.contains("Dana Kowalski"));
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn a_hire_below_the_bar_is_warned_about_and_needs_a_confirmation(db) {
        let app = TestApp::with_demo_on(db).await;
        let hm = app.login("hm").await;
        let page = hm.get("/candidates/7/debrief").await;
        assert_eq!(page.status, 200);
        assert!(
            page.body.contains("Team multiplier is below its bar"),
            "{}",
            page.body
        );
        let hire = [
            ("outcome", "hire"),
            ("rationale", "the depth is rare and we will coach the rest"),
        ];
        let res = hm.post_form("/candidates/7/decision", &hire).await;
        assert_eq!(res.status, 422, "{}", res.body);
        assert!(res.body.contains(r#"id="confirm-error""#));
        assert!(
            res.body.contains("the depth is rare"),
            "the rationale is kept"
        );
        assert!(app.store().decisions(RAVI).await.unwrap().is_empty());
        // Not an admin, or no CSRF token: refused, whatever the form holds.
        let marco = app.login("marco").await;
        assert_eq!(
            marco
                .post_form("/candidates/7/decision", &hire)
                .await
                .status,
            403
        );
        assert_eq!(
            marco
                .post_form("/candidates/7/decision", &[("rationale", "no outcome")])
                .await
                .status,
            403,
            "refused before the form is read"
        );
        assert_eq!(
            hm.post_form_raw("/candidates/7/decision", &hire)
                .await
                .status,
            403
        );
        // Confirmed: recorded, with what the policy said.
        let mut confirmed = hire.to_vec();
        confirmed.push(("confirm", "yes"));
        let res = hm.post_form("/candidates/7/decision", &confirmed).await;
        assert_eq!(res.status, 303, "{}", res.body);
        let decisions = app.store().decisions(RAVI).await.unwrap();
        assert_eq!(decisions.len(), 1);
        assert!(!decisions[0].meets_bar);
        assert_eq!(decisions[0].decided_by, "hm");
        let page = hm.get(res.location.as_deref().unwrap()).await;
        assert!(page.body.contains("goes against the policy"));
        // A no-hire needs no confirmation.
        let res = hm
            .post_form(
                "/candidates/7/decision",
                &[
                    ("outcome", "no-hire"),
                    ("rationale", "team multiplier too low"),
                ],
            )
            .await;
        assert_eq!(res.status, 303);
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn an_open_critical_flag_blocks_until_the_admin_resolves_it(db) {
        let app = TestApp::with_demo_on(db).await;
        let card = Scorecard {
            stage: "leadership".into(),
            interviewer: "hm".into(),
            scores: [(Signal::TeamMultiplier, Score::new(3).unwrap())].into(),
            notes: Default::default(),
            red_flags: vec![RaisedFlag {
                id: "dismisses-dissent".into(),
                note: "waved away the objection in the story".into(),
            }],
            recommendation: Recommendation::Yes,
            version: 1,
            amendment_reason: None,
        };
        app.store()
            .submit_scorecard("hm", DANA, &card, multiplier_store::Submission::First)
            .await
            .unwrap();
        let hm = app.login("hm").await;
        let page = hm.get("/candidates/6/debrief").await;
        assert!(page.body.contains("open: blocks a hire"), "{}", page.body);
        assert!(page.body.contains("is open; it blocks a hire"));
        let empty = hm
            .post_form(
                "/candidates/6/flags",
                &[("flag", "dismisses-dissent"), ("note", "")],
            )
            .await;
        assert_eq!(empty.status, 422);
        assert!(
            empty
                .body
                .contains(r#"id="resolve-dismisses-dissent-error""#)
        );
        let tom = app.login("tom").await;
        let evidence = [
            ("flag", "dismisses-dissent"),
            (
                "note",
                "two former reports describe her changing course after their objection",
            ),
        ];
        assert_eq!(
            tom.post_form("/candidates/6/flags", &evidence).await.status,
            403
        );
        let res = hm.post_form("/candidates/6/flags", &evidence).await;
        assert_eq!(res.status, 303, "{}", res.body);
        assert_eq!(app.store().resolutions(DANA).await.unwrap().len(), 1);
        // Resolved, nothing blocks: a hire needs no confirmation.
        let res = hm
            .post_form(
                "/candidates/6/decision",
                &[("outcome", "hire"), ("rationale", "both signals clear")],
            )
            .await;
        assert_eq!(res.status, 303, "{}", res.body);
        assert!(app.store().decisions(DANA).await.unwrap()[0].meets_bar);
        app.stop().await;
    }
}

// ------------------------------------------------------------ offer

multiplier_store::each_backend! {
    async fn the_offer_calculator_shows_cores_numbers_to_any_staff(db) {
        let app = TestApp::with_demo_on(db).await;
        let expected = offer(
            &app.state.framework,
            &OfferRequest {
                level: "tech-lead".into(),
                region: "us".into(),
                coding: Percent::new(70).unwrap(),
                stage: Some("series-a".into()),
            },
        )
        .unwrap();
        let ivy = app.login("ivy").await;
        let page = ivy
            .get("/offer?level=tech-lead&region=us&split=70%2F30&stage=series-a")
            .await;
        assert_eq!(page.status, 200, "{}", page.body);
        for n in [
            expected.band_min,
            expected.band_max,
            expected.suggested_min,
            expected.suggested_max,
        ] {
            assert!(
                page.body.contains(&format!(r#"<data value="{n}">"#)),
                "{n} missing"
            );
        }
        for v in [
            expected.equity_min_percent.unwrap(),
            expected.equity_max_percent.unwrap(),
        ] {
            assert!(
                page.body.contains(&format!(r#"<data value="{v}">"#)),
                "{v} missing"
            );
        }
        for line in &expected.explanation {
            assert!(
                page.body.contains(&maud::html! { (line) }.into_string()),
                "{line}"
            );
        }
        // The form keeps the choices.
        assert!(page.body.contains(r#"<option value="tech-lead" selected>"#));
        // A split that does not add up is refused at its field.
        let bad = ivy
            .get("/offer?level=tech-lead&region=us&split=70%2F20")
            .await;
        assert_eq!(bad.status, 422);
        assert!(bad.body.contains(r#"id="split-error""#));
        // Blank: just the form.
        let blank = ivy.get("/offer").await;
        assert_eq!(blank.status, 200);
        assert!(!blank.body.contains("<data value="));
        assert_eq!(app.anonymous().get("/offer").await.status, 303);
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn the_admin_records_an_offer_and_its_acceptance(db) {
        let app = TestApp::with_demo_on(db).await;
        let hm = app.login("hm").await;
        let page = hm.get("/candidates/6/offer").await;
        assert_eq!(page.status, 200, "{}", page.body);
        // Filled from the role: the demo role's coding share.
        assert!(
            page.body.contains(r#"name="split" value="60/40""#),
            "{}",
            page.body
        );
        assert!(
            !page.body.contains(r#"class="field-error""#),
            "no problems before asking"
        );
        let asked = hm
            .get("/candidates/6/offer?level=tech-lead&region=us&split=70%2F20")
            .await;
        assert!(asked.body.contains(r#"id="split-error""#));
        assert!(!asked.body.contains("Record this offer"));
        let fields = [
            ("level", "tech-lead"),
            ("region", "western-europe"),
            ("split", "60/40"),
            ("stage", "series-b-plus"),
        ];
        // Interviewers and forged forms are refused.
        let marco = app.login("marco").await;
        assert_eq!(marco.get("/candidates/6/offer").await.status, 403);
        assert_eq!(
            marco.post_form("/candidates/6/offer", &fields).await.status,
            403
        );
        assert_eq!(
            hm.post_form_raw("/candidates/6/offer", &fields)
                .await
                .status,
            403
        );
        assert_eq!(app.login("ivy").await.get("/offer").await.status, 200);
        // No decision on record: the page says so and the use case refuses.
        let page = hm
            .get("/candidates/6/offer?level=tech-lead&region=us&split=60%2F40")
            .await;
        assert!(
            page.body
                .contains("No decision is recorded for this candidate yet")
        );
        assert!(!page.body.contains("Record this offer"));
        assert_eq!(
            hm.post_form("/candidates/6/offer", &fields).await.status,
            409
        );
        let res = hm
            .post_form(
                "/candidates/6/decision",
                &[
                    ("outcome", "hire"),
                    ("rationale", "both signals strong"),
                    ("confirm", "yes"),
                ],
            )
            .await;
        assert_eq!(res.status, 303, "{}", res.body);
        let res = hm.post_form("/candidates/6/offer", &fields).await;
        assert_eq!(res.status, 303, "{}", res.body);
        let offers = app.store().offers(DANA).await.unwrap();
        assert_eq!(offers.len(), 1);
        let expected = offer(
            &app.state.framework,
            &OfferRequest {
                level: "tech-lead".into(),
                region: "western-europe".into(),
                coding: Percent::new(60).unwrap(),
                stage: Some("series-b-plus".into()),
            },
        )
        .unwrap();
        assert_eq!(offers[0].offer, serde_json::to_value(&expected).unwrap());
        let bad = hm
            .post_form("/candidates/6/offer/accept", &[("start", "next monday")])
            .await;
        assert_eq!(bad.status, 422);
        assert!(bad.body.contains(r#"id="start-error""#));
        let res = hm
            .post_form("/candidates/6/offer/accept", &[("start", "2027-01-11")])
            .await;
        assert_eq!(res.status, 303, "{}", res.body);
        assert_eq!(res.location.as_deref(), Some("/candidates/6/onboarding"));
        let offers = app.store().offers(DANA).await.unwrap();
        assert_eq!(offers[0].status, "accepted");
        assert_eq!(offers[0].start_date, Some(jiff::civil::date(2027, 1, 11)));
        app.stop().await;
    }
}

// ------------------------------------------------------------ onboarding

multiplier_store::each_backend! {
    async fn onboarding_check_off_persists_and_shows_who_and_when(db) {
        let app = TestApp::with_demo_on(db).await;
        let fw = &app.state.framework;
        let hm = app.login("hm").await;
        let page = hm.get("/candidates/8/onboarding").await;
        assert_eq!(page.status, 200, "{}", page.body);
        let start = app.store().offers(MAYA).await.unwrap()[0]
            .start_date
            .unwrap();
        let steps = plan(fw, start);
        for s in &steps {
            assert!(page.body.contains(&maud::html! { (s.title) }.into_string()));
            assert!(page.body.contains(&format!(r#"id="step-{}""#, s.id)));
        }
        // The demo marked the first step done.
        assert!(page.body.contains("Done by priya"));
        let step = steps[1].id.as_str();
        let unticked = hm
            .post_form(
                "/candidates/8/onboarding",
                &[("step", step), ("note", "read the runbooks")],
            )
            .await;
        assert_eq!(unticked.status, 422);
        assert!(
            unticked
                .body
                .contains(&format!(r#"id="step-{step}-error""#))
        );
        assert!(
            unticked.body.contains("read the runbooks"),
            "the note is kept"
        );
        let unknown = hm
            .post_form(
                "/candidates/8/onboarding",
                &[("step", "no-such-step"), ("done", "yes")],
            )
            .await;
        assert_eq!(unknown.status, 422);
        let marco = app.login("marco").await;
        let done = [
            ("step", step),
            ("done", "yes"),
            ("note", "read the runbooks"),
        ];
        assert_eq!(marco.get("/candidates/8/onboarding").await.status, 403);
        assert_eq!(
            marco
                .post_form("/candidates/8/onboarding", &done)
                .await
                .status,
            403
        );
        assert_eq!(
            hm.post_form_raw("/candidates/8/onboarding", &done)
                .await
                .status,
            403
        );
        assert_eq!(
            app.anonymous().get("/candidates/8/onboarding").await.status,
            303
        );
        let res = hm.post_form("/candidates/8/onboarding", &done).await;
        assert_eq!(res.status, 303, "{}", res.body);
        let stored = app.store().steps_done(MAYA).await.unwrap();
        assert!(
            stored
                .iter()
                .any(|d| d.step == step && d.done_by == "hm" && d.note == "read the runbooks")
        );
        let page = hm.get("/candidates/8/onboarding").await;
        assert!(page.body.contains("Done by hm"));
        assert!(page.body.contains("read the runbooks"));
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn onboarding_needs_an_accepted_offer_and_marks_overdue_steps(db) {
        let app = TestApp::with_demo_on(db).await;
        let hm = app.login("hm").await;
        let page = hm.get("/candidates/6/onboarding").await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("has none yet"));
        let res = hm
            .post_form(
                "/candidates/6/onboarding",
                &[("step", "access"), ("done", "yes")],
            )
            .await;
        assert_eq!(res.status, 422);
        assert!(app.store().steps_done(DANA).await.unwrap().is_empty());
        // A start long ago: every step is past due and none is done.
        let body = serde_json::json!({"level": "tech-lead"});
        app.store().record_offer("hm", DANA, &body).await.unwrap();
        app.store()
            .accept_offer("hm", DANA, jiff::civil::date(2020, 1, 6))
            .await
            .unwrap();
        let page = hm.get("/candidates/6/onboarding").await;
        let steps = app.state.framework.onboarding.steps.len();
        assert_eq!(
            count(&page.body, r#"<span class="chip bad">overdue</span>"#),
            steps
        );
        assert!(page.body.contains(&format!("{steps} overdue")));
        app.stop().await;
    }
}

// ------------------------------------------------------------ every route

const PAGES: [&str; 8] = [
    "/candidates/3/stages/code-review",
    "/candidates/3/references",
    "/openings/1/debrief",
    "/candidates/6/debrief",
    "/offer",
    "/candidates/6/offer",
    "/candidates/8/onboarding",
    "/static/loop.js",
];

const FORMS: [&str; 7] = [
    "/candidates/3/stages/code-review",
    "/candidates/3/references",
    "/candidates/6/decision",
    "/candidates/6/flags",
    "/candidates/6/offer",
    "/candidates/6/offer/accept",
    "/candidates/8/onboarding",
];

multiplier_store::each_backend! {
    async fn every_loop_page_needs_a_sign_in_and_every_form_its_token(db) {
        let app = TestApp::with_demo_on(db).await;
        let anon = app.anonymous();
        for path in &PAGES[..7] {
            let res = anon.get(path).await;
            assert_eq!(res.status, 303, "{path}");
            assert!(res.location.unwrap().starts_with("/login?next="), "{path}");
        }
        let js = anon.get("/static/loop.js").await;
        assert_eq!(js.status, 200);
        assert!(js.content_type.starts_with("text/javascript"));
        // Signed in as the admin: every page opens; without the token no form is taken.
        let hm = app.login("hm").await;
        for path in PAGES {
            assert_eq!(hm.get(path).await.status, 200, "{path}");
        }
        for path in FORMS {
            let res = hm.post_form_raw(path, &[("outcome", "hold")]).await;
            assert_eq!(res.status, 403, "{path}");
        }
        assert!(app.store().decisions(DANA).await.unwrap().is_empty());
        app.stop().await;
    }
}
