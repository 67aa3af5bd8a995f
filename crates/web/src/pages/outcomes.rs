//! An opening's delivery outcome (issue 19, item 1): `GET /openings/{id}/outcomes`
//! (`App::outcomes`).
//!
//! The page shows the hire (as the viewer may see them), the baseline and each
//! later snapshot, every framework target judged met / on track / missed /
//! unknown with core's reason, and per metric a trend drawn here as SVG (no
//! script) beside a table with the same numbers. Hiring managers also get the
//! forms:
//!
//! - `POST /openings/{id}/outcomes/deployments` (multipart: `deployments`,
//!   optional `incidents`) → `App::upload_deployments`;
//! - `POST /openings/{id}/outcomes/prs` (multipart: `prs`) → `App::upload_prs`;
//! - `POST /openings/{id}/outcomes/repository` (`path`, `mode` tags|branch,
//!   `pattern`, or `clear`) → `App::set_repository`;
//! - `POST /openings/{id}/outcomes/snapshot` → `App::take_snapshot`.
//!
//! A refused form comes back as the page with status 422 and each problem
//! beside its field.

use super::board::opening_id;
use super::field::{Errors, Posted};
use crate::auth::CurrentUser;
use crate::error::{WebError, WebResult};
use crate::{AppState, csrf, layout};
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use maud::{Markup, html};
use multiplier_app::{AppError, DeploysUpload, OutcomesView, SnapshotView, Trend, Upload};
use multiplier_core::delivery::{Comparison, Status};
use multiplier_store::{DeployRule, OpeningId, RepoSetting};
use tower_sessions::Session;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/openings/{id}/outcomes", get(show))
        .route(
            "/openings/{id}/outcomes/deployments",
            post(upload_deployments).layer(DefaultBodyLimit::max(csrf::MAX_UPLOAD)),
        )
        .route(
            "/openings/{id}/outcomes/prs",
            post(upload_prs).layer(DefaultBodyLimit::max(csrf::MAX_UPLOAD)),
        )
        .route("/openings/{id}/outcomes/repository", post(set_repository))
        .route("/openings/{id}/outcomes/snapshot", post(take_snapshot))
}

/// What was typed into the repository form, to show it again on a refusal.
#[derive(Debug, Default)]
struct Typed {
    path: String,
    mode: String,
    pattern: String,
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
) -> WebResult<Markup> {
    let token = csrf::token(&session).await?;
    let view = state
        .app
        .outcomes(&user.account(), opening_id(&id)?)
        .await?;
    Ok(render(
        &user,
        &token,
        &view,
        &Errors::default(),
        &Typed::default(),
    ))
}

/// The page again with the problems of a refused form, as a 422; any other
/// error as its own status.
async fn refused(
    state: &AppState,
    user: &CurrentUser,
    session: &Session,
    id: OpeningId,
    e: AppError,
    at: impl Fn(&str) -> &'static str,
    typed: &Typed,
) -> WebResult<Response> {
    if e.problems().is_empty() {
        return Err(e.into());
    }
    let mut errors = Errors::default();
    for p in e.problems() {
        errors.add(at(&p.field), p.message.clone());
    }
    let token = csrf::token(session).await?;
    let view = state.app.outcomes(&user.account(), id).await?;
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        render(user, &token, &view, &errors, typed),
    )
        .into_response())
}

/// The files of a multipart form, by field name (empty parts left out).
async fn read_files(mut form: Multipart) -> WebResult<Vec<(String, Upload)>> {
    let too_big = |_| {
        WebError::BadRequest(format!(
            "the form could not be read; is the file larger than {} MiB?",
            multiplier_app::limits::MAX_INPUT_BYTES / (1024 * 1024)
        ))
    };
    let mut files = Vec::new();
    while let Some(field) = form.next_field().await.map_err(too_big)? {
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().unwrap_or_default().to_string();
        let bytes = field.bytes().await.map_err(too_big)?;
        if name != csrf::FIELD {
            files.push((
                name,
                Upload {
                    file_name,
                    bytes: bytes.to_vec(),
                },
            ));
        }
    }
    Ok(files)
}

