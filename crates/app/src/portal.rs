//! The candidate portal: hiring managers make, list and revoke a candidate's
//! private links and carry out erasure; the candidate, behind a live link, saves
//! drafts, submits each task once, downloads their data and asks for erasure.
//!
//! A link's token is 32 random bytes in hex, handed out once; the store keeps
//! only its SHA-256. An unknown, expired or revoked token, and a link whose
//! candidate is gone, is "not found": one and the same answer for all.
//!
//! The candidate's two tasks (drafts, the rules on what they may hold, sending
//! each once with its automatic reading attached for staff) are in [`work`]; the
//! download of their data in [`export`].

mod export;
mod work;

pub use export::{DataExport, ExportedLink, ExportedRequest, ExportedWork, You};

use crate::actor::{Account, Visit};
use crate::error::{AppError, AppResult, FieldProblem};
use crate::{App, require_admin};
use jiff::{SignedDuration, Timestamp};
use multiplier_core::review::BUILTIN;
use multiplier_store::{
    CandidateId, CandidateRecord, Erased, ErasureRequest, HiringStore, MailStore, NewLink,
    PortalLink, PortalStore, Task, TokenHash,
};
use rand::RngCore;
use serde::Serialize;

/// Why a candidate's personal data are erased; the audit log records it (a
/// closed set, so no free text can carry personal data into the log).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErasureReason {
    /// The candidate asked (through the portal or otherwise).
    CandidateRequest,
    /// The candidate withdrew from the process.
    Withdrawn,
    /// A legal obligation requires it.
    LegalObligation,
    /// The candidate was added by mistake.
    AddedByMistake,
    /// The retention period ran out (only the retention run uses this).
    Retention,
}

impl ErasureReason {
    /// The reasons a person may give.
    pub const CHOSEN: [ErasureReason; 4] = [
        ErasureReason::CandidateRequest,
        ErasureReason::Withdrawn,
        ErasureReason::LegalObligation,
        ErasureReason::AddedByMistake,
    ];

    pub fn id(self) -> &'static str {
        match self {
            ErasureReason::CandidateRequest => "candidate-request",
            ErasureReason::Withdrawn => "withdrawn",
            ErasureReason::LegalObligation => "legal-obligation",
            ErasureReason::AddedByMistake => "added-by-mistake",
            ErasureReason::Retention => "retention",
        }
    }

    /// A reason a person may give, by its id.
    pub fn parse(s: &str) -> Result<ErasureReason, String> {
        let s = s.trim();
        ErasureReason::CHOSEN
            .into_iter()
            .find(|r| r.id() == s)
            .ok_or_else(|| {
                let ids: Vec<&str> = ErasureReason::CHOSEN.iter().map(|r| r.id()).collect();
                format!(
                    "`{s}` is not a reason to erase; give one of {}",
                    ids.join(", ")
                )
            })
    }
}

impl std::fmt::Display for ErasureReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// The longest a link may live, in days.
pub const MAX_LINK_DAYS: i64 = 90;

/// A link just made: its token is shown once, here, and never stored.
#[derive(Debug, Clone, PartialEq)]
pub struct IssuedLink {
    pub link: PortalLink,
    pub token: String,
}

impl IssuedLink {
    /// The link's path on the server (`/c/TOKEN`).
    pub fn path(&self) -> String {
        format!("/c/{}", self.token)
    }
}

/// What a hiring manager sees of a candidate's portal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PortalAdmin {
    pub candidate: CandidateRecord,
    /// Newest first.
    pub links: Vec<PortalLink>,
    /// When each unsent draft was last saved, per link and task (a sent task's
    /// time is on its link).
    pub drafts: Vec<LinkDraft>,
    /// Newest first.
    pub erasure_requests: Vec<ErasureRequest>,
}

/// A draft the candidate is working on through one link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LinkDraft {
    pub link: i64,
    pub task: Task,
    pub saved_at: Timestamp,
}

impl PortalAdmin {
    /// When the draft of `task` through `link` was last saved, if it is one.
    pub fn draft_saved_at(&self, link: i64, task: Task) -> Option<Timestamp> {
        self.drafts
            .iter()
            .find(|d| d.link == link && d.task == task)
            .map(|d| d.saved_at)
    }
}

