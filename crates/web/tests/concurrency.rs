//! Writers wait for each other: 32 concurrent clients for 10 seconds, mixing
//! candidate adds, stage moves, amendments of the same scorecards and candidate
//! portal drafts and submissions, get no 5xx, and every write the server
//! acknowledged is in the database afterwards. Concurrent amendments of one
//! scorecard get consecutive, distinct versions (the store numbers them inside
//! the write transaction), and no more than the amendment cap get in.
//!
//! `MULTIPLIER_CONCURRENCY_SECONDS` shortens or lengthens the run (10 by default).

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod support;

use multiplier_app::{Account, ScorecardDraft};
use multiplier_core::Role;
use multiplier_core::framework::Signal;
use multiplier_core::pipeline::Recommendation;
use multiplier_core::score::Score;
use multiplier_store::testing::TestDb;
use multiplier_store::{AccountRole, CandidateId, HiringStore, OpeningId, PortalStore, Task};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use support::{PASSWORD, TestApp};
use tokio::time::{Duration, Instant};

const WRITERS: usize = 32;
/// Candidates whose one scorecard every writer amends, round robin.
const SHARED: usize = 4;
const STAGES: [&str; 4] = [
    "screen",
    "async-assessment",
    "technical-depth",
    "code-review",
];

/// A client with its own cookie jar and the session's CSRF token, read once.
#[derive(Clone)]
struct Http {
    base: String,
    http: reqwest::Client,
    csrf: String,
}

impl Http {
    async fn new(base: &str) -> Http {
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Http {
            base: base.to_string(),
            http,
            csrf: String::new(),
        }
    }

    /// Sign in through the API and keep the CSRF token it hands out.
    async fn signed_in(base: &str, name: &str) -> Http {
        let mut c = Http::new(base).await;
        let res = c
            .http
            .get(format!("{base}/api/v1/session"))
            .send()
            .await
            .unwrap();
        c.csrf = token_header(&res);
        let res = c
            .post_json(
                "/api/v1/session",
                &json!({"name": name, "password": PASSWORD}),
            )
            .await;
        assert_eq!(res.0, 200, "sign-in as {name}: {}", res.1);
        let res = c
            .http
            .get(format!("{base}/api/v1/session"))
            .send()
            .await
            .unwrap();
        c.csrf = token_header(&res);
        c
    }

    /// A candidate's client on their link, with the token from the portal page.
    async fn portal(base: &str, token: &str) -> Http {
        let mut c = Http::new(base).await;
        let page = c
            .http
            .get(format!("{base}/c/{token}/assessment"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        c.csrf = support::csrf_in(&page).expect("the portal page carries a CSRF token");
        c
    }

    async fn post_json(&self, path: &str, body: &Value) -> (u16, String) {
        let res = self
            .http
            .post(format!("{}{path}", self.base))
            .header("x-csrf-token", &self.csrf)
            .json(body)
            .send()
            .await
            .unwrap();
        (res.status().as_u16(), res.text().await.unwrap_or_default())
    }

    async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
        let mut all = fields.to_vec();
        all.push(("csrf", &self.csrf));
        let res = self
            .http
            .post(format!("{}{path}", self.base))
            .form(&all)
            .send()
            .await
            .unwrap();
        (res.status().as_u16(), res.text().await.unwrap_or_default())
    }
}

fn token_header(res: &reqwest::Response) -> String {
    res.headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .expect("GET /api/v1/session hands out the CSRF token")
        .to_string()
}

fn card_draft(score: i64) -> ScorecardDraft {
    ScorecardDraft {
        stage: "leadership".into(),
        scores: BTreeMap::from([(Signal::TeamMultiplier, Score::new(score).unwrap())]),
        notes: BTreeMap::from([(Signal::TeamMultiplier, "first impression".to_string())]),
        red_flags: Vec::new(),
        recommendation: Recommendation::Yes,
    }
}

/// What one writer saw acknowledged.
#[derive(Default)]
struct Acked {
    /// Candidates added: (id, name).
    added: Vec<(i64, String)>,
    /// The last stage the writer's own candidate was moved to.
    last_move: Option<String>,
    /// Amendments acknowledged, per shared candidate index.
    amendments: [u64; SHARED],
    amend_attempts: [u64; SHARED],
    /// Drafts saved and whether the assessment was submitted.
    drafts: u64,
    submitted: bool,
}

#[derive(Default)]
struct Tally {
    requests: AtomicU64,
    server_errors: AtomicU64,
    conflicts_on_amend: AtomicU64,
}

// Both backends, written out: each_backend! gives two workers, this load wants four.
mod thirty_two_writers_get_no_5xx_and_every_acknowledged_write_is_stored {
    use super::*;

