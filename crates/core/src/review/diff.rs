//! A unified diff, read for what a reviewer can comment on: for each file, the
//! new-side lines the diff shows (added and context lines), with their text.
//!
//! Parsing is `diffy`'s multi-file patch parser (git's extended headers, renames,
//! new and deleted files, binary markers); this module only turns its hunks into
//! line numbers and names the line of a parse error.

use crate::source::Position;
use diffy::patch_set::{FileOperation, ParseOptions, PatchSet};
use diffy::{Line, Patch};
use serde::Serialize;
use std::collections::BTreeMap;

/// What happened to a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileStatus {
    Added,
    Deleted,
    Modified,
    Renamed,
    Copied,
}

/// One new-side line shown by the diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffLine {
    pub text: String,
    /// Added by the change (`+`), as opposed to unchanged context.
    pub added: bool,
}

/// One file of the diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileDiff {
    /// The path after the change (for a deleted file, the path it had).
    pub path: String,
    /// The path before, when it differs (renames and copies).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_path: Option<String>,
    pub status: FileStatus,
    pub binary: bool,
    /// New-side line number → the line, for every line the hunks show.
    #[serde(skip)]
    pub lines: BTreeMap<u32, DiffLine>,
    pub added: usize,
    pub removed: usize,
}

impl FileDiff {
    /// Whether a reviewer can comment on this new-side line.
    pub fn has_line(&self, line: u32) -> bool {
        self.lines.contains_key(&line)
    }

    /// The new-side line ranges the hunks show, as `[first, last]` pairs.
    pub fn ranges(&self) -> Vec<[u32; 2]> {
        let mut out: Vec<[u32; 2]> = Vec::new();
        for &n in self.lines.keys() {
            match out.last_mut() {
                Some(last) if last[1] + 1 == n => last[1] = n,
                _ => out.push([n, n]),
            }
        }
        out
    }
}

/// A parsed diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diff {
    pub files: Vec<FileDiff>,
}

/// A diff that cannot be read, with the line where reading stopped when known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct DiffError {
    pub line: Option<usize>,
    pub message: String,
}

impl Diff {
    pub fn parse(text: &str) -> Result<Diff, DiffError> {
        if text.trim().is_empty() {
            return Err(DiffError {
                line: None,
                message: "the diff is empty".to_string(),
            });
        }
        let mut files = Vec::new();
        for item in patches(text) {
            let patch = item.map_err(|e| {
                let message = e.to_string();
                DiffError {
                    line: byte_in_message(&message).map(|b| Position::at(text, b).line),
                    message: tidy(&message),
                }
            })?;
            let (path, old_path, status) = paths(patch.operation());
            let mut file = FileDiff {
                path,
                old_path,
                status,
                binary: patch.patch().is_binary(),
                lines: BTreeMap::new(),
                added: 0,
                removed: 0,
            };
            if let Some(text_patch) = patch.patch().as_text() {
                read_hunks(&mut file, text_patch);
            }
            files.push(file);
        }
        Ok(Diff { files })
    }

    pub fn file(&self, path: &str) -> Option<&FileDiff> {
        self.files.iter().find(|f| f.path == path)
    }
}

fn read_hunks(file: &mut FileDiff, patch: &Patch<'_, str>) {
    for hunk in patch.hunks() {
        let mut n = u32::try_from(hunk.new_range().start()).unwrap_or(u32::MAX);
        for line in hunk.lines() {
            match line {
                Line::Context(s) | Line::Insert(s) => {
                    let added = matches!(line, Line::Insert(_));
                    if added {
                        file.added += 1;
                    }
                    file.lines.insert(
                        n,
                        DiffLine {
                            text: s.trim_end_matches(['\n', '\r']).to_string(),
                            added,
                        },
                    );
                    n = n.saturating_add(1);
                }
                Line::Delete(_) => file.removed += 1,
            }
        }
    }
}

/// Strip git's `a/` and `b/` prefixes.
fn strip(path: &str, prefix: &str) -> String {
    path.strip_prefix(prefix).unwrap_or(path).to_string()
}

