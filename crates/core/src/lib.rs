//! The multiplier domain, pure: it takes values and returns values, and never
//! touches a file, a socket or a database.
//!
//! - [`framework`]: the hiring framework as data (questions, stages, rubrics, red
//!   flags, decision policy, bands, onboarding, delivery targets), loaded from TOML
//!   and validated with line numbers.
//! - [`role`]: role intake answers, parsed against the framework's questions, and the
//!   explained guidance derived from them.
//! - [`review`]: code-review exercises, review submissions and the explainable
//!   grader; [`answers`]: the written-assessment analyzer (same teaching classifier).
//! - [`score`]: small value types shared by both (percentages, 1–4 scores).
//! - [`source`]: where a problem sits in a text (line and column).
//! - [`funnel`] and [`fairness`]: the hiring funnel, voluntary self-identification
//!   and the adverse-impact maths (selection rates, impact ratios).

pub mod answers;
pub mod delivery;
pub mod fairness;
pub mod framework;
pub mod funnel;
pub mod jd;
pub mod pipeline;
pub mod review;
pub mod role;
pub mod score;
pub mod source;

pub use framework::{Framework, FrameworkError, Signal};
pub use role::{Guidance, Role, RoleError};
