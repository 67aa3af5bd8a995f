//! The portal's use cases: a link is usable only while live (revoked, expired,
//! unknown and erased are one "not found"), drafts and sendings follow the same
//! rules, a task is sent once with its evidence written in the same transaction,
//! the export holds the candidate's own data only, and staff's link and erasure
//! use cases check who asks and what is confirmed.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use jiff::{SignedDuration, Timestamp};
use multiplier_app::{Account, Actor, App, AppError, CandidateInput, Visit};
use multiplier_core::answers::{Answer, Answers};
use multiplier_core::review::submission::Side;
use multiplier_core::review::{Builtin, Review, ReviewComment, SubmissionFormat};
use multiplier_core::{Framework, Role};
use multiplier_store::testing::TestDb;
use multiplier_store::{
    AccountRole, AuditFilter, CandidateId, HiringStore, NewLink, PortalStore, Task, TokenHash,
};
use serde_json::json;
use std::sync::Arc;

const EXERCISE: &str = "orders-n-plus-one";

struct Fixture {
    app: App,
    hm: Account,
    ivy: Account,
    dana: CandidateId,
    eli: CandidateId,
}

/// An app with an admin `hm`, an interviewer `ivy`, and two candidates.
async fn fixture(db: &TestDb) -> Fixture {
    let store = db.open().await;
    let framework = Arc::new(Framework::default_framework().unwrap());
    let app = App::new(store, framework);
    for (name, role) in [
        ("hm", AccountRole::Admin),
        ("ivy", AccountRole::Interviewer),
    ] {
        app.add_account(&Actor::Operator, name, role, "correct horse battery")
            .await
            .unwrap();
    }
    let hm = app.act_as("hm").await.unwrap();
    let ivy = app.act_as("ivy").await.unwrap();
    let text = include_str!("../../../examples/roles/payments-player-coach.toml");
    let role = Role::parse(app.framework(), "example role", text).unwrap();
    let (_, opening) = app.open_role(&hm, &role, None).await.unwrap();
    let mut ids = Vec::new();
    for (name, email) in [
        ("Dana Candidate", "dana@example.test"),
        ("Eli Other", "eli@example.test"),
    ] {
        let input = CandidateInput {
            name: name.into(),
            email: Some(email.into()),
            stage: Some("async-assessment".into()),
            ..CandidateInput::default()
        };
        ids.push(app.add_candidate(&hm, opening, &input).await.unwrap());
    }
    Fixture {
        app,
        hm,
        ivy,
        dana: ids[0],
        eli: ids[1],
    }
}

impl Fixture {
    /// A new link for `id` and the candidate's visit through it.
    async fn visit(&self, id: CandidateId) -> (String, Visit) {
        let issued = self
            .app
            .create_link(&self.hm, id, EXERCISE, 14)
            .await
            .unwrap();
        let token = issued.path().trim_start_matches("/c/").to_string();
        let visit = self.app.visit(&token).await.unwrap();
        (token, visit)
    }

    async fn evidence(&self, id: CandidateId) -> Vec<multiplier_store::EvidenceRecord> {
        self.app.store().evidence(id).await.unwrap()
    }

    async fn sends(&self) -> usize {
        let filter = AuditFilter {
            action: Some("portal.submit".into()),
            ..AuditFilter::default()
        };
        self.app.store().audit(&filter).await.unwrap().len()
    }
}

fn answers(pairs: &[(&str, &str)]) -> Answers {
    Answers {
        answers: pairs
            .iter()
            .map(|(q, t)| Answer {
                question: (*q).into(),
                text: (*t).into(),
            })
            .collect(),
    }
}

/// A review with one comment on the first line of the planted N+1 issue.
fn good_review() -> Review {
    let ex = Builtin::find(EXERCISE).unwrap().load().unwrap();
    let place = &ex.issue("n-plus-one").unwrap().at[0];
    Review {
        format: SubmissionFormat::Multiplier,
        summary: "Fix the query count before merging.".into(),
        comments: vec![ReviewComment {
            path: place.file.clone(),
            line: Some(place.lines[0]),
            start_line: None,
            side: Side::New,
            body: "This runs one query per order inside the loop, an N+1; prefetch_related \
                   loads the lines in one extra query."
                .into(),
        }],
    }
}

fn is_not_found<T: std::fmt::Debug>(r: Result<T, AppError>) -> bool {
    matches!(r, Err(AppError::NotFound(_)))
}

fn fields(e: &AppError) -> Vec<&str> {
    e.problems().iter().map(|p| p.field.as_str()).collect()
}

