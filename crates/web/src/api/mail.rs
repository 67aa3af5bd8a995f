//! Scheduling and the outbox: book and list a candidate's interviews; read the
//! outbox and retry a message (hiring managers). Each handler calls one use case
//! of [`multiplier_app::App`].

use super::{Outcome, Problem, at, created};
use crate::AppState;
use crate::auth::CurrentUser;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use multiplier_app::{InterviewInput, MessageView};
use multiplier_store::{CandidateId, InterviewRecord, MessageRecord};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(interviews, schedule))
        .routes(routes!(move_interview))
        .routes(routes!(cancel_interview))
        .routes(routes!(outbox))
        .routes(routes!(message))
        .routes(routes!(retry))
}

/// A booked interview.
#[derive(Debug, Serialize, ToSchema)]
pub struct InterviewDto {
    pub id: i64,
    pub candidate: i64,
    pub stage: String,
    /// RFC 3339, UTC.
    pub starts_at: String,
    pub ends_at: String,
    pub place: String,
    pub video_link: String,
    pub interviewers: Vec<String>,
    /// The calendar event's UID, the same for the interview's life.
    pub uid: String,
    /// Raised by every move or cancellation.
    pub sequence: i64,
    pub cancelled_at: Option<String>,
}

impl InterviewDto {
    fn new(i: &InterviewRecord) -> Self {
        InterviewDto {
            id: i.id,
            candidate: i.candidate.0,
            stage: i.stage.clone(),
            starts_at: at(i.starts_at),
            ends_at: at(i.ends_at),
            place: i.place.clone(),
            video_link: i.video_link.clone(),
            interviewers: i.interviewers.clone(),
            uid: i.uid.clone(),
            sequence: i.sequence,
            cancelled_at: i.cancelled_at.map(at),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InterviewBody {
    /// A stage id of the framework.
    pub stage: String,
    /// RFC 3339 (`2031-03-04T14:00:00Z`), or a date and time read as UTC.
    pub start: String,
    /// 15 to 480.
    pub minutes: i64,
    /// Account names.
    pub interviewers: Vec<String>,
    /// A room or address; this or `video_link` is required.
    #[serde(default)]
    pub place: String,
    /// An http(s) address.
    #[serde(default)]
    pub video_link: String,
}

/// A candidate's interviews, by start (anyone who may see the candidate).
#[utoipa::path(
    get,
    path = "/candidates/{id}/interviews",
    tag = "scheduling",
    params(("id" = i64, Path, description = "The candidate")),
    security(("session" = [])),
    responses(
        (status = 200, description = "The interviews, cancelled ones included", body = Vec<InterviewDto>),
        (status = 401, body = Problem),
        (status = 404, body = Problem),
    )
)]
async fn interviews(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Outcome<Json<Vec<InterviewDto>>> {
    let list = state
        .app
        .interviews(&user.account(), CandidateId(id))
        .await?;
    Ok(Json(list.iter().map(InterviewDto::new).collect()))
}

/// Book an interview (hiring managers). The candidate and every interviewer
/// with an e-mail address get an invitation with an iCalendar part, queued in
/// the same transaction. A time that overlaps another interview of one of the
/// interviewers is refused (409).
#[utoipa::path(
    post,
    path = "/candidates/{id}/interviews",
    tag = "scheduling",
    params(("id" = i64, Path, description = "The candidate")),
    request_body = InterviewBody,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 201, description = "The interview, booked", body = InterviewDto),
        (status = 401, body = Problem),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "An interviewer has another interview at an overlapping time", body = Problem),
        (status = 422, description = "An unknown stage or account, a time that is not one, a length out of range, no place or video link", body = Problem),
    )
)]
async fn schedule(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Json(body): Json<InterviewBody>,
) -> Outcome<Response> {
    let input = InterviewInput {
        stage: body.stage,
        start: body.start,
        minutes: body.minutes,
        interviewers: body.interviewers,
        place: body.place,
        video_link: body.video_link,
    };
    let booked = state
        .app
        .schedule_interview(&user.account(), CandidateId(id), &input)
        .await?;
    Ok(created(InterviewDto::new(&booked)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveInterviewBody {
    /// The new start: RFC 3339, or a date and time read as UTC.
    pub start: String,
    /// The new length, 15 to 480 minutes.
    pub minutes: i64,
}

/// Move an interview (hiring managers). Everyone invited gets an update of the
/// same calendar event (same UID, SEQUENCE raised). 409 when an interviewer is
/// busy at the new time, or the interview was cancelled.
#[utoipa::path(
    post,
    path = "/candidates/{id}/interviews/{interview}/move",
    tag = "scheduling",
    params(
        ("id" = i64, Path, description = "The candidate"),
        ("interview" = i64, Path, description = "The interview"),
    ),
    request_body = MoveInterviewBody,
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The interview at its new time", body = InterviewDto),
        (status = 401, body = Problem),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "An interviewer is busy then, or the interview was cancelled", body = Problem),
        (status = 422, description = "A time that is not one, or a length out of range", body = Problem),
    )
)]
async fn move_interview(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, interview)): Path<(i64, i64)>,
    Json(body): Json<MoveInterviewBody>,
) -> Outcome<Json<InterviewDto>> {
    let moved = state
        .app
        .move_interview(
            &user.account(),
            CandidateId(id),
            interview,
            &body.start,
            body.minutes,
        )
        .await?;
    Ok(Json(InterviewDto::new(&moved)))
}

