//! Candidates: search across openings, and one candidate's page.
//!
//! - `GET /candidates?text=&opening=&stage=&min-technical-depth=&min-team-multiplier=&flag=`:
//!   the filters of `multiplier candidate search`, through the same core function
//!   ([`multiplier_core::pipeline::search`]). An interviewer sees only candidates
//!   assigned to them; where the blind rule keeps others' scorecards from them,
//!   only their own scorecards are searched and no score is shown.
//! - `GET /candidates/{id}`: the header (with the promotion-trap answers of an
//!   internal candidate), the links through the loop, the scorecards under the
//!   blind rule, the references under the same rule, the evidence, the decision,
//!   and the timeline from the audit log, newest first.

use super::board::{self, stage_name};
use super::evidence;
use super::loop_nav::{self, signal_name};
use crate::access::{self, CandidateContext};
use crate::auth::CurrentUser;
use crate::error::WebResult;
use crate::{AppState, csrf, layout};
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use maud::{Markup, html};
use multiplier_core::Framework;
use multiplier_core::pipeline::{SearchFilter, SearchHit, Searchable, search};
use multiplier_store::{AuditEntry, AuditFilter, HiringStore, OpeningId, ScorecardRecord};
use serde::Deserialize;
use std::collections::BTreeMap;
use tower_sessions::Session;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/candidates", get(search_page))
        .route("/candidates/{id}", get(show))
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
}

