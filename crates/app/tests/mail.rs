//! Mail over real SMTP to a sink on a loopback port: the outbox is written with
//! the action, the worker delivers, retries with backoff and gives up, a crash
//! between claim and acknowledgement loses nothing and a sent message is not
//! sent again; invitations' iCalendar parts are read back with the `ical` crate.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

#[path = "support/smtp_sink.rs"]
mod smtp_sink;

use jiff::{SignedDuration, Timestamp};
use multiplier_app::mail::worker::{Delivery, LEASE};
use multiplier_app::{Account, Actor, App, AppError, CandidateInput, InterviewInput, SmtpConfig};
use multiplier_core::{Framework, Role};
use multiplier_store::testing::TestDb;
use multiplier_store::{AccountRole, CandidateId, MessageState};
use smtp_sink::{Mode, Sink, calendar_part, unquote};
use std::sync::Arc;

const PASSWORD: &str = "correct horse battery";

async fn app(db: &TestDb) -> App {
    let store = db.open().await;
    let app = App::new(store, Arc::new(Framework::default_framework().unwrap()));
    for (name, role, email) in [
        ("priya", AccountRole::Admin, "priya@example.com"),
        ("ana", AccountRole::Interviewer, "ana@example.com"),
        ("ivo", AccountRole::Interviewer, "ivo@example.org"),
    ] {
        app.add_account(&Actor::Operator, name, role, PASSWORD)
            .await
            .unwrap();
        app.set_email(&Actor::Operator, name, Some(email))
            .await
            .unwrap();
    }
    app
}

fn account(name: &str, role: AccountRole) -> Account {
    Account {
        name: name.into(),
        role,
    }
}

fn priya() -> Account {
    account("priya", AccountRole::Admin)
}

async fn candidate(app: &App) -> CandidateId {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/roles/payments-player-coach.toml"
    ))
    .unwrap();
    let role = Role::parse(app.framework(), "payments", &text).unwrap();
    let opening = app.open_role(&priya(), &role, None).await.unwrap().1;
    app.add_candidate(
        &priya(),
        opening,
        &CandidateInput {
            name: "Dana Example".into(),
            email: Some("dana@example.org".into()),
            ..CandidateInput::default()
        },
    )
    .await
    .unwrap()
}

fn smtp(sink: &Sink) -> SmtpConfig {
    SmtpConfig::parse(&sink.url()).unwrap()
}

/// Deliver everything due at `now`; returns how many attempts were made.
async fn drain(app: &App, smtp: &SmtpConfig, now: Timestamp) -> usize {
    let mut n = 0;
    while app.deliver_due(smtp, now).await.unwrap().is_some() {
        n += 1;
    }
    n
}

multiplier_store::each_backend! {
    async fn the_portal_link_goes_out_over_smtp_once_and_is_never_logged(db) {
        // Capture every log line the use cases and the worker write from here on.
        let logs = captured_logs();
        let start = logs.lock().unwrap().len();

        let sink = Sink::start().await;
        let app = app(&db).await;
        let id = candidate(&app).await;
        let issued = app
            .create_link(&priya(), id, "invoice-search", 14)
            .await
            .unwrap();
        let queued = app.outbox(&priya(), None).await.unwrap();
        assert_eq!(
            queued.len(),
            1,
            "the link's message is queued with the link"
        );
        assert_eq!(queued[0].state, MessageState::Pending);
        assert_eq!(queued[0].kind, "portal-link");

        let now = Timestamp::now();
        assert_eq!(drain(&app, &smtp(&sink), now).await, 1);
        let got = sink.messages();
        assert_eq!(got.len(), 1);
        assert!(got[0].to[0].contains("dana@example.org"));
        let body = unquote(&got[0].data);
        assert!(body.contains(&format!("/c/{}", issued.token)), "{body}");
        assert!(body.contains("Subject: Your next steps for"));

        let view = app.outbox_message(&priya(), queued[0].id).await.unwrap();
        assert_eq!(view.message.state, MessageState::Sent);
        assert_eq!(view.attempts.len(), 1);
        assert_eq!(view.attempts[0].outcome, "sent");
        assert!(view.attempts[0].detail.starts_with("250"));
        // Sent is final: no later run sends it again, and retry is refused.
        assert_eq!(
            drain(&app, &smtp(&sink), now + SignedDuration::from_hours(48)).await,
            0
        );
        assert!(matches!(
            app.retry_message(&priya(), queued[0].id).await,
            Err(AppError::Conflict(_))
        ));
        assert_eq!(sink.messages().len(), 1);

        let logged = String::from_utf8_lossy(&logs.lock().unwrap()[start..]).into_owned();
        assert!(
            logged.contains("mail sent"),
            "the worker logs its outcome: {logged}"
        );
        assert!(
            !logged.contains(&issued.token),
            "the link never reaches the logs"
        );
        assert!(!logged.contains("dana@example.org"));
    }
}

