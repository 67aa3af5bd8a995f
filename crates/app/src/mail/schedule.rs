//! Scheduling: hiring managers book, move and cancel interviews, or offer
//! slots that the candidate picks in the portal. Each booking, move and
//! cancellation queues an invitation with its calendar part to the candidate
//! and every interviewer who has an address, in the same transaction. A time
//! that overlaps another interview of one of the interviewers is refused inside
//! that transaction, so two bookings at once cannot both pass.

use super::ical::{Invitation, calendar};
use super::when;
use crate::actor::{Account, Visit};
use crate::error::{AppError, AppResult, FieldProblem};
use crate::limits::MAX_SHORT_CHARS;
use crate::{App, require_admin};
use jiff::{SignedDuration, Timestamp};
use multiplier_store::{
    CandidateId, CandidateRecord, InterviewChange, InterviewRecord, MailStore, NewInterview,
    NewMessage, NewSlot, SlotRecord,
};
use serde::{Deserialize, Serialize};

/// An interview (or an offered slot) as an edge gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct InterviewInput {
    pub stage: String,
    /// RFC 3339 (`2031-03-04T14:00:00Z`), or `2031-03-04T14:00` read as UTC.
    pub start: String,
    pub minutes: i64,
    pub interviewers: Vec<String>,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub video_link: String,
}

/// A slot to offer has the same fields as an interview.
pub type SlotInput = InterviewInput;

/// A booked interview as staff and the candidate see it.
pub type InterviewView = InterviewRecord;

/// The slots a candidate may pick from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SlotPick {
    pub open: Vec<SlotRecord>,
    /// Interviews already booked for the candidate (not cancelled).
    pub booked: Vec<InterviewRecord>,
}

/// Parse a start time: RFC 3339, or a civil date-time read as UTC.
pub fn parse_start(raw: &str) -> Result<Timestamp, String> {
    let raw = raw.trim();
    raw.parse::<Timestamp>()
        .or_else(|_| format!("{raw}Z").parse::<Timestamp>())
        .map_err(|_| format!("`{raw}` is not a time; write it like 2031-03-04T14:00:00Z (UTC)"))
}

struct Checked {
    stage: String,
    starts_at: Timestamp,
    ends_at: Timestamp,
    interviewers: Vec<String>,
    place: String,
    video_link: String,
}

fn new_uid() -> String {
    format!(
        "{}@multiplier",
        crate::portal::new_token().get(..32).unwrap_or_default()
    )
}

impl App {
    async fn check_interview(&self, input: &InterviewInput) -> AppResult<Checked> {
        let mut problems = Vec::new();
        let stage = input.stage.trim().to_string();
        if self.framework.stage(&stage).is_none() {
            let ids: Vec<&str> = self
                .framework
                .stages
                .iter()
                .map(|s| s.id.as_str())
                .collect();
            problems.push(FieldProblem::new(
                "stage",
                format!("`{stage}` is not a stage; use one of {}", ids.join(", ")),
            ));
        }
        let starts_at = match parse_start(&input.start) {
            Ok(t) => Some(t),
            Err(m) => {
                problems.push(FieldProblem::new("start", m));
                None
            }
        };
        if !(15..=480).contains(&input.minutes) {
            problems.push(FieldProblem::new(
                "minutes",
                "an interview lasts from 15 to 480 minutes",
            ));
        }
        let mut interviewers: Vec<String> = input
            .interviewers
            .iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        interviewers.sort();
        interviewers.dedup();
        if interviewers.is_empty() {
            problems.push(FieldProblem::new(
                "interviewers",
                "name at least one interviewer",
            ));
        }
        for name in &interviewers {
            if self.account(name).await?.is_none() {
                problems.push(FieldProblem::new(
                    "interviewers",
                    format!("there is no account called `{name}`"),
                ));
            }
        }
        let place = input.place.trim().to_string();
        let video_link = input.video_link.trim().to_string();
        if place.is_empty() && video_link.is_empty() {
            problems.push(FieldProblem::new("place", "give a place or a video link"));
        }
        if place.chars().count() > MAX_SHORT_CHARS || place.contains(['\r', '\n']) {
            problems.push(FieldProblem::new(
                "place",
                format!("a place is one line of at most {MAX_SHORT_CHARS} characters"),
            ));
        }
        if !video_link.is_empty()
            && (!(video_link.starts_with("https://") || video_link.starts_with("http://"))
                || video_link.chars().count() > 500
                || video_link.chars().any(char::is_whitespace))
        {
            problems.push(FieldProblem::new(
                "video_link",
                "a video link is an http(s):// address without spaces",
            ));
        }
        AppError::check("the interview", problems)?;
        let starts_at = starts_at.ok_or_else(|| AppError::Internal("no start".into()))?;
        Ok(Checked {
            stage,
            ends_at: starts_at + SignedDuration::from_mins(input.minutes),
            starts_at,
            interviewers,
            place,
            video_link,
        })
    }

