//! The reports' reads and the self-identification writes on PostgreSQL (see
//! [`crate::reports`]): SQLite's statements, with jsonb for the scores.

use super::{PgStore, audit, commit, corrupt, get, missing_or, now, ts};
use crate::StoreError;
use crate::hiring::{CandidateId, OpeningId};
use crate::reports::ReportStore;
use jiff::Timestamp;
use multiplier_core::fairness::{Outcome, ScoreCell, SelfId};
use multiplier_core::funnel::Journey;
use sqlx::Row;
use std::collections::BTreeMap;

type R<T> = Result<T, StoreError>;

/// The stages a candidate entered (with when) and when they were first hired.
type Entered = (Vec<(String, Timestamp)>, Option<Timestamp>);

use crate::reports::stored_self_id as self_id;

impl ReportStore for PgStore {
    async fn set_self_id(&self, actor: &str, candidate: CandidateId, id: &SelfId) -> R<()> {
        let mut tx = self.begin().await?;
        let found = sqlx::query("SELECT 1 FROM candidates WHERE id = $1")
            .bind(candidate.0)
            .fetch_optional(&mut *tx)
            .await
            .map_err(StoreError::query("find a candidate"))?;
        if found.is_none() {
            return Err(StoreError::NotFound {
                what: "candidate",
                id: candidate.to_string(),
            });
        }
        sqlx::query("DELETE FROM self_identification WHERE candidate_id = $1")
            .bind(candidate.0)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query("replace a self-identification"))?;
        let detail = if id.says_anything() {
            insert_self_id(&mut tx, candidate, id).await?;
            "self-identification given (kept apart; only aggregate reports read it)"
        } else {
            "self-identification withdrawn or left unanswered"
        };
        audit(
            &mut tx,
            actor,
            "candidate.self-id",
            format!("candidate:{candidate}"),
            detail.into(),
        )
        .await?;
        commit(tx).await
    }

    async fn self_id_given(&self, candidate: CandidateId) -> R<Option<Timestamp>> {
        sqlx::query("SELECT given_at FROM self_identification WHERE candidate_id = $1")
            .bind(candidate.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(StoreError::query(
                "read when a self-identification was given",
            ))?
            .map(|row| ts(&row, "given_at", "self-identification"))
            .transpose()
    }

    async fn journeys(&self, opening: Option<OpeningId>) -> R<Vec<(OpeningId, Journey)>> {
        let what = "journey";
        let o = opening.map(|o| o.0);
        let people = sqlx::query(
            "SELECT c.id, c.opening_id, c.source, c.status,
                    CASE WHEN c.status = 'rejected' THEN c.status_reason END AS reason, c.created_at
             FROM candidates c WHERE ($1::BIGINT IS NULL OR c.opening_id = $1) ORDER BY c.id",
        )
        .bind(o)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("read the candidates for a report"))?;
        let history = sqlx::query(
            "SELECT h.candidate_id, h.kind, h.value, h.at
             FROM candidate_history h JOIN candidates c ON c.id = h.candidate_id
             WHERE ($1::BIGINT IS NULL OR c.opening_id = $1) ORDER BY h.candidate_id, h.id",
        )
        .bind(o)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("read the stage history for a report"))?;
        let mut steps: BTreeMap<i64, Entered> = BTreeMap::new();
        for row in &history {
            let id: i64 = get(row, "candidate_id", what)?;
            let kind: String = get(row, "kind", what)?;
            let value: String = get(row, "value", what)?;
            let at = ts(row, "at", what)?;
            let entry = steps.entry(id).or_default();
            match kind.as_str() {
                "stage" => entry.0.push((value, at)),
                "status" if value == "hired" && entry.1.is_none() => entry.1 = Some(at),
                _ => {}
            }
        }
        let mut out = Vec::with_capacity(people.len());
        for row in &people {
            let id: i64 = get(row, "id", what)?;
            let (stages, hired_at) = steps.remove(&id).unwrap_or_default();
            out.push((
                OpeningId(get(row, "opening_id", what)?),
                Journey {
                    source: get(row, "source", what)?,
                    status: get(row, "status", what)?,
                    reason: get(row, "reason", what)?,
                    created_at: ts(row, "created_at", what)?,
                    stages,
                    hired_at,
                },
            ));
        }
        Ok(out)
    }

    async fn outcomes(&self, opening: Option<OpeningId>) -> R<Vec<Outcome>> {
        let what = "outcome";
        let o = opening.map(|o| o.0);
        let people = sqlx::query(
            "SELECT c.id, s.sex, s.race,
                    (c.status = 'hired' OR EXISTS (SELECT 1 FROM candidate_history h
                        WHERE h.candidate_id = c.id AND h.kind = 'status' AND h.value = 'hired')) AS hired
             FROM candidates c LEFT JOIN self_identification s ON s.candidate_id = c.id
             WHERE ($1::BIGINT IS NULL OR c.opening_id = $1) ORDER BY c.id",
        )
        .bind(o)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("read the outcomes for a report"))?;
        let stages = sqlx::query(
            "SELECT DISTINCT h.candidate_id, h.value COLLATE \"C\" AS value
             FROM candidate_history h JOIN candidates c ON c.id = h.candidate_id
             WHERE h.kind = 'stage' AND ($1::BIGINT IS NULL OR c.opening_id = $1)
             ORDER BY h.candidate_id, value",
        )
        .bind(o)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("read the stages entered for a report"))?;
        let mut entered: BTreeMap<i64, Vec<String>> = BTreeMap::new();
        for row in &stages {
            entered
                .entry(get(row, "candidate_id", what)?)
                .or_default()
                .push(get(row, "value", what)?);
        }
        // Counted here, so that no caller ever sees a person's row.
        let mut cells: BTreeMap<(Option<SelfId>, Vec<String>, bool), u64> = BTreeMap::new();
        for row in &people {
            let id: i64 = get(row, "id", what)?;
            let key = (
                self_id(get(row, "sex", what)?, get(row, "race", what)?),
                entered.remove(&id).unwrap_or_default(),
                get::<bool>(row, "hired", what)?,
            );
            *cells.entry(key).or_default() += 1;
        }
        Ok(cells
            .into_iter()
            .map(|((self_id, stages, hired), count)| Outcome {
                self_id,
                stages,
                hired,
                count,
            })
            .collect())
    }

    async fn score_cells(&self, opening: Option<OpeningId>) -> R<Vec<ScoreCell>> {
        let what = "instrument score";
        let o = opening.map(|o| o.0);
        // The latest record of each kind per candidate; bodies that are not
        // JSON, or not in the tool's shape (evidence typed in by staff), score
        // nothing. CASE keeps the JSON functions away from invalid text.
        let rows = sqlx::query(
            "WITH latest AS (
                SELECT e.candidate_id, e.kind, try_jsonb(e.body) AS j FROM evidence e
                JOIN candidates c ON c.id = e.candidate_id
                WHERE e.kind IN ('code-review', 'written-assessment')
                  AND ($1::BIGINT IS NULL OR c.opening_id = $1)
                  AND e.id = (SELECT MAX(x.id) FROM evidence x
                              WHERE x.candidate_id = e.candidate_id AND x.kind = e.kind)
             ), scores AS (
                SELECT candidate_id, 'code-review.issues' AS instrument,
                       CASE WHEN jsonb_typeof(j #> '{grade,scores,issues,score}') = 'number'
                            THEN (j #>> '{grade,scores,issues,score}')::float8 END AS score
                FROM latest WHERE kind = 'code-review'
                UNION ALL
                SELECT candidate_id, 'code-review.prioritization',
                       CASE WHEN jsonb_typeof(j #> '{grade,scores,prioritization,score}') = 'number'
                            THEN (j #>> '{grade,scores,prioritization,score}')::float8 END
                FROM latest WHERE kind = 'code-review'
                UNION ALL
                SELECT candidate_id, 'code-review.teaching',
                       CASE WHEN jsonb_typeof(j #> '{grade,scores,teaching,score}') = 'number'
                            THEN (j #>> '{grade,scores,teaching,score}')::float8 END
                FROM latest WHERE kind = 'code-review'
                UNION ALL
                SELECT candidate_id, 'written-assessment.flags',
                       CASE WHEN jsonb_typeof(j #> '{analysis,answers}') = 'array' THEN
                         (SELECT COUNT(*) FROM jsonb_array_elements(j #> '{analysis,answers}') a,
                                 jsonb_array_elements(CASE WHEN jsonb_typeof(a -> 'flags') = 'array'
                                                           THEN a -> 'flags' ELSE '[]'::jsonb END) f)::float8
                       END
                FROM latest WHERE kind = 'written-assessment'
             )
             SELECT s.sex, s.race, sc.instrument, COUNT(*) AS n, SUM(sc.score)::float8 AS total
             FROM scores sc LEFT JOIN self_identification s ON s.candidate_id = sc.candidate_id
             WHERE sc.score IS NOT NULL
             GROUP BY s.sex, s.race, sc.instrument
             ORDER BY sc.instrument, s.sex, s.race",
        )
        .bind(o)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("sum the automatic scores for a report"))?;
        let mut cells: BTreeMap<(String, Option<SelfId>), (u64, f64)> = BTreeMap::new();
        for row in &rows {
            let n: i64 = get(row, "n", what)?;
            let total: f64 = row.try_get::<f64, _>("total").map_err(corrupt(what))?;
            let key = (
                get(row, "instrument", what)?,
                self_id(get(row, "sex", what)?, get(row, "race", what)?),
            );
            let cell = cells.entry(key).or_default();
            cell.0 += u64::try_from(n).unwrap_or(0);
            cell.1 += total;
        }
        Ok(cells
            .into_iter()
            .map(|((instrument, self_id), (n, sum))| ScoreCell {
                self_id,
                instrument,
                n,
                sum,
            })
            .collect())
    }
}

/// Keep a self-identification inside `tx` (an application's or the portal's).
pub(super) async fn insert_self_id(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    candidate: CandidateId,
    id: &SelfId,
) -> R<()> {
    sqlx::query(
        "INSERT INTO self_identification (candidate_id, sex, race, given_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(candidate.0)
    .bind(id.sex.id())
    .bind(id.race.id())
    .bind(now())
    .execute(&mut **tx)
    .await
    .map_err(missing_or(
        "candidate",
        candidate,
        "keep a self-identification",
    ))?;
    Ok(())
}
