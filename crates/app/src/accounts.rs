//! Accounts: creating them, their passwords and roles, signing in, and resolving
//! a name to the account it names.
//!
//! Passwords are hashed with argon2id (the `argon2` crate's defaults) and kept as
//! PHC strings. Failed sign-ins are counted per name and per client; past the
//! limits a sign-in is refused for a while, whatever the password.

use crate::App;
use crate::actor::{Account, Actor};
use crate::error::{AppError, AppResult, FieldProblem};
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use multiplier_store::{AccountRole, AccountStore, SignInLimits, SignInOutcome, UserRecord};

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Failed sign-ins allowed per name in [`WINDOW_SECONDS`].
pub const MAX_FAILURES_PER_NAME: u32 = 5;
/// Failed sign-ins allowed per client address in [`WINDOW_SECONDS`].
pub const MAX_FAILURES_PER_CLIENT: u32 = 20;
pub const WINDOW_SECONDS: i64 = 15 * 60;

/// Reject passwords too short to be worth hashing.
pub fn check_password_strength(password: &str) -> Result<(), String> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err(format!(
            "a password needs at least {MIN_PASSWORD_CHARS} characters"
        ));
    }
    if n > crate::limits::MAX_PASSWORD_CHARS {
        return Err(format!(
            "a password may have at most {} characters",
            crate::limits::MAX_PASSWORD_CHARS
        ));
    }
    Ok(())
}

fn hash_password(password: &str) -> AppResult<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("cannot hash a password: {e}")))
}

fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// Why a sign-in was refused (each edge words it its own way).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInRefused {
    /// Past the failure limits for the name or the client in the window.
    TooManyFailures,
    /// Unknown name or wrong password (never says which).
    Mismatch,
}

pub(crate) fn require_administrator(actor: &Actor, what: &str) -> AppResult<()> {
    if actor.administers() {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "only an admin (or the operator on the server's machine) may {what}"
        )))
    }
}

fn account_name(name: &str) -> AppResult<String> {
    let name = name.trim();
    let mut problems = Vec::new();
    if name.is_empty() {
        problems.push(FieldProblem::new("name", "an account needs a name"));
    } else if name.chars().count() > 64 {
        problems.push(FieldProblem::new(
            "name",
            "keep the name under 65 characters",
        ));
    } else if name.chars().any(char::is_control) {
        problems.push(FieldProblem::new(
            "name",
            "a name cannot hold control characters",
        ));
    }
    AppError::check("the account", problems)?;
    Ok(name.to_string())
}

impl App {
    /// The active account called `name`, if there is one (a deactivated
    /// account is no account: it cannot act, sign in or stay signed in).
    pub async fn account(&self, name: &str) -> AppResult<Option<Account>> {
        Ok(self
            .store
            .user(name.trim())
            .await?
            .filter(UserRecord::is_active)
            .map(|u| Account {
                name: u.name,
                role: u.role,
            }))
    }

    /// The account `name` names, for an edge that is told who acts (the CLI's
    /// `--as`): refused unless it exists.
    pub async fn act_as(&self, name: &str) -> AppResult<Account> {
        let name = name.trim();
        if name.is_empty() {
            return Err(AppError::field(
                "who acts",
                "as",
                "name the account you act as",
            ));
        }
        self.account(name).await?.ok_or_else(|| {
            AppError::Forbidden(format!(
                "there is no account called `{name}`; act as an existing account (`multiplier user list`), or have an admin create it with `multiplier user add {name} --role interviewer`"
            ))
        })
    }

    /// Create an account (an admin, or the local operator for the first one).
    pub async fn add_account(
        &self,
        actor: &Actor,
        name: &str,
        role: AccountRole,
        password: &str,
    ) -> AppResult<i64> {
        require_administrator(actor, "create accounts")?;
        let name = account_name(name)?;
        check_password_strength(password)
            .map_err(|m| AppError::field("the account", "password", m))?;
        let hash = hash_password(password)?;
        Ok(self
            .store
            .add_user(actor.audit_name(), &name, role, &hash)
            .await?)
    }

    /// Set a new password: an admin or the operator for anyone, an account for itself.
    pub async fn set_password(&self, actor: &Actor, name: &str, password: &str) -> AppResult<()> {
        let own = matches!(actor, Actor::Account(a) if a.name == name.trim());
        if !own {
            require_administrator(actor, "change another account's password")?;
        }
        check_password_strength(password)
            .map_err(|m| AppError::field("the password", "password", m))?;
        let hash = hash_password(password)?;
        self.store
            .set_password(actor.audit_name(), name.trim(), &hash)
            .await?;
        Ok(())
    }

    /// Deactivate an account (admins and the operator): it can no longer sign
    /// in or act, and its sessions end at once. Its records and its name in the
    /// audit log stay. An account cannot deactivate itself, and the last active
    /// admin cannot be deactivated.
    pub async fn deactivate_account(&self, actor: &Actor, name: &str) -> AppResult<()> {
        require_administrator(actor, "deactivate an account")?;
        let name = name.trim();
        if matches!(actor, Actor::Account(a) if a.name == name) {
            return Err(AppError::Conflict(
                "you cannot deactivate your own account; ask another admin".to_string(),
            ));
        }
        let users = self.store.users().await?;
        let Some(user) = users.iter().find(|u| u.name == name) else {
            return Err(AppError::NotFound(format!(
                "there is no account called `{name}`"
            )));
        };
        let active_admins = users
            .iter()
            .filter(|u| u.role == AccountRole::Admin && u.is_active())
            .count();
        if user.role == AccountRole::Admin && user.is_active() && active_admins == 1 {
            return Err(AppError::Conflict(format!(
                "{} is the only active admin; make another account an admin first",
                user.name
            )));
        }
        Ok(self
            .store
            .set_active(actor.audit_name(), &user.name, false)
            .await?)
    }

