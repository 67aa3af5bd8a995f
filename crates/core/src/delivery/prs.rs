//! Review time from pull requests: time to the first review by someone other than
//! the author, time to merge, and counts. Drafts are left out.

use super::stats::{Summary, round2};
use jiff::Timestamp;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Review {
    pub author: String,
    pub submitted: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PullRequest {
    pub number: u64,
    pub author: String,
    pub created: Timestamp,
    pub merged: Option<Timestamp>,
    pub closed: Option<Timestamp>,
    pub draft: bool,
    pub reviews: Vec<Review>,
}

/// The JSON contract of `multiplier metrics prs` (docs/metrics.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PrReport {
    /// Pull requests counted (drafts excluded).
    pub pull_requests: usize,
    pub drafts_skipped: usize,
    pub first_review_hours: Summary,
    pub merge_hours: Summary,
    pub merged: usize,
    pub open: usize,
    pub closed_unmerged: usize,
    /// Counted pull requests nobody but the author reviewed.
    pub without_review: usize,
}

pub fn pr_report(prs: &[PullRequest]) -> PrReport {
    let counted: Vec<&PullRequest> = prs.iter().filter(|p| !p.draft).collect();
    let hours =
        |from: Timestamp, to: Timestamp| round2(to.duration_since(from).as_secs_f64() / 3600.0);
    let first_review: Vec<f64> = counted
        .iter()
        .filter_map(|p| {
            p.reviews
                .iter()
                .filter(|r| r.author != p.author && r.submitted >= p.created)
                .map(|r| r.submitted)
                .min()
                .map(|t| hours(p.created, t))
        })
        .collect();
    let merge: Vec<f64> = counted
        .iter()
        .filter_map(|p| p.merged.map(|m| hours(p.created, m)))
        .collect();
    PrReport {
        pull_requests: counted.len(),
        drafts_skipped: prs.len() - counted.len(),
        without_review: counted.len() - first_review.len(),
        first_review_hours: Summary::of(&first_review),
        merge_hours: Summary::of(&merge),
        merged: counted.iter().filter(|p| p.merged.is_some()).count(),
        open: counted
            .iter()
            .filter(|p| p.merged.is_none() && p.closed.is_none())
            .count(),
        closed_unmerged: counted
            .iter()
            .filter(|p| p.merged.is_none() && p.closed.is_some())
            .count(),
    }
}
