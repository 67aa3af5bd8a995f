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
use multiplier_store::{AccountRole, AccountStore, UserRecord};

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Failed sign-ins allowed per name in [`WINDOW_SECONDS`].
pub const MAX_FAILURES_PER_NAME: u32 = 5;
/// Failed sign-ins allowed per client address in [`WINDOW_SECONDS`].
pub const MAX_FAILURES_PER_CLIENT: u32 = 20;
pub const WINDOW_SECONDS: i64 = 15 * 60;

/// Reject passwords too short to be worth hashing.
pub fn check_password_strength(password: &str) -> Result<(), String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(format!(
            "a password needs at least {MIN_PASSWORD_CHARS} characters"
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

fn require_administrator(actor: &Actor, what: &str) -> AppResult<()> {
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
    /// The account called `name`, if there is one.
    pub async fn account(&self, name: &str) -> AppResult<Option<Account>> {
        Ok(self.store.user(name.trim()).await?.map(|u| Account {
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

    /// Check `name` and `password` from `client`: the failure limits first, then
    /// the password. A failure is counted; a success clears the name's failures.
    pub async fn sign_in(
        &self,
        name: &str,
        password: &str,
        client: &str,
    ) -> AppResult<Result<Account, SignInRefused>> {
        let name = name.trim();
        let now = jiff::Timestamp::now().as_second();
        let (by_name, by_client) = self
            .store
            .login_failures(name, client, now - WINDOW_SECONDS)
            .await?;
        if by_name >= MAX_FAILURES_PER_NAME || by_client >= MAX_FAILURES_PER_CLIENT {
            return Ok(Err(SignInRefused::TooManyFailures));
        }
        let user = self.store.user(name).await?;
        let verified = match &user {
            Some(u) => verify_password(password, &u.password_hash),
            None => {
                // Spend the same effort for an unknown name, so timing does not tell.
                let _ = hash_password(password);
                false
            }
        };
        let Some(user) = user.filter(|_| verified) else {
            self.store.record_login_failure(name, client, now).await?;
            return Ok(Err(SignInRefused::Mismatch));
        };
        self.store.clear_login_failures(name).await?;
        Ok(Ok(Account {
            name: user.name,
            role: user.role,
        }))
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
