//! Paged lists, search and summaries on SQLite (see `crate::lists`).

use super::SqliteStore;
use super::hiring::{commit, decode, get, opt_ts, ts};
use super::timestamp;
use crate::StoreError;
use crate::hiring::*;
use crate::lists::*;
use multiplier_core::pipeline::{CandidateStatus, Debrief, DebriefLine, FlagResolution};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use std::collections::BTreeMap;

type R<T> = Result<T, StoreError>;

/// Evidence kinds that count as code-review evidence: the portal's review and
/// anything attached as `code-review…`.
const CODE_REVIEW: &str = "(e.kind = 'code-review' OR e.kind LIKE 'code-review-%')";

/// Push "the viewer still may not read others' judgements on candidate `cid`"
/// (the blind rule: a pending assignment of theirs, or, for an interviewer,
/// no scorecard of theirs in).
fn push_blind(q: &mut QueryBuilder<Sqlite>, v: &ListViewer, cid: &str) {
    q.push(format!(
        "(EXISTS (SELECT 1 FROM assignments ba WHERE ba.candidate_id = {cid} AND ba.interviewer = "
    ))
    .push_bind(v.name.clone())
    .push(format!(
        " AND NOT EXISTS (SELECT 1 FROM scorecards bs WHERE bs.candidate_id = {cid} AND bs.stage = ba.stage AND bs.interviewer = ba.interviewer))"
    ));
    if !v.admin {
        q.push(format!(
            " OR NOT EXISTS (SELECT 1 FROM scorecards bo WHERE bo.candidate_id = {cid} AND bo.interviewer = "
        ))
        .push_bind(v.name.clone())
        .push(")");
    }
    q.push(")");
}

/// Push "the viewer may read this search document even while blind on its
/// candidate": the name, the candidate's own words beside a tool's verdict, and
/// the viewer's own scorecards and references.
fn push_always_visible(q: &mut QueryBuilder<Sqlite>, v: &ListViewer) {
    q.push(
        "(d.source = 'name' OR (d.author <> '' AND d.author = ",
    )
    .push_bind(v.name.clone())
    .push(
        ") OR (d.source = 'work' AND EXISTS (SELECT 1 FROM evidence we WHERE we.id = d.source_id
           AND (json_type(we.body, '$.grade') IS NOT NULL OR json_type(we.body, '$.analysis') IS NOT NULL))))",
    );
}

/// The ids of the statuses that take a candidate out of the pipeline, as a
/// list of SQL string literals: `('hired', 'rejected', 'withdrawn')`.
///
/// Written into the statements rather than bound as a JSON array for
/// `json_each`: SQLite built a table from that array in each subquery that
/// filtered by status, once per column of the board. Under callgrind the
/// board's cards query ran 1.33 million instructions that way and 1.16 million
/// with the list written in (SQLite 3.51, 10,000 candidates). The ids are
/// core's constants, never text from a request; a quote in one would be
/// doubled all the same.
fn ended_statuses() -> &'static str {
    static LIST: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    LIST.get_or_init(|| {
        let ids: Vec<String> = CandidateStatus::ALL
            .into_iter()
            .filter(|s| s.is_terminal())
            .map(|s| format!("'{}'", s.id().replace('\'', "''")))
            .collect();
        format!("({})", ids.join(", "))
    })
}

/// How many matching documents per row of a page a search reads first (see
/// [`SearchWindow`]). A candidate has about 15 documents at 10,000 (a name,
/// eleven scorecards, references, answers, evidence), so even a word in
/// nearly all of them ("the", in 129,000 of 148,000) fills a page of 50 from
/// the window. With 40 the page query for "queue" took 315 µs, with 16 it
/// takes 209 (docs/performance.md).
const WINDOW_DOCS_PER_ROW: u32 = 16;

/// Which of the documents a search matches the page query considers.
#[derive(Clone, Copy)]
enum SearchWindow {
    /// Every one.
    All,
    /// The first `n` in id order from the page's start, that is, from its
    /// first candidate on. A common word matches tens of thousands of
    /// documents (24,835 for "queue" at 10,000 candidates), and collecting
    /// every one of them took most of the search's page query; FTS5 gives
    /// them in id order, which is candidate order (migration 0020), so the
    /// first few thousand usually hold the page. A full page from the window is
    /// exact: every candidate before the last one it reaches has all of its
    /// documents in it. A page that is not full is read again with [`SearchWindow::All`].
    First(u32),
}

/// The WHERE clauses of a candidate query (after `WHERE 1 = 1`).
fn push_filters(q: &mut QueryBuilder<Sqlite>, c: &CandidateQuery, paged: bool) {
    push_filters_in(q, c, paged, SearchWindow::All);
}

/// [`push_filters`], the text matched within `window`.
fn push_filters_in(
    q: &mut QueryBuilder<Sqlite>,
    c: &CandidateQuery,
    paged: bool,
    window: SearchWindow,
) {
    let v = &c.viewer;
    if let Some(o) = c.opening {
        q.push(" AND c.opening_id = ").push_bind(o.0);
    }
    if paged {
        if let Some(s) = &c.stage {
            q.push(" AND c.stage = ").push_bind(s.clone());
        }
        if let Some(after) = c.after {
            q.push(" AND c.id > ").push_bind(after.0);
        }
    }
    if let Some(ended) = c.ended {
        push_ended(q, "c.status", ended);
    }
    if !v.admin {
        q.push(" AND c.id IN (SELECT a.candidate_id FROM assignments a WHERE a.interviewer = ")
            .push_bind(v.name.clone())
            .push(")");
    }
    if let Some(min) = c.min_technical_depth {
        q.push(" AND s.technical_depth >= ").push_bind(min);
    }
    if let Some(min) = c.min_team_multiplier {
        q.push(" AND s.team_multiplier >= ").push_bind(min);
    }
    if let Some(flag) = &c.flag {
        q.push(" AND instr(s.debrief_flags, ")
            .push_bind(format!(" {flag} "))
            .push(") > 0");
    }
    match c.unresolved_flags {
        Some(true) => {
            q.push(" AND s.unresolved_flags > 0");
        }
        Some(false) => {
            q.push(" AND s.unresolved_flags = 0");
        }
        None => {}
    }
    if c.judges() {
        q.push(" AND NOT ");
        push_blind(q, v, "c.id");
    }
    if c.code_review {
        q.push(format!(
            " AND EXISTS (SELECT 1 FROM evidence e WHERE e.candidate_id = c.id AND {CODE_REVIEW})"
        ));
    }
    if let Some(since) = c.since {
        q.push(" AND c.created_at >= ").push_bind(since.to_string());
    }
    if let Some(stages) = &c.carded_or_at {
        q.push(" AND (s.scorecards > 0 OR c.stage IN (SELECT value FROM json_each(")
            .push_bind(serde_json::Value::from(stages.clone()).to_string())
            .push(")))");
    }
    if let Some(text) = &c.text {
        // A candidate matches when a document of theirs that the viewer may read
        // matches. Whether the blind rule hides others' words is a property of
        // the candidate, so it is asked once per candidate, not once per
        // matching document (a common word matches tens of thousands of
        // scorecard notes): any match will do while the viewer is not blind;
        // otherwise only the always-readable documents count. A document's
        // rowid names its candidate (migration 0020), so neither check looks
        // matching documents up one by one.
        q.push(format!(
            " AND c.id IN (SELECT rowid >> {DOC_BITS} FROM search_text WHERE search_text MATCH "
        ));
        push_match(q, text);
        if let SearchWindow::First(n) = window {
            let from = c
                .after
                .map_or(CandidateId(0), |a| CandidateId(a.0.saturating_add(1)));
            q.push(" AND rowid >= ")
                .push_bind(doc_range(from, from).0)
                .push(format!(" ORDER BY rowid LIMIT {n}"));
        }
        q.push(") AND (NOT ");
        push_blind(q, v, "c.id");
        q.push(format!(
            " OR EXISTS (SELECT 1 FROM search_text JOIN search_docs d ON d.id = search_text.rowid
               WHERE search_text.rowid BETWEEN c.id << {DOC_BITS} AND (c.id << {DOC_BITS}) + {DOC_MASK}
               AND search_text MATCH "
        ));
        push_match(q, text);
        q.push(" AND ");
        push_always_visible(q, v);
        q.push("))");
    }
}

