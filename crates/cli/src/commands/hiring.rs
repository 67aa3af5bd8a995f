//! Shared pieces of the hiring-loop commands: who is acting, loading a candidate,
//! the blind-rule viewer, and `SIGNAL=VALUE` arguments.

use crate::context::Globals;
use anyhow::{Context, Result, anyhow, bail};
use clap::Args;
use multiplier_core::Signal;
use multiplier_core::pipeline::{Viewer, ViewerRole};
use multiplier_core::score::Score;
use multiplier_store::{CandidateId, CandidateRecord, HiringStore, OpeningRecord, Store};
use std::collections::BTreeMap;

/// Who is acting: recorded in the audit log and used for the blind rule.
#[derive(Debug, Args, Clone)]
pub struct Actor {
    /// Your name as it appears in assignments and the audit log (default: $USER).
    #[arg(long = "as", id = "as", value_name = "NAME", env = "MULTIPLIER_USER")]
    pub actor: Option<String>,
}

impl Actor {
    pub fn name(&self) -> Result<String> {
        self.actor
            .clone()
            .or_else(|| std::env::var("USER").ok())
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty())
            .ok_or_else(|| {
                anyhow!(
                    "say who you are with --as NAME (or MULTIPLIER_USER); it goes in the audit log"
                )
            })
    }
}

pub async fn open_store(globals: &Globals) -> Result<Store> {
    globals.store().await
}

pub async fn candidate(store: &Store, id: CandidateId) -> Result<(CandidateRecord, OpeningRecord)> {
    let c = store
        .candidate(id)
        .await
        .context("cannot read the candidate")?
        .ok_or_else(|| anyhow!("there is no candidate {id} (see `multiplier candidate search`)"))?;
    let o = store
        .opening(c.opening)
        .await
        .context("cannot read the opening")?
        .ok_or_else(|| {
            anyhow!(
                "candidate {id} belongs to opening {}, which does not exist",
                c.opening
            )
        })?;
    Ok((c, o))
}

/// Where `name` stands on a candidate, for the blind rule.
pub async fn viewer(
    store: &Store,
    name: &str,
    candidate: &CandidateRecord,
    opening: &OpeningRecord,
) -> Result<Viewer> {
    let assignments = store
        .assignments(candidate.id)
        .await
        .context("cannot read assignments")?;
    let cards = store
        .scorecards(candidate.id)
        .await
        .context("cannot read scorecards")?;
    let submitted_stages: Vec<&str> = cards
        .iter()
        .filter(|c| c.card.interviewer == name)
        .map(|c| c.card.stage.as_str())
        .collect();
    let pending = assignments
        .iter()
        .filter(|a| a.interviewer == name && !submitted_stages.contains(&a.stage.as_str()))
        .count();
    Ok(Viewer {
        name: name.to_string(),
        role: if opening.manager == name {
            ViewerRole::HiringManager
        } else {
            ViewerRole::Interviewer
        },
        pending,
        submitted: submitted_stages.len(),
    })
}

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
