//! Managing a candidate's portal links (hiring managers only): create one for a
//! code-review exercise and a lifetime, shown once as a full address to copy;
//! see each link's state; revoke; and act on the candidate's erasure request.

use super::{new_token, when};
use crate::access;
use crate::auth::CurrentUser;
use crate::error::{WebError, WebResult};
use crate::{AppState, csrf, layout};
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use jiff::{SignedDuration, Timestamp};
use maud::{Markup, html};
use multiplier_core::review::BUILTIN;
use multiplier_store::{CandidateId, NewLink, PortalLink, PortalStore, Task, TokenHash};
use serde::Deserialize;
use tower_sessions::Session;

/// A link's lifetime unless the hiring manager picks another.
pub const DEFAULT_DAYS: i64 = 14;
pub const MAX_DAYS: i64 = 90;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/candidates/{id}/portal", get(show).post(create))
        .route("/candidates/{id}/portal/revoke", post(revoke))
        .route("/candidates/{id}/portal/erase", post(erase))
}

fn candidate_id(raw: &str) -> WebResult<CandidateId> {
    raw.parse().map_err(WebError::NotFound)
}

/// `scheme://host` of this request, for the address to copy: the `Host` header,
/// and `https` when a proxy says so. None when the header is missing or odd.
pub fn origin(headers: &HeaderMap) -> Option<String> {
    let host = headers.get("host")?.to_str().ok()?;
    let plausible = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b));
    if !plausible {
        return None;
    }
    let https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|p| p.eq_ignore_ascii_case("https"));
    Some(format!("{}://{host}", if https { "https" } else { "http" }))
}

#[derive(Debug, Deserialize)]
pub struct Notice {
    erased: Option<String>,
    revoked: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Query(notice): Query<Notice>,
) -> WebResult<Markup> {
    user.require_admin("manage a candidate's portal links")?;
    let id = candidate_id(&id)?;
    let csrf = csrf::token(&session).await?;
    let message = if notice.erased.is_some() {
        Some("The candidate's personal data was erased.")
    } else if notice.revoked.is_some() {
        Some("The link was revoked; it no longer opens.")
    } else {
        None
    };
    render(&state, &user, &csrf, id, None, message).await
}

fn status(link: &PortalLink, now: Timestamp) -> Markup {
    match link.revoked_at {
        Some(at) => html! { (layout::chip("revoked", false)) " " (when(at)) },
        None if link.expires_at <= now => {
            html! { (layout::chip("expired", false)) " " (when(link.expires_at)) }
        }
        None => html! { (layout::chip("live", true)) " until " (when(link.expires_at)) },
    }
}

