//! Positions in a source text, so every problem can name its line.

use serde::Serialize;
use std::fmt;

/// A 1-based line and column in a named source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    /// The position of byte `offset` in `text` (clamped to the text's end).
    pub fn at(text: &str, offset: usize) -> Self {
        let mut end = offset.min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let before = &text[..end];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        Position { line, column }
    }
}

/// The start of every line of a text, so that many offsets can be turned into lines
/// without rescanning the text each time (one pass to build, a binary search per
/// look-up).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    /// The 1-based line of byte `offset` (offsets past the end are on the last line).
    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset).max(1)
    }
}

/// One problem found in a source text: where, which field, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// 1-based line, when the problem can be placed.
    pub line: Option<usize>,
    /// The field path, such as `stage[code-review].rubric`.
    pub field: String,
    pub message: String,
}

impl Problem {
    pub fn new(line: Option<usize>, field: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            line,
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Problems found in one named source (a file name or `<embedded default>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problems {
    pub source: String,
    pub problems: Vec<Problem>,
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        write!(
            f,
            "{} has {} problem{}",
            self.source,
            n,
            if n == 1 { "" } else { "s" }
        )?;
        for p in &self.problems {
            match p.line {
                Some(line) => write!(
                    f,
                    "\n  {}:{}: {}: {}",
                    self.source, line, p.field, p.message
                )?,
                None => write!(f, "\n  {}: {}: {}", self.source, p.field, p.message)?,
            }
        }
        Ok(())
    }
}

impl std::error::Error for Problems {}

/// Turn a TOML syntax or shape error into a problem with its line.
pub(crate) fn toml_problem(text: &str, err: &toml::de::Error) -> Problem {
    let line = err.span().map(|s| Position::at(text, s.start).line);
    // The message names the field (e.g. "unknown field `bogus`"); keep it on one line.
    let message = err.message().replace('\n', " ");
    Problem::new(line, "toml", message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn position_counts_lines_and_columns_from_one() {
        let text = "ab\ncdé\nf";
        assert_eq!(Position::at(text, 0), Position { line: 1, column: 1 });
        assert_eq!(Position::at(text, 3), Position { line: 2, column: 1 });
        assert_eq!(Position::at(text, 5), Position { line: 2, column: 3 });
        // offset inside a multi-byte char and past the end do not panic
        assert_eq!(Position::at(text, 6).line, 2);
        assert_eq!(Position::at(text, 999).line, 3);
    }

    #[test]
    fn the_line_index_agrees_with_position() {
        let text = "ab\ncdé\n\nf\n";
        let index = LineIndex::new(text);
        for offset in 0..text.len() + 3 {
            assert_eq!(
                index.line(offset),
                Position::at(text, offset).line,
                "{offset}"
            );
        }
        assert_eq!(LineIndex::new("").line(0), 1);
    }

    #[test]
    fn problems_display_names_source_line_and_field() {
        let p = Problems {
            source: "fw.toml".into(),
            problems: vec![Problem::new(Some(7), "stage[x].rubric", "missing score 4")],
        };
        assert_eq!(
            p.to_string(),
            "fw.toml has 1 problem\n  fw.toml:7: stage[x].rubric: missing score 4"
        );
    }
}
