//! Delivery targets and DORA performance tiers, as data with the small maths that
//! reads them.

use serde::{Deserialize, Serialize};

/// The delivery metrics the framework sets targets and tiers for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeliveryMetric {
    /// Deployments per week.
    DeploymentFrequency,
    /// Hours from a change's authoring to its deployment.
    LeadTime,
    /// Failed deployments ÷ deployments, 0–1.
    ChangeFailureRate,
    /// Hours from a failed deployment to its restoration.
    TimeToRestore,
}

impl DeliveryMetric {
    /// Whether a larger value is better.
    pub fn higher_is_better(self) -> bool {
        matches!(self, DeliveryMetric::DeploymentFrequency)
    }
}

/// How a target is expressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TargetChange {
    /// The later value as a multiple of the baseline, e.g. [2, 3] for 2–3×.
    Multiply,
    /// The reduction from the baseline in percent, e.g. [40, 60] for −40 to −60 %.
    ReducePercent,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    pub metric: DeliveryMetric,
    pub change: TargetChange,
    /// [low, high] of the expected improvement; reaching `low` meets the target.
    pub range: [f64; 2],
}

impl Target {
    /// The improvement from `baseline` to `later`, in this target's terms
    /// (a factor or a reduction in percent); `None` when the baseline is zero.
    pub fn improvement(&self, baseline: f64, later: f64) -> Option<f64> {
        if baseline == 0.0 || !baseline.is_finite() || !later.is_finite() {
            return None;
        }
        Some(match self.change {
            TargetChange::Multiply => later / baseline,
            TargetChange::ReducePercent => (baseline - later) / baseline * 100.0,
        })
    }

    /// Whether the improvement reaches the low end of the range.
    pub fn met(&self, baseline: f64, later: f64) -> Option<bool> {
        self.improvement(baseline, later)
            .map(|i| i >= self.range[0])
    }

    /// The value that would meet this target from `baseline` (the low end).
    pub fn goal_from(&self, baseline: f64) -> f64 {
        match self.change {
            TargetChange::Multiply => baseline * self.range[0],
            TargetChange::ReducePercent => baseline * (1.0 - self.range[0] / 100.0),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeliveryTargets {
    /// Months after the hire by which the targets should be reached.
    pub horizon_months: u32,
    #[serde(rename = "target")]
    pub targets: Vec<Target>,
}

impl DeliveryTargets {
    pub fn for_metric(&self, metric: DeliveryMetric) -> Option<&Target> {
        self.targets.iter().find(|t| t.metric == metric)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TierId {
    Elite,
    High,
    Medium,
    Low,
}

/// One performance tier with its threshold per metric. A missing threshold means
/// "anything" (the lowest tier has none).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DoraTier {
    pub id: TierId,
    pub name: String,
    /// At least this many deployments per week.
    #[serde(default)]
    pub deploys_per_week_min: Option<f64>,
    /// Lead time for changes of at most this many hours.
    #[serde(default)]
    pub lead_time_hours_max: Option<f64>,
    /// Change failure rate of at most this fraction (0–1).
    #[serde(default)]
    pub change_failure_rate_max: Option<f64>,
    /// Time to restore of at most this many hours.
    #[serde(default)]
    pub restore_hours_max: Option<f64>,
}

impl DoraTier {
    fn threshold(&self, metric: DeliveryMetric) -> Option<f64> {
        match metric {
            DeliveryMetric::DeploymentFrequency => self.deploys_per_week_min,
            DeliveryMetric::LeadTime => self.lead_time_hours_max,
            DeliveryMetric::ChangeFailureRate => self.change_failure_rate_max,
            DeliveryMetric::TimeToRestore => self.restore_hours_max,
        }
    }

    fn admits(&self, metric: DeliveryMetric, value: f64) -> bool {
        match self.threshold(metric) {
            None => true,
            Some(t) if metric.higher_is_better() => value >= t,
            Some(t) => value <= t,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DoraTiers {
    /// Where the bands come from.
    pub source: String,
    /// Best first.
    #[serde(rename = "tier")]
    pub tiers: Vec<DoraTier>,
}

impl DoraTiers {
    /// The best tier whose threshold `value` meets; `None` for a non-finite value.
    pub fn tier(&self, metric: DeliveryMetric, value: f64) -> Option<&DoraTier> {
        if !value.is_finite() {
            return None;
        }
        self.tiers.iter().find(|t| t.admits(metric, value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiers() -> DoraTiers {
        let tier = |id, d, l, c, r| DoraTier {
            id,
            name: format!("{id:?}"),
            deploys_per_week_min: d,
            lead_time_hours_max: l,
            change_failure_rate_max: c,
            restore_hours_max: r,
        };
        DoraTiers {
            source: "test".into(),
            tiers: vec![
                tier(TierId::Elite, Some(7.0), Some(24.0), Some(0.05), Some(1.0)),
                tier(TierId::High, Some(1.0), Some(168.0), Some(0.10), Some(24.0)),
                tier(TierId::Low, None, None, None, None),
            ],
        }
    }

    #[test]
    fn tier_picks_the_best_tier_whose_threshold_is_met() {
        let t = tiers();
        let id = |m, v| t.tier(m, v).map(|t| t.id);
        assert_eq!(
            id(DeliveryMetric::DeploymentFrequency, 10.0),
            Some(TierId::Elite)
        );
        assert_eq!(
            id(DeliveryMetric::DeploymentFrequency, 2.0),
            Some(TierId::High)
        );
        assert_eq!(
            id(DeliveryMetric::DeploymentFrequency, 0.2),
            Some(TierId::Low)
        );
        assert_eq!(id(DeliveryMetric::LeadTime, 12.0), Some(TierId::Elite));
        assert_eq!(id(DeliveryMetric::LeadTime, 100.0), Some(TierId::High));
        assert_eq!(
            id(DeliveryMetric::ChangeFailureRate, 0.3),
            Some(TierId::Low)
        );
        assert_eq!(id(DeliveryMetric::TimeToRestore, f64::NAN), None);
    }

    #[test]
    fn targets_measure_improvement_in_their_own_terms() {
        let deploy = Target {
            metric: DeliveryMetric::DeploymentFrequency,
            change: TargetChange::Multiply,
            range: [2.0, 3.0],
        };
        assert_eq!(deploy.improvement(2.0, 5.0), Some(2.5));
        assert_eq!(deploy.met(2.0, 3.0), Some(false));
        assert_eq!(deploy.met(2.0, 4.0), Some(true));
        assert_eq!(deploy.goal_from(2.0), 4.0);
        let lead = Target {
            metric: DeliveryMetric::LeadTime,
            change: TargetChange::ReducePercent,
            range: [40.0, 60.0],
        };
        assert_eq!(lead.improvement(100.0, 50.0), Some(50.0));
        assert_eq!(lead.met(100.0, 70.0), Some(false));
        assert_eq!(lead.goal_from(100.0), 60.0);
        assert_eq!(lead.met(0.0, 1.0), None);
    }
}
