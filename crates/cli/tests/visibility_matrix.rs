//! The visibility matrix of `docs/architecture.md`, walked through all three doors
//! at once: for every kind of viewer and every piece of data about one candidate,
//! the candidate page, `GET /api/v1/candidates/{id}` and
//! `multiplier candidate show --format json` must agree with each other and with
//! the matrix. The server runs in-process over the same SQLite file the command
//! line opens.
//!
//! Each piece of data carries a marker no other piece contains, so "visible" means
//! "its marker is in what that door returned".

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use assert_cmd::Command;
use jiff::civil::date;
use multiplier_app::{Account, Actor, App, CandidateInput, DecisionInput, ScorecardDraft};
use multiplier_core::framework::Signal;
use multiplier_core::pipeline::{
    OfferRequest, Outcome, RaisedFlag, Recommendation, Reference, ReferenceKind,
};
use multiplier_core::score::Score;
use multiplier_core::{Framework, Role};
use multiplier_store::testing::TestDb;
use multiplier_store::{AccountRole, CandidateId};
use multiplier_web::{AppState, Config};
use std::collections::BTreeMap;
use std::sync::Arc;

const PASSWORD: &str = "correct horse battery";

// One marker per piece of data.
const EMAIL: &str = "dana.marker@example.com";
const OTHERS_CARD: &str = "MARKER-CARD-OF-BO";
const REFERENCE: &str = "MARKER-REFERENCE-ANSWER";
const RESOLUTION: &str = "MARKER-RESOLUTION-NOTE";
const DECISION: &str = "MARKER-DECISION-RATIONALE";
const EVIDENCE: &str = "MARKER-EVIDENCE-VERDICT";
const ANSWER: &str = "MARKER-CANDIDATE-ANSWER";
const FLAG: &str = "dismisses-dissent";

/// The viewers of the matrix, by column.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Viewer {
    /// An admin who owes a scorecard on the candidate.
    AdminOwing,
    /// An admin who does not.
    Admin,
    /// An assigned interviewer with a scorecard still owed.
    Owing,
    /// An assigned interviewer whose card is in.
    Done,
    /// An interviewer not assigned to the candidate.
    Unassigned,
}

impl Viewer {
    const ALL: [Viewer; 5] = [
        Viewer::AdminOwing,
        Viewer::Admin,
        Viewer::Owing,
        Viewer::Done,
        Viewer::Unassigned,
    ];

    fn name(self) -> &'static str {
        match self {
            Viewer::AdminOwing => "hana",
            Viewer::Admin => "priya",
            Viewer::Owing => "cy",
            Viewer::Done => "dee",
            Viewer::Unassigned => "eve",
        }
    }
}

/// One row of the matrix: which viewers (A, B, C, D, E) see the data.
struct Cell {
    what: &'static str,
    marker: &'static str,
    seen_by: [bool; 5],
}

const CELLS: &[Cell] = &[
    Cell {
        what: "e-mail address",
        marker: EMAIL,
        seen_by: [true, true, false, false, false],
    },
    Cell {
        what: "another interviewer's scorecard",
        marker: OTHERS_CARD,
        seen_by: [false, true, false, true, false],
    },
    Cell {
        what: "a reference recorded by someone else",
        marker: REFERENCE,
        seen_by: [false, true, false, true, false],
    },
    Cell {
        what: "a red-flag resolution",
        marker: RESOLUTION,
        seen_by: [false, true, false, true, false],
    },
    Cell {
        what: "the decision",
        marker: DECISION,
        seen_by: [false, true, false, true, false],
    },
    Cell {
        what: "a tool's verdict attached as evidence",
        marker: EVIDENCE,
        seen_by: [false, true, false, true, false],
    },
    Cell {
        what: "the candidate's own written answers",
        marker: ANSWER,
        seen_by: [true, true, true, true, false],
    },
];

fn account(name: &str, role: AccountRole) -> Account {
    Account {
        name: name.into(),
        role,
    }
}

fn draft(stage: &str, signals: &[Signal], note: &str, flags: Vec<RaisedFlag>) -> ScorecardDraft {
    ScorecardDraft {
        stage: stage.into(),
        scores: signals
            .iter()
            .map(|s| (*s, Score::new(3).unwrap()))
            .collect(),
        notes: signals.iter().map(|s| (*s, note.to_string())).collect(),
        red_flags: flags,
        recommendation: Recommendation::Yes,
    }
}

