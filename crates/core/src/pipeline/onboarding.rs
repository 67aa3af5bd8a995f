//! The dated 90-day plan: the framework's onboarding steps laid on a start date.

use crate::framework::Framework;
use jiff::civil::Date;
use jiff::{Span, ToSpan};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanStep {
    pub id: String,
    pub phase: String,
    pub title: String,
    pub starts: Date,
    pub due: Date,
    pub tasks: Vec<String>,
    pub milestone: String,
}

fn shift(start: Date, days: i32) -> Date {
    let span: Span = i64::from(days).days();
    start.checked_add(span).unwrap_or(start)
}

/// The plan for a lead starting on `start` (day 0).
pub fn plan(framework: &Framework, start: Date) -> Vec<PlanStep> {
    framework
        .onboarding
        .steps
        .iter()
        .map(|s| PlanStep {
            id: s.id.clone(),
            phase: s.phase.clone(),
            title: s.title.clone(),
            starts: shift(start, s.start_day),
            due: shift(start, s.due_day),
            tasks: s.tasks.clone(),
            milestone: s.milestone.clone(),
        })
        .collect()
}
