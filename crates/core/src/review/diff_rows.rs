//! A unified diff as rows to display, file by file and hunk by hunk, each row with
//! its old and new line numbers — what a reviewer reads and clicks on. ([`super::diff`]
//! keeps only the new-side lines the grader needs.)

use super::diff::{Diff, DiffError, FileStatus, patches};
use diffy::Line;
use serde::Serialize;

/// What a row of the diff is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RowKind {
    /// Unchanged, shown for context.
    Context,
    /// Added by the change.
    Added,
    /// Removed by the change.
    Removed,
}

/// One displayed line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    pub kind: RowKind,
    /// Its number before the change (none for an added line).
    pub old: Option<u32>,
    /// Its number after the change (none for a removed line).
    pub new: Option<u32>,
    pub text: String,
}

/// One hunk: its header (`@@ -a,b +c,d @@ context`) and rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HunkRows {
    pub header: String,
    pub rows: Vec<Row>,
}

/// One file of the diff, ready to display.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileRows {
    pub path: String,
    pub old_path: Option<String>,
    pub status: FileStatus,
    pub binary: bool,
    pub hunks: Vec<HunkRows>,
}

impl FileRows {
    /// Whether a row with this number exists on the given side (`old` true for
    /// the side before the change).
    pub fn has_line(&self, line: u32, old: bool) -> bool {
        self.hunks.iter().flat_map(|h| &h.rows).any(|r| {
            if old {
                r.kind == RowKind::Removed && r.old == Some(line)
            } else {
                r.new == Some(line)
            }
        })
    }
}

fn number(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The diff's files as rows, in the diff's order.
pub fn rows(text: &str) -> Result<Vec<FileRows>, DiffError> {
    // The same reading as [`Diff::parse`] (which also checks the text).
    let diff = Diff::parse(text)?;
    let mut out = Vec::new();
    for (item, file) in patches(text).zip(diff.files) {
        let patch = item.map_err(|e| DiffError {
            line: None,
            message: e.to_string(),
        })?;
        let mut hunks = Vec::new();
        if let Some(text_patch) = patch.patch().as_text() {
            for hunk in text_patch.hunks() {
                let (o, n) = (hunk.old_range(), hunk.new_range());
                let mut header = format!(
                    "@@ -{},{} +{},{} @@",
                    o.start(),
                    o.len(),
                    n.start(),
                    n.len()
                );
                if let Some(ctx) = hunk.function_context() {
                    header.push(' ');
                    header.push_str(ctx.trim_end());
                }
                let (mut old, mut new) = (number(o.start()), number(n.start()));
                let mut rows = Vec::new();
                for line in hunk.lines() {
                    let (kind, s) = match line {
                        Line::Context(s) => (RowKind::Context, s),
                        Line::Insert(s) => (RowKind::Added, s),
                        Line::Delete(s) => (RowKind::Removed, s),
                    };
                    let text = s.trim_end_matches(['\n', '\r']).to_string();
                    let row = Row {
                        kind,
                        old: (kind != RowKind::Added).then_some(old),
                        new: (kind != RowKind::Removed).then_some(new),
                        text,
                    };
                    if kind != RowKind::Added {
                        old = old.saturating_add(1);
                    }
                    if kind != RowKind::Removed {
                        new = new.saturating_add(1);
                    }
                    rows.push(row);
                }
                hunks.push(HunkRows { header, rows });
            }
        }
        out.push(FileRows {
            path: file.path,
            old_path: file.old_path,
            status: file.status,
            binary: file.binary,
            hunks,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIFF: &str = "\
diff --git a/app/views.py b/app/views.py
index 1111111..2222222 100644
--- a/app/views.py
+++ b/app/views.py
@@ -10,3 +10,4 @@ def index(request):
     a = 1
-    b = 2
+    b = 3
+    c = 4
     return a
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
    fn rows_carry_old_and_new_line_numbers() {
        let files = rows(DIFF).expect("parses");
        assert_eq!(files.len(), 2);
        let views = &files[0];
        assert_eq!(views.path, "app/views.py");
        assert_eq!(views.hunks.len(), 1);
        assert!(views.hunks[0].header.starts_with("@@ -10,3 +10,4 @@"));
        let numbers: Vec<(RowKind, Option<u32>, Option<u32>)> = views.hunks[0]
            .rows
            .iter()
            .map(|r| (r.kind, r.old, r.new))
            .collect();
        assert_eq!(
            numbers,
            [
                (RowKind::Context, Some(10), Some(10)),
                (RowKind::Removed, Some(11), None),
                (RowKind::Added, None, Some(11)),
                (RowKind::Added, None, Some(12)),
                (RowKind::Context, Some(12), Some(13)),
            ]
        );
        assert_eq!(views.hunks[0].rows[2].text, "    b = 3");
        assert!(views.has_line(11, true) && views.has_line(13, false));
        assert!(
            !views.has_line(10, true),
            "context lines are commented on the new side"
        );
        let new = &files[1];
        assert_eq!(new.status, FileStatus::Added);
        assert_eq!(new.hunks[0].rows[0].new, Some(1));
    }

    #[test]
    fn every_builtin_exercise_renders() {
        for b in crate::review::BUILTIN {
            let ex = b.load().expect("loads");
            let files = rows(&ex.diff_text).expect("renders");
            assert_eq!(files.len(), ex.diff.files.len(), "{}", b.slug);
            assert!(files.iter().all(|f| f.binary || !f.hunks.is_empty()));
        }
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(rows("").is_err());
        assert!(rows("hello\n").is_err());
    }
}
