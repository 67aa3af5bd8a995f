//! The pipeline board of one opening, and the admin forms that change it.
//!
//! - `GET /openings/{id}`: the framework's stages in order as columns, one card
//!   per candidate (name, internal chip, scorecards in, red flags raised). An
//!   interviewer sees only the candidates they are assigned to, and a card's red
//!   flags only when the blind rule lets them read others' scorecards.
//! - `POST /openings/{id}/candidates` (admin): add a candidate; internal ones
//!   answer the two promotion-trap questions.
//! - `POST /candidates/{id}/move` and `POST /candidates/{id}/assign` (admin): move a
//!   candidate to a stage; assign an account to interview them at a stage. Both
//!   return to the board or the candidate page (`back=board|candidate`).

use super::field::{Errors, Posted};
use super::loop_nav;
use crate::access::{self, CandidateContext};
use crate::auth::CurrentUser;
use crate::error::{WebError, WebResult};
use crate::{AppState, csrf, layout};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{Markup, html};
use multiplier_core::Framework;
use multiplier_store::{
    AccountStore, CandidateRecord, HiringStore, NewCandidate, OpeningId, OpeningRecord, RoleStore,
};
use std::collections::BTreeSet;
use tower_sessions::Session;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/openings/{id}", get(show))
        .route("/openings/{id}/candidates", post(add_candidate))
        .route("/candidates/{id}/move", post(move_candidate))
        .route("/candidates/{id}/assign", post(assign))
}

/// The opening id in a path, or 404.
pub fn opening_id(raw: &str) -> WebResult<OpeningId> {
    raw.parse()
        .map_err(|_| WebError::NotFound(format!("there is no opening `{raw}`")))
}

/// Stages an interviewer can be assigned to: those that take scorecards, and
/// the references stage (whoever takes the reference calls).
pub fn assignable_stages(fw: &Framework) -> Vec<(&str, &str)> {
    fw.stages
        .iter()
        .filter(|s| !s.signals.is_empty() || s.id == "references")
        .map(|s| (s.id.as_str(), s.name.as_str()))
        .collect()
}

/// The display name of a stage, or its id when the framework does not know it.
pub fn stage_name<'a>(fw: &'a Framework, id: &'a str) -> &'a str {
    fw.stage(id).map_or(id, |s| s.name.as_str())
}

/// One card on the board.
struct Card {
    candidate: CandidateRecord,
    /// Scorecards in (one per interviewer and stage, whatever the versions).
    scorecards: usize,
    /// Red flags raised, by id; `None` when the blind rule hides them.
    flags: Option<BTreeSet<String>>,
}

async fn cards(
    state: &AppState,
    user: &CurrentUser,
    opening: &OpeningRecord,
) -> WebResult<Vec<Card>> {
    let mut out = Vec::new();
    for candidate in state.store.candidates(Some(opening.id)).await? {
        let assignments = state.store.assignments(candidate.id).await?;
        if !access::lists(user, &assignments) {
            continue;
        }
        let records = state.store.scorecards(candidate.id).await?;
        let scorecards = records
            .iter()
            .map(|r| (&r.card.stage, &r.card.interviewer))
            .collect::<BTreeSet<_>>()
            .len();
        let ctx = CandidateContext {
            candidate: candidate.clone(),
            opening: opening.clone(),
            assignments,
        };
        let readable = access::may_read_scorecards(state, user, &ctx)
            .await?
            .is_ok();
        let flags = readable.then(|| {
            records
                .iter()
                .flat_map(|r| r.card.red_flags.iter().map(|f| f.id.clone()))
                .collect()
        });
        out.push(Card {
            candidate,
            scorecards,
            flags,
        });
    }
    Ok(out)
}

/// The form to add a candidate, as typed.
struct AddForm<'a> {
    posted: &'a Posted,
    errors: &'a Errors,
}