fn paths(op: &FileOperation<'_, str>) -> (String, Option<String>, FileStatus) {
    match op {
        FileOperation::Create(p) => (strip(p, "b/"), None, FileStatus::Added),
        FileOperation::Delete(p) => (strip(p, "a/"), None, FileStatus::Deleted),
        FileOperation::Modify { original, modified } => {
            let (old, new) = (strip(original, "a/"), strip(modified, "b/"));
            if old == new {
                (new, None, FileStatus::Modified)
            } else {
                (new, Some(old), FileStatus::Renamed)
            }
        }
        FileOperation::Rename { from, to } => (
            strip(to, "b/"),
            Some(strip(from, "a/")),
            FileStatus::Renamed,
        ),
        FileOperation::Copy { from, to } => {
            (strip(to, "b/"), Some(strip(from, "a/")), FileStatus::Copied)
        }
    }
}

/// diffy reports "... at byte N: ..." in its messages and keeps the span private.
fn byte_in_message(message: &str) -> Option<usize> {
    let rest = message.split("at byte ").nth(1)?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// diffy's reading of `text`, file by file: git's extended format when the text
/// has `diff --git` headers, a plain unified diff (`---`/`+++` only) otherwise.
pub(super) fn patches(text: &str) -> PatchSet<'_, str> {
    let options = if text.lines().any(|l| l.starts_with("diff --git ")) {
        ParseOptions::gitdiff()
    } else {
        ParseOptions::unidiff()
    };
    PatchSet::parse(text, options)
}

/// The message without its byte offset (the caller reports the line instead).
fn tidy(message: &str) -> String {
    match message.split_once(": ") {
        Some((head, rest)) if head.contains("at byte") => rest.to_string(),
        _ => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO_FILES: &str = "\
diff --git a/app/views.py b/app/views.py
index 1111111..2222222 100644
--- a/app/views.py
+++ b/app/views.py
@@ -10,3 +10,5 @@ def index(request):
     a = 1
-    b = 2
+    b = 3
+    c = 4
+    d = 5
     return a
@@ -40,2 +42,3 @@ def other():
     x = 1
+    y = 2
     return x
diff --git a/docs/new.md b/docs/new.md
new file mode 100644
index 0000000..3333333
--- /dev/null
+++ b/docs/new.md
@@ -0,0 +1,2 @@
+# New
+text
";

    #[test]
    fn new_side_lines_are_numbered_from_the_hunk_headers() {
        let diff = Diff::parse(TWO_FILES).expect("parses");
        assert_eq!(diff.files.len(), 2);
        let views = diff.file("app/views.py").expect("file");
        assert_eq!(views.status, FileStatus::Modified);
        assert_eq!(views.ranges(), vec![[10, 14], [42, 44]]);
        assert!(views.lines[&11].added);
        assert_eq!(views.lines[&11].text, "    b = 3");
        assert!(!views.lines[&10].added);
        assert!(!views.has_line(15));
        assert_eq!((views.added, views.removed), (4, 1));
        let new = diff.file("docs/new.md").expect("file");
        assert_eq!(new.status, FileStatus::Added);
        assert_eq!(new.ranges(), vec![[1, 2]]);
    }

    #[test]
    fn a_plain_unified_diff_without_git_headers_parses() {
        let text = "--- a.txt\n+++ a.txt\n@@ -1 +1 @@\n-old\n+new\n";
        let diff = Diff::parse(text).expect("parses");
        assert_eq!(diff.files[0].path, "a.txt");
        assert!(diff.files[0].lines[&1].added);
    }

    #[test]
    fn a_hunk_shorter_than_its_header_is_an_error_with_a_line() {
        let text = "--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a\n-b\n+c\n";
        let err = Diff::parse(text).expect_err("truncated hunk");
        assert!(!err.message.is_empty());
        assert!(err.line.is_some(), "{err:?}");
    }

    #[test]
    fn empty_and_garbage_input_are_errors_not_panics() {
        assert!(Diff::parse("").is_err());
        assert!(Diff::parse("hello\nworld\n").is_err());
        let _ = Diff::parse("@@ -1 +1 @@\n");
        let _ = Diff::parse("--- a\n+++ b\n@@ -999999999999 +999999999999 @@\n+x\n");
    }
}
