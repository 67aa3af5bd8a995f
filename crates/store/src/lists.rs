//! Paged lists and search at scale: the candidates a viewer may see, filtered,
//! sorted and paged in SQL (keyset on the id), with each candidate's summary
//! of judgements read from one row instead of every scorecard.
//!
//! The store applies *who may see which candidate* and *whose text a viewer may
//! search* in SQL, mirroring the application's `Sight` rules (an interviewer
//! sees the candidates they are assigned to; while a viewer owes a scorecard on
//! a candidate, others' judgements are neither filtered on nor searched). The
//! application still derives each row's `Sight` from the assignments returned.

use crate::StoreError;
use crate::hiring::{
    Assignment, CandidateId, CandidateRecord, DecisionRecord, OpeningId, OpeningRecord,
    ReferenceRecord, ScorecardRecord,
};
use jiff::Timestamp;
use multiplier_core::pipeline::{Debrief, DebriefLine, FlagResolution};
use serde::Serialize;
use std::collections::BTreeMap;
use std::future::Future;

type R<T> = Result<T, StoreError>;

/// Who is asking: lists only hold what this account may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListViewer {
    pub name: String,
    /// A hiring manager (sees every candidate).
    pub admin: bool,
}

/// A page of candidates, as the store is asked for it. Every filter left
/// `None`/`false` matches everyone. New filters (a lifecycle status, say) are
/// one more field here and one more clause in the query builder.
#[derive(Debug, Clone, PartialEq)]
pub struct CandidateQuery {
    pub viewer: ListViewer,
    pub opening: Option<OpeningId>,
    /// The stage the candidate is at, exactly.
    pub stage: Option<String>,
    /// An FTS5 query expression, built by the caller from the words asked for
    /// (never a person's raw input).
    pub text: Option<String>,
    /// The debrief's technical-depth median at least this. Candidates whose
    /// judgements the viewer may not read yet never match a score filter.
    pub min_technical_depth: Option<f64>,
    pub min_team_multiplier: Option<f64>,
    /// Someone raised this red flag (in a scorecard's latest version).
    pub flag: Option<String>,
    /// `Some(true)`: a raised red flag nobody resolved yet; `Some(false)`: none.
    pub unresolved_flags: Option<bool>,
    /// Has code-review evidence (the portal's review or an attached grade).
    pub code_review: bool,
    /// Added at or after this time.
    pub since: Option<Timestamp>,
    /// By status: `Some(false)` only candidates still in the pipeline (active,
    /// on hold), `Some(true)` only those out of it (rejected, withdrawn,
    /// hired), `None` both.
    pub ended: Option<bool>,
    /// Has a scorecard in, or is at one of these stages (an opening's debrief).
    pub carded_or_at: Option<Vec<String>>,
    /// Keyset: only candidates with an id above this.
    pub after: Option<CandidateId>,
    /// At most this many rows.
    pub limit: u32,
}

impl CandidateQuery {
    /// Everyone `viewer` may see, first page of `limit`.
    pub fn new(viewer: ListViewer, limit: u32) -> CandidateQuery {
        CandidateQuery {
            viewer,
            opening: None,
            stage: None,
            text: None,
            min_technical_depth: None,
            min_team_multiplier: None,
            flag: None,
            unresolved_flags: None,
            code_review: false,
            ended: None,
            since: None,
            carded_or_at: None,
            after: None,
            limit,
        }
    }

    /// Whether its stage counts are the kept ones (migration 0022): an admin's,
    /// filtered at most by opening and status. Any other filter, or an
    /// interviewer's sight, is counted from the candidates.
    pub fn counts_are_kept(&self) -> bool {
        self.viewer.admin
            && !self.judges()
            && !self.code_review
            && self.since.is_none()
            && self.carded_or_at.is_none()
            && self.text.is_none()
    }

    /// Whether a filter reads others' judgements (so blind rows are left out).
    pub fn judges(&self) -> bool {
        self.min_technical_depth.is_some()
            || self.min_team_multiplier.is_some()
            || self.flag.is_some()
            || self.unresolved_flags.is_some()
    }
}

/// What the decision policy makes of a candidate's judgements, kept per
/// candidate so lists read one row.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Scorecards in: one per interviewer and stage, whatever the versions.
    pub scorecards: u32,
    pub technical_depth: Option<f64>,
    pub team_multiplier: Option<f64>,
    pub meets_bar: bool,
    /// Red flags raised in any version, by id, sorted.
    pub raised_flags: Vec<String>,
    /// Red flags of the latest versions (the debrief's), by id, sorted.
    pub debrief_flags: Vec<String>,
    /// Of those, the ones nobody resolved yet.
    pub unresolved_flags: u32,
    /// The whole debrief these figures come from, kept beside them when the
    /// summary is saved so an opening's debrief reads it instead of every
    /// scorecard. Lists never read it back: `None` in their rows.
    #[serde(skip)]
    pub debrief: Option<Box<Debrief>>,
}

