//! What one pooled query costs, and where the time goes.
//!
//! Builds a scratch database of 10,000 candidates and times 20,000 point reads
//! (`SELECT … FROM candidates WHERE id = ?`, random ids) on a two-worker tokio
//! runtime, as the server runs them:
//!
//! - through the store itself ([`HiringStore::candidate`], the connect and pool
//!   options the server uses);
//! - through pools built here with one option changed at a time;
//! - on one connection held for the whole run (no pool at all), the floor of
//!   what sqlx can do: one hand-off to its SQLite worker thread and back.
//!
//! ```sh
//! cargo run --release -p multiplier-store --example query_overhead
//! QUERIES=50000 ROUNDS=5 cargo run --release -p multiplier-store --example query_overhead
//! DB=/tmp/big.db cargo run --release ...   # an existing database (only read),
//!                                          # e.g. from `multiplier demo seed`
//! ```
//!
//! Figures are quoted in docs/performance.md.

// An example that measures: a failure to set up is a panic with the reason.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use multiplier_store::{CandidateId, HiringStore, SqliteStore};
use rand::Rng;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Connection, Executor};
use std::time::{Duration, Instant};

const CANDIDATES: i64 = 10_000;
const QUERY: &str = "SELECT id, opening_id, name, email, internal, wants_leadership, gives_up, stage, created_at FROM candidates WHERE id = ?";

fn base(path: &std::path::Path) -> SqliteConnectOptions {
    SqliteConnectOptions::new()
        .filename(path)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .busy_timeout(Duration::from_secs(15))
        .foreign_keys(true)
        .pragma("secure_delete", "ON")
}

fn report(label: &str, n: usize, took: Duration) {
    let us = took.as_secs_f64() * 1e6 / n as f64;
    println!("{label:<58} {us:>7.1} µs/query");
}

async fn on_pool(label: &str, pool: &SqlitePool, n: usize) {
    let mut rng = rand::rng();
    // Warm: every connection opened, the statement prepared on each.
    for _ in 0..200 {
        let id = rng.random_range(1..=CANDIDATES);
        sqlx::query(QUERY)
            .bind(id)
            .fetch_optional(pool)
            .await
            .unwrap();
    }
    let start = Instant::now();
    for _ in 0..n {
        let id = rng.random_range(1..=CANDIDATES);
        let row = sqlx::query(QUERY)
            .bind(id)
            .fetch_optional(pool)
            .await
            .unwrap();
        assert!(row.is_some());
    }
    report(label, n, start.elapsed());
}

async fn pool(opts: SqliteConnectOptions, test_before_acquire: bool) -> SqlitePool {
    SqlitePoolOptions::new()
        .max_connections(4)
        .test_before_acquire(test_before_acquire)
        .connect_with(opts)
        .await
        .unwrap()
}

