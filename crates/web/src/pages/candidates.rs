//! Candidates: search across openings, one candidate's page, and correcting a
//! candidate's details.
//!
//! - `GET /candidates?text=&opening=&stage=&min-technical-depth=&min-team-multiplier=&flag=&unresolved=&code-review=&months=&limit=&cursor=`:
//!   the filters of `multiplier candidate search`, through `App::search`. An
//!   interviewer finds only the candidates assigned to them; where the blind
//!   rule keeps others' scorecards from them, only what they may read is
//!   searched and no score is shown.
//! - `GET /candidates/{id}`: `App::candidate`, rendered as it comes: the header
//!   (with the promotion-trap answers of an internal candidate, and the e-mail
//!   address when the view carries it), the links through the loop, the
//!   interviewers, the scorecards the viewer may read (the latest version of
//!   each, newest first, [`SCORECARDS`] a page, cut from the view's readable
//!   cards by `ScorecardListing::page`; `?limit=&cursor=` pick another page, reached by the "Older scorecards"
//!   link) and the references, each with a notice of how many stay hidden and
//!   why, the evidence, the decision when the view carries it, and the
//!   timeline, newest first.
//! - `POST /candidates/{id}/edit`: `App::edit_candidate` (name, e-mail, internal
//!   and the promotion-trap answers); back to the page with a notice, or the
//!   page again with each problem beside its field (422).

use super::board::{self, candidate_field, candidate_input, stage_name};
use super::evidence;
use super::field::{Errors, Posted};
use super::loop_nav::{self, Here, Subject, signal_name};
use super::paging::PageParams;
use crate::auth::CurrentUser;
use crate::error::WebResult;
use crate::{AppState, csrf, layout};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{Markup, PreEscaped, html};
use multiplier_app::{
    AppError, CandidateView, Page, PageRequest, ScorecardListing, ScorecardPage, SearchInput,
    SearchRow,
};
use multiplier_core::Framework;
use multiplier_core::pipeline::SearchFilter;
use multiplier_store::{AuditEntry, CandidateId, OpeningId, ScorecardRecord};
use serde::Deserialize;
use tower_sessions::Session;

/// Scorecards a page of the candidate's page shows (the newest) unless
/// `limit` asks for another number.
pub const SCORECARDS: u32 = 20;

/// Results a page of the search shows unless `limit` asks for another number
/// (1–200). Each row carries its matched passage, so twenty is already several
/// screens on a phone; the API's pages hold 50.
pub const SEARCH_RESULTS: u32 = 20;

/// The most timeline entries the page shows (the newest).
const TIMELINE: usize = 200;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/candidates", get(search_page))
        .route("/candidates/{id}", get(show))
        .route("/candidates/{id}/edit", post(edit))
}

// ------------------------------------------------------------------ search

#[derive(Debug, Default, Deserialize)]
struct SearchQuery {
    #[serde(default)]
    text: String,
    #[serde(default)]
    opening: String,
    #[serde(default)]
    stage: String,
    #[serde(default, rename = "min-technical-depth")]
    min_technical_depth: String,
    #[serde(default, rename = "min-team-multiplier")]
    min_team_multiplier: String,
    #[serde(default)]
    flag: String,
    #[serde(default)]
    show: String,
    /// `yes`: an unresolved red flag; `no`: none.
    #[serde(default)]
    unresolved: String,
    /// Any value: only candidates with code-review evidence.
    #[serde(default, rename = "code-review")]
    code_review: String,
    #[serde(default)]
    months: String,
    #[serde(default)]
    limit: String,
    #[serde(default)]
    cursor: String,
}

