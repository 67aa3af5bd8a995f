//! In a real headless Chromium, on a phone-sized window: an applicant finds the
//! job on the careers page and applies with a PDF CV; the hiring manager signs
//! in, finds them in Screen, writes a note, rejects them with a reason, and sees
//! them leave the board and come back under the "ended" filter.
//!
//! Needs `MULTIPLIER_TEST_CHROMEDRIVER` (see e2e.rs); without it, skipped.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod support;

use multiplier_app::Account;
use multiplier_core::Role;
use multiplier_store::AccountRole;
use support::browser::{Browser, Driver, Programs};
use support::{PASSWORD, TestApp};

// SQLite only: this test is about the pages in a browser, which do not change
// with the database, and a browser run is slow; the same use cases run on
// PostgreSQL through the HTTP tests.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn e2e_an_applicant_applies_and_the_manager_rejects_them() {
    let Some(programs) = Programs::from_env() else {
        return;
    };
    let app = TestApp::start().await;
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/roles/payments-player-coach.toml"
    ))
    .unwrap();
    let hm = Account {
        name: "hm".into(),
        role: AccountRole::Admin,
    };
    let role = Role::parse(app.state.app.framework(), "payments", &text).unwrap();
    let (_, opening) = app.state.app.open_role(&hm, &role, None).await.unwrap();
    let cv_dir = tempfile::tempdir().unwrap();
    let cv = cv_dir.path().join("sam-cv.pdf");
    std::fs::write(&cv, b"%PDF-1.4\n% Sam's CV\n").unwrap();

    let driver = Driver::start(&programs).await;
    let b = Browser::open(&programs, &driver, &app.base).await;
    b.phone().await;

    // The applicant, signed out, on a phone.
    b.goto("/jobs").await;
    b.sees("Open positions").await;
    b.follow(&role.title).await;
    b.sees("What we keep and for how long").await;
    b.sees("24 months").await;
    b.fill("Your name", "Sam Okafor").await;
    b.fill("E-mail address", "sam@example.com").await;
    b.fill("Links", "https://github.com/sam").await;
    b.field("CV")
        .await
        .send_keys(&cv.display().to_string())
        .await
        .unwrap();
    b.tick("apply-consent").await;
    assert!(!b.overflows_sideways().await, "the form fits a phone");
    b.shot("ats-01-apply").await;
    b.submit("Send my application").await;
    b.sees("We have your application").await;
    b.shot("ats-02-thanks").await;

    // The hiring manager.
    b.sign_in("hm", PASSWORD).await;
    b.goto(&format!("/openings/{opening}")).await;
    b.follow("Sam Okafor").await;
    b.sees("applied through the careers page").await;
    b.sees("Download the CV").await;
    b.fill(
        "Add a note",
        "Strong open-source reviews; ask about on-call.",
    )
    .await;
    b.submit("Save the note").await;
    b.sees("Strong open-source reviews").await;
    b.xpath("//summary[normalize-space(.)='Change the status']")
        .await
        .click()
        .await
        .unwrap();
    b.choose("New status", "rejected").await;
    b.choose("Reason", "Pay expectations outside the band we can offer")
        .await;
    b.shot("ats-03-reject").await;
    b.submit("Save the status").await;
    // A rejection sends nothing by itself: the manager lands on the message to
    // review first.
    b.sees("Nothing has been sent").await;
    b.sees("Write to the candidate: rejection").await;
    b.follow("Back to the candidate").await;
    b.sees("Pay expectations outside the band").await;
    // The board at a laptop's width: every stage's column on screen, none off
    // to the side.
    b.laptop().await;
    b.goto(&format!("/openings/{opening}")).await;
    assert!(!b.overflows_sideways().await, "the board fits 1366 px");
    let board = b.text().await;
    assert!(!board.contains("Sam Okafor"), "off the board");
    b.follow("rejected, withdrawn or hired").await;
    b.sees("Sam Okafor").await;
    b.shot("ats-04-ended").await;
    b.close().await;
    app.stop().await;
}
