//! Fresh databases for tests, on each backend.
//!
//! [`TestDb::sqlite`] is a new file in a temporary directory; [`TestDb::postgres`]
//! is a new schema on the server named by `MULTIPLIER_TEST_POSTGRES_URL`
//! (dropped, with everything in it, when the value is dropped), or `None`,
//! saying so on standard error, when that variable is unset. The
//! [`each_backend!`](crate::each_backend) macro turns one scenario into a test
//! per backend.

// Test support: a database that cannot be made is a failed test, said loudly.
#![allow(clippy::panic)]

use std::sync::atomic::{AtomicU64, Ordering};

/// The variable naming the PostgreSQL server tests may use.
pub const POSTGRES_URL_VAR: &str = "MULTIPLIER_TEST_POSTGRES_URL";

/// Which backend a test database is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A fresh, empty database; gone when dropped.
#[derive(Debug)]
pub struct TestDb {
    location: String,
    backend: Backend,
    _dir: Option<tempfile::TempDir>,
    schema: Option<(String, String)>,
}

static NEXT: AtomicU64 = AtomicU64::new(0);

impl TestDb {
    /// A new SQLite file in its own temporary directory.
    pub fn sqlite() -> TestDb {
        let dir = match tempfile::tempdir() {
            Ok(dir) => dir,
            Err(e) => panic!("cannot make a temporary directory for a test database: {e}"),
        };
        let location = dir.path().join("test.db").display().to_string();
        TestDb {
            location,
            backend: Backend::Sqlite,
            _dir: Some(dir),
            schema: None,
        }
    }

    /// A new SQLite database in memory: it lives in one connection, and is
    /// gone with it.
    pub fn sqlite_in_memory() -> TestDb {
        TestDb {
            location: "sqlite::memory:".to_string(),
            backend: Backend::Sqlite,
            _dir: None,
            schema: None,
        }
    }

    /// A new schema on the PostgreSQL server named by `MULTIPLIER_TEST_POSTGRES_URL`,
    /// or `None` (printing why the test is skipped) when the variable is unset.
    /// Panics when the variable is set but the server refuses: a test that
    /// should run on PostgreSQL must not pass by skipping.
    pub async fn postgres() -> Option<TestDb> {
        let Ok(url) = std::env::var(POSTGRES_URL_VAR) else {
            eprintln!("skipped on PostgreSQL: {POSTGRES_URL_VAR} is not set");
            return None;
        };
        let schema = format!(
            "mt_{}_{}_{}",
            std::process::id(),
            jiff::Timestamp::now().as_microsecond(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        run_admin(&url, &format!("CREATE SCHEMA {schema}")).await;
        let sep = if url.contains('?') { '&' } else { '?' };
        let location = format!("{url}{sep}options=-c%20search_path%3D{schema}");
        Some(TestDb {
            location,
            backend: Backend::Postgres,
            _dir: None,
            schema: Some((url, schema)),
        })
    }

    /// A fresh database on `backend`; `None` for PostgreSQL when it is not configured.
    pub async fn on(backend: Backend) -> Option<TestDb> {
        match backend {
            Backend::Sqlite => Some(TestDb::sqlite()),
            Backend::Postgres => TestDb::postgres().await,
        }
    }

    /// What to give [`crate::open`] (or `--db`).
    pub fn location(&self) -> &str {
        &self.location
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Open the store on this database.
    pub async fn open(&self) -> crate::Store {
        match crate::open(&self.location).await {
            Ok(store) => store,
            Err(e) => panic!("cannot open the test database {}: {e:?}", self.location),
        }
    }
}

async fn run_admin(url: &str, sql: &str) {
    use sqlx::Connection;
    let mut conn = match sqlx::PgConnection::connect(url).await {
        Ok(conn) => conn,
        Err(e) => panic!("{POSTGRES_URL_VAR} is set but the server refuses: {e}"),
    };
    if let Err(e) = sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
        .execute(&mut conn)
        .await
    {
        panic!("cannot run `{sql}` on the test server: {e}");
    }
    let _ = conn.close().await;
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some((url, schema)) = self.schema.take() else {
            return;
        };
        // Drop runs outside any runtime we may block: do it on a thread of its own.
        let done = std::thread::spawn(move || {
            if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                rt.block_on(run_admin(&url, &format!("DROP SCHEMA {schema} CASCADE")));
            }
        });
        let _ = done.join();
    }
}

/// One scenario, one test per backend: `NAME::sqlite` always, `NAME::postgres`
/// when `MULTIPLIER_TEST_POSTGRES_URL` is set (it says it is skipped otherwise).
///
/// ```ignore
/// multiplier_store::each_backend! {
///     async fn roles_round_trip(db) {
///         let store = db.open().await;
///         // …
///     }
/// }
/// ```
#[macro_export]
macro_rules! each_backend {
    ($( $(#[doc = $doc:expr])* async fn $name:ident($db:ident) $body:block )*) => {$(
        $(#[doc = $doc])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn scenario($db: $crate::testing::TestDb) $body

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                scenario($crate::testing::TestDb::sqlite()).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(db) = $crate::testing::TestDb::postgres().await {
                    scenario(db).await
                }
            }
        }
    )*};
}
