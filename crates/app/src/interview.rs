//! What interviewers record about a candidate: scorecards (blind until your own
//! is in, amended only with a reason), references, automatic evidence, and the
//! resolution of a raised red flag.

use crate::access::REFERENCES;
use crate::actor::Account;
use crate::error::{AppError, AppResult, FieldProblem};
use crate::limits::{MAX_AMENDMENTS, MAX_SHORT_CHARS, MAX_TEXT_CHARS, limit};
use crate::{App, filled, require_admin};
use multiplier_core::pipeline::{
    FlagResolution, RaisedFlag, Recommendation, Reference, Scorecard, debrief,
};
use multiplier_core::{Signal, score::Score};
use multiplier_store::{
    CandidateId, EvidenceRecord, HiringStore, ReferenceRecord, ScorecardRecord, Submission,
};
use serde::Serialize;
use std::collections::BTreeMap;

/// A scorecard as its interviewer fills it in; the interviewer is the acting
/// account and the version is the store's to assign.
#[derive(Debug, Clone, PartialEq)]
pub struct ScorecardDraft {
    pub stage: String,
    /// A 1–4 score for each signal the stage feeds.
    pub scores: BTreeMap<Signal, Score>,
    /// The evidence behind each score; required for a 1 or a 4.
    pub notes: BTreeMap<Signal, String>,
    pub red_flags: Vec<RaisedFlag>,
    pub recommendation: Recommendation,
}

/// Records the viewer may read, and how many the blind rule withholds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Visible<T> {
    pub items: Vec<T>,
    pub hidden: usize,
    /// Why the others are hidden, while they are.
    pub blind: Option<String>,
}

pub type ScorecardList = Visible<ScorecardRecord>;

/// Which of a candidate's scorecards a page lists, and in which order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ScorecardListing {
    /// Every version the viewer may read, oldest first (the API's list).
    #[default]
    EveryVersion,
    /// The latest version of each interviewer's card for each stage, newest
    /// first (the candidate's page).
    LatestNewestFirst,
}

impl ScorecardListing {
    /// The cursor kind: bound to the candidate and the listing, so a cursor of
    /// another candidate's list, or of the other listing, is refused.
    fn cursor_kind(self, id: CandidateId) -> String {
        match self {
            ScorecardListing::EveryVersion => format!("scorecards-{id}"),
            ScorecardListing::LatestNewestFirst => format!("latest-scorecards-{id}"),
        }
    }

    /// One page of `visible`, the scorecards on candidate `id` the blind rule
    /// already let the viewer read (as [`App::scorecard_page`] and
    /// [`crate::CandidateView::scorecards`] hold them), with the count it
    /// withheld and why. A page size outside 1–200 is a problem on `limit`; a
    /// cursor of another list a problem on `cursor`.
    pub fn page(
        self,
        id: CandidateId,
        visible: Vec<ScorecardRecord>,
        hidden: usize,
        blind: Option<String>,
        page: &crate::PageRequest,
    ) -> AppResult<ScorecardPage> {
        let kind = self.cursor_kind(id);
        let mut problems = Vec::new();
        let limit = crate::lists::limit_of(page, &mut problems);
        let from = crate::lists::after(&kind, page, &mut problems);
        AppError::check("the scorecards page", problems)?;
        let mut rows: Vec<ScorecardRecord> = match self {
            ScorecardListing::EveryVersion => visible
                .into_iter()
                .filter(|c| from.is_none_or(|a| c.id > a))
                .collect(),
            ScorecardListing::LatestNewestFirst => {
                multiplier_core::pipeline::latest_versions(visible, |c| &c.card)
                    .into_iter()
                    .filter(|c| from.is_none_or(|a| c.id < a))
                    .collect()
            }
        };
        match self {
            ScorecardListing::EveryVersion => rows.sort_by_key(|c| c.id),
            ScorecardListing::LatestNewestFirst => rows.sort_by_key(|c| std::cmp::Reverse(c.id)),
        }
        let (rows, next) = crate::lists::split_page(&kind, rows, limit, |c| c.id);
        Ok(ScorecardPage {
            rows,
            next,
            hidden,
            blind,
        })
    }
}

/// One page of the scorecards a viewer may read on a candidate, with how many
/// versions the blind rule withholds from the whole list and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScorecardPage {
    pub rows: Vec<ScorecardRecord>,
    /// The cursor of the next page; `None` on the last.
    pub next: Option<String>,
    /// Versions by others withheld under the blind rule (on every page).
    pub hidden: usize,
    /// Why they are withheld, while they are.
    pub blind: Option<String>,
}

