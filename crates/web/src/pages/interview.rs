//! The interview kit for one stage and, below it, the scorecard form.
//!
//! `GET /candidates/{id}/stages/{stage}` shows the kit core builds for the stage
//! (who takes part, the signals it feeds, the questions, what good looks like, the
//! rubric's anchors and the red flags) to anyone who may see the candidate
//! (`App::candidate`), and the form when the viewer's sight on the candidate
//! says they may score the stage. `POST` to the same address is
//! `App::submit_scorecard`: a first submission, or, with a reason, an amendment
//! (a new version). A refused form comes back with what was typed and each
//! problem beside the field it names. The page shows nobody's scores but the
//! viewer's own: that is the blind rule.
//!
//! Also serves `/static/loop.js`, the small script the loop pages share.

use super::field::{Errors, Posted, score_choices};
use super::loop_nav::{self, Here, Subject, signal_name};
use crate::auth::CurrentUser;
use crate::error::{WebError, WebResult};
use crate::{AppState, csrf, layout};
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use maud::{Markup, html};
use multiplier_app::{AppError, CandidateView, ScorecardDraft};
use multiplier_core::framework::Severity;
use multiplier_core::pipeline::{Kit, RaisedFlag, Recommendation, Scorecard, kit};
use multiplier_core::score::Score;
use multiplier_core::{Framework, Signal};
use multiplier_store::ScorecardRecord;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use tower_sessions::Session;

/// The script shared by the loop pages (progressive enhancement only).
pub const LOOP_JS: &str = include_str!("../../static/loop.js");

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/candidates/{id}/stages/{stage}", get(show).post(submit))
        .route("/static/loop.js", get(script))
}

async fn script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        LOOP_JS,
    )
}

const RECOMMENDATIONS: [(&str, &str); 4] = [
    ("strong-no", "Strong no"),
    ("no", "No"),
    ("yes", "Yes"),
    ("strong-yes", "Strong yes"),
];

/// What the form holds, as typed, so a refused form comes back with its values.
#[derive(Debug, Default, Clone)]
struct CardForm {
    scores: BTreeMap<Signal, String>,
    notes: BTreeMap<Signal, String>,
    flags: BTreeSet<String>,
    flag_notes: BTreeMap<String, String>,
    recommendation: String,
    reason: String,
}

impl CardForm {
    /// The form filled from a submitted scorecard (the starting point of an amendment).
    fn from_card(card: &Scorecard) -> CardForm {
        CardForm {
            scores: card
                .scores
                .iter()
                .map(|(s, n)| (*s, n.to_string()))
                .collect(),
            notes: card.notes.clone(),
            flags: card.red_flags.iter().map(|f| f.id.clone()).collect(),
            flag_notes: card
                .red_flags
                .iter()
                .map(|f| (f.id.clone(), f.note.clone()))
                .collect(),
            recommendation: recommendation_id(card.recommendation).to_string(),
            reason: String::new(),
        }
    }
}

fn recommendation_id(r: Recommendation) -> &'static str {
    match r {
        Recommendation::StrongNo => "strong-no",
        Recommendation::No => "no",
        Recommendation::Yes => "yes",
        Recommendation::StrongYes => "strong-yes",
    }
}

fn parse_recommendation(s: &str) -> Option<Recommendation> {
    match s {
        "strong-no" => Some(Recommendation::StrongNo),
        "no" => Some(Recommendation::No),
        "yes" => Some(Recommendation::Yes),
        "strong-yes" => Some(Recommendation::StrongYes),
        _ => None,
    }
}

fn parse_signal(s: &str) -> Option<Signal> {
    Signal::ALL.into_iter().find(|x| x.id() == s)
}

#[derive(Debug, Deserialize)]
struct SavedQuery {
    saved: Option<u32>,
}

fn find_kit(framework: &Framework, stage: &str) -> WebResult<Kit> {
    kit(framework, stage).map_err(|ids| {
        WebError::NotFound(format!(
            "`{stage}` is not a stage of the interview loop; the stages are {}",
            ids.join(", ")
        ))
    })
}

