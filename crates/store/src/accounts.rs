//! Accounts for the web application: users with a role, browser sessions, and
//! failed sign-ins counted for rate limiting. Password hashing happens at the edge
//! (the web crate); the store only keeps the PHC string.

use crate::StoreError;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::future::Future;
use std::str::FromStr;

/// What a signed-in person may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AccountRole {
    /// Hiring manager and administrator: creates openings, reads every scorecard
    /// (subject to the blind rule when interviewing), decides, makes offers.
    Admin,
    /// Interviews the candidates they are assigned to and fills in scorecards.
    Interviewer,
}

impl AccountRole {
    pub fn id(self) -> &'static str {
        match self {
            AccountRole::Admin => "admin",
            AccountRole::Interviewer => "interviewer",
        }
    }
}

impl fmt::Display for AccountRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.id())
    }
}

impl FromStr for AccountRole {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "admin" | "hiring-manager" => Ok(AccountRole::Admin),
            "interviewer" => Ok(AccountRole::Interviewer),
            other => Err(format!(
                "`{other}` is not a role; use admin (hiring manager) or interviewer"
            )),
        }
    }
}

/// A user as stored. The hash never leaves through `Debug` or JSON.
#[derive(Clone, PartialEq, Serialize)]
pub struct UserRecord {
    pub id: i64,
    pub name: String,
    pub role: AccountRole,
    /// How the person is shown on pages; `None` shows the name.
    pub display_name: Option<String>,
    #[serde(skip)]
    pub password_hash: String,
    pub created_at: Timestamp,
    /// Where the product's messages to this person go (none: they get none).
    pub email: Option<String>,
    /// Set while the account is deactivated: it cannot sign in or act.
    pub deactivated_at: Option<Timestamp>,
}

impl UserRecord {
    pub fn is_active(&self) -> bool {
        self.deactivated_at.is_none()
    }
}

/// How a sign-in attempt that passed the limits ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInOutcome {
    /// The password matched this account: its failures are forgotten and the
    /// sign-in is audited.
    Accepted { user: i64 },
    /// Unknown name, wrong password or a deactivated account: the attempt stays
    /// counted as a failure and is audited (naming the account when there is one).
    Rejected { user: Option<i64> },
}

/// The failure limits a sign-in attempt is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignInLimits {
    /// Failures counted from this moment on (Unix seconds).
    pub since: i64,
    pub per_name: u32,
    pub per_client: u32,
}

impl fmt::Debug for UserRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserRecord")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("role", &self.role)
            .field("display_name", &self.display_name)
            .field("password_hash", &"***")
            .field("created_at", &self.created_at)
            .field("deactivated_at", &self.deactivated_at)
            .finish()
    }
}

/// Users, sessions and failed sign-ins.
pub trait AccountStore {
    /// Create a user; a taken name is refused.
    fn add_user(
        &self,
        actor: &str,
        name: &str,
        role: AccountRole,
        password_hash: &str,
    ) -> impl Future<Output = Result<i64, StoreError>> + Send;
    /// Replace a user's password hash.
    fn set_password(
        &self,
        actor: &str,
        name: &str,
        password_hash: &str,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Set or clear the name shown for an account; audited as `user.rename`.
    /// Sessions stay: nothing the account may do changes.
    fn set_display_name(
        &self,
        actor: &str,
        name: &str,
        display: Option<&str>,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Change what an account may do.
    fn set_role(
        &self,
        actor: &str,
        name: &str,
        role: AccountRole,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Deactivate (`active` false) or reactivate an account. Deactivating ends
    /// its sessions in the same transaction.
    fn set_active(
        &self,
        actor: &str,
        name: &str,
        active: bool,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    fn user(
        &self,
        name: &str,
    ) -> impl Future<Output = Result<Option<UserRecord>, StoreError>> + Send;
    fn users(&self) -> impl Future<Output = Result<Vec<UserRecord>, StoreError>> + Send;

    /// Update a stored session record. A session that is no longer stored (it
    /// was ended, e.g. by a password change) is not brought back.
    fn save_session(
        &self,
        id: &str,
        account: Option<&str>,
        data: &[u8],
        expires_at: i64,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Insert a session only if its id is new; false when the id is taken.
    /// `account` names the account signed in on it, if any.
    fn create_session(
        &self,
        id: &str,
        account: Option<&str>,
        data: &[u8],
        expires_at: i64,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;
    /// A session that has not expired at `now` (Unix seconds).
    fn load_session(
        &self,
        id: &str,
        now: i64,
    ) -> impl Future<Output = Result<Option<Vec<u8>>, StoreError>> + Send;
    fn delete_session(&self, id: &str) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Remove expired sessions; returns how many went.
    fn purge_sessions(&self, now: i64) -> impl Future<Output = Result<u64, StoreError>> + Send;

    /// Start a sign-in attempt: in one write transaction, count the failures
    /// for this name and this client within the limits' window and, when both
    /// are under their limit, record the attempt as a failure until it is known
    /// to have succeeded. Returns the attempt's id, or `None` when a limit is
    /// reached. Parallel attempts queue on the write lock, so a burst can never
    /// get more attempts through than the limits allow.
    fn begin_sign_in(
        &self,
        name: &str,
        client: &str,
        now: i64,
        limits: SignInLimits,
    ) -> impl Future<Output = Result<Option<i64>, StoreError>> + Send;
    /// Finish an attempt begun with [`AccountStore::begin_sign_in`] and audit it.
    fn end_sign_in(
        &self,
        attempt: i64,
        name: &str,
        outcome: SignInOutcome,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Forget failed sign-ins recorded before `before`; returns how many went.
    fn purge_login_failures(
        &self,
        before: i64,
    ) -> impl Future<Output = Result<u64, StoreError>> + Send;
}
