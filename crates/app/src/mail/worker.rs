//! The delivery worker: claim a due message, hand it to the SMTP server,
//! acknowledge the outcome.
//!
//! States: `pending` → (claim) → `sending` → (ack) → `sent`, or back to
//! `pending` with a later `next_attempt_at` (exponential backoff), or `failed`
//! after [`MAX_ATTEMPTS`] or a permanent refusal. A claim lasts [`LEASE`]; a
//! worker that dies after claiming leaves the message `sending` until the lease
//! lapses, and then it is due again, so nothing is lost. The acknowledgement
//! follows the server's acceptance at once, but not atomically with it: a
//! crash between the two re-sends that one message (at least once, never
//! zero times). Its Message-ID is stable, so the copy is recognisable.

use super::SmtpConfig;
use crate::App;
use crate::error::AppResult;
use jiff::{SignedDuration, Timestamp};
use multiplier_store::{
    AttemptOutcome, HiringStore, MailStore, MessageRecord, NewMessage, Scan, ScanStore,
};
use std::time::Duration;

/// How long one claim lasts: well above the SMTP timeout (30 s).
pub const LEASE: SignedDuration = SignedDuration::from_secs(5 * 60);
/// Attempts before a message is marked failed.
pub const MAX_ATTEMPTS: i64 = 8;
/// How often an idle worker looks for due messages.
pub const POLL: Duration = Duration::from_secs(5);

/// How one hand-over went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// The server accepted the message (its answer).
    Accepted(String),
    /// Try again later.
    Transient(String),
    /// It will never go (a bad address, a permanent refusal).
    Permanent(String),
}

/// Where messages go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transport {
    /// Nowhere: they wait in the outbox, readable in the browser.
    Outbox,
    Smtp(SmtpConfig),
}

/// The wait before attempt `attempt + 1`: 1 minute, doubling, at most 6 hours.
pub fn backoff(attempt: i64) -> SignedDuration {
    let exp = attempt.clamp(1, 20) - 1;
    let secs = 60i64.saturating_mul(1i64 << exp).min(6 * 3600);
    SignedDuration::from_secs(secs)
}

impl App {
    /// Claim the next due message for one delivery attempt (the worker's first
    /// step; see [`App::deliver_claimed`]).
    pub async fn claim_message(&self, now: Timestamp) -> AppResult<Option<MessageRecord>> {
        Ok(self.store.claim_due(now, now + LEASE).await?)
    }

    /// Send a claimed message and acknowledge the outcome at `now`.
    pub async fn deliver_claimed(
        &self,
        smtp: &SmtpConfig,
        m: &MessageRecord,
        now: Timestamp,
    ) -> AppResult<Delivery> {
        let delivery = smtp.send(&self.mail, m).await;
        let outcome = match &delivery {
            Delivery::Accepted(detail) => AttemptOutcome::Sent {
                detail: detail.clone(),
            },
            Delivery::Transient(detail) => AttemptOutcome::Failed {
                detail: detail.clone(),
                retry_at: (m.attempts < MAX_ATTEMPTS).then(|| now + backoff(m.attempts)),
            },
            Delivery::Permanent(detail) => AttemptOutcome::Failed {
                detail: detail.clone(),
                retry_at: None,
            },
        };
        self.store
            .finish_attempt(m.id, m.attempts, now, &outcome)
            .await?;
        match &delivery {
            Delivery::Accepted(_) => {
                tracing::info!(message = m.id, kind = %m.kind, attempt = m.attempts, "mail sent")
            }
            Delivery::Transient(e) => {
                tracing::warn!(message = m.id, kind = %m.kind, attempt = m.attempts, error = %e, "mail attempt failed")
            }
            Delivery::Permanent(e) => {
                tracing::warn!(message = m.id, kind = %m.kind, attempt = m.attempts, error = %e, "mail refused for good")
            }
        }
        Ok(delivery)
    }

    /// Claim, send and acknowledge one due message; `None` when none is due.
    pub async fn deliver_due(
        &self,
        smtp: &SmtpConfig,
        now: Timestamp,
    ) -> AppResult<Option<(i64, Delivery)>> {
        let Some(m) = self.claim_message(now).await? else {
            return Ok(None);
        };
        let d = self.deliver_claimed(smtp, &m, now).await?;
        Ok(Some((m.id, d)))
    }

