//! An opening's delivery-metric snapshots: the baseline taken before the hire and
//! the later measurements compared against it.

use crate::actor::Account;
use crate::error::{AppError, AppResult};
use crate::{App, require_admin};
use multiplier_core::delivery::Baseline;
use multiplier_store::{MetricsStore, OpeningId, SnapshotRecord, baseline};

/// The kinds of snapshot: `delivery` (the DORA keys, from `metrics git` or
/// `metrics deploys`) and `prs` (review times, from `metrics prs`).
pub const SNAPSHOT_KINDS: [&str; 2] = ["delivery", "prs"];

/// The kind of a metrics report, from what it measures.
fn kind_of(body: &serde_json::Value) -> Option<&'static str> {
    if body.get("first_review_hours").is_some() {
        Some("prs")
    } else if body.get("deployments").is_some() {
        Some("delivery")
    } else {
        None
    }
}

impl App {
    /// Save a measurement of an opening's team (hiring managers): a report of
    /// `metrics git|deploys` (kind `delivery`) or `metrics prs` (kind `prs`). The
    /// first of each kind is the baseline.
    pub async fn save_snapshot(
        &self,
        account: &Account,
        opening: OpeningId,
        source: &str,
        body: &serde_json::Value,
    ) -> AppResult<SnapshotRecord> {
        require_admin(account, "save delivery measurements")?;
        self.opening(account, opening).await?;
        AppError::check(
            "the snapshot",
            crate::limits::longer_than("source", source.trim(), crate::limits::MAX_SHORT_CHARS)
                .into_iter()
                .collect(),
        )?;
        crate::limits::check_input("the snapshot", "body", body.to_string().len())?;
        let Some(kind) = kind_of(body) else {
            return Err(AppError::field(
                "the snapshot",
                "body",
                "is neither a `metrics git|deploys` nor a `metrics prs` report",
            ));
        };
        if serde_json::from_value::<Baseline>(body.clone()).is_err() {
            return Err(AppError::field(
                "the snapshot",
                "body",
                "is not a metrics report (save what `multiplier metrics git|deploys|prs --format json` prints)",
            ));
        }
        let sid = self
            .store
            .save_snapshot(&account.name, opening, kind, source.trim(), body)
            .await?;
        self.store
            .snapshots(opening)
            .await?
            .into_iter()
            .find(|s| s.id == sid)
            .ok_or_else(|| AppError::Internal("the stored snapshot cannot be read back".into()))
    }

    /// The opening's snapshots, oldest first (any signed-in account: team
    /// numbers, no personal data).
    pub async fn snapshots(
        &self,
        account: &Account,
        opening: OpeningId,
    ) -> AppResult<Vec<SnapshotRecord>> {
        self.opening(account, opening).await?;
        Ok(self.store.snapshots(opening).await?)
    }

    /// The opening's baseline: the first snapshot of each kind, merged.
    pub async fn baseline(&self, account: &Account, opening: OpeningId) -> AppResult<Baseline> {
        let snapshots = self.snapshots(account, opening).await?;
        baseline(&snapshots).map_err(|e| {
            AppError::Conflict(format!("{e}; save it again with `multiplier metrics save`"))
        })
    }
}
