//! Copying a SQLite database into an empty PostgreSQL one (`multiplier migrate`).
//!
//! Only the store knows both schemas, so the copy lives here. Every table of the
//! SQLite schema is named below, either in [`COPIED_TABLES`] (in foreign-key
//! order: a table comes after every table it points to) or in
//! [`SKIPPED_TABLES`] with the reason; a table in neither list stops the copy
//! before anything is written (and fails the store's `migrate` test), so a table
//! added by a later migration cannot be forgotten silently.
//!
//! The columns of each table are read from the target's schema (generated
//! columns left out) and must be exactly the source's: both schemas are at the
//! same version, since each backend applies its migrations when it opens. Each
//! value is converted by the target column's type: SQLite's 0/1 flags become
//! BOOLEAN, blobs BYTEA; ids are kept. Everything is read from one snapshot of
//! the source and written in batches inside one transaction on the target
//! (holding the write lock every PostgreSQL write takes), which also moves each
//! identity sequence past the highest copied id and compares the row counts of
//! every table before it commits. After the commit, the audit chain is walked on
//! the target.

use crate::maintenance::{AuditCheck, MaintenanceStore};
use crate::{PgStore, SqliteStore, StoreError};
use serde::Serialize;
use sqlx::sqlite::SqliteRow;
// Dynamic SQL here names only tables of the lists above and columns read from
// the target's own schema, always quoted; every value is bound.
use sqlx::{AssertSqlSafe, Postgres, QueryBuilder, Row, Sqlite, Transaction};
use std::collections::BTreeSet;
use std::path::Path;

type R<T> = Result<T, StoreError>;

/// Every table of the SQLite schema that is copied, parents before children.
///
/// `candidate_history` and `candidate_summary` come last. PostgreSQL's triggers
/// note each copied candidate's first stage and status in the history; those
/// rows are replaced by the source's, which go back to before the copy.
/// PostgreSQL's triggers also make a summary row for each
/// copied candidate and mark it stale as its scorecards, references,
/// assignments and resolutions arrive; those rows are replaced by the source's
/// own (its figures, generations and staleness), so the lists read the same
/// figures at once and the summary worker recomputes exactly what it would
/// have recomputed on SQLite.
pub const COPIED_TABLES: &[&str] = &[
    "roles",
    "openings",
    "candidates",
    "assignments",
    "scorecards",
    "evidence",
    "candidate_references",
    "flag_resolutions",
    "decisions",
    "offers",
    "onboarding_done",
    "audit",
    "metric_snapshots",
    "users",
    "sessions",
    "login_failures",
    "portal_links",
    "portal_work",
    "erasure_requests",
    "api_tokens",
    "candidate_notes",
    "candidate_files",
    "outbox",
    "outbox_attempts",
    "interviews",
    "interview_people",
    "interview_slots",
    "opening_repositories",
    "outcome_reminders",
    "self_identification",
    "rate_hits",
    "candidate_history",
    "candidate_summary",
    "summary_basis",
];

/// The tables whose rows the target's triggers make while others are copied:
/// each is emptied on the target just before the source's rows are copied into it.
const MADE_BY_TRIGGERS: &[&str] = &["candidate_history", "candidate_summary"];

/// Every table of the SQLite schema that is not copied, and why.
pub const SKIPPED_TABLES: &[(&str, &str)] = &[
    (
        "_sqlx_migrations",
        "each backend records its own migrations; the target applied its own when it opened",
    ),
    (
        "sqlite_sequence",
        "SQLite's own id counters; the target's identity sequences are moved past the copied ids instead",
    ),
    (
        "audit_legacy",
        "it marks where the entries written before the hash chain existed end; the store chains those when it opens the source, and the target keeps its own row saying it has none",
    ),
    (
        "search_docs",
        "the search index; the target's triggers rebuild its own search_docs, with their tsvector, from the names, scorecards, references and evidence as they are copied",
    ),
    (
        "search_text",
        "SQLite's FTS5 index: rebuilt on the target by its triggers",
    ),
    (
        "opening_counts",
        "each opening's number of candidates: the target's triggers count them as the openings and candidates are copied",
    ),
    (
        "stage_counts",
        "each opening's number of candidates by stage and status: the target's triggers count them as the candidates are copied",
    ),
    (
        "search_terms",
        "a view of the words in SQLite's FTS5 index, which holds no rows of its own",
    ),
    ("search_text_config", "part of SQLite's FTS5 index"),
    ("search_text_content", "part of SQLite's FTS5 index"),
    ("search_text_data", "part of SQLite's FTS5 index"),
    ("search_text_docsize", "part of SQLite's FTS5 index"),
    ("search_text_idx", "part of SQLite's FTS5 index"),
];

