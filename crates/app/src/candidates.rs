//! Candidates: adding, correcting, moving between stages, assigning
//! interviewers, one candidate as a viewer may see them, and searching them all.
//!
//! Every use case on one candidate first looks the candidate up as the actor
//! stands on it, and only then checks the role: an interviewer not assigned to
//! the candidate is told it does not exist (as for an id that was never used),
//! never that they may not act on it, so ids cannot be probed.

use crate::access::REFERENCES;
use crate::actor::Account;
use crate::error::{AppError, AppResult, FieldProblem};
use crate::lists::{
    Highlight, Page, PageRequest, fts_query, limit_of, row_sight, split_page, viewer,
};
use crate::openings::shaped;
use crate::{App, Sight, Subject, filled, require_admin};
use multiplier_core::Framework;
use multiplier_core::pipeline::{FlagResolution, SearchFilter, SearchHit};
use multiplier_store::{Added, AtsStore, FileMeta, NoteRecord, Origin};
use multiplier_store::{
    AuditEntry, AuditFilter, CandidateDetails, CandidateId, CandidateRecord, DecisionRecord,
    EvidenceRecord, HiringStore, MailStore, NewCandidate, OfferRecord, OpeningId, OpeningRecord,
    ReferenceRecord, ScorecardRecord,
};
use multiplier_store::{CandidateQuery, ListStore};
use serde::Serialize;

/// Where a candidate came from: added by a person on the staff…
pub const SOURCE_STAFF: &str = "added-by-staff";
/// …applied through the careers page…
pub const SOURCE_APPLIED: &str = "applied";
/// …or imported from a CSV file.
pub const SOURCE_IMPORTED: &str = "imported";

/// What a person gives to add a candidate, or to correct one.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CandidateInput {
    pub name: String,
    pub email: Option<String>,
    /// Already in the company: the promotion-trap answers are then required.
    pub internal: bool,
    /// Do they want the leadership work itself? In their words.
    pub wants_leadership: Option<String>,
    /// What will they give up for it?
    pub gives_up: Option<String>,
    /// The stage to start at (adding only; the framework's first by default).
    pub stage: Option<String>,
}

/// An interviewer assigned to a stage, and whether their scorecard is in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssignmentView {
    pub stage: String,
    pub interviewer: String,
    pub submitted: bool,
}

/// Everything about one candidate that one viewer may see; pages, the API and
/// the CLI render this and nothing else.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CandidateView {
    /// The record; the e-mail address is `None` for viewers who may not see it.
    pub candidate: CandidateRecord,
    pub opening: OpeningRecord,
    /// Where the viewer stands: assigned stages, scorecards still owed, and why
    /// others' judgements are hidden (`blind`).
    pub sight: Sight,
    pub assignments: Vec<AssignmentView>,
    /// Every version the viewer may read, oldest first: their own always,
    /// others' once the blind rule allows.
    pub scorecards: Vec<ScorecardRecord>,
    /// Versions by others withheld under the blind rule.
    pub hidden_scorecards: usize,
    /// Amendments (record ids) made after their interviewer could read
    /// colleagues' scores ([`crate::access::unblinded_amendments`]).
    pub unblinded_amendments: Vec<i64>,
    pub references: Vec<ReferenceRecord>,
    /// References withheld under the blind rule.
    pub hidden_references: usize,
    /// What the tools produced (grades, flags) and what the candidate sent; it
    /// informs, it is not a scorecard. While the viewer owes a scorecard the
    /// tools' verdicts are left out ([`Sight::evidence`]).
    pub evidence: Vec<EvidenceRecord>,
    /// Evidence records withheld whole while the viewer owes a scorecard.
    pub hidden_evidence: usize,
    pub resolutions: Vec<FlagResolution>,
    pub decisions: Vec<DecisionRecord>,
    pub offers: Vec<OfferRecord>,
    /// The audit entries about the candidate that speak only of what the viewer
    /// may see, oldest first.
    pub timeline: Vec<AuditEntry>,
    /// Staff notes the viewer may read, oldest first.
    pub notes: Vec<NoteRecord>,
    /// Others' notes withheld under the blind rule.
    pub hidden_notes: usize,
    /// The files the candidate sent (the CV); hiring managers only.
    pub files: Vec<FileMeta>,
    /// The framework's rejection reasons, for the reject form: (id, title).
    pub rejection_reasons: Vec<(String, String)>,
}

