//! Every route of the application, for every kind of visitor: who may read and write
//! what, the blind rule, and the scope of a candidate's private link.
//!
//! One table, [`ROUTES`], says for each route what five visitors get:
//!
//! | column | who |
//! | --- | --- |
//! | `anon` | nobody signed in |
//! | `link` | a candidate holding the private link of candidate 3 (no account) |
//! | `other` | `ivy`, an interviewer assigned to nothing on candidate 3 |
//! | `assigned` | `aisha`, the interviewer assigned to candidate 3's code-review stage, her scorecard still pending |
//! | `admin` | `hm`, a hiring manager (admin) |
//!
//! The visitors are tried in that order, so a write that the admin may make happens
//! last. Writes send bodies that pass the CSRF check but fail validation where they
//! can: a 422 then proves the visitor got past the access check without changing
//! anything.
//!
//! [`every_route_is_in_the_table`] fails when a route is added to the application
//! (a `.route("…")` in `crates/web/src`, or a path in the OpenAPI document) without
//! a row here: add the row, with what each visitor should get.
//!
//! Data: the demo (see `multiplier_web::demo`), opening 1, candidates 1–8; candidate 3
//! (Lucía) has marco's technical-depth scorecard and aisha's code-review one pending.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod support;

use multiplier_store::{CandidateId, NewLink, PortalStore, TokenHash};
use std::collections::BTreeSet;
use support::{Client, Res, TestApp};

