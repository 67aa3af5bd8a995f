//! An exercise from a real change: the files that differ between two commits are
//! written as a git-style unified diff (`diffy` computes the hunks), and a skeleton
//! `exercise.toml` is drafted for the author to fill in with the planted issues.

use super::diff::Diff;
use diffy::DiffOptions;

/// One file of the change, before and after (`None`: absent on that side).
#[derive(Debug, Clone, Copy)]
pub struct ChangedFile<'a> {
    pub path: &'a str,
    pub before: Option<&'a [u8]>,
    pub after: Option<&'a [u8]>,
}

fn is_binary(bytes: &[u8]) -> bool {
    bytes.contains(&0) || std::str::from_utf8(bytes).is_err()
}

/// The change as a unified diff with `diff --git` headers, three lines of context.
pub fn unified_diff(files: &[ChangedFile<'_>]) -> String {
    let mut out = String::new();
    for f in files {
        let path = f.path;
        out.push_str(&format!("diff --git a/{path} b/{path}\n"));
        match (f.before, f.after) {
            (None, Some(_)) => out.push_str("new file mode 100644\n"),
            (Some(_), None) => out.push_str("deleted file mode 100644\n"),
            _ => {}
        }
        let before = f.before.unwrap_or_default();
        let after = f.after.unwrap_or_default();
        let old_name = if f.before.is_some() {
            format!("a/{path}")
        } else {
            "/dev/null".to_string()
        };
        let new_name = if f.after.is_some() {
            format!("b/{path}")
        } else {
            "/dev/null".to_string()
        };
        if is_binary(before) || is_binary(after) {
            out.push_str(&format!("Binary files {old_name} and {new_name} differ\n"));
            continue;
        }
        let (before, after) = (
            String::from_utf8_lossy(before),
            String::from_utf8_lossy(after),
        );
        let patch = DiffOptions::new()
            .set_original_filename(old_name)
            .set_modified_filename(new_name)
            .create_patch(&before, &after);
        let text = patch.to_string();
        out.push_str(&text);
        if !text.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// The language of a change, guessed from the extension most of its files share.
pub fn guess_language(paths: &[&str]) -> &'static str {
    const BY_EXTENSION: [(&str, &str); 16] = [
        ("py", "python"),
        ("go", "go"),
        ("ts", "typescript"),
        ("tsx", "typescript"),
        ("js", "javascript"),
        ("jsx", "javascript"),
        ("java", "java"),
        ("kt", "kotlin"),
        ("rb", "ruby"),
        ("rs", "rust"),
        ("php", "php"),
        ("cs", "csharp"),
        ("swift", "swift"),
        ("scala", "scala"),
        ("ex", "elixir"),
        ("sql", "sql"),
    ];
    let mut counts: Vec<(&'static str, usize)> = Vec::new();
    for path in paths {
        let Some((_, ext)) = path.rsplit_once('.') else {
            continue;
        };
        if let Some((_, lang)) = BY_EXTENSION.iter().find(|(e, _)| *e == ext) {
            match counts.iter_mut().find(|(l, _)| l == lang) {
                Some((_, n)) => *n += 1,
                None => counts.push((lang, 1)),
            }
        }
    }
    counts
        .iter()
        .max_by_key(|(_, n)| *n)
        .map_or("text", |(l, _)| l)
}

fn toml_string(value: &str) -> String {
    // A TOML basic string: escape what needs escaping.
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A skeleton `exercise.toml` for a diff: title and summary from the commit
/// messages, the language guessed, and a commented-out issue to copy, pointing at
/// the first added line so that `exercise check` shows the format working.
pub fn skeleton(diff: &Diff, diff_file: &str, messages: &[String]) -> String {
    let paths: Vec<&str> = diff.files.iter().map(|f| f.path.as_str()).collect();
    let language = guess_language(&paths);
    // Oldest first reads like the pull request's story.
    let ordered: Vec<&String> = messages.iter().rev().collect();
    let title = ordered
        .first()
        .and_then(|m| m.lines().next())
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or("A change to review");
    let summary = ordered
        .iter()
        .map(|m| m.trim())
        .filter(|m| !m.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    let summary = if summary.is_empty() {
        "Describe the pull request as its author would.".to_string()
    } else {
        summary
    };
    let first_added = diff.files.iter().find_map(|f| {
        f.lines
            .iter()
            .find(|(_, l)| l.added)
            .map(|(n, _)| (f.path.as_str(), *n))
    });
    let (file, line) = first_added.unwrap_or(("path/of/a/file", 1));
    format!(
        "# Drafted by `multiplier exercise import`. Rewrite the summary as the pull-request
# description the candidate will read, then plant the issues: one [[issue]] each,
# with the new-side lines where it lives. `multiplier exercise check DIR` checks
# every file and line against {diff_name}.
title = {title}
language = {language}
diff = {diff_file}
summary = {summary}

# [[issue]]
# id = \"example-issue\"
# title = \"What is wrong, in a few words\"
# category = \"performance\"   # security | correctness | performance | reliability | testing | maintainability | style
# severity = \"major\"         # blocker | major | minor | nit
# concepts = [\"words\", \"a reviewer\", \"would use\"]
# explain = \"Why it matters, shown to the interviewer with the grade.\"
#
# [[issue.at]]
# file = {file}
# lines = [{line}]
",
        title = toml_string(title),
        language = toml_string(language),
        diff_file = toml_string(diff_file),
        diff_name = diff_file.replace(['\n', '\r'], " "),
        summary = toml_string(&summary),
        file = toml_string(file),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::ExerciseSpec;

    #[test]
    fn the_written_diff_reads_back_with_the_same_lines() {
        let files = [
            ChangedFile {
                path: "app/a.py",
                before: Some(b"one\ntwo\nthree\n"),
                after: Some(b"one\n2\nthree\nfour\n"),
            },
            ChangedFile {
                path: "app/new.py",
                before: None,
                after: Some(b"print(1)\n"),
            },
            ChangedFile {
                path: "old.txt",
                before: Some(b"gone\n"),
                after: None,
            },
            ChangedFile {
                path: "logo.png",
                before: None,
                after: Some(&[0x89, b'P', b'N', b'G', 0, 1]),
            },
        ];
        let text = unified_diff(&files);
        let diff = Diff::parse(&text).expect("our own diff parses");
        let a = diff.file("app/a.py").expect("a.py");
        assert!(a.lines[&2].added);
        assert_eq!(a.lines[&2].text, "2");
        assert!(a.lines[&4].added);
        assert!(!a.lines[&1].added);
        let new = diff.file("app/new.py").expect("new.py");
        assert_eq!(new.ranges(), vec![[1, 1]]);
        assert!(diff.file("logo.png").is_some_and(|f| f.binary));
        assert!(text.contains("deleted file mode"));
    }

    #[test]
    fn the_skeleton_is_valid_toml_that_asks_for_issues() {
        let files = [ChangedFile {
            path: "svc/main.go",
            before: Some(b"package main\n"),
            after: Some(b"package main\n\nfunc f() {}\n"),
        }];
        let text = unified_diff(&files);
        let diff = Diff::parse(&text).expect("parses");
        let toml = skeleton(
            &diff,
            "change.diff",
            &[
                "Second \"quoted\" commit".into(),
                "Add f\n\nBody text".into(),
            ],
        );
        assert!(toml.contains("title = \"Add f\""), "{toml}");
        assert!(toml.contains("language = \"go\""));
        assert!(
            toml.contains("# file = \"svc/main.go\"\n# lines = [2]"),
            "{toml}"
        );
        let err = ExerciseSpec::parse("exercise.toml", &toml).expect_err("no issues yet");
        assert!(err.to_string().contains("at least one planted"), "{err}");
        // uncommenting the example makes a valid exercise
        let (head, example) = toml.split_once("# [[issue]]").expect("an example issue");
        let example: Vec<&str> = example
            .lines()
            .map(|l| l.strip_prefix("# ").or(l.strip_prefix('#')).unwrap_or(l))
            .collect();
        let filled = format!("{head}[[issue]]{}\n", example.join("\n"));
        let spec = ExerciseSpec::parse("exercise.toml", &filled);
        assert!(spec.is_ok(), "{filled}\n{:?}", spec.err());
    }
}
