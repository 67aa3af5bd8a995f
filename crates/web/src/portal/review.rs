//! The code-review exercise: the pull request's summary and its diff file by file
//! with old and new line numbers; comments on lines (portal.js opens a box under a
//! clicked line; without it, a form takes the file, line and text), a summary, a
//! last check, then sent once. On sending, the review and the grader's explained
//! result become evidence for the interviewers; the candidate never sees the grade.

use super::{PortalApiError, PortalResult, SOURCE, page, time, visit};
use crate::error::WebError;
use crate::{AppState, csrf, layout};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use maud::{Markup, html};
use multiplier_core::review::diff_rows::{FileRows, RowKind, rows};
use multiplier_core::review::submission::Side;
use multiplier_core::review::{
    Builtin, DEFAULT_SIGNALS_SOURCE, DEFAULT_SIGNALS_TOML, Exercise, Review, ReviewComment,
    ReviewSignals, SubmissionFormat, grade,
};
use multiplier_store::{PortalStore, SubmittedEvidence, Task, Work};
use serde::{Deserialize, Serialize};
use serde_json::json;
use tower_sessions::Session;

pub const MAX_COMMENTS: usize = 100;
pub const MAX_COMMENT_CHARS: usize = 5_000;
pub const MAX_SUMMARY_CHARS: usize = 10_000;
/// The evidence kind staff find the review and its grade under.
pub const EVIDENCE_KIND: &str = "code-review";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/c/{token}/review", get(show).post(act))
        .route("/c/{token}/review/comment", post(add_comment))
        .route("/c/{token}/review/comment/remove", post(remove_comment))
        .route("/c/{token}/review/draft", post(autosave))
}

/// Which version of the file a comment's line number refers to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LineSide {
    /// After the change (added and unchanged lines).
    #[default]
    New,
    /// Before the change (removed lines).
    Old,
}

impl LineSide {
    fn id(self) -> &'static str {
        match self {
            LineSide::New => "new",
            LineSide::Old => "old",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DraftComment {
    pub path: String,
    pub line: u32,
    #[serde(default)]
    pub side: LineSide,
    pub body: String,
}

/// The review as kept while the candidate works, and as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewDraft {
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub comments: Vec<DraftComment>,
}

impl ReviewDraft {
    fn from_work(work: Option<&Work>) -> ReviewDraft {
        work.and_then(|w| serde_json::from_value(w.body.clone()).ok())
            .unwrap_or_default()
    }

    /// Refuse what cannot be a review of these files, saying what to fix.
    fn check(&mut self, files: &[FileRows]) -> Result<(), WebError> {
        self.summary = self.summary.replace("\r\n", "\n");
        if self.summary.chars().count() > MAX_SUMMARY_CHARS {
            return Err(WebError::BadRequest(format!(
                "the summary is longer than {MAX_SUMMARY_CHARS} characters; please shorten it"
            )));
        }
        if self.comments.len() > MAX_COMMENTS {
            return Err(WebError::BadRequest(format!(
                "a review holds at most {MAX_COMMENTS} comments; remove some first"
            )));
        }
        for c in &mut self.comments {
            c.body = c.body.replace("\r\n", "\n");
            if c.body.trim().is_empty() {
                return Err(WebError::BadRequest(
                    "a comment needs some text".to_string(),
                ));
            }
            if c.body.chars().count() > MAX_COMMENT_CHARS {
                return Err(WebError::BadRequest(format!(
                    "a comment is longer than {MAX_COMMENT_CHARS} characters; please shorten it"
                )));
            }
            let Some(file) = files.iter().find(|f| f.path == c.path) else {
                return Err(WebError::BadRequest(format!(
                    "`{}` is not a file of this pull request; choose one from the list",
                    c.path
                )));
            };
            if !file.has_line(c.line, c.side == LineSide::Old) {
                return Err(WebError::BadRequest(format!(
                    "line {} of {} ({} version) is not shown in the change; pick a line number from the diff",
                    c.line,
                    c.path,
                    if c.side == LineSide::Old {
                        "old"
                    } else {
                        "new"
                    }
                )));
            }
        }
        Ok(())
    }

