//! The JSON API under /api/v1: the session and CSRF flow, every route for every
//! role, the blind rule, 422 shapes, JSON errors everywhere, and the OpenAPI
//! document matching the routes served.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod support;

use reqwest::Method;
use serde_json::{Value, json};
use support::{Client, PASSWORD, Res, TestApp};

/// A client that talks to the API the documented way: the CSRF token from
/// `GET /api/v1/session`, sent back in `x-csrf-token`.
struct Api {
    c: Client,
    token: String,
}

async fn read(res: reqwest::Response) -> (Res, Option<String>) {
    let token = res
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let status = res.status().as_u16();
    let content_type = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let body = res.text().await.unwrap();
    (
        Res {
            status,
            location: None,
            content_type,
            body,
        },
        token,
    )
}

impl Api {
    /// Signed out, with the session's token.
    async fn anonymous(app: &TestApp) -> Api {
        let c = app.anonymous();
        let res = c.http.get(app.url("/api/v1/session")).send().await.unwrap();
        let (res, token) = read(res).await;
        assert_eq!(res.status, 401);
        Api {
            c,
            token: token.expect("GET /session hands out a CSRF token when signed out"),
        }
    }

    /// Signed in through `POST /api/v1/session`.
    async fn login(app: &TestApp, name: &str) -> Api {
        let mut api = Api::anonymous(app).await;
        let res = api
            .send(
                Method::POST,
                "/session",
                &json!({"name": name, "password": PASSWORD}),
            )
            .await;
        assert_eq!(res.status, 200, "sign-in as {name}: {}", res.body);
        api.token = res.json()["csrf_token"].as_str().unwrap().to_string();
        api
    }

    fn url(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.c.base)
    }

    async fn get(&self, path: &str) -> Res {
        read(self.c.http.get(self.url(path)).send().await.unwrap())
            .await
            .0
    }

    async fn send(&self, method: Method, path: &str, body: &Value) -> Res {
        read(
            self.c
                .http
                .request(method, self.url(path))
                .header("x-csrf-token", &self.token)
                .json(body)
                .send()
                .await
                .unwrap(),
        )
        .await
        .0
    }

    async fn post(&self, path: &str, body: &Value) -> Res {
        self.send(Method::POST, path, body).await
    }

    /// A write without the CSRF header.
    async fn post_without_csrf(&self, path: &str, body: &Value) -> Res {
        read(
            self.c
                .http
                .post(self.url(path))
                .json(body)
                .send()
                .await
                .unwrap(),
        )
        .await
        .0
    }
}

/// The problem document's detail, asserting an RFC 9457 problem
/// (`application/problem+json` with `type`, `title`, `status` and `detail`).
fn error(res: &Res, status: u16) -> String {
    assert_eq!(res.status, status, "{}", res.body);
    assert!(
        res.content_type.starts_with("application/problem+json"),
        "not a problem document ({}): {}",
        res.content_type,
        res.body
    );
    let v = res.json();
    assert_eq!(v["status"], status, "{v}");
    assert_eq!(v["type"], "about:blank", "{v}");
    let reason = reqwest::StatusCode::from_u16(status)
        .unwrap()
        .canonical_reason()
        .unwrap();
    assert_eq!(v["title"], reason, "{v}");
    let detail = v["detail"].as_str().unwrap().to_string();
    assert!(!detail.is_empty());
    detail
}

fn intake() -> Value {
    json!({
        "title": "Tech Lead, Payments backend",
        "context": {"team": "Payments backend", "stack": "Django, PostgreSQL"},
        "answers": {
            "coding-share": "60/40",
            "team": {"senior": 1, "mid": 3, "junior": 0},
            "performance-reviews": false,
            "architecture": "monolith",
            "mandate": "legacy-modernisation",
            "main-challenge": "delivery-speed",
            "rituals": ["sprint-planning", "architecture-review"],
            "reports-to": "engineering-manager"
        }
    })
}

/// An opening with one candidate: ivy interviews technical depth, ian code
/// review; `una` is an interviewer with no assignment.
async fn setup(app: &TestApp) -> (Api, i64, i64) {
    app.state
        .app
        .add_account(
            &multiplier_app::Actor::Operator,
            "una",
            multiplier_store::AccountRole::Interviewer,
            PASSWORD,
        )
        .await
        .unwrap();
    let hm = Api::login(app, "hm").await;
    let res = hm.post("/openings", &json!({"intake": intake()})).await;
    assert_eq!(res.status, 201, "{}", res.body);
    let opening = res.json()["opening"]["id"].as_i64().unwrap();
    let res = hm
        .post(
            &format!("/openings/{opening}/candidates"),
            &json!({"name": "Dana Reyes", "email": "dana@example.com", "stage": "technical-depth"}),
        )
        .await;
    assert_eq!(res.status, 201, "{}", res.body);
    let candidate = res.json()["id"].as_i64().unwrap();
    for (stage, who) in [("technical-depth", "ivy"), ("code-review", "ian")] {
        let res = hm
            .post(
                &format!("/candidates/{candidate}/assignments"),
                &json!({"stage": stage, "interviewer": who}),
            )
            .await;
        assert_eq!(res.status, 201, "{}", res.body);
    }
    (hm, opening, candidate)
}

fn card(stage: &str) -> Value {
    let scores = if stage == "technical-depth" {
        json!({"technical-depth": 3})
    } else {
        json!({"technical-depth": 3, "team-multiplier": 3})
    };
    json!({
        "stage": stage,
        "scores": scores,
        "notes": {"technical-depth": "explained the rollback plan one level deeper"},
        "recommendation": "yes"
    })
}

