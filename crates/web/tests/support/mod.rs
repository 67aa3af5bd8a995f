//! Shared by the web crate's integration tests: a real server on a loopback port
//! over a fresh database (a [`TestDb`]: SQLite, or a PostgreSQL schema when the
//! scenario runs under `multiplier_store::each_backend!`), known accounts, and a
//! signed-in HTTP client that carries the session cookie and the CSRF token.
//!
//! Accounts (all with [`PASSWORD`]): `hm` (admin, hiring manager), `ivy` and `ian`
//! (interviewers). [`TestApp::with_demo`] also seeds the demo (`priya` admin,
//! `marco`, `aisha`, `tom` interviewers), with the same password.
#![allow(dead_code, clippy::expect_used, clippy::unwrap_used, clippy::panic)]

pub mod browser;

use multiplier_app::Actor;
use multiplier_core::Framework;
use multiplier_store::testing::{Backend, TestDb};
use multiplier_store::{AccountRole, Store};
use multiplier_web::{AppState, Config};
use std::sync::Arc;
use tokio::sync::oneshot;

pub const PASSWORD: &str = "correct horse battery";

pub struct TestApp {
    pub base: String,
    pub state: AppState,
    stop: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    /// Last, so the database (a PostgreSQL schema is dropped with it) outlives
    /// the store's pool above. None for a server on a database another owns
    /// ([`TestApp::start_shared`]).
    db: Option<TestDb>,
}

impl TestApp {
    /// A server with the three test accounts and no hiring data, on a fresh
    /// SQLite file (for tests that stay on SQLite; scenarios use [`TestApp::start_on`]).
    pub async fn start() -> TestApp {
        TestApp::start_on(TestDb::sqlite()).await
    }

    /// [`TestApp::start`] on the given database, which the server keeps (and
    /// drops with itself).
    pub async fn start_on(db: TestDb) -> TestApp {
        TestApp::start_with_on(db, Config::default()).await
    }

    /// [`TestApp::start`] with its own server configuration (timeouts, HTTPS).
    pub async fn start_with(config: Config) -> TestApp {
        TestApp::start_with_on(TestDb::sqlite(), config).await
    }

    /// [`TestApp::start_with`] on the given database.
    pub async fn start_with_on(db: TestDb, config: Config) -> TestApp {
        TestApp::start_as_on(db, config, multiplier_web::Employer::default()).await
    }

    /// [`TestApp::start_with`], naming an employer and a contact in the portal.
    pub async fn start_as(config: Config, employer: multiplier_web::Employer) -> TestApp {
        TestApp::start_as_on(TestDb::sqlite(), config, employer).await
    }

    /// [`TestApp::start_as`] on the given database.
    pub async fn start_as_on(
        db: TestDb,
        config: Config,
        employer: multiplier_web::Employer,
    ) -> TestApp {
        let mut app = TestApp::serve_on(db.location(), config, employer, true).await;
        app.db = Some(db);
        app
    }

    /// A server on the database at `location`, which another server may
    /// already use: several servers, one database. The caller keeps the
    /// database alive; the test accounts are added only when `add_accounts`
    /// (once per database).
    pub async fn start_shared(location: &str, add_accounts: bool) -> TestApp {
        TestApp::serve_on(
            location,
            Config::default(),
            multiplier_web::Employer::default(),
            add_accounts,
        )
        .await
    }