fn main() {
    let n: usize = std::env::var("QUERIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let given = std::env::var("DB").ok();
        let path = given
            .as_ref()
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| dir.path().join("overhead.db"));
        let store = SqliteStore::open(path.to_str().unwrap()).await.unwrap();
        if given.is_none() {
            let mut conn = sqlx::SqliteConnection::connect_with(&base(&path)).await.unwrap();
            let mut tx = conn.begin().await.unwrap();
            tx.execute("INSERT INTO roles (title, role_toml, created_at) VALUES ('r', '', '2026-01-01T00:00:00Z')").await.unwrap();
            tx.execute("INSERT INTO openings (role_id, title, manager, created_at) VALUES (1, 'o', 'priya', '2026-01-01T00:00:00Z')").await.unwrap();
            for i in 1..=CANDIDATES {
                sqlx::query("INSERT INTO candidates (opening_id, name, email, internal, stage, created_at) VALUES (1, ?, ?, 0, 'screen', '2026-01-01T00:00:00Z')")
                    .bind(format!("Candidate {i}"))
                    .bind(format!("c{i}@example.com"))
                    .execute(&mut *tx)
                    .await
                    .unwrap();
            }
            tx.commit().await.unwrap();
        }
        println!("{n} point reads of 1 of {CANDIDATES} candidates, one at a time, 2 tokio workers\n");

        let mut rng = rand::rng();
        for round in 1..=rounds {
        println!("round {round}");
        // 1. The store as the server uses it.
        for _ in 0..200 {
            store.candidate(CandidateId(rng.random_range(1..=CANDIDATES))).await.unwrap();
        }
        let start = Instant::now();
        for _ in 0..n {
            let c = store.candidate(CandidateId(rng.random_range(1..=CANDIDATES))).await.unwrap();
            assert!(c.is_some());
        }
        report("store.candidate() (the server's options)", n, start.elapsed());

        // 2. One change at a time.
        let p = pool(base(&path), true).await;
        on_pool("pool, sqlx defaults (test_before_acquire on)", &p, n).await;
        p.close().await;
        let p = pool(base(&path), false).await;
        on_pool("pool, test_before_acquire off", &p, n).await;
        p.close().await;
        let p = pool(base(&path).pragma("mmap_size", "268435456"), false).await;
        on_pool("pool, test_before_acquire off, mmap 256 MiB", &p, n).await;
        p.close().await;
        let p = pool(base(&path).pragma("cache_size", "-16384"), false).await;
        on_pool("pool, test_before_acquire off, cache 16 MiB", &p, n).await;
        p.close().await;

        }
        // 3. The floor: one connection held throughout, no pool.
        let mut conn = sqlx::SqliteConnection::connect_with(&base(&path)).await.unwrap();
        for _ in 0..200 {
            sqlx::query(QUERY).bind(1_i64).fetch_optional(&mut conn).await.unwrap();
        }
        let start = Instant::now();
        for _ in 0..n {
            let id = rng.random_range(1..=CANDIDATES);
            let row = sqlx::query(QUERY).bind(id).fetch_optional(&mut conn).await.unwrap();
            assert!(row.is_some());
        }
        report("one held connection, no pool", n, start.elapsed());
        let start = Instant::now();
        for _ in 0..n {
            conn.ping().await.unwrap();
        }
        report("  of which a bare round trip to the worker thread (ping)", n, start.elapsed());

        // Pages read from the file per query.
        for (label, sql) in [
            ("a candidate", QUERY),
            ("a candidate's scorecards", "SELECT id, body, submitted_at FROM scorecards WHERE candidate_id = ? ORDER BY id"),
        ] {
            let before = pages(&mut conn).await;
            for _ in 0..1000 {
                let id = rng.random_range(1..=CANDIDATES);
                sqlx::query(sql).bind(id).fetch_all(&mut conn).await.unwrap();
            }
            let after = pages(&mut conn).await;
            println!(
                "read calls (pages read from the file) per query, {label}, held connection: {:.1}",
                (after - before) as f64 / 1000.0
            );
        }
        let mut mapped = sqlx::SqliteConnection::connect_with(&base(&path).pragma("mmap_size", "268435456")).await.unwrap();
        let before = pages(&mut mapped).await;
        for _ in 0..1000 {
            let id = rng.random_range(1..=CANDIDATES);
            sqlx::query("SELECT id, body, submitted_at FROM scorecards WHERE candidate_id = ? ORDER BY id").bind(id).fetch_all(&mut mapped).await.unwrap();
        }
        let after = pages(&mut mapped).await;
        println!(
            "read calls per query, a candidate's scorecards, with mmap: {:.1}",
            (after - before) as f64 / 1000.0
        );
        mapped.close().await.unwrap();
        conn.close().await.unwrap();
        store.close().await.unwrap();
    });
}

/// Read calls made by this process so far (/proc/self/io): SQLite reads each
/// page it misses in its cache with one `pread`, so the difference over a run
/// counts the pages read from the file (the page cache of the OS still serves
/// them; without mmap each is a system call and a copy).
async fn pages(_conn: &mut sqlx::SqliteConnection) -> u64 {
    let io = std::fs::read_to_string("/proc/self/io").unwrap_or_default();
    io.lines()
        .find_map(|l| l.strip_prefix("syscr: "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0)
}