/// Every log line of this test binary from the first call on. The subscriber
/// is global (so the callsites' cached interest cannot hide lines written on
/// another thread) and so installed once: both backends' runs of a scenario
/// share it, each reading what was written after it started.
fn captured_logs() -> Arc<std::sync::Mutex<Vec<u8>>> {
    static LOGS: std::sync::OnceLock<Arc<std::sync::Mutex<Vec<u8>>>> = std::sync::OnceLock::new();
    Arc::clone(LOGS.get_or_init(|| {
        let logs = Arc::new(std::sync::Mutex::new(Vec::<u8>::new()));
        let writer = {
            let logs = Arc::clone(&logs);
            move || LogWriter(Arc::clone(&logs))
        };
        let subscriber = tracing_subscriber::fmt()
            .with_writer(writer)
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .finish();
        tracing::subscriber::set_global_default(subscriber).unwrap();
        logs
    }))
}

struct LogWriter(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

multiplier_store::each_backend! {
    async fn a_worker_that_dies_after_claiming_loses_nothing_and_sends_once(db) {
        let sink = Sink::start().await;
        let app = app(&db).await;
        let id = candidate(&app).await;
        app.assign(&priya(), id, "leadership", "ana").await.unwrap();
        let now = Timestamp::now();
        // A worker claims the message and dies before handing it over.
        let claimed = app.claim_message(now).await.unwrap().unwrap();
        assert_eq!(claimed.kind, "assigned");
        // While its claim lasts nobody else takes it…
        assert!(app.deliver_due(&smtp(&sink), now).await.unwrap().is_none());
        assert!(sink.messages().is_empty());
        // …and once the claim lapses the next worker delivers it.
        let later = now + LEASE + SignedDuration::from_secs(1);
        let (mid, d) = app.deliver_due(&smtp(&sink), later).await.unwrap().unwrap();
        assert_eq!(mid, claimed.id);
        assert!(matches!(d, Delivery::Accepted(_)));
        assert_eq!(sink.messages().len(), 1);
        // The dead worker's late acknowledgement would be refused: its attempt is
        // no longer the current claim. Nothing is sent twice afterwards.
        assert_eq!(drain(&app, &smtp(&sink), later + LEASE * 3).await, 0);
        assert_eq!(sink.messages().len(), 1);
        let view = app.outbox_message(&priya(), claimed.id).await.unwrap();
        assert_eq!(view.message.state, MessageState::Sent);
        assert_eq!(view.message.attempts, 2, "the lost attempt is counted");
        // Assigning again changes nothing and sends nothing.
        app.assign(&priya(), id, "leadership", "ana").await.unwrap();
        assert_eq!(app.outbox(&priya(), None).await.unwrap().len(), 1);
    }
}

multiplier_store::each_backend! {
    async fn refusals_back_off_give_up_and_an_admin_retries(db) {
        let sink = Sink::start().await;
        let app = app(&db).await;
        let id = candidate(&app).await;
        app.assign(&priya(), id, "leadership", "ana").await.unwrap();
        let s = smtp(&sink);
        sink.set_mode(Mode::Transient);
        let now = Timestamp::now();
        let (mid, d) = app.deliver_due(&s, now).await.unwrap().unwrap();
        assert!(matches!(d, Delivery::Transient(_)), "{d:?}");
        let m = app.outbox_message(&priya(), mid).await.unwrap().message;
        assert_eq!(m.state, MessageState::Pending);
        assert_eq!(
            m.next_attempt_at.as_second(),
            (now + SignedDuration::from_secs(60)).as_second()
        );
        // Not due before its backoff…
        assert!(
            app.deliver_due(&s, now + SignedDuration::from_secs(30))
                .await
                .unwrap()
                .is_none()
        );
        // …the second failure waits twice as long.
        let t2 = now + SignedDuration::from_secs(61);
        app.deliver_due(&s, t2).await.unwrap().unwrap();
        let m = app.outbox_message(&priya(), mid).await.unwrap().message;
        assert_eq!(
            m.next_attempt_at.as_second(),
            (t2 + SignedDuration::from_secs(120)).as_second()
        );
        // A permanent refusal gives up at once.
        sink.set_mode(Mode::Permanent);
        let (_, d) = app
            .deliver_due(&s, t2 + SignedDuration::from_secs(121))
            .await
            .unwrap()
            .unwrap();
        assert!(matches!(d, Delivery::Permanent(_)));
        let view = app.outbox_message(&priya(), mid).await.unwrap();
        assert_eq!(view.message.state, MessageState::Failed);
        let outcomes: Vec<&str> = view.attempts.iter().map(|a| a.outcome.as_str()).collect();
        assert_eq!(outcomes, ["failed", "failed", "gave-up"]);
        // An interviewer may not see or retry the outbox; an admin may retry.
        let ana = account("ana", AccountRole::Interviewer);
        assert!(matches!(
            app.outbox(&ana, None).await,
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            app.retry_message(&ana, mid).await,
            Err(AppError::Forbidden(_))
        ));
        sink.set_mode(Mode::Accept);
        app.retry_message(&priya(), mid).await.unwrap();
        assert_eq!(drain(&app, &s, Timestamp::now()).await, 1);
        assert_eq!(sink.messages().len(), 1);
    }
}

fn ical_props(text: &str) -> (Option<String>, Vec<(String, String)>) {
    let mut reader = ical::IcalParser::new(text.as_bytes());
    let cal = reader.next().expect("a calendar").expect("it parses");
    let method = cal
        .properties
        .iter()
        .find(|p| p.name == "METHOD")
        .and_then(|p| p.value.clone());
    assert_eq!(cal.events.len(), 1);
    let props = cal.events[0]
        .properties
        .iter()
        .map(|p| (p.name.clone(), p.value.clone().unwrap_or_default()))
        .collect();
    (method, props)
}

fn prop<'a>(props: &'a [(String, String)], name: &str) -> &'a str {
    props
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no {name} in {props:?}"))
}

