//! The delivery outcome on the web (issue 19, item 1): the page with its
//! judgements, SVG trends and the same numbers as tables; uploads (422 with the
//! problem beside the field, then success); the repository form; who sees
//! which part; the JSON API's view of the same data.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod support;

use multiplier_app::{Account, CandidateInput};
use multiplier_core::Role;
use multiplier_store::{AccountRole, AtsStore, HiringStore, OpeningId};
use serde_json::json;
use support::{Client, Res, TestApp};

fn hm() -> Account {
    Account {
        name: "hm".into(),
        role: AccountRole::Admin,
    }
}

fn report(until: &str, per_week: f64, lead: f64) -> serde_json::Value {
    json!({"deployments": 10, "deployments_per_week": per_week,
        "lead_time_hours": {"median": lead, "p90": lead * 2.0}, "change_failure_rate": 0.2,
        "window": {"since": "2025-10-01T00:00:00Z", "until": until}})
}

/// Opening 1, Dana hired (start 2026-01-01), three delivery snapshots.
async fn world(app: &TestApp) -> OpeningId {
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
    let store = app.store();
    store
        .record_offer("hm", dana, &json!({"note": "offer"}))
        .await
        .unwrap();
    store
        .accept_offer("hm", dana, jiff::civil::date(2026, 1, 1))
        .await
        .unwrap();
    store
        .set_candidate_status("hm", dana, "active", "hired", None)
        .await
        .unwrap();
    for (until, per_week, lead) in [
        ("2025-12-20T00:00:00Z", 2.0, 100.0),
        ("2026-04-01T00:00:00Z", 3.0, 90.0),
        ("2026-07-02T12:00:00Z", 4.5, 75.0),
    ] {
        a.save_snapshot(
            &hm(),
            opening,
            "report.json",
            &report(until, per_week, lead),
        )
        .await
        .unwrap();
    }
    opening
}

const BOUNDARY: &str = "----multiplier-outcome-boundary";

/// A multipart body: the CSRF token, then each file.
fn multipart(token: &str, files: &[(&str, &str, &[u8])]) -> Vec<u8> {
    let mut body =
        format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{token}\r\n")
            .into_bytes();
    for (name, file_name, bytes) in files {
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
    Res {
        status,
        location,
        content_type: String::new(),
        body: res.text().await.unwrap(),
    }
}

/// The `<svg>…</svg>` of the trend of `metric` on `page`.
fn svg_of<'a>(page: &'a str, metric: &str) -> &'a str {
    let figure = page
        .find(&format!("id=\"trend-{metric}\""))
        .unwrap_or_else(|| panic!("no trend of {metric}"));
    let rest = &page[figure..];
    let start = rest.find("<svg").expect("an svg");
    let end = rest.find("</svg>").expect("the svg ends");
    &rest[start..end]
}