/// A search document's id (its FTS5 rowid) is its candidate's id shifted left
/// by this many bits plus its number among that candidate's documents
/// (migration 0020): `rowid >> DOC_BITS` is the candidate.
const DOC_BITS: u32 = 32;

/// The document numbers' part of an id.
const DOC_MASK: i64 = (1 << DOC_BITS) - 1;

/// The ids of candidate `first`'s documents to candidate `last`'s, inclusive
/// (ids outside what the shift can hold are clamped: no document has one).
fn doc_range(first: CandidateId, last: CandidateId) -> (i64, i64) {
    let top = i64::MAX >> DOC_BITS;
    (
        first.0.clamp(0, top) << DOC_BITS,
        (last.0.clamp(0, top) << DOC_BITS) + DOC_MASK,
    )
}

/// `AND column` is (`ended`) or is not one of the statuses that end a
/// candidacy. Which those are is core's rule (`is_terminal`), not a list kept
/// here.
fn push_ended(q: &mut QueryBuilder<Sqlite>, column: &str, ended: bool) {
    q.push(format!(
        " AND {column} {} {}",
        if ended { "IN" } else { "NOT IN" },
        ended_statuses()
    ));
}

/// How many candidates match `c`, by stage: from the kept counts (migration
/// 0022) when [`CandidateQuery::counts_are_kept`], else counted.
fn push_counts(q: &mut QueryBuilder<Sqlite>, c: &CandidateQuery) {
    if !c.counts_are_kept() {
        q.push(
            "SELECT c.stage, COUNT(*) AS n FROM candidates c
             LEFT JOIN candidate_summary s ON s.candidate_id = c.id WHERE 1 = 1",
        );
        push_filters(q, c, false);
        q.push(" GROUP BY c.stage");
        return;
    }
    q.push("SELECT stage, SUM(candidates) AS n FROM stage_counts WHERE candidates > 0");
    if let Some(o) = c.opening {
        q.push(" AND opening_id = ").push_bind(o.0);
    }
    if let Some(ended) = c.ended {
        push_ended(q, "status", ended);
    }
    q.push(" GROUP BY stage");
}

/// One page of a candidate query, unpacked: its columns, filters, order and
/// limit (the page query, each stage of a board, the query-plan check).
fn push_page(q: &mut QueryBuilder<Sqlite>, c: &CandidateQuery, window: SearchWindow) {
    push_page_of(q, PAGE_COLUMNS, c, window);
}

/// [`push_page`] with other columns: [`PAGE_COLUMNS`] or [`CARD_COLUMNS`].
fn push_page_of(
    q: &mut QueryBuilder<Sqlite>,
    columns: &'static str,
    c: &CandidateQuery,
    window: SearchWindow,
) {
    q.push(columns);
    push_filters_in(q, c, true, window);
    q.push(" ORDER BY c.id");
    push_limit(q, c.limit);
}

/// Add ` LIMIT n` to `q`, the number written into the statement, not bound.
/// SQLite plans a `LIMIT ?` with the bound value and marks the statement to be
/// prepared again whenever that parameter is bound anew, so every page of
/// every list was parsed and planned again (17% of the board's time in
/// `perf`, docs/performance.md). `n` is always a number of ours, never text
/// from a request; the statement cache keeps one entry per page size.
fn push_limit(q: &mut QueryBuilder<Sqlite>, n: u32) {
    q.push(format!(" LIMIT {n}"));
}

const PAGE_COLUMNS: &str =
    "SELECT c.id, c.opening_id, c.name, c.email, c.internal, c.wants_leadership,
        c.gives_up, c.stage, c.created_at, c.status, c.status_reason, c.source, c.links,
        o.title AS opening_title,
        s.scorecards, s.technical_depth, s.team_multiplier, s.meets_bar, s.raised_flags,
        s.debrief_flags, s.unresolved_flags
    FROM candidates c
    JOIN openings o ON o.id = c.opening_id
    LEFT JOIN candidate_summary s ON s.candidate_id = c.id
    WHERE 1 = 1";

/// A board card's columns (see [`CardRow`]): the candidate's and their
/// summary's, filtered like [`PAGE_COLUMNS`] (every candidate has an opening,
/// so leaving the openings out drops no row).
const CARD_COLUMNS: &str = "SELECT c.id, c.name, c.internal, c.stage,
        s.scorecards, s.raised_flags, s.debrief_flags
    FROM candidates c
    LEFT JOIN candidate_summary s ON s.candidate_id = c.id
    WHERE 1 = 1";

/// Board cards ([`CARD_COLUMNS`]) packed into one row of JSON, as
/// [`PACK_PAGE`] packs whole rows, in the order of [`PackedCard`]'s fields.
const PACK_CARDS_HEAD: &str = "SELECT '[' || coalesce(group_concat(json_array(id, name,
        internal, stage, scorecards, raised_flags, debrief_flags)), '') || ']'
    FROM (";

/// One card of a packed board, field by field as [`PACK_CARDS_HEAD`] lists them.
#[derive(serde::Deserialize)]
struct PackedCard {
    id: i64,
    name: String,
    internal: i64,
    stage: String,
    scorecards: Option<i64>,
    raised_flags: Option<String>,
    debrief_flags: Option<String>,
}

impl From<PackedCard> for CardRow {
    fn from(c: PackedCard) -> CardRow {
        CardRow {
            id: CandidateId(c.id),
            name: c.name,
            internal: c.internal != 0,
            stage: c.stage,
            scorecards: u32::try_from(c.scorecards.unwrap_or(0)).unwrap_or(0),
            raised_flags: flags(c.raised_flags.as_deref().unwrap_or_default()),
            debrief_flags: flags(c.debrief_flags.as_deref().unwrap_or_default()),
            assignments: Vec::new(),
            own_stages: Vec::new(),
        }
    }
}

/// A page's rows ([`PAGE_COLUMNS`]) packed into one row of JSON, one array per
/// candidate in the order of [`PackedRow`]'s fields, for the reason given at
/// [`SqliteStore::packed`]: a board of 179 cards was 179 hand-offs. Text goes
/// through `json_array`, which quotes it without parsing anything; the rows'
/// order is restored in Rust.
///
/// The two medians go as whole numbers, times [`SCORE_SCALE`]: SQLite writes a
/// floating-point number as text at about 0.3 µs each (its shortest-digits
/// search), a third of the page query at a board's 180 rows.
const PACK_PAGE: &str = "SELECT '[' || coalesce(group_concat(json_array(id, opening_id, name,
        email, internal, wants_leadership, gives_up, stage, created_at, status,
        status_reason, source, links, opening_title, scorecards,
        CAST(technical_depth * 4503599627370496 AS INTEGER),
        CAST(team_multiplier * 4503599627370496 AS INTEGER),
        meets_bar, raised_flags, debrief_flags, unresolved_flags)), '') || ']'";

