//! The job-description writer and linter.
//!
//! - `GET /jd?opening=N`: pick an opening (`App::opening_choices`); core writes the
//!   description from its role (`App::role`) and its baseline (`App::baseline`:
//!   the first metrics snapshot of each kind, as `multiplier jd write --opening N`
//!   uses), shown as Markdown text with a copy button, the facts it had to leave
//!   out, and what the linter says about it. Any signed-in account: roles and
//!   team numbers hold no personal data.
//! - `POST /jd/lint`: a pasted description, shown with line numbers and each
//!   finding under its line (rule id, matched text, reason, fix hint); findings
//!   about the whole document come first.
//!
//! Also serves `/static/jd.js` (the copy button; the text is selectable without it).

use crate::auth::CurrentUser;
use crate::error::{WebError, WebResult};
use crate::{AppState, csrf, layout};
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{Markup, html};
use multiplier_app::Account;
use multiplier_core::jd::{self, LintReport};
use multiplier_store::{OpeningId, OpeningRecord};
use serde::Deserialize;
use tower_sessions::Session;

pub const JD_JS: &str = include_str!("../../static/jd.js");

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/jd", get(page))
        .route("/jd/lint", post(lint))
        .route("/static/jd.js", get(script))
}

async fn script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        JD_JS,
    )
}

#[derive(Debug, Deserialize)]
struct JdQuery {
    opening: Option<String>,
}

/// A written description and what the linter said about it.
struct Written {
    opening: OpeningRecord,
    markdown: String,
    gaps: Vec<String>,
    report: LintReport,
    /// Whether measured numbers went in.
    has_baseline: bool,
}

async fn write_for(
    state: &AppState,
    account: &Account,
    opening: OpeningRecord,
) -> WebResult<Written> {
    let fw = &state.framework;
    let (role, baseline) = state.app.opening_role(account, opening.id).await?;
    let has_baseline = baseline != multiplier_core::delivery::Baseline::default();
    let description = jd::write(fw, &role, &baseline);
    let markdown = description.to_markdown();
    let report = state.app.lint_jd(markdown.clone()).await?;
    Ok(Written {
        opening,
        markdown,
        gaps: description.gaps,
        report,
        has_baseline,
    })
}

async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Query(q): Query<JdQuery>,
) -> WebResult<Markup> {
    let token = csrf::token(&session).await?;
    let account = user.account();
    let openings = state.app.opening_choices(&account).await?;
    let chosen = match q.opening.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(raw) => {
            let id: OpeningId = raw
                .parse()
                .map_err(|_| WebError::NotFound(format!("there is no opening `{raw}`")))?;
            Some(state.app.opening(&account, id).await?)
        }
    };
    let written = match chosen {
        Some(o) => Some(write_for(&state, &account, o).await?),
        None => None,
    };
    let selected = written.as_ref().map(|w| w.opening.id);
    let body = html! {
        h1 { "Job descriptions" }
        section aria-labelledby="write-heading" {
            h2 #write-heading { "Write one from an opening" }
            @if openings.is_empty() {
                p.notice { "There is no opening yet. "
                    @if user.is_admin() { a href="/openings/new" { "Open one" } " first; its intake answers are what the description is written from." }
                    @else { "A hiring manager opens one first." } }
            } @else {
                form method="get" action="/jd" {
                    label for="opening" { "Opening" }
                    select #opening name="opening" {
                        @for o in openings.iter() {
                            option value=(o.id) selected[selected == Some(o.id)] { (o.title) }
                        }
                    }
                    button type="submit" { "Write the description" }
                }
            }
            @if let Some(w) = &written { (written_markup(&token, w)) }
        }
        section aria-labelledby="lint-heading" {
            h2 #lint-heading { "Check any description" }
            (lint_form(&token, ""))
        }
        script src="/static/jd.js" defer {}
    };
    Ok(layout::page("Job descriptions", Some(&user), &token, body))
}

fn written_markup(token: &str, w: &Written) -> Markup {
    html! {
        h3 { "For " (w.opening.title) }
        p.hint {
            @if w.has_baseline {
                "Written from the role's intake answers and the team's baseline (the first saved metrics snapshot of each kind)."
            } @else {
                "Written from the role's intake answers. No metrics are saved for this opening, so it has no measured numbers yet: "
                code { "multiplier metrics save --opening " (w.opening.id) } " adds them."
            }
        }
        @if !w.gaps.is_empty() {
            div.notice {
                p { strong { "Left out for lack of facts:" } }
                ul { @for g in &w.gaps { li { (g) } } }
            }
        }
        div.copy-row {
            label for="jd-markdown" { "The description, in Markdown" }
            button.secondary type="button" data-copy="jd-markdown" hidden { "Copy" }
            span.copy-status aria-live="polite" {}
        }
        textarea #jd-markdown.markdown readonly rows="24" { (w.markdown) }
        h3 { "What the linter says about it" }
        @if w.report.findings.is_empty() {
            p.notice { "No findings." }
        } @else {
            (findings_list(&w.report, false))
            form method="post" action="/jd/lint" {
                (layout::csrf_field(token))
                input type="hidden" name="text" value=(w.markdown);
                button.secondary type="submit" { "Show the findings line by line" }
            }
        }
    }
}

