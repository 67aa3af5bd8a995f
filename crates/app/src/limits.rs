//! The limits every door applies the same way, because they are checked here.
//!
//! - [`MAX_INPUT_BYTES`]: the one cap on the text handed to an analysis (a job
//!   description to lint, written answers to analyze, a review to grade), from
//!   the JSON API, the pages, the candidate portal and the command line alike.
//! - [`MAX_SHORT_CHARS`]: names, titles, e-mail addresses, reasons.
//! - [`MAX_TEXT_CHARS`]: every other text field a person fills in (notes,
//!   rationales, answers, references); the portal's own, smaller limits on
//!   comments and summaries stay in force.
//! - [`MAX_AMENDMENTS`]: amendments to one interviewer's scorecard for a stage.
//!
//! `docs/security.md` lists them; a change here is a change there.

use crate::error::{AppError, AppResult, FieldProblem};

/// The most text one analysis takes: 2 MiB of UTF-8. Larger input is refused
/// before any work starts.
pub const MAX_INPUT_BYTES: usize = 2 * 1024 * 1024;
/// Names, titles, e-mail addresses, short reasons.
pub const MAX_SHORT_CHARS: usize = 200;
/// Any other text field.
pub const MAX_TEXT_CHARS: usize = 20_000;
/// A scorecard is submitted once and amended at most this many times.
pub const MAX_AMENDMENTS: u32 = 5;
/// Passwords longer than this are refused before they are hashed.
pub const MAX_PASSWORD_CHARS: usize = 1_000;

/// Refuse an analysis input over [`MAX_INPUT_BYTES`] (`bytes` long), naming
/// `field` of `what`.
pub fn check_input(what: &str, field: &str, bytes: usize) -> AppResult<()> {
    if bytes > MAX_INPUT_BYTES {
        return Err(AppError::field(
            what,
            field,
            format!(
                "is {bytes} bytes; the limit is {MAX_INPUT_BYTES} bytes (2 MiB): split it or shorten it"
            ),
        ));
    }
    Ok(())
}

/// A problem when `value` has more than `max` characters.
pub(crate) fn longer_than(field: &str, value: &str, max: usize) -> Option<FieldProblem> {
    let n = value.chars().count();
    (n > max)
        .then(|| FieldProblem::new(field, format!("is {n} characters long; the limit is {max}")))
}

/// Push a problem for `value` when it is longer than `max` characters.
pub(crate) fn limit(problems: &mut Vec<FieldProblem>, field: &str, value: &str, max: usize) {
    problems.extend(longer_than(field, value, max));
}

/// Every string inside `value` (a JSON-shaped input) against
/// [`MAX_TEXT_CHARS`], or [`MAX_SHORT_CHARS`] for the keys named in `short`;
/// problems name the path (`answers.team-size`, `comments[2].body`).
pub(crate) fn walk(
    problems: &mut Vec<FieldProblem>,
    path: &str,
    value: &serde_json::Value,
    short: &[&str],
) {
    use serde_json::Value;
    match value {
        Value::String(s) => {
            let key = path.rsplit(['.', '[']).next().unwrap_or(path);
            let max = if short.contains(&key) {
                MAX_SHORT_CHARS
            } else {
                MAX_TEXT_CHARS
            };
            limit(problems, path, s, max);
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                walk(problems, &format!("{path}[{i}]"), v, short);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                walk(problems, &p, v, short);
            }
        }
        _ => {}
    }
}

/// [`walk`] over any serialisable input.
pub(crate) fn walk_value<T: serde::Serialize>(
    problems: &mut Vec<FieldProblem>,
    value: &T,
    short: &[&str],
) -> AppResult<()> {
    let v = serde_json::to_value(value)
        .map_err(|e| AppError::Internal(format!("cannot read the input's fields: {e}")))?;
    walk(problems, "", &v, short);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_input_cap_refuses_one_byte_over_and_names_the_field() {
        assert!(check_input("the job description", "text", MAX_INPUT_BYTES).is_ok());
        let e = check_input("the job description", "text", MAX_INPUT_BYTES + 1)
            .expect_err("over the cap");
        assert_eq!(e.problems()[0].field, "text");
        assert!(e.problems()[0].message.contains("2097152 bytes"));
    }

    #[test]
    fn walking_an_input_checks_every_string_by_its_path() {
        let mut p = Vec::new();
        let long = "x".repeat(MAX_TEXT_CHARS + 1);
        let name = "n".repeat(MAX_SHORT_CHARS + 1);
        walk(
            &mut p,
            "",
            &json!({"name": name, "notes": [ "ok", long ], "deep": {"fine": "y"}}),
            &["name"],
        );
        let fields: Vec<&str> = p.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["name", "notes[1]"]);
    }

    #[test]
    fn characters_are_counted_not_bytes() {
        let accented = "é".repeat(MAX_SHORT_CHARS);
        assert!(longer_than("name", &accented, MAX_SHORT_CHARS).is_none());
    }
}