/// What a row sends.
#[derive(Debug, Clone, Copy)]
enum Send {
    Get,
    /// A form POST with the session's CSRF token added.
    Form(&'static [(&'static str, &'static str)]),
}

/// One route and what each visitor gets: `[anon, link, other, assigned, admin]`.
#[derive(Debug, Clone, Copy)]
struct Row {
    /// The route as the router declares it.
    route: &'static str,
    /// The request, with `{O}` (opening 1), `{C}` (candidate 3), `{T}` (candidate 3's
    /// portal token) substituted.
    path: &'static str,
    send: Send,
    expect: [u16; 5],
}

const fn get(route: &'static str, path: &'static str, expect: [u16; 5]) -> Row {
    Row {
        route,
        path,
        send: Send::Get,
        expect,
    }
}

const fn form(
    route: &'static str,
    path: &'static str,
    fields: &'static [(&'static str, &'static str)],
    expect: [u16; 5],
) -> Row {
    Row {
        route,
        path,
        send: Send::Form(fields),
        expect,
    }
}

const VISITORS: [&str; 5] = ["anon", "link", "other", "assigned", "admin"];

// Shorthands for the common rows.
/// Anyone, signed in or not.
const PUBLIC: [u16; 5] = [200, 200, 200, 200, 200];
/// Any signed-in staff member; visitors without an account go to the sign-in page.
const STAFF: [u16; 5] = [303, 303, 200, 200, 200];
/// Staff who may see the candidate: the admin and interviewers assigned to them;
/// anyone else gets the 404 of a candidate that does not exist.
const ON_CANDIDATE: [u16; 5] = [303, 303, 404, 200, 200];
/// The admin only.
const ADMIN_ONLY: [u16; 5] = [303, 303, 403, 403, 200];

/// A scorecard that passes the CSRF check and the access check but not validation
/// (no recommendation), so it changes nothing.
const INCOMPLETE_CARD: &[(&str, &str)] = &[("score-team-multiplier", "3")];

const ROUTES: &[Row] = &[
    // The frame: health, static files, sign-in.
    get("/healthz", "/healthz", PUBLIC),
    get("/static/app.css", "/static/app.css", PUBLIC),
    get("/static/app.js", "/static/app.js", PUBLIC),
    get("/static/loop.js", "/static/loop.js", PUBLIC),
    get("/", "/", [303, 303, 303, 303, 303]),
    get("/login", "/login", [200, 200, 303, 303, 303]),
    form("/logout", "/logout", &[], [303, 303, 303, 303, 303]),
    // Openings.
    get("/openings", "/openings", STAFF),
    // The interview loop.
    get(
        "/candidates/{id}/stages/{stage}",
        "/candidates/{C}/stages/code-review",
        ON_CANDIDATE,
    ),
    form(
        "/candidates/{id}/stages/{stage}",
        "/candidates/{C}/stages/code-review",
        INCOMPLETE_CARD,
        [303, 303, 404, 422, 422],
    ),
    // References: the admin and whoever is assigned to the references stage.
    get(
        "/candidates/{id}/references",
        "/candidates/{C}/references",
        [303, 303, 404, 403, 200],
    ),
    form(
        "/candidates/{id}/references",
        "/candidates/{C}/references",
        &[("kind", "engineer")],
        [303, 303, 404, 403, 422],
    ),
    // The debrief: the opening's plot for all staff (hidden rows under the blind
    // rule); a candidate's debrief opens to an interviewer once their card is in.
    get("/openings/{id}/debrief", "/openings/{O}/debrief", STAFF),
    get(
        "/candidates/{id}/debrief",
        "/candidates/{C}/debrief",
        [303, 303, 404, 403, 200],
    ),
    form(
        "/candidates/{id}/decision",
        "/candidates/{C}/decision",
        &[("rationale", "")],
        [303, 303, 403, 403, 422],
    ),
    form(
        "/candidates/{id}/flags",
        "/candidates/{C}/flags",
        &[("flag", "no-such-flag")],
        [303, 303, 403, 403, 422],
    ),
    // Offer and onboarding: the admin's.
    get("/offer", "/offer", STAFF),
    get(
        "/candidates/{id}/offer",
        "/candidates/{C}/offer",
        ADMIN_ONLY,
    ),
    form(
        "/candidates/{id}/offer",
        "/candidates/{C}/offer",
        &[("level", "no-such-level")],
        [303, 303, 403, 403, 422],
    ),
    form(
        "/candidates/{id}/offer/accept",
        "/candidates/{C}/offer/accept",
        &[("start", "not a date")],
        [303, 303, 403, 403, 422],
    ),
    get(
        "/candidates/{id}/onboarding",
        "/candidates/{C}/onboarding",
        ADMIN_ONLY,
    ),
    form(
        "/candidates/{id}/onboarding",
        "/candidates/{C}/onboarding",
        &[("step", "no-such-step")],
        [303, 303, 403, 403, 422],
    ),
];

/// The five visitors, signed in (the link holder has opened their portal).
struct Visitors {
    clients: [Client; 5],
    token: String,
}

async fn visitors(app: &TestApp) -> Visitors {
    let token = portal_token(app).await;
    let link = app.anonymous();
    let _ = link.get(&format!("/c/{token}/review")).await;
    Visitors {
        clients: [
            app.anonymous(),
            link,
            app.login("ivy").await,
            app.login("aisha").await,
            app.login("hm").await,
        ],
        token,
    }
}

/// A live private link for `candidate`, made in the store as the admin's page does
/// (`expires_in` seconds from now; negative for one already expired).
async fn portal_link(app: &TestApp, candidate: i64, expires_in: i64) -> String {
    let token = multiplier_web::csrf::random_token();
    let expires_at =
        jiff::Timestamp::from_second(jiff::Timestamp::now().as_second() + expires_in).unwrap();
    app.store()
        .create_link(
            "hm",
            &NewLink {
                candidate: CandidateId(candidate),
                token_hash: TokenHash::of(&token),
                exercise: "orders-n-plus-one".to_string(),
                expires_at,
            },
        )
        .await
        .unwrap();
    token
}

/// Candidate 3's private link, valid for a week.
async fn portal_token(app: &TestApp) -> String {
    portal_link(app, 3, 7 * 24 * 60 * 60).await
}

async fn send(client: &Client, row: &Row, path: &str) -> Res {
    match row.send {
        Send::Get => client.get(path).await,
        Send::Form(fields) => {
            // The logout row must not end the session the next rows need.
            if row.route == "/logout" {
                let fresh = Client {
                    base: client.base.clone(),
                    http: reqwest::Client::builder()
                        .cookie_store(true)
                        .redirect(reqwest::redirect::Policy::none())
                        .build()
                        .unwrap(),
                };
                return fresh.post_form(path, fields).await;
            }
            client.post_form(path, fields).await
        }
    }
}

/// The alert of an error page, else the start of the body, on one line.
fn gist(body: &str) -> String {
    const ALERT: &str = "role=\"alert\">";
    let from = body.find(ALERT).map_or(body, |i| &body[i + ALERT.len()..]);
    let text = from.split('<').next().unwrap_or_default();
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(160)
        .collect()
}

fn concrete(path: &str, token: &str) -> String {
    path.replace("{O}", "1")
        .replace("{C}", "3")
        .replace("{T}", token)
}

#[tokio::test]
async fn every_route_answers_each_visitor_as_the_table_says() {
    let app = TestApp::with_demo().await;
    let v = visitors(&app).await;
    let mut wrong = Vec::new();
    for row in ROUTES {
        let path = concrete(row.path, &v.token);
        for (i, client) in v.clients.iter().enumerate() {
            let res = send(client, row, &path).await;
            if res.status != row.expect[i] {
                let method = match row.send {
                    Send::Get => "GET",
                    Send::Form(_) => "POST",
                };
                let body = gist(&res.body);
                wrong.push(format!(
                    "{method} {} as {}: expected {}, got {} ({})",
                    row.path, VISITORS[i], row.expect[i], res.status, body
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} answers differ from the table:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    app.stop().await;
}

/// The route patterns declared with `.route("…")` in the web crate's sources.
fn declared_routes() -> BTreeSet<String> {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = BTreeSet::new();
    let mut dirs = vec![src];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                found.extend(routes_in(&text));
            }
        }
    }
    found
}

/// The string literal after each `.route(` in Rust source.
fn routes_in(text: &str) -> Vec<String> {
    text.split(".route(")
        .skip(1)
        .filter_map(|rest| {
            let rest = rest.trim_start();
            let rest = rest.strip_prefix('"')?;
            rest.find('"').map(|end| rest[..end].to_string())
        })
        .collect()
}

#[test]
fn routes_are_read_from_source() {
    let text = r#"Router::new()
        .route("/a/{id}", get(x).post(y))
        .route(
            "/b",
            get(z),
        )"#;
    assert_eq!(routes_in(text), vec!["/a/{id}", "/b"]);
}

#[test]
fn every_route_is_in_the_table() {
    let in_table: BTreeSet<String> = ROUTES.iter().map(|r| r.route.to_string()).collect();
    let missing: Vec<String> = declared_routes()
        .into_iter()
        .filter(|r| !in_table.contains(r))
        .collect();
    assert!(
        missing.is_empty(),
        "routes without a row in crates/web/tests/roles.rs (add one per method, saying what \
         each visitor gets): {missing:?}"
    );
}
