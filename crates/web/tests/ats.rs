//! The ATS around the loop on the web (issue 17): the careers page and its
//! application form, the CV download, candidate statuses and notes through the
//! pages and the API, openings that close, and the CSV import.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod support;

use multiplier_app::{Account, CandidateInput};
use multiplier_core::Role;
use multiplier_store::{AccountRole, CandidateId, OpeningId};
use support::{Client, Res, TestApp};

fn hm() -> Account {
    Account {
        name: "hm".into(),
        role: AccountRole::Admin,
    }
}

/// Opening 1 with candidate 1 (Dana), ivy assigned to Dana's code review.
async fn world(app: &TestApp) -> (OpeningId, CandidateId) {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/roles/payments-player-coach.toml"
    ))
    .unwrap();
    let a = &app.state.app;
    let role = Role::parse(a.framework(), "payments", &text).unwrap();
    let opening = a.open_role(&hm(), &role, None).await.unwrap().1;
    let dana = a
        .add_candidate(
            &hm(),
            opening,
            &CandidateInput {
                name: "Dana Reyes".into(),
                email: Some("dana@example.com".into()),
                ..CandidateInput::default()
            },
        )
        .await
        .unwrap();
    a.assign(&hm(), dana, "code-review", "ivy").await.unwrap();
    (opening, dana)
}

const BOUNDARY: &str = "----multiplier-test-boundary";

/// A multipart/form-data body: text fields, then an optional file field.
fn multipart(fields: &[(&str, &str)], file: Option<(&str, &str, &[u8])>) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some((name, file_name, bytes)) = file {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
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
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let content_type = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    Res {
        status,
        location,
        content_type,
        body: res.text().await.unwrap(),
    }
}

/// The hidden `csrf` field of the application form on `page`.
fn form_token(page: &str) -> String {
    support::csrf_in(page).expect("a token in the form")
}

const PDF: &[u8] = b"%PDF-1.7\n% Robin's CV\n";