fn add_form(fw: &Framework, token: &str, opening: OpeningId, f: &AddForm<'_>) -> Markup {
    let p = f.posted;
    let e = f.errors;
    let stage = p.get("stage");
    let internal = p.get("internal") == "yes";
    html! {
        section.add-candidate aria-labelledby="add-heading" {
            h2 #add-heading { "Add a candidate" }
            (e.summary())
            form method="post" action={ "/openings/" (opening) "/candidates" } {
                (layout::csrf_field(token))
                label for="name" { "Name" }
                (e.at("name"))
                input #name type="text" name="name" value=(p.get("name")) autocomplete="off"
                    aria-describedby=[e.described_by("name")];
                label for="email" { "Email (optional)" }
                (e.at("email"))
                input #email type="email" name="email" value=(p.get("email")) autocomplete="off"
                    aria-describedby=[e.described_by("email")];
                label for="stage" { "Starting stage" }
                (e.at("stage"))
                select #stage name="stage" {
                    @for s in &fw.stages {
                        option value=(s.id) selected[stage == s.id] { (s.name) }
                    }
                }
                div.choice {
                    input #internal type="checkbox" name="internal" value="yes" checked[internal];
                    label for="internal" { "Internal candidate (already works here)" }
                }
                fieldset.internal-only {
                    legend { "For internal candidates: the promotion-trap check" }
                    p.hint { "The strongest engineer is not always someone who wants the leading. Ask, and note the answers in their words." }
                    label for="wants-leadership" { "Do they want the leadership work itself: reviews, planning, teaching?" }
                    (e.at("wants-leadership"))
                    textarea #wants-leadership name="wants-leadership"
                        aria-describedby=[e.described_by("wants-leadership")] { (p.get("wants-leadership")) }
                    label for="gives-up" { "What will they give up for it (coding time, a specialism)?" }
                    (e.at("gives-up"))
                    textarea #gives-up name="gives-up"
                        aria-describedby=[e.described_by("gives-up")] { (p.get("gives-up")) }
                }
                button type="submit" { "Add the candidate" }
            }
        }
    }
}

/// The admin controls on a card: move, and assign an interviewer.
fn manage(fw: &Framework, token: &str, c: &CandidateRecord, accounts: &[String]) -> Markup {
    let id = c.id;
    html! {
        details.manage {
            summary { "Move or assign" span.visually-hidden { " " (c.name) } }
            form method="post" action={ "/candidates/" (id) "/move" } {
                (layout::csrf_field(token))
                input type="hidden" name="back" value="board";
                label for={ "move-" (id) } { "Move to" }
                select id={ "move-" (id) } name="stage" {
                    @for s in &fw.stages {
                        option value=(s.id) selected[s.id == c.stage] { (s.name) }
                    }
                }
                button.secondary type="submit" { "Move" }
            }
            (assign_form(fw, token, id, accounts, "board"))
        }
    }
}

/// The form to assign an account to a stage of a candidate.
pub fn assign_form(
    fw: &Framework,
    token: &str,
    id: multiplier_store::CandidateId,
    accounts: &[String],
    back: &str,
) -> Markup {
    html! {
        form method="post" action={ "/candidates/" (id) "/assign" } {
            (layout::csrf_field(token))
            input type="hidden" name="back" value=(back);
            label for={ "assign-stage-" (id) } { "Stage to interview" }
            select id={ "assign-stage-" (id) } name="stage" {
                @for (sid, name) in assignable_stages(fw) {
                    option value=(sid) { (name) }
                }
            }
            label for={ "assign-who-" (id) } { "Interviewer" }
            select id={ "assign-who-" (id) } name="interviewer" {
                @for a in accounts {
                    option value=(a) { (a) }
                }
            }
            button.secondary type="submit" { "Assign" }
        }
    }
}