multiplier_store::each_backend! {
    async fn invitations_moves_and_cancellations_update_one_calendar_event(db) {
        let sink = Sink::start().await;
        let app = app(&db).await;
        let id = candidate(&app).await;
        let input = InterviewInput {
            stage: "leadership".into(),
            start: "2031-03-04T14:00:00Z".into(),
            minutes: 60,
            interviewers: vec!["ana".into(), "ivo".into()],
            place: "Room 4, Main St; second floor".into(),
            video_link: String::new(),
        };
        let booked = app.schedule_interview(&priya(), id, &input).await.unwrap();
        assert_eq!(booked.sequence, 0);
        let s = smtp(&sink);
        assert_eq!(
            drain(&app, &s, Timestamp::now()).await,
            3,
            "candidate and two interviewers"
        );
        let first = sink.messages();
        let ics = calendar_part(&first[0].data).expect("a calendar part");
        let (method, props) = ical_props(&ics);
        assert_eq!(method.as_deref(), Some("REQUEST"));
        assert_eq!(prop(&props, "UID"), booked.uid);
        assert_eq!(prop(&props, "SEQUENCE"), "0");
        assert_eq!(prop(&props, "DTSTART"), "20310304T140000Z");
        assert_eq!(prop(&props, "DTEND"), "20310304T150000Z");
        assert_eq!(
            prop(&props, "LOCATION"),
            "Room 4\\, Main St\\; second floor"
        );
        assert_eq!(props.iter().filter(|(n, _)| n == "ATTENDEE").count(), 3);

        let moved = app
            .move_interview(&priya(), id, booked.id, "2031-03-05T09:30", 45)
            .await
            .unwrap();
        assert_eq!(moved.sequence, 1);
        assert_eq!(drain(&app, &s, Timestamp::now()).await, 3);
        let (method, props) = ical_props(&calendar_part(&sink.messages()[3].data).unwrap());
        assert_eq!(method.as_deref(), Some("REQUEST"));
        assert_eq!(prop(&props, "UID"), booked.uid, "the same event");
        assert_eq!(prop(&props, "SEQUENCE"), "1");
        assert_eq!(prop(&props, "DTSTART"), "20310305T093000Z");
        assert_eq!(prop(&props, "DTEND"), "20310305T101500Z");

        app.cancel_interview(&priya(), id, booked.id).await.unwrap();
        assert_eq!(drain(&app, &s, Timestamp::now()).await, 3);
        let (method, props) = ical_props(&calendar_part(&sink.messages()[6].data).unwrap());
        assert_eq!(method.as_deref(), Some("CANCEL"));
        assert_eq!(prop(&props, "UID"), booked.uid);
        assert_eq!(prop(&props, "SEQUENCE"), "2");
        assert_eq!(prop(&props, "STATUS"), "CANCELLED");
        // A cancelled interview cannot be moved.
        assert!(matches!(
            app.move_interview(&priya(), id, booked.id, "2031-03-06T09:00Z", 30)
                .await,
            Err(AppError::Conflict(_))
        ));
    }
}

