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

use support::browser::{Browser, Driver, Programs, screenshot_dir, xpath_literal};
use support::{PASSWORD, TestApp};

/// The id at the end of a path such as `/openings/7` or `/candidates/3#x`.
fn id_in(path: &str, prefix: &str) -> i64 {
    path.strip_prefix(prefix)
        .and_then(|rest| {
            rest.split(|c: char| !c.is_ascii_digit())
                .next()
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or_else(|| panic!("no id after {prefix} in {path}"))
}

/// The opening's board with its (one) card's "Move or assign" opened.
async fn open_card_controls(b: &Browser, opening: i64) {
    b.goto(&format!("/openings/{opening}")).await;
    b.xpath("//summary[starts-with(normalize-space(.), 'Move or assign')]")
        .await
        .click()
        .await
        .unwrap();
}

const TITLE: &str = "Tech Lead, Checkout Platform";
const CANDIDATE: &str = "Noor Haddad";

// SQLite only: this test is about the pages in a browser, which do not change
// with the database, and a browser run is slow; the same use cases run on
// PostgreSQL through the HTTP tests.
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

    // 2. A new opening through the role-intake form.
    b.goto("/openings/new").await;
    b.xpath("//h1[starts-with(normalize-space(.), 'New opening')]")
        .await;
    b.fill("Role title", TITLE).await;
    b.fill("What share of the lead's working week", "60").await;
    b.fill_css("#q-team-senior", "1").await;
    b.fill_css("#q-team-mid", "3").await;
    b.tick("q-performance-reviews-no").await;
    b.tick("q-architecture-monolith").await;
    b.tick("q-mandate-legacy-modernisation").await;
    b.tick("q-main-challenge-delivery-speed").await;
    b.tick("q-rituals-sprint-planning").await;
    b.tick("q-reports-to-engineering-manager").await;
    b.shot("03-intake").await;
    b.submit("Open the opening").await;
    b.xpath(&format!(
        "//h1[normalize-space(.)={}]",
        xpath_literal(TITLE)
    ))
    .await;
    let opening = id_in(&b.path().await, "/openings/");
    b.shot("04-board").await;

    // 3. A candidate added on the board.
    b.fill("Name", CANDIDATE).await;
    b.fill("Email", "noor@example.com").await;
    b.submit("Add the candidate").await;
    let card = b
        .xpath(&format!(
            "//a[starts-with(@href, '/candidates/') and normalize-space(.)={}]",
            xpath_literal(CANDIDATE)
        ))
        .await;
    let href = card.attr("href").await.unwrap().unwrap_or_default();
    let candidate = id_in(&href, "/candidates/");
    b.shot("05-candidate-added").await;

    // 4. Two interviewers assigned, one stage each (ticked): from the card on the
    // board to the candidate page, whose forms the link opens.
    for (stage, who) in [("technical-depth", "ivy"), ("code-review", "ian")] {
        open_card_controls(&b, opening).await;
        b.follow("Another stage, or assign interviewers").await;
        b.on(&format!("/candidates/{candidate}")).await;
        b.tick(&format!("assign-{candidate}-{stage}")).await;
        b.choose_value("Interviewer", who).await;
        b.submit("Assign").await;
        b.on(&format!("/candidates/{candidate}")).await;
    }
    // The card's one-click move on to the next stage: its button submits the
    // board's one move form (`form` and `formaction`, no script).
    open_card_controls(&b, opening).await;
    b.submit("Move to Written assessment").await;
    b.on(&format!("/openings/{opening}")).await;
    b.xpath(&format!(
        "//section[h3[@id='col-async-assessment']]//a[normalize-space(.)={}]",
        xpath_literal(CANDIDATE)
    ))
    .await;
    b.goto(&format!("/candidates/{candidate}")).await;
    b.xpath(&format!(
        "//h1[starts-with(normalize-space(.), {})]",
        xpath_literal(CANDIDATE)
    ))
    .await;
    b.sees("ivy").await;
    b.sees("ian").await;
    b.shot("06-assigned").await;

    // 5. A private link for the candidate.
    b.goto(&format!("/candidates/{candidate}/portal")).await;
    b.choose_value("Code-review exercise", "orders-n-plus-one")
        .await;
    b.submit("Make a link").await;
    b.css("#portal-url").await;
    let link = b.value("Link for").await;
    assert!(link.contains("/c/"), "not a portal link: {link}");
    b.shot("07-portal-link").await;

    // 6. The candidate, in a browser of their own, reviews the pull request.
    //    They use a phone: the pages must fit its width (wide code scrolls in its box).
    let c = Browser::open(&programs, &driver, &app.base).await;
    c.phone().await;
    c.client.goto(&link).await.unwrap();
    c.sees(CANDIDATE).await;
    c.shot("08-portal-home").await;
    let token_path = c.path().await;
    c.goto(&format!("{token_path}/review")).await;
    c.xpath("//h1[normalize-space(.)='Code review']").await;
    assert!(
        !c.overflows_sideways().await,
        "the review page is wider than a phone"
    );
    let line = c
        .css("button.portal-line[aria-label='Comment on line 27 of shop/orders/views.py']")
        .await;
    line.click().await.unwrap();
    let comment = "This queries the database once per order inside the loop (an N+1). \
        Could we fetch the lines with prefetch_related, so a page costs a fixed number \
        of queries? It matters here because the app calls this on every launch.";
    c.fill("Comment on line 27", comment).await;
    c.css("tr.portal-editor button")
        .await
        .click()
        .await
        .unwrap();
    c.xpath("//ol[@id='comment-list']/li[contains(., 'prefetch_related')]")
        .await;
    c.fill("Your summary", "Fix the N+1 first, since it is on the busiest path; then move the loyalty URL into settings and add a test for the failure case.")
        .await;
    c.shot("09-review-commented").await;
    c.submit("Check and send").await;
    c.xpath("//h1[starts-with(normalize-space(.), 'Check your review')]")
        .await;
    c.sees("prefetch_related").await;
    c.shot("10-review-check").await;
    c.submit("Send my review").await;
    c.on(&format!("{token_path}/review")).await;
    c.sees("Thank you: your review was sent").await;
    assert!(
        !c.text().await.to_lowercase().contains("score"),
        "the candidate must see no score"
    );
    c.shot("11-review-sent").await;

    // 7. The written assessment: a draft saves itself as the candidate types and is
    //    there after a reload; then the answers are checked and sent once.
    c.goto(&format!("{token_path}/assessment")).await;
    c.xpath("//h1[normalize-space(.)='Written questions']")
        .await;
    let first = c.css("textarea[name^='answer-']").await;
    let draft = "I owned the move from nightly batch settlement to an event stream.";
    first.send_keys(draft).await.unwrap();
    c.xpath("//*[@id='save-status' and starts-with(normalize-space(.), 'Saved at')]")
        .await;
    c.client.refresh().await.unwrap();
    let kept = c.css("textarea[name^='answer-']").await;
    assert_eq!(kept.prop("value").await.unwrap().as_deref(), Some(draft));
    let answers = c
        .client
        .find_all(fantoccini::Locator::Css("textarea[name^='answer-']"))
        .await
        .unwrap();
    assert_eq!(answers.len(), 5, "the assessment has five questions");
    for area in &answers[1..] {
        area.send_keys(
            "First I asked both engineers to write down the trade-off they cared about, \
             then we compared them against the outcome we needed, chose, and agreed to \
             revisit it after a month with the numbers.",
        )
        .await
        .unwrap();
    }
    c.shot("12-assessment").await;
    c.submit("Check and send").await;
    c.xpath("//h1[starts-with(normalize-space(.), 'Check your answers')]")
        .await;
    c.submit("Send my answers").await;
    c.sees("Thank you: your answers were sent").await;
    c.shot("13-assessment-sent").await;
    c.close().await;

    // 8. Each interviewer signs in and submits their scorecard through the form.
    b.sign_out().await;
    for (who, stage, depth, multiplier) in [
        ("ivy", "technical-depth", Some("3"), None),
        ("ian", "code-review", Some("3"), Some("3")),
    ] {
        b.sign_in(who, PASSWORD).await;
        b.goto(&format!("/candidates/{candidate}/stages/{stage}"))
            .await;
        b.css("form.scorecard").await;
        if let Some(score) = depth {
            b.tick(&format!("score-technical-depth-{score}")).await;
            b.fill("Evidence for Technical depth", "Walked through their own queue design and its failure modes, one level deeper than asked.")
                .await;
        }
        if let Some(score) = multiplier {
            b.tick(&format!("score-team-multiplier-{score}")).await;
        }
        b.tick("rec-yes").await;
        b.shot(&format!("14-scorecard-{who}")).await;
        b.submit("Submit scorecard").await;
        b.on(&format!("/candidates/{candidate}/stages/{stage}?saved="))
            .await;
        b.sees("version 1").await;
        b.sign_out().await;
    }

    // 9. The hiring manager reaches the debrief and sees the candidate on the plot.
    b.sign_in("hm", PASSWORD).await;
    b.goto(&format!("/openings/{opening}/debrief")).await;
    let point = b
        .css(&format!("svg g.point[data-candidate='{candidate}'] text"))
        .await;
    assert_eq!(point.text().await.unwrap(), CANDIDATE);
    b.shot("15-debrief").await;
    // The review the candidate sent is on their page, as evidence.
    b.goto(&format!("/candidates/{candidate}")).await;
    b.xpath("//h3[starts-with(normalize-space(.), 'code-review')]")
        .await;
    b.shot("16-candidate-evidence").await;

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
