//! The four keys from deployments, their changes and incidents.
//!
//! - A deployment's changes are the commits it ships that no earlier deployment
//!   shipped; a change's lead time is the deployment's time minus its author time.
//! - A deployment failed when a later commit reverts one of its changes (restored
//!   when the deployment carrying the revert ships), or when an incident names it or
//!   was opened after it and before the next deployment (restored when the incident
//!   was resolved). Each deployment counts once.
//! - Windows are `[since, until)` in UTC.

use super::change_id::ChangeId;
use super::stats::{Summary, round2};
use crate::framework::{DeliveryMetric, DoraTiers};
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// The commit id (kept as bytes when it is a full lowercase SHA-1).
    pub id: ChangeId,
    pub authored: Timestamp,
    /// Commit ids (full or abbreviated) this change says it reverts.
    pub reverts: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Deployment {
    pub name: String,
    pub time: Timestamp,
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Incident {
    pub id: String,
    pub created: Timestamp,
    pub resolved: Option<Timestamp>,
    /// The deployment it names, when it names one.
    pub deployment: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Window {
    pub since: Option<Timestamp>,
    /// Exclusive.
    pub until: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WindowError {
    #[error("the window is empty: --since {since} is not before --until {until}")]
    Empty { since: Timestamp, until: Timestamp },
    #[error("no deployment falls in the window {since} to {until} (until is exclusive)")]
    NoDeployments { since: String, until: String },
    #[error("there are no deployments to measure")]
    Nothing,
}

/// Why a deployment counts as failed, and when it was restored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Failure {
    pub deployment: String,
    pub cause: String,
    pub restored_at: Option<Timestamp>,
    pub restore_hours: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportWindow {
    pub since: Timestamp,
    pub until: Timestamp,
    pub weeks: f64,
}

/// The JSON contract of `multiplier metrics git|deploys` (docs/metrics.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeliveryReport {
    pub deployments: usize,
    pub changes: usize,
    pub deployments_per_week: f64,
    pub deployment_days_per_week_median: f64,
    pub lead_time_hours: Summary,
    pub change_failure_rate: f64,
    pub failed_deployments: Vec<String>,
    pub failures: Vec<Failure>,
    pub time_to_restore_hours: Summary,
    /// DORA tier per metric, from the framework's bands.
    pub tiers: BTreeMap<&'static str, String>,
    pub window: ReportWindow,
}

fn hours(d: SignedDuration) -> f64 {
    d.as_secs_f64() / 3600.0
}

const DAY: i64 = 86_400;

/// The start of the UTC day containing `t`.
fn day_start(t: Timestamp) -> Timestamp {
    let s = t.as_second().div_euclid(DAY) * DAY;
    Timestamp::from_second(s).unwrap_or(t)
}

/// The owners of reverted ids. An id names the shipped change whose lowercase
/// id starts with it (at least 7 characters); when several do, the smallest
/// id, and for one id shipped twice the earlier deployment.
struct RevertIndex {
    /// Every reverted id of 7 characters or more, lowercase, sorted, once.
    wanted: Vec<Vec<u8>>,
    /// For each wanted id: the smallest matching shipped id (lowercase) and its
    /// deployment's place in time order.
    best: Vec<Option<(Vec<u8>, usize)>>,
}

/// How many leading characters every wanted id has.
const MIN_REVERTED: usize = 7;

impl RevertIndex {
    fn new(all: &[&Deployment], undeployed: &[Change]) -> Self {
        let mut wanted: Vec<Vec<u8>> = all
            .iter()
            .flat_map(|d| d.changes.iter())
            .chain(undeployed)
            .flat_map(|c| c.reverts.iter())
            .map(|sha| sha.to_ascii_lowercase().into_bytes())
            .filter(|sha| sha.len() >= MIN_REVERTED)
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        let mut best: Vec<Option<(Vec<u8>, usize)>> = vec![None; wanted.len()];
        if !wanted.is_empty() {
            for (i, d) in all.iter().enumerate() {
                for c in &d.changes {
                    let lower = c.id.lower();
                    let id = lower.as_bytes();
                    let Some(head) = id.get(..MIN_REVERTED) else {
                        continue;
                    };
                    // The wanted ids that are prefixes of `id` sort at or before
                    // it and share its first characters, so they sit just below.
                    let end = wanted.partition_point(|w| w.as_slice() <= id);
                    for j in (0..end).rev() {
                        let w = &wanted[j];
                        if w.get(..MIN_REVERTED) != Some(head) {
                            break;
                        }
                        if !id.starts_with(w) {
                            continue;
                        }
                        let better = match &best[j] {
                            None => true,
                            // Deployments come in time order: on equal ids the
                            // earlier one stays.
                            Some((known, _)) => id < known.as_slice(),
                        };
                        if better {
                            best[j] = Some((id.to_vec(), i));
                        }
                    }
                }
            }
        }
        RevertIndex { wanted, best }
    }

    /// The place (in time order) of the deployment that shipped the change
    /// `sha` names.
    fn owner(&self, sha: &str) -> Option<usize> {
        let sha = sha.to_ascii_lowercase();
        if sha.len() < MIN_REVERTED {
            return None;
        }
        let j = self
            .wanted
            .binary_search_by(|w| w.as_slice().cmp(sha.as_bytes()))
            .ok()?;
        self.best.get(j)?.as_ref().map(|(_, i)| *i)
    }
}

/// Measure. `deployments` may be in any order; `undeployed` are commits not shipped
/// yet (their reverts still mark earlier deployments failed, without a restore).
pub fn report(
    deployments: &[Deployment],
    undeployed: &[Change],
    incidents: &[Incident],
    window: Window,
    tiers: &DoraTiers,
) -> Result<DeliveryReport, WindowError> {
    if let (Some(since), Some(until)) = (window.since, window.until)
        && since >= until
    {
        return Err(WindowError::Empty { since, until });
    }
    let mut all: Vec<&Deployment> = deployments.iter().collect();
    all.sort_by_key(|d| d.time);
    let (first, last) = match (all.first(), all.last()) {
        (Some(f), Some(l)) => (f.time, l.time),
        _ => return Err(WindowError::Nothing),
    };
    let since = window.since.unwrap_or_else(|| day_start(first));
    let until = window.until.unwrap_or_else(|| {
        Timestamp::from_second(day_start(last).as_second() + DAY).unwrap_or(last)
    });
    let inside = |t: Timestamp| since <= t && t < until;
    let shown: Vec<&Deployment> = all.iter().copied().filter(|d| inside(d.time)).collect();
    if shown.is_empty() {
        return Err(WindowError::NoDeployments {
            since: since.to_string(),
            until: until.to_string(),
        });
    }

    // Lead times.
    let lead: Vec<f64> = shown
        .iter()
        .flat_map(|d| {
            d.changes
                .iter()
                .map(move |c| hours(d.time.duration_since(c.authored)))
        })
        .collect();

    // Failures: every cause found, then per deployment the earliest restoration.
    let mut causes: Vec<(&Deployment, String, Option<Timestamp>)> = Vec::new();
    // The shipped change each (possibly abbreviated) reverted id names: only the
    // reverted ids are indexed, and every shipped id is matched against them once.
    let index = RevertIndex::new(&all, undeployed);
    let owner = |sha: &str| index.owner(sha).map(|i| all[i]);
    let short = |id: &str| id.chars().take(10).collect::<String>();
    let shipped = all
        .iter()
        .copied()
        .flat_map(|d| d.changes.iter().map(move |c| (Some(d), c)));
    let pending = undeployed.iter().map(|c| (None, c));
    for (carrier, change) in shipped.chain(pending) {
        for sha in &change.reverts {
            let Some(target) = owner(sha) else { continue };
            if carrier.is_some_and(|c: &Deployment| c.time < target.time) {
                continue;
            }
            let cause = match carrier {
                Some(c) => format!(
                    "commit {} reverted by {} (shipped in {})",
                    short(sha),
                    change.id.short(10),
                    c.name
                ),
                None => format!(
                    "commit {} reverted by {} (not deployed yet)",
                    short(sha),
                    change.id.short(10)
                ),
            };
            causes.push((target, cause, carrier.map(|c| c.time)));
        }
    }
    for incident in incidents {
        let named = incident
            .deployment
            .as_deref()
            .and_then(|n| all.iter().copied().find(|d| d.name == n));
        let by_time = || {
            all.iter()
                .enumerate()
                .find(|(i, d)| {
                    d.time <= incident.created
                        && all
                            .get(i + 1)
                            .is_none_or(|next| incident.created < next.time)
                })
                .map(|(_, d)| *d)
        };
        if let Some(d) = named.or_else(by_time) {
            let how = if named.is_some() {
                "names it"
            } else {
                "opened after it, before the next deployment"
            };
            causes.push((
                d,
                format!("incident {} ({how})", incident.id),
                incident.resolved,
            ));
        }
    }
    let mut failed: BTreeMap<&str, Failure> = BTreeMap::new();
    for (d, cause, restored) in causes {
        let better = match failed.get(d.name.as_str()).map(|f| f.restored_at) {
            None => true,
            Some(previous) => match (restored, previous) {
                (Some(r), Some(p)) => r < p,
                (Some(_), None) => true,
                _ => false,
            },
        };
        if better {
            let restore_hours = restored.map(|r| round2(hours(r.duration_since(d.time))));
            failed.insert(
                d.name.as_str(),
                Failure {
                    deployment: d.name.clone(),
                    cause,
                    restored_at: restored,
                    restore_hours,
                },
            );
        }
    }
    let failures: Vec<Failure> = shown
        .iter()
        .filter_map(|d| failed.get(d.name.as_str()).cloned())
        .collect();
    let restores: Vec<f64> = failures.iter().filter_map(|f| f.restore_hours).collect();

    // Frequency.
    let seconds = (until.as_second() - since.as_second()).max(1);
    let weeks = seconds as f64 / (7 * DAY) as f64;
    let buckets = seconds.div_euclid(7 * DAY) + i64::from(seconds.rem_euclid(7 * DAY) > 0);
    let mut days_per_bucket =
        vec![std::collections::BTreeSet::new(); usize::try_from(buckets.max(1)).unwrap_or(1)];
    for d in &shown {
        let offset = d.time.as_second() - since.as_second();
        let bucket = usize::try_from(offset.div_euclid(7 * DAY))
            .unwrap_or(0)
            .min(days_per_bucket.len() - 1);
        days_per_bucket[bucket].insert(d.time.as_second().div_euclid(DAY));
    }
    let counts: Vec<f64> = days_per_bucket.iter().map(|s| s.len() as f64).collect();

    let per_week = round2(shown.len() as f64 / weeks);
    let lead_time = Summary::of(&lead);
    let cfr = round2(failures.len() as f64 / shown.len() as f64);
    let restore = Summary::of(&restores);
    let mut tier_map = BTreeMap::new();
    let mut put = |key: &'static str, metric, value: Option<f64>| {
        if let Some(t) = value.and_then(|v| tiers.tier(metric, v)) {
            tier_map.insert(
                key,
                serde_json::to_value(t.id)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
            );
        }
    };
    put(
        "deployment_frequency",
        DeliveryMetric::DeploymentFrequency,
        Some(per_week),
    );
    put("lead_time", DeliveryMetric::LeadTime, lead_time.median);
    put(
        "change_failure_rate",
        DeliveryMetric::ChangeFailureRate,
        Some(cfr),
    );
    put(
        "time_to_restore",
        DeliveryMetric::TimeToRestore,
        restore.median,
    );
    Ok(DeliveryReport {
        deployments: shown.len(),
        changes: lead.len(),
        deployments_per_week: per_week,
        deployment_days_per_week_median: super::stats::percentile(&counts, 50.0)
            .map_or(0.0, round2),
        lead_time_hours: lead_time,
        change_failure_rate: cfr,
        failed_deployments: failures.iter().map(|f| f.deployment.clone()).collect(),
        failures,
        time_to_restore_hours: restore,
        tiers: tier_map,
        window: ReportWindow {
            since,
            until,
            weeks: round2(weeks),
        },
    })
}
