//! The teaching model's weights, as data: `framework/teaching-model.toml`, written by
//! `cargo run -p multiplier-core --example train_teaching`, embedded as
//! [`DEFAULT_TEACHING_MODEL_TOML`], loaded and validated with line numbers like the
//! other framework files.
//!
//! A logistic regression over the teaching signals of `review-signals.toml`: each
//! signal present in a comment adds its weight to the bias; the sum (log-odds) goes
//! through the logistic function, and a comment teaches when the probability reaches
//! `threshold`. Every signal needs a weight and every weight a signal, so a signals
//! file and a model that do not belong together are refused, naming the line.

use super::signals::SignalsError;
use crate::source::{Position, Problem, Problems, toml_problem};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use toml::Spanned;

/// The default model, as shipped.
pub const DEFAULT_TEACHING_MODEL_TOML: &str =
    include_str!("../../../../framework/teaching-model.toml");
pub const DEFAULT_TEACHING_MODEL_SOURCE: &str = "<embedded default teaching model>";

/// How the weights were obtained (informative; shown by `review signals` users and
/// checked by the agreement tests).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// The command that wrote the file.
    pub command: String,
    /// Where the labelled comments came from.
    pub corpus: String,
    /// Comments the weights were fitted on.
    pub train_examples: usize,
    /// Comments the regularisation and threshold were chosen on.
    pub dev_examples: usize,
    /// The L2 penalty chosen on the dev split.
    pub l2: f64,
    pub dev_accuracy: f64,
    pub dev_precision: f64,
    pub dev_recall: f64,
}

/// A validated teaching model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeachingModel {
    /// Log-odds of teaching for a comment that shows no signal at all.
    pub bias: f64,
    /// A comment teaches when its probability is at least this.
    pub threshold: f64,
    /// One weight (log-odds) per signal id.
    pub weights: BTreeMap<String, f64>,
    pub trained: Provenance,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    model: Spanned<RawModel>,
    trained: Provenance,
    weights: BTreeMap<String, Spanned<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawModel {
    bias: f64,
    threshold: f64,
}

impl TeachingModel {
    pub fn default_model() -> Result<TeachingModel, SignalsError> {
        TeachingModel::parse(DEFAULT_TEACHING_MODEL_SOURCE, DEFAULT_TEACHING_MODEL_TOML)
    }

    /// Parse and validate a model file on its own (its signal ids are checked against
    /// a signals file by [`TeachingModel::check_signals`]).
    pub fn parse(source: &str, text: &str) -> Result<TeachingModel, SignalsError> {
        let fail = |problems| {
            SignalsError(Problems {
                source: source.to_string(),
                problems,
            })
        };
        let raw: Raw = toml::from_str(text).map_err(|e| fail(vec![toml_problem(text, &e)]))?;
        let mut problems = Vec::new();
        let line = |span: std::ops::Range<usize>| Some(Position::at(text, span.start).line);
        let m = raw.model.get_ref();
        if !m.bias.is_finite() {
            problems.push(Problem::new(
                line(raw.model.span()),
                "model.bias",
                "must be a finite number",
            ));
        }
        if !(m.threshold.is_finite() && m.threshold > 0.0 && m.threshold < 1.0) {
            problems.push(Problem::new(
                line(raw.model.span()),
                "model.threshold",
                "must be a probability strictly between 0 and 1",
            ));
        }
        if raw.weights.is_empty() {
            problems.push(Problem::new(
                None,
                "weights",
                "must give a weight for every teaching signal",
            ));
        }
        for (id, w) in &raw.weights {
            if !w.get_ref().is_finite() {
                problems.push(Problem::new(
                    line(w.span()),
                    format!("weights.{id}"),
                    "must be a finite number",
                ));
            }
        }
        if !problems.is_empty() {
            return Err(fail(problems));
        }
        Ok(TeachingModel {
            bias: m.bias,
            threshold: m.threshold,
            weights: raw
                .weights
                .into_iter()
                .map(|(k, v)| (k, v.into_inner()))
                .collect(),
            trained: raw.trained,
        })
    }

    /// Problems when the model's weights and the signal ids do not match one to one.
    /// `text` is the model's own text, to place a stray weight on its line.
    pub fn check_signals(&self, source: &str, text: &str, ids: &[String]) -> Vec<Problem> {
        let mut problems = Vec::new();
        let weight_line = |id: &str| {
            text.lines()
                .position(|l| l.trim_start().starts_with(&format!("{id} =")))
                .map(|i| i + 1)
        };
        for id in self.weights.keys() {
            if !ids.contains(id) {
                problems.push(Problem::new(
                    weight_line(id),
                    format!("weights.{id}"),
                    format!(
                        "{source} weighs a signal `{id}` that the signals file does not define"
                    ),
                ));
            }
        }
        for id in ids {
            if !self.weights.contains_key(id) {
                problems.push(Problem::new(
                    None,
                    format!("weights.{id}"),
                    format!(
                        "{source} has no weight for the signal `{id}`; retrain the model (cargo run -p multiplier-core --example train_teaching -- --signals FILE) or remove the signal"
                    ),
                ));
            }
        }
        problems
    }

    /// The weight of a signal (0 for an unknown id, which validation rules out).
    pub fn weight(&self, id: &str) -> f64 {
        self.weights.get(id).copied().unwrap_or(0.0)
    }
}

/// The logistic function.
pub fn probability(log_odds: f64) -> f64 {
    1.0 / (1.0 + (-log_odds).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_model_loads() {
        let m = TeachingModel::default_model();
        assert!(
            m.is_ok(),
            "{}",
            m.err().map(|e| e.to_string()).unwrap_or_default()
        );
    }

    #[test]
    fn a_bad_threshold_and_an_unknown_field_name_their_lines() {
        let text = DEFAULT_TEACHING_MODEL_TOML.replacen("threshold = ", "threshold = 7.0 + ", 1);
        assert!(TeachingModel::parse("m.toml", &text).is_err());
        let text = DEFAULT_TEACHING_MODEL_TOML.replacen("[model]", "[model]\nbogus = 1", 1);
        let err = TeachingModel::parse("m.toml", &text).expect_err("unknown field");
        assert!(err.0.problems[0].message.contains("bogus"), "{err}");
        assert!(err.0.problems[0].line.is_some());
        let m = TeachingModel::default_model().expect("model");
        let bad = DEFAULT_TEACHING_MODEL_TOML.replacen(
            &format!("threshold = {:.2}", m.threshold),
            "threshold = 1.5",
            1,
        );
        let err = TeachingModel::parse("m.toml", &bad).expect_err("threshold");
        assert_eq!(err.0.problems[0].field, "model.threshold");
        assert_eq!(
            err.0.problems[0].line,
            Some(bad.lines().position(|l| l == "[model]").unwrap_or(0) + 1)
        );
    }

    #[test]
    fn weights_and_signals_must_match_one_to_one() {
        let m = TeachingModel::default_model().expect("model");
        let mut ids: Vec<String> = m.weights.keys().cloned().collect();
        assert!(
            m.check_signals("m", DEFAULT_TEACHING_MODEL_TOML, &ids)
                .is_empty()
        );
        let stray = ids.remove(0);
        ids.push("brand-new".into());
        let problems = m.check_signals("m", DEFAULT_TEACHING_MODEL_TOML, &ids);
        assert!(
            problems
                .iter()
                .any(|p| p.field == format!("weights.{stray}") && p.line.is_some())
        );
        assert!(
            problems
                .iter()
                .any(|p| p.message.contains("no weight for the signal `brand-new`"))
        );
    }
}