/// A search, as asked. Every filter left empty matches everyone; the filters
/// combine (all must hold).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchInput {
    pub opening: Option<OpeningId>,
    /// Stage, each signal's minimum median, a raised red flag, words.
    pub filter: SearchFilter,
    /// By status: the current candidates unless asked otherwise.
    pub shown: crate::Shown,
    /// `Some(true)`: a red flag nobody resolved yet; `Some(false)`: none.
    pub unresolved_flags: Option<bool>,
    /// Has code-review evidence (the portal's review or an attached grade).
    pub code_review: bool,
    /// Added within the last this many months.
    pub months: Option<u32>,
    pub page: PageRequest,
}

/// One candidate found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchRow {
    pub candidate: CandidateRecord,
    pub opening_title: String,
    /// What the filter was judged on; `None` while the blind rule hides the
    /// viewer from others' scores.
    pub hit: Option<SearchHit>,
    pub blind: Option<String>,
    /// Where the words searched for were found (text searches only).
    pub matched: Option<Highlight>,
}

/// A stage id's problem, if it is not one of the framework's.
pub(crate) fn stage_problem(fw: &Framework, field: &str, stage: &str) -> Option<FieldProblem> {
    if fw.stage(stage).is_some() {
        return None;
    }
    let ids: Vec<&str> = fw.stages.iter().map(|s| s.id.as_str()).collect();
    Some(FieldProblem::new(
        field,
        format!("`{stage}` is not a stage; choose one of {}", ids.join(", ")),
    ))
}

/// The candidate's details, trimmed; each problem goes to `problems`, named by
/// its field.
fn details(input: &CandidateInput, problems: &mut Vec<FieldProblem>) -> CandidateDetails {
    let (wants, gives) = (
        filled(input.wants_leadership.as_deref()),
        filled(input.gives_up.as_deref()),
    );
    let email = filled(input.email.as_deref());
    let name = input.name.trim();
    if name.is_empty() {
        problems.push(FieldProblem::new("name", "the candidate needs a name"));
    } else {
        crate::limits::limit(problems, "name", name, crate::limits::MAX_SHORT_CHARS);
    }
    for (field, v) in [("wants_leadership", &wants), ("gives_up", &gives)] {
        if let Some(v) = v {
            crate::limits::limit(problems, field, v, crate::limits::MAX_TEXT_CHARS);
        }
    }
    if let Some(e) = &email
        && (!e.contains('@') || e.chars().any(char::is_whitespace) || e.len() > 254)
    {
        problems.push(FieldProblem::new(
            "email",
            "an e-mail address looks like name@example.com",
        ));
    }
    if input.internal {
        if wants.is_none() {
            problems.push(FieldProblem::new(
                "wants_leadership",
                "an internal candidate says whether they want the leadership work itself",
            ));
        }
        if gives.is_none() {
            problems.push(FieldProblem::new(
                "gives_up",
                "an internal candidate says what they will give up for it",
            ));
        }
    } else if wants.is_some() || gives.is_some() {
        problems.push(FieldProblem::new(
            "internal",
            "the promotion-trap answers are for internal candidates; mark the candidate internal",
        ));
    }
    CandidateDetails {
        name: name.to_string(),
        email,
        internal: input.internal,
        wants_leadership: wants,
        gives_up: gives,
    }
}

impl App {
    /// Add a candidate to an opening (hiring managers).
    pub async fn add_candidate(
        &self,
        account: &Account,
        opening: OpeningId,
        input: &CandidateInput,
    ) -> AppResult<CandidateId> {
        require_admin(account, "add candidates")?;
        let opening = self.opening(account, opening).await?;
        App::require_open(&opening)?;
        let fw = &self.framework;
        let stage = filled(input.stage.as_deref())
            .or_else(|| fw.stages.first().map(|s| s.id.clone()))
            .unwrap_or_default();
        let mut problems = Vec::new();
        let d = details(input, &mut problems);
        problems.extend(stage_problem(fw, "stage", &stage));
        AppError::check("the candidate", problems)?;
        let new = NewCandidate {
            opening: opening.id,
            name: d.name,
            email: d.email,
            internal: d.internal,
            wants_leadership: d.wants_leadership,
            gives_up: d.gives_up,
            stage,
        };
        let origin = Origin {
            source: SOURCE_STAFF.to_string(),
            ..Origin::default()
        };
        match self
            .store
            .add_candidate_from(&account.name, &new, &origin)
            .await?
        {
            Added::Created(id) | Added::Duplicate(id) => Ok(id),
        }
    }

