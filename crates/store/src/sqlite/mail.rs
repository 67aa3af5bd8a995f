//! The outbox, addresses, interviews and slots on SQLite.
//!
//! Times this module compares in SQL (when a message is due, whether two
//! interviews overlap) are stored as fixed-width UTC text to the second, so text
//! order is time order.

use super::hiring::{audit, commit, corrupt, get, missing_or, opt_ts, ts};
use super::{SqliteStore, now};
use crate::StoreError;
use crate::hiring::CandidateId;
use crate::mail::*;
use crate::portal::{NewLink, PortalLink};
use jiff::Timestamp;
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, Sqlite, Transaction};

type R<T> = Result<T, StoreError>;

/// Fixed-width UTC text to the second.
pub(crate) fn fixed(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Queue `mail` inside `tx` (skipping messages whose dedupe key is taken);
/// returns the ids queued.
pub(super) async fn enqueue_in(
    tx: &mut Transaction<'_, Sqlite>,
    actor: &str,
    mail: &[NewMessage],
) -> R<Vec<i64>> {
    let at = now();
    let due = fixed(Timestamp::now());
    let mut ids = Vec::new();
    for m in mail {
        let row = sqlx::query(
            "INSERT INTO outbox (kind, candidate_id, recipient, recipient_name, subject, body, calendar,
                 dedupe_key, state, next_attempt_at, created_by, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)
             ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
        )
        .bind(&m.kind)
        .bind(m.candidate.map(|c| c.0))
        .bind(&m.recipient)
        .bind(&m.recipient_name)
        .bind(&m.subject)
        .bind(&m.body)
        .bind(&m.calendar)
        .bind(&m.dedupe_key)
        .bind(&due)
        .bind(actor)
        .bind(&at)
        .fetch_optional(&mut **tx)
        .await
        .map_err(StoreError::query("queue a message"))?;
        if let Some(row) = row {
            ids.push(get::<i64>(&row, "id", "message id")?);
        }
    }
    Ok(ids)
}

macro_rules! select_messages {
    () => {
        "SELECT id, kind, candidate_id, recipient, recipient_name, subject, body, calendar, state,
    attempts, next_attempt_at, claimed_until, created_by, created_at, sent_at, last_error FROM outbox"
    };
}

fn message(row: &SqliteRow) -> R<MessageRecord> {
    const W: &str = "outbox row";
    let state: String = get(row, "state", W)?;
    Ok(MessageRecord {
        id: get(row, "id", W)?,
        kind: get(row, "kind", W)?,
        candidate: get::<Option<i64>>(row, "candidate_id", W)?.map(CandidateId),
        recipient: get(row, "recipient", W)?,
        recipient_name: get(row, "recipient_name", W)?,
        subject: get(row, "subject", W)?,
        body: get(row, "body", W)?,
        calendar: get(row, "calendar", W)?,
        state: MessageState::parse(&state).map_err(|detail| StoreError::Corrupt {
            what: "message state",
            detail,
        })?,
        attempts: get(row, "attempts", W)?,
        next_attempt_at: ts(row, "next_attempt_at", W)?,
        claimed_until: opt_ts(row, "claimed_until", W)?,
        created_by: get(row, "created_by", W)?,
        created_at: ts(row, "created_at", W)?,
        sent_at: opt_ts(row, "sent_at", W)?,
        last_error: get(row, "last_error", W)?,
    })
}

macro_rules! select_interviews {
    () => {
        "SELECT i.id, i.candidate_id, i.stage, i.starts_at, i.ends_at, i.place, i.video_link, i.uid,
    i.sequence, i.cancelled_at, i.created_by, i.created_at,
    (SELECT json_group_array(interviewer) FROM (SELECT interviewer FROM interview_people p
        WHERE p.interview_id = i.id ORDER BY interviewer)) AS people
    FROM interviews i"
    };
}

