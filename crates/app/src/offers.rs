//! The offer and the onboarding plan: a band from level × region placed by the
//! coding/leading split, recorded for a candidate and accepted with a start date,
//! from which the dated 90-day plan and its milestones follow.

use crate::actor::Account;
use crate::error::{AppError, AppResult};
use crate::{App, Subject, require_admin};
use jiff::civil::Date;
use multiplier_core::pipeline::{Offer, OfferError, OfferRequest, Outcome, offer, plan};
use multiplier_store::{
    CandidateId, HiringStore, MailStore, OfferRecord, StepProgress, onboarding_progress,
    onboarding_start,
};
use serde::Serialize;

/// A candidate's dated 90-day plan with each step's progress.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OnboardingPlan {
    pub candidate: CandidateId,
    /// Day one, from the accepted offer.
    pub start: Date,
    pub steps: Vec<StepProgress>,
}

impl App {
    /// The offer calculator: nothing is stored, so it needs no account. A bad
    /// level, region or company stage is named by its field.
    pub fn quote(&self, request: &OfferRequest) -> AppResult<Offer> {
        offer(&self.framework, request).map_err(|e| {
            let field = match &e {
                OfferError::Level { .. } => "level",
                OfferError::Region { .. } | OfferError::NoBand { .. } => "region",
                OfferError::Stage { .. } => "stage",
            };
            AppError::field("the offer", field, e.to_string())
        })
    }

    /// The candidate, for a hiring manager who may see offers (not while they
    /// owe a scorecard on the candidate).
    async fn offer_subject(
        &self,
        account: &Account,
        id: CandidateId,
        what: &str,
    ) -> AppResult<Subject> {
        let s = self.subject(account, id).await?;
        require_admin(account, what)?;
        if let Some(reason) = &s.sight.blind {
            return Err(AppError::Forbidden(format!(
                "{reason}; offers follow the debrief, which opens once your scorecard is in"
            )));
        }
        Ok(s)
    }

    /// Compute and record an offer for a candidate (hiring managers).
    pub async fn record_offer(
        &self,
        account: &Account,
        id: CandidateId,
        request: &OfferRequest,
    ) -> AppResult<OfferRecord> {
        let s = self.offer_subject(account, id, "make offers").await?;
        // What was asked is checked first (422), then whether an offer may be
        // made at all (409).
        let o = self.quote(request)?;
        match self.store.decisions(id).await?.pop() {
            Some(d) if d.outcome == Outcome::Hire => {}
            Some(d) => {
                return Err(AppError::Conflict(format!(
                    "the decision on record for this candidate is {} ({} by {}); an offer needs a recorded hire decision, so record one on the debrief first",
                    d.outcome.label(),
                    d.created_at.strftime("%Y-%m-%d"),
                    d.decided_by
                )));
            }
            None => {
                return Err(AppError::Conflict(
                    "no hiring decision is recorded for this candidate; an offer needs a recorded hire decision, so record one on the debrief first".to_string(),
                ));
            }
        }
        let body = serde_json::to_value(&o)
            .map_err(|e| AppError::Internal(format!("cannot encode the offer: {e}")))?;
        let mail = self.offer_message(&s.candidate, &s.opening.title, &s.opening.manager)?;
        let oid = self
            .store
            .record_offer_mailing(&account.name, id, &body, mail.as_slice())
            .await?;
        self.offer_by_id(id, oid).await
    }

    async fn offer_by_id(&self, id: CandidateId, oid: i64) -> AppResult<OfferRecord> {
        self.store
            .offers(id)
            .await?
            .into_iter()
            .find(|o| o.id == oid)
            .ok_or_else(|| AppError::Internal("the stored offer cannot be read back".into()))
    }

    /// Mark the latest offer accepted with a start date (hiring managers).
    pub async fn accept_offer(
        &self,
        account: &Account,
        id: CandidateId,
        start: Date,
    ) -> AppResult<OfferRecord> {
        self.offer_subject(account, id, "accept offers").await?;
        let Some(latest) = self.store.offers(id).await?.pop() else {
            return Err(AppError::Conflict(format!(
                "candidate {id} has no offer to accept; record one first"
            )));
        };
        self.store.accept_offer(&account.name, id, start).await?;
        self.offer_by_id(id, latest.id).await
    }

    /// The candidate's offers, oldest first (hiring managers).
    pub async fn offers(&self, account: &Account, id: CandidateId) -> AppResult<Vec<OfferRecord>> {
        self.offer_subject(account, id, "read offers").await?;
        Ok(self.store.offers(id).await?)
    }

    /// The dated plan with what is done and overdue today (hiring managers);
    /// refused until an offer is accepted.
    pub async fn onboarding(
        &self,
        account: &Account,
        id: CandidateId,
    ) -> AppResult<OnboardingPlan> {
        self.offer_subject(account, id, "follow an onboarding plan")
            .await?;
        self.plan_of(id).await
    }

    async fn plan_of(&self, id: CandidateId) -> AppResult<OnboardingPlan> {
        let start = onboarding_start(&self.store.offers(id).await?).ok_or_else(|| {
            AppError::Conflict(format!(
                "candidate {id} has no accepted offer yet, so there is no start date to plan from"
            ))
        })?;
        let done = self.store.steps_done(id).await?;
        let today = jiff::ZonedDateTime::now().date();
        Ok(OnboardingPlan {
            candidate: id,
            start,
            steps: onboarding_progress(plan(&self.framework, start), &done, today),
        })
    }

    /// Mark an onboarding milestone done (hiring managers); answers with the plan.
    pub async fn mark_step_done(
        &self,
        account: &Account,
        id: CandidateId,
        step: &str,
        note: &str,
    ) -> AppResult<OnboardingPlan> {
        self.offer_subject(account, id, "mark onboarding steps")
            .await?;
        let step = step.trim();
        let steps = &self.framework.onboarding.steps;
        if !steps.iter().any(|s| s.id == step) {
            let ids: Vec<&str> = steps.iter().map(|s| s.id.as_str()).collect();
            return Err(AppError::NotFound(format!(
                "`{step}` is not an onboarding step; the steps are {}",
                ids.join(", ")
            )));
        }
        AppError::check(
            "the onboarding step",
            crate::limits::longer_than("note", note.trim(), crate::limits::MAX_TEXT_CHARS)
                .into_iter()
                .collect(),
        )?;
        self.plan_of(id).await?;
        self.store
            .mark_step_done(&account.name, id, step, note.trim())
            .await?;
        self.plan_of(id).await
    }
}
