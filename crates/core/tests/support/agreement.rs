//! Agreement between the grader / analyzer and the hand-labelled set under
//! `tests/data/labelled/`. Shared by the `review_agreement` test (which asserts
//! floors) and the `review_agreement` example (which prints the tables that
//! docs/review-grading.md quotes).

use multiplier_core::answers::{Answer, Answers, analyze};
use multiplier_core::framework::Framework;
use multiplier_core::review::{Builtin, Review, ReviewSignals, grade};
use serde::Deserialize;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The folder holding the labelled set.
pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/labelled")
}

/// A human label for one comment.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommentLabel {
    /// The planted issue the comment raises at its place, `null` for none.
    pub issue: Option<String>,
    pub teaching: bool,
}

/// One labelled review: the submission as a candidate would send it, with labels.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelledReview {
    pub exercise: String,
    #[allow(dead_code)]
    pub note: String,
    /// Issues the summary clearly names.
    pub summary_names: Vec<String>,
    /// One per comment, in the submission's order.
    pub labels: Vec<CommentLabel>,
    /// Either format, exactly as `review grade --review` reads it.
    pub submission: serde_json::Value,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelledAnswer {
    pub id: String,
    pub question: String,
    pub text: String,
    /// The flag ids a careful reader would raise.
    pub expect: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelledAnswers {
    #[allow(dead_code)]
    pub note: String,
    pub answers: Vec<LabelledAnswer>,
}

/// Precision / recall counts.
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

pub fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// One comment where the grader and the label differ.
#[derive(Debug)]
pub struct Disagreement {
    pub file: String,
    pub index: usize,
    pub what: &'static str,
    pub label: String,
    pub grader: String,
    pub body: String,
}

/// Everything measured.
#[derive(Debug, Default)]
pub struct Agreement {
    pub reviews: usize,
    pub comments: usize,
    /// Comments whose matched issue (or none) equals the label.
    pub issue_agree: usize,
    /// Per comment: the grader matched an issue (tp when it is the labelled one).
    pub issue: Counts,
    /// Summary naming, per (review, issue).
    pub summary: Counts,
    /// [human][grader] with index 0 = corrects, 1 = teaches.
    pub teaching: [[usize; 2]; 2],
    pub answers: usize,
    pub answers_exact: usize,
    /// Per (answer, flag).
    pub flags: Counts,
    /// Per flag id: (tp, fp, fn).
    pub per_flag: Vec<(String, Counts)>,
    pub disagreements: Vec<Disagreement>,
}

impl Agreement {
    pub fn issue_accuracy(&self) -> f64 {
        ratio(self.issue_agree, self.comments)
    }
    pub fn teaching_accuracy(&self) -> f64 {
        ratio(self.teaching[0][0] + self.teaching[1][1], self.comments)
    }
}

fn excerpt(text: &str) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 90 {
        let cut: String = one_line.chars().take(87).collect();
        format!("{cut}...")
    } else {
        one_line
    }
}

fn sorted_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    Ok(files)
}

