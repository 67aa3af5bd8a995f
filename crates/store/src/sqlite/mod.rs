//! The SQLite backend: the embedded default.

mod accounts;
mod ats;
mod hiring;
mod lists;
mod mail;
mod maintenance;
mod metrics;
mod outcomes;

pub(crate) use mail::fixed;
pub(crate) use maintenance::restore_file;
mod portal;
mod reports;
mod seed;
mod shared;
mod tokens;

use crate::{OpeningId, RoleId, RoleRecord, RoleStore, StoreError};
use jiff::Timestamp;
use multiplier_core::Role;
use sqlx::Row;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::str::FromStr;
use std::time::Duration;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

pub(crate) fn now() -> String {
    Timestamp::now().to_string()
}

/// A SQLite database, safe for several processes at once (WAL, busy timeout).
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pub(crate) pool: SqlitePool,
    /// An in-memory database exists only in the pool that made it.
    in_memory: bool,
}

impl SqliteStore {
    /// Open (creating if needed) the database at a path or `sqlite:` URL and apply
    /// pending migrations.
    pub async fn open(location: &str) -> Result<Self, StoreError> {
        let open_err = |source| StoreError::Open {
            location: location.to_string(),
            source,
        };
        let options = if location.starts_with("sqlite:") {
            SqliteConnectOptions::from_str(location).map_err(open_err)?
        } else {
            SqliteConnectOptions::new().filename(location)
        };
        let in_memory = location.contains(":memory:");
        let options = options
            .create_if_missing(true)
            .journal_mode(if in_memory {
                SqliteJournalMode::Memory
            } else {
                SqliteJournalMode::Wal
            })
            // FULL: a commit is on disk (the write-ahead log synced) before it is
            // acknowledged, so a power cut loses no acknowledged write.
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(15))
            .foreign_keys(true)
            // Deleted content is overwritten with zeros, not left in free space:
            // an erasure leaves no readable trace in the file.
            .pragma("secure_delete", "ON");
        // An in-memory database lives in one connection; keep the pool to it.
        let pool = SqlitePoolOptions::new()
            .max_connections(if in_memory { 1 } else { 4 })
            // No ping before handing out a connection: for SQLite it is one more
            // round trip to the connection's worker thread per query (a file
            // does not hang up like a server), and a broken connection still
            // fails its query and is dropped when released (docs/performance.md).
            .test_before_acquire(false)
            .connect_with(options)
            .await
            .map_err(open_err)?;
        MIGRATOR
            .run(&pool)
            .await
            .map_err(|source| StoreError::Migrate {
                location: location.to_string(),
                source,
            })?;
        let store = SqliteStore { pool, in_memory };
        store.seal_legacy_audit().await?;
        Ok(store)
    }

    /// Another pool of at most `connections` on the same file, for a server
    /// thread of its own (`multiplier_web::serve` with several threads).
    ///
    /// sqlx gives each SQLite connection a thread, started by the thread that
    /// opens the connection; a pool first used from one server thread keeps its
    /// database threads on that thread's core when that thread is bound to one.
    /// Connections open at the first query. The migrations were applied when
    /// this store was opened. `None` for an in-memory database.
    pub fn sibling(&self, connections: u32) -> Option<SqliteStore> {
        if self.in_memory {
            return None;
        }
        let options = (*self.pool.connect_options()).clone();
        let pool = SqlitePoolOptions::new()
            .max_connections(connections.max(1))
            .test_before_acquire(false)
            .connect_lazy_with(options);
        Some(SqliteStore {
            pool,
            in_memory: false,
        })
    }

    /// A connection of the pool for a background pass over much of the file
    /// (the retention scan, merging the search index), closed when dropped and
    /// with a cache of 16 pages. The pages such a pass reads would otherwise
    /// stay in an idle connection's cache, pages no request needs; and closing
    /// a connection with a full cache gives it back to the allocator, which
    /// keeps most of it (the freed blocks sit among others). A pass reads each
    /// page about once, so a larger cache would not speed it up. In memory it
    /// is a plain connection: there the one connection is the database.
    pub(crate) async fn pass_connection(
        &self,
        what: &'static str,
    ) -> Result<sqlx::pool::PoolConnection<sqlx::Sqlite>, StoreError> {
        let mut connection = self
            .pool
            .acquire()
            .await
            .map_err(StoreError::query("take a connection from the pool"))?;
        if !self.in_memory {
            connection.close_on_drop();
            sqlx::query("PRAGMA cache_size = -64")
                .execute(&mut *connection)
                .await
                .map_err(StoreError::query(what))?;
        }
        Ok(connection)
    }

    /// Close this pool's connections and leave the write-ahead log as it is:
    /// the end of a [`SqliteStore::sibling`], whose log the store that opened
    /// the file empties with [`SqliteStore::close`].
    pub async fn close_connections(&self) {
        self.pool.close().await;
    }

    /// Empty the write-ahead log into the main file, then close the pool (the
    /// last connection to close removes the log). For a clean shutdown.
    /// The pool closes even when the checkpoint fails; the error says why the log
    /// may remain (SQLite replays it on the next open, nothing is lost).
    pub async fn close(&self) -> Result<(), StoreError> {
        let flushed = crate::MaintenanceStore::checkpoint(self).await;
        self.pool.close().await;
        flushed
    }
}