    /// Correct a candidate's details (hiring managers); the stage changes
    /// through [`App::move_candidate`] only.
    pub async fn edit_candidate(
        &self,
        account: &Account,
        id: CandidateId,
        input: &CandidateInput,
    ) -> AppResult<CandidateRecord> {
        let s = self.subject(account, id).await?;
        require_admin(account, "edit candidates")?;
        if input
            .stage
            .as_deref()
            .is_some_and(|st| st.trim() != s.candidate.stage)
        {
            return Err(AppError::field(
                "the candidate",
                "stage",
                "an edit does not change the stage; move the candidate instead",
            ));
        }
        let mut problems = Vec::new();
        let d = details(input, &mut problems);
        AppError::check("the candidate", problems)?;
        self.store.edit_candidate(&account.name, id, &d).await?;
        let s = self.subject(account, id).await?;
        Ok(shaped(s.candidate, &s.sight))
    }

    /// Move a candidate to another stage (hiring managers).
    pub async fn move_candidate(
        &self,
        account: &Account,
        id: CandidateId,
        stage: &str,
    ) -> AppResult<CandidateRecord> {
        self.subject(account, id).await?;
        require_admin(account, "move candidates between stages")?;
        let stage = stage.trim();
        AppError::check(
            "the move",
            stage_problem(&self.framework, "stage", stage)
                .into_iter()
                .collect(),
        )?;
        self.store.move_candidate(&account.name, id, stage).await?;
        let s = self.subject(account, id).await?;
        Ok(shaped(s.candidate, &s.sight))
    }

    /// Assign an interviewer (an existing account) to one of the candidate's
    /// stages that take scorecards, or to the reference calls (hiring managers).
    /// Assigning someone already assigned changes nothing.
    pub async fn assign(
        &self,
        account: &Account,
        id: CandidateId,
        stage: &str,
        interviewer: &str,
    ) -> AppResult<Vec<AssignmentView>> {
        self.assign_stages(account, id, &[stage.to_string()], interviewer)
            .await
    }

    /// Assign an interviewer to several stages at once, in one transaction
    /// (hiring managers). Every stage is checked first; one bad stage refuses
    /// them all, each problem named by its field (`stages[i]`, or `stage` when
    /// there is one).
    pub async fn assign_stages(
        &self,
        account: &Account,
        id: CandidateId,
        stages: &[String],
        interviewer: &str,
    ) -> AppResult<Vec<AssignmentView>> {
        self.subject(account, id).await?;
        require_admin(account, "assign interviewers")?;
        let interviewer = interviewer.trim();
        let mut problems = Vec::new();
        let mut clean: Vec<String> = Vec::new();
        if stages.iter().all(|s| s.trim().is_empty()) {
            problems.push(FieldProblem::new(
                "stage",
                "choose at least one stage to assign",
            ));
        }
        for (i, stage) in stages.iter().enumerate() {
            let stage = stage.trim();
            if stage.is_empty() {
                continue;
            }
            let field = if stages.len() == 1 {
                "stage".to_string()
            } else {
                format!("stages[{i}]")
            };
            match self.framework.stage(stage) {
                None => problems.extend(stage_problem(&self.framework, &field, stage)),
                Some(s) if s.signals.is_empty() && s.id != REFERENCES => {
                    problems.push(FieldProblem::new(
                        field,
                        format!(
                            "the `{stage}` stage takes no scorecards, so nobody interviews for it"
                        ),
                    ));
                }
                Some(_) => {
                    if !clean.iter().any(|c| c == stage) {
                        clean.push(stage.to_string());
                    }
                }
            }
        }
        if interviewer.is_empty() {
            problems.push(FieldProblem::new("interviewer", "name the interviewer"));
        } else if self.account(interviewer).await?.is_none() {
            problems.push(FieldProblem::new(
                "interviewer",
                format!("there is no account called `{interviewer}`; create it first (`multiplier user add {interviewer} --role interviewer`)"),
            ));
        }
        AppError::check("the assignment", problems)?;
        let s = self.subject(account, id).await?;
        let mut mail = Vec::new();
        for stage in &clean {
            let already = s
                .assignments
                .iter()
                .any(|a| &a.stage == stage && a.interviewer == interviewer);
            if !already {
                mail.extend(
                    self.assigned_message(&s.candidate, &s.opening.title, stage, interviewer)
                        .await?,
                );
            }
        }
        self.store
            .assign_mailing(&account.name, id, &clean, interviewer, &mail)
            .await?;
        let s = self.subject(account, id).await?;
        Ok(assignment_views(&s))
    }

