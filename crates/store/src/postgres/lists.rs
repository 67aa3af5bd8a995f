//! Paged lists, search and summaries on PostgreSQL (see `crate::lists`): the
//! SQLite module's queries, with `search_docs.words @@ tsquery` (GIN) where
//! SQLite matches its FTS5 table, and `ts_headline` where it asks for a
//! `snippet`.

use super::{PgStore, R, commit, decode, get, ts};
use crate::StoreError;
use crate::hiring::*;
use crate::lists::*;
use multiplier_core::pipeline::{CandidateStatus, Debrief, DebriefLine, FlagResolution};
use sqlx::postgres::PgRow;
use sqlx::{Postgres, QueryBuilder};
use std::collections::BTreeMap;

/// Evidence kinds that count as code-review evidence: the portal's review and
/// anything attached as `code-review…`.
const CODE_REVIEW: &str = "(e.kind = 'code-review' OR e.kind LIKE 'code-review-%')";

/// The tsquery text (for `to_tsquery('simple', …)`) that matches what the FTS5
/// expression `fts` matches on SQLite: every word must appear, a prefix as
/// `:*` (the words as [`query_words`] reads them, so tsquery's own syntax,
/// `& | ! ( ) : * '`, only ever separates words and nothing the person typed
/// can reach `to_tsquery` as an operator). `None` when there is no word at all.
pub(crate) fn tsquery(fts: &str) -> Option<String> {
    let terms: Vec<String> = query_words(fts)
        .into_iter()
        // Letters and digits only: no quote to escape inside the lexeme.
        .map(|w| format!("'{}'{}", w.word, if w.prefix { ":*" } else { "" }))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" & "))
}

/// `ts_headline`'s settings for a snippet like SQLite's
/// `snippet(…, char(1), char(2), '…', 16)`: one passage of at most 16 words
/// around the best match, the matches between characters 1 and 2 (removed from
/// every indexed text, so they mark nothing else), short words kept.
fn headline_options() -> String {
    "StartSel=\u{1}, StopSel=\u{2}, MaxFragments=1, MaxWords=16, MinWords=5, ShortWord=0, HighlightAll=false".to_string()
}

/// A passage cut out of `body`, finished the way SQLite's `snippet` finishes
/// one: `…` where words of the text were left out before or after it, and the
/// text's own punctuation where only that was (`ts_headline` stops at the last
/// word, so a closing `>` or `.` would otherwise be lost).
fn with_ellipses(body: &str, headline: &str) -> String {
    let plain = headline.replace(['\u{1}', '\u{2}'], "");
    let core = plain.trim();
    let found = if core.is_empty() {
        None
    } else {
        body.find(core)
    };
    let Some(at) = found else {
        return headline.to_string();
    };
    let before = &body[..at];
    let after = &body[at + core.len()..];
    let has_words = |t: &str| t.chars().any(char::is_alphanumeric);
    let mut out = String::new();
    if has_words(before) {
        out.push('…');
    } else {
        out.push_str(before.trim_start());
    }
    out.push_str(headline.trim());
    if has_words(after) {
        out.push('…');
    } else {
        out.push_str(after.trim_end());
    }
    out
}

/// Push "the viewer still may not read others' judgements on candidate `cid`"
/// (the blind rule: a pending assignment of theirs, or, for an interviewer,
/// no scorecard of theirs in).
fn push_blind(q: &mut QueryBuilder<Postgres>, v: &ListViewer, cid: &str) {
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

/// Push "the viewer may read this search document": the name and the
/// candidate's own words always (their answers and review, shown beside a
/// tool's verdict), their own scorecards and references, and everything once
/// the blind rule lets them read others' judgements.
fn push_doc_visible(q: &mut QueryBuilder<Postgres>, v: &ListViewer) {
    q.push("(");
    push_always_visible(q, v);
    q.push(" OR NOT ");
    push_blind(q, v, "d.candidate_id");
    q.push(")");
}

/// Push "the viewer may read this search document even while blind on its
/// candidate": the name, the candidate's own words beside a tool's verdict, and
/// the viewer's own scorecards and references.
///
/// The `OFFSET 0` keeps the evidence check a lookup by id for each matching
/// document: without it PostgreSQL may turn the `EXISTS` into a hashed list of
/// every piece of evidence with a verdict, parsing all their JSON bodies on
/// each search (814 ms against 21 ms for a common word at 10,000 candidates).
fn push_always_visible(q: &mut QueryBuilder<Postgres>, v: &ListViewer) {
    q.push("(d.source = 'name' OR (d.author <> '' AND d.author = ")
        .push_bind(v.name.clone())
        .push(
            ") OR (d.source = 'work' AND EXISTS (SELECT 1 FROM evidence we WHERE we.id = d.source_id
           AND ((we.body::jsonb -> 'grade') IS NOT NULL OR (we.body::jsonb -> 'analysis') IS NOT NULL)
           OFFSET 0)))",
        );
}

