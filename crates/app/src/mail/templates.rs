//! The messages' words, as data: `framework/mail.toml` (embedded), one table per
//! kind with a subject and a body; `{placeholders}` are filled in when a
//! message is written.

use crate::error::{AppError, AppResult};
use serde::Deserialize;
use std::collections::BTreeMap;

/// The templates that ship with multiplier.
pub const DEFAULT_MAIL_TOML: &str = include_str!("../../../../framework/mail.toml");

/// Every kind of message, in the order the preview shows them.
pub const KINDS: [&str; 10] = [
    "portal-link",
    "assigned",
    "interview-scheduled",
    "interview-moved",
    "interview-cancelled",
    "slots-offered",
    "reminder",
    "rejection",
    "offer",
    "outcome-reminder",
];

/// Kinds added after templates files were first written: a file without one
/// takes the built-in template, so an operator's older file keeps working.
const LATER_KINDS: [&str; 1] = ["outcome-reminder"];

/// One kind of message.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
pub struct Template {
    pub subject: String,
    pub body: String,
}

/// All templates and the reminder delay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Templates {
    pub reminder_days: i64,
    pub kinds: BTreeMap<String, Template>,
}

#[derive(Deserialize)]
struct File {
    #[serde(default = "two")]
    reminder_days: i64,
    #[serde(flatten)]
    kinds: BTreeMap<String, Template>,
}

fn two() -> i64 {
    2
}

impl Templates {
    /// Parse a templates file; every kind must be there.
    pub fn parse(text: &str) -> Result<Templates, String> {
        let mut file: File = toml::from_str(text).map_err(|e| format!("mail templates: {e}"))?;
        for kind in LATER_KINDS {
            if !file.kinds.contains_key(kind)
                && let Ok(builtin) = toml::from_str::<File>(DEFAULT_MAIL_TOML)
                && let Some(t) = builtin.kinds.get(kind)
            {
                file.kinds.insert(kind.to_string(), t.clone());
            }
        }
        for kind in KINDS {
            if !file.kinds.contains_key(kind) {
                return Err(format!("mail templates: the `[{kind}]` table is missing"));
            }
        }
        if !(0..=60).contains(&file.reminder_days) {
            return Err("mail templates: reminder_days must be from 0 to 60".into());
        }
        Ok(Templates {
            reminder_days: file.reminder_days,
            kinds: file.kinds,
        })
    }

    /// The templates that ship with multiplier.
    pub fn builtin() -> Templates {
        // The embedded file is checked by a test; fall back to nothing rather
        // than panic if it were ever broken.
        Templates::parse(DEFAULT_MAIL_TOML).unwrap_or(Templates {
            reminder_days: 2,
            kinds: BTreeMap::new(),
        })
    }

    /// `kind` with `values` filled in: (subject, body).
    pub fn render(&self, kind: &str, values: &[(&str, &str)]) -> AppResult<(String, String)> {
        let t = self
            .kinds
            .get(kind)
            .ok_or_else(|| AppError::Internal(format!("no mail template `{kind}`")))?;
        Ok((fill(&t.subject, values), fill(t.body.trim(), values)))
    }
}

/// Replace each `{key}` in `text`.
pub fn fill(text: &str, values: &[(&str, &str)]) -> String {
    let mut out = text.to_string();
    for (key, value) in values {
        out = out.replace(&format!("{{{key}}}"), value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_templates_parse_and_hold_every_kind() {
        let t = Templates::parse(DEFAULT_MAIL_TOML);
        assert!(t.is_ok(), "{t:?}");
        assert_eq!(Templates::builtin().kinds.len(), KINDS.len());
    }

    #[test]
    fn a_missing_kind_is_named() {
        let e = Templates::parse("[offer]\nsubject='x'\nbody='y'").err();
        assert!(e.is_some_and(|e| e.contains("portal-link")));
    }

    #[test]
    fn an_older_file_without_the_outcome_reminder_takes_the_built_in_one() {
        let mut older = String::new();
        for kind in KINDS.iter().filter(|k| !LATER_KINDS.contains(k)) {
            older.push_str(&format!("[{kind}]\nsubject = 's'\nbody = 'b'\n"));
        }
        let t = Templates::parse(&older).expect("parses");
        assert!(t.kinds["outcome-reminder"].subject.contains("{months}"));
        assert_eq!(t.kinds["offer"].subject, "s");
    }

    #[test]
    fn placeholders_are_filled_and_unknown_ones_stay() {
        assert_eq!(
            fill("Hi {candidate}, {nope}", &[("candidate", "Ada")]),
            "Hi Ada, {nope}"
        );
    }
}
