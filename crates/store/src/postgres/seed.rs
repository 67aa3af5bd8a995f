//! Bulk seeding on PostgreSQL: one write transaction per batch (holding the
//! write lock) and one audit entry per batch, as on SQLite. A server pays a
//! round trip per statement, so each table gets one `INSERT … SELECT FROM
//! UNNEST(…)` with the batch's columns bound as arrays: about ten statements a
//! batch instead of ten a candidate (SQLite reads its rows from JSON arrays,
//! for the same reason: each statement there is a trip to sqlx's worker
//! thread). The candidates' ids are taken from their sequence first, so each
//! child row knows its candidate before anything is inserted.

use super::{PgStore, audit, commit, encode, missing_or};
use crate::seed::{SeedCandidate, SeedCounts, SeedStore};
use crate::{CandidateId, OpeningId, StoreError};
use sqlx::{Postgres, Row, Transaction};

type R<T> = Result<T, StoreError>;

/// The batch's rows, column by column (one array per bound column), one
/// group of fields per table.
#[derive(Default)]
struct Columns {
    id: Vec<i64>,
    name: Vec<String>,
    email: Vec<Option<String>>,
    internal: Vec<bool>,
    wants_leadership: Vec<Option<String>>,
    gives_up: Vec<Option<String>>,
    stage: Vec<String>,
    at: Vec<String>,
    assignment_candidate: Vec<i64>,
    assignment_stage: Vec<String>,
    assignment_interviewer: Vec<String>,
    assignment_at: Vec<String>,
    card_candidate: Vec<i64>,
    card_stage: Vec<String>,
    card_interviewer: Vec<String>,
    card_version: Vec<i64>,
    card_body: Vec<String>,
    card_at: Vec<String>,
    reference_candidate: Vec<i64>,
    reference_body: Vec<String>,
    reference_by: Vec<String>,
    reference_at: Vec<String>,
    evidence_candidate: Vec<i64>,
    evidence_kind: Vec<String>,
    evidence_source: Vec<String>,
    evidence_body: Vec<String>,
    evidence_at: Vec<String>,
    decision_candidate: Vec<i64>,
    decision_by: Vec<String>,
    decision_outcome: Vec<String>,
    decision_rationale: Vec<String>,
    decision_meets_bar: Vec<bool>,
    decision_at: Vec<String>,
    offer_candidate: Vec<i64>,
    offer_body: Vec<String>,
    offer_status: Vec<String>,
    offer_start: Vec<Option<String>>,
    offer_at: Vec<String>,
}

impl Columns {
    fn of(ids: &[i64], batch: &[SeedCandidate]) -> R<Columns> {
        let mut k = Columns::default();
        for (&id, c) in ids.iter().zip(batch) {
            let at = c.created_at.to_string();
            k.id.push(id);
            k.name.push(c.candidate.name.clone());
            k.email.push(c.candidate.email.clone());
            k.internal.push(c.candidate.internal);
            k.wants_leadership
                .push(c.candidate.wants_leadership.clone());
            k.gives_up.push(c.candidate.gives_up.clone());
            k.stage.push(c.candidate.stage.clone());
            for (stage, interviewer) in &c.assignments {
                k.assignment_candidate.push(id);
                k.assignment_stage.push(stage.clone());
                k.assignment_interviewer.push(interviewer.clone());
                k.assignment_at.push(at.clone());
            }
            for (card, when) in &c.scorecards {
                k.card_candidate.push(id);
                k.card_stage.push(card.stage.clone());
                k.card_interviewer.push(card.interviewer.clone());
                k.card_version.push(i64::from(card.version));
                k.card_body.push(encode("scorecard", card)?);
                k.card_at.push(when.to_string());
            }
            for (reference, by) in &c.references {
                k.reference_candidate.push(id);
                k.reference_body.push(encode("reference", reference)?);
                k.reference_by.push(by.clone());
                k.reference_at.push(at.clone());
            }
            for (kind, source, body) in &c.evidence {
                k.evidence_candidate.push(id);
                k.evidence_kind.push(kind.clone());
                k.evidence_source.push(source.clone());
                k.evidence_body.push(encode("evidence", body)?);
                k.evidence_at.push(at.clone());
            }
            if let Some(d) = &c.decision {
                k.decision_candidate.push(id);
                k.decision_by.push(d.by.clone());
                k.decision_outcome.push(d.outcome.id().to_string());
                k.decision_rationale.push(d.rationale.clone());
                k.decision_meets_bar.push(d.meets_bar);
                k.decision_at.push(at.clone());
            }
            if let Some(o) = &c.offer {
                k.offer_candidate.push(id);
                k.offer_body.push(encode("offer", &o.body)?);
                k.offer_status.push(o.status.clone());
                k.offer_start.push(o.start.map(|d| d.to_string()));
                k.offer_at.push(at.clone());
            }
            k.at.push(at);
        }
        Ok(k)
    }
}

/// `n` new candidate ids, ascending, taken from the identity's sequence.
async fn take_ids(tx: &mut Transaction<'_, Postgres>, n: usize) -> R<Vec<i64>> {
    let count = i64::try_from(n)
        .map_err(|_| StoreError::Refused(format!("{n} candidates are too many for one batch")))?;
    let mut ids = sqlx::query(
        "SELECT nextval(pg_get_serial_sequence('candidates', 'id')) AS id FROM generate_series(1, $1)",
    )
    .bind(count)
    .fetch_all(&mut **tx)
    .await
    .map_err(StoreError::query("number the seeded candidates"))?
    .iter()
    .map(|row| row.try_get::<i64, _>("id"))
    .collect::<Result<Vec<_>, _>>()
    .map_err(StoreError::query("read a seeded candidate's id"))?;
    ids.sort_unstable();
    Ok(ids)
}

