//! Several serving threads (`Config::threads`, `multiplier serve --threads`):
//! the connections are spread over threads that each run an event loop and a
//! pool of database connections of their own, and the server still behaves as
//! one. Every backend: one SQLite file; one PostgreSQL schema when
//! `MULTIPLIER_TEST_POSTGRES_URL` is set.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod support;

use multiplier_store::testing::TestDb;
use multiplier_web::Config;
use support::{PASSWORD, TestApp};

fn two_threads() -> Config {
    Config {
        threads: 2,
        pin_threads: true,
        ..Config::default()
    }
}

multiplier_store::each_backend! {
    async fn clients_on_every_thread_read_each_others_writes_and_the_server_stops_cleanly(db) {
        let app = TestApp::start_with_on(db, two_threads()).await;
        let port = app.base.rsplit(':').next().unwrap_or_default().to_string();

        // Each client keeps its one connection open between requests, and a
        // new connection goes to the thread holding the fewest, so these six
        // are shared between the two threads (threads.rs's unit tests check
        // the choice).
        let mut clients = Vec::new();
        for _ in 0..6 {
            clients.push(app.login("hm").await);
        }
        if let Some(n) = serving_threads(&port) {
            assert_eq!(n, 2, "two threads serve");
        }

        // A write through one client (an admin adds a person) is read through
        // every other, whichever thread holds its connection.
        let res = clients[0]
            .post_form(
                "/admin/accounts",
                &[("name", "zoe"), ("display_name", ""), ("role", "interviewer"), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(res.status, 303, "{}", res.body);
        for client in &clients {
            let page = client.get("/admin/accounts").await;
            assert_eq!(page.status, 200, "{}", page.body);
            assert!(page.body.contains("zoe"), "a client does not see the new account");
        }
        // And the new account signs in, on a connection of its own.
        app.login("zoe").await;

        // The server stops only once every serving thread has finished its
        // requests and closed its connections to the database.
        app.stop().await;
        if let Some(n) = serving_threads(&port) {
            assert_eq!(n, 0, "a serving thread outlived the server");
        }
    }
}

/// How many threads of this process serve the server on `port` (named
/// `serve-PORT-N`), where the system lists a process's threads (Linux).
fn serving_threads(port: &str) -> Option<usize> {
    let prefix = format!("serve-{port}-");
    let tasks = std::fs::read_dir("/proc/self/task").ok()?;
    Some(
        tasks
            .filter_map(Result::ok)
            .filter_map(|task| std::fs::read_to_string(task.path().join("comm")).ok())
            .filter(|name| name.trim_end().starts_with(&prefix))
            .count(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_in_memory_database_is_served_by_the_callers_runtime_alone() {
    let app = TestApp::start_with_on(TestDb::sqlite_in_memory(), two_threads()).await;
    let hm = app.login("hm").await;
    let page = hm.get("/admin/accounts").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("ivy"),
        "the accounts added before serving are not served"
    );
    let port = app.base.rsplit(':').next().unwrap_or_default().to_string();
    if let Some(n) = serving_threads(&port) {
        assert_eq!(
            n, 0,
            "an in-memory database has no other pool to serve from"
        );
    }
    app.stop().await;
}