fn some(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// The query as the use case's input, or what could not be read in it (whether
/// a stage, a score or a flag is acceptable is the use case's to say).
fn parse_query(q: &SearchQuery) -> Result<SearchInput, Vec<String>> {
    let mut problems = Vec::new();
    let mut score = |raw: &str, what: &str| -> Option<f64> {
        let t = raw.trim();
        if t.is_empty() {
            return None;
        }
        match t.parse::<f64>() {
            Ok(v) if v.is_finite() => Some(v),
            _ => {
                problems.push(format!(
                    "The minimum {what} must be a score from 1 to 4 (such as 3 or 2.5), not “{t}”."
                ));
                None
            }
        }
    };
    let min_technical_depth = score(&q.min_technical_depth, "technical depth");
    let min_team_multiplier = score(&q.min_team_multiplier, "team multiplier");
    let shown = match q.show.parse::<multiplier_app::Shown>() {
        Ok(s) => s,
        Err(e) => {
            problems.push(e);
            multiplier_app::Shown::Current
        }
    };
    let mut whole = |raw: &str, what: &str| -> Option<u32> {
        let t = raw.trim();
        if t.is_empty() {
            return None;
        }
        t.parse::<u32>().map(Some).unwrap_or_else(|_| {
            problems.push(format!("{what} must be a whole number, not “{t}”."));
            None
        })
    };
    let months = whole(&q.months, "Added in the last … months");
    let limit = whole(&q.limit, "The page size").or(Some(SEARCH_RESULTS));
    let opening = match some(&q.opening) {
        None => None,
        Some(raw) => match raw.parse::<OpeningId>() {
            Ok(id) => Some(id),
            Err(e) => {
                problems.push(e);
                None
            }
        },
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(SearchInput {
        shown,
        opening,
        filter: SearchFilter {
            stage: some(&q.stage),
            min_technical_depth,
            min_team_multiplier,
            flag: some(&q.flag),
            text: some(&q.text),
        },
        unresolved_flags: match q.unresolved.trim() {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        },
        code_review: !q.code_review.trim().is_empty(),
        months,
        page: PageRequest {
            limit,
            cursor: some(&q.cursor),
        },
    })
}

/// This search's next page: the same query with the cursor moved on.
fn next_page_href(q: &SearchQuery, next: &str) -> String {
    let pairs = [
        ("text", q.text.as_str()),
        ("opening", q.opening.as_str()),
        ("stage", q.stage.as_str()),
        ("min-technical-depth", q.min_technical_depth.as_str()),
        ("min-team-multiplier", q.min_team_multiplier.as_str()),
        ("flag", q.flag.as_str()),
        ("unresolved", q.unresolved.as_str()),
        ("code-review", q.code_review.as_str()),
        ("months", q.months.as_str()),
        ("limit", q.limit.as_str()),
    ];
    let mut kept: Vec<(&str, &str)> = pairs
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .collect();
    kept.push(("cursor", next));
    format!(
        "/candidates?{}",
        serde_urlencoded::to_string(&kept).unwrap_or_default()
    )
}

/// A search problem the use case found, in the words of the form.
fn search_problem(field: &str, message: &str) -> String {
    let label = match field {
        "stage" => "Stage",
        "min_technical_depth" => "Technical depth at least",
        "min_team_multiplier" => "Team multiplier at least",
        "flag" => "Red flag raised",
        "opening" => "Opening",
        "text" => "Words",
        "months" => "Added in the last … months",
        "limit" => "Page size",
        "cursor" => "Page",
        other => other,
    };
    format!("{label}: {message}.")
}

/// Where a search matched, in words.
fn match_source(source: &str) -> &'static str {
    match source {
        "name" => "Name",
        "scorecard" => "Scorecard notes",
        "reference" => "Reference",
        "work" => "Their answers or review",
        _ => "Evidence",
    }
}

fn score_cell(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), |v| format!("{v:.1}"))
}