/// 2^52, by which [`PACK_PAGE`] multiplies a median before writing it as
/// a whole number. Multiplying by a power of two is exact, and so is the
/// product's conversion for every value from 1 up to 2048 (a score's range is
/// far inside it); below 1, bits under 2^-52 would be dropped.
const SCORE_SCALE: f64 = 4_503_599_627_370_496.0;

/// A median packed by [`PACK_PAGE`], as it was stored.
fn unscaled(packed: Option<i64>) -> Option<f64> {
    packed.map(|n| n as f64 / SCORE_SCALE)
}

/// One candidate of a packed page, field by field as [`PACK_PAGE`] lists
/// the columns (serde reads a struct from a JSON array in field order).
#[derive(serde::Deserialize)]
struct PackedRow {
    id: i64,
    opening_id: i64,
    name: String,
    email: Option<String>,
    internal: i64,
    wants_leadership: Option<String>,
    gives_up: Option<String>,
    stage: String,
    created_at: String,
    status: String,
    status_reason: Option<String>,
    source: String,
    links: Option<String>,
    opening_title: String,
    scorecards: Option<i64>,
    /// Times [`SCORE_SCALE`].
    technical_depth: Option<i64>,
    /// Times [`SCORE_SCALE`].
    team_multiplier: Option<i64>,
    meets_bar: Option<i64>,
    raised_flags: Option<String>,
    debrief_flags: Option<String>,
    unresolved_flags: Option<i64>,
}

impl PackedRow {
    fn into_row(self) -> R<CandidateRow> {
        Ok(CandidateRow {
            candidate: CandidateRecord {
                id: CandidateId(self.id),
                opening: OpeningId(self.opening_id),
                name: self.name,
                email: self.email,
                internal: self.internal != 0,
                wants_leadership: self.wants_leadership,
                gives_up: self.gives_up,
                stage: self.stage,
                created_at: timestamp(&self.created_at)?,
                status: self.status,
                status_reason: self.status_reason,
                source: self.source,
                links: self.links,
            },
            opening_title: self.opening_title,
            summary: Summary {
                scorecards: u32::try_from(self.scorecards.unwrap_or(0)).unwrap_or(0),
                technical_depth: unscaled(self.technical_depth),
                team_multiplier: unscaled(self.team_multiplier),
                meets_bar: self.meets_bar.unwrap_or(0) != 0,
                raised_flags: flags(self.raised_flags.as_deref().unwrap_or_default()),
                debrief_flags: flags(self.debrief_flags.as_deref().unwrap_or_default()),
                unresolved_flags: u32::try_from(self.unresolved_flags.unwrap_or(0)).unwrap_or(0),
                debrief: None,
            },
            assignments: Vec::new(),
            own_stages: Vec::new(),
            snippet: None,
        })
    }
}

impl SqliteStore {
    /// The kept debriefs of `ids` or their lines (`sql` says which), read
    /// from one packed row (see [`SqliteStore::packed`]): a debrief page of 50
    /// candidates was 50 rows handed over one by one.
    async fn kept_debriefs_packed<T: serde::de::DeserializeOwned>(
        &self,
        sql: &'static str,
        ids: &[CandidateId],
    ) -> R<BTreeMap<CandidateId, T>> {
        const WHAT: &str = "read the page's kept debriefs";
        if ids.is_empty() {
            return Ok(BTreeMap::new());
        }
        let text: String = sqlx::query_scalar(sql)
            .bind(ids_json(ids))
            .fetch_one(&self.pool)
            .await
            .map_err(StoreError::query(WHAT))?;
        Ok(decode::<Vec<(i64, T)>>(WHAT, &text)?
            .into_iter()
            .map(|(id, d)| (CandidateId(id), d))
            .collect())
    }

    /// One connection of the pool, held for the several queries of one read.
    ///
    /// sqlx sends each query to the connection's worker thread and, when a
    /// pooled connection is released, sends it one more (a ping) before the
    /// pool takes it back: a read of five queries on the pool was five
    /// acquisitions and five pings, each a thread hand-off (with `perf`, a
    /// third of the board's time went to switching threads). Held, it is one of
    /// each.
    async fn held(&self) -> R<sqlx::pool::PoolConnection<Sqlite>> {
        self.pool
            .acquire()
            .await
            .map_err(StoreError::query("take a connection from the pool"))
    }

    /// Run `sql`, whose one row holds a JSON array that SQLite packed from
    /// many rows, binding `ids`, and read it as `Vec<T>`.
    ///
    /// sqlx hands each result row from its SQLite worker thread to the task
    /// through a channel, which wakes the task for nearly every row: on a
    /// debrief page of 50 candidates (a thousand rows across the loop's tables)
    /// those hand-offs cost more than the queries. A packed result is one
    /// hand-off and one parse.
    async fn packed<T: serde::de::DeserializeOwned>(
        conn: &mut SqliteConnection,
        sql: &'static str,
        ids: &str,
        what: &'static str,
    ) -> R<Vec<T>> {
        let text: String = sqlx::query_scalar(sql)
            .bind(ids)
            .fetch_one(&mut *conn)
            .await
            .map_err(StoreError::query(what))?;
        decode(what, &text)
    }

    /// Add to a page's rows what the viewer's own records say (assignments,
    /// scorecards' stages) and, for a search, each row's best visible match.
    /// `matched`: what the page query's `MATCH` read, when it made words of
    /// a prefix (see [`SqliteStore::push_passages`]).
    async fn complete_rows(
        conn: &mut SqliteConnection,
        (mut rows, matched): (Vec<CandidateRow>, Option<String>),
        c: &CandidateQuery,
    ) -> R<Vec<CandidateRow>> {
        if rows.is_empty() {
            return Ok(rows);
        }
        let ids: Vec<CandidateId> = rows.iter().map(|r| r.candidate.id).collect();
        let json = ids_json(&ids);
        Self::own_records(conn, &mut rows, &json, &c.viewer).await?;
        if let Some(text) = &c.text {
            let matched = matched.as_deref().unwrap_or(text);
            let at: BTreeMap<CandidateId, usize> =
                ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
            let first = ids.iter().min().copied().unwrap_or(CandidateId(0));
            let last = ids.iter().max().copied().unwrap_or(CandidateId(i64::MAX));
            let mut q = QueryBuilder::new("");
            let range = doc_range(first, last);
            Self::push_passages(&mut q, text, matched, &json, range, &c.viewer);
            let packed: String = q
                .build_query_scalar()
                .fetch_one(&mut *conn)
                .await
                .map_err(StoreError::query("highlight the matches"))?;
            let matches: Vec<(i64, String, String)> = decode("highlight the matches", &packed)?;
            for (id, source, text) in matches {
                if let Some(i) = at.get(&CandidateId(id))
                    && rows[*i].snippet.is_none()
                {
                    rows[*i].snippet = Some(Snippet { source, text });
                }
            }
        }
        Ok(rows)
    }

