//! The ATS records on SQLite (see [`crate::ats`]).

use super::hiring::{audit, commit, corrupt, get, missing_or, ts};
use super::{SqliteStore, now};
use crate::StoreError;
use crate::ats::*;
use crate::hiring::{CandidateId, NewCandidate, OpeningId};
use sqlx::Row;
use sqlx::sqlite::SqliteRow;

type R<T> = Result<T, StoreError>;

fn note(row: &SqliteRow) -> R<NoteRecord> {
    Ok(NoteRecord {
        id: get(row, "id", "note")?,
        candidate: CandidateId(get(row, "candidate_id", "note")?),
        author: get(row, "author", "note")?,
        body: get(row, "body", "note")?,
        created_at: ts(row, "created_at", "note")?,
    })
}

fn file_meta(row: &SqliteRow) -> R<FileMeta> {
    Ok(FileMeta {
        id: get(row, "id", "file")?,
        candidate: CandidateId(get(row, "candidate_id", "file")?),
        kind: get(row, "kind", "file")?,
        file_name: get(row, "file_name", "file")?,
        content_type: get(row, "content_type", "file")?,
        size: get(row, "size", "file")?,
        created_at: ts(row, "created_at", "file")?,
    })
}

impl AtsStore for SqliteStore {
    async fn add_candidate_from(&self, actor: &str, c: &NewCandidate, o: &Origin) -> R<Added> {
        let mut tx = self.begin().await?;
        let status: Option<String> = sqlx::query("SELECT status FROM openings WHERE id = ?")
            .bind(c.opening.0)
            .fetch_optional(&mut *tx)
            .await
            .map_err(StoreError::query("read an opening"))?
            .map(|r| r.try_get("status"))
            .transpose()
            .map_err(corrupt("opening status"))?;
        match status.as_deref() {
            None => {
                return Err(StoreError::NotFound {
                    what: "opening",
                    id: c.opening.to_string(),
                });
            }
            Some("open") => {}
            Some(other) => {
                return Err(StoreError::Refused(format!(
                    "opening {} is {other}: it takes no new candidates; reopen it first",
                    c.opening
                )));
            }
        }
        if o.unique_email
            && let Some(email) = &c.email
        {
            let existing: Option<i64> = sqlx::query(
                "SELECT id FROM candidates WHERE opening_id = ? AND lower(email) = lower(?) ORDER BY id LIMIT 1",
            )
            .bind(c.opening.0)
            .bind(email)
            .fetch_optional(&mut *tx)
            .await
            .map_err(StoreError::query("find a candidate by e-mail"))?
            .map(|r| r.try_get("id"))
            .transpose()
            .map_err(corrupt("candidate id"))?;
            if let Some(id) = existing {
                commit(tx).await?;
                return Ok(Added::Duplicate(CandidateId(id)));
            }
        }
        let at = now();
        let id: i64 = sqlx::query(
            "INSERT INTO candidates (opening_id, name, email, internal, wants_leadership, gives_up, stage, created_at, source, links)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(c.opening.0)
        .bind(&c.name)
        .bind(&c.email)
        .bind(i64::from(c.internal))
        .bind(&c.wants_leadership)
        .bind(&c.gives_up)
        .bind(&c.stage)
        .bind(&at)
        .bind(&o.source)
        .bind(&o.links)
        .fetch_one(&mut *tx)
        .await
        .map_err(StoreError::query("add a candidate"))?
        .try_get("id")
        .map_err(corrupt("candidate id"))?;
        if let Some(f) = &o.cv {
            sqlx::query(
                "INSERT INTO candidate_files (candidate_id, kind, file_name, content_type, bytes, created_at) VALUES (?, 'cv', ?, ?, ?, ?)",
            )
            .bind(id)
            .bind(&f.file_name)
            .bind(&f.content_type)
            .bind(&f.bytes)
            .bind(&at)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query("keep a CV"))?;
        }
        let self_id = match &o.self_id {
            Some(s) if s.says_anything() => {
                super::reports::insert_self_id(&mut tx, CandidateId(id), s).await?;
                ", with a self-identification"
            }
            _ => "",
        };
        let kind = if c.internal { "internal" } else { "external" };
        let action = if o.source == "applied" {
            "candidate.apply"
        } else {
            "candidate.add"
        };
        let cv = if o.cv.is_some() { ", with a CV" } else { "" };
        audit(
            &mut tx,
            actor,
            action,
            format!("candidate:{id}"),
            format!(
                "opening {}, {kind}, stage {}, source {}{cv}{self_id}",
                c.opening, c.stage, o.source
            ),
        )
        .await?;
        commit(tx).await?;
        Ok(Added::Created(CandidateId(id)))
    }