async fn search_page(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Query(q): Query<SearchQuery>,
) -> WebResult<Response> {
    let token = csrf::token(&session).await?;
    let fw = &state.framework;
    let account = user.account();
    let openings = state.app.opening_choices(&account).await?;
    let found: Result<Page<SearchRow>, Vec<String>> = match parse_query(&q) {
        Err(problems) => Err(problems),
        Ok(input) => match state.app.search(&account, &input).await {
            Ok(page) => Ok(page),
            Err(e @ AppError::Invalid { .. }) => Err(e
                .problems()
                .iter()
                .map(|p| search_problem(&p.field, &p.message))
                .collect()),
            Err(e) => return Err(e.into()),
        },
    };
    let body = html! {
        h1 { "Candidates" }
        p.hint {
            @if user.is_admin() { "Every candidate, searchable by both signals." }
            @else { "The candidates you are assigned to. Scores stay hidden until you have submitted your own scorecard for that candidate." }
        }
        form.search method="get" action="/candidates" {
            div.filters {
                div { label for="text" { "Words" }
                    input #text type="search" name="text" value=(q.text)
                        placeholder="name, notes, references, evidence"; }
                div { label for="opening" { "Opening" }
                    select #opening name="opening" {
                        option value="" { "Any opening" }
                        @for o in &openings {
                            option value=(o.id) selected[q.opening.trim() == o.id.to_string()] { (o.title) }
                        }
                    } }
                div { label for="stage" { "Stage" }
                    select #stage name="stage" {
                        option value="" { "Any stage" }
                        @for s in &fw.stages {
                            option value=(s.id) selected[q.stage.trim() == s.id] { (s.name) }
                        }
                    } }
                div { label for="min-technical-depth" { "Technical depth at least" }
                    input #min-technical-depth type="number" name="min-technical-depth" min="1" max="4" step="0.5"
                        value=(q.min_technical_depth); }
                div { label for="min-team-multiplier" { "Team multiplier at least" }
                    input #min-team-multiplier type="number" name="min-team-multiplier" min="1" max="4" step="0.5"
                        value=(q.min_team_multiplier); }
                div { label for="show" { "Status" }
                    select #show name="show" {
                        @for (v, label) in [("current", "In the pipeline"), ("ended", "Rejected, withdrawn or hired"), ("all", "Any")] {
                            option value=(v) selected[q.show.trim() == v || (v == "current" && q.show.trim().is_empty())] { (label) }
                        }
                    } }
                div { label for="flag" { "Red flag raised" }
                    select #flag name="flag" {
                        option value="" { "Any or none" }
                        @for f in &fw.red_flags {
                            option value=(f.id) selected[q.flag.trim() == f.id] { (f.title) }
                        }
                    } }
                div { label for="unresolved" { "Unresolved red flags" }
                    select #unresolved name="unresolved" {
                        option value="" { "Either" }
                        option value="yes" selected[q.unresolved.trim() == "yes"] { "At least one" }
                        option value="no" selected[q.unresolved.trim() == "no"] { "None" }
                    } }
                div { label for="months" { "Added in the last … months" }
                    input #months type="number" name="months" min="1" max="600" step="1"
                        value=(q.months); }
                div { label for="code-review" {
                    input #code-review type="checkbox" name="code-review" value="yes"
                        checked[!q.code_review.trim().is_empty()];
                    " Has code-review evidence" } }
            }
            @if !q.limit.trim().is_empty() { input type="hidden" name="limit" value=(q.limit); }
            button type="submit" { "Search" }
            " " a href="/candidates" { "Clear" }
        }
        @match &found {
            Err(problems) => {
                div.alert role="alert" { ul { @for p in problems { li { (p) } } } }
            }
            Ok(page) if page.rows.is_empty() && q.cursor.trim().is_empty() => {
                p.notice { "No candidate matches." }
            }
            Ok(page) => {
                @let rows = &page.rows;
                div.table-scroll {
                    table.results {
                        caption { (rows.len()) " candidate(s) on this page" }
                        thead { tr {
                            th scope="col" { "Name" } th scope="col" { "Opening" } th scope="col" { "Stage" }
                            th scope="col" { "Technical depth" } th scope="col" { "Team multiplier" }
                            th scope="col" { "Both bars" } th scope="col" { "Red flags" }
                        } }
                        tbody {
                            @for r in rows {
                                @let c = &r.candidate;
                                tr {
                                    th scope="row" { a href={ "/candidates/" (c.id) } { (c.name) }
                                        @if c.internal { " " span.chip.internal { "internal" } }
                                        @if let Some(m) = &r.matched {
                                            // Escaped before the <mark>s were added (App::search).
                                            p.match-text { span.hint { (match_source(&m.source)) ": " } (PreEscaped(&m.html)) }
                                        } }
                                    td { (r.opening_title) }
                                    td { (stage_name(fw, &c.stage)) }
                                    @match &r.hit {
                                        Some(hit) => {
                                            td { (score_cell(hit.technical_depth)) }
                                            td { (score_cell(hit.team_multiplier)) }
                                            td { (layout::chip(if hit.meets_bar { "clears" } else { "not yet" }, hit.meets_bar)) }
                                            td { @if hit.flags.is_empty() { "—" } @else { @for f in &hit.flags { (layout::flag_badge(f)) } } }
                                        }
                                        None => {
                                            td.hidden-score colspan="4" { "hidden until your scorecard is in" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                @if let Some(next) = &page.next {
                    p.pager { a rel="next" href=(next_page_href(&q, next)) { "Next page" } }
                }
            }
        }
    };
    let status = if found.is_err() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        layout::page("Candidates", Some(&user), &token, body),
    )
        .into_response())
}

// ------------------------------------------------------------------ one candidate

fn scorecard(fw: &Framework, r: &ScorecardRecord, own: bool, unblinded: &[i64]) -> Markup {
    let c = &r.card;
    html! {
        article.scorecard {
            h3 { (stage_name(fw, &c.stage)) " — " (c.interviewer)
                @if own { " " span.chip.good { "yours" } }
                @if unblinded.contains(&r.id) { " " (layout::chip_as("amended after seeing others' scores", "unblinded")) } }
            p.hint { "Version " (c.version) ", submitted " (r.submitted_at.strftime("%Y-%m-%d %H:%M")) " UTC · recommends " strong { (recommendation(c.recommendation)) } }
            @if let Some(reason) = &c.amendment_reason { p.hint { "Amended because: " (reason) } }
            dl.facts {
                @for (signal, score) in &c.scores {
                    dt { (signal_name(fw, *signal)) ": " (score) " / 4" }
                    dd { (c.notes.get(signal).map_or("", String::as_str)) }
                }
            }
            @if !c.red_flags.is_empty() {
                ul.plain {
                    @for f in &c.red_flags {
                        @let def = fw.red_flag(&f.id);
                        li { (def.map_or_else(|| layout::chip("red flag", false), |d| layout::severity_chip(d.severity)))
                            " " strong { (def.map_or(f.id.as_str(), |d| d.title.as_str())) } ": " (f.note) }
                    }
                }
            }
        }
    }
}

fn recommendation(r: multiplier_core::pipeline::Recommendation) -> &'static str {
    use multiplier_core::pipeline::Recommendation as R;
    match r {
        R::StrongNo => "strong no",
        R::No => "no",
        R::Yes => "yes",
        R::StrongYes => "strong yes",
    }
}

/// An audit entry in words for the timeline.
fn timeline_label(e: &AuditEntry) -> &str {
    match e.action.as_str() {
        "candidate.add" => "Added",
        "candidate.edit" => "Details corrected",
        "candidate.move" => "Moved",
        "candidate.apply" => "Applied",
        "candidate.status" => "Status changed",
        "note.add" => "Note written",
        "interviewer.assign" => "Interviewer assigned",
        "interviewer.unassign" => "Interviewer unassigned",
        "scorecard.submit" => "Scorecard submitted",
        "scorecard.amend" => "Scorecard amended",
        "evidence.attach" => "Evidence attached",
        "reference.add" => "Reference recorded",
        "flag.resolve" => "Red flag resolved",
        "decision.record" => "Decision recorded",
        "offer.make" => "Offer made",
        "offer.accept" => "Offer accepted",
        "onboarding.done" => "Onboarding step done",
        "portal.link.create" => "Candidate link made",
        "portal.link.revoke" => "Candidate link revoked",
        "portal.open" => "Opened their link",
        "portal.submit" => "Sent their work",
        "interview.schedule" => "Interview booked",
        "interview.move" => "Interview moved",
        "interview.cancel" => "Interview cancelled",
        "interview.slot.offer" => "Interview time offered",
        "mail.rejection" => "Rejection sent",
        other => other,
    }
}

/// An entry's detail without the actor it already names ("stage x, by tom"),
/// since the line says who did it once, after it, and with each stage by its
/// name rather than its id ("to stage code-review" reads "to Code review").
fn timeline_detail(fw: &Framework, e: &AuditEntry) -> String {
    let mut detail = e
        .detail
        .replace(&format!(", by {}", e.actor), "")
        .replace(&format!("by {}", e.actor), "")
        .trim()
        .trim_end_matches(',')
        .to_string();
    // Longest ids first, so one id that begins another is not replaced inside it.
    let mut stages: Vec<_> = fw.stages.iter().collect();
    stages.sort_by_key(|s| std::cmp::Reverse(s.id.len()));
    for s in stages {
        detail = replace_word(&detail, &format!("stage {}", s.id), &s.name);
    }
    detail
}

/// `text` with each `from` that ends at a word boundary replaced by `to`.
fn replace_word(text: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(from) {
        let after = &rest[at + from.len()..];
        let boundary = after
            .chars()
            .next()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '-' || c == '_'));
        out.push_str(&rest[..at]);
        out.push_str(if boundary { to } else { from });
        rest = after;
    }
    out.push_str(rest);
    out
}

#[derive(Debug, Default, Deserialize)]
struct Notice {
    edited: Option<String>,
    /// `manage=open`: the move and assign forms start open (the board's
    /// "another stage, or assign" link).
    manage: Option<String>,
}

/// The edit form as typed (after a refused edit) and its problems.
#[derive(Default)]
struct EditForm {
    posted: Option<Posted>,
    errors: Errors,
}

/// The admin's forms: move, assign, and correct the details.
fn manage(
    fw: &Framework,
    token: &str,
    view: &CandidateView,
    accounts: &[String],
    open: bool,
) -> Markup {
    let c = &view.candidate;
    html! {
        details #manage .manage open[open] {
            summary { "Move or assign" }
            form method="post" action={ "/candidates/" (c.id) "/move" } {
                (layout::csrf_field(token))
                input type="hidden" name="back" value="candidate";
                label for="move-stage" { "Move to" }
                select #move-stage name="stage" {
                    @for s in &fw.stages { option value=(s.id) selected[s.id == c.stage] { (s.name) } }
                }
                button.secondary type="submit" { "Move" }
            }
            (board::assign_form(fw, token, c, accounts, "candidate"))
        }
    }
}

