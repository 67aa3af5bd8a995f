//! The hiring loop on SQLite. Writes run in a transaction that also appends the
//! audit entry, so the log and the data cannot disagree.

use super::{SqliteStore, now, timestamp};
use crate::hiring::*;
use crate::{RoleId, StoreError};
use jiff::civil::Date;
use multiplier_core::pipeline::{FlagResolution, Outcome, Reference, Scorecard};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite, Transaction};

type R<T> = Result<T, StoreError>;

pub(super) use crate::error::{corrupt, decode, encode, missing_or};

pub(super) fn get<T>(row: &SqliteRow, col: &str, what: &'static str) -> R<T>
where
    T: for<'r> sqlx::Decode<'r, Sqlite> + sqlx::Type<Sqlite>,
{
    row.try_get(col).map_err(corrupt(what))
}

pub(super) fn ts(row: &SqliteRow, col: &str, what: &'static str) -> R<jiff::Timestamp> {
    timestamp(&get::<String>(row, col, what)?)
}

/// [`ts`] for a column that may be NULL.
pub(super) fn opt_ts(row: &SqliteRow, col: &str, what: &'static str) -> R<Option<jiff::Timestamp>> {
    get::<Option<String>>(row, col, what)?
        .as_deref()
        .map(timestamp)
        .transpose()
}

pub(super) async fn audit(
    tx: &mut Transaction<'_, Sqlite>,
    actor: &str,
    action: &str,
    subject: String,
    detail: String,
) -> R<()> {
    super::maintenance::append_audit(tx, actor, action, &subject, &detail).await
}

impl SqliteStore {
    /// Start a write transaction. `BEGIN IMMEDIATE` takes the write lock at once,
    /// so a concurrent writer waits (up to the busy timeout) instead of failing
    /// when a deferred transaction later tries to upgrade from reader to writer.
    pub(crate) async fn begin(&self) -> R<Transaction<'static, Sqlite>> {
        self.pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(StoreError::query("start a write transaction"))
    }

    async fn require_candidate(tx: &mut Transaction<'_, Sqlite>, id: CandidateId) -> R<()> {
        let found = sqlx::query("SELECT 1 FROM candidates WHERE id = ?")
            .bind(id.0)
            .fetch_optional(&mut **tx)
            .await
            .map_err(StoreError::query("find a candidate"))?;
        found.map(|_| ()).ok_or(StoreError::NotFound {
            what: "candidate",
            id: id.to_string(),
        })
    }
}

/// Insert an opening inside `tx` and append its audit entry.
pub(super) async fn insert_opening(
    tx: &mut Transaction<'_, Sqlite>,
    actor: &str,
    role: RoleId,
    title: &str,
    manager: &str,
) -> R<OpeningId> {
    let id: i64 = sqlx::query("INSERT INTO openings (role_id, title, manager, created_at) VALUES (?, ?, ?, ?) RETURNING id")
        .bind(role.0)
        .bind(title)
        .bind(manager)
        .bind(now())
        .fetch_one(&mut **tx)
        .await
        .map_err(missing_or("role", role.to_string(), "open an opening"))?
        .try_get("id")
        .map_err(corrupt("opening id"))?;
    audit(
        tx,
        actor,
        "opening.create",
        format!("opening:{id}"),
        format!("role {role}, hiring manager {manager}"),
    )
    .await?;
    Ok(OpeningId(id))
}

pub(super) async fn commit(tx: Transaction<'_, Sqlite>) -> R<()> {
    tx.commit().await.map_err(StoreError::query("commit"))
}

pub(super) fn opening(row: &SqliteRow) -> R<OpeningRecord> {
    Ok(OpeningRecord {
        id: OpeningId(get(row, "id", "opening")?),
        role: RoleId(get(row, "role_id", "opening")?),
        title: get(row, "title", "opening")?,
        manager: get(row, "manager", "opening")?,
        status: get(row, "status", "opening")?,
        created_at: ts(row, "created_at", "opening")?,
    })
}