async fn task_cell(state: &AppState, link: &PortalLink, task: Task) -> WebResult<Markup> {
    if let Some(at) = link.submitted_at(task) {
        return Ok(html! { (layout::chip("submitted", true)) " " (when(at)) });
    }
    Ok(match state.store.work(link.id, task).await? {
        Some(w) => html! { "draft " (when(w.saved_at)) },
        None => html! { span.hint { "not started" } },
    })
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    csrf: &str,
    id: CandidateId,
    created: Option<String>,
    message: Option<&str>,
) -> WebResult<Markup> {
    let ctx = access::candidate(state, user, id).await?;
    let links = state.store.links(id).await?;
    let requests = state.store.erasure_requests(id).await?;
    let now = Timestamp::now();
    let mut rows = Vec::new();
    for l in &links {
        rows.push((
            l,
            task_cell(state, l, Task::Assessment).await?,
            task_cell(state, l, Task::Review).await?,
        ));
    }
    let title = BUILTIN
        .iter()
        .map(|b| (b.slug, b.load().map(|e| e.title).unwrap_or_default()))
        .collect::<Vec<_>>();
    let exercise_title = |slug: &str| {
        title
            .iter()
            .find(|(s, _)| *s == slug)
            .map_or(slug.to_string(), |(_, t)| t.clone())
    };
    let base = format!("/candidates/{id}/portal");
    let c = &ctx.candidate;
    let body = html! {
        h1 { "Candidate portal: " (c.name) }
        p { a href={ "/candidates/" (id) } { "Back to the candidate" } }
        @if let Some(m) = message { p.notice role="status" { (m) } }
        @if let Some(url) = &created {
            section.portal-created aria-labelledby="created-heading" {
                h2 #created-heading { "The new link" }
                p { strong { "Copy it now: it is shown only this once." } " The database keeps only a fingerprint of it, "
                    "so nobody can show it again. Send it to the candidate privately; anyone holding it can open the portal." }
                label for="portal-url" { "Link for " (c.name) }
                input #portal-url type="text" readonly value=(url) data-copy;
            }
        }
        p.hint { "The candidate opens the link without an account: the written questions and the code review, "
            "each sent once, no time limit. What they send appears as evidence on the candidate's page "
            "(kinds " code { "written-assessment" } " and " code { "code-review" } ", with the automatic reading), "
            "never shown to the candidate." }
        h2 { "Links" }
        @if rows.is_empty() {
            p.hint { "No link yet." }
        } @else {
            div.portal-diff-wrap {
                table {
                    thead { tr {
                        th scope="col" { "Made" }
                        th scope="col" { "Exercise" }
                        th scope="col" { "State" }
                        th scope="col" { "First opened" }
                        th scope="col" { "Written questions" }
                        th scope="col" { "Code review" }
                        th scope="col" { span.hint { "Action" } }
                    } }
                    tbody {
                        @for (l, assessment, review) in &rows {
                            tr {
                                td { (when(l.created_at)) br; span.hint { "by " (l.created_by) } }
                                td { (exercise_title(&l.exercise)) br; code { (l.exercise) } }
                                td { (status(l, now)) }
                                td { @if let Some(at) = l.opened_at { (when(at)) } @else { span.hint { "not yet" } } }
                                td { (assessment) }
                                td { (review) }
                                td {
                                    @if l.is_live(now) {
                                        form method="post" action={ (base) "/revoke" } {
                                            (layout::csrf_field(csrf))
                                            input type="hidden" name="link" value=(l.id);
                                            button.secondary type="submit" aria-label={ "Revoke link made " (when(l.created_at)) } { "Revoke" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        h2 { "New link" }
        form method="post" action=(base) {
            (layout::csrf_field(csrf))
            label for="exercise" { "Code-review exercise" }
            select #exercise name="exercise" {
                @for (slug, t) in &title { option value=(slug) { (t) " (" (slug) ")" } }
            }
            label for="days" { "Works for (days)" }
            input #days type="number" name="days" min="1" max=(MAX_DAYS) value=(DEFAULT_DAYS) required
                aria-describedby="days-hint";
            p.hint #days-hint { "Making a new link ends any earlier link of this candidate that still works." }
            button type="submit" { "Make a link" }
        }
        h2 { "Erasure" }
        @if requests.is_empty() {
            p.hint { "The candidate has not asked for their data to be erased." }
        } @else {
            ul {
                @for r in &requests {
                    li {
                        "Asked " (when(r.requested_at)) ": "
                        @if let Some(at) = r.erased_at {
                            (layout::chip("carried out", true)) " " (when(at))
                            @if let Some(by) = &r.erased_by { " by " (by) }
                        } @else {
                            (layout::chip("open", false))
                        }
                    }
                }
            }
        }
        form method="post" action={ (base) "/erase" } {
            (layout::csrf_field(csrf))
            p.hint { "Erasing replaces the name and email with a placeholder, clears the internal-candidate answers, "
                "deletes drafts, answers, reviews and every evidence record, and revokes the links. "
                "Scorecards, references and decisions stay under the placeholder; the audit log keeps what was done. "
                "It cannot be undone." }
            p {
                input #erase-confirm type="checkbox" name="confirm" value="yes" required;
                " "
                label.portal-inline for="erase-confirm" { "Erase this candidate's personal data" }
            }
            button type="submit" { "Erase" }
        }
        script src="/static/portal.js" defer {}
    };
    Ok(layout::page(
        &format!("Portal: {}", c.name),
        Some(user),
        csrf,
        body,
    ))
}

#[derive(Debug, Deserialize)]
pub struct CreateForm {
    exercise: String,
    days: String,
}

async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<CreateForm>,
) -> WebResult<Response> {
    user.require_admin("make a candidate portal link")?;
    let id = candidate_id(&id)?;
    // Loads the candidate (404 when missing) before anything is written.
    access::candidate(&state, &user, id).await?;
    if !BUILTIN.iter().any(|b| b.slug == form.exercise) {
        let slugs: Vec<&str> = BUILTIN.iter().map(|b| b.slug).collect();
        return Err(WebError::BadRequest(format!(
            "`{}` is not a built-in exercise; choose one of {}",
            form.exercise,
            slugs.join(", ")
        )));
    }
    let days: i64 = form
        .days
        .trim()
        .parse()
        .ok()
        .filter(|d| (1..=MAX_DAYS).contains(d))
        .ok_or_else(|| {
            WebError::BadRequest(format!(
                "the lifetime must be a whole number of days from 1 to {MAX_DAYS}"
            ))
        })?;
    let token = new_token();
    state
        .store
        .create_link(
            &user.name,
            &NewLink {
                candidate: id,
                token_hash: TokenHash::of(&token),
                exercise: form.exercise,
                expires_at: Timestamp::now() + SignedDuration::from_hours(24 * days),
            },
        )
        .await?;
    let path = format!("/c/{token}");
    let url = origin(&headers).map_or(path.clone(), |o| format!("{o}{path}"));
    let csrf = csrf::token(&session).await?;
    Ok(render(&state, &user, &csrf, id, Some(url), None)
        .await?
        .into_response())
}

#[derive(Debug, Deserialize)]
pub struct RevokeForm {
    link: i64,
}

async fn revoke(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<RevokeForm>,
) -> WebResult<Response> {
    user.require_admin("revoke a candidate portal link")?;
    let id = candidate_id(&id)?;
    state.store.revoke_link(&user.name, id, form.link).await?;
    Ok(Redirect::to(&format!("/candidates/{id}/portal?revoked=1")).into_response())
}

#[derive(Debug, Deserialize)]
pub struct EraseForm {
    confirm: Option<String>,
}

async fn erase(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(form): Form<EraseForm>,
) -> WebResult<Response> {
    user.require_admin("erase a candidate's personal data")?;
    let id = candidate_id(&id)?;
    if form.confirm.as_deref() != Some("yes") {
        return Err(WebError::BadRequest(
            "tick the box to confirm the erasure; it cannot be undone".to_string(),
        ));
    }
    let erased = state.store.erase_candidate(&user.name, id).await?;
    tracing::info!(
        work = erased.work_deleted,
        evidence = erased.evidence_deleted,
        "candidate data erased"
    );
    Ok(Redirect::to(&format!("/candidates/{id}/portal?erased=1")).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn the_origin_comes_from_the_host_header_and_the_proxy_scheme() {
        let mut h = HeaderMap::new();
        assert_eq!(origin(&h), None);
        h.insert("host", HeaderValue::from_static("127.0.0.1:8080"));
        assert_eq!(origin(&h).as_deref(), Some("http://127.0.0.1:8080"));
        h.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        assert_eq!(origin(&h).as_deref(), Some("https://127.0.0.1:8080"));
        h.insert("host", HeaderValue::from_static("evil.example/x?"));
        assert_eq!(origin(&h), None);
    }
}