    /// Add to `rows` (whose ids `json` lists) the viewer's assignments on
    /// them, oldest first, and the stages the viewer sent a scorecard for.
    /// One statement reads both ([`OWN_RECORDS`]): one hand-off to SQLite's
    /// thread and back instead of two.
    async fn own_records<T: ViewerRecords>(
        conn: &mut SqliteConnection,
        rows: &mut [T],
        json: &str,
        viewer: &ListViewer,
    ) -> R<()> {
        const WHAT: &str = "the viewer's assignment or scorecard";
        let at: BTreeMap<CandidateId, usize> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| (r.candidate_id(), i))
            .collect();
        for row in sqlx::query(OWN_RECORDS)
            .bind(json)
            .bind(&viewer.name)
            .fetch_all(&mut *conn)
            .await
            .map_err(StoreError::query(
                "list the viewer's assignments and scorecards on the page",
            ))?
        {
            let id = CandidateId(get(&row, "candidate_id", WHAT)?);
            let Some(i) = at.get(&id) else {
                continue;
            };
            let stage: String = get(&row, "stage", WHAT)?;
            match opt_ts(&row, "assigned_at", WHAT)? {
                Some(assigned_at) => rows[*i].assignments_mut().push(Assignment {
                    stage,
                    interviewer: viewer.name.clone(),
                    assigned_at,
                }),
                None => rows[*i].own_stages_mut().push(stage),
            }
        }
        for row in rows.iter_mut() {
            row.assignments_mut()
                .sort_by(|a, b| (a.assigned_at, &a.stage).cmp(&(b.assigned_at, &b.stage)));
        }
        Ok(())
    }

    /// The passage shown for each candidate of `ids` (a JSON array) that
    /// `text` matches, packed in one row (see `packed`): from the candidate's
    /// shortest matching document the viewer may read, the oldest on a tie, as
    /// on PostgreSQL. Not FTS5's `rank` (bm25): it counts every document in the
    /// index that holds each word (this query took 5.7 ms with it and 2.0 ms
    /// without at 10,000 candidates, docs/performance.md). The page's documents are one range of
    /// rowids (migration 0020), `range`, which FTS5 seeks to. FTS5's `snippet`
    /// must run in a query over the index itself, hence the materialized steps.
    ///
    /// `matched` is what `MATCH` reads: `text` with its prefixes made words
    /// as the page query made them (see `push_words`; it answers them beside
    /// its rows, so the words are not read twice), else `text`. The two
    /// statements are not one snapshot: a word first written between them is
    /// not highlighted, and the page was found without it anyway.
    ///
    /// Whether the viewer may read a candidate's every document (the blind
    /// rule) is asked once per candidate, in `open`, not once per matching
    /// document. A document's length is its `search_docs.size` (migration
    /// 0027), so no match's text is read to find the shortest.
    ///
    /// When `text` holds only whole words (or prefixes the statement turns into
    /// words, see `push_words`), the documents are first chosen and the
    /// index read a second time for their passages only: one `snippet` per
    /// candidate instead of one per matching document (a common word matches
    /// several per candidate). A prefix left in `text` would make FTS5 merge
    /// its words' documents again for that second read, so then every match
    /// gets its passage in one read and the packing picks.
    fn push_passages(
        q: &mut QueryBuilder<Sqlite>,
        text: &str,
        matched: &str,
        ids_json: &str,
        range: (i64, i64),
        viewer: &ListViewer,
    ) {
        // A prefix FTS5 still reads as one (see `push_words`; one that starts
        // too many words is taken for words here, at the cost of a second
        // merge when the index has them).
        let prefixed = query_words(text).iter().any(|w| w.prefix && !expands(w));
        q.push("WITH open AS MATERIALIZED (SELECT value AS id FROM json_each(")
            .push_bind(ids_json.to_string())
            .push(") WHERE NOT ");
        push_blind(q, viewer, "value");
        q.push(
            "), hits AS MATERIALIZED (SELECT d.candidate_id, d.source,
                d.size, search_text.rowid AS doc",
        );
        if prefixed {
            q.push(", snippet(search_text, 0, char(1), char(2), '…', 16) AS snippet");
        }
        q.push(
            " FROM search_text JOIN search_docs d ON d.id = search_text.rowid
             WHERE search_text MATCH ",
        );
        push_text_in(q, matched, range);
        q.push(" AND d.candidate_id IN (SELECT value FROM json_each(")
            .push_bind(ids_json.to_string())
            .push(")) AND (d.candidate_id IN (SELECT id FROM open) OR ");
        push_always_visible(q, viewer);
        q.push(")");
        if prefixed {
            q.push(
                ") SELECT json_group_array(json_array(candidate_id, source, snippet) ORDER BY size, doc)
                 FROM hits",
            );
            return;
        }
        // The shortest, then the oldest: SQLite gives a bare column the
        // values of the row `min` picks. A document's size and its number
        // among its candidate's documents fit one integer.
        q.push(format!(
            "), best AS MATERIALIZED (SELECT candidate_id, source, doc,
                min((size << {DOC_BITS}) | (doc & {DOC_MASK})) FROM hits GROUP BY candidate_id),
             passages AS MATERIALIZED (SELECT b.candidate_id, b.source, b.doc,
                snippet(search_text, 0, char(1), char(2), '…', 16) AS snippet
                FROM search_text JOIN best b ON b.doc = search_text.rowid
                WHERE search_text MATCH "
        ));
        push_text_in(q, matched, range);
        q.push(
            ") SELECT json_group_array(json_array(candidate_id, source, snippet) ORDER BY doc)
             FROM passages",
        );
    }

    /// The page query of `c`: its rows packed ([`PACK_PAGE`]) and, when
    /// `push_words` made words of a prefix, the `MATCH` text it made.
    fn page_query(c: &CandidateQuery, window: SearchWindow) -> QueryBuilder<Sqlite> {
        let mut q = QueryBuilder::new("");
        push_words_of(&mut q, c);
        q.push(PACK_PAGE);
        q.push(if c.text.as_deref().is_some_and(any_expands) {
            ", (SELECT q FROM words) FROM ("
        } else {
            ", NULL FROM ("
        });
        push_page(&mut q, c, window);
        q.push(")");
        q
    }

    /// Run a [`SqliteStore::page_query`] and read its rows, by id, and the
    /// `MATCH` text it made (if it made one).
    async fn packed_page(
        conn: &mut SqliteConnection,
        mut q: QueryBuilder<Sqlite>,
        what: &'static str,
    ) -> R<(Vec<CandidateRow>, Option<String>)> {
        let (text, matched): (String, Option<String>) = q
            .build_query_as()
            .fetch_one(&mut *conn)
            .await
            .map_err(StoreError::query(what))?;
        let mut rows = decode::<Vec<PackedRow>>(what, &text)?
            .into_iter()
            .map(PackedRow::into_row)
            .collect::<R<Vec<_>>>()?;
        rows.sort_by_key(|r| r.candidate.id);
        Ok((rows, matched))
    }

    fn counts_query(c: &CandidateQuery) -> QueryBuilder<Sqlite> {
        let mut q = QueryBuilder::new("");
        push_words_of(&mut q, c);
        push_counts(&mut q, c);
        q
    }

    /// The board's query after `prefix`: each of `stages` a page of cards
    /// from its own keyset, all packed into one row ([`PACK_CARDS_HEAD`]).
    fn stage_pages_query(
        prefix: &str,
        c: &CandidateQuery,
        stages: &[(String, Option<CandidateId>)],
    ) -> QueryBuilder<Sqlite> {
        let mut q = QueryBuilder::<Sqlite>::new(prefix);
        push_words_of(&mut q, c);
        q.push(PACK_CARDS_HEAD);
        for (i, (stage, after)) in stages.iter().enumerate() {
            q.push(if i == 0 {
                "SELECT * FROM ("
            } else {
                ") UNION ALL SELECT * FROM ("
            });
            let mut one = c.clone();
            one.stage = Some(stage.clone());
            one.after = *after;
            push_page_of(&mut q, CARD_COLUMNS, &one, SearchWindow::All);
        }
        q.push("))");
        q
    }

    /// The query plan SQLite chooses for a candidate page, for its stage
    /// counts and, for one stage, for the board's cards, one line per step
    /// (for tests that hold the lists to their indexes).
    pub async fn explain_candidate_page(&self, c: &CandidateQuery) -> R<Vec<String>> {
        let mut out = Vec::new();
        for which in 0..4 {
            let mut q = QueryBuilder::<Sqlite>::new("EXPLAIN QUERY PLAN ");
            match which {
                0 => {
                    push_words_of(&mut q, c);
                    push_page(&mut q, c, SearchWindow::All);
                }
                1 => {
                    push_words_of(&mut q, c);
                    push_counts(&mut q, c);
                }
                // The passages, as asked and with the prefixes made words
                // (what `push_words` makes of them on a large index).
                _ => {
                    let Some(text) = &c.text else {
                        continue;
                    };
                    let matched = if which == 2 {
                        text.clone()
                    } else if text.contains('*') {
                        text.replace('*', "")
                    } else {
                        continue;
                    };
                    let range = doc_range(CandidateId(1), CandidateId(3));
                    Self::push_passages(&mut q, text, &matched, "[1,2,3]", range, &c.viewer);
                }
            }
            for row in q
                .build()
                .fetch_all(&self.pool)
                .await
                .map_err(StoreError::query("explain a list query"))?
            {
                out.push(get::<String>(&row, "detail", "query plan")?);
            }
        }
        // A board column, as the board reads it with its other columns.
        if let Some(stage) = &c.stage {
            let stages = [(stage.clone(), c.after)];
            for row in Self::stage_pages_query("EXPLAIN QUERY PLAN ", c, &stages)
                .build()
                .fetch_all(&self.pool)
                .await
                .map_err(StoreError::query("explain a list query"))?
            {
                out.push(get::<String>(&row, "detail", "query plan")?);
            }
        }
        Ok(out)
    }

    /// The query plan of the other hot lists: openings, opening counts, the
    /// audit trail of one subject, pages of the audit log (see
    /// [`audit_pages`]), the debrief inputs, the out-of-date summaries, the
    /// hires and the viewer's own records on a page.
    pub async fn explain_other_lists(&self, viewer: &ListViewer) -> R<Vec<String>> {
        let mut out = Vec::new();
        let mut queries: Vec<QueryBuilder<Sqlite>> = Vec::new();
        let mut q = QueryBuilder::new("EXPLAIN QUERY PLAN ");
        q.push(OPENING_PAGE_SQL)
            .push_bind(0_i64)
            .push(" ORDER BY id");
        push_limit(&mut q, 50);
        queries.push(q);
        let mut q = QueryBuilder::new("EXPLAIN QUERY PLAN ");
        push_opening_counts(&mut q, viewer, &[OpeningId(1)]);
        queries.push(q);
        let mut q = QueryBuilder::new("EXPLAIN QUERY PLAN ");
        q.push("SELECT * FROM audit WHERE subject = ")
            .push_bind("candidate:1")
            .push(" AND id < ")
            .push_bind(100_i64)
            .push(" ORDER BY id DESC LIMIT 50");
        queries.push(q);
        for f in audit_pages() {
            let mut q = QueryBuilder::new("EXPLAIN QUERY PLAN ");
            q.push(super::hiring::AUDIT_SQL);
            super::hiring::push_audit_filter(&mut q, &f);
            queries.push(q);
        }
        for sql in [
            DEBRIEF_ASSIGNMENTS,
            DEBRIEF_SCORECARDS,
            DEBRIEF_REFERENCES,
            FLAG_RESOLUTIONS,
            DEBRIEF_DECISIONS,
            KEPT_DEBRIEFS,
            KEPT_DEBRIEF_LINES,
        ] {
            let (head, tail) = sql.split_once('?').unwrap_or((sql, ""));
            let mut q = QueryBuilder::new("EXPLAIN QUERY PLAN ");
            q.push(head).push_bind("[1,2]").push(tail);
            queries.push(q);
        }
        let mut q = QueryBuilder::new("EXPLAIN QUERY PLAN ");
        q.push(STALE_SQL);
        push_limit(&mut q, 200);
        queries.push(q);
        // The hires of every opening (the outcome reminders' pass).
        let mut q = QueryBuilder::new("EXPLAIN QUERY PLAN ");
        let mut parts = super::outcomes::HIRES_SQL.split('?');
        q.push(parts.next().unwrap_or_default());
        for part in parts {
            q.push_bind(None::<i64>).push(part);
        }
        queries.push(q);
        for mut q in queries {
            for row in q
                .build()
                .fetch_all(&self.pool)
                .await
                .map_err(StoreError::query("explain a list query"))?
            {
                out.push(get::<String>(&row, "detail", "query plan")?);
            }
        }
        // The viewer's own records on a page (numbered parameters).
        let mut q = QueryBuilder::<Sqlite>::new("EXPLAIN QUERY PLAN ");
        q.push(OWN_RECORDS);
        for row in q
            .build()
            .bind("[1,2]")
            .bind(&viewer.name)
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("explain a list query"))?
        {
            out.push(get::<String>(&row, "detail", "query plan")?);
        }
        Ok(out)
    }
}