/// The ids of the statuses that take a candidate out of the pipeline.
fn ended_statuses() -> Vec<&'static str> {
    CandidateStatus::ALL
        .into_iter()
        .filter(|s| s.is_terminal())
        .map(CandidateStatus::id)
        .collect()
}

/// Push "document `d` matches the words of `fts`" (nothing matches when it
/// holds no word).
fn push_matches(q: &mut QueryBuilder<Postgres>, fts: &str) {
    match tsquery(fts) {
        Some(t) => {
            q.push("d.words @@ to_tsquery('simple', ")
                .push_bind(t)
                .push(")");
        }
        None => {
            q.push("FALSE");
        }
    }
}

/// The WHERE clauses of a candidate query (after `WHERE 1 = 1`).
fn push_filters(q: &mut QueryBuilder<Postgres>, c: &CandidateQuery, paged: bool) {
    push_filters_in(q, c, paged, None);
}

/// [`push_filters`], the text matched among the first `window` matching
/// documents in candidate order from the page's start when it is `Some` (see
/// [`WINDOW_DOCS_PER_ROW`]).
fn push_filters_in(
    q: &mut QueryBuilder<Postgres>,
    c: &CandidateQuery,
    paged: bool,
    window: Option<u32>,
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
        q.push(" AND strpos(s.debrief_flags, ")
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
        q.push(" AND (s.scorecards > 0 OR c.stage = ANY(")
            .push_bind(stages.clone())
            .push("))");
    }
    if let Some(text) = &c.text {
        // A candidate matches when a document of theirs that the viewer may read
        // matches. Whether the blind rule hides others' words is a property of
        // the candidate, so it is asked once per candidate, not once per
        // matching document: any match will do while the viewer is not blind;
        // otherwise only the always-readable documents count.
        //
        // The matching candidates are gathered once into an array (an
        // InitPlan): the page then walks the candidates in id order and stops
        // at its limit. As `IN (…)`, PostgreSQL joins every match first and
        // sorts them all (a common word at 10,000 candidates: ~350 → ~35 ms).
        q.push(" AND c.id = ANY(ARRAY(SELECT d.candidate_id FROM search_docs d WHERE ");
        push_matches(q, text);
        if let Some(n) = window {
            let from = c.after.map_or(0, |a| a.0.saturating_add(1));
            q.push(" AND d.candidate_id >= ")
                .push_bind(from)
                .push(format!(" ORDER BY d.candidate_id LIMIT {n}"));
        }
        q.push(")) AND (NOT ");
        push_blind(q, v, "c.id");
        q.push(" OR EXISTS (SELECT 1 FROM search_docs d WHERE d.candidate_id = c.id AND ");
        push_matches(q, text);
        q.push(" AND ");
        push_always_visible(q, v);
        q.push("))");
    }
}

/// A page's candidates with their summaries. The summary is looked up per
/// candidate of the page (a lateral subquery the planner may not flatten): as a
/// plain join PostgreSQL may merge it, reading every summary from the first
/// candidate's up to the page's, which is most of the table for a late page.
const PAGE_COLUMNS: &str =
    "SELECT c.id, c.opening_id, c.name, c.email, c.internal, c.wants_leadership,
        c.gives_up, c.stage, c.created_at, c.status, c.status_reason, c.source, c.links,
        o.title AS opening_title,
        s.scorecards, s.technical_depth, s.team_multiplier, s.meets_bar, s.raised_flags,
        s.debrief_flags, s.unresolved_flags
    FROM candidates c
    JOIN openings o ON o.id = c.opening_id
    LEFT JOIN LATERAL (SELECT * FROM candidate_summary s0 WHERE s0.candidate_id = c.id OFFSET 0) s
        ON TRUE
    WHERE 1 = 1";

const COUNTS_COLUMNS: &str = "SELECT c.stage, COUNT(*) AS n FROM candidates c
     LEFT JOIN candidate_summary s ON s.candidate_id = c.id WHERE 1 = 1";

