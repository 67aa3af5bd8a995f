//! Persistence for multiplier's core values.
//!
//! One API at the seam — small per-capability traits such as [`RoleStore`] — and one
//! module per backend. [`open`] picks the backend once, from the location given:
//! a file path or a `sqlite:` URL opens SQLite (the default, `./multiplier.db`);
//! a `postgres://` (or `postgresql://`) URL opens PostgreSQL.
//! Each backend applies its own migrations on open.

mod accounts;
mod ats;
mod copy;
mod error;
mod hiring;
mod lists;
mod mail;
mod maintenance;
mod metrics;
mod outcomes;
mod portal;
mod postgres;
mod reports;
mod seed;
mod shared;
mod sqlite;
#[cfg(feature = "testing")]
pub mod testing;
mod tokens;

pub use accounts::{AccountRole, AccountStore, SignInLimits, SignInOutcome, UserRecord};
pub use ats::{Added, AtsStore, FileMeta, FileRecord, NewFile, NoteRecord, Origin};
pub use copy::{
    COPIED_TABLES, CopyReport, SKIPPED_TABLES, TableCopied, TableSkipped, copy_sqlite_to_postgres,
};
pub use error::StoreError;
pub use hiring::{
    Assignment, AuditEntry, AuditFilter, CandidateDetails, CandidateId, CandidateRecord,
    DecisionRecord, EvidenceRecord, HiringStore, NewCandidate, OfferRecord, OpeningId,
    OpeningRecord, ReferenceRecord, ScorecardRecord, StepDone, StepProgress, Submission,
    onboarding_progress, onboarding_start,
};
pub use lists::{
    CandidateQuery, CandidateRow, CardRow, DebriefInputs, ListStore, ListViewer, ListedRow,
    Snippet, Summary, audit_pages,
};
pub use mail::{
    AttemptOutcome, AttemptRecord, InterviewChange, InterviewRecord, MailStore, MessageRecord,
    MessageState, NewInterview, NewMessage, NewSlot, SlotRecord,
};
pub use maintenance::{
    AuditCheck, BrokenEntry, ChainedFields, MaintenanceStore, SEARCH_SEGMENTS_MAX, entry_hash,
};
pub use metrics::{MetricsStore, NotABaseline, SnapshotRecord, baseline};
pub use outcomes::{
    DeployRule, HireRecord, NewReminder, OutcomeStore, ReminderRecord, RepoRecord, RepoSetting,
};
pub use portal::{
    Erased, ErasureRequest, NewLink, PORTAL_ACTOR, PortalLink, PortalStore, SubmittedEvidence,
    Task, TokenHash, Work, erased_name,
};
pub use postgres::PgStore;
pub use reports::{INSTRUMENTS, ReportStore};
pub use seed::{SeedCandidate, SeedCounts, SeedDecision, SeedOffer, SeedStore};
pub use shared::{RateStore, SCAN_LOCK_SPACE, Scan, ScanLease, ScanStore};
pub use sqlite::SqliteStore;
pub use tokens::{NewToken, TokenRecord, TokenScope, TokenStore};

use jiff::Timestamp;
use multiplier_core::{Framework, Role, RoleError};
use serde::Serialize;
use std::fmt;
use std::future::Future;
use std::str::FromStr;

/// The database used when none is named.
pub const DEFAULT_LOCATION: &str = "multiplier.db";

/// A stored role's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct RoleId(pub i64);

impl fmt::Display for RoleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0.to_string())
    }
}

impl FromStr for RoleId {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        s.trim()
            .parse::<i64>()
            .ok()
            .filter(|n| *n > 0)
            .map(RoleId)
            .ok_or_else(|| {
                format!(
                    "`{s}` is not a role id (a positive whole number, see `multiplier role list`)"
                )
            })
    }
}

/// A role as stored: its answers are re-read through the framework in use.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleRecord {
    pub id: RoleId,
    pub title: String,
    pub created_at: Timestamp,
    /// The role file, as TOML.
    pub role_toml: String,
}

impl RoleRecord {
    /// Parse the stored answers against `framework`.
    pub fn role(&self, framework: &Framework) -> Result<Role, RoleError> {
        Role::parse(
            framework,
            &format!("stored role {}", self.id),
            &self.role_toml,
        )
    }
}

