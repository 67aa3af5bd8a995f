//! What every command may need: the framework in use, the application's use
//! cases over the store, and who is acting.

use anyhow::{Context, Result};
use clap::Args;
use multiplier_app::{Account, App};
use multiplier_core::Framework;
use multiplier_core::framework::{DEFAULT_SOURCE, DEFAULT_TOML};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug)]
pub struct Globals {
    pub framework: Option<PathBuf>,
    pub db: String,
}

/// The framework in use, with its text and where it came from.
pub struct Loaded {
    pub framework: Framework,
    pub source: String,
    pub text: String,
}

/// Who acts: `--as NAME` or `MULTIPLIER_USER`, naming an existing account.
/// Shared by every command that reads or writes hiring data, and by account
/// administration (where leaving it out means the local operator).
#[derive(Debug, Args, Clone, Default)]
pub struct Actor {
    /// The account you act as (see `multiplier user list`). The audit log names it;
    /// what you may see and do follows its role and assignments. No default.
    #[arg(long = "as", id = "as", value_name = "NAME", env = "MULTIPLIER_USER")]
    pub name: Option<String>,
}

/// Said when a command that needs an account is run without one.
#[derive(Debug, thiserror::Error)]
#[error(
    "say which account you act as with --as NAME (or the MULTIPLIER_USER environment variable); `multiplier user list` shows the accounts"
)]
pub struct NoActor;

impl Actor {
    /// The name given, or the usage error naming `--as` and `MULTIPLIER_USER`.
    pub fn required(&self) -> Result<&str, NoActor> {
        self.name.as_deref().ok_or(NoActor)
    }
}

impl Globals {
    /// Load the framework: the `--framework` file when given, else the default.
    pub fn framework(&self) -> Result<Loaded> {
        let (source, text) = match &self.framework {
            Some(path) => (
                path.display().to_string(),
                read_text(path, "framework file")?,
            ),
            None => (DEFAULT_SOURCE.to_string(), DEFAULT_TOML.to_string()),
        };
        let framework = Framework::parse(&source, &text).with_context(|| {
            format!("the framework in use ({source}) is not valid; run `multiplier framework check {source}` for details")
        })?;
        Ok(Loaded {
            framework,
            source,
            text,
        })
    }

    /// The use cases over the framework in use and the database: built once per
    /// command.
    pub async fn app(&self) -> Result<App> {
        let framework = Arc::new(self.framework()?.framework);
        let store = multiplier_store::open(&self.db).await.with_context(|| {
            format!(
                "cannot use the database {}",
                multiplier_store::redact(&self.db)
            )
        })?;
        Ok(App::new(store, framework).with_history(Arc::new(crate::git_history::GitHistory)))
    }

    /// The use cases and the account `actor` names. A missing `--as` is refused
    /// before the database is touched; a name that is not an account is refused
    /// by the application.
    pub async fn acting(&self, actor: &Actor) -> Result<(App, Account)> {
        let name = actor.required()?;
        let app = self.app().await?;
        let account = app.act_as(name).await?;
        Ok((app, account))
    }

    /// For account administration: the named account when `--as` is given, else
    /// the local operator.
    pub async fn administering(&self, actor: &Actor) -> Result<(App, multiplier_app::Actor)> {
        let app = self.app().await?;
        let who = match &actor.name {
            Some(name) => multiplier_app::Actor::Account(app.act_as(name).await?),
            None => multiplier_app::Actor::Operator,
        };
        Ok((app, who))
    }
}

/// Read a text file, or standard input for `-`, naming the file on failure.
pub fn read_text(path: &Path, what: &str) -> Result<String> {
    if path == Path::new("-") {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .with_context(|| format!("cannot read the {what} from standard input"))?;
        return Ok(text);
    }
    std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the {what} {}", path.display()))
}

/// Run one command's work on a current-thread runtime.
pub fn block_on<T>(future: impl std::future::Future<Output = Result<T>>) -> Result<T> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(future)
}