/// At most this many indexed words stand in for one prefix of a search; a
/// prefix that starts more is left to FTS5's own prefix query.
const PREFIX_WORDS: i64 = 16;

/// Below this many candidates (the highest id with a document) the words of
/// a prefix are not read: its documents are few enough for FTS5 to merge in
/// less time than reading the words takes. At 10,000 candidates the merge of
/// a common word took about 1 ms and reading one word 0.1 ms; merging grows
/// with the documents, so they meet near a tenth of that size.
const SMALL_INDEX: i64 = 1_000;

/// Whether the store reads `word` as the indexed words that start with it
/// (see [`push_words`]): a prefix of plain ASCII letters and digits. Any other
/// prefix's folding to the index's words is FTS5's to know.
fn expands(word: &QueryWord) -> bool {
    word.prefix && word.word.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Whether some word of the search expression `text` [`expands`].
fn any_expands(text: &str) -> bool {
    query_words(text).iter().any(expands)
}

/// `WITH words(q) AS MATERIALIZED (…)`, before a statement that searches
/// `text`, when a word of it [`expands`] (and `false`, pushing nothing,
/// otherwise); the statement's `MATCH` then reads `words` ([`push_match`]).
///
/// `q` is `text` with each such prefix turned into the indexed words that
/// start with it (`"queu"*` into `("queue" OR "queues")`, `"queu"` alone when
/// no word does): FTS5 reads those lazily and stops at the page's last
/// document, where a prefix query first merges every matching word's
/// documents over the whole index (migration 0024). What matches is the same.
/// A prefix that starts more than [`PREFIX_WORDS`] words stays a prefix, and
/// so does every prefix in an index of fewer than [`SMALL_INDEX`] candidates.
/// The words are read in the statement itself, from the snapshot it searches,
/// and once per statement however many rows use them.
fn push_words(q: &mut QueryBuilder<Sqlite>, text: &str) -> bool {
    let words = query_words(text);
    if !words.iter().any(expands) {
        return false;
    }
    q.push(format!(
        "WITH words(q) AS MATERIALIZED (SELECT CASE
            WHEN (SELECT coalesce(max(id), 0) >> {DOC_BITS} FROM search_docs) < {SMALL_INDEX} THEN "
    ))
    .push_bind(text.to_string())
    .push(" ELSE ");
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            // FTS5 reads two phrases side by side as both, but not a group
            // and a phrase: the AND is spelled out.
            q.push(" || ' AND ' || ");
        }
        let w = &word.word;
        let after = match w.as_bytes().split_last() {
            // An ASCII letter or digit plus one is still one ASCII character.
            Some((last, head)) if expands(word) => {
                let mut bytes = head.to_vec();
                bytes.push(last + 1);
                String::from_utf8(bytes).ok()
            }
            _ => None,
        };
        let Some(after) = after else {
            q.push_bind(format!("\"{w}\"{}", if word.prefix { "*" } else { "" }));
            continue;
        };
        q.push(
            "(WITH RECURSIVE w(term) AS (
                SELECT (SELECT term FROM search_terms WHERE term >= ",
        )
        .push_bind(w.clone())
        .push(" AND term < ")
        .push_bind(after.clone())
        .push(
            " LIMIT 1)
                UNION ALL
                SELECT (SELECT term FROM search_terms WHERE term >= w.term || char(0) AND term < ",
        )
        .push_bind(after)
        .push(format!(
            " LIMIT 1) FROM w WHERE w.term IS NOT NULL LIMIT {})
            SELECT CASE count(*) WHEN 0 THEN ",
            PREFIX_WORDS + 1
        ))
        .push_bind(format!("\"{w}\""))
        .push(format!(" WHEN {} THEN ", PREFIX_WORDS + 1))
        .push_bind(format!("\"{w}\"*"))
        .push(
            " ELSE '(' || group_concat('\"' || replace(term, '\"', '\"\"') || '\"', ' OR ') || ')' END
            FROM w WHERE term IS NOT NULL)",
        );
    }
    q.push(" END)");
    true
}