/// Storing and reading roles.
pub trait RoleStore {
    /// Store a role defined through intake; audited as `role.create`.
    fn add_role(
        &self,
        actor: &str,
        role: &Role,
    ) -> impl Future<Output = Result<RoleId, StoreError>> + Send;
    /// Store a role and open it for hiring, in one transaction.
    fn open_role(
        &self,
        actor: &str,
        role: &Role,
        manager: &str,
    ) -> impl Future<Output = Result<(RoleId, OpeningId), StoreError>> + Send;
    fn role(
        &self,
        id: RoleId,
    ) -> impl Future<Output = Result<Option<RoleRecord>, StoreError>> + Send;
    /// All roles, oldest first.
    fn roles(&self) -> impl Future<Output = Result<Vec<RoleRecord>, StoreError>> + Send;
}

/// The store chosen at start-up.
#[derive(Debug, Clone)]
pub enum Store {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

/// Open the store at `location`: a path or a `sqlite:` URL (SQLite), or a
/// `postgres://` / `postgresql://` URL (PostgreSQL).
pub async fn open(location: &str) -> Result<Store, StoreError> {
    let scheme = location
        .split_once("://")
        .map(|(s, _)| s.to_ascii_lowercase());
    match scheme.as_deref() {
        None | Some("sqlite") => Ok(Store::Sqlite(SqliteStore::open(location).await?)),
        Some("postgres" | "postgresql") => Ok(Store::Postgres(PgStore::open(location).await?)),
        Some(other) => Err(StoreError::Unsupported {
            location: redact(location),
            scheme: other.to_string(),
        }),
    }
}

/// Restore the backup file at `backup` as the database at `location` (a path
/// or `sqlite:` URL); returns the location to open. Refused when the target
/// exists unless `replace`. Stop the server first: it keeps the old file open.
/// A PostgreSQL URL is refused, pointing to `pg_restore` and `multiplier migrate`.
pub async fn restore(
    backup: &std::path::Path,
    location: &str,
    replace: bool,
) -> Result<String, StoreError> {
    let path = location
        .strip_prefix("sqlite://")
        .or_else(|| location.strip_prefix("sqlite:"))
        .map_or(location, |p| p.split('?').next().unwrap_or(p));
    let scheme = location
        .split_once("://")
        .map(|(s, _)| s.to_ascii_lowercase());
    if matches!(scheme.as_deref(), Some("postgres" | "postgresql")) {
        return Err(StoreError::Refused(maintenance::PG_RESTORE.to_string()));
    }
    if location.contains("://") && !location.starts_with("sqlite:") {
        return Err(StoreError::Unsupported {
            location: redact(location),
            scheme: location.split("://").next().unwrap_or_default().to_string(),
        });
    }
    sqlite::restore_file(backup, std::path::Path::new(path), replace).await?;
    Ok(path.to_string())
}

impl Store {
    /// Empty the write-ahead log into the main file and close every connection:
    /// the clean end of a process that wrote.
    pub async fn close(&self) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(s) => s.close().await,
            Store::Postgres(s) => s.close().await,
        }
    }

    /// Another pool on the same database, for a server thread with an event
    /// loop of its own (`multiplier_web::serve` with several threads): one of
    /// `shares` such pools, each with an equal share of this store's
    /// connections and at least two. See [`SqliteStore::sibling`] and
    /// [`PgStore::sibling`]. `None` for an in-memory SQLite database, which no
    /// other pool can reach.
    pub fn sibling(&self, shares: u32) -> Option<Store> {
        let share = |size: u32| size.div_ceil(shares.max(1)).max(2);
        match self {
            Store::Sqlite(s) => s
                .sibling(share(s.pool.options().get_max_connections()))
                .map(Store::Sqlite),
            Store::Postgres(s) => Some(Store::Postgres(
                s.sibling(share(s.pool.options().get_max_connections())),
            )),
        }
    }

    /// Close a [`Store::sibling`]'s connections. The write-ahead log is left to
    /// the store that opened the database, whose [`Store::close`] empties it.
    pub async fn close_sibling(&self) {
        match self {
            Store::Sqlite(s) => s.close_connections().await,
            Store::Postgres(s) => s.pool.close().await,
        }
    }

    /// The backend's name, for messages: `sqlite` or `postgres`.
    pub fn backend(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "sqlite",
            Store::Postgres(_) => "postgres",
        }
    }
}

