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
    #[serde(skip)]
    pub password_hash: String,
    pub created_at: Timestamp,
}

impl fmt::Debug for UserRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserRecord")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("role", &self.role)
            .field("password_hash", &"***")
            .field("created_at", &self.created_at)
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
    /// Change what an account may do.
    fn set_role(
        &self,
        actor: &str,
        name: &str,
        role: AccountRole,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    fn user(
        &self,
        name: &str,
    ) -> impl Future<Output = Result<Option<UserRecord>, StoreError>> + Send;
    fn users(&self) -> impl Future<Output = Result<Vec<UserRecord>, StoreError>> + Send;

    /// Store a session record (insert or replace).
    fn save_session(
        &self,
        id: &str,
        data: &[u8],
        expires_at: i64,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Insert a session only if its id is new; false when the id is taken.
    fn create_session(
        &self,
        id: &str,
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

    fn record_login_failure(
        &self,
        name: &str,
        client: &str,
        at: i64,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// Failed sign-ins since `since` for this name and for this client.
    fn login_failures(
        &self,
        name: &str,
        client: &str,
        since: i64,
    ) -> impl Future<Output = Result<(u32, u32), StoreError>> + Send;
    /// Forget a name's failures after a successful sign-in.
    fn clear_login_failures(
        &self,
        name: &str,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
}