multiplier_store::each_backend! {
    async fn an_overlap_with_an_interviewers_other_interview_is_refused(db) {
        let app = app(&db).await;
        let a = candidate(&app).await;
        let b = candidate(&app).await;
        let at = |start: &str, who: &[&str]| InterviewInput {
            stage: "leadership".into(),
            start: start.into(),
            minutes: 60,
            interviewers: who.iter().map(|s| s.to_string()).collect(),
            place: String::new(),
            video_link: "https://video.example.org/r/1".into(),
        };
        app.schedule_interview(&priya(), a, &at("2031-03-04T14:00:00Z", &["ana"]))
            .await
            .unwrap();
        let clash = app
            .schedule_interview(&priya(), b, &at("2031-03-04T14:30:00Z", &["ivo", "ana"]))
            .await;
        assert!(
            matches!(clash, Err(AppError::Conflict(ref m)) if m.contains("ana")),
            "{clash:?}"
        );
        // Back to back is fine, and so is another interviewer at the same time.
        app.schedule_interview(&priya(), b, &at("2031-03-04T15:00:00Z", &["ana"]))
            .await
            .unwrap();
        app.schedule_interview(&priya(), b, &at("2031-03-04T14:00:00Z", &["ivo"]))
            .await
            .unwrap();

        // The candidate picks an offered slot in the portal; a slot that clashes
        // with an interview booked meanwhile is refused.
        let slots = app
            .offer_slots(
                &priya(),
                a,
                &[
                    at("2031-03-04T14:15:00Z", &["ivo"]),
                    at("2031-03-06T10:00:00Z", &["ivo"]),
                ],
            )
            .await
            .unwrap();
        assert_eq!(slots.len(), 2);
        let link = app
            .create_link(&priya(), a, "invoice-search", 14)
            .await
            .unwrap();
        let visit = app.visit(&link.token).await.unwrap();
        let pick = app.portal_slots(&visit).await.unwrap();
        assert_eq!(pick.open.len(), 2);
        assert!(matches!(
            app.pick_slot(&visit, slots[0].id).await,
            Err(AppError::Conflict(_))
        ));
        let booked = app.pick_slot(&visit, slots[1].id).await.unwrap();
        assert_eq!(booked.interviewers, ["ivo"]);
        assert!(
            app.portal_slots(&visit).await.unwrap().open.is_empty(),
            "one pick per stage"
        );
        // Another candidate's slot is not found through this link.
        assert!(matches!(
            app.pick_slot(&visit, 999).await,
            Err(AppError::NotFound(_))
        ));
    }
}

