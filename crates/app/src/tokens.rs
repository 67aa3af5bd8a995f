//! API tokens: an admin (or the local operator) issues a token for an account,
//! lists and revokes them; a script sends it as `Authorization: Bearer` and acts
//! as that account.
//!
//! The token is shown once, when it is made; the store keeps only its SHA-256.
//! A token has a scope (read-only or read-write) and an expiry. An unknown,
//! expired or revoked token, or one whose account is gone, is refused alike.
//! Every use is noted on the token (its last use); a write through it is also
//! audited as `token.use` by the token's account, naming the token's id (never
//! the token), beside the audit entry of the write itself.

use crate::App;
use crate::actor::{Account, Actor};
use crate::error::{AppError, AppResult, FieldProblem};
use crate::portal::new_token;
use jiff::{SignedDuration, Timestamp};
use multiplier_store::{NewToken, StoreError, TokenHash, TokenRecord, TokenScope, TokenStore};

/// The longest lifetime a token may have, in days.
pub const MAX_TOKEN_DAYS: i64 = 365;
/// The lifetime of a token when none is asked for, in days.
pub const DEFAULT_TOKEN_DAYS: i64 = 90;
/// What every token starts with, so it is recognised (and caught by secret
/// scanners) wherever it leaks.
pub const TOKEN_PREFIX: &str = "mpt_";

/// What to issue.
#[derive(Debug, Clone)]
pub struct TokenDraft {
    /// The account the token acts as (an existing one).
    pub account: String,
    /// What it is for, e.g. `ci` or `ats sync`.
    pub label: String,
    pub scope: TokenScope,
    /// Its lifetime, 1 to [`MAX_TOKEN_DAYS`].
    pub days: i64,
}

/// A token just made: the only time the token itself is seen.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    /// Send it as `Authorization: Bearer <token>`; it cannot be shown again.
    pub token: String,
    pub record: TokenRecord,
}

fn require_administrator(actor: &Actor, what: &str) -> AppResult<()> {
    if actor.administers() {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "only an admin (or the operator on the server's machine) may {what}"
        )))
    }
}

/// How often a token's reads are noted as its last use, at most: once a
/// minute, the precision the tokens page and `token list` show. Noting every
/// read was a write transaction (and a synced commit) per API request, and
/// under 64 connections those writes queued behind SQLite's single writer.
const USE_NOTED_EVERY_SECS: i64 = 60;

impl App {
    /// Issue a token for an account (admins and the operator).
    pub async fn create_token(&self, actor: &Actor, draft: &TokenDraft) -> AppResult<IssuedToken> {
        require_administrator(actor, "issue API tokens")?;
        let mut problems = Vec::new();
        let account = draft.account.trim();
        let label = draft.label.trim();
        if account.is_empty() {
            problems.push(FieldProblem::new(
                "account",
                "name the account the token acts as",
            ));
        }
        if label.is_empty() {
            problems.push(FieldProblem::new(
                "label",
                "say what the token is for (e.g. ci, ats sync), so it can be recognised and revoked",
            ));
        } else if label.chars().count() > 64 || label.chars().any(char::is_control) {
            problems.push(FieldProblem::new(
                "label",
                "keep the label under 65 characters, on one line",
            ));
        }
        if !(1..=MAX_TOKEN_DAYS).contains(&draft.days) {
            problems.push(FieldProblem::new(
                "days",
                format!("the lifetime must be a whole number of days from 1 to {MAX_TOKEN_DAYS}"),
            ));
        }
        AppError::check("the token", problems)?;
        let token = format!("{TOKEN_PREFIX}{}", new_token());
        let expires_at = Timestamp::now()
            .checked_add(SignedDuration::from_hours(draft.days * 24))
            .map_err(|e| AppError::Internal(format!("cannot date the token's expiry: {e}")))?;
        let new = NewToken {
            account: account.to_string(),
            label: label.to_string(),
            token_hash: TokenHash::of(&token),
            scope: draft.scope,
            expires_at,
        };
        let record = self
            .store
            .create_token(actor.audit_name(), &new)
            .await
            .map_err(|e| match e {
                StoreError::NotFound { .. } => AppError::field(
                    "the token",
                    "account",
                    format!("there is no account called `{account}` (see `multiplier user list`)"),
                ),
                other => other.into(),
            })?;
        Ok(IssuedToken { token, record })
    }

    /// Every token, or one account's, newest first (admins and the operator).
    /// The tokens themselves are never kept, so never listed.
    pub async fn api_tokens(
        &self,
        actor: &Actor,
        account: Option<&str>,
    ) -> AppResult<Vec<TokenRecord>> {
        require_administrator(actor, "list API tokens")?;
        let account = account.map(str::trim).filter(|a| !a.is_empty());
        Ok(self.store.tokens(account).await?)
    }

    /// Revoke a token at once (admins and the operator). Revoking it twice is a
    /// conflict.
    pub async fn revoke_token(&self, actor: &Actor, id: i64) -> AppResult<TokenRecord> {
        require_administrator(actor, "revoke API tokens")?;
        self.store
            .revoke_token(actor.audit_name(), id)
            .await
            .map_err(|e| match e {
                StoreError::NotFound { .. } => {
                    AppError::NotFound(format!("there is no API token {id}"))
                }
                other => other.into(),
            })
    }

    /// The account a bearer token acts as, or `None` when the token is unknown,
    /// expired or revoked (all alike). `write` names a write about to be made
    /// (e.g. `POST /candidates/{id}/scorecards`): a read-only token is refused
    /// for it, a read-write one has the use audited. Every write is noted on the
    /// token; a read when the last noted use is a minute old or more.
    pub async fn bearer(&self, token: &str, write: Option<&str>) -> AppResult<Option<Account>> {
        let token = token.trim();
        if !token.starts_with(TOKEN_PREFIX) {
            return Ok(None);
        }
        let now = Timestamp::now();
        let Some(found) = self.store.live_token(&TokenHash::of(token), now).await? else {
            return Ok(None);
        };
        if write.is_some() && found.scope == TokenScope::ReadOnly {
            return Err(AppError::Forbidden(format!(
                "API token {} is read-only; a write needs a read-write token",
                found.id
            )));
        }
        // A write is always noted (and audited); a read only when the last
        // noted use is a minute old or more, or in the future (a clock set back).
        let recent = found.last_used_at.is_some_and(|last| {
            last <= now
                && now.duration_since(last) < SignedDuration::from_secs(USE_NOTED_EVERY_SECS)
        });
        if write.is_some() || !recent {
            self.store.token_used(found.id, now, write).await?;
        }
        Ok(Some(Account {
            name: found.account,
            role: found.role,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_carry_their_prefix_and_64_hex_digits() {
        let t = format!("{TOKEN_PREFIX}{}", new_token());
        assert_eq!(t.len(), TOKEN_PREFIX.len() + 64);
        assert!(
            t[TOKEN_PREFIX.len()..]
                .chars()
                .all(|c| c.is_ascii_hexdigit())
        );
    }
}