fn take(files: &mut Vec<(String, Upload)>, name: &str) -> Option<Upload> {
    let i = files.iter().position(|(n, _)| n == name)?;
    Some(files.swap_remove(i).1)
}

fn field_id(field: &str) -> &'static str {
    match field {
        "deployments" => "deployments",
        "incidents" => "incidents",
        "prs" => "prs",
        "path" => "repo-path",
        "deploy_tags" | "deploy_branch" | "pattern" => "repo-pattern",
        "since" => "snapshot",
        _ => "upload",
    }
}

async fn upload_deployments(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    form: Multipart,
) -> WebResult<Response> {
    let id = opening_id(&id)?;
    let mut files = read_files(form).await?;
    let upload = DeploysUpload {
        deployments: take(&mut files, "deployments").unwrap_or_default(),
        incidents: take(&mut files, "incidents"),
    };
    match state
        .app
        .upload_deployments(&user.account(), id, upload)
        .await
    {
        Ok(s) => {
            crate::flash::set(
                &session,
                &format!("Snapshot {} saved from the deployment records.", s.id),
            )
            .await?;
            Ok(Redirect::to(&format!("/openings/{id}/outcomes#snapshots")).into_response())
        }
        Err(e) => refused(&state, &user, &session, id, e, field_id, &Typed::default()).await,
    }
}

async fn upload_prs(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    form: Multipart,
) -> WebResult<Response> {
    let id = opening_id(&id)?;
    let mut files = read_files(form).await?;
    let upload = take(&mut files, "prs").unwrap_or_default();
    match state.app.upload_prs(&user.account(), id, upload).await {
        Ok(s) => {
            crate::flash::set(
                &session,
                &format!("Snapshot {} saved from the pull requests.", s.id),
            )
            .await?;
            Ok(Redirect::to(&format!("/openings/{id}/outcomes#snapshots")).into_response())
        }
        Err(e) => refused(&state, &user, &session, id, e, field_id, &Typed::default()).await,
    }
}

async fn set_repository(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
    Form(posted): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let id = opening_id(&id)?;
    let posted = Posted(posted);
    let typed = Typed {
        path: posted.get("path").to_string(),
        mode: posted.get("mode").to_string(),
        pattern: posted.get("pattern").to_string(),
    };
    let setting = if posted.get("clear") == "yes" {
        None
    } else {
        let deploy = match typed.mode.as_str() {
            "branch" => DeployRule::Branch(typed.pattern.clone()),
            _ => DeployRule::Tags(typed.pattern.clone()),
        };
        Some(RepoSetting {
            path: typed.path.clone(),
            deploy,
        })
    };
    match state
        .app
        .set_repository(&user.account(), id, setting.as_ref())
        .await
    {
        Ok(r) => {
            let text = if r.is_some() {
                "Repository saved."
            } else {
                "Repository cleared."
            };
            crate::flash::set(&session, text).await?;
            Ok(Redirect::to(&format!("/openings/{id}/outcomes#repository")).into_response())
        }
        Err(e) => refused(&state, &user, &session, id, e, field_id, &typed).await,
    }
}

async fn take_snapshot(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let id = opening_id(&id)?;
    let s = state
        .app
        .take_snapshot(&user.account(), id, None, jiff::Timestamp::now())
        .await?;
    crate::flash::set(
        &session,
        &format!("Snapshot {} taken from the repository.", s.id),
    )
    .await?;
    Ok(Redirect::to(&format!("/openings/{id}/outcomes#snapshots")).into_response())
}

/// A value with its unit, or a dash.
fn value(v: Option<f64>, unit: &str) -> String {
    match v {
        None => "—".to_string(),
        Some(v) if unit == "per week" => format!("{v}"),
        Some(v) if unit == "%" => format!("{v} %"),
        Some(v) => format!("{v} {unit}"),
    }
}