multiplier_store::each_backend! {
    async fn session_flow_token_sign_in_whoami_and_sign_out(db) {
        let app = TestApp::start_on(db).await;
        let anon = Api::anonymous(&app).await;
        // Signing in needs the token from GET /session.
        let res = anon
            .post_without_csrf("/session", &json!({"name": "hm", "password": PASSWORD}))
            .await;
        assert!(error(&res, 403).contains("x-csrf-token"));
        let res = anon
            .post(
                "/session",
                &json!({"name": "hm", "password": "not it at all"}),
            )
            .await;
        error(&res, 401);
        let hm = Api::login(&app, "hm").await;
        let me = hm.get("/session").await;
        assert_eq!(me.status, 200);
        assert_eq!(me.json()["name"], "hm");
        assert_eq!(me.json()["role"], "admin");
        assert_eq!(me.json()["csrf_token"], hm.token.as_str());
        // Signing out needs the token too.
        let res = read(hm.c.http.delete(hm.url("/session")).send().await.unwrap())
            .await
            .0;
        error(&res, 403);
        assert_eq!(
            hm.send(Method::DELETE, "/session", &json!({})).await.status,
            204
        );
        error(&hm.get("/session").await, 401);
        error(&hm.get("/openings").await, 401);
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn api_sign_in_is_rate_limited_like_the_sign_in_form(db) {
        let app = TestApp::start_on(db).await;
        let api = Api::anonymous(&app).await;
        for _ in 0..multiplier_web::auth::MAX_FAILURES_PER_NAME {
            let res = api
                .post(
                    "/session",
                    &json!({"name": "ivy", "password": "wrong guess"}),
                )
                .await;
            error(&res, 401);
        }
        let res = api
            .post("/session", &json!({"name": "ivy", "password": PASSWORD}))
            .await;
        assert!(error(&res, 429).contains("minutes"));
        // The form and the API count the same failures.
        let form = app.anonymous();
        let res = form
            .post_form("/login", &[("name", "ivy"), ("password", PASSWORD)])
            .await;
        assert_eq!(res.status, 429);
        // Another name from the same client is not locked.
        let res = api
            .post("/session", &json!({"name": "ian", "password": PASSWORD}))
            .await;
        assert_eq!(res.status, 200, "{}", res.body);
        app.stop().await;
    }
}

/// Every (method, path) the OpenAPI document lists, with ids filled in.
async fn documented(app: &TestApp) -> Vec<(Method, String, String)> {
    let res = app.anonymous().get("/api/v1/openapi.json").await;
    assert_eq!(res.status, 200);
    let doc = res.json();
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, _) in item.as_object().unwrap() {
            let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let concrete = path.replace("{id}", "1").replace("{step}", "access");
            out.push((m, path.clone(), concrete));
        }
    }
    out
}

