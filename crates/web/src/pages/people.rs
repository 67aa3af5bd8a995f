//! People: the accounts an admin looks after, and each person's own work.
//!
//! - `GET /my-work` (`App::my_work`): the stages assigned to the signed-in
//!   person across candidates; the scorecards due, longest waiting first, with
//!   the days since the assignment, each linked to its scorecard form.
//! - `GET/POST /admin/accounts` (`App::accounts`, `App::add_account`): every
//!   account with its role and state; create one.
//! - `POST /admin/accounts/{name}/edit` (`App::set_display_name`,
//!   `App::set_role`): the display name and the role.
//! - `POST /admin/accounts/{name}/active` (`App::deactivate_account`,
//!   `App::activate_account`).
//! - `POST /admin/accounts/{name}/password` (`App::reset_password` or
//!   `App::set_password`): a generated password shown once on the answer
//!   (never in a URL, never again), or one the admin types. The account's
//!   sessions end either way, as from the CLI.
//!
//! The use cases decide who may: an interviewer gets 403 on every admin route.

use super::board::stage_name;
use super::field::{Errors, Posted};
use crate::auth::CurrentUser;
use crate::error::WebResult;
use crate::{AppState, csrf, flash, layout};
use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{Markup, html};
use multiplier_app::{Actor, AppError};
use multiplier_store::{AccountRole, UserRecord};
use tower_sessions::Session;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/my-work", get(my_work))
        .route("/admin/accounts", get(list).post(create))
        .route("/admin/accounts/{name}/edit", post(edit))
        .route("/admin/accounts/{name}/active", post(set_active))
        .route("/admin/accounts/{name}/password", post(password))
}

async fn my_work(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
) -> WebResult<Markup> {
    let token = csrf::token(&session).await?;
    let work = state
        .app
        .my_work(&user.account(), jiff::Timestamp::now())
        .await?;
    let fw = &state.framework;
    let body = html! {
        h1 { "My work" }
        p.hint { "The stages you are assigned to, across candidates. A scorecard is due from the day you were assigned." }
        h2 { "Scorecards due" }
        @if work.due.is_empty() {
            p { "Nothing due: every scorecard you were asked for is in." }
        } @else {
            div.table-scroll { table #due {
                thead { tr { th scope="col" { "Candidate" } th scope="col" { "Stage" } th scope="col" { "Assigned" } th scope="col" { "Waiting" } } }
                tbody {
                    @for w in &work.due {
                        tr {
                            th scope="row" { a href={ "/candidates/" (w.candidate) } { (w.candidate_name) }
                                br; span.hint { (w.opening_title) } }
                            td { a href={ "/candidates/" (w.candidate) "/stages/" (w.stage) } { "Scorecard for " (stage_name(fw, &w.stage)) } }
                            td { (w.assigned_at.strftime("%Y-%m-%d")) }
                            td { @match w.days_waiting {
                                0 => "assigned today",
                                1 => (layout::chip_as("1 day", "incomplete")),
                                n => (layout::chip_as(&format!("{n} days"), if n >= 3 { "bad" } else { "incomplete" })),
                            } }
                        }
                    }
                }
            } }
        }
        h2 { "Done" }
        @if work.done.is_empty() {
            p.hint { "No scorecard of yours is in yet." }
        } @else {
            ul.plain {
                @for w in &work.done {
                    li { a href={ "/candidates/" (w.candidate) } { (w.candidate_name) } " — " (stage_name(fw, &w.stage))
                        @if let Some(t) = w.submitted_at { span.hint { ", in on " (t.strftime("%Y-%m-%d")) } } }
                }
            }
        }
    };
    Ok(layout::page("My work", Some(&user), &token, body))
}

