//! `multiplier demo seed`: a small seed reports its counts, prints the demo
//! password once, refuses a database that holds data unless forced, and leaves
//! a database the server serves (signed in with that password).

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use assert_cmd::Command;
use std::io::{BufRead, BufReader};
use std::process::Stdio;

fn seed(db: &std::path::Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    Command::new(assert_cmd::cargo::cargo_bin!("multiplier"))
        .args(["demo", "seed", "--candidates", "50", "--openings", "2"])
        .args(extra)
        .arg("--db")
        .arg(db)
        .assert()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_small_seed_gives_the_counts_and_a_database_the_server_serves() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("seeded.db");
    let out = seed(&db, &["--format", "json"]).success();
    let output = out.get_output();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["counts"]["candidates"], 50, "{report}");
    assert_eq!(report["openings"].as_array().unwrap().len(), 2, "{report}");
    for kind in [
        "scorecards",
        "references",
        "evidence",
        "decisions",
        "offers",
    ] {
        assert!(
            report["counts"][kind].as_u64().unwrap() > 0,
            "no {kind}: {report}"
        );
    }
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert!(stderr.contains("seeding: 50 of 50 candidates"), "{stderr}");
    let password = stderr
        .split("with the password: ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no password printed: {stderr}"))
        .to_string();

    // A second seed into the same file is refused, and says how to proceed.
    let refused = seed(&db, &[]).failure();
    let said = String::from_utf8_lossy(&refused.get_output().stderr).to_string();
    assert!(
        said.contains("already holds") && said.contains("--force"),
        "{said}"
    );

    // The server serves it: sign in as priya with the printed password.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("multiplier"))
        .args(["serve", "--addr", "127.0.0.1:0", "--db"])
        .arg(&db)
        .env_remove("RUST_LOG")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap());
    let addr = loop {
        let mut line = String::new();
        if lines.read_line(&mut line).unwrap() == 0 {
            let _ = child.kill();
            panic!("serve stopped before listening");
        }
        if let Some(rest) = line.split("serving on http://").nth(1) {
            break rest.split('/').next().unwrap().to_string();
        }
    };
    let base = format!("http://{addr}");
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let res = http
        .get(format!("{base}/api/v1/session"))
        .send()
        .await
        .unwrap();
    let csrf = res.headers()["x-csrf-token"].to_str().unwrap().to_string();
    let res = http
        .post(format!("{base}/api/v1/session"))
        .header("x-csrf-token", csrf)
        .json(&serde_json::json!({"name": "priya", "password": password}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let board = http.get(format!("{base}/openings/1")).send().await.unwrap();
    assert_eq!(board.status(), 200);
    assert!(board.text().await.unwrap().contains("Tech Lead, Payments"));
    let page = http
        .get(format!("{base}/candidates/50"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    child.kill().unwrap();
    child.wait().unwrap();
}