/// A summary's debrief as the text its column keeps (`NULL` when none came with it).
pub(crate) fn kept_debrief(s: &Summary) -> Result<Option<String>, StoreError> {
    json_column("kept debrief", s.debrief.as_deref())
}

/// The line of a summary's debrief as the text its column keeps (`NULL` when
/// no debrief came with the summary).
pub(crate) fn kept_debrief_line(s: &Summary) -> Result<Option<String>, StoreError> {
    json_column(
        "kept debrief line",
        s.debrief.as_deref().map(DebriefLine::from),
    )
}

/// `value` as the JSON text of a column (`NULL` for `None`).
fn json_column<T: Serialize>(
    what: &'static str,
    value: Option<T>,
) -> Result<Option<String>, StoreError> {
    value
        .map(|v| {
            serde_json::to_string(&v).map_err(|e| StoreError::Corrupt {
                what,
                detail: e.to_string(),
            })
        })
        .transpose()
}

/// The kept debriefs as their rows give them (`candidate_id`, the column's
/// text); one that does not read says whose it is.
pub(crate) fn read_kept_debriefs<T: serde::de::DeserializeOwned>(
    rows: Vec<(i64, String)>,
) -> Result<BTreeMap<CandidateId, T>, StoreError> {
    rows.into_iter()
        .map(|(id, text)| {
            let d = serde_json::from_str(&text).map_err(|e| StoreError::Corrupt {
                what: "kept debrief",
                detail: format!("candidate {id}: {e}"),
            })?;
            Ok((CandidateId(id), d))
        })
        .collect()
}

/// One word of a search expression as the application builds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QueryWord {
    /// Lowercased: letters and digits only.
    pub word: String,
    /// Asked for as a prefix (`"word"*`).
    pub prefix: bool,
}

/// The words of `fts`, an expression the application builds from a person's
/// words as `"word"* "word"*` (`multiplier_app`'s `fts_query`): every word must
/// appear, a `*` after it making it a prefix. They are read the way the
/// application splits them (runs of letters and digits); anything else only
/// separates words, so no search engine's syntax ever comes through.
pub(crate) fn query_words(fts: &str) -> Vec<QueryWord> {
    let chars: Vec<char> = fts.chars().collect();
    let mut words = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_alphanumeric() {
            i += 1;
        }
        let word: String = chars[start..i].iter().collect::<String>().to_lowercase();
        // `"word"*`: the closing quote may stand between the word and its star.
        let mut j = i;
        while j < chars.len() && chars[j] == '"' {
            j += 1;
        }
        words.push(QueryWord {
            word,
            prefix: chars.get(j) == Some(&'*'),
        });
    }
    words
}

/// A matched text, with the matched words between `\u{1}` and `\u{2}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Snippet {
    /// `name`, `scorecard`, `reference`, `work` or `evidence`.
    pub source: String,
    pub text: String,
}

/// One candidate of a page, with what the application needs to decide what
/// the viewer sees of it.
#[derive(Debug, Clone, PartialEq)]
pub struct CandidateRow {
    pub candidate: CandidateRecord,
    pub opening_title: String,
    pub summary: Summary,
    /// The viewer's assignments on the candidate (all a row's sight needs;
    /// others' are not read for a list).
    pub assignments: Vec<Assignment>,
    /// Stages the viewer has a scorecard in for.
    pub own_stages: Vec<String>,
    /// The best visible match when the query had text.
    pub snippet: Option<Snippet>,
}

/// One card of a board: the fields a card shows and what the viewer's sight
/// needs, read without the rest of the candidate's record. A board of 180
/// cards spent half of its page query, and most of the decoding after it, on
/// fields no card shows (e-mail, links, status reason, medians; the opening's
/// title, the same on every card), docs/performance.md.
#[derive(Debug, Clone, PartialEq)]
pub struct CardRow {
    pub id: CandidateId,
    pub name: String,
    pub internal: bool,
    pub stage: String,
    /// As [`Summary::scorecards`].
    pub scorecards: u32,
    /// As [`Summary::raised_flags`].
    pub raised_flags: Vec<String>,
    /// As [`Summary::debrief_flags`].
    pub debrief_flags: Vec<String>,
    /// As [`CandidateRow::assignments`].
    pub assignments: Vec<Assignment>,
    /// As [`CandidateRow::own_stages`].
    pub own_stages: Vec<String>,
}