impl App {
    /// Submit the acting account's scorecard for a stage it may score, or amend
    /// it with a reason. The version is assigned inside the write transaction, so
    /// two amendments at once can never get the same number.
    pub async fn submit_scorecard(
        &self,
        account: &Account,
        id: CandidateId,
        draft: &ScorecardDraft,
        amendment: Option<&str>,
    ) -> AppResult<ScorecardRecord> {
        let s = self.subject(account, id).await?;
        let stage = draft.stage.trim();
        if !s.sight.may_score(stage) {
            return Err(AppError::Forbidden(format!(
                "you are not assigned to the {stage} stage for this candidate"
            )));
        }
        let reason = filled(amendment);
        let mut problems = Vec::new();
        if let Some(r) = &reason {
            limit(&mut problems, "amendment_reason", r, MAX_TEXT_CHARS);
        }
        for (signal, note) in &draft.notes {
            limit(
                &mut problems,
                &format!("notes.{}", signal.id()),
                note,
                MAX_TEXT_CHARS,
            );
        }
        for (i, f) in draft.red_flags.iter().enumerate() {
            limit(
                &mut problems,
                &format!("red_flags[{i}].note"),
                &f.note,
                MAX_TEXT_CHARS,
            );
        }
        AppError::check("the scorecard", problems)?;
        let previous = s
            .cards
            .iter()
            .filter(|r| r.card.stage == stage && r.card.interviewer == account.name)
            .map(|r| r.card.version)
            .max();
        let submission = match (&reason, previous) {
            (None, None) => Submission::First,
            (Some(_), Some(v)) if v > MAX_AMENDMENTS => {
                return Err(AppError::Conflict(format!(
                    "your scorecard for the {stage} stage was already amended {MAX_AMENDMENTS} times, the most allowed; talk it through in the debrief instead"
                )));
            }
            (Some(_), Some(_)) => Submission::Amendment {
                at_most: MAX_AMENDMENTS,
            },
            (None, Some(_)) => {
                return Err(AppError::Conflict(format!(
                    "you already submitted a scorecard for the {stage} stage; a submitted scorecard does not change: amend it, saying why"
                )));
            }
            (Some(_), None) => {
                return Err(AppError::Conflict(format!(
                    "there is no scorecard of yours for the {stage} stage to amend; submit it first"
                )));
            }
        };
        let card = Scorecard {
            stage: stage.to_string(),
            interviewer: account.name.clone(),
            scores: draft.scores.clone(),
            notes: draft
                .notes
                .iter()
                .map(|(k, v)| (*k, v.trim().to_string()))
                .filter(|(_, v)| !v.is_empty())
                .collect(),
            red_flags: draft
                .red_flags
                .iter()
                .map(|f| RaisedFlag {
                    id: f.id.trim().to_string(),
                    note: f.note.trim().to_string(),
                })
                .collect(),
            recommendation: draft.recommendation,
            // Validated as the kind of version it will be; the store numbers it.
            version: previous.map_or(1, |v| v + 1),
            amendment_reason: reason,
        };
        let problems = card
            .problems(&self.framework)
            .into_iter()
            .map(|p| FieldProblem::new(p.field, p.message))
            .collect();
        AppError::check("the scorecard", problems)?;
        Ok(self
            .store
            .submit_scorecard(&account.name, id, &card, submission)
            .await?)
    }

    /// The scorecards on a candidate the viewer may read: their own, and the
    /// others' once the blind rule allows.
    pub async fn scorecards(&self, account: &Account, id: CandidateId) -> AppResult<ScorecardList> {
        let s = self.subject(account, id).await?;
        let (items, hidden): (Vec<_>, Vec<_>) =
            s.cards.into_iter().partition(|c| s.sight.sees_scorecard(c));
        Ok(Visible {
            items,
            hidden: hidden.len(),
            blind: s.sight.blind,
        })
    }

    /// One page of the scorecards on a candidate the viewer may read. The blind
    /// rule decides which cards are readable exactly as [`App::scorecards`]
    /// does, before any paging, so no page and no cursor can reach a card it
    /// withholds; the pages are keyset on the scorecard id. A page size outside
    /// 1–200 is a problem on `limit`; a cursor of another list (another
    /// candidate's, the other listing's) a problem on `cursor`.
    pub async fn scorecard_page(
        &self,
        account: &Account,
        id: CandidateId,
        listing: ScorecardListing,
        page: &crate::PageRequest,
    ) -> AppResult<ScorecardPage> {
        let s = self.subject(account, id).await?;
        let (visible, hidden): (Vec<_>, Vec<_>) =
            s.cards.into_iter().partition(|c| s.sight.sees_scorecard(c));
        listing.page(id, visible, hidden.len(), s.sight.blind, page)
    }