/// A location safe to print: any password in a URL is hidden.
pub fn redact(location: &str) -> String {
    match location.split_once("://") {
        Some((scheme, rest)) => match rest.split_once('@') {
            Some((credentials, host)) => {
                let user = credentials.split(':').next().unwrap_or_default();
                format!("{scheme}://{user}:***@{host}")
            }
            None => location.to_string(),
        },
        None => location.to_string(),
    }
}

impl RoleStore for Store {
    async fn add_role(&self, actor: &str, role: &Role) -> Result<RoleId, StoreError> {
        match self {
            Store::Sqlite(s) => s.add_role(actor, role).await,
            Store::Postgres(s) => s.add_role(actor, role).await,
        }
    }
    async fn open_role(
        &self,
        actor: &str,
        role: &Role,
        manager: &str,
    ) -> Result<(RoleId, OpeningId), StoreError> {
        match self {
            Store::Sqlite(s) => s.open_role(actor, role, manager).await,
            Store::Postgres(s) => s.open_role(actor, role, manager).await,
        }
    }
    async fn role(&self, id: RoleId) -> Result<Option<RoleRecord>, StoreError> {
        match self {
            Store::Sqlite(s) => s.role(id).await,
            Store::Postgres(s) => s.role(id).await,
        }
    }
    async fn roles(&self) -> Result<Vec<RoleRecord>, StoreError> {
        match self {
            Store::Sqlite(s) => s.roles().await,
            Store::Postgres(s) => s.roles().await,
        }
    }
}

/// Forward each method to the backend in use.
macro_rules! delegate {
    ($($name:ident($($arg:ident: $ty:ty),*) -> $ret:ty;)*) => {
        $(async fn $name(&self, $($arg: $ty),*) -> $ret {
            match self {
                Store::Sqlite(s) => s.$name($($arg),*).await,
                Store::Postgres(s) => s.$name($($arg),*).await,
            }
        })*
    };
}

impl AtsStore for Store {
    delegate! {
        add_candidate_from(actor: &str, candidate: &NewCandidate, origin: &Origin) -> Result<Added, StoreError>;
        set_candidate_status(actor: &str, id: CandidateId, from: &str, to: &str, reason: Option<&str>) -> Result<(), StoreError>;
        set_opening_status(actor: &str, id: OpeningId, from: &str, to: &str) -> Result<(), StoreError>;
        add_note(actor: &str, id: CandidateId, body: &str) -> Result<i64, StoreError>;
        notes(id: CandidateId) -> Result<Vec<NoteRecord>, StoreError>;
        files(id: CandidateId) -> Result<Vec<FileMeta>, StoreError>;
        file(id: CandidateId, file: i64) -> Result<Option<FileRecord>, StoreError>;
    }
}

