//! A metrics report read back: the team's measured delivery numbers, as
//! `multiplier metrics` prints them in JSON (see docs/metrics.md). Used as the
//! baseline of a job description and on both sides of `metrics compare`. Every field is optional: what is missing is left out
//! of the job description. Several reports (e.g. `metrics git` and `metrics prs`)
//! merge into one baseline.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Stat {
    #[serde(default)]
    pub median: Option<f64>,
    #[serde(default)]
    pub p90: Option<f64>,
}

/// The window a report covers (RFC 3339 timestamps).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WindowDates {
    #[serde(default)]
    pub since: Option<jiff::Timestamp>,
    #[serde(default)]
    pub until: Option<jiff::Timestamp>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Baseline {
    #[serde(default)]
    pub window: Option<WindowDates>,
    #[serde(default)]
    pub deployments: Option<u64>,
    #[serde(default)]
    pub deployments_per_week: Option<f64>,
    #[serde(default)]
    pub deployment_days_per_week_median: Option<f64>,
    #[serde(default)]
    pub lead_time_hours: Option<Stat>,
    #[serde(default)]
    pub change_failure_rate: Option<f64>,
    #[serde(default)]
    pub time_to_restore_hours: Option<Stat>,
    #[serde(default)]
    pub first_review_hours: Option<Stat>,
    #[serde(default)]
    pub merge_hours: Option<Stat>,
}

fn finite(v: Option<f64>) -> Option<f64> {
    v.filter(|v| v.is_finite() && *v >= 0.0)
}

impl Baseline {
    /// Parse one metrics report (JSON). Unknown fields are ignored.
    pub fn from_json(text: &str) -> Result<Baseline, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// Fill the fields this baseline lacks from `other`.
    pub fn merge(self, other: Baseline) -> Baseline {
        Baseline {
            window: self.window.or(other.window),
            deployments: self.deployments.or(other.deployments),
            deployments_per_week: self.deployments_per_week.or(other.deployments_per_week),
            deployment_days_per_week_median: self
                .deployment_days_per_week_median
                .or(other.deployment_days_per_week_median),
            lead_time_hours: self.lead_time_hours.or(other.lead_time_hours),
            change_failure_rate: self.change_failure_rate.or(other.change_failure_rate),
            time_to_restore_hours: self.time_to_restore_hours.or(other.time_to_restore_hours),
            first_review_hours: self.first_review_hours.or(other.first_review_hours),
            merge_hours: self.merge_hours.or(other.merge_hours),
        }
    }

    pub fn deploys_per_week(&self) -> Option<f64> {
        finite(self.deployments_per_week)
    }
    pub fn lead_time_median(&self) -> Option<f64> {
        finite(self.lead_time_hours.and_then(|s| s.median))
    }
    pub fn failure_rate(&self) -> Option<f64> {
        finite(self.change_failure_rate).filter(|r| *r <= 1.0)
    }
    pub fn restore_median(&self) -> Option<f64> {
        finite(self.time_to_restore_hours.and_then(|s| s.median))
    }
    pub fn first_review_median(&self) -> Option<f64> {
        finite(self.first_review_hours.and_then(|s| s.median))
    }

    pub fn is_empty(&self) -> bool {
        self.deploys_per_week().is_none()
            && self.lead_time_median().is_none()
            && self.failure_rate().is_none()
            && self.restore_median().is_none()
            && self.first_review_median().is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_merge_field_by_field_and_ignore_unknown_fields() {
        let git = Baseline::from_json(r#"{"deployments_per_week": 2.0, "lead_time_hours": {"median": 50.5, "p90": 120}, "tiers": {}}"#).expect("git");
        let prs = Baseline::from_json(
            r#"{"first_review_hours": {"median": 91.2, "p90": 200}, "merged": 40}"#,
        )
        .expect("prs");
        let b = git.merge(prs);
        assert_eq!(b.deploys_per_week(), Some(2.0));
        assert_eq!(b.lead_time_median(), Some(50.5));
        assert_eq!(b.first_review_median(), Some(91.2));
        assert_eq!(b.failure_rate(), None);
    }

    #[test]
    fn nonsense_values_are_left_out() {
        let b = Baseline::from_json(r#"{"change_failure_rate": 3.5, "deployments_per_week": -1}"#)
            .expect("parses");
        assert!(b.is_empty());
    }
}
