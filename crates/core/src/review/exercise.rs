//! A code-review exercise: a pull request (a unified diff and its description) and
//! the key of planted issues, each with the concepts a reviewer would name and the
//! new-side lines where it lives. Parsed from `exercise.toml` with every problem
//! reported by line and field; the key is then checked against the diff.

use super::diff::{Diff, FileStatus};
use super::text::entry_problem;
use crate::source::{Position, Problem, Problems, toml_problem};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;
use std::ops::Range;
use toml::Spanned;

/// What kind of problem a planted issue is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Security,
    Correctness,
    Performance,
    Reliability,
    Testing,
    Maintainability,
    Style,
}

impl Category {
    pub const ALL: [Category; 7] = [
        Category::Security,
        Category::Correctness,
        Category::Performance,
        Category::Reliability,
        Category::Testing,
        Category::Maintainability,
        Category::Style,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Category::Security => "security",
            Category::Correctness => "correctness",
            Category::Performance => "performance",
            Category::Reliability => "reliability",
            Category::Testing => "testing",
            Category::Maintainability => "maintainability",
            Category::Style => "style",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// How much a planted issue matters. Blockers and majors are *material*.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Blocker,
    Major,
    Minor,
    Nit,
}

impl Severity {
    pub fn id(self) -> &'static str {
        match self {
            Severity::Blocker => "blocker",
            Severity::Major => "major",
            Severity::Minor => "minor",
            Severity::Nit => "nit",
        }
    }

    /// Whether a review that misses it has missed something that matters.
    pub fn is_material(self) -> bool {
        matches!(self, Severity::Blocker | Severity::Major)
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// Where an issue lives: a file and new-side line numbers of the diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    pub file: String,
    pub lines: Vec<u32>,
}

impl Place {
    /// The first and last listed line.
    pub fn span(&self) -> Option<(u32, u32)> {
        Some((*self.lines.iter().min()?, *self.lines.iter().max()?))
    }
}

/// A planted issue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Issue {
    pub id: String,
    pub title: String,
    pub category: Category,
    pub severity: Severity,
    /// Lower-case words, phrases or word prefixes a reviewer naming the issue uses.
    pub concepts: Vec<String>,
    /// Why it matters (shown in the grade's explanation).
    pub explain: String,
    pub at: Vec<Place>,
}

/// `exercise.toml`, validated on its own (before the diff is read).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExerciseSpec {
    pub title: String,
    pub language: String,
    /// The diff file, relative to `exercise.toml`.
    pub diff: String,
    /// The pull-request description the candidate sees.
    pub summary: String,
    pub issues: Vec<Issue>,
    /// The `exercise.toml` line of each issue's each place, for key problems.
    #[serde(skip)]
    place_lines: Vec<Vec<Option<usize>>>,
    #[serde(skip)]
    source: String,
}

/// An exercise with its diff, its key checked against it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Exercise {
    /// The folder name, e.g. `orders-n-plus-one`.
    pub slug: String,
    pub title: String,
    pub language: String,
    pub diff_file: String,
    pub summary: String,
    pub issues: Vec<Issue>,
    pub diff: Diff,
    /// The raw diff text, as the candidate receives it.
    #[serde(skip)]
    pub diff_text: String,
    /// Valid but unusual choices (e.g. no material issue at all).
    pub warnings: Vec<String>,
}

impl Exercise {
    pub fn issue(&self, id: &str) -> Option<&Issue> {
        self.issues.iter().find(|i| i.id == id)
    }
}

/// Everything wrong with an exercise: problems in `exercise.toml`, then in the diff.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ExerciseError(pub Vec<Problems>);

impl fmt::Display for ExerciseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let texts: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&texts.join("\n"))
    }
}

impl ExerciseError {
    fn one(source: &str, problems: Vec<Problem>) -> Self {
        ExerciseError(vec![Problems {
            source: source.to_string(),
            problems,
        }])
    }

    /// All problems, each with the file it belongs to.
    pub fn problems(&self) -> impl Iterator<Item = (&str, &Problem)> {
        self.0
            .iter()
            .flat_map(|p| p.problems.iter().map(move |x| (p.source.as_str(), x)))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    title: Spanned<String>,
    language: Spanned<String>,
    diff: Spanned<String>,
    summary: Spanned<String>,
    #[serde(default)]
    issue: Vec<Spanned<RawIssue>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIssue {
    id: String,
    title: String,
    category: Category,
    severity: Severity,
    concepts: Vec<String>,
    explain: String,
    #[serde(default)]
    at: Vec<Spanned<Place>>,
}

struct Check<'a> {
    text: &'a str,
    problems: Vec<Problem>,
}

impl Check<'_> {
    fn line(&self, span: &Range<usize>) -> usize {
        Position::at(self.text, span.start).line
    }
    fn fail(&mut self, span: &Range<usize>, field: impl Into<String>, message: impl Into<String>) {
        let line = self.line(span);
        self.problems.push(Problem::new(Some(line), field, message));
    }
    fn not_blank(&mut self, value: &Spanned<String>, field: &str) {
        if value.get_ref().trim().is_empty() {
            self.fail(&value.span(), field, "must not be empty");
        }
    }
}

