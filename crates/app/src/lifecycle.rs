//! The lifecycle around the loop: a candidate's status (on hold, rejected with
//! a reason, withdrawn, hired, active again), an opening's (closed, reopened,
//! archived), and staff notes on a candidate. The rules on which status may
//! follow which are core's ([`multiplier_core::pipeline::check_status_change`]).

use crate::actor::Account;
use crate::error::{AppError, AppResult, FieldProblem};
use crate::openings::shaped;
use crate::{App, filled, require_admin};
use multiplier_core::pipeline::{
    CandidateStatus, HireEvidence, OpeningStatus, Outcome, check_opening_change,
    check_status_change,
};
use multiplier_store::{
    AtsStore, CandidateId, CandidateRecord, HiringStore, NoteRecord, OpeningId, OpeningRecord,
};
use serde::Serialize;

/// A status change as asked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatusInput {
    /// `active`, `on-hold`, `rejected`, `withdrawn` or `hired`.
    pub status: String,
    /// The rejection reason's id (required to reject); a short note otherwise.
    pub reason: Option<String>,
}

/// Which candidates a list or board shows, by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum Shown {
    /// Active and on hold: still in the pipeline (the default).
    #[default]
    Current,
    /// Rejected, withdrawn and hired: out of the pipeline.
    Ended,
    All,
}

impl Shown {
    /// The same choice as the store's list filter: `Some(false)` only the
    /// current, `Some(true)` only the ended, `None` everyone.
    pub fn ended(self) -> Option<bool> {
        match self {
            Shown::Current => Some(false),
            Shown::Ended => Some(true),
            Shown::All => None,
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Shown::Current => "current",
            Shown::Ended => "ended",
            Shown::All => "all",
        }
    }
}

impl std::str::FromStr for Shown {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim() {
            "" | "current" => Ok(Shown::Current),
            "ended" => Ok(Shown::Ended),
            "all" => Ok(Shown::All),
            other => Err(format!(
                "`{other}` is not a status filter; choose current, ended or all"
            )),
        }
    }
}

/// A candidate's stored status, read leniently: an unknown value is active.
pub(crate) fn status_of(c: &CandidateRecord) -> CandidateStatus {
    c.status.parse().unwrap_or(CandidateStatus::Active)
}

impl App {
    /// Change a candidate's status (hiring managers). A rejection names a reason
    /// from the framework's list; hired needs a recorded hire decision and an
    /// accepted offer. Nothing is sent to the candidate.
    pub async fn set_status(
        &self,
        account: &Account,
        id: CandidateId,
        input: &StatusInput,
    ) -> AppResult<CandidateRecord> {
        let s = self.subject(account, id).await?;
        require_admin(account, "change a candidate's status")?;
        let to: CandidateStatus = input
            .status
            .parse()
            .map_err(|e: String| AppError::field("the status change", "status", e))?;
        let from = status_of(&s.candidate);
        let reason = filled(input.reason.as_deref());
        let mut problems = Vec::new();
        if let Some(r) = &reason {
            crate::limits::limit(&mut problems, "reason", r, crate::limits::MAX_SHORT_CHARS);
        }
        AppError::check("the status change", problems)?;
        let hire = if to == CandidateStatus::Hired {
            let decisions = self.store.decisions(id).await?;
            let offers = self.store.offers(id).await?;
            HireEvidence {
                hire_decided: decisions.last().is_some_and(|d| d.outcome == Outcome::Hire),
                offer_accepted: offers.iter().any(|o| o.status == "accepted"),
            }
        } else {
            HireEvidence::default()
        };
        let ids: Vec<&str> = self
            .framework
            .rejection_reasons
            .iter()
            .map(|r| r.id.as_str())
            .collect();
        check_status_change(from, to, reason.as_deref(), &ids, hire).map_err(|r| {
            if r.field == "reason" {
                AppError::field("the status change", r.field, r.message)
            } else {
                AppError::Conflict(r.message)
            }
        })?;
        // Going back to active clears the old reason.
        let reason = if to == CandidateStatus::Active {
            None
        } else {
            reason
        };
        self.store
            .set_candidate_status(&account.name, id, from.id(), to.id(), reason.as_deref())
            .await?;
        let s = self.subject(account, id).await?;
        Ok(shaped(s.candidate, &s.sight))
    }

    /// Close an opening (hiring managers): it takes no new candidates or
    /// applications and leaves the careers page; its candidates stay.
    pub async fn close_opening(
        &self,
        account: &Account,
        id: OpeningId,
    ) -> AppResult<OpeningRecord> {
        self.opening_to(account, id, OpeningStatus::Closed).await
    }

    /// Open a closed or archived opening again (hiring managers).
    pub async fn reopen_opening(
        &self,
        account: &Account,
        id: OpeningId,
    ) -> AppResult<OpeningRecord> {
        self.opening_to(account, id, OpeningStatus::Open).await
    }

    /// Archive an opening (hiring managers): closed, and left out of the
    /// default list of openings.
    pub async fn archive_opening(
        &self,
        account: &Account,
        id: OpeningId,
    ) -> AppResult<OpeningRecord> {
        self.opening_to(account, id, OpeningStatus::Archived).await
    }

    async fn opening_to(
        &self,
        account: &Account,
        id: OpeningId,
        to: OpeningStatus,
    ) -> AppResult<OpeningRecord> {
        let opening = self.opening(account, id).await?;
        require_admin(account, "close, reopen or archive openings")?;
        let from = OpeningStatus::stored(&opening.status);
        check_opening_change(from, to).map_err(AppError::Conflict)?;
        self.store
            .set_opening_status(&account.name, id, &opening.status, to.id())
            .await?;
        self.opening(account, id).await
    }

    /// Refuse unless the opening takes new candidates.
    pub(crate) fn require_open(opening: &OpeningRecord) -> AppResult<()> {
        match OpeningStatus::stored(&opening.status) {
            OpeningStatus::Open => Ok(()),
            other => Err(AppError::Conflict(format!(
                "the opening “{}” is {other}: it takes no new candidates; reopen it first",
                opening.title
            ))),
        }
    }

    /// Add a note on a candidate (admins, and the interviewers assigned to
    /// them); audited without its text.
    pub async fn add_note(
        &self,
        account: &Account,
        id: CandidateId,
        body: &str,
    ) -> AppResult<NoteRecord> {
        let s = self.subject(account, id).await?;
        if !s.sight.may_note() {
            return Err(AppError::Forbidden(
                "only staff who see the candidate may write notes on them".into(),
            ));
        }
        let body = body.trim();
        let mut problems = Vec::new();
        if body.is_empty() {
            problems.push(FieldProblem::new("body", "write the note first"));
        } else {
            crate::limits::limit(&mut problems, "body", body, crate::limits::MAX_TEXT_CHARS);
        }
        AppError::check("the note", problems)?;
        let note = self.store.add_note(&account.name, id, body).await?;
        self.store
            .notes(id)
            .await?
            .into_iter()
            .find(|n| n.id == note)
            .ok_or_else(|| AppError::Internal(format!("note {note} vanished after it was written")))
    }

    /// The notes on a candidate that `account` may read, oldest first, and how
    /// many others' notes the blind rule withholds.
    pub async fn notes(
        &self,
        account: &Account,
        id: CandidateId,
    ) -> AppResult<(Vec<NoteRecord>, usize)> {
        let s = self.subject(account, id).await?;
        let all = self.store.notes(id).await?;
        let total = all.len();
        let seen: Vec<NoteRecord> = all.into_iter().filter(|n| s.sight.sees_note(n)).collect();
        let hidden = total - seen.len();
        Ok((seen, hidden))
    }
}