impl HiringStore for Store {
    delegate! {
        add_opening(actor: &str, role: RoleId, title: &str, manager: &str) -> Result<OpeningId, StoreError>;
        opening(id: OpeningId) -> Result<Option<OpeningRecord>, StoreError>;
        openings() -> Result<Vec<OpeningRecord>, StoreError>;
        add_candidate(actor: &str, candidate: &NewCandidate) -> Result<CandidateId, StoreError>;
        edit_candidate(actor: &str, id: CandidateId, details: &CandidateDetails) -> Result<(), StoreError>;
        candidate(id: CandidateId) -> Result<Option<CandidateRecord>, StoreError>;
        candidates(opening: Option<OpeningId>) -> Result<Vec<CandidateRecord>, StoreError>;
        move_candidate(actor: &str, id: CandidateId, stage: &str) -> Result<(), StoreError>;
        assign(actor: &str, id: CandidateId, stage: &str, interviewer: &str) -> Result<(), StoreError>;
        assign_stages(actor: &str, id: CandidateId, stages: &[String], interviewer: &str) -> Result<(), StoreError>;
        unassign(actor: &str, id: CandidateId, stage: &str, interviewer: &str) -> Result<(), StoreError>;
        assignments(id: CandidateId) -> Result<Vec<Assignment>, StoreError>;
        assignments_of(interviewer: &str) -> Result<Vec<(CandidateId, Assignment)>, StoreError>;
        submit_scorecard(actor: &str, id: CandidateId, card: &multiplier_core::pipeline::Scorecard, submission: Submission) -> Result<ScorecardRecord, StoreError>;
        scorecards(id: CandidateId) -> Result<Vec<ScorecardRecord>, StoreError>;
        add_evidence(actor: &str, id: CandidateId, kind: &str, source: &str, body: &serde_json::Value) -> Result<i64, StoreError>;
        evidence(id: CandidateId) -> Result<Vec<EvidenceRecord>, StoreError>;
        add_reference(actor: &str, id: CandidateId, reference: &multiplier_core::pipeline::Reference) -> Result<i64, StoreError>;
        references(id: CandidateId) -> Result<Vec<ReferenceRecord>, StoreError>;
        resolve_flag(actor: &str, id: CandidateId, resolution: &multiplier_core::pipeline::FlagResolution) -> Result<(), StoreError>;
        resolutions(id: CandidateId) -> Result<Vec<multiplier_core::pipeline::FlagResolution>, StoreError>;
        record_decision(actor: &str, id: CandidateId, outcome: multiplier_core::pipeline::Outcome, rationale: &str, meets_bar: bool) -> Result<i64, StoreError>;
        decisions(id: CandidateId) -> Result<Vec<DecisionRecord>, StoreError>;
        record_offer(actor: &str, id: CandidateId, offer: &serde_json::Value) -> Result<i64, StoreError>;
        accept_offer(actor: &str, id: CandidateId, start: jiff::civil::Date) -> Result<(), StoreError>;
        offers(id: CandidateId) -> Result<Vec<OfferRecord>, StoreError>;
        mark_step_done(actor: &str, id: CandidateId, step: &str, note: &str) -> Result<(), StoreError>;
        steps_done(id: CandidateId) -> Result<Vec<StepDone>, StoreError>;
        audit(filter: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError>;
    }
}

impl ListStore for Store {
    delegate! {
        candidate_page(q: &CandidateQuery) -> Result<Vec<CandidateRow>, StoreError>;
        stage_pages(q: &CandidateQuery, stages: &[(String, Option<CandidateId>)]) -> Result<Vec<Vec<CardRow>>, StoreError>;
        stage_counts(q: &CandidateQuery) -> Result<std::collections::BTreeMap<String, u64>, StoreError>;
        opening_page(after: Option<OpeningId>, limit: u32, archived: bool) -> Result<Vec<OpeningRecord>, StoreError>;
        opening_counts(viewer: &ListViewer, openings: &[OpeningId]) -> Result<std::collections::BTreeMap<OpeningId, u64>, StoreError>;
        stale_summaries(limit: u32) -> Result<Vec<(CandidateId, i64)>, StoreError>;
        save_summaries(summaries: &[(CandidateId, i64, Summary)]) -> Result<usize, StoreError>;
        summaries_follow(basis: &str) -> Result<bool, StoreError>;
        flag_resolutions(ids: &[CandidateId]) -> Result<std::collections::BTreeMap<CandidateId, Vec<multiplier_core::pipeline::FlagResolution>>, StoreError>;
        debrief_inputs(ids: &[CandidateId]) -> Result<std::collections::BTreeMap<CandidateId, DebriefInputs>, StoreError>;
        kept_debriefs(ids: &[CandidateId]) -> Result<std::collections::BTreeMap<CandidateId, multiplier_core::pipeline::Debrief>, StoreError>;
        kept_debrief_lines(ids: &[CandidateId]) -> Result<std::collections::BTreeMap<CandidateId, multiplier_core::pipeline::DebriefLine>, StoreError>;
        decisions_of(ids: &[CandidateId]) -> Result<std::collections::BTreeMap<CandidateId, Vec<DecisionRecord>>, StoreError>;
    }
}

impl AccountStore for Store {
    delegate! {
        add_user(actor: &str, name: &str, role: AccountRole, password_hash: &str) -> Result<i64, StoreError>;
        set_password(actor: &str, name: &str, password_hash: &str) -> Result<(), StoreError>;
        set_display_name(actor: &str, name: &str, display: Option<&str>) -> Result<(), StoreError>;
        set_role(actor: &str, name: &str, role: AccountRole) -> Result<(), StoreError>;
        set_active(actor: &str, name: &str, active: bool) -> Result<(), StoreError>;
        user(name: &str) -> Result<Option<UserRecord>, StoreError>;
        users() -> Result<Vec<UserRecord>, StoreError>;
        save_session(id: &str, account: Option<&str>, data: &[u8], expires_at: i64) -> Result<(), StoreError>;
        create_session(id: &str, account: Option<&str>, data: &[u8], expires_at: i64) -> Result<bool, StoreError>;
        load_session(id: &str, now: i64) -> Result<Option<Vec<u8>>, StoreError>;
        delete_session(id: &str) -> Result<(), StoreError>;
        purge_sessions(now: i64) -> Result<u64, StoreError>;
        begin_sign_in(name: &str, client: &str, now: i64, limits: SignInLimits) -> Result<Option<i64>, StoreError>;
        end_sign_in(attempt: i64, name: &str, outcome: SignInOutcome) -> Result<(), StoreError>;
        purge_login_failures(before: i64) -> Result<u64, StoreError>;
    }
}

impl MetricsStore for Store {
    delegate! {
        save_snapshot(actor: &str, opening: OpeningId, kind: &str, source: &str, body: &serde_json::Value) -> Result<i64, StoreError>;
        snapshots(opening: OpeningId) -> Result<Vec<SnapshotRecord>, StoreError>;
    }
}

impl OutcomeStore for Store {
    delegate! {
        set_repository(actor: &str, opening: OpeningId, setting: Option<&RepoSetting>) -> Result<(), StoreError>;
        repository(opening: OpeningId) -> Result<Option<RepoRecord>, StoreError>;
        hires(opening: Option<OpeningId>) -> Result<Vec<HireRecord>, StoreError>;
        outcome_reminders(opening: Option<OpeningId>) -> Result<Vec<ReminderRecord>, StoreError>;
        queue_outcome_reminder(actor: &str, reminder: &NewReminder) -> Result<bool, StoreError>;
    }
}

impl PortalStore for Store {
    delegate! {
        create_link(actor: &str, link: &NewLink) -> Result<PortalLink, StoreError>;
        live_link(token: &TokenHash, now: Timestamp) -> Result<Option<PortalLink>, StoreError>;
        links(candidate: CandidateId) -> Result<Vec<PortalLink>, StoreError>;
        revoke_link(actor: &str, candidate: CandidateId, link: i64) -> Result<(), StoreError>;
        mark_opened(link: i64) -> Result<(), StoreError>;
        save_work(link: i64, task: Task, body: &serde_json::Value) -> Result<Timestamp, StoreError>;
        work(link: i64, task: Task) -> Result<Option<Work>, StoreError>;
        submit_work(link: i64, task: Task, body: &serde_json::Value, evidence: &SubmittedEvidence) -> Result<Timestamp, StoreError>;
        request_erasure(link: i64) -> Result<ErasureRequest, StoreError>;
        erasure_requests(candidate: CandidateId) -> Result<Vec<ErasureRequest>, StoreError>;
        erase_candidate(actor: &str, candidate: CandidateId, reason: &str) -> Result<Erased, StoreError>;
        inactive_candidates(cutoff: Timestamp) -> Result<Vec<CandidateId>, StoreError>;
    }
}

impl MailStore for Store {
    delegate! {
        set_email(actor: &str, name: &str, email: Option<&str>) -> Result<(), StoreError>;
        enqueue(actor: &str, action: &str, subject: &str, mail: &[NewMessage]) -> Result<Vec<i64>, StoreError>;
        assign_mailing(actor: &str, id: CandidateId, stages: &[String], interviewer: &str, mail: &[NewMessage]) -> Result<(), StoreError>;
        create_link_mailing(actor: &str, link: &NewLink, mail: &[NewMessage]) -> Result<PortalLink, StoreError>;
        record_offer_mailing(actor: &str, id: CandidateId, offer: &serde_json::Value, mail: &[NewMessage]) -> Result<i64, StoreError>;
        messages(state: Option<MessageState>, limit: i64) -> Result<Vec<MessageRecord>, StoreError>;
        message(id: i64) -> Result<Option<(MessageRecord, Vec<AttemptRecord>)>, StoreError>;
        retry_message(actor: &str, id: i64) -> Result<(), StoreError>;
        claim_due(now: Timestamp, lease_until: Timestamp) -> Result<Option<MessageRecord>, StoreError>;
        finish_attempt(id: i64, attempt: i64, at: Timestamp, outcome: &AttemptOutcome) -> Result<(), StoreError>;
        schedule_interview(actor: &str, new: &NewInterview, mail: &[NewMessage]) -> Result<InterviewRecord, StoreError>;
        change_interview(actor: &str, id: i64, sequence: i64, change: &InterviewChange, mail: &[NewMessage]) -> Result<InterviewRecord, StoreError>;
        interview(id: i64) -> Result<Option<InterviewRecord>, StoreError>;
        interviews(candidate: CandidateId) -> Result<Vec<InterviewRecord>, StoreError>;
        ended_interviews(before: Timestamp) -> Result<Vec<InterviewRecord>, StoreError>;
        offer_slots(actor: &str, slots: &[NewSlot], mail: &[NewMessage]) -> Result<Vec<i64>, StoreError>;
        slots(candidate: CandidateId) -> Result<Vec<SlotRecord>, StoreError>;
        take_slot(actor: &str, slot: i64, uid: &str, mail: &[NewMessage]) -> Result<InterviewRecord, StoreError>;
    }
}

impl ReportStore for Store {
    delegate! {
        set_self_id(actor: &str, candidate: CandidateId, id: &multiplier_core::fairness::SelfId) -> Result<(), StoreError>;
        self_id_given(candidate: CandidateId) -> Result<Option<Timestamp>, StoreError>;
        journeys(opening: Option<OpeningId>) -> Result<Vec<(OpeningId, multiplier_core::funnel::Journey)>, StoreError>;
        outcomes(opening: Option<OpeningId>) -> Result<Vec<multiplier_core::fairness::Outcome>, StoreError>;
        score_cells(opening: Option<OpeningId>) -> Result<Vec<multiplier_core::fairness::ScoreCell>, StoreError>;
    }
}

impl MaintenanceStore for Store {
    delegate! {
        verify_audit() -> Result<AuditCheck, StoreError>;
        backup(out: &std::path::Path) -> Result<(), StoreError>;
        checkpoint() -> Result<(), StoreError>;
        compact_search_index() -> Result<u32, StoreError>;
    }
}

impl SeedStore for Store {
    delegate! {
        is_empty() -> Result<bool, StoreError>;
        seed_batch(actor: &str, opening: OpeningId, batch: &[SeedCandidate]) -> Result<(Vec<CandidateId>, SeedCounts), StoreError>;
        after_bulk_load() -> Result<(), StoreError>;
    }
}

impl RateStore for Store {
    delegate! {
        hit(bucket: &str, now: i64, window_start: i64, max: u32) -> Result<bool, StoreError>;
        purge_rate_hits(before: i64) -> Result<u64, StoreError>;
    }
}

impl ScanStore for Store {
    delegate! {
        try_scan(scan: Scan) -> Result<Option<ScanLease>, StoreError>;
    }
}

impl TokenStore for Store {
    delegate! {
        create_token(actor: &str, token: &NewToken) -> Result<TokenRecord, StoreError>;
        tokens(account: Option<&str>) -> Result<Vec<TokenRecord>, StoreError>;
        revoke_token(actor: &str, id: i64) -> Result<TokenRecord, StoreError>;
        live_token(hash: &TokenHash, now: Timestamp) -> Result<Option<TokenRecord>, StoreError>;
        token_used(id: i64, at: Timestamp, write: Option<&str>) -> Result<(), StoreError>;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_ids_parse_positive_numbers_only() {
        assert_eq!("7".parse::<RoleId>(), Ok(RoleId(7)));
        assert!("0".parse::<RoleId>().is_err());
        assert!("abc".parse::<RoleId>().is_err());
    }

    #[test]
    fn redact_hides_passwords_in_urls() {
        assert_eq!(
            redact("postgres://me:secret@db:5432/x"),
            "postgres://me:***@db:5432/x"
        );
        assert_eq!(redact("multiplier.db"), "multiplier.db");
    }
}