multiplier_store::each_backend! {
    async fn the_page_judges_each_snapshot_and_draws_each_trend_with_its_numbers(db) {
        let app = TestApp::start_on(db).await;
        let o = world(&app).await;
        let hm = app.login("hm").await;
        let page = hm.get(&format!("/openings/{o}/outcomes")).await;
        assert_eq!(page.status, 200, "{}", page.body);
        let body = &page.body;
        assert!(body.contains("Dana Reyes"));
        assert!(body.contains("started 2026-01-01"));
        // The latest snapshot, 6 months in: deployments met, lead time on track,
        // failure rate missed, each with core's reason.
        assert!(body.contains("6.0 of 12 months elapsed"), "{body}");
        assert!(body.contains(">met<") && body.contains(">on track<") && body.contains(">missed<"));
        assert!(body.contains("reaches the target"));
        // One SVG per measured metric, one point per snapshot, with a title and a
        // description for screen readers; the same numbers in a table.
        let svg = svg_of(body, "deployment-frequency");
        assert_eq!(svg.matches("class=\"point\"").count(), 3, "{svg}");
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("<title id=\"trend-deployment-frequency-title\">"));
        assert!(svg.contains("<desc id=\"trend-deployment-frequency-desc\">3 snapshots, from 2 on 2025-12-20 to 4.5 on 2026-07-02"));
        assert!(svg.contains("<polyline"));
        assert!(!svg.contains("<script"), "drawn without JavaScript");
        assert!(body.contains("Deployments a week: the numbers plotted"));
        assert_eq!(
            svg_of(body, "lead-time").matches("class=\"point\"").count(),
            3
        );
        assert!(
            !body.contains("id=\"trend-first-review\""),
            "never measured, not drawn"
        );
        // Hiring managers get the forms.
        assert!(body.contains("enctype=\"multipart/form-data\""));
        assert!(body.contains("name=\"path\""));

        // An interviewer off the hire's loop: the numbers, not the person, no forms.
        let ivy = app.login("ivy").await;
        let page = ivy.get(&format!("/openings/{o}/outcomes")).await;
        assert_eq!(page.status, 200);
        assert!(!page.body.contains("Dana Reyes"));
        assert!(page.body.contains("A hire you may not see"));
        assert!(page.body.contains("class=\"point\""));
        assert!(!page.body.contains("enctype=\"multipart/form-data\""));
        assert!(!page.body.contains("name=\"path\""));
        assert_eq!(ivy.get("/openings/99/outcomes").await.status, 404);
        // The board links to it.
        assert!(
            hm.get(&format!("/openings/{o}"))
                .await
                .body
                .contains(&format!("/openings/{o}/outcomes"))
        );

        // The API answers with the same data.
        let api = hm.get(&format!("/api/v1/openings/{o}/outcomes")).await;
        assert_eq!(api.status, 200, "{}", api.body);
        let v = api.json();
        assert_eq!(v["snapshots"].as_array().unwrap().len(), 3);
        assert_eq!(v["snapshots"][2]["months_elapsed"], 6.0);
        let statuses: Vec<&str> = v["snapshots"][2]["comparison"]["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["status"].as_str().unwrap())
            .collect();
        assert_eq!(statuses[..3], ["met", "on-track", "missed"]);
        assert_eq!(v["hires"][0]["name"], "Dana Reyes");
        assert_eq!(v["trends"][0]["points"].as_array().unwrap().len(), 3);
        let api = ivy
            .get(&format!("/api/v1/openings/{o}/outcomes"))
            .await
            .json();
        assert_eq!(api["hires"][0]["name"], serde_json::Value::Null);
        assert_eq!(api["hires"][0]["start_date"], serde_json::Value::Null);
    }
}

