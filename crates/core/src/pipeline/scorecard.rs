//! An interviewer's scorecard for one candidate at one stage.

use crate::framework::{Framework, Signal};
use crate::score::Score;
use crate::source::Problem;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Recommendation {
    StrongNo,
    No,
    Yes,
    StrongYes,
}

/// A red flag an interviewer raised, with what they saw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RaisedFlag {
    pub id: String,
    pub note: String,
}

/// One interviewer's scores for one stage. A submitted scorecard is never changed:
/// an amendment is a new version with a reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scorecard {
    pub stage: String,
    pub interviewer: String,
    /// A 1–4 score for each signal the stage feeds, and no other.
    pub scores: BTreeMap<Signal, Score>,
    /// The evidence behind each score; required for a 1 or a 4.
    pub notes: BTreeMap<Signal, String>,
    pub red_flags: Vec<RaisedFlag>,
    pub recommendation: Recommendation,
    /// 1 for the first submission, then one more per amendment.
    pub version: u32,
    /// Why this version replaced the previous one (required from version 2).
    pub amendment_reason: Option<String>,
}

impl Scorecard {
    /// Every way this scorecard breaks the framework's rules for its stage, each
    /// named by the path of the field it is about: `scores.<signal>`,
    /// `notes.<signal>` and `red_flags.<flag>` name the one score, note or flag,
    /// so a form can print the problem beside it.
    pub fn problems(&self, framework: &Framework) -> Vec<Problem> {
        let mut out = Vec::new();
        let mut fail = |field: &str, message: String| out.push(Problem::new(None, field, message));
        let Some(stage) = framework.stage(&self.stage) else {
            fail(
                "stage",
                format!("`{}` is not a stage of the framework", self.stage),
            );
            return out;
        };
        if stage.signals.is_empty() {
            fail(
                "stage",
                format!(
                    "the `{}` stage takes no scorecards (it feeds no signal)",
                    stage.id
                ),
            );
        }
        if self.interviewer.trim().is_empty() {
            fail("interviewer", "must name the interviewer".to_string());
        }
        for signal in &stage.signals {
            if !self.scores.contains_key(signal) {
                fail(
                    &format!("scores.{}", signal.id()),
                    format!(
                        "the `{}` stage feeds `{signal}`: give it a score from 1 to 4",
                        stage.id
                    ),
                );
            }
        }
        for (signal, score) in &self.scores {
            if !stage.signals.contains(signal) {
                fail(
                    &format!("scores.{}", signal.id()),
                    format!(
                        "the `{}` stage does not feed `{signal}`; score only what the stage assessed",
                        stage.id
                    ),
                );
            }
            let note = self.notes.get(signal).map_or("", |n| n.trim());
            if matches!(score.get(), 1 | 4) && note.is_empty() {
                fail(
                    &format!("notes.{}", signal.id()),
                    format!(
                        "a score of {score} for `{signal}` needs the evidence behind it (what the candidate said or did)"
                    ),
                );
            }
        }
        for flag in &self.red_flags {
            if framework.red_flag(&flag.id).is_none() {
                fail(
                    &format!("red_flags.{}", flag.id),
                    format!("`{}` is not a red flag of the framework", flag.id),
                );
            }
            if flag.note.trim().is_empty() {
                fail(
                    &format!("red_flags.{}", flag.id),
                    format!("say what you saw that raised `{}`", flag.id),
                );
            }
        }
        match (self.version, &self.amendment_reason) {
            (0, _) => fail("version", "versions start at 1".to_string()),
            (1, Some(_)) => fail(
                "amendment_reason",
                "only an amendment (version 2 or later) has a reason".to_string(),
            ),
            (v, None) if v > 1 => fail(
                "amendment_reason",
                "an amendment must say why it replaces the submitted scorecard".to_string(),
            ),
            (_, Some(r)) if r.trim().is_empty() => {
                fail("amendment_reason", "must not be empty".to_string())
            }
            _ => {}
        }
        out
    }

    /// The next version of this scorecard, with the reason it changed.
    pub fn amend(&self, mut changed: Scorecard, reason: &str) -> Scorecard {
        changed.stage = self.stage.clone();
        changed.interviewer = self.interviewer.clone();
        changed.version = self.version + 1;
        changed.amendment_reason = Some(reason.to_string());
        changed
    }
}

/// What a person decided at the debrief.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Hire,
    NoHire,
    Hold,
}

impl Outcome {
    pub fn id(self) -> &'static str {
        match self {
            Outcome::Hire => "hire",
            Outcome::NoHire => "no-hire",
            Outcome::Hold => "hold",
        }
    }
    /// For people: "hire", "no hire", "hold".
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Hire => "hire",
            Outcome::NoHire => "no hire",
            Outcome::Hold => "hold",
        }
    }
    pub fn parse(s: &str) -> Option<Outcome> {
        match s {
            "hire" => Some(Outcome::Hire),
            "no-hire" => Some(Outcome::NoHire),
            "hold" => Some(Outcome::Hold),
            _ => None,
        }
    }
}
