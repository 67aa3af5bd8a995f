//! The candidate portal over HTTP: links made by admins only and shown once, one
//! 404 for every unusable link, a link reaching its own candidate only, drafts that
//! save and reload, tasks sent once, nothing of the hiring team's assessment in any
//! portal page, the evidence staff get, and erasure asked for and carried out.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod support;

use jiff::{SignedDuration, Timestamp};
use multiplier_core::Role;
use multiplier_core::framework::Signal;
use multiplier_core::pipeline::{RaisedFlag, Recommendation, Scorecard};
use multiplier_core::review::Builtin;
use multiplier_core::score::Score;
use multiplier_store::testing::TestDb;
use multiplier_store::{
    AuditFilter, CandidateId, HiringStore, NewCandidate, NewLink, PortalStore, RoleStore,
    TokenHash, erased_name,
};
use serde_json::json;
use std::collections::BTreeMap;
use support::{Client, TestApp};

const EXERCISE: &str = "orders-n-plus-one";

/// A server with one opening and two candidates, Dana and Eli.
async fn setup(db: TestDb) -> (TestApp, CandidateId, CandidateId) {
    let app = TestApp::start_on(db).await;
    let text = include_str!("../../../examples/roles/payments-player-coach.toml");
    let role = Role::parse(&app.state.framework, "example role", text).unwrap();
    let role = app.store().add_role("hm", &role).await.unwrap();
    let opening = app
        .store()
        .add_opening("hm", role, "Tech Lead, Payments", "hm")
        .await
        .unwrap();
    let mut ids = Vec::new();
    for (name, email) in [
        ("Dana Candidate", "dana@example.test"),
        ("Eli Otherperson", "eli@example.test"),
    ] {
        let c = NewCandidate {
            opening,
            name: name.into(),
            email: Some(email.into()),
            internal: false,
            wants_leadership: None,
            gives_up: None,
            stage: "async-assessment".into(),
        };
        ids.push(app.store().add_candidate("hm", &c).await.unwrap());
    }
    (app, ids[0], ids[1])
}

/// The address in the "copy it now" box.
fn link_in(body: &str) -> String {
    let at = body
        .find("id=\"portal-url\"")
        .expect("the new link is shown");
    let rest = &body[at..];
    let start = rest.find("value=\"").unwrap() + "value=\"".len();
    let end = rest[start..].find('"').unwrap();
    rest[start..start + end].to_string()
}

fn token_of(url: &str) -> String {
    url.rsplit("/c/").next().unwrap().to_string()
}

