//! The debrief and the decision: both signals side by side against their own
//! bars, for one candidate or a whole opening, and a person's decision recorded
//! with the policy's verdict beside it. The product explains; people decide.

use crate::actor::Account;
use crate::error::{AppError, AppResult, FieldProblem};
use crate::lists::{PageRequest, limit_of, row_sight, split_page, viewer};
use crate::openings::shaped;
use crate::{App, Sight, Subject, require_admin};
use multiplier_core::pipeline::{Debrief, DebriefLine, Outcome, Pending, debrief};
use multiplier_store::{
    CandidateId, CandidateQuery, CandidateRecord, DecisionRecord, HiringStore, ListStore,
    OpeningId, OpeningRecord, ReferenceRecord, ScorecardRecord, Store, StoreError,
};
use serde::Serialize;
use std::collections::BTreeMap;

/// One candidate's debrief, for a viewer the blind rule lets read it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DebriefView {
    pub candidate: CandidateRecord,
    pub opening: OpeningRecord,
    pub sight: Sight,
    pub debrief: Debrief,
    pub references: Vec<ReferenceRecord>,
    /// Oldest first; the last one stands.
    pub decisions: Vec<DecisionRecord>,
    /// Scorecard amendments (by record id) made after their interviewer could
    /// read colleagues' scores: no longer an independent first impression.
    pub unblinded_amendments: Vec<i64>,
    /// Every version of every scorecard, oldest first.
    pub scorecards: Vec<ScorecardRecord>,
}

/// One candidate on an opening's debrief, with the whole [`Debrief`] or, for
/// a page that shows only the figures, its [`DebriefLine`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum DebriefRow<D = Debrief> {
    Open {
        candidate: CandidateRecord,
        debrief: Box<D>,
        decision: Option<DecisionRecord>,
    },
    /// The viewer still owes a scorecard on this candidate.
    Hidden {
        candidate: CandidateRecord,
        reason: String,
    },
}

/// An opening's debrief: every candidate the viewer may see that has
/// scorecards in or has reached the debrief stage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpeningDebrief<D = Debrief> {
    pub opening: OpeningRecord,
    pub rows: Vec<DebriefRow<D>>,
    /// The cursor of the next page (`None` on the last).
    pub next: Option<String>,
}

/// What an opening's debrief carries for each candidate: the whole
/// [`Debrief`] (the API gives every rating and note) or its [`DebriefLine`]
/// (the page's table of figures). A line is read from the kept debrief's
/// JSON without building its ratings, notes and reasons, which were a quarter
/// of the page's CPU time under load (docs/performance.md).
pub trait DebriefShape: From<Debrief> + Send + Sized {
    /// The kept debriefs of `ids`, in this shape.
    fn kept(
        store: &Store,
        ids: &[CandidateId],
    ) -> impl Future<Output = Result<BTreeMap<CandidateId, Self>, StoreError>> + Send;
}

impl DebriefShape for Debrief {
    fn kept(
        store: &Store,
        ids: &[CandidateId],
    ) -> impl Future<Output = Result<BTreeMap<CandidateId, Self>, StoreError>> + Send {
        store.kept_debriefs(ids)
    }
}

impl DebriefShape for DebriefLine {
    fn kept(
        store: &Store,
        ids: &[CandidateId],
    ) -> impl Future<Output = Result<BTreeMap<CandidateId, Self>, StoreError>> + Send {
        store.kept_debrief_lines(ids)
    }
}

/// A person's decision, as asked.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionInput {
    pub outcome: Outcome,
    pub rationale: String,
    /// Recording a hire the policy does not support needs this, said explicitly.
    pub against_policy: bool,
}

/// The assigned scorecards not in yet: while any is missing, the debrief's
/// verdict is "incomplete" (the candidate page, an opening's debrief and the
/// list summaries all ask this one function).
pub(crate) fn waiting_for(
    assignments: &[multiplier_store::Assignment],
    cards: &[multiplier_core::pipeline::Scorecard],
) -> Vec<Pending> {
    assignments
        .iter()
        .filter(|a| {
            !cards
                .iter()
                .any(|c| c.stage == a.stage && c.interviewer == a.interviewer)
        })
        .map(|a| Pending {
            stage: a.stage.clone(),
            interviewer: a.interviewer.clone(),
        })
        .collect()
}

