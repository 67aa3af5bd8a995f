//! The careers page, for anyone (no sign-in):
//!
//! - `GET /jobs`: the published (open) openings, `App::jobs`.
//! - `GET /jobs/{id}`: the job description written from the opening's role
//!   (`App::job`, core's writer) and the application form: name, e-mail,
//!   links, a CV (PDF or DOCX, read by its first bytes, at most 5 MB), the
//!   consent and retention notice (the period is the framework's
//!   `[retention] months`), a voluntary self-identification (sex and
//!   race/ethnicity, "prefer not to say" by default; kept apart, for the
//!   aggregate adverse-impact report only), and a honeypot field people never see.
//! - `POST /jobs/{id}/apply`: `App::apply` with the client's address for the
//!   rate limit. The form is anonymous, so its CSRF token is a double-submit
//!   one, like the sign-in form's: `GET /jobs/{id}` sets it in the
//!   [`csrf::APPLY_COOKIE`] cookie and the form repeats it; this handler checks
//!   the two match (the middleware leaves this one path to it). Every outcome
//!   but a refused form and the rate limit shows the same thanks page.

use super::field::Errors;
use crate::auth::ClientKey;
use crate::error::{WebError, WebResult};
use crate::{AppState, csrf};
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use maud::{DOCTYPE, Markup, html};
use multiplier_app::{AppError, ApplicationInput, Applied, Job, MAX_CV_BYTES, Upload};
use multiplier_store::OpeningId;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/jobs", get(list))
        .route("/jobs/{id}", get(show))
        .route(
            "/jobs/{id}/apply",
            post(apply).layer(DefaultBodyLimit::max(csrf::MAX_UPLOAD)),
        )
}

/// The public frame: no staff navigation, the way back is the list of jobs.
fn frame(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · careers" }
                link rel="stylesheet" href="/static/app.css";
            }
            body {
                a.skip href="#main" { "Skip to content" }
                header.top { a.brand href="/jobs" { "Open positions" } }
                main #main tabindex="-1" { (body) }
            }
        }
    }
}

fn opening_id(raw: &str) -> WebResult<OpeningId> {
    raw.parse()
        .map_err(|_| WebError::NotFound(format!("there is no job `{raw}`")))
}

async fn list(State(state): State<AppState>) -> WebResult<Markup> {
    let jobs = state.app.jobs().await?;
    Ok(frame(
        "Open positions",
        html! {
            h1 { "Open positions" }
            @if jobs.is_empty() {
                p.notice { "There are no open positions right now." }
            } @else {
                ul.plain {
                    @for o in &jobs {
                        li { a href={ "/jobs/" (o.id) } { (o.title) } }
                    }
                }
            }
        },
    ))
}

/// What the applicant typed, to show again after a refused form (never the file).
#[derive(Default)]
struct Typed {
    name: String,
    email: String,
    links: String,
    consent: bool,
    sex: String,
    race: String,
}

fn form_markup(state: &AppState, job: &Job, token: &str, typed: &Typed, errors: &Errors) -> Markup {
    let fw = &state.framework;
    let description = multiplier_core::jd::write(fw, &job.role, &job.baseline);
    let months = fw.retention.months;
    let id = job.opening.id;
    html! {
        nav.crumbs aria-label="Breadcrumb" { a href="/jobs" { "Open positions" } " › " (job.opening.title) }
        article.jd {
            h1 { (description.title) }
            @for s in &description.sections {
                h2 { (s.heading) }
                @for p in &s.paragraphs { p { (p) } }
                @if !s.bullets.is_empty() { ul { @for b in &s.bullets { li { (b) } } } }
            }
        }
        section aria-labelledby="apply-heading" {
            h2 #apply-heading { "Apply" }
            (errors.summary())
            form method="post" action={ "/jobs/" (id) "/apply" } enctype="multipart/form-data" {
                input type="hidden" name=(csrf::FIELD) value=(token);
                label for="apply-name" { "Your name" }
                (errors.at("apply-name"))
                input #apply-name type="text" name="name" value=(typed.name) required autocomplete="name"
                    aria-describedby=[errors.described_by("apply-name")];
                label for="apply-email" { "E-mail address" }
                (errors.at("apply-email"))
                input #apply-email type="email" name="email" value=(typed.email) required autocomplete="email"
                    aria-describedby=[errors.described_by("apply-email")];
                label for="apply-links" { "Links (optional, one per line): a profile, a repository, your writing" }
                (errors.at("apply-links"))
                textarea #apply-links name="links" rows="3" aria-describedby=[errors.described_by("apply-links")] { (typed.links) }
                label for="apply-cv" { "CV (optional): a PDF or Word (.docx) file, at most " (MAX_CV_BYTES / (1024 * 1024)) " MB" }
                (errors.at("apply-cv"))
                input #apply-cv type="file" name="cv"
                    accept=".pdf,.docx,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                    aria-describedby=[errors.described_by("apply-cv")];
                // People never see this field; software that fills every field does.
                div.honeypot aria-hidden="true" style="position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden" {
                    label for="apply-website" { "Leave this empty" }
                    input #apply-website type="text" name="website" tabindex="-1" autocomplete="off";
                }
                (errors.at("apply-sex"))
                (errors.at("apply-race"))
                (crate::layout::self_id_fields("apply", &typed.sex, &typed.race))
                section.notice aria-labelledby="consent-heading" {
                    h3 #consent-heading { "What we keep and for how long" }
                    p { "We keep what you send here (your name, address, links and CV) and what our interviewers record about you, only to decide on this application. "
                        "It is erased " (months) " months after the last step of your application, or sooner if you ask us. "
                        "Only the hiring team reads it; your CV and contact details only the hiring managers." }
                }
                (errors.at("apply-consent"))
                div.choice {
                    input #apply-consent type="checkbox" name="consent" value="yes" checked[typed.consent]
                        aria-describedby=[errors.described_by("apply-consent")];
                    label for="apply-consent" { "I agree that my application is kept as described above" }
                }
                button type="submit" { "Send my application" }
            }
        }
    }
}

