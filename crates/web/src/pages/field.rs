//! Form pieces for the interview-loop pages: problems kept per field and shown
//! beside it (and listed at the top), the posted fields read as pairs, and a
//! choice of 1–4 labelled with the rubric's anchors.

use maud::{Markup, html};
use std::collections::BTreeMap;

/// A posted form as name/value pairs, so repeated names (checkboxes) survive.
pub struct Posted(pub Vec<(String, String)>);

impl Posted {
    /// The first value of `name`, trimmed ("" when absent).
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.trim())
    }

    /// Every value of `name`, trimmed, in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .collect()
    }

    /// Every (suffix, value) of names that start with `prefix`.
    pub fn with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> {
        self.0
            .iter()
            .filter_map(move |(k, v)| k.strip_prefix(prefix).map(|rest| (rest, v.as_str())))
    }
}

/// Problems with a form, keyed by the field they belong to (the field's id).
#[derive(Debug, Default, Clone)]
pub struct Errors(BTreeMap<String, Vec<String>>);

impl Errors {
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.entry(field.into()).or_default().push(message.into());
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The id of the field's message, for `aria-describedby`.
    pub fn described_by(&self, field: &str) -> Option<String> {
        self.has(field).then(|| format!("{field}-error"))
    }

    /// The messages for one field, shown beside it.
    pub fn at(&self, field: &str) -> Markup {
        html! {
            @if let Some(messages) = self.0.get(field) {
                div.field-error id={ (field) "-error" } {
                    @for m in messages { p { (m) } }
                }
            }
        }
    }

    /// Every message, at the top of the form, each linking to its field.
    pub fn summary(&self) -> Markup {
        html! {
            @if !self.0.is_empty() {
                div.alert role="alert" {
                    p { strong { "Nothing was saved. Please fix the following:" } }
                    ul {
                        @for (field, messages) in &self.0 {
                            @for m in messages {
                                li { a href={ "#" (field) } { (m) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A group of radio buttons `name` = 1..4, each labelled with its anchor, plus an
/// optional "no reading" choice with the value "".
pub fn score_choices(
    name: &str,
    legend: &str,
    anchors: &[(u8, String)],
    selected: &str,
    errors: &Errors,
    none_label: Option<&str>,
    data_note: Option<&str>,
) -> Markup {
    html! {
        fieldset.scores id=(name) aria-describedby=[errors.described_by(name)]
            data-note=[data_note] {
            legend { (legend) }
            (errors.at(name))
            @if let Some(none) = none_label {
                div.choice {
                    input type="radio" id={ (name) "-none" } name=(name) value=""
                        checked[selected.is_empty()];
                    label for={ (name) "-none" } { (none) }
                }
            }
            @for (n, anchor) in anchors {
                @let value = n.to_string();
                div.choice {
                    input type="radio" id={ (name) "-" (n) } name=(name) value=(value)
                        checked[selected == value];
                    label for={ (name) "-" (n) } { strong { (n) } " — " (anchor) }
                }
            }
        }
    }
}