/// The right side of `MATCH` for the search expression `text`: the words of
/// [`push_words`] when it pushed them, else `text` itself.
fn push_match(q: &mut QueryBuilder<Sqlite>, text: &str) {
    if any_expands(text) {
        q.push("(SELECT q FROM words)");
    } else {
        q.push_bind(text.to_string());
    }
}

/// `MATCH`'s right side, `matched` itself, then the documents' rowids
/// bounded to `range`.
fn push_text_in(q: &mut QueryBuilder<Sqlite>, matched: &str, range: (i64, i64)) {
    q.push_bind(matched.to_string());
    q.push(" AND search_text.rowid BETWEEN ")
        .push_bind(range.0)
        .push(" AND ")
        .push_bind(range.1);
}

/// [`push_words`] for the statement of `c`, then a space.
fn push_words_of(q: &mut QueryBuilder<Sqlite>, c: &CandidateQuery) {
    if let Some(text) = &c.text
        && push_words(q, text)
    {
        q.push(" ");
    }
}

const OPENING_PAGE_SQL: &str = "SELECT * FROM openings WHERE id > ";

/// The viewer's own records on a page of candidates (`?1`, a JSON array of
/// ids; `?2`, the viewer's name): each assignment with when it was made, and
/// each stage they sent a scorecard for, with no time. Both through the
/// indexes by interviewer (migration 0009).
const OWN_RECORDS: &str = "SELECT candidate_id, stage, created_at AS assigned_at FROM assignments
     WHERE candidate_id IN (SELECT value FROM json_each(?1)) AND interviewer = ?2
     UNION ALL
     SELECT DISTINCT candidate_id, stage, NULL FROM scorecards
     WHERE interviewer = ?2 AND candidate_id IN (SELECT value FROM json_each(?1))";

/// The out-of-date summaries, a page at a time (through the partial index
/// `candidate_summary_stale`, migration 0019).
const STALE_SQL: &str =
    "SELECT candidate_id, generation FROM candidate_summary WHERE stale = 1 ORDER BY candidate_id";

/// What an opening's debrief reads for a page of candidates, each bound to the
/// page's ids as a JSON array: assignments, scorecards and references packed
/// into one row each (see [`SqliteStore::packed`]), the red-flag resolutions,
/// and the decisions. The query-plan check explains these same statements.
///
/// The packed rows are JSON text joined by hand, not `json_group_array`: the
/// stored bodies are JSON already (the store writes them with serde), and
/// `json(body)` parsed each one again only to embed it, while an ordered
/// aggregate sorted whole rows, bodies included, in a temporary b-tree. The
/// order is restored in Rust ([`SqliteStore::debrief_inputs`]). Every column
/// joined is `NOT NULL`; text goes through `json_quote` or `json_array`,
/// which quote it without parsing anything (for the assignments `json_array`
/// took 0.17 ms against 0.22 for three `json_quote`s). On the
/// 10,000-candidate database the scorecards of a 50-candidate page came in
/// 0.19 ms instead of 0.75 (docs/performance.md).
const DEBRIEF_ASSIGNMENTS: &str =
    "SELECT '[' || coalesce(group_concat(json_array(candidate_id, stage, interviewer, created_at)), '') || ']'
     FROM assignments WHERE candidate_id IN (SELECT value FROM json_each(?))";
const DEBRIEF_SCORECARDS: &str =
    "SELECT '[' || coalesce(group_concat('[' || id || ',' || candidate_id || ',' || body
         || ',' || json_quote(submitted_at) || ']'), '') || ']'
     FROM scorecards WHERE candidate_id IN (SELECT value FROM json_each(?))";
const DEBRIEF_REFERENCES: &str =
    "SELECT '[' || coalesce(group_concat('[' || id || ',' || candidate_id || ',' || body
         || ',' || json_quote(recorded_by) || ',' || json_quote(created_at) || ']'), '') || ']'
     FROM candidate_references WHERE candidate_id IN (SELECT value FROM json_each(?))";
const FLAG_RESOLUTIONS: &str = "SELECT candidate_id, flag, resolved_by, note FROM flag_resolutions
     WHERE candidate_id IN (SELECT value FROM json_each(?)) ORDER BY created_at, flag";
const DEBRIEF_DECISIONS: &str =
    "SELECT * FROM decisions WHERE candidate_id IN (SELECT value FROM json_each(?)) ORDER BY id";
/// The debriefs kept beside up-to-date summaries (migration 0025), packed as
/// `[[id, debrief], …]`. The kept texts are JSON this store wrote, so they are
/// joined as they are rather than parsed and written again by SQLite.
const KEPT_DEBRIEFS: &str =
    "SELECT '[' || coalesce(group_concat('[' || candidate_id || ',' || debrief || ']'), '') || ']'
     FROM candidate_summary
     WHERE candidate_id IN (SELECT value FROM json_each(?)) AND stale = 0 AND debrief IS NOT NULL";
