//! Signing in and out, CSRF on the sign-in form, rate limits, and what an
//! anonymous visitor gets.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod support;

use support::{PASSWORD, TestApp};

multiplier_store::each_backend! {
    async fn anonymous_pages_redirect_to_sign_in(db) {
        let app = TestApp::start_on(db).await;
        let c = app.anonymous();
        let page = c.get("/openings").await;
        assert_eq!(page.status, 303);
        assert_eq!(page.location.as_deref(), Some("/login?next=%2Fopenings"));
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn sign_in_needs_the_csrf_token(db) {
        let app = TestApp::start_on(db).await;
        let c = app.anonymous();
        let _ = c.get("/login").await;
        let res = c
            .post_form_raw("/login", &[("name", "hm"), ("password", PASSWORD)])
            .await;
        assert_eq!(res.status, 403, "{}", res.body);
        let res = c
            .post_form_raw(
                "/login",
                &[("name", "hm"), ("password", PASSWORD), ("csrf", "forged")],
            )
            .await;
        assert_eq!(res.status, 403);
        // With the real token it works, and the session then reaches a page.
        let res = c
            .post_form("/login", &[("name", "hm"), ("password", PASSWORD)])
            .await;
        assert_eq!(res.status, 303);
        assert_eq!(c.get("/openings").await.status, 200);
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn wrong_password_is_refused_without_saying_which_part_was_wrong(db) {
        let app = TestApp::start_on(db).await;
        let c = app.anonymous();
        let bad_password = c
            .post_form("/login", &[("name", "hm"), ("password", "not the one")])
            .await;
        let no_user = c
            .post_form("/login", &[("name", "nobody"), ("password", PASSWORD)])
            .await;
        assert_eq!(bad_password.status, 401);
        assert_eq!(no_user.status, 401);
        assert_eq!(c.get("/openings").await.status, 303);
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn repeated_failures_lock_the_name_even_with_the_right_password(db) {
        let app = TestApp::start_on(db).await;
        let c = app.anonymous();
        for _ in 0..multiplier_web::auth::MAX_FAILURES_PER_NAME {
            let res = c
                .post_form("/login", &[("name", "ivy"), ("password", "wrong guess")])
                .await;
            assert_eq!(res.status, 401);
        }
        let res = c
            .post_form("/login", &[("name", "ivy"), ("password", PASSWORD)])
            .await;
        assert_eq!(res.status, 429, "{}", res.body);
        // Another account from the same client is not locked by ivy's failures.
        let res = c
            .post_form("/login", &[("name", "ian"), ("password", PASSWORD)])
            .await;
        assert_eq!(res.status, 303);
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn sign_out_ends_the_session_and_needs_the_token(db) {
        let app = TestApp::start_on(db).await;
        let c = app.login("hm").await;
        assert_eq!(c.post_form_raw("/logout", &[]).await.status, 403);
        assert_eq!(c.get("/openings").await.status, 200);
        let res = c.post_form("/logout", &[]).await;
        assert_eq!(res.status, 303);
        assert_eq!(c.get("/openings").await.status, 303);
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn sign_in_returns_to_a_local_next_page_only(db) {
        let app = TestApp::start_on(db).await;
        let c = app.anonymous();
        let _ = c.get("/login?next=/candidates").await;
        let res = c
            .post_form(
                "/login?next=https://evil.example/",
                &[("name", "hm"), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(res.status, 303);
        let to = res.location.unwrap_or_default();
        assert!(!to.contains("evil"), "redirected off-site: {to}");
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn the_session_cookie_is_http_only_and_pages_carry_security_headers(db) {
        let app = TestApp::start_on(db).await;
        let res = reqwest::get(app.url("/login")).await.unwrap();
        let cookie = res
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        // Before sign-in only the sign-in token's cookie is set (no session).
        assert!(cookie.contains("multiplier_signin="), "{cookie}");
        assert!(cookie.contains("HttpOnly"), "{cookie}");
        assert!(cookie.contains("SameSite=Strict"), "{cookie}");
        let csp = res
            .headers()
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(csp.contains("frame-ancestors 'none'"));
        app.stop().await;
    }
}
