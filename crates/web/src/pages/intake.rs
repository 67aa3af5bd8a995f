//! Opening a new opening: the role-intake form and its live guidance.
//!
//! `GET /openings/new` shows the framework's intake questions, one input per
//! answer type, plus the title, the hiring manager (chosen among the admin
//! accounts, `App::accounts`, which only admins may list) and the optional
//! context the job-description writer uses. `POST /openings/new` either
//! re-renders with the guidance ("Check answers") or opens the role
//! (`App::open_role`: the role and its opening in one transaction), then
//! redirects to its board. `POST /openings/guidance` returns only the guidance
//! panel, for `/static/intake.js` to swap in as the manager types; it is core's
//! reading of the answers and stores nothing, so any signed-in account may ask.
//!
//! The form is turned into a role file and parsed by core ([`Role::parse`]), so the
//! web and `multiplier role new` accept and refuse exactly the same answers.

use super::field::{Errors, Posted};
use crate::auth::CurrentUser;
use crate::error::{WebError, WebResult};
use crate::{AppState, csrf, layout};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router, extract::State};
use maud::{Markup, html};
use multiplier_app::{Account, Actor, AppError};
use multiplier_core::framework::{AnswerKind, Framework, Question};
use multiplier_core::role::{FindingKind, Guidance, Role};
use multiplier_store::AccountRole;
use tower_sessions::Session;

/// The script that refreshes the guidance as the form changes.
pub const INTAKE_JS: &str = include_str!("../../static/intake.js");

/// The optional context fields, as (name, label, example).
const CONTEXT: [(&str, &str, &str); 7] = [
    ("team", "Team", "e.g. Payments backend"),
    (
        "product",
        "Product",
        "e.g. Checkout and invoicing for a B2B marketplace",
    ),
    ("stack", "Stack", "e.g. Python, Django, PostgreSQL, AWS"),
    ("scale", "Scale", "e.g. 50K daily active users"),
    ("company", "Company", "e.g. Acme Payments"),
    (
        "location",
        "Location",
        "e.g. Berlin, or remote within the EU",
    ),
    (
        "region",
        "Pay region (for the salary band)",
        "a compensation region id: remote, us, western-europe, …",
    ),
];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/openings/new", get(form).post(submit))
        .route("/openings/guidance", post(guidance_fragment))
        .route("/static/intake.js", get(script))
}

async fn script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        INTAKE_JS,
    )
}

/// The name of the form field for a question (team mixes add `.LEVEL`).
fn field_name(q: &Question) -> String {
    format!("answer.{}", q.id)
}

/// The element id problems with a question point at.
fn field_id(question: &str) -> String {
    format!("q-{question}")
}

/// The posted form as a role file, for core to parse.
fn role_toml(fw: &Framework, p: &Posted, title: &str) -> WebResult<String> {
    use toml::Value;
    let mut answers = toml::Table::new();
    for q in &fw.intake.questions {
        let name = field_name(q);
        let text = |s: &str| (!s.is_empty()).then(|| Value::String(s.to_string()));
        let value = match q.kind {
            AnswerKind::Percent | AnswerKind::YesNo | AnswerKind::Choice | AnswerKind::Text => {
                text(p.get(&name))
            }
            AnswerKind::MultiChoice => Some(Value::Array(
                p.all(&name)
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .map(|s| Value::String(s.to_string()))
                    .collect(),
            )),
            AnswerKind::TeamMix => {
                let mut counts = toml::Table::new();
                for c in &q.choices {
                    let raw = p.get(&format!("{name}.{}", c.id));
                    if raw.is_empty() {
                        continue;
                    }
                    // A number that does not parse goes to core as text, which
                    // refuses it with the framework's own message.
                    let v = raw
                        .parse::<i64>()
                        .map_or_else(|_| Value::String(raw.to_string()), Value::Integer);
                    counts.insert(c.id.clone(), v);
                }
                (!counts.is_empty()).then_some(Value::Table(counts))
            }
        };
        if let Some(v) = value {
            answers.insert(q.id.clone(), v);
        }
    }
    let mut context = toml::Table::new();
    for (name, _, _) in CONTEXT {
        let v = p.get(&format!("context.{name}"));
        if !v.is_empty() {
            context.insert(name.to_string(), Value::String(v.to_string()));
        }
    }
    let mut role = toml::Table::new();
    role.insert("title".into(), Value::String(title.to_string()));
    if !context.is_empty() {
        role.insert("context".into(), Value::Table(context));
    }
    role.insert("answers".into(), Value::Table(answers));
    toml::to_string(&role).map_err(|e| WebError::Internal(format!("cannot write a role file: {e}")))
}

