//! The store's role scenario, on SQLite and (when `MULTIPLIER_TEST_POSTGRES_URL`
//! is set) on PostgreSQL.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use multiplier_core::{Framework, Role};
use multiplier_store::{RoleId, RoleStore, SqliteStore, Store, StoreError, open};

const ROLE: &str = r#"
title = "Tech Lead, Search"
[context]
stack = "Rust, Tantivy"
[answers]
coding-share = "70/30"
team = { senior = 1, mid = 2 }
performance-reviews = false
architecture = "microservices"
mandate = "greenfield"
main-challenge = "scaling"
rituals = ["sprint-planning", "architecture-review"]
reports-to = "cto"
"#;

fn role(title: &str) -> (Framework, Role) {
    let fw = Framework::default_framework().expect("framework");
    let text = ROLE.replace("Tech Lead, Search", title);
    let role = Role::parse(&fw, "test", &text).expect("role");
    (fw, role)
}

fn db_path(dir: &tempfile::TempDir) -> String {
    dir.path().join("test.db").display().to_string()
}

multiplier_store::each_backend! {
    async fn a_stored_role_reads_back_equal(db) {
        let store = db.open().await;
        let (fw, role) = role("Tech Lead, Search");
        let id = store.add_role("hm", &role).await.expect("add");
        let record = store.role(id).await.expect("read").expect("present");
        assert_eq!(record.id, id);
        assert_eq!(record.title, "Tech Lead, Search");
        assert_eq!(record.role(&fw).expect("parses"), role);
        assert!(store.role(RoleId(id.0 + 1)).await.expect("read").is_none());
        let (_, opening) = store.open_role("hm", &role, "hm").await.expect("open a role");
        assert_eq!(store.roles().await.expect("list").len(), 2);
        assert!(opening.0 > 0);
    }
}

#[tokio::test]
async fn roles_persist_across_reopening_and_list_in_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = db_path(&dir);
    {
        let store = open(&path).await.expect("open");
        for title in ["A", "B", "C"] {
            store.add_role("hm", &role(title).1).await.expect("add");
        }
        let Store::Sqlite(s) = store else {
            unreachable!("a file path opens SQLite")
        };
        s.close().await.unwrap();
    }
    let store = open(&path)
        .await
        .expect("reopen applies no migration twice");
    let titles: Vec<String> = store
        .roles()
        .await
        .expect("list")
        .into_iter()
        .map(|r| r.title)
        .collect();
    assert_eq!(titles, ["A", "B", "C"]);
}

#[tokio::test]
async fn two_handles_writing_at_once_lose_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = db_path(&dir);
    let a = SqliteStore::open(&path).await.expect("open a");
    let b = SqliteStore::open(&path).await.expect("open b");
    let (_, r) = role("Concurrent");
    let write = |store: SqliteStore, r: Role| async move {
        let mut ids = Vec::new();
        for _ in 0..25 {
            ids.push(
                store
                    .add_role("hm", &r)
                    .await
                    .expect("no busy error under WAL and busy timeout"),
            );
        }
        ids
    };
    let (ia, ib) = tokio::join!(
        tokio::spawn(write(a.clone(), r.clone())),
        tokio::spawn(write(b.clone(), r.clone()))
    );
    let mut ids: Vec<RoleId> = ia
        .expect("task a")
        .into_iter()
        .chain(ib.expect("task b"))
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 50);
    assert_eq!(a.roles().await.expect("list").len(), 50);
}

#[tokio::test]
async fn an_in_memory_url_works_for_throwaway_use() {
    let store = open("sqlite::memory:").await.expect("open");
    let id = store.add_role("hm", &role("Memory").1).await.expect("add");
    assert!(store.role(id).await.expect("read").is_some());
}

#[tokio::test]
async fn an_unknown_scheme_is_refused_without_leaking_the_password() {
    let err = open("mysql://me:hunter2@localhost/db")
        .await
        .expect_err("unsupported");
    assert!(matches!(err, StoreError::Unsupported { .. }));
    let text = err.to_string();
    assert!(text.contains("mysql"));
    assert!(!text.contains("hunter2"));
}

#[tokio::test]
async fn a_path_in_a_missing_directory_fails_with_the_location() {
    let err = open("/nonexistent-dir/for/sure/x.db")
        .await
        .expect_err("cannot open");
    assert!(err.to_string().contains("/nonexistent-dir/for/sure/x.db"));
}