multiplier_store::each_backend! {
    async fn anyone_applies_through_the_careers_page_and_staff_download_the_cv(db) {
        let app = TestApp::start_on(db).await;
        let (opening, _) = world(&app).await;
        let visitor = app.anonymous();
        let list = visitor.get("/jobs").await;
        assert_eq!(list.status, 200);
        assert!(
            list.body.contains(&format!("/jobs/{opening}")),
            "{}",
            list.body
        );
        let page = visitor.get(&format!("/jobs/{opening}")).await;
        assert_eq!(page.status, 200);
        assert!(
            page.body.contains("24 months"),
            "the retention period is stated"
        );
        assert!(page.body.contains("enctype=\"multipart/form-data\""));
        let token = form_token(&page.body);
        let fields = |email: &'static str| {
            vec![
                ("csrf", token.clone()),
                ("name", "Robin Applicant".to_string()),
                ("email", email.to_string()),
                ("links", "https://github.com/robin".to_string()),
                ("consent", "yes".to_string()),
                ("website", String::new()),
            ]
        };
        let as_refs = |v: &Vec<(&'static str, String)>| -> Vec<(&'static str, String)> { v.clone() };
        let send = |v: Vec<(&'static str, String)>,
                    file: Option<(&'static str, &'static str, &'static [u8])>| {
            let pairs: Vec<(&str, &str)> = v.iter().map(|(k, v)| (*k, v.as_str())).collect();
            multipart(&pairs, file)
        };
        let path = format!("/jobs/{opening}/apply");
        // Without the token of the cookie the page set: refused.
        let stranger = app.anonymous();
        let forged = post_multipart(
            &stranger,
            &path,
            send(as_refs(&fields("x@example.com")), None),
        )
        .await;
        assert_eq!(forged.status, 403, "{}", forged.body);
        // An executable named like a PDF: refused, what was typed kept.
        let exe = post_multipart(
            &visitor,
            &path,
            send(
                fields("robin@example.com"),
                Some(("cv", "cv.pdf", b"MZ\x90\x00")),
            ),
        )
        .await;
        assert_eq!(exe.status, 422);
        assert!(exe.body.contains("PDF or a DOCX"), "{}", exe.body);
        assert!(exe.body.contains("Robin Applicant"));
        let ok = post_multipart(
            &visitor,
            &path,
            send(fields("robin@example.com"), Some(("cv", "robin.pdf", PDF))),
        )
        .await;
        assert_eq!(ok.status, 200, "{}", ok.body);
        assert!(ok.body.contains("We have your application"));
        // Staff see them in Screen, applied, with the CV.
        let staff = app.login("hm").await;
        let found = staff.get("/api/v1/candidates?text=Robin").await.json();
        let id = found["items"][0]["id"].as_i64().unwrap();
        let c = staff.get(&format!("/api/v1/candidates/{id}")).await.json();
        assert_eq!(c["candidate"]["source"], "applied", "{c}");
        assert_eq!(c["candidate"]["stage"], "screen");
        let page = staff.get(&format!("/candidates/{id}")).await;
        assert!(page.body.contains("Download the CV"), "{}", page.body);
        let href = page
            .body
            .split(&format!("/candidates/{id}/files/"))
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap()
            .to_string();
        let file = staff
            .http
            .get(format!("{}/candidates/{id}/files/{href}", staff.base))
            .send()
            .await
            .unwrap();
        assert_eq!(file.status(), 200);
        let h = |n: &str| file.headers().get(n).unwrap().to_str().unwrap().to_string();
        assert_eq!(h("content-type"), "application/pdf");
        assert!(
            h("content-disposition").starts_with("attachment; filename=\"cv-robin-applicant.pdf\"")
        );
        assert_eq!(h("x-content-type-options"), "nosniff");
        assert_eq!(file.bytes().await.unwrap().as_ref(), PDF);
        // An interviewer never gets it.
        app.state
            .app
            .assign(&hm(), CandidateId(id), "code-review", "ivy")
            .await
            .unwrap();
        let ivy = app.login("ivy").await;
        let refused = ivy.get(&format!("/candidates/{id}/files/{href}")).await;
        assert_eq!(refused.status, 403);
        // The honeypot: thanked, nothing kept.
        let mut bot = fields("bot@example.com");
        bot.retain(|(k, _)| *k != "website");
        bot.push(("website", "http://spam.example".into()));
        let trapped = post_multipart(&visitor, &path, send(bot, None)).await;
        assert_eq!(trapped.status, 200);
        let none = staff
            .get("/api/v1/candidates?text=bot&show=all")
            .await
            .json();
        assert_eq!(none["items"].as_array().unwrap().len(), 0);
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn a_status_change_through_the_api_takes_the_candidate_off_the_board(db) {
        let app = TestApp::start_on(db).await;
        let (opening, dana) = world(&app).await;
        let hm = app.login("hm").await;
        let path = format!("/api/v1/candidates/{dana}/status");
        let bare = hm
            .post_json(&path, &serde_json::json!({"status": "rejected"}))
            .await;
        assert_eq!(bare.status, 422, "{}", bare.body);
        assert!(bare.body.contains("reason"));
        let hired = hm
            .post_json(&path, &serde_json::json!({"status": "hired"}))
            .await;
        assert_eq!(hired.status, 409, "{}", hired.body);
        let ok = hm
            .post_json(
                &path,
                &serde_json::json!({"status": "rejected", "reason": "not-enough-depth"}),
            )
            .await;
        assert_eq!(ok.status, 200, "{}", ok.body);
        assert_eq!(ok.json()["status"], "rejected");
        let board = hm.get(&format!("/openings/{opening}")).await;
        assert!(!board.body.contains("Dana Reyes"), "off the board");
        let ended = hm.get(&format!("/openings/{opening}?show=ended")).await;
        assert!(ended.body.contains("Dana Reyes"));
        let page = hm.get(&format!("/candidates/{dana}")).await;
        assert!(
            page.body.contains("Technical depth below the bar"),
            "the reason's title"
        );
        assert!(page.body.contains("Status changed"), "on the timeline");
        // The interviewer may not; and the list hides the ended candidate by default.
        let ivy = app.login("ivy").await;
        let refused = ivy
            .post_json(&path, &serde_json::json!({"status": "active"}))
            .await;
        assert_eq!(refused.status, 403);
        let list = hm.get("/api/v1/candidates").await.json();
        assert_eq!(list["items"].as_array().unwrap().len(), 0);
        let all = hm.get("/api/v1/candidates?show=all").await.json();
        assert_eq!(all["items"].as_array().unwrap().len(), 1);
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn the_candidate_page_changes_the_status_and_takes_notes(db) {
        let app = TestApp::start_on(db).await;
        let (_, dana) = world(&app).await;
        let hm = app.login("hm").await;
        let res = hm
            .post_form(
                &format!("/candidates/{dana}/status"),
                &[("status", "on-hold"), ("reason", "")],
            )
            .await;
        assert_eq!(res.status, 303, "{}", res.body);
        let res = hm
            .post_form(
                &format!("/candidates/{dana}/notes"),
                &[("body", "Wants to start in March.")],
            )
            .await;
        assert_eq!(res.status, 303, "{}", res.body);
        let page = hm.get(&format!("/candidates/{dana}")).await;
        assert!(page.body.contains("on hold"), "{}", page.body);
        assert!(page.body.contains("Wants to start in March."));
        // ivy owes a scorecard: the note stays hidden, and the API says so.
        let ivy = app.login("ivy").await;
        let notes = ivy
            .get(&format!("/api/v1/candidates/{dana}/notes"))
            .await
            .json();
        assert_eq!(notes["hidden"], 1);
        let page = ivy.get(&format!("/candidates/{dana}")).await;
        assert!(!page.body.contains("Wants to start in March."));
        let added = ivy
            .post_json(
                &format!("/api/v1/candidates/{dana}/notes"),
                &serde_json::json!({"body": "Asked about on-call."}),
            )
            .await;
        assert_eq!(added.status, 201, "{}", added.body);
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn a_closed_opening_leaves_the_careers_page_and_an_archived_one_the_list(db) {
        let app = TestApp::start_on(db).await;
        let (opening, _) = world(&app).await;
        let hm = app.login("hm").await;
        let res = hm
            .post_form(&format!("/openings/{opening}/close"), &[])
            .await;
        assert_eq!(res.status, 303, "{}", res.body);
        let board = hm.get(&format!("/openings/{opening}")).await;
        assert!(board.body.contains("takes no new candidates"));
        assert!(board.body.contains("Reopen"));
        let jobs = app.anonymous().get("/jobs").await;
        assert!(!jobs.body.contains(&format!("/jobs/{opening}\"")));
        assert_eq!(
            app.anonymous()
                .get(&format!("/jobs/{opening}"))
                .await
                .status,
            404
        );
        let archived = hm
            .post_json(
                &format!("/api/v1/openings/{opening}/archive"),
                &serde_json::json!({}),
            )
            .await;
        assert_eq!(archived.status, 200, "{}", archived.body);
        let list = hm.get("/api/v1/openings").await.json();
        assert_eq!(list["items"].as_array().unwrap().len(), 0);
        let page = hm.get("/openings?archived=1").await;
        assert!(page.body.contains("archived"));
        let reopened = hm
            .post_json(
                &format!("/api/v1/openings/{opening}/reopen"),
                &serde_json::json!({}),
            )
            .await;
        assert_eq!(reopened.json()["status"], "open");
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn an_import_is_previewed_then_confirmed_in_the_browser_and_through_the_api(db) {
        let app = TestApp::start_on(db).await;
        let (opening, _) = world(&app).await;
        let hm = app.login("hm").await;
        let csv = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../app/tests/data/import-lever.csv"
        ))
        .unwrap();
        let token = hm.csrf().await;
        let path = format!("/openings/{opening}/import");
        let preview = post_multipart(
            &hm,
            &path,
            multipart(&[("csrf", &token)], Some(("file", "lever.csv", &csv))),
        )
        .await;
        assert_eq!(preview.status, 200, "{}", preview.body);
        assert!(preview.body.contains("Would create"), "{}", preview.body);
        assert!(preview.body.contains("duplicate of an earlier row"));
        // Without the token, the upload is refused.
        let forged = post_multipart(
            &hm,
            &path,
            multipart(&[], Some(("file", "lever.csv", &csv))),
        )
        .await;
        assert_eq!(forged.status, 403);
        let text = String::from_utf8(csv.clone()).unwrap();
        let done = hm
            .post_form(&format!("{path}/confirm"), &[("csv", text.as_str())])
            .await;
        assert_eq!(done.status, 200, "{}", done.body);
        assert!(done.body.contains("Created"));
        let again = hm
            .post_json(
                &format!("/api/v1/openings/{opening}/import"),
                &serde_json::json!({"csv": text, "dry_run": false}),
            )
            .await
            .json();
        assert_eq!(again["created"], 0, "{again}");
        assert_eq!(again["duplicates"], 3);
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn rejecting_on_the_page_leads_to_the_message_and_sends_nothing_by_itself(db) {
        let app = TestApp::start_on(db).await;
        let (_, dana) = world(&app).await;
        let hm = app.login("hm").await;
        let before = hm.get("/api/v1/outbox").await.json();
        let res = hm
            .post_form(
                &format!("/candidates/{dana}/status"),
                &[("status", "rejected"), ("reason", "not-enough-depth")],
            )
            .await;
        assert_eq!(res.status, 303, "{}", res.body);
        assert_eq!(
            res.location.as_deref(),
            Some(format!("/candidates/{dana}/rejection").as_str())
        );
        let page = hm.get(&format!("/candidates/{dana}/rejection")).await;
        assert!(page.body.contains("Nothing has been sent"), "{}", page.body);
        // The status change queued no message: only pressing Send does.
        let after = hm.get("/api/v1/outbox").await.json();
        assert_eq!(before, after);
        app.stop().await;
    }
}
