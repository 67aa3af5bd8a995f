//! A later measurement against the baseline and the framework's targets.

use super::Baseline;
use super::stats::round2;
use crate::framework::{DeliveryMetric, DeliveryTargets, Target, TargetChange};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// The improvement reaches the low end of the target range.
    Met,
    /// Not yet met, but improving at least in proportion to the time elapsed.
    OnTrack,
    /// Neither.
    Missed,
    /// A value is missing or the baseline is zero.
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricComparison {
    pub metric: &'static str,
    pub baseline: Option<f64>,
    pub later: Option<f64>,
    /// In the target's own terms: a factor (×) or a reduction in percent.
    pub improvement: Option<f64>,
    pub target: String,
    pub status: Status,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub months_elapsed: Option<f64>,
    pub horizon_months: u32,
    pub metrics: Vec<MetricComparison>,
}

fn value(b: &Baseline, metric: DeliveryMetric) -> Option<f64> {
    match metric {
        DeliveryMetric::DeploymentFrequency => b.deploys_per_week(),
        DeliveryMetric::LeadTime => b.lead_time_median(),
        DeliveryMetric::ChangeFailureRate => b.failure_rate(),
        DeliveryMetric::TimeToRestore => b.restore_median(),
    }
}

fn name(metric: DeliveryMetric) -> &'static str {
    match metric {
        DeliveryMetric::DeploymentFrequency => "deployment-frequency",
        DeliveryMetric::LeadTime => "lead-time",
        DeliveryMetric::ChangeFailureRate => "change-failure-rate",
        DeliveryMetric::TimeToRestore => "time-to-restore",
    }
}

fn describe(t: &Target) -> String {
    let [lo, hi] = t.range;
    match t.change {
        TargetChange::Multiply => format!("{lo}–{hi}× the baseline"),
        TargetChange::ReducePercent => format!("−{lo} to −{hi} %"),
    }
}

/// Months between the ends of the two windows, when both are known.
fn elapsed(baseline: &Baseline, later: &Baseline) -> Option<f64> {
    let end = |b: &Baseline| b.window.as_ref().and_then(|w| w.until);
    let (a, b) = (end(baseline)?, end(later)?);
    Some(round2(
        b.duration_since(a).as_secs_f64() / (30.436_875 * 86_400.0),
    ))
}

/// Compare each targeted metric. `months` overrides the elapsed time read from the
/// reports' windows; without either, a target is judged as at its horizon.
pub fn compare(
    baseline: &Baseline,
    later: &Baseline,
    targets: &DeliveryTargets,
    months: Option<f64>,
) -> Comparison {
    let months_elapsed = months.or_else(|| elapsed(baseline, later));
    let horizon = f64::from(targets.horizon_months.max(1));
    let share = months_elapsed.map_or(1.0, |m| (m / horizon).clamp(0.0, 1.0));
    let metrics = targets
        .targets
        .iter()
        .map(|t| {
            let (b, l) = (value(baseline, t.metric), value(later, t.metric));
            let improvement = b.zip(l).and_then(|(b, l)| t.improvement(b, l)).map(round2);
            let low = t.range[0];
            // Progress needed by now: for a factor, the part above 1×; for a reduction, the percent.
            let needed_now = match t.change {
                TargetChange::Multiply => 1.0 + (low - 1.0) * share,
                TargetChange::ReducePercent => low * share,
            };
            let improving = |i: f64| match t.change {
                TargetChange::Multiply => i > 1.0,
                TargetChange::ReducePercent => i > 0.0,
            };
            let (status, reason) = match improvement {
                None => (
                    Status::Unknown,
                    "a value is missing from one report, or the baseline is zero".to_string(),
                ),
                Some(i) if i >= low => (
                    Status::Met,
                    format!("{i} reaches the target's low end of {low}"),
                ),
                Some(i) if share < 1.0 && improving(i) && i >= needed_now => (
                    Status::OnTrack,
                    format!(
                        "{i} is at least the {} expected after {:.1} of {horizon} months",
                        round2(needed_now),
                        months_elapsed.unwrap_or_default()
                    ),
                ),
                Some(i) => (
                    Status::Missed,
                    format!("{i} is short of {} expected by now", round2(needed_now)),
                ),
            };
            MetricComparison {
                metric: name(t.metric),
                baseline: b,
                later: l,
                improvement,
                target: describe(t),
                status,
                reason,
            }
        })
        .collect();
    Comparison {
        months_elapsed,
        horizon_months: targets.horizon_months,
        metrics,
    }
}
