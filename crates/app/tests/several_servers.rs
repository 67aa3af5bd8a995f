//! Two `App`s on one database, as two servers behind a load balancer: the
//! careers page's limit counts the applications sent to either, and the
//! periodic scans take turns.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use multiplier_app::{
    Account, App, ApplicationInput, Applied, MAX_APPLICATIONS_PER_CLIENT, Upload,
};
use multiplier_core::{Framework, Role};
use multiplier_store::testing::{Backend, TestDb};
use multiplier_store::{AccountRole, Scan, ScanStore};
use std::sync::Arc;

async fn app_on(db: &TestDb) -> App {
    App::new(
        db.open().await,
        Arc::new(Framework::default_framework().unwrap()),
    )
}

fn hm() -> Account {
    Account {
        name: "hm".into(),
        role: AccountRole::Admin,
    }
}

fn application(email: &str) -> ApplicationInput {
    ApplicationInput {
        name: "Robin Applicant".into(),
        email: email.into(),
        links: String::new(),
        cv: Some(Upload {
            file_name: "robin.pdf".into(),
            bytes: b"%PDF-1.7\n% a tiny CV\n".to_vec(),
        }),
        consent: true,
        honeypot: String::new(),
        sex: String::new(),
        race: String::new(),
    }
}

multiplier_store::each_backend! {
    async fn the_careers_page_limit_counts_applications_sent_to_either_server(db) {
        let a = app_on(&db).await;
        let b = app_on(&db).await;
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../examples/roles/payments-player-coach.toml"
        ))
        .unwrap();
        let role = Role::parse(a.framework(), "payments", &text).unwrap();
        let opening = a.open_role(&hm(), &role, None).await.unwrap().1;
        for i in 0..MAX_APPLICATIONS_PER_CLIENT {
            let server = if i % 2 == 0 { &a } else { &b };
            let r = server
                .apply(opening, &application(&format!("a{i}@example.com")), "9.9.9.9")
                .await
                .unwrap();
            assert!(matches!(r, Applied::Created(_)), "{r:?}");
        }
        // Each server has seen only some of them; together they are at the limit.
        for server in [&a, &b] {
            let over = server
                .apply(opening, &application("late@example.com"), "9.9.9.9")
                .await
                .unwrap();
            assert_eq!(over, Applied::TooMany);
        }
        let other = b.apply(opening, &application("x@example.com"), "1.1.1.1").await.unwrap();
        assert!(matches!(other, Applied::Created(_)), "another client is not held up");
    }

    async fn housekeeping_runs_on_one_server_at_a_time(db) {
        let a = app_on(&db).await;
        let b = app_on(&db).await;
        // Server B is in the middle of its round.
        let lease = b.store().try_scan(Scan::Housekeeping).await.unwrap().expect("free");
        let done = a.housekeeping().await;
        match db.backend() {
            // One file, one machine: every round runs.
            Backend::Sqlite => assert!(done.unwrap().is_some()),
            Backend::Postgres => assert!(done.unwrap().is_none(), "A skips B's round"),
        }
        lease.release().await.unwrap();
        let _ = a.store().try_scan(Scan::Reminders).await.unwrap().expect("other scans are free");
    }
}