fn interview(row: &SqliteRow) -> R<InterviewRecord> {
    const W: &str = "interview row";
    let people: String = get(row, "people", W)?;
    Ok(InterviewRecord {
        id: get(row, "id", W)?,
        candidate: CandidateId(get(row, "candidate_id", W)?),
        stage: get(row, "stage", W)?,
        starts_at: ts(row, "starts_at", W)?,
        ends_at: ts(row, "ends_at", W)?,
        place: get(row, "place", W)?,
        video_link: get(row, "video_link", W)?,
        interviewers: super::hiring::decode("interviewers", &people)?,
        uid: get(row, "uid", W)?,
        sequence: get(row, "sequence", W)?,
        cancelled_at: opt_ts(row, "cancelled_at", W)?,
        created_by: get(row, "created_by", W)?,
        created_at: ts(row, "created_at", W)?,
    })
}

fn slot(row: &SqliteRow) -> R<SlotRecord> {
    const W: &str = "slot row";
    let people: String = get(row, "interviewers", W)?;
    Ok(SlotRecord {
        id: get(row, "id", W)?,
        candidate: CandidateId(get(row, "candidate_id", W)?),
        stage: get(row, "stage", W)?,
        starts_at: ts(row, "starts_at", W)?,
        ends_at: ts(row, "ends_at", W)?,
        place: get(row, "place", W)?,
        video_link: get(row, "video_link", W)?,
        interviewers: super::hiring::decode("slot interviewers", &people)?,
        created_by: get(row, "created_by", W)?,
        taken_by: get(row, "taken_by", W)?,
    })
}

