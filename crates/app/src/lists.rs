//! Paging, the candidates' summaries and the lists built on them.
//!
//! Every list is paged by a keyset cursor: an opaque string that names the
//! last row of the page; the next page starts after it. Sorting, filtering and
//! *who may see what* run in SQL (see `multiplier_store::ListStore`); this
//! module turns what a person asked into a store query, decides each row's
//! [`Sight`] from the assignments the store returns, and shapes the rows.

use crate::actor::Account;
use crate::error::{AppError, AppResult, FieldProblem};
use crate::{App, Sight};
use multiplier_core::framework::Signal;
use multiplier_core::pipeline::debrief;
use multiplier_store::{CandidateId, DebriefInputs, ListStore, ListViewer, ListedRow, Summary};
use serde::Serialize;
use std::collections::BTreeSet;

/// Rows per page unless asked otherwise.
pub const DEFAULT_LIMIT: u32 = 50;
/// The most rows one page may hold.
pub const MAX_LIMIT: u32 = 200;

/// Which page of a list: how many rows, and where to start.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageRequest {
    /// 1 to [`MAX_LIMIT`]; [`DEFAULT_LIMIT`] when `None`.
    pub limit: Option<u32>,
    /// The `next` of the previous page; the first page when `None`.
    pub cursor: Option<String>,
}

impl PageRequest {
    pub fn first(limit: u32) -> PageRequest {
        PageRequest {
            limit: Some(limit),
            cursor: None,
        }
    }
}

/// One page of a list and the cursor of the next (`None` on the last page).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub next: Option<String>,
}

/// The page size asked for, checked.
pub(crate) fn limit_of(page: &PageRequest, problems: &mut Vec<FieldProblem>) -> u32 {
    match page.limit {
        None => DEFAULT_LIMIT,
        Some(n) if (1..=MAX_LIMIT).contains(&n) => n,
        Some(_) => {
            problems.push(FieldProblem::new(
                "limit",
                format!("a page holds 1 to {MAX_LIMIT} rows"),
            ));
            DEFAULT_LIMIT
        }
    }
}

/// The cursor after row `id` of a list of `kind`.
pub(crate) fn cursor(kind: &str, id: i64) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let text = format!("{kind}:{id}");
    // Into one string: a `format!` per byte was a dozen allocations per
    // cursor, nine cursors on a full board.
    let mut out = String::with_capacity(text.len() * 2);
    for b in text.bytes() {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0x0f)]));
    }
    out
}

/// The id a cursor of `kind` names; a problem on `cursor` when it is not one.
pub(crate) fn after(
    kind: &str,
    page: &PageRequest,
    problems: &mut Vec<FieldProblem>,
) -> Option<i64> {
    let text = page
        .cursor
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())?;
    let bytes: Option<Vec<u8>> = (0..text.len())
        .step_by(2)
        .map(|i| {
            text.get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        })
        .collect();
    let decoded = bytes.and_then(|b| String::from_utf8(b).ok()).and_then(|s| {
        s.strip_prefix(&format!("{kind}:"))
            .and_then(|n| n.parse::<i64>().ok())
    });
    if decoded.is_none() {
        problems.push(FieldProblem::new(
            "cursor",
            "this cursor does not belong to this list; start again from the first page",
        ));
    }
    decoded
}

/// The rows of one store page of `limit + 1` rows, and the next cursor.
pub(crate) fn split_page<T>(
    kind: &str,
    mut rows: Vec<T>,
    limit: u32,
    id: impl Fn(&T) -> i64,
) -> (Vec<T>, Option<String>) {
    let limit = limit as usize;
    if rows.len() > limit {
        rows.truncate(limit);
        let next = rows.last().map(|r| cursor(kind, id(r)));
        (rows, next)
    } else {
        (rows, None)
    }
}

pub(crate) fn viewer(account: &Account) -> ListViewer {
    ListViewer {
        name: account.name.clone(),
        admin: account.is_admin(),
    }
}

/// Where `account` stands on a row of a page.
pub(crate) fn row_sight(account: &Account, row: &impl ListedRow) -> Sight {
    let own: BTreeSet<&str> = row.own_stages().iter().map(String::as_str).collect();
    Sight::from_parts(account, row.assignments(), &own)
}

/// Text with the matched words between `\u{1}` and `\u{2}`, HTML-escaped and
/// the matches wrapped in `<mark>` (only after escaping, so no text of a
/// candidate or a colleague can add markup).
pub fn highlight_html(marked: &str) -> String {
    let mut out = String::with_capacity(marked.len() + 16);
    for ch in marked.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\u{1}' => out.push_str("<mark>"),
            '\u{2}' => out.push_str("</mark>"),
            c => out.push(c),
        }
    }
    out
}

/// What the search matched, for one candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Highlight {
    /// Where the words were found: `name`, `scorecard`, `reference`, `work`
    /// (the candidate's answers or review) or `evidence`.
    pub source: String,
    /// The passage, plain.
    pub text: String,
    /// The passage HTML-escaped, the matched words in `<mark>`.
    pub html: String,
    /// The passage with the matches between `\u{1}` and `\u{2}`.
    #[serde(skip)]
    pub marked: String,
}

impl Highlight {
    pub(crate) fn of(s: &multiplier_store::Snippet) -> Highlight {
        Highlight {
            source: s.source.clone(),
            text: s.text.replace(['\u{1}', '\u{2}'], ""),
            html: highlight_html(&s.text),
            marked: s.text.clone(),
        }
    }

    /// The plain passage with each match between `open` and `close` (for a
    /// terminal, say).
    pub fn text_marked(&self, open: &str, close: &str) -> String {
        self.marked.replace('\u{1}', open).replace('\u{2}', close)
    }
}