    async fn scenario(db: TestDb) {
        let app = TestApp::start_on(db).await;
        let seconds: u64 = std::env::var("MULTIPLIER_CONCURRENCY_SECONDS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(10);
        let hm = Account {
            name: "hm".into(),
            role: AccountRole::Admin,
        };
        let uc = &app.state.app;
        let fw = app.state.framework.clone();
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../examples/roles/payments-player-coach.toml"
        ))
        .unwrap();
        let role = Role::parse(&fw, "payments", &text).unwrap();
        let (_, opening) = uc.open_role(&hm, &role, None).await.unwrap();
        let add = |name: String| multiplier_app::CandidateInput {
            name,
            ..Default::default()
        };
        // Shared candidates, each with hm's first scorecard in.
        let mut shared = Vec::new();
        for i in 0..SHARED {
            let id = uc
                .add_candidate(&hm, opening, &add(format!("Shared {i}")))
                .await
                .unwrap();
            uc.submit_scorecard(&hm, id, &card_draft(3), None)
                .await
                .unwrap();
            shared.push(id);
        }
        // Each writer's own candidate, with a live portal link.
        let mut own = Vec::new();
        for w in 0..WRITERS {
            let id = uc
                .add_candidate(&hm, opening, &add(format!("Own {w}")))
                .await
                .unwrap();
            let link = uc
                .create_link(&hm, id, "orders-n-plus-one", 7)
                .await
                .unwrap();
            own.push((id, link.token));
        }

        let staff = Http::signed_in(&app.base, "hm").await;
        let tally = Arc::new(Tally::default());
        let deadline = Instant::now() + Duration::from_secs(seconds);
        let mut writers = Vec::new();
        for (w, (mine, token)) in own.iter().cloned().enumerate() {
            let staff = staff.clone();
            let candidate = Http::portal(&app.base, &token).await;
            let shared = shared.clone();
            let tally = Arc::clone(&tally);
            let question = fw.assessment.questions[0].id.clone();
            writers.push(tokio::spawn(async move {
                let mut acked = Acked::default();
                let mut i: u64 = 0;
                while Instant::now() < deadline {
                    let (status, body, kind) = match (i + w as u64) % 4 {
                        0 => {
                            let name = format!("W{w} #{i}");
                            let (s, b) = staff
                                .post_json(
                                    &format!("/api/v1/openings/{}/candidates", opening.0),
                                    &json!({"name": name}),
                                )
                                .await;
                            if s == 201 {
                                let v: Value = serde_json::from_str(&b).unwrap();
                                acked.added.push((v["id"].as_i64().unwrap(), name));
                            }
                            (s, b, "add")
                        }
                        1 => {
                            let stage = STAGES[(i as usize / 4) % STAGES.len()];
                            let (s, b) = staff
                                .post_json(
                                    &format!("/api/v1/candidates/{}/move", mine.0),
                                    &json!({"stage": stage}),
                                )
                                .await;
                            if s == 200 {
                                acked.last_move = Some(stage.to_string());
                            }
                            (s, b, "move")
                        }
                        2 => {
                            let k = (w + i as usize) % SHARED;
                            let (s, b) = staff
                                .post_json(
                                    &format!("/api/v1/candidates/{}/scorecards", shared[k].0),
                                    &json!({
                                        "stage": "leadership",
                                        "scores": {"team-multiplier": 2 + (i % 2) as i64},
                                        "notes": {"team-multiplier": format!("re-read notes, pass {i}")},
                                        "recommendation": "yes",
                                        "amendment_reason": format!("writer {w}, pass {i}"),
                                    }),
                                )
                                .await;
                            acked.amend_attempts[k] += 1;
                            if s == 201 {
                                acked.amendments[k] += 1;
                            } else if s == 409 && b.contains("the most allowed") {
                                // The amendment cap: refused, as it should be.
                            } else if s == 409 {
                                tally.conflicts_on_amend.fetch_add(1, Ordering::Relaxed);
                            }
                            (s, b, "amend")
                        }
                        _ => {
                            if acked.submitted {
                                // Submitted work is frozen: a further submission is
                                // refused (409), which is not a failure.
                                let (s, b) = candidate
                                    .post_form(
                                        &format!("/c/{token}/assessment"),
                                        &[("action", "submit")],
                                    )
                                    .await;
                                (if s == 409 { 200 } else { s }, b, "resubmit")
                            } else if acked.drafts < 3 {
                                let (s, b) = candidate
                                    .post_json(
                                        &format!("/c/{token}/assessment/draft"),
                                        &json!({"answers": [{"question": question, "text": format!("Draft {i} by writer {w}: I list the risks first.")}]}),
                                    )
                                    .await;
                                if s == 200 {
                                    acked.drafts += 1;
                                }
                                (s, b, "draft")
                            } else {
                                let (s, b) = candidate
                                    .post_form(
                                        &format!("/c/{token}/assessment"),
                                        &[("action", "submit")],
                                    )
                                    .await;
                                if s == 303 {
                                    acked.submitted = true;
                                }
                                (s, b, "submit")
                            }
                        }
                    };
                    tally.requests.fetch_add(1, Ordering::Relaxed);
                    if status >= 500 {
                        tally.server_errors.fetch_add(1, Ordering::Relaxed);
                        eprintln!("writer {w}: {kind} answered {status}: {body}");
                    }
                    i += 1;
                }
                acked
            }));
        }
        let mut all = Vec::new();
        for w in writers {
            all.push(w.await.unwrap());
        }
        let requests = tally.requests.load(Ordering::Relaxed);
        let errors = tally.server_errors.load(Ordering::Relaxed);
        eprintln!(
            "{WRITERS} writers for {seconds} s: {requests} requests, {errors} answered 5xx, {} amendments refused as conflicts",
            tally.conflicts_on_amend.load(Ordering::Relaxed)
        );
        assert_eq!(errors, 0, "no request may fail with a server error");
        assert_eq!(
            tally.conflicts_on_amend.load(Ordering::Relaxed),
            0,
            "an amendment never collides with another one"
        );

