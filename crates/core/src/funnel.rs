//! The hiring funnel (issue 19): how many candidates reached each stage, how
//! many of them went on, how long they stayed, how long a hire took, where
//! the hires came from and why the others were turned down.
//!
//! Inputs are anonymous [`Journey`]s (no name, no id): the stages a candidate
//! entered with the time they entered each, their status and when they were
//! hired. Reaching a later stage counts as reaching every earlier one (the
//! loop is ordered; a candidate placed straight into a later stage passed the
//! earlier ones elsewhere). Time in a stage is measured only on finished stays
//! (from entering it to entering the next stage); the stay a candidate is in
//! now is not counted.

use crate::fairness::{HIRED, Step};
use jiff::Timestamp;
use serde::Serialize;
use std::collections::BTreeMap;

/// One candidate's way through the loop, without who they are.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Journey {
    /// `added-by-staff`, `applied`, `imported`, …
    pub source: String,
    /// The lifecycle status now.
    pub status: String,
    /// The rejection reason id, when rejected.
    pub reason: Option<String>,
    pub created_at: Timestamp,
    /// Each stage entered, with when, oldest first.
    pub stages: Vec<(String, Timestamp)>,
    /// When the status first became `hired`.
    pub hired_at: Option<Timestamp>,
}

/// One step's line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FunnelStep {
    pub stage: String,
    pub name: String,
    /// Candidates who reached this step.
    pub reached: u64,
    /// Share of them who reached the next step (`None` for the last step or
    /// when nobody reached this one).
    pub conversion: Option<f64>,
    /// Finished stays in this stage that the times below are measured on.
    pub stays: u64,
    /// Median days of a finished stay.
    pub median_days: Option<f64>,
    /// Mean days of a finished stay.
    pub mean_days: Option<f64>,
}

/// A count under a name (a source, a rejection reason, a status).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub id: String,
    pub label: String,
    pub count: u64,
}

/// Where candidates came from, and how many of them were hired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceLine {
    pub source: String,
    pub candidates: u64,
    pub hired: u64,
}

/// The funnel of a set of candidates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Funnel {
    pub candidates: u64,
    /// The framework's stages in order, then `hired`.
    pub steps: Vec<FunnelStep>,
    pub hired: u64,
    /// Median days from being added to being hired.
    pub median_days_to_hire: Option<f64>,
    pub mean_days_to_hire: Option<f64>,
    /// Candidates and hires by source, by name.
    pub sources: Vec<SourceLine>,
    /// Rejections by reason (the framework's reasons in order, then any
    /// other recorded reason, then `unspecified`).
    pub rejections: Vec<Tally>,
    /// Candidates by status now.
    pub statuses: Vec<Tally>,
}