fn is_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
}

impl ExerciseSpec {
    /// Parse and validate `exercise.toml`. `source` names it in problems.
    pub fn parse(source: &str, text: &str) -> Result<ExerciseSpec, ExerciseError> {
        let raw: Raw = toml::from_str(text)
            .map_err(|e| ExerciseError::one(source, vec![toml_problem(text, &e)]))?;
        let mut c = Check {
            text,
            problems: Vec::new(),
        };
        c.not_blank(&raw.title, "title");
        c.not_blank(&raw.language, "language");
        c.not_blank(&raw.summary, "summary");
        let diff = raw.diff.get_ref();
        if diff.trim().is_empty() {
            c.fail(&raw.diff.span(), "diff", "must name the diff file");
        } else if diff.starts_with('/')
            || diff.starts_with('\\')
            || diff.contains(':')
            || diff.split(['/', '\\']).any(|part| part == "..")
        {
            c.fail(
                &raw.diff.span(),
                "diff",
                format!("`{diff}` must be a path inside the exercise folder (no leading /, no ..)"),
            );
        }
        if raw.issue.is_empty() {
            c.problems.push(Problem::new(
                None,
                "issue",
                "an exercise needs at least one planted [[issue]]",
            ));
        }
        let mut ids = BTreeSet::new();
        let mut place_lines = Vec::new();
        for issue in &raw.issue {
            let span = issue.span();
            let i = issue.get_ref();
            let field = |name: &str| format!("issue[{}].{name}", i.id);
            if !is_id(&i.id) {
                c.fail(
                    &span,
                    field("id"),
                    "must be a lower-case id of letters, digits and -",
                );
            }
            if !ids.insert(i.id.clone()) {
                c.fail(&span, format!("issue[{}]", i.id), "this id is used twice");
            }
            if i.title.trim().is_empty() {
                c.fail(&span, field("title"), "must not be empty");
            }
            if i.explain.trim().is_empty() {
                c.fail(&span, field("explain"), "must say why the issue matters");
            }
            if i.concepts.is_empty() {
                c.fail(
                    &span,
                    field("concepts"),
                    "must list at least one word or phrase a reviewer would use",
                );
            }
            for concept in &i.concepts {
                if let Some(message) = entry_problem(concept) {
                    c.fail(&span, field("concepts"), message);
                }
            }
            if i.at.is_empty() {
                c.fail(
                    &span,
                    field("at"),
                    "needs at least one [[issue.at]] place (a file and new-side lines)",
                );
            }
            let mut lines_here = Vec::new();
            for (k, place) in i.at.iter().enumerate() {
                let p = place.get_ref();
                let pf = format!("issue[{}].at[{k}]", i.id);
                if p.file.trim().is_empty() {
                    c.fail(
                        &place.span(),
                        format!("{pf}.file"),
                        "must name a file of the diff",
                    );
                }
                if p.lines.is_empty() {
                    c.fail(
                        &place.span(),
                        format!("{pf}.lines"),
                        "must list at least one new-side line number",
                    );
                }
                if p.lines.contains(&0) {
                    c.fail(
                        &place.span(),
                        format!("{pf}.lines"),
                        "line numbers start at 1",
                    );
                }
                lines_here.push(Some(c.line(&place.span())));
            }
            place_lines.push(lines_here);
        }
        if !c.problems.is_empty() {
            return Err(ExerciseError::one(source, c.problems));
        }
        Ok(ExerciseSpec {
            title: raw.title.into_inner(),
            language: raw.language.into_inner(),
            diff: raw.diff.into_inner(),
            summary: raw.summary.into_inner(),
            issues: raw
                .issue
                .into_iter()
                .map(|i| {
                    let i = i.into_inner();
                    Issue {
                        id: i.id,
                        title: i.title,
                        category: i.category,
                        severity: i.severity,
                        concepts: i.concepts,
                        explain: i.explain,
                        at: i.at.into_iter().map(Spanned::into_inner).collect(),
                    }
                })
                .collect(),
            place_lines,
            source: source.to_string(),
        })
    }

