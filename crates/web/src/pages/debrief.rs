//! The debrief: both signals side by side for each candidate, the red flags and
//! their resolution, the references weighted, and a plot of technical depth
//! against team multiplier with both bars drawn. The page explains; the person
//! decides, and the decision form records who decided what and why.
//!
//! - `GET /openings/{id}/debrief` (`App::opening_debrief`): every candidate at
//!   or past the debrief, or with scorecards, that the viewer may see; a
//!   candidate whose scorecards the blind rule still keeps from them is a
//!   hidden row. The plot and a table with its numbers, [`DEBRIEF_ROWS`] a
//!   page unless `?limit=` asks for another number.
//! - `GET /candidates/{id}/debrief` (`App::debrief`): one candidate in full;
//!   refused (403) while the viewer still owes a scorecard on them.
//! - `POST /candidates/{id}/decision` (`App::decide`): hire, no hire or hold,
//!   with a rationale; a hire the policy does not support needs the tick
//!   (`against_policy`).
//! - `POST /candidates/{id}/flags` (`App::resolve_flag`): resolve a raised red
//!   flag with the evidence that settles it.
//!
//! The forms show to admins; the use cases decide who may use them.

mod plot;

/// Candidates a page of an opening's debrief shows unless asked otherwise
/// (1–200; the API's pages hold 50). Each is a labelled point on the plot:
/// at 50, 38 of the labels of the 10,000-candidate bench opening had to be
/// moved off their points to stay apart; at 25, 15.
pub const DEBRIEF_ROWS: u32 = 25;

use super::field::{Errors, Posted};
use super::loop_nav::{self, Here, Subject, signal_name};
use super::paging::{PageParams, next_link};
use crate::auth::CurrentUser;
use crate::error::WebResult;
use crate::{AppState, csrf, layout};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{Markup, html};
use multiplier_app::{AppError, DebriefRow, DebriefView, DecisionInput};
use multiplier_core::pipeline::{Debrief, Outcome, SignalLine, score_text};
use multiplier_core::{Framework, Signal};
use plot::{Point, plot};
use serde::Deserialize;
use tower_sessions::Session;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/openings/{id}/debrief", get(opening_debrief))
        .route("/candidates/{id}/debrief", get(candidate_debrief))
        .route("/candidates/{id}/decision", post(decide))
        .route("/candidates/{id}/flags", post(resolve))
}

/// The framework's bar for a signal (4.0 when the policy names none, as core does).
fn bar(fw: &Framework, signal: Signal) -> f64 {
    fw.decision.bar(signal).map_or(4.0, |b| b.bar.get())
}

/// Plain sentences for whoever is about to record a hire the policy does not
/// support: each signal below its bar or short of raters, each open critical flag.
pub fn hire_warnings(fw: &Framework, d: &Debrief) -> Vec<String> {
    let mut out = Vec::new();
    for s in d.signals.iter().filter(|s| !s.clears) {
        let name = signal_name(fw, s.signal);
        match s.median {
            None => out.push(format!("{name} has no scores yet.")),
            Some(m) if m < s.bar => out.push(format!(
                "{name} is below its bar: the median is {}, the bar {}.",
                score_text(m),
                score_text(s.bar)
            )),
            Some(_) => {}
        }
        if s.raters < s.min_raters as usize {
            out.push(format!(
                "{name} has {} independent rater(s); the framework asks for {}.",
                s.raters, s.min_raters
            ));
        }
    }
    for f in d.red_flags.iter().filter(|f| f.blocks) {
        out.push(format!(
            "The critical red flag “{}” is open; it blocks a hire until someone resolves it with evidence.",
            f.title
        ));
    }
    out
}

/// What the policy said when a decision was recorded (stored as yes or no).
fn policy_chip(meets: bool) -> Markup {
    layout::chip(
        if meets {
            "policy: meets the bar"
        } else {
            "policy: does not meet the bar"
        },
        meets,
    )
}

fn signal_cell(s: Option<&SignalLine>) -> Markup {
    html! {
        @if let Some(s) = s {
            @match s.median {
                Some(m) => { strong { (score_text(m)) } " vs bar " (score_text(s.bar)) }
                None => { "no scores" }
            }
            br;
            span.hint { (s.raters) " of " (s.min_raters) " raters"
                @if let Some(sp) = s.spread { ", spread " (score_text(sp)) } }
            " " (layout::chip(if s.clears { "clears" } else { "below" }, s.clears))
        }
    }
}