    /// Let a deactivated account sign in again (admins and the operator).
    pub async fn activate_account(&self, actor: &Actor, name: &str) -> AppResult<()> {
        require_administrator(actor, "reactivate an account")?;
        Ok(self
            .store
            .set_active(actor.audit_name(), name.trim(), true)
            .await?)
    }

    /// Change what an account may do. The last admin cannot be demoted.
    pub async fn set_role(&self, actor: &Actor, name: &str, role: AccountRole) -> AppResult<()> {
        require_administrator(actor, "change an account's role")?;
        let users = self.store.users().await?;
        let Some(user) = users.iter().find(|u| u.name == name.trim()) else {
            return Err(AppError::NotFound(format!(
                "there is no account called `{}`",
                name.trim()
            )));
        };
        let admins = users
            .iter()
            .filter(|u| u.role == AccountRole::Admin)
            .count();
        if user.role == AccountRole::Admin && role != AccountRole::Admin && admins == 1 {
            return Err(AppError::Conflict(format!(
                "{} is the only admin; make another account an admin first",
                user.name
            )));
        }
        self.store
            .set_role(actor.audit_name(), &user.name, role)
            .await?;
        Ok(())
    }

    /// Every account and its role (admins and the operator).
    pub async fn accounts(&self, actor: &Actor) -> AppResult<Vec<UserRecord>> {
        require_administrator(actor, "list accounts")?;
        Ok(self.store.users().await?)
    }

    /// The names of every account, for choosing an interviewer or a hiring
    /// manager (any signed-in account).
    pub async fn account_names(&self, _account: &Account) -> AppResult<Vec<String>> {
        Ok(self
            .store
            .users()
            .await?
            .into_iter()
            .map(|u| u.name)
            .collect())
    }

    /// Check `name` and `password` from `client`. The attempt first takes its
    /// place under the failure limits (per name and per client) in one write
    /// transaction, counted as a failure until the password is known to match,
    /// so parallel guesses can never exceed the limits. A success forgets the
    /// name's failures; both outcomes are audited (a failure without the name
    /// typed). A deactivated account fails like a wrong password.
    pub async fn sign_in(
        &self,
        name: &str,
        password: &str,
        client: &str,
    ) -> AppResult<Result<Account, SignInRefused>> {
        let name = name.trim();
        if name.chars().count() > crate::limits::MAX_SHORT_CHARS
            || password.chars().count() > crate::limits::MAX_PASSWORD_CHARS
        {
            // Nobody has such a name or password; do not hash or count it.
            return Ok(Err(SignInRefused::Mismatch));
        }
        let now = jiff::Timestamp::now().as_second();
        let limits = SignInLimits {
            since: now - WINDOW_SECONDS,
            per_name: MAX_FAILURES_PER_NAME,
            per_client: MAX_FAILURES_PER_CLIENT,
        };
        let Some(attempt) = self.store.begin_sign_in(name, client, now, limits).await? else {
            return Ok(Err(SignInRefused::TooManyFailures));
        };
        let user = self.store.user(name).await?;
        let stored = user.as_ref().map(|u| u.password_hash.clone());
        let password = password.to_string();
        // Hashing is deliberately slow: keep it off the async runtime.
        let verified = tokio::task::spawn_blocking(move || match stored {
            Some(hash) => verify_password(&password, &hash),
            None => {
                // Spend the same effort for an unknown name, so timing does not tell.
                let _ = hash_password(&password);
                false
            }
        })
        .await
        .map_err(|e| AppError::Internal(format!("checking a password stopped abnormally: {e}")))?;
        match user {
            Some(u) if verified && u.is_active() => {
                self.store
                    .end_sign_in(attempt, name, SignInOutcome::Accepted { user: u.id })
                    .await?;
                Ok(Ok(Account {
                    name: u.name,
                    role: u.role,
                }))
            }
            other => {
                let outcome = SignInOutcome::Rejected {
                    user: other.map(|u| u.id),
                };
                self.store.end_sign_in(attempt, name, outcome).await?;
                Ok(Err(SignInRefused::Mismatch))
            }
        }
    }

    /// Forget sessions that expired and failed sign-ins older than the limits'
    /// window (the web server runs this hourly).
    pub async fn purge_sign_in_records(&self) -> AppResult<(u64, u64)> {
        let now = jiff::Timestamp::now().as_second();
        let sessions = self.store.purge_sessions(now).await?;
        let failures = self
            .store
            .purge_login_failures(now - WINDOW_SECONDS)
            .await?;
        Ok((sessions, failures))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let h = hash_password("correct horse battery").unwrap_or_default();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("wrong horse battery", &h));
        assert!(!verify_password("anything", "not a phc string"));
    }

    #[test]
    fn short_passwords_are_refused() {
        assert!(check_password_strength("short").is_err());
        assert!(check_password_strength("long enough pass").is_ok());
    }

    #[test]
    fn names_are_trimmed_and_checked() {
        assert_eq!(account_name("  ana ").ok().as_deref(), Some("ana"));
        assert!(account_name("   ").is_err());
        assert!(account_name("a\u{7}b").is_err());
    }
}
