//! Several servers, one database (issue 15, item 3): two real servers on the
//! same database (one SQLite file; one PostgreSQL schema when
//! `MULTIPLIER_TEST_POSTGRES_URL` is set) behave as one. A session begun on
//! one is good on the other, a write on one reads on the other, the sign-in
//! limiter counts the attempts made on both, and their delivery workers never
//! claim the same message.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod support;

use jiff::{SignedDuration, Timestamp};
use multiplier_app::MAX_FAILURES_PER_NAME;
use multiplier_store::{MailStore, NewMessage};
use std::collections::BTreeSet;
use support::{Client, PASSWORD, Res, TestApp, csrf_in};

/// POST a form as a signed-in admin, with the CSRF token read from the people
/// page (a page that needs only accounts, so this runs on every backend).
async fn admin_post(client: &Client, path: &str, fields: &[(&str, &str)]) -> Res {
    let page = client.get("/admin/accounts").await;
    let token = csrf_in(&page.body).unwrap_or_else(|| panic!("no CSRF token in: {}", page.body));
    let mut all = fields.to_vec();
    all.push(("csrf", &token));
    client.post_form_raw(path, &all).await
}

multiplier_store::each_backend! {
    async fn a_session_begun_on_one_server_is_good_on_the_other(db) {
        let a = TestApp::start_shared(db.location(), true).await;
        let b = TestApp::start_shared(db.location(), false).await;
        assert_ne!(a.base, b.base);

        let hm_a = a.login("hm").await;
        let hm_b = hm_a.on(&b);
        let page = hm_b.get("/admin/accounts").await;
        assert_eq!(page.status, 200, "signed in on B with A's cookie: {}", page.body);
        assert!(page.body.contains("ivy"));
        assert_eq!(b.anonymous().get("/admin/accounts").await.status, 303, "B still asks strangers to sign in");

        // A write on A (an admin adds a person) reads on B, and the new
        // account signs in on B.
        let res = admin_post(
            &hm_a,
            "/admin/accounts",
            &[("name", "zoe"), ("display_name", ""), ("role", "interviewer"), ("password", PASSWORD)],
        )
        .await;
        assert_eq!(res.status, 303, "{}", res.body);
        assert!(hm_b.get("/admin/accounts").await.body.contains("zoe"));
        b.login("zoe").await;

        // A write on B with the session's CSRF token (kept in the shared
        // session) reads on A.
        let res = admin_post(
            &hm_b,
            "/admin/accounts/zoe/edit",
            &[("display_name", ""), ("role", "interviewer"), ("email", "zoe@example.org")],
        )
        .await;
        assert_eq!(res.status, 303, "{}", res.body);
        assert!(hm_a.get("/admin/accounts").await.body.contains("zoe@example.org"));

        // Signing out on B ends the session on A too.
        let res = admin_post(&hm_b, "/logout", &[]).await;
        assert_eq!(res.status, 303);
        assert_eq!(hm_a.get("/admin/accounts").await.status, 303, "signed out everywhere");

        a.stop().await;
        b.stop().await;
    }

    async fn the_sign_in_limiter_counts_attempts_made_on_both_servers(db) {
        let a = TestApp::start_shared(db.location(), true).await;
        let b = TestApp::start_shared(db.location(), false).await;
        // Wrong passwords for ivy, alternating between the servers.
        for i in 0..MAX_FAILURES_PER_NAME {
            let server = if i % 2 == 0 { &a } else { &b };
            let res = server
                .anonymous()
                .post_form("/login", &[("name", "ivy"), ("password", "not her password")])
                .await;
            assert_eq!(res.status, 401, "failure {i} is refused as a mismatch");
        }
        // Neither server lets the right password through now: the failures
        // made on the other count too.
        for server in [&a, &b] {
            let res = server
                .anonymous()
                .post_form("/login", &[("name", "ivy"), ("password", PASSWORD)])
                .await;
            assert_eq!(res.status, 429, "{}", res.body);
        }
        // Another name is not held up.
        b.login("ian").await;
        a.stop().await;
        b.stop().await;
    }

    async fn two_servers_workers_never_claim_the_same_message(db) {
        let a = TestApp::start_shared(db.location(), true).await;
        let b = TestApp::start_shared(db.location(), false).await;
        const N: usize = 30;
        let batch: Vec<NewMessage> = (0..N)
            .map(|i| NewMessage {
                kind: "assigned".into(),
                candidate: None,
                recipient: format!("p{i}@example.com"),
                recipient_name: format!("Person {i}"),
                subject: format!("Message {i}"),
                body: "Hello".into(),
                calendar: None,
                dedupe_key: None,
            })
            .collect();
        let queued: BTreeSet<i64> = a.store().enqueue("hm", "", "", &batch).await.unwrap().into_iter().collect();
        assert_eq!(queued.len(), N);
        let now = Timestamp::now() + SignedDuration::from_secs(1);
        let mut workers = Vec::new();
        for app in [a.state.app.clone(), b.state.app.clone(), a.state.app.clone(), b.state.app.clone()] {
            workers.push(tokio::spawn(async move {
                let mut mine = Vec::new();
                while let Some(m) = app.claim_message(now).await.unwrap() {
                    mine.push(m.id);
                }
                mine
            }));
        }
        let mut claimed = Vec::new();
        for w in workers {
            claimed.extend(w.await.unwrap());
        }
        assert_eq!(claimed.len(), N, "each message claimed once: {claimed:?}");
        assert_eq!(claimed.into_iter().collect::<BTreeSet<_>>(), queued);
        a.stop().await;
        b.stop().await;
    }
}