/// Make a link as `hm` through the page and return its token.
async fn make_link(app: &TestApp, hm: &Client, id: CandidateId) -> String {
    let res = hm
        .post_form(
            &format!("/candidates/{id}/portal"),
            &[("exercise", EXERCISE), ("days", "14")],
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let url = link_in(&res.body);
    assert!(url.starts_with(&app.base), "a full address: {url}");
    token_of(&url)
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

multiplier_store::each_backend! {
    async fn an_admin_makes_a_link_shown_once_and_stored_as_a_hash_only(db) {
        let (app, dana, _) = setup(db).await;
        let hm = app.login("hm").await;
        let page = hm.get(&format!("/candidates/{dana}/portal")).await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("Dana Candidate"));
        assert!(page.body.contains(EXERCISE), "the exercises are offered");

        let token = make_link(&app, &hm, dana).await;
        assert_eq!(token.len(), 64);
        assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));

        // Shown once: the page afterwards does not hold it.
        let again = hm.get(&format!("/candidates/{dana}/portal")).await;
        assert!(!again.body.contains(&token));
        assert!(again.body.contains("live"));

        // The store finds it by hash; the audit trail names neither token nor hash.
        let link = app
            .store()
            .live_link(&TokenHash::of(&token), Timestamp::now())
            .await
            .unwrap()
            .expect("stored");
        assert_eq!(link.candidate, dana);
        assert_eq!(link.exercise, EXERCISE);
        let days = link.expires_at.duration_since(link.created_at).as_hours();
        assert!((14 * 24 - 1..=14 * 24).contains(&days), "{days} hours");
        let audit = app.store().audit(&AuditFilter::default()).await.unwrap();
        assert!(audit.iter().any(|e| e.action == "portal.link.create"));
        for e in &audit {
            assert!(!e.detail.contains(&token) && !e.detail.contains(TokenHash::of(&token).as_str()));
        }

        // A bad lifetime or exercise is refused with what to do.
        let bad = hm
            .post_form(
                &format!("/candidates/{dana}/portal"),
                &[("exercise", EXERCISE), ("days", "400")],
            )
            .await;
        assert_eq!(bad.status, 422);
        assert!(bad.body.contains("from 1 to 90"));
        let bad = hm
            .post_form(
                &format!("/candidates/{dana}/portal"),
                &[("exercise", "nope"), ("days", "3")],
            )
            .await;
        assert_eq!(bad.status, 422);
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn only_admins_manage_links(db) {
        let (app, dana, _) = setup(db).await;
        app.store()
            .assign("hm", dana, "code-review", "ivy")
            .await
            .unwrap();
        let ivy = app.login("ivy").await;
        let base = format!("/candidates/{dana}/portal");
        assert_eq!(ivy.get(&base).await.status, 403);
        let made = ivy
            .post_form(&base, &[("exercise", EXERCISE), ("days", "3")])
            .await;
        assert_eq!(made.status, 403);
        assert!(app.store().links(dana).await.unwrap().is_empty());
        let hm = app.login("hm").await;
        make_link(&app, &hm, dana).await;
        let link = app.store().links(dana).await.unwrap()[0].id.to_string();
        let revoke = ivy
            .post_form(&format!("{base}/revoke"), &[("link", &link)])
            .await;
        assert_eq!(revoke.status, 403);
        let erase = ivy
            .post_form(&format!("{base}/erase"), &[("confirm", "yes")])
            .await;
        assert_eq!(erase.status, 403);
        assert!(
            app.store().links(dana).await.unwrap()[0]
                .revoked_at
                .is_none()
        );
        let anonymous = app.anonymous();
        assert_eq!(anonymous.get(&base).await.status, 303);
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn unknown_expired_and_revoked_links_get_the_same_404(db) {
        let (app, dana, eli) = setup(db).await;
        let hm = app.login("hm").await;
        let revoked = make_link(&app, &hm, dana).await;
        let link = app.store().links(dana).await.unwrap()[0].id.to_string();
        let res = hm
            .post_form(
                &format!("/candidates/{dana}/portal/revoke"),
                &[("link", &link)],
            )
            .await;
        assert_eq!(res.status, 303);
        let expired = "e".repeat(64);
        app.store()
            .create_link(
                "hm",
                &NewLink {
                    candidate: eli,
                    token_hash: TokenHash::of(&expired),
                    exercise: EXERCISE.into(),
                    expires_at: Timestamp::now() - SignedDuration::from_secs(1),
                },
            )
            .await
            .unwrap();
        let unknown = "0".repeat(64);
        let c = app.anonymous();
        let mut bodies = Vec::new();
        for token in [unknown.as_str(), &expired, &revoked, "short"] {
            for page in ["", "/assessment", "/review", "/data", "/data.json"] {
                let res = c.get(&format!("/c/{token}{page}")).await;
                assert_eq!(res.status, 404, "/c/…{page}");
                bodies.push(res.body);
            }
            let res = c
                .post_json(
                    &format!("/c/{token}/assessment/draft"),
                    &json!({"answers": []}),
                )
                .await;
            assert_eq!(res.status, 404);
        }
        assert!(bodies.iter().all(|b| *b == bodies[0]), "one body for all");
        assert!(!bodies[0].contains("expired") && !bodies[0].contains("revoked"));
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn portal_pages_are_not_cached_and_send_no_referrer(db) {
        let (app, dana, _) = setup(db).await;
        let hm = app.login("hm").await;
        let token = make_link(&app, &hm, dana).await;
        let c = app.anonymous();
        for path in [
            format!("/c/{token}"),
            format!("/c/{token}/review"),
            format!("/c/{}", "0".repeat(64)),
            format!("/candidates/{dana}/portal"),
        ] {
            let client = if path.starts_with("/candidates") {
                &hm
            } else {
                &c
            };
            let res = client.http.get(app.url(&path)).send().await.unwrap();
            let h = res.headers();
            assert_eq!(h["cache-control"], "no-store", "{path}");
            assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
        }
        // Staff pages keep the site-wide policy.
        let login = c.http.get(app.url("/login")).send().await.unwrap();
        assert_eq!(login.headers()["referrer-policy"], "same-origin");
        let js = c.get("/static/portal.js").await;
        assert_eq!(js.status, 200);
        assert!(js.content_type.starts_with("text/javascript"));
        assert!(js.body.contains("x-csrf-token"));
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn drafts_save_and_reload_with_and_without_javascript(db) {
        let (app, dana, _) = setup(db).await;
        let hm = app.login("hm").await;
        let token = make_link(&app, &hm, dana).await;
        let c = app.anonymous();
        let home = c.get(&format!("/c/{token}")).await;
        assert_eq!(home.status, 200);
        assert!(home.body.contains("Hello Dana Candidate"));
        assert!(home.body.contains("No time limit"));
        assert!(
            app.store().links(dana).await.unwrap()[0]
                .opened_at
                .is_some()
        );

        // The script's autosave: JSON with the CSRF header.
        let saved = c
            .post_json(
                &format!("/c/{token}/assessment/draft"),
                &json!({"answers": [{"question": "sprint-risk", "text": "I list the risks on Monday."}]}),
            )
            .await;
        assert_eq!(saved.status, 200, "{}", saved.body);
        assert!(saved.json()["saved_at"].is_string());
        let page = c.get(&format!("/c/{token}/assessment")).await;
        assert!(page.body.contains("I list the risks on Monday."));
        assert!(page.body.contains("Draft saved"));
        // Without the token the script's request is refused.
        let forged = c
            .http
            .post(app.url(&format!("/c/{token}/assessment/draft")))
            .json(&json!({"answers": []}))
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), 403);
        let unknown = c
            .post_json(
                &format!("/c/{token}/assessment/draft"),
                &json!({"answers": [{"question": "salary", "text": "x"}]}),
            )
            .await;
        assert_eq!(unknown.status, 422);

        // The "Save draft" button: a plain form.
        let res = c
            .post_form(
                &format!("/c/{token}/assessment"),
                &[
                    ("action", "save"),
                    ("answer-architecture-decision", "We split the ledger."),
                    ("answer-sprint-risk", "Risks, revised."),
                ],
            )
            .await;
        assert_eq!(res.status, 303);
        let page = c.get(&format!("/c/{token}/assessment?saved=1")).await;
        assert!(page.body.contains("We split the ledger."));
        assert!(page.body.contains("Risks, revised."));
        assert!(!page.body.contains("I list the risks on Monday."));

        // Review: a comment by the form, one by the script, a bad line refused.
        let ex = Builtin::find(EXERCISE).unwrap().load().unwrap();
        let file = ex.diff.files[0].path.clone();
        let line = *ex.diff.files[0].lines.keys().next().unwrap();
        let res = c
            .post_form(
                &format!("/c/{token}/review/comment"),
                &[
                    ("path", &file),
                    ("line", &line.to_string()),
                    ("side", "new"),
                    ("body", "First remark, by form."),
                ],
            )
            .await;
        assert_eq!(res.status, 303, "{}", res.body);
        let review = c.get(&format!("/c/{token}/review")).await;
        assert!(review.body.contains("First remark, by form."));
        assert!(review.body.contains(&format!("data-path=\"{file}\"")));
        let res = c
            .post_json(
                &format!("/c/{token}/review/draft"),
                &json!({"summary": "Mostly fine.", "comments": [
                    {"path": file, "line": line, "side": "new", "body": "First remark, by form."},
                    {"path": file, "line": line, "side": "new", "body": "Second, by script."}
                ]}),
            )
            .await;
        assert_eq!(res.status, 200, "{}", res.body);
        let review = c.get(&format!("/c/{token}/review")).await;
        assert!(review.body.contains("Second, by script."));
        assert!(review.body.contains("Mostly fine."));
        let bad = c
            .post_json(
                &format!("/c/{token}/review/draft"),
                &json!({"comments": [{"path": file, "line": 99999, "body": "x"}]}),
            )
            .await;
        assert_eq!(bad.status, 422);
        assert!(bad.body.contains("not shown in the change"));
        let removed = c
            .post_form(
                &format!("/c/{token}/review/comment/remove"),
                &[("index", "0")],
            )
            .await;
        assert_eq!(removed.status, 303);
        let review = c.get(&format!("/c/{token}/review")).await;
        assert!(!review.body.contains("First remark, by form."));
        assert!(review.body.contains("Second, by script."));
        app.stop().await;
    }
}

/// Send both tasks through `c`: a review comment that finds the N+1 issue, and
/// answers with an absolute the analyzer flags.
async fn send_both(c: &Client, token: &str) {
    let ex = Builtin::find(EXERCISE).unwrap().load().unwrap();
    let issue = ex.issue("n-plus-one").unwrap();
    let place = &issue.at[0];
    let res = c
        .post_form(
            &format!("/c/{token}/assessment"),
            &[
                ("action", "confirm"),
                (
                    "answer-architecture-decision",
                    "Microservices are always the right way. We moved billing out.",
                ),
                (
                    "answer-sprint-risk",
                    "I write the risks down before planning.",
                ),
            ],
        )
        .await;
    assert_eq!(res.status, 200);
    assert!(res.body.contains("Check your answers"));
    let res = c
        .post_form(&format!("/c/{token}/assessment"), &[("action", "submit")])
        .await;
    assert_eq!(res.status, 303, "{}", res.body);

    let res = c
        .post_json(
            &format!("/c/{token}/review/draft"),
            &json!({"summary": "Fix the query count before merging; the rest can follow.", "comments": [{
                "path": place.file, "line": place.lines[0], "side": "new",
                "body": "issue (blocking): this runs one query per order inside the loop, an N+1. \
                         Because the page has 25 orders that is dozens of queries; prefetch_related \
                         loads the lines in one extra query. Have a look at the Django docs on it."
            }]}),
        )
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    let res = c
        .post_form(&format!("/c/{token}/review"), &[("action", "confirm")])
        .await;
    assert_eq!(res.status, 200);
    assert!(res.body.contains("Check your review"));
    let res = c
        .post_form(&format!("/c/{token}/review"), &[("action", "submit")])
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
}

multiplier_store::each_backend! {
    async fn each_task_is_sent_once_then_read_only(db) {
        let (app, dana, _) = setup(db).await;
        let hm = app.login("hm").await;
        let token = make_link(&app, &hm, dana).await;
        let c = app.anonymous();
        // Nothing to send yet.
        let empty = c
            .post_form(&format!("/c/{token}/assessment"), &[("action", "submit")])
            .await;
        assert_eq!(empty.status, 422);
        send_both(&c, &token).await;

        let again = c
            .post_form(&format!("/c/{token}/assessment"), &[("action", "submit")])
            .await;
        assert_eq!(again.status, 409);
        let again = c
            .post_form(&format!("/c/{token}/review"), &[("action", "submit")])
            .await;
        assert_eq!(again.status, 409);
        let draft = c
            .post_json(
                &format!("/c/{token}/assessment/draft"),
                &json!({"answers": [{"question": "sprint-risk", "text": "changed"}]}),
            )
            .await;
        assert_eq!(draft.status, 409);
        let draft = c
            .post_form(
                &format!("/c/{token}/assessment"),
                &[("action", "save"), ("answer-sprint-risk", "changed")],
            )
            .await;
        assert_eq!(draft.status, 409);

        let page = c.get(&format!("/c/{token}/assessment")).await;
        assert!(page.body.contains("You sent your answers"));
        assert!(!page.body.contains("<textarea"), "read-only after sending");
        assert!(
            page.body
                .contains("I write the risks down before planning.")
        );
        let page = c.get(&format!("/c/{token}/review")).await;
        assert!(page.body.contains("You sent your review"));
        assert!(!page.body.contains("id=\"add-comment\""));
        let home = c.get(&format!("/c/{token}")).await;
        assert_eq!(
            home.body.matches("chip good\">Sent<").count(),
            2,
            "{}",
            home.body
        );
        let evidence = app.store().evidence(dana).await.unwrap();
        assert_eq!(evidence.len(), 2, "one record per task, not per attempt");
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn staff_get_the_answers_and_review_with_their_automatic_reading_as_evidence(db) {
        let (app, dana, _) = setup(db).await;
        let hm = app.login("hm").await;
        let token = make_link(&app, &hm, dana).await;
        send_both(&app.anonymous(), &token).await;
        let evidence = app.store().evidence(dana).await.unwrap();
        let written = evidence
            .iter()
            .find(|e| e.kind == "written-assessment")
            .expect("answers");
        assert!(
            written.body["answers"]
                .to_string()
                .contains("We moved billing out.")
        );
        let flags = written.body["analysis"].to_string();
        assert!(flags.contains("context-free-absolute"), "{flags}");
        let review = evidence
            .iter()
            .find(|e| e.kind == "code-review")
            .expect("review");
        assert_eq!(review.body["exercise"], EXERCISE);
        let issues = review.body["grade"]["issues"].as_array().unwrap();
        let n1 = issues.iter().find(|i| i["id"] == "n-plus-one").unwrap();
        assert_eq!(n1["found"], true, "{n1}");
        assert!(review.body["grade"]["scores"]["issues"]["score"].is_number());
        // The link's state on the admin page says both were sent.
        let page = hm.get(&format!("/candidates/{dana}/portal")).await;
        assert_eq!(page.body.matches("submitted").count(), 2, "{}", page.body);
        let sends = app
            .store()
            .audit(&AuditFilter {
                action: Some("portal.submit".into()),
                ..AuditFilter::default()
            })
            .await
            .unwrap();
        assert_eq!(sends.len(), 2);
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn no_score_grade_flag_or_interviewer_name_reaches_the_candidate(db) {
        let (app, dana, _) = setup(db).await;
        // The hiring team's side: an interviewer with a distinctive name, a scorecard
        // with a note and a red flag.
        let interviewer = "Zebulon Quartermaine";
        app.store()
            .assign("hm", dana, "code-review", interviewer)
            .await
            .unwrap();
        let card = Scorecard {
            stage: "code-review".into(),
            interviewer: interviewer.into(),
            scores: BTreeMap::from([(Signal::TechnicalDepth, Score::new(3).unwrap())]),
            notes: BTreeMap::from([(Signal::TechnicalDepth, "Xylophonic insight".to_string())]),
            red_flags: vec![RaisedFlag {
                id: "corrects-not-teaches".into(),
                note: "Quibbling".into(),
            }],
            recommendation: Recommendation::Yes,
            version: 1,
            amendment_reason: None,
        };
        app.store()
            .submit_scorecard("hm", dana, &card, multiplier_store::Submission::First)
            .await
            .unwrap();
        let hm = app.login("hm").await;
        let token = make_link(&app, &hm, dana).await;
        let c = app.anonymous();
        send_both(&c, &token).await;

        let ex = Builtin::find(EXERCISE).unwrap().load().unwrap();
        let mut forbidden: Vec<String> = vec![
            "zebulon",
            "quartermaine",
            "xylophonic",
            "quibbling",
            "hm",
            "ivy",
            "score",
            "scores",
            "grade",
            "graded",
            "grades",
            "rating",
            "flag",
            "flags",
            "rubric",
        ]
        .into_iter()
        .map(String::from)
        .collect();
        forbidden.extend(
            [
                "context-free-absolute",
                "corrects-not-teaches",
                "n-plus-one",
                EXERCISE,
            ]
            .map(String::from),
        );
        let titles: Vec<String> = ex.issues.iter().map(|i| i.title.clone()).collect();
        for page in ["", "/assessment", "/review", "/data", "/data.json"] {
            let res = c.get(&format!("/c/{token}{page}")).await;
            assert_eq!(res.status, 200, "{page}");
            let seen = words(&res.body);
            for w in &forbidden {
                if w.contains('-') {
                    assert!(!res.body.contains(w.as_str()), "`{w}` on /c/…{page}");
                } else {
                    assert!(!seen.contains(w), "the word `{w}` on /c/…{page}");
                }
            }
            for t in &titles {
                assert!(!res.body.contains(t.as_str()), "issue `{t}` on /c/…{page}");
            }
        }
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn a_link_reaches_its_own_candidate_only(db) {
        let (app, dana, eli) = setup(db).await;
        let hm = app.login("hm").await;
        let dana_token = make_link(&app, &hm, dana).await;
        let eli_token = make_link(&app, &hm, eli).await;
        let c = app.anonymous();
        c.post_json(
            &format!("/c/{eli_token}/assessment/draft"),
            &json!({"answers": [{"question": "sprint-risk", "text": "Eli's own draft."}]}),
        )
        .await;

        // Dana's link shows Dana, never Eli, and her work lands on her record only.
        for page in ["", "/assessment", "/review", "/data", "/data.json"] {
            let res = c.get(&format!("/c/{dana_token}{page}")).await;
            assert!(!res.body.contains("Eli"), "{page}");
            assert!(!res.body.contains("eli@example.test"), "{page}");
        }
        let export = c.get(&format!("/c/{dana_token}/data.json")).await.json();
        assert_eq!(export["you"]["name"], "Dana Candidate");
        assert_eq!(export["you"]["email"], "dana@example.test");
        send_both(&c, &dana_token).await;
        assert_eq!(app.store().evidence(dana).await.unwrap().len(), 2);
        assert!(app.store().evidence(eli).await.unwrap().is_empty());
        let eli_link = &app.store().links(eli).await.unwrap()[0];
        assert!(eli_link.assessment_submitted_at.is_none());
        let eli_page = c.get(&format!("/c/{eli_token}/assessment")).await;
        assert!(
            eli_page.body.contains("Eli&#39;s own draft.")
                || eli_page.body.contains("Eli's own draft.")
        );
        assert!(!eli_page.body.contains("We moved billing out."));
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn erasure_is_asked_for_by_the_candidate_and_carried_out_by_an_admin(db) {
        let (app, dana, eli) = setup(db).await;
        let hm = app.login("hm").await;
        let token = make_link(&app, &hm, dana).await;
        let c = app.anonymous();
        send_both(&c, &token).await;

        let unconfirmed = c.post_form(&format!("/c/{token}/data/erase"), &[]).await;
        assert_eq!(unconfirmed.status, 422);
        let res = c
            .post_form(&format!("/c/{token}/data/erase"), &[("confirm", "yes")])
            .await;
        assert_eq!(res.status, 303);
        let page = c.get(&format!("/c/{token}/data?requested=1")).await;
        assert!(page.body.contains("Your request was recorded"));
        let requests = app.store().erasure_requests(dana).await.unwrap();
        assert_eq!(requests.len(), 1);

        let admin = hm.get(&format!("/candidates/{dana}/portal")).await;
        assert!(admin.body.contains("open"));
        let res = hm
            .post_form(
                &format!("/candidates/{dana}/portal/erase"),
                &[("confirm", "yes")],
            )
            .await;
        assert_eq!(res.status, 303, "{}", res.body);

        let record = app.store().candidate(dana).await.unwrap().unwrap();
        assert_eq!(record.name, erased_name(dana));
        assert_eq!(record.email, None);
        assert!(app.store().evidence(dana).await.unwrap().is_empty());
        assert_eq!(c.get(&format!("/c/{token}")).await.status, 404);
        let admin = hm.get(&format!("/candidates/{dana}/portal")).await;
        assert!(admin.body.contains("carried out"));
        assert!(!admin.body.contains("Dana Candidate"));
        let eli_record = app.store().candidate(eli).await.unwrap().unwrap();
        assert_eq!(eli_record.name, "Eli Otherperson");
        for e in app.store().audit(&AuditFilter::default()).await.unwrap() {
            let line = format!("{} {} {}", e.actor, e.subject, e.detail);
            assert!(!line.contains("Dana") && !line.contains("dana@"), "{line}");
        }
        assert!(
            app.store()
                .audit(&AuditFilter::default())
                .await
                .unwrap()
                .iter()
                .any(|e| e.action == "candidate.erase" && e.actor == "hm")
        );
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn an_erased_candidates_link_gets_the_same_404_as_an_unknown_one(db) {
        let (app, dana, _) = setup(db).await;
        let hm = app.login("hm").await;
        let token = make_link(&app, &hm, dana).await;
        let c = app.anonymous();
        assert_eq!(c.get(&format!("/c/{token}")).await.status, 200);
        let res = hm
            .post_form(
                &format!("/candidates/{dana}/portal/erase"),
                &[("confirm", "yes")],
            )
            .await;
        assert_eq!(res.status, 303, "{}", res.body);
        let unknown = c.get(&format!("/c/{}", "0".repeat(64))).await;
        for page in ["", "/assessment", "/review", "/data", "/data.json"] {
            let res = c.get(&format!("/c/{token}{page}")).await;
            assert_eq!(res.status, 404, "/c/…{page}");
            assert_eq!(res.body, unknown.body, "/c/…{page}");
        }
        let draft = c
            .post_json(
                &format!("/c/{token}/review/draft"),
                &json!({"summary": "x"}),
            )
            .await;
        assert_eq!(draft.status, 404);
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn a_refused_link_or_erasure_shows_the_page_again_with_the_problem_at_its_field(db) {
        let (app, dana, _) = setup(db).await;
        let hm = app.login("hm").await;
        let base = format!("/candidates/{dana}/portal");
        let bad = hm
            .post_form(&base, &[("exercise", EXERCISE), ("days", "a week")])
            .await;
        assert_eq!(bad.status, 422);
        assert!(bad.body.contains(r#"id="days-error""#), "{}", bad.body);
        assert!(
            bad.body.contains(r#"value="a week""#),
            "the posted value is kept"
        );
        assert!(!bad.body.contains("id=\"portal-url\""), "no link was made");
        assert!(app.store().links(dana).await.unwrap().is_empty());

        let unticked = hm.post_form(&format!("{base}/erase"), &[]).await;
        assert_eq!(unticked.status, 422);
        assert!(unticked.body.contains(r#"id="confirm-error""#));
        assert!(
            unticked.body.contains("Dana Candidate"),
            "nothing was erased"
        );
        let record = app.store().candidate(dana).await.unwrap().unwrap();
        assert_eq!(record.name, "Dana Candidate");

        // The candidate reads what to fix in plain words, without field paths.
        let token = make_link(&app, &hm, dana).await;
        let c = app.anonymous();
        let long = "x".repeat(20_001);
        let res = c
            .post_form(
                &format!("/c/{token}/assessment"),
                &[("action", "save"), ("answer-sprint-risk", &long)],
            )
            .await;
        assert_eq!(res.status, 422);
        assert!(res.body.contains("longer than 20000 characters"));
        assert!(!res.body.contains("answers.sprint-risk"));
        app.stop().await;
    }
}