multiplier_store::each_backend! {
    async fn a_live_link_is_a_visit_and_revoked_expired_unknown_or_erased_are_not_found(db) {
        let f = fixture(&db).await;
        let (token, v) = f.visit(f.dana).await;
        assert_eq!(v.candidate.id, f.dana);
        assert_eq!(v.link.exercise, EXERCISE);
        let links = f.app.portal_admin(&f.hm, f.dana).await.unwrap().links;
        assert!(links[0].opened_at.is_some(), "the first visit is recorded");

        for bad in ["short".to_string(), "z".repeat(64), "0".repeat(64)] {
            assert!(is_not_found(f.app.visit(&bad).await), "{bad}");
        }
        f.app.revoke_link(&f.hm, f.dana, v.link.id).await.unwrap();
        assert!(is_not_found(f.app.visit(&token).await), "revoked");

        let expired = "e".repeat(64);
        f.app
            .store()
            .create_link(
                "hm",
                &NewLink {
                    candidate: f.eli,
                    token_hash: TokenHash::of(&expired),
                    exercise: EXERCISE.into(),
                    expires_at: Timestamp::now() - SignedDuration::from_secs(1),
                },
            )
            .await
            .unwrap();
        assert!(is_not_found(f.app.visit(&expired).await), "expired");

        let (token, _) = f.visit(f.eli).await;
        f.app
            .erase_candidate(
                &f.hm,
                f.eli,
                true,
                Some(multiplier_app::ErasureReason::CandidateRequest),
            )
            .await
            .unwrap();
        assert!(is_not_found(f.app.visit(&token).await), "erased");
    }
}

multiplier_store::each_backend! {
    async fn sending_the_answers_writes_them_with_their_analysis_once(db) {
        let f = fixture(&db).await;
        let (_, v) = f.visit(f.dana).await;
        let sent = answers(&[
            (
                "architecture-decision",
                "Microservices are always the right way.\r\nWe moved billing out.",
            ),
            ("sprint-risk", "I write the risks down before planning."),
        ]);
        let at = f.app.submit_assessment(&v, &sent).await.unwrap();

        let evidence = f.evidence(f.dana).await;
        assert_eq!(
            evidence.len(),
            1,
            "the evidence is written with the sending"
        );
        let e = &evidence[0];
        assert_eq!(e.kind, App::ASSESSMENT_EVIDENCE);
        assert_eq!(e.source, App::PORTAL_SOURCE);
        assert!(
            e.body["answers"]
                .to_string()
                .contains("right way.\\nWe moved")
        );
        assert!(
            e.body["analysis"]
                .to_string()
                .contains("context-free-absolute")
        );
        let work = f.app.work(&v, Task::Assessment).await.unwrap().unwrap();
        assert_eq!(work.submitted_at, Some(at));
        assert_eq!(f.sends().await, 1);

        // A second sending, or a draft, is a conflict and stores nothing.
        let again = f.app.submit_assessment(&v, &sent).await;
        assert!(matches!(again, Err(AppError::Conflict(_))), "{again:?}");
        let draft = f
            .app
            .save_answers(&v, &answers(&[("sprint-risk", "changed")]))
            .await;
        assert!(matches!(draft, Err(AppError::Conflict(_))), "{draft:?}");
        assert_eq!(f.evidence(f.dana).await.len(), 1);
        assert_eq!(f.sends().await, 1);
        let (kept, _) = f.app.written_answers(&v).await.unwrap();
        assert!(kept.answers.iter().all(|a| a.text != "changed"));
    }
}

multiplier_store::each_backend! {
    async fn answers_are_refused_by_field_when_unknown_too_long_or_all_empty(db) {
        let f = fixture(&db).await;
        let (_, v) = f.visit(f.dana).await;
        let long = "x".repeat(App::MAX_ANSWER_CHARS + 1);
        let bad = answers(&[("salary", "a lot"), ("sprint-risk", &long)]);
        for result in [
            f.app.save_answers(&v, &bad).await.map(|_| ()),
            f.app.submit_assessment(&v, &bad).await.map(|_| ()),
        ] {
            let e = result.expect_err("refused");
            assert_eq!(fields(&e), ["answers.salary", "answers.sprint-risk"]);
        }
        let e = f
            .app
            .submit_assessment(&v, &answers(&[("sprint-risk", "  ")]))
            .await
            .expect_err("nothing to send");
        assert_eq!(fields(&e), ["answers"]);
        assert!(f.app.work(&v, Task::Assessment).await.unwrap().is_none());
        assert!(f.evidence(f.dana).await.is_empty());

        // A draft keeps one answer per question, in the framework's order.
        f.app
            .save_answers(&v, &answers(&[("sprint-risk", "Risks first.")]))
            .await
            .unwrap();
        let (kept, work) = f.app.written_answers(&v).await.unwrap();
        let questions = &f.app.framework().assessment.questions;
        assert_eq!(kept.answers.len(), questions.len());
        assert!(work.is_some_and(|w| w.submitted_at.is_none()));
        assert!(
            kept.answers
                .iter()
                .any(|a| a.question == "sprint-risk" && a.text == "Risks first.")
        );
    }
}