multiplier_store::each_backend! {
    async fn the_openapi_document_is_openapi_3_and_lists_every_route_of_the_api(db) {
        let app = TestApp::start_on(db).await;
        let res = app.anonymous().get("/api/v1/openapi.json").await;
        assert_eq!(res.status, 200);
        assert!(res.content_type.starts_with("application/json"));
        let doc = res.json();
        assert!(
            doc["openapi"].as_str().unwrap().starts_with("3."),
            "{}",
            doc["openapi"]
        );
        assert_eq!(doc["servers"][0]["url"], "/api/v1");
        assert!(doc["info"]["title"].is_string());
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                assert!(
                    op["responses"].as_object().is_some_and(|r| !r.is_empty()),
                    "{method} {path} documents no response"
                );
                // Every schema reference resolves.
                let text = op.to_string();
                for piece in text.split("#/components/schemas/").skip(1) {
                    let name = piece.split('"').next().unwrap();
                    assert!(
                        schemas.contains_key(name),
                        "{method} {path}: {name} is not defined"
                    );
                }
            }
        }
        // The resources the API promises, each documented (and so served: routes are
        // registered from the same declaration).
        let listed: Vec<(String, String)> = documented(&app)
            .await
            .into_iter()
            .map(|(m, p, _)| (m.to_string(), p))
            .collect();
        for (m, p) in [
            ("GET", "/session"),
            ("POST", "/session"),
            ("DELETE", "/session"),
            ("GET", "/openings"),
            ("POST", "/openings"),
            ("GET", "/openings/{id}"),
            ("GET", "/openings/{id}/debrief"),
            ("GET", "/candidates"),
            ("POST", "/openings/{id}/candidates"),
            ("GET", "/candidates/{id}"),
            ("POST", "/candidates/{id}/move"),
            ("POST", "/candidates/{id}/assignments"),
            ("GET", "/candidates/{id}/scorecards"),
            ("POST", "/candidates/{id}/scorecards"),
            ("GET", "/candidates/{id}/references"),
            ("POST", "/candidates/{id}/references"),
            ("POST", "/candidates/{id}/decision"),
            ("POST", "/offer/quote"),
            ("POST", "/candidates/{id}/offer"),
            ("POST", "/candidates/{id}/offer/accept"),
            ("GET", "/candidates/{id}/onboarding"),
            ("POST", "/candidates/{id}/onboarding/steps/{step}"),
            ("GET", "/audit"),
            ("POST", "/jd/lint"),
            ("POST", "/jd/write"),
            ("GET", "/exercises"),
            ("POST", "/review/grade"),
            ("POST", "/answers/analyze"),
            ("GET", "/openapi.json"),
        ] {
            assert!(
                listed.contains(&(m.to_string(), p.to_string())),
                "{m} {p} is not in the document"
            );
        }
        // Every documented route is served: none answers "no such path" or 405.
        let hm = Api::login(&app, "hm").await;
        for (m, path, concrete) in documented(&app).await {
            if path == "/session" && m == Method::DELETE {
                continue;
            }
            let res = hm.send(m.clone(), &concrete, &json!({})).await;
            assert_ne!(res.status, 405, "{m} {path}: {}", res.body);
            assert!(
                !(res.status == 404 && res.body.contains("no such API path")),
                "{m} {path} is documented but not served"
            );
            assert!(
                res.content_type.starts_with("application/json")
                    || res.content_type.starts_with("application/problem+json"),
                "{m} {path} answered {}: {}",
                res.content_type,
                res.body
            );
        }
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn every_route_refuses_anonymous_requests_with_401_json(db) {
        let app = TestApp::start_on(db).await;
        let anon = Api::anonymous(&app).await;
        for (m, path, concrete) in documented(&app).await {
            let open = path == "/openapi.json" || (path == "/session" && m != Method::GET);
            if open {
                continue;
            }
            let res = if m == Method::GET {
                anon.get(&concrete).await
            } else {
                anon.send(m.clone(), &concrete, &json!({})).await
            };
            let message = error(&res, 401);
            assert!(message.contains("sign in"), "{m} {path}: {message}");
        }
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn unknown_paths_wrong_methods_and_bad_bodies_answer_json_errors(db) {
        let app = TestApp::start_on(db).await;
        let hm = Api::login(&app, "hm").await;
        assert!(error(&hm.get("/no/such/thing").await, 404).contains("openapi.json"));
        error(&app.anonymous().get("/api/v1/nothing-here").await, 404);
        let res = hm.send(Method::PUT, "/openings", &json!({})).await;
        assert!(error(&res, 405).contains("PUT"));
        // Malformed JSON: a syntax error is a 400, a wrong shape a 422, both in JSON.
        let res = read(
            hm.c.http
                .post(hm.url("/jd/lint"))
                .header("x-csrf-token", &hm.token)
                .header("content-type", "application/json")
                .body("{\"text\": ")
                .send()
                .await
                .unwrap(),
        )
        .await
        .0;
        error(&res, 400);
        let res = hm.post("/jd/lint", &json!({"words": 3})).await;
        assert!(error(&res, 422).contains("text"));
        let res = read(
            hm.c.http
                .post(hm.url("/jd/lint"))
                .header("x-csrf-token", &hm.token)
                .body("text=hello")
                .send()
                .await
                .unwrap(),
        )
        .await
        .0;
        error(&res, 415);
        error(&hm.get("/candidates/abc").await, 400);
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn writes_need_the_csrf_header(db) {
        let app = TestApp::start_on(db).await;
        let (hm, opening, candidate) = setup(&app).await;
        let res = hm
            .post_without_csrf("/openings", &json!({"intake": intake()}))
            .await;
        assert!(error(&res, 403).contains("x-csrf-token"));
        let forged = Api {
            c: hm.c.clone(),
            token: "0".repeat(64),
        };
        let res = forged
            .post(
                &format!("/candidates/{candidate}/move"),
                &json!({"stage": "code-review"}),
            )
            .await;
        error(&res, 403);
        // Nothing changed.
        let board = hm.get(&format!("/openings/{opening}")).await.json();
        let column = board["columns"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["stage"] == "technical-depth")
            .unwrap()
            .clone();
        assert_eq!(column["candidates"][0]["id"], candidate);
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn validation_errors_are_422_with_each_fields_problem(db) {
        let app = TestApp::start_on(db).await;
        let (hm, opening, candidate) = setup(&app).await;
        let mut bad = intake();
        bad["answers"]["coding-share"] = json!(140);
        bad["answers"]["architecture"] = json!("mainframe");
        bad["answers"].as_object_mut().unwrap().remove("mandate");
        let res = hm.post("/openings", &json!({"intake": bad})).await;
        error(&res, 422);
        let fields: Vec<String> = res.json()["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["field"].as_str().unwrap().to_string())
            .collect();
        for f in [
            "answers.coding-share",
            "answers.architecture",
            "answers.mandate",
        ] {
            assert!(fields.contains(&f.to_string()), "{f} not in {fields:?}");
        }
        let res = hm
            .post(
                &format!("/openings/{opening}/candidates"),
                &json!({"name": " ", "stage": "lunch", "internal": true}),
            )
            .await;
        error(&res, 422);
        let problems = res.json()["problems"].to_string();
        for f in ["name", "stage", "wants_leadership", "gives_up"] {
            assert!(problems.contains(&format!("\"{f}\"")), "{f}: {problems}");
        }
        // A scorecard breaking the stage's rules: a score out of range, a signal the
        // stage does not feed, a 4 without its note.
        let ivy = Api::login(&app, "ivy").await;
        let res = ivy
            .post(
                &format!("/candidates/{candidate}/scorecards"),
                &json!({"stage": "technical-depth", "scores": {"technical-depth": 7}, "recommendation": "maybe"}),
            )
            .await;
        error(&res, 422);
        let problems = res.json()["problems"].to_string();
        assert!(problems.contains("scores.technical-depth"), "{problems}");
        assert!(problems.contains("recommendation"), "{problems}");
        let res = ivy
            .post(
                &format!("/candidates/{candidate}/scorecards"),
                &json!({"stage": "technical-depth", "scores": {"technical-depth": 4, "team-multiplier": 2}, "recommendation": "yes"}),
            )
            .await;
        error(&res, 422);
        assert!(!res.json()["problems"].as_array().unwrap().is_empty());
        let res = hm
            .post(
                "/offer/quote",
                &json!({"level": "wizard", "region": "us", "split": "70/30"}),
            )
            .await;
        assert_eq!(res.json()["problems"][0]["field"], "level");
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn who_may_read_and_write_what(db) {
        let app = TestApp::start_on(db).await;
        let (hm, opening, candidate) = setup(&app).await;
        let ivy = Api::login(&app, "ivy").await;
        let una = Api::login(&app, "una").await;
        let c = format!("/candidates/{candidate}");

        // Everyone signed in sees the openings; interviewers only their candidates.
        for api in [&hm, &ivy, &una] {
            assert_eq!(api.get("/openings").await.status, 200);
            assert_eq!(api.get(&format!("/openings/{opening}")).await.status, 200);
        }
        assert_eq!(
            ivy.get("/openings").await.json()["items"][0]["candidates"],
            1
        );
        assert_eq!(
            una.get("/openings").await.json()["items"][0]["candidates"],
            0
        );
        assert_eq!(
            hm.get("/candidates").await.json()["items"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            ivy.get("/candidates").await.json()["items"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        assert!(
            una.get("/candidates").await.json()["items"]
                .as_array()
                .unwrap()
                .is_empty()
        );

        // The candidate: admin and the assigned interviewer read it; the unassigned
        // one gets the same 404 as for a candidate that does not exist.
        assert_eq!(hm.get(&c).await.status, 200);
        assert_eq!(ivy.get(&c).await.status, 200);
        let missing = error(&una.get(&c).await, 404);
        let nonexistent = error(&una.get("/candidates/999").await, 404);
        assert_eq!(
            missing.replace(&candidate.to_string(), "N"),
            nonexistent.replace("999", "N")
        );
        for sub in ["/scorecards", "/references"] {
            error(&una.get(&format!("{c}{sub}")).await, 404);
        }
        error(
            &una.post(&format!("{c}/scorecards"), &card("technical-depth"))
                .await,
            404,
        );

        // Hiring-manager writes: 403 for an assigned interviewer, 404 for an unassigned one.
        let writes: Vec<(String, Value)> = vec![
            (format!("{c}/move"), json!({"stage": "code-review"})),
            (
                format!("{c}/assignments"),
                json!({"stage": "leadership", "interviewer": "una"}),
            ),
            (
                format!("{c}/decision"),
                json!({"outcome": "hold", "rationale": "wait"}),
            ),
            (
                format!("{c}/offer"),
                json!({"level": "tech-lead", "region": "us", "split": "60/40"}),
            ),
            (format!("{c}/offer/accept"), json!({"start": "2030-01-07"})),
            (format!("{c}/onboarding/steps/access"), json!({})),
        ];
        for (path, body) in &writes {
            assert!(
                error(&ivy.post(path, body).await, 403).contains("hiring manager"),
                "{path}"
            );
            error(&una.post(path, body).await, 404);
        }
        error(&ivy.get(&format!("{c}/onboarding")).await, 403);
        for (path, body) in [
            ("/openings".to_string(), json!({"intake": intake()})),
            (
                format!("/openings/{opening}/candidates"),
                json!({"name": "Sam"}),
            ),
        ] {
            assert!(error(&ivy.post(&path, &body).await, 403).contains("hiring manager"));
        }
        // Pricing an offer is open to staff, as on the /offer page.
        let quote = ivy
            .post(
                "/offer/quote",
                &json!({"level": "tech-lead", "region": "us", "split": "60"}),
            )
            .await;
        assert_eq!(quote.status, 200, "{}", quote.body);
        assert!(error(&ivy.get("/audit").await, 403).contains("hiring manager"));

        // An interviewer scores only the stage they are assigned to.
        let res = ivy
            .post(&format!("{c}/scorecards"), &card("code-review"))
            .await;
        assert!(error(&res, 403).contains("not assigned"));
        let res = ivy
            .post(
                &format!("{c}/references"),
                &json!({
                    "kind": "engineer", "name": "Lee", "relationship": "report", "answer": "yes"
                }),
            )
            .await;
        error(&res, 403);

        // The admin does all of it.
        assert_eq!(
            hm.post(&format!("{c}/move"), &json!({"stage": "code-review"}))
                .await
                .status,
            200
        );
        let res = hm.post(&format!("{c}/references"), &json!({
            "kind": "engineer", "name": "Lee", "relationship": "reported to Dana for two years",
            "answer": "yes, a lot", "example": "her review of my first migration taught me to plan rollbacks",
            "scores": {"team-multiplier": 4}
        })).await;
        assert_eq!(res.status, 201, "{}", res.body);
        assert_eq!(
            hm.get(&format!("{c}/references")).await.json()["references"][0]["kind"],
            "engineer"
        );
        assert_eq!(hm.get("/audit").await.status, 200);
        let audit = hm
            .get(&format!("/audit?candidate={candidate}"))
            .await
            .json();
        assert!(
            audit["items"].as_array().unwrap().iter().any(|e| e["actor"] == "hm"),
            "{audit}"
        );
        error(&hm.get("/audit?since=yesterday").await, 422);

        // Stateless tools: any signed-in person, nobody anonymous.
        assert_eq!(ivy.get("/exercises").await.status, 200);
        assert_eq!(
            una.post("/jd/lint", &json!({"text": "We want a rockstar."}))
                .await
                .status,
            200
        );
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn the_blind_rule_withholds_with_the_reason_until_your_own_scorecard_is_in(db) {
        let app = TestApp::start_on(db).await;
        let (hm, opening, candidate) = setup(&app).await;
        let c = format!("/candidates/{candidate}");
        let ian = Api::login(&app, "ian").await;
        let ivy = Api::login(&app, "ivy").await;
        let res = ian
            .post(&format!("{c}/scorecards"), &card("code-review"))
            .await;
        assert_eq!(res.status, 201, "{}", res.body);
        assert_eq!(res.json()["interviewer"], "ian");
        assert_eq!(res.json()["version"], 1);

        // ivy still owes hers: the list holds only her own (none), says how many
        // are withheld, and why.
        let res = ivy.get(&format!("{c}/scorecards")).await;
        assert_eq!(res.status, 200, "{}", res.body);
        let list = res.json();
        assert!(list["scorecards"].as_array().unwrap().is_empty(), "{list}");
        assert_eq!(list["hidden_scorecards"], 1, "{list}");
        let reason = list["blind"].as_str().unwrap();
        assert!(reason.contains("not submitted"), "{reason}");
        let view = ivy.get(&c).await.json();
        assert_eq!(view["hidden_scorecards"], 1);
        assert!(view["scorecards"].as_array().unwrap().is_empty());
        assert!(view["blind"].as_str().is_some());
        let debrief = ivy
            .get(&format!("/openings/{opening}/debrief"))
            .await
            .json();
        assert!(debrief["candidates"][0]["debrief"].is_null());
        assert!(debrief["candidates"][0]["blind"].is_string());
        let search = ivy.get("/candidates?min_team_multiplier=1").await.json();
        assert!(
            search["items"].as_array().unwrap().is_empty(),
            "scores leaked: {search}"
        );

        // Once hers is in, she reads every scorecard.
        let res = ivy
            .post(&format!("{c}/scorecards"), &card("technical-depth"))
            .await;
        assert_eq!(res.status, 201, "{}", res.body);
        let cards = ivy.get(&format!("{c}/scorecards")).await;
        assert_eq!(cards.status, 200, "{}", cards.body);
        let cards = cards.json();
        assert_eq!(cards["hidden_scorecards"], 0, "{cards}");
        assert!(cards["blind"].is_null(), "{cards}");
        let mut who: Vec<&str> = cards["scorecards"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["interviewer"].as_str().unwrap())
            .collect();
        who.sort_unstable();
        assert_eq!(who, ["ian", "ivy"]);
        let debrief = ivy
            .get(&format!("/openings/{opening}/debrief"))
            .await
            .json();
        let d = &debrief["candidates"][0]["debrief"];
        assert_eq!(d["technical_depth"]["raters"], 2, "{debrief}");
        assert_eq!(d["team_multiplier"]["raters"], 1, "{debrief}");

        // A second submission is refused; an amendment with a reason is a new version.
        let res = ivy
            .post(&format!("{c}/scorecards"), &card("technical-depth"))
            .await;
        assert!(error(&res, 409).contains("amendment_reason"));
        let mut amended = card("technical-depth");
        amended["amendment_reason"] = json!("re-read my notes on the rollback design");
        let res = ivy.post(&format!("{c}/scorecards"), &amended).await;
        assert_eq!(res.json()["version"], 2, "{}", res.body);

        // The hiring manager who does not interview reads them all.
        assert_eq!(
            hm.get(&format!("{c}/scorecards")).await.json()["scorecards"]
                .as_array()
                .unwrap()
                .len(),
            3
        );
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn the_loop_from_intake_to_onboarding_through_the_api(db) {
        let app = TestApp::start_on(db).await;
        let (hm, opening, candidate) = setup(&app).await;
        let c = format!("/candidates/{candidate}");
        for (who, stage) in [("ivy", "technical-depth"), ("ian", "code-review")] {
            let api = Api::login(&app, who).await;
            assert_eq!(
                api.post(&format!("{c}/scorecards"), &card(stage))
                    .await
                    .status,
                201
            );
        }
        let found = hm
            .get(&format!(
                "/candidates?opening={opening}&min_technical_depth=3&text=rollback"
            ))
            .await
            .json();
        let found = &found["items"];
        assert_eq!(found[0]["id"], candidate, "{found}");
        assert_eq!(found[0]["technical_depth"], 3.0);
        assert_eq!(
            found[0]["matched"]["html"], "explained the <mark>rollback</mark> plan one level deeper",
            "{found}"
        );
        assert!(
            hm.get("/candidates?min_technical_depth=4").await.json()["items"]
                .as_array()
                .unwrap()
                .is_empty()
        );
        error(&hm.get("/candidates?stage=lunch").await, 422);

        // One team-multiplier rater is short of the bar's two: a hire is against
        // the policy, so it needs saying so.
        let decision = json!({"outcome": "hire", "rationale": "both signals clear in the loop"});
        let res = hm.post(&format!("{c}/decision"), &decision).await;
        error(&res, 422);
        assert_eq!(res.json()["problems"][0]["field"], "against_policy");
        let mut decision = decision;
        decision["against_policy"] = json!(true);
        let res = hm.post(&format!("{c}/decision"), &decision).await;
        assert_eq!(res.status, 201, "{}", res.body);
        assert_eq!(res.json()["outcome"], "hire");
        assert_eq!(res.json()["meets_bar"], false);

        let quote = hm
            .post(
                "/offer/quote",
                &json!({"level": "tech-lead", "region": "us", "split": "70/30", "stage": "series-a"}),
            )
            .await;
        assert_eq!(quote.status, 200, "{}", quote.body);
        let q = quote.json();
        assert!(q["suggested_min"].as_u64().unwrap() >= q["band_min"].as_u64().unwrap());
        assert!(!q["explanation"].as_array().unwrap().is_empty());

        error(&hm.get(&format!("{c}/onboarding")).await, 409);
        error(
            &hm.post(
                &format!("{c}/offer/accept"),
                &json!({"start": "2030-01-07"}),
            )
            .await,
            409,
        );
        let res = hm
            .post(
                &format!("{c}/offer"),
                &json!({"level": "tech-lead", "region": "us", "split": "70/30"}),
            )
            .await;
        assert_eq!(res.status, 201, "{}", res.body);
        error(
            &hm.post(
                &format!("{c}/offer/accept"),
                &json!({"start": "next monday"}),
            )
            .await,
            422,
        );
        let res = hm
            .post(
                &format!("{c}/offer/accept"),
                &json!({"start": "2030-01-07"}),
            )
            .await;
        assert_eq!(res.json()["status"], "accepted", "{}", res.body);
        assert_eq!(res.json()["start_date"], "2030-01-07");

        let plan = hm.get(&format!("{c}/onboarding")).await.json();
        assert_eq!(plan["start"], "2030-01-07");
        let first = plan["steps"][0]["id"].as_str().unwrap().to_string();
        let res = hm
            .post(
                &format!("{c}/onboarding/steps/{first}"),
                &json!({"note": "accounts ready"}),
            )
            .await;
        assert_eq!(res.status, 200, "{}", res.body);
        assert_eq!(res.json()["steps"][0]["done"]["by"], "hm");
        error(
            &hm.post(&format!("{c}/onboarding/steps/nap"), &json!({}))
                .await,
            404,
        );

        let view = hm.get(&c).await.json();
        assert_eq!(view["decisions"][0]["outcome"], "hire");
        assert_eq!(view["offers"][0]["status"], "accepted");
        assert!(view["timeline"].as_array().unwrap().len() >= 5);
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn the_stateless_tools_lint_write_grade_and_analyze(db) {
        let app = TestApp::start_on(db).await;
        let (hm, opening, _) = setup(&app).await;
        let lint = hm
            .post("/jd/lint", &json!({"text": "# Tech Lead\n\nWe want a rockstar ninja who is a dynamic team player.\n"}))
            .await;
        assert_eq!(lint.status, 200, "{}", lint.body);
        let findings = lint.json()["findings"].as_array().unwrap().clone();
        assert!(findings.iter().any(|f| f["line"] == 3), "{findings:?}");

        for body in [json!({"opening": opening}), json!({"intake": intake()})] {
            let res = hm.post("/jd/write", &body).await;
            assert_eq!(res.status, 200, "{}", res.body);
            assert!(res.json()["markdown"].as_str().unwrap().starts_with("# "));
        }
        error(&hm.post("/jd/write", &json!({})).await, 422);

        let exercises = hm.get("/exercises").await.json();
        let slug = exercises[0]["slug"].as_str().unwrap().to_string();
        assert!(exercises[0]["issues"].as_u64().unwrap() > 0);
        let res = hm
            .post(
                "/review/grade",
                &json!({"exercise": slug, "review": {"summary": "Looks fine.", "comments": []}}),
            )
            .await;
        assert_eq!(res.status, 200, "{}", res.body);
        assert!(
            res.json()["scores"]["issues"]["score"].is_number(),
            "{}",
            res.body
        );
        let res = hm
            .post(
                "/review/grade",
                &json!({"exercise": "nope", "review": {"comments": []}}),
            )
            .await;
        assert_eq!(res.json()["problems"][0]["field"], "exercise");

        let res = hm
            .post("/answers/analyze", &json!({"answers": [{"question": "architecture-decision", "text": "Always use microservices. They are always better."}]}))
            .await;
        assert_eq!(res.status, 200, "{}", res.body);
        assert!(
            !res.json()["answers"][0]["flags"]
                .as_array()
                .unwrap()
                .is_empty(),
            "{}",
            res.body
        );
        let res = hm
            .post(
                "/answers/analyze",
                &json!({"answers": [{"question": "favourite-colour", "text": "blue"}]}),
            )
            .await;
        assert_eq!(res.json()["problems"][0]["field"], "answers[0].question");
        app.stop().await;
    }
}

/// The actions of a candidate view's timeline.
fn actions(view: &Value) -> Vec<String> {
    view["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect()
}

/// Timeline entries that speak of judgements or offers.
fn judgement_entries(view: &Value) -> Vec<String> {
    actions(view)
        .into_iter()
        .filter(|a| {
            a == "decision.record"
                || a == "flag.resolve"
                || a == "reference.add"
                || a.starts_with("offer.")
        })
        .collect()
}

const RATIONALE: &str = "hold until the second technical-depth interview";
const RESOLUTION: &str = "ian's own notes show a single nitpick among teaching comments";

multiplier_store::each_backend! {
    async fn an_interviewer_who_owes_a_card_reads_no_judgement_and_never_the_email(db) {
        let app = TestApp::start_on(db).await;
        let (hm, _, candidate) = setup(&app).await;
        let c = format!("/candidates/{candidate}");
        let ian = Api::login(&app, "ian").await;
        let ivy = Api::login(&app, "ivy").await;
        // ian's card raises a red flag; the hiring manager settles it, decides and
        // makes an offer.
        let mut flagged = card("code-review");
        flagged["red_flags"] = json!([{"id": "nitpicks-over-substance", "note": "one nitpick"}]);
        assert_eq!(
            ian.post(&format!("{c}/scorecards"), &flagged).await.status,
            201
        );
        let priya = multiplier_app::Account {
            name: "hm".into(),
            role: multiplier_store::AccountRole::Admin,
        };
        app.state
            .app
            .resolve_flag(
                &priya,
                multiplier_store::CandidateId(candidate),
                "nitpicks-over-substance",
                RESOLUTION,
            )
            .await
            .unwrap();
        let res = hm
            .post(
                &format!("{c}/decision"),
                &json!({"outcome": "hire", "rationale": RATIONALE, "against_policy": true}),
            )
            .await;
        assert_eq!(res.status, 201, "{}", res.body);
        let res = hm
            .post(
                &format!("{c}/offer"),
                &json!({"level": "tech-lead", "region": "us", "split": "60/40"}),
            )
            .await;
        assert_eq!(res.status, 201, "{}", res.body);

        // The hiring manager sees all of it (so the data is there to leak).
        let view = hm.get(&c).await.json();
        assert_eq!(view["candidate"]["email"], "dana@example.com");
        assert_eq!(view["decisions"][0]["rationale"], RATIONALE, "{view}");
        assert_eq!(view["resolutions"][0]["note"], RESOLUTION, "{view}");
        assert_eq!(view["offers"].as_array().unwrap().len(), 1);
        assert_eq!(judgement_entries(&view).len(), 3, "{view}");

        // ivy still owes her technical-depth card: none of it, and no e-mail.
        let res = ivy.get(&c).await;
        assert_eq!(res.status, 200, "{}", res.body);
        for secret in [RATIONALE, RESOLUTION, "dana@example.com", "one nitpick"] {
            assert!(!res.body.contains(secret), "{secret} leaked: {}", res.body);
        }
        let view = res.json();
        assert!(view["candidate"]["email"].is_null(), "{view}");
        assert_eq!(view["pending"], json!(["technical-depth"]), "{view}");
        assert!(view["blind"].is_string(), "{view}");
        assert_eq!(view["hidden_scorecards"], 1);
        for field in ["scorecards", "decisions", "resolutions", "offers"] {
            assert!(
                view[field].as_array().unwrap().is_empty(),
                "{field}: {view}"
            );
        }
        assert!(judgement_entries(&view).is_empty(), "{view}");
        assert!(actions(&view).contains(&"scorecard.submit".to_string()));
        // Nor through search: no score, no red flag.
        let found = ivy.get("/candidates").await.json()["items"].clone();
        assert!(found[0]["blind"].is_string(), "{found}");
        assert!(found[0]["technical_depth"].is_null(), "{found}");
        assert!(
            found[0]["red_flags"].as_array().unwrap().is_empty(),
            "{found}"
        );
        assert!(
            ivy.get("/candidates?flag=nitpicks-over-substance")
                .await
                .json()["items"]
                .as_array()
                .unwrap()
                .is_empty()
        );

        // Once her card is in she reads the judgements, but still no e-mail and no
        // offer (those are the hiring managers').
        assert_eq!(
            ivy.post(&format!("{c}/scorecards"), &card("technical-depth"))
                .await
                .status,
            201
        );
        let view = ivy.get(&c).await.json();
        assert!(view["blind"].is_null(), "{view}");
        assert!(view["pending"].as_array().unwrap().is_empty());
        assert_eq!(view["decisions"][0]["rationale"], RATIONALE, "{view}");
        assert_eq!(view["resolutions"][0]["flag"], "nitpicks-over-substance");
        assert!(view["candidate"]["email"].is_null(), "{view}");
        assert!(view["offers"].as_array().unwrap().is_empty(), "{view}");
        assert_eq!(
            judgement_entries(&view),
            ["flag.resolve", "decision.record"],
            "{view}"
        );
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn a_hiring_manager_who_owes_a_card_reads_only_their_own_references_and_no_decision(db) {
        let app = TestApp::start_on(db).await;
        let (hm, opening, candidate) = setup(&app).await;
        let c = format!("/candidates/{candidate}");
        let ivy = Api::login(&app, "ivy").await;
        for (who, stage) in [("ivy", "technical-depth"), ("ian", "code-review")] {
            let api = Api::login(&app, who).await;
            assert_eq!(
                api.post(&format!("{c}/scorecards"), &card(stage))
                    .await
                    .status,
                201
            );
        }
        // ivy takes the reference calls too and records one.
        let res = hm
            .post(
                &format!("{c}/assignments"),
                &json!({"stage": "references", "interviewer": "ivy"}),
            )
            .await;
        assert_eq!(res.status, 201, "{}", res.body);
        let reference = |name: &str| {
            json!({
                "kind": "engineer", "name": name, "relationship": "reported to Dana",
                "answer": "yes, my reviews got sharper", "scores": {"team-multiplier": 3}
            })
        };
        let res = ivy
            .post(&format!("{c}/references"), &reference("Lee Park"))
            .await;
        assert_eq!(res.status, 201, "{}", res.body);
        let res = hm
            .post(
                &format!("{c}/decision"),
                &json!({"outcome": "hold", "rationale": RATIONALE}),
            )
            .await;
        assert_eq!(res.status, 201, "{}", res.body);

        // The hiring manager now interviews for leadership and owes that card.
        let res = hm
            .post(
                &format!("{c}/assignments"),
                &json!({"stage": "leadership", "interviewer": "hm"}),
            )
            .await;
        assert_eq!(res.status, 201, "{}", res.body);
        let res = hm.get(&c).await;
        assert!(!res.body.contains("Lee Park"), "{}", res.body);
        assert!(!res.body.contains(RATIONALE), "{}", res.body);
        let view = res.json();
        assert_eq!(view["pending"], json!(["leadership"]), "{view}");
        assert!(view["blind"].is_string());
        assert_eq!(
            view["candidate"]["email"], "dana@example.com",
            "contact details are not a judgement"
        );
        assert!(view["references"].as_array().unwrap().is_empty(), "{view}");
        assert_eq!(view["hidden_references"], 1, "{view}");
        assert!(view["decisions"].as_array().unwrap().is_empty(), "{view}");
        assert_eq!(view["hidden_scorecards"], 2, "{view}");
        assert!(judgement_entries(&view).is_empty(), "{view}");
        let list = hm.get(&format!("{c}/references")).await;
        assert_eq!(list.status, 200, "{}", list.body);
        let list = list.json();
        assert!(list["references"].as_array().unwrap().is_empty(), "{list}");
        assert_eq!(list["hidden_references"], 1);
        assert!(list["blind"].is_string());
        // The debrief and the decision wait for the card; offers too.
        let debrief = hm.get(&format!("/openings/{opening}/debrief")).await.json();
        assert!(debrief["candidates"][0]["debrief"].is_null(), "{debrief}");
        assert!(debrief["candidates"][0]["decision"].is_null(), "{debrief}");
        let refused = hm
            .post(
                &format!("{c}/decision"),
                &json!({"outcome": "no-hire", "rationale": "changed my mind"}),
            )
            .await;
        assert!(error(&refused, 403).contains("not submitted"));
        error(
            &hm.post(
                &format!("{c}/offer"),
                &json!({"level": "tech-lead", "region": "us", "split": "60/40"}),
            )
            .await,
            403,
        );
        // A reference the hiring manager records is theirs to read.
        let res = hm
            .post(&format!("{c}/references"), &reference("Sam Ode"))
            .await;
        assert_eq!(res.status, 201, "{}", res.body);
        let list = hm.get(&format!("{c}/references")).await.json();
        assert_eq!(list["references"][0]["name"], "Sam Ode", "{list}");
        assert_eq!(list["references"].as_array().unwrap().len(), 1, "{list}");
        assert_eq!(list["hidden_references"], 1);
        app.stop().await;
    }
}

multiplier_store::each_backend! {
    async fn patch_corrects_a_candidate_for_hiring_managers_only(db) {
        let app = TestApp::start_on(db).await;
        let (hm, _, candidate) = setup(&app).await;
        let c = format!("/candidates/{candidate}");
        let ivy = Api::login(&app, "ivy").await;
        let una = Api::login(&app, "una").await;

        let res = hm
            .send(
                Method::PATCH,
                &c,
                &json!({"name": "Dana R. Reyes", "email": "dana.reyes@example.com"}),
            )
            .await;
        assert_eq!(res.status, 200, "{}", res.body);
        let dto = res.json();
        assert_eq!(dto["name"], "Dana R. Reyes");
        assert_eq!(dto["email"], "dana.reyes@example.com");
        assert_eq!(dto["stage"], "technical-depth", "the rest is kept");
        // A null clears the address; leaving a field out keeps it.
        let res = hm.send(Method::PATCH, &c, &json!({"email": null})).await;
        assert_eq!(res.status, 200, "{}", res.body);
        assert!(res.json()["email"].is_null());
        assert_eq!(res.json()["name"], "Dana R. Reyes");
        // The promotion-trap answers come with `internal`, and go with it.
        let res = hm.send(Method::PATCH, &c, &json!({"internal": true})).await;
        error(&res, 422);
        let problems = res.json()["problems"].to_string();
        for f in ["wants_leadership", "gives_up"] {
            assert!(problems.contains(&format!("\"{f}\"")), "{f}: {problems}");
        }
        let internal = json!({"internal": true, "wants_leadership": "yes, the reviews most", "gives_up": "half my coding time"});
        let res = hm.send(Method::PATCH, &c, &internal).await;
        assert_eq!(res.status, 200, "{}", res.body);
        assert_eq!(res.json()["gives_up"], "half my coding time");
        let res = hm
            .send(
                Method::PATCH,
                &c,
                &json!({"internal": false, "wants_leadership": null, "gives_up": null}),
            )
            .await;
        assert_eq!(res.status, 200, "{}", res.body);
        assert!(res.json()["wants_leadership"].is_null());

        // Each field's problem.
        let res = hm
            .send(
                Method::PATCH,
                &c,
                &json!({"name": " ", "email": "not an address"}),
            )
            .await;
        error(&res, 422);
        let fields: Vec<String> = res.json()["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["field"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(fields, ["name", "email"]);
        let res = hm.send(Method::PATCH, &c, &json!({"name": null})).await;
        assert_eq!(
            error(&res, 422),
            "name: a candidate always has a name; leave the field out to keep it"
        );

        // Who may: not an assigned interviewer (403), and an unassigned one is told
        // the candidate does not exist (404, as for an unused id).
        let body = json!({"email": "ivy-was-here@example.com"});
        assert!(error(&ivy.send(Method::PATCH, &c, &body).await, 403).contains("hiring manager"));
        let missing = error(&una.send(Method::PATCH, &c, &body).await, 404);
        let unused = error(&hm.send(Method::PATCH, "/candidates/999", &body).await, 404);
        assert_eq!(
            missing.replace(&candidate.to_string(), "N"),
            unused.replace("999", "N")
        );
        let view = hm.get(&c).await.json();
        assert!(
            view["candidate"]["email"].is_null(),
            "nothing changed: {view}"
        );
        assert!(actions(&view).contains(&"candidate.edit".to_string()));
        app.stop().await;
    }
}
