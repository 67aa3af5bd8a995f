//! The labelled job postings (`tests/data/jd/`): loading them and the linter's
//! agreement with their labels, per (posting, rule). Shared by the `jd_agreement`
//! test and the `instrument_agreement` example.

use multiplier_core::jd::{LintWords, RULES, lint};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/jd")
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Posting {
    pub file: String,
    pub split: String,
    pub fires: Vec<String>,
    pub why: String,
    #[serde(skip)]
    pub text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Labels {
    posting: Vec<Posting>,
}

/// Every labelled posting with its text, checked: known rules and splits, every
/// file labelled once.
pub fn load() -> Result<Vec<Posting>, String> {
    let dir = data_dir();
    let text = std::fs::read_to_string(dir.join("labels.toml"))
        .map_err(|e| format!("labels.toml: {e}"))?;
    let labels: Labels = toml::from_str(&text).map_err(|e| format!("labels.toml: {e}"))?;
    let known: Vec<&str> = RULES.iter().map(|(id, _)| *id).collect();
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for mut p in labels.posting {
        if !seen.insert(p.file.clone()) {
            return Err(format!("labels.toml: `{}` is labelled twice", p.file));
        }
        if p.split != "tune" && p.split != "held-out" {
            return Err(format!(
                "labels.toml: `{}`: unknown split `{}`",
                p.file, p.split
            ));
        }
        for r in &p.fires {
            if !known.contains(&r.as_str()) {
                return Err(format!("labels.toml: `{}`: unknown rule `{r}`", p.file));
            }
        }
        p.text = std::fs::read_to_string(dir.join("postings").join(&p.file))
            .map_err(|e| format!("{}: {e}", p.file))?;
        out.push(p);
    }
    let files = std::fs::read_dir(dir.join("postings"))
        .map_err(|e| e.to_string())?
        .filter_map(Result::ok)
        .count();
    if files != out.len() {
        return Err(format!(
            "{files} posting files but {} labelled ones",
            out.len()
        ));
    }
    Ok(out)
}

/// Agreement per (posting, rule) on one split.
#[derive(Debug, Default)]
pub struct JdAgreement {
    pub postings: usize,
    pub decisions: usize,
    pub agree: usize,
    /// Per rule: (agree, fired when labelled, fired when not, missed).
    pub per_rule: BTreeMap<&'static str, [usize; 4]>,
    /// (file, rule, labelled fires, linter fired, the finding's message).
    pub misses: Vec<(String, &'static str, bool, bool, String)>,
}

impl JdAgreement {
    pub fn rate(&self) -> f64 {
        if self.decisions == 0 {
            1.0
        } else {
            self.agree as f64 / self.decisions as f64
        }
    }
}

pub fn agreement(postings: &[Posting], split: &str, words: &LintWords) -> JdAgreement {
    let mut a = JdAgreement::default();
    for p in postings.iter().filter(|p| p.split == split) {
        a.postings += 1;
        let report = lint(&p.text, words);
        for (rule, _) in RULES {
            let want = p.fires.iter().any(|r| r == rule);
            let finding = report.findings.iter().find(|f| f.rule == *rule);
            let got = finding.is_some();
            a.decisions += 1;
            let entry = a.per_rule.entry(rule).or_default();
            match (want, got) {
                (true, true) | (false, false) => {
                    a.agree += 1;
                    entry[0] += 1;
                }
                (true, false) => entry[3] += 1,
                (false, true) => entry[2] += 1,
            }
            if want && got {
                entry[1] += 1;
            }
            if want != got {
                let detail = finding
                    .map(|f| {
                        if f.text.is_empty() {
                            f.message.clone()
                        } else {
                            format!("{} [{}]", f.message, f.text)
                        }
                    })
                    .unwrap_or_else(|| "not raised".to_string());
                a.misses.push((p.file.clone(), rule, want, got, detail));
            }
        }
    }
    a
}

pub fn report(split: &str, a: &JdAgreement) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{split}: {} postings × {} rules = {} decisions; agreement {:.1}% ({}/{})\n",
        a.postings,
        RULES.len(),
        a.decisions,
        a.rate() * 100.0,
        a.agree,
        a.decisions
    );
    let _ = writeln!(
        out,
        "| rule | agree | fired, labelled | fired, not labelled | missed |\n|---|---|---|---|---|"
    );
    for (rule, [agree, tp, fp, fn_]) in &a.per_rule {
        let _ = writeln!(out, "| `{rule}` | {agree} | {tp} | {fp} | {fn_} |");
    }
    let _ = writeln!(out, "\nDisagreements:\n");
    for (file, rule, want, _, detail) in &a.misses {
        let _ = writeln!(
            out,
            "- {file} `{rule}`: labelled {}, linter {} — {detail}",
            if *want { "fires" } else { "silent" },
            if *want { "silent" } else { "fires" },
        );
    }
    out
}
