//! Bulk seeding on SQLite: one `BEGIN IMMEDIATE` transaction per batch, one
//! insert per candidate and one per table for the rest of the batch (rows
//! read from JSON), the statements prepared once and reused (sqlx's statement
//! cache), one audit entry per batch.

use super::SqliteStore;
use super::hiring::{audit, commit, encode, missing_or};
use crate::seed::{SeedCandidate, SeedCounts, SeedStore};
use crate::{CandidateId, OpeningId, StoreError};
use serde_json::Value;
use sqlx::{AssertSqlSafe, Connection, Row, SqliteConnection};

type R<T> = Result<T, StoreError>;

impl SeedStore for SqliteStore {
    async fn after_bulk_load(&self) -> R<()> {
        Ok(())
    }

    async fn is_empty(&self) -> R<bool> {
        let row = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM roles)
                  + (SELECT COUNT(*) FROM openings) + (SELECT COUNT(*) FROM candidates) AS n",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(StoreError::query("count what the database holds"))?;
        let n: i64 = row
            .try_get("n")
            .map_err(StoreError::query("count what the database holds"))?;
        Ok(n == 0)
    }

    /// On a connection that keeps its temporary files in memory for the batch
    /// (`temp_store`, set back to what it was afterwards, whether the batch
    /// was written or not). An insert that fires triggers keeps a statement
    /// journal, a copy of every page it changes so that it alone can be undone;
    /// beyond 64 KiB SQLite writes that journal to a temporary file, and a
    /// batch wrote about 470 pages per candidate there, two system calls each
    /// (docs/performance.md). The server's connections keep the default.
    async fn seed_batch(
        &self,
        actor: &str,
        opening: OpeningId,
        batch: &[SeedCandidate],
    ) -> R<(Vec<CandidateId>, SeedCounts)> {
        let mut conn = self
            .pool
            .acquire()
            .await
            .map_err(StoreError::query("take a connection to seed"))?;
        let kept: i64 = sqlx::query_scalar("PRAGMA temp_store")
            .fetch_one(&mut *conn)
            .await
            .map_err(StoreError::query("read where temporary files go"))?;
        sqlx::query("PRAGMA temp_store = MEMORY")
            .execute(&mut *conn)
            .await
            .map_err(StoreError::query("keep temporary files in memory to seed"))?;
        let written = write_batch(&mut conn, actor, opening, batch).await;
        let restored = sqlx::query(AssertSqlSafe(format!("PRAGMA temp_store = {kept}")))
            .execute(&mut *conn)
            .await
            .map_err(StoreError::query("set where temporary files go back"));
        let written = written?;
        restored?;
        Ok(written)
    }
}