    /// One message per recipient (the candidate and each interviewer with an
    /// address), each carrying the same calendar event.
    #[allow(clippy::too_many_arguments)]
    async fn invitations(
        &self,
        kind: &str,
        candidate: &CandidateRecord,
        opening: &str,
        i: &Checked,
        uid: &str,
        sequence: i64,
    ) -> AppResult<Vec<NewMessage>> {
        let mut people: Vec<(String, String)> = Vec::new();
        if let Some(e) = &candidate.email {
            people.push((candidate.name.clone(), e.clone()));
        }
        for name in &i.interviewers {
            if let Some(e) = self.address_of(name).await? {
                people.push((name.clone(), e));
            }
        }
        let place = if i.video_link.is_empty() {
            i.place.clone()
        } else if i.place.is_empty() {
            i.video_link.clone()
        } else {
            format!("{} ({})", i.place, i.video_link)
        };
        let minutes = (i.ends_at.duration_since(i.starts_at).as_secs() / 60).to_string();
        let with = i.interviewers.join(", ");
        let summary = format!("Interview: {} ({opening})", i.stage);
        let ics = calendar(&Invitation {
            uid,
            sequence,
            cancel: kind == "interview-cancelled",
            summary: &summary,
            description: &format!("{} interview for {opening} with {with}", i.stage),
            location: &place,
            starts_at: i.starts_at,
            ends_at: i.ends_at,
            organizer: &self.mail.from,
            attendees: &people,
            stamp: Timestamp::now(),
        });
        people
            .iter()
            .map(|(name, address)| {
                let mut m = self.compose(
                    kind,
                    Some(candidate.id),
                    (name, address),
                    &[
                        ("recipient", name),
                        ("candidate", &candidate.name),
                        ("opening", opening),
                        ("stage", &i.stage),
                        ("start", &when(i.starts_at)),
                        ("minutes", &minutes),
                        ("where", &place),
                        ("interviewers", &with),
                    ],
                )?;
                m.calendar = Some(ics.clone());
                Ok(m)
            })
            .collect()
    }

    /// Book an interview for a candidate (hiring managers) and invite everyone.
    pub async fn schedule_interview(
        &self,
        account: &Account,
        id: CandidateId,
        input: &InterviewInput,
    ) -> AppResult<InterviewRecord> {
        let s = self.subject(account, id).await?;
        require_admin(account, "schedule interviews")?;
        let i = self.check_interview(input).await?;
        let uid = new_uid();
        let mail = self
            .invitations(
                "interview-scheduled",
                &s.candidate,
                &s.opening.title,
                &i,
                &uid,
                0,
            )
            .await?;
        Ok(self
            .store
            .schedule_interview(
                &account.name,
                &NewInterview {
                    candidate: id,
                    stage: i.stage,
                    starts_at: i.starts_at,
                    ends_at: i.ends_at,
                    place: i.place,
                    video_link: i.video_link,
                    interviewers: i.interviewers,
                    uid,
                },
                &mail,
            )
            .await?)
    }

    async fn own_interview(&self, id: CandidateId, interview: i64) -> AppResult<InterviewRecord> {
        self.store
            .interview(interview)
            .await?
            .filter(|i| i.candidate == id)
            .ok_or_else(|| {
                AppError::NotFound(format!("candidate {id} has no interview {interview}"))
            })
    }

    /// Move an interview to a new start and length (hiring managers); the
    /// update carries the same calendar UID with a higher SEQUENCE.
    pub async fn move_interview(
        &self,
        account: &Account,
        id: CandidateId,
        interview: i64,
        start: &str,
        minutes: i64,
    ) -> AppResult<InterviewRecord> {
        let s = self.subject(account, id).await?;
        require_admin(account, "move interviews")?;
        let current = self.own_interview(id, interview).await?;
        let i = self
            .check_interview(&InterviewInput {
                stage: current.stage.clone(),
                start: start.to_string(),
                minutes,
                interviewers: current.interviewers.clone(),
                place: current.place.clone(),
                video_link: current.video_link.clone(),
            })
            .await?;
        let mail = self
            .invitations(
                "interview-moved",
                &s.candidate,
                &s.opening.title,
                &i,
                &current.uid,
                current.sequence + 1,
            )
            .await?;
        Ok(self
            .store
            .change_interview(
                &account.name,
                interview,
                current.sequence,
                &InterviewChange::Move {
                    starts_at: i.starts_at,
                    ends_at: i.ends_at,
                },
                &mail,
            )
            .await?)
    }

