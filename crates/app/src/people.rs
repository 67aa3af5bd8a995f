//! People: the account administration the browser offers (display names, a
//! password reset shown once), and each interviewer's own work across
//! candidates ("my work": stages assigned, scorecards due and how late).
//! Creating accounts, roles and (de)activation are the use cases in
//! `accounts.rs`, shared with the CLI.

use crate::accounts::require_administrator;
use crate::actor::{Account, Actor};
use crate::error::{AppError, AppResult};
use crate::limits::{MAX_SHORT_CHARS, longer_than};
use crate::{App, filled};
use jiff::Timestamp;
use multiplier_store::{AccountStore, CandidateId, HiringStore, OpeningId};
use rand::Rng;
use serde::Serialize;
use std::collections::BTreeMap;

/// Characters of a generated password: no look-alikes (0/O, 1/l/I).
const PASSWORD_ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/// Length of a generated password (about 116 bits).
pub const GENERATED_PASSWORD_CHARS: usize = 20;

/// One stage an interviewer is assigned to on one candidate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkItem {
    pub candidate: CandidateId,
    pub candidate_name: String,
    pub opening: OpeningId,
    pub opening_title: String,
    pub stage: String,
    /// When they were assigned: the scorecard is due from then.
    pub assigned_at: Timestamp,
    /// Their scorecard for the stage is in (when it came in first).
    pub submitted_at: Option<Timestamp>,
    /// Whole days since the assignment while the card is not in; 0 once in.
    pub days_waiting: i64,
}

/// An interviewer's work across candidates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MyWork {
    pub interviewer: String,
    /// Scorecards due (not in yet), the longest-waiting first.
    pub due: Vec<WorkItem>,
    /// Stages whose scorecard is in, the latest first.
    pub done: Vec<WorkItem>,
}

/// A generated password, shown once.
pub fn generate_password() -> String {
    let mut rng = rand::rng();
    (0..GENERATED_PASSWORD_CHARS)
        .map(|_| {
            let i = rng.random_range(0..PASSWORD_ALPHABET.len());
            char::from(PASSWORD_ALPHABET[i])
        })
        .collect()
}

impl App {
    /// Set or clear the name pages show for an account (admins and the
    /// operator). Sessions stay: nothing the account may do changes.
    pub async fn set_display_name(
        &self,
        actor: &Actor,
        name: &str,
        display: Option<&str>,
    ) -> AppResult<()> {
        require_administrator(actor, "rename an account")?;
        let display = filled(display);
        if let Some(d) = &display {
            AppError::check(
                "the account",
                longer_than("display_name", d, MAX_SHORT_CHARS)
                    .into_iter()
                    .collect(),
            )?;
        }
        Ok(self
            .store
            .set_display_name(actor.audit_name(), name.trim(), display.as_deref())
            .await?)
    }

    /// Reset another account's password to a generated one, returned to show
    /// once (admins and the operator). Its sessions end, as with any new
    /// password.
    pub async fn reset_password(&self, actor: &Actor, name: &str) -> AppResult<String> {
        require_administrator(actor, "reset another account's password")?;
        let password = generate_password();
        self.set_password(actor, name, &password).await?;
        Ok(password)
    }

    /// The stages assigned to `account` across every candidate, with the
    /// scorecards still due and how many days each has waited on `now`.
    pub async fn my_work(&self, account: &Account, now: Timestamp) -> AppResult<MyWork> {
        let titles: BTreeMap<OpeningId, String> = self
            .store
            .openings()
            .await?
            .into_iter()
            .map(|o| (o.id, o.title))
            .collect();
        let mut due = Vec::new();
        let mut done = Vec::new();
        let mut cards = BTreeMap::new();
        for (id, a) in self.store.assignments_of(&account.name).await? {
            let Some(c) = self.store.candidate(id).await? else {
                continue;
            };
            if let std::collections::btree_map::Entry::Vacant(e) = cards.entry(id) {
                e.insert(self.store.scorecards(id).await?);
            }
            let submitted_at = cards
                .get(&id)
                .into_iter()
                .flatten()
                .filter(|r| r.card.stage == a.stage && r.card.interviewer == account.name)
                .map(|r| r.submitted_at)
                .min();
            let days_waiting = if submitted_at.is_some() {
                0
            } else {
                (now.as_second() - a.assigned_at.as_second()).max(0) / 86_400
            };
            let item = WorkItem {
                candidate: id,
                candidate_name: c.name,
                opening: c.opening,
                opening_title: titles.get(&c.opening).cloned().unwrap_or_default(),
                stage: a.stage,
                assigned_at: a.assigned_at,
                submitted_at,
                days_waiting,
            };
            if item.submitted_at.is_some() {
                done.push(item);
            } else {
                due.push(item);
            }
        }
        due.sort_by_key(|w| w.assigned_at);
        done.sort_by_key(|w| std::cmp::Reverse(w.submitted_at));
        Ok(MyWork {
            interviewer: account.name.clone(),
            due,
            done,
        })
    }
}