    /// Take an interviewer off a stage (hiring managers). Refused once their
    /// scorecard for it is in: the card stays on record, and so does the
    /// assignment that asked for it.
    pub async fn unassign(
        &self,
        account: &Account,
        id: CandidateId,
        stage: &str,
        interviewer: &str,
    ) -> AppResult<Vec<AssignmentView>> {
        let s = self.subject(account, id).await?;
        require_admin(account, "unassign interviewers")?;
        let (stage, interviewer) = (stage.trim(), interviewer.trim());
        if !s
            .assignments
            .iter()
            .any(|a| a.stage == stage && a.interviewer == interviewer)
        {
            return Err(AppError::NotFound(format!(
                "{interviewer} is not assigned to the {stage} stage of this candidate"
            )));
        }
        if s.cards
            .iter()
            .any(|c| c.card.stage == stage && c.card.interviewer == interviewer)
        {
            return Err(AppError::Conflict(format!(
                "{interviewer}'s scorecard for the {stage} stage is in, so the assignment stays on record with it"
            )));
        }
        self.store
            .unassign(&account.name, id, stage, interviewer)
            .await?;
        let s = self.subject(account, id).await?;
        Ok(assignment_views(&s))
    }

    /// One candidate as `account` may see them.
    pub async fn candidate(&self, account: &Account, id: CandidateId) -> AppResult<CandidateView> {
        let s = self.subject(account, id).await?;
        let sight = &s.sight;
        let (scorecards, hidden): (Vec<_>, Vec<_>) = s
            .cards
            .iter()
            .cloned()
            .partition(|c| sight.sees_scorecard(c));
        let (references, hidden_refs): (Vec<_>, Vec<_>) = self
            .store
            .references(id)
            .await?
            .into_iter()
            .partition(|r| sight.sees_reference(r));
        let resolutions = if sight.sees_resolutions() {
            self.store.resolutions(id).await?
        } else {
            Vec::new()
        };
        let decisions = if sight.sees_decisions() {
            self.store.decisions(id).await?
        } else {
            Vec::new()
        };
        let offers = if sight.sees_offers() {
            self.store.offers(id).await?
        } else {
            Vec::new()
        };
        let timeline = self
            .store
            .audit(&AuditFilter {
                subject: Some(format!("candidate:{id}")),
                ..AuditFilter::default()
            })
            .await?
            .into_iter()
            .filter(|e| sight.sees_entry(e))
            .collect();
        let all_evidence = self.store.evidence(id).await?;
        let total_evidence = all_evidence.len();
        let evidence: Vec<EvidenceRecord> = all_evidence
            .into_iter()
            .filter_map(|e| sight.evidence(e))
            .collect();
        let all_notes = self.store.notes(id).await?;
        let total_notes = all_notes.len();
        let notes: Vec<NoteRecord> = all_notes
            .into_iter()
            .filter(|n| sight.sees_note(n))
            .collect();
        let files = if sight.sees_files() {
            self.store.files(id).await?
        } else {
            Vec::new()
        };
        Ok(CandidateView {
            hidden_notes: total_notes - notes.len(),
            notes,
            files,
            rejection_reasons: self
                .framework
                .rejection_reasons
                .iter()
                .map(|r| (r.id.clone(), r.title.clone()))
                .collect(),
            unblinded_amendments: crate::access::unblinded_amendments(&s.assignments, &s.cards),
            assignments: assignment_views(&s),
            hidden_evidence: total_evidence - evidence.len(),
            evidence,
            scorecards,
            hidden_scorecards: hidden.len(),
            references,
            hidden_references: hidden_refs.len(),
            resolutions,
            decisions,
            offers,
            timeline,
            candidate: shaped(s.candidate, &s.sight),
            opening: s.opening,
            sight: s.sight,
        })
    }

