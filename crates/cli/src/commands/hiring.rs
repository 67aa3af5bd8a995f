//! Arguments shared by the hiring-loop commands, parsed into core's types:
//! `SIGNAL=N` scores, `SIGNAL=TEXT` notes and `ID=TEXT` red flags.

use anyhow::{Result, anyhow, bail};
use multiplier_core::Signal;
use multiplier_core::score::Score;
use std::collections::BTreeMap;

fn signal(text: &str) -> Result<Signal> {
    Signal::ALL
        .into_iter()
        .find(|s| s.id() == text.trim())
        .ok_or_else(|| anyhow!("`{text}` is not a signal; use technical-depth or team-multiplier"))
}

/// Parse `SIGNAL=1..4` arguments.
pub fn scores(pairs: &[String]) -> Result<BTreeMap<Signal, Score>> {
    let mut out = BTreeMap::new();
    for pair in pairs {
        let (s, n) = pair.split_once('=').ok_or_else(|| {
            anyhow!("`{pair}`: write a score as SIGNAL=N, e.g. team-multiplier=3")
        })?;
        let n: i64 = n
            .trim()
            .parse()
            .map_err(|_| anyhow!("`{pair}`: the score must be a whole number from 1 to 4"))?;
        let score = Score::new(n).map_err(|e| anyhow!("`{pair}`: {e}"))?;
        if out.insert(signal(s)?, score).is_some() {
            bail!("`{s}` is scored twice");
        }
    }
    Ok(out)
}

/// Parse `SIGNAL=TEXT` arguments.
pub fn notes(pairs: &[String]) -> Result<BTreeMap<Signal, String>> {
    let mut out = BTreeMap::new();
    for pair in pairs {
        let (s, text) = pair
            .split_once('=')
            .ok_or_else(|| anyhow!("`{pair}`: write a note as SIGNAL=TEXT"))?;
        out.insert(signal(s)?, text.trim().to_string());
    }
    Ok(out)
}

/// Parse `ID=TEXT` arguments (red flags with what was seen).
pub fn pairs(items: &[String], what: &str) -> Result<Vec<(String, String)>> {
    items
        .iter()
        .map(|p| {
            p.split_once('=')
                .map(|(a, b)| (a.trim().to_string(), b.trim().to_string()))
                .ok_or_else(|| anyhow!("`{p}`: write a {what} as ID=WHAT-YOU-SAW"))
        })
        .collect()
}
