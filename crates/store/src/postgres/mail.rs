//! MailStore on PostgreSQL.

use super::PgStore;
#[allow(unused_imports)]
use super::{R, audit, commit, corrupt, decode, encode, get, missing_or, now, ts};
use crate::*;

impl MailStore for PgStore {
    async fn set_email(
        &self,
        _actor: &str,
        _name: &str,
        _email: Option<&str>,
    ) -> Result<(), StoreError> {
        Err(super::unported("set_email"))
    }
    async fn enqueue(
        &self,
        _actor: &str,
        _action: &str,
        _subject: &str,
        _mail: &[NewMessage],
    ) -> Result<Vec<i64>, StoreError> {
        Err(super::unported("enqueue"))
    }
    async fn assign_mailing(
        &self,
        _actor: &str,
        _id: CandidateId,
        _stages: &[String],
        _interviewer: &str,
        _mail: &[NewMessage],
    ) -> Result<(), StoreError> {
        Err(super::unported("assign_mailing"))
    }
    async fn create_link_mailing(
        &self,
        _actor: &str,
        _link: &NewLink,
        _mail: &[NewMessage],
    ) -> Result<PortalLink, StoreError> {
        Err(super::unported("create_link_mailing"))
    }
    async fn record_offer_mailing(
        &self,
        _actor: &str,
        _id: CandidateId,
        _offer: &serde_json::Value,
        _mail: &[NewMessage],
    ) -> Result<i64, StoreError> {
        Err(super::unported("record_offer_mailing"))
    }
    async fn messages(
        &self,
        _state: Option<MessageState>,
        _limit: i64,
    ) -> Result<Vec<MessageRecord>, StoreError> {
        Err(super::unported("messages"))
    }
    async fn message(
        &self,
        _id: i64,
    ) -> Result<Option<(MessageRecord, Vec<AttemptRecord>)>, StoreError> {
        Err(super::unported("message"))
    }
    async fn retry_message(&self, _actor: &str, _id: i64) -> Result<(), StoreError> {
        Err(super::unported("retry_message"))
    }
    async fn claim_due(
        &self,
        _now: Timestamp,
        _lease_until: Timestamp,
    ) -> Result<Option<MessageRecord>, StoreError> {
        Err(super::unported("claim_due"))
    }
    async fn finish_attempt(
        &self,
        _id: i64,
        _attempt: i64,
        _at: Timestamp,
        _outcome: &AttemptOutcome,
    ) -> Result<(), StoreError> {
        Err(super::unported("finish_attempt"))
    }
    async fn schedule_interview(
        &self,
        _actor: &str,
        _new: &NewInterview,
        _mail: &[NewMessage],
    ) -> Result<InterviewRecord, StoreError> {
        Err(super::unported("schedule_interview"))
    }
    async fn change_interview(
        &self,
        _actor: &str,
        _id: i64,
        _sequence: i64,
        _change: &InterviewChange,
        _mail: &[NewMessage],
    ) -> Result<InterviewRecord, StoreError> {
        Err(super::unported("change_interview"))
    }
    async fn interview(&self, _id: i64) -> Result<Option<InterviewRecord>, StoreError> {
        Err(super::unported("interview"))
    }
    async fn interviews(
        &self,
        _candidate: CandidateId,
    ) -> Result<Vec<InterviewRecord>, StoreError> {
        Err(super::unported("interviews"))
    }
    async fn ended_interviews(
        &self,
        _before: Timestamp,
    ) -> Result<Vec<InterviewRecord>, StoreError> {
        Err(super::unported("ended_interviews"))
    }
    async fn offer_slots(
        &self,
        _actor: &str,
        _slots: &[NewSlot],
        _mail: &[NewMessage],
    ) -> Result<Vec<i64>, StoreError> {
        Err(super::unported("offer_slots"))
    }
    async fn slots(&self, _candidate: CandidateId) -> Result<Vec<SlotRecord>, StoreError> {
        Err(super::unported("slots"))
    }
    async fn take_slot(
        &self,
        _actor: &str,
        _slot: i64,
        _uid: &str,
        _mail: &[NewMessage],
    ) -> Result<InterviewRecord, StoreError> {
        Err(super::unported("take_slot"))
    }
}

/// Fixed-width UTC text to the second (as on SQLite: text order is time order).
#[allow(dead_code)] // used as the modules are ported
pub(crate) fn fixed(t: jiff::Timestamp) -> String {
    crate::sqlite::fixed(t)
}

/// Queue `mail` inside `tx` (skipping messages whose dedupe key is taken);
/// returns the ids queued. Other modules' writes that tell someone call this.
#[allow(dead_code)] // used as the modules are ported
pub(crate) async fn enqueue_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    actor: &str,
    mail: &[NewMessage],
) -> R<Vec<i64>> {
    let at = now();
    let due = fixed(jiff::Timestamp::now());
    let mut ids = Vec::new();
    for m in mail {
        let row = sqlx::query(
            "INSERT INTO outbox (kind, candidate_id, recipient, recipient_name, subject, body, calendar,
                 dedupe_key, state, next_attempt_at, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $10, $11)
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
        .map_err(crate::StoreError::query("queue a message"))?;
        if let Some(row) = row {
            ids.push(get::<i64>(&row, "id", "message id")?);
        }
    }
    Ok(ids)
}