async fn interview_in(tx: &mut Transaction<'_, Sqlite>, id: i64) -> R<InterviewRecord> {
    sqlx::query(concat!(select_interviews!(), " WHERE i.id = ?"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(StoreError::query("read an interview"))?
        .as_ref()
        .map(interview)
        .transpose()?
        .ok_or(StoreError::NotFound {
            what: "interview",
            id: id.to_string(),
        })
}

/// Refuse when one of `people` has another live interview overlapping
/// [`starts`, `ends`) (other than `except`).
async fn check_free(
    tx: &mut Transaction<'_, Sqlite>,
    people: &[String],
    starts: Timestamp,
    ends: Timestamp,
    except: Option<i64>,
) -> R<()> {
    for person in people {
        let clash = sqlx::query(
            "SELECT i.id, i.starts_at FROM interviews i JOIN interview_people p ON p.interview_id = i.id
             WHERE p.interviewer = ? AND i.cancelled_at IS NULL AND i.id IS NOT ?
               AND i.starts_at < ? AND i.ends_at > ?
             ORDER BY i.starts_at LIMIT 1",
        )
        .bind(person)
        .bind(except)
        .bind(fixed(ends))
        .bind(fixed(starts))
        .fetch_optional(&mut **tx)
        .await
        .map_err(StoreError::query("look for overlapping interviews"))?;
        if let Some(row) = clash {
            let at: String = get(&row, "starts_at", "interview")?;
            return Err(StoreError::Refused(format!(
                "{person} already has an interview at an overlapping time (starting {at}); pick another time"
            )));
        }
    }
    Ok(())
}

async fn book_in(
    tx: &mut Transaction<'_, Sqlite>,
    actor: &str,
    new: &NewInterview,
) -> R<InterviewRecord> {
    check_free(tx, &new.interviewers, new.starts_at, new.ends_at, None).await?;
    let id: i64 = sqlx::query(
        "INSERT INTO interviews (candidate_id, stage, starts_at, ends_at, place, video_link, uid, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(new.candidate.0)
    .bind(&new.stage)
    .bind(fixed(new.starts_at))
    .bind(fixed(new.ends_at))
    .bind(&new.place)
    .bind(&new.video_link)
    .bind(&new.uid)
    .bind(actor)
    .bind(now())
    .fetch_one(&mut **tx)
    .await
    .map_err(missing_or("candidate", new.candidate.to_string(), "book an interview"))?
    .try_get("id")
    .map_err(corrupt("interview id"))?;
    for person in &new.interviewers {
        sqlx::query(
            "INSERT OR IGNORE INTO interview_people (interview_id, interviewer) VALUES (?, ?)",
        )
        .bind(id)
        .bind(person)
        .execute(&mut **tx)
        .await
        .map_err(StoreError::query("name an interview's interviewers"))?;
    }
    audit(
        tx,
        actor,
        "interview.schedule",
        format!("candidate:{}", new.candidate),
        format!(
            "interview {id}, stage {}, {} with {}",
            new.stage,
            fixed(new.starts_at),
            new.interviewers.join(", ")
        ),
    )
    .await?;
    interview_in(tx, id).await
}

impl crate::MailStore for SqliteStore {
    async fn set_email(&self, actor: &str, name: &str, email: Option<&str>) -> R<()> {
        let mut tx = self.begin().await?;
        let done = sqlx::query("UPDATE users SET email = ? WHERE name = ?")
            .bind(email)
            .bind(name)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query("set an account's e-mail address"))?
            .rows_affected();
        if done == 0 {
            return Err(StoreError::NotFound {
                what: "account",
                id: name.to_string(),
            });
        }
        let detail = if email.is_some() { "set" } else { "cleared" };
        audit(
            &mut tx,
            actor,
            "user.email",
            format!("user:{name}"),
            detail.into(),
        )
        .await?;
        commit(tx).await
    }

    async fn enqueue(
        &self,
        actor: &str,
        action: &str,
        subject: &str,
        mail: &[NewMessage],
    ) -> R<Vec<i64>> {
        let mut tx = self.begin().await?;
        let ids = enqueue_in(&mut tx, actor, mail).await?;
        if !action.is_empty() && !ids.is_empty() {
            let list: Vec<String> = ids.iter().map(i64::to_string).collect();
            audit(
                &mut tx,
                actor,
                action,
                subject.to_string(),
                format!("message {}", list.join(", ")),
            )
            .await?;
        }
        commit(tx).await?;
        Ok(ids)
    }

    async fn assign_mailing(
        &self,
        actor: &str,
        id: CandidateId,
        stages: &[String],
        interviewer: &str,
        mail: &[NewMessage],
    ) -> R<()> {
        SqliteStore::assign_mailing(self, actor, id, stages, interviewer, mail).await
    }

    async fn create_link_mailing(
        &self,
        actor: &str,
        link: &NewLink,
        mail: &[NewMessage],
    ) -> R<PortalLink> {
        SqliteStore::create_link_mailing(self, actor, link, mail).await
    }

    async fn record_offer_mailing(
        &self,
        actor: &str,
        id: CandidateId,
        offer: &serde_json::Value,
        mail: &[NewMessage],
    ) -> R<i64> {
        SqliteStore::record_offer_mailing(self, actor, id, offer, mail).await
    }

    async fn messages(&self, state: Option<MessageState>, limit: i64) -> R<Vec<MessageRecord>> {
        let mut q = sqlx::QueryBuilder::<Sqlite>::new(concat!(select_messages!(), " WHERE 1 = 1"));
        if let Some(state) = state {
            q.push(" AND state = ").push_bind(state.id());
        }
        // The limit is written, not bound (see `push_limit` in lists.rs).
        q.push(format!(" ORDER BY id DESC LIMIT {limit}"));
        q.build()
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("list messages"))?
            .iter()
            .map(message)
            .collect()
    }

    async fn message(&self, id: i64) -> R<Option<(MessageRecord, Vec<AttemptRecord>)>> {
        let Some(found) = sqlx::query(concat!(select_messages!(), " WHERE id = ?"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(StoreError::query("read a message"))?
            .as_ref()
            .map(message)
            .transpose()?
        else {
            return Ok(None);
        };
        let attempts = sqlx::query(
            "SELECT attempt, at, outcome, detail FROM outbox_attempts WHERE message_id = ? ORDER BY attempt",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("read a message's attempts"))?
        .iter()
        .map(|row| {
            Ok(AttemptRecord {
                attempt: get(row, "attempt", "attempt")?,
                at: ts(row, "at", "attempt")?,
                outcome: get(row, "outcome", "attempt")?,
                detail: get(row, "detail", "attempt")?,
            })
        })
        .collect::<R<Vec<_>>>()?;
        Ok(Some((found, attempts)))
    }

    async fn retry_message(&self, actor: &str, id: i64) -> R<()> {
        let mut tx = self.begin().await?;
        let state: Option<String> = sqlx::query("SELECT state FROM outbox WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(StoreError::query("find a message"))?
            .map(|row| get(&row, "state", "message"))
            .transpose()?;
        match state.as_deref() {
            None => {
                return Err(StoreError::NotFound {
                    what: "message",
                    id: id.to_string(),
                });
            }
            Some("sent") => {
                return Err(StoreError::Refused(format!(
                    "message {id} was already accepted by the mail server; it is not sent twice"
                )));
            }
            Some("sending") => {
                return Err(StoreError::Refused(format!(
                    "message {id} is being sent right now; look again in a moment"
                )));
            }
            Some(_) => {}
        }
        sqlx::query(
            "UPDATE outbox SET state = 'pending', next_attempt_at = ?, claimed_until = NULL WHERE id = ?",
        )
        .bind(fixed(Timestamp::now()))
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::query("make a message due again"))?;
        audit(
            &mut tx,
            actor,
            "mail.retry",
            format!("mail:{id}"),
            String::new(),
        )
        .await?;
        commit(tx).await
    }

    async fn claim_due(&self, now: Timestamp, lease_until: Timestamp) -> R<Option<MessageRecord>> {
        let mut tx = self.begin().await?;
        let at = fixed(now);
        let claimed = sqlx::query(
            "UPDATE outbox SET state = 'sending', claimed_until = ?, attempts = attempts + 1
             WHERE id = (SELECT id FROM outbox
                 WHERE (state = 'pending' AND next_attempt_at <= ?)
                    OR (state = 'sending' AND claimed_until <= ?)
                 ORDER BY next_attempt_at, id LIMIT 1)
             RETURNING id",
        )
        .bind(fixed(lease_until))
        .bind(&at)
        .bind(&at)
        .fetch_optional(&mut *tx)
        .await
        .map_err(StoreError::query("claim a due message"))?;
        let Some(row) = claimed else {
            commit(tx).await?;
            return Ok(None);
        };
        let id: i64 = get(&row, "id", "message id")?;
        let record = sqlx::query(concat!(select_messages!(), " WHERE id = ?"))
            .bind(id)
            .fetch_one(&mut *tx)
            .await
            .map_err(StoreError::query("read a claimed message"))?;
        let record = message(&record)?;
        commit(tx).await?;
        Ok(Some(record))
    }

    async fn finish_attempt(
        &self,
        id: i64,
        attempt: i64,
        at: Timestamp,
        outcome: &AttemptOutcome,
    ) -> R<()> {
        let mut tx = self.begin().await?;
        // Only the claim that is still current may acknowledge: a worker whose
        // claim lapsed and was taken over writes nothing.
        let (state, next, error, label, detail, sent_at) = match outcome {
            AttemptOutcome::Sent { detail } => {
                ("sent", fixed(at), None, "sent", detail, Some(fixed(at)))
            }
            AttemptOutcome::Failed {
                detail,
                retry_at: Some(retry),
            } => (
                "pending",
                fixed(*retry),
                Some(detail.clone()),
                "failed",
                detail,
                None,
            ),
            AttemptOutcome::Failed {
                detail,
                retry_at: None,
            } => (
                "failed",
                fixed(at),
                Some(detail.clone()),
                "gave-up",
                detail,
                None,
            ),
        };
        let done = sqlx::query(
            "UPDATE outbox SET state = ?, next_attempt_at = ?, claimed_until = NULL,
                 last_error = COALESCE(?, last_error), sent_at = COALESCE(?, sent_at)
             WHERE id = ? AND state = 'sending' AND attempts = ?",
        )
        .bind(state)
        .bind(&next)
        .bind(&error)
        .bind(&sent_at)
        .bind(id)
        .bind(attempt)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::query("record a delivery attempt"))?
        .rows_affected();
        if done == 0 {
            return Err(StoreError::Refused(format!(
                "message {id} attempt {attempt} is no longer claimed by this worker"
            )));
        }
        sqlx::query(
            "INSERT OR REPLACE INTO outbox_attempts (message_id, attempt, at, outcome, detail) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(attempt)
        .bind(fixed(at))
        .bind(label)
        .bind(detail)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::query("record a delivery attempt"))?;
        audit(
            &mut tx,
            "mail worker",
            &format!("mail.{label}"),
            format!("mail:{id}"),
            format!("attempt {attempt}"),
        )
        .await?;
        commit(tx).await
    }

    async fn schedule_interview(
        &self,
        actor: &str,
        new: &NewInterview,
        mail: &[NewMessage],
    ) -> R<InterviewRecord> {
        let mut tx = self.begin().await?;
        let booked = book_in(&mut tx, actor, new).await?;
        enqueue_in(&mut tx, actor, mail).await?;
        commit(tx).await?;
        Ok(booked)
    }

    async fn change_interview(
        &self,
        actor: &str,
        id: i64,
        sequence: i64,
        change: &InterviewChange,
        mail: &[NewMessage],
    ) -> R<InterviewRecord> {
        let mut tx = self.begin().await?;
        let current = interview_in(&mut tx, id).await?;
        if current.cancelled_at.is_some() {
            return Err(StoreError::Refused(format!(
                "interview {id} was cancelled; schedule a new one"
            )));
        }
        if current.sequence != sequence {
            return Err(StoreError::Refused(format!(
                "interview {id} changed meanwhile; reload it and try again"
            )));
        }
        let (action, detail) = match change {
            InterviewChange::Move { starts_at, ends_at } => {
                check_free(
                    &mut tx,
                    &current.interviewers,
                    *starts_at,
                    *ends_at,
                    Some(id),
                )
                .await?;
                sqlx::query(
                    "UPDATE interviews SET starts_at = ?, ends_at = ?, sequence = sequence + 1 WHERE id = ?",
                )
                .bind(fixed(*starts_at))
                .bind(fixed(*ends_at))
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::query("move an interview"))?;
                (
                    "interview.move",
                    format!("interview {id} to {}", fixed(*starts_at)),
                )
            }
            InterviewChange::Cancel => {
                sqlx::query(
                    "UPDATE interviews SET cancelled_at = ?, sequence = sequence + 1 WHERE id = ?",
                )
                .bind(now())
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::query("cancel an interview"))?;
                ("interview.cancel", format!("interview {id}"))
            }
        };
        audit(
            &mut tx,
            actor,
            action,
            format!("candidate:{}", current.candidate),
            detail,
        )
        .await?;
        enqueue_in(&mut tx, actor, mail).await?;
        let changed = interview_in(&mut tx, id).await?;
        commit(tx).await?;
        Ok(changed)
    }

    async fn interview(&self, id: i64) -> R<Option<InterviewRecord>> {
        sqlx::query(concat!(select_interviews!(), " WHERE i.id = ?"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(StoreError::query("read an interview"))?
            .as_ref()
            .map(interview)
            .transpose()
    }

    async fn interviews(&self, candidate: CandidateId) -> R<Vec<InterviewRecord>> {
        sqlx::query(concat!(
            select_interviews!(),
            " WHERE i.candidate_id = ? ORDER BY i.starts_at, i.id"
        ))
        .bind(candidate.0)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("list interviews"))?
        .iter()
        .map(interview)
        .collect()
    }

    async fn ended_interviews(&self, before: Timestamp) -> R<Vec<InterviewRecord>> {
        sqlx::query(concat!(
            select_interviews!(),
            " WHERE i.cancelled_at IS NULL AND i.ends_at <= ? ORDER BY i.id"
        ))
        .bind(fixed(before))
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("list ended interviews"))?
        .iter()
        .map(interview)
        .collect()
    }

    async fn offer_slots(
        &self,
        actor: &str,
        slots: &[NewSlot],
        mail: &[NewMessage],
    ) -> R<Vec<i64>> {
        let mut tx = self.begin().await?;
        let mut ids = Vec::new();
        for s in slots {
            let people = super::hiring::encode("slot interviewers", &s.interviewers)?;
            let id: i64 = sqlx::query(
                "INSERT INTO interview_slots (candidate_id, stage, starts_at, ends_at, place, video_link,
                     interviewers, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            )
            .bind(s.candidate.0)
            .bind(&s.stage)
            .bind(fixed(s.starts_at))
            .bind(fixed(s.ends_at))
            .bind(&s.place)
            .bind(&s.video_link)
            .bind(people)
            .bind(actor)
            .bind(now())
            .fetch_one(&mut *tx)
            .await
            .map_err(missing_or("candidate", s.candidate.to_string(), "offer a slot"))?
            .try_get("id")
            .map_err(corrupt("slot id"))?;
            audit(
                &mut tx,
                actor,
                "interview.slot.offer",
                format!("candidate:{}", s.candidate),
                format!("slot {id}, stage {}, {}", s.stage, fixed(s.starts_at)),
            )
            .await?;
            ids.push(id);
        }
        enqueue_in(&mut tx, actor, mail).await?;
        commit(tx).await?;
        Ok(ids)
    }

    async fn slots(&self, candidate: CandidateId) -> R<Vec<SlotRecord>> {
        sqlx::query(
            "SELECT id, candidate_id, stage, starts_at, ends_at, place, video_link, interviewers, created_by, taken_by
             FROM interview_slots WHERE candidate_id = ? ORDER BY starts_at, id",
        )
        .bind(candidate.0)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("list slots"))?
        .iter()
        .map(slot)
        .collect()
    }

    async fn take_slot(
        &self,
        actor: &str,
        slot_id: i64,
        uid: &str,
        mail: &[NewMessage],
    ) -> R<InterviewRecord> {
        let mut tx = self.begin().await?;
        let found = sqlx::query(
            "SELECT id, candidate_id, stage, starts_at, ends_at, place, video_link, interviewers, created_by, taken_by
             FROM interview_slots WHERE id = ?",
        )
        .bind(slot_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(StoreError::query("find a slot"))?
        .as_ref()
        .map(slot)
        .transpose()?
        .ok_or(StoreError::NotFound {
            what: "slot",
            id: slot_id.to_string(),
        })?;
        // One pick per stage: the first slot taken books the interview.
        let taken = sqlx::query(
            "SELECT 1 FROM interview_slots WHERE candidate_id = ? AND stage = ? AND taken_by IS NOT NULL",
        )
        .bind(found.candidate.0)
        .bind(&found.stage)
        .fetch_optional(&mut *tx)
        .await
        .map_err(StoreError::query("look for a slot already taken"))?;
        if taken.is_some() {
            return Err(StoreError::Refused(
                "a time for this interview is already chosen".into(),
            ));
        }
        let booked = book_in(
            &mut tx,
            actor,
            &NewInterview {
                candidate: found.candidate,
                stage: found.stage.clone(),
                starts_at: found.starts_at,
                ends_at: found.ends_at,
                place: found.place.clone(),
                video_link: found.video_link.clone(),
                interviewers: found.interviewers.clone(),
                uid: uid.to_string(),
            },
        )
        .await?;
        sqlx::query("UPDATE interview_slots SET taken_by = ? WHERE id = ?")
            .bind(booked.id)
            .bind(slot_id)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query("mark a slot taken"))?;
        enqueue_in(&mut tx, actor, mail).await?;
        commit(tx).await?;
        Ok(booked)
    }
}
