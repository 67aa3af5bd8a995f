//! Who may read and write what, in one place, for the pages and the JSON API alike.
//!
//! - An **admin** (hiring manager) reads and writes everything: openings, candidates,
//!   decisions, offers, onboarding, the audit log.
//! - An **interviewer** sees the openings and the candidates they are assigned to,
//!   reads a candidate's kit and evidence, submits scorecards for the stages they
//!   are assigned to (and references when assigned to the references stage), and
//!   reads other people's scorecards only under the blind rule
//!   ([`multiplier_core::pipeline::may_read_others`]).
//! - A **candidate** never signs in: the portal's private link reaches their own
//!   assessment and exercise only (see the portal module).

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{WebError, WebResult};
use multiplier_core::pipeline::{Viewer, ViewerRole, may_read_others};
use multiplier_store::{
    Assignment, CandidateId, CandidateRecord, HiringStore, OpeningId, OpeningRecord,
};

/// A candidate with their opening and assignments, loaded once per request.
#[derive(Debug, Clone)]
pub struct CandidateContext {
    pub candidate: CandidateRecord,
    pub opening: OpeningRecord,
    pub assignments: Vec<Assignment>,
}

impl CandidateContext {
    /// Stages of this candidate `name` is assigned to.
    pub fn stages_of(&self, name: &str) -> Vec<&str> {
        self.assignments
            .iter()
            .filter(|a| a.interviewer == name)
            .map(|a| a.stage.as_str())
            .collect()
    }

    pub fn is_assigned(&self, name: &str, stage: &str) -> bool {
        self.assignments
            .iter()
            .any(|a| a.interviewer == name && a.stage == stage)
    }
}

/// The opening, or 404.
pub async fn opening(state: &AppState, id: OpeningId) -> WebResult<OpeningRecord> {
    state
        .store
        .opening(id)
        .await?
        .ok_or_else(|| WebError::NotFound(format!("there is no opening {id}")))
}

/// The candidate as `user` may see them, or 404 (an interviewer not assigned to
/// the candidate gets the same 404 as for a candidate that does not exist, so ids
/// cannot be probed).
pub async fn candidate(
    state: &AppState,
    user: &CurrentUser,
    id: CandidateId,
) -> WebResult<CandidateContext> {
    let missing = || WebError::NotFound(format!("there is no candidate {id}"));
    let candidate = state.store.candidate(id).await?.ok_or_else(missing)?;
    let assignments = state.store.assignments(id).await?;
    if !user.is_admin() && !assignments.iter().any(|a| a.interviewer == user.name) {
        return Err(missing());
    }
    let opening = opening(state, candidate.opening).await?;
    Ok(CandidateContext {
        candidate,
        opening,
        assignments,
    })
}

/// Whether `user` may see `candidate` in lists (board, search).
pub fn lists(user: &CurrentUser, assignments: &[Assignment]) -> bool {
    user.is_admin() || assignments.iter().any(|a| a.interviewer == user.name)
}

/// Where `user` stands on the candidate, for the blind rule. Admins are hiring
/// managers; they follow the interviewer rule on candidates they interview.
pub async fn viewer(
    state: &AppState,
    user: &CurrentUser,
    ctx: &CandidateContext,
) -> WebResult<Viewer> {
    let cards = state.store.scorecards(ctx.candidate.id).await?;
    let submitted: Vec<&str> = cards
        .iter()
        .filter(|c| c.card.interviewer == user.name)
        .map(|c| c.card.stage.as_str())
        .collect();
    let pending = ctx
        .stages_of(&user.name)
        .into_iter()
        .filter(|s| !submitted.contains(s))
        .count();
    Ok(Viewer {
        name: user.name.clone(),
        role: if user.is_admin() {
            ViewerRole::HiringManager
        } else {
            ViewerRole::Interviewer
        },
        pending,
        submitted: submitted.len(),
    })
}

/// Ok when `user` may read other people's scorecards on the candidate; the refusal
/// says why otherwise (the page shows it instead of the scorecards).
pub async fn may_read_scorecards(
    state: &AppState,
    user: &CurrentUser,
    ctx: &CandidateContext,
) -> WebResult<Result<(), String>> {
    let v = viewer(state, user, ctx).await?;
    Ok(may_read_others(&v).map_err(|r| r.to_string()))
}

/// Refuse unless `user` may write a scorecard for `stage` of this candidate.
pub fn require_scorer(user: &CurrentUser, ctx: &CandidateContext, stage: &str) -> WebResult<()> {
    if user.is_admin() || ctx.is_assigned(&user.name, stage) {
        Ok(())
    } else {
        Err(WebError::Forbidden(format!(
            "you are not assigned to the {stage} stage for this candidate"
        )))
    }
}