multiplier_store::each_backend! {
    async fn sending_the_review_writes_its_grade_once_and_a_bad_line_stores_nothing(db) {
        let f = fixture(&db).await;
        let (_, v) = f.visit(f.dana).await;
        let mut bad = good_review();
        bad.comments[0].line = Some(99_999);
        let e = f
            .app
            .submit_review(&v, &bad)
            .await
            .expect_err("a line not in the diff");
        assert_eq!(fields(&e), ["comments.0.line"]);
        assert!(e.problems()[0].message.contains("not shown in the change"));
        let empty = Review {
            summary: " ".into(),
            comments: Vec::new(),
            ..good_review()
        };
        let e = f.app.submit_review(&v, &empty).await.expect_err("empty");
        assert_eq!(fields(&e), ["review"]);
        assert!(f.evidence(f.dana).await.is_empty());
        assert_eq!(f.sends().await, 0);

        f.app.submit_review(&v, &good_review()).await.unwrap();
        let evidence = f.evidence(f.dana).await;
        assert_eq!(evidence.len(), 1);
        let e = &evidence[0];
        assert_eq!(e.kind, App::REVIEW_EVIDENCE);
        assert_eq!(e.body["exercise"], EXERCISE);
        assert_eq!(e.body["review"]["comments"][0]["side"], "new");
        let issues = e.body["grade"]["issues"].as_array().unwrap();
        let n1 = issues.iter().find(|i| i["id"] == "n-plus-one").unwrap();
        assert_eq!(n1["found"], true, "{n1}");

        let again = f.app.submit_review(&v, &good_review()).await;
        assert!(matches!(again, Err(AppError::Conflict(_))), "{again:?}");
        assert_eq!(f.evidence(f.dana).await.len(), 1);
        assert_eq!(f.sends().await, 1);
        let (kept, work) = f.app.review_draft(&v).await.unwrap();
        assert_eq!(kept, good_review());
        assert!(work.unwrap().submitted_at.is_some());
    }
}

multiplier_store::each_backend! {
    async fn a_draft_given_as_json_is_checked_like_a_typed_one(db) {
        let f = fixture(&db).await;
        let (_, v) = f.visit(f.dana).await;
        let ex = Builtin::find(EXERCISE).unwrap().load().unwrap();
        let file = &ex.diff.files[0].path;
        let refused = f
            .app
            .save_draft(
                &v,
                Task::Review,
                &json!({"comments": [{"path": file, "line": 99_999, "body": "x"}]}),
            )
            .await
            .expect_err("a line not in the diff");
        assert_eq!(fields(&refused), ["comments.0.line"]);
        let unreadable = f
            .app
            .save_draft(&v, Task::Assessment, &json!({"answers": [], "score": 4}))
            .await
            .expect_err("not a draft");
        assert_eq!(fields(&unreadable), ["body"]);
        f.app
            .save_draft(
                &v,
                Task::Assessment,
                &json!({"answers": [{"question": "sprint-risk", "text": "ok"}]}),
            )
            .await
            .unwrap();
        // Staff see that a draft exists, and when it was saved.
        let admin = f.app.portal_admin(&f.hm, f.dana).await.unwrap();
        assert!(admin.draft_saved_at(v.link.id, Task::Assessment).is_some());
        assert!(admin.draft_saved_at(v.link.id, Task::Review).is_none());
    }
}