/// What the form's answers make of the role: the role (whenever the answers
/// hold together, so the guidance shows before the title is typed), and the
/// problems by field.
struct Checked {
    role: Option<Role>,
    errors: Errors,
    /// How many questions are still unanswered.
    missing: usize,
    /// Answers given but refused, as (field id, message), for the live panel.
    invalid: Vec<(String, String)>,
}

/// Stands in for a title not typed yet, so the answers can still be read.
const UNTITLED: &str = "(untitled)";

fn check(fw: &Framework, p: &Posted) -> WebResult<Checked> {
    let title = p.get("title");
    let text = role_toml(fw, p, if title.is_empty() { UNTITLED } else { title })?;
    let mut errors = Errors::default();
    if title.is_empty() {
        errors.add(
            "title",
            "Give the role a title, e.g. “Tech Lead, Payments backend”.",
        );
    }
    match Role::parse(fw, "the intake form", &text) {
        Ok(role) => Ok(Checked {
            role: Some(role),
            errors,
            missing: 0,
            invalid: Vec::new(),
        }),
        Err(e) => {
            let mut missing = 0;
            let mut invalid = Vec::new();
            for problem in &e.0.problems {
                let field = match problem.field.strip_prefix("answers.") {
                    Some(q) => field_id(q),
                    None => problem.field.clone(),
                };
                let message = if problem.message.starts_with("is missing") {
                    missing += 1;
                    "This question needs an answer.".to_string()
                } else {
                    let m = format!("This answer was not accepted: {}.", problem.message);
                    invalid.push((field.clone(), m.clone()));
                    m
                };
                errors.add(field, message);
            }
            Ok(Checked {
                role: None,
                errors,
                missing,
                invalid,
            })
        }
    }
}

/// The guidance panel: the explained guidance once every answer is valid, else
/// how far the form is from it.
fn guidance_panel(fw: &Framework, checked: &Checked) -> Markup {
    html! {
        h2 #guidance-heading { "Guidance" }
        @match &checked.role {
            None => {
                p.hint {
                    @if checked.missing > 0 {
                        (checked.missing) " of " (fw.intake.questions.len())
                        " questions still need an answer; the guidance appears once all are answered."
                    } @else {
                        "Some answers need fixing before the guidance can be worked out."
                    }
                }
                @if !checked.invalid.is_empty() {
                    ul.findings {
                        @for (field, message) in &checked.invalid {
                            li { a href={ "#" (field) } { (message) } }
                        }
                    }
                }
            }
            Some(role) => (guidance_body(&role.guidance(fw))),
        }
    }
}