    /// Search the candidates `account` may see, one page at a time (by id,
    /// oldest first). Filtering, visibility and paging run in SQL on the
    /// candidates' summaries and the full-text index. While the blind rule hides
    /// others' judgements on a candidate, only what the viewer may read is
    /// searched (the name, the candidate's own words, their own scorecards and
    /// references), no score is shown, and a filter on scores or red flags
    /// leaves the candidate out.
    pub async fn search(&self, account: &Account, q: &SearchInput) -> AppResult<Page<SearchRow>> {
        let fw = &self.framework;
        let f = &q.filter;
        let mut problems = Vec::new();
        let mut text = None;
        if let Some(t) = f.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            crate::limits::limit(&mut problems, "text", t, crate::limits::MAX_SHORT_CHARS);
            text = fts_query(t);
            if text.is_none() {
                problems.push(FieldProblem::new(
                    "text",
                    "search for at least one word (letters or digits)",
                ));
            }
        }
        if let Some(s) = &f.stage {
            problems.extend(stage_problem(fw, "stage", s));
        }
        for (field, v) in [
            ("min_technical_depth", f.min_technical_depth),
            ("min_team_multiplier", f.min_team_multiplier),
        ] {
            if v.is_some_and(|v| !(1.0..=4.0).contains(&v)) {
                problems.push(FieldProblem::new(field, "must be a score from 1 to 4"));
            }
        }
        if let Some(flag) = &f.flag
            && fw.red_flag(flag).is_none()
        {
            problems.push(FieldProblem::new(
                "flag",
                format!("`{flag}` is not a red flag of the framework"),
            ));
        }
        let since = match q.months {
            None => None,
            // A month is the average Gregorian month, 30.44 days.
            Some(m) if (1..=600).contains(&m) => jiff::Timestamp::from_second(
                jiff::Timestamp::now().as_second() - i64::from(m) * 2_629_746,
            )
            .ok(),
            Some(_) => {
                problems.push(FieldProblem::new(
                    "months",
                    "a number of months from 1 to 600",
                ));
                None
            }
        };
        let limit = limit_of(&q.page, &mut problems);
        let after = crate::lists::after("candidates", &q.page, &mut problems);
        AppError::check("the search", problems)?;
        if let Some(o) = q.opening {
            self.opening(account, o).await?;
        }
        self.refresh_summaries().await?;
        let mut query = CandidateQuery::new(viewer(account), limit + 1);
        query.opening = q.opening;
        query.stage = f.stage.clone();
        query.text = text;
        query.min_technical_depth = f.min_technical_depth;
        query.min_team_multiplier = f.min_team_multiplier;
        query.flag = f.flag.clone();
        query.unresolved_flags = q.unresolved_flags;
        query.code_review = q.code_review;
        query.since = since;
        query.ended = q.shown.ended();
        query.after = after.map(CandidateId);
        let judges = query.judges();
        let found = self.store.candidate_page(&query).await?;
        let (found, next) = split_page("candidates", found, limit, |r| r.candidate.id.0);
        let mut badges = self.flag_badges(account, &found).await?;
        let mut rows = Vec::with_capacity(found.len());
        for row in found {
            let sight = row_sight(account, &row);
            let open = sight.blind.is_none();
            // The store filtered by the same rules; this keeps a mistake there
            // from showing anything the viewer may not see.
            if !sight.sees_candidate() || (!open && judges) {
                continue;
            }
            let s = &row.summary;
            rows.push(SearchRow {
                opening_title: row.opening_title.clone(),
                hit: open.then(|| SearchHit {
                    technical_depth: s.technical_depth,
                    team_multiplier: s.team_multiplier,
                    meets_bar: s.meets_bar,
                    red_flags: s.debrief_flags.clone(),
                    flags: badges.remove(&row.candidate.id).unwrap_or_default(),
                }),
                matched: row.snippet.as_ref().map(Highlight::of),
                candidate: shaped(row.candidate, &sight),
                blind: sight.blind,
            });
        }
        Ok(Page { rows, next })
    }
}

fn assignment_views(s: &Subject) -> Vec<AssignmentView> {
    s.assignments
        .iter()
        .map(|a| AssignmentView {
            stage: a.stage.clone(),
            interviewer: a.interviewer.clone(),
            submitted: s
                .cards
                .iter()
                .any(|c| c.card.stage == a.stage && c.card.interviewer == a.interviewer),
        })
        .collect()
}
