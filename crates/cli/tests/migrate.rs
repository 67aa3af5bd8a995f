//! `multiplier migrate`: a seeded SQLite database copies into an empty
//! PostgreSQL database (progress per table on standard error, a JSON summary
//! with --format json), the target opens as a store with the same row counts
//! and an intact audit chain, and a second run into it is refused; a --from
//! that is not SQLite and a --to that is not PostgreSQL are refused with a
//! message saying what is expected. The copy runs when
//! MULTIPLIER_TEST_POSTGRES_URL is set (it says it is skipped otherwise).

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use assert_cmd::Command;
use multiplier_store::testing::TestDb;
use multiplier_store::{COPIED_TABLES, MaintenanceStore, RoleStore};
use sqlx::{Connection, Row};

fn multiplier() -> Command {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin!("multiplier"));
    c.env_remove("MULTIPLIER_USER").env_remove("MULTIPLIER_DB");
    c
}

fn stderr(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).to_string()
}

#[test]
fn a_source_that_is_not_sqlite_or_a_target_that_is_not_postgres_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("src.db");
    multiplier()
        .args([
            "demo",
            "seed",
            "--candidates",
            "3",
            "--openings",
            "1",
            "--db",
        ])
        .arg(&db)
        .assert()
        .success();
    let from = format!("sqlite:{}", db.display());

    let a = multiplier()
        .args([
            "migrate",
            "--from",
            "postgres://me:secret@db.internal/a",
            "--to",
            "postgres://me:secret@db.internal/b",
        ])
        .assert()
        .code(2);
    let said = stderr(&a);
    assert!(said.contains("--from") && said.contains("SQLite"), "{said}");

    let a = multiplier()
        .args(["migrate", "--from", &from, "--to", "sqlite:copy.db"])
        .assert()
        .code(2);
    let said = stderr(&a);
    assert!(
        said.contains("--to") && said.contains("PostgreSQL URL"),
        "{said}"
    );
    assert!(!dir.path().join("copy.db").exists());

    let a = multiplier()
        .args([
            "migrate",
            "--from",
            "sqlite:no-such.db",
            "--to",
            "postgres://me:secret@db.internal/b",
        ])
        .assert()
        .code(2);
    let said = stderr(&a);
    assert!(said.contains("no-such.db"), "{said}");
    assert!(!said.contains("secret"), "{said}");
}

#[test]
fn backup_and_restore_on_postgres_point_to_pg_dump_and_pg_restore() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("b.db");
    std::fs::write(&file, b"x").unwrap();
    let a = multiplier()
        .args([
            "--db",
            "postgres://me:secret@db.internal/multiplier",
            "restore",
        ])
        .arg(&file)
        .assert()
        .code(2);
    let said = stderr(&a);
    assert!(said.contains("pg_restore"), "{said}");
    assert!(!said.contains("secret"), "{said}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_seeded_sqlite_database_migrates_once_into_an_empty_postgres_database() {
    let Some(target) = TestDb::postgres().await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("seeded.db");
    multiplier()
        .args([
            "demo",
            "seed",
            "--candidates",
            "40",
            "--openings",
            "2",
            "--db",
        ])
        .arg(&db)
        .assert()
        .success();
    let from = format!("sqlite:{}", db.display());
    // The source's counts, read directly.
    let mut src = sqlx::SqliteConnection::connect(&from).await.unwrap();
    let mut counts = Vec::new();
    for table in COPIED_TABLES {
        let n: i64 = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
            .fetch_one(&mut src)
            .await
            .unwrap()
            .get(0);
        counts.push((table.to_string(), n));
    }
    src.close().await.unwrap();
    assert!(
        counts.iter().filter(|(_, n)| *n > 0).count() >= 10,
        "{counts:?}"
    );

    let a = multiplier()
        .args([
            "migrate",
            "--from",
            &from,
            "--to",
            target.location(),
            "--format",
            "json",
        ])
        .assert()
        .success();
    let report: serde_json::Value = serde_json::from_slice(&a.get_output().stdout).unwrap();
    assert_eq!(report["verified"], true, "{report}");
    let progress = stderr(&a);
    for table in COPIED_TABLES {
        assert!(
            progress.contains(&format!("rows of {table}\n")),
            "{progress}"
        );
    }
    let tables = report["tables"].as_array().unwrap();
    assert_eq!(tables.len(), COPIED_TABLES.len());
    for ((table, n), reported) in counts.iter().zip(tables) {
        assert_eq!(reported["table"], table.as_str());
        assert_eq!(reported["rows"].as_i64(), Some(*n), "{table}");
    }
    assert!(
        report["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["table"] == "search_docs"),
        "{report}"
    );

    // The target, opened as a store: the same counts, an intact chain ending
    // where the source's ends.
    let mut pg = sqlx::PgConnection::connect(target.location())
        .await
        .unwrap();
    for (table, n) in &counts {
        let m: i64 = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
            .fetch_one(&mut pg)
            .await
            .unwrap()
            .get(0);
        assert_eq!(m, *n, "rows of {table}");
    }
    pg.close().await.unwrap();
    let store = target.open().await;
    let check = store.verify_audit().await.unwrap();
    assert!(check.broken.is_none(), "{check:?}");
    assert_eq!(serde_json::json!(check.head), report["source_head"]);
    assert_eq!(
        store.roles().await.unwrap().len() as i64,
        counts.iter().find(|(t, _)| t == "roles").unwrap().1
    );
    store.close().await.unwrap();

    // Text output, and a second run into the same target is refused.
    let a = multiplier()
        .args(["migrate", "--from", &from, "--to", target.location()])
        .assert()
        .code(2);
    let said = stderr(&a);
    assert!(said.contains("not empty"), "{said}");

    // `backup` on the PostgreSQL database names pg_dump and writes nothing.
    let out = dir.path().join("pg-backup.db");
    let a = multiplier()
        .args(["--db", target.location(), "backup"])
        .arg(&out)
        .assert()
        .code(2);
    let said = stderr(&a);
    assert!(said.contains("pg_dump"), "{said}");
    assert!(!out.exists());
}
