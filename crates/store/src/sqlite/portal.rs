//! The candidate portal on SQLite. Every change a person makes appends an audit
//! entry in the same transaction; entries name ids, never tokens or personal data.

use super::hiring::{audit, commit, corrupt, encode, missing_or, opt_ts, ts};
use super::{SqliteStore, now};
use crate::portal::*;
use crate::{CandidateId, StoreError};
use jiff::Timestamp;
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, Sqlite, Transaction};

type R<T> = Result<T, StoreError>;

/// Links with the submission time of each task.
macro_rules! select_links {
    () => {
        "SELECT l.id, l.candidate_id, l.exercise, l.created_by, l.created_at, l.expires_at,
                l.revoked_at, l.opened_at,
                (SELECT submitted_at FROM portal_work w WHERE w.link_id = l.id AND w.task = 'assessment') AS assessment_submitted_at,
                (SELECT submitted_at FROM portal_work w WHERE w.link_id = l.id AND w.task = 'review') AS review_submitted_at
         FROM portal_links l"
    };
}

fn link(row: &SqliteRow) -> R<PortalLink> {
    let what = "portal link";
    Ok(PortalLink {
        id: row.try_get("id").map_err(corrupt(what))?,
        candidate: CandidateId(row.try_get("candidate_id").map_err(corrupt(what))?),
        exercise: row.try_get("exercise").map_err(corrupt(what))?,
        created_by: row.try_get("created_by").map_err(corrupt(what))?,
        created_at: ts(row, "created_at", what)?,
        expires_at: ts(row, "expires_at", what)?,
        revoked_at: opt_ts(row, "revoked_at", what)?,
        opened_at: opt_ts(row, "opened_at", what)?,
        assessment_submitted_at: opt_ts(row, "assessment_submitted_at", what)?,
        review_submitted_at: opt_ts(row, "review_submitted_at", what)?,
    })
}

fn erasure(row: &SqliteRow) -> R<ErasureRequest> {
    let what = "erasure request";
    Ok(ErasureRequest {
        id: row.try_get("id").map_err(corrupt(what))?,
        candidate: CandidateId(row.try_get("candidate_id").map_err(corrupt(what))?),
        requested_at: ts(row, "requested_at", what)?,
        erased_at: opt_ts(row, "erased_at", what)?,
        erased_by: row.try_get("erased_by").map_err(corrupt(what))?,
    })
}