/// Dana, with one of everything, recorded through the use cases; her candidate
/// id and the token of her portal link.
async fn seed(db: &TestDb) -> (CandidateId, String) {
    let store = db.open().await;
    let fw = Arc::new(Framework::default_framework().unwrap());
    let app = App::new(store, Arc::clone(&fw));
    for (name, role) in [
        ("priya", AccountRole::Admin),
        ("hana", AccountRole::Admin),
        ("bo", AccountRole::Interviewer),
        ("cy", AccountRole::Interviewer),
        ("dee", AccountRole::Interviewer),
        ("eve", AccountRole::Interviewer),
    ] {
        app.add_account(&Actor::Operator, name, role, PASSWORD)
            .await
            .unwrap();
    }
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/roles/payments-player-coach.toml"
    ))
    .unwrap();
    let role = Role::parse(&fw, "payments", &text).unwrap();
    let priya = account("priya", AccountRole::Admin);
    let (_, opening) = app.open_role(&priya, &role, None).await.unwrap();
    let dana = app
        .add_candidate(
            &priya,
            opening,
            &CandidateInput {
                name: "Dana Reyes".into(),
                email: Some(EMAIL.into()),
                ..CandidateInput::default()
            },
        )
        .await
        .unwrap();
    for (stage, who) in [
        ("product-partnership", "bo"),
        ("technical-depth", "cy"),
        ("code-review", "dee"),
        ("leadership", "hana"),
    ] {
        app.assign(&priya, dana, stage, who).await.unwrap();
    }
    let bo = account("bo", AccountRole::Interviewer);
    app.submit_scorecard(
        &bo,
        dana,
        &draft(
            "product-partnership",
            &[Signal::TeamMultiplier],
            OTHERS_CARD,
            vec![RaisedFlag {
                id: FLAG.into(),
                note: format!("{OTHERS_CARD}: talked over the PM"),
            }],
        ),
        None,
    )
    .await
    .unwrap();
    let dee = account("dee", AccountRole::Interviewer);
    app.submit_scorecard(
        &dee,
        dana,
        &draft(
            "code-review",
            &[Signal::TechnicalDepth, Signal::TeamMultiplier],
            "dee's own notes",
            Vec::new(),
        ),
        None,
    )
    .await
    .unwrap();
    app.add_reference(
        &priya,
        dana,
        &Reference {
            kind: ReferenceKind::Engineer,
            name: "Lee".into(),
            relationship: "reported to Dana".into(),
            answer: REFERENCE.into(),
            example: "a migration review".into(),
            scores: BTreeMap::from([(Signal::TeamMultiplier, Score::new(4).unwrap())]),
        },
    )
    .await
    .unwrap();
    app.resolve_flag(&priya, dana, FLAG, RESOLUTION)
        .await
        .unwrap();
    app.attach_evidence(
        &priya,
        dana,
        "code-review-grade",
        "grade.json",
        &serde_json::json!({"score": 3, "verdict": EVIDENCE}),
    )
    .await
    .unwrap();
    app.decide(
        &priya,
        dana,
        &DecisionInput {
            outcome: Outcome::Hire,
            rationale: DECISION.into(),
            against_policy: true,
        },
    )
    .await
    .unwrap();
    let request = OfferRequest {
        level: "tech-lead".into(),
        region: "us".into(),
        coding: multiplier_core::role::parse_split("60").unwrap(),
        stage: None,
    };
    app.record_offer(&priya, dana, &request).await.unwrap();
    app.accept_offer(&priya, dana, date(2027, 1, 11))
        .await
        .unwrap();
    let link = app
        .create_link(&priya, dana, "orders-n-plus-one", 7)
        .await
        .unwrap();
    let visit = app.visit(&link.token).await.unwrap();
    let question = fw.assessment.questions[0].id.clone();
    app.submit_assessment(
        &visit,
        &multiplier_core::answers::Answers {
            answers: vec![multiplier_core::answers::Answer {
                question,
                text: format!("{ANSWER}: microservices are always the answer."),
            }],
        },
    )
    .await
    .unwrap();
    (dana, link.token)
}