pub(super) fn candidate(row: &SqliteRow) -> R<CandidateRecord> {
    Ok(CandidateRecord {
        id: CandidateId(get(row, "id", "candidate")?),
        opening: OpeningId(get(row, "opening_id", "candidate")?),
        name: get(row, "name", "candidate")?,
        email: get(row, "email", "candidate")?,
        internal: get::<i64>(row, "internal", "candidate")? != 0,
        wants_leadership: get(row, "wants_leadership", "candidate")?,
        gives_up: get(row, "gives_up", "candidate")?,
        stage: get(row, "stage", "candidate")?,
        created_at: ts(row, "created_at", "candidate")?,
        status: get(row, "status", "candidate")?,
        status_reason: get(row, "status_reason", "candidate")?,
        source: get(row, "source", "candidate")?,
        links: get(row, "links", "candidate")?,
    })
}

fn assignment(row: &SqliteRow) -> R<Assignment> {
    Ok(Assignment {
        stage: get(row, "stage", "assignment")?,
        interviewer: get(row, "interviewer", "assignment")?,
        assigned_at: ts(row, "created_at", "assignment")?,
    })
}

macro_rules! select_candidates {
    () => {
        "SELECT id, opening_id, name, email, internal, wants_leadership, gives_up, stage, created_at, status, status_reason, source, links FROM candidates"
    };
}

impl HiringStore for SqliteStore {
    async fn add_opening(
        &self,
        actor: &str,
        role: RoleId,
        title: &str,
        manager: &str,
    ) -> R<OpeningId> {
        let mut tx = self.begin().await?;
        let id = insert_opening(&mut tx, actor, role, title, manager).await?;
        commit(tx).await?;
        Ok(id)
    }

    async fn opening(&self, id: OpeningId) -> R<Option<OpeningRecord>> {
        sqlx::query("SELECT * FROM openings WHERE id = ?")
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(StoreError::query("read an opening"))?
            .as_ref()
            .map(opening)
            .transpose()
    }

