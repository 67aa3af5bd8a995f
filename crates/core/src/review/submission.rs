//! A candidate's review, in either of two formats:
//!
//! - multiplier's own: `{"summary": "...", "comments": [{"path", "line", "body"}]}`
//!   (`summary` optional; a comment may also give `start_line` for a range);
//! - GitHub's REST export of pull-request review comments: an array of objects with
//!   `path`, `line` (or `original_line` when the line is outdated) and `body`; other
//!   fields are ignored. `side: "LEFT"` marks a comment on the old side of the diff.
//!
//! Comments are numbered by their order in the file, from 0.

use crate::source::{Problem, Problems};
use serde::{Deserialize, Serialize};

/// Which format the file was in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SubmissionFormat {
    Multiplier,
    Github,
}

/// Which side of the diff a comment's line refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Side {
    /// The new version (the usual case).
    #[default]
    New,
    /// The old version (a comment on a removed line).
    Old,
}

/// One review comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewComment {
    pub path: String,
    /// The (last) line commented on; `None` for a comment on the whole file.
    pub line: Option<u32>,
    /// The first line of a multi-line comment.
    pub start_line: Option<u32>,
    pub side: Side,
    pub body: String,
}

impl ReviewComment {
    /// The lines the comment covers, first to last.
    pub fn lines(&self) -> Option<(u32, u32)> {
        let last = self.line?;
        let first = self.start_line.unwrap_or(last).min(last);
        Some((first, last))
    }
}

/// A parsed review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Review {
    pub format: SubmissionFormat,
    /// The review's overall message (empty when the format has none).
    pub summary: String,
    pub comments: Vec<ReviewComment>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OwnFormat {
    #[serde(default)]
    summary: String,
    comments: Vec<OwnComment>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OwnComment {
    path: String,
    #[serde(default)]
    line: Option<u32>,
    #[serde(default)]
    start_line: Option<u32>,
    body: String,
}

#[derive(Deserialize)]
struct GithubComment {
    path: String,
    #[serde(default)]
    line: Option<u32>,
    #[serde(default)]
    original_line: Option<u32>,
    #[serde(default)]
    start_line: Option<u32>,
    #[serde(default)]
    original_start_line: Option<u32>,
    #[serde(default)]
    side: Option<String>,
    body: String,
}

impl Review {
    /// Parse a review file. `source` names it in problems (which carry the line).
    pub fn parse(source: &str, text: &str) -> Result<Review, Problems> {
        let fail = |line: Option<usize>, field: &str, message: String| Problems {
            source: source.to_string(),
            problems: vec![Problem::new(line, field, message)],
        };
        let json_fail = |e: serde_json::Error, shape: &str| {
            let message = format!("{e} ({shape})");
            fail(Some(e.line()).filter(|l| *l > 0), "review", message)
        };
        let text = text.trim_start_matches('\u{feff}');
        match text.trim_start().chars().next() {
            Some('[') => {
                let comments: Vec<GithubComment> = serde_json::from_str(text).map_err(|e| {
                    json_fail(
                        e,
                        "read as GitHub's review-comments export: an array of {path, line or original_line, body}",
                    )
                })?;
                Ok(Review {
                    format: SubmissionFormat::Github,
                    summary: String::new(),
                    comments: comments
                        .into_iter()
                        .map(|c| ReviewComment {
                            line: c.line.or(c.original_line),
                            start_line: if c.line.is_some() {
                                c.start_line
                            } else {
                                c.original_start_line
                            },
                            side: match c.side.as_deref() {
                                Some(s) if s.eq_ignore_ascii_case("left") => Side::Old,
                                _ => Side::New,
                            },
                            path: c.path,
                            body: c.body,
                        })
                        .collect(),
                })
            }
            Some('{') => {
                let own: OwnFormat = serde_json::from_str(text).map_err(|e| {
                    json_fail(
                        e,
                        "read as multiplier's format: {\"summary\", \"comments\": [{path, line, body}]}",
                    )
                })?;
                Ok(Review {
                    format: SubmissionFormat::Multiplier,
                    summary: own.summary,
                    comments: own
                        .comments
                        .into_iter()
                        .map(|c| ReviewComment {
                            path: c.path,
                            line: c.line,
                            start_line: c.start_line,
                            side: Side::New,
                            body: c.body,
                        })
                        .collect(),
                })
            }
            _ => Err(fail(
                Some(1),
                "review",
                "not a review: expected a JSON object {\"summary\", \"comments\"} or GitHub's array of review comments".to_string(),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn our_format_parses_with_an_optional_summary() {
        let r = Review::parse(
            "r.json",
            r#"{"summary": "ok", "comments": [{"path": "a.py", "line": 3, "body": "x"}]}"#,
        )
        .expect("valid");
        assert_eq!(r.format, SubmissionFormat::Multiplier);
        assert_eq!(r.summary, "ok");
        assert_eq!(r.comments[0].lines(), Some((3, 3)));
        let r = Review::parse("r.json", r#"{"comments": []}"#).expect("valid");
        assert!(r.summary.is_empty());
    }

    #[test]
    fn github_export_uses_line_then_original_line_and_ignores_other_fields() {
        let text = r#"[
          {"id": 1, "path": "a.go", "line": 12, "original_line": 10, "body": "b1",
           "user": {"login": "someone"}, "side": "RIGHT"},
          {"id": 2, "path": "a.go", "line": null, "original_line": 7, "start_line": null,
           "original_start_line": 5, "body": "b2"},
          {"id": 3, "path": "a.go", "line": 4, "side": "LEFT", "body": "b3"}
        ]"#;
        let r = Review::parse("gh.json", text).expect("valid");
        assert_eq!(r.format, SubmissionFormat::Github);
        assert_eq!(r.comments[0].line, Some(12));
        assert_eq!(r.comments[1].lines(), Some((5, 7)));
        assert_eq!(r.comments[2].side, Side::Old);
    }

    #[test]
    fn malformed_input_names_the_line() {
        let err = Review::parse("r.json", "{\n  \"comments\": [\n    {\"path\": 1}\n  ]\n}")
            .expect_err("bad");
        assert_eq!(err.problems[0].line, Some(3));
        let err = Review::parse("r.json", "{\"coments\": []}").expect_err("typo");
        assert!(err.problems[0].message.contains("coments"));
        let err = Review::parse("r.json", "hello").expect_err("not json");
        assert_eq!(err.problems[0].line, Some(1));
        let err = Review::parse("r.json", "").expect_err("empty");
        assert!(err.to_string().contains("r.json"));
        let err = Review::parse(
            "r.json",
            "[{\"path\": \"a\", \"line\": -3, \"body\": \"\"}]",
        )
        .expect_err("negative line");
        assert_eq!(err.problems[0].line, Some(1));
    }
}