    async fn serve_on(
        location: &str,
        config: Config,
        employer: multiplier_web::Employer,
        add_accounts: bool,
    ) -> TestApp {
        let store = multiplier_store::open(location).await.unwrap();
        let framework = Arc::new(Framework::default_framework().unwrap());
        let mut state = AppState::new(store, framework);
        state.employer = employer;
        let accounts = [
            ("hm", AccountRole::Admin),
            ("ivy", AccountRole::Interviewer),
            ("ian", AccountRole::Interviewer),
        ];
        for (name, role) in accounts.into_iter().filter(|_| add_accounts) {
            state
                .app
                .add_account(&Actor::Operator, name, role, PASSWORD)
                .await
                .unwrap();
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (tx, rx) = oneshot::channel();
        let server = tokio::spawn(multiplier_web::serve(
            listener,
            state.clone(),
            config,
            async move {
                let _ = rx.await;
            },
        ));
        TestApp {
            base,
            state,
            stop: Some(tx),
            server: Some(server),
            db: None,
        }
    }

    /// A server with the test accounts and the demo opening (opening 1, eight
    /// candidates; see `multiplier_web::demo`), demo accounts on [`PASSWORD`].
    pub async fn with_demo() -> TestApp {
        TestApp::with_demo_on(TestDb::sqlite()).await
    }

    /// [`TestApp::with_demo`] on the given database.
    pub async fn with_demo_on(db: TestDb) -> TestApp {
        let app = TestApp::start_on(db).await;
        multiplier_web::demo::seed(&app.state).await.unwrap();
        for name in ["priya", "marco", "aisha", "tom"] {
            app.state
                .app
                .set_password(&Actor::Operator, name, PASSWORD)
                .await
                .unwrap();
        }
        app
    }

    /// Which backend the server's database is on.
    pub fn backend(&self) -> Backend {
        match self.store() {
            Store::Sqlite(_) => Backend::Sqlite,
            Store::Postgres(_) => Backend::Postgres,
        }
    }

    /// The store, for tests that check what was written (never for the code
    /// under test, which goes through the use cases).
    pub fn store(&self) -> &Store {
        self.state.app.store()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A client with no session yet.
    pub fn anonymous(&self) -> Client {
        Client {
            base: self.base.clone(),
            http: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
        }
    }

    /// A client signed in as `name` (password [`PASSWORD`]).
    pub async fn login(&self, name: &str) -> Client {
        let client = self.anonymous();
        let res = client
            .post_form("/login", &[("name", name), ("password", PASSWORD)])
            .await;
        assert_eq!(res.status, 303, "sign-in as {name} failed: {}", res.body);
        client
    }

    /// Stop the server and wait for it to finish its requests.
    pub async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            server.await.unwrap().unwrap();
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
    }
}

/// A response, read whole.
#[derive(Debug)]
pub struct Res {
    pub status: u16,
    pub location: Option<String>,
    pub content_type: String,
    pub body: String,
}

impl Res {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// An HTTP client with a cookie jar, not following redirects.
#[derive(Clone)]
pub struct Client {
    pub base: String,
    pub http: reqwest::Client,
}

async fn read(res: reqwest::Response) -> Res {
    let status = res.status().as_u16();
    let header = |name: &str| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let location = header("location");
    let content_type = header("content-type").unwrap_or_default();
    let body = res.text().await.unwrap();
    Res {
        status,
        location,
        content_type,
        body,
    }
}

impl Client {
    /// The same client (its cookies: the session) talking to another server.
    pub fn on(&self, server: &TestApp) -> Client {
        Client {
            base: server.base.clone(),
            http: self.http.clone(),
        }
    }

    pub async fn get(&self, path: &str) -> Res {
        read(
            self.http
                .get(format!("{}{path}", self.base))
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// The session's CSRF token, read from a page's `<meta name="csrf-token">`
    /// (the sign-in page when signed out).
    pub async fn csrf(&self) -> String {
        let page = self.get("/login").await;
        let page = if page.body.contains("csrf-token") {
            page
        } else {
            self.get("/openings").await
        };
        csrf_in(&page.body).unwrap_or_else(|| panic!("no CSRF token in: {}", page.body))
    }

    /// POST a form with the session's CSRF token added.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Res {
        let token = self.csrf().await;
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf", &token));
        self.post_form_raw(path, &all).await
    }

    /// POST a form exactly as given (no CSRF token added).
    pub async fn post_form_raw(&self, path: &str, fields: &[(&str, &str)]) -> Res {
        read(
            self.http
                .post(format!("{}{path}", self.base))
                .form(fields)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// Send JSON with the CSRF header (`x-csrf-token`).
    pub async fn send_json(
        &self,
        method: reqwest::Method,
        path: &str,
        body: &serde_json::Value,
    ) -> Res {
        let token = self.csrf().await;
        read(
            self.http
                .request(method, format!("{}{path}", self.base))
                .header("x-csrf-token", token)
                .json(body)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    pub async fn post_json(&self, path: &str, body: &serde_json::Value) -> Res {
        self.send_json(reqwest::Method::POST, path, body).await
    }
}

/// The CSRF token in a page: the meta tag, else the first hidden `csrf` field.
pub fn csrf_in(html: &str) -> Option<String> {
    let after = |marker: &str| {
        html.find(marker).and_then(|i| {
            let rest = &html[i + marker.len()..];
            rest.find('"').map(|end| rest[..end].to_string())
        })
    };
    after("<meta name=\"csrf-token\" content=\"").or_else(|| after("name=\"csrf\" value=\""))
}
