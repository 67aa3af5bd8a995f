//! The PostgreSQL backend: several servers on one database.
//!
//! The same store API as SQLite over the schema in `migrations/postgres` (the
//! same tables, with PostgreSQL's types). Queries are built at run time with
//! `$n` binds. Every write transaction first takes one transaction-scoped
//! advisory lock ([`WRITE_LOCK`]): writers run one at a time across every
//! server, as they do on SQLite (`BEGIN IMMEDIATE`), so each read-then-write
//! (the audit chain's last hash, "is this already done") sees the state it
//! writes over. Readers never wait for it.

mod accounts;
mod ats;
mod hiring;
mod lists;
mod mail;
mod maintenance;
mod metrics;
mod outcomes;
mod portal;
mod reports;
mod seed;
mod shared;
mod tokens;

use crate::{OpeningId, RoleId, RoleRecord, RoleStore, StoreError};
use multiplier_core::Role;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, PgRow};
use sqlx::{Postgres, Row, Transaction};
use std::str::FromStr;
use std::time::Duration;

pub(crate) use crate::sqlite::{now, timestamp};

type R<T> = Result<T, StoreError>;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// The advisory-lock key every write transaction holds until it ends
/// (`pg_advisory_xact_lock`); any number that no other application on the
/// same database uses ("mult" in ASCII).
pub(crate) const WRITE_LOCK: i64 = 0x6d75_6c74;

/// Connections per server unless `MULTIPLIER_DB_POOL` says otherwise.
pub const DEFAULT_POOL: u32 = 10;

/// A PostgreSQL database shared by any number of servers.
#[derive(Debug, Clone)]
pub struct PgStore {
    pub(crate) pool: PgPool,
}

impl PgStore {
    /// Connect to the database at a `postgres://` URL and apply pending
    /// migrations (sqlx holds an advisory lock while it migrates, so servers
    /// starting together do not migrate twice).
    pub async fn open(location: &str) -> R<Self> {
        let open_err = |source| StoreError::Open {
            location: crate::redact(location),
            source,
        };
        let options = PgConnectOptions::from_str(location).map_err(open_err)?;
        let size = std::env::var("MULTIPLIER_DB_POOL")
            .ok()
            .and_then(|v| v.trim().parse::<u32>().ok())
            .filter(|n| *n > 0)
            .unwrap_or(DEFAULT_POOL);
        let pool = PgPoolOptions::new()
            .max_connections(size)
            .acquire_timeout(Duration::from_secs(15))
            .connect_with(options)
            .await
            .map_err(open_err)?;
        MIGRATOR
            .run(&pool)
            .await
            .map_err(|source| StoreError::Migrate {
                location: crate::redact(location),
                source,
            })?;
        Ok(PgStore { pool })
    }

    /// Another pool of at most `connections` to the same database, for a
    /// server thread of its own (`multiplier_web::serve` with several threads):
    /// a connection's socket belongs to the event loop that opened it.
    /// Connections open at the first query; the migrations were applied when
    /// this store was opened.
    pub fn sibling(&self, connections: u32) -> PgStore {
        let options = (*self.pool.connect_options()).clone();
        let pool = PgPoolOptions::new()
            .max_connections(connections.max(1))
            .acquire_timeout(Duration::from_secs(15))
            .connect_lazy_with(options);
        PgStore { pool }
    }

    /// Close every connection.
    pub async fn close(&self) -> R<()> {
        self.pool.close().await;
        Ok(())
    }

    /// Start a write transaction holding [`WRITE_LOCK`].
    pub(crate) async fn begin(&self) -> R<Transaction<'static, Postgres>> {
        let mut tx = self
            .pool
            .begin()
            .await
            .map_err(StoreError::query("start a write transaction"))?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(WRITE_LOCK)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query("wait for the write lock"))?;
        Ok(tx)
    }
}

pub(crate) async fn commit(tx: Transaction<'_, Postgres>) -> R<()> {
    tx.commit()
        .await
        .map_err(StoreError::query("commit a transaction"))
}

pub(crate) use crate::error::{corrupt, decode, encode, missing_or};

