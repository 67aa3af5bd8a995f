//! The audit log: who did what and when, newest first (`App::audit_page`, the
//! use case the API's `GET /api/v1/audit` pages with too, which opens it to
//! hiring managers only).
//!
//! `GET /audit?candidate=&opening=&actor=&cursor=`: filter by a candidate, by an
//! opening (the opening's own entries and those of each of its candidates) and by
//! the person who acted; [`PAGE`] entries a page (`limit` asks for another size,
//! 1–200), `cursor` the opaque cursor of the next older page.

use super::paging::PageParams;
use crate::auth::CurrentUser;
use crate::error::{WebError, WebResult};
use crate::{AppState, csrf, layout};
use axum::Router;
use axum::extract::{Query, State};
use axum::routing::get;
use maud::{Markup, html};
use multiplier_app::{PageRequest, SearchInput};
use multiplier_store::{AuditFilter, CandidateId, OpeningId};
use serde::Deserialize;
use tower_sessions::Session;

/// Entries a page.
pub const PAGE: u32 = 50;

pub fn router() -> Router<AppState> {
    Router::new().route("/audit", get(page))
}

#[derive(Debug, Default, Deserialize)]
struct AuditQuery {
    #[serde(default)]
    candidate: String,
    #[serde(default)]
    opening: String,
    #[serde(default)]
    actor: String,
}

impl AuditQuery {
    /// The query string for the same filters (and page size) at another
    /// cursor; the newest page when `None`.
    fn at_cursor(&self, size: &PageParams, cursor: Option<&str>) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        for (k, v) in [
            ("candidate", &self.candidate),
            ("opening", &self.opening),
            ("actor", &self.actor),
        ] {
            if !v.trim().is_empty() {
                pairs.push((k, v.trim().to_string()));
            }
        }
        if let Some(l) = size.limit {
            pairs.push(("limit", l.to_string()));
        }
        if let Some(c) = cursor {
            pairs.push(("cursor", c.to_string()));
        }
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
}

fn bad(e: String) -> WebError {
    WebError::BadRequest(e)
}

/// A subject as a link to its page, when it has one.
fn subject(s: &str) -> Markup {
    let link = match s.split_once(':') {
        Some(("candidate", id)) => Some(format!("/candidates/{id}")),
        Some(("opening", id)) => Some(format!("/openings/{id}")),
        _ => None,
    };
    html! {
        @match link { Some(href) => a href=(href) { (s) }, None => (s) }
    }
}

async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Query(q): Query<AuditQuery>,
    Query(size): Query<PageParams>,
) -> WebResult<Markup> {
    let token = csrf::token(&session).await?;
    let account = user.account();
    let mut filter = AuditFilter {
        newest_first: true,
        ..AuditFilter::default()
    };
    let mut nothing = false;
    if !q.candidate.trim().is_empty() {
        let id: CandidateId = q.candidate.parse().map_err(bad)?;
        filter.subjects.push(format!("candidate:{id}"));
    }
    if !q.opening.trim().is_empty() {
        let id: OpeningId = q.opening.parse().map_err(bad)?;
        // The opening's candidates: every one, for the hiring managers who may
        // read the log at all.
        let mut candidates: Vec<CandidateId> = Vec::new();
        let mut input = SearchInput {
            opening: Some(id),
            page: PageRequest::first(multiplier_app::MAX_LIMIT),
            shown: multiplier_app::Shown::All,
            ..SearchInput::default()
        };
        loop {
            let page = state.app.search(&account, &input).await?;
            candidates.extend(page.rows.into_iter().map(|r| r.candidate.id));
            match page.next {
                Some(next) => input.page.cursor = Some(next),
                None => break,
            }
        }
        if filter.subjects.is_empty() {
            filter.subjects.push(format!("opening:{id}"));
            filter
                .subjects
                .extend(candidates.iter().map(|c| format!("candidate:{c}")));
        } else {
            // A candidate and an opening: the candidate's entries if it belongs there.
            filter
                .subjects
                .retain(|s| candidates.iter().any(|c| *s == format!("candidate:{c}")));
            nothing = filter.subjects.is_empty();
        }
    }
    if !q.actor.trim().is_empty() {
        filter.actor = Some(q.actor.trim().to_string());
    }
    let mut page = size.request();
    page.limit = Some(size.limit.unwrap_or(PAGE));
    // Asked even when the filters match nothing, so the log stays closed to
    // whoever may not read it.
    let mut found = state.app.audit_page(&account, &filter, &page).await?;
    if nothing {
        found.rows.clear();
        found.next = None;
    }
    let entries = found.rows;
    let older = found.next;
    let openings = state.app.opening_choices(&account).await?;
    let actors = state.app.account_names(&account).await?;
    let body = html! {
        h1 { "Audit log" }
        p.hint { "Every change, with who made it and when. Entries name records by id, never by a person's details." }
        form.search method="get" action="/audit" {
            div.filters {
                div { label for="candidate" { "Candidate id" }
                    input #candidate type="number" min="1" name="candidate" value=(q.candidate.trim()); }
                div { label for="opening" { "Opening" }
                    select #opening name="opening" {
                        option value="" { "Any opening" }
                        @for o in openings.iter() {
                            option value=(o.id) selected[q.opening.trim() == o.id.to_string()] { (o.title) }
                        }
                    } }
                div { label for="actor" { "Done by" }
                    input #actor type="text" name="actor" list="actors" value=(q.actor.trim());
                    datalist #actors { @for a in &actors { option value=(a) {} } } }
            }
            button type="submit" { "Filter" }
            " " a href="/audit" { "Clear" }
        }
        @if entries.is_empty() {
            p.notice { "Nothing recorded for these filters." }
        } @else {
            div.table-scroll {
                table {
                    caption.visually-hidden { "Audit entries, newest first" }
                    thead { tr {
                        th scope="col" { "When (UTC)" } th scope="col" { "Who" } th scope="col" { "Action" }
                        th scope="col" { "Subject" } th scope="col" { "Detail" }
                    } }
                    tbody {
                        @for e in &entries {
                            tr {
                                td { time datetime=(e.at.to_string()) { (e.at.strftime("%Y-%m-%d %H:%M:%S")) } }
                                td { (e.actor) }
                                td { code { (e.action) } }
                                td { (subject(&e.subject)) }
                                td { (e.detail) }
                            }
                        }
                    }
                }
            }
        }
        nav.pager aria-label="Pages" {
            @if page.cursor.is_some() {
                a href={ "/audit?" (q.at_cursor(&size, None)) } { "← Newest" }
            }
            @if let Some(cursor) = &older {
                " " a rel="next" href={ "/audit?" (q.at_cursor(&size, Some(cursor))) } { "Older entries →" }
            }
        }
    };
    Ok(layout::page("Audit log", Some(&user), &token, body))
}
