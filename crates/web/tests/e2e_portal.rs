//! The candidate portal's defects from issue 17, each reproduced in a real
//! headless Chromium the way a candidate meets it: on a phone (390 px wide),
//! pausing before they tap, and once with the page's script out of the way.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`MULTIPLIER_TEST_CHROMEDRIVER`,
//! see `e2e.rs`); without them the test says SKIPPED and returns.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod support;

use multiplier_app::{Account, CandidateInput};
use multiplier_core::Role;
use multiplier_store::AccountRole;
use std::time::Duration;
use support::TestApp;
use support::browser::{Browser, Driver, Programs};

/// How long the candidate stops to think before tapping (more than the
/// portal's draft-save delay, which is what exposed the dead first tap).
const PAUSE: Duration = Duration::from_millis(2600);

async fn candidate_link(app: &TestApp) -> String {
    let hm = Account {
        name: "hm".into(),
        role: AccountRole::Admin,
    };
    let a = &app.state.app;
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/roles/payments-player-coach.toml"
    ))
    .unwrap();
    let role = Role::parse(a.framework(), "payments", &text).unwrap();
    let opening = a.open_role(&hm, &role, None).await.unwrap().1;
    let id = a
        .add_candidate(
            &hm,
            opening,
            &CandidateInput {
                name: "Noor Haddad".into(),
                ..CandidateInput::default()
            },
        )
        .await
        .unwrap();
    a.create_link(&hm, id, "orders-n-plus-one", 14)
        .await
        .unwrap()
        .path()
}

/// The right edge of the first element matching `selector`, and the window's width.
async fn right_edge(c: &Browser, selector: &str) -> (f64, f64) {
    let v = c
        .client
        .execute(
            "const e = document.querySelector(arguments[0]);\
             return [e.getBoundingClientRect().right, window.innerWidth];",
            vec![serde_json::json!(selector)],
        )
        .await
        .unwrap();
    let a = v.as_array().unwrap();
    (a[0].as_f64().unwrap(), a[1].as_f64().unwrap())
}

// SQLite only: this test is about the pages in a browser, which do not change
// with the database, and a browser run is slow; the same use cases run on
// PostgreSQL through the HTTP tests.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn e2e_portal_on_a_phone_with_pauses_and_without_script() {
    let Some(programs) = Programs::from_env() else {
        return;
    };
    let app = TestApp::start_as(
        multiplier_web::Config::default(),
        multiplier_web::Employer {
            name: Some("Acme Payments".into()),
            contact: Some("hiring@acme.example".into()),
        },
    )
    .await;
    let link = candidate_link(&app).await;
    let driver = Driver::start(&programs).await;
    let c = Browser::open(&programs, &driver, &app.base).await;
    c.phone().await;

    // The employer and a contact are on every portal page.
    c.goto(&link).await;
    c.sees("Acme Payments").await;
    c.css("a[href='mailto:hiring@acme.example']").await;

    // 1. The comment box under a line fits a 390 px screen, although the diff
    //    itself is wider and scrolls in its own box.
    c.goto(&format!("{link}/review")).await;
    c.css("button.portal-line[aria-label='Comment on line 27 of shop/orders/views.py']")
        .await
        .click()
        .await
        .unwrap();
    let area = c.css("tr.portal-editor textarea").await;
    let (right, width) = right_edge(&c, "tr.portal-editor textarea").await;
    c.shot("portal-01-comment-box-390").await;
    assert!(
        right <= width,
        "the comment box reaches {right} px on a {width} px screen"
    );
    area.send_keys("Fetch the order lines with prefetch_related: one query, not one per order.")
        .await
        .unwrap();
    c.css("tr.portal-editor button")
        .await
        .click()
        .await
        .unwrap();
    c.xpath("//ol[@id='comment-list']/li[contains(., 'prefetch_related')]")
        .await;

    // 2. The candidate writes the summary, stops to think, then taps once.
    let summary = c.css("#summary").await;
    summary
        .send_keys("Fix the N+1 first; it is on the busiest path.")
        .await
        .unwrap();
    c.xpath("//*[@id='save-status' and starts-with(normalize-space(.), 'Saved at')]")
        .await;
    tokio::time::sleep(PAUSE).await;
    c.press("Check and send").await;
    c.xpath("//h1[starts-with(normalize-space(.), 'Check your review')]")
        .await;
    c.shot("portal-02-check-after-a-pause").await;

    // 3. Without the script (the form posts as a plain HTML form), a line the
    //    diff does not show comes back on the review page with the comment
    //    kept, and the way back leads to the portal, not the staff sign-in.
    c.goto(&format!("{link}/review")).await;
    c.client
        .execute(
            "const f = document.getElementById('add-comment'); f.replaceWith(f.cloneNode(true));",
            vec![],
        )
        .await
        .unwrap();
    c.fill("Line number", "999").await;
    let kept = "This loop runs one query per order.";
    c.fill("Comment", kept).await;
    tokio::time::sleep(PAUSE).await;
    c.submit("Add comment").await;
    c.xpath("//h1[normalize-space(.)='Code review']").await;
    c.css("#comment-problem").await;
    assert_eq!(c.value("Comment").await, kept, "the comment is kept");
    assert_eq!(c.value("Line number").await, "999");
    c.shot("portal-03-bad-line-without-script").await;
    let back = c
        .xpath("//a[normalize-space(.)='Back to the overview']")
        .await
        .attr("href")
        .await
        .unwrap()
        .unwrap_or_default();
    assert_eq!(back, link, "back to the portal's start");
    assert!(!c.text().await.contains("Unprocessable Entity"));
    c.close().await;
    app.stop().await;
}
