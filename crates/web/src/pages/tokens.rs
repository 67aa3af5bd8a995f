//! `/admin/tokens`: API tokens for scripts, issued, listed and revoked by an
//! admin in the browser, like `multiplier token`. The use cases
//! (`App::create_token`, `api_tokens`, `revoke_token`) decide who may; an
//! interviewer gets 403.
//!
//! A new token is shown once, on the page that answers the form (never in a
//! URL, never again); the list shows each token's account, label, scope,
//! expiry and last use, never the token.

use crate::auth::CurrentUser;
use crate::error::WebResult;
use crate::{AppState, csrf, layout};
use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{Markup, html};
use multiplier_app::{Actor, AppError, DEFAULT_TOKEN_DAYS, FieldProblem, IssuedToken, TokenDraft};
use multiplier_store::{TokenRecord, TokenScope};
use serde::Deserialize;
use tower_sessions::Session;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/tokens", get(list).post(create))
        .route("/admin/tokens/{id}/revoke", post(revoke))
}

#[derive(Debug, Default, Deserialize)]
struct NewTokenForm {
    #[serde(default)]
    account: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    scope: String,
    #[serde(default)]
    days: String,
}

struct Shown<'a> {
    issued: Option<&'a IssuedToken>,
    problems: &'a [FieldProblem],
    form: &'a NewTokenForm,
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    session: &Session,
    shown: Shown<'_>,
) -> WebResult<Markup> {
    let actor = Actor::Account(user.account());
    let tokens = state.app.api_tokens(&actor, None).await?;
    let accounts = state.app.account_names(&user.account()).await?;
    let token = csrf::token(session).await?;
    Ok(layout::page(
        "API tokens",
        Some(user),
        &token,
        render(&token, &tokens, &accounts, &shown),
    ))
}

fn state_of(t: &TokenRecord) -> String {
    match t.revoked_at {
        Some(at) => format!("revoked {}", at.strftime("%Y-%m-%d")),
        None if !t.is_live(jiff::Timestamp::now()) => {
            format!("expired {}", t.expires_at.strftime("%Y-%m-%d"))
        }
        None => format!("expires {}", t.expires_at.strftime("%Y-%m-%d")),
    }
}

fn render(csrf: &str, tokens: &[TokenRecord], accounts: &[String], shown: &Shown<'_>) -> Markup {
    let form = shown.form;
    let days = if form.days.trim().is_empty() {
        DEFAULT_TOKEN_DAYS.to_string()
    } else {
        form.days.clone()
    };
    html! {
        h1 { "API tokens" }
        p.hint { "A token lets a script act as one account on the JSON API ("
            code { "Authorization: Bearer …" } "), read-only or read-write, until it expires or is revoked. Writes through it are in the audit log under the account. See docs/api.md." }
        @if let Some(issued) = shown.issued {
            section.notice role="status" {
                h2 { "Token " (issued.record.id) " for " (issued.record.account) }
                p { "Copy it now: it is shown this once, and only its hash is kept." }
                pre { code #new-token { (issued.token) } }
            }
        }
        @if !shown.problems.is_empty() {
            div.alert role="alert" {
                p { "The token was not issued:" }
                ul { @for p in shown.problems { li { strong { (p.field) } ": " (p.message) } } }
            }
        }
        h2 { "Issue a token" }
        form method="post" action="/admin/tokens" {
            (layout::csrf_field(csrf))
            label for="account" { "Account" }
            select #account name="account" required {
                @for a in accounts {
                    option value=(a) selected[*a == form.account] { (a) }
                }
            }
            label for="label" { "What it is for" }
            input #label type="text" name="label" value=(form.label) placeholder="ci, ats sync" required;
            label for="scope" { "Scope" }
            select #scope name="scope" {
                option value="read-only" selected[form.scope != "read-write"] { "read-only" }
                option value="read-write" selected[form.scope == "read-write"] { "read-write" }
            }
            label for="days" { "Days until it expires" }
            input #days type="number" name="days" min="1" max="365" value=(days);
            button type="submit" { "Issue token" }
        }
        h2 { "Tokens" }
        @if tokens.is_empty() {
            p { "No tokens yet." }
        } @else {
            div.table-scroll {
                table {
                    thead { tr { th { "id" } th { "account" } th { "label" } th { "scope" } th { "state" } th { "last used" } th { "issued by" } th {} } }
                    tbody {
                        @for t in tokens {
                            tr {
                                td { (t.id) }
                                td { (t.account) }
                                td { (t.label) }
                                td { (t.scope.id()) }
                                td { (state_of(t)) }
                                td { (t.last_used_at.map_or_else(|| "never".to_string(), |at| at.strftime("%Y-%m-%d %H:%M").to_string())) }
                                td { (t.created_by) }
                                td {
                                    @if t.revoked_at.is_none() {
                                        form method="post" action=(format!("/admin/tokens/{}/revoke", t.id)) {
                                            (layout::csrf_field(csrf))
                                            button type="submit" { "Revoke" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
) -> WebResult<Markup> {
    let form = NewTokenForm::default();
    page(
        &state,
        &user,
        &session,
        Shown {
            issued: None,
            problems: &[],
            form: &form,
        },
    )
    .await
}

async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Form(form): Form<NewTokenForm>,
) -> WebResult<Response> {
    let mut problems = Vec::new();
    let scope: Option<TokenScope> = form.scope.parse().ok();
    if scope.is_none() {
        problems.push(FieldProblem::new("scope", "choose read-only or read-write"));
    }
    let days: Option<i64> = form.days.trim().parse().ok();
    if days.is_none() {
        problems.push(FieldProblem::new(
            "days",
            "give the lifetime as a whole number of days",
        ));
    }
    let mut issued = None;
    if let (Some(scope), Some(days), true) = (scope, days, problems.is_empty()) {
        let draft = TokenDraft {
            account: form.account.clone(),
            label: form.label.clone(),
            scope,
            days,
        };
        match state
            .app
            .create_token(&Actor::Account(user.account()), &draft)
            .await
        {
            Ok(t) => issued = Some(t),
            Err(AppError::Invalid { problems: p, .. }) => problems = p,
            Err(e) => return Err(e.into()),
        }
    }
    let status = if issued.is_some() {
        StatusCode::CREATED
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let shown = Shown {
        issued: issued.as_ref(),
        problems: &problems,
        form: &NewTokenForm {
            label: if issued.is_some() {
                String::new()
            } else {
                form.label.clone()
            },
            ..form
        },
    };
    let body = page(&state, &user, &session, shown).await?;
    Ok((
        status,
        [(axum::http::header::CACHE_CONTROL, "no-store")],
        body,
    )
        .into_response())
}

async fn revoke(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let id: i64 = id
        .trim()
        .parse()
        .map_err(|_| AppError::NotFound(format!("there is no API token {id}")))?;
    state
        .app
        .revoke_token(&Actor::Account(user.account()), id)
        .await?;
    crate::flash::set(&session, format!("API token {id} revoked.")).await?;
    Ok(Redirect::to("/admin/tokens").into_response())
}