/// The token in the applicant's cookie when it looks like one of ours.
fn apply_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == csrf::APPLY_COOKIE)
        .map(|(_, value)| value.to_string())
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn set_cookie(state: &AppState, token: &str) -> HeaderValue {
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{}={token}; Path=/jobs; HttpOnly; SameSite=Strict{secure}",
        csrf::APPLY_COOKIE
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("multiplier_apply=; Max-Age=0"))
}

async fn form_page(
    state: &AppState,
    headers: &HeaderMap,
    job: &Job,
    typed: &Typed,
    errors: &Errors,
    status: StatusCode,
) -> Response {
    let token = apply_cookie(headers).unwrap_or_else(csrf::random_token);
    let page = frame(
        &job.opening.title,
        form_markup(state, job, &token, typed, errors),
    );
    (
        status,
        [(header::SET_COOKIE, set_cookie(state, &token))],
        page,
    )
        .into_response()
}

async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let job = state.app.job(opening_id(&id)?).await?;
    Ok(form_page(
        &state,
        &headers,
        &job,
        &Typed::default(),
        &Errors::default(),
        StatusCode::OK,
    )
    .await)
}

/// The form's fields as sent (the file's bytes included).
async fn read_form(mut form: Multipart) -> WebResult<(ApplicationInput, Option<String>)> {
    let mut input = ApplicationInput::default();
    let mut token = None;
    let too_big = |_| {
        WebError::BadRequest(format!(
            "the form could not be read; is the CV larger than {} MB?",
            MAX_CV_BYTES / (1024 * 1024)
        ))
    };
    while let Some(field) = form.next_field().await.map_err(too_big)? {
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "cv" => {
                let file_name = field.file_name().unwrap_or_default().to_string();
                let bytes = field.bytes().await.map_err(too_big)?;
                if !bytes.is_empty() {
                    input.cv = Some(Upload {
                        file_name,
                        bytes: bytes.to_vec(),
                    });
                }
            }
            _ => {
                let text = field.text().await.map_err(too_big)?;
                match name.as_str() {
                    "name" => input.name = text,
                    "email" => input.email = text,
                    "links" => input.links = text,
                    "consent" => input.consent = text == "yes",
                    "website" => input.honeypot = text,
                    "sex" => input.sex = text,
                    "race" => input.race = text,
                    f if f == csrf::FIELD => token = Some(text),
                    _ => {}
                }
            }
        }
    }
    Ok((input, token))
}

async fn apply(
    State(state): State<AppState>,
    ClientKey(client): ClientKey,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Multipart,
) -> WebResult<Response> {
    let id = opening_id(&id)?;
    let (input, token) = read_form(form).await?;
    let cookie = apply_cookie(&headers);
    let ok = matches!((&cookie, &token), (Some(c), Some(t)) if csrf::same(c, t));
    if !ok {
        return Err(WebError::Csrf);
    }
    match state.app.apply(id, &input, &client).await {
        Ok(Applied::TooMany) => Err(WebError::TooManyRequests(format!(
            "Too many applications from your network in the last hour (at most {}). Please try again later.",
            multiplier_app::MAX_APPLICATIONS_PER_CLIENT
        ))),
        Ok(outcome) => {
            if let Applied::Created(c) = outcome {
                tracing::info!(opening = id.0, candidate = c.0, "application received");
            }
            let job = state.app.job(id).await?;
            Ok(frame(
                "Application received",
                html! {
                    h1 { "Thank you" }
                    div.notice role="status" {
                        p { "We have your application for " strong { (job.opening.title) } ". "
                            "Someone from the hiring team will be in touch by e-mail." }
                    }
                    p { a href="/jobs" { "See the other open positions" } }
                },
            )
            .into_response())
        }
        Err(e @ AppError::Invalid { .. }) => {
            let job = state.app.job(id).await?;
            let mut errors = Errors::default();
            errors.place(e.problems(), |f| {
                let label = match f {
                    "name" => "Your name",
                    "email" => "E-mail address",
                    "links" => "Links",
                    "cv" => "CV",
                    "consent" => "Agreement",
                    "sex" => "Sex",
                    "race" => "Race/ethnicity",
                    _ => "",
                };
                (format!("apply-{f}"), label)
            });
            let typed = Typed {
                name: input.name,
                email: input.email,
                links: input.links,
                consent: input.consent,
                sex: input.sex,
                race: input.race,
            };
            Ok(form_page(
                &state,
                &headers,
                &job,
                &typed,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await)
        }
        Err(e) => Err(e.into()),
    }
}