impl SeedStore for PgStore {
    async fn after_bulk_load(&self) -> R<()> {
        sqlx::query("ANALYZE")
            .execute(&self.pool)
            .await
            .map_err(StoreError::query("update the planner's statistics"))?;
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

    async fn seed_batch(
        &self,
        actor: &str,
        opening: OpeningId,
        batch: &[SeedCandidate],
    ) -> R<(Vec<CandidateId>, SeedCounts)> {
        let mut tx = self.begin().await?;
        let ids = take_ids(&mut tx, batch.len()).await?;
        let k = Columns::of(&ids, batch)?;
        let n = SeedCounts {
            candidates: k.id.len(),
            assignments: k.assignment_candidate.len(),
            scorecards: k.card_candidate.len(),
            references: k.reference_candidate.len(),
            evidence: k.evidence_candidate.len(),
            decisions: k.decision_candidate.len(),
            offers: k.offer_candidate.len(),
        };
        if n.candidates > 0 {
            sqlx::query(
                "INSERT INTO candidates (id, opening_id, name, email, internal, wants_leadership, gives_up, stage, created_at)
                 SELECT u.id, $1, u.name, u.email, u.internal, u.wants_leadership, u.gives_up, u.stage, u.at
                 FROM UNNEST($2::BIGINT[], $3::TEXT[], $4::TEXT[], $5::BOOLEAN[], $6::TEXT[], $7::TEXT[], $8::TEXT[], $9::TEXT[])
                      AS u(id, name, email, internal, wants_leadership, gives_up, stage, at)",
            )
            .bind(opening.0)
            .bind(&k.id)
            .bind(&k.name)
            .bind(&k.email)
            .bind(&k.internal)
            .bind(&k.wants_leadership)
            .bind(&k.gives_up)
            .bind(&k.stage)
            .bind(&k.at)
            .execute(&mut *tx)
            .await
            .map_err(missing_or("opening", opening.to_string(), "seed candidates"))?;
        }
        if n.assignments > 0 {
            sqlx::query(
                "INSERT INTO assignments (candidate_id, stage, interviewer, created_at)
                 SELECT * FROM UNNEST($1::BIGINT[], $2::TEXT[], $3::TEXT[], $4::TEXT[])
                 ON CONFLICT DO NOTHING",
            )
            .bind(&k.assignment_candidate)
            .bind(&k.assignment_stage)
            .bind(&k.assignment_interviewer)
            .bind(&k.assignment_at)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query("seed assignments"))?;
        }
        if n.scorecards > 0 {
            sqlx::query(
                "INSERT INTO scorecards (candidate_id, stage, interviewer, version, body, submitted_at)
                 SELECT * FROM UNNEST($1::BIGINT[], $2::TEXT[], $3::TEXT[], $4::BIGINT[], $5::TEXT[], $6::TEXT[])",
            )
            .bind(&k.card_candidate)
            .bind(&k.card_stage)
            .bind(&k.card_interviewer)
            .bind(&k.card_version)
            .bind(&k.card_body)
            .bind(&k.card_at)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query("seed scorecards"))?;
        }
        if n.references > 0 {
            sqlx::query(
                "INSERT INTO candidate_references (candidate_id, body, recorded_by, created_at)
                 SELECT * FROM UNNEST($1::BIGINT[], $2::TEXT[], $3::TEXT[], $4::TEXT[])",
            )
            .bind(&k.reference_candidate)
            .bind(&k.reference_body)
            .bind(&k.reference_by)
            .bind(&k.reference_at)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query("seed references"))?;
        }
        if n.evidence > 0 {
            sqlx::query(
                "INSERT INTO evidence (candidate_id, kind, source, body, created_at)
                 SELECT * FROM UNNEST($1::BIGINT[], $2::TEXT[], $3::TEXT[], $4::TEXT[], $5::TEXT[])",
            )
            .bind(&k.evidence_candidate)
            .bind(&k.evidence_kind)
            .bind(&k.evidence_source)
            .bind(&k.evidence_body)
            .bind(&k.evidence_at)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query("seed evidence"))?;
        }
        if n.decisions > 0 {
            sqlx::query(
                "INSERT INTO decisions (candidate_id, decided_by, outcome, rationale, meets_bar, created_at)
                 SELECT * FROM UNNEST($1::BIGINT[], $2::TEXT[], $3::TEXT[], $4::TEXT[], $5::BOOLEAN[], $6::TEXT[])",
            )
            .bind(&k.decision_candidate)
            .bind(&k.decision_by)
            .bind(&k.decision_outcome)
            .bind(&k.decision_rationale)
            .bind(&k.decision_meets_bar)
            .bind(&k.decision_at)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query("seed decisions"))?;
        }
        if n.offers > 0 {
            sqlx::query(
                "INSERT INTO offers (candidate_id, body, status, start_date, created_at)
                 SELECT * FROM UNNEST($1::BIGINT[], $2::TEXT[], $3::TEXT[], $4::TEXT[], $5::TEXT[])",
            )
            .bind(&k.offer_candidate)
            .bind(&k.offer_body)
            .bind(&k.offer_status)
            .bind(&k.offer_start)
            .bind(&k.offer_at)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query("seed offers"))?;
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
        Ok((ids.into_iter().map(CandidateId).collect(), n))
    }
}