    async fn set_candidate_status(
        &self,
        actor: &str,
        id: CandidateId,
        from: &str,
        to: &str,
        reason: Option<&str>,
    ) -> R<()> {
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "UPDATE candidates SET status = ?, status_reason = ? WHERE id = ? AND status = ?",
        )
        .bind(to)
        .bind(reason)
        .bind(id.0)
        .bind(from)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::query("change a candidate's status"))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Refused(format!(
                "candidate {id} is no longer {from}; reload and try again"
            )));
        }
        // Only a rejection reason (an id from the framework) goes into the
        // log; a free note is personal data and stays on the record.
        let detail = match (to, reason) {
            ("rejected", Some(r)) => format!("from {from} to {to}, reason {r}"),
            _ => format!("from {from} to {to}"),
        };
        audit(
            &mut tx,
            actor,
            "candidate.status",
            format!("candidate:{id}"),
            detail,
        )
        .await?;
        commit(tx).await
    }

    async fn set_opening_status(&self, actor: &str, id: OpeningId, from: &str, to: &str) -> R<()> {
        let mut tx = self.begin().await?;
        let done = sqlx::query("UPDATE openings SET status = ? WHERE id = ? AND status = ?")
            .bind(to)
            .bind(id.0)
            .bind(from)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query("change an opening's status"))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Refused(format!(
                "opening {id} is no longer {from}; reload and try again"
            )));
        }
        let action = match to {
            "open" => "opening.reopen",
            "archived" => "opening.archive",
            _ => "opening.close",
        };
        audit(
            &mut tx,
            actor,
            action,
            format!("opening:{id}"),
            format!("from {from} to {to}"),
        )
        .await?;
        commit(tx).await
    }

    async fn add_note(&self, actor: &str, id: CandidateId, body: &str) -> R<i64> {
        let mut tx = self.begin().await?;
        let note: i64 = sqlx::query(
            "INSERT INTO candidate_notes (candidate_id, author, body, created_at) VALUES (?, ?, ?, ?) RETURNING id",
        )
        .bind(id.0)
        .bind(actor)
        .bind(body)
        .bind(now())
        .fetch_one(&mut *tx)
        .await
        .map_err(missing_or("candidate", id.to_string(), "add a note"))?
        .try_get("id")
        .map_err(corrupt("note id"))?;
        audit(
            &mut tx,
            actor,
            "note.add",
            format!("candidate:{id}"),
            format!("note {note}"),
        )
        .await?;
        commit(tx).await?;
        Ok(note)
    }

    async fn notes(&self, id: CandidateId) -> R<Vec<NoteRecord>> {
        sqlx::query("SELECT * FROM candidate_notes WHERE candidate_id = ? ORDER BY id")
            .bind(id.0)
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("list notes"))?
            .iter()
            .map(note)
            .collect()
    }

    async fn files(&self, id: CandidateId) -> R<Vec<FileMeta>> {
        sqlx::query(
            "SELECT id, candidate_id, kind, file_name, content_type, length(bytes) AS size, created_at
             FROM candidate_files WHERE candidate_id = ? ORDER BY id",
        )
            .bind(id.0)
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("list a candidate's files"))?
            .iter()
            .map(file_meta)
            .collect()
    }

    async fn file(&self, id: CandidateId, file: i64) -> R<Option<FileRecord>> {
        let row = sqlx::query(
            "SELECT id, candidate_id, kind, file_name, content_type, length(bytes) AS size, created_at, bytes
             FROM candidate_files WHERE candidate_id = ? AND id = ?",
        )
        .bind(id.0)
        .bind(file)
        .fetch_optional(&self.pool)
        .await
        .map_err(StoreError::query("read a file"))?;
        row.map(|r| {
            Ok(FileRecord {
                meta: file_meta(&r)?,
                bytes: get(&r, "bytes", "file")?,
            })
        })
        .transpose()
    }
}