impl From<CandidateRow> for CardRow {
    fn from(row: CandidateRow) -> CardRow {
        CardRow {
            id: row.candidate.id,
            name: row.candidate.name,
            internal: row.candidate.internal,
            stage: row.candidate.stage,
            scorecards: row.summary.scorecards,
            raised_flags: row.summary.raised_flags,
            debrief_flags: row.summary.debrief_flags,
            assignments: row.assignments,
            own_stages: row.own_stages,
        }
    }
}

/// A row of a page of candidates as far as who sees what goes: a list's row
/// ([`CandidateRow`]) or a board's card ([`CardRow`]). The application derives
/// each row's sight and red-flag badges from it.
pub trait ListedRow {
    fn candidate_id(&self) -> CandidateId;
    fn stage(&self) -> &str;
    /// The viewer's assignments on the candidate.
    fn assignments(&self) -> &[Assignment];
    /// The stages the viewer sent a scorecard for.
    fn own_stages(&self) -> &[String];
    /// As [`Summary::debrief_flags`].
    fn debrief_flags(&self) -> &[String];
}

/// A [`ListedRow`] the store completes with the viewer's own records.
pub(crate) trait ViewerRecords: ListedRow {
    fn assignments_mut(&mut self) -> &mut Vec<Assignment>;
    fn own_stages_mut(&mut self) -> &mut Vec<String>;
}

impl ListedRow for CandidateRow {
    fn candidate_id(&self) -> CandidateId {
        self.candidate.id
    }
    fn stage(&self) -> &str {
        &self.candidate.stage
    }
    fn assignments(&self) -> &[Assignment] {
        &self.assignments
    }
    fn own_stages(&self) -> &[String] {
        &self.own_stages
    }
    fn debrief_flags(&self) -> &[String] {
        &self.summary.debrief_flags
    }
}

impl ViewerRecords for CandidateRow {
    fn assignments_mut(&mut self) -> &mut Vec<Assignment> {
        &mut self.assignments
    }
    fn own_stages_mut(&mut self) -> &mut Vec<String> {
        &mut self.own_stages
    }
}

impl ListedRow for CardRow {
    fn candidate_id(&self) -> CandidateId {
        self.id
    }
    fn stage(&self) -> &str {
        &self.stage
    }
    fn assignments(&self) -> &[Assignment] {
        &self.assignments
    }
    fn own_stages(&self) -> &[String] {
        &self.own_stages
    }
    fn debrief_flags(&self) -> &[String] {
        &self.debrief_flags
    }
}

impl ViewerRecords for CardRow {
    fn assignments_mut(&mut self) -> &mut Vec<Assignment> {
        &mut self.assignments
    }
    fn own_stages_mut(&mut self) -> &mut Vec<String> {
        &mut self.own_stages
    }
}

/// Everything one candidate's debrief is computed from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DebriefInputs {
    /// Who is assigned to which stage (a missing card makes the verdict
    /// incomplete).
    pub assignments: Vec<crate::Assignment>,
    pub scorecards: Vec<ScorecardRecord>,
    pub references: Vec<ReferenceRecord>,
    pub resolutions: Vec<FlagResolution>,
    /// Oldest first.
    pub decisions: Vec<DecisionRecord>,
}