fn some(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// The query as core's filter and an opening, or what is wrong with it.
fn parse_query(
    fw: &Framework,
    q: &SearchQuery,
) -> Result<(SearchFilter, Option<OpeningId>), Vec<String>> {
    let mut problems = Vec::new();
    let mut score = |raw: &str, what: &str| -> Option<f64> {
        let t = raw.trim();
        if t.is_empty() {
            return None;
        }
        match t.parse::<f64>() {
            Ok(v) if (1.0..=4.0).contains(&v) => Some(v),
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
    let stage = some(&q.stage);
    if let Some(s) = &stage
        && fw.stage(s).is_none()
    {
        problems.push(format!("“{s}” is not a stage; choose one from the list."));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok((
        SearchFilter {
            stage,
            min_technical_depth,
            min_team_multiplier,
            flag: some(&q.flag),
            text: some(&q.text),
        },
        opening,
    ))
}

struct Row {
    id: multiplier_store::CandidateId,
    name: String,
    opening: String,
    stage: String,
    internal: bool,
    /// `None` when the blind rule hides the scores from this person.
    scores: Option<SearchHit>,
}

async fn find(
    state: &AppState,
    user: &CurrentUser,
    filter: &SearchFilter,
    opening: Option<OpeningId>,
) -> WebResult<Vec<Row>> {
    let fw = &state.framework;
    let openings: BTreeMap<OpeningId, multiplier_store::OpeningRecord> = state
        .store
        .openings()
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let mut rows = Vec::new();
    for c in state.store.candidates(opening).await? {
        if filter.stage.as_ref().is_some_and(|s| *s != c.stage) {
            continue;
        }
        let assignments = state.store.assignments(c.id).await?;
        if !access::lists(user, &assignments) {
            continue;
        }
        let Some(o) = openings.get(&c.opening) else {
            continue;
        };
        let ctx = CandidateContext {
            candidate: c.clone(),
            opening: o.clone(),
            assignments,
        };
        let readable = access::may_read_scorecards(state, user, &ctx)
            .await?
            .is_ok();
        // What this person may read is all that is searched.
        let cards: Vec<_> = state
            .store
            .scorecards(c.id)
            .await?
            .into_iter()
            .filter(|r| readable || r.card.interviewer == user.name)
            .map(|r| r.card)
            .collect();
        let references: Vec<_> = if readable {
            state
                .store
                .references(c.id)
                .await?
                .into_iter()
                .map(|r| r.reference)
                .collect()
        } else {
            Vec::new()
        };
        let resolutions = state.store.resolutions(c.id).await?;
        let evidence: Vec<String> = if filter.text.is_some() {
            state
                .store
                .evidence(c.id)
                .await?
                .iter()
                .map(|e| format!("{} {} {}", e.kind, e.source, e.body))
                .collect()
        } else {
            Vec::new()
        };
        let hit = search(
            fw,
            filter,
            &Searchable {
                name: &c.name,
                stage: &c.stage,
                cards: &cards,
                references: &references,
                resolutions: &resolutions,
                evidence: &evidence,
            },
        );
        if let Some(hit) = hit {
            rows.push(Row {
                id: c.id,
                name: c.name,
                opening: o.title.clone(),
                stage: stage_name(fw, &c.stage).to_string(),
                internal: c.internal,
                scores: readable.then_some(hit),
            });
        }
    }
    Ok(rows)
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
    let openings = state.store.openings().await?;
    let parsed = parse_query(fw, &q);
    let rows = match &parsed {
        Ok((filter, opening)) => Some(find(&state, &user, filter, *opening).await?),
        Err(_) => None,
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
                div { label for="flag" { "Red flag raised" }
                    select #flag name="flag" {
                        option value="" { "Any or none" }
                        @for f in &fw.red_flags {
                            option value=(f.id) selected[q.flag.trim() == f.id] { (f.title) }
                        }
                    } }
            }
            button type="submit" { "Search" }
            " " a href="/candidates" { "Clear" }
        }
        @match (&parsed, &rows) {
            (Err(problems), _) => {
                div.alert role="alert" { ul { @for p in problems { li { (p) } } } }
            }
            (Ok(_), Some(rows)) if rows.is_empty() => {
                p.notice { "No candidate matches." }
            }
            (Ok(_), Some(rows)) => {
                div.table-scroll {
                    table.results {
                        caption { (rows.len()) " candidate(s)" }
                        thead { tr {
                            th scope="col" { "Name" } th scope="col" { "Opening" } th scope="col" { "Stage" }
                            th scope="col" { "Technical depth" } th scope="col" { "Team multiplier" }
                            th scope="col" { "Both bars" } th scope="col" { "Red flags" }
                        } }
                        tbody {
                            @for r in rows {
                                tr {
                                    th scope="row" { a href={ "/candidates/" (r.id) } { (r.name) }
                                        @if r.internal { " " span.chip.internal { "internal" } } }
                                    td { (r.opening) }
                                    td { (r.stage) }
                                    @match &r.scores {
                                        Some(hit) => {
                                            td { (score_cell(hit.technical_depth)) }
                                            td { (score_cell(hit.team_multiplier)) }
                                            td { (layout::chip(if hit.meets_bar { "clears" } else { "not yet" }, hit.meets_bar)) }
                                            td { @if hit.red_flags.is_empty() { "—" } @else { (hit.red_flags.join(", ")) } }
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
            }
            _ => {}
        }
    };
    let status = if parsed.is_err() {
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

/// The latest version of each (stage, interviewer) scorecard, in stage order.
fn latest(fw: &Framework, cards: &[ScorecardRecord]) -> Vec<ScorecardRecord> {
    let mut by: BTreeMap<(String, String), ScorecardRecord> = BTreeMap::new();
    for r in cards {
        let key = (r.card.stage.clone(), r.card.interviewer.clone());
        if by
            .get(&key)
            .is_none_or(|old| old.card.version < r.card.version)
        {
            by.insert(key, r.clone());
        }
    }
    let order = |s: &str| {
        fw.stages
            .iter()
            .position(|x| x.id == s)
            .unwrap_or(usize::MAX)
    };
    let mut out: Vec<ScorecardRecord> = by.into_values().collect();
    out.sort_by_key(|r| (order(&r.card.stage), r.card.interviewer.clone()));
    out
}

fn scorecard(fw: &Framework, r: &ScorecardRecord, own: bool) -> Markup {
    let c = &r.card;
    html! {
        article.scorecard {
            h3 { (stage_name(fw, &c.stage)) " — " (c.interviewer)
                @if own { " " span.chip.good { "yours" } } }
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
                        li { (layout::chip("red flag", false)) " " code.rule { (f.id) } ": " (f.note) }
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
        "candidate.move" => "Moved",
        "interviewer.assign" => "Interviewer assigned",
        "scorecard.submit" => "Scorecard submitted",
        "scorecard.amend" => "Scorecard amended",
        "evidence.attach" => "Evidence attached",
        "reference.add" => "Reference recorded",
        "flag.resolve" => "Red flag resolved",
        "decision.record" => "Decision recorded",
        "offer.make" => "Offer made",
        "offer.accept" => "Offer accepted",
        "onboarding.done" => "Onboarding step done",
        other => other,
    }
}

/// The links through the loop this person may follow.
fn loop_links(fw: &Framework, user: &CurrentUser, ctx: &CandidateContext) -> Markup {
    let base = format!("/candidates/{}", ctx.candidate.id);
    let stages: Vec<(&str, &str)> = fw
        .stages
        .iter()
        .filter(|s| !s.signals.is_empty() && s.id != "references")
        .filter(|s| user.is_admin() || ctx.is_assigned(&user.name, &s.id))
        .map(|s| (s.id.as_str(), s.name.as_str()))
        .collect();
    html! {
        nav.loop-nav aria-label="Interview loop" {
            ul {
                @for (id, name) in stages {
                    li { a href={ (base) "/stages/" (id) } { (name) } }
                }
                @if user.is_admin() || ctx.is_assigned(&user.name, "references") {
                    li { a href={ (base) "/references" } { "References" } }
                }
                li { a href={ (base) "/debrief" } { "Debrief" } }
                @if user.is_admin() {
                    li { a href={ (base) "/offer" } { "Offer" } }
                    li { a href={ (base) "/onboarding" } { "Onboarding" } }
                    li { a href={ (base) "/portal" } { "Candidate link" } }
                }
            }
        }
    }
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
) -> WebResult<Markup> {
    let token = csrf::token(&session).await?;
    let fw = &state.framework;
    let ctx = access::candidate(&state, &user, loop_nav::candidate_id(&id)?).await?;
    let c = &ctx.candidate;
    let blind = access::may_read_scorecards(&state, &user, &ctx)
        .await?
        .err();
    let all = state.store.scorecards(c.id).await?;
    let cards = latest(fw, &all);
    let (mine, others): (Vec<_>, Vec<_>) = cards
        .into_iter()
        .partition(|r| r.card.interviewer == user.name);
    let references = state.store.references(c.id).await?;
    let evidence = state.store.evidence(c.id).await?;
    let decisions = state.store.decisions(c.id).await?;
    let mut timeline = state
        .store
        .audit(&AuditFilter {
            subject: Some(format!("candidate:{}", c.id)),
            newest_first: true,
            ..AuditFilter::default()
        })
        .await?;
    timeline.truncate(200);
    let accounts = if user.is_admin() {
        board::account_names(&state).await?
    } else {
        Vec::new()
    };
    let pending: Vec<&str> = ctx
        .stages_of(&user.name)
        .into_iter()
        .filter(|s| !mine.iter().any(|r| r.card.stage == *s))
        .collect();
    let body = html! {
        nav.crumbs aria-label="Breadcrumb" {
            a href="/openings" { "Openings" } " › "
            a href={ "/openings/" (ctx.opening.id) } { (ctx.opening.title) } " › " (c.name)
        }
        h1 { (c.name) @if c.internal { " " span.chip.internal { "internal" } } }
        p {
            "Stage: " strong { (stage_name(fw, &c.stage)) } " · opening "
            a href={ "/openings/" (ctx.opening.id) } { (ctx.opening.title) }
            " · added " (c.created_at.strftime("%Y-%m-%d"))
            @if user.is_admin() { @if let Some(email) = &c.email { " · " (email) } }
        }
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
        (loop_links(fw, &user, &ctx))
        @if !pending.is_empty() {
            p.notice { "You still owe a scorecard for: "
                @for (i, s) in pending.iter().enumerate() {
                    @if i > 0 { ", " }
                    a href={ "/candidates/" (c.id) "/stages/" (s) } { (stage_name(fw, s)) }
                } "." }
        }

        h2 { "Interviewers" }
        @if ctx.assignments.is_empty() {
            p.hint { "Nobody is assigned yet." }
        } @else {
            table {
                thead { tr { th scope="col" { "Stage" } th scope="col" { "Interviewer" } th scope="col" { "Scorecard" } } }
                tbody {
                    @for a in &ctx.assignments {
                        tr {
                            td { (stage_name(fw, &a.stage)) }
                            td { (a.interviewer) }
                            td { @if all.iter().any(|r| r.card.stage == a.stage && r.card.interviewer == a.interviewer) { "in" } @else { "not yet" } }
                        }
                    }
                }
            }
        }
        @if user.is_admin() {
            details.manage {
                summary { "Move or assign" }
                form method="post" action={ "/candidates/" (c.id) "/move" } {
                    (layout::csrf_field(&token))
                    input type="hidden" name="back" value="candidate";
                    label for="move-stage" { "Move to" }
                    select #move-stage name="stage" {
                        @for s in &fw.stages { option value=(s.id) selected[s.id == c.stage] { (s.name) } }
                    }
                    button.secondary type="submit" { "Move" }
                }
                (board::assign_form(fw, &token, c.id, &accounts, "candidate"))
            }
        }

        h2 { "Scorecards" }
        @for r in &mine { (scorecard(fw, r, true)) }
        @match &blind {
            Some(reason) => {
                p.notice role="status" {
                    @if others.is_empty() { "Others' scorecards stay hidden: " }
                    @else { (others.len()) " scorecard(s) by others stay hidden: " }
                    (reason) ". Submit your own first, so every first impression stays independent."
                }
            }
            None => {
                @for r in &others { (scorecard(fw, r, false)) }
                @if mine.is_empty() && others.is_empty() { p.hint { "No scorecards yet." } }
            }
        }

        h2 { "References" }
        @match &blind {
            Some(_) => p.notice { "References stay hidden under the same rule as scorecards, until your own scorecard is in." },
            None => {
                @if references.is_empty() {
                    p.hint { "No references yet." }
                }
                @for r in &references {
                    @let x = &r.reference;
                    article.reference {
                        h3 { (x.name) " " span.hint { "(" (x.kind.id()) ", " (x.relationship) ")" } }
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
            }
        }

        h2 { "Evidence" }
        p.hint { "Produced by the tools (assessment analysis, code-review grade): it informs the scorecards, it is not one." }
        @if evidence.is_empty() { p.hint { "No evidence attached yet." } }
        @for e in &evidence { (evidence::render(e)) }

        @if !decisions.is_empty() && blind.is_none() {
            h2 { "Decision" }
            @for d in &decisions {
                p { strong { (d.outcome.id()) } " by " (d.decided_by) ", " (d.created_at.strftime("%Y-%m-%d")) " — " (d.rationale)
                    " " (layout::chip(if d.meets_bar { "both bars cleared" } else { "bars not both cleared" }, d.meets_bar)) }
            }
        }

        h2 { "Timeline" }
        @if timeline.is_empty() {
            p.hint { "Nothing recorded yet." }
        } @else {
            ol.timeline reversed {
                @for e in &timeline {
                    li {
                        time datetime=(e.at.to_string()) { (e.at.strftime("%Y-%m-%d %H:%M")) " UTC" }
                        " · " strong { (timeline_label(e)) } " · " (e.detail) " " span.hint { "by " (e.actor) }
                    }
                }
            }
        }
    };
    Ok(layout::page(&c.name, Some(&user), &token, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> SearchQuery {
        serde_urlencoded::from_str(&serde_urlencoded::to_string(pairs).unwrap()).unwrap()
    }

    #[test]
    fn the_query_becomes_cores_filter() {
        let fw = Framework::default_framework().unwrap();
        let (f, opening) = parse_query(
            &fw,
            &query(&[
                ("min-technical-depth", "3"),
                ("stage", "debrief"),
                ("opening", "1"),
                ("text", " "),
            ]),
        )
        .unwrap();
        assert_eq!(f.min_technical_depth, Some(3.0));
        assert_eq!(f.stage.as_deref(), Some("debrief"));
        assert_eq!(f.text, None);
        assert_eq!(opening, Some(OpeningId(1)));
    }

    #[test]
    fn a_bad_filter_says_what_to_give() {
        let fw = Framework::default_framework().unwrap();
        let problems = parse_query(
            &fw,
            &query(&[("min-team-multiplier", "9"), ("stage", "nowhere")]),
        )
        .unwrap_err();
        assert_eq!(problems.len(), 2);
        assert!(problems[0].contains("from 1 to 4"));
    }
}
