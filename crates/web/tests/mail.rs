//! Mail and scheduling through the web: book over the API (overlaps refused),
//! read the outbox and a message with its calendar part, write a rejection
//! through draft → preview → send, preview the templates, and let the candidate
//! pick an offered time in the portal.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod support;

use multiplier_store::CandidateId;
use serde_json::json;
use support::TestApp;

multiplier_store::each_backend! {
    async fn interviews_outbox_rejection_and_a_picked_slot(db) {
        let app = TestApp::with_demo_on(db).await;
        let hm = app.login("priya").await;

        // Book over the API: the invitations are queued with the booking.
        let booked = hm
            .post_json(
                "/api/v1/candidates/3/interviews",
                &json!({"stage": "technical-depth", "start": "2031-03-04T14:00:00Z", "minutes": 60,
                    "interviewers": ["marco"], "video_link": "https://video.example.org/r/1"}),
            )
            .await;
        assert_eq!(booked.status, 201, "{}", booked.body);
        let uid = booked.json()["uid"].as_str().unwrap().to_string();
        assert_eq!(booked.json()["sequence"], 0);
        // marco is busy then: another candidate at an overlapping time is refused.
        let clash = hm
            .post_json(
                "/api/v1/candidates/4/interviews",
                &json!({"stage": "technical-depth", "start": "2031-03-04T14:30:00Z", "minutes": 30,
                    "interviewers": ["marco"], "place": "Room 2"}),
            )
            .await;
        assert_eq!(clash.status, 409, "{}", clash.body);
        assert!(clash.body.contains("marco"));
        // Moving keeps the event's UID and raises its SEQUENCE.
        let iid = booked.json()["id"].as_i64().unwrap();
        let moved = hm
            .post_json(
                &format!("/api/v1/candidates/3/interviews/{iid}/move"),
                &json!({"start": "2031-03-04T16:00:00Z", "minutes": 45}),
            )
            .await;
        assert_eq!(moved.status, 200, "{}", moved.body);
        assert_eq!(moved.json()["uid"], uid.as_str());
        assert_eq!(moved.json()["sequence"], 1);
        // marco is free at 14:30 now.
        let free = hm
            .post_json(
                "/api/v1/candidates/4/interviews",
                &json!({"stage": "technical-depth", "start": "2031-03-04T14:30:00Z", "minutes": 30,
                    "interviewers": ["marco"], "place": "Room 2"}),
            )
            .await;
        assert_eq!(free.status, 201, "{}", free.body);
        let cancelled = hm
            .send_json(
                reqwest::Method::POST,
                &format!(
                    "/api/v1/candidates/4/interviews/{}/cancel",
                    free.json()["id"]
                ),
                &json!(null),
            )
            .await;
        assert_eq!(cancelled.status, 200, "{}", cancelled.body);
        assert!(cancelled.json()["cancelled_at"].is_string());

        let outbox = hm.get("/api/v1/outbox").await.json();
        let invites: Vec<_> = outbox
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["kind"] == "interview-scheduled" && m["candidate"] == 3)
            .collect();
        assert_eq!(invites.len(), 2, "the candidate and marco: {outbox}");
        assert!(
            invites.iter().all(|m| m["state"] == "pending"),
            "no SMTP: they wait"
        );
        let id = invites[0]["id"].as_i64().unwrap();
        let page = hm.get(&format!("/admin/outbox/{id}")).await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("BEGIN:VCALENDAR") && page.body.contains(&uid));
        let list = hm.get("/admin/outbox").await;
        assert!(list.body.contains("Interview booked"));
        // Interviewers do not read the outbox.
        let marco = app.login("marco").await;
        assert_eq!(marco.get("/admin/outbox").await.status, 403);
        assert_eq!(marco.get("/api/v1/outbox").await.status, 403);

        // The templates, previewed with example values.
        let templates = hm.get("/admin/mail/templates").await;
        for kind in multiplier_app::mail::KINDS {
            assert!(templates.body.contains(&format!("id=\"{kind}\"")), "{kind}");
        }

        // A rejection: the suggestion, the manager's edit previewed, then sent.
        let queued = hm
            .get("/api/v1/outbox")
            .await
            .json()
            .as_array()
            .unwrap()
            .len();
        let draft = hm.get("/candidates/3/rejection").await;
        assert_eq!(draft.status, 200);
        assert!(draft.body.contains("textarea"));
        let body = "Dear Lucía,\n\nThank you. We will not go on this time.\n\nPriya";
        let preview = hm
            .post_form(
                "/candidates/3/rejection",
                &[
                    ("subject", "Your application"),
                    ("body", body),
                    ("action", "preview"),
                ],
            )
            .await;
        assert_eq!(preview.status, 200);
        assert!(preview.body.contains("id=\"preview\"") && preview.body.contains("value=\"send\""));
        let now = hm
            .get("/api/v1/outbox")
            .await
            .json()
            .as_array()
            .unwrap()
            .len();
        assert_eq!(now, queued, "a preview sends nothing");
        let sent = hm
            .post_form(
                "/candidates/3/rejection",
                &[
                    ("subject", "Your application"),
                    ("body", body),
                    ("action", "send"),
                ],
            )
            .await;
        assert_eq!(sent.status, 303);
        let at = sent.location.unwrap();
        let message = hm.get(&at).await;
        assert!(message.body.contains("We will not go on this time."));

        // Offer a time; the candidate picks it in the portal.
        let offered = hm
            .post_form(
                "/candidates/3/slots",
                &[
                    ("stage", "leadership"),
                    ("start", "2031-03-06T10:00"),
                    ("minutes", "45"),
                    ("interviewers", "tom"),
                    ("place", "Room 4"),
                ],
            )
            .await;
        assert_eq!(offered.status, 303, "{}", offered.body);
        let priya = app.state.app.act_as("priya").await.unwrap();
        let link = app
            .state
            .app
            .create_link(&priya, CandidateId(3), "orders-n-plus-one", 14)
            .await
            .unwrap();
        let candidate = app.anonymous();
        let slots = candidate.get(&format!("/c/{}/slots", link.token)).await;
        assert_eq!(slots.status, 200);
        let slot_id = slots
            .body
            .split("name=\"slot\"")
            .nth(1)
            .and_then(|rest| rest.split("value=\"").nth(1))
            .and_then(|v| v.split('"').next())
            .unwrap()
            .to_string();
        let picked = candidate
            .post_form(&format!("/c/{}/slots", link.token), &[("slot", &slot_id)])
            .await;
        assert_eq!(picked.status, 303, "{}", picked.body);
        let after = candidate
            .get(&format!("/c/{}/slots?booked=1", link.token))
            .await;
        assert!(after.body.contains("Your interview is booked"));
        let interviews = hm.get("/api/v1/candidates/3/interviews").await.json();
        assert_eq!(interviews.as_array().unwrap().len(), 2);
        app.stop().await;
    }
}