    async fn openings(&self) -> R<Vec<OpeningRecord>> {
        sqlx::query("SELECT * FROM openings ORDER BY id")
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("list openings"))?
            .iter()
            .map(opening)
            .collect()
    }

    async fn add_candidate(&self, actor: &str, c: &NewCandidate) -> R<CandidateId> {
        let mut tx = self.begin().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO candidates (opening_id, name, email, internal, wants_leadership, gives_up, stage, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(c.opening.0)
        .bind(&c.name)
        .bind(&c.email)
        .bind(i64::from(c.internal))
        .bind(&c.wants_leadership)
        .bind(&c.gives_up)
        .bind(&c.stage)
        .bind(now())
        .fetch_one(&mut *tx)
        .await
        .map_err(missing_or("opening", c.opening.to_string(), "add a candidate"))?
        .try_get("id")
        .map_err(corrupt("candidate id"))?;
        let kind = if c.internal { "internal" } else { "external" };
        audit(
            &mut tx,
            actor,
            "candidate.add",
            format!("candidate:{id}"),
            format!("opening {}, {kind}, stage {}", c.opening, c.stage),
        )
        .await?;
        commit(tx).await?;
        Ok(CandidateId(id))
    }

    async fn edit_candidate(&self, actor: &str, id: CandidateId, d: &CandidateDetails) -> R<()> {
        let mut tx = self.begin().await?;
        let before = sqlx::query(concat!(select_candidates!(), " WHERE id = ?"))
            .bind(id.0)
            .fetch_optional(&mut *tx)
            .await
            .map_err(StoreError::query("read a candidate"))?
            .as_ref()
            .map(candidate)
            .transpose()?
            .ok_or_else(|| StoreError::NotFound {
                what: "candidate",
                id: id.to_string(),
            })?;
        let mut changed = Vec::new();
        if before.name != d.name {
            changed.push("name");
        }
        if before.email != d.email {
            changed.push("email");
        }
        if before.internal != d.internal {
            changed.push("internal");
        }
        if before.wants_leadership != d.wants_leadership || before.gives_up != d.gives_up {
            changed.push("promotion-trap answers");
        }
        if changed.is_empty() {
            return commit(tx).await;
        }
        sqlx::query(
            "UPDATE candidates SET name = ?, email = ?, internal = ?, wants_leadership = ?, gives_up = ? WHERE id = ?",
        )
        .bind(&d.name)
        .bind(&d.email)
        .bind(i64::from(d.internal))
        .bind(&d.wants_leadership)
        .bind(&d.gives_up)
        .bind(id.0)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::query("edit a candidate"))?;
        audit(
            &mut tx,
            actor,
            "candidate.edit",
            format!("candidate:{id}"),
            format!("changed {}", changed.join(", ")),
        )
        .await?;
        commit(tx).await
    }

    async fn candidate(&self, id: CandidateId) -> R<Option<CandidateRecord>> {
        sqlx::query(concat!(select_candidates!(), " WHERE id = ?"))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await
            .map_err(StoreError::query("read a candidate"))?
            .as_ref()
            .map(candidate)
            .transpose()
    }

    async fn candidates(&self, opening: Option<OpeningId>) -> R<Vec<CandidateRecord>> {
        let mut q = QueryBuilder::<Sqlite>::new(select_candidates!());
        if let Some(o) = opening {
            q.push(" WHERE opening_id = ").push_bind(o.0);
        }
        q.push(" ORDER BY id");
        q.build()
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("list candidates"))?
            .iter()
            .map(candidate)
            .collect()
    }

    async fn move_candidate(&self, actor: &str, id: CandidateId, stage: &str) -> R<()> {
        let mut tx = self.begin().await?;
        let done = sqlx::query("UPDATE candidates SET stage = ? WHERE id = ?")
            .bind(stage)
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query("move a candidate"))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound {
                what: "candidate",
                id: id.to_string(),
            });
        }
        audit(
            &mut tx,
            actor,
            "candidate.move",
            format!("candidate:{id}"),
            format!("to stage {stage}"),
        )
        .await?;
        commit(tx).await
    }

    async fn assign(&self, actor: &str, id: CandidateId, stage: &str, interviewer: &str) -> R<()> {
        self.assign_stages(actor, id, &[stage.to_string()], interviewer)
            .await
    }

    async fn assign_stages(
        &self,
        actor: &str,
        id: CandidateId,
        stages: &[String],
        interviewer: &str,
    ) -> R<()> {
        self.assign_mailing(actor, id, stages, interviewer, &[])
            .await
    }

    async fn unassign(
        &self,
        actor: &str,
        id: CandidateId,
        stage: &str,
        interviewer: &str,
    ) -> R<()> {
        let mut tx = self.begin().await?;
        Self::require_candidate(&mut tx, id).await?;
        let done = sqlx::query(
            "DELETE FROM assignments WHERE candidate_id = ? AND stage = ? AND interviewer = ?",
        )
        .bind(id.0)
        .bind(stage)
        .bind(interviewer)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::query("unassign an interviewer"))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound {
                what: "assignment",
                id: format!("{interviewer} on stage {stage} of candidate {id}"),
            });
        }
        audit(
            &mut tx,
            actor,
            "interviewer.unassign",
            format!("candidate:{id}"),
            format!("{interviewer} from stage {stage}"),
        )
        .await?;
        commit(tx).await
    }

    async fn assignments(&self, id: CandidateId) -> R<Vec<Assignment>> {
        sqlx::query("SELECT stage, interviewer, created_at FROM assignments WHERE candidate_id = ? ORDER BY created_at, stage")
            .bind(id.0)
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("list assignments"))?
            .iter()
            .map(assignment)
            .collect()
    }

    async fn assignments_of(&self, interviewer: &str) -> R<Vec<(CandidateId, Assignment)>> {
        sqlx::query("SELECT candidate_id, stage, interviewer, created_at FROM assignments WHERE interviewer = ? ORDER BY created_at, candidate_id, stage")
            .bind(interviewer)
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("list an interviewer's assignments"))?
            .iter()
            .map(|row| Ok((CandidateId(get(row, "candidate_id", "assignment")?), assignment(row)?)))
            .collect()
    }

    async fn submit_scorecard(
        &self,
        actor: &str,
        id: CandidateId,
        card: &Scorecard,
        submission: Submission,
    ) -> R<ScorecardRecord> {
        let mut tx = self.begin().await?;
        Self::require_candidate(&mut tx, id).await?;
        let latest: Option<i64> = sqlx::query("SELECT MAX(version) AS v FROM scorecards WHERE candidate_id = ? AND stage = ? AND interviewer = ?")
            .bind(id.0)
            .bind(&card.stage)
            .bind(&card.interviewer)
            .fetch_one(&mut *tx)
            .await
            .map_err(StoreError::query("read scorecard versions"))?
            .try_get("v")
            .map_err(corrupt("scorecard version"))?;
        let version = match (submission, latest) {
            (Submission::First, None) => 1,
            (Submission::First, Some(v)) => {
                return Err(StoreError::Refused(format!(
                    "{} already submitted a scorecard for the {} stage (version {v}); a submitted scorecard does not change: amend it with a reason",
                    card.interviewer, card.stage
                )));
            }
            (Submission::Amendment { .. }, None) => {
                return Err(StoreError::Refused(format!(
                    "{} has no submitted scorecard for the {} stage to amend; submit one first",
                    card.interviewer, card.stage
                )));
            }
            (Submission::Amendment { at_most }, Some(v)) if v > i64::from(at_most) => {
                return Err(StoreError::Refused(format!(
                    "{}'s scorecard for the {} stage was already amended {at_most} times, the most allowed; talk it through in the debrief instead",
                    card.interviewer, card.stage
                )));
            }
            (Submission::Amendment { .. }, Some(v)) => v + 1,
        };
        let mut stored = card.clone();
        stored.version = u32::try_from(version).map_err(|_| StoreError::Corrupt {
            what: "scorecard version",
            detail: version.to_string(),
        })?;
        let submitted_at = jiff::Timestamp::now();
        let row_id: i64 = sqlx::query(
            "INSERT INTO scorecards (candidate_id, stage, interviewer, version, body, submitted_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(id.0)
        .bind(&stored.stage)
        .bind(&stored.interviewer)
        .bind(version)
        .bind(encode("scorecard", &stored)?)
        .bind(submitted_at.to_string())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Refused(format!(
                "version {version} of this scorecard was stored by another request at the same moment; reload and try again"
            )),
            _ => StoreError::Query { action: "store a scorecard", source: e },
        })?
        .try_get("id")
        .map_err(corrupt("scorecard id"))?;
        let (action, detail) = match submission {
            Submission::First => (
                "scorecard.submit",
                format!("stage {}, by {}", stored.stage, stored.interviewer),
            ),
            Submission::Amendment { .. } => (
                "scorecard.amend",
                format!(
                    "stage {}, by {}, version {version}",
                    stored.stage, stored.interviewer
                ),
            ),
        };
        audit(&mut tx, actor, action, format!("candidate:{id}"), detail).await?;
        commit(tx).await?;
        Ok(ScorecardRecord {
            id: row_id,
            candidate: id,
            card: stored,
            submitted_at,
        })
    }

    async fn scorecards(&self, id: CandidateId) -> R<Vec<ScorecardRecord>> {
        sqlx::query(
            "SELECT id, body, submitted_at FROM scorecards WHERE candidate_id = ? ORDER BY id",
        )
        .bind(id.0)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("list scorecards"))?
        .iter()
        .map(|row| {
            Ok(ScorecardRecord {
                id: get(row, "id", "scorecard")?,
                candidate: id,
                card: decode("scorecard", &get::<String>(row, "body", "scorecard")?)?,
                submitted_at: ts(row, "submitted_at", "scorecard")?,
            })
        })
        .collect()
    }

    async fn add_evidence(
        &self,
        actor: &str,
        id: CandidateId,
        kind: &str,
        source: &str,
        body: &serde_json::Value,
    ) -> R<i64> {
        let mut tx = self.begin().await?;
        Self::require_candidate(&mut tx, id).await?;
        let row_id: i64 = sqlx::query("INSERT INTO evidence (candidate_id, kind, source, body, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id")
            .bind(id.0)
            .bind(kind)
            .bind(source)
            .bind(encode("evidence", body)?)
            .bind(now())
            .fetch_one(&mut *tx)
            .await
            .map_err(StoreError::query("attach evidence"))?
            .try_get("id")
            .map_err(corrupt("evidence id"))?;
        audit(
            &mut tx,
            actor,
            "evidence.attach",
            format!("candidate:{id}"),
            format!("{kind} from {source}"),
        )
        .await?;
        commit(tx).await?;
        Ok(row_id)
    }

    async fn evidence(&self, id: CandidateId) -> R<Vec<EvidenceRecord>> {
        sqlx::query("SELECT id, kind, source, body, created_at FROM evidence WHERE candidate_id = ? ORDER BY id")
            .bind(id.0)
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("list evidence"))?
            .iter()
            .map(|row| {
                Ok(EvidenceRecord {
                    id: get(row, "id", "evidence")?,
                    candidate: id,
                    kind: get(row, "kind", "evidence")?,
                    source: get(row, "source", "evidence")?,
                    body: decode("evidence", &get::<String>(row, "body", "evidence")?)?,
                    created_at: ts(row, "created_at", "evidence")?,
                })
            })
            .collect()
    }

    async fn add_reference(&self, actor: &str, id: CandidateId, reference: &Reference) -> R<i64> {
        let mut tx = self.begin().await?;
        Self::require_candidate(&mut tx, id).await?;
        let row_id: i64 = sqlx::query("INSERT INTO candidate_references (candidate_id, body, recorded_by, created_at) VALUES (?, ?, ?, ?) RETURNING id")
            .bind(id.0)
            .bind(encode("reference", reference)?)
            .bind(actor)
            .bind(now())
            .fetch_one(&mut *tx)
            .await
            .map_err(StoreError::query("store a reference"))?
            .try_get("id")
            .map_err(corrupt("reference id"))?;
        audit(
            &mut tx,
            actor,
            "reference.add",
            format!("candidate:{id}"),
            format!("{} reference", reference.kind.id()),
        )
        .await?;
        commit(tx).await?;
        Ok(row_id)
    }

    async fn references(&self, id: CandidateId) -> R<Vec<ReferenceRecord>> {
        sqlx::query("SELECT id, body, recorded_by, created_at FROM candidate_references WHERE candidate_id = ? ORDER BY id")
            .bind(id.0)
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("list references"))?
            .iter()
            .map(|row| {
                Ok(ReferenceRecord {
                    id: get(row, "id", "reference")?,
                    candidate: id,
                    reference: decode("reference", &get::<String>(row, "body", "reference")?)?,
                    recorded_by: get(row, "recorded_by", "reference")?,
                    created_at: ts(row, "created_at", "reference")?,
                })
            })
            .collect()
    }

    async fn resolve_flag(&self, actor: &str, id: CandidateId, r: &FlagResolution) -> R<()> {
        let mut tx = self.begin().await?;
        Self::require_candidate(&mut tx, id).await?;
        let done = sqlx::query("INSERT OR IGNORE INTO flag_resolutions (candidate_id, flag, resolved_by, note, created_at) VALUES (?, ?, ?, ?, ?)")
            .bind(id.0)
            .bind(&r.flag)
            .bind(&r.by)
            .bind(&r.note)
            .bind(now())
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query("resolve a red flag"))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Refused(format!(
                "the red flag `{}` is already resolved for candidate {id}",
                r.flag
            )));
        }
        audit(
            &mut tx,
            actor,
            "flag.resolve",
            format!("candidate:{id}"),
            r.flag.clone(),
        )
        .await?;
        commit(tx).await
    }

    async fn resolutions(&self, id: CandidateId) -> R<Vec<FlagResolution>> {
        sqlx::query("SELECT flag, resolved_by, note FROM flag_resolutions WHERE candidate_id = ? ORDER BY created_at")
            .bind(id.0)
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("list red-flag resolutions"))?
            .iter()
            .map(|row| Ok(FlagResolution { flag: get(row, "flag", "resolution")?, by: get(row, "resolved_by", "resolution")?, note: get(row, "note", "resolution")? }))
            .collect()
    }

    async fn record_decision(
        &self,
        actor: &str,
        id: CandidateId,
        outcome: Outcome,
        rationale: &str,
        meets_bar: bool,
    ) -> R<i64> {
        let mut tx = self.begin().await?;
        Self::require_candidate(&mut tx, id).await?;
        let row_id: i64 = sqlx::query("INSERT INTO decisions (candidate_id, decided_by, outcome, rationale, meets_bar, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id")
            .bind(id.0)
            .bind(actor)
            .bind(outcome.id())
            .bind(rationale)
            .bind(i64::from(meets_bar))
            .bind(now())
            .fetch_one(&mut *tx)
            .await
            .map_err(StoreError::query("record a decision"))?
            .try_get("id")
            .map_err(corrupt("decision id"))?;
        let policy = if meets_bar {
            "meets bar"
        } else {
            "does not meet bar"
        };
        audit(
            &mut tx,
            actor,
            "decision.record",
            format!("candidate:{id}"),
            format!("{} (policy said: {policy})", outcome.id()),
        )
        .await?;
        commit(tx).await?;
        Ok(row_id)
    }

    async fn decisions(&self, id: CandidateId) -> R<Vec<DecisionRecord>> {
        sqlx::query("SELECT * FROM decisions WHERE candidate_id = ? ORDER BY id")
            .bind(id.0)
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("list decisions"))?
            .iter()
            .map(decision)
            .collect()
    }

    async fn record_offer(
        &self,
        actor: &str,
        id: CandidateId,
        offer: &serde_json::Value,
    ) -> R<i64> {
        self.record_offer_mailing(actor, id, offer, &[]).await
    }

    async fn accept_offer(&self, actor: &str, id: CandidateId, start: Date) -> R<()> {
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "UPDATE offers SET status = 'accepted', start_date = ?
             WHERE id = (SELECT MAX(id) FROM offers WHERE candidate_id = ?) AND status = 'made'",
        )
        .bind(start.to_string())
        .bind(id.0)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::query("accept an offer"))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Refused(format!(
                "candidate {id} has no open offer to accept; make one with `multiplier offer --candidate {id}`"
            )));
        }
        audit(
            &mut tx,
            actor,
            "offer.accept",
            format!("candidate:{id}"),
            format!("start date {start}"),
        )
        .await?;
        commit(tx).await
    }

    async fn offers(&self, id: CandidateId) -> R<Vec<OfferRecord>> {
        sqlx::query("SELECT * FROM offers WHERE candidate_id = ? ORDER BY id")
            .bind(id.0)
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("list offers"))?
            .iter()
            .map(|row| {
                let start: Option<String> = get(row, "start_date", "offer")?;
                Ok(OfferRecord {
                    id: get(row, "id", "offer")?,
                    candidate: id,
                    offer: decode("offer", &get::<String>(row, "body", "offer")?)?,
                    status: get(row, "status", "offer")?,
                    start_date: start
                        .map(|s| {
                            s.parse::<Date>().map_err(|e| StoreError::Corrupt {
                                what: "offer start date",
                                detail: e.to_string(),
                            })
                        })
                        .transpose()?,
                    created_at: ts(row, "created_at", "offer")?,
                })
            })
            .collect()
    }

    async fn mark_step_done(&self, actor: &str, id: CandidateId, step: &str, note: &str) -> R<()> {
        let mut tx = self.begin().await?;
        Self::require_candidate(&mut tx, id).await?;
        let done = sqlx::query("INSERT OR IGNORE INTO onboarding_done (candidate_id, step, done_by, note, created_at) VALUES (?, ?, ?, ?, ?)")
            .bind(id.0)
            .bind(step)
            .bind(actor)
            .bind(note)
            .bind(now())
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query("mark an onboarding step done"))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Refused(format!(
                "the onboarding step `{step}` is already done for candidate {id}"
            )));
        }
        audit(
            &mut tx,
            actor,
            "onboarding.done",
            format!("candidate:{id}"),
            step.to_string(),
        )
        .await?;
        commit(tx).await
    }

    async fn steps_done(&self, id: CandidateId) -> R<Vec<StepDone>> {
        sqlx::query("SELECT step, done_by, note, created_at FROM onboarding_done WHERE candidate_id = ? ORDER BY created_at")
            .bind(id.0)
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("list onboarding progress"))?
            .iter()
            .map(|row| {
                Ok(StepDone {
                    step: get(row, "step", "onboarding")?,
                    done_by: get(row, "done_by", "onboarding")?,
                    note: get(row, "note", "onboarding")?,
                    at: ts(row, "created_at", "onboarding")?,
                })
            })
            .collect()
    }

    async fn audit(&self, f: &AuditFilter) -> R<Vec<AuditEntry>> {
        let mut q = QueryBuilder::<Sqlite>::new(AUDIT_SQL);
        push_audit_filter(&mut q, f);
        q.build()
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("read the audit log"))?
            .iter()
            .map(|row| {
                Ok(AuditEntry {
                    id: get(row, "id", "audit")?,
                    at: ts(row, "at", "audit")?,
                    actor: get(row, "actor", "audit")?,
                    action: get(row, "action", "audit")?,
                    subject: get(row, "subject", "audit")?,
                    detail: get(row, "detail", "audit")?,
                })
            })
            .collect()
    }
}

