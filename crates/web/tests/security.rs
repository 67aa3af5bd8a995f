//! The server's side of issue 13: headers (HSTS with HTTPS, nothing cached),
//! sign-in (`next` only to this site, no session stored before sign-in, the CSRF
//! token rotated at sign-in, sessions ended by account changes), timeouts (a
//! connection that never finishes its request head is closed; a request that
//! takes too long gets 503), and erasure through `DELETE /api/v1/candidates/{id}`.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod support;

use multiplier_app::Actor;
use multiplier_store::AccountStore;
use multiplier_store::testing::TestDb;
use multiplier_web::Config;
use std::time::Duration;
use support::{PASSWORD, TestApp, csrf_in};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn header(app: &TestApp, client: &reqwest::Client, path: &str, name: &str) -> Option<String> {
    client
        .get(app.url(path))
        .send()
        .await
        .unwrap()
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

multiplier_store::each_backend! {
    async fn hsts_is_sent_only_over_https_and_nothing_but_static_files_is_cached(db) {
        let app = TestApp::start_on(db).await;
        let plain = reqwest::Client::new();
        assert_eq!(
            header(&app, &plain, "/login", "strict-transport-security").await,
            None
        );
        let c = app.login("hm").await;
        for path in [
            "/",
            "/openings",
            "/audit",
            "/api/v1/candidates",
            "/api/v1/session",
            "/login",
        ] {
            assert_eq!(
                header(&app, &c.http, path, "cache-control")
                    .await
                    .as_deref(),
                Some("no-store"),
                "{path}"
            );
        }
        let css = header(&app, &plain, "/static/app.css", "cache-control").await;
        assert!(css.unwrap_or_default().contains("max-age"));
        let backend = app.backend();
        app.stop().await;

        let app = TestApp::start_with_on(
            TestDb::on(backend).await.unwrap(),
            Config {
                secure_cookies: true,
                ..Config::default()
            },
        )
        .await;
        let hsts = header(&app, &plain, "/login", "strict-transport-security").await;
        assert_eq!(hsts.as_deref(), Some(multiplier_web::HSTS));
        let cookie = header(&app, &plain, "/login", "set-cookie").await.unwrap();
        assert!(cookie.contains("Secure"), "{cookie}");
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn next_accepts_only_a_path_on_this_site_and_anything_else_is_a_400(db) {
        let app = TestApp::start_on(db).await;
        let c = app.anonymous();
        for bad in [
            "/%09/evil.example",
            "//evil.example",
            "/%5Cevil.example",
            "https://evil.example/",
            "/%0d%0aSet-Cookie:%20x=y",
            "/%00",
            "/%C3%A9",
            "evil.example",
        ] {
            let res = c.get(&format!("/login?next={bad}")).await;
            assert_eq!(res.status, 400, "{bad}: {}", res.body);
        }
        // Posting a bad one is refused the same way, before any password is checked.
        let token = csrf_in(&c.get("/login").await.body).unwrap();
        let res = c
            .post_form_raw(
                "/login",
                &[
                    ("name", "hm"),
                    ("password", PASSWORD),
                    ("next", "/\t/evil.example"),
                    ("csrf", &token),
                ],
            )
            .await;
        assert_eq!(res.status, 400);
        let res = c
            .post_form_raw(
                "/login",
                &[
                    ("name", "hm"),
                    ("password", PASSWORD),
                    ("next", "/openings?x=1"),
                    ("csrf", &token),
                ],
            )
            .await;
        assert_eq!(res.status, 303);
        assert_eq!(res.location.as_deref(), Some("/openings?x=1"));
        app.stop().await;
    }
}

/// How many session rows are stored (counted by removing them all).
async fn sessions_stored(app: &TestApp) -> u64 {
    app.store().purge_sessions(i64::MAX).await.unwrap()
}

multiplier_store::each_backend! {
    async fn no_session_is_stored_before_sign_in_and_the_token_rotates_at_it(db) {
        let app = TestApp::start_on(db).await;
        let c = app.anonymous();
        for _ in 0..5 {
            c.get("/login").await;
            c.get("/api/v1/session").await;
            c.get("/openings").await;
        }
        let before = csrf_in(&c.get("/login").await.body).unwrap();
        let res = c
            .post_form_raw(
                "/login",
                &[
                    ("name", "hm"),
                    ("password", "wrong password!"),
                    ("csrf", &before),
                ],
            )
            .await;
        assert_eq!(res.status, 401);
        assert_eq!(
            sessions_stored(&app).await,
            0,
            "nothing stored before sign-in"
        );

        let res = c
            .post_form_raw(
                "/login",
                &[("name", "hm"), ("password", PASSWORD), ("csrf", &before)],
            )
            .await;
        assert_eq!(res.status, 303);
        let after = csrf_in(&c.get("/openings").await.body).unwrap();
        assert_ne!(before, after, "the token changes at sign-in");
        // The old token no longer works for a write.
        let res = c
            .post_form_raw("/openings/new", &[("title", ""), ("csrf", &before)])
            .await;
        assert_eq!(res.status, 403);
        assert_eq!(sessions_stored(&app).await, 1);
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn a_password_change_or_a_deactivation_signs_the_account_out_at_once(db) {
        let app = TestApp::start_on(db).await;
        let ivy = app.login("ivy").await;
        let ian = app.login("ian").await;
        assert_eq!(ivy.get("/openings").await.status, 200);
        app.state
            .app
            .set_password(&Actor::Operator, "ivy", "another long password")
            .await
            .unwrap();
        let res = ivy.get("/openings").await;
        assert_eq!(res.status, 303, "signed out");
        assert_eq!(ian.get("/openings").await.status, 200, "others stay");
        app.state
            .app
            .deactivate_account(&Actor::Operator, "ian")
            .await
            .unwrap();
        assert_eq!(ian.get("/openings").await.status, 303);
        // And a deactivated account cannot sign in again.
        let c = app.anonymous();
        let res = c
            .post_form("/login", &[("name", "ian"), ("password", PASSWORD)])
            .await;
        assert_eq!(res.status, 401);
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn a_connection_that_never_finishes_its_request_head_is_closed(db) {
        let app = TestApp::start_with_on(db, Config {
            header_read_timeout: Duration::from_millis(300),
            ..Config::default()
        })
        .await;
        let addr = app.base.trim_start_matches("http://").to_string();
        let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            .await
            .unwrap();
        // The server closes the connection; without the timeout this read would
        // wait forever (the outer bound only keeps a broken build from hanging).
        let mut buf = Vec::new();
        let read = tokio::time::timeout(Duration::from_secs(60), stream.read_to_end(&mut buf)).await;
        assert!(read.is_ok(), "the server kept a half-sent request open");
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn a_request_whose_body_never_arrives_is_answered_503_at_the_request_timeout(db) {
        let app = TestApp::start_with_on(db, Config {
            request_timeout: Duration::from_millis(300),
            ..Config::default()
        })
        .await;
        let addr = app.base.trim_start_matches("http://").to_string();
        let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
        // A sign-in form: its token is looked for in the body, which never comes.
        let cookie = format!("multiplier_signin={}", "a".repeat(64));
        let head = format!(
            "POST /login HTTP/1.1\r\nHost: x\r\nCookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nname="
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        let mut buf = [0u8; 64];
        let n = tokio::time::timeout(Duration::from_secs(60), stream.read(&mut buf))
            .await
            .expect("answered")
            .unwrap();
        let head = String::from_utf8_lossy(&buf[..n]);
        assert!(head.starts_with("HTTP/1.1 503"), "{head}");
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn delete_erases_a_candidate_with_a_reason_and_is_audited_without_the_data(db) {
        let app = TestApp::with_demo_on(db).await;
        let hm = app.login("hm").await;
        let before = hm.get("/api/v1/candidates/3").await.json();
        let name = before["candidate"]["name"].as_str().unwrap().to_string();
        let res = hm
            .send_json(
                reqwest::Method::DELETE,
                "/api/v1/candidates/3",
                &serde_json::json!({}),
            )
            .await;
        assert_eq!(res.status, 422, "{}", res.body);
        assert_eq!(res.json()["problems"][0]["field"], "reason");
        let res = hm
            .send_json(
                reqwest::Method::DELETE,
                "/api/v1/candidates/3?reason=because",
                &serde_json::json!({}),
            )
            .await;
        assert_eq!(res.status, 422);
        let res = hm
            .send_json(
                reqwest::Method::DELETE,
                "/api/v1/candidates/3?reason=withdrawn",
                &serde_json::json!({}),
            )
            .await;
        assert_eq!(res.status, 200, "{}", res.body);
        let body = res.json();
        assert_eq!(body["reason"], "withdrawn");
        assert_eq!(body["flushed"], true);
        assert!(body["records_deleted"].as_u64().unwrap() > 0);
        let after = hm.get("/api/v1/candidates/3").await.json();
        assert_eq!(after["candidate"]["name"], "Erased candidate 3");
        let audit = hm.get("/api/v1/audit?candidate=3").await.body;
        assert!(audit.contains("candidate.erase"), "{audit}");
        assert!(audit.contains("reason: withdrawn"));
        assert!(!audit.contains(&name));
        app.stop().await;
    }
}