async fn opening_debrief(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Query(page): Query<PageParams>,
) -> WebResult<Markup> {
    let token = csrf::token(&session).await?;
    let oid = super::board::opening_id(&id)?;
    let view = state
        .app
        .opening_debrief_lines(&user.account(), oid, &page.request_or(DEBRIEF_ROWS))
        .await?;
    let more = view
        .next
        .as_deref()
        .map(|n| page.next_href(&format!("/openings/{}/debrief", view.opening.id), n));
    let opening = &view.opening;
    let rows = &view.rows;
    let fw = &state.framework;
    let (bx, by) = (
        bar(fw, Signal::TechnicalDepth),
        bar(fw, Signal::TeamMultiplier),
    );
    let mut points = Vec::new();
    let mut unplotted = Vec::new();
    for row in rows {
        if let DebriefRow::Open {
            candidate: c,
            debrief: d,
            ..
        } = row
        {
            let td = d.signal(Signal::TechnicalDepth).and_then(|s| s.median);
            let tm = d.signal(Signal::TeamMultiplier).and_then(|s| s.median);
            match (td, tm) {
                (Some(x), Some(y)) => points.push(Point {
                    candidate: c.id.0,
                    label: c.name.clone(),
                    x,
                    y,
                    meets_bar: d.meets_bar,
                }),
                _ => unplotted.push(c.name.clone()),
            }
        }
    }
    let title = format!("Debrief: {}", opening.title);
    let td_name = signal_name(fw, Signal::TechnicalDepth);
    let tm_name = signal_name(fw, Signal::TeamMultiplier);
    let body = html! {
        nav.crumbs aria-label="Breadcrumb" {
            a href="/openings" { "Openings" } " › "
            a href={ "/openings/" (opening.id) } { (opening.title) }
        }
        h1 { (title) }
        p { "A hire needs " strong { "both" } " signals to clear their own bar — "
            (td_name) " at " (score_text(bx)) " and " (tm_name) " at " (score_text(by))
            " on the 1–4 scale, each from enough independent raters — and no open critical red flag. "
            "This page shows where each candidate stands. It does not decide: the hiring manager does, on each candidate's debrief." }
        @if rows.is_empty() {
            p.notice { "No candidate has reached the debrief or collected scorecards yet." }
        } @else {
            figure.plot-figure {
                (plot(&points, bx, by, &format!("{td_name} against {tm_name}"), "opening-plot"))
                figcaption.hint {
                    "Each point is a candidate at their two medians. Filled: the policy says they meet the bar; hollow: it does not. "
                    @if !unplotted.is_empty() {
                        "Not plotted, because a signal has no score yet: " (unplotted.join(", ")) "."
                    }
                }
            }
            div.table-scroll { table.debrief-table {
                caption { "Both signals, candidate by candidate (the same data as the plot)" }
                thead { tr {
                    th scope="col" { "Candidate" }
                    th scope="col" { (td_name) }
                    th scope="col" { (tm_name) }
                    th scope="col" { "Open critical flags" }
                    th scope="col" { "Policy" }
                    th scope="col" { "Decision" }
                } }
                tbody {
                    @for row in rows {
                        @match row {
                            DebriefRow::Open { candidate: c, debrief: d, decision: last } => {
                                tr {
                                    th scope="row" { a href={ "/candidates/" (c.id) "/debrief" } { (c.name) }
                                        br; span.hint { "stage " (c.stage) } }
                                    td { (signal_cell(d.signal(Signal::TechnicalDepth))) }
                                    td { (signal_cell(d.signal(Signal::TeamMultiplier))) }
                                    td { (d.blocking_flags()) }
                                    td { (layout::verdict_chip(&d.verdict())) }
                                    td { @if let Some(dec) = last { (dec.outcome.label()) " by " (dec.decided_by) } @else { "—" } }
                                }
                            }
                            DebriefRow::Hidden { candidate: c, reason } => {
                                tr.hidden-row {
                                    th scope="row" { (c.name) br; span.hint { "stage " (c.stage) } }
                                    td colspan="5" { "Hidden: " (reason) ". Submit your scorecard first: "
                                        a href={ "/candidates/" (c.id) } { "the candidate's page" } "." }
                                }
                            }
                        }
                    }
                }
            } }
            (next_link(more))
        }
    };
    Ok(layout::page(&title, Some(&user), &token, body))
}

