//! Bulk seeding on SQLite: one `BEGIN IMMEDIATE` transaction per batch, the
//! statements prepared once and reused (sqlx's statement cache), one audit
//! entry per batch.

use super::SqliteStore;
use super::hiring::{audit, commit, encode, missing_or};
use crate::seed::{SeedCandidate, SeedCounts, SeedStore};
use crate::{CandidateId, OpeningId, StoreError};
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

/// One batch in one `BEGIN IMMEDIATE` transaction on `conn`.
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
        n.candidates += 1;
        for (stage, interviewer) in &c.assignments {
            sqlx::query("INSERT OR IGNORE INTO assignments (candidate_id, stage, interviewer, created_at) VALUES (?, ?, ?, ?)")
                .bind(id)
                .bind(stage)
                .bind(interviewer)
                .bind(&at)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::query("seed an assignment"))?;
            n.assignments += 1;
        }
        for (card, when) in &c.scorecards {
            sqlx::query("INSERT INTO scorecards (candidate_id, stage, interviewer, version, body, submitted_at) VALUES (?, ?, ?, ?, ?, ?)")
                .bind(id)
                .bind(&card.stage)
                .bind(&card.interviewer)
                .bind(i64::from(card.version))
                .bind(encode("scorecard", card)?)
                .bind(when.to_string())
                .execute(&mut *tx)
                .await
                .map_err(StoreError::query("seed a scorecard"))?;
            n.scorecards += 1;
        }
        for (reference, by) in &c.references {
            sqlx::query("INSERT INTO candidate_references (candidate_id, body, recorded_by, created_at) VALUES (?, ?, ?, ?)")
                .bind(id)
                .bind(encode("reference", reference)?)
                .bind(by)
                .bind(&at)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::query("seed a reference"))?;
            n.references += 1;
        }
        for (kind, source, body) in &c.evidence {
            sqlx::query("INSERT INTO evidence (candidate_id, kind, source, body, created_at) VALUES (?, ?, ?, ?, ?)")
                .bind(id)
                .bind(kind)
                .bind(source)
                .bind(encode("evidence", body)?)
                .bind(&at)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::query("seed evidence"))?;
            n.evidence += 1;
        }
        if let Some(d) = &c.decision {
            sqlx::query("INSERT INTO decisions (candidate_id, decided_by, outcome, rationale, meets_bar, created_at) VALUES (?, ?, ?, ?, ?, ?)")
                .bind(id)
                .bind(&d.by)
                .bind(d.outcome.id())
                .bind(&d.rationale)
                .bind(i64::from(d.meets_bar))
                .bind(&at)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::query("seed a decision"))?;
            n.decisions += 1;
        }
        if let Some(o) = &c.offer {
            sqlx::query("INSERT INTO offers (candidate_id, body, status, start_date, created_at) VALUES (?, ?, ?, ?, ?)")
                .bind(id)
                .bind(encode("offer", &o.body)?)
                .bind(&o.status)
                .bind(o.start.map(|d| d.to_string()))
                .bind(&at)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::query("seed an offer"))?;
            n.offers += 1;
        }
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
