//! The code-review exercise: the pull request's summary and its diff file by file
//! with old and new line numbers; comments on lines (portal.js opens a box under a
//! clicked line; without it, a form takes the file, line and text), a summary, a
//! last check, then sent once. The rules (limits, a comment on a line the diff
//! shows, sent once, the grader's explained result attached as evidence for the
//! interviewers) are the app's (`App::save_review`, `App::submit_review`); the
//! candidate never sees the grade.

use super::{PortalApiError, PortalResult, page, time, visit};
use crate::error::WebError;
use crate::{AppState, csrf, layout};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use maud::{Markup, html};
use multiplier_app::{App, AppError};
use multiplier_core::review::diff_rows::{FileRows, RowKind};
use multiplier_core::review::submission::Side;
use multiplier_core::review::{Review, ReviewComment, SubmissionFormat};
use serde::Deserialize;
use serde_json::json;
use tower_sessions::Session;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/c/{token}/review", get(show).post(act))
        .route("/c/{token}/review/comment", post(add_comment))
        .route("/c/{token}/review/comment/remove", post(remove_comment))
        .route("/c/{token}/review/draft", post(autosave))
}

/// Which version of the file a comment's line number refers to, as posted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LineSide {
    /// After the change (added and unchanged lines).
    #[default]
    New,
    /// Before the change (removed lines).
    Old,
}

impl From<LineSide> for Side {
    fn from(s: LineSide) -> Side {
        match s {
            LineSide::New => Side::New,
            LineSide::Old => Side::Old,
        }
    }
}

fn side_id(side: Side) -> &'static str {
    match side {
        Side::New => "new",
        Side::Old => "old",
    }
}

/// One comment as portal.js sends it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DraftComment {
    pub path: String,
    pub line: u32,
    #[serde(default)]
    pub side: LineSide,
    pub body: String,
}

/// The review as portal.js sends it while the candidate works.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewDraft {
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub comments: Vec<DraftComment>,
}

impl ReviewDraft {
    /// As core's review, which the use cases take.
    fn review(self) -> Review {
        Review {
            format: SubmissionFormat::Multiplier,
            summary: self.summary,
            comments: self
                .comments
                .into_iter()
                .map(|c| comment(c.path, c.line, c.side.into(), c.body))
                .collect(),
        }
    }
}

fn comment(path: String, line: u32, side: Side, body: String) -> ReviewComment {
    ReviewComment {
        path,
        line: Some(line),
        start_line: None,
        side,
        body,
    }
}

/// "path:line", with "(old)" for a removed line.
fn place(c: &ReviewComment) -> Markup {
    html! {
        code { (c.path) ":" @if let Some(l) = c.line { (l) } @if c.side == Side::Old { " (old)" } }
    }
}

#[derive(Debug, Deserialize)]
pub struct Notice {
    saved: Option<String>,
    sent: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(notice): Query<Notice>,
    session: Session,
) -> PortalResult<Markup> {
    let v = visit(&state, &token).await?;
    let csrf = csrf::token(&session).await?;
    render(&state, &v, &token, &csrf, &notice, None).await
}

/// A comment the add form sent back refused: what was typed, and why.
struct Refused {
    form: AddComment,
    message: String,
}