fn guidance_body(g: &Guidance) -> Markup {
    let contradictions = g
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::Contradiction)
        .count();
    html! {
        dl.facts {
            dt { "Shape of the role" }
            dd { strong { (g.archetype.name()) } " — " (g.archetype_reason) }
            dt { "Suggested level" }
            dd { strong { (g.suggested_level.name) } " — " (g.suggested_level.reason) }
        }
        @if contradictions > 0 {
            p.alert { (contradictions) " answer(s) contradict each other: one Tech Lead role cannot be all of this. Change the answers, or open it anyway knowing why." }
        } @else if g.findings.is_empty() {
            p.notice { "No contradictions: the answers describe one consistent Tech Lead role." }
        }
        @if !g.findings.is_empty() {
            h3 { "Findings" }
            ul.findings {
                @for f in &g.findings {
                    li {
                        (layout::chip(f.kind.id(), f.kind == FindingKind::Note))
                        " " (f.message)
                        br;
                        span.hint { "Rests on: "
                            @for (i, e) in f.evidence.iter().enumerate() {
                                @if i > 0 { "; " }
                                (e.question) " = " (e.answer)
                            }
                        }
                        br;
                        span.hint { "Consider: " (f.hint) }
                        " " code.rule { (f.rule) }
                    }
                }
            }
        }
        @if !g.focus.is_empty() {
            h3 { "What to look for in candidates" }
            ul {
                @for f in &g.focus {
                    li { strong { (f.answer) } ": " (f.guidance) }
                }
            }
        }
    }
}

/// One question's input, chosen by its answer type, with its values kept.
fn question_input(q: &Question, p: &Posted, errors: &Errors) -> Markup {
    let name = field_name(q);
    let id = field_id(&q.id);
    let help_id = format!("{id}-help");
    let described = match errors.described_by(&id) {
        Some(e) => format!("{help_id} {e}"),
        None => help_id.clone(),
    };
    let help = html! { p.hint id=(help_id) { (q.help) } };
    match q.kind {
        AnswerKind::Percent => html! {
            div.question {
                label for=(id) { (q.prompt) }
                (help)
                (errors.at(&id))
                input #(id) type="number" name=(name) min="0" max="100" step="1"
                    inputmode="numeric" value=(p.get(&name)) aria-describedby=(described);
            }
        },
        AnswerKind::Text => html! {
            div.question {
                label for=(id) { (q.prompt) }
                (help)
                (errors.at(&id))
                textarea #(id) name=(name) aria-describedby=(described) { (p.get(&name)) }
            }
        },
        AnswerKind::YesNo => {
            let chosen = p.get(&name).to_ascii_lowercase();
            html! {
                fieldset.question #(id) aria-describedby=(described) {
                    legend { (q.prompt) }
                    (help)
                    (errors.at(&id))
                    @for (value, label) in [("yes", "Yes"), ("no", "No")] {
                        div.choice {
                            input type="radio" id={ (id) "-" (value) } name=(name) value=(value)
                                checked[chosen == value];
                            label for={ (id) "-" (value) } { (label) }
                        }
                    }
                }
            }
        }
        AnswerKind::Choice | AnswerKind::MultiChoice => {
            let multi = q.kind == AnswerKind::MultiChoice;
            let chosen = p.all(&name);
            html! {
                fieldset.question #(id) aria-describedby=(described) {
                    legend { (q.prompt) }
                    (help)
                    @if multi { p.hint { "Tick all that apply, or none." } }
                    (errors.at(&id))
                    @for c in &q.choices {
                        div.choice {
                            input type=(if multi { "checkbox" } else { "radio" })
                                id={ (id) "-" (c.id) } name=(name) value=(c.id)
                                checked[chosen.contains(&c.id.as_str())];
                            label for={ (id) "-" (c.id) } { (c.label) }
                        }
                    }
                }
            }
        }
        AnswerKind::TeamMix => html! {
            fieldset.question #(id) aria-describedby=(described) {
                legend { (q.prompt) }
                (help)
                (errors.at(&id))
                div.team-mix {
                    @for c in &q.choices {
                        @let level = format!("{name}.{}", c.id);
                        div {
                            label for={ (id) "-" (c.id) } { (c.label) }
                            input id={ (id) "-" (c.id) } type="number" name=(level) min="0"
                                step="1" inputmode="numeric" value=(p.get(&level));
                        }
                    }
                }
            }
        },
    }
}