        let store = app.store();
        // Every acknowledged add is there, under its name.
        let stored: BTreeMap<i64, String> = store
            .candidates(Some(OpeningId(opening.0)))
            .await
            .unwrap()
            .into_iter()
            .map(|c| (c.id.0, c.name))
            .collect();
        let added: Vec<&(i64, String)> = all.iter().flat_map(|a| a.added.iter()).collect();
        assert!(!added.is_empty(), "some adds went through");
        for (id, name) in &added {
            assert_eq!(
                stored.get(id),
                Some(name),
                "candidate {id} was acknowledged"
            );
        }
        // Each writer's own candidate is where its last acknowledged move put it.
        for (w, acked) in all.iter().enumerate() {
            let c = store.candidate(own[w].0).await.unwrap().unwrap();
            if let Some(stage) = &acked.last_move {
                assert_eq!(&c.stage, stage, "writer {w}'s last move");
            }
        }
        // Each shared scorecard has exactly one version per acknowledged amendment
        // after the first, numbered 1, 2, 3… with no gap and no repeat.
        for (k, id) in shared.iter().enumerate() {
            let versions: Vec<u32> = store
                .scorecards(*id)
                .await
                .unwrap()
                .iter()
                .map(|r| r.card.version)
                .collect();
            let acked: u64 = all.iter().map(|a| a.amendments[k]).sum();
            let attempts: u64 = all.iter().map(|a| a.amend_attempts[k]).sum();
            let cap = u64::from(multiplier_app::limits::MAX_AMENDMENTS);
            assert_eq!(acked, attempts.min(cap), "the amendment cap, candidate {k}");
            assert_eq!(versions.len() as u64, acked + 1, "shared candidate {k}");
            let distinct: BTreeSet<u32> = versions.iter().copied().collect();
            assert_eq!(distinct.len(), versions.len(), "no version twice");
            assert_eq!(
                distinct.into_iter().collect::<Vec<_>>(),
                (1..=versions.len() as u32).collect::<Vec<_>>()
            );
        }
        // Every acknowledged submission is frozen with its evidence.
        for (w, acked) in all.iter().enumerate() {
            let candidate = CandidateId(own[w].0.0);
            let link = &store.links(candidate).await.unwrap()[0];
            let work = store.work(link.id, Task::Assessment).await.unwrap();
            if acked.submitted {
                assert!(
                    work.as_ref().and_then(|x| x.submitted_at).is_some(),
                    "writer {w}"
                );
                let evidence = store.evidence(candidate).await.unwrap();
                assert!(evidence.iter().any(|e| e.kind == "written-assessment"));
            } else if acked.drafts > 0 {
                assert!(work.is_some(), "writer {w}'s drafts");
            }
        }
        app.stop().await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn sqlite() {
        scenario(TestDb::sqlite()).await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn postgres() {
        if let Some(db) = TestDb::postgres().await {
            scenario(db).await
        }
    }
}