/// Tables on the target that may hold rows in an empty database.
const TARGET_BOOKKEEPING: &str = "_sqlx_migrations";

/// Rows read from the source and written to the target per statement.
const BATCH: i64 = 500;

/// One table copied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableCopied {
    pub table: String,
    /// Rows in the source, equal to the rows written to the target.
    pub rows: u64,
}

/// One table not copied, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableSkipped {
    pub table: String,
    pub why: String,
}

/// What a copy did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CopyReport {
    /// The tables copied, in the order they were written.
    pub tables: Vec<TableCopied>,
    /// The source's tables left out, with the reason (only those it has).
    pub skipped: Vec<TableSkipped>,
    /// The hash of the last audit entry copied (empty for an empty log): the
    /// target's chain must end there.
    pub source_head: String,
    /// The audit chain walked on the target after the commit.
    pub audit: AuditCheck,
}

impl CopyReport {
    /// Rows copied over every table.
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|t| t.rows).sum()
    }

    /// The copy is whole: the target's audit chain holds and ends where the
    /// source's did.
    pub fn verified(&self) -> bool {
        self.audit.broken.is_none() && self.audit.head == self.source_head
    }
}

/// The SQLite file a `--from` names, or why it cannot be a source.
fn source_path(from: &str) -> R<&str> {
    let scheme = from.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
    let path = match scheme.as_deref() {
        Some("sqlite") => from.get("sqlite://".len()..).unwrap_or_default(),
        Some(other) => {
            return Err(StoreError::Refused(format!(
                "--from must name a SQLite database (sqlite:PATH or a file path), not a `{other}` URL; the copy goes from SQLite to PostgreSQL only"
            )));
        }
        None => from.strip_prefix("sqlite:").unwrap_or(from),
    };
    let path = path.split('?').next().unwrap_or(path);
    if path.is_empty() || path.contains(":memory:") {
        return Err(StoreError::Refused(format!(
            "--from must name a SQLite database file; `{from}` names none"
        )));
    }
    if !Path::new(path).is_file() {
        return Err(StoreError::NotFound {
            what: "SQLite database file",
            id: path.to_string(),
        });
    }
    Ok(path)
}

/// Why a `--to` cannot be the target, if it cannot.
fn check_target(to: &str) -> R<()> {
    let scheme = to.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
    match scheme.as_deref() {
        Some("postgres" | "postgresql") => Ok(()),
        _ => Err(StoreError::Refused(format!(
            "--to must be a PostgreSQL URL (postgres://USER:PASSWORD@HOST/DATABASE), not `{}`; the copy goes from SQLite to PostgreSQL only",
            crate::redact(to)
        ))),
    }
}

/// Copy the SQLite database at `from` (a path or `sqlite:` URL) into the empty
/// PostgreSQL database at `to`, calling `progress` after each table. Refused
/// when `from` is not SQLite or does not exist, when `to` is not PostgreSQL,
/// when the target holds any row, or when the source has a table this version
/// does not know. Both databases are first brought up to date by their own
/// migrations. Nothing is written to the target unless every row count matches.
pub async fn copy_sqlite_to_postgres(
    from: &str,
    to: &str,
    mut progress: impl FnMut(&TableCopied),
) -> R<CopyReport> {
    let path = source_path(from)?;
    check_target(to)?;
    let source = SqliteStore::open(path).await?;
    let target = PgStore::open(to).await?;
    let result = copy(&source, &target, &mut progress).await;
    source.close().await?;
    let (tables, skipped, source_head) = result?;
    let audit = target.verify_audit().await?;
    target.close().await?;
    Ok(CopyReport {
        tables,
        skipped,
        source_head,
        audit,
    })
}

