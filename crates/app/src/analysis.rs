//! The text analyses (linting a job description, analyzing written answers,
//! grading a review) as every door runs them: the input is checked against the
//! one cap, [`crate::limits::MAX_INPUT_BYTES`], before any work starts, and a
//! server runs the work off its async runtime through [`App::off_runtime`], a
//! bounded number at a time, so a long analysis never holds up other requests.
//!
//! The functions here are synchronous, for the command line; the `App` methods
//! wrap them for the web and the portal.

use crate::App;
use crate::error::{AppError, AppResult};
use crate::limits::check_input;
use multiplier_core::Framework;
use multiplier_core::answers::{AnswerReport, Answers, analyze};
use multiplier_core::jd::{LintReport, LintWords, lint};
use multiplier_core::review::signals::ReviewSignals;
use multiplier_core::review::submission::Review;
use multiplier_core::review::{Exercise, Grade, grade};

/// The bytes of text an analysis of `answers` reads: every answer's text.
pub fn answers_bytes(answers: &Answers) -> usize {
    answers.answers.iter().map(|a| a.text.len()).sum()
}

/// The bytes of text a grading of `review` reads: its summary and comments.
pub fn review_bytes(review: &Review) -> usize {
    review.summary.len() + review.comments.iter().map(|c| c.body.len()).sum::<usize>()
}

/// Lint a job description with the built-in word lists, within the cap.
pub fn lint_jd(text: &str) -> AppResult<LintReport> {
    check_input("the job description", "text", text.len())?;
    let words = LintWords::default_words()
        .map_err(|e| AppError::Internal(format!("the built-in lint words are invalid: {e}")))?;
    Ok(lint(text, &words))
}

/// Analyze written answers, within the cap (all answers together).
pub fn analyze_answers(answers: &Answers) -> AppResult<AnswerReport> {
    check_input("the answers", "answers", answers_bytes(answers))?;
    Ok(analyze(answers, &review_signals()?))
}

/// Grade a review of an exercise, within the cap (summary and comments together).
pub fn grade_review(
    exercise: &Exercise,
    review: &Review,
    framework: &Framework,
) -> AppResult<Grade> {
    check_input("the review", "review", review_bytes(review))?;
    Ok(grade(exercise, review, &review_signals()?, framework))
}

pub(crate) fn review_signals() -> AppResult<ReviewSignals> {
    ReviewSignals::default_signals()
        .map_err(|e| AppError::Internal(format!("the built-in review signals are invalid: {e}")))
}

/// How many analyses run at once on a server (the rest wait their turn): one
/// per core but one, and at least one, so a core is left for answering requests.
pub(crate) fn analysis_slots() -> usize {
    std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .saturating_sub(1)
        .max(1)
}

impl App {
    /// Run CPU-heavy `work` on a blocking thread, at most one per core at a
    /// time, and wait for it without holding up the async runtime.
    pub async fn off_runtime<T, F>(&self, work: F) -> AppResult<T>
    where
        F: FnOnce() -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let _slot = self
            .analyses
            .acquire()
            .await
            .map_err(|e| AppError::Internal(format!("the analysis queue is closed: {e}")))?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| AppError::Internal(format!("an analysis stopped abnormally: {e}")))?
    }

    /// [`lint_jd`], off the runtime.
    pub async fn lint_jd(&self, text: String) -> AppResult<LintReport> {
        check_input("the job description", "text", text.len())?;
        self.off_runtime(move || lint_jd(&text)).await
    }

    /// [`analyze_answers`], off the runtime.
    pub async fn analyze_answers(&self, answers: Answers) -> AppResult<AnswerReport> {
        check_input("the answers", "answers", answers_bytes(&answers))?;
        self.off_runtime(move || analyze_answers(&answers)).await
    }

    /// [`grade_review`], off the runtime.
    pub async fn grade_review(&self, exercise: Exercise, review: Review) -> AppResult<Grade> {
        check_input("the review", "review", review_bytes(&review))?;
        let framework = self.framework_arc();
        self.off_runtime(move || grade_review(&exercise, &review, &framework))
            .await
    }
}
