//! Form pieces for the staff pages: problems kept per field and shown beside it
//! (and listed at the top), the posted fields read as pairs, and a choice of 1–4
//! labelled with the rubric's anchors.
//!
//! Problems come from two places: what the page could not even read (a score
//! that is not a number, no outcome chosen), and what a use case refused
//! ([`multiplier_app::AppError::Invalid`], one [`FieldProblem`] per field, named
//! as the JSON API names it). [`Errors::place`] puts the latter beside the form
//! field each names.

use maud::{Markup, html};
use multiplier_app::FieldProblem;
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

/// Problems with a form, keyed by the field they belong to (the field's id),
/// with the field's label for the summary at the top where the message alone
/// would not say which field it is about.
#[derive(Debug, Default, Clone)]
pub struct Errors {
    messages: BTreeMap<String, Vec<String>>,
    labels: BTreeMap<String, String>,
}

impl Errors {
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.messages
            .entry(field.into())
            .or_default()
            .push(message.into());
    }

    /// Each problem a use case found, beside the form field `at` names for it
    /// (its element id, and its label for the summary; "" for none).
    pub fn place<'a>(
        &mut self,
        problems: &'a [FieldProblem],
        at: impl Fn(&'a str) -> (String, &'a str),
    ) {
        for p in problems {
            let (id, label) = at(p.field.as_str());
            if !label.is_empty() {
                self.labels.insert(id.clone(), label.to_string());
            }
            self.add(id, p.message.clone());
        }
    }

    pub fn has(&self, field: &str) -> bool {
        self.messages.contains_key(field)
    }

    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }

    /// The id of the field's message, for `aria-describedby`.
    pub fn described_by(&self, field: &str) -> Option<String> {
        self.has(field).then(|| format!("{field}-error"))
    }

    /// The messages for one field, shown beside it.
    pub fn at(&self, field: &str) -> Markup {
        html! {
            @if let Some(messages) = self.messages.get(field) {
                div.field-error id={ (field) "-error" } {
                    @for m in messages { p { (crate::layout::inline_code(m)) } }
                }
            }
        }
    }

    /// Every message, at the top of the form, each linking to its field.
    pub fn summary(&self) -> Markup {
        html! {
            @if !self.messages.is_empty() {
                div.alert role="alert" {
                    p { strong { "Nothing was saved. Please fix the following:" } }
                    ul {
                        @for (field, messages) in &self.messages {
                            @for m in messages {
                                li { a href={ "#" (field) } {
                                    @if let Some(label) = self.labels.get(field) { (label) ": " }
                                    (crate::layout::inline_code(m))
                                } }
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