/// The source's tables, as SQLite lists them.
async fn source_tables(src: &mut Transaction<'_, Sqlite>) -> R<Vec<String>> {
    sqlx::query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .fetch_all(&mut **src)
        .await
        .map_err(StoreError::query("list the source's tables"))?
        .iter()
        .map(|r| r.try_get::<String, _>("name"))
        .collect::<Result<_, _>>()
        .map_err(crate::postgres::corrupt("source table name"))
}

type Copied = (Vec<TableCopied>, Vec<TableSkipped>, String);

async fn copy(
    source: &SqliteStore,
    target: &PgStore,
    progress: &mut impl FnMut(&TableCopied),
) -> R<Copied> {
    // One read transaction: every table is read from the same snapshot, even
    // if a server still writes to the file.
    let mut src = source
        .pool
        .begin()
        .await
        .map_err(StoreError::query("start reading the source"))?;
    let present = source_tables(&mut src).await?;
    let known: BTreeSet<&str> = COPIED_TABLES
        .iter()
        .copied()
        .chain(SKIPPED_TABLES.iter().map(|(t, _)| *t))
        .collect();
    let unknown: Vec<&str> = present
        .iter()
        .map(String::as_str)
        .filter(|t| !known.contains(t))
        .collect();
    if !unknown.is_empty() {
        return Err(StoreError::Refused(format!(
            "the source has tables this version does not know how to copy ({}); use the multiplier version that wrote it, or a newer one",
            unknown.join(", ")
        )));
    }
    let missing: Vec<&str> = COPIED_TABLES
        .iter()
        .copied()
        .filter(|t| !present.iter().any(|p| p == t))
        .collect();
    if !missing.is_empty() {
        return Err(StoreError::Refused(format!(
            "the source lacks the tables {}: it is not a multiplier database",
            missing.join(", ")
        )));
    }
    let skipped = SKIPPED_TABLES
        .iter()
        .filter(|(t, _)| present.iter().any(|p| p == t))
        .map(|(t, why)| TableSkipped {
            table: (*t).to_string(),
            why: (*why).to_string(),
        })
        .collect();
    let source_head: String = sqlx::query("SELECT hash FROM audit ORDER BY id DESC LIMIT 1")
        .fetch_optional(&mut *src)
        .await
        .map_err(StoreError::query("read the source's last audit entry"))?
        .map(|r| r.try_get("hash"))
        .transpose()
        .map_err(crate::postgres::corrupt("audit entry"))?
        .unwrap_or_default();

    let mut dst = target.begin().await?;
    refuse_unless_empty(&mut dst).await?;
    let mut tables = Vec::new();
    for table in COPIED_TABLES {
        let rows = copy_table(&mut src, &mut dst, table).await?;
        let done = TableCopied {
            table: (*table).to_string(),
            rows,
        };
        progress(&done);
        tables.push(done);
    }
    for table in COPIED_TABLES {
        move_sequence(&mut dst, table).await?;
    }
    for t in &tables {
        let written = count(&mut dst, &t.table).await?;
        if written != t.rows {
            return Err(StoreError::Refused(format!(
                "the copy of {} wrote {written} rows where the source has {}; nothing was written",
                t.table, t.rows
            )));
        }
    }
    crate::postgres::commit(dst).await?;
    src.rollback()
        .await
        .map_err(StoreError::query("finish reading the source"))?;
    Ok((tables, skipped, source_head))
}

/// A table name checked against the lists above, quoted for SQL.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

async fn count(dst: &mut Transaction<'_, Postgres>, table: &str) -> R<u64> {
    let n: i64 = sqlx::query(AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM {}",
        quoted(table)
    )))
    .fetch_one(&mut **dst)
    .await
    .map_err(StoreError::query("count the rows copied"))?
    .try_get(0)
    .map_err(crate::postgres::corrupt("row count"))?;
    Ok(u64::try_from(n).unwrap_or_default())
}