/// 32 random bytes as 64 hex digits.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl App {
    async fn portal_subject(
        &self,
        account: &Account,
        id: CandidateId,
        what: &str,
    ) -> AppResult<CandidateRecord> {
        // Not found before forbidden: an unassigned interviewer learns nothing.
        let candidate = self.subject(account, id).await?.candidate;
        require_admin(account, what)?;
        Ok(candidate)
    }

    /// The candidate's links and erasure requests (hiring managers).
    pub async fn portal_admin(&self, account: &Account, id: CandidateId) -> AppResult<PortalAdmin> {
        let candidate = self
            .portal_subject(account, id, "manage a candidate's portal links")
            .await?;
        let links = self.store.links(id).await?;
        let mut drafts = Vec::new();
        for link in &links {
            for task in [Task::Assessment, Task::Review] {
                if let Some(w) = self.store.work(link.id, task).await?
                    && w.submitted_at.is_none()
                {
                    drafts.push(LinkDraft {
                        link: link.id,
                        task,
                        saved_at: w.saved_at,
                    });
                }
            }
        }
        Ok(PortalAdmin {
            links,
            drafts,
            erasure_requests: self.store.erasure_requests(id).await?,
            candidate,
        })
    }

    /// Make a new link for a candidate with a built-in code-review exercise,
    /// valid for `days` (hiring managers). The candidate's earlier live links stop
    /// working.
    pub async fn create_link(
        &self,
        account: &Account,
        id: CandidateId,
        exercise: &str,
        days: i64,
    ) -> AppResult<IssuedLink> {
        let candidate = self
            .portal_subject(account, id, "make a candidate portal link")
            .await?;
        let opening = self.store.opening(candidate.opening).await?;
        let (title, manager) = opening.map(|o| (o.title, o.manager)).unwrap_or_default();
        let exercise = exercise.trim();
        let mut problems = Vec::new();
        if !BUILTIN.iter().any(|b| b.slug == exercise) {
            let slugs: Vec<&str> = BUILTIN.iter().map(|b| b.slug).collect();
            problems.push(FieldProblem::new(
                "exercise",
                format!(
                    "`{exercise}` is not a built-in exercise; choose one of {}",
                    slugs.join(", ")
                ),
            ));
        }
        if !(1..=MAX_LINK_DAYS).contains(&days) {
            problems.push(FieldProblem::new(
                "days",
                format!("the lifetime must be a whole number of days from 1 to {MAX_LINK_DAYS}"),
            ));
        }
        AppError::check("the link", problems)?;
        let token = new_token();
        let expires_at = Timestamp::now() + SignedDuration::from_hours(24 * days);
        // The link goes to the candidate only inside this message (and the
        // page that made it); it is never logged.
        let mail = self.portal_link_message(
            &candidate,
            &title,
            &manager,
            &format!("/c/{token}"),
            expires_at,
        )?;
        let link = self
            .store
            .create_link_mailing(
                &account.name,
                &NewLink {
                    candidate: id,
                    token_hash: TokenHash::of(&token),
                    exercise: exercise.to_string(),
                    expires_at,
                },
                mail.as_slice(),
            )
            .await?;
        Ok(IssuedLink { link, token })
    }

    /// Revoke one of the candidate's links (hiring managers).
    pub async fn revoke_link(
        &self,
        account: &Account,
        id: CandidateId,
        link: i64,
    ) -> AppResult<()> {
        self.portal_subject(account, id, "revoke a candidate portal link")
            .await?;
        Ok(self.store.revoke_link(&account.name, id, link).await?)
    }

    /// Erase the candidate's personal data (hiring managers) for `reason` (a
    /// missing one is invalid, after the access checks); the
    /// audit trail stays, naming the reason and never the data. It cannot be
    /// undone, so it must be `confirmed` explicitly (Invalid on field `confirm`
    /// otherwise). Afterwards no byte of the erased data is left in the
    /// database file or its write-ahead log (see `docs/security.md`).
    pub async fn erase_candidate(
        &self,
        account: &Account,
        id: CandidateId,
        confirmed: bool,
        reason: Option<ErasureReason>,
    ) -> AppResult<Erased> {
        self.portal_subject(account, id, "erase a candidate's personal data")
            .await?;
        let Some(reason) = reason else {
            let ids: Vec<&str> = ErasureReason::CHOSEN.iter().map(|r| r.id()).collect();
            return Err(AppError::field(
                "the erasure",
                "reason",
                format!("say why: {}", ids.join(", ")),
            ));
        };
        if !confirmed {
            return Err(AppError::field(
                "the erasure",
                "confirm",
                "tick the box to confirm the erasure; it cannot be undone",
            ));
        }
        if reason == ErasureReason::Retention {
            return Err(AppError::field(
                "the erasure",
                "reason",
                "the retention period erases on its own (`multiplier retention run`); give the reason a person erases for",
            ));
        }
        Ok(self
            .store
            .erase_candidate(&account.name, id, reason.id())
            .await?)
    }

    /// The candidate behind `token`, when the link is live; the first visit is
    /// recorded. Every unusable token gets the same "not found".
    pub async fn visit(&self, token: &str) -> AppResult<Visit> {
        let missing = || AppError::NotFound("this link is not available".to_string());
        // Tokens are 64 hex digits; anything else cannot match and is not looked up.
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(missing());
        }
        let Some(link) = self
            .store
            .live_link(&TokenHash::of(token), Timestamp::now())
            .await?
        else {
            return Err(missing());
        };
        let Some(candidate) = self.store.candidate(link.candidate).await? else {
            return Err(missing());
        };
        if link.opened_at.is_none() {
            match self.store.mark_opened(link.id).await {
                Ok(()) => {}
                Err(multiplier_store::StoreError::NotFound { .. }) => return Err(missing()),
                Err(e) => return Err(e.into()),
            }
        }
        Ok(Visit { link, candidate })
    }

    /// The title of the opening the candidate behind `visit` applied for (`None`
    /// if it is gone).
    pub async fn applied_for(&self, visit: &Visit) -> AppResult<Option<String>> {
        Ok(self
            .store
            .opening(visit.candidate.opening)
            .await?
            .map(|o| o.title))
    }

    /// The candidate's open erasure request, if any.
    pub async fn open_erasure_request(&self, visit: &Visit) -> AppResult<Option<ErasureRequest>> {
        Ok(self
            .store
            .erasure_requests(visit.candidate.id)
            .await?
            .into_iter()
            .find(|r| r.erased_at.is_none()))
    }

    /// Record the candidate's request to erase their data (an open request is
    /// returned as it is).
    pub async fn request_erasure(&self, visit: &Visit) -> AppResult<ErasureRequest> {
        Ok(self.store.request_erasure(visit.link.id).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_64_hex_digits_and_differ() {
        let a = new_token();
        assert_eq!(a.len(), 64);
        assert!(a.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_ne!(a, new_token());
    }
}
