//! What every command may need: the framework in use and the store.

use anyhow::{Context, Result};
use multiplier_core::Framework;
use multiplier_core::framework::{DEFAULT_SOURCE, DEFAULT_TOML};
use std::path::{Path, PathBuf};

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

    pub async fn store(&self) -> Result<multiplier_store::Store> {
        multiplier_store::open(&self.db).await.with_context(|| {
            format!(
                "cannot use the database {}",
                multiplier_store::redact(&self.db)
            )
        })
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

/// A current-thread runtime for the few commands that touch the store.
pub fn block_on<F: std::future::Future>(future: F) -> Result<F::Output> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    Ok(runtime.block_on(future))
}
