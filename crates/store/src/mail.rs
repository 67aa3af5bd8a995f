//! Mail and scheduling: the outbox (every message written in the transaction of
//! the action that causes it, then claimed, sent and acknowledged by a delivery
//! worker), accounts' e-mail addresses, scheduled interviews and offered slots.

use crate::StoreError;
use crate::hiring::CandidateId;
use crate::portal::{NewLink, PortalLink};
use jiff::Timestamp;
use serde::Serialize;
use std::future::Future;

/// A message to queue, composed by a use case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMessage {
    /// What caused it: `portal-link`, `assigned`, `interview`, `reminder`,
    /// `rejection`, `offer`.
    pub kind: String,
    /// The candidate it is about, so erasure removes it.
    pub candidate: Option<CandidateId>,
    pub recipient: String,
    pub recipient_name: String,
    pub subject: String,
    pub body: String,
    /// An iCalendar object sent as a `text/calendar` part.
    pub calendar: Option<String>,
    /// When set, a second message with the same key is not queued.
    pub dedupe_key: Option<String>,
}

/// Where a message is on its way out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MessageState {
    /// Waiting for its (next) attempt.
    Pending,
    /// Claimed by a worker; if the claim lapses (the worker died) it is due again.
    Sending,
    /// The SMTP server accepted it.
    Sent,
    /// Every attempt failed; an admin may retry it.
    Failed,
}

impl MessageState {
    pub fn id(self) -> &'static str {
        match self {
            MessageState::Pending => "pending",
            MessageState::Sending => "sending",
            MessageState::Sent => "sent",
            MessageState::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Result<MessageState, String> {
        match s.trim() {
            "pending" => Ok(MessageState::Pending),
            "sending" => Ok(MessageState::Sending),
            "sent" => Ok(MessageState::Sent),
            "failed" => Ok(MessageState::Failed),
            other => Err(format!(
                "`{other}` is not a message state; use pending, sending, sent or failed"
            )),
        }
    }
}

/// A queued message as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MessageRecord {
    pub id: i64,
    pub kind: String,
    pub candidate: Option<CandidateId>,
    pub recipient: String,
    pub recipient_name: String,
    pub subject: String,
    pub body: String,
    pub calendar: Option<String>,
    pub state: MessageState,
    pub attempts: i64,
    pub next_attempt_at: Timestamp,
    pub claimed_until: Option<Timestamp>,
    pub created_by: String,
    pub created_at: Timestamp,
    pub sent_at: Option<Timestamp>,
    pub last_error: Option<String>,
}

/// One delivery attempt and how it ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttemptRecord {
    pub attempt: i64,
    pub at: Timestamp,
    /// `sent`, `failed` (another attempt follows) or `gave-up`.
    pub outcome: String,
    pub detail: String,
}

/// How an attempt ended, as the worker acknowledges it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttemptOutcome {
    /// The server accepted the message; `detail` is its answer.
    Sent { detail: String },
    /// It failed; try again at `retry_at`, or give up when `None`.
    Failed {
        detail: String,
        retry_at: Option<Timestamp>,
    },
}

/// An interview to book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInterview {
    pub candidate: CandidateId,
    pub stage: String,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub place: String,
    pub video_link: String,
    pub interviewers: Vec<String>,
    /// The calendar UID, stable for the interview's life.
    pub uid: String,
}

/// A booked interview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InterviewRecord {
    pub id: i64,
    pub candidate: CandidateId,
    pub stage: String,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub place: String,
    pub video_link: String,
    pub interviewers: Vec<String>,
    pub uid: String,
    /// Raised by every move or cancellation (iCalendar SEQUENCE).
    pub sequence: i64,
    pub cancelled_at: Option<Timestamp>,
    pub created_by: String,
    pub created_at: Timestamp,
}

/// A time offered to the candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SlotRecord {
    pub id: i64,
    pub candidate: CandidateId,
    pub stage: String,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub place: String,
    pub video_link: String,
    pub interviewers: Vec<String>,
    pub created_by: String,
    /// The interview it became, once picked.
    pub taken_by: Option<i64>,
}

/// A slot to offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSlot {
    pub candidate: CandidateId,
    pub stage: String,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub place: String,
    pub video_link: String,
    pub interviewers: Vec<String>,
}

/// How an interview changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InterviewChange {
    Move {
        starts_at: Timestamp,
        ends_at: Timestamp,
    },
    Cancel,
}