impl SqliteStore {
    /// The write and its messages, in one transaction (see `MailStore`).
    pub(crate) async fn assign_mailing(
        &self,
        actor: &str,
        id: CandidateId,
        stages: &[String],
        interviewer: &str,
        mail: &[crate::NewMessage],
    ) -> R<()> {
        let mut tx = self.begin().await?;
        Self::require_candidate(&mut tx, id).await?;
        for stage in stages {
            sqlx::query("INSERT OR IGNORE INTO assignments (candidate_id, stage, interviewer, created_at) VALUES (?, ?, ?, ?)")
                .bind(id.0)
                .bind(stage)
                .bind(interviewer)
                .bind(now())
                .execute(&mut *tx)
                .await
                .map_err(StoreError::query("assign an interviewer"))?;
            audit(
                &mut tx,
                actor,
                "interviewer.assign",
                format!("candidate:{id}"),
                format!("{interviewer} to stage {stage}"),
            )
            .await?;
        }
        super::mail::enqueue_in(&mut tx, actor, mail).await?;
        commit(tx).await
    }
}

impl SqliteStore {
    /// The offer and its messages, in one transaction (see `MailStore`).
    pub(crate) async fn record_offer_mailing(
        &self,
        actor: &str,
        id: CandidateId,
        offer: &serde_json::Value,
        mail: &[crate::NewMessage],
    ) -> R<i64> {
        let mut tx = self.begin().await?;
        Self::require_candidate(&mut tx, id).await?;
        let row_id: i64 = sqlx::query("INSERT INTO offers (candidate_id, body, status, created_at) VALUES (?, ?, 'made', ?) RETURNING id")
            .bind(id.0)
            .bind(encode("offer", offer)?)
            .bind(now())
            .fetch_one(&mut *tx)
            .await
            .map_err(StoreError::query("record an offer"))?
            .try_get("id")
            .map_err(corrupt("offer id"))?;
        audit(
            &mut tx,
            actor,
            "offer.make",
            format!("candidate:{id}"),
            format!("offer {row_id}"),
        )
        .await?;
        super::mail::enqueue_in(&mut tx, actor, mail).await?;
        commit(tx).await?;
        Ok(row_id)
    }
}

/// The audit log's query after [`AUDIT_SQL`], as this backend spells it.
pub(crate) fn push_audit_filter(q: &mut QueryBuilder<Sqlite>, f: &AuditFilter) {
    crate::hiring::push_audit_filter(q, f, " AND action LIKE ", " AND at >= ");
}

pub(crate) use crate::hiring::AUDIT_SQL;

/// A row of `decisions` as its record.
pub(super) fn decision(row: &sqlx::sqlite::SqliteRow) -> R<DecisionRecord> {
    let id: i64 = get(row, "id", "decision")?;
    let outcome: String = get(row, "outcome", "decision")?;
    Ok(DecisionRecord {
        id,
        candidate: CandidateId(get(row, "candidate_id", "decision")?),
        decided_by: get(row, "decided_by", "decision")?,
        outcome: crate::hiring::decision_outcome(id, &outcome)?,
        rationale: get(row, "rationale", "decision")?,
        meets_bar: get::<i64>(row, "meets_bar", "decision")? != 0,
        created_at: ts(row, "created_at", "decision")?,
    })
}
