//! The offer calculator, and recording and accepting a candidate's offer.
//!
//! - `GET /offer?level=&region=&split=&stage=` (any signed-in staff,
//!   `App::quote`): the band for level × region, the window the coding/leading
//!   split places the offer in, the equity for the company stage, and core's
//!   explanation line by line.
//! - `GET/POST /candidates/{id}/offer` (`App::offers`, `App::record_offer`):
//!   the offers made, and the same calculator, first filled from the opening's
//!   role; recording stores core's offer for the candidate.
//! - `POST /candidates/{id}/offer/accept` (`App::accept_offer`): the latest
//!   offer accepted, with the start date the onboarding plan is dated from.
//!
//! Offers are for hiring managers who may read the candidate's debrief: the
//! use cases refuse anyone else (403), and the candidate's page links here only
//! for them.

use super::field::{Errors, Posted};
use super::loop_nav::{self, Here, Subject};
use crate::auth::CurrentUser;
use crate::error::WebResult;
use crate::{AppState, csrf, layout};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{Markup, html};
use multiplier_app::{Account, App, AppError, CandidateView};
use multiplier_core::Framework;
use multiplier_core::pipeline::{Offer, OfferRequest, Outcome};
use multiplier_core::role::parse_split;
use multiplier_store::{CandidateId, OfferRecord};
use serde::Deserialize;
use tower_sessions::Session;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/offer", get(calculator))
        .route("/candidates/{id}/offer", get(show).post(record))
        .route("/candidates/{id}/offer/accept", post(accept))
}

/// The calculator's inputs, as typed.
#[derive(Debug, Default, Clone, Deserialize)]
struct Inputs {
    #[serde(default)]
    level: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    split: String,
    #[serde(default)]
    stage: String,
}

impl Inputs {
    fn from_posted(p: &Posted) -> Inputs {
        Inputs {
            level: p.get("level").to_string(),
            region: p.get("region").to_string(),
            split: p.get("split").to_string(),
            stage: p.get("stage").to_string(),
        }
    }

    fn trimmed(self) -> Inputs {
        Inputs {
            level: self.level.trim().to_string(),
            region: self.region.trim().to_string(),
            split: self.split.trim().to_string(),
            stage: self.stage.trim().to_string(),
        }
    }

    fn is_blank(&self) -> bool {
        self.level.is_empty() && self.region.is_empty() && self.split.is_empty()
    }
}

/// The inputs as the use case's request, or what could not be read, by field.
fn request(i: &Inputs) -> Result<OfferRequest, Errors> {
    let mut errors = Errors::default();
    if i.level.is_empty() {
        errors.add("level", "choose a level");
    }
    if i.region.is_empty() {
        errors.add("region", "choose a region");
    }
    let coding = match parse_split(&i.split) {
        Ok(c) => Some(c),
        Err(e) => {
            errors.add(
                "split",
                format!("{e}; write the coding share first, e.g. 70/30 or 70"),
            );
            None
        }
    };
    match coding.filter(|_| errors.is_empty()) {
        Some(coding) => Ok(OfferRequest {
            level: i.level.clone(),
            region: i.region.clone(),
            coding,
            stage: (!i.stage.is_empty()).then(|| i.stage.clone()),
        }),
        None => Err(errors),
    }
}

/// The problems of a refused offer, each at the calculator field it names.
fn offer_errors(e: &AppError) -> Errors {
    let mut errors = Errors::default();
    errors.place(e.problems(), |field| match field {
        "level" | "region" | "stage" | "split" => (field.to_string(), ""),
        _ => ("level".to_string(), ""),
    });
    errors
}

/// Core's offer for the inputs (`App::quote`), or each problem at its field.
fn compute(app: &App, i: &Inputs) -> WebResult<Result<Offer, Errors>> {
    let request = match request(i) {
        Ok(r) => r,
        Err(errors) => return Ok(Err(errors)),
    };
    match app.quote(&request) {
        Ok(o) => Ok(Ok(o)),
        Err(e @ AppError::Invalid { .. }) => Ok(Err(offer_errors(&e))),
        Err(e) => Err(e.into()),
    }
}