pub(crate) fn get<T>(row: &PgRow, col: &str, what: &'static str) -> R<T>
where
    T: for<'r> sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres>,
{
    row.try_get(col).map_err(corrupt(what))
}

pub(crate) fn ts(row: &PgRow, col: &str, what: &'static str) -> R<jiff::Timestamp> {
    timestamp(&get::<String>(row, col, what)?)
}

/// Append one entry to the audit log inside `tx`, chained to the entry before
/// it; the transaction holds [`WRITE_LOCK`], so no entry slips in between.
pub(crate) async fn audit(
    tx: &mut Transaction<'_, Postgres>,
    actor: &str,
    action: &str,
    subject: String,
    detail: String,
) -> R<()> {
    use crate::maintenance::{ChainedFields, entry_hash};
    let prev: String = sqlx::query("SELECT hash FROM audit ORDER BY id DESC LIMIT 1")
        .fetch_optional(&mut **tx)
        .await
        .map_err(StoreError::query("read the last audit entry"))?
        .map(|row| row.try_get("hash"))
        .transpose()
        .map_err(corrupt("audit entry"))?
        .unwrap_or_default();
    let at = now();
    let id: i64 = sqlx::query(
        "INSERT INTO audit (at, actor, action, subject, detail, prev_hash) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(&at)
    .bind(actor)
    .bind(action)
    .bind(&subject)
    .bind(&detail)
    .bind(&prev)
    .fetch_one(&mut **tx)
    .await
    .map_err(StoreError::query("append to the audit log"))?
    .try_get("id")
    .map_err(corrupt("audit entry"))?;
    let hash = entry_hash(
        &prev,
        &ChainedFields {
            id,
            at: &at,
            actor,
            action,
            subject: &subject,
            detail: &detail,
        },
    );
    sqlx::query("UPDATE audit SET hash = $1 WHERE id = $2")
        .bind(hash)
        .bind(id)
        .execute(&mut **tx)
        .await
        .map_err(StoreError::query("seal an audit entry"))?;
    Ok(())
}

fn role_record(row: &PgRow) -> R<RoleRecord> {
    Ok(RoleRecord {
        id: RoleId(get(row, "id", "role row")?),
        title: get(row, "title", "role row")?,
        created_at: ts(row, "created_at", "role row")?,
        role_toml: get(row, "role_toml", "role row")?,
    })
}

async fn insert_role(tx: &mut Transaction<'_, Postgres>, actor: &str, role: &Role) -> R<RoleId> {
    let text = role.to_toml().map_err(|e| StoreError::Encode {
        what: "the role",
        detail: e.to_string(),
    })?;
    let id: i64 = sqlx::query(
        "INSERT INTO roles (title, role_toml, created_at) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(&role.title)
    .bind(text)
    .bind(now())
    .fetch_one(&mut **tx)
    .await
    .map_err(StoreError::query("store a role"))?
    .try_get("id")
    .map_err(StoreError::query("read a new role's id"))?;
    audit(
        tx,
        actor,
        "role.create",
        format!("role:{id}"),
        String::new(),
    )
    .await?;
    Ok(RoleId(id))
}

impl RoleStore for PgStore {
    async fn add_role(&self, actor: &str, role: &Role) -> R<RoleId> {
        let mut tx = self.begin().await?;
        let id = insert_role(&mut tx, actor, role).await?;
        commit(tx).await?;
        Ok(id)
    }

    async fn open_role(&self, actor: &str, role: &Role, manager: &str) -> R<(RoleId, OpeningId)> {
        let mut tx = self.begin().await?;
        let role_id = insert_role(&mut tx, actor, role).await?;
        let opening = hiring::insert_opening(&mut tx, actor, role_id, &role.title, manager).await?;
        commit(tx).await?;
        Ok((role_id, opening))
    }

    async fn role(&self, id: RoleId) -> R<Option<RoleRecord>> {
        sqlx::query("SELECT id, title, role_toml, created_at FROM roles WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(StoreError::query("read a role"))?
            .as_ref()
            .map(role_record)
            .transpose()
    }

    async fn roles(&self) -> R<Vec<RoleRecord>> {
        sqlx::query("SELECT id, title, role_toml, created_at FROM roles ORDER BY id")
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("list roles"))?
            .iter()
            .map(role_record)
            .collect()
    }
}
