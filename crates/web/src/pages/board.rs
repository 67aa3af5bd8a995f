//! The pipeline board of one opening, and the admin forms that change it.
//!
//! - `GET /openings/{id}`: the framework's stages in order as columns, one card
//!   per candidate the viewer may see (`App::board`): name, internal chip,
//!   scorecards in, and the red flags raised when the blind rule lets the viewer
//!   read them.
//! - `POST /openings/{id}/candidates`: add a candidate (`App::add_candidate`);
//!   internal ones answer the two promotion-trap questions.
//! - `POST /candidates/{id}/move` and `POST /candidates/{id}/assign`: move a
//!   candidate to a stage (`App::move_candidate`); assign an account to
//!   interview them at a stage (`App::assign`). Both return to the board or the
//!   candidate page (`back=board|candidate`). On the board an admin's card
//!   moves its candidate to the next stage in one click and links to the
//!   candidate page's forms, opened (`?manage=open#manage`), for any other
//!   stage and for assigning interviewers.
//!
//! The forms show to admins; the use cases decide who may use them.

use super::field::{Errors, Posted};
use super::loop_nav;
use crate::auth::CurrentUser;
use crate::error::{WebError, WebResult};
use crate::{AppState, csrf, flash, layout};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{Markup, PreEscaped, Render, html};
use multiplier_app::access::REFERENCES;
use multiplier_app::{
    AppError, BoardCandidate, BoardCard, BoardRequest, BoardView, CandidateInput, PageRequest,
};
use multiplier_core::Framework;
use multiplier_store::{CandidateId, CandidateRecord, OpeningId};
use tower_sessions::Session;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/openings/{id}", get(show))
        .route("/openings/{id}/candidates", post(add_candidate))
        .route("/candidates/{id}/move", post(move_candidate))
        .route("/candidates/{id}/assign", post(assign))
        .route("/candidates/{id}/unassign", post(unassign))
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
        .filter(|s| !s.signals.is_empty() || s.id == REFERENCES)
        .map(|s| (s.id.as_str(), s.name.as_str()))
        .collect()
}

/// The display name of a stage, or its id when the framework does not know it.
pub fn stage_name<'a>(fw: &'a Framework, id: &'a str) -> &'a str {
    fw.stage(id).map_or(id, |s| s.name.as_str())
}

/// The candidate's details as typed in the add or edit form (`internal=yes`,
/// `wants-leadership`, `gives-up`).
pub fn candidate_input(p: &Posted, stage: Option<&str>) -> CandidateInput {
    CandidateInput {
        name: p.get("name").to_string(),
        email: Some(p.get("email").to_string()),
        internal: p.get("internal") == "yes",
        wants_leadership: Some(p.get("wants-leadership").to_string()),
        gives_up: Some(p.get("gives-up").to_string()),
        stage: stage.map(str::to_string),
    }
}

