//! The code-review exercise: exercises (a pull request and its key of planted
//! issues), review submissions, and a grader that explains every point.
//!
//! - [`exercise`]: `exercise.toml`, validated with line numbers, its key checked
//!   against the diff; [`builtin`]: the exercises that ship embedded.
//! - [`diff`]: a unified diff read as the new-side lines a reviewer can comment on;
//!   [`diff_rows`]: the same diff as rows to display, with old and new line numbers.
//! - [`submission`]: a review in multiplier's JSON or GitHub's review-comments export.
//! - [`labels`]: Conventional Comments labels and the priority a reviewer expressed.
//! - [`naming`]: which planted issues a piece of prose names (a review's summary, a
//!   written-assessment question).
//! - [`teaching`]: the teaching-vs-correcting classifier (shared with the answer
//!   analyzer); [`teaching_model`]: its weights, as data.
//! - [`grader`]: issues found, prioritisation, teaching, and a 1–4 score per
//!   dimension against the code-review stage's rubric.
//! - [`signals`]: the tunable word lists and thresholds (`framework/review-signals.toml`).
//! - [`anonymize`]: scrubbing names, emails and identifiers from an imported change.

pub mod anonymize;
pub mod builtin;
pub mod diff;
pub mod diff_rows;
pub mod exercise;
pub mod grader;
pub mod import;
pub mod labels;
pub mod naming;
pub mod signals;
pub mod submission;
pub mod teaching;
pub mod teaching_model;
pub(crate) mod text;

pub use builtin::{BUILTIN, Builtin};
pub use diff::{Diff, DiffError, FileDiff, FileStatus};
pub use exercise::{Category, Exercise, ExerciseError, ExerciseSpec, Issue, Place, Severity};
pub use grader::{Grade, grade};
pub use labels::{Expressed, Label};
pub use naming::{QuestionOverlap, questions_naming};
pub use signals::{DEFAULT_SIGNALS_SOURCE, DEFAULT_SIGNALS_TOML, ReviewSignals, SignalsError};
pub use submission::{Review, ReviewComment, SubmissionFormat};
pub use teaching::{SignalHit, Teaching};
pub use teaching_model::{
    DEFAULT_TEACHING_MODEL_SOURCE, DEFAULT_TEACHING_MODEL_TOML, Provenance, TeachingModel,
};