/// Run the grader and the analyzer over the labelled set and compare.
pub fn measure(signals: &ReviewSignals, framework: &Framework) -> Result<Agreement, String> {
    let mut a = Agreement::default();
    for path in sorted_files(&data_dir().join("reviews"))? {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{name}: {e}"))?;
        let labelled: LabelledReview =
            serde_json::from_str(&text).map_err(|e| format!("{name}: {e}"))?;
        let exercise = Builtin::find(&labelled.exercise)
            .ok_or_else(|| format!("{name}: no built-in exercise `{}`", labelled.exercise))?
            .load()
            .map_err(|e| format!("{name}: {e}"))?;
        let submission = serde_json::to_string(&labelled.submission).map_err(|e| e.to_string())?;
        let review = Review::parse(&name, &submission).map_err(|e| e.to_string())?;
        if review.comments.len() != labelled.labels.len() {
            return Err(format!(
                "{name}: {} comments but {} labels",
                review.comments.len(),
                labelled.labels.len()
            ));
        }
        for issue in labelled
            .labels
            .iter()
            .filter_map(|l| l.issue.as_deref())
            .chain(labelled.summary_names.iter().map(String::as_str))
        {
            if exercise.issue(issue).is_none() {
                return Err(format!("{name}: `{issue}` is not an issue of the exercise"));
            }
        }
        let g = grade(&exercise, &review, signals, framework);
        a.reviews += 1;
        for (c, label) in g.comments.iter().zip(&labelled.labels) {
            a.comments += 1;
            let body = review
                .comments
                .get(c.index)
                .map(|rc| excerpt(&rc.body))
                .unwrap_or_default();
            let got = c.matched_issue.as_deref();
            let want = label.issue.as_deref();
            if got == want {
                a.issue_agree += 1;
            } else {
                a.disagreements.push(Disagreement {
                    file: name.clone(),
                    index: c.index,
                    what: "issue",
                    label: want.unwrap_or("none").to_string(),
                    grader: format!("{} ({})", got.unwrap_or("none"), c.match_note),
                    body: body.clone(),
                });
            }
            match (got, want) {
                (Some(g), Some(w)) if g == w => a.issue.tp += 1,
                (Some(_), Some(_)) => {
                    a.issue.fp += 1;
                    a.issue.fn_ += 1;
                }
                (Some(_), None) => a.issue.fp += 1,
                (None, Some(_)) => a.issue.fn_ += 1,
                (None, None) => {}
            }
            a.teaching[usize::from(label.teaching)][usize::from(c.teaching)] += 1;
            if c.teaching != label.teaching {
                let found: Vec<String> = c
                    .signals
                    .iter()
                    .map(|s| format!("{} \"{}\"", s.kind, s.text))
                    .collect();
                a.disagreements.push(Disagreement {
                    file: name.clone(),
                    index: c.index,
                    what: "teaching",
                    label: label.teaching.to_string(),
                    grader: format!(
                        "{} (signals: {})",
                        c.teaching,
                        if found.is_empty() {
                            "none".to_string()
                        } else {
                            found.join("; ")
                        }
                    ),
                    body,
                });
            }
        }
        let want: BTreeSet<&str> = labelled.summary_names.iter().map(String::as_str).collect();
        for i in &g.issues {
            match (i.via_summary, want.contains(i.id.as_str())) {
                (true, true) => a.summary.tp += 1,
                (true, false) => a.summary.fp += 1,
                (false, true) => a.summary.fn_ += 1,
                (false, false) => {}
            }
            if i.via_summary != want.contains(i.id.as_str()) {
                a.disagreements.push(Disagreement {
                    file: name.clone(),
                    index: usize::MAX,
                    what: "summary",
                    label: format!("{} named: {}", i.id, want.contains(i.id.as_str())),
                    grader: format!("via_summary: {}", i.via_summary),
                    body: excerpt(&review.summary),
                });
            }
        }
    }

    let path = data_dir().join("answers.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("answers.json: {e}"))?;
    let labelled: LabelledAnswers =
        serde_json::from_str(&text).map_err(|e| format!("answers.json: {e}"))?;
    let answers = Answers {
        answers: labelled
            .answers
            .iter()
            .map(|l| Answer {
                question: l.question.clone(),
                text: l.text.clone(),
            })
            .collect(),
    };
    // Check the ids as the CLI does (through the framework), then analyze.
    let json = serde_json::to_string(&answers).map_err(|e| e.to_string())?;
    let answers = Answers::parse("answers.json", &json, framework).map_err(|e| e.to_string())?;
    let report = analyze(&answers, signals);
    let mut per_flag: std::collections::BTreeMap<String, Counts> = Default::default();
    for (l, r) in labelled.answers.iter().zip(&report.answers) {
        a.answers += 1;
        let got: BTreeSet<&str> = r.flags.iter().map(|f| f.id).collect();
        let want: BTreeSet<&str> = l.expect.iter().map(String::as_str).collect();
        if got == want {
            a.answers_exact += 1;
        }
        for id in got.union(&want) {
            let entry = per_flag.entry((*id).to_string()).or_default();
            match (got.contains(id), want.contains(id)) {
                (true, true) => {
                    a.flags.tp += 1;
                    entry.tp += 1;
                }
                (true, false) => {
                    a.flags.fp += 1;
                    entry.fp += 1;
                }
                (false, true) => {
                    a.flags.fn_ += 1;
                    entry.fn_ += 1;
                }
                (false, false) => {}
            }
            if got.contains(id) != want.contains(id) {
                let evidence = r
                    .flags
                    .iter()
                    .find(|f| f.id == *id)
                    .map(|f| format!("raised on \"{}\"", excerpt(&f.evidence)))
                    .unwrap_or_else(|| "not raised".to_string());
                a.disagreements.push(Disagreement {
                    file: format!("answers.json#{}", l.id),
                    index: usize::MAX,
                    what: "flag",
                    label: format!("{id}: {}", want.contains(id)),
                    grader: evidence,
                    body: excerpt(&l.text),
                });
            }
        }
    }
    a.per_flag = per_flag.into_iter().collect();
    Ok(a)
}

/// The report the example prints (Markdown, pasted into docs/review-grading.md).
pub fn report(a: &Agreement) -> String {
    let mut out = String::new();
    let pct = |x: f64| format!("{:.0}%", x * 100.0);
    let _ = writeln!(
        out,
        "Labelled set: {} reviews, {} comments; {} written answers.\n",
        a.reviews, a.comments, a.answers
    );
    let _ = writeln!(out, "| measure | value |\n|---|---|");
    let _ = writeln!(
        out,
        "| issue matching accuracy (same issue, or both none) | {} ({}/{}) |",
        pct(a.issue_accuracy()),
        a.issue_agree,
        a.comments
    );
    let _ = writeln!(
        out,
        "| issue matching precision (grader's matches that are right) | {} ({}/{}) |",
        pct(a.issue.precision()),
        a.issue.tp,
        a.issue.tp + a.issue.fp
    );
    let _ = writeln!(
        out,
        "| issue matching recall (labelled issues the grader matched) | {} ({}/{}) |",
        pct(a.issue.recall()),
        a.issue.tp,
        a.issue.tp + a.issue.fn_
    );
    let _ = writeln!(
        out,
        "| summary naming precision / recall | {} / {} |",
        pct(a.summary.precision()),
        pct(a.summary.recall())
    );
    let _ = writeln!(
        out,
        "| teaching accuracy | {} ({}/{}) |",
        pct(a.teaching_accuracy()),
        a.teaching[0][0] + a.teaching[1][1],
        a.comments
    );
    let _ = writeln!(
        out,
        "| answer flags precision / recall | {} / {} ({} right, {} extra, {} missed) |",
        pct(a.flags.precision()),
        pct(a.flags.recall()),
        a.flags.tp,
        a.flags.fp,
        a.flags.fn_
    );
    let _ = writeln!(
        out,
        "| answers with exactly the expected flags | {}/{} |",
        a.answers_exact, a.answers
    );
    let _ = writeln!(
        out,
        "\nTeaching, human label (rows) against the grader (columns):\n\n| | grader: corrects | grader: teaches |\n|---|---|---|\n| human: corrects | {} | {} |\n| human: teaches | {} | {} |",
        a.teaching[0][0], a.teaching[0][1], a.teaching[1][0], a.teaching[1][1]
    );
    let _ = writeln!(
        out,
        "\nAnswer flags, per flag:\n\n| flag | right | extra | missed |\n|---|---|---|---|"
    );
    for (id, c) in &a.per_flag {
        let _ = writeln!(out, "| `{id}` | {} | {} | {} |", c.tp, c.fp, c.fn_);
    }
    let _ = writeln!(out, "\nDisagreements:\n");
    for d in &a.disagreements {
        let at = if d.index == usize::MAX {
            d.file.clone()
        } else {
            format!("{} #{}", d.file, d.index)
        };
        let _ = writeln!(
            out,
            "- {at} [{}] label {} / grader {}: \"{}\"",
            d.what, d.label, d.grader, d.body
        );
    }
    out
}