/// Names of the accounts offered as the hiring manager (the admins); refused
/// to anyone who may not list accounts.
async fn managers(state: &AppState, account: &Account) -> WebResult<Vec<String>> {
    Ok(state
        .app
        .accounts(&Actor::Account(account.clone()))
        .await?
        .into_iter()
        .filter(|u| u.role == AccountRole::Admin)
        .map(|u| u.name)
        .collect())
}

struct View<'a> {
    user: &'a CurrentUser,
    token: &'a str,
    managers: &'a [String],
    posted: &'a Posted,
    errors: &'a Errors,
    checked: Option<&'a Checked>,
    /// Shown beside the submit button (e.g. contradictions not confirmed).
    confirm_needed: bool,
}

fn render(fw: &Framework, v: &View<'_>) -> Markup {
    let p = v.posted;
    let manager = if p.get("manager").is_empty() {
        v.user.name.as_str()
    } else {
        p.get("manager")
    };
    let body = html! {
        nav.crumbs aria-label="Breadcrumb" { a href="/openings" { "Openings" } " › New opening" }
        h1 { "New opening: role intake" }
        p.hint { "Answer these before anything is written about the role. The guidance beside the form explains what the answers imply; it advises, you decide." }
        (v.errors.summary())
        div.intake {
            form #intake method="post" action="/openings/new" data-guidance="/openings/guidance" novalidate {
                (layout::csrf_field(v.token))
                h2 { "The opening" }
                label for="title" { "Role title" }
                (v.errors.at("title"))
                input #title type="text" name="title" value=(p.get("title"))
                    placeholder="e.g. Tech Lead, Payments backend"
                    aria-describedby=[v.errors.described_by("title")];
                label for="manager" { "Hiring manager" }
                (v.errors.at("manager"))
                select #manager name="manager" aria-describedby=[v.errors.described_by("manager")] {
                    @for m in v.managers {
                        option value=(m) selected[m == manager] { (m) }
                    }
                }
                h2 { "Intake questions" }
                @for q in &fw.intake.questions {
                    (question_input(q, p, v.errors))
                }
                details.context open[CONTEXT.iter().any(|(n, _, _)| !p.get(&format!("context.{n}")).is_empty())] {
                    summary { "Context for the job description (optional)" }
                    @for (name, label, example) in CONTEXT {
                        @let field = format!("context.{name}");
                        label for={ "context-" (name) } { (label) }
                        input id={ "context-" (name) } type="text" name=(field)
                            value=(p.get(&field)) placeholder=(example);
                    }
                }
                @if v.confirm_needed {
                    p.alert #confirm-note { "The answers contradict each other (see the guidance). Change them, or tick the box to open the opening anyway." }
                }
                div.choice {
                    input #confirm type="checkbox" name="confirm" value="yes" checked[p.get("confirm") == "yes"];
                    label for="confirm" { "Open it even if the guidance finds contradictions" }
                }
                div.actions {
                    button.secondary type="submit" name="action" value="check" { "Check answers" }
                    " "
                    button type="submit" name="action" value="open" { "Open the opening" }
                }
            }
            section #guidance.guidance aria-live="polite" aria-labelledby="guidance-heading" {
                @match v.checked {
                    Some(c) => (guidance_panel(fw, c)),
                    None => {
                        h2 #guidance-heading { "Guidance" }
                        p.hint { "Answer the questions; the guidance appears here (press “Check answers” if it does not update by itself)." }
                    }
                }
            }
        }
        script src="/static/intake.js" defer {}
    };
    layout::page("New opening", Some(v.user), v.token, body)
}

async fn form(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
) -> WebResult<Markup> {
    let token = csrf::token(&session).await?;
    let managers = managers(&state, &user.account()).await?;
    Ok(render(
        &state.framework,
        &View {
            user: &user,
            token: &token,
            managers: &managers,
            posted: &Posted(Vec::new()),
            errors: &Errors::default(),
            checked: None,
            confirm_needed: false,
        },
    ))
}