/// The review page; `refused` puts a refused comment back in the add form
/// with its problem (the no-script path, where nothing else keeps it).
async fn render(
    state: &AppState,
    v: &multiplier_app::Visit,
    token: &str,
    csrf: &str,
    notice: &Notice,
    refused: Option<&Refused>,
) -> PortalResult<Markup> {
    let (v, csrf, token) = (v, csrf.to_string(), token.to_string());
    let (ex, files) = state.app.review_exercise(v)?;
    let (draft, work) = state.app.review_draft(v).await?;
    let sent = work.as_ref().and_then(|w| w.submitted_at);
    let base = format!("/c/{token}");
    let editable = sent.is_none();
    let body = html! {
        h1 { "Code review" }
        @if let Some(at) = sent {
            p.notice role="status" {
                @if notice.sent.is_some() { "Thank you: your review was sent on " } @else { "You sent your review on " }
                (time(at)) ". It can no longer be changed."
            }
        } @else if notice.saved.is_some() {
            p.notice role="status" { "Your draft was saved." }
        }
        @if editable {
            div.portal-instructions {
                p { "A colleague asks for your review of the pull request below. Review it as you would at work: "
                    "comment on the lines that need it, explain your reasoning, and sum up what the author should do next. "
                    "There is no time limit; your comments and summary are kept as a draft until you send them." }
                p { "To comment, select a line number in the diff, or use the form under the diff." }
            }
        }
        h2 { "Pull request: " (ex.title) }
        p.portal-answer { (ex.summary) }
        h2 { "The change" }
        @for (fi, f) in files.iter().enumerate() {
            (file_table(fi, f, &draft, &base, &csrf, editable))
        }
        h2 #comments { "Your comments" }
        (comment_list(&draft, &base, &csrf, editable))
        @if editable {
            (add_form(&files, &base, &csrf, refused))
            h2 { label for="summary" { "Your summary" } }
            form #review-form method="post" action={ (base) "/review" }
                data-autosave={ (base) "/review/draft" } {
                (layout::csrf_field(&csrf))
                p.hint #summary-hint { "What should the author do next, and in what order? A few sentences are enough." }
                textarea #summary name="summary" rows="8" maxlength=(App::MAX_SUMMARY_CHARS)
                    aria-describedby="summary-hint" { (draft.summary) }
                p #save-status .portal-status role="status" aria-live="polite" {
                    @if let Some(w) = &work { "Draft saved " (time(w.saved_at)) "." }
                    @else { "Nothing saved yet." }
                }
                div.portal-actions {
                    button.secondary type="submit" name="action" value="save" { "Save draft" }
                    button type="submit" name="action" value="confirm" { "Check and send…" }
                }
            }
        } @else {
            h2 { "Your summary" }
            @if draft.summary.trim().is_empty() { p.hint { "No summary." } }
            @else { div.portal-answer { (draft.summary) } }
        }
        p { a href=(base) { "Back to the overview" } }
    };
    Ok(page(state, "Code review", &token, &csrf, body))
}

fn row_matches(kind: RowKind, old: Option<u32>, new: Option<u32>, c: &ReviewComment) -> bool {
    match c.side {
        Side::New => c.line.is_some() && new == c.line,
        Side::Old => kind == RowKind::Removed && c.line.is_some() && old == c.line,
    }
}