    /// Read the diff and check the key against it: every place's file is in the diff
    /// and every listed line is a new-side line the diff shows.
    pub fn with_diff(
        self,
        slug: &str,
        diff_source: &str,
        diff_text: &str,
    ) -> Result<Exercise, ExerciseError> {
        let diff = Diff::parse(diff_text).map_err(|e| {
            ExerciseError::one(diff_source, vec![Problem::new(e.line, "diff", e.message)])
        })?;
        let mut problems = Vec::new();
        for (i, issue) in self.issues.iter().enumerate() {
            for (k, place) in issue.at.iter().enumerate() {
                let line = self
                    .place_lines
                    .get(i)
                    .and_then(|l| l.get(k))
                    .copied()
                    .flatten();
                let field = format!("issue[{}].at[{k}]", issue.id);
                let Some(file) = diff.file(&place.file) else {
                    let known: Vec<&str> = diff.files.iter().map(|f| f.path.as_str()).collect();
                    problems.push(Problem::new(
                        line,
                        format!("{field}.file"),
                        format!(
                            "`{}` is not a file of {diff_source} (its files: {})",
                            place.file,
                            known.join(", ")
                        ),
                    ));
                    continue;
                };
                if file.status == FileStatus::Deleted {
                    problems.push(Problem::new(
                        line,
                        format!("{field}.file"),
                        format!(
                            "`{}` is deleted by the diff: point at a file with new-side lines",
                            place.file
                        ),
                    ));
                    continue;
                }
                for n in &place.lines {
                    if !file.has_line(*n) {
                        let shown: Vec<String> = file
                            .ranges()
                            .iter()
                            .map(|[a, b]| {
                                if a == b {
                                    a.to_string()
                                } else {
                                    format!("{a}–{b}")
                                }
                            })
                            .collect();
                        problems.push(Problem::new(
                            line,
                            format!("{field}.lines"),
                            format!(
                                "line {n} of `{}` is not shown by the diff (its new-side lines: {})",
                                place.file,
                                if shown.is_empty() {
                                    "none".to_string()
                                } else {
                                    shown.join(", ")
                                }
                            ),
                        ));
                    }
                }
            }
        }
        if !problems.is_empty() {
            return Err(ExerciseError::one(&self.source, problems));
        }
        let mut warnings = Vec::new();
        if !self.issues.iter().any(|i| i.severity.is_material()) {
            warnings.push(
                "no issue is a blocker or major: the material-issues score will count every issue as material"
                    .to_string(),
            );
        }
        Ok(Exercise {
            slug: slug.to_string(),
            title: self.title,
            language: self.language,
            diff_file: self.diff,
            summary: self.summary,
            issues: self.issues,
            diff,
            diff_text: diff_text.to_string(),
            warnings,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIFF: &str = "\
--- a/app/views.py
+++ b/app/views.py
@@ -1,2 +1,4 @@
 import os
+for o in orders:
+    o.customer.name
 x = 1
";

    fn toml(at: &str) -> String {
        format!(
            r#"title = "T"
language = "python"
diff = "change.diff"
summary = "the description"

[[issue]]
id = "n-plus-one"
title = "N+1"
category = "performance"
severity = "major"
concepts = ["n+1", "eager load"]
explain = "one query per row"

[[issue.at]]
{at}
"#
        )
    }

    #[test]
    fn a_valid_key_loads() {
        let spec = ExerciseSpec::parse("e.toml", &toml("file = \"app/views.py\"\nlines = [2, 3]"))
            .expect("valid");
        let ex = spec.with_diff("t", "change.diff", DIFF).expect("key fits");
        assert_eq!(ex.issues[0].at[0].span(), Some((2, 3)));
        assert!(ex.warnings.is_empty());
    }

    #[test]
    fn a_line_outside_the_diff_is_a_problem_on_the_place_line() {
        let spec = ExerciseSpec::parse("e.toml", &toml("file = \"app/views.py\"\nlines = [9]"))
            .expect("valid");
        let err = spec
            .with_diff("t", "change.diff", DIFF)
            .expect_err("bad key");
        let (source, p) = err.problems().next().expect("a problem");
        assert_eq!(source, "e.toml");
        assert_eq!(p.field, "issue[n-plus-one].at[0].lines");
        assert_eq!(p.line, Some(14));
        assert!(p.message.contains("line 9"), "{}", p.message);
        assert!(p.message.contains("1–4"), "{}", p.message);
    }

    #[test]
    fn a_file_not_in_the_diff_is_a_problem() {
        let spec = ExerciseSpec::parse("e.toml", &toml("file = \"app/other.py\"\nlines = [2]"))
            .expect("valid");
        let err = spec
            .with_diff("t", "change.diff", DIFF)
            .expect_err("bad key");
        let (_, p) = err.problems().next().expect("a problem");
        assert_eq!(p.field, "issue[n-plus-one].at[0].file");
        assert!(p.message.contains("app/views.py"));
    }

    #[test]
    fn bad_fields_are_reported_with_lines() {
        let text =
            toml("file = \"app/views.py\"\nlines = [2]").replace("\"performance\"", "\"speed\"");
        let err = ExerciseSpec::parse("e.toml", &text).expect_err("bad category");
        let (_, p) = err.problems().next().expect("a problem");
        assert_eq!(p.line, Some(9), "the category line");
        assert!(p.message.contains("speed"), "{}", p.message);

        let text =
            toml("file = \"app/views.py\"\nlines = []").replace("\"change.diff\"", "\"../x.diff\"");
        let err = ExerciseSpec::parse("e.toml", &text).expect_err("bad");
        let fields: Vec<&str> = err.problems().map(|(_, p)| p.field.as_str()).collect();
        assert_eq!(fields, vec!["diff", "issue[n-plus-one].at[0].lines"]);
    }

    #[test]
    fn an_exercise_without_issues_is_refused() {
        let text = "title = \"t\"\nlanguage = \"go\"\ndiff = \"c.diff\"\nsummary = \"s\"\n";
        let err = ExerciseSpec::parse("e.toml", text).expect_err("no issues");
        assert!(err.to_string().contains("at least one planted"));
    }
}
