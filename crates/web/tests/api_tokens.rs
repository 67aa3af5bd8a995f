//! API tokens on the JSON API: `Authorization: Bearer` on every API route with
//! no session and no CSRF token, scopes, expiry and revocation, what the audit
//! log keeps, that the CSRF check is skipped for bearer requests only, and the
//! admin page that issues them.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod support;

use multiplier_app::{Account, Actor, TokenDraft};
use multiplier_store::{AccountRole, AuditFilter, NewToken, TokenHash, TokenScope, TokenStore};
use reqwest::Method;
use serde_json::{Value, json};
use support::{Res, TestApp};

async fn issue(app: &TestApp, account: &str, scope: TokenScope) -> (i64, String) {
    let issued = app
        .state
        .app
        .create_token(
            &Actor::Operator,
            &TokenDraft {
                account: account.into(),
                label: "test".into(),
                scope,
                days: 1,
            },
        )
        .await
        .unwrap();
    (issued.record.id, issued.token)
}

/// A request with only the bearer token: no cookie jar, no CSRF header.
async fn bearer(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (Res, Option<String>) {
    let mut req = reqwest::Client::new()
        .request(method, app.url(path))
        .bearer_auth(token);
    if let Some(body) = body {
        req = req.json(&body);
    }
    let res = req.send().await.unwrap();
    let challenge = res
        .headers()
        .get("www-authenticate")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let status = res.status().as_u16();
    let content_type = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let body = res.text().await.unwrap();
    (
        Res {
            status,
            location: None,
            content_type,
            body,
        },
        challenge,
    )
}

fn intake() -> Value {
    json!({"intake": {"title": "Tech Lead, Payments", "answers": {
        "coding-share": 60, "team": {"senior": 1, "mid": 3}, "performance-reviews": false,
        "architecture": "monolith", "mandate": "legacy-modernisation",
        "main-challenge": "delivery-speed", "rituals": ["sprint-planning"],
        "reports-to": "engineering-manager"}}})
}

async fn audit(app: &TestApp) -> Vec<multiplier_store::AuditEntry> {
    app.state
        .app
        .audit_log(
            &Account {
                name: "hm".into(),
                role: AccountRole::Admin,
            },
            &AuditFilter::default(),
        )
        .await
        .unwrap()
}

multiplier_store::each_backend! {
    async fn a_read_write_token_reads_and_writes_as_its_account_without_csrf_and_is_audited(db) {
        let app = TestApp::start_on(db).await;
        let (id, token) = issue(&app, "hm", TokenScope::ReadWrite).await;

        let (who, _) = bearer(&app, &token, Method::GET, "/api/v1/session", None).await;
        assert_eq!(who.status, 200, "{}", who.body);
        assert_eq!(
            serde_json::from_str::<Value>(&who.body).unwrap()["name"],
            "hm"
        );

        let (made, _) = bearer(
            &app,
            &token,
            Method::POST,
            "/api/v1/openings",
            Some(intake()),
        )
        .await;
        assert_eq!(made.status, 201, "{}", made.body);
        let (list, _) = bearer(&app, &token, Method::GET, "/api/v1/openings", None).await;
        assert_eq!(list.status, 200);
        assert_eq!(
            serde_json::from_str::<Value>(&list.body).unwrap()["items"]
                .as_array()
                .unwrap()
                .len(),
            1
        );

        // The write is the account's; beside it, token.use names the token's id and
        // the route, never the token.
        let log = audit(&app).await;
        assert!(
            log.iter()
                .any(|e| e.actor == "hm" && e.action == "opening.create"),
            "{log:?}"
        );
        let uses: Vec<_> = log.iter().filter(|e| e.action == "token.use").collect();
        assert_eq!(
            uses.len(),
            1,
            "reads are not audited, the write is: {log:?}"
        );
        assert_eq!(uses[0].actor, "hm");
        assert_eq!(uses[0].subject, format!("token:{id}"));
        assert!(
            uses[0].detail.contains("POST /api/v1/openings"),
            "{}",
            uses[0].detail
        );
        assert!(log.iter().all(|e| !e.detail.contains(&token[4..])));

        // Its last use is kept.
        let tokens = app
            .state
            .app
            .api_tokens(&Actor::Operator, Some("hm"))
            .await
            .unwrap();
        assert!(tokens[0].last_used_at.is_some());
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn a_read_only_token_reads_and_is_refused_every_write_with_403(db) {
        let app = TestApp::start_on(db).await;
        let (_, token) = issue(&app, "hm", TokenScope::ReadOnly).await;
        let (read, _) = bearer(&app, &token, Method::GET, "/api/v1/openings", None).await;
        assert_eq!(read.status, 200, "{}", read.body);
        let (write, _) = bearer(
            &app,
            &token,
            Method::POST,
            "/api/v1/openings",
            Some(intake()),
        )
        .await;
        assert_eq!(write.status, 403, "{}", write.body);
        assert!(write.content_type.starts_with("application/problem+json"));
        assert!(write.body.contains("read-only"), "{}", write.body);
        let (tool, _) = bearer(
            &app,
            &token,
            Method::POST,
            "/api/v1/jd/lint",
            Some(json!({"text": "x"})),
        )
        .await;
        assert_eq!(tool.status, 403, "{}", tool.body);
        let log = audit(&app).await;
        assert!(
            log.iter()
                .all(|e| e.action != "opening.create" && e.action != "token.use"),
            "{log:?}"
        );
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn unknown_revoked_and_expired_tokens_get_the_same_401_with_a_bearer_challenge(db) {
        let app = TestApp::start_on(db).await;
        let (id, revoked) = issue(&app, "hm", TokenScope::ReadWrite).await;
        app.state
            .app
            .revoke_token(&Actor::Operator, id)
            .await
            .unwrap();
        // An expired one, written as the store would have kept it.
        let expired = "mpt_00000000000000000000000000000000000000000000000000000000000000ff";
        app.store()
            .create_token(
                "test",
                &NewToken {
                    account: "hm".into(),
                    label: "old".into(),
                    token_hash: TokenHash::of(expired),
                    scope: TokenScope::ReadWrite,
                    expires_at: jiff::Timestamp::now() - jiff::SignedDuration::from_secs(60),
                },
            )
            .await
            .unwrap();
        let unknown = "mpt_1234";
        let mut details = Vec::new();
        for token in [revoked.as_str(), expired, unknown, "not-even-ours"] {
            for (method, body) in [(Method::GET, None), (Method::POST, Some(intake()))] {
                let (res, challenge) =
                    bearer(&app, token, method.clone(), "/api/v1/openings", body).await;
                assert_eq!(res.status, 401, "{token} {method}: {}", res.body);
                assert!(res.content_type.starts_with("application/problem+json"));
                assert_eq!(challenge.as_deref(), Some("Bearer error=\"invalid_token\""));
                details.push(serde_json::from_str::<Value>(&res.body).unwrap()["detail"].clone());
            }
        }
        assert!(details.windows(2).all(|w| w[0] == w[1]), "{details:?}");
        assert!(
            audit(&app)
                .await
                .iter()
                .all(|e| e.action != "opening.create")
        );
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn only_bearer_requests_skip_csrf_and_a_bad_token_never_falls_back_to_the_session(db) {
        let app = TestApp::start_on(db).await;
        let hm = app.login("hm").await;
        // Signed in, no CSRF header: refused.
        let res = hm
            .http
            .post(app.url("/api/v1/openings"))
            .json(&intake())
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 403);
        // Signed in, a wrong token, no CSRF header: the token alone decides (401).
        let res = hm
            .http
            .post(app.url("/api/v1/openings"))
            .bearer_auth("mpt_wrong")
            .json(&intake())
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 401);
        // Signing in or out with a token is refused: those act on a session.
        let (_, token) = issue(&app, "hm", TokenScope::ReadWrite).await;
        let res = hm
            .http
            .delete(app.url("/api/v1/session"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 422);
        assert_eq!(hm.get("/openings").await.status, 200, "still signed in");
        // Pages never take a token.
        let res = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
            .get(app.url("/openings"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 303);
        let res = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
            .post(app.url("/admin/tokens/1/revoke"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.status().as_u16(),
            303,
            "a page POST with a token is not signed in: it is sent to the sign-in form"
        );
        assert!(
            audit(&app)
                .await
                .iter()
                .all(|e| e.action != "opening.create" && e.action != "token.revoke")
        );
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn an_admin_issues_a_token_on_the_page_sees_it_once_and_revokes_it(db) {
        let app = TestApp::start_on(db).await;
        let hm = app.login("hm").await;
        let res = hm
            .post_form(
                "/admin/tokens",
                &[
                    ("account", "ivy"),
                    ("label", "ats sync"),
                    ("scope", "read-only"),
                    ("days", "7"),
                ],
            )
            .await;
        assert_eq!(res.status, 201, "{}", res.body);
        let start = res.body.find("mpt_").expect("the token is shown");
        let token = res.body[start..start + 68].to_string();
        let (who, _) = bearer(&app, &token, Method::GET, "/api/v1/session", None).await;
        assert_eq!(
            serde_json::from_str::<Value>(&who.body).unwrap()["name"],
            "ivy"
        );

        let list = hm.get("/admin/tokens").await;
        assert_eq!(list.status, 200);
        assert!(list.body.contains("ats sync") && list.body.contains("read-only"));
        assert!(!list.body.contains(&token[4..]), "shown once only");

        let id = app
            .state
            .app
            .api_tokens(&Actor::Operator, Some("ivy"))
            .await
            .unwrap()[0]
            .id;
        let res = hm
            .post_form(&format!("/admin/tokens/{id}/revoke"), &[])
            .await;
        assert_eq!(res.status, 303, "{}", res.body);
        let (after, _) = bearer(&app, &token, Method::GET, "/api/v1/openings", None).await;
        assert_eq!(after.status, 401);

        // Interviewers may not see the page; an empty label is named.
        let ivy = app.login("ivy").await;
        assert_eq!(ivy.get("/admin/tokens").await.status, 403);
        let res = hm
            .post_form(
                "/admin/tokens",
                &[
                    ("account", "ivy"),
                    ("label", ""),
                    ("scope", "read-only"),
                    ("days", "7"),
                ],
            )
            .await;
        assert_eq!(res.status, 422);
        assert!(res.body.contains("label"));
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    /// A token's reads are noted as its last use at most once a minute (a write
    /// per API read queued behind SQLite's one writer under load); a write is
    /// noted every time.
    async fn a_tokens_reads_are_noted_once_a_minute_and_its_writes_every_time(db) {
        let app = TestApp::start_on(db).await;
        let (id, token) = issue(&app, "hm", TokenScope::ReadWrite).await;
        let last_use = || async {
            app.state
                .app
                .api_tokens(&Actor::Operator, Some("hm"))
                .await
                .unwrap()
                .into_iter()
                .find(|t| t.id == id)
                .and_then(|t| t.last_used_at)
        };
        assert_eq!(last_use().await, None);
        let (read, _) = bearer(&app, &token, Method::GET, "/api/v1/openings", None).await;
        assert_eq!(read.status, 200, "{}", read.body);
        let first = last_use().await.expect("the first read is noted");
        let (read, _) = bearer(&app, &token, Method::GET, "/api/v1/openings", None).await;
        assert_eq!(read.status, 200, "{}", read.body);
        assert_eq!(last_use().await, Some(first), "a second read within the minute is not");

        // A last use over a minute back: the next read is noted.
        let earlier = jiff::Timestamp::now() - jiff::SignedDuration::from_secs(61);
        app.store().token_used(id, earlier, None).await.unwrap();
        let (read, _) = bearer(&app, &token, Method::GET, "/api/v1/openings", None).await;
        assert_eq!(read.status, 200, "{}", read.body);
        let noted = last_use().await.expect("noted");
        assert!(noted > earlier, "{noted} after {earlier}");

        // A write within the minute is noted (and audited).
        let (made, _) = bearer(&app, &token, Method::POST, "/api/v1/openings", Some(intake())).await;
        assert_eq!(made.status, 201, "{}", made.body);
        assert!(last_use().await.expect("noted") > noted);
        app.stop().await;
    }
}