impl App {
    async fn debrief_of(&self, s: &Subject) -> AppResult<(Debrief, Vec<ReferenceRecord>)> {
        let id = s.candidate.id;
        let cards: Vec<_> = s.cards.iter().map(|r| r.card.clone()).collect();
        let references = self.store.references(id).await?;
        let plain: Vec<_> = references.iter().map(|r| r.reference.clone()).collect();
        let resolutions = self.store.resolutions(id).await?;
        let waiting = waiting_for(&s.assignments, &cards);
        Ok((
            debrief(&self.framework, &cards, &plain, &resolutions).awaiting(waiting),
            references,
        ))
    }

    /// One candidate's debrief; refused while the viewer owes a scorecard, since
    /// it shows every scorecard.
    pub async fn debrief(&self, account: &Account, id: CandidateId) -> AppResult<DebriefView> {
        let s = self.subject(account, id).await?;
        if let Some(reason) = &s.sight.blind {
            return Err(AppError::Forbidden(format!(
                "{reason}; the debrief shows every scorecard, so it opens once yours is in"
            )));
        }
        self.debrief_view(s).await
    }

    async fn debrief_view(&self, s: Subject) -> AppResult<DebriefView> {
        let (debrief, references) = self.debrief_of(&s).await?;
        let decisions = self.store.decisions(s.candidate.id).await?;
        let unblinded_amendments = crate::access::unblinded_amendments(&s.assignments, &s.cards);
        Ok(DebriefView {
            unblinded_amendments,
            scorecards: s.cards.clone(),
            candidate: shaped(s.candidate, &s.sight),
            opening: s.opening,
            sight: s.sight,
            debrief,
            references,
            decisions,
        })
    }

    /// One candidate's debrief for the person about to record a decision on it:
    /// refused, exactly as [`App::decide`] refuses, unless the account is a
    /// hiring manager who may read every scorecard. The decision form shows this
    /// when what was typed cannot even be read as a decision (no outcome chosen),
    /// so the refusal comes before any remark about the form.
    pub async fn debrief_for_decision(
        &self,
        account: &Account,
        id: CandidateId,
    ) -> AppResult<DebriefView> {
        let s = self.subject(account, id).await?;
        require_admin(account, "record a hiring decision")?;
        decision_blind(&s)?;
        self.debrief_view(s).await
    }

    /// The opening's debrief, candidate by candidate, one page at a time;
    /// a candidate the viewer still owes a scorecard on is listed without its
    /// scores. Which candidates are listed is decided in SQL (a scorecard in, or
    /// at the debrief stage or later); only the page's records are loaded.
    pub async fn opening_debrief(
        &self,
        account: &Account,
        id: OpeningId,
        page: &PageRequest,
    ) -> AppResult<OpeningDebrief> {
        self.opening_debrief_as(account, id, page).await
    }

    /// [`App::opening_debrief`] with each candidate's figures only (each
    /// signal against its bar, the blocking flags, the verdict): the same
    /// rows, the same blind rule, for a page that lists them.
    pub async fn opening_debrief_lines(
        &self,
        account: &Account,
        id: OpeningId,
        page: &PageRequest,
    ) -> AppResult<OpeningDebrief<DebriefLine>> {
        self.opening_debrief_as(account, id, page).await
    }

