//! The teaching corpus (`tests/data/teaching/`): loading it, its splits, and the
//! teaching model's agreement with its labels. Shared by the `train_teaching` and
//! `instrument_agreement` examples and the `teaching_agreement` test.

use multiplier_core::review::ReviewSignals;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/teaching")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Split {
    Train,
    Dev,
    Test,
}

impl Split {
    pub fn id(self) -> &'static str {
        match self {
            Split::Train => "train",
            Split::Dev => "dev",
            Split::Test => "test",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawComment {
    id: String,
    style: String,
    category: String,
    teaches: bool,
    text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    exercise: String,
    language: String,
    #[allow(dead_code)]
    about: String,
    comment: Vec<RawComment>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSplits {
    train: Vec<String>,
    dev: Vec<String>,
    test: Vec<String>,
}

/// One labelled comment.
#[derive(Debug, Clone)]
pub struct Comment {
    pub id: String,
    pub exercise: String,
    pub language: String,
    pub style: String,
    pub category: String,
    pub teaches: bool,
    pub text: String,
    pub split: Split,
}

pub const STYLES: [&str; 15] = [
    "terse",
    "verdict",
    "request-question",
    "guiding-question",
    "consequence",
    "causal",
    "contrast",
    "convention",
    "reference",
    "suggestion-block",
    "conventional",
    "non-native",
    "example",
    "praise",
    "hedged",
];

pub const CATEGORIES: [&str; 7] = [
    "security",
    "correctness",
    "performance",
    "reliability",
    "testing",
    "maintainability",
    "style",
];

/// Every labelled comment, checked: known styles and categories, unique ids, every
/// scenario in exactly one split.
pub fn load() -> Result<Vec<Comment>, String> {
    let dir = data_dir();
    let splits_text = std::fs::read_to_string(dir.join("splits.toml"))
        .map_err(|e| format!("splits.toml: {e}"))?;
    let splits: RawSplits =
        toml::from_str(&splits_text).map_err(|e| format!("splits.toml: {e}"))?;
    let mut split_of: BTreeMap<String, Split> = BTreeMap::new();
    for (split, names) in [
        (Split::Train, &splits.train),
        (Split::Dev, &splits.dev),
        (Split::Test, &splits.test),
    ] {
        for n in names {
            if split_of.insert(n.clone(), split).is_some() {
                return Err(format!("splits.toml: `{n}` is in two splits"));
            }
        }
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "toml")
                && p.file_name().is_some_and(|n| n != "splits.toml")
        })
        .collect();
    files.sort();
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for path in files {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{name}: {e}"))?;
        let s: RawScenario = toml::from_str(&text).map_err(|e| format!("{name}: {e}"))?;
        let split = *split_of
            .get(&s.exercise)
            .ok_or_else(|| format!("{name}: `{}` is in no split", s.exercise))?;
        for c in s.comment {
            if !STYLES.contains(&c.style.as_str()) {
                return Err(format!("{name}: {}: unknown style `{}`", c.id, c.style));
            }
            if !CATEGORIES.contains(&c.category.as_str()) {
                return Err(format!(
                    "{name}: {}: unknown category `{}`",
                    c.id, c.category
                ));
            }
            if !seen.insert(c.id.clone()) {
                return Err(format!("{name}: the id `{}` is used twice", c.id));
            }
            out.push(Comment {
                id: c.id,
                exercise: s.exercise.clone(),
                language: s.language.clone(),
                style: c.style,
                category: c.category,
                teaches: c.teaches,
                text: c.text,
                split,
            });
        }
    }
    Ok(out)
}

/// A 2×2 confusion table: [label][verdict], 0 = corrects, 1 = teaches.
#[derive(Debug, Default, Clone, Copy)]
pub struct Confusion(pub [[usize; 2]; 2]);

impl Confusion {
    pub fn add(&mut self, label: bool, verdict: bool) {
        self.0[usize::from(label)][usize::from(verdict)] += 1;
    }
    pub fn total(&self) -> usize {
        self.0.iter().flatten().sum()
    }
    pub fn accuracy(&self) -> f64 {
        ratio(self.0[0][0] + self.0[1][1], self.total())
    }
    /// Of the comments called lessons, the share that are.
    pub fn precision(&self) -> f64 {
        ratio(self.0[1][1], self.0[1][1] + self.0[0][1])
    }
    /// Of the lessons, the share called lessons.
    pub fn recall(&self) -> f64 {
        ratio(self.0[1][1], self.0[1][1] + self.0[1][0])
    }
}

pub fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// The model's agreement with the labels of one split.
#[derive(Debug, Default)]
pub struct SplitAgreement {
    pub all: Confusion,
    pub by_style: BTreeMap<String, Confusion>,
    pub by_exercise: BTreeMap<String, Confusion>,
    /// (id, label, verdict as text) for every disagreement.
    pub misses: Vec<(String, bool, String)>,
}

/// Classify every comment of `split` and compare with its label.
pub fn agreement(comments: &[Comment], split: Split, signals: &ReviewSignals) -> SplitAgreement {
    let mut a = SplitAgreement::default();
    for c in comments.iter().filter(|c| c.split == split) {
        let t = signals.teaching.classify(&c.text);
        a.all.add(c.teaches, t.teaching);
        a.by_style
            .entry(c.style.clone())
            .or_default()
            .add(c.teaches, t.teaching);
        a.by_exercise
            .entry(c.exercise.clone())
            .or_default()
            .add(c.teaches, t.teaching);
        if t.teaching != c.teaches {
            a.misses.push((c.id.clone(), c.teaches, t.explain()));
        }
    }
    a
}

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// A Markdown report of one split.
pub fn report(split: Split, a: &SplitAgreement) -> String {
    let mut out = String::new();
    let c = &a.all;
    let _ = writeln!(
        out,
        "{} split: {} comments ({} lessons)\n",
        split.id(),
        c.total(),
        c.0[1][0] + c.0[1][1]
    );
    let _ = writeln!(out, "| measure | value |\n|---|---|");
    let _ = writeln!(
        out,
        "| accuracy | {} ({}/{}) |",
        pct(c.accuracy()),
        c.0[0][0] + c.0[1][1],
        c.total()
    );
    let _ = writeln!(
        out,
        "| teaching precision | {} ({}/{}) |",
        pct(c.precision()),
        c.0[1][1],
        c.0[1][1] + c.0[0][1]
    );
    let _ = writeln!(
        out,
        "| teaching recall | {} ({}/{}) |",
        pct(c.recall()),
        c.0[1][1],
        c.0[1][1] + c.0[1][0]
    );
    let _ = writeln!(
        out,
        "\n| | model: corrects | model: teaches |\n|---|---|---|\n| label: corrects | {} | {} |\n| label: teaches | {} | {} |",
        c.0[0][0], c.0[0][1], c.0[1][0], c.0[1][1]
    );
    let _ = writeln!(out, "\n| style | comments | accuracy |\n|---|---|---|");
    for (style, c) in &a.by_style {
        let _ = writeln!(out, "| {style} | {} | {} |", c.total(), pct(c.accuracy()));
    }
    let _ = writeln!(out, "\n| scenario | comments | accuracy |\n|---|---|---|");
    for (ex, c) in &a.by_exercise {
        let _ = writeln!(out, "| {ex} | {} | {} |", c.total(), pct(c.accuracy()));
    }
    let _ = writeln!(out, "\nDisagreements:\n");
    for (id, label, verdict) in &a.misses {
        let _ = writeln!(
            out,
            "- `{id}` labelled {}: {verdict}",
            if *label { "teaches" } else { "corrects" }
        );
    }
    out
}