/// The outbox, addresses, interviews and slots. Every write that causes
/// messages takes them and queues them in its own transaction.
pub trait MailStore {
    /// Set or clear an account's address; audited as `user.email`.
    fn set_email(
        &self,
        actor: &str,
        name: &str,
        email: Option<&str>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Queue messages that no other write causes (a rejection the manager sent,
    /// a reminder); audited as `action` on `subject` when `action` is not empty.
    /// Messages whose dedupe key is taken are skipped; returns the ids queued.
    fn enqueue(
        &self,
        actor: &str,
        action: &str,
        subject: &str,
        mail: &[NewMessage],
    ) -> impl Future<Output = Result<Vec<i64>, StoreError>> + Send;
    /// `assign_stages`, with its messages.
    fn assign_mailing(
        &self,
        actor: &str,
        id: CandidateId,
        stages: &[String],
        interviewer: &str,
        mail: &[NewMessage],
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// `create_link`, with its messages.
    fn create_link_mailing(
        &self,
        actor: &str,
        link: &NewLink,
        mail: &[NewMessage],
    ) -> impl Future<Output = Result<PortalLink, StoreError>> + Send;
    /// `record_offer`, with its messages.
    fn record_offer_mailing(
        &self,
        actor: &str,
        id: CandidateId,
        offer: &serde_json::Value,
        mail: &[NewMessage],
    ) -> impl Future<Output = Result<i64, StoreError>> + Send;
    /// Messages, newest first, optionally in one state.
    fn messages(
        &self,
        state: Option<MessageState>,
        limit: i64,
    ) -> impl Future<Output = Result<Vec<MessageRecord>, StoreError>> + Send;
    fn message(
        &self,
        id: i64,
    ) -> impl Future<Output = Result<Option<(MessageRecord, Vec<AttemptRecord>)>, StoreError>> + Send;
    /// Make a failed (or pending) message due now; audited as `mail.retry`.
    fn retry_message(
        &self,
        actor: &str,
        id: i64,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Claim the oldest due message until `lease_until`: a pending one whose
    /// time has come, or one whose earlier claim lapsed (its worker died).
    /// Counts the attempt.
    fn claim_due(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
    ) -> impl Future<Output = Result<Option<MessageRecord>, StoreError>> + Send;
    /// Record how the claimed attempt ended, in one transaction with its audit
    /// entry (`mail.sent`, `mail.failed`, `mail.gave-up`).
    fn finish_attempt(
        &self,
        id: i64,
        attempt: i64,
        at: Timestamp,
        outcome: &AttemptOutcome,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Book an interview, queueing its invitations; refused when an interviewer
    /// has another interview at an overlapping time.
    fn schedule_interview(
        &self,
        actor: &str,
        new: &NewInterview,
        mail: &[NewMessage],
    ) -> impl Future<Output = Result<InterviewRecord, StoreError>> + Send;
    /// Move or cancel an interview whose sequence is still `sequence`, raising
    /// it; queueing the updates.
    fn change_interview(
        &self,
        actor: &str,
        id: i64,
        sequence: i64,
        change: &InterviewChange,
        mail: &[NewMessage],
    ) -> impl Future<Output = Result<InterviewRecord, StoreError>> + Send;
    fn interview(
        &self,
        id: i64,
    ) -> impl Future<Output = Result<Option<InterviewRecord>, StoreError>> + Send;
    /// A candidate's interviews, by start.
    fn interviews(
        &self,
        candidate: CandidateId,
    ) -> impl Future<Output = Result<Vec<InterviewRecord>, StoreError>> + Send;
    /// Interviews not cancelled that ended before `before`, for reminders.
    fn ended_interviews(
        &self,
        before: Timestamp,
    ) -> impl Future<Output = Result<Vec<InterviewRecord>, StoreError>> + Send;
    /// Offer slots, queueing the message that tells the candidate.
    fn offer_slots(
        &self,
        actor: &str,
        slots: &[NewSlot],
        mail: &[NewMessage],
    ) -> impl Future<Output = Result<Vec<i64>, StoreError>> + Send;
    fn slots(
        &self,
        candidate: CandidateId,
    ) -> impl Future<Output = Result<Vec<SlotRecord>, StoreError>> + Send;
    /// The candidate takes an open slot: the interview is booked (with the same
    /// overlap check) and the slot marked taken, in one transaction.
    fn take_slot(
        &self,
        actor: &str,
        slot: i64,
        uid: &str,
        mail: &[NewMessage],
    ) -> impl Future<Output = Result<InterviewRecord, StoreError>> + Send;
}