fn lint_form(token: &str, text: &str) -> Markup {
    html! {
        form method="post" action="/jd/lint" {
            (layout::csrf_field(token))
            label for="jd-text" { "Paste a job description (Markdown or plain text)" }
            p.hint #jd-text-help { "Checked for missing facts (coding split, team shape, current numbers, success criteria, what the role will not do), hollow phrases and gender-coded wording." }
            textarea #jd-text name="text" rows="14" aria-describedby="jd-text-help" { (text) }
            button type="submit" { "Check it" }
        }
    }
}

/// Each finding in a list: rule, where, the matched text, why, and the fix.
fn findings_list(report: &LintReport, link_lines: bool) -> Markup {
    html! {
        ul.findings {
            @for f in &report.findings {
                li { (finding_body(f, link_lines)) }
            }
        }
    }
}

fn finding_body(f: &jd::Finding, link_lines: bool) -> Markup {
    html! {
        code.rule { (f.rule) }
        @if let Some(line) = f.line {
            " · "
            @if link_lines { a href={ "#L" (line) } { "line " (line) } } @else { "line " (line) }
        }
        @if !f.text.is_empty() { " · found “" mark { (f.text) } "”" }
        br;
        (f.message)
        br;
        span.hint { "Fix: " (f.hint) }
        @if !f.evidence.is_empty() {
            br;
            span.hint { "Counted: "
                @for (i, w) in f.evidence.iter().enumerate() {
                    @if i > 0 { ", " }
                    (w.word) " (line " (w.line) ", "
                    (match w.coding { jd::Coding::Masculine => "masculine", jd::Coding::Feminine => "feminine" }) ")"
                }
            }
        }
    }
}

#[derive(Debug, Deserialize)]
struct LintForm {
    #[serde(default)]
    text: String,
}

async fn lint(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Form(form): Form<LintForm>,
) -> WebResult<Response> {
    let token = csrf::token(&session).await?;
    let text = form.text.replace("\r\n", "\n");
    let refuse = |problem: String, keep: bool| {
        let body = html! {
            nav.crumbs aria-label="Breadcrumb" { a href="/jd" { "Job descriptions" } " › Check" }
            h1 { "Check a job description" }
            p.alert role="alert" { (problem) }
            (lint_form(&token, if keep { &text } else { "" }))
        };
        let page = layout::page("Check a job description", Some(&user), &token, body);
        (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
    };
    if text.trim().is_empty() {
        return Ok(refuse(
            "Paste a job description to check.".to_string(),
            true,
        ));
    }
    // The one input cap, as every door applies it (multiplier_app::limits).
    let report = match state.app.lint_jd(text.clone()).await {
        Ok(r) => r,
        Err(e) if !e.problems().is_empty() => {
            let problem = format!(
                "The description {}. Check it in parts.",
                e.problems()[0].message
            );
            return Ok(refuse(problem, false));
        }
        Err(e) => return Err(e.into()),
    };
    let whole: Vec<&jd::Finding> = report
        .findings
        .iter()
        .filter(|f| f.line.is_none())
        .collect();
    let s = &report.summary;
    let body = html! {
        nav.crumbs aria-label="Breadcrumb" { a href="/jd" { "Job descriptions" } " › Check" }
        h1 { "Check a job description" }
        p {
            @if report.findings.is_empty() { "No findings" } @else { (s.findings) " finding(s)" }
            " in " (s.words) " words · gender-coded words: " (s.masculine) " masculine, "
            (s.feminine) " feminine."
        }
        @if !whole.is_empty() {
            h2 { "About the whole description" }
            ul.findings {
                @for f in &whole { li { (finding_body(f, true)) } }
            }
        }
        h2 { "Line by line" }
        ol.numbered {
            @for (i, line) in text.lines().enumerate() {
                @let n = i + 1;
                @let here: Vec<&jd::Finding> = report.findings.iter().filter(|f| f.line == Some(n)).collect();
                li id={ "L" (n) } value=(n) class=[(!here.is_empty()).then_some("flagged")] {
                    code.src { (line) }
                    @if !here.is_empty() {
                        ul.findings {
                            @for f in &here { li { (finding_body(f, false)) } }
                        }
                    }
                }
            }
        }
        h2 { "Check again" }
        (lint_form(&token, &text))
    };
    Ok(layout::page("Check a job description", Some(&user), &token, body).into_response())
}