async fn link_in(tx: &mut Transaction<'_, Sqlite>, id: i64) -> R<PortalLink> {
    sqlx::query(concat!(select_links!(), " WHERE l.id = ?"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(StoreError::query("read a portal link"))?
        .as_ref()
        .map(link)
        .transpose()?
        .ok_or_else(|| StoreError::NotFound {
            what: "portal link",
            id: id.to_string(),
        })
}

const ALREADY_SUBMITTED: &str =
    "this task was already submitted; a submitted task cannot be changed or sent again";

impl PortalStore for SqliteStore {
    async fn create_link(&self, actor: &str, new: &NewLink) -> R<PortalLink> {
        self.create_link_mailing(actor, new, &[]).await
    }

    async fn live_link(&self, token: &TokenHash, now: Timestamp) -> R<Option<PortalLink>> {
        let found = sqlx::query(concat!(select_links!(), " WHERE l.token_hash = ?"))
            .bind(token.as_str())
            .fetch_optional(&self.pool)
            .await
            .map_err(StoreError::query("find a portal link"))?
            .as_ref()
            .map(link)
            .transpose()?;
        Ok(found.filter(|l| l.is_live(now)))
    }

    async fn links(&self, candidate: CandidateId) -> R<Vec<PortalLink>> {
        sqlx::query(concat!(
            select_links!(),
            " WHERE l.candidate_id = ? ORDER BY l.id DESC"
        ))
        .bind(candidate.0)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("list portal links"))?
        .iter()
        .map(link)
        .collect()
    }

    async fn revoke_link(&self, actor: &str, candidate: CandidateId, id: i64) -> R<()> {
        let mut tx = self.begin().await?;
        let found =
            sqlx::query("SELECT revoked_at FROM portal_links WHERE id = ? AND candidate_id = ?")
                .bind(id)
                .bind(candidate.0)
                .fetch_optional(&mut *tx)
                .await
                .map_err(StoreError::query("find a portal link"))?;
        let Some(row) = found else {
            return Err(StoreError::NotFound {
                what: "portal link",
                id: id.to_string(),
            });
        };
        let revoked: Option<String> = row.try_get("revoked_at").map_err(corrupt("portal link"))?;
        if revoked.is_some() {
            return Ok(());
        }
        sqlx::query("UPDATE portal_links SET revoked_at = ? WHERE id = ?")
            .bind(now())
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query("revoke a portal link"))?;
        audit(
            &mut tx,
            actor,
            "portal.link.revoke",
            format!("candidate:{candidate}"),
            format!("link {id}"),
        )
        .await?;
        commit(tx).await
    }

    async fn mark_opened(&self, id: i64) -> R<()> {
        let mut tx = self.begin().await?;
        let l = link_in(&mut tx, id).await?;
        let changed =
            sqlx::query("UPDATE portal_links SET opened_at = ? WHERE id = ? AND opened_at IS NULL")
                .bind(now())
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::query("record a portal visit"))?
                .rows_affected();
        if changed > 0 {
            audit(
                &mut tx,
                PORTAL_ACTOR,
                "portal.open",
                format!("candidate:{}", l.candidate),
                format!("link {id} opened for the first time"),
            )
            .await?;
        }
        commit(tx).await
    }

    async fn save_work(&self, link: i64, task: Task, body: &serde_json::Value) -> R<Timestamp> {
        let at = Timestamp::now();
        let changed = sqlx::query(
            "INSERT INTO portal_work (link_id, task, body, saved_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (link_id, task) DO UPDATE SET body = excluded.body, saved_at = excluded.saved_at
             WHERE portal_work.submitted_at IS NULL",
        )
        .bind(link)
        .bind(task.id())
        .bind(encode("portal work", body)?)
        .bind(at.to_string())
        .execute(&self.pool)
        .await
        .map_err(missing_or("portal link", link.to_string(), "save a draft"))?
        .rows_affected();
        if changed == 0 {
            return Err(StoreError::Refused(ALREADY_SUBMITTED.to_string()));
        }
        Ok(at)
    }

    async fn work(&self, link: i64, task: Task) -> R<Option<Work>> {
        let row = sqlx::query(
            "SELECT body, saved_at, submitted_at FROM portal_work WHERE link_id = ? AND task = ?",
        )
        .bind(link)
        .bind(task.id())
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query("read a draft"))?;
        let Some(row) = row else { return Ok(None) };
        let what = "portal work";
        let body: String = row.try_get("body").map_err(corrupt(what))?;
        Ok(Some(Work {
            task,
            body: serde_json::from_str(&body).map_err(|e| StoreError::Corrupt {
                what,
                detail: e.to_string(),
            })?,
            saved_at: ts(&row, "saved_at", what)?,
            submitted_at: opt_ts(&row, "submitted_at", what)?,
        }))
    }

    async fn submit_work(
        &self,
        link: i64,
        task: Task,
        body: &serde_json::Value,
        evidence: &SubmittedEvidence,
    ) -> R<Timestamp> {
        let mut tx = self.begin().await?;
        let l = link_in(&mut tx, link).await?;
        let at = Timestamp::now();
        let stamp = at.to_string();
        let changed = sqlx::query(
            "INSERT INTO portal_work (link_id, task, body, saved_at, submitted_at) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (link_id, task) DO UPDATE SET body = excluded.body, saved_at = excluded.saved_at,
                 submitted_at = excluded.submitted_at
             WHERE portal_work.submitted_at IS NULL",
        )
        .bind(link)
        .bind(task.id())
        .bind(encode("portal work", body)?)
        .bind(&stamp)
        .bind(&stamp)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::query("submit a task"))?
        .rows_affected();
        if changed == 0 {
            return Err(StoreError::Refused(ALREADY_SUBMITTED.to_string()));
        }
        sqlx::query(
            "INSERT INTO evidence (candidate_id, kind, source, body, created_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(l.candidate.0)
        .bind(&evidence.kind)
        .bind(&evidence.source)
        .bind(encode("portal evidence", &evidence.body)?)
        .bind(&stamp)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::query("attach evidence"))?;
        audit(
            &mut tx,
            PORTAL_ACTOR,
            "portal.submit",
            format!("candidate:{}", l.candidate),
            format!("{task} through link {link}; evidence {}", evidence.kind),
        )
        .await?;
        commit(tx).await?;
        Ok(at)
    }

    async fn request_erasure(&self, link: i64) -> R<ErasureRequest> {
        let mut tx = self.begin().await?;
        let l = link_in(&mut tx, link).await?;
        let open = sqlx::query(
            "SELECT * FROM erasure_requests WHERE candidate_id = ? AND erased_at IS NULL ORDER BY id LIMIT 1",
        )
        .bind(l.candidate.0)
        .fetch_optional(&mut *tx)
        .await
        .map_err(StoreError::query("find an erasure request"))?;
        if let Some(row) = open {
            return erasure(&row);
        }
        let row = sqlx::query(
            "INSERT INTO erasure_requests (candidate_id, requested_at) VALUES (?, ?) RETURNING *",
        )
        .bind(l.candidate.0)
        .bind(now())
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::query("record an erasure request"))?;
        let request = erasure(&row)?;
        audit(
            &mut tx,
            PORTAL_ACTOR,
            "candidate.erasure.request",
            format!("candidate:{}", l.candidate),
            format!("request {} through link {link}", request.id),
        )
        .await?;
        commit(tx).await?;
        Ok(request)
    }

    async fn erasure_requests(&self, candidate: CandidateId) -> R<Vec<ErasureRequest>> {
        sqlx::query("SELECT * FROM erasure_requests WHERE candidate_id = ? ORDER BY id DESC")
            .bind(candidate.0)
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("list erasure requests"))?
            .iter()
            .map(erasure)
            .collect()
    }

    async fn erase_candidate(
        &self,
        actor: &str,
        candidate: CandidateId,
        reason: &str,
    ) -> R<Erased> {
        let mut tx = self.begin().await?;
        let at = now();
        let found = sqlx::query(
            "UPDATE candidates SET name = ?, email = NULL, wants_leadership = NULL, gives_up = NULL,
                 links = NULL,
                 status_reason = CASE WHEN status = 'rejected' THEN status_reason ELSE NULL END,
                 erased_at = ?
             WHERE id = ? AND erased_at IS NULL",
        )
        .bind(erased_name(candidate))
        .bind(&at)
        .bind(candidate.0)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::query("replace a candidate's name and email"))?
        .rows_affected();
        if found == 0 {
            // Erased once only: a second erasure (another server's retention
            // run, a second click) changes nothing and logs nothing.
            let exists = sqlx::query("SELECT 1 FROM candidates WHERE id = ?")
                .bind(candidate.0)
                .fetch_optional(&mut *tx)
                .await
                .map_err(StoreError::query("find a candidate"))?
                .is_some();
            return Err(if exists {
                StoreError::Refused(format!("candidate {candidate} is already erased"))
            } else {
                StoreError::NotFound {
                    what: "candidate",
                    id: candidate.to_string(),
                }
            });
        }
        let work_deleted = sqlx::query(
            "DELETE FROM portal_work WHERE link_id IN (SELECT id FROM portal_links WHERE candidate_id = ?)",
        )
        .bind(candidate.0)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::query("delete a candidate's drafts"))?
        .rows_affected();
        let evidence_deleted = sqlx::query("DELETE FROM evidence WHERE candidate_id = ?")
            .bind(candidate.0)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query(
                "delete a candidate's answers and reviews",
            ))?
            .rows_affected();
        // What others wrote about the candidate is their personal data too.
        let mut records_deleted = 0;
        for (sql, action) in [
            (
                "DELETE FROM scorecards WHERE candidate_id = ?",
                "delete the candidate's scorecards",
            ),
            (
                "DELETE FROM candidate_references WHERE candidate_id = ?",
                "delete the candidate's references",
            ),
            (
                "DELETE FROM flag_resolutions WHERE candidate_id = ?",
                "delete the candidate's red-flag notes",
            ),
            (
                "DELETE FROM decisions WHERE candidate_id = ?",
                "delete the decisions on the candidate",
            ),
            (
                "DELETE FROM offers WHERE candidate_id = ?",
                "delete the candidate's offers",
            ),
            (
                "DELETE FROM onboarding_done WHERE candidate_id = ?",
                "delete the candidate's onboarding notes",
            ),
            (
                "DELETE FROM assignments WHERE candidate_id = ?",
                "delete the candidate's interview assignments",
            ),
            (
                "DELETE FROM candidate_notes WHERE candidate_id = ?",
                "delete the notes on the candidate",
            ),
            (
                "DELETE FROM candidate_files WHERE candidate_id = ?",
                "delete the candidate's files (the CV)",
            ),
            (
                "DELETE FROM outbox WHERE candidate_id = ?",
                "delete the messages about the candidate",
            ),
            (
                "DELETE FROM interview_slots WHERE candidate_id = ?",
                "delete the times offered to the candidate",
            ),
            (
                "DELETE FROM interviews WHERE candidate_id = ?",
                "delete the candidate's interviews",
            ),
            (
                "DELETE FROM self_identification WHERE candidate_id = ?",
                "delete the candidate's self-identification",
            ),
        ] {
            records_deleted += sqlx::query(sql)
                .bind(candidate.0)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::query(action))?
                .rows_affected();
        }
        // The kept debrief quotes the scorecards' notes: it goes with them now,
        // not at the next list read.
        sqlx::query(
            "UPDATE candidate_summary SET debrief = NULL, debrief_line = NULL, stale = 1
             WHERE candidate_id = ?",
        )
        .bind(candidate.0)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::query("forget the candidate's kept debrief"))?;
        let links_revoked = sqlx::query(
            "UPDATE portal_links SET revoked_at = ? WHERE candidate_id = ? AND revoked_at IS NULL",
        )
        .bind(&at)
        .bind(candidate.0)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::query("revoke a candidate's links"))?
        .rows_affected();
        sqlx::query(
            "UPDATE erasure_requests SET erased_at = ?, erased_by = ? WHERE candidate_id = ? AND erased_at IS NULL",
        )
        .bind(&at)
        .bind(actor)
        .bind(candidate.0)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::query("close erasure requests"))?;
        audit(
            &mut tx,
            actor,
            "candidate.erase",
            format!("candidate:{candidate}"),
            format!(
                "reason: {reason}; name and email replaced; {work_deleted} draft(s), {evidence_deleted} evidence record(s) and {records_deleted} other record(s) deleted; {links_revoked} link(s) revoked"
            ),
        )
        .await?;
        commit(tx).await?;
        // secure_delete zeroed the rows in the pages written above; older copies
        // of those pages may still sit in the write-ahead log until it is emptied.
        let flushed = crate::MaintenanceStore::checkpoint(self).await.is_ok();
        Ok(Erased {
            work_deleted,
            evidence_deleted,
            records_deleted,
            links_revoked,
            flushed,
        })
    }

    async fn inactive_candidates(&self, cutoff: Timestamp) -> R<Vec<CandidateId>> {
        // A page of candidates at a time (keyset on the id): the scan runs at
        // every start and hourly, and reading every candidate at once held
        // them all in memory together (10,000 rows at 10,000 candidates).
        // Every candidate and the audit's index: 2 MB of an idle server's
        // memory at 10,000 candidates when the pages stayed in a pooled
        // connection's cache.
        let mut connection = self
            .pass_connection("find candidates past the retention period")
            .await?;
        let mut due = Vec::new();
        let mut after = 0_i64;
        loop {
            let rows = sqlx::query(crate::portal::INACTIVE_PAGE_SQL_SQLITE)
                .bind(after)
                .fetch_all(&mut *connection)
                .await
                .map_err(StoreError::query(
                    "find candidates past the retention period",
                ))?;
            for row in &rows {
                let what = "candidate";
                let id: i64 = row.try_get("id").map_err(corrupt(what))?;
                after = id;
                // Timestamps are compared as values: their text varies in length.
                let last = match opt_ts(row, "last_at", what)? {
                    Some(t) => t,
                    None => ts(row, "created_at", what)?,
                };
                if last < cutoff {
                    due.push(CandidateId(id));
                }
            }
            if rows.len() < crate::portal::INACTIVE_PAGE {
                return Ok(due);
            }
        }
    }
}

