//! Reports (issue 19): `GET /reports?opening=&stage=` shows the funnel per
//! opening and overall and, for admins, the adverse-impact tables with their
//! four-fifths flags and small-sample warnings; `GET /reports/funnel.csv` and
//! `GET /reports/adverse-impact.csv` download the same as CSV (JSON is the
//! API's `/api/v1/reports/…`). Every rule (who may, which lines are hidden)
//! is the use case's: `App::funnel_report`, `App::adverse_impact_report`.

use crate::auth::CurrentUser;
use crate::error::{WebError, WebResult};
use crate::{AppState, csrf, layout};
use axum::Router;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use maud::{Markup, html};
use multiplier_app::{AppError, MIN_CELL, dimension_label};
use multiplier_core::fairness::{InstrumentScores, Table};
use multiplier_core::funnel::Funnel;
use multiplier_store::OpeningId;
use serde::Deserialize;
use tower_sessions::Session;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reports", get(page))
        .route("/reports/funnel.csv", get(funnel_csv))
        .route("/reports/adverse-impact.csv", get(impact_csv))
}

#[derive(Debug, Default, Deserialize)]
struct ReportQuery {
    #[serde(default)]
    opening: String,
    #[serde(default)]
    stage: String,
}

impl ReportQuery {
    fn opening(&self) -> WebResult<Option<OpeningId>> {
        let raw = self.opening.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        raw.parse().map(Some).map_err(WebError::BadRequest)
    }

    fn stage(&self) -> Option<&str> {
        Some(self.stage.trim()).filter(|s| !s.is_empty())
    }

    /// The same filters as a query string.
    fn query(&self) -> String {
        let pairs: Vec<(&str, &str)> = [
            ("opening", self.opening.trim()),
            ("stage", self.stage.trim()),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect();
        let q = serde_urlencoded::to_string(pairs).unwrap_or_default();
        if q.is_empty() { q } else { format!("?{q}") }
    }
}

fn csv(body: String, name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

async fn funnel_csv(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<ReportQuery>,
) -> WebResult<Response> {
    let r = state
        .app
        .funnel_report(&user.account(), q.opening()?)
        .await?;
    Ok(csv(r.csv()?, "funnel.csv"))
}

async fn impact_csv(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<ReportQuery>,
) -> WebResult<Response> {
    let r = state
        .app
        .adverse_impact_report(&user.account(), q.opening()?, q.stage())
        .await?;
    Ok(csv(r.csv()?, "adverse-impact.csv"))
}

fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "—".into(), |x| format!("{:.0}%", x * 100.0))
}

fn days(v: Option<f64>) -> String {
    v.map_or_else(|| "—".into(), |x| format!("{x:.1}"))
}

fn count(v: Option<u64>) -> String {
    v.map_or_else(|| format!("<{MIN_CELL}"), |n| n.to_string())
}

fn funnel_table(caption: &str, f: &Funnel) -> Markup {
    html! {
        div.table-scroll {
            table.report {
                caption { (caption) }
                thead { tr {
                    th scope="col" { "Stage" } th scope="col" { "Reached" }
                    th scope="col" { "Went on" } th scope="col" { "Finished stays" }
                    th scope="col" { "Median days" }
                } }
                tbody {
                    @for s in &f.steps {
                        tr {
                            th scope="row" { (s.name) }
                            td { (s.reached) } td { (pct(s.conversion)) }
                            td { (s.stays) } td { (days(s.median_days)) }
                        }
                    }
                }
            }
        }
        p {
            (f.candidates) " candidate(s), " (f.hired) " hired; median days to hire: " (days(f.median_days_to_hire)) "."
        }
        @if !f.sources.is_empty() {
            p { "Sources (candidates / hired): "
                @for (i, s) in f.sources.iter().enumerate() {
                    @if i > 0 { ", " }
                    (s.source) " " (s.candidates) " / " (s.hired)
                }
            }
        }
        @let reasons: Vec<_> = f.rejections.iter().filter(|t| t.count > 0).collect();
        @if !reasons.is_empty() {
            p { "Rejected for: "
                @for (i, t) in reasons.iter().enumerate() {
                    @if i > 0 { ", " }
                    (t.label) " " (t.count)
                }
            }
        }
    }
}