    fn review(&self) -> Review {
        Review {
            format: SubmissionFormat::Multiplier,
            summary: self.summary.clone(),
            comments: self
                .comments
                .iter()
                .map(|c| ReviewComment {
                    path: c.path.clone(),
                    line: Some(c.line),
                    start_line: None,
                    side: match c.side {
                        LineSide::New => Side::New,
                        LineSide::Old => Side::Old,
                    },
                    body: c.body.clone(),
                })
                .collect(),
        }
    }
}

/// The link's exercise and its diff as rows.
fn exercise(slug: &str) -> Result<(Exercise, Vec<FileRows>), WebError> {
    let builtin = Builtin::find(slug).ok_or_else(|| {
        WebError::Internal(format!(
            "the link's exercise `{slug}` is not built into this version"
        ))
    })?;
    let ex = builtin
        .load()
        .map_err(|e| WebError::Internal(format!("the built-in exercise `{slug}`: {e}")))?;
    let files = rows(&ex.diff_text)
        .map_err(|e| WebError::Internal(format!("the diff of exercise `{slug}`: {e}")))?;
    Ok((ex, files))
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
    let (ex, files) = exercise(&v.link.exercise)?;
    let work = state.store.work(v.link.id, Task::Review).await?;
    let draft = ReviewDraft::from_work(work.as_ref());
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
            (add_form(&files, &base, &csrf))
            h2 { label for="summary" { "Your summary" } }
            form #review-form method="post" action={ (base) "/review" }
                data-autosave={ (base) "/review/draft" } {
                (layout::csrf_field(&csrf))
                p.hint #summary-hint { "What should the author do next, and in what order? A few sentences are enough." }
                textarea #summary name="summary" rows="8" maxlength=(MAX_SUMMARY_CHARS)
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
    Ok(page("Code review", &token, &csrf, body))
}

fn row_matches(kind: RowKind, old: Option<u32>, new: Option<u32>, c: &DraftComment) -> bool {
    match c.side {
        LineSide::New => new == Some(c.line),
        LineSide::Old => kind == RowKind::Removed && old == Some(c.line),
    }
}

fn file_table(
    index: usize,
    f: &FileRows,
    draft: &ReviewDraft,
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

fn comment_box(index: usize, c: &DraftComment, base: &str, csrf: &str, editable: bool) -> Markup {
    html! {
        div.portal-comment {
            p.hint { "Your comment on line " (c.line) @if c.side == LineSide::Old { " (old version)" } }
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

fn comment_list(draft: &ReviewDraft, base: &str, csrf: &str, editable: bool) -> Markup {
    html! {
        @if draft.comments.is_empty() {
            p.hint #no-comments { "No comments yet." }
        }
        ol #comment-list {
            @for (i, c) in draft.comments.iter().enumerate() {
                li data-path=(c.path) data-line=(c.line) data-side=(c.side.id()) {
                    code { (c.path) ":" (c.line) @if c.side == LineSide::Old { " (old)" } }
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

fn add_form(files: &[FileRows], base: &str, csrf: &str) -> Markup {
    html! {
        form #add-comment .portal-add method="post" action={ (base) "/review/comment" } {
            h3 { "Add a comment" }
            (layout::csrf_field(csrf))
            label for="comment-path" { "File" }
            select #comment-path name="path" {
                @for f in files.iter().filter(|f| !f.binary) { option value=(f.path) { (f.path) } }
            }
            label for="comment-line" { "Line number" }
            input #comment-line type="number" name="line" min="1" required inputmode="numeric";
            label for="comment-side" { "Which version the number refers to" }
            select #comment-side name="side" {
                option value="new" { "New (added or unchanged lines)" }
                option value="old" { "Old (removed lines)" }
            }
            label for="comment-body" { "Comment" }
            textarea #comment-body name="body" rows="5" maxlength=(MAX_COMMENT_CHARS) required {}
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
    Form(form): Form<AddComment>,
) -> PortalResult<Response> {
    let v = visit(&state, &token).await?;
    let (_, files) = exercise(&v.link.exercise)?;
    let line: u32 = form.line.trim().parse().map_err(|_| {
        WebError::BadRequest(format!(
            "`{}` is not a line number; give the number shown beside the line",
            form.line
        ))
    })?;
    let work = state.store.work(v.link.id, Task::Review).await?;
    let mut draft = ReviewDraft::from_work(work.as_ref());
    draft.comments.push(DraftComment {
        path: form.path,
        line,
        side: form.side.unwrap_or_default(),
        body: form.body,
    });
    draft.check(&files)?;
    state
        .store
        .save_work(v.link.id, Task::Review, &json!(draft))
        .await?;
    Ok(Redirect::to(&format!("/c/{token}/review?saved=1#comments")).into_response())
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
    let work = state.store.work(v.link.id, Task::Review).await?;
    let mut draft = ReviewDraft::from_work(work.as_ref());
    if form.index >= draft.comments.len() {
        return Err(WebError::NotFound(
            "that comment is no longer in your draft; reload the page".to_string(),
        )
        .into());
    }
    draft.comments.remove(form.index);
    state
        .store
        .save_work(v.link.id, Task::Review, &json!(draft))
        .await?;
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
    let (ex, files) = exercise(&v.link.exercise)?;
    let work = state.store.work(v.link.id, Task::Review).await?;
    if work.as_ref().is_some_and(|w| w.submitted_at.is_some()) {
        return Err(WebError::Conflict(
            "your review was already sent; it cannot be changed or sent twice".to_string(),
        )
        .into());
    }
    let mut draft = ReviewDraft::from_work(work.as_ref());
    let base = format!("/c/{token}");
    match form.action.as_str() {
        "save" | "confirm" => {
            if let Some(summary) = form.summary {
                draft.summary = summary;
            }
            draft.check(&files)?;
            state
                .store
                .save_work(v.link.id, Task::Review, &json!(draft))
                .await?;
            if form.action == "save" {
                return Ok(Redirect::to(&format!("{base}/review?saved=1")).into_response());
            }
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
                        li { code { (c.path) ":" (c.line) @if c.side == LineSide::Old { " (old)" } }
                            div.portal-answer { (c.body) } }
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
            Ok(page("Check your review", &token, &csrf, body).into_response())
        }
        "submit" => {
            if draft.comments.is_empty() && draft.summary.trim().is_empty() {
                return Err(WebError::BadRequest(
                    "there is nothing to send yet: add a comment or a summary, then send"
                        .to_string(),
                )
                .into());
            }
            draft.check(&files)?;
            let signals = ReviewSignals::parse(DEFAULT_SIGNALS_SOURCE, DEFAULT_SIGNALS_TOML)
                .map_err(|e| WebError::Internal(format!("the built-in review signals: {e}")))?;
            let result = grade(&ex, &draft.review(), &signals, &state.framework);
            let evidence = SubmittedEvidence {
                kind: EVIDENCE_KIND.to_string(),
                source: SOURCE.to_string(),
                body: json!({
                    "exercise": ex.slug,
                    "review": draft,
                    "grade": result,
                }),
            };
            state
                .store
                .submit_work(v.link.id, Task::Review, &json!(draft), &evidence)
                .await?;
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
    Json(mut draft): Json<ReviewDraft>,
) -> Result<Json<serde_json::Value>, PortalApiError> {
    let v = visit(&state, &token).await?;
    let (_, files) = exercise(&v.link.exercise)?;
    draft.check(&files)?;
    let at = state
        .store
        .save_work(v.link.id, Task::Review, &json!(draft))
        .await?;
    Ok(Json(json!({ "saved_at": at.to_string(), "draft": draft })))
}
