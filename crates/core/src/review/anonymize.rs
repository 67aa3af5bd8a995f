//! Scrub an imported change before it becomes an exercise: people's names and email
//! addresses go, and identifiers that would reveal the company are replaced.
//!
//! The identifiers come from an anonymisation file (TOML):
//!
//! ```toml
//! # Whole identifiers, case-sensitive; longer ones are replaced first.
//! [replace]
//! "AcmePay" = "ShopCo"
//! "acme_ledger" = "ledger"
//!
//! # More names to drop, besides the commits' authors and committers.
//! people = ["Jane Roe"]
//! ```

use crate::source::{Problem, Problems, toml_problem};
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::LazyLock;

static EMAIL: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}").ok());

/// What replaces a person's name.
pub const NAME_PLACEHOLDER: &str = "[author]";
/// What replaces an email address.
pub const EMAIL_PLACEHOLDER: &str = "[email]";

/// The anonymisation file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnonymizeFile {
    /// Identifier → replacement.
    #[serde(default)]
    pub replace: BTreeMap<String, String>,
    /// Extra names to drop.
    #[serde(default)]
    pub people: Vec<String>,
}

impl AnonymizeFile {
    pub fn parse(source: &str, text: &str) -> Result<AnonymizeFile, Problems> {
        let fail = |problems| Problems {
            source: source.to_string(),
            problems,
        };
        let file: AnonymizeFile =
            toml::from_str(text).map_err(|e| fail(vec![toml_problem(text, &e)]))?;
        let mut problems = Vec::new();
        for (from, to) in &file.replace {
            if from.trim().is_empty() {
                problems.push(Problem::new(
                    None,
                    "replace",
                    "an identifier must not be empty",
                ));
            }
            if from == to {
                problems.push(Problem::new(
                    None,
                    format!("replace.{from}"),
                    "replaces the identifier with itself",
                ));
            }
        }
        if !problems.is_empty() {
            return Err(fail(problems));
        }
        Ok(file)
    }
}

/// What was replaced, and how often (never the original text of people's names).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Scrubbed {
    pub names: usize,
    pub emails: usize,
    /// Identifier → occurrences replaced.
    pub identifiers: BTreeMap<String, usize>,
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Replace whole occurrences of `from` (not inside a longer identifier).
fn replace_whole(text: &str, from: &str, to: &str) -> (String, usize) {
    if from.is_empty() {
        return (text.to_string(), 0);
    }
    let mut out = String::with_capacity(text.len());
    let mut count = 0;
    let mut rest = 0;
    for (i, _) in text.match_indices(from) {
        if i < rest {
            continue;
        }
        let before = text[..i].chars().next_back();
        let after = text[i + from.len()..].chars().next();
        let starts_word = from.chars().next().is_some_and(is_ident_char);
        let ends_word = from.chars().next_back().is_some_and(is_ident_char);
        if (starts_word && before.is_some_and(is_ident_char))
            || (ends_word && after.is_some_and(is_ident_char))
        {
            continue;
        }
        out.push_str(&text[rest..i]);
        out.push_str(to);
        rest = i + from.len();
        count += 1;
    }
    out.push_str(&text[rest..]);
    (out, count)
}

/// Scrub `text`: every email address, the given people's names, and the identifiers.
pub fn scrub(text: &str, people: &[String], file: &AnonymizeFile, tally: &mut Scrubbed) -> String {
    let mut out = match EMAIL.as_ref() {
        Some(re) => {
            tally.emails += re.find_iter(text).count();
            re.replace_all(text, EMAIL_PLACEHOLDER).into_owned()
        }
        None => text.to_string(),
    };
    let mut names: Vec<&String> = people
        .iter()
        .chain(&file.people)
        .filter(|n| n.trim().chars().count() > 1)
        .collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    names.dedup();
    for name in names {
        let (next, n) = replace_whole(&out, name.trim(), NAME_PLACEHOLDER);
        tally.names += n;
        out = next;
    }
    let mut ids: Vec<(&String, &String)> = file.replace.iter().collect();
    ids.sort_by_key(|(from, _)| std::cmp::Reverse(from.len()));
    for (from, to) in ids {
        let (next, n) = replace_whole(&out, from, to);
        if n > 0 {
            *tally.identifiers.entry(from.clone()).or_default() += n;
        }
        out = next;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_emails_and_whole_identifiers_are_replaced() {
        let file = AnonymizeFile::parse(
            "a.toml",
            "people = [\"Jo Bloggs\"]\n[replace]\nAcme = \"ShopCo\"\nacme_ledger = \"ledger\"\n",
        )
        .expect("valid");
        let mut tally = Scrubbed::default();
        let text = "# Written by Jane Roe <jane.roe@acme.io>, reviewed by Jo Bloggs\n\
                    from acme_ledger import Acme, AcmeClient\n";
        let out = scrub(text, &["Jane Roe".to_string()], &file, &mut tally);
        assert_eq!(
            out,
            "# Written by [author] <[email]>, reviewed by [author]\nfrom ledger import ShopCo, AcmeClient\n"
        );
        assert_eq!(tally.emails, 1);
        assert_eq!(tally.names, 2);
        assert_eq!(tally.identifiers.get("Acme"), Some(&1));
    }

    #[test]
    fn a_bad_file_names_its_line() {
        let err = AnonymizeFile::parse("a.toml", "\n[replace]\nx = 3\n").expect_err("bad");
        assert_eq!(err.problems[0].line, Some(3));
        let err = AnonymizeFile::parse("a.toml", "nope = 1").expect_err("unknown");
        assert!(err.to_string().contains("nope"));
    }
}