multiplier_store::each_backend! {
    async fn reminders_are_queued_once_for_missing_scorecards(db) {
        let app = app(&db).await;
        let id = candidate(&app).await;
        let start = Timestamp::now() - SignedDuration::from_hours(24 * 5);
        app.schedule_interview(
            &priya(),
            id,
            &InterviewInput {
                stage: "leadership".into(),
                start: start.to_string(),
                minutes: 60,
                interviewers: vec!["ana".into(), "ivo".into()],
                place: "Room 4".into(),
                video_link: String::new(),
            },
        )
        .await
        .unwrap();
        // Too early: the interview ended five days ago, reminders wait two days
        // (framework/mail.toml), so at "now minus four days" nothing is due.
        assert_eq!(
            app.queue_reminders(Timestamp::now() - SignedDuration::from_hours(24 * 4))
                .await
                .unwrap(),
            0
        );
        assert_eq!(app.queue_reminders(Timestamp::now()).await.unwrap(), 2);
        assert_eq!(
            app.queue_reminders(Timestamp::now()).await.unwrap(),
            0,
            "once only"
        );
        let reminders: Vec<_> = app
            .outbox(&priya(), None)
            .await
            .unwrap()
            .into_iter()
            .filter(|m| m.kind == "reminder")
            .collect();
        assert_eq!(reminders.len(), 2);
    }
}

multiplier_store::each_backend! {
    async fn a_rejection_is_drafted_previewed_and_sent_as_the_manager_wrote_it(db) {
        let app = app(&db).await;
        let id = candidate(&app).await;
        let draft = app.rejection_draft(&priya(), id).await.unwrap();
        assert_eq!(draft.to, "dana@example.org");
        assert!(draft.body.contains("Dana Example"));
        let edited = format!("{}\n\nP.S. Thank you for the review exercise.", draft.body);
        let preview = app
            .preview_rejection(&priya(), id, &draft.subject, &edited)
            .await
            .unwrap();
        assert!(preview.body.ends_with("review exercise."));
        assert!(
            app.outbox(&priya(), None).await.unwrap().is_empty(),
            "a preview sends nothing"
        );
        let empty = app.send_rejection(&priya(), id, "", "").await;
        assert!(matches!(empty, Err(AppError::Invalid { ref problems, .. }) if problems.len() == 2));
        let ana = account("ana", AccountRole::Interviewer);
        assert!(app.send_rejection(&ana, id, "s", "b").await.is_err());
        let sent = app
            .send_rejection(&priya(), id, &draft.subject, &edited)
            .await
            .unwrap();
        assert_eq!(sent.kind, "rejection");
        assert_eq!(sent.body, edited.trim());
        // Erasure takes every message about the candidate with it.
        app.erase_candidate(
            &priya(),
            id,
            true,
            Some(multiplier_app::ErasureReason::Withdrawn),
        )
        .await
        .unwrap();
        assert!(app.outbox(&priya(), None).await.unwrap().is_empty());
    }
}

multiplier_store::each_backend! {
    async fn addresses_are_checked_and_the_templates_preview(db) {
        let app = app(&db).await;
        assert!(matches!(
            app.set_email(&Actor::Operator, "ana", Some("not an address"))
                .await,
            Err(AppError::Invalid { .. })
        ));
        let ana = account("ana", AccountRole::Interviewer);
        assert!(
            app.set_email(&Actor::Account(ana.clone()), "ana", Some("ana@example.org"))
                .await
                .is_ok()
        );
        assert!(matches!(
            app.set_email(&Actor::Account(ana.clone()), "ivo", None)
                .await,
            Err(AppError::Forbidden(_))
        ));
        let previews = app.template_previews(&priya()).unwrap();
        assert_eq!(previews.len(), multiplier_app::mail::KINDS.len());
        assert!(previews.iter().all(|p| !p.body.contains("{candidate}")));
        assert!(app.template_previews(&ana).is_err());
    }
}
