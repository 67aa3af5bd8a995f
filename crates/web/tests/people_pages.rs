//! Issue 17 in the browser's terms (HTTP): people administration, my work, the
//! one-time message after an action, error pages inside the frame, assigning
//! several stages and unassigning.

// Test code may panic: a panic is a failed test. (Clippy's test allowances do
// not reach the scenario functions each_backend! generates.)
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod support;

use support::{PASSWORD, TestApp};

multiplier_store::each_backend! {
    async fn an_admin_adds_renames_resets_and_deactivates_people(db) {
        let app = TestApp::start_on(db).await;
        let hm = app.login("hm").await;
        let page = hm.get("/admin/accounts").await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("ivy") && page.body.contains(r#"href="/admin/accounts""#));

        // A typed first password: a redirect and a one-time message.
        let res = hm
            .post_form(
                "/admin/accounts",
                &[
                    ("name", "zoe"),
                    ("display_name", "Zoë Park"),
                    ("role", "interviewer"),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(res.status, 303, "{}", res.body);
        let page = hm.get("/admin/accounts").await;
        assert!(
            page.body.contains("Account zoe added."),
            "the message shows once"
        );
        assert!(page.body.contains("Zoë Park"));
        let again = hm.get("/admin/accounts").await;
        assert!(!again.body.contains("Account zoe added."), "and only once");
        app.login("zoe").await;

        // A generated password is shown once, on the answer; the old one stops working.
        let zoe = app.login("zoe").await;
        let res = hm.post_form("/admin/accounts/zoe/password", &[]).await;
        assert_eq!(res.status, 200);
        let start = res.body.find(r#"<code id="new-password">"#).expect("shown") + 24;
        let password = &res.body[start..start + 20];
        assert!(!hm.get("/admin/accounts").await.body.contains(password));
        // Her session ended with the reset.
        assert_eq!(zoe.get("/my-work").await.status, 303);
        let res = app
            .anonymous()
            .post_form("/login", &[("name", "zoe"), ("password", password)])
            .await;
        assert_eq!(res.status, 303, "the new password signs in");

        // Role and display name.
        let res = hm
            .post_form(
                "/admin/accounts/zoe/edit",
                &[
                    ("display_name", "Zoë P."),
                    ("role", "admin"),
                    ("email", "zoe@example.org"),
                ],
            )
            .await;
        assert_eq!(res.status, 303);
        assert!(
            hm.get("/admin/accounts")
                .await
                .body
                .contains("zoe@example.org"),
            "the address shows on the people page"
        );
        let users = app
            .state
            .app
            .accounts(&multiplier_app::Actor::Operator)
            .await
            .unwrap();
        let z = users.iter().find(|u| u.name == "zoe").unwrap();
        assert_eq!(z.display_name.as_deref(), Some("Zoë P."));
        assert_eq!(z.role, multiplier_store::AccountRole::Admin);
        assert_eq!(z.email.as_deref(), Some("zoe@example.org"));

        // Deactivate: the account cannot sign in.
        let res = hm
            .post_form("/admin/accounts/zoe/active", &[("active", "no")])
            .await;
        assert_eq!(res.status, 303);
        assert!(hm.get("/admin/accounts").await.body.contains("deactivated"));
        let res = app
            .anonymous()
            .post_form("/login", &[("name", "zoe"), ("password", password)])
            .await;
        assert_ne!(res.status, 303);

        // An interviewer is refused, inside the page frame with its navigation.
        let ivy = app.login("ivy").await;
        let refused = ivy.get("/admin/accounts").await;
        assert_eq!(refused.status, 403);
        assert!(
            refused.body.contains(r#"aria-label="Main""#),
            "{}",
            refused.body
        );
        assert!(refused.body.contains(r#"href="/my-work""#));
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn unknown_pages_say_so_inside_the_frame_and_the_api_keeps_problem_json(db) {
        let app = TestApp::start_on(db).await;
        let hm = app.login("hm").await;
        let page = hm.get("/no/such/page").await;
        assert_eq!(page.status, 404);
        assert!(page.body.contains("there is no page at this address"));
        assert!(page.body.contains(r#"aria-label="Main""#));
        let missing = hm.get("/candidates/999").await;
        assert_eq!(missing.status, 404);
        assert!(missing.body.contains("My work"), "{}", missing.body);
        let api = hm.get("/api/v1/no-such-thing").await;
        assert_eq!(api.status, 404);
        assert!(api.body.contains(r#""status":404"#), "{}", api.body);
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn several_stages_assigned_at_once_show_on_my_work_and_can_be_unassigned(db) {
        let app = TestApp::with_demo_on(db).await;
        let hm = app.login("hm").await;
        let res = hm
            .post_form(
                "/candidates/3/assign",
                &[
                    ("stage", "technical-depth"),
                    ("stage", "leadership"),
                    ("interviewer", "ivy"),
                ],
            )
            .await;
        assert_eq!(res.status, 303, "{}", res.body);
        let page = hm.get("/candidates/3").await;
        assert!(page.body.contains("ivy assigned to"), "a one-time message");
        assert!(page.body.contains(r#"action="/candidates/3/unassign""#));

        let ivy = app.login("ivy").await;
        let work = ivy.get("/my-work").await;
        assert_eq!(work.status, 200);
        assert!(
            work.body
                .contains(r#"href="/candidates/3/stages/technical-depth""#)
        );
        assert!(
            work.body
                .contains(r#"href="/candidates/3/stages/leadership""#)
        );
        assert!(work.body.contains("assigned today"));

        let res = hm
            .post_form(
                "/candidates/3/unassign",
                &[("stage", "leadership"), ("interviewer", "ivy")],
            )
            .await;
        assert_eq!(res.status, 303);
        let work = ivy.get("/my-work").await;
        assert!(
            !work
                .body
                .contains(r#"href="/candidates/3/stages/leadership""#)
        );
        let timeline = hm.get("/candidates/3").await.body;
        assert!(timeline.contains("Interviewer unassigned"));
        assert!(!timeline.contains("by tom by tom"));
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn the_demo_shows_graded_reviews_analysed_answers_and_a_baseline(db) {
        let app = TestApp::with_demo_on(db).await;
        let store = app.store();
        use multiplier_store::{CandidateId, HiringStore, MetricsStore, OpeningId};
        let kinds = |e: &[multiplier_store::EvidenceRecord]| {
            e.iter().map(|r| r.kind.clone()).collect::<Vec<_>>()
        };
        // Lucía (3): a review graded by the real grader.
        let lucia = store.evidence(CandidateId(3)).await.unwrap();
        assert_eq!(kinds(&lucia), ["code-review"]);
        assert!(lucia[0].body.get("grade").is_some(), "{}", lucia[0].body);
        // Jonas (2): answers with the analyzer's reading.
        let jonas = store.evidence(CandidateId(2)).await.unwrap();
        assert_eq!(kinds(&jonas), ["written-assessment"]);
        assert!(jonas[0].body.get("analysis").is_some());
        // The opening has a delivery and a review-speed baseline.
        let snaps = store.snapshots(OpeningId(1)).await.unwrap();
        let mut k: Vec<&str> = snaps.iter().map(|s| s.kind.as_str()).collect();
        k.sort_unstable();
        assert_eq!(k, ["delivery", "prs"]);
        // And the pages show them: the hiring manager sees the grade on the page.
        let hm = app.login("hm").await;
        let page = hm.get("/candidates/3").await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("code-review"), "evidence is listed");
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn the_api_assigns_several_stages_and_unassigns_and_the_debrief_says_incomplete(db) {
        let app = TestApp::with_demo_on(db).await;
        let hm = app.login("hm").await;
        let res = hm
            .post_json(
                "/api/v1/candidates/3/assignments",
                &serde_json::json!({"stages": ["technical-depth", "leadership"], "interviewer": "ivy"}),
            )
            .await;
        assert_eq!(res.status, 201, "{}", res.body);
        let bad = hm
            .post_json(
                "/api/v1/candidates/3/assignments",
                &serde_json::json!({"stages": ["leadership", "offer"], "interviewer": "ian"}),
            )
            .await;
        assert_eq!(bad.status, 422);
        assert!(bad.body.contains("stages[1]"), "{}", bad.body);
        let res = hm
            .send_json(
                reqwest::Method::DELETE,
                "/api/v1/candidates/3/assignments/leadership/ivy",
                &serde_json::json!({}),
            )
            .await;
        assert_eq!(res.status, 200, "{}", res.body);
        assert!(
            !res.body
                .contains(r#""stage":"leadership","interviewer":"ivy""#)
        );
        // Chen (4) has two of three assigned cards in: the verdict waits for tom.
        let debrief = hm.get("/api/v1/openings/1/debrief").await;
        assert_eq!(debrief.status, 200, "{}", debrief.body);
        assert!(
            debrief
                .body
                .contains("incomplete — waiting for: leadership by tom"),
            "{}",
            debrief.body
        );
        let page = hm.get("/candidates/4/debrief").await;
        assert!(
            page.body
                .contains("policy: incomplete — waiting for: leadership by tom")
        );
        assert!(page.body.contains("chip incomplete"));
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn the_intake_answers_are_readable_from_the_opening(db) {
        let app = TestApp::with_demo_on(db).await;
        let ivy = app.login("ivy").await;
        let page = ivy.get("/openings/1/intake").await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(page.body.contains("Payments backend"), "the context");
        assert!(page.body.contains(r#"id="intake-answers""#));
        assert!(!page.body.contains("<form method=\"post\""), "read-only");
        let board = app.login("hm").await.get("/openings/1").await;
        assert!(board.body.contains(r#"href="/openings/1/intake""#));
        assert_eq!(ivy.get("/openings/99/intake").await.status, 404);
        app.stop().await;
    }
}
