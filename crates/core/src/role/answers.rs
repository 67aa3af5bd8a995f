//! Parse a role file's answers against the framework's intake questions.

use crate::framework::{AnswerKind, Framework, Question, q};
use crate::score::Percent;
use crate::source::{Position, Problem, Problems, toml_problem};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use toml::{Spanned, Value};

/// A role file that could not be read: every problem, with line and field.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct RoleError(pub Problems);

/// Free-text facts about the team, used by the job-description writer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleContext {
    /// The team's name or area, e.g. "Payments backend".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// The product in a sentence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    /// Languages, frameworks, data stores.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stack: Option<String>,
    /// Users, requests, data volume.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<String>,
    /// The hiring company's name, for the job description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    /// Where the work happens, e.g. "Berlin or remote within the EU".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// The compensation region id (`[[compensation.region]]`) whose band the
    /// job description states for the suggested level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// One validated answer. Serialises to the value a role file holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Answer {
    Percent(Percent),
    YesNo(bool),
    Choice(String),
    MultiChoice(Vec<String>),
    TeamMix(BTreeMap<String, u32>),
    Text(String),
}

impl Answer {
    /// The answer as a person would read it, with choice labels.
    pub fn describe(&self, question: Option<&Question>) -> String {
        let label = |id: &String| {
            question
                .and_then(|q| q.choice(id))
                .map_or_else(|| id.clone(), |c| c.label.clone())
        };
        match self {
            Answer::Percent(p) => p.to_string(),
            Answer::YesNo(b) => if *b { "yes" } else { "no" }.to_string(),
            Answer::Choice(c) => label(c),
            Answer::MultiChoice(cs) if cs.is_empty() => "none".to_string(),
            Answer::MultiChoice(cs) => cs.iter().map(label).collect::<Vec<_>>().join(", "),
            Answer::TeamMix(counts) => {
                let total: u32 = counts.values().sum();
                // Levels in the framework's order (most senior first), then any others.
                let mut levels: Vec<&String> = question
                    .map(|q| {
                        q.choices
                            .iter()
                            .map(|c| &c.id)
                            .filter(|id| counts.contains_key(*id))
                            .collect()
                    })
                    .unwrap_or_default();
                levels.extend(
                    counts
                        .keys()
                        .filter(|k| !levels.contains(k))
                        .collect::<Vec<_>>(),
                );
                let parts: Vec<String> = levels
                    .into_iter()
                    .filter_map(|id| {
                        counts
                            .get(id)
                            .filter(|n| **n > 0)
                            .map(|n| format!("{n} {id}"))
                    })
                    .collect();
                if parts.is_empty() {
                    "0 engineers".to_string()
                } else {
                    format!("{total} engineers ({})", parts.join(", "))
                }
            }
            Answer::Text(t) => t.clone(),
        }
    }
}

/// The team behind a team-mix answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Team {
    pub total: u32,
    /// Engineers at levels the framework marks as senior.
    pub seniors: u32,
}

/// The answers the intake rules read, typed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Facts {
    pub coding_share: Percent,
    pub team: Team,
    pub performance_reviews: bool,
    pub architecture: String,
    pub mandate: String,
    pub main_challenge: String,
    pub runs_sprint_planning: bool,
    pub runs_architecture_review: bool,
    pub reports_to: String,
}

/// A role: its title, context and validated answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Role {
    pub title: String,
    #[serde(skip_serializing_if = "context_is_empty")]
    pub context: RoleContext,
    pub answers: BTreeMap<String, Answer>,
    #[serde(skip)]
    pub facts: Facts,
}