/// The viewer's own versions for the stage, oldest first.
fn own_versions<'a>(view: &'a CandidateView, stage: &str) -> Vec<&'a ScorecardRecord> {
    let mut mine: Vec<&ScorecardRecord> = view
        .scorecards
        .iter()
        .filter(|r| r.card.interviewer == view.sight.viewer && r.card.stage == stage)
        .collect();
    mine.sort_by_key(|r| r.card.version);
    mine
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path((id, stage)): Path<(String, String)>,
    Query(q): Query<SavedQuery>,
) -> WebResult<Markup> {
    let token = csrf::token(&session).await?;
    let view = state
        .app
        .candidate(&user.account(), loop_nav::candidate_id(&id)?)
        .await?;
    let k = find_kit(&state.framework, &stage)?;
    let mine = own_versions(&view, &stage);
    let form = mine
        .last()
        .map(|r| CardForm::from_card(&r.card))
        .unwrap_or_default();
    // Only a version this person really stored is announced.
    let saved = q
        .saved
        .filter(|v| mine.iter().any(|r| r.card.version == *v))
        .map(|v| (v, view.sight.blind.is_none()));
    Ok(render(
        &state.framework,
        &user,
        &token,
        &view,
        &k,
        &form,
        &Errors::default(),
        saved,
    ))
}

async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    session: Session,
    Path((id, stage)): Path<(String, String)>,
    Form(posted): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let id = loop_nav::candidate_id(&id)?;
    let account = user.account();
    let fw = &state.framework;
    let k = find_kit(fw, &stage)?;
    let (form, draft, mut errors) = read_form(fw, &k, &Posted(posted));
    let mut status = StatusCode::UNPROCESSABLE_ENTITY;
    if let Some(draft) = draft {
        let reason = (!form.reason.is_empty()).then_some(form.reason.as_str());
        match state
            .app
            .submit_scorecard(&account, id, &draft, reason)
            .await
        {
            Ok(stored) => {
                let version = stored.card.version;
                tracing::info!(stage = %stage, version, "scorecard stored");
                return Ok(Redirect::to(&format!(
                    "/candidates/{id}/stages/{stage}?saved={version}"
                ))
                .into_response());
            }
            Err(e @ AppError::Invalid { .. }) => {
                errors.place(e.problems(), |f| card_field(&k, f));
            }
            // Already submitted without a reason, or a reason with nothing to
            // amend: said beside the reason, with the status the use case gave.
            Err(e @ AppError::Conflict(_)) => {
                let e = WebError::from(e);
                status = e.status();
                errors.add("amendment_reason", e.public_message());
            }
            Err(e) => return Err(e.into()),
        }
    }
    let token = csrf::token(&session).await?;
    let view = state.app.candidate(&account, id).await?;
    let page = render(fw, &user, &token, &view, &k, &form, &errors, None);
    Ok((status, page).into_response())
}

/// Where a problem the use case found goes on the form: beside the score, note
/// or flag it names when the form has it, else at the top of the scores.
fn card_field<'a>(k: &Kit, field: &'a str) -> (String, &'a str) {
    let signal = |id: &str| k.signals.iter().any(|s| s.id() == id);
    let id = if let Some(s) = field.strip_prefix("scores.").filter(|s| signal(s)) {
        format!("score-{s}")
    } else if let Some(s) = field.strip_prefix("notes.").filter(|s| signal(s)) {
        format!("note-{s}")
    } else if let Some(f) = field
        .strip_prefix("red_flags.")
        .filter(|f| k.red_flags.iter().any(|x| x.id == *f))
    {
        format!("flag-{f}")
    } else if matches!(field, "recommendation" | "amendment_reason") {
        field.to_string()
    } else {
        "scores".to_string()
    };
    (id, "")
}