/// Matching documents a search's page query first considers per row asked for,
/// as on SQLite: the first ones in candidate order from the page's start,
/// which PostgreSQL walks through the index on `candidate_id` for a common word
/// (1.1 ms for "queue" at 10,000 candidates, against 33 ms to gather its
/// 24,835 documents from the GIN index) and still finds through the GIN index
/// for a rare one. A full page from the window is exact: every candidate
/// before the last one it reaches has all of its documents in it. A page that
/// is not full is read again over every match.
const WINDOW_DOCS_PER_ROW: u32 = 4;

fn push_page(q: &mut QueryBuilder<Postgres>, c: &CandidateQuery) {
    push_page_in(q, c, None);
}

/// [`push_page`], the text matched within `window` (see [`push_filters_in`]).
fn push_page_in(q: &mut QueryBuilder<Postgres>, c: &CandidateQuery, window: Option<u32>) {
    q.push(PAGE_COLUMNS);
    push_filters_in(q, c, true, window);
    q.push(" ORDER BY c.id LIMIT ")
        .push_bind(i64::from(c.limit));
}

/// `AND column` is (`ended`) or is not one of the statuses that end a
/// candidacy. Which those are is core's rule (`is_terminal`), not a list kept
/// here.
fn push_ended(q: &mut QueryBuilder<Postgres>, column: &str, ended: bool) {
    q.push(format!(
        " AND {column} {}(",
        if ended { "= ANY" } else { "<> ALL" }
    ))
    .push_bind(ended_statuses())
    .push(")");
}

/// How many candidates match `c`, by stage: from the kept counts (migration
/// 0022) when [`CandidateQuery::counts_are_kept`], else counted.
fn push_counts(q: &mut QueryBuilder<Postgres>, c: &CandidateQuery) {
    if !c.counts_are_kept() {
        q.push(COUNTS_COLUMNS);
        push_filters(q, c, false);
        q.push(" GROUP BY c.stage");
        return;
    }
    q.push("SELECT stage, SUM(candidates)::BIGINT AS n FROM stage_counts WHERE candidates > 0");
    if let Some(o) = c.opening {
        q.push(" AND opening_id = ").push_bind(o.0);
    }
    if let Some(ended) = c.ended {
        push_ended(q, "status", ended);
    }
    q.push(" GROUP BY stage");
}