/// One batch in one `BEGIN IMMEDIATE` transaction on `conn`: one insert per
/// candidate (for its id), then each table's rows for the whole batch, a
/// statement per thousand rows that reads them from a JSON array
/// ([`insert_rows`]).
///
/// With a statement per row (about 27 per candidate), a batch was thousands
/// of round trips to sqlx's worker thread, each two thread switches: under
/// `perf`, `demo seed --candidates 2000` spent 40% of its time in the kernel
/// switching and waking threads (docs/performance.md).
async fn write_batch(
    conn: &mut SqliteConnection,
    actor: &str,
    opening: OpeningId,
    batch: &[SeedCandidate],
) -> R<(Vec<CandidateId>, SeedCounts)> {
    let mut tx = conn
        .begin_with("BEGIN IMMEDIATE")
        .await
        .map_err(StoreError::query("start a write transaction"))?;
    let mut ids = Vec::with_capacity(batch.len());
    let mut n = SeedCounts::default();
    let mut rows = BatchRows::default();
    for c in batch {
        let at = c.created_at.to_string();
        let id: i64 = sqlx::query(
            "INSERT INTO candidates (opening_id, name, email, internal, wants_leadership, gives_up, stage, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(opening.0)
        .bind(&c.candidate.name)
        .bind(&c.candidate.email)
        .bind(i64::from(c.candidate.internal))
        .bind(&c.candidate.wants_leadership)
        .bind(&c.candidate.gives_up)
        .bind(&c.candidate.stage)
        .bind(&at)
        .fetch_one(&mut *tx)
        .await
        .map_err(missing_or("opening", opening.to_string(), "seed a candidate"))?
        .try_get("id")
        .map_err(StoreError::query("read a seeded candidate's id"))?;
        ids.push(CandidateId(id));
        rows.add(id, &at, c)?;
    }
    n.candidates = ids.len();
    n.assignments = rows.assignments.len();
    n.scorecards = rows.scorecards.len();
    n.references = rows.references.len();
    n.evidence = rows.evidence.len();
    n.decisions = rows.decisions.len();
    n.offers = rows.offers.len();
    let tables = [
        (
            "INSERT OR IGNORE INTO assignments (candidate_id, stage, interviewer, created_at)",
            &rows.assignments,
            "seed the assignments",
        ),
        (
            "INSERT INTO scorecards (candidate_id, stage, interviewer, version, body, submitted_at)",
            &rows.scorecards,
            "seed the scorecards",
        ),
        (
            "INSERT INTO candidate_references (candidate_id, body, recorded_by, created_at)",
            &rows.references,
            "seed the references",
        ),
        (
            "INSERT INTO evidence (candidate_id, kind, source, body, created_at)",
            &rows.evidence,
            "seed the evidence",
        ),
        (
            "INSERT INTO decisions (candidate_id, decided_by, outcome, rationale, meets_bar, created_at)",
            &rows.decisions,
            "seed the decisions",
        ),
        (
            "INSERT INTO offers (candidate_id, body, status, start_date, created_at)",
            &rows.offers,
            "seed the offers",
        ),
    ];
    for (insert, table_rows, what) in tables {
        insert_rows(&mut tx, insert, table_rows, what).await?;
    }
    audit(
        &mut tx,
        actor,
        "demo.seed",
        format!("opening:{opening}"),
        n.audit_detail(),
    )
    .await?;
    commit(tx).await?;
    Ok((ids, n))
}

/// A batch's rows for each table under its candidates, in the columns'
/// order of the inserts in [`write_batch`]: each cell a JSON text, whole
/// number or `null`.
#[derive(Default)]
struct BatchRows {
    assignments: Vec<Vec<Value>>,
    scorecards: Vec<Vec<Value>>,
    references: Vec<Vec<Value>>,
    evidence: Vec<Vec<Value>>,
    decisions: Vec<Vec<Value>>,
    offers: Vec<Vec<Value>>,
}

impl BatchRows {
    /// What `c` (seeded as `id` at `at`) holds besides itself.
    fn add(&mut self, id: i64, at: &str, c: &SeedCandidate) -> R<()> {
        for (stage, interviewer) in &c.assignments {
            self.assignments.push(vec![
                id.into(),
                stage.as_str().into(),
                interviewer.as_str().into(),
                at.into(),
            ]);
        }
        for (card, when) in &c.scorecards {
            self.scorecards.push(vec![
                id.into(),
                card.stage.as_str().into(),
                card.interviewer.as_str().into(),
                i64::from(card.version).into(),
                encode("scorecard", card)?.into(),
                when.to_string().into(),
            ]);
        }
        for (reference, by) in &c.references {
            self.references.push(vec![
                id.into(),
                encode("reference", reference)?.into(),
                by.as_str().into(),
                at.into(),
            ]);
        }
        for (kind, source, body) in &c.evidence {
            self.evidence.push(vec![
                id.into(),
                kind.as_str().into(),
                source.as_str().into(),
                encode("evidence", body)?.into(),
                at.into(),
            ]);
        }
        if let Some(d) = &c.decision {
            self.decisions.push(vec![
                id.into(),
                d.by.as_str().into(),
                d.outcome.id().into(),
                d.rationale.as_str().into(),
                i64::from(d.meets_bar).into(),
                at.into(),
            ]);
        }
        if let Some(o) = &c.offer {
            self.offers.push(vec![
                id.into(),
                encode("offer", &o.body)?.into(),
                o.status.as_str().into(),
                o.start.map(|d| d.to_string()).into(),
                at.into(),
            ]);
        }
        Ok(())
    }
}

/// `insert` (an `INSERT INTO table (columns)`, one column per cell of a row)
/// of every row of `rows`, [`ROWS_PER_INSERT`] to a statement: the rows go as one JSON
/// array of arrays and SQL takes each cell back out (`->>` gives a JSON text
/// as SQL text, a number as an integer, `null` as NULL). Each row fires the
/// table's triggers as a row inserted on its own does.
async fn insert_rows(
    tx: &mut SqliteConnection,
    insert: &str,
    rows: &[Vec<Value>],
    what: &'static str,
) -> R<()> {
    let Some(width) = rows.first().map(Vec::len) else {
        return Ok(());
    };
    let cells: Vec<String> = (0..width).map(|i| format!("value ->> {i}")).collect();
    let sql = format!("{insert} SELECT {} FROM json_each(?)", cells.join(", "));
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        sqlx::query(AssertSqlSafe(sql.clone()))
            .bind(encode(what, &chunk)?)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query(what))?;
    }
    Ok(())
}

/// Rows in one statement of [`insert_rows`]: a thousand scorecards are about
/// 3 MB of JSON, which SQLite parses whole. All of a batch's scorecards in
/// one statement (about 5,500) took the seed's peak memory from 50–135 MB to
/// 213 MB.
const ROWS_PER_INSERT: usize = 1000;

#[cfg(test)]
mod tests {
    // Test code may panic: a panic is a failed test.
    #![allow(clippy::expect_used, clippy::unwrap_used)]

    use super::*;
    use crate::NewCandidate;
    use crate::testing::TestDb;

    /// `temp_store` on every connection the pool holds.
    async fn temp_stores(store: &SqliteStore) -> Vec<i64> {
        let mut held = Vec::new();
        for _ in 0..4 {
            held.push(store.pool.acquire().await.unwrap());
        }
        let mut out = Vec::new();
        for conn in &mut held {
            out.push(
                sqlx::query_scalar("PRAGMA temp_store")
                    .fetch_one(&mut **conn)
                    .await
                    .unwrap(),
            );
        }
        out
    }

    #[tokio::test]
    async fn a_seed_batch_leaves_its_connection_as_it_found_it() {
        let db = TestDb::sqlite();
        let store = SqliteStore::open(db.location()).await.unwrap();
        let default = temp_stores(&store).await;
        assert_eq!(
            default,
            [0, 0, 0, 0],
            "SQLite's default: temporary files on disk"
        );
        let stranger = SeedCandidate::new(
            NewCandidate {
                opening: OpeningId(999),
                name: "Nobody".into(),
                email: None,
                internal: false,
                wants_leadership: None,
                gives_up: None,
                stage: "screen".into(),
            },
            jiff::Timestamp::UNIX_EPOCH,
        );
        // A batch that fails (no such opening) and one that is written.
        assert!(matches!(
            store.seed_batch("seed", OpeningId(999), &[stranger]).await,
            Err(StoreError::NotFound {
                what: "opening",
                ..
            })
        ));
        assert_eq!(temp_stores(&store).await, default, "after a failed batch");
        store.seed_batch("seed", OpeningId(999), &[]).await.unwrap();
        assert_eq!(temp_stores(&store).await, default, "after a written batch");
    }
}
