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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rating {
    /// The interviewer, or "references" for the weighted reference score.
    pub rater: String,
    pub stage: String,
    pub score: f64,
    pub note: String,
}

/// The stage whose interviewer takes the reference calls. The framework counts
/// what the references say once per signal: the pooled structured references
/// when any were recorded, else the reference-taker's scorecard. It is never an
/// independent interviewer.
pub const REFERENCES_STAGE: &str = "references";

/// A scorecard still owed: the stage and the interviewer assigned to it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Pending {
    pub stage: String,
    pub interviewer: String,
}

impl std::fmt::Display for Pending {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} by {}", self.stage, self.interviewer)
    }
}

/// What the decision policy says, in one word and a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum Verdict {
    /// Assigned scorecards are still missing: no verdict until they are in.
    Incomplete {
        waiting_for: Vec<Pending>,
    },
    MeetsBar,
    BelowBar,
}

impl Verdict {
    /// "policy: incomplete — waiting for: code-review by ana" and the like.
    pub fn text(&self) -> String {
        match self {
            Verdict::Incomplete { waiting_for } => format!(
                "incomplete — waiting for: {}",
                waiting_for
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Verdict::MeetsBar => "meets the bar".to_string(),
            Verdict::BelowBar => "does not meet the bar".to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignalView {
    pub signal: Signal,
    pub bar: f64,
    pub min_raters: u32,
    /// The ratings counted: one per interviewer's latest scorecard, and one for
    /// the references stage.
    pub ratings: Vec<Rating>,
    /// Ratings shown but not counted, each with why in its note (a
    /// reference-taker's scorecard when the structured references already
    /// speak for the references stage).
    pub set_aside: Vec<Rating>,
    /// Distinct interviewers who scored the signal (the references stage does
    /// not count: it reports what other people said).
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlagView {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub raised_by: Vec<String>,
    pub notes: Vec<String>,
    pub resolution: Option<FlagResolution>,
    pub blocks: bool,
}

/// A raised red flag at a glance: what it is, how bad, and whether someone has
/// resolved it (for the board and the search list).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FlagBadge {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub resolved: bool,
}

impl FlagView {
    pub fn badge(&self) -> FlagBadge {
        FlagBadge {
            id: self.id.clone(),
            title: self.title.clone(),
            severity: self.severity,
            resolved: self.resolution.is_some(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Debrief {
    /// Technical depth, then team multiplier: never combined into one number.
    pub signals: Vec<SignalView>,
    pub red_flags: Vec<FlagView>,
    /// Both signals clear their bars with enough raters, no critical flag
    /// blocks, and no assigned scorecard is missing.
    pub meets_bar: bool,
    /// Assigned scorecards not in yet (see [`Debrief::awaiting`]); while any
    /// is missing the verdict is "incomplete".
    pub waiting_for: Vec<Pending>,
    pub reasons: Vec<String>,
}

impl Debrief {
    /// The debrief, knowing which assigned scorecards are still missing: while
    /// any is, the policy gives no verdict ("incomplete") and does not support a
    /// hire, however good the scores in so far look.
    pub fn awaiting(mut self, mut pending: Vec<Pending>) -> Debrief {
        pending.sort();
        pending.dedup();
        if pending.is_empty() {
            return self;
        }
        self.meets_bar = false;
        if let Some(last) = self.reasons.last_mut() {
            *last = format!(
                "incomplete: no verdict until every assigned scorecard is in; waiting for {}",
                pending
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        self.waiting_for = pending;
        self
    }

    /// The policy's verdict.
    pub fn verdict(&self) -> Verdict {
        verdict(&self.waiting_for, self.meets_bar)
    }

    /// The view of one signal.
    pub fn signal(&self, signal: Signal) -> Option<&SignalView> {
        self.signals.iter().find(|s| s.signal == signal)
    }
}

fn verdict(waiting_for: &[Pending], meets_bar: bool) -> Verdict {
    if !waiting_for.is_empty() {
        Verdict::Incomplete {
            waiting_for: waiting_for.to_vec(),
        }
    } else if meets_bar {
        Verdict::MeetsBar
    } else {
        Verdict::BelowBar
    }
}

/// A debrief's figures without its evidence: what a list of many candidates
/// shows of each (an opening's debrief page) — each signal's median against
/// its bar and raters, the flags that block, and the verdict — without the
/// ratings, notes and reasons that make up most of a [`Debrief`]. It reads a
/// kept debrief's JSON directly, skipping the rest (the field names are
/// [`Debrief`]'s), or is taken from a computed one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DebriefLine {
    pub signals: Vec<SignalLine>,
    pub red_flags: Vec<FlagLine>,
    pub meets_bar: bool,
    pub waiting_for: Vec<Pending>,
}

/// One signal of a [`DebriefLine`]: [`SignalView`] without its ratings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignalLine {
    pub signal: Signal,
    pub bar: f64,
    pub min_raters: u32,
    pub raters: usize,
    pub median: Option<f64>,
    pub spread: Option<f64>,
    pub clears: bool,
}

/// One raised flag of a [`DebriefLine`]: whether it blocks a hire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlagLine {
    pub id: String,
    pub blocks: bool,
}

impl DebriefLine {
    /// The policy's verdict, as [`Debrief::verdict`] gives it.
    pub fn verdict(&self) -> Verdict {
        verdict(&self.waiting_for, self.meets_bar)
    }

    /// The figures of one signal.
    pub fn signal(&self, signal: Signal) -> Option<&SignalLine> {
        self.signals.iter().find(|s| s.signal == signal)
    }

    /// How many raised flags block a hire until someone resolves them.
    pub fn blocking_flags(&self) -> usize {
        self.red_flags.iter().filter(|f| f.blocks).count()
    }
}

impl From<&Debrief> for DebriefLine {
    fn from(d: &Debrief) -> DebriefLine {
        DebriefLine {
            signals: d
                .signals
                .iter()
                .map(|s| SignalLine {
                    signal: s.signal,
                    bar: s.bar,
                    min_raters: s.min_raters,
                    raters: s.raters,
                    median: s.median,
                    spread: s.spread,
                    clears: s.clears,
                })
                .collect(),
            red_flags: d
                .red_flags
                .iter()
                .map(|f| FlagLine {
                    id: f.id.clone(),
                    blocks: f.blocks,
                })
                .collect(),
            meets_bar: d.meets_bar,
            waiting_for: d.waiting_for.clone(),
        }
    }
}

impl From<Debrief> for DebriefLine {
    fn from(d: Debrief) -> DebriefLine {
        DebriefLine::from(&d)
    }
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
///
/// Written from the hundredths as a whole number: formatting the float itself
/// (shortest digits, or a fixed precision) was a few per cent of an opening's
/// debrief page, which writes hundreds of these. From 10^13 on, and for NaN
/// and the infinities, the float is formatted as before.
pub fn score_text(v: f64) -> String {
    let hundredths = (v * 100.0).round();
    if !hundredths.is_finite() || hundredths.abs() >= 1e15 {
        let r = hundredths / 100.0;
        return if r.fract() == 0.0 {
            format!("{r:.1}")
        } else {
            format!("{r}")
        };
    }
    // Exact: the value is a whole number far below 2^53.
    let h = hundredths as i64;
    let sign = if hundredths.is_sign_negative() {
        "-"
    } else {
        ""
    };
    let (whole, cents) = (h.unsigned_abs() / 100, h.unsigned_abs() % 100);
    match cents {
        0 => format!("{sign}{whole}.0"),
        c if c % 10 == 0 => format!("{sign}{whole}.{}", c / 10),
        c => format!("{sign}{whole}.{c:02}"),
    }
}

/// The latest version of each interviewer's scorecard per stage, of any items
/// that carry a scorecard (`card` finds it), by stage then interviewer.
pub fn latest_versions<T>(
    items: impl IntoIterator<Item = T>,
    card: impl Fn(&T) -> &Scorecard,
) -> Vec<T> {
    let mut by_key: BTreeMap<(String, String), T> = BTreeMap::new();
    for item in items {
        let c = card(&item);
        let key = (c.stage.clone(), c.interviewer.clone());
        let newer = by_key
            .get(&key)
            .is_none_or(|prev| card(prev).version < c.version);
        if newer {
            by_key.insert(key, item);
        }
    }
    by_key.into_values().collect()
}

/// Most severe first, then by id: the order flags are shown in everywhere.
fn sort_flags<T>(flags: &mut [T], key: impl Fn(&T) -> (Severity, &str)) {
    flags.sort_by(|a, b| {
        let (sa, ia) = key(a);
        let (sb, ib) = key(b);
        sb.cmp(&sa).then(ia.cmp(ib))
    });
}

/// The badges of a debrief's red flags from their ids alone (as a list keeps
/// them in a candidate's summary) and the candidate's resolutions: the same
/// badges, in the same order, as `debrief(..).red_flags` gives, without
/// reading a scorecard.
pub fn flag_badges(
    framework: &Framework,
    flag_ids: &[String],
    resolutions: &[FlagResolution],
) -> Vec<FlagBadge> {
    let mut ids: Vec<&String> = flag_ids.iter().collect();
    ids.sort();
    ids.dedup();
    let mut badges: Vec<FlagBadge> = ids
        .into_iter()
        .map(|id| {
            let def = framework.red_flag(id);
            FlagBadge {
                id: id.clone(),
                title: def.map_or_else(|| id.clone(), |d| d.title.clone()),
                severity: def.map_or(Severity::Major, |d| d.severity),
                resolved: resolutions.iter().any(|r| &r.flag == id),
            }
        })
        .collect();
    sort_flags(&mut badges, |b| (b.severity, b.id.as_str()));
    badges
}

/// Apply the framework's decision policy to a candidate's scorecards and references.
pub fn debrief(
    framework: &Framework,
    cards: &[Scorecard],
    references: &[Reference],
    resolutions: &[FlagResolution],
) -> Debrief {
    let cards = latest_versions(cards, |c| *c);
    let policy = &framework.decision;
    let weights = &policy.reference_weights;
    let mut signals = Vec::new();
    for signal in Signal::ALL {
        let (bar, min_raters) = policy
            .bar(signal)
            .map_or((4.0, 1), |b| (b.bar.get(), b.min_raters));
        let rating = |c: &Scorecard, s: Score| Rating {
            rater: c.interviewer.clone(),
            stage: c.stage.clone(),
            score: f64::from(s.get()),
            note: c.notes.get(&signal).cloned().unwrap_or_default(),
        };
        let mut ratings: Vec<Rating> = cards
            .iter()
            .filter(|c| c.stage != REFERENCES_STAGE)
            .filter_map(|c| c.scores.get(&signal).map(|s| rating(c, *s)))
            .collect();
        let reference_cards: Vec<Rating> = cards
            .iter()
            .filter(|c| c.stage == REFERENCES_STAGE)
            .filter_map(|c| c.scores.get(&signal).map(|s| rating(c, *s)))
            .collect();
        let raters = ratings
            .iter()
            .map(|r| r.rater.as_str())
            .collect::<BTreeSet<_>>()
            .len();
        let mut reasons = Vec::new();
        let mut set_aside = Vec::new();
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
                stage: REFERENCES_STAGE.to_string(),
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
            // The reference-taker's own reading of the same calls would count
            // the references twice.
            for mut r in reference_cards {
                r.note = format!(
                    "not counted: the references already count once through the pooled score. {}",
                    r.note
                )
                .trim_end()
                .to_string();
                set_aside.push(r);
            }
        } else if !reference_cards.is_empty() {
            // No structured reference: the reference-taker's scorecard speaks
            // for the references stage, once.
            let mean =
                reference_cards.iter().map(|r| r.score).sum::<f64>() / reference_cards.len() as f64;
            let who: Vec<&str> = reference_cards.iter().map(|r| r.rater.as_str()).collect();
            let notes: Vec<&str> = reference_cards
                .iter()
                .map(|r| r.note.as_str())
                .filter(|n| !n.is_empty())
                .collect();
            ratings.push(Rating {
                rater: who.join(", "),
                stage: REFERENCES_STAGE.to_string(),
                score: mean,
                note: notes.join(" / "),
            });
            reasons.push(format!(
                "{signal}: the references count once, from the reference-taker's scorecard ({})",
                score_text(mean)
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
            set_aside,
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
    sort_flags(&mut red_flags, |f| (f.severity, f.id.as_str()));
    for f in &mut red_flags {
        f.blocks = policy.critical_flags_block
            && f.severity == Severity::Critical
            && f.resolution.is_none();
    }

    let mut reasons = Vec::new();
    for s in &signals {
        let state = if s.clears { "clears" } else { "does not clear" };
        reasons.push(format!("{} {state} its bar on its own", s.signal));
    }
    for f in red_flags.iter().filter(|f| f.blocks) {
        reasons.push(format!(
            "the unresolved critical red flag “{}” blocks a hire until someone resolves it",
            f.title
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
        waiting_for: Vec::new(),
        reasons,
    }
}