/// Read the posted form: what was typed (to show again), the draft for the use
/// case when every value could be read, and what could not be read, by field.
fn read_form(
    fw: &Framework,
    k: &Kit,
    posted: &Posted,
) -> (CardForm, Option<ScorecardDraft>, Errors) {
    let mut errors = Errors::default();
    let mut form = CardForm::default();
    for (name, value) in posted.with_prefix("score-") {
        match parse_signal(name) {
            Some(s) => {
                form.scores.insert(s, value.trim().to_string());
            }
            None => errors.add(
                "scores",
                format!("`{name}` is not a signal; score technical-depth or team-multiplier"),
            ),
        }
    }
    for (name, value) in posted.with_prefix("note-") {
        if let Some(s) = parse_signal(name) {
            form.notes.insert(s, value.trim().to_string());
        }
    }
    form.flags = posted.all("flag").into_iter().map(str::to_string).collect();
    for (id, value) in posted.with_prefix("flag-note-") {
        form.flag_notes
            .insert(id.to_string(), value.trim().to_string());
    }
    form.recommendation = posted.get("recommendation").to_string();
    form.reason = posted.get("amendment_reason").to_string();

    let mut scores = BTreeMap::new();
    for (signal, value) in &form.scores {
        if value.is_empty() {
            continue;
        }
        match value
            .parse::<i64>()
            .map_err(|_| ())
            .and_then(|n| Score::new(n).map_err(|_| ()))
        {
            Ok(score) => {
                scores.insert(*signal, score);
            }
            Err(()) => errors.add(
                format!("score-{signal}"),
                format!(
                    "choose a score from 1 to 4 for {}",
                    signal_name(fw, *signal)
                ),
            ),
        }
    }
    for (id, note) in &form.flag_notes {
        if !note.is_empty() && !form.flags.contains(id) {
            errors.add(
                format!("flag-{id}"),
                "you described what you saw: tick the box to raise this flag, or clear the text",
            );
        }
    }
    let recommendation = parse_recommendation(&form.recommendation);
    if recommendation.is_none() {
        errors.add(
            "recommendation",
            "choose a recommendation, from strong no to strong yes",
        );
    }
    let draft = recommendation
        .filter(|_| errors.is_empty())
        .map(|recommendation| ScorecardDraft {
            stage: k.stage.clone(),
            scores,
            notes: form
                .notes
                .iter()
                .filter(|(_, n)| !n.is_empty())
                .map(|(s, n)| (*s, n.clone()))
                .collect(),
            red_flags: form
                .flags
                .iter()
                .map(|id| RaisedFlag {
                    id: id.clone(),
                    note: form.flag_notes.get(id).cloned().unwrap_or_default(),
                })
                .collect(),
            recommendation,
        });
    (form, draft, errors)
}

fn severity_label(s: Severity) -> &'static str {
    match s {
        Severity::Minor => "minor",
        Severity::Major => "major",
        Severity::Critical => "critical: blocks a hire until resolved",
    }
}

#[allow(clippy::too_many_arguments)]
fn render(
    fw: &Framework,
    user: &CurrentUser,
    token: &str,
    view: &CandidateView,
    k: &Kit,
    form: &CardForm,
    errors: &Errors,
    saved: Option<(u32, bool)>,
) -> Markup {
    let title = format!("{}: interview kit", k.name);
    let may_score = view.sight.may_score(&k.stage);
    let mine = own_versions(view, &k.stage);
    let next_version = mine.last().map_or(1, |r| r.card.version + 1);
    let id = view.candidate.id;
    let subject = Subject {
        candidate: &view.candidate,
        opening: &view.opening,
        sight: &view.sight,
    };
    let body = html! {
        (loop_nav::header(fw, subject, Here::Stage(&k.stage), &title))
        @if let Some((version, opened)) = saved {
            div.notice role="status" {
                p { "Your scorecard (version " (version) ") is stored. It cannot change now; a later change is an amendment with a reason." }
                @if opened {
                    p { "You have submitted everything you owe for this candidate, so the other scorecards are open to you: "
                        a href={ "/candidates/" (id) "/debrief" } { "see the debrief" } "." }
                }
            }
        }
        section.kit aria-labelledby="kit-heading" {
            h2 #kit-heading { "The kit" }
            p { (k.purpose) }
            dl.facts {
                dt { "Stage" } dd { (k.position) " of " (fw.stages.len()) }
                dt { "Who takes part" } dd { (k.participants.join(", ")) }
                dt { "Signals it feeds" }
                dd {
                    @if k.signals.is_empty() { "none: this stage decides or acts, it does not score" }
                    @else {
                        @for (i, s) in k.signals.iter().enumerate() {
                            @if i > 0 { " and " } (signal_name(fw, *s))
                        }
                    }
                }
                @if let Some(m) = k.minutes { dt { "Length" } dd { (m) " minutes" } }
            }
            @if !k.questions.is_empty() {
                h3 { "Questions" }
                ol { @for q in &k.questions { li { (q) } } }
            }
            @if !k.good.is_empty() {
                h3 { "What good looks like" }
                ul { @for g in &k.good { li { (g) } } }
            }
            @if !k.rubric.is_empty() {
                h3 { "Rubric" }
                table.rubric {
                    caption.hint { "What each score means at this stage" }
                    thead { tr { th scope="col" { "Score" } th scope="col" { "Anchor" } } }
                    tbody { @for (n, a) in &k.rubric { tr { th scope="row" { (n) } td { (a) } } } }
                }
            }
            @if !k.red_flags.is_empty() {
                h3 { "Red flags to watch for" }
                ul.flags {
                    @for f in &k.red_flags {
                        li {
                            strong { (f.title) } " "
                            (layout::chip(severity_label(f.severity), f.severity != Severity::Critical))
                            br; span.hint { (f.description) }
                        }
                    }
                }
            }
        }
        section aria-labelledby="card-heading" {
            h2 #card-heading { "Your scorecard" }
            @if k.signals.is_empty() {
                p.notice { "This stage takes no scorecard." }
            } @else if !may_score {
                p.notice { "You are not assigned to this stage for this candidate, so the form is not shown. The kit above is here to read." }
            } @else {
                p.hint { "Nobody else's scores are shown here: each interviewer scores on their own first. Score only what you saw at this stage." }
                @if !mine.is_empty() {
                    h3 { "What you submitted" }
                    ul {
                        @for r in &mine {
                            li { "Version " (r.card.version) ", " (r.submitted_at.strftime("%Y-%m-%d %H:%M")) " UTC"
                                @if let Some(reason) = &r.card.amendment_reason { ": " (reason) } }
                        }
                    }
                    p { "Sending the form again records an amendment (version " (next_version) "). The earlier versions stay on record." }
                }
                (card_form(fw, k, token, id, form, errors, next_version))
            }
        }
        script src="/static/loop.js" defer {}
    };
    layout::page(&title, Some(user), token, body)
}