multiplier_store::each_backend! {
    async fn uploads_answer_422_beside_the_field_then_save_a_snapshot(db) {
        let app = TestApp::start_on(db).await;
        let o = world(&app).await;
        let hm = app.login("hm").await;
        let token = hm.csrf().await;
        let path = format!("/openings/{o}/outcomes/deployments");

        let bad = post_multipart(
            &hm,
            &path,
            multipart(
                &token,
                &[("deployments", "d.csv", b"id,finished\nd1,yesterday-ish\n")],
            ),
        )
        .await;
        assert_eq!(
            bad.status,
            422,
            "{}",
            &bad.body[bad.body.find("<main").unwrap_or(0)..]
        );
        assert!(
            bad.body.contains("id=\"deployments-error\""),
            "{}",
            bad.body
        );
        assert!(bad.body.contains("d.csv:2"));
        assert!(bad.body.contains("Nothing was saved"));

        let big = vec![b'x'; multiplier_app::limits::MAX_INPUT_BYTES + 1];
        let res = post_multipart(
            &hm,
            "/openings/1/outcomes/prs",
            multipart(&token, &[("prs", "big.json", &big)]),
        )
        .await;
        assert_eq!(res.status, 422);
        assert!(res.body.contains("id=\"prs-error\""));
        assert!(res.body.contains("2097152 bytes"));

        let deploys = br#"[{"id": "d1", "finished": "2026-09-02T10:00:00Z", "change_times": ["2026-09-02T06:00:00Z"]},
            {"id": "d2", "finished": "2026-09-09T10:00:00Z", "change_times": ["2026-09-09T08:00:00Z"]}]"#;
        let incidents =
            b"id,created,resolved,deployment\nINC-1,2026-09-09T12:00:00Z,2026-09-09T13:00:00Z,\n";
        let ok = post_multipart(
            &hm,
            &path,
            multipart(
                &token,
                &[
                    ("deployments", "d.json", deploys),
                    ("incidents", "i.csv", incidents),
                ],
            ),
        )
        .await;
        assert_eq!(ok.status, 303, "{}", ok.body);
        let page = hm.get(&format!("/openings/{o}/outcomes")).await.body;
        assert!(page.contains("upload d.json + i.csv"));
        assert_eq!(
            svg_of(&page, "deployment-frequency")
                .matches("class=\"point\"")
                .count(),
            4
        );

        let prs = br#"[{"number": 1, "author": {"login": "a"}, "createdAt": "2026-03-02T09:00:00Z", "mergedAt": "2026-03-02T15:00:00Z", "closedAt": "2026-03-02T15:00:00Z", "isDraft": false, "reviews": [{"author": {"login": "b"}, "submittedAt": "2026-03-02T11:00:00Z"}]}]"#;
        let ok = post_multipart(
            &hm,
            &format!("/openings/{o}/outcomes/prs"),
            multipart(&token, &[("prs", "prs.json", prs)]),
        )
        .await;
        assert_eq!(ok.status, 303, "{}", ok.body);
        let page = hm.get(&format!("/openings/{o}/outcomes")).await.body;
        assert_eq!(
            svg_of(&page, "first-review")
                .matches("class=\"point\"")
                .count(),
            1
        );

        // Interviewers may not upload; a form without the token is refused.
        let ivy = app.login("ivy").await;
        let ivy_token = ivy.csrf().await;
        let res = post_multipart(
            &ivy,
            &path,
            multipart(&ivy_token, &[("deployments", "d.json", deploys)]),
        )
        .await;
        assert_eq!(res.status, 403);
        let res = post_multipart(
            &hm,
            &path,
            multipart("wrong", &[("deployments", "d.json", deploys)]),
        )
        .await;
        assert_eq!(res.status, 403);
    }
}

multiplier_store::each_backend! {
    async fn the_repository_is_set_on_the_page_and_a_server_without_git_says_so(db) {
        let app = TestApp::start_on(db).await;
        let o = world(&app).await;
        let hm = app.login("hm").await;
        let path = format!("/openings/{o}/outcomes/repository");
        let res = hm
            .post_form(&path, &[("path", ""), ("mode", "branch"), ("pattern", "")])
            .await;
        assert_eq!(res.status, 422, "{}", res.body);
        assert!(res.body.contains("id=\"repo-path-error\""));
        assert!(res.body.contains("id=\"repo-pattern-error\""));
        let res = hm
            .post_form(
                &path,
                &[
                    ("path", "/srv/git/team.git"),
                    ("mode", "tags"),
                    ("pattern", "v*"),
                ],
            )
            .await;
        assert_eq!(res.status, 303, "{}", res.body);
        let page = hm.get(&format!("/openings/{o}/outcomes")).await.body;
        assert!(page.contains("/srv/git/team.git"));
        assert!(
            page.contains("multiplier metrics snapshot --opening 1"),
            "this test server reads no repositories"
        );
        let res = hm
            .post_form(&format!("/openings/{o}/outcomes/snapshot"), &[])
            .await;
        assert_eq!(res.status, 409);
        let ivy = app.login("ivy").await;
        assert_eq!(ivy.post_form(&path, &[("clear", "yes")]).await.status, 403);
        let res = hm.post_form(&path, &[("clear", "yes")]).await;
        assert_eq!(res.status, 303);
        assert!(
            !hm.get(&format!("/openings/{o}/outcomes"))
                .await
                .body
                .contains("/srv/git/team.git")
        );
    }
}
