//! What a use case answers when it does not do what was asked. Each edge maps
//! these to its own terms in one place: the web to status codes, the CLI to exit
//! codes.

use multiplier_store::StoreError;
use serde::Serialize;

/// One field's problem in what was asked, named by the field's path as the JSON
/// API spells it (`scores.technical-depth`, `rationale`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

impl FieldProblem {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldProblem {
            field: field.into(),
            message: message.into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The thing does not exist, or the actor may not know it exists (an
    /// interviewer asking for a candidate they are not assigned to gets this,
    /// exactly as for a missing one).
    #[error("{0}")]
    NotFound(String),
    /// The actor may see the thing but may not do this to it.
    #[error("{0}")]
    Forbidden(String),
    /// The request is well formed but the state forbids it now (already
    /// submitted, nothing to amend, already resolved).
    #[error("{0}")]
    Conflict(String),
    /// What was asked breaks the rules, with one problem per field.
    #[error("{what} has {} problem(s): {}", .problems.len(), summary(.problems))]
    Invalid {
        what: String,
        problems: Vec<FieldProblem>,
    },
    /// A fault of the server (the database), never the actor's.
    #[error(transparent)]
    Store(StoreError),
    /// Another fault of the server, with what failed.
    #[error("{0}")]
    Internal(String),
}

fn summary(problems: &[FieldProblem]) -> String {
    problems
        .iter()
        .map(|p| format!("{}: {}", p.field, p.message))
        .collect::<Vec<_>>()
        .join("; ")
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound { what, id } => {
                AppError::NotFound(format!("there is no {what} {id}"))
            }
            StoreError::Refused(message) => AppError::Conflict(message),
            other => AppError::Store(other),
        }
    }
}

impl AppError {
    /// Invalid with every problem, or `Ok` when there is none.
    pub fn check(what: &str, problems: Vec<FieldProblem>) -> AppResult<()> {
        if problems.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid {
                what: what.to_string(),
                problems,
            })
        }
    }

    /// Invalid for one field.
    pub fn field(what: &str, field: &str, message: impl Into<String>) -> AppError {
        AppError::Invalid {
            what: what.to_string(),
            problems: vec![FieldProblem::new(field, message)],
        }
    }

    /// The per-field problems of an `Invalid` error (empty otherwise).
    pub fn problems(&self) -> &[FieldProblem] {
        match self {
            AppError::Invalid { problems, .. } => problems,
            _ => &[],
        }
    }

    /// A server fault, whose detail belongs in a log and not in front of the actor.
    pub fn is_internal(&self) -> bool {
        matches!(self, AppError::Store(_) | AppError::Internal(_))
    }
}

pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_refusals_become_conflicts_and_missing_rows_not_found() {
        let e: AppError = StoreError::Refused("already".into()).into();
        assert!(matches!(e, AppError::Conflict(ref m) if m == "already"));
        let e: AppError = StoreError::NotFound {
            what: "candidate",
            id: "7".into(),
        }
        .into();
        assert_eq!(e.to_string(), "there is no candidate 7");
        assert!(!e.is_internal());
    }

    #[test]
    fn check_passes_without_problems_and_lists_them_otherwise() {
        assert!(AppError::check("the card", Vec::new()).is_ok());
        let e = AppError::check(
            "the card",
            vec![
                FieldProblem::new("stage", "unknown"),
                FieldProblem::new("rationale", "empty"),
            ],
        )
        .expect_err("two problems");
        assert_eq!(e.problems().len(), 2);
        assert!(e.to_string().contains("stage: unknown; rationale: empty"));
    }
}
