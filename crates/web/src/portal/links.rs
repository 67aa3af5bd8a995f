//! Managing a candidate's portal links (hiring managers only; the use cases
//! decide): create one for a code-review exercise and a lifetime, shown once as
//! a full address to copy; see each link's state; revoke; and act on the
//! candidate's erasure request.

use super::when;
use crate::auth::CurrentUser;
use crate::error::{WebError, WebResult};
use crate::{AppState, csrf, layout};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use jiff::Timestamp;
use maud::{Markup, html};
use multiplier_app::ErasureReason;
use multiplier_app::{App, AppError, FieldProblem, MAX_LINK_DAYS, PortalAdmin};
use multiplier_core::review::BUILTIN;
use multiplier_store::{CandidateId, PortalLink, Task};
use serde::Deserialize;
use tower_sessions::Session;

/// A link's lifetime unless the hiring manager picks another.
pub const DEFAULT_DAYS: i64 = 14;

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
    let id = candidate_id(&id)?;
    let admin = state.app.portal_admin(&user.account(), id).await?;
    let csrf = csrf::token(&session).await?;
    let message = if notice.erased.is_some() {
        Some("The candidate's personal data was erased.")
    } else if notice.revoked.is_some() {
        Some("The link was revoked; it no longer opens.")
    } else {
        None
    };
    Ok(render(
        &user,
        &csrf,
        &admin,
        &Shown {
            message,
            ..Shown::default()
        },
    ))
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

fn task_cell(admin: &PortalAdmin, link: &PortalLink, task: Task) -> Markup {
    if let Some(at) = link.submitted_at(task) {
        return html! { (layout::chip("submitted", true)) " " (when(at)) };
    }
    match admin.draft_saved_at(link.id, task) {
        Some(at) => html! { "draft " (when(at)) },
        None => html! { span.hint { "not started" } },
    }
}

/// What the page shows beside the candidate's links: a link just made (its
/// address, once), a notice after a redirect, or the problems of a refused form.
#[derive(Default)]
struct Shown<'a> {
    created: Option<String>,
    message: Option<&'a str>,
    problems: &'a [FieldProblem],
    /// What a refused form held, shown again.
    posted: Option<&'a CreateForm>,
}

impl Shown<'_> {
    /// The messages for `field`, shown beside it.
    fn problem(&self, field: &str) -> Markup {
        html! {
            @for p in self.problems.iter().filter(|p| p.field == field) {
                p.field-error id={ (field) "-error" } { (p.message) }
            }
        }
    }

    fn described_by(&self, field: &str) -> Option<String> {
        self.problems
            .iter()
            .any(|p| p.field == field)
            .then(|| format!("{field}-error"))
    }
}