multiplier_store::each_backend! {
    async fn the_export_holds_the_candidates_own_data_and_says_what_it_leaves_out(db) {
        let f = fixture(&db).await;
        let (_, v) = f.visit(f.dana).await;
        let (_, eli) = f.visit(f.eli).await;
        f.app
            .save_answers(&eli, &answers(&[("sprint-risk", "Eli's own draft.")]))
            .await
            .unwrap();
        f.app
            .submit_assessment(&v, &answers(&[("sprint-risk", "Dana's answer.")]))
            .await
            .unwrap();
        let export = f.app.export(&v).await.unwrap();
        assert_eq!(export.you.name, "Dana Candidate");
        assert_eq!(export.you.email.as_deref(), Some("dana@example.test"));
        assert_eq!(
            export.you.applied_for.as_deref(),
            Some("Tech Lead, Payments backend")
        );
        assert_eq!(export.links.len(), 1);
        let work = &export.links[0].work["assessment"];
        assert!(work.sent_at.is_some());
        assert!(work.content.to_string().contains("Dana's answer."));
        assert_eq!(export.not_included, App::EXPORT_LEAVES_OUT);
        let text = serde_json::to_string(&export).unwrap();
        for absent in [
            "Eli",
            "analysis",
            "context-free",
            "n-plus-one",
            EXERCISE,
            "\"stage\"",
        ] {
            assert!(!text.contains(absent), "`{absent}` in the export");
        }
        assert!(f.app.open_erasure_request(&v).await.unwrap().is_none());
        let asked = f.app.request_erasure(&v).await.unwrap();
        assert_eq!(
            f.app.request_erasure(&v).await.unwrap().id,
            asked.id,
            "asked once"
        );
        assert_eq!(
            f.app.open_erasure_request(&v).await.unwrap().map(|r| r.id),
            Some(asked.id)
        );
    }
}

multiplier_store::each_backend! {
    async fn links_are_made_by_admins_with_a_known_exercise_and_a_lifetime_in_range(db) {
        let f = fixture(&db).await;
        // Not assigned to Dana, ivy learns nothing about her: not found, not forbidden.
        assert!(is_not_found(
            f.app.create_link(&f.ivy, f.dana, EXERCISE, 14).await
        ));
        f.app
            .assign(&f.hm, f.dana, "code-review", "ivy")
            .await
            .unwrap();
        let forbidden = f.app.create_link(&f.ivy, f.dana, EXERCISE, 14).await;
        assert!(
            matches!(forbidden, Err(AppError::Forbidden(_))),
            "{forbidden:?}"
        );
        assert!(matches!(
            f.app.portal_admin(&f.ivy, f.dana).await,
            Err(AppError::Forbidden(_))
        ));
        let e = f
            .app
            .create_link(&f.hm, f.dana, "nope", 0)
            .await
            .expect_err("both wrong");
        assert_eq!(fields(&e), ["exercise", "days"]);
        let e = f
            .app
            .create_link(&f.hm, f.dana, EXERCISE, multiplier_app::MAX_LINK_DAYS + 1)
            .await
            .expect_err("too long");
        assert!(e.problems()[0].message.contains("from 1 to 90"));
        assert!(
            f.app
                .portal_admin(&f.hm, f.dana)
                .await
                .unwrap()
                .links
                .is_empty()
        );
        assert!(is_not_found(
            f.app.create_link(&f.hm, CandidateId(99), EXERCISE, 3).await
        ));

        let issued = f
            .app
            .create_link(&f.hm, f.dana, EXERCISE, multiplier_app::MAX_LINK_DAYS)
            .await
            .unwrap();
        let token = issued.path().trim_start_matches("/c/").to_string();
        assert_eq!(token.len(), 64);
        assert!(f.app.visit(&token).await.is_ok());
    }
}

multiplier_store::each_backend! {
    async fn an_erasure_needs_an_admin_and_a_confirmation(db) {
        let f = fixture(&db).await;
        let (token, _) = f.visit(f.dana).await;
        f.app
            .assign(&f.hm, f.dana, "code-review", "ivy")
            .await
            .unwrap();
        let forbidden = f
            .app
            .erase_candidate(
                &f.ivy,
                f.dana,
                true,
                Some(multiplier_app::ErasureReason::CandidateRequest),
            )
            .await;
        assert!(
            matches!(forbidden, Err(AppError::Forbidden(_))),
            "{forbidden:?}"
        );
        let e = f
            .app
            .erase_candidate(
                &f.hm,
                f.dana,
                false,
                Some(multiplier_app::ErasureReason::CandidateRequest),
            )
            .await
            .expect_err("unconfirmed");
        assert_eq!(fields(&e), ["confirm"]);
        assert!(f.app.visit(&token).await.is_ok(), "nothing was erased");
        let erased = f
            .app
            .erase_candidate(
                &f.hm,
                f.dana,
                true,
                Some(multiplier_app::ErasureReason::CandidateRequest),
            )
            .await
            .unwrap();
        assert_eq!(erased.links_revoked, 1);
        let admin = f.app.portal_admin(&f.hm, f.dana).await.unwrap();
        assert_eq!(admin.candidate.name, multiplier_store::erased_name(f.dana));
    }
}
