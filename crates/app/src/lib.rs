//! multiplier's use cases, each written once.
//!
//! The web pages, the JSON API, the candidate portal and the command line are
//! adapters around this crate: they parse their input into core's types, call one
//! method of [`App`], and render what it returns. A use case
//!
//! 1. takes an **actor** ([`Account`], [`Visit`] or, for account administration,
//!    [`Actor::Operator`]);
//! 2. checks the **access rule** ([`access::Sight`] for everything about one
//!    candidate);
//! 3. validates through core, answering [`AppError::Invalid`] with one problem
//!    per field;
//! 4. writes through the store in **one transaction that also appends its audit
//!    entry** (each store write is that transaction);
//! 5. returns a typed result, or a typed [`AppError`] that each edge maps to its
//!    own terms in one place.
//!
//! Reads that depend on who is looking (the blind rule, personal data) are shaped
//! here into views ([`CandidateView`], [`DebriefView`], …) that the edges render
//! as they are.

pub mod access;
mod accounts;
mod actor;
pub mod analysis;
mod applications;
mod audit;
mod candidates;
mod decisions;
mod error;
mod interview;
mod lifecycle;
pub mod limits;
mod lists;
pub mod mail;
mod maintenance;
mod metrics;
mod offers;
mod openings;
pub mod outcomes;
mod people;
mod portal;
mod reports;
mod retention;
pub mod seed;
mod tokens;

pub use access::Sight;
pub use accounts::{
    MAX_FAILURES_PER_CLIENT, MAX_FAILURES_PER_NAME, MIN_PASSWORD_CHARS, SignInRefused,
    WINDOW_SECONDS, check_password_strength,
};
pub use actor::{Account, Actor, OPERATOR, Visit};
pub use applications::{
    APPLICANT, APPLICATION_WINDOW_SECONDS, ApplicationInput, Applied, ImportReport, ImportRow, Job,
    MAX_APPLICATIONS_PER_CLIENT, MAX_CV_BYTES, RowOutcome, Upload, cv_type,
};
pub use candidates::{
    AssignmentView, CandidateInput, CandidateView, SOURCE_APPLIED, SOURCE_IMPORTED, SOURCE_STAFF,
    SearchInput, SearchRow,
};
pub use decisions::{DebriefRow, DebriefShape, DebriefView, DecisionInput, OpeningDebrief};
pub use error::{AppError, AppResult, FieldProblem};
pub use interview::{ScorecardDraft, ScorecardList, ScorecardListing, ScorecardPage, Visible};
pub use lifecycle::{Shown, StatusInput};
pub use lists::{DEFAULT_LIMIT, Highlight, MAX_LIMIT, Page, PageRequest, highlight_html};
pub use mail::{
    InterviewInput, MailDraft, MailSettings, MessageView, SlotInput, SlotPick, SmtpConfig,
    TemplatePreview, Templates, Transport,
};
pub use maintenance::{Housekeeping, RestoreReport, migrate, restore};
pub use metrics::SNAPSHOT_KINDS;
pub use offers::OnboardingPlan;
pub use openings::{
    BoardCandidate, BoardCard, BoardColumn, BoardRequest, BoardView, OpeningSummary,
};
pub use outcomes::{
    DeploysUpload, HireView, HistoryReader, OutcomesView, RepoHistory, SnapshotView, Trend,
    TrendPoint,
};
pub use people::{GENERATED_PASSWORD_CHARS, MyWork, WorkItem, generate_password};
pub use portal::ErasureReason;
pub use portal::{
    DataExport, ExportedLink, ExportedRequest, ExportedWork, IssuedLink, LinkDraft, MAX_LINK_DAYS,
    PortalAdmin, You, new_token,
};
pub use reports::{AdverseImpactReport, FunnelReport, MIN_CELL, OpeningFunnel, dimension_label};
pub use retention::{RETENTION_ACTOR, RetentionReport};

pub use tokens::{DEFAULT_TOKEN_DAYS, IssuedToken, MAX_TOKEN_DAYS, TOKEN_PREFIX, TokenDraft};

