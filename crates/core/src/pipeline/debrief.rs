//! The debrief: both signals side by side, each judged against its own bar with its
//! raters, spread and evidence; references weighted by kind; critical red flags
//! blocking until resolved. It explains; a person decides.

use super::Scorecard;
use crate::framework::{Framework, Severity, Signal};
use crate::score::Score;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReferenceKind {
    /// A former direct report or peer engineer.
    Engineer,
    Manager,
}

impl ReferenceKind {
    pub fn id(self) -> &'static str {
        match self {
            ReferenceKind::Engineer => "engineer",
            ReferenceKind::Manager => "manager",
        }
    }
}

/// A structured reference around the key question: did the engineer's code get
/// better under the candidate's reviews?
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    pub kind: ReferenceKind,
    /// Who (kept as given; personal data).
    pub name: String,
    pub relationship: String,
    /// Their answer to the key question, in their words.
    pub answer: String,
    /// The concrete example they gave (empty when they could not give one).
    pub example: String,
    /// The interviewer's 1–4 reading, per signal the references stage feeds.
    pub scores: BTreeMap<Signal, Score>,
}

/// One score counted for a signal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rating {
    /// The interviewer, or "references" for the weighted reference score.
    pub rater: String,
    pub stage: String,
    pub score: f64,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SignalView {
    pub signal: Signal,
    pub bar: f64,
    pub min_raters: u32,
    pub ratings: Vec<Rating>,
    /// Distinct interviewers who scored the signal (references do not count).
    pub raters: usize,
    pub median: Option<f64>,
    /// Highest minus lowest score: how much the raters disagree.
    pub spread: Option<f64>,
    pub clears: bool,
    pub reasons: Vec<String>,
}

/// A person's resolution of a raised red flag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlagResolution {
    pub flag: String,
    pub by: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FlagView {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub raised_by: Vec<String>,
    pub notes: Vec<String>,
    pub resolution: Option<FlagResolution>,
    pub blocks: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Debrief {
    /// Technical depth, then team multiplier: never combined into one number.
    pub signals: Vec<SignalView>,
    pub red_flags: Vec<FlagView>,
    /// Both signals clear their bars with enough raters and no critical flag blocks.
    pub meets_bar: bool,
    pub reasons: Vec<String>,
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(v[n / 2]),
        _ => Some((v[n / 2 - 1] + v[n / 2]) / 2.0),
    }
}

/// A median or bar for people: rounded to two decimals, whole numbers as `3.0`.
pub fn score_text(v: f64) -> String {
    let r = (v * 100.0).round() / 100.0;
    if r.fract() == 0.0 {
        format!("{r:.1}")
    } else {
        format!("{r}")
    }
}

/// The latest version of each interviewer's scorecard per stage.
fn latest(cards: &[Scorecard]) -> Vec<&Scorecard> {
    let mut by_key: BTreeMap<(&str, &str), &Scorecard> = BTreeMap::new();
    for c in cards {
        let key = (c.stage.as_str(), c.interviewer.as_str());
        if by_key.get(&key).is_none_or(|prev| prev.version < c.version) {
            by_key.insert(key, c);
        }
    }
    by_key.into_values().collect()
}