    async fn opening_debrief_as<D: DebriefShape>(
        &self,
        account: &Account,
        id: OpeningId,
        page: &PageRequest,
    ) -> AppResult<OpeningDebrief<D>> {
        let mut problems = Vec::new();
        let limit = limit_of(page, &mut problems);
        let after = crate::lists::after("debrief", page, &mut problems);
        AppError::check("the debrief", problems)?;
        let opening = self.opening(account, id).await?;
        self.refresh_summaries().await?;
        let stages = &self.framework.stages;
        let late: Vec<String> = match stages.iter().position(|s| s.id == "debrief") {
            Some(d) => stages[d..].iter().map(|s| s.id.clone()).collect(),
            None => Vec::new(),
        };
        let mut query = CandidateQuery::new(viewer(account), limit + 1);
        query.opening = Some(id);
        query.carded_or_at = Some(late);
        query.after = after.map(CandidateId);
        let found = self.store.candidate_page(&query).await?;
        let (found, next) = split_page("debrief", found, limit, |r| r.candidate.id.0);
        let open: Vec<CandidateId> = found
            .iter()
            .filter(|r| row_sight(account, *r).blind.is_none())
            .map(|r| r.candidate.id)
            .collect();
        // Kept beside each summary (brought up to date above); a summary
        // written to since is computed from its records here instead.
        let mut kept = D::kept(&self.store, &open).await?;
        let missing: Vec<CandidateId> = open
            .iter()
            .filter(|id| !kept.contains_key(id))
            .copied()
            .collect();
        for (id, i) in self.store.debrief_inputs(&missing).await? {
            let cards: Vec<_> = i.scorecards.into_iter().map(|r| r.card).collect();
            let plain: Vec<_> = i.references.into_iter().map(|r| r.reference).collect();
            let d = debrief(&self.framework, &cards, &plain, &i.resolutions)
                .awaiting(waiting_for(&i.assignments, &cards));
            kept.insert(id, D::from(d));
        }
        let mut decisions = self.store.decisions_of(&open).await?;
        let mut rows = Vec::new();
        for row in found {
            let sight = row_sight(account, &row);
            if !sight.sees_candidate() {
                continue;
            }
            let id = row.candidate.id;
            match (sight.blind.clone(), kept.remove(&id)) {
                (None, Some(d)) => rows.push(DebriefRow::Open {
                    candidate: shaped(row.candidate, &sight),
                    debrief: Box::new(d),
                    decision: decisions.get_mut(&id).and_then(Vec::pop),
                }),
                (reason, _) => rows.push(DebriefRow::Hidden {
                    candidate: shaped(row.candidate, &sight),
                    reason: reason.unwrap_or_default(),
                }),
            }
        }
        Ok(OpeningDebrief {
            opening,
            rows,
            next,
        })
    }

    /// Record a hiring decision (hiring managers who may read every scorecard).
    /// The debrief's verdict is stored beside it; a hire against the policy is
    /// allowed when `against_policy` says so, and stays on record as such.
    pub async fn decide(
        &self,
        account: &Account,
        id: CandidateId,
        input: &DecisionInput,
    ) -> AppResult<DecisionRecord> {
        let s = self.subject(account, id).await?;
        require_admin(account, "record a hiring decision")?;
        decision_blind(&s)?;
        let rationale = input.rationale.trim();
        let (d, _) = self.debrief_of(&s).await?;
        let mut problems = Vec::new();
        if rationale.is_empty() {
            problems.push(FieldProblem::new(
                "rationale",
                "write down why, in a sentence or two: it stays with the decision",
            ));
        }
        crate::limits::limit(
            &mut problems,
            "rationale",
            rationale,
            crate::limits::MAX_TEXT_CHARS,
        );
        if input.outcome == Outcome::Hire && !d.meets_bar && !input.against_policy {
            problems.push(FieldProblem::new(
                "against_policy",
                "the policy says this candidate does not meet the bar; confirm that you record a hire anyway",
            ));
        }
        AppError::check("the decision", problems)?;
        let did = self
            .store
            .record_decision(&account.name, id, input.outcome, rationale, d.meets_bar)
            .await?;
        self.store
            .decisions(id)
            .await?
            .into_iter()
            .find(|r| r.id == did)
            .ok_or_else(|| AppError::Internal("the stored decision cannot be read back".into()))
    }
}

/// Refused while the blind rule hides any scorecard from the decider.
fn decision_blind(s: &Subject) -> AppResult<()> {
    match &s.sight.blind {
        Some(reason) => Err(AppError::Forbidden(format!(
            "{reason}; the decision rests on every scorecard"
        ))),
        None => Ok(()),
    }
}