use multiplier_core::Framework;
use multiplier_store::{
    Assignment, CandidateId, CandidateRecord, HiringStore, OpeningRecord, ScorecardRecord, Store,
};
use std::sync::Arc;

/// The use cases over one store and one framework. Cheap to clone.
#[derive(Debug, Clone)]
pub struct App {
    store: Store,
    framework: Arc<Framework>,
    /// Places for CPU-heavy analyses running at once (see [`App::off_runtime`]).
    analyses: Arc<tokio::sync::Semaphore>,
    /// How messages are written (sender, links, templates).
    mail: Arc<mail::MailSettings>,
    /// Reads repositories' history, when an edge supplied a reader
    /// ([`App::with_history`]).
    history: Option<Arc<dyn outcomes::HistoryReader>>,
    /// Whether the store was told, since this start, which framework the
    /// summaries follow ([`App::refresh_summaries`]).
    summaries_checked: Arc<std::sync::atomic::AtomicBool>,
}

/// One candidate as the acting account stands on it, loaded once per use case.
#[derive(Debug, Clone)]
pub(crate) struct Subject {
    pub candidate: CandidateRecord,
    pub opening: OpeningRecord,
    pub assignments: Vec<Assignment>,
    /// Every version of every scorecard, oldest first.
    pub cards: Vec<ScorecardRecord>,
    pub sight: Sight,
}

impl App {
    pub fn new(store: Store, framework: Arc<Framework>) -> App {
        App {
            store,
            framework,
            analyses: Arc::new(tokio::sync::Semaphore::new(analysis::analysis_slots())),
            mail: Arc::new(mail::MailSettings::default()),
            history: None,
            summaries_checked: Arc::new(std::sync::atomic::AtomicBool::new(false)),
        }
    }

    /// The framework in use (questions, stages, rubrics, bands…).
    pub fn framework(&self) -> &Framework {
        &self.framework
    }

    /// The framework, shared.
    pub fn framework_arc(&self) -> Arc<Framework> {
        Arc::clone(&self.framework)
    }

    /// The same application over a pool of its own on the same database
    /// ([`Store::sibling`], one of `shares`), for a server thread with an event
    /// loop of its own: every setting (framework, mail, the places for
    /// analyses) stays shared with this `App`. `None` for an in-memory SQLite
    /// database, which no other pool can reach.
    pub fn sibling(&self, shares: u32) -> Option<App> {
        let store = self.store.sibling(shares)?;
        Some(App {
            store,
            ..self.clone()
        })
    }

    /// Close the connections of an [`App::sibling`]; the database's log is
    /// left to the store that opened it.
    pub async fn close_sibling(&self) {
        self.store.close_sibling().await;
    }

    /// The store, for wiring only (the web's session layer keeps its records
    /// there). Use cases never leave this crate through it.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The candidate as `account` stands on it; "not found" when it does not
    /// exist or the account may not see it (so ids cannot be probed).
    pub(crate) async fn subject(&self, account: &Account, id: CandidateId) -> AppResult<Subject> {
        let missing = || AppError::NotFound(format!("there is no candidate {id}"));
        let candidate = self.store.candidate(id).await?.ok_or_else(missing)?;
        let assignments = self.store.assignments(id).await?;
        let cards = self.store.scorecards(id).await?;
        let sight = Sight::of(account, &assignments, &cards);
        if !sight.sees_candidate() {
            return Err(missing());
        }
        let opening = self
            .store
            .opening(candidate.opening)
            .await?
            .ok_or_else(|| {
                AppError::Internal(format!(
                    "candidate {id} belongs to opening {}, which does not exist",
                    candidate.opening
                ))
            })?;
        Ok(Subject {
            candidate,
            opening,
            assignments,
            cards,
            sight,
        })
    }
}

/// Refuse unless `account` is a hiring manager (admin).
pub(crate) fn require_admin(account: &Account, what: &str) -> AppResult<()> {
    if account.is_admin() {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "only a hiring manager (admin) may {what}"
        )))
    }
}

/// Trimmed text, or `None` when blank.
pub(crate) fn filled(v: Option<&str>) -> Option<String> {
    v.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}