/// Apply the framework's decision policy to a candidate's scorecards and references.
pub fn debrief(
    framework: &Framework,
    cards: &[Scorecard],
    references: &[Reference],
    resolutions: &[FlagResolution],
) -> Debrief {
    let cards = latest(cards);
    let policy = &framework.decision;
    let weights = &policy.reference_weights;
    let mut signals = Vec::new();
    for signal in Signal::ALL {
        let (bar, min_raters) = policy
            .bar(signal)
            .map_or((4.0, 1), |b| (b.bar.get(), b.min_raters));
        let mut ratings: Vec<Rating> = cards
            .iter()
            .filter_map(|c| {
                c.scores.get(&signal).map(|s| Rating {
                    rater: c.interviewer.clone(),
                    stage: c.stage.clone(),
                    score: f64::from(s.get()),
                    note: c.notes.get(&signal).cloned().unwrap_or_default(),
                })
            })
            .collect();
        let raters = ratings
            .iter()
            .map(|r| r.rater.as_str())
            .collect::<BTreeSet<_>>()
            .len();
        let mut reasons = Vec::new();
        // References: one pooled rating, engineers weighing more than managers.
        let scored: Vec<(f64, f64, &Reference)> = references
            .iter()
            .filter_map(|r| {
                let w = match r.kind {
                    ReferenceKind::Engineer => weights.engineer,
                    ReferenceKind::Manager => weights.manager,
                };
                r.scores.get(&signal).map(|s| (w, f64::from(s.get()), r))
            })
            .collect();
        let total_weight: f64 = scored.iter().map(|(w, _, _)| w).sum();
        if total_weight > 0.0 {
            let pooled = scored.iter().map(|(w, s, _)| w * s).sum::<f64>() / total_weight;
            let parts: Vec<String> = scored
                .iter()
                .map(|(w, s, r)| format!("{} {s} ({}, weight {w})", r.name, r.kind.id()))
                .collect();
            ratings.push(Rating {
                rater: "references".to_string(),
                stage: "references".to_string(),
                score: pooled,
                note: format!(
                    "weighted mean {} of {}",
                    score_text(pooled),
                    parts.join(", ")
                ),
            });
            reasons.push(format!(
                "{signal}: references pooled to {} (engineer weight {}, manager weight {})",
                score_text(pooled),
                weights.engineer,
                weights.manager
            ));
        }
        let scores: Vec<f64> = ratings.iter().map(|r| r.score).collect();
        let med = median(scores.clone());
        let spread = scores
            .iter()
            .copied()
            .reduce(f64::max)
            .zip(scores.iter().copied().reduce(f64::min))
            .map(|(hi, lo)| hi - lo);
        let enough = raters >= min_raters as usize;
        let high_enough = med.is_some_and(|m| m >= bar);
        if !enough {
            reasons.push(format!(
                "{signal}: {raters} independent rater(s), {min_raters} needed"
            ));
        }
        match med {
            None => reasons.push(format!("{signal}: no scores yet")),
            Some(m) if m >= bar => reasons.push(format!(
                "{signal}: median {} reaches the bar of {}",
                score_text(m),
                score_text(bar)
            )),
            Some(m) => reasons.push(format!(
                "{signal}: median {} is below the bar of {}",
                score_text(m),
                score_text(bar)
            )),
        }
        if spread.is_some_and(|s| s >= 2.0) {
            reasons.push(format!(
                "{signal}: raters disagree by {} points; discuss before deciding",
                score_text(spread.unwrap_or_default())
            ));
        }
        signals.push(SignalView {
            signal,
            bar,
            min_raters,
            ratings,
            raters,
            median: med,
            spread,
            clears: enough && high_enough,
            reasons,
        });
    }

    // Red flags, one view per flag id.
    let mut flags: BTreeMap<&str, FlagView> = BTreeMap::new();
    for card in &cards {
        for raised in &card.red_flags {
            let def = framework.red_flag(&raised.id);
            let view = flags.entry(raised.id.as_str()).or_insert_with(|| FlagView {
                id: raised.id.clone(),
                title: def.map_or_else(|| raised.id.clone(), |d| d.title.clone()),
                severity: def.map_or(Severity::Major, |d| d.severity),
                raised_by: Vec::new(),
                notes: Vec::new(),
                resolution: resolutions.iter().find(|r| r.flag == raised.id).cloned(),
                blocks: false,
            });
            view.raised_by.push(card.interviewer.clone());
            view.notes.push(raised.note.clone());
        }
    }
    let mut red_flags: Vec<FlagView> = flags.into_values().collect();
    for f in &mut red_flags {
        f.blocks = policy.critical_flags_block
            && f.severity == Severity::Critical
            && f.resolution.is_none();
    }
    red_flags.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.id.cmp(&b.id)));

    let mut reasons = Vec::new();
    for s in &signals {
        let state = if s.clears { "clears" } else { "does not clear" };
        reasons.push(format!("{} {state} its bar on its own", s.signal));
    }
    for f in red_flags.iter().filter(|f| f.blocks) {
        reasons.push(format!(
            "unresolved critical red flag `{}` ({}) blocks a hire until someone resolves it",
            f.id, f.title
        ));
    }
    let meets_bar = signals.iter().all(|s| s.clears) && !red_flags.iter().any(|f| f.blocks);
    reasons.push(if meets_bar {
        "meets bar: both signals clear independently and nothing blocks; the decision is still yours".to_string()
    } else {
        "does not meet bar: a hire needs both signals to clear on their own".to_string()
    });
    Debrief {
        signals,
        red_flags,
        meets_bar,
        reasons,
    }
}