fn file_table(
    index: usize,
    f: &FileRows,
    draft: &Review,
    base: &str,
    csrf: &str,
    editable: bool,
) -> Markup {
    let status = match f.old_path.as_deref() {
        Some(old) => format!("renamed from {old}"),
        None => serde_json::to_value(f.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default(),
    };
    html! {
        section.portal-file {
            h3 id={ "file-" (index) } { code { (f.path) } " " span.hint { "(" (status) ")" } }
            @if f.binary {
                p.hint { "A binary file; its content is not shown." }
            } @else {
                div.portal-diff-wrap {
                    table.portal-diff data-path=(f.path) aria-labelledby={ "file-" (index) } {
                        thead { tr {
                            th scope="col" { "Old line" }
                            th scope="col" { "New line" }
                            th scope="col" { "Code" }
                        } }
                        @for h in &f.hunks {
                            tbody {
                                tr.portal-hunk { td colspan="3" { code { (h.header) } } }
                                @for r in &h.rows {
                                    @let (class, sign, side, line) = match r.kind {
                                        RowKind::Context => ("ctx", " ", "new", r.new),
                                        RowKind::Added => ("add", "+", "new", r.new),
                                        RowKind::Removed => ("del", "-", "old", r.old),
                                    };
                                    tr class=(class) data-side=(side) data-line=[line] {
                                        td.num { @if let Some(n) = r.old { (n) } }
                                        td.num { @if let Some(n) = r.new { (n) } }
                                        td.code { span.sign aria-hidden="true" { (sign) } code { (r.text) } }
                                    }
                                    @for (ci, c) in draft.comments.iter().enumerate() {
                                        @if c.path == f.path && row_matches(r.kind, r.old, r.new, c) {
                                            tr.portal-comment-row { td colspan="3" {
                                                (comment_box(ci, c, base, csrf, editable))
                                            } }
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

fn comment_box(index: usize, c: &ReviewComment, base: &str, csrf: &str, editable: bool) -> Markup {
    html! {
        div.portal-comment {
            p.hint { "Your comment on line " @if let Some(l) = c.line { (l) } @if c.side == Side::Old { " (old version)" } }
            div.portal-answer { (c.body) }
            @if editable {
                form method="post" action={ (base) "/review/comment/remove" } data-remove=(index) {
                    (layout::csrf_field(csrf))
                    input type="hidden" name="index" value=(index);
                    button.link type="submit" { "Remove this comment" }
                }
            }
        }
    }
}

fn comment_list(draft: &Review, base: &str, csrf: &str, editable: bool) -> Markup {
    html! {
        @if draft.comments.is_empty() {
            p.hint #no-comments { "No comments yet." }
        }
        ol #comment-list {
            @for (i, c) in draft.comments.iter().enumerate() {
                li data-path=(c.path) data-line=[c.line] data-side=(side_id(c.side)) {
                    (place(c))
                    div.portal-answer.portal-comment-body { (c.body) }
                    @if editable {
                        form method="post" action={ (base) "/review/comment/remove" } data-remove=(i) {
                            (layout::csrf_field(csrf))
                            input type="hidden" name="index" value=(i);
                            button.link type="submit" { "Remove" }
                        }
                    }
                }
            }
        }
    }
}

fn add_form(files: &[FileRows], base: &str, csrf: &str, refused: Option<&Refused>) -> Markup {
    let kept = refused.map(|r| &r.form);
    let old = kept.is_some_and(|f| matches!(f.side, Some(LineSide::Old)));
    html! {
        form #add-comment .portal-add method="post" action={ (base) "/review/comment" } {
            h3 { "Add a comment" }
            @if let Some(r) = refused {
                p.alert #comment-problem role="alert" { (r.message) " Your comment is kept below; correct the line and add it again." }
            }
            (layout::csrf_field(csrf))
            label for="comment-path" { "File" }
            select #comment-path name="path" {
                @for f in files.iter().filter(|f| !f.binary) {
                    option value=(f.path) selected[kept.is_some_and(|k| k.path == f.path)] { (f.path) }
                }
            }
            label for="comment-line" { "Line number" }
            input #comment-line type="number" name="line" min="1" required inputmode="numeric"
                value=[kept.map(|k| k.line.as_str())]
                aria-describedby=[refused.map(|_| "comment-problem")]
                aria-invalid=[refused.map(|_| "true")];
            label for="comment-side" { "Which version the number refers to" }
            select #comment-side name="side" {
                option value="new" selected[!old] { "New (added or unchanged lines)" }
                option value="old" selected[old] { "Old (removed lines)" }
            }
            label for="comment-body" { "Comment" }
            textarea #comment-body name="body" rows="5" maxlength=(App::MAX_COMMENT_CHARS) required {
                @if let Some(k) = kept { (k.body) }
            }
            button type="submit" { "Add comment" }
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct AddComment {
    path: String,
    line: String,
    side: Option<LineSide>,
    body: String,
}

async fn add_comment(
    State(state): State<AppState>,
    Path(token): Path<String>,
    session: Session,
    Form(form): Form<AddComment>,
) -> PortalResult<Response> {
    let v = visit(&state, &token).await?;
    let refused = |message: String| Refused {
        form: AddComment {
            path: form.path.clone(),
            line: form.line.clone(),
            side: form.side,
            body: form.body.clone(),
        },
        message,
    };
    let outcome = match form.line.trim().parse::<u32>() {
        Err(_) => Err(refused(format!(
            "“{}” is not a line number; give the number shown beside the line.",
            form.line.trim()
        ))),
        Ok(line) => {
            let (mut draft, _) = state.app.review_draft(&v).await?;
            draft.comments.push(comment(
                form.path.clone(),
                line,
                form.side.unwrap_or_default().into(),
                form.body.clone(),
            ));
            match state.app.save_review(&v, &draft).await {
                Ok(_) => Ok(()),
                Err(e @ AppError::Invalid { .. }) => Err(refused(
                    e.problems()
                        .iter()
                        .map(|p| p.message.as_str())
                        .collect::<Vec<_>>()
                        .join("; "),
                )),
                Err(e) => return Err(e.into()),
            }
        }
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/c/{token}/review?saved=1#comments")).into_response()),
        Err(r) => {
            let csrf = csrf::token(&session).await?;
            let notice = Notice {
                saved: None,
                sent: None,
            };
            let page = render(&state, &v, &token, &csrf, &notice, Some(&r)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct RemoveComment {
    index: usize,
}

async fn remove_comment(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Form(form): Form<RemoveComment>,
) -> PortalResult<Response> {
    let v = visit(&state, &token).await?;
    let (mut draft, _) = state.app.review_draft(&v).await?;
    if form.index >= draft.comments.len() {
        return Err(WebError::NotFound(
            "that comment is no longer in your draft; reload the page".to_string(),
        )
        .into());
    }
    draft.comments.remove(form.index);
    state.app.save_review(&v, &draft).await?;
    Ok(Redirect::to(&format!("/c/{token}/review?saved=1#comments")).into_response())
}

#[derive(Debug, Deserialize)]
pub struct ReviewAction {
    action: String,
    summary: Option<String>,
}

async fn act(
    State(state): State<AppState>,
    Path(token): Path<String>,
    session: Session,
    Form(form): Form<ReviewAction>,
) -> PortalResult<Response> {
    let v = visit(&state, &token).await?;
    let (mut draft, _) = state.app.review_draft(&v).await?;
    let base = format!("/c/{token}");
    match form.action.as_str() {
        "save" | "confirm" => {
            if let Some(summary) = form.summary {
                draft.summary = summary;
            }
            state.app.save_review(&v, &draft).await?;
            if form.action == "save" {
                return Ok(Redirect::to(&format!("{base}/review?saved=1")).into_response());
            }
            let (draft, _) = state.app.review_draft(&v).await?;
            let (ex, _) = state.app.review_exercise(&v)?;
            let csrf = csrf::token(&session).await?;
            let body = html! {
                h1 { "Check your review before sending" }
                p { "Once sent, your review can no longer be changed. Your draft is saved, so you can also come back later." }
                @if draft.comments.is_empty() {
                    p.alert role="alert" { "Your review has no line comments yet." }
                }
                h2 { "Pull request: " (ex.title) }
                h3 { "Your comments" }
                @if draft.comments.is_empty() { p.hint { "None." } }
                ol {
                    @for c in &draft.comments {
                        li { (place(c)) div.portal-answer { (c.body) } }
                    }
                }
                h3 { "Your summary" }
                @if draft.summary.trim().is_empty() { p.hint { "No summary." } }
                @else { div.portal-answer { (draft.summary) } }
                form method="post" action={ (base) "/review" } {
                    (layout::csrf_field(&csrf))
                    div.portal-actions {
                        a.button.secondary href={ (base) "/review" } { "Go back and edit" }
                        button type="submit" name="action" value="submit" { "Send my review" }
                    }
                }
            };
            Ok(page(&state, "Check your review", &token, &csrf, body).into_response())
        }
        "submit" => {
            // What is sent is the draft the check page showed.
            state.app.submit_review(&v, &draft).await?;
            Ok(Redirect::to(&format!("{base}/review?sent=1")).into_response())
        }
        _ => {
            Err(WebError::BadRequest("choose “Save draft” or “Check and send”".to_string()).into())
        }
    }
}

async fn autosave(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Json(draft): Json<ReviewDraft>,
) -> Result<Json<serde_json::Value>, PortalApiError> {
    let v = visit(&state, &token).await?;
    let saved = state.app.save_review(&v, &draft.review()).await?;
    Ok(Json(
        json!({ "saved_at": saved.saved_at.to_string(), "draft": saved.body }),
    ))
}
