//! API tokens and the `TokenStore` capability. A token lets a script act as one
//! account through `Authorization: Bearer`; the store keeps only its SHA-256
//! ([`TokenHash`]), with a scope, an expiry and, once revoked, when.
//!
//! A token is *live* until it expires or is revoked; only a live token is found
//! by its hash, and only while its account exists.

use crate::{AccountRole, StoreError, TokenHash};
use jiff::Timestamp;
use serde::Serialize;
use std::fmt;
use std::future::Future;
use std::str::FromStr;

type R<T> = Result<T, StoreError>;

/// What a token may do: read only, or read and write as its account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TokenScope {
    ReadOnly,
    ReadWrite,
}

impl TokenScope {
    pub fn id(self) -> &'static str {
        match self {
            TokenScope::ReadOnly => "read-only",
            TokenScope::ReadWrite => "read-write",
        }
    }
}

impl fmt::Display for TokenScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.id())
    }
}

impl FromStr for TokenScope {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "read-only" | "read" | "ro" => Ok(TokenScope::ReadOnly),
            "read-write" | "write" | "rw" => Ok(TokenScope::ReadWrite),
            other => Err(format!(
                "`{other}` is not a token scope; use read-only or read-write"
            )),
        }
    }
}

/// A token to store. `token_hash` is [`TokenHash::of`] the token handed out.
#[derive(Debug, Clone)]
pub struct NewToken {
    /// The account it acts as.
    pub account: String,
    pub label: String,
    pub token_hash: TokenHash,
    pub scope: TokenScope,
    pub expires_at: Timestamp,
}

/// A token as stored (never the token itself, nor its hash).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TokenRecord {
    pub id: i64,
    /// The account it acts as.
    pub account: String,
    /// That account's role now.
    pub role: AccountRole,
    pub label: String,
    pub scope: TokenScope,
    pub created_by: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
    pub last_used_at: Option<Timestamp>,
}

impl TokenRecord {
    /// Neither revoked nor expired at `now`.
    pub fn is_live(&self, now: Timestamp) -> bool {
        self.revoked_at.is_none() && now < self.expires_at
    }
}

/// API tokens' persistence.
pub trait TokenStore {
    /// Store a token for an existing account (not found otherwise); audited as
    /// `token.create` with its id, label, scope and expiry.
    fn create_token(
        &self,
        actor: &str,
        token: &NewToken,
    ) -> impl Future<Output = R<TokenRecord>> + Send;
    /// Every token, or one account's, newest first.
    fn tokens(&self, account: Option<&str>) -> impl Future<Output = R<Vec<TokenRecord>>> + Send;
    /// Revoke a token (not found when there is no such token; revoking a revoked
    /// one is refused); audited as `token.revoke`.
    fn revoke_token(&self, actor: &str, id: i64) -> impl Future<Output = R<TokenRecord>> + Send;
    /// The live token with this hash, if any: expired and revoked tokens are not
    /// found, exactly like unknown ones.
    fn live_token(
        &self,
        hash: &TokenHash,
        now: Timestamp,
    ) -> impl Future<Output = R<Option<TokenRecord>>> + Send;
    /// Note a use of token `id` at `at`. With `write`, the use is also audited
    /// (`token.use`, by the token's account, naming the token's id and `write`),
    /// in the same transaction.
    fn token_used(
        &self,
        id: i64,
        at: Timestamp,
        write: Option<&str>,
    ) -> impl Future<Output = R<()>> + Send;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_round_trip_through_their_ids() {
        for s in [TokenScope::ReadOnly, TokenScope::ReadWrite] {
            assert_eq!(s.id().parse::<TokenScope>(), Ok(s));
        }
        assert!("admin".parse::<TokenScope>().is_err());
    }
}