    /// Record a structured reference (whoever takes the reference calls, or a
    /// hiring manager).
    pub async fn add_reference(
        &self,
        account: &Account,
        id: CandidateId,
        reference: &Reference,
    ) -> AppResult<ReferenceRecord> {
        let s = self.subject(account, id).await?;
        if !s.sight.may_record_references() {
            return Err(AppError::Forbidden(format!(
                "you are not assigned to the {REFERENCES} stage for this candidate"
            )));
        }
        let mut problems = Vec::new();
        for (field, v) in [
            ("name", &reference.name),
            ("relationship", &reference.relationship),
            ("answer", &reference.answer),
        ] {
            if v.trim().is_empty() {
                problems.push(FieldProblem::new(field, "must not be empty"));
            }
        }
        limit(&mut problems, "name", &reference.name, MAX_SHORT_CHARS);
        limit(
            &mut problems,
            "relationship",
            &reference.relationship,
            MAX_SHORT_CHARS,
        );
        limit(&mut problems, "answer", &reference.answer, MAX_TEXT_CHARS);
        limit(&mut problems, "example", &reference.example, MAX_TEXT_CHARS);
        let feeds = self
            .framework
            .stage(REFERENCES)
            .map(|s| s.signals.clone())
            .unwrap_or_default();
        for signal in reference.scores.keys().filter(|s| !feeds.contains(s)) {
            problems.push(FieldProblem::new(
                format!("scores.{}", signal.id()),
                "the references stage does not feed this signal",
            ));
        }
        AppError::check("the reference", problems)?;
        let clean = Reference {
            kind: reference.kind,
            name: reference.name.trim().to_string(),
            relationship: reference.relationship.trim().to_string(),
            answer: reference.answer.trim().to_string(),
            example: reference.example.trim().to_string(),
            scores: reference.scores.clone(),
        };
        let rid = self.store.add_reference(&account.name, id, &clean).await?;
        self.store
            .references(id)
            .await?
            .into_iter()
            .find(|r| r.id == rid)
            .ok_or_else(|| AppError::Internal("the stored reference cannot be read back".into()))
    }

    /// The references the viewer may read: all once the blind rule allows, the
    /// ones they recorded themselves before that.
    pub async fn references(
        &self,
        account: &Account,
        id: CandidateId,
    ) -> AppResult<Visible<ReferenceRecord>> {
        let s = self.subject(account, id).await?;
        let (items, hidden): (Vec<_>, Vec<_>) = self
            .store
            .references(id)
            .await?
            .into_iter()
            .partition(|r| s.sight.sees_reference(r));
        Ok(Visible {
            items,
            hidden: hidden.len(),
            blind: s.sight.blind,
        })
    }

    /// Attach a tool's output (a code-review grade, assessment flags) to a
    /// candidate as evidence, with where it came from (hiring managers).
    pub async fn attach_evidence(
        &self,
        account: &Account,
        id: CandidateId,
        kind: &str,
        source: &str,
        body: &serde_json::Value,
    ) -> AppResult<EvidenceRecord> {
        self.subject(account, id).await?;
        require_admin(account, "attach evidence")?;
        let kind = kind.trim();
        if kind.is_empty() {
            return Err(AppError::field(
                "the evidence",
                "kind",
                "say what it is, e.g. code-review-grade or assessment-flags",
            ));
        }
        let mut problems = Vec::new();
        limit(&mut problems, "kind", kind, MAX_SHORT_CHARS);
        limit(&mut problems, "source", source.trim(), MAX_SHORT_CHARS);
        AppError::check("the evidence", problems)?;
        crate::limits::check_input("the evidence", "body", body.to_string().len())?;
        let eid = self
            .store
            .add_evidence(&account.name, id, kind, source.trim(), body)
            .await?;
        self.store
            .evidence(id)
            .await?
            .into_iter()
            .find(|e| e.id == eid)
            .ok_or_else(|| AppError::Internal("the stored evidence cannot be read back".into()))
    }

    /// Resolve a raised red flag with the evidence that settles it (hiring
    /// managers who may read the scorecards that raised it).
    pub async fn resolve_flag(
        &self,
        account: &Account,
        id: CandidateId,
        flag: &str,
        note: &str,
    ) -> AppResult<FlagResolution> {
        let s = self.subject(account, id).await?;
        require_admin(account, "resolve a red flag")?;
        if let Some(reason) = &s.sight.blind {
            return Err(AppError::Forbidden(format!(
                "{reason}; a red flag is resolved by someone who has read the scorecards that raised it"
            )));
        }
        let flag = flag.trim();
        let note = note.trim();
        let cards: Vec<Scorecard> = s.cards.iter().map(|r| r.card.clone()).collect();
        let resolutions = self.store.resolutions(id).await?;
        let d = debrief(&self.framework, &cards, &[], &resolutions);
        let Some(raised) = d.red_flags.iter().find(|f| f.id == flag) else {
            let message = if self.framework.red_flag(flag).is_none() {
                format!("`{flag}` is not a red flag of the framework")
            } else {
                format!("nobody raised the red flag `{flag}` on this candidate")
            };
            return Err(AppError::field("the resolution", "flag", message));
        };
        if raised.resolution.is_some() {
            return Err(AppError::Conflict(format!(
                "the red flag `{flag}` is already resolved"
            )));
        }
        if note.is_empty() {
            return Err(AppError::field(
                "the resolution",
                "note",
                "say what evidence settles this flag (who said or showed what)",
            ));
        }
        AppError::check(
            "the resolution",
            crate::limits::longer_than("note", note, MAX_TEXT_CHARS)
                .into_iter()
                .collect(),
        )?;
        let resolution = FlagResolution {
            flag: flag.to_string(),
            by: account.name.clone(),
            note: note.to_string(),
        };
        self.store
            .resolve_flag(&account.name, id, &resolution)
            .await?;
        Ok(resolution)
    }
}