/// A signed-in browser-like client: the sign-in form, then the session cookie.
async fn signed_in(base: &str, name: &str) -> reqwest::Client {
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = http
        .get(format!("{base}/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let marker = "name=\"csrf\" value=\"";
    let at = page
        .find(marker)
        .expect("the sign-in form has a CSRF field")
        + marker.len();
    let csrf = &page[at..at + page[at..].find('"').unwrap()];
    let res = http
        .post(format!("{base}/login"))
        .form(&[("name", name), ("password", PASSWORD), ("csrf", csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "sign-in as {name}");
    http
}

/// What one door answered: its status (an exit code for the CLI) and body.
#[derive(Debug)]
struct Answer {
    status: u16,
    body: String,
}

async fn get(http: &reqwest::Client, url: String) -> Answer {
    let res = http.get(url).send().await.unwrap();
    Answer {
        status: res.status().as_u16(),
        body: res.text().await.unwrap(),
    }
}

async fn cli(db: String, args: Vec<String>) -> Answer {
    tokio::task::spawn_blocking(move || {
        let out = Command::cargo_bin("multiplier")
            .unwrap()
            .env_remove("MULTIPLIER_USER")
            .env("NO_COLOR", "1")
            .arg("--db")
            .arg(&db)
            .args(&args)
            .output()
            .unwrap();
        Answer {
            status: u16::try_from(out.status.code().unwrap_or(-1)).unwrap_or(u16::MAX),
            body: format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        }
    })
    .await
    .unwrap()
}

/// Whether JSON text holds `key` with an object for its value (a `null` is the
/// key's absence).
fn has_object(json: &str, key: &str) -> bool {
    json.contains(&format!("\"{key}\":{{")) || json.contains(&format!("\"{key}\": {{"))
}

/// The three doors' answers for one viewer.
struct Doors {
    page: Answer,
    api: Answer,
    cli: Answer,
}

multiplier_store::each_backend! {
    async fn pages_api_and_cli_agree_on_every_cell_of_the_visibility_matrix(test_db) {
        let (dana, token) = seed(&test_db).await;
        let db = test_db.location().to_string();

        let store = test_db.open().await;
        let state = AppState::new(store, Arc::new(Framework::default_framework().unwrap()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(multiplier_web::serve(
            listener,
            state,
            Config::default(),
            async move {
                let _ = stopped.await;
            },
        ));

        let mut problems = Vec::new();
        for viewer in Viewer::ALL {
            let name = viewer.name();
            let http = signed_in(&base, name).await;
            let doors = Doors {
                page: get(&http, format!("{base}/candidates/{dana}")).await,
                api: get(&http, format!("{base}/api/v1/candidates/{dana}")).await,
                cli: cli(
                    db.clone(),
                    [
                        "candidate",
                        "show",
                        &dana.to_string(),
                        "--format",
                        "json",
                        "--as",
                        name,
                    ]
                    .map(String::from)
                    .to_vec(),
                )
                .await,
            };

            // The candidate itself: not found for the unassigned interviewer, in
            // each door's own terms (404, or exit 2 naming the missing candidate).
            let exists = viewer != Viewer::Unassigned;
            let found = [
                ("page", doors.page.status == 200),
                ("api", doors.api.status == 200),
                ("cli", doors.cli.status == 0),
            ];
            for (door, ok) in found {
                if ok != exists {
                    problems.push(format!("{name} via {door}: candidate found = {ok}"));
                }
            }
            if !exists {
                assert_eq!(doors.page.status, 404);
                assert_eq!(doors.api.status, 404);
                assert_eq!(doors.cli.status, 2, "{}", doors.cli.body);
                assert!(
                    doors
                        .cli
                        .body
                        .contains(&format!("there is no candidate {dana}"))
                );
                continue;
            }

            let column = Viewer::ALL.iter().position(|v| *v == viewer).unwrap();
            for cell in CELLS {
                let expected = cell.seen_by[column];
                for (door, answer) in [
                    ("page", &doors.page),
                    ("api", &doors.api),
                    ("cli", &doors.cli),
                ] {
                    let seen = answer.body.contains(cell.marker);
                    if seen != expected {
                        problems.push(format!(
                            "{name} ({viewer:?}) via {door}: {} {}",
                            cell.what,
                            if seen { "leaked" } else { "missing" }
                        ));
                    }
                }
            }

            // Timeline entries follow their data: the decision and the flag
            // resolution for those who may read judgements, the offer for admins
            // who may. The API and the CLI carry the actions, the page its labels.
            let judgements = viewer == Viewer::Admin || viewer == Viewer::Done;
            let offers = viewer == Viewer::Admin;
            for (action, label, expected) in [
                ("decision.record", "Decision recorded", judgements),
                ("flag.resolve", "Red flag resolved", judgements),
                ("offer.make", "Offer made", offers),
                ("offer.accept", "Offer accepted", offers),
            ] {
                let quoted = format!("\"{action}\"");
                for (door, seen) in [
                    ("page", doors.page.body.contains(label)),
                    ("api", doors.api.body.contains(&quoted)),
                    ("cli", doors.cli.body.contains(&quoted)),
                ] {
                    if seen != expected {
                        problems.push(format!(
                            "{name} ({viewer:?}) via {door}: timeline {action} {}",
                            if seen { "leaked" } else { "missing" }
                        ));
                    }
                }
            }
            // The analyzer's reading of the answers is a tool's verdict: withheld
            // while the viewer owes a scorecard, with the answers themselves kept.
            for (door, seen) in [
                ("page", doors.page.body.contains("read by the analyzer")),
                ("api", has_object(&doors.api.body, "analysis")),
                ("cli", has_object(&doors.cli.body, "analysis")),
            ] {
                if seen != judgements {
                    problems.push(format!(
                        "{name} ({viewer:?}) via {door}: the answers' analysis {}",
                        if seen { "leaked" } else { "missing" }
                    ));
                }
            }
            // The flag a colleague raised is itself a judgement: its id shows
            // nowhere to a blind viewer (not in a card, a resolution or the timeline).
            if !judgements && viewer != Viewer::Admin {
                for (door, answer) in [
                    ("page", &doors.page),
                    ("api", &doors.api),
                    ("cli", &doors.cli),
                ] {
                    if answer.body.contains(FLAG) {
                        problems.push(format!("{name} via {door}: the raised flag's id leaked"));
                    }
                }
            }

            // Offers and the debrief, where each door has them.
            let offer_page = get(&http, format!("{base}/candidates/{dana}/offer")).await;
            let offer_ok = offer_page.status == 200;
            if offer_ok != offers {
                problems.push(format!(
                    "{name}: offer page answered {} (offers visible: {offers})",
                    offer_page.status
                ));
            }
            let api_offers = doors.api.body.contains("\"band_min\"");
            let cli_offers = doors.cli.body.contains("\"band_min\"");
            if api_offers != offers || cli_offers != offers {
                problems.push(format!(
                    "{name}: offers via api {api_offers}, via cli {cli_offers}, expected {offers}"
                ));
            }
            let debrief_page = get(&http, format!("{base}/candidates/{dana}/debrief")).await;
            let debrief_cli = cli(
                db.clone(),
                ["debrief", "--candidate", &dana.to_string(), "--as", name]
                    .map(String::from)
                    .to_vec(),
            )
            .await;
            let api_debrief = get(&http, format!("{base}/api/v1/openings/1/debrief")).await;
            let api_open = serde_json::from_str::<serde_json::Value>(&api_debrief.body)
                .ok()
                .and_then(|v| {
                    v["candidates"].as_array().and_then(|rows| {
                        rows.iter()
                            .find(|r| r["id"] == dana.0)
                            .map(|r| r["debrief"].is_object())
                    })
                });
            let open = judgements;
            let answers = [
                (
                    "page",
                    if debrief_page.status == 200 {
                        Some(true)
                    } else if debrief_page.status == 403 {
                        Some(false)
                    } else {
                        None
                    },
                ),
                ("api", api_open),
                (
                    "cli",
                    match debrief_cli.status {
                        // 1: shown, and the policy says the bar is not met.
                        0 | 1 => Some(true),
                        3 => Some(false),
                        _ => None,
                    },
                ),
            ];
            for (door, got) in answers {
                if got != Some(open) {
                    problems.push(format!(
                        "{name} ({viewer:?}) via {door}: debrief open = {got:?}, expected {open} (cli said {}: {})",
                        debrief_cli.status,
                        debrief_cli.body.lines().next().unwrap_or_default()
                    ));
                }
            }
        }
        // F: the candidate behind their link sees their own record and nothing of
        // the hiring team's: no card, reference, resolution, decision or evidence.
        let candidate = reqwest::Client::new();
        for path in ["", "/assessment", "/review", "/data", "/data.json"] {
            let answer = get(&candidate, format!("{base}/c/{token}{path}")).await;
            assert_eq!(answer.status, 200, "/c/…{path}");
            // Their own e-mail and answers are theirs to see.
            for cell in CELLS
                .iter()
                .filter(|c| c.marker != EMAIL && c.marker != ANSWER)
            {
                if answer.body.contains(cell.marker) {
                    problems.push(format!(
                        "the candidate via /c/…{path}: {} leaked",
                        cell.what
                    ));
                }
            }
            if answer.body.contains(FLAG) {
                problems.push(format!(
                    "the candidate via /c/…{path}: a raised flag leaked"
                ));
            }
        }
        let export = get(&candidate, format!("{base}/c/{token}/data.json")).await;
        assert!(
            export.body.contains(EMAIL),
            "their own e-mail is in their export"
        );

        let _ = stop.send(());
        server.await.unwrap().unwrap();
        assert!(
            problems.is_empty(),
            "{} cell(s) disagree:\n{}",
            problems.len(),
            problems.join("\n")
        );
    }
}