/// What the forms on a candidate's debrief hold when one comes back refused.
#[derive(Debug, Default)]
struct Forms {
    outcome: String,
    rationale: String,
    decision: Errors,
    /// The flag whose resolution was refused, its note and the problem.
    flag: Option<(String, String)>,
    flag_errors: Errors,
}

#[derive(Debug, Default, Deserialize)]
struct Notice {
    decided: Option<String>,
    resolved: Option<String>,
}

async fn candidate_debrief(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Query(q): Query<Notice>,
) -> WebResult<Markup> {
    let token = csrf::token(&session).await?;
    let view = state
        .app
        .debrief(&user.account(), loop_nav::candidate_id(&id)?)
        .await?;
    Ok(render_candidate(
        &state.framework,
        &user,
        &token,
        &view,
        &Forms::default(),
        &q,
    ))
}

/// Where a problem with the decision goes on its form.
fn decision_field(field: &str) -> (String, &str) {
    match field {
        "against_policy" => ("confirm".to_string(), ""),
        "rationale" => ("rationale".to_string(), "Why"),
        _ => ("outcome".to_string(), "Your decision"),
    }
}

async fn decide(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Form(posted): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let id = loop_nav::candidate_id(&id)?;
    let account = user.account();
    let posted = Posted(posted);
    let mut forms = Forms {
        outcome: posted.get("outcome").to_string(),
        rationale: posted.get("rationale").to_string(),
        ..Forms::default()
    };
    let view = match Outcome::parse(&forms.outcome) {
        // No decision to hand over: refused as a decision would be, else the
        // form comes back asking for one.
        None => {
            let view = state.app.debrief_for_decision(&account, id).await?;
            forms
                .decision
                .add("outcome", "choose hire, no hire or hold");
            view
        }
        Some(outcome) => {
            let input = DecisionInput {
                outcome,
                rationale: forms.rationale.clone(),
                against_policy: posted.get("confirm") == "yes",
            };
            match state.app.decide(&account, id, &input).await {
                Ok(recorded) => {
                    tracing::info!(
                        outcome = outcome.id(),
                        meets_bar = recorded.meets_bar,
                        "decision recorded"
                    );
                    return Ok(Redirect::to(&format!(
                        "/candidates/{id}/debrief?decided={}",
                        outcome.id()
                    ))
                    .into_response());
                }
                Err(e @ AppError::Invalid { .. }) => {
                    forms.decision.place(e.problems(), decision_field);
                    state.app.debrief(&account, id).await?
                }
                Err(e) => return Err(e.into()),
            }
        }
    };
    refused(&state, &user, &session, &view, &forms).await
}

async fn resolve(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Form(posted): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let id = loop_nav::candidate_id(&id)?;
    let account = user.account();
    let posted = Posted(posted);
    let flag = posted.get("flag").to_string();
    let note = posted.get("note").to_string();
    match state.app.resolve_flag(&account, id, &flag, &note).await {
        Ok(_) => {
            Ok(Redirect::to(&format!("/candidates/{id}/debrief?resolved={flag}")).into_response())
        }
        Err(e @ AppError::Invalid { .. }) => {
            let mut forms = Forms {
                flag: Some((flag.clone(), note)),
                ..Forms::default()
            };
            let key = format!("resolve-{flag}");
            forms.flag_errors.place(e.problems(), |field| match field {
                "note" => (key.clone(), ""),
                _ => ("flags".to_string(), ""),
            });
            let view = state.app.debrief(&account, id).await?;
            refused(&state, &user, &session, &view, &forms).await
        }
        Err(e) => Err(e.into()),
    }
}

/// A stage's name from the framework (its id when unknown).
fn stage_label<'a>(fw: &'a Framework, id: &'a str) -> &'a str {
    fw.stage(id).map_or(id, |s| s.name.as_str())
}

