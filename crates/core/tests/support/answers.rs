//! The labelled written answers (`tests/data/answers/`): loading them and the
//! analyzer's agreement with their labels, per (answer, flag). Shared by the
//! `answers_agreement` test and the `instrument_agreement` example.

use multiplier_core::answers::analyze_one;
use multiplier_core::framework::Framework;
use multiplier_core::review::ReviewSignals;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/answers")
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelledAnswer {
    pub id: String,
    pub question: String,
    pub expect: Vec<String>,
    pub text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Persona {
    persona: String,
    style: String,
    answer: Vec<LabelledAnswer>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Splits {
    tune: Vec<String>,
    #[serde(rename = "held-out")]
    held_out: Vec<String>,
}

/// One labelled answer with its persona's split and style.
#[derive(Debug, Clone)]
pub struct Answer {
    pub persona: String,
    pub style: String,
    pub split: String,
    pub answer: LabelledAnswer,
}

/// Every labelled answer, checked: known questions and flags, unique ids, every
/// persona in exactly one split.
pub fn load(flags: &[&str]) -> Result<Vec<Answer>, String> {
    let dir = data_dir();
    let text = std::fs::read_to_string(dir.join("splits.toml"))
        .map_err(|e| format!("splits.toml: {e}"))?;
    let splits: Splits = toml::from_str(&text).map_err(|e| format!("splits.toml: {e}"))?;
    let mut split_of: BTreeMap<String, &str> = BTreeMap::new();
    for (name, list) in [("tune", &splits.tune), ("held-out", &splits.held_out)] {
        for p in list {
            if split_of.insert(p.clone(), name).is_some() {
                return Err(format!("splits.toml: `{p}` is in two splits"));
            }
        }
    }
    let framework = Framework::default_framework().map_err(|e| e.to_string())?;
    let questions: Vec<&str> = framework
        .assessment
        .questions
        .iter()
        .map(|q| q.id.as_str())
        .collect();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("personas"))
        .map_err(|e| e.to_string())?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut ids = BTreeSet::new();
    let mut out = Vec::new();
    for path in files {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{name}: {e}"))?;
        let p: Persona = toml::from_str(&text).map_err(|e| format!("{name}: {e}"))?;
        let split = *split_of
            .get(&p.persona)
            .ok_or_else(|| format!("{name}: `{}` is in no split", p.persona))?;
        for a in p.answer {
            if !questions.contains(&a.question.as_str()) {
                return Err(format!(
                    "{name}: {}: unknown question `{}`",
                    a.id, a.question
                ));
            }
            for f in &a.expect {
                if !flags.contains(&f.as_str()) {
                    return Err(format!("{name}: {}: unknown flag `{f}`", a.id));
                }
            }
            if !ids.insert(a.id.clone()) {
                return Err(format!("{name}: the id `{}` is used twice", a.id));
            }
            out.push(Answer {
                persona: p.persona.clone(),
                style: p.style.clone(),
                split: split.to_string(),
                answer: a,
            });
        }
    }
    Ok(out)
}

#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

#[derive(Debug, Default)]
pub struct AnswersAgreement {
    pub answers: usize,
    pub exact: usize,
    pub all: Counts,
    pub per_flag: BTreeMap<String, Counts>,
    /// (answer id, flag, labelled, raised, evidence or "not raised").
    pub misses: Vec<(String, String, bool, bool, String)>,
}

pub fn agreement(answers: &[Answer], split: &str, signals: &ReviewSignals) -> AnswersAgreement {
    let mut a = AnswersAgreement::default();
    for x in answers.iter().filter(|x| x.split == split) {
        a.answers += 1;
        let flags = analyze_one(&x.answer.question, &x.answer.text, signals);
        let got: BTreeSet<&str> = flags.iter().map(|f| f.id).collect();
        let want: BTreeSet<&str> = x.answer.expect.iter().map(String::as_str).collect();
        if got == want {
            a.exact += 1;
        }
        for id in got.union(&want) {
            let entry = a.per_flag.entry((*id).to_string()).or_default();
            let (g, w) = (got.contains(id), want.contains(id));
            match (g, w) {
                (true, true) => {
                    a.all.tp += 1;
                    entry.tp += 1;
                }
                (true, false) => {
                    a.all.fp += 1;
                    entry.fp += 1;
                }
                (false, true) => {
                    a.all.fn_ += 1;
                    entry.fn_ += 1;
                }
                (false, false) => {}
            }
            if g != w {
                let evidence = flags
                    .iter()
                    .find(|f| f.id == *id)
                    .map(|f| format!("raised on \"{}\": {}", f.evidence, f.reason))
                    .unwrap_or_else(|| "not raised".to_string());
                a.misses
                    .push((x.answer.id.clone(), (*id).to_string(), w, g, evidence));
            }
        }
    }
    a
}

pub fn report(split: &str, a: &AnswersAgreement) -> String {
    let mut out = String::new();
    let pct = |x: f64| format!("{:.1}%", x * 100.0);
    let _ = writeln!(
        out,
        "{split}: {} answers; flags precision {} ({} right, {} extra), recall {} ({} missed); answers with exactly the expected flags {}/{}\n",
        a.answers,
        pct(a.all.precision()),
        a.all.tp,
        a.all.fp,
        pct(a.all.recall()),
        a.all.fn_,
        a.exact,
        a.answers
    );
    let _ = writeln!(out, "| flag | right | extra | missed |\n|---|---|---|---|");
    for (id, c) in &a.per_flag {
        let _ = writeln!(out, "| `{id}` | {} | {} | {} |", c.tp, c.fp, c.fn_);
    }
    let _ = writeln!(out, "\nDisagreements:\n");
    for (id, flag, want, _, evidence) in &a.misses {
        let _ = writeln!(
            out,
            "- `{id}` `{flag}`: labelled {} — {evidence}",
            if *want { "raised" } else { "not raised" }
        );
    }
    out
}