/// Every account's name, for the assignment forms.
pub async fn account_names(state: &AppState) -> WebResult<Vec<String>> {
    Ok(state
        .store
        .users()
        .await?
        .into_iter()
        .map(|u| u.name)
        .collect())
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    token: &str,
    opening: &OpeningRecord,
    add: &AddForm<'_>,
) -> WebResult<Markup> {
    let fw = &state.framework;
    let cards = cards(state, user, opening).await?;
    let role_title = state
        .store
        .role(opening.role)
        .await?
        .map(|r| r.title)
        .unwrap_or_default();
    let accounts = if user.is_admin() {
        account_names(state).await?
    } else {
        Vec::new()
    };
    let known: BTreeSet<&str> = fw.stages.iter().map(|s| s.id.as_str()).collect();
    let elsewhere: Vec<&Card> = cards
        .iter()
        .filter(|c| !known.contains(c.candidate.stage.as_str()))
        .collect();
    let body = html! {
        nav.crumbs aria-label="Breadcrumb" { a href="/openings" { "Openings" } " › " (opening.title) }
        h1 { (opening.title) }
        p.hint {
            "Hiring manager " (opening.manager) " · " (opening.status)
            @if !role_title.is_empty() { " · role: " (role_title) }
            " · " (cards.len()) " candidate(s)"
            @if !user.is_admin() { " assigned to you" }
        }
        p.links {
            a href={ "/openings/" (opening.id) "/debrief" } { "Debrief" } " · "
            a href={ "/jd?opening=" (opening.id) } { "Job description" } " · "
            a href={ "/candidates?opening=" (opening.id) } { "Search these candidates" }
            @if user.is_admin() {
                " · " a href={ "/audit?opening=" (opening.id) } { "Audit log" }
            }
        }
        h2.visually-hidden { "Pipeline" }
        div.board role="list" aria-label="Stages" {
            @for stage in &fw.stages {
                @let here: Vec<&Card> = cards.iter().filter(|c| c.candidate.stage == stage.id).collect();
                section.column role="listitem" aria-labelledby={ "col-" (stage.id) } {
                    h3 id={ "col-" (stage.id) } { (stage.name) " " span.count { "(" (here.len()) ")" } }
                    @for card in here {
                        (card_markup(fw, user, token, card, &accounts))
                    }
                }
            }
        }
        @if !elsewhere.is_empty() {
            h2 { "At a stage the framework no longer has" }
            @for card in elsewhere { (card_markup(fw, user, token, card, &accounts)) }
        }
        @if user.is_admin() {
            (add_form(fw, token, opening.id, add))
        }
    };
    Ok(layout::page(&opening.title, Some(user), token, body))
}

