//! Mail and scheduling in a real headless Chromium, as people do it: the hiring
//! manager books an interview, writes a rejection (suggested text, an edit, the
//! preview, then send) and finds it in the outbox; the candidate picks an
//! offered time in the portal. Skipped without `MULTIPLIER_TEST_CHROMEDRIVER`
//! (see e2e.rs).
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod support;

use multiplier_app::InterviewInput;
use multiplier_store::CandidateId;
use support::browser::{Browser, Driver, Programs};
use support::{PASSWORD, TestApp};

// SQLite only: this test is about the pages in a browser, which do not change
// with the database, and a browser run is slow; the same use cases run on
// PostgreSQL through the HTTP tests.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn e2e_rejection_outbox_and_a_picked_time_in_headless_chromium() {
    let Some(programs) = Programs::from_env() else {
        return;
    };
    let app = TestApp::with_demo().await;
    let driver = Driver::start(&programs).await;
    let b = Browser::open(&programs, &driver, &app.base).await;

    b.sign_in("priya", PASSWORD).await;
    // Book an interview from the candidate's interviews page.
    b.goto("/candidates/3").await;
    b.follow("Interviews").await;
    b.on("/candidates/3/interviews").await;
    b.choose_value("Stage", "leadership").await;
    // A datetime-local field takes what a person types in this browser's locale
    // badly; set it the way the picker would.
    let start = b.css("#start").await;
    b.client
        .execute(
            "arguments[0].value = '2031-03-04T14:00'",
            vec![serde_json::to_value(&start).unwrap()],
        )
        .await
        .unwrap();
    b.fill("Interviewers", "tom").await;
    b.fill("Place", "Room 4").await;
    b.submit("Book the interview").await;
    b.sees("2031-03-04 14:00 UTC").await;
    b.shot("mail-01-interview-booked").await;

    // The rejection: the suggestion, an edit, the preview, then send.
    b.goto("/candidates/3").await;
    b.follow("Rejection").await;
    b.on("/candidates/3/rejection").await;
    b.fill("Subject", "About your application").await;
    b.fill(
        "Message",
        "Dear Lucía,\n\nThank you for your time. We will not continue.\n\nPriya",
    )
    .await;
    b.submit("Preview").await;
    b.css("#preview").await;
    b.sees("We will not continue.").await;
    b.shot("mail-02-rejection-preview").await;
    b.submit("Send").await;
    b.on("/admin/outbox/").await;
    b.sees("pending").await;
    b.sees("We will not continue.").await;
    b.follow("Back to the outbox").await;
    b.sees("About your application").await;
    b.shot("mail-03-outbox").await;
    b.sign_out().await;

    // The candidate picks an offered time in the portal.
    let priya = app.state.app.act_as("priya").await.unwrap();
    app.state
        .app
        .offer_slots(
            &priya,
            CandidateId(3),
            &[InterviewInput {
                stage: "technical-depth".into(),
                start: "2031-03-05T09:00:00Z".into(),
                minutes: 60,
                interviewers: vec!["marco".into()],
                place: String::new(),
                video_link: "https://video.example.org/r/7".into(),
            }],
        )
        .await
        .unwrap();
    let link = app
        .state
        .app
        .create_link(&priya, CandidateId(3), "orders-n-plus-one", 14)
        .await
        .unwrap();
    b.goto(&format!("/c/{}", link.token)).await;
    b.follow("your interviews").await;
    b.xpath("//input[@name='slot']")
        .await
        .click()
        .await
        .unwrap();
    b.submit("Book this time").await;
    b.sees("Your interview is booked").await;
    b.css("#booked").await;
    b.sees("technical-depth").await;
    b.shot("mail-04-portal-booked").await;

    b.close().await;
    drop(driver);
    app.stop().await;
}
