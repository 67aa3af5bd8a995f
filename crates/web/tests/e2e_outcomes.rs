//! In a real headless Chromium at phone width (360 CSS pixels): the delivery
//! outcome page with its judgements, SVG trends and tables fits the window
//! without sideways scrolling of the page (wide tables scroll inside their own
//! box), and every trend is drawn.
//!
//! Needs `MULTIPLIER_TEST_CHROMEDRIVER` (see e2e.rs); without it, skipped.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod support;

use multiplier_app::Account;
use multiplier_core::Role;
use multiplier_store::{AccountRole, AtsStore, HiringStore};
use serde_json::json;
use support::browser::{Browser, Driver, Programs};
use support::{PASSWORD, TestApp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn e2e_the_outcome_page_fits_a_phone() {
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
    let a = &app.state.app;
    let role = Role::parse(a.framework(), "payments", &text).unwrap();
    let (_, opening) = a.open_role(&hm, &role, None).await.unwrap();
    let dana = a
        .add_candidate(
            &hm,
            opening,
            &multiplier_app::CandidateInput {
                name: "Dana Reyes".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let store = app.store();
    store.record_offer("hm", dana, &json!({})).await.unwrap();
    store
        .accept_offer("hm", dana, jiff::civil::date(2026, 1, 1))
        .await
        .unwrap();
    store
        .set_candidate_status("hm", dana, "active", "hired", None)
        .await
        .unwrap();
    for (until, per_week, lead, review) in [
        ("2025-12-20T00:00:00Z", 2.0, 100.0, 30.0),
        ("2026-04-01T00:00:00Z", 3.0, 90.0, 20.0),
        ("2026-07-02T12:00:00Z", 4.5, 75.0, 12.0),
    ] {
        let body = json!({"deployments": 10, "deployments_per_week": per_week,
            "lead_time_hours": {"median": lead, "p90": lead * 2.0}, "change_failure_rate": 0.2,
            "time_to_restore_hours": {"median": 6.0, "p90": 9.0},
            "first_review_hours": {"median": review, "p90": review * 2.0},
            "window": {"since": "2025-10-01T00:00:00Z", "until": until}});
        a.save_snapshot(&hm, opening, "report.json", &body)
            .await
            .unwrap();
    }

    let driver = Driver::start(&programs).await;
    let b = Browser::open(&programs, &driver, &app.base).await;
    b.client.set_window_size(360, 740).await.unwrap();
    b.goto("/openings").await;
    b.sign_in("hm", PASSWORD).await;
    b.goto(&format!("/openings/{opening}/outcomes")).await;
    b.xpath("//h1[starts-with(normalize-space(.), 'Delivery outcome')]")
        .await;
    b.sees("Dana Reyes").await;
    let width = b
        .client
        .execute("return window.innerWidth;", vec![])
        .await
        .unwrap();
    eprintln!("window.innerWidth = {width}");
    let drawn = b
        .client
        .execute(
            "return Array.from(document.querySelectorAll('svg.trend')).map(s => [s.querySelectorAll('circle.point').length, Math.round(s.getBoundingClientRect().width)]);",
            vec![],
        )
        .await
        .unwrap();
    let drawn: Vec<(u64, u64)> = serde_json::from_value(drawn).unwrap();
    assert_eq!(drawn.len(), 5, "one trend per metric: {drawn:?}");
    for (points, px) in &drawn {
        assert_eq!(*points, 3);
        assert!(*px > 200, "a trend is drawn at a readable width: {px} px");
    }
    b.shot("outcomes-phone").await;
    b.client
        .execute(
            "document.getElementById('trend-lead-time').scrollIntoView();",
            vec![],
        )
        .await
        .unwrap();
    b.shot("outcomes-phone-trend").await;
    assert!(
        !b.overflows_sideways().await,
        "the outcome page fits a 360 px window"
    );
    b.close().await;
}