/// Refused when any table of the target holds a row, apart from the migration
/// bookkeeping and `audit_legacy`'s single row saying "no legacy entries".
async fn refuse_unless_empty(dst: &mut Transaction<'_, Postgres>) -> R<()> {
    let tables: Vec<String> = sqlx::query(
        "SELECT table_name::TEXT AS name FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
    )
    .fetch_all(&mut **dst)
    .await
    .map_err(StoreError::query("list the target's tables"))?
    .iter()
    .map(|r| r.try_get::<String, _>("name"))
    .collect::<Result<_, _>>()
    .map_err(crate::postgres::corrupt("target table name"))?;
    let mut holding = Vec::new();
    for table in &tables {
        let sql = match table.as_str() {
            TARGET_BOOKKEEPING => continue,
            "audit_legacy" => "SELECT COUNT(*) FILTER (WHERE up_to <> 0) + GREATEST(COUNT(*) - 1, 0) FROM audit_legacy".to_string(),
            _ => format!("SELECT COUNT(*) FROM (SELECT 1 FROM {} LIMIT 1) x", quoted(table)),
        };
        let n: i64 = sqlx::query(AssertSqlSafe(sql))
            .fetch_one(&mut **dst)
            .await
            .map_err(StoreError::query("check that the target is empty"))?
            .try_get(0)
            .map_err(crate::postgres::corrupt("row count"))?;
        if n > 0 {
            holding.push(table.as_str());
        }
    }
    if holding.is_empty() {
        Ok(())
    } else {
        Err(StoreError::Refused(format!(
            "the target database is not empty (rows in {}); migrate into a new, empty database (createdb), never over one in use",
            holding.join(", ")
        )))
    }
}

/// How a target column's values are read from SQLite and bound.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Int,
    Bool,
    Text,
    Bytes,
    Float,
}

enum Value {
    Int(Option<i64>),
    Bool(Option<bool>),
    Text(Option<String>),
    Bytes(Option<Vec<u8>>),
    Float(Option<f64>),
}

struct Column {
    name: String,
    kind: Kind,
    identity: bool,
}

/// The target table's columns that take values (not generated), with their kind.
async fn target_columns(dst: &mut Transaction<'_, Postgres>, table: &str) -> R<Vec<Column>> {
    let rows = sqlx::query(
        "SELECT column_name::TEXT AS name, data_type::TEXT AS type, is_identity = 'YES' AS identity \
         FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER' \
         ORDER BY ordinal_position",
    )
    .bind(table)
    .fetch_all(&mut **dst)
    .await
    .map_err(StoreError::query("read the target's columns"))?;
    let mut columns = Vec::new();
    for row in &rows {
        let name: String = row
            .try_get("name")
            .map_err(crate::postgres::corrupt("column name"))?;
        let ty: String = row
            .try_get("type")
            .map_err(crate::postgres::corrupt("column type"))?;
        let kind = match ty.as_str() {
            "bigint" | "integer" | "smallint" => Kind::Int,
            "boolean" => Kind::Bool,
            "text" => Kind::Text,
            "bytea" => Kind::Bytes,
            "double precision" | "real" => Kind::Float,
            other => {
                return Err(StoreError::Refused(format!(
                    "the target column {table}.{name} has the type {other}, which the copy does not know how to fill"
                )));
            }
        };
        let identity: bool = row
            .try_get("identity")
            .map_err(crate::postgres::corrupt("column identity"))?;
        columns.push(Column {
            name,
            kind,
            identity,
        });
    }
    Ok(columns)
}

async fn source_columns(src: &mut Transaction<'_, Sqlite>, table: &str) -> R<BTreeSet<String>> {
    sqlx::query("SELECT name FROM pragma_table_info(?)")
        .bind(table)
        .fetch_all(&mut **src)
        .await
        .map_err(StoreError::query("read the source's columns"))?
        .iter()
        .map(|r| r.try_get::<String, _>("name"))
        .collect::<Result<_, _>>()
        .map_err(crate::postgres::corrupt("column name"))
}

fn read_value(row: &SqliteRow, table: &str, col: &Column) -> R<Value> {
    let bad = |e: sqlx::Error| {
        StoreError::Refused(format!(
            "the source's {table}.{} holds a value that does not fit the target's column: {e}",
            col.name
        ))
    };
    let name = col.name.as_str();
    Ok(match col.kind {
        Kind::Int => Value::Int(row.try_get(name).map_err(bad)?),
        Kind::Bool => Value::Bool(
            row.try_get::<Option<i64>, _>(name)
                .map_err(bad)?
                .map(|v| v != 0),
        ),
        Kind::Text => Value::Text(row.try_get(name).map_err(bad)?),
        Kind::Bytes => Value::Bytes(row.try_get(name).map_err(bad)?),
        Kind::Float => Value::Float(row.try_get(name).map_err(bad)?),
    })
}

