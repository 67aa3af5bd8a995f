//! The API as real clients use it, checked with tools that are not ours:
//!
//! - the served OpenAPI document must pass `openapi-spec-validator` (OpenAPI
//!   3.1), and each of its examples must match its schema
//!   (`openapi-schema-validator`): `tests/openapi/validate.py`;
//! - a client generated from the served document by `openapi-python-client`
//!   drives one real flow against the running server with an API token: open a
//!   role, add a candidate, submit a scorecard, read the debrief
//!   (`tests/openapi/client_flow.py`).
//!
//! Both need a Python with those packages. `.ci/run` installs them into a venv
//! under `target/` and sets `MULTIPLIER_TEST_API_PYTHON` to its interpreter;
//! without the variable the tests try `python3`, and when the packages are not
//! there they print a `SKIPPED:` line on standard error saying what to install. When the variable
//! is set and the tools are missing, the tests fail.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod support;

use multiplier_app::{Actor, TokenDraft};
use multiplier_store::TokenScope;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use support::TestApp;

const VARIABLE: &str = "MULTIPLIER_TEST_API_PYTHON";
const INSTALL: &str = "pip install openapi-spec-validator openapi-python-client";

/// A Python interpreter that can import `modules`, or `None` (after printing
/// SKIPPED) when none is configured and `python3` lacks them.
fn python(test: &str, modules: &[&str]) -> Option<PathBuf> {
    let probe = |python: &Path| {
        Command::new(python)
            .arg("-c")
            .arg(format!("import {}", modules.join(", ")))
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if let Some(configured) = std::env::var_os(VARIABLE) {
        let python = PathBuf::from(configured);
        assert!(
            probe(&python),
            "{VARIABLE}={} cannot import {}: {INSTALL} into it (`.ci/run` does)",
            python.display(),
            modules.join(", ")
        );
        return Some(python);
    }
    let python = PathBuf::from("python3");
    if probe(&python) {
        return Some(python);
    }
    eprintln!(
        "SKIPPED: {test}: needs a Python with {}: run `{INSTALL}` (or `.ci/run`, which installs them into target/api-tools and sets {VARIABLE})",
        modules.join(", ")
    );
    None
}

fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/openapi")
        .join(name)
}

fn report(what: &str, out: &Output) -> String {
    format!(
        "{what} exited with {}\n--- stdout\n{}\n--- stderr\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

// SQLite only: the document is the same whatever the database (the generated
// client's hiring flow below runs on both backends).
#[tokio::test(flavor = "multi_thread")]
async fn the_served_document_passes_an_independent_openapi_validator() {
    let Some(python) = python(
        "the_served_document_passes_an_independent_openapi_validator",
        &["openapi_spec_validator", "openapi_schema_validator"],
    ) else {
        return;
    };
    let app = TestApp::start().await;
    let res = app.anonymous().get("/api/v1/openapi.json").await;
    assert_eq!(res.status, 200);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("openapi.json");
    std::fs::write(&file, &res.body).unwrap();
    let out = tokio::task::spawn_blocking(move || {
        Command::new(python)
            .arg(script("validate.py"))
            .arg(&file)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let text = report("validate.py", &out);
    println!("{text}");
    assert!(out.status.success(), "{text}");
    app.stop().await;
}

multiplier_store::each_backend! {
    async fn a_generated_client_drives_a_hiring_flow_with_an_api_token(db) {
        let Some(python) = python(
            "a_generated_client_drives_a_hiring_flow_with_an_api_token",
            &["openapi_python_client", "httpx", "attrs"],
        ) else {
            return;
        };
        let app = TestApp::start_on(db).await;
        let issued = app
            .state
            .app
            .create_token(
                &Actor::Operator,
                &TokenDraft {
                    account: "hm".into(),
                    label: "generated client".into(),
                    scope: TokenScope::ReadWrite,
                    days: 1,
                },
            )
            .await
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let workdir = dir.path().to_path_buf();
        let base = app.base.clone();
        let out = tokio::task::spawn_blocking(move || {
            Command::new(python)
                .arg(script("client_flow.py"))
                .arg(base)
                .arg(issued.token)
                .arg(workdir)
                .output()
                .unwrap()
        })
        .await
        .unwrap();
        let text = report("client_flow.py", &out);
        println!("{text}");
        assert!(out.status.success(), "{text}");
        assert!(String::from_utf8_lossy(&out.stdout).contains("client flow ok"));
        // The writes went in as the token's account, each beside a token.use entry.
        let log = app
            .state
            .app
            .audit_log(
                &multiplier_app::Account {
                    name: "hm".into(),
                    role: multiplier_store::AccountRole::Admin,
                },
                &multiplier_store::AuditFilter::default(),
            )
            .await
            .unwrap();
        let by_hm = |action: &str| log.iter().any(|e| e.actor == "hm" && e.action == action);
        assert!(by_hm("scorecard.submit"), "{log:?}");
        assert!(by_hm("candidate.add"), "{log:?}");
        let uses: Vec<_> = log.iter().filter(|e| e.action == "token.use").collect();
        assert_eq!(uses.len(), 3, "{log:?}");
        assert!(
            uses.iter()
                .all(|e| e.actor == "hm" && e.subject.starts_with("token:"))
        );
        app.stop().await;
    }
}