/// Their lines (migration 0026), packed the same way, read out of the whole
/// debrief where a summary was saved before lines were kept.
const KEPT_DEBRIEF_LINES: &str = "SELECT '[' || coalesce(group_concat('[' || candidate_id || ',' || coalesce(debrief_line, debrief) || ']'), '') || ']'
     FROM candidate_summary
     WHERE candidate_id IN (SELECT value FROM json_each(?)) AND stale = 0 AND debrief IS NOT NULL";

fn push_opening_counts(q: &mut QueryBuilder<Sqlite>, v: &ListViewer, ids: &[OpeningId]) {
    let ids: Vec<i64> = ids.iter().map(|o| o.0).collect();
    if v.admin {
        // Kept by triggers (migration 0021): no candidate is read.
        q.push("SELECT opening_id, candidates AS n FROM opening_counts WHERE opening_id IN (SELECT value FROM json_each(")
            .push_bind(serde_json::Value::from(ids).to_string())
            .push("))");
        return;
    }
    q.push("SELECT c.opening_id, COUNT(*) AS n FROM candidates c WHERE c.opening_id IN (SELECT value FROM json_each(")
        .push_bind(serde_json::Value::from(ids).to_string())
        .push("))");
    q.push(" AND c.id IN (SELECT a.candidate_id FROM assignments a WHERE a.interviewer = ")
        .push_bind(v.name.clone())
        .push(")");
    q.push(" GROUP BY c.opening_id");
}

fn flags(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_string).collect()
}

fn flag_text(flags: &[String]) -> String {
    if flags.is_empty() {
        String::new()
    } else {
        format!(" {} ", flags.join(" "))
    }
}

fn ids_json(ids: &[CandidateId]) -> String {
    serde_json::Value::from(ids.iter().map(|c| c.0).collect::<Vec<_>>()).to_string()
}

impl ListStore for SqliteStore {
    async fn candidate_page(&self, c: &CandidateQuery) -> R<Vec<CandidateRow>> {
        const WHAT: &str = "list a page of candidates";
        let mut conn = self.held().await?;
        if c.text.is_some() {
            let window = SearchWindow::First(c.limit.saturating_mul(WINDOW_DOCS_PER_ROW));
            let page = Self::packed_page(&mut conn, Self::page_query(c, window), WHAT).await?;
            if page.0.len() >= c.limit as usize {
                return Self::complete_rows(&mut conn, page, c).await;
            }
        }
        let page =
            Self::packed_page(&mut conn, Self::page_query(c, SearchWindow::All), WHAT).await?;
        Self::complete_rows(&mut conn, page, c).await
    }

    async fn stage_pages(
        &self,
        c: &CandidateQuery,
        stages: &[(String, Option<CandidateId>)],
    ) -> R<Vec<Vec<CardRow>>> {
        const WHAT: &str = "list the pages of several stages";
        if stages.is_empty() {
            return Ok(Vec::new());
        }
        let mut conn = self.held().await?;
        let text: String = Self::stage_pages_query("", c, stages)
            .build_query_scalar()
            .fetch_one(&mut *conn)
            .await
            .map_err(StoreError::query(WHAT))?;
        let mut cards: Vec<CardRow> = decode::<Vec<PackedCard>>(WHAT, &text)?
            .into_iter()
            .map(CardRow::from)
            .collect();
        if !cards.is_empty() {
            let ids: Vec<CandidateId> = cards.iter().map(|r| r.id).collect();
            Self::own_records(&mut conn, &mut cards, &ids_json(&ids), &c.viewer).await?;
        }
        Ok(deal_by_stage(cards, stages))
    }

    async fn stage_counts(&self, c: &CandidateQuery) -> R<BTreeMap<String, u64>> {
        Self::counts_query(c)
            .build()
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("count candidates by stage"))?
            .iter()
            .map(|row| {
                Ok((
                    get(row, "stage", "stage count")?,
                    u64::try_from(get::<i64>(row, "n", "stage count")?).unwrap_or(0),
                ))
            })
            .collect()
    }

    async fn opening_page(
        &self,
        after: Option<OpeningId>,
        limit: u32,
        archived: bool,
    ) -> R<Vec<OpeningRecord>> {
        let mut q = QueryBuilder::<Sqlite>::new(OPENING_PAGE_SQL);
        q.push_bind(after.map_or(0, |o| o.0));
        if !archived {
            q.push(" AND status <> 'archived'");
        }
        q.push(" ORDER BY id");
        push_limit(&mut q, limit);
        q.build()
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("list a page of openings"))?
            .iter()
            .map(|row| {
                Ok(OpeningRecord {
                    id: OpeningId(get(row, "id", "opening")?),
                    role: crate::RoleId(get(row, "role_id", "opening")?),
                    title: get(row, "title", "opening")?,
                    manager: get(row, "manager", "opening")?,
                    status: get(row, "status", "opening")?,
                    created_at: ts(row, "created_at", "opening")?,
                })
            })
            .collect()
    }

    async fn opening_counts(
        &self,
        viewer: &ListViewer,
        openings: &[OpeningId],
    ) -> R<BTreeMap<OpeningId, u64>> {
        let mut q = QueryBuilder::<Sqlite>::new("");
        push_opening_counts(&mut q, viewer, openings);
        q.build()
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("count candidates by opening"))?
            .iter()
            .map(|row| {
                Ok((
                    OpeningId(get(row, "opening_id", "opening count")?),
                    u64::try_from(get::<i64>(row, "n", "opening count")?).unwrap_or(0),
                ))
            })
            .collect()
    }

    async fn stale_summaries(&self, limit: u32) -> R<Vec<(CandidateId, i64)>> {
        let mut q = QueryBuilder::<Sqlite>::new(STALE_SQL);
        push_limit(&mut q, limit);
        q.build()
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("find out-of-date summaries"))?
            .iter()
            .map(|row| {
                Ok((
                    CandidateId(get(row, "candidate_id", "summary")?),
                    get(row, "generation", "summary")?,
                ))
            })
            .collect()
    }

    async fn save_summaries(&self, summaries: &[(CandidateId, i64, Summary)]) -> R<usize> {
        let mut tx = self.begin().await?;
        let mut kept = 0;
        for (id, generation, s) in summaries {
            kept += sqlx::query(
                "UPDATE candidate_summary SET stale = 0, scorecards = ?, technical_depth = ?,
                     team_multiplier = ?, meets_bar = ?, raised_flags = ?, debrief_flags = ?,
                     unresolved_flags = ?, debrief = ?, debrief_line = ?
                 WHERE candidate_id = ? AND generation = ?",
            )
            .bind(i64::from(s.scorecards))
            .bind(s.technical_depth)
            .bind(s.team_multiplier)
            .bind(i64::from(s.meets_bar))
            .bind(flag_text(&s.raised_flags))
            .bind(flag_text(&s.debrief_flags))
            .bind(i64::from(s.unresolved_flags))
            .bind(kept_debrief(s)?)
            .bind(kept_debrief_line(s)?)
            .bind(id.0)
            .bind(generation)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query("store a candidate's summary"))?
            .rows_affected();
        }
        commit(tx).await?;
        Ok(usize::try_from(kept).unwrap_or(usize::MAX))
    }

    async fn summaries_follow(&self, basis: &str) -> R<bool> {
        let digest = crate::portal::sha256_hex(basis);
        let mut tx = self.begin().await?;
        let recorded: Option<String> =
            sqlx::query_scalar("SELECT framework FROM summary_basis WHERE id = 1")
                .fetch_optional(&mut *tx)
                .await
                .map_err(StoreError::query("read what the summaries follow"))?;
        if recorded.as_deref() == Some(digest.as_str()) {
            return Ok(false);
        }
        sqlx::query("UPDATE candidate_summary SET stale = 1")
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query("mark every summary out of date"))?;
        sqlx::query(
            "INSERT INTO summary_basis (id, framework) VALUES (1, ?)
             ON CONFLICT (id) DO UPDATE SET framework = excluded.framework",
        )
        .bind(&digest)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::query("record what the summaries follow"))?;
        commit(tx).await?;
        Ok(true)
    }

    async fn flag_resolutions(
        &self,
        ids: &[CandidateId],
    ) -> R<BTreeMap<CandidateId, Vec<FlagResolution>>> {
        if ids.is_empty() {
            return Ok(BTreeMap::new());
        }
        resolutions_of(&mut *self.held().await?, ids).await
    }

    async fn debrief_inputs(&self, ids: &[CandidateId]) -> R<BTreeMap<CandidateId, DebriefInputs>> {
        if ids.is_empty() {
            return Ok(BTreeMap::new());
        }
        debrief_inputs_on(&mut *self.held().await?, ids).await
    }

    async fn kept_debriefs(&self, ids: &[CandidateId]) -> R<BTreeMap<CandidateId, Debrief>> {
        self.kept_debriefs_packed(KEPT_DEBRIEFS, ids).await
    }

    async fn kept_debrief_lines(
        &self,
        ids: &[CandidateId],
    ) -> R<BTreeMap<CandidateId, DebriefLine>> {
        self.kept_debriefs_packed(KEPT_DEBRIEF_LINES, ids).await
    }

    async fn decisions_of(
        &self,
        ids: &[CandidateId],
    ) -> R<BTreeMap<CandidateId, Vec<DecisionRecord>>> {
        if ids.is_empty() {
            return Ok(BTreeMap::new());
        }
        decisions_on(&mut *self.held().await?, ids).await
    }
}