fn edit_form(token: &str, view: &CandidateView, form: &EditForm) -> Markup {
    let c = &view.candidate;
    let e = &form.errors;
    let typed = |name: &str, stored: Option<&str>| -> String {
        match &form.posted {
            Some(p) => p.get(name).to_string(),
            None => stored.unwrap_or_default().to_string(),
        }
    };
    let internal = match &form.posted {
        Some(p) => p.get("internal") == "yes",
        None => c.internal,
    };
    html! {
        details.manage.edit-details open[!e.is_empty()] {
            summary { "Correct the details" }
            (e.summary())
            form method="post" action={ "/candidates/" (c.id) "/edit" } {
                (layout::csrf_field(token))
                label for="edit-name" { "Name" }
                (e.at("edit-name"))
                input #edit-name type="text" name="name" value=(typed("name", Some(&c.name)))
                    autocomplete="off" aria-describedby=[e.described_by("edit-name")];
                label for="edit-email" { "Email (optional)" }
                (e.at("edit-email"))
                input #edit-email type="email" name="email" value=(typed("email", c.email.as_deref()))
                    autocomplete="off" aria-describedby=[e.described_by("edit-email")];
                (e.at("edit-internal"))
                div.choice {
                    input #edit-internal type="checkbox" name="internal" value="yes" checked[internal]
                        aria-describedby=[e.described_by("edit-internal")];
                    label for="edit-internal" { "Internal candidate (already works here)" }
                }
                fieldset {
                    legend { "For internal candidates: the promotion-trap answers, in their words" }
                    label for="edit-wants-leadership" { "Do they want the leadership work itself?" }
                    (e.at("edit-wants-leadership"))
                    textarea #edit-wants-leadership name="wants-leadership"
                        aria-describedby=[e.described_by("edit-wants-leadership")] {
                        (typed("wants-leadership", c.wants_leadership.as_deref()))
                    }
                    label for="edit-gives-up" { "What will they give up for it?" }
                    (e.at("edit-gives-up"))
                    textarea #edit-gives-up name="gives-up"
                        aria-describedby=[e.described_by("edit-gives-up")] {
                        (typed("gives-up", c.gives_up.as_deref()))
                    }
                }
                button.secondary type="submit" { "Save the details" }
            }
        }
    }
}