/// A password shown once, and for whom.
struct Shown {
    name: String,
    password: String,
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    session: &Session,
    errors: &Errors,
    posted: Option<&Posted>,
    shown: Option<&Shown>,
) -> WebResult<Markup> {
    let users = state.app.accounts(&Actor::Account(user.account())).await?;
    let token = csrf::token(session).await?;
    let value = |k: &str| posted.map_or("", |p| p.get(k)).to_string();
    let body = html! {
        h1 { "People" }
        @if let Some(s) = shown {
            section.notice role="status" aria-labelledby="shown-heading" {
                h2 #shown-heading { "New password for " (s.name) }
                p { "Shown this once. Hand it over in person or through a channel you trust; their sessions have ended." }
                p { code #new-password { (s.password) } }
            }
        }
        div.table-scroll { table #accounts {
            caption.hint { "Every account. A deactivated account cannot sign in; its records and its name in the audit log stay." }
            thead { tr { th scope="col" { "Account" } th scope="col" { "Role" } th scope="col" { "State" } th scope="col" { "Change" } } }
            tbody {
                @for u in &users { (row(&token, user, u)) }
            }
        } }
        h2 #new-heading { "Add a person" }
        (errors.summary())
        form method="post" action="/admin/accounts" aria-labelledby="new-heading" {
            (layout::csrf_field(&token))
            label for="name" { "Sign-in name" }
            (errors.at("name"))
            input type="text" id="name" name="name" required value=(value("name"))
                aria-describedby=[errors.described_by("name")] autocomplete="off";
            label for="display_name" { "Display name (optional)" }
            (errors.at("display_name"))
            input type="text" id="display_name" name="display_name" value=(value("display_name"));
            label for="role" { "Role" }
            select #role name="role" {
                option value="interviewer" selected[value("role") != "admin"] { "Interviewer" }
                option value="admin" selected[value("role") == "admin"] { "Hiring manager (admin)" }
            }
            label for="password" { "First password (leave empty to generate one, shown once)" }
            (errors.at("password"))
            input type="password" id="password" name="password" autocomplete="new-password"
                aria-describedby=[errors.described_by("password")];
            button type="submit" { "Add" }
        }
    };
    Ok(layout::page("People", Some(user), &token, body))
}