/// An FTS5 query from what a person typed: each word must appear (as a word or
/// the start of one), quoted so nothing typed is read as query syntax.
pub(crate) fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\"*"))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

fn median(d: &multiplier_core::pipeline::Debrief, signal: Signal) -> Option<f64> {
    d.signals
        .iter()
        .find(|v| v.signal == signal)
        .and_then(|v| v.median)
}

/// A candidate's summary, by the framework's decision policy.
pub(crate) fn summarize(fw: &multiplier_core::Framework, i: &DebriefInputs) -> Summary {
    let cards: Vec<_> = i.scorecards.iter().map(|r| r.card.clone()).collect();
    let refs: Vec<_> = i.references.iter().map(|r| r.reference.clone()).collect();
    let d = debrief(fw, &cards, &refs, &i.resolutions)
        .awaiting(crate::decisions::waiting_for(&i.assignments, &cards));
    let in_ = cards
        .iter()
        .map(|c| (c.stage.as_str(), c.interviewer.as_str()))
        .collect::<BTreeSet<_>>()
        .len();
    let raised: BTreeSet<String> = cards
        .iter()
        .flat_map(|c| c.red_flags.iter().map(|f| f.id.clone()))
        .collect();
    Summary {
        scorecards: u32::try_from(in_).unwrap_or(u32::MAX),
        technical_depth: median(&d, Signal::TechnicalDepth),
        team_multiplier: median(&d, Signal::TeamMultiplier),
        meets_bar: d.meets_bar,
        raised_flags: raised.into_iter().collect(),
        debrief_flags: d.red_flags.iter().map(|f| f.id.clone()).collect(),
        unresolved_flags: u32::try_from(
            d.red_flags
                .iter()
                .filter(|f| f.resolution.is_none())
                .count(),
        )
        .unwrap_or(u32::MAX),
        debrief: Some(Box::new(d)),
    }
}

impl App {
    /// Bring every out-of-date summary up to date (the triggers mark them in
    /// the same transaction as each write); lists call this before they read.
    /// The first call after a start also tells the store which framework the
    /// summaries follow: when it is not the one they were computed with (its
    /// bars or policy were edited between two starts), every summary is
    /// computed again.
    pub async fn refresh_summaries(&self) -> AppResult<usize> {
        use std::sync::atomic::Ordering;
        if !self.summaries_checked.load(Ordering::Acquire) {
            let basis = serde_json::to_string(&*self.framework).map_err(|e| {
                AppError::Internal(format!("cannot write the framework as JSON: {e}"))
            })?;
            self.store.summaries_follow(&basis).await?;
            self.summaries_checked.store(true, Ordering::Release);
        }
        let mut done = 0;
        // Bounded: a candidate written to on every round stays stale for the
        // next reader, it never keeps this loop going.
        for _ in 0..10_000 {
            let stale = self.store.stale_summaries(200).await?;
            if stale.is_empty() {
                break;
            }
            let ids: Vec<CandidateId> = stale.iter().map(|(id, _)| *id).collect();
            let inputs = self.store.debrief_inputs(&ids).await?;
            let summaries: Vec<_> = stale
                .into_iter()
                .map(|(id, generation)| {
                    let s = inputs
                        .get(&id)
                        .map(|i| summarize(&self.framework, i))
                        .unwrap_or_default();
                    (id, generation, s)
                })
                .collect();
            let saved = self.store.save_summaries(&summaries).await?;
            done += saved;
            if saved == 0 {
                break;
            }
        }
        Ok(done)
    }
}

impl App {
    /// The red flags of a page's rows as badges (title, severity, resolved or
    /// not), for the rows whose viewer may read others' judgements and that
    /// have a flag in their debrief. Drawn from the rows' summaries and one
    /// query for the resolutions: no scorecard is read.
    pub(crate) async fn flag_badges<'a, T: ListedRow + 'a>(
        &self,
        account: &Account,
        rows: impl IntoIterator<Item = &'a T>,
    ) -> AppResult<std::collections::BTreeMap<CandidateId, Vec<multiplier_core::pipeline::FlagBadge>>>
    {
        let flagged: Vec<&T> = rows
            .into_iter()
            .filter(|r| !r.debrief_flags().is_empty())
            .filter(|r| row_sight(account, *r).sees_others_scorecards())
            .collect();
        if flagged.is_empty() {
            return Ok(Default::default());
        }
        let ids: Vec<CandidateId> = flagged.iter().map(|r| r.candidate_id()).collect();
        let resolutions = self.store.flag_resolutions(&ids).await?;
        Ok(flagged
            .into_iter()
            .map(|r| {
                let resolved = resolutions
                    .get(&r.candidate_id())
                    .map_or(&[][..], Vec::as_slice);
                let badges = multiplier_core::pipeline::flag_badges(
                    &self.framework,
                    r.debrief_flags(),
                    resolved,
                );
                (r.candidate_id(), badges)
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(cursor: &str) -> PageRequest {
        PageRequest {
            limit: None,
            cursor: Some(cursor.to_string()),
        }
    }

    #[test]
    fn a_cursor_is_its_list_and_id_in_hex_and_reads_back_only_there() {
        let next = cursor("board", 4_207);
        assert_eq!(next, "626f6172643a34323037");
        let mut problems = Vec::new();
        assert_eq!(after("board", &request(&next), &mut problems), Some(4_207));
        assert!(problems.is_empty());
        // Another list's cursor, and text that is not hex, are refused.
        assert_eq!(after("openings", &request(&next), &mut problems), None);
        assert_eq!(after("board", &request("zz"), &mut problems), None);
        assert_eq!(problems.len(), 2);
    }
}
