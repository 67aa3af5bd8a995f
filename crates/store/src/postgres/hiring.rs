//! HiringStore on PostgreSQL.

use super::PgStore;
#[allow(unused_imports)]
use super::{R, audit, commit, corrupt, decode, encode, get, missing_or, now, ts};
use crate::*;

impl HiringStore for PgStore {
    async fn add_opening(
        &self,
        _actor: &str,
        _role: RoleId,
        _title: &str,
        _manager: &str,
    ) -> Result<OpeningId, StoreError> {
        Err(super::unported("add_opening"))
    }
    async fn opening(&self, _id: OpeningId) -> Result<Option<OpeningRecord>, StoreError> {
        Err(super::unported("opening"))
    }
    async fn openings(&self) -> Result<Vec<OpeningRecord>, StoreError> {
        Err(super::unported("openings"))
    }
    async fn add_candidate(
        &self,
        _actor: &str,
        _candidate: &NewCandidate,
    ) -> Result<CandidateId, StoreError> {
        Err(super::unported("add_candidate"))
    }
    async fn edit_candidate(
        &self,
        _actor: &str,
        _id: CandidateId,
        _details: &CandidateDetails,
    ) -> Result<(), StoreError> {
        Err(super::unported("edit_candidate"))
    }
    async fn candidate(&self, _id: CandidateId) -> Result<Option<CandidateRecord>, StoreError> {
        Err(super::unported("candidate"))
    }
    async fn candidates(
        &self,
        _opening: Option<OpeningId>,
    ) -> Result<Vec<CandidateRecord>, StoreError> {
        Err(super::unported("candidates"))
    }
    async fn move_candidate(
        &self,
        _actor: &str,
        _id: CandidateId,
        _stage: &str,
    ) -> Result<(), StoreError> {
        Err(super::unported("move_candidate"))
    }
    async fn assign(
        &self,
        _actor: &str,
        _id: CandidateId,
        _stage: &str,
        _interviewer: &str,
    ) -> Result<(), StoreError> {
        Err(super::unported("assign"))
    }
    async fn assign_stages(
        &self,
        _actor: &str,
        _id: CandidateId,
        _stages: &[String],
        _interviewer: &str,
    ) -> Result<(), StoreError> {
        Err(super::unported("assign_stages"))
    }
    async fn unassign(
        &self,
        _actor: &str,
        _id: CandidateId,
        _stage: &str,
        _interviewer: &str,
    ) -> Result<(), StoreError> {
        Err(super::unported("unassign"))
    }
    async fn assignments(&self, _id: CandidateId) -> Result<Vec<Assignment>, StoreError> {
        Err(super::unported("assignments"))
    }
    async fn assignments_of(
        &self,
        _interviewer: &str,
    ) -> Result<Vec<(CandidateId, Assignment)>, StoreError> {
        Err(super::unported("assignments_of"))
    }
    async fn submit_scorecard(
        &self,
        _actor: &str,
        _id: CandidateId,
        _card: &multiplier_core::pipeline::Scorecard,
        _submission: Submission,
    ) -> Result<ScorecardRecord, StoreError> {
        Err(super::unported("submit_scorecard"))
    }
    async fn scorecards(&self, _id: CandidateId) -> Result<Vec<ScorecardRecord>, StoreError> {
        Err(super::unported("scorecards"))
    }
    async fn add_evidence(
        &self,
        _actor: &str,
        _id: CandidateId,
        _kind: &str,
        _source: &str,
        _body: &serde_json::Value,
    ) -> Result<i64, StoreError> {
        Err(super::unported("add_evidence"))
    }
    async fn evidence(&self, _id: CandidateId) -> Result<Vec<EvidenceRecord>, StoreError> {
        Err(super::unported("evidence"))
    }
    async fn add_reference(
        &self,
        _actor: &str,
        _id: CandidateId,
        _reference: &multiplier_core::pipeline::Reference,
    ) -> Result<i64, StoreError> {
        Err(super::unported("add_reference"))
    }
    async fn references(&self, _id: CandidateId) -> Result<Vec<ReferenceRecord>, StoreError> {
        Err(super::unported("references"))
    }
    async fn resolve_flag(
        &self,
        _actor: &str,
        _id: CandidateId,
        _resolution: &multiplier_core::pipeline::FlagResolution,
    ) -> Result<(), StoreError> {
        Err(super::unported("resolve_flag"))
    }
    async fn resolutions(
        &self,
        _id: CandidateId,
    ) -> Result<Vec<multiplier_core::pipeline::FlagResolution>, StoreError> {
        Err(super::unported("resolutions"))
    }
    async fn record_decision(
        &self,
        _actor: &str,
        _id: CandidateId,
        _outcome: multiplier_core::pipeline::Outcome,
        _rationale: &str,
        _meets_bar: bool,
    ) -> Result<i64, StoreError> {
        Err(super::unported("record_decision"))
    }
    async fn decisions(&self, _id: CandidateId) -> Result<Vec<DecisionRecord>, StoreError> {
        Err(super::unported("decisions"))
    }
    async fn record_offer(
        &self,
        _actor: &str,
        _id: CandidateId,
        _offer: &serde_json::Value,
    ) -> Result<i64, StoreError> {
        Err(super::unported("record_offer"))
    }
    async fn accept_offer(
        &self,
        _actor: &str,
        _id: CandidateId,
        _start: jiff::civil::Date,
    ) -> Result<(), StoreError> {
        Err(super::unported("accept_offer"))
    }
    async fn offers(&self, _id: CandidateId) -> Result<Vec<OfferRecord>, StoreError> {
        Err(super::unported("offers"))
    }
    async fn mark_step_done(
        &self,
        _actor: &str,
        _id: CandidateId,
        _step: &str,
        _note: &str,
    ) -> Result<(), StoreError> {
        Err(super::unported("mark_step_done"))
    }
    async fn steps_done(&self, _id: CandidateId) -> Result<Vec<StepDone>, StoreError> {
        Err(super::unported("steps_done"))
    }
    async fn audit(&self, _filter: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError> {
        Err(super::unported("audit"))
    }
}

pub(super) async fn insert_opening(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    actor: &str,
    role: RoleId,
    title: &str,
    manager: &str,
) -> R<OpeningId> {
    use sqlx::Row;
    let id: i64 = sqlx::query(
        "INSERT INTO openings (role_id, title, manager, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(role.0)
    .bind(title)
    .bind(manager)
    .bind(now())
    .fetch_one(&mut **tx)
    .await
    .map_err(missing_or("role", role.to_string(), "open an opening"))?
    .try_get("id")
    .map_err(corrupt("opening id"))?;
    audit(
        tx,
        actor,
        "opening.create",
        format!("opening:{id}"),
        format!("role {role}, hiring manager {manager}"),
    )
    .await?;
    Ok(OpeningId(id))
}