/// The best match among the documents of `ids` that `viewer` may read, one per
/// candidate: the shortest document holding the words (the passage most about
/// them), the older on a tie, as on SQLite. Nothing when `fts` holds no word.
///
/// `ts_headline` leaves out whatever its parser reads as a markup tag (`<b>`,
/// `<String>` in `Vec<String>`): the text goes in with `<` replaced by
/// character 3 and comes out with it put back, so the passage holds the
/// candidate's words exactly and the application escapes them as on SQLite.
fn push_snippets(
    q: &mut QueryBuilder<Postgres>,
    fts: &str,
    ids: &[CandidateId],
    viewer: &ListViewer,
) -> bool {
    let Some(t) = tsquery(fts) else {
        return false;
    };
    q.push(
        "SELECT m.candidate_id, m.source, m.body,
            translate(ts_headline('simple', translate(m.body, '<', chr(3)), to_tsquery('simple', ",
    )
    .push_bind(t.clone())
    .push("), ")
    .push_bind(headline_options())
    .push(
        "), chr(3), '<') AS snippet
         FROM (SELECT DISTINCT ON (d.candidate_id) d.candidate_id, d.source, d.body
               FROM search_docs d
               WHERE d.words @@ to_tsquery('simple', ",
    )
    .push_bind(t)
    .push(") AND d.candidate_id = ANY(")
    .push_bind(ids.iter().map(|c| c.0).collect::<Vec<i64>>())
    .push(") AND ");
    push_doc_visible(q, viewer);
    q.push(" ORDER BY d.candidate_id, length(d.body), d.id) m");
    true
}

const OPENING_PAGE_SQL: &str = "SELECT * FROM openings WHERE id > ";

/// The out-of-date summaries, a page at a time (through the partial index
/// `candidate_summary_stale`, migration 0019).
const STALE_SQL: &str = "SELECT candidate_id, generation FROM candidate_summary WHERE stale ORDER BY candidate_id LIMIT $1";

const DEBRIEF_TABLES: [(&str, &str); 5] = [
    ("scorecards", "id, candidate_id, body, submitted_at"),
    (
        "candidate_references",
        "id, candidate_id, body, recorded_by, created_at",
    ),
    (
        "flag_resolutions",
        "candidate_id, flag, resolved_by, note, created_at",
    ),
    ("decisions", "*"),
    (
        "assignments",
        "candidate_id, stage, interviewer, created_at",
    ),
];

fn push_opening_counts(q: &mut QueryBuilder<Postgres>, v: &ListViewer, ids: &[OpeningId]) {
    let ids: Vec<i64> = ids.iter().map(|o| o.0).collect();
    if v.admin {
        // Kept by triggers (migration 0021): no candidate is read.
        q.push("SELECT opening_id, candidates AS n FROM opening_counts WHERE opening_id = ANY(")
            .push_bind(ids)
            .push(")");
        return;
    }
    q.push("SELECT c.opening_id, COUNT(*) AS n FROM candidates c WHERE c.opening_id = ANY(")
        .push_bind(ids)
        .push(")");
    q.push(" AND c.id IN (SELECT a.candidate_id FROM assignments a WHERE a.interviewer = ")
        .push_bind(v.name.clone())
        .push(")");
    q.push(" GROUP BY c.opening_id");
}

/// One line per step of a plan given as `EXPLAIN (FORMAT JSON)` gives it:
/// `Seq Scan on candidates`, `Index Scan on audit using audit_by_subject`, …
fn plan_lines(node: &serde_json::Value, out: &mut Vec<String>) {
    if let Some(list) = node.as_array() {
        for n in list {
            plan_lines(n, out);
        }
        return;
    }
    if let Some(plan) = node.get("Plan") {
        plan_lines(plan, out);
        return;
    }
    let Some(kind) = node.get("Node Type").and_then(|k| k.as_str()) else {
        return;
    };
    let mut line = kind.to_string();
    if let Some(table) = node.get("Relation Name").and_then(|t| t.as_str()) {
        line.push_str(&format!(" on {table}"));
    }
    if let Some(index) = node.get("Index Name").and_then(|t| t.as_str()) {
        line.push_str(&format!(" using {index}"));
    }
    out.push(line);
    if let Some(children) = node.get("Plans") {
        plan_lines(children, out);
    }
}

impl PgStore {
    /// The kept debriefs of `ids` or their lines (`sql` says which), as
    /// stored (JSON), for `kept_debriefs` and `kept_debrief_lines` to read.
    async fn kept_debrief_texts(
        &self,
        sql: &'static str,
        ids: &[CandidateId],
    ) -> R<Vec<(i64, String)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        sqlx::query_as(sql)
            .bind(id_list(ids))
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("read the page's kept debriefs"))
    }

    /// The plans PostgreSQL chooses for `queries` (each begins with
    /// `EXPLAIN (FORMAT JSON)`), one line per step, with sequential scans
    /// priced out: on small test tables a scan is always cheapest, so a scan
    /// left in the plan means no index could serve the query.
    async fn explain(&self, queries: Vec<QueryBuilder<Postgres>>) -> R<Vec<String>> {
        let mut tx = self
            .pool
            .begin()
            .await
            .map_err(StoreError::query("start a read for a query plan"))?;
        sqlx::query("SET LOCAL enable_seqscan = off")
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query("price out sequential scans"))?;
        let mut out = Vec::new();
        for mut q in queries {
            let row = q
                .build()
                .fetch_one(&mut *tx)
                .await
                .map_err(StoreError::query("explain a list query"))?;
            // `json` is sent as its text.
            let text: String =
                sqlx::Row::try_get_unchecked(&row, 0).map_err(super::corrupt("query plan"))?;
            let plan: serde_json::Value = decode("query plan", &text)?;
            plan_lines(&plan, &mut out);
        }
        // Rolled back on drop: the setting goes with the transaction.
        Ok(out)
    }

    /// The plans PostgreSQL chooses for a candidate page, for its stage counts
    /// and (with text) for its highlights, one line per step (for tests that
    /// hold the lists to their indexes).
    pub async fn explain_candidate_page(&self, c: &CandidateQuery) -> R<Vec<String>> {
        let explain = || QueryBuilder::<Postgres>::new("EXPLAIN (FORMAT JSON) ");
        let mut queries = Vec::new();
        let mut q = explain();
        push_page(&mut q, c);
        queries.push(q);
        if c.text.is_some() {
            let mut q = explain();
            push_page_in(&mut q, c, Some(c.limit.saturating_mul(WINDOW_DOCS_PER_ROW)));
            queries.push(q);
        }
        let mut q = explain();
        push_counts(&mut q, c);
        queries.push(q);
        if let Some(text) = &c.text {
            let mut q = explain();
            let ids = [CandidateId(1), CandidateId(2), CandidateId(3)];
            if push_snippets(&mut q, text, &ids, &c.viewer) {
                queries.push(q);
            }
        }
        self.explain(queries).await
    }

    /// The plans of the other hot lists: openings, opening counts, the audit
    /// trail of one subject, pages of the audit log (see [`audit_pages`]), the
    /// debrief inputs, the out-of-date summaries and the hires.
    pub async fn explain_other_lists(&self, viewer: &ListViewer) -> R<Vec<String>> {
        let explain = || QueryBuilder::<Postgres>::new("EXPLAIN (FORMAT JSON) ");
        let mut queries = Vec::new();
        let mut q = explain();
        q.push(OPENING_PAGE_SQL)
            .push_bind(0_i64)
            .push(" ORDER BY id LIMIT ")
            .push_bind(50_i64);
        queries.push(q);
        let mut q = explain();
        push_opening_counts(&mut q, viewer, &[OpeningId(1)]);
        queries.push(q);
        let mut q = explain();
        q.push("SELECT * FROM audit WHERE subject = ")
            .push_bind("candidate:1")
            .push(" AND id < ")
            .push_bind(100_i64)
            .push(" ORDER BY id DESC LIMIT 50");
        queries.push(q);
        for f in audit_pages() {
            let mut q = explain();
            q.push(super::hiring::AUDIT_SQL);
            super::hiring::push_audit_filter(&mut q, &f);
            queries.push(q);
        }
        for (table, _) in DEBRIEF_TABLES {
            let mut q = explain();
            q.push(format!("SELECT * FROM {table} WHERE candidate_id = ANY("))
                .push_bind(vec![1_i64, 2])
                .push(")");
            queries.push(q);
        }
        for sql in [KEPT_DEBRIEFS, KEPT_DEBRIEF_LINES] {
            let mut q = explain();
            let (head, tail) = sql.split_once("$1").unwrap_or((sql, ""));
            q.push(head).push_bind(vec![1_i64, 2]).push(tail);
            queries.push(q);
        }
        let mut q = explain();
        q.push(STALE_SQL.replace("$1", "")).push_bind(200_i64);
        queries.push(q);
        // The hires of every opening (the outcome reminders' pass).
        let mut q = explain();
        let mut parts = super::outcomes::HIRES_SQL.split("$1");
        q.push(parts.next().unwrap_or_default());
        for part in parts {
            q.push_bind(None::<i64>).push(part);
        }
        queries.push(q);
        self.explain(queries).await
    }
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

fn page_row(row: &PgRow) -> R<CandidateRow> {
    let w = "candidate row";
    Ok(CandidateRow {
        candidate: CandidateRecord {
            id: CandidateId(get(row, "id", w)?),
            opening: OpeningId(get(row, "opening_id", w)?),
            name: get(row, "name", w)?,
            email: get(row, "email", w)?,
            internal: get(row, "internal", w)?,
            wants_leadership: get(row, "wants_leadership", w)?,
            gives_up: get(row, "gives_up", w)?,
            stage: get(row, "stage", w)?,
            created_at: ts(row, "created_at", w)?,
            status: get(row, "status", w)?,
            status_reason: get(row, "status_reason", w)?,
            source: get(row, "source", w)?,
            links: get(row, "links", w)?,
        },
        opening_title: get(row, "opening_title", w)?,
        summary: Summary {
            scorecards: u32::try_from(get::<Option<i64>>(row, "scorecards", w)?.unwrap_or(0))
                .unwrap_or(0),
            technical_depth: get(row, "technical_depth", w)?,
            team_multiplier: get(row, "team_multiplier", w)?,
            meets_bar: get::<Option<bool>>(row, "meets_bar", w)?.unwrap_or(false),
            raised_flags: flags(
                &get::<Option<String>>(row, "raised_flags", w)?.unwrap_or_default(),
            ),
            debrief_flags: flags(
                &get::<Option<String>>(row, "debrief_flags", w)?.unwrap_or_default(),
            ),
            unresolved_flags: u32::try_from(
                get::<Option<i64>>(row, "unresolved_flags", w)?.unwrap_or(0),
            )
            .unwrap_or(0),
            debrief: None,
        },
        assignments: Vec::new(),
        own_stages: Vec::new(),
        snippet: None,
    })
}

fn id_list(ids: &[CandidateId]) -> Vec<i64> {
    ids.iter().map(|c| c.0).collect()
}

impl PgStore {
    /// Add to a page's rows what the viewer's own records say (assignments,
    /// scorecards' stages) and, for a search, each row's best visible match.
    async fn complete_rows(
        &self,
        mut rows: Vec<CandidateRow>,
        c: &CandidateQuery,
    ) -> R<Vec<CandidateRow>> {
        if rows.is_empty() {
            return Ok(rows);
        }
        let ids: Vec<CandidateId> = rows.iter().map(|r| r.candidate.id).collect();
        let at: BTreeMap<CandidateId, usize> =
            ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        for row in sqlx::query(
            "SELECT candidate_id, stage, interviewer, created_at FROM assignments
             WHERE candidate_id = ANY($1) AND interviewer = $2
             ORDER BY created_at, stage, interviewer",
        )
        .bind(id_list(&ids))
        .bind(&c.viewer.name)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query("list the page's assignments"))?
        {
            let id = CandidateId(get(&row, "candidate_id", "assignment")?);
            if let Some(i) = at.get(&id) {
                rows[*i].assignments.push(Assignment {
                    stage: get(&row, "stage", "assignment")?,
                    interviewer: get(&row, "interviewer", "assignment")?,
                    assigned_at: ts(&row, "created_at", "assignment")?,
                });
            }
        }
        for row in sqlx::query(
            "SELECT DISTINCT candidate_id, stage FROM scorecards
             WHERE interviewer = $1 AND candidate_id = ANY($2)",
        )
        .bind(&c.viewer.name)
        .bind(id_list(&ids))
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::query(
            "list the viewer's scorecards on the page",
        ))? {
            let id = CandidateId(get(&row, "candidate_id", "scorecard")?);
            if let Some(i) = at.get(&id) {
                rows[*i].own_stages.push(get(&row, "stage", "scorecard")?);
            }
        }
        if let Some(text) = &c.text {
            let mut q = QueryBuilder::<Postgres>::new("");
            if push_snippets(&mut q, text, &ids, &c.viewer) {
                for row in q
                    .build()
                    .fetch_all(&self.pool)
                    .await
                    .map_err(StoreError::query("highlight the matches"))?
                {
                    let id = CandidateId(get(&row, "candidate_id", "match")?);
                    if let Some(i) = at.get(&id) {
                        let body: String = get(&row, "body", "match")?;
                        let headline: String = get(&row, "snippet", "match")?;
                        rows[*i].snippet = Some(Snippet {
                            source: get(&row, "source", "match")?,
                            text: with_ellipses(&body, &headline),
                        });
                    }
                }
            }
        }
        Ok(rows)
    }
}

impl ListStore for PgStore {
    async fn candidate_page(&self, c: &CandidateQuery) -> R<Vec<CandidateRow>> {
        let read = |window: Option<u32>| async move {
            let mut q = QueryBuilder::<Postgres>::new("");
            push_page_in(&mut q, c, window);
            q.build()
                .fetch_all(&self.pool)
                .await
                .map_err(StoreError::query("list a page of candidates"))?
                .iter()
                .map(page_row)
                .collect::<R<Vec<CandidateRow>>>()
        };
        if c.text.is_some() {
            let rows = read(Some(c.limit.saturating_mul(WINDOW_DOCS_PER_ROW))).await?;
            if rows.len() >= c.limit as usize {
                return self.complete_rows(rows, c).await;
            }
        }
        let rows = read(None).await?;
        self.complete_rows(rows, c).await
    }

    async fn stage_pages(
        &self,
        c: &CandidateQuery,
        stages: &[(String, Option<CandidateId>)],
    ) -> R<Vec<Vec<CardRow>>> {
        if stages.is_empty() {
            return Ok(Vec::new());
        }
        let mut q = QueryBuilder::<Postgres>::new("");
        for (i, (stage, after)) in stages.iter().enumerate() {
            q.push(if i == 0 { "(" } else { ") UNION ALL (" });
            let mut one = c.clone();
            one.stage = Some(stage.clone());
            one.after = *after;
            push_page(&mut q, &one);
        }
        q.push(")");
        let rows: Vec<CandidateRow> = q
            .build()
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("list the pages of several stages"))?
            .iter()
            .map(page_row)
            .collect::<R<_>>()?;
        let rows = self.complete_rows(rows, c).await?;
        Ok(deal_by_stage(
            rows.into_iter().map(CardRow::from).collect(),
            stages,
        ))
    }

    async fn stage_counts(&self, c: &CandidateQuery) -> R<BTreeMap<String, u64>> {
        let mut q = QueryBuilder::<Postgres>::new("");
        push_counts(&mut q, c);
        q.build()
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
        let mut q = QueryBuilder::<Postgres>::new(OPENING_PAGE_SQL);
        q.push_bind(after.map_or(0, |o| o.0));
        if !archived {
            q.push(" AND status <> 'archived'");
        }
        q.push(" ORDER BY id LIMIT ").push_bind(i64::from(limit));
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
        let mut q = QueryBuilder::<Postgres>::new("");
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
        sqlx::query(STALE_SQL)
            .bind(i64::from(limit))
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
                "UPDATE candidate_summary SET stale = FALSE, scorecards = $1, technical_depth = $2,
                     team_multiplier = $3, meets_bar = $4, raised_flags = $5, debrief_flags = $6,
                     unresolved_flags = $7, debrief = $8, debrief_line = $9
                 WHERE candidate_id = $10 AND generation = $11",
            )
            .bind(i64::from(s.scorecards))
            .bind(s.technical_depth)
            .bind(s.team_multiplier)
            .bind(s.meets_bar)
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
        sqlx::query("UPDATE candidate_summary SET stale = TRUE")
            .execute(&mut *tx)
            .await
            .map_err(StoreError::query("mark every summary out of date"))?;
        sqlx::query(
            "INSERT INTO summary_basis (id, framework) VALUES (1, $1)
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
        let mut out: BTreeMap<CandidateId, Vec<FlagResolution>> = BTreeMap::new();
        if ids.is_empty() {
            return Ok(out);
        }
        let rows = sqlx::query(
            "SELECT candidate_id, flag, resolved_by, note FROM flag_resolutions
             WHERE candidate_id = ANY($1) ORDER BY created_at, flag",
        )
        .bind(id_list(ids))
        .fetch_all(&self.pool)
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

    async fn debrief_inputs(&self, ids: &[CandidateId]) -> R<BTreeMap<CandidateId, DebriefInputs>> {
        let mut out: BTreeMap<CandidateId, DebriefInputs> = ids
            .iter()
            .map(|id| (*id, DebriefInputs::default()))
            .collect();
        if ids.is_empty() {
            return Ok(out);
        }
        let list = id_list(ids);
        let fetch = |table: &str, columns: &str, order: &str| {
            format!("SELECT {columns} FROM {table} WHERE candidate_id = ANY($1) ORDER BY {order}")
        };
        let rows = |sql: String, what: &'static str| {
            let list = list.clone();
            let pool = self.pool.clone();
            async move {
                // Table and column names come from DEBRIEF_TABLES, never from input.
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(list)
                    .fetch_all(&pool)
                    .await
                    .map_err(StoreError::query(what))
            }
        };
        let [cards, refs, _, _, assigned] = DEBRIEF_TABLES;
        for row in rows(
            fetch(assigned.0, assigned.1, "created_at, stage, interviewer"),
            "list the page's assignments",
        )
        .await?
        {
            let id = CandidateId(get(&row, "candidate_id", "assignment")?);
            if let Some(d) = out.get_mut(&id) {
                d.assignments.push(Assignment {
                    stage: get(&row, "stage", "assignment")?,
                    interviewer: get(&row, "interviewer", "assignment")?,
                    assigned_at: ts(&row, "created_at", "assignment")?,
                });
            }
        }
        for row in rows(fetch(cards.0, cards.1, "id"), "list the page's scorecards").await? {
            let id = CandidateId(get(&row, "candidate_id", "scorecard")?);
            if let Some(d) = out.get_mut(&id) {
                d.scorecards.push(ScorecardRecord {
                    id: get(&row, "id", "scorecard")?,
                    candidate: id,
                    card: decode("scorecard", &get::<String>(&row, "body", "scorecard")?)?,
                    submitted_at: ts(&row, "submitted_at", "scorecard")?,
                });
            }
        }
        for row in rows(fetch(refs.0, refs.1, "id"), "list the page's references").await? {
            let id = CandidateId(get(&row, "candidate_id", "reference")?);
            if let Some(d) = out.get_mut(&id) {
                d.references.push(ReferenceRecord {
                    id: get(&row, "id", "reference")?,
                    candidate: id,
                    reference: decode("reference", &get::<String>(&row, "body", "reference")?)?,
                    recorded_by: get(&row, "recorded_by", "reference")?,
                    created_at: ts(&row, "created_at", "reference")?,
                });
            }
        }
        for (id, resolutions) in self.flag_resolutions(ids).await? {
            if let Some(d) = out.get_mut(&id) {
                d.resolutions = resolutions;
            }
        }
        for (id, decisions) in self.decisions_of(ids).await? {
            if let Some(d) = out.get_mut(&id) {
                d.decisions = decisions;
            }
        }
        Ok(out)
    }

    async fn kept_debriefs(&self, ids: &[CandidateId]) -> R<BTreeMap<CandidateId, Debrief>> {
        read_kept_debriefs(self.kept_debrief_texts(KEPT_DEBRIEFS, ids).await?)
    }

    async fn kept_debrief_lines(
        &self,
        ids: &[CandidateId],
    ) -> R<BTreeMap<CandidateId, DebriefLine>> {
        read_kept_debriefs(self.kept_debrief_texts(KEPT_DEBRIEF_LINES, ids).await?)
    }

    async fn decisions_of(
        &self,
        ids: &[CandidateId],
    ) -> R<BTreeMap<CandidateId, Vec<DecisionRecord>>> {
        let mut out: BTreeMap<CandidateId, Vec<DecisionRecord>> = BTreeMap::new();
        if ids.is_empty() {
            return Ok(out);
        }
        for row in sqlx::query("SELECT * FROM decisions WHERE candidate_id = ANY($1) ORDER BY id")
            .bind(id_list(ids))
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::query("list the page's decisions"))?
        {
            let d = super::hiring::decision(&row)?;
            out.entry(d.candidate).or_default().push(d);
        }
        Ok(out)
    }
}