/// Core's reading of the answers so far. Signing in is required (the extractor
/// sends anyone else to the sign-in page), nothing more: it stores nothing.
async fn guidance_fragment(
    State(state): State<AppState>,
    _signed_in: CurrentUser,
    Form(posted): Form<Vec<(String, String)>>,
) -> WebResult<Markup> {
    let checked = check(&state.framework, &Posted(posted))?;
    Ok(guidance_panel(&state.framework, &checked))
}

async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Form(posted): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let fw = &state.framework;
    let account = user.account();
    let token = csrf::token(&session).await?;
    let posted = Posted(posted);
    let managers = managers(&state, &account).await?;
    let checked = check(fw, &posted)?;
    let only_checking = posted.get("action") == "check";
    let contradicts = checked
        .role
        .as_ref()
        .is_some_and(|r| r.guidance(fw).has_contradictions());
    let confirm_needed = !only_checking && contradicts && posted.get("confirm") != "yes";
    let mut errors = checked.errors.clone();
    if !only_checking && errors.is_empty() && !confirm_needed {
        let Some(role) = &checked.role else {
            return Err(WebError::Internal(
                "the intake was accepted without a role".to_string(),
            ));
        };
        match state
            .app
            .open_role(&account, role, Some(posted.get("manager")))
            .await
        {
            Ok((_, opening)) => {
                tracing::info!(opening = opening.0, "opening created");
                crate::flash::set(&session, format!("Opening “{}” created.", role.title)).await?;
                return Ok(Redirect::to(&format!("/openings/{opening}")).into_response());
            }
            Err(e @ AppError::Invalid { .. }) => {
                errors.place(e.problems(), |field| match field {
                    "manager" => ("manager".to_string(), "Hiring manager"),
                    "title" => ("title".to_string(), "Role title"),
                    other => (other.to_string(), ""),
                });
            }
            Err(e) => return Err(e.into()),
        }
    }
    // Checking answers is a page like any other, whatever it finds; a refused
    // submission is 422.
    let status = if only_checking {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = render(
        fw,
        &View {
            user: &user,
            token: &token,
            managers: &managers,
            posted: &posted,
            errors: &errors,
            checked: Some(&checked),
            confirm_needed,
        },
    );
    Ok((status, page).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn posted(pairs: &[(&str, &str)]) -> Posted {
        Posted(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
                .collect(),
        )
    }

    fn complete() -> Vec<(&'static str, &'static str)> {
        vec![
            ("title", "Tech Lead, Payments"),
            ("answer.coding-share", "60"),
            ("answer.team.senior", "1"),
            ("answer.team.mid", "3"),
            ("answer.performance-reviews", "no"),
            ("answer.architecture", "monolith"),
            ("answer.mandate", "legacy-modernisation"),
            ("answer.main-challenge", "delivery-speed"),
            ("answer.rituals", "sprint-planning"),
            ("answer.rituals", "architecture-review"),
            ("answer.reports-to", "engineering-manager"),
        ]
    }

    #[test]
    fn a_complete_form_is_the_same_role_as_the_example_file() {
        let fw = Framework::default_framework().unwrap();
        let checked = check(&fw, &posted(&complete())).unwrap();
        let role = checked.role.expect("valid");
        assert_eq!(role.title, "Tech Lead, Payments");
        assert_eq!(role.facts.team.total, 4);
        assert!(role.facts.runs_architecture_review);
        assert!(!role.guidance(&fw).has_contradictions());
    }

    #[test]
    fn problems_land_on_their_question_and_missing_ones_are_counted() {
        let fw = Framework::default_framework().unwrap();
        let mut pairs = complete();
        pairs.retain(|(k, _)| *k != "answer.mandate" && *k != "title");
        pairs.push(("answer.team.junior", "lots"));
        let checked = check(&fw, &posted(&pairs)).unwrap();
        assert!(checked.role.is_none());
        assert_eq!(checked.missing, 1);
        assert!(checked.errors.has("q-mandate"));
        assert!(
            checked.errors.has("q-team"),
            "a head count that is not a number"
        );
        assert!(checked.errors.has("title"));
    }
}