/// Copy one table in batches of [`BATCH`] rows; the rows read.
async fn copy_table(
    src: &mut Transaction<'_, Sqlite>,
    dst: &mut Transaction<'_, Postgres>,
    table: &str,
) -> R<u64> {
    let mut columns = target_columns(dst, table).await?;
    let theirs = source_columns(src, table).await?;
    // An id only PostgreSQL has (login_failures: SQLite names those rows by
    // their rowid) is left for the target to number.
    columns.retain(|c| theirs.contains(&c.name) || !c.identity);
    let ours: BTreeSet<String> = columns.iter().map(|c| c.name.clone()).collect();
    if ours != theirs {
        return Err(StoreError::Refused(format!(
            "the table {table} has the columns {} on SQLite and {} on PostgreSQL: the two databases are not at the same schema version",
            theirs.into_iter().collect::<Vec<_>>().join(", "),
            ours.into_iter().collect::<Vec<_>>().join(", ")
        )));
    }
    if MADE_BY_TRIGGERS.contains(&table) {
        sqlx::query(AssertSqlSafe(format!("DELETE FROM {}", quoted(table))))
            .execute(&mut **dst)
            .await
            .map_err(StoreError::query(
                "clear the rows the target's triggers made",
            ))?;
    }
    let list = columns
        .iter()
        .map(|c| quoted(&c.name))
        .collect::<Vec<_>>()
        .join(", ");
    let select = format!(
        "SELECT rowid AS copy_rowid, {list} FROM {} WHERE rowid > ? ORDER BY rowid LIMIT ?",
        quoted(table)
    );
    let mut after = i64::MIN;
    let mut copied = 0u64;
    loop {
        let rows = sqlx::query(AssertSqlSafe(select.as_str()))
            .bind(after)
            .bind(BATCH)
            .fetch_all(&mut **src)
            .await
            .map_err(StoreError::query("read the source"))?;
        let Some(last) = rows.last() else { break };
        after = last
            .try_get("copy_rowid")
            .map_err(crate::postgres::corrupt("source rowid"))?;
        let values = rows
            .iter()
            .map(|row| {
                columns
                    .iter()
                    .map(|c| read_value(row, table, c))
                    .collect::<R<Vec<_>>>()
            })
            .collect::<R<Vec<_>>>()?;
        let mut insert =
            QueryBuilder::<Postgres>::new(format!("INSERT INTO {} ({list}) ", quoted(table)));
        insert.push_values(values, |mut b, row| {
            for value in row {
                match value {
                    Value::Int(v) => b.push_bind(v),
                    Value::Bool(v) => b.push_bind(v),
                    Value::Text(v) => b.push_bind(v),
                    Value::Bytes(v) => b.push_bind(v),
                    Value::Float(v) => b.push_bind(v),
                };
            }
        });
        insert
            .build()
            .execute(&mut **dst)
            .await
            .map_err(|source| StoreError::Copy {
                table: table.to_string(),
                source,
            })?;
        copied += rows.len() as u64;
    }
    Ok(copied)
}

/// Move the table's identity sequence (if it has one) past its highest id, so
/// the next row the target inserts gets a new id.
async fn move_sequence(dst: &mut Transaction<'_, Postgres>, table: &str) -> R<()> {
    let identity: Option<String> = sqlx::query(
        "SELECT column_name::TEXT AS name FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name = $1 AND is_identity = 'YES'",
    )
    .bind(table)
    .fetch_optional(&mut **dst)
    .await
    .map_err(StoreError::query("find the target's identity columns"))?
    .map(|r| r.try_get("name"))
    .transpose()
    .map_err(crate::postgres::corrupt("column name"))?;
    let Some(column) = identity else {
        return Ok(());
    };
    sqlx::query(AssertSqlSafe(format!(
        "SELECT setval(pg_get_serial_sequence($1, $2), COALESCE(MAX({col}), 0) + 1, false) FROM {tbl}",
        col = quoted(&column),
        tbl = quoted(table)
    )))
    .bind(quoted(table))
    .bind(&column)
    .execute(&mut **dst)
    .await
    .map_err(StoreError::query("move an id sequence past the copied ids"))?;
    Ok(())
}