fn impact_table(t: &Table) -> Markup {
    html! {
        div.table-scroll {
            table.report {
                caption { "By " (dimension_label(&t.dimension)) }
                thead { tr {
                    th scope="col" { "Category" } th scope="col" { "Candidates" }
                    th scope="col" { "Selected" } th scope="col" { "Rate" }
                    th scope="col" { "Impact ratio" } th scope="col" { "Note" }
                } }
                tbody {
                    @for r in t.rows.iter().filter(|r| r.applicants != Some(0)) {
                        tr.flagged[r.below_four_fifths] {
                            th scope="row" { (r.label) }
                            td { (count(r.applicants)) } td { (count(r.selected)) }
                            td { (pct(r.rate)) }
                            td { (r.impact_ratio.map_or_else(|| "—".into(), |x| format!("{x:.2}"))) }
                            td {
                                @if !r.declared { "counted, not judged" }
                                @else if r.below_four_fifths { strong.flag { "under four fifths" } }
                                @else if r.too_small { "too few to judge" }
                                @else if t.reference.as_deref() == Some(r.category.as_str()) { "reference (highest rate)" }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn instrument_table(i: &InstrumentScores) -> Markup {
    html! {
        div.table-scroll {
            table.report {
                caption { code { (i.instrument) } " — mean over declared: "
                    (i.declared_mean.map_or_else(|| "—".into(), |m| format!("{m:.2}"))) }
                thead { tr {
                    th scope="col" { "Category" } th scope="col" { "Scored" }
                    th scope="col" { "Mean" } th scope="col" { "Difference" }
                } }
                tbody {
                    @for r in i.by_sex.iter().chain(&i.by_race).chain(&i.by_sex_and_race).filter(|r| r.n != Some(0)) {
                        tr {
                            th scope="row" { (r.label) }
                            td { (count(r.n)) }
                            td { (r.mean.map_or_else(|| "—".into(), |m| format!("{m:.2}"))) }
                            td { (r.difference.map_or_else(|| "—".into(), |d| format!("{d:+.2}"))) }
                        }
                    }
                }
            }
        }
    }
}

async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Query(q): Query<ReportQuery>,
) -> WebResult<Markup> {
    let token = csrf::token(&session).await?;
    let account = user.account();
    let opening = q.opening()?;
    let funnel = state.app.funnel_report(&account, opening).await?;
    // Adverse impact is for admins only (the use case says so); others see
    // the funnel and a sentence.
    let impact = match state
        .app
        .adverse_impact_report(&account, opening, q.stage())
        .await
    {
        Ok(r) => Some(r),
        Err(AppError::Forbidden(_)) => None,
        Err(e) => return Err(e.into()),
    };
    let openings = state
        .app
        .opening_choices(&account)
        .await
        .unwrap_or_default();
    let query = q.query();
    let body = html! {
        h1 { "Reports" }
        form.search method="get" action="/reports" {
            div.filters {
                div { label for="opening" { "Opening" }
                    select #opening name="opening" {
                        option value="" { "All openings" }
                        @for o in openings.iter() {
                            option value=(o.id) selected[q.opening.trim() == o.id.to_string()] { (o.title) }
                        }
                    } }
                div { label for="stage" { "Adverse impact at" }
                    select #stage name="stage" {
                        option value="" { "Every step" }
                        option value="overall" selected[q.stage.trim() == "overall"] { "Overall (applied → hired)" }
                        @for s in &state.framework.stages {
                            option value=(s.id) selected[q.stage.trim() == s.id] { (s.name) }
                        }
                    } }
            }
            button type="submit" { "Show" }
        }
        p.downloads {
            "Download: "
            a href={ "/reports/funnel.csv" (query) } { "funnel (CSV)" } " · "
            a href={ "/api/v1/reports/funnel" (query) } { "funnel (JSON)" }
            @if impact.is_some() {
                " · " a href={ "/reports/adverse-impact.csv" (query) } { "adverse impact (CSV)" }
                " · " a href={ "/api/v1/reports/adverse-impact" (query) } { "adverse impact (JSON)" }
            }
        }
        section aria-labelledby="funnel-heading" {
            h2 #funnel-heading { "Funnel" }
            p.hint { "Reaching a later stage counts as reaching the earlier ones. Days in a stage are measured on finished stays only." }
            @if opening.is_none() {
                (funnel_table("All openings", &funnel.overall))
            }
            @for o in &funnel.openings {
                h3 { (o.title) }
                (funnel_table(&o.title, &o.funnel))
            }
        }
        section aria-labelledby="impact-heading" {
            h2 #impact-heading { "Adverse impact" }
            @match &impact {
                None => p.notice { "Adverse impact is read from candidates' voluntary self-identification; only admins see it, and only as aggregates." },
                Some(r) => {
                    p.hint {
                        "Selection rate: the share of candidates in a category who reached a step and went on to the next. "
                        "Impact ratio: that rate over the highest rate among categories with at least " (r.min_group) " candidates. "
                        "Ratios under " (format!("{:.2}", r.four_fifths)) " are flagged. Lines of 1 to " (r.suppressed_below - 1)
                        " candidates show <" (r.suppressed_below) " and are not judged. \"Prefer not to say\" and no answer are counted, never judged. "
                        "The method is in docs/fairness.md."
                    }
                    @if !r.warnings.is_empty() {
                        div.notice role="status" {
                            h3 { "Warnings" }
                            ul { @for w in &r.warnings { li { (w) } } }
                        }
                    }
                    @for (i, s) in r.steps.iter().enumerate() {
                        @let flagged = s.tables().iter().any(|t| t.rows.iter().any(|x| x.below_four_fifths));
                        details open[i == 0 || flagged] {
                            summary { (s.stage_name) " → " (s.next_name) @if flagged { " " strong.flag { "(flagged)" } } }
                            @for t in s.tables() { (impact_table(t)) }
                        }
                    }
                    @if !r.instruments.is_empty() {
                        h3 { "Automatic instruments by category" }
                        p.hint { "Mean score per category (code-review dimensions 1–4; written-assessment flags raised), and its difference from the mean of every declared candidate scored." }
                        @for i in &r.instruments { (instrument_table(i)) }
                    }
                }
            }
        }
    };
    Ok(layout::page("Reports", Some(&user), &token, body))
}