    /// Queue a reminder to each interviewer whose scorecard for an interview
    /// that ended `reminder_days` before `now` is not in. Each (interview,
    /// interviewer) is reminded once, however often this runs. Returns how many
    /// were queued.
    ///
    /// Every server's worker runs this; one at a time does the scan (the
    /// others queue nothing that round), and the dedupe key would drop a
    /// reminder queued twice anyway.
    pub async fn queue_reminders(&self, now: Timestamp) -> AppResult<usize> {
        let days = self.mail.templates.reminder_days;
        if days == 0 {
            return Ok(0);
        }
        let Some(lease) = self.store.try_scan(Scan::Reminders).await? else {
            return Ok(0);
        };
        let queued = self.scan_reminders(now, days).await;
        lease.release().await?;
        queued
    }

    async fn scan_reminders(&self, now: Timestamp, days: i64) -> AppResult<usize> {
        let cutoff = now - SignedDuration::from_hours(24 * days);
        let mut mail: Vec<NewMessage> = Vec::new();
        for interview in self.store.ended_interviews(cutoff).await? {
            let Some(candidate) = self.store.candidate(interview.candidate).await? else {
                continue;
            };
            let Some(opening) = self.store.opening(candidate.opening).await? else {
                continue;
            };
            let cards = self.store.scorecards(candidate.id).await?;
            for person in &interview.interviewers {
                let done = cards
                    .iter()
                    .any(|c| c.card.stage == interview.stage && &c.card.interviewer == person);
                if done {
                    continue;
                }
                let Some(to) = self.address_of(person).await? else {
                    continue;
                };
                let link = self.url(&format!(
                    "/candidates/{}/stages/{}",
                    candidate.id, interview.stage
                ));
                let mut m = self.compose(
                    "reminder",
                    Some(candidate.id),
                    (person, &to),
                    &[
                        ("interviewer", person),
                        ("candidate", &candidate.name),
                        ("opening", &opening.title),
                        ("stage", &interview.stage),
                        ("start", &super::when(interview.starts_at)),
                        ("days", &days.to_string()),
                        ("link", &link),
                    ],
                )?;
                m.dedupe_key = Some(format!("reminder:{}:{person}", interview.id));
                mail.push(m);
            }
        }
        if mail.is_empty() {
            return Ok(0);
        }
        let ids = self
            .store
            .enqueue("mail worker", "mail.reminder", "scorecards", &mail)
            .await?;
        Ok(ids.len())
    }
}

/// The worker `serve` runs: queues reminders (scorecards, and outcomes 6 and
/// 12 months after a start date) every few minutes and, with an
/// SMTP server, delivers every due message. Runs until the task is dropped;
/// dropping it mid-send is the crash the claim's lease covers.
pub async fn run(app: App, transport: Transport) {
    let mut last_reminders: Option<Timestamp> = None;
    loop {
        let now = Timestamp::now();
        if last_reminders.is_none_or(|t| now.duration_since(t) >= SignedDuration::from_secs(300)) {
            last_reminders = Some(now);
            if let Err(e) = app.queue_reminders(now).await {
                tracing::warn!(error = %e, "cannot queue scorecard reminders");
            }
            if let Err(e) = app.queue_outcome_reminders(now).await {
                tracing::warn!(error = %e, "cannot queue outcome reminders");
            }
        }
        let mut idle = true;
        if let Transport::Smtp(smtp) = &transport {
            match app.deliver_due(smtp, Timestamp::now()).await {
                Ok(Some(_)) => idle = false,
                Ok(None) => {}
                Err(e) => tracing::warn!(error = %e, "the mail worker cannot reach the outbox"),
            }
        }
        if idle {
            tokio::time::sleep(POLL).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_a_minute_and_stops_at_six_hours() {
        assert_eq!(backoff(1), SignedDuration::from_secs(60));
        assert_eq!(backoff(2), SignedDuration::from_secs(120));
        assert_eq!(backoff(4), SignedDuration::from_secs(480));
        assert_eq!(backoff(30), SignedDuration::from_secs(6 * 3600));
    }
}
