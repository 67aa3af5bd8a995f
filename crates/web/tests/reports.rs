//! Reports on the web (issue 19): the /reports page and its CSV downloads,
//! the JSON API, and the voluntary self-identification of the careers form
//! and the portal, which never shows on a candidate's page or API view.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod support;

use multiplier_app::Account;
use multiplier_core::Role;
use multiplier_store::{AccountRole, OpeningId, ReportStore};
use support::{Client, Res, TestApp};

fn hm() -> Account {
    Account {
        name: "hm".into(),
        role: AccountRole::Admin,
    }
}

async fn opening(app: &TestApp) -> OpeningId {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/roles/payments-player-coach.toml"
    ))
    .unwrap();
    let a = &app.state.app;
    let role = Role::parse(a.framework(), "payments", &text).unwrap();
    a.open_role(&hm(), &role, None).await.unwrap().1
}

const BOUNDARY: &str = "----multiplier-test-boundary";

fn multipart(fields: &[(&str, &str)]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn post_multipart(client: &Client, path: &str, body: Vec<u8>) -> Res {
    let res = client
        .http
        .post(format!("{}{path}", client.base))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    Res {
        status: res.status().as_u16(),
        location: None,
        content_type: String::new(),
        body: res.text().await.unwrap(),
    }
}

multiplier_store::each_backend! {
    async fn the_apply_form_keeps_a_self_identification_that_no_candidate_view_shows(db) {
        let app = TestApp::start_on(db).await;
        let opening = opening(&app).await;
        let visitor = app.anonymous();
        let page = visitor.get(&format!("/jobs/{opening}")).await;
        assert!(
            page.body.contains("About you (optional, voluntary)"),
            "{}",
            page.body
        );
        assert!(
            page.body
                .contains("nobody who reads or assesses it ever sees it")
        );
        assert!(
            page.body
                .contains(r#"<option value="" selected>Prefer not to say</option>"#),
            "prefer not to say is the default: {}",
            page.body
        );
        let token = support::csrf_in(&page.body).unwrap();
        let sent = post_multipart(
            &visitor,
            &format!("/jobs/{opening}/apply"),
            multipart(&[
                ("csrf", &token),
                ("name", "Robin Applicant"),
                ("email", "robin@example.com"),
                ("consent", "yes"),
                ("sex", "female"),
                ("race", "asian"),
            ]),
        )
        .await;
        assert_eq!(sent.status, 200, "{}", sent.body);
        // Stored, apart.
        let outcomes = app.store().outcomes(Some(opening)).await.unwrap();
        assert!(
            outcomes
                .iter()
                .any(|o| o.self_id.is_some_and(|s| s.race.id() == "asian")),
            "{outcomes:?}"
        );
        // Never on the candidate's page, the API view or the audit log.
        let staff = app.login("hm").await;
        let found = staff.get("/api/v1/candidates?text=Robin").await.json();
        let id = found["items"][0]["id"].as_i64().unwrap();
        for path in [
            format!("/candidates/{id}"),
            format!("/api/v1/candidates/{id}"),
            "/api/v1/candidates?text=Robin".to_string(),
            format!("/audit?candidate={id}"),
            format!("/api/v1/audit?candidate={id}"),
        ] {
            let res = staff.get(&path).await;
            assert_eq!(res.status, 200, "{path}");
            for word in ["Asian", "asian", "Female", "female"] {
                assert!(!res.body.contains(word), "{word} on {path}");
            }
        }
        // An unknown category is a field problem on the form.
        let page = visitor.get(&format!("/jobs/{opening}")).await;
        let token = support::csrf_in(&page.body).unwrap();
        let bad = post_multipart(
            &visitor,
            &format!("/jobs/{opening}/apply"),
            multipart(&[
                ("csrf", &token),
                ("name", "Sam"),
                ("email", "sam@example.com"),
                ("consent", "yes"),
                ("race", "martian"),
            ]),
        )
        .await;
        assert_eq!(bad.status, 422, "{}", bad.body);
    }
}

multiplier_store::each_backend! {
    async fn the_reports_page_and_downloads_are_for_admins(db) {
        let app = TestApp::start_on(db).await;
        let opening = opening(&app).await;
        let staff = app.login("hm").await;
        let page = staff.get("/reports").await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("Funnel") && page.body.contains("Adverse impact"));
        assert!(page.body.contains("/reports/funnel.csv"));
        assert!(page.body.contains("/reports/adverse-impact.csv"));
        assert!(
            page.body.contains("name=\"viewport\""),
            "readable at phone width"
        );
        let one = staff
            .get(&format!("/reports?opening={opening}&stage=overall"))
            .await;
        assert_eq!(one.status, 200, "{}", one.body);
        let csv = staff.get("/reports/funnel.csv").await;
        assert_eq!(csv.status, 200);
        assert!(
            csv.content_type.starts_with("text/csv"),
            "{}",
            csv.content_type
        );
        assert!(csv.body.starts_with("opening,title,section,"));
        let csv = staff.get("/reports/adverse-impact.csv?stage=overall").await;
        assert!(csv.content_type.starts_with("text/csv"));
        assert!(csv.body.starts_with("kind,stage,next,"), "{}", csv.body);
        let json = staff.get("/api/v1/reports/funnel").await;
        assert_eq!(json.status, 200);
        assert_eq!(json.json()["openings"][0]["opening"], opening.0);
        let json = staff
            .get("/api/v1/reports/adverse-impact?stage=overall")
            .await;
        assert_eq!(json.json()["four_fifths"], 0.8);
        let bad = staff
            .get("/api/v1/reports/adverse-impact?stage=lunch")
            .await;
        assert_eq!(bad.status, 422);
        let ivy = app.login("ivy").await;
        assert_eq!(ivy.get("/reports").await.status, 403);
        assert_eq!(ivy.get("/reports/adverse-impact.csv").await.status, 403);
        assert_eq!(ivy.get("/api/v1/reports/adverse-impact").await.status, 403);
        assert_eq!(
            app.anonymous().get("/api/v1/reports/funnel").await.status,
            401
        );
    }
}

multiplier_store::each_backend! {
    async fn the_portal_asks_about_you_and_never_shows_the_answer_back(db) {
        let app = TestApp::start_on(db).await;
        let opening = opening(&app).await;
        let a = &app.state.app;
        let id = a
            .add_candidate(
                &hm(),
                opening,
                &multiplier_app::CandidateInput {
                    name: "Dana".into(),
                    ..multiplier_app::CandidateInput::default()
                },
            )
            .await
            .unwrap();
        let link = a
            .create_link(&hm(), id, "orders-n-plus-one", 14)
            .await
            .unwrap();
        let candidate = app.anonymous();
        let path = format!("/c/{}/about-you", link.token);
        let page = candidate.get(&path).await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("You have not answered"));
        let token = support::csrf_in(&page.body).unwrap();
        let saved = candidate
            .post_form_raw(
                &path,
                &[("csrf", &token), ("sex", "male"), ("race", "white")],
            )
            .await;
        assert_eq!(saved.status, 303, "{}", saved.body);
        let page = candidate.get(&path).await;
        assert!(page.body.contains("You answered on"), "{}", page.body);
        assert!(
            !page.body.contains(r#"value="male" selected"#)
                && !page.body.contains(r#"value="white" selected"#),
            "the answer is not shown back"
        );
        assert!(app.store().self_id_given(id).await.unwrap().is_some());
    }
}