fn status_chip(s: Status) -> Markup {
    match s {
        Status::Met => layout::chip_as("met", "good"),
        Status::OnTrack => layout::chip_as("on track", "incomplete"),
        Status::Missed => layout::chip_as("missed", "bad"),
        Status::Unknown => layout::chip_as("unknown", "sev-minor"),
    }
}

fn metric_label(id: &str) -> &'static str {
    multiplier_app::outcomes::METRICS
        .iter()
        .find(|m| m.id == id)
        .map_or("", |m| m.label)
}

fn day(t: jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%d").to_string()
}

fn snapshot_name(s: &SnapshotView) -> String {
    format!("#{} {} ({})", s.id, day(s.measured_at), s.kind)
}

fn judgement(s: &SnapshotView, c: &Comparison) -> Markup {
    let months = c.months_elapsed.map_or_else(
        || "the time elapsed is unknown, so each target is judged as at its horizon".to_string(),
        |m| format!("{m:.1} of {} months elapsed", c.horizon_months),
    );
    html! {
        table.judgement {
            caption { "Snapshot " (snapshot_name(s)) " against the baseline: " (months) }
            thead { tr {
                th scope="col" { "Metric" } th scope="col" { "Baseline" } th scope="col" { "Now" }
                th scope="col" { "Change" } th scope="col" { "Target" } th scope="col" { "Judgement" }
            } }
            tbody {
                @for m in &c.metrics {
                    tr {
                        th scope="row" { (m.metric) }
                        td { (value(m.baseline, "")) }
                        td { (value(m.later, "")) }
                        td { (value(m.improvement, "")) }
                        td { (m.target) }
                        td { (status_chip(m.status)) p.hint { (m.reason) } }
                    }
                }
            }
        }
    }
}

/// The trend of one metric as SVG, drawn on the server: a line through each
/// snapshot's value (time on the x axis, from zero on the y axis), each point
/// a circle with its value in a tooltip. The same numbers are in the table
/// beside it.
pub fn trend_svg(t: &Trend) -> Markup {
    const W: f64 = 320.0;
    const H: f64 = 160.0;
    const LEFT: f64 = 44.0;
    const RIGHT: f64 = 12.0;
    const TOP: f64 = 12.0;
    const BOTTOM: f64 = 28.0;
    let id = t.metric.id;
    let max = t
        .points
        .iter()
        .map(|p| p.value)
        .fold(0.0_f64, f64::max)
        .max(f64::EPSILON);
    let top = max * 1.15;
    let (first, last) = match (t.points.first(), t.points.last()) {
        (Some(a), Some(b)) => (a.at.as_second() as f64, b.at.as_second() as f64),
        _ => (0.0, 0.0),
    };
    let span = last - first;
    let x = |s: f64| {
        if span <= 0.0 {
            LEFT + (W - LEFT - RIGHT) / 2.0
        } else {
            LEFT + (s - first) / span * (W - LEFT - RIGHT)
        }
    };
    let y = |v: f64| TOP + (1.0 - v / top) * (H - TOP - BOTTOM);
    let xy: Vec<(f64, f64, &multiplier_app::TrendPoint)> = t
        .points
        .iter()
        .map(|p| (x(p.at.as_second() as f64), y(p.value), p))
        .collect();
    let line: Vec<String> = xy
        .iter()
        .map(|(x, y, _)| format!("{x:.1},{y:.1}"))
        .collect();
    let unit = t.metric.unit;
    let better = if t.metric.higher_is_better {
        "higher is better"
    } else {
        "lower is better"
    };
    let desc = match (t.points.first(), t.points.last()) {
        (Some(a), Some(b)) if t.points.len() > 1 => format!(
            "{} snapshots, from {} on {} to {} on {}; {better}.",
            t.points.len(),
            value(Some(a.value), unit),
            day(a.at),
            value(Some(b.value), unit),
            day(b.at)
        ),
        (Some(a), _) => format!(
            "One snapshot: {} on {}; {better}.",
            value(Some(a.value), unit),
            day(a.at)
        ),
        _ => "No snapshot measured this yet.".to_string(),
    };
    html! {
        svg.trend xmlns="http://www.w3.org/2000/svg" viewBox={ "0 0 " (W) " " (H) } role="img"
            aria-labelledby={ "trend-" (id) "-title trend-" (id) "-desc" } preserveAspectRatio="xMidYMid meet" {
            title id={ "trend-" (id) "-title" } { (t.metric.label) " over time" }
            desc id={ "trend-" (id) "-desc" } { (desc) }
            line.axis x1=(LEFT) y1=(TOP) x2=(LEFT) y2=(H - BOTTOM) {}
            line.axis x1=(LEFT) y1=(H - BOTTOM) x2=(W - RIGHT) y2=(H - BOTTOM) {}
            text.tick x=(LEFT - 4.0) y=(y(0.0) + 4.0) text-anchor="end" { "0" }
            text.tick x=(LEFT - 4.0) y=(y(max) + 4.0) text-anchor="end" { (format!("{:.4}", max).trim_end_matches('0').trim_end_matches('.')) }
            @if let (Some(a), Some(b)) = (t.points.first(), t.points.last()) {
                text.tick x=(x(first)) y=(H - 8.0) text-anchor=(if span <= 0.0 { "middle" } else { "start" }) { (day(a.at)) }
                @if span > 0.0 {
                    text.tick x=(x(last)) y=(H - 8.0) text-anchor="end" { (day(b.at)) }
                }
            }
            @if xy.len() > 1 {
                polyline.line points=(line.join(" ")) {}
            }
            @for (cx, cy, p) in &xy {
                circle.point cx=(format!("{cx:.1}")) cy=(format!("{cy:.1}")) r="4" {
                    title { "#" (p.snapshot) " " (day(p.at)) ": " (value(Some(p.value), unit)) }
                }
            }
        }
    }
}