/// Whether the rating comes from a scorecard amended after its interviewer
/// could read colleagues' scores.
fn unblinded(view: &DebriefView, r: &multiplier_core::pipeline::Rating) -> bool {
    // The rating is the latest version of the card for (stage, rater).
    let latest = view
        .scorecards
        .iter()
        .filter(|c| c.card.stage == r.stage && c.card.interviewer == r.rater)
        .max_by_key(|c| c.card.version);
    latest.is_some_and(|c| view.unblinded_amendments.contains(&c.id))
}

/// The candidate's debrief again, with the form's problems, as a 422.
async fn refused(
    state: &AppState,
    user: &CurrentUser,
    session: &Session,
    view: &DebriefView,
    forms: &Forms,
) -> WebResult<Response> {
    let token = csrf::token(session).await?;
    let page = render_candidate(
        &state.framework,
        user,
        &token,
        view,
        forms,
        &Notice::default(),
    );
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

fn render_candidate(
    fw: &Framework,
    user: &CurrentUser,
    token: &str,
    view: &DebriefView,
    forms: &Forms,
    notice: &Notice,
) -> Markup {
    let c = &view.candidate;
    let d = &view.debrief;
    let refs = &view.references;
    let decisions = &view.decisions;
    let warnings = hire_warnings(fw, d);
    let (bx, by) = (
        bar(fw, Signal::TechnicalDepth),
        bar(fw, Signal::TeamMultiplier),
    );
    let point = match (
        d.signal(Signal::TechnicalDepth).and_then(|s| s.median),
        d.signal(Signal::TeamMultiplier).and_then(|s| s.median),
    ) {
        (Some(x), Some(y)) => vec![Point {
            candidate: c.id.0,
            label: c.name.clone(),
            x,
            y,
            meets_bar: d.meets_bar,
        }],
        _ => Vec::new(),
    };
    let subject = Subject {
        candidate: c,
        opening: &view.opening,
        sight: &view.sight,
    };
    let weights = &fw.decision.reference_weights;
    let title = format!("Debrief: {}", c.name);
    let base = format!("/candidates/{}", c.id);
    // Notices only confirm what the records say.
    let decided = notice
        .decided
        .as_deref()
        .and_then(Outcome::parse)
        .filter(|o| decisions.last().is_some_and(|d| d.outcome == *o));
    let resolved = notice.resolved.as_deref().filter(|f| {
        d.red_flags
            .iter()
            .any(|x| x.id == *f && x.resolution.is_some())
    });
    let body = html! {
        (loop_nav::header(fw, subject, Here::Debrief, &title))
        @if let Some(o) = decided {
            div.notice role="status" { p { "Decision recorded: " strong { (o.id()) } "."
                @if o == Outcome::Hire && !d.meets_bar { " It goes against the policy's reading; your rationale is on record with it." } } }
        }
        @if let Some(f) = resolved {
            div.notice role="status" { p { "The red flag “" (fw.red_flag(f).map_or(f, |x| x.title.as_str())) "” is resolved." } }
        }
        @if c.internal {
            section.notice aria-labelledby="internal-heading" {
                h2 #internal-heading { "Internal candidate" }
                p { "Do they want the leadership work? " (c.wants_leadership.as_deref().unwrap_or("not asked yet")) }
                p { "What will they give up for it? " (c.gives_up.as_deref().unwrap_or("not asked yet")) }
            }
        }
        p { (layout::verdict_chip(&d.verdict())) " The two signals are judged apart: neither can make up for the other." }
        p.hint { "Compare with the other candidates on the "
            a href={ "/openings/" (view.opening.id) "/debrief" } { "opening's debrief" } "." }
        div.grid2.signals {
            @for s in &d.signals {
                section.signal aria-labelledby={ "sig-" (s.signal) } {
                    h2 id={ "sig-" (s.signal) } { (signal_name(fw, s.signal)) " "
                        (layout::chip(if s.clears { "clears" } else { "below" }, s.clears)) }
                    dl.facts {
                        dt { "Median" } dd { @if let Some(m) = s.median { (score_text(m)) } @else { "no scores" } " (bar " (score_text(s.bar)) ")" }
                        dt { "Independent raters" } dd { (s.raters) " (at least " (s.min_raters) " needed)" }
                        dt { "Spread" } dd { @if let Some(sp) = s.spread { (score_text(sp)) @if sp >= 2.0 { " — the raters disagree; talk it through" } } @else { "—" } }
                    }
                    @if !s.ratings.is_empty() {
                        div.table-scroll { table {
                            caption.hint { "Every score counted for this signal" }
                            thead { tr { th scope="col" { "Score" } th scope="col" { "From" } th scope="col" { "Evidence" } } }
                            tbody {
                                @for r in &s.ratings {
                                    tr {
                                        td { (score_text(r.score)) }
                                        td { (r.rater) br; span.hint { (stage_label(fw, &r.stage)) }
                                            @if unblinded(view, r) { br; (layout::chip_as("amended after seeing others' scores", "unblinded")) } }
                                        td { (r.note) }
                                    }
                                }
                                @for r in &s.set_aside {
                                    tr.hidden-row {
                                        td { s { (score_text(r.score)) } }
                                        td { (r.rater) br; span.hint { (stage_label(fw, &r.stage)) } }
                                        td { (r.note) }
                                    }
                                }
                            }
                        } }
                    }
                }
            }
        }
        @if !point.is_empty() {
            figure.plot-figure.small {
                (plot(&point, bx, by, &format!("{} against both bars", c.name), "candidate-plot"))
                figcaption.hint { "The candidate at their two medians; the dashed lines are the bars." }
            }
        }
        section aria-labelledby="flags-heading" {
            h2 #flags-heading { "Red flags" }
            (forms.flag_errors.summary())
            (forms.flag_errors.at("flags"))
            @if d.red_flags.is_empty() {
                p { "None raised." }
            } @else {
                div.table-scroll { table {
                    thead { tr { th scope="col" { "Flag" } th scope="col" { "Severity" } th scope="col" { "Raised by, and what they saw" } th scope="col" { "State" } } }
                    tbody {
                        @for f in &d.red_flags {
                            @let key = format!("resolve-{}", f.id);
                            tr {
                                th scope="row" { (f.title) }
                                td { (layout::severity_chip(f.severity)) }
                                td { ul { @for (who, note) in f.raised_by.iter().zip(&f.notes) { li { (who) ": " (note) } } } }
                                td {
                                    @if let Some(r) = &f.resolution {
                                        (layout::chip_as("resolved", "flag-resolved")) " by " (r.by) ": " (r.note)
                                    } @else {
                                        @if f.blocks { (layout::chip("open: blocks a hire", false)) } @else { (layout::chip_as("open", "sev-minor")) }
                                        @if view.sight.admin {
                                            form.inline method="post" action={ (base) "/flags" } id=(key) {
                                                (layout::csrf_field(token))
                                                input type="hidden" name="flag" value=(f.id);
                                                label for={ (key) "-note" } { "Evidence that settles it" }
                                                (forms.flag_errors.at(&key))
                                                input type="text" id={ (key) "-note" } name="note"
                                                    aria-describedby=[forms.flag_errors.described_by(&key)]
                                                    value=(forms.flag.as_ref().filter(|(id, _)| *id == f.id).map_or("", |(_, n)| n.as_str()));
                                                button.secondary type="submit" { "Resolve" }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                } }
            }
        }
        section aria-labelledby="refs-heading" {
            h2 #refs-heading { "References" }
            p.hint { "Pooled per signal with engineer references weighing " (weights.engineer) " and manager references " (weights.manager) "; the pooled score appears above as the rating from “references”." }
            @if refs.is_empty() { p { "None recorded." } }
            @else {
                div.table-scroll { table {
                    thead { tr { th scope="col" { "Reference" } th scope="col" { "Weight" } th scope="col" { "Key answer" } th scope="col" { "Example" } th scope="col" { "Readings" } } }
                    tbody {
                        @for r in refs {
                            @let x = &r.reference;
                            tr {
                                th scope="row" { (x.name) br; span.hint { (x.kind.id()) ", " (x.relationship) } }
                                td { (match x.kind { multiplier_core::pipeline::ReferenceKind::Engineer => weights.engineer, multiplier_core::pipeline::ReferenceKind::Manager => weights.manager }) }
                                td { (x.answer) }
                                td { @if x.example.trim().is_empty() { em { "none given" } } @else { (x.example) } }
                                td { @for (s, n) in &x.scores { (signal_name(fw, *s)) " " (n) br; } }
                            }
                        }
                    }
                } }
            }
        }
        section aria-labelledby="policy-heading" {
            h2 #policy-heading { "What the policy says" }
            ul { @for r in &d.reasons { li { (layout::inline_code(r)) } } }
        }
        section aria-labelledby="decision-heading" {
            h2 #decision-heading { "Decision" }
            @if decisions.is_empty() { p { "No decision recorded yet." } }
            @else {
                div.table-scroll { table {
                    thead { tr { th scope="col" { "When" } th scope="col" { "Who" } th scope="col" { "Outcome" } th scope="col" { "Policy said" } th scope="col" { "Why" } } }
                    tbody {
                        @for dec in decisions {
                            tr {
                                td { (dec.created_at.strftime("%Y-%m-%d %H:%M")) " UTC" }
                                td { (dec.decided_by) }
                                td { (dec.outcome.label()) }
                                td { (policy_chip(dec.meets_bar)) }
                                td { (dec.rationale) }
                            }
                        }
                    }
                } }
            }
            @if view.sight.admin {
                @if !warnings.is_empty() {
                    div.alert.hire-warning role="note" {
                        p { strong { "Before recording a hire, note that the policy does not support one:" } }
                        ul { @for w in &warnings { li { (w) } } }
                    }
                }
                (forms.decision.summary())
                form.loop-form method="post" action={ (base) "/decision" } {
                    (layout::csrf_field(token))
                    fieldset id="outcome" aria-describedby=[forms.decision.described_by("outcome")] {
                        legend { "Your decision" }
                        (forms.decision.at("outcome"))
                        @for (value, label) in [("hire", "Hire"), ("no-hire", "No hire"), ("hold", "Hold")] {
                            div.choice {
                                input type="radio" id={ "outcome-" (value) } name="outcome" value=(value) checked[forms.outcome == value];
                                label for={ "outcome-" (value) } { (label) }
                            }
                        }
                    }
                    label for="rationale" { "Why" }
                    (forms.decision.at("rationale"))
                    textarea id="rationale" name="rationale" required
                        aria-describedby=[forms.decision.described_by("rationale")] { (forms.rationale) }
                    @if !warnings.is_empty() || !d.meets_bar || forms.decision.has("confirm") {
                        div id="confirm" {
                            (forms.decision.at("confirm"))
                            div.choice {
                                input type="checkbox" id="confirm-box" name="confirm" value="yes"
                                    aria-describedby=[forms.decision.described_by("confirm")];
                                label for="confirm-box" { "I have read the warnings; if I choose hire, record it anyway" }
                            }
                        }
                    }
                    button type="submit" { "Record the decision" }
                }
            }
        }
    };
    layout::page(&title, Some(user), token, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use multiplier_core::pipeline::{Recommendation, Scorecard, debrief};
    use multiplier_core::score::Score;

    fn card(stage: &str, who: &str, signal: Signal, n: i64) -> Scorecard {
        Scorecard {
            stage: stage.into(),
            interviewer: who.into(),
            scores: [(signal, Score::new(n).unwrap())].into(),
            notes: [(signal, "seen".to_string())].into(),
            red_flags: Vec::new(),
            recommendation: Recommendation::Yes,
            version: 1,
            amendment_reason: None,
        }
    }

    #[test]
    fn warnings_name_a_low_median_and_missing_raters_per_signal() {
        let fw = Framework::default_framework().unwrap();
        let d = debrief(
            &fw,
            &[
                card("technical-depth", "a", Signal::TechnicalDepth, 4),
                card("code-review", "b", Signal::TechnicalDepth, 3),
                card("leadership", "c", Signal::TeamMultiplier, 2),
            ],
            &[],
            &[],
        );
        let w = hire_warnings(&fw, &d);
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(w[0].contains("Team multiplier is below its bar"), "{w:?}");
        assert!(w[1].contains("1 independent rater(s)"), "{w:?}");
    }
}