pub(crate) fn timestamp(text: &str) -> Result<Timestamp, StoreError> {
    text.parse().map_err(|e: jiff::Error| StoreError::Corrupt {
        what: "timestamp",
        detail: format!("{text}: {e}"),
    })
}

fn role_record(row: &sqlx::sqlite::SqliteRow) -> Result<RoleRecord, StoreError> {
    let get = |e| StoreError::Corrupt {
        what: "role row",
        detail: format!("{e}"),
    };
    Ok(RoleRecord {
        id: RoleId(row.try_get("id").map_err(get)?),
        title: row.try_get("title").map_err(get)?,
        created_at: timestamp(row.try_get("created_at").map_err(get)?)?,
        role_toml: row.try_get("role_toml").map_err(get)?,
    })
}

/// Insert a role inside `tx` and append its audit entry.
async fn insert_role(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    actor: &str,
    role: &Role,
) -> Result<RoleId, StoreError> {
    let text = role.to_toml().map_err(|e| StoreError::Encode {
        what: "the role",
        detail: e.to_string(),
    })?;
    let id: i64 = sqlx::query(
        "INSERT INTO roles (title, role_toml, created_at) VALUES (?, ?, ?) RETURNING id",
    )
    .bind(&role.title)
    .bind(text)
    .bind(now())
    .fetch_one(&mut **tx)
    .await
    .map_err(StoreError::query("store a role"))?
    .try_get("id")
    .map_err(StoreError::query("read a new role's id"))?;
    hiring::audit(
        tx,
        actor,
        "role.create",
        format!("role:{id}"),
        String::new(),
    )
    .await?;
    Ok(RoleId(id))
}

impl RoleStore for SqliteStore {
    async fn add_role(&self, actor: &str, role: &Role) -> Result<RoleId, StoreError> {
        let mut tx = self.begin().await?;
        let id = insert_role(&mut tx, actor, role).await?;
        hiring::commit(tx).await?;
        Ok(id)
    }

    async fn open_role(
        &self,
        actor: &str,
        role: &Role,
        manager: &str,
    ) -> Result<(RoleId, OpeningId), StoreError> {
        let mut tx = self.begin().await?;
        let role_id = insert_role(&mut tx, actor, role).await?;
        let opening = hiring::insert_opening(&mut tx, actor, role_id, &role.title, manager).await?;
        hiring::commit(tx).await?;
        Ok((role_id, opening))
    }

    async fn role(&self, id: RoleId) -> Result<Option<RoleRecord>, StoreError> {
        sqlx::query("SELECT id, title, role_toml, created_at FROM roles WHERE id = ?")
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(StoreError::query("read a role"))?
            .as_ref()
            .map(role_record)
            .transpose()
    }

    async fn roles(&self) -> Result<Vec<RoleRecord>, StoreError> {
        sqlx::query("SELECT id, title, role_toml, created_at FROM roles ORDER BY id")
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("list roles"))?
            .iter()
            .map(role_record)
            .collect()
    }
}