fn row(token: &str, me: &CurrentUser, u: &UserRecord) -> Markup {
    let base = format!("/admin/accounts/{}", u.name);
    let active = u.is_active();
    let key = format!("acct-{}", u.id);
    html! {
        tr id=(key) {
            th scope="row" { (u.display_name.as_deref().unwrap_or(&u.name))
                @if u.display_name.is_some() { br; span.hint { (u.name) } }
                @if let Some(email) = &u.email { br; span.hint { (email) } } }
            td { @if u.role == AccountRole::Admin { "hiring manager (admin)" } @else { "interviewer" } }
            td { @if active { (layout::chip("active", true)) } @else { (layout::chip_as("deactivated", "flag-resolved")) } }
            td {
                details.manage {
                    summary { "Edit " (u.name) }
                    form.inline method="post" action={ (base) "/edit" } {
                        (layout::csrf_field(token))
                        label for={ (key) "-display" } { "Display name" }
                        input type="text" id={ (key) "-display" } name="display_name" value=(u.display_name.as_deref().unwrap_or(""));
                        label for={ (key) "-email" } { "E-mail address (for assignments and reminders)" }
                        input type="email" id={ (key) "-email" } name="email" value=(u.email.as_deref().unwrap_or(""));
                        label for={ (key) "-role" } { "Role" }
                        select id={ (key) "-role" } name="role" {
                            option value="interviewer" selected[u.role != AccountRole::Admin] { "Interviewer" }
                            option value="admin" selected[u.role == AccountRole::Admin] { "Hiring manager (admin)" }
                        }
                        button.secondary type="submit" { "Save" }
                    }
                    form.inline method="post" action={ (base) "/password" } {
                        (layout::csrf_field(token))
                        label for={ (key) "-password" } { "New password (empty: generate one)" }
                        input type="password" id={ (key) "-password" } name="password" autocomplete="new-password";
                        button.secondary type="submit" { "Reset password" }
                    }
                    @if u.name != me.name {
                        form.inline method="post" action={ (base) "/active" } {
                            (layout::csrf_field(token))
                            input type="hidden" name="active" value=(if active { "no" } else { "yes" });
                            button.secondary type="submit" { @if active { "Deactivate" } @else { "Reactivate" } }
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
    page(&state, &user, &session, &Errors::default(), None, None).await
}

fn role(posted: &Posted) -> AccountRole {
    if posted.get("role") == "admin" {
        AccountRole::Admin
    } else {
        AccountRole::Interviewer
    }
}

async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Form(posted): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let posted = Posted(posted);
    let actor = Actor::Account(user.account());
    let name = posted.get("name").to_string();
    let typed = posted.get("password");
    let generated = typed.is_empty().then(multiplier_app::generate_password);
    let password = generated.clone().unwrap_or_else(|| typed.to_string());
    let result = match state
        .app
        .add_account(&actor, &name, role(&posted), &password)
        .await
    {
        Ok(_) => {
            let display = posted.get("display_name");
            if display.is_empty() {
                Ok(())
            } else {
                state
                    .app
                    .set_display_name(&actor, &name, Some(display))
                    .await
            }
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => match generated {
            Some(password) => {
                let shown = Shown {
                    name: name.clone(),
                    password,
                };
                let body = page(
                    &state,
                    &user,
                    &session,
                    &Errors::default(),
                    None,
                    Some(&shown),
                )
                .await?;
                Ok((StatusCode::CREATED, body).into_response())
            }
            None => {
                flash::set(&session, format!("Account {name} added.")).await?;
                Ok(Redirect::to("/admin/accounts").into_response())
            }
        },
        Err(e @ AppError::Invalid { .. }) => {
            let mut errors = Errors::default();
            errors.place(e.problems(), |f| (f.to_string(), ""));
            let kept = Posted(
                posted
                    .0
                    .iter()
                    .filter(|(k, _)| k != "password")
                    .cloned()
                    .collect(),
            );
            let body = page(&state, &user, &session, &errors, Some(&kept), None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
        }
        Err(AppError::Conflict(message)) => {
            let mut errors = Errors::default();
            errors.add("name", message);
            let body = page(&state, &user, &session, &errors, Some(&posted), None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

async fn edit(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(name): Path<String>,
    Form(posted): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let posted = Posted(posted);
    let actor = Actor::Account(user.account());
    let display = posted.get("display_name");
    state
        .app
        .set_display_name(&actor, &name, Some(display))
        .await?;
    let wanted = role(&posted);
    let current = state
        .app
        .accounts(&actor)
        .await?
        .into_iter()
        .find(|u| u.name == name);
    if current.as_ref().map(|u| u.role) != Some(wanted) {
        state.app.set_role(&actor, &name, wanted).await?;
    }
    let email = posted.get("email").trim();
    if current
        .as_ref()
        .and_then(|u| u.email.as_deref())
        .unwrap_or("")
        != email
    {
        state
            .app
            .set_email(&actor, &name, Some(email).filter(|e| !e.is_empty()))
            .await?;
    }
    flash::set(&session, format!("Account {name} saved.")).await?;
    Ok(Redirect::to("/admin/accounts").into_response())
}

async fn set_active(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(name): Path<String>,
    Form(posted): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let posted = Posted(posted);
    let actor = Actor::Account(user.account());
    let message = if posted.get("active") == "yes" {
        state.app.activate_account(&actor, &name).await?;
        format!("Account {name} reactivated: they can sign in again.")
    } else {
        state.app.deactivate_account(&actor, &name).await?;
        format!("Account {name} deactivated: their sessions have ended.")
    };
    flash::set(&session, message).await?;
    Ok(Redirect::to("/admin/accounts").into_response())
}

async fn password(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(name): Path<String>,
    Form(posted): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let posted = Posted(posted);
    let actor = Actor::Account(user.account());
    let typed = posted.get("password");
    if typed.is_empty() {
        let password = state.app.reset_password(&actor, &name).await?;
        let shown = Shown { name, password };
        let body = page(
            &state,
            &user,
            &session,
            &Errors::default(),
            None,
            Some(&shown),
        )
        .await?;
        return Ok(body.into_response());
    }
    match state.app.set_password(&actor, &name, typed).await {
        Ok(()) => {
            flash::set(
                &session,
                format!("New password set for {name}; their sessions have ended."),
            )
            .await?;
            Ok(Redirect::to("/admin/accounts").into_response())
        }
        Err(e @ AppError::Invalid { .. }) => {
            let mut errors = Errors::default();
            for p in e.problems() {
                errors.add("password", format!("{name}: {}", p.message));
            }
            let body = page(&state, &user, &session, &errors, None, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
        }
        Err(e) => Err(e.into()),
    }
}