/// Cancel an interview (hiring managers). Everyone invited gets a
/// METHOD:CANCEL for the same calendar event.
#[utoipa::path(
    post,
    path = "/candidates/{id}/interviews/{interview}/cancel",
    tag = "scheduling",
    params(
        ("id" = i64, Path, description = "The candidate"),
        ("interview" = i64, Path, description = "The interview"),
    ),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The interview, cancelled", body = InterviewDto),
        (status = 401, body = Problem),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "Already cancelled", body = Problem),
    )
)]
async fn cancel_interview(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, interview)): Path<(i64, i64)>,
) -> Outcome<Json<InterviewDto>> {
    let cancelled = state
        .app
        .cancel_interview(&user.account(), CandidateId(id), interview)
        .await?;
    Ok(Json(InterviewDto::new(&cancelled)))
}

/// A message in the outbox.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessageDto {
    pub id: i64,
    /// What caused it: portal-link, assigned, interview-scheduled, interview-moved,
    /// interview-cancelled, slots-offered, reminder, rejection, offer.
    pub kind: String,
    pub candidate: Option<i64>,
    pub recipient: String,
    pub recipient_name: String,
    pub subject: String,
    pub body: String,
    /// The iCalendar part of an invitation.
    pub calendar: Option<String>,
    /// pending, sending, sent or failed.
    pub state: String,
    pub attempts: i64,
    pub next_attempt_at: String,
    pub created_by: String,
    pub created_at: String,
    pub sent_at: Option<String>,
    pub last_error: Option<String>,
}

impl MessageDto {
    fn new(m: &MessageRecord) -> Self {
        MessageDto {
            id: m.id,
            kind: m.kind.clone(),
            candidate: m.candidate.map(|c| c.0),
            recipient: m.recipient.clone(),
            recipient_name: m.recipient_name.clone(),
            subject: m.subject.clone(),
            body: m.body.clone(),
            calendar: m.calendar.clone(),
            state: m.state.id().to_string(),
            attempts: m.attempts,
            next_attempt_at: at(m.next_attempt_at),
            created_by: m.created_by.clone(),
            created_at: at(m.created_at),
            sent_at: m.sent_at.map(at),
            last_error: m.last_error.clone(),
        }
    }
}

/// One delivery attempt.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttemptDto {
    pub attempt: i64,
    pub at: String,
    /// sent, failed (another attempt follows) or gave-up.
    pub outcome: String,
    /// The server's answer or the error.
    pub detail: String,
}

/// A message with its attempts.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessageDetail {
    pub message: MessageDto,
    pub attempts: Vec<AttemptDto>,
}

impl MessageDetail {
    fn new(v: &MessageView) -> Self {
        MessageDetail {
            message: MessageDto::new(&v.message),
            attempts: v
                .attempts
                .iter()
                .map(|a| AttemptDto {
                    attempt: a.attempt,
                    at: at(a.at),
                    outcome: a.outcome.clone(),
                    detail: a.detail.clone(),
                })
                .collect(),
        }
    }
}

/// The outbox, newest first (hiring managers).
#[utoipa::path(
    get,
    path = "/outbox",
    tag = "mail",
    security(("session" = [])),
    responses(
        (status = 200, description = "Up to the 500 newest messages", body = Vec<MessageDto>),
        (status = 401, body = Problem),
        (status = 403, body = Problem),
    )
)]
async fn outbox(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Outcome<Json<Vec<MessageDto>>> {
    let list = state.app.outbox(&user.account(), None).await?;
    Ok(Json(list.iter().map(MessageDto::new).collect()))
}

/// One message and its delivery attempts (hiring managers).
#[utoipa::path(
    get,
    path = "/outbox/{id}",
    tag = "mail",
    params(("id" = i64, Path, description = "The message")),
    security(("session" = [])),
    responses(
        (status = 200, description = "The message and its attempts", body = MessageDetail),
        (status = 401, body = Problem),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
    )
)]
async fn message(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Outcome<Json<MessageDetail>> {
    let view = state.app.outbox_message(&user.account(), id).await?;
    Ok(Json(MessageDetail::new(&view)))
}

/// Make a failed or waiting message due now (hiring managers). A message the
/// mail server accepted is never sent again (409).
#[utoipa::path(
    post,
    path = "/outbox/{id}/retry",
    tag = "mail",
    params(("id" = i64, Path, description = "The message")),
    security(("session" = [], "csrf" = [])),
    responses(
        (status = 200, description = "The message, due again", body = MessageDetail),
        (status = 401, body = Problem),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 409, description = "Already sent, or being sent right now", body = Problem),
    )
)]
async fn retry(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Outcome<Json<MessageDetail>> {
    let view = state.app.retry_message(&user.account(), id).await?;
    Ok(Json(MessageDetail::new(&view)))
}