/// Which page of the candidate's scorecards is shown, and that page.
struct CardsShown<'a> {
    size: &'a PageParams,
    page: ScorecardPage,
}

impl CardsShown<'_> {
    /// The candidate's page at another page of scorecards (the newest when
    /// `cursor` is `None`), keeping the page size.
    fn href(&self, id: CandidateId, cursor: Option<&str>) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(l) = self.size.limit {
            pairs.push(("limit", l.to_string()));
        }
        if let Some(c) = cursor {
            pairs.push(("cursor", c.to_string()));
        }
        let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        if query.is_empty() {
            format!("/candidates/{id}#scorecards")
        } else {
            format!("/candidates/{id}?{query}#scorecards")
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn render_candidate(
    fw: &Framework,
    user: &CurrentUser,
    token: &str,
    view: &CandidateView,
    cards: &CardsShown<'_>,
    accounts: &[String],
    edit: &EditForm,
    notice: &Notice,
) -> Markup {
    let c = &view.candidate;
    let sight = &view.sight;
    let later_page = !cards.size.cursor.trim().is_empty();
    let own_refs = view
        .references
        .iter()
        .filter(|r| r.recorded_by == sight.viewer)
        .count();
    // A notice confirms only what the records hold.
    let edited = notice.edited.is_some()
        && edit.errors.is_empty()
        && view.timeline.iter().any(|e| e.action == "candidate.edit");
    let subject = Subject {
        candidate: c,
        opening: &view.opening,
        sight,
    };
    let body = html! {
        nav.crumbs aria-label="Breadcrumb" {
            a href="/openings" { "Openings" } " › "
            a href={ "/openings/" (view.opening.id) } { (view.opening.title) } " › " (c.name)
        }
        h1 { (c.name) @if c.internal { " " span.chip.internal { "internal" } } }
        @if edited {
            div.notice role="status" { p { "The candidate's details are saved." } }
        }
        p {
            "Stage: " strong { (stage_name(fw, &c.stage)) } " · opening "
            a href={ "/openings/" (view.opening.id) } { (view.opening.title) }
            " · added " (c.created_at.strftime("%Y-%m-%d"))
            @if let Some(email) = &c.email { " · " (email) }
        }
        (super::lifecycle::status_line(view))
        @if c.internal {
            section.notice aria-labelledby="trap-heading" {
                h2 #trap-heading { "Promotion-trap check" }
                dl.facts {
                    dt { "Wants the leadership work?" }
                    dd { (c.wants_leadership.as_deref().unwrap_or("(not asked)")) }
                    dt { "Will give up" }
                    dd { (c.gives_up.as_deref().unwrap_or("(not asked)")) }
                }
            }
        }
        (loop_nav::links(fw, subject, Here::Record))
        @if !sight.pending.is_empty() {
            p.notice { "You still owe a scorecard for: "
                @for (i, s) in sight.pending.iter().enumerate() {
                    @if i > 0 { ", " }
                    a href={ "/candidates/" (c.id) "/stages/" (s) } { (stage_name(fw, s)) }
                } "." }
        }

        h2 { "Interviewers" }
        @if view.assignments.is_empty() {
            p.hint { "Nobody is assigned yet." }
        } @else {
            table {
                thead { tr { th scope="col" { "Stage" } th scope="col" { "Interviewer" } th scope="col" { "Scorecard" } } }
                tbody {
                    @for a in &view.assignments {
                        tr {
                            td { (stage_name(fw, &a.stage)) }
                            td { (a.interviewer) }
                            td { @if a.submitted { "in" } @else { "not yet" }
                                @if sight.admin && !a.submitted {
                                    form.inline method="post" action={ "/candidates/" (c.id) "/unassign" } {
                                        (layout::csrf_field(token))
                                        input type="hidden" name="stage" value=(a.stage);
                                        input type="hidden" name="interviewer" value=(a.interviewer);
                                        button.secondary type="submit" { "Unassign" span.visually-hidden { " " (a.interviewer) " from " (stage_name(fw, &a.stage)) } }
                                    }
                                } }
                        }
                    }
                }
            }
        }
        @if sight.admin {
            (manage(fw, token, view, accounts, notice.manage.as_deref() == Some("open")))
            (super::lifecycle::status_form(token, view))
            (edit_form(token, view, edit))
            (super::lifecycle::files(view))
        }

        h2 #scorecards { "Scorecards" }
        @if later_page { p.hint { "Older scorecards: the latest version of each, newest first." } }
        @for r in &cards.page.rows {
            (scorecard(fw, r, r.card.interviewer == sight.viewer, &view.unblinded_amendments))
        }
        @match &sight.blind {
            Some(reason) => {
                p.notice role="status" {
                    @if cards.page.hidden == 0 { "Others' scorecards stay hidden: " }
                    @else { (cards.page.hidden) " scorecard version(s) by others stay hidden: " }
                    (reason) ". Submit your own first, so every first impression stays independent."
                }
            }
            None => {
                @if cards.page.rows.is_empty() && !later_page { p.hint { "No scorecards yet." } }
            }
        }
        @if later_page || cards.page.next.is_some() {
            nav.pager aria-label="Scorecard pages" {
                @if later_page {
                    a href=(cards.href(c.id, None)) { "← Newest scorecards" }
                }
                @if let Some(next) = &cards.page.next {
                    " " a rel="next" href=(cards.href(c.id, Some(next))) { "Older scorecards →" }
                }
            }
        }

        h2 { "References" }
        @if sight.blind.is_some() {
            p.notice {
                "References stay hidden under the same rule as scorecards, until your own scorecard is in"
                @if view.hidden_references > 0 { " (" (view.hidden_references) " hidden)" }
                @if own_refs > 0 { "; the ones you recorded are below" }
                "."
            }
        } @else if view.references.is_empty() {
            p.hint { "No references yet." }
        }
        @for r in &view.references {
            @let x = &r.reference;
            article.reference {
                h3 { (x.name) " " span.hint { "(" (x.kind.id()) ", " (x.relationship) ")" }
                    @if r.recorded_by == sight.viewer { " " span.chip.good { "recorded by you" } } }
                p { "Did their code improve under the candidate's reviews? " (x.answer) }
                @if !x.example.is_empty() { p { "Example: " (x.example) } } @else { p.hint { "No concrete example given." } }
                @if !x.scores.is_empty() {
                    p.hint {
                        @for (i, (signal, score)) in x.scores.iter().enumerate() {
                            @if i > 0 { " · " }
                            (signal_name(fw, *signal)) " " (score) "/4"
                        }
                    }
                }
            }
        }

        h2 { "Evidence" }
        p.hint { "Produced by the tools (assessment analysis, code-review grade): it informs the scorecards, it is not one." }
        @if view.evidence.is_empty() && view.hidden_evidence == 0 { p.hint { "No evidence attached yet." } }
        @if view.hidden_evidence > 0 {
            p.notice role="status" { (view.hidden_evidence) " record(s) from the tools (grades, flags) stay hidden until your scorecard is in, like other people's scores." }
        }
        @for e in &view.evidence { (evidence::render(e)) }

        @if !view.resolutions.is_empty() {
            h2 { "Resolved red flags" }
            ul.plain {
                @for r in &view.resolutions {
                    li {
                        (layout::chip("resolved", true)) " "
                        (fw.red_flag(&r.flag).map_or(r.flag.as_str(), |f| f.title.as_str()))
                        " — by " (r.by) ": " (r.note)
                    }
                }
            }
        }

        @if !view.decisions.is_empty() {
            h2 { "Decision" }
            @for d in &view.decisions {
                p { strong { (d.outcome.id()) } " by " (d.decided_by) ", " (d.created_at.strftime("%Y-%m-%d")) " — " (d.rationale)
                    " " (layout::chip(if d.meets_bar { "both bars cleared" } else { "bars not both cleared" }, d.meets_bar)) }
            }
        }

        (super::lifecycle::notes(token, view))

        h2 { "Timeline" }
        @if view.timeline.is_empty() {
            p.hint { "Nothing recorded yet." }
        } @else {
            ol.timeline reversed {
                @for e in view.timeline.iter().rev().take(TIMELINE) {
                    li {
                        time datetime=(e.at.to_string()) { (e.at.strftime("%Y-%m-%d %H:%M")) " UTC" }
                        " · " strong { (timeline_label(e)) } " · " (timeline_detail(fw, e)) " " span.hint { "by " (e.actor) }
                    }
                }
            }
        }
    };
    layout::page(&c.name, Some(user), token, body)
}

/// The candidate's page: the view, and the accounts for the assign form when
/// the admin's forms show.
async fn candidate_page(
    state: &AppState,
    user: &CurrentUser,
    token: &str,
    id: CandidateId,
    size: &PageParams,
    edit: &EditForm,
    notice: &Notice,
) -> WebResult<Markup> {
    let account = user.account();
    let view = state.app.candidate(&account, id).await?;
    let request = size.request_or(SCORECARDS);
    // The view already holds the cards the blind rule lets this viewer read.
    let page = ScorecardListing::LatestNewestFirst.page(
        id,
        view.scorecards.clone(),
        view.hidden_scorecards,
        view.sight.blind.clone(),
        &request,
    )?;
    let cards = CardsShown { size, page };
    let accounts = if view.sight.admin {
        state.app.account_names(&account).await?
    } else {
        Vec::new()
    };
    Ok(render_candidate(
        &state.framework,
        user,
        token,
        &view,
        &cards,
        &accounts,
        edit,
        notice,
    ))
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Query(notice): Query<Notice>,
    Query(size): Query<PageParams>,
) -> WebResult<Markup> {
    let token = csrf::token(&session).await?;
    let id = loop_nav::candidate_id(&id)?;
    candidate_page(
        &state,
        &user,
        &token,
        id,
        &size,
        &EditForm::default(),
        &notice,
    )
    .await
}

async fn edit(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Form(posted): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let id = loop_nav::candidate_id(&id)?;
    let posted = Posted(posted);
    let input = candidate_input(&posted, None);
    match state.app.edit_candidate(&user.account(), id, &input).await {
        Ok(_) => {
            tracing::info!(candidate = id.0, "candidate details corrected");
            Ok(Redirect::to(&format!("/candidates/{id}?edited=1")).into_response())
        }
        Err(e @ AppError::Invalid { .. }) => {
            let mut errors = Errors::default();
            errors.place(e.problems(), |f| candidate_field("edit-", f));
            let token = csrf::token(&session).await?;
            let form = EditForm {
                posted: Some(posted),
                errors,
            };
            let page = candidate_page(
                &state,
                &user,
                &token,
                id,
                &PageParams::default(),
                &form,
                &Notice::default(),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod timeline_tests {
    use super::replace_word;

    #[test]
    fn a_stage_id_is_replaced_only_as_a_whole_word() {
        assert_eq!(
            replace_word("to stage code-review", "stage code-review", "Code review"),
            "to Code review"
        );
        assert_eq!(
            replace_word(
                "ana to stage code-review-extra",
                "stage code-review",
                "Code review"
            ),
            "ana to stage code-review-extra"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> SearchQuery {
        serde_urlencoded::from_str(&serde_urlencoded::to_string(pairs).unwrap()).unwrap()
    }

    #[test]
    fn the_query_becomes_the_use_cases_input() {
        let input = parse_query(&query(&[
            ("min-technical-depth", "3"),
            ("stage", "debrief"),
            ("opening", "1"),
            ("text", " "),
        ]))
        .unwrap();
        assert_eq!(input.filter.min_technical_depth, Some(3.0));
        assert_eq!(input.filter.stage.as_deref(), Some("debrief"));
        assert_eq!(input.filter.text, None);
        assert_eq!(input.opening, Some(OpeningId(1)));
    }

    #[test]
    fn what_cannot_be_read_says_what_to_give() {
        let problems =
            parse_query(&query(&[("min-team-multiplier", "lots"), ("opening", "x")])).unwrap_err();
        assert_eq!(problems.len(), 2);
        assert!(problems[0].contains("from 1 to 4"));
    }

    #[test]
    fn a_refused_filter_is_named_as_on_the_form() {
        assert_eq!(
            search_problem("min_team_multiplier", "must be a score from 1 to 4"),
            "Team multiplier at least: must be a score from 1 to 4."
        );
    }
}