fn render(user: &CurrentUser, csrf: &str, admin: &PortalAdmin, shown: &Shown) -> Markup {
    let id = admin.candidate.id;
    let now = Timestamp::now();
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
    let c = &admin.candidate;
    let days = shown
        .posted
        .map_or(DEFAULT_DAYS.to_string(), |f| f.days.clone());
    let days_hint = match shown.described_by("days") {
        Some(error) => format!("days-hint {error}"),
        None => "days-hint".to_string(),
    };
    let body = html! {
        h1 { "Candidate portal: " (c.name) }
        p { a href={ "/candidates/" (id) } { "Back to the candidate" } }
        @if let Some(m) = shown.message { p.notice role="status" { (m) } }
        @if !shown.problems.is_empty() {
            div.alert role="alert" {
                p { strong { "Nothing was changed. Please fix the following:" } }
                ul { @for p in shown.problems { li { a href={ "#" (p.field) } { (p.message) } } } }
            }
        }
        @if let Some(url) = &shown.created {
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
            "(kinds " code { (App::ASSESSMENT_EVIDENCE) } " and " code { (App::REVIEW_EVIDENCE) } ", with the automatic reading), "
            "never shown to the candidate." }
        h2 { "Links" }
        @if admin.links.is_empty() {
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
                        @for l in &admin.links {
                            tr {
                                td { (when(l.created_at)) br; span.hint { "by " (l.created_by) } }
                                td { (exercise_title(&l.exercise)) br; code { (l.exercise) } }
                                td { (status(l, now)) }
                                td { @if let Some(at) = l.opened_at { (when(at)) } @else { span.hint { "not yet" } } }
                                td { (task_cell(admin, l, Task::Assessment)) }
                                td { (task_cell(admin, l, Task::Review)) }
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
            (shown.problem("exercise"))
            select #exercise name="exercise" aria-describedby=[shown.described_by("exercise")] {
                @for (slug, t) in &title {
                    option value=(slug) selected[shown.posted.is_some_and(|f| f.exercise == *slug)] { (t) " (" (slug) ")" }
                }
            }
            label for="days" { "Works for (days)" }
            (shown.problem("days"))
            input #days type="number" name="days" min="1" max=(MAX_LINK_DAYS) value=(days) required
                aria-describedby=(days_hint);
            p.hint #days-hint { "Making a new link ends any earlier link of this candidate that still works." }
            button type="submit" { "Make a link" }
        }
        h2 { "Erasure" }
        @if admin.erasure_requests.is_empty() {
            p.hint { "The candidate has not asked for their data to be erased." }
        } @else {
            ul {
                @for r in &admin.erasure_requests {
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
                "deletes drafts, answers, reviews, every evidence record, and the scorecards, references, notes, "
                "decisions and offers about the candidate, and revokes the links. Nothing of it stays in the "
                "database file; the audit log keeps what was done and why, without the data. "
                "It cannot be undone." }
            label for="reason" { "Why" }
            (shown.problem("reason"))
            select #reason name="reason" aria-describedby=[shown.described_by("reason")] {
                @for r in ErasureReason::CHOSEN {
                    option value=(r.id()) { (reason_label(r)) }
                }
            }
            (shown.problem("confirm"))
            p {
                input #confirm type="checkbox" name="confirm" value="yes" required
                    aria-describedby=[shown.described_by("confirm")];
                " "
                label.portal-inline for="confirm" { "Erase this candidate's personal data" }
            }
            button type="submit" { "Erase" }
        }
        script src="/static/portal.js" defer {}
    };
    layout::page(&format!("Portal: {}", c.name), Some(user), csrf, body)
}

/// The page again with the problems of a refused form, as 422; any other
/// refusal as it is.
async fn refused(
    state: &AppState,
    user: &CurrentUser,
    session: &Session,
    id: CandidateId,
    e: AppError,
    posted: Option<&CreateForm>,
) -> WebResult<Response> {
    if e.problems().is_empty() {
        return Err(e.into());
    }
    let admin = state.app.portal_admin(&user.account(), id).await?;
    let csrf = csrf::token(session).await?;
    let shown = Shown {
        problems: e.problems(),
        posted,
        ..Shown::default()
    };
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        render(user, &csrf, &admin, &shown),
    )
        .into_response())
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
    let id = candidate_id(&id)?;
    // Not a whole number: 0 days, which the use case refuses with the range.
    let days: i64 = form.days.trim().parse().unwrap_or(0);
    let issued = match state
        .app
        .create_link(&user.account(), id, &form.exercise, days)
        .await
    {
        Ok(issued) => issued,
        Err(e) => return refused(&state, &user, &session, id, e, Some(&form)).await,
    };
    let path = issued.path();
    let url = origin(&headers).map_or(path.clone(), |o| format!("{o}{path}"));
    let admin = state.app.portal_admin(&user.account(), id).await?;
    let csrf = csrf::token(&session).await?;
    let shown = Shown {
        created: Some(url),
        ..Shown::default()
    };
    Ok(render(&user, &csrf, &admin, &shown).into_response())
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
    let id = candidate_id(&id)?;
    state
        .app
        .revoke_link(&user.account(), id, form.link)
        .await?;
    Ok(Redirect::to(&format!("/candidates/{id}/portal?revoked=1")).into_response())
}

#[derive(Debug, Deserialize)]
pub struct EraseForm {
    confirm: Option<String>,
    reason: Option<String>,
}

fn reason_label(r: ErasureReason) -> &'static str {
    match r {
        ErasureReason::CandidateRequest => "The candidate asked",
        ErasureReason::Withdrawn => "The candidate withdrew",
        ErasureReason::LegalObligation => "A legal obligation",
        ErasureReason::AddedByMistake => "Added by mistake",
        ErasureReason::Retention => "The retention period ended",
    }
}

async fn erase(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Form(form): Form<EraseForm>,
) -> WebResult<Response> {
    let id = candidate_id(&id)?;
    let confirmed = form.confirm.as_deref() == Some("yes");
    // A form from before the reason was asked for meant the candidate's request.
    let reason = match form.reason.as_deref() {
        None => ErasureReason::CandidateRequest,
        Some(r) => ErasureReason::parse(r)
            .map_err(|m| multiplier_app::AppError::field("the erasure", "reason", m))?,
    };
    let erased = match state
        .app
        .erase_candidate(&user.account(), id, confirmed, Some(reason))
        .await
    {
        Ok(erased) => erased,
        Err(e) => return refused(&state, &user, &session, id, e, None).await,
    };
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