fn card_form(
    fw: &Framework,
    k: &Kit,
    token: &str,
    id: multiplier_store::CandidateId,
    form: &CardForm,
    errors: &Errors,
    version: u32,
) -> Markup {
    let empty = String::new();
    html! {
        (errors.summary())
        form.scorecard.loop-form method="post" action={ "/candidates/" (id) "/stages/" (k.stage) } {
            (layout::csrf_field(token))
            (errors.at("scores"))
            @for s in &k.signals {
                @let name = format!("score-{s}");
                @let note = format!("note-{s}");
                @let label = signal_name(fw, *s);
                div.signal-block {
                    (score_choices(&name, &format!("{label}: your score"), &k.rubric,
                        form.scores.get(s).unwrap_or(&empty), errors, None, Some(&note)))
                    label for=(note) { "Evidence for " (label) }
                    p.hint id={ (note) "-hint" } { "What the candidate said or did. Required for a 1 or a 4." }
                    (errors.at(&note))
                    textarea id=(note) name=(note)
                        aria-describedby={ (note) "-hint" @if errors.has(&note) { " " (note) "-error" } } {
                        (form.notes.get(s).unwrap_or(&empty))
                    }
                }
            }
            @if !k.red_flags.is_empty() {
                fieldset.red-flags {
                    legend { "Red flags you saw" }
                    p.hint { "Raise one only with what you saw; a critical flag blocks a hire until someone resolves it at the debrief." }
                    @for f in &k.red_flags {
                        @let key = format!("flag-{}", f.id);
                        @let note = format!("flag-note-{}", f.id);
                        div.flag id=(key) {
                            (errors.at(&key))
                            div.choice {
                                input type="checkbox" id={ (key) "-box" } name="flag" value=(f.id)
                                    checked[form.flags.contains(&f.id)] data-note=(note);
                                label for={ (key) "-box" } { (f.title) " (" (severity_label(f.severity)) ")" }
                            }
                            label for=(note) { "What you saw (" (f.title) ")" }
                            input type="text" id=(note) name=(note)
                                value=(form.flag_notes.get(&f.id).unwrap_or(&empty));
                        }
                    }
                }
            }
            fieldset id="recommendation" aria-describedby=[errors.described_by("recommendation")] {
                legend { "Your recommendation" }
                (errors.at("recommendation"))
                @for (value, label) in RECOMMENDATIONS {
                    div.choice {
                        input type="radio" id={ "rec-" (value) } name="recommendation" value=(value)
                            checked[form.recommendation == value];
                        label for={ "rec-" (value) } { (label) }
                    }
                }
            }
            @if version > 1 {
                label for="amendment_reason" { "Why you are amending your scorecard" }
                (errors.at("amendment_reason"))
                textarea id="amendment_reason" name="amendment_reason" required
                    aria-describedby=[errors.described_by("amendment_reason")] { (form.reason) }
            }
            button type="submit" {
                @if version > 1 { "Submit amendment (version " (version) ")" } @else { "Submit scorecard" }
            }
        }
    }
}