impl SqliteStore {
    /// The write and its messages, in one transaction (see `MailStore`).
    pub(crate) async fn create_link_mailing(
        &self,
        actor: &str,
        new: &NewLink,
        mail: &[crate::NewMessage],
    ) -> R<PortalLink> {
        let mut tx = self.begin().await?;
        let at = now();
        // Timestamps are compared as values, not as text (their text varies in length).
        let open = sqlx::query(
            "SELECT id, expires_at FROM portal_links WHERE candidate_id = ? AND revoked_at IS NULL",
        )
        .bind(new.candidate.0)
        .fetch_all(&mut *tx)
        .await
        .map_err(StoreError::query("find earlier portal links"))?;
        let mut revoked = 0;
        for row in &open {
            if ts(row, "expires_at", "portal link")? <= Timestamp::now() {
                continue;
            }
            let id: i64 = row.try_get("id").map_err(corrupt("portal link"))?;
            sqlx::query("UPDATE portal_links SET revoked_at = ? WHERE id = ?")
                .bind(&at)
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::query("revoke an earlier portal link"))?;
            revoked += 1;
        }
        let id: i64 = sqlx::query(
            "INSERT INTO portal_links (candidate_id, token_hash, exercise, created_by, created_at, expires_at)
             VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(new.candidate.0)
        .bind(new.token_hash.as_str())
        .bind(&new.exercise)
        .bind(actor)
        .bind(&at)
        .bind(new.expires_at.to_string())
        .fetch_one(&mut *tx)
        .await
        .map_err(missing_or("candidate", new.candidate.to_string(), "create a portal link"))?
        .try_get("id")
        .map_err(corrupt("portal link id"))?;
        let mut detail = format!(
            "link {id}, exercise {}, expires {}",
            new.exercise,
            new.expires_at.strftime("%Y-%m-%d %H:%M UTC")
        );
        if revoked > 0 {
            detail.push_str(&format!("; {revoked} earlier link(s) revoked"));
        }
        audit(
            &mut tx,
            actor,
            "portal.link.create",
            format!("candidate:{}", new.candidate),
            detail,
        )
        .await?;
        let created = link_in(&mut tx, id).await?;
        super::mail::enqueue_in(&mut tx, actor, mail).await?;
        commit(tx).await?;
        Ok(created)
    }
}
