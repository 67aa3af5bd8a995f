//! An opening's delivery-metric snapshots: the baseline taken before the hire and
//! the later measurements compared against it.

use crate::actor::Account;
use crate::error::{AppError, AppResult};
use crate::{App, require_admin};
use multiplier_core::delivery::Baseline;
use multiplier_store::{MetricsStore, OpeningId, SnapshotRecord, baseline};

/// The kinds of snapshot, by the command that measures them.
pub const SNAPSHOT_KINDS: [&str; 3] = ["git", "deploys", "prs"];

impl App {
    /// Save a measurement of an opening's team (hiring managers). The first of
    /// each kind is the baseline.
    pub async fn save_snapshot(
        &self,
        account: &Account,
        opening: OpeningId,
        kind: &str,
        source: &str,
        body: &serde_json::Value,
    ) -> AppResult<SnapshotRecord> {
        require_admin(account, "save delivery measurements")?;
        self.opening(account, opening).await?;
        let kind = kind.trim();
        if !SNAPSHOT_KINDS.contains(&kind) {
            return Err(AppError::field(
                "the snapshot",
                "kind",
                format!("use one of {}", SNAPSHOT_KINDS.join(", ")),
            ));
        }
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