/// The debriefs kept beside up-to-date summaries (migration 0025).
const KEPT_DEBRIEFS: &str = "SELECT candidate_id, debrief FROM candidate_summary
     WHERE candidate_id = ANY($1) AND NOT stale AND debrief IS NOT NULL";
/// Their lines (migration 0026), read out of the whole debrief where a summary
/// was saved before lines were kept.
const KEPT_DEBRIEF_LINES: &str = "SELECT candidate_id, coalesce(debrief_line, debrief)
     FROM candidate_summary
     WHERE candidate_id = ANY($1) AND NOT stale AND debrief IS NOT NULL";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_callers_fts5_words_become_tsquery_lexemes() {
        assert_eq!(
            tsquery("\"Zanz\"* \"rollback\"*").as_deref(),
            Some("'zanz':* & 'rollback':*")
        );
        assert_eq!(tsquery("exact").as_deref(), Some("'exact'"));
        // tsquery's own syntax only separates words; only FTS5's `*` makes a prefix.
        assert_eq!(
            tsquery("a & b | !c:* 'd' (e)").as_deref(),
            Some("'a' & 'b' & 'c' & 'd' & 'e'")
        );
        assert_eq!(tsquery("\"it's\"*").as_deref(), Some("'it' & 's':*"));
        assert_eq!(tsquery("\"Ærø\"*").as_deref(), Some("'ærø':*"));
        assert_eq!(tsquery("' & | ! * \"\""), None);
        assert_eq!(tsquery(""), None);
    }

    #[test]
    fn a_cut_passage_is_marked_with_ellipses_like_sqlites_snippet() {
        let body = "one two three four";
        assert_eq!(
            with_ellipses("walked the rollback", "walked the \u{1}rollback\u{2}"),
            "walked the \u{1}rollback\u{2}"
        );
        assert_eq!(with_ellipses("a b c d", "b \u{1}c\u{2}"), "…b \u{1}c\u{2}…");
        assert_eq!(with_ellipses("a b c d", "\u{1}a\u{2} b"), "\u{1}a\u{2} b…");
        assert_eq!(with_ellipses(body, "four"), "…four");
        assert_eq!(
            with_ellipses("(a) <b>c</b>.", "(\u{1}a\u{2}) <b>c</b"),
            "(\u{1}a\u{2}) <b>c</b>."
        );
    }

    #[test]
    fn flags_round_trip_through_their_column() {
        let f = vec!["a".to_string(), "b-c".to_string()];
        assert_eq!(flags(&flag_text(&f)), f);
        assert_eq!(flag_text(&[]), "");
    }
}