fn render(
    user: &CurrentUser,
    token: &str,
    view: &OutcomesView,
    errors: &Errors,
    typed: &Typed,
) -> Markup {
    let o = &view.opening;
    let title = format!("Delivery outcome: {}", o.title);
    let base = format!("/openings/{}/outcomes", o.id);
    let latest = view
        .snapshots
        .iter()
        .rev()
        .find_map(|s| s.comparison.as_ref().map(|c| (s, c)));
    let max_mib = multiplier_app::limits::MAX_INPUT_BYTES / (1024 * 1024);
    let repo = view.repository.as_ref().map(|r| &r.setting);
    let (mode, pattern, path) = if typed.path.is_empty() && typed.pattern.is_empty() {
        match repo {
            Some(RepoSetting {
                path,
                deploy: DeployRule::Tags(g),
            }) => ("tags", g.as_str(), path.as_str()),
            Some(RepoSetting {
                path,
                deploy: DeployRule::Branch(b),
            }) => ("branch", b.as_str(), path.as_str()),
            None => ("tags", "", ""),
        }
    } else {
        (
            if typed.mode == "branch" {
                "branch"
            } else {
                "tags"
            },
            typed.pattern.as_str(),
            typed.path.as_str(),
        )
    };
    let body = html! {
        nav.crumbs aria-label="Breadcrumb" {
            a href="/openings" { "Openings" } " › "
            a href={ "/openings/" (o.id) } { (o.title) }
        }
        h1 { (title) }
        p.hint { "The team's delivery numbers: the first snapshot of each kind is the baseline; each later one is judged against the framework's targets (horizon "
            (view.horizon_months) " months). Team numbers only: nothing here scores the person hired." }
        (errors.summary())
        section aria-labelledby="hire-h" {
            h2 #hire-h { "The hire" }
            @if view.hires.is_empty() {
                p { "No hire recorded yet. Until an accepted offer gives a start date, the months elapsed are read from the reports' windows." }
            } @else {
                ul.hires {
                    @for h in &view.hires {
                        li {
                            @match (&h.name, h.candidate) {
                                (Some(name), Some(id)) => { a href={ "/candidates/" (id) } { (name) } }
                                (Some(name), None) => { (name) }
                                (None, _) => { "A hire you may not see" }
                            }
                            @if h.erased { " " (layout::chip_as("erased", "sev-minor")) }
                            @if let Some(d) = h.start_date { ", started " (d) }
                        }
                    }
                }
                p.hint { @if view.counted_from_start { "Months elapsed are counted from the start date." }
                    @else { "No start date is on record, so the months elapsed are read from the reports' windows." } }
            }
        }
        section aria-labelledby="targets-h" {
            h2 #targets-h { "Against the targets" }
            @match latest {
                Some((s, c)) => {
                    ul.targets {
                        @for m in &c.metrics {
                            li { strong { (metric_label(m.metric)) } " " (status_chip(m.status)) " " span.hint { (m.reason) } }
                        }
                    }
                    p.hint { "From the latest later snapshot, " (snapshot_name(s)) ". Each judgement is in the table below." }
                }
                None => {
                    p { "Nothing to judge yet: a judgement needs the baseline and a later "
                        code { "delivery" } " snapshot." }
                }
            }
        }
        section #snapshots aria-labelledby="snapshots-h" {
            h2 #snapshots-h { "Snapshots" }
            @if view.snapshots.is_empty() {
                p.notice { "No snapshot yet. The first one of each kind becomes the baseline." }
            } @else {
                div.table-scroll {
                    table #snapshot-table {
                        caption { "Every snapshot, oldest first" }
                        thead { tr {
                            th scope="col" { "Snapshot" }
                            th scope="col" { "Months in" }
                            @for m in &multiplier_app::outcomes::METRICS { th scope="col" { (m.label) " (" (m.unit) ")" } }
                        } }
                        tbody {
                            @for s in &view.snapshots {
                                tr {
                                    th scope="row" { (snapshot_name(s))
                                        @if s.baseline { " " (layout::chip_as("baseline", "internal")) }
                                        br; span.hint { (s.source) } }
                                    td { (s.months_elapsed.map_or_else(|| "—".to_string(), |m| format!("{m:.1}"))) }
                                    @for (_, v) in &s.values { td { (value(*v, "")) } }
                                }
                            }
                        }
                    }
                }
                @for s in view.snapshots.iter().rev() {
                    @if let Some(c) = &s.comparison {
                        details.judgement open[latest.is_some_and(|(l, _)| l.id == s.id)] {
                            summary { "Judgement of snapshot " (snapshot_name(s)) }
                            div.table-scroll { (judgement(s, c)) }
                        }
                    }
                }
            }
        }
        section #trends aria-labelledby="trends-h" {
            h2 #trends-h { "Trends" }
            @for t in view.trends.iter().filter(|t| !t.points.is_empty()) {
                figure.trend id={ "trend-" (t.metric.id) } {
                    figcaption { (t.metric.label) " (" (t.metric.unit) ")" }
                    (trend_svg(t))
                    div.table-scroll {
                        table.trend-data {
                            caption { (t.metric.label) ": the numbers plotted" }
                            thead { tr { th scope="col" { "Snapshot" } th scope="col" { "Measured" } th scope="col" { "Value (" (t.metric.unit) ")" } } }
                            tbody {
                                @for p in &t.points {
                                    tr { th scope="row" { "#" (p.snapshot) } td { (day(p.at)) } td { (p.value) } }
                                }
                            }
                        }
                    }
                }
            }
            @if view.trends.iter().all(|t| t.points.is_empty()) {
                p { "No trend yet." }
            }
        }
        @if view.may_manage {
            section #upload aria-labelledby="upload-h" {
                h2 #upload-h { "Add a snapshot" }
                p.hint { "Files of at most " (max_mib) " MiB, read as " code { "multiplier metrics deploys" } " and "
                    code { "metrics prs" } " read them (docs/metrics.md)." }
                div.grid2 {
                    form method="post" action={ (base) "/deployments" } enctype="multipart/form-data" {
                        h3 { "Deployment records" }
                        (layout::csrf_field(token))
                        label for="deployments" { "Deployments (JSON or CSV)" }
                        (errors.at("deployments"))
                        input #deployments type="file" name="deployments" accept=".json,.csv,application/json,text/csv" required
                            aria-describedby=[errors.described_by("deployments")];
                        label for="incidents" { "Incidents (optional, JSON or CSV)" }
                        (errors.at("incidents"))
                        input #incidents type="file" name="incidents" accept=".json,.csv,application/json,text/csv"
                            aria-describedby=[errors.described_by("incidents")];
                        button type="submit" { "Save a delivery snapshot" }
                    }
                    form method="post" action={ (base) "/prs" } enctype="multipart/form-data" {
                        h3 { "Pull requests" }
                        (layout::csrf_field(token))
                        label for="prs" { "Pull-request export (JSON of " code { "gh pr list" } " or the REST API)" }
                        (errors.at("prs"))
                        input #prs type="file" name="prs" accept=".json,application/json" required
                            aria-describedby=[errors.described_by("prs")];
                        button type="submit" { "Save a review-time snapshot" }
                    }
                }
                (errors.at("upload"))
            }
            section #repository aria-labelledby="repository-h" {
                h2 #repository-h { "The team's repository" }
                @if let Some(r) = &view.repository {
                    p { "Snapshots are read from " code { (r.setting.path) } ", deployments being "
                        @match &r.setting.deploy {
                            DeployRule::Tags(g) => { "tags matching " code { (g) } }
                            DeployRule::Branch(b) => { "the first-parent commits of " code { (b) } }
                        }
                        " (set by " (r.set_by) " on " (day(r.set_at)) ")." }
                    @if view.reads_repositories {
                        form method="post" action={ (base) "/snapshot" } {
                            (layout::csrf_field(token))
                            (errors.at("snapshot"))
                            button type="submit" { "Take a snapshot now" }
                            p.hint { "Reads the last " (multiplier_app::outcomes::SNAPSHOT_DAYS) " days of history; a large repository takes a while." }
                        }
                    } @else {
                        p.hint { "This server cannot read repositories; use " code { "multiplier metrics snapshot --opening " (o.id) } "." }
                    }
                }
                form method="post" action={ (base) "/repository" } {
                    (layout::csrf_field(token))
                    label for="repo-path" { "Path on the server (a working tree or a bare repository)" }
                    (errors.at("repo-path"))
                    input #repo-path type="text" name="path" value=(path) aria-describedby=[errors.described_by("repo-path")];
                    fieldset {
                        legend { "Deployments are" }
                        div.choice { input #mode-tags type="radio" name="mode" value="tags" checked[mode == "tags"]; label for="mode-tags" { "tags matching a pattern" } }
                        div.choice { input #mode-branch type="radio" name="mode" value="branch" checked[mode == "branch"]; label for="mode-branch" { "the commits of a branch" } }
                    }
                    label for="repo-pattern" { "Tag pattern (such as " code { "v*" } ") or branch name" }
                    (errors.at("repo-pattern"))
                    input #repo-pattern type="text" name="pattern" value=(pattern) aria-describedby=[errors.described_by("repo-pattern")];
                    button type="submit" { "Save the repository" }
                }
                @if view.repository.is_some() {
                    form method="post" action={ (base) "/repository" } {
                        (layout::csrf_field(token))
                        input type="hidden" name="clear" value="yes";
                        button.secondary type="submit" { "Forget the repository" }
                    }
                }
            }
            @if !view.reminders.is_empty() {
                section #reminders aria-labelledby="reminders-h" {
                    h2 #reminders-h { "Reminders" }
                    ul {
                        @for r in &view.reminders {
                            li { (r.months) " months: due " (r.due) ", "
                                @match r.sent_at { Some(t) => { "sent " (day(t)) }, None => { "not sent yet" } } }
                        }
                    }
                    p.hint { "The hiring manager and every admin with an e-mail address are reminded once at each." }
                }
            }
        }
    };
    layout::page(&title, Some(user), token, body)
}