/// Where a problem with a candidate's details goes in a form whose field ids
/// start with `prefix`, and its label.
pub fn candidate_field<'a>(prefix: &str, field: &'a str) -> (String, &'a str) {
    let (id, label) = match field {
        "name" => ("name", "Name"),
        "email" => ("email", "Email"),
        "stage" => ("stage", "Starting stage"),
        "internal" => ("internal", "Internal candidate"),
        "wants_leadership" => ("wants-leadership", "Wants the leadership work"),
        "gives_up" => ("gives-up", "Will give up"),
        other => (other, ""),
    };
    (format!("{prefix}{id}"), label)
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
                select #stage name="stage" aria-describedby=[e.described_by("stage")] {
                    @for s in &fw.stages {
                        option value=(s.id) selected[stage == s.id] { (s.name) }
                    }
                }
                (e.at("internal"))
                div.choice {
                    input #internal type="checkbox" name="internal" value="yes" checked[internal]
                        aria-describedby=[e.described_by("internal")];
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

/// The id of the one form every card's "Move to" button submits (see
/// [`move_form`]).
const MOVE_FORM: &str = "board-move";

/// The form the cards' "Move to" buttons submit, once per board: the CSRF
/// token and the way back. Each button names it (`form`), posts to its own
/// candidate (`formaction`) and carries the stage as its own value, which
/// browsers do without JavaScript. A form on each card repeated the token and
/// the hidden fields 180 times: a quarter of a full board's HTML.
fn move_form(token: &str, opening: OpeningId) -> Markup {
    html! {
        form id=(MOVE_FORM) method="post" action={ "/openings/" (opening) } hidden {
            (layout::csrf_field(token))
            input type="hidden" name="back" value="board";
        }
    }
}

/// The admin controls on a card: one button to the next stage of the loop
/// (submitting [`move_form`]), and a link to the candidate page's forms (any
/// stage, and assigning interviewers). The full forms on every card made a
/// board of 160 cards 0.6 MB of HTML, most of it the same stage and account
/// lists again and again.
fn manage(fw: &Framework, c: &BoardCandidate) -> Markup {
    let id = c.id;
    let next = fw.next_stage(&c.stage);
    html! {
        details.manage {
            summary { "Move or assign" span.visually-hidden { " " (c.name) } }
            @if let Some(next) = next {
                button.secondary form=(MOVE_FORM) formaction={ "/candidates/" (id) "/move" } name="stage" value=(next.id) {
                    "Move to " (next.name) span.visually-hidden { ": " (c.name) }
                }
            }
            a href={ "/candidates/" (id) "?manage=open#manage" } { "Another stage, or assign interviewers" span.visually-hidden { ": " (c.name) } }
        }
    }
}

/// The form to assign an account to a stage of a candidate.
pub fn assign_form(
    fw: &Framework,
    token: &str,
    c: &CandidateRecord,
    accounts: &[String],
    back: &str,
) -> Markup {
    let id = c.id;
    html! {
        form method="post" action={ "/candidates/" (id) "/assign" } {
            (layout::csrf_field(token))
            input type="hidden" name="back" value=(back);
            input type="hidden" name="opening" value=(c.opening);
            fieldset.stages {
                legend { "Stages to interview" }
                @for (sid, name) in assignable_stages(fw) {
                    div.choice {
                        input type="checkbox" id={ "assign-" (id) "-" (sid) } name="stage" value=(sid);
                        label for={ "assign-" (id) "-" (sid) } { (name) }
                    }
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

async fn render(
    state: &AppState,
    user: &CurrentUser,
    token: &str,
    view: &BoardView,
    add: &AddForm<'_>,
    shown: multiplier_app::Shown,
) -> WebResult<Markup> {
    let fw = &state.framework;
    let account = user.account();
    let opening = &view.opening;
    let role_title = match state.app.role(&account, opening.role).await {
        Ok(r) => r.title,
        Err(AppError::NotFound(_)) => String::new(),
        Err(e) => return Err(e.into()),
    };
    let total: u64 = view.columns.iter().map(|c| c.count).sum();
    let known = |stage: &str| fw.stage(stage).is_some();
    let before = html! {
        nav.crumbs aria-label="Breadcrumb" { a href="/openings" { "Openings" } " › " (opening.title) }
        h1 { (opening.title) }
        p.hint {
            "Hiring manager " (opening.manager) " · " (opening.status)
            @if !role_title.is_empty() { " · role: " (role_title) }
            " · " (total) " candidate(s)"
            @if !user.is_admin() { " assigned to you" }
        }
        p.links {
            a href={ "/openings/" (opening.id) "/debrief" } { "Debrief" } " · "
            a href={ "/jd?opening=" (opening.id) } { "Job description" } " · "
            a href={ "/openings/" (opening.id) "/intake" } { "Intake answers" } " · "
            a href={ "/openings/" (opening.id) "/outcomes" } { "Delivery outcome" } " · "
            a href={ "/candidates?opening=" (opening.id) } { "Search these candidates" }
            @if user.is_admin() {
                " · " a href={ "/audit?opening=" (opening.id) } { "Audit log" }
            }
        }
        @if user.is_admin() { (super::lifecycle::opening_buttons(token, opening.id, &opening.status)) }
        (super::lifecycle::board_filter(opening.id, shown))
        h2.visually-hidden { "Pipeline" }
        @if user.is_admin() { (move_form(token, opening.id)) }
    };
    let after = html! {
        @let elsewhere: Vec<&BoardCard> = view.columns.iter().filter(|c| !known(&c.stage)).flat_map(|c| &c.items).collect();
        @if !elsewhere.is_empty() {
            h2 { "At a stage the framework no longer has" }
            @for card in elsewhere { (card_markup(fw, user, card)) }
            @for column in view.columns.iter().filter(|c| !known(&c.stage)) {
                @if let Some(next) = &column.next {
                    p.pager { a rel="next" href=(more_href(opening.id, &column.stage, next, view.limit, shown)) { "More at " (column.name) } }
                }
            }
        }
        @if user.is_admin() && opening.status == "open" {
            (add_form(fw, token, opening.id, add))
        } @else if user.is_admin() {
            p.notice { "This opening is " (opening.status) ": it takes no new candidates until it is reopened." }
        }
    };
    // The columns go into a string taken at about their size, between the
    // parts before and after them: one `html!` around 90 cards (71 KB) grew
    // its string by doubling, copying what it held at each step.
    let cards: usize = view.columns.iter().map(|c| c.items.len()).sum();
    let mut board = String::with_capacity(
        before.0.len() + after.0.len() + BOARD_OPEN.len() + cards * CARD_BYTES + 1024,
    );
    board.push_str(&before.0);
    board.push_str(BOARD_OPEN);
    for column in view.columns.iter().filter(|c| known(&c.stage)) {
        html! {
            section.column role="listitem" aria-labelledby={ "col-" (column.stage) } {
                h3 id={ "col-" (column.stage) } { (column.name) " " span.count { "(" (column.count) ")" } }
                @for card in &column.items {
                    (card_markup(fw, user, card))
                }
                @if let Some(next) = &column.next {
                    p.pager { a rel="next" href=(more_href(opening.id, &column.stage, next, view.limit, shown)) { "More" } }
                }
            }
        }
        .render_to(&mut board);
    }
    board.push_str("</div>");
    board.push_str(&after.0);
    Ok(layout::page(
        &opening.title,
        Some(user),
        token,
        PreEscaped(board),
    ))
}

/// The board's list of columns, opened (closed by `</div>` after the last).
const BOARD_OPEN: &str = "<div class=\"board\" role=\"list\" aria-label=\"Stages\">";

/// About the HTML of one card as an admin sees it (name, counts, the move
/// button and link): what the board reserves per card.
const CARD_BYTES: usize = 700;

/// The board with one column moved on to its next page.
fn more_href(
    opening: OpeningId,
    stage: &str,
    next: &str,
    limit: u32,
    shown: multiplier_app::Shown,
) -> String {
    let mut pairs = vec![
        ("stage", stage.to_string()),
        ("limit", limit.to_string()),
        ("cursor", next.to_string()),
    ];
    if shown != multiplier_app::Shown::Current {
        pairs.push(("show", shown.id().to_string()));
    }
    let query = serde_urlencoded::to_string(pairs).unwrap_or_default();
    format!("/openings/{opening}?{query}#col-{stage}")
}

fn card_markup(fw: &Framework, user: &CurrentUser, card: &BoardCard) -> Markup {
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
                Some(flags) => span.flags { @for f in flags { (layout::flag_badge(f)) } },
                None => span.hint { "red flags hidden until your scorecard is in" },
            }
            @if user.is_admin() {
                (manage(fw, c))
            }
        }
    }
}

/// Cards per column on the board page unless asked otherwise: about a screenful
/// of a laptop, and nine columns of them on a phone, where the columns stack
/// (the API's columns hold 50). Each column's count says how many there are,
/// and its "More" link pages through the rest.
pub const BOARD_CARDS: u32 = 10;

/// Which column to move on (from a "More" link).
#[derive(Debug, Default, serde::Deserialize)]
struct MoreQuery {
    #[serde(default)]
    stage: String,
    /// Cards per column (1–200; [`BOARD_CARDS`] when left out).
    limit: Option<u32>,
    #[serde(default)]
    cursor: String,
    /// `current|ended|all`: which candidates by status (issue 17).
    show: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Query(more): Query<MoreQuery>,
) -> WebResult<Markup> {
    let token = csrf::token(&session).await?;
    let shown: multiplier_app::Shown = more
        .show
        .as_deref()
        .unwrap_or_default()
        .parse()
        .map_err(WebError::BadRequest)?;
    let request = BoardRequest {
        stage: Some(more.stage.trim().to_string()).filter(|s| !s.is_empty()),
        page: PageRequest {
            limit: more.limit.or(Some(BOARD_CARDS)),
            cursor: Some(more.cursor.trim().to_string()).filter(|s| !s.is_empty()),
        },
        shown,
    };
    let view = state
        .app
        .board_page(&user.account(), opening_id(&id)?, &request)
        .await?;
    render(
        &state,
        &user,
        &token,
        &view,
        &AddForm {
            posted: &Posted(Vec::new()),
            errors: &Errors::default(),
        },
        shown,
    )
    .await
}

async fn add_candidate(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Form(posted): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let oid = opening_id(&id)?;
    let account = user.account();
    let posted = Posted(posted);
    let stage = posted.get("stage");
    let input = candidate_input(&posted, (!stage.is_empty()).then_some(stage));
    match state.app.add_candidate(&account, oid, &input).await {
        Ok(cid) => {
            tracing::info!(candidate = cid.0, "candidate added");
            flash::set(&session, format!("{} added.", input.name.trim())).await?;
            let column = (!stage.is_empty())
                .then_some(stage)
                .or_else(|| state.framework.stages.first().map(|s| s.id.as_str()))
                .unwrap_or_default();
            Ok(Redirect::to(&format!("/openings/{oid}#col-{column}")).into_response())
        }
        Err(e @ AppError::Invalid { .. }) => {
            let mut errors = Errors::default();
            errors.place(e.problems(), |f| candidate_field("", f));
            let token = csrf::token(&session).await?;
            let view = state.app.board(&account, oid).await?;
            let page = render(
                &state,
                &user,
                &token,
                &view,
                &AddForm {
                    posted: &posted,
                    errors: &errors,
                },
                multiplier_app::Shown::Current,
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// Where a move or an assignment returns to: the opening's board, or the
/// candidate's page.
fn back_to(posted: &Posted, candidate: CandidateId, opening: Option<OpeningId>) -> String {
    match opening {
        Some(o) if posted.get("back") == "board" => format!("/openings/{o}"),
        _ => format!("/candidates/{candidate}"),
    }
}

async fn move_candidate(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Form(posted): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let id = loop_nav::candidate_id(&id)?;
    let posted = Posted(posted);
    let moved = state
        .app
        .move_candidate(&user.account(), id, posted.get("stage"))
        .await?;
    flash::set(
        &session,
        format!(
            "{} moved to {}.",
            moved.name,
            stage_name(&state.framework, &moved.stage)
        ),
    )
    .await?;
    Ok(Redirect::to(&back_to(&posted, id, Some(moved.opening))).into_response())
}

async fn assign(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Form(posted): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let id = loop_nav::candidate_id(&id)?;
    let posted = Posted(posted);
    let stages: Vec<String> = posted.all("stage").iter().map(|s| s.to_string()).collect();
    let interviewer = posted.get("interviewer");
    state
        .app
        .assign_stages(&user.account(), id, &stages, interviewer)
        .await?;
    let names: Vec<&str> = stages
        .iter()
        .map(|s| stage_name(&state.framework, s))
        .collect();
    flash::set(
        &session,
        format!("{interviewer} assigned to {}.", names.join(", ")),
    )
    .await?;
    let opening = posted.get("opening").parse().ok();
    Ok(Redirect::to(&back_to(&posted, id, opening)).into_response())
}

async fn unassign(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Form(posted): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let id = loop_nav::candidate_id(&id)?;
    let posted = Posted(posted);
    let (stage, interviewer) = (posted.get("stage"), posted.get("interviewer"));
    state
        .app
        .unassign(&user.account(), id, stage, interviewer)
        .await?;
    flash::set(
        &session,
        format!(
            "{interviewer} unassigned from {}.",
            stage_name(&state.framework, stage)
        ),
    )
    .await?;
    Ok(Redirect::to(&format!("/candidates/{id}")).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_add_form_becomes_the_use_cases_input() {
        let p = Posted(vec![
            ("name".into(), " Sam ".into()),
            ("internal".into(), "yes".into()),
            ("wants-leadership".into(), "Yes".into()),
        ]);
        let input = candidate_input(&p, Some("screen"));
        assert_eq!(input.name, "Sam");
        assert!(input.internal);
        assert_eq!(input.wants_leadership.as_deref(), Some("Yes"));
        assert_eq!(input.gives_up.as_deref(), Some(""));
        assert_eq!(input.stage.as_deref(), Some("screen"));
    }

    #[test]
    fn each_problem_goes_beside_its_field() {
        assert_eq!(
            candidate_field("edit-", "gives_up"),
            ("edit-gives-up".to_string(), "Will give up")
        );
        assert_eq!(candidate_field("", "name"), ("name".to_string(), "Name"));
        assert_eq!(candidate_field("", "other"), ("other".to_string(), ""));
    }

    #[test]
    fn a_move_returns_to_the_board_only_when_asked_and_known() {
        let board = Posted(vec![("back".into(), "board".into())]);
        assert_eq!(
            back_to(&board, CandidateId(3), Some(OpeningId(1))),
            "/openings/1"
        );
        assert_eq!(back_to(&board, CandidateId(3), None), "/candidates/3");
        assert_eq!(
            back_to(&Posted(Vec::new()), CandidateId(3), Some(OpeningId(1))),
            "/candidates/3"
        );
    }
}