fn context_is_empty(c: &RoleContext) -> bool {
    *c == RoleContext::default()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRole {
    title: Spanned<String>,
    #[serde(default)]
    context: RoleContext,
    answers: Spanned<BTreeMap<String, Spanned<Value>>>,
}

impl Role {
    /// Parse a role file's text. `source` names it in messages.
    pub fn parse(framework: &Framework, source: &str, text: &str) -> Result<Role, RoleError> {
        let fail = |problems| {
            RoleError(Problems {
                source: source.to_string(),
                problems,
            })
        };
        let raw: RawRole = toml::from_str(text).map_err(|e| fail(vec![toml_problem(text, &e)]))?;
        let mut problems = Vec::new();
        let line = |span: std::ops::Range<usize>| Some(Position::at(text, span.start).line);

        let title = raw.title.get_ref().trim().to_string();
        if title.is_empty() {
            problems.push(Problem::new(
                line(raw.title.span()),
                "title",
                "must not be empty",
            ));
        }
        let answers_line = line(raw.answers.span());
        let given = raw.answers.into_inner();
        let mut answers = BTreeMap::new();
        for (id, value) in &given {
            let at = line(value.span());
            match framework.question(id) {
                None => problems.push(Problem::new(
                    at,
                    format!("answers.{id}"),
                    format!(
                        "is not a question of this framework (questions: {})",
                        framework
                            .intake
                            .questions
                            .iter()
                            .map(|q| q.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )),
                Some(question) => match parse_answer(question, value.get_ref()) {
                    Ok(answer) => {
                        answers.insert(id.clone(), answer);
                    }
                    Err(message) => {
                        problems.push(Problem::new(at, format!("answers.{id}"), message))
                    }
                },
            }
        }
        for question in &framework.intake.questions {
            if !given.contains_key(&question.id) {
                problems.push(Problem::new(
                    answers_line,
                    format!("answers.{}", question.id),
                    format!("is missing: {}", question.prompt),
                ));
            }
        }
        if !problems.is_empty() {
            return Err(fail(problems));
        }
        let facts = facts(framework, &answers)
            .map_err(|m| fail(vec![Problem::new(answers_line, "answers", m)]))?;
        Ok(Role {
            title,
            context: raw.context,
            answers,
            facts,
        })
    }

    /// The role as a role file (parses back to the same role).
    pub fn to_toml(&self) -> Result<String, toml::ser::Error> {
        toml::to_string(self)
    }
}

fn parse_answer(question: &Question, value: &Value) -> Result<Answer, String> {
    let allowed = || {
        question
            .choices
            .iter()
            .map(|c| format!("`{}`", c.id))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let known = |id: &str| -> Result<String, String> {
        if question.choice(id).is_some() {
            Ok(id.to_string())
        } else {
            Err(format!("`{id}` is not one of {}", allowed()))
        }
    };
    match (question.kind, value) {
        (AnswerKind::Percent, Value::Integer(n)) => Percent::new(*n).map(Answer::Percent),
        (AnswerKind::Percent, Value::String(s)) => parse_split(s).map(Answer::Percent),
        (AnswerKind::Percent, _) => {
            Err("expected a percentage such as 60, \"60%\" or \"60/40\"".into())
        }
        (AnswerKind::YesNo, Value::Boolean(b)) => Ok(Answer::YesNo(*b)),
        (AnswerKind::YesNo, Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "yes" | "y" | "true" => Ok(Answer::YesNo(true)),
            "no" | "n" | "false" => Ok(Answer::YesNo(false)),
            _ => Err(format!("expected yes or no, found \"{s}\"")),
        },
        (AnswerKind::YesNo, _) => Err("expected true or false".into()),
        (AnswerKind::Choice, Value::String(s)) => known(s.trim()).map(Answer::Choice),
        (AnswerKind::Choice, _) => Err(format!("expected one of {}", allowed())),
        (AnswerKind::MultiChoice, Value::Array(items)) => {
            let mut out: Vec<String> = Vec::new();
            for item in items {
                let Value::String(s) = item else {
                    return Err(format!("expected a list drawn from {}", allowed()));
                };
                let id = known(s.trim())?;
                if out.contains(&id) {
                    return Err(format!("`{id}` is listed twice"));
                }
                out.push(id);
            }
            Ok(Answer::MultiChoice(out))
        }
        (AnswerKind::MultiChoice, _) => Err(format!(
            "expected a list (possibly empty) drawn from {}",
            allowed()
        )),
        (AnswerKind::TeamMix, Value::Table(table)) => {
            let mut counts = BTreeMap::new();
            for (level, n) in table {
                known(level)?;
                let n = n
                    .as_integer()
                    .and_then(|n| u32::try_from(n).ok())
                    .filter(|n| *n <= 10_000)
                    .ok_or_else(|| {
                        format!("`{level}` needs a head count (a whole number from 0)")
                    })?;
                counts.insert(level.clone(), n);
            }
            Ok(Answer::TeamMix(counts))
        }
        (AnswerKind::TeamMix, _) => Err(format!(
            "expected a head count per level, e.g. {{ senior = 2, mid = 3 }}; levels: {}",
            allowed()
        )),
        (AnswerKind::Text, Value::String(s)) if !s.trim().is_empty() => {
            Ok(Answer::Text(s.trim().to_string()))
        }
        (AnswerKind::Text, _) => Err("expected some text".into()),
    }
}

/// "60", "60%", "60/40" (coding first; the two parts must add to 100).
pub fn parse_split(text: &str) -> Result<Percent, String> {
    let t = text.trim();
    let number = |s: &str| s.trim().trim_end_matches('%').trim().parse::<i64>().ok();
    let bad = || format!("\"{text}\" is not a coding share such as 60, \"60%\" or \"60/40\"");
    match t.split_once('/') {
        Some((coding, leading)) => {
            let (c, l) = (
                number(coding).ok_or_else(bad)?,
                number(leading).ok_or_else(bad)?,
            );
            if c.checked_add(l) != Some(100) {
                return Err(format!(
                    "\"{text}\": the two parts of a split must add up to 100"
                ));
            }
            Percent::new(c)
        }
        None => Percent::new(number(t).ok_or_else(bad)?),
    }
}

fn facts(framework: &Framework, answers: &BTreeMap<String, Answer>) -> Result<Facts, String> {
    let get = |id: &str| {
        answers
            .get(id)
            .ok_or_else(|| format!("the answer `{id}` is missing"))
    };
    let choice = |id: &str| match get(id)? {
        Answer::Choice(c) => Ok(c.clone()),
        _ => Err(format!("`{id}` must be a single choice")),
    };
    let coding_share = match get(q::CODING_SHARE)? {
        Answer::Percent(p) => *p,
        _ => return Err(format!("`{}` must be a percentage", q::CODING_SHARE)),
    };
    let team = match get(q::TEAM)? {
        Answer::TeamMix(counts) => {
            let question = framework.question(q::TEAM);
            let senior = |level: &String| {
                question
                    .and_then(|q| q.choice(level))
                    .is_some_and(|c| c.senior)
            };
            Team {
                total: counts.values().sum(),
                seniors: counts
                    .iter()
                    .filter(|(l, _)| senior(l))
                    .map(|(_, n)| n)
                    .sum(),
            }
        }
        _ => return Err(format!("`{}` must be a team mix", q::TEAM)),
    };
    let performance_reviews = match get(q::PERFORMANCE_REVIEWS)? {
        Answer::YesNo(b) => *b,
        _ => return Err(format!("`{}` must be yes or no", q::PERFORMANCE_REVIEWS)),
    };
    let rituals = match get(q::RITUALS)? {
        Answer::MultiChoice(list) => list.clone(),
        _ => return Err(format!("`{}` must be a list", q::RITUALS)),
    };
    Ok(Facts {
        coding_share,
        team,
        performance_reviews,
        architecture: choice(q::ARCHITECTURE)?,
        mandate: choice(q::MANDATE)?,
        main_challenge: choice(q::MAIN_CHALLENGE)?,
        runs_sprint_planning: rituals.iter().any(|r| r == q::SPRINT_PLANNING),
        runs_architecture_review: rituals.iter().any(|r| r == q::ARCHITECTURE_REVIEW),
        reports_to: choice(q::REPORTS_TO)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_accepts_plain_percent_and_coding_first_pairs() {
        assert_eq!(parse_split("60").map(Percent::get), Ok(60));
        assert_eq!(parse_split(" 70% ").map(Percent::get), Ok(70));
        assert_eq!(parse_split("70/30").map(Percent::get), Ok(70));
        assert_eq!(parse_split("30% / 70%").map(Percent::get), Ok(30));
        assert!(parse_split("70/40").is_err());
        assert!(parse_split("lots").is_err());
        assert!(parse_split("140").is_err());
        assert!(parse_split("9223372036854775807/1").is_err(), "no overflow");
    }
}