    /// Cancel an interview (hiring managers); everyone invited gets a
    /// METHOD:CANCEL for the same event.
    pub async fn cancel_interview(
        &self,
        account: &Account,
        id: CandidateId,
        interview: i64,
    ) -> AppResult<InterviewRecord> {
        let s = self.subject(account, id).await?;
        require_admin(account, "cancel interviews")?;
        let current = self.own_interview(id, interview).await?;
        let i = Checked {
            stage: current.stage.clone(),
            starts_at: current.starts_at,
            ends_at: current.ends_at,
            interviewers: current.interviewers.clone(),
            place: current.place.clone(),
            video_link: current.video_link.clone(),
        };
        let mail = self
            .invitations(
                "interview-cancelled",
                &s.candidate,
                &s.opening.title,
                &i,
                &current.uid,
                current.sequence + 1,
            )
            .await?;
        Ok(self
            .store
            .change_interview(
                &account.name,
                interview,
                current.sequence,
                &InterviewChange::Cancel,
                &mail,
            )
            .await?)
    }

    /// A candidate's interviews, by start (anyone who sees the candidate).
    pub async fn interviews(
        &self,
        account: &Account,
        id: CandidateId,
    ) -> AppResult<Vec<InterviewRecord>> {
        self.subject(account, id).await?;
        Ok(self.store.interviews(id).await?)
    }

    /// Offer times for one interview (hiring managers); the candidate is told
    /// to pick one on their page.
    pub async fn offer_slots(
        &self,
        account: &Account,
        id: CandidateId,
        slots: &[SlotInput],
    ) -> AppResult<Vec<SlotRecord>> {
        let s = self.subject(account, id).await?;
        require_admin(account, "offer interview times")?;
        if slots.is_empty() || slots.len() > 20 {
            return Err(AppError::field(
                "the slots",
                "slots",
                "offer from 1 to 20 times",
            ));
        }
        let mut new = Vec::new();
        for input in slots {
            let i = self.check_interview(input).await?;
            new.push(NewSlot {
                candidate: id,
                stage: i.stage,
                starts_at: i.starts_at,
                ends_at: i.ends_at,
                place: i.place,
                video_link: i.video_link,
                interviewers: i.interviewers,
            });
        }
        let mut mail = Vec::new();
        if let Some(to) = s.candidate.email.as_deref() {
            mail.push(self.compose(
                "slots-offered",
                Some(id),
                (&s.candidate.name, to),
                &[
                    ("candidate", &s.candidate.name),
                    ("opening", &s.opening.title),
                    ("stage", &new[0].stage),
                ],
            )?);
        }
        self.store.offer_slots(&account.name, &new, &mail).await?;
        Ok(self.store.slots(id).await?)
    }

    /// The times the candidate may still pick, and what is booked.
    pub async fn portal_slots(&self, visit: &Visit) -> AppResult<SlotPick> {
        let id = visit.candidate.id;
        let booked: Vec<InterviewRecord> = self
            .store
            .interviews(id)
            .await?
            .into_iter()
            .filter(|i| i.cancelled_at.is_none())
            .collect();
        let all = self.store.slots(id).await?;
        let now = Timestamp::now();
        let open = all
            .iter()
            .filter(|s| s.taken_by.is_none() && s.starts_at > now)
            .filter(|s| {
                !all.iter()
                    .any(|o| o.stage == s.stage && o.taken_by.is_some())
            })
            .cloned()
            .collect();
        Ok(SlotPick { open, booked })
    }

    /// The candidate picks an offered time: the interview is booked and
    /// everyone invited, unless an interviewer is no longer free then.
    pub async fn pick_slot(&self, visit: &Visit, slot: i64) -> AppResult<InterviewRecord> {
        let id = visit.candidate.id;
        let found = self
            .store
            .slots(id)
            .await?
            .into_iter()
            .find(|s| s.id == slot)
            .ok_or_else(|| AppError::NotFound(format!("there is no time {slot} to pick")))?;
        let opening = self.store_opening_title(visit.candidate.opening).await?;
        let i = Checked {
            stage: found.stage.clone(),
            starts_at: found.starts_at,
            ends_at: found.ends_at,
            interviewers: found.interviewers.clone(),
            place: found.place.clone(),
            video_link: found.video_link.clone(),
        };
        let uid = new_uid();
        let mail = self
            .invitations(
                "interview-scheduled",
                &visit.candidate,
                &opening,
                &i,
                &uid,
                0,
            )
            .await?;
        Ok(self
            .store
            .take_slot(multiplier_store::PORTAL_ACTOR, slot, &uid, &mail)
            .await?)
    }

    async fn store_opening_title(&self, opening: multiplier_store::OpeningId) -> AppResult<String> {
        use multiplier_store::HiringStore;
        Ok(self
            .store
            .opening(opening)
            .await?
            .map(|o| o.title)
            .unwrap_or_default())
    }
}