/// 150000 → "150,000".
fn money(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

fn amount(n: u32, currency: &str) -> Markup {
    html! { data value=(n) { (money(n)) " " (currency) } }
}

/// The calculator's fields. `method` is "get" for the calculator alone.
fn fields(fw: &Framework, i: &Inputs, errors: &Errors) -> Markup {
    let comp = &fw.compensation;
    let select = |id: &str,
                  label: &str,
                  options: Vec<(String, String)>,
                  value: &str,
                  optional: Option<&str>| {
        html! {
            label for=(id) { (label) }
            (errors.at(id))
            select id=(id) name=(id) aria-describedby=[errors.described_by(id)] {
                @if let Some(none) = optional {
                    option value="" selected[value.is_empty()] { (none) }
                } @else if value.is_empty() {
                    option value="" selected { "Choose…" }
                }
                @for (v, text) in &options {
                    option value=(v) selected[value == v] { (text) }
                }
            }
        }
    };
    html! {
        div.offer-fields {
            (select("level", "Level", comp.levels.iter()
                .map(|l| (l.id.clone(), format!("{} ({}–{} years)", l.name, l.years[0], l.years[1]))).collect(),
                &i.level, None))
            (select("region", "Region", comp.regions.iter()
                .map(|r| (r.id.clone(), format!("{} ({})", r.name, r.currency))).collect(), &i.region, None))
            div {
                label for="split" { "Coding / leading split" }
                p.hint id="split-hint" { "The coding share first: 70/30, 70% or 70." }
                (errors.at("split"))
                input type="text" id="split" name="split" value=(i.split) inputmode="numeric"
                    aria-describedby={ "split-hint" @if errors.has("split") { " split-error" } };
            }
            (select("stage", "Company stage (for equity)", comp.equity.iter()
                .map(|e| (e.stage.clone(), e.name.clone())).collect(), &i.stage, Some("No equity")))
        }
    }
}

/// The result: band, window, equity and every explanation line.
fn result(o: &Offer) -> Markup {
    let width = f64::from(o.band_max.saturating_sub(o.band_min)).max(1.0);
    let left = f64::from(o.suggested_min.saturating_sub(o.band_min)) / width * 100.0;
    let span = f64::from(o.suggested_max.saturating_sub(o.suggested_min)) / width * 100.0;
    html! {
        section.offer-result aria-labelledby="result-heading" {
            h2 #result-heading { (o.level_name) " · " (o.region_name) }
            dl.facts {
                dt { "Band" } dd.band { (amount(o.band_min, &o.currency)) " – " (amount(o.band_max, &o.currency)) " a year" }
                dt { "Suggested" } dd.suggested { strong { (amount(o.suggested_min, &o.currency)) " – " (amount(o.suggested_max, &o.currency)) }
                    " for a " (o.coding_share) "/" (100 - o.coding_share) " split" }
                dt { "Equity" }
                dd.equity {
                    @if let (Some(lo), Some(hi)) = (o.equity_min_percent, o.equity_max_percent) {
                        data value=(lo) { (lo) } "–" data value=(hi) { (hi) } " % of the company in options ("
                        (o.equity_stage.as_deref().unwrap_or_default()) ")"
                    } @else { "not asked (choose a company stage)" }
                }
            }
            div.band-meter aria-hidden="true" {
                div.window style=(format!("left: {left:.1}%; width: {span:.1}%")) {}
            }
            p.hint { "The bar is the band from its minimum to its maximum; the dark part is the suggested window." }
            h3 { "Why" }
            ul.explanation { @for line in &o.explanation { li { (line) } } }
        }
    }
}

async fn calculator(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Query(inputs): Query<Inputs>,
) -> WebResult<Response> {
    let token = csrf::token(&session).await?;
    let fw = &state.framework;
    let inputs = inputs.trimmed();
    let (outcome, errors) = if inputs.is_blank() {
        (None, Errors::default())
    } else {
        match compute(&state.app, &inputs)? {
            Ok(o) => (Some(o), Errors::default()),
            Err(e) => (None, e),
        }
    };
    let body = html! {
        h1 { "Offer calculator" }
        p { "The framework's band for the level and region, placed by the coding/leading split — more leading sits higher in the band — and equity by the company's stage. Every number is explained below it." }
        (errors.summary())
        form.calculator method="get" action="/offer" {
            (fields(fw, &inputs, &errors))
            button type="submit" { "Calculate" }
        }
        @if let Some(o) = &outcome { (result(o)) }
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = layout::page("Offer calculator", Some(&user), &token, body);
    Ok((status, page).into_response())
}

#[derive(Debug, Default, Deserialize)]
struct CandidateQuery {
    #[serde(flatten)]
    inputs: Inputs,
    recorded: Option<String>,
}

/// What the candidate's offer page shows: the offers made (which only those
/// who may make offers get) and the candidate as the viewer sees them.
struct Loaded {
    offers: Vec<OfferRecord>,
    view: CandidateView,
}

async fn load(state: &AppState, account: &Account, id: CandidateId) -> WebResult<Loaded> {
    let offers = state.app.offers(account, id).await?;
    let view = state.app.candidate(account, id).await?;
    Ok(Loaded { offers, view })
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Query(q): Query<CandidateQuery>,
) -> WebResult<Markup> {
    let token = csrf::token(&session).await?;
    let account = user.account();
    let loaded = load(&state, &account, loop_nav::candidate_id(&id)?).await?;
    let mut inputs = q.inputs.trimmed();
    let asked = !inputs.is_blank();
    if !asked {
        inputs = from_role(&state, &account, &loaded.view).await?;
    }
    let preview = compute(&state.app, &inputs)?;
    // Problems are shown for what the person asked, not for the role's starting point.
    let errors = match &preview {
        Err(e) if asked => e.clone(),
        _ => Errors::default(),
    };
    Ok(render(
        &state.framework,
        &user,
        &token,
        &loaded,
        &inputs,
        preview,
        &errors,
        q.recorded.is_some(),
    ))
}

/// The calculator's starting point for a candidate: the level the role's guidance
/// suggests and the role's coding share (blank when the role cannot be read).
async fn from_role(state: &AppState, account: &Account, view: &CandidateView) -> WebResult<Inputs> {
    let role = match state.app.stored_role(account, view.opening.role).await {
        Ok(r) => r,
        Err(AppError::NotFound(_) | AppError::Conflict(_)) => return Ok(Inputs::default()),
        Err(e) => return Err(e.into()),
    };
    let coding = role.facts.coding_share.get();
    Ok(Inputs {
        level: role.guidance(&state.framework).suggested_level.level,
        region: String::new(),
        split: format!("{coding}/{}", 100 - coding),
        stage: String::new(),
    })
}

async fn record(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Form(posted): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let id = loop_nav::candidate_id(&id)?;
    let account = user.account();
    let loaded = load(&state, &account, id).await?;
    let inputs = Inputs::from_posted(&Posted(posted)).trimmed();
    let errors = match request(&inputs) {
        Ok(request) => match state.app.record_offer(&account, id, &request).await {
            Ok(_) => {
                tracing::info!("offer recorded");
                return Ok(
                    Redirect::to(&format!("/candidates/{id}/offer?recorded=1")).into_response()
                );
            }
            Err(e @ AppError::Invalid { .. }) => offer_errors(&e),
            Err(e) => return Err(e.into()),
        },
        Err(errors) => errors,
    };
    let token = csrf::token(&session).await?;
    let page = render(
        &state.framework,
        &user,
        &token,
        &loaded,
        &inputs,
        Err(errors.clone()),
        &errors,
        false,
    );
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

async fn accept(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Form(posted): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let id = loop_nav::candidate_id(&id)?;
    let account = user.account();
    let loaded = load(&state, &account, id).await?;
    let posted = Posted(posted);
    let Ok(start) = posted.get("start").parse::<jiff::civil::Date>() else {
        let mut errors = Errors::default();
        errors.add(
            "start",
            "give the first working day as a date, YYYY-MM-DD (e.g. 2027-01-11)",
        );
        let token = csrf::token(&session).await?;
        let inputs = from_role(&state, &account, &loaded.view).await?;
        let preview = compute(&state.app, &inputs)?;
        let page = render(
            &state.framework,
            &user,
            &token,
            &loaded,
            &inputs,
            preview,
            &errors,
            false,
        );
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    state.app.accept_offer(&account, id, start).await?;
    tracing::info!("offer accepted");
    crate::flash::set(
        &session,
        format!("Offer accepted; day one is {start}. The onboarding plan is dated from it."),
    )
    .await?;
    Ok(Redirect::to(&format!("/candidates/{id}/onboarding")).into_response())
}

fn offer_summary(r: &OfferRecord) -> String {
    let get = |k: &str| r.offer.get(k).and_then(serde_json::Value::as_u64);
    let currency = r
        .offer
        .get("currency")
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default();
    let level = r
        .offer
        .get("level_name")
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default();
    match (get("suggested_min"), get("suggested_max")) {
        (Some(lo), Some(hi)) => format!(
            "{level}: {}–{} {currency}",
            money(u32::try_from(lo).unwrap_or(u32::MAX)),
            money(u32::try_from(hi).unwrap_or(u32::MAX))
        ),
        _ => level.to_string(),
    }
}

#[allow(clippy::too_many_arguments)]
fn render(
    fw: &Framework,
    user: &CurrentUser,
    token: &str,
    loaded: &Loaded,
    inputs: &Inputs,
    preview: Result<Offer, Errors>,
    errors: &Errors,
    recorded: bool,
) -> Markup {
    let view = &loaded.view;
    let offers = &loaded.offers;
    let c = &view.candidate;
    let hired = view
        .decisions
        .last()
        .is_some_and(|d| d.outcome == Outcome::Hire);
    let subject = Subject {
        candidate: c,
        opening: &view.opening,
        sight: &view.sight,
    };
    let open = offers.last().filter(|o| o.status == "made");
    let base = format!("/candidates/{}/offer", c.id);
    let title = "Offer";
    let body = html! {
        (loop_nav::header(fw, subject, Here::Offer, title))
        @if recorded && !offers.is_empty() {
            div.notice role="status" { p { "The offer is recorded. When the candidate accepts, record the start date below." } }
        }
        @if !hired {
            @match view.decisions.last() {
                None => p.notice { "No decision is recorded for this candidate yet. An offer needs a recorded hire decision: record it on the "
                    a href={ "/candidates/" (c.id) "/debrief" } { "debrief" } " first." },
                Some(d) => p.notice { "The decision on record is " strong { (d.outcome.label()) } " (by " (d.decided_by) ", "
                    (d.created_at.strftime("%Y-%m-%d")) "). An offer needs a recorded hire decision; if that has changed, record the new decision on the "
                    a href={ "/candidates/" (c.id) "/debrief" } { "debrief" } " first." },
            }
        }
        @if !offers.is_empty() {
            h2 { "Offers made" }
            table {
                thead { tr { th scope="col" { "Made" } th scope="col" { "Suggested window" } th scope="col" { "Status" } th scope="col" { "Start date" } } }
                tbody {
                    @for o in offers {
                        tr {
                            td { (o.created_at.strftime("%Y-%m-%d")) }
                            td { (offer_summary(o)) }
                            td { (o.status) }
                            td { @if let Some(d) = o.start_date { (d) } @else { "—" } }
                        }
                    }
                }
            }
        }
        @if open.is_some() {
            h2 #accept-heading { "The candidate accepted" }
            form method="post" action={ (base) "/accept" } aria-labelledby="accept-heading" {
                (layout::csrf_field(token))
                label for="start" { "First working day" }
                (errors.at("start"))
                input type="date" id="start" name="start" required
                    aria-describedby=[errors.described_by("start")];
                button type="submit" { "Record acceptance and plan the onboarding" }
            }
        }
        h2 { "Calculate and record an offer" }
        p.hint { "Filled from the opening's role where it can be: the level its guidance suggests and its coding share." }
        (errors.summary())
        form.calculator method="get" action=(base) {
            (fields(fw, inputs, errors))
            button.secondary type="submit" { "Calculate" }
        }
        @if let Ok(o) = &preview {
            (result(o))
            @if hired { form method="post" action=(base) {
                (layout::csrf_field(token))
                input type="hidden" name="level" value=(inputs.level);
                input type="hidden" name="region" value=(inputs.region);
                input type="hidden" name="split" value=(inputs.split);
                input type="hidden" name="stage" value=(inputs.stage);
                button type="submit" { "Record this offer for " (c.name) }
            } }
        }
    };
    layout::page(title, Some(user), token, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_groups_thousands() {
        assert_eq!(money(0), "0");
        assert_eq!(money(999), "999");
        assert_eq!(money(150_000), "150,000");
        assert_eq!(money(1_234_567), "1,234,567");
    }

    #[test]
    fn what_cannot_be_read_lands_on_its_field() {
        let inputs = |level: &str, region: &str, split: &str| Inputs {
            level: level.into(),
            region: region.into(),
            split: split.into(),
            stage: String::new(),
        };
        let r = request(&inputs("tech-lead", "us", "70/30")).unwrap();
        assert_eq!(r.coding.get(), 70);
        assert_eq!(r.stage, None);
        let e = request(&inputs("tech-lead", "us", "70/20")).unwrap_err();
        assert!(e.has("split"));
        let e = request(&inputs("", "", "70")).unwrap_err();
        assert!(e.has("level") && e.has("region"));
    }

    #[test]
    fn a_refused_offer_lands_on_the_field_the_use_case_names() {
        let e = AppError::field("the offer", "stage", "`ipo` is not a company stage");
        assert!(offer_errors(&e).has("stage"));
        let e = AppError::field("the offer", "something-else", "?");
        assert!(offer_errors(&e).has("level"));
    }
}