fn card_markup(
    fw: &Framework,
    user: &CurrentUser,
    token: &str,
    card: &Card,
    accounts: &[String],
) -> Markup {
    let c = &card.candidate;
    html! {
        article.card {
            a href={ "/candidates/" (c.id) } { strong { (c.name) } }
            @if c.internal { " " span.chip.internal { "internal" } }
            br;
            span.hint { (card.scorecards) " scorecard(s)" }
            br;
            @match &card.flags {
                Some(flags) if flags.is_empty() => span.hint { "no red flags" },
                Some(flags) => span.flags { (layout::chip(&format!("{} red flag(s)", flags.len()), false))
                    " " (flags.iter().cloned().collect::<Vec<_>>().join(", ")) },
                None => span.hint { "red flags hidden until your scorecard is in" },
            }
            @if user.is_admin() {
                (manage(fw, token, c, accounts))
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
    let opening = access::opening(&state, opening_id(&id)?).await?;
    render(
        &state,
        &user,
        &token,
        &opening,
        &AddForm {
            posted: &Posted(Vec::new()),
            errors: &Errors::default(),
        },
    )
    .await
}

/// Whether `email` looks like one address (the rest is the mail server's job).
fn plausible_email(email: &str) -> bool {
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.chars().any(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    }
}

/// The new candidate, or the problems by field.
fn new_candidate(fw: &Framework, opening: OpeningId, p: &Posted) -> Result<NewCandidate, Errors> {
    let mut errors = Errors::default();
    let name = p.get("name");
    if name.is_empty() {
        errors.add("name", "Give the candidate's name.");
    }
    let email = p.get("email");
    if !email.is_empty() && !plausible_email(email) {
        errors.add(
            "email",
            "This does not look like an email address (name@example.com); correct it or leave it empty.",
        );
    }
    let stage = p.get("stage");
    if fw.stage(stage).is_none() {
        errors.add("stage", "Choose the starting stage from the list.");
    }
    let internal = p.get("internal") == "yes";
    let (wants, gives) = (p.get("wants-leadership"), p.get("gives-up"));
    if internal {
        if wants.is_empty() {
            errors.add(
                "wants-leadership",
                "An internal candidate needs this answer: ask whether they want the leadership work.",
            );
        }
        if gives.is_empty() {
            errors.add(
                "gives-up",
                "An internal candidate needs this answer: ask what they would give up.",
            );
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let text = |s: &str| (!s.is_empty()).then(|| s.to_string());
    Ok(NewCandidate {
        opening,
        name: name.to_string(),
        email: text(email),
        internal,
        wants_leadership: if internal { text(wants) } else { None },
        gives_up: if internal { text(gives) } else { None },
        stage: stage.to_string(),
    })
}

async fn add_candidate(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Form(posted): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    user.require_admin("add candidates")?;
    let opening = access::opening(&state, opening_id(&id)?).await?;
    let posted = Posted(posted);
    match new_candidate(&state.framework, opening.id, &posted) {
        Ok(new) => {
            let cid = state.store.add_candidate(&user.name, &new).await?;
            tracing::info!(candidate = cid.0, "candidate added");
            Ok(
                Redirect::to(&format!("/openings/{}#col-{}", opening.id, new.stage))
                    .into_response(),
            )
        }
        Err(errors) => {
            let token = csrf::token(&session).await?;
            let page = render(
                &state,
                &user,
                &token,
                &opening,
                &AddForm {
                    posted: &posted,
                    errors: &errors,
                },
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// Where a move or an assignment returns to.
fn back_to(posted: &Posted, ctx: &CandidateContext) -> String {
    if posted.get("back") == "board" {
        format!("/openings/{}", ctx.opening.id)
    } else {
        format!("/candidates/{}", ctx.candidate.id)
    }
}

async fn move_candidate(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(posted): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    user.require_admin("move candidates between stages")?;
    let ctx = access::candidate(&state, &user, loop_nav::candidate_id(&id)?).await?;
    let posted = Posted(posted);
    let stage = posted.get("stage");
    let fw = &state.framework;
    if fw.stage(stage).is_none() {
        let ids: Vec<&str> = fw.stages.iter().map(|s| s.id.as_str()).collect();
        return Err(WebError::BadRequest(format!(
            "`{stage}` is not a stage; choose one of {}",
            ids.join(", ")
        )));
    }
    if stage != ctx.candidate.stage {
        state
            .store
            .move_candidate(&user.name, ctx.candidate.id, stage)
            .await?;
    }
    Ok(Redirect::to(&back_to(&posted, &ctx)).into_response())
}

async fn assign(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(posted): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    user.require_admin("assign interviewers")?;
    let ctx = access::candidate(&state, &user, loop_nav::candidate_id(&id)?).await?;
    let posted = Posted(posted);
    let stage = posted.get("stage");
    let who = posted.get("interviewer");
    let fw = &state.framework;
    let stages = assignable_stages(fw);
    if !stages.iter().any(|(id, _)| *id == stage) {
        let ids: Vec<&str> = stages.iter().map(|(id, _)| *id).collect();
        return Err(WebError::BadRequest(format!(
            "nobody can be assigned to `{stage}`; choose one of {}",
            ids.join(", ")
        )));
    }
    if state.store.user(who).await?.is_none() {
        return Err(WebError::BadRequest(format!(
            "there is no account `{who}`; create it with `multiplier user add` or choose one from the list"
        )));
    }
    state
        .store
        .assign(&user.name, ctx.candidate.id, stage, who)
        .await?;
    Ok(Redirect::to(&back_to(&posted, &ctx)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plausible_addresses_pass() {
        assert!(plausible_email("dana@example.com"));
        assert!(!plausible_email("dana"));
        assert!(!plausible_email("dana@localhost"));
        assert!(!plausible_email("da na@example.com"));
        assert!(!plausible_email("@example.com"));
        assert!(!plausible_email("a@b@example.com"));
    }

    #[test]
    fn an_internal_candidate_needs_both_promotion_trap_answers() {
        let fw = Framework::default_framework().unwrap();
        let p = Posted(vec![
            ("name".into(), "Sam".into()),
            ("stage".into(), "screen".into()),
            ("internal".into(), "yes".into()),
            ("wants-leadership".into(), "Yes".into()),
        ]);
        let errors = new_candidate(&fw, OpeningId(1), &p).err().unwrap();
        assert!(errors.has("gives-up"));
        assert!(!errors.has("wants-leadership"));
    }
}