fn days(from: Timestamp, to: Timestamp) -> f64 {
    to.duration_since(from).as_secs_f64() / 86_400.0
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

fn mean(v: &[f64]) -> Option<f64> {
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

/// The funnel of `journeys` through `steps` (from [`crate::fairness::steps`]).
/// `reasons` are the framework's rejection reasons `(id, title)`.
pub fn funnel(steps: &[Step], reasons: &[(String, String)], journeys: &[Journey]) -> Funnel {
    let stage_count = steps.iter().filter(|s| s.id != HIRED).count();
    let position = |id: &str| steps.iter().position(|s| s.id == id && s.id != HIRED);
    let mut reached = vec![0u64; steps.len()];
    let mut stays: Vec<Vec<f64>> = vec![Vec::new(); steps.len()];
    let mut to_hire = Vec::new();
    let mut sources: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let mut rejected: BTreeMap<String, u64> = BTreeMap::new();
    let mut statuses: BTreeMap<String, u64> = BTreeMap::new();
    let mut hired = 0u64;
    for j in journeys {
        let is_hired = j.status == HIRED || j.hired_at.is_some();
        let furthest = if is_hired {
            steps.len()
        } else {
            j.stages
                .iter()
                .filter_map(|(s, _)| position(s))
                .max()
                .map_or(0, |i| i + 1)
        };
        for r in reached.iter_mut().take(furthest) {
            *r += 1;
        }
        for pair in j.stages.windows(2) {
            let ((stage, entered), (_, left)) = (&pair[0], &pair[1]);
            if let Some(i) = position(stage)
                && left >= entered
            {
                stays[i].push(days(*entered, *left));
            }
        }
        let source = sources.entry(j.source.clone()).or_default();
        source.0 += 1;
        if is_hired {
            hired += 1;
            source.1 += 1;
            if let Some(at) = j.hired_at
                && at >= j.created_at
            {
                to_hire.push(days(j.created_at, at));
            }
        }
        if j.status == "rejected" {
            *rejected
                .entry(j.reason.clone().unwrap_or_else(|| "unspecified".into()))
                .or_default() += 1;
        }
        *statuses.entry(j.status.clone()).or_default() += 1;
    }
    let steps_out = steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let next = reached.get(i + 1).copied();
            let here = reached[i];
            let durations = std::mem::take(&mut stays[i]);
            FunnelStep {
                stage: s.id.clone(),
                name: s.name.clone(),
                reached: here,
                conversion: match next {
                    Some(n) if here > 0 => Some(n as f64 / here as f64),
                    _ => None,
                },
                stays: if i < stage_count {
                    durations.len() as u64
                } else {
                    0
                },
                mean_days: mean(&durations),
                median_days: median(durations),
            }
        })
        .collect();
    let mut rejections: Vec<Tally> = reasons
        .iter()
        .map(|(id, title)| Tally {
            id: id.clone(),
            label: title.clone(),
            count: rejected.remove(id).unwrap_or(0),
        })
        .collect();
    rejections.extend(rejected.into_iter().map(|(id, count)| Tally {
        label: id.clone(),
        id,
        count,
    }));
    Funnel {
        candidates: journeys.len() as u64,
        steps: steps_out,
        hired,
        mean_days_to_hire: mean(&to_hire),
        median_days_to_hire: median(to_hire),
        sources: sources
            .into_iter()
            .map(|(source, (candidates, hired))| SourceLine {
                source,
                candidates,
                hired,
            })
            .collect(),
        rejections,
        statuses: statuses
            .into_iter()
            .map(|(id, count)| Tally {
                label: id.clone(),
                id,
                count,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fairness::steps;

    fn at(day: i64) -> Timestamp {
        Timestamp::from_second(1_700_000_000 + day * 86_400).unwrap()
    }

    fn j(source: &str, status: &str, stages: &[(&str, i64)], hired: Option<i64>) -> Journey {
        Journey {
            source: source.into(),
            status: status.into(),
            reason: (status == "rejected").then(|| "not-enough-depth".into()),
            created_at: at(0),
            stages: stages
                .iter()
                .map(|(s, d)| (s.to_string(), at(*d)))
                .collect(),
            hired_at: hired.map(at),
        }
    }

    #[test]
    fn counts_conversion_stays_time_to_hire_sources_and_reasons() {
        let s = steps(&[
            ("screen".into(), "Screen".into()),
            ("interview".into(), "Interview".into()),
            ("offer".into(), "Offer".into()),
        ]);
        let reasons = vec![("not-enough-depth".into(), "Depth".into())];
        let js = vec![
            j("applied", "rejected", &[("screen", 0)], None),
            j(
                "applied",
                "active",
                &[("screen", 0), ("interview", 2)],
                None,
            ),
            j(
                "added-by-staff",
                "hired",
                &[("screen", 0), ("interview", 4), ("offer", 10)],
                Some(20),
            ),
            // Placed straight into a later stage: counts for the earlier ones.
            j("imported", "active", &[("offer", 0)], None),
        ];
        let f = funnel(&s, &reasons, &js);
        let reached: Vec<u64> = f.steps.iter().map(|x| x.reached).collect();
        assert_eq!(reached, [4, 3, 2, 1]);
        assert_eq!(f.steps[0].conversion, Some(0.75));
        assert_eq!(f.steps[2].conversion, Some(0.5));
        assert_eq!(f.steps[3].conversion, None);
        // screen stays: 2 and 4 days → median 3; interview: 6 days.
        assert_eq!(f.steps[0].stays, 2);
        assert_eq!(f.steps[0].median_days, Some(3.0));
        assert_eq!(f.steps[1].median_days, Some(6.0));
        assert_eq!(f.steps[2].median_days, None, "the offer stay never ended");
        assert_eq!(f.hired, 1);
        assert_eq!(f.median_days_to_hire, Some(20.0));
        let staff = f
            .sources
            .iter()
            .find(|x| x.source == "added-by-staff")
            .unwrap();
        assert_eq!((staff.candidates, staff.hired), (1, 1));
        assert_eq!(f.rejections[0].count, 1);
        assert_eq!(f.candidates, 4);
    }
}