/// Paged lists and derived summaries.
pub trait ListStore {
    /// One page of candidates (at most `q.limit`), by id ascending.
    fn candidate_page(
        &self,
        q: &CandidateQuery,
    ) -> impl Future<Output = R<Vec<CandidateRow>>> + Send;
    /// A page of cards for each of several stages at once (a board's
    /// columns): for each `(stage, after)`, the cards of what `candidate_page`
    /// answers for `q` with that stage and keyset, in the same order. One
    /// query for the rows and one each for the viewer's assignments and
    /// scorecards, instead of three per stage.
    fn stage_pages(
        &self,
        q: &CandidateQuery,
        stages: &[(String, Option<CandidateId>)],
    ) -> impl Future<Output = R<Vec<Vec<CardRow>>>> + Send;
    /// How many candidates match `q` (its stage, keyset and limit ignored), by stage.
    fn stage_counts(
        &self,
        q: &CandidateQuery,
    ) -> impl Future<Output = R<BTreeMap<String, u64>>> + Send;
    /// Openings by id, after the keyset, at most `limit`; archived ones only
    /// when `archived`.
    fn opening_page(
        &self,
        after: Option<OpeningId>,
        limit: u32,
        archived: bool,
    ) -> impl Future<Output = R<Vec<OpeningRecord>>> + Send;
    /// How many candidates `viewer` may see in each of these openings.
    fn opening_counts(
        &self,
        viewer: &ListViewer,
        openings: &[OpeningId],
    ) -> impl Future<Output = R<BTreeMap<OpeningId, u64>>> + Send;
    /// Candidates whose summary is out of date, with its generation.
    fn stale_summaries(
        &self,
        limit: u32,
    ) -> impl Future<Output = R<Vec<(CandidateId, i64)>>> + Send;
    /// Store recomputed summaries, each with the generation it was computed
    /// from, in one transaction; a summary is kept only when nothing was
    /// written about its candidate since (else it stays stale). Answers how many
    /// were kept. Derived data: no audit entry.
    fn save_summaries(
        &self,
        summaries: &[(CandidateId, i64, Summary)],
    ) -> impl Future<Output = R<usize>> + Send;
    /// Record that summaries are computed from `basis` (the application gives
    /// the framework it uses, as text). When the basis recorded differs, or
    /// none is, every summary is marked stale first, in the same transaction;
    /// answers whether it marked them. Compared by SHA-256 digest.
    fn summaries_follow(&self, basis: &str) -> impl Future<Output = R<bool>> + Send;
    /// The red-flag resolutions of several candidates at once (one query),
    /// oldest first: with the flag ids of their summaries, all a list needs to
    /// show their flags.
    fn flag_resolutions(
        &self,
        ids: &[CandidateId],
    ) -> impl Future<Output = R<BTreeMap<CandidateId, Vec<FlagResolution>>>> + Send;
    /// The debrief inputs of several candidates at once (five queries).
    fn debrief_inputs(
        &self,
        ids: &[CandidateId],
    ) -> impl Future<Output = R<BTreeMap<CandidateId, DebriefInputs>>> + Send;
    /// The debriefs kept beside up-to-date summaries (see [`Summary::debrief`]),
    /// of several candidates at once (one query). A candidate whose summary is
    /// stale, or was saved before debriefs were kept, is not in the answer:
    /// its debrief is computed from [`ListStore::debrief_inputs`] instead.
    fn kept_debriefs(
        &self,
        ids: &[CandidateId],
    ) -> impl Future<Output = R<BTreeMap<CandidateId, Debrief>>> + Send;
    /// [`ListStore::kept_debriefs`] as lines: each signal's figures, the
    /// flags that block and the verdict, read from the same kept JSON without
    /// building its ratings, notes and reasons (most of its 4 KB). For a list
    /// of many candidates, such as an opening's debrief page.
    fn kept_debrief_lines(
        &self,
        ids: &[CandidateId],
    ) -> impl Future<Output = R<BTreeMap<CandidateId, DebriefLine>>> + Send;
    /// Every decision recorded on several candidates, oldest first (one query).
    fn decisions_of(
        &self,
        ids: &[CandidateId],
    ) -> impl Future<Output = R<BTreeMap<CandidateId, Vec<DecisionRecord>>>> + Send;
}

/// The audit-log pages the query-plan checks explain (the shapes the
/// application asks for): oldest first from the start and after a cursor,
/// newest first from the newest and before a cursor, each with and without
/// the API's filters.
pub fn audit_pages() -> Vec<crate::hiring::AuditFilter> {
    use crate::hiring::AuditFilter;
    let filtered = AuditFilter {
        actor: Some("hm".into()),
        action: Some("scorecard".into()),
        since: Some(Timestamp::UNIX_EPOCH),
        ..AuditFilter::default()
    };
    let mut out = Vec::new();
    for base in [AuditFilter::default(), filtered] {
        for (after, before, newest_first) in [
            (Some(0), None, false),
            (Some(100), None, false),
            (None, Some(i64::MAX), true),
            (None, Some(100), true),
        ] {
            out.push(AuditFilter {
                after,
                before,
                newest_first,
                limit: Some(51),
                ..base.clone()
            });
        }
    }
    out
}

/// The rows of several stages' pages, read in one go, dealt back to their
/// stages in the order asked, each by id ascending.
pub(crate) fn deal_by_stage<T: ListedRow>(
    rows: Vec<T>,
    stages: &[(String, Option<CandidateId>)],
) -> Vec<Vec<T>> {
    let mut out: Vec<Vec<T>> = stages.iter().map(|_| Vec::new()).collect();
    for row in rows {
        if let Some(i) = stages.iter().position(|(s, _)| *s == row.stage())
            && let Some(page) = out.get_mut(i)
        {
            page.push(row);
        }
    }
    for page in &mut out {
        page.sort_by_key(ListedRow::candidate_id);
    }
    out
}