/// Every decision on several candidates, oldest first.
async fn decisions_on(
    conn: &mut SqliteConnection,
    ids: &[CandidateId],
) -> R<BTreeMap<CandidateId, Vec<DecisionRecord>>> {
    let mut out: BTreeMap<CandidateId, Vec<DecisionRecord>> = BTreeMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    for row in sqlx::query(DEBRIEF_DECISIONS)
        .bind(ids_json(ids))
        .fetch_all(&mut *conn)
        .await
        .map_err(StoreError::query("list the page's decisions"))?
    {
        let d = super::hiring::decision(&row)?;
        out.entry(d.candidate).or_default().push(d);
    }
    Ok(out)
}

/// The red-flag resolutions of several candidates.
async fn resolutions_of(
    conn: &mut SqliteConnection,
    ids: &[CandidateId],
) -> R<BTreeMap<CandidateId, Vec<FlagResolution>>> {
    let mut out: BTreeMap<CandidateId, Vec<FlagResolution>> = BTreeMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let rows = sqlx::query(FLAG_RESOLUTIONS)
        .bind(ids_json(ids))
        .fetch_all(&mut *conn)
        .await
        .map_err(StoreError::query("list the page's resolutions"))?;
    for row in rows {
        out.entry(CandidateId(get(&row, "candidate_id", "resolution")?))
            .or_default()
            .push(FlagResolution {
                flag: get(&row, "flag", "resolution")?,
                by: get(&row, "resolved_by", "resolution")?,
                note: get(&row, "note", "resolution")?,
            });
    }
    Ok(out)
}

/// [`ListStore::debrief_inputs`] on one connection.
async fn debrief_inputs_on(
    conn: &mut SqliteConnection,
    ids: &[CandidateId],
) -> R<BTreeMap<CandidateId, DebriefInputs>> {
    let mut out: BTreeMap<CandidateId, DebriefInputs> = ids
        .iter()
        .map(|id| (*id, DebriefInputs::default()))
        .collect();
    if ids.is_empty() {
        return Ok(out);
    }
    let json = ids_json(ids);
    let mut assignments: Vec<(i64, String, String, String)> = SqliteStore::packed(
        &mut *conn,
        DEBRIEF_ASSIGNMENTS,
        &json,
        "list the page's assignments",
    )
    .await?;
    // Oldest first, as `ORDER BY created_at, stage, interviewer` would.
    assignments.sort_by(|a, b| (&a.3, &a.1, &a.2).cmp(&(&b.3, &b.1, &b.2)));
    for (id, stage, interviewer, at) in assignments {
        if let Some(d) = out.get_mut(&CandidateId(id)) {
            d.assignments.push(Assignment {
                stage,
                interviewer,
                assigned_at: timestamp(&at)?,
            });
        }
    }
    let mut cards: Vec<(i64, i64, multiplier_core::pipeline::Scorecard, String)> =
        SqliteStore::packed(
            &mut *conn,
            DEBRIEF_SCORECARDS,
            &json,
            "list the page's scorecards",
        )
        .await?;
    cards.sort_by_key(|c| c.0);
    for (card_id, id, card, at) in cards {
        let id = CandidateId(id);
        if let Some(d) = out.get_mut(&id) {
            d.scorecards.push(ScorecardRecord {
                id: card_id,
                candidate: id,
                card,
                submitted_at: timestamp(&at)?,
            });
        }
    }
    let mut refs: Vec<(
        i64,
        i64,
        multiplier_core::pipeline::Reference,
        String,
        String,
    )> = SqliteStore::packed(
        &mut *conn,
        DEBRIEF_REFERENCES,
        &json,
        "list the page's references",
    )
    .await?;
    refs.sort_by_key(|r| r.0);
    for (ref_id, id, reference, recorded_by, at) in refs {
        let id = CandidateId(id);
        if let Some(d) = out.get_mut(&id) {
            d.references.push(ReferenceRecord {
                id: ref_id,
                candidate: id,
                reference,
                recorded_by,
                created_at: timestamp(&at)?,
            });
        }
    }
    for (id, resolutions) in resolutions_of(&mut *conn, ids).await? {
        if let Some(d) = out.get_mut(&id) {
            d.resolutions = resolutions;
        }
    }
    for (id, decisions) in decisions_on(&mut *conn, ids).await? {
        if let Some(d) = out.get_mut(&id) {
            d.decisions = decisions;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_round_trip_through_their_column() {
        let f = vec!["a".to_string(), "b-c".to_string()];
        assert_eq!(flags(&flag_text(&f)), f);
        assert_eq!(flag_text(&[]), "");
    }

    #[test]
    fn a_run_of_candidates_is_one_range_of_document_ids() {
        assert_eq!(
            doc_range(CandidateId(3), CandidateId(5)),
            (3 << 32, (5 << 32) + 0xFFFF_FFFF)
        );
        // Ids the shift cannot hold give the widest range, never a wrapped one.
        assert_eq!(
            doc_range(CandidateId(-1), CandidateId(i64::MAX)),
            (0, i64::MAX)
        );
        assert_eq!(
            doc_range(CandidateId(i64::MAX), CandidateId(i64::MAX)),
            (i64::MAX - DOC_MASK, i64::MAX)
        );
    }
}
