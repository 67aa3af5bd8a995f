//! The reliability guarantees, through the real `multiplier` binary: no
//! acknowledged write is lost when `serve` is killed with SIGKILL under
//! concurrent writers; SIGTERM empties the write-ahead log and closes the
//! database; `backup` works while `serve` runs and `restore` brings it back;
//! `candidate erase` leaves no byte of the candidate's data in the files, nor in a
//! backup made after it; `audit verify` exits 0 on an intact log and 1 naming the
//! first broken entry; `user deactivate|activate`; `retention run`.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use assert_cmd::Command as Cli;
use multiplier_store::{HiringStore, open};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

struct Server {
    child: Child,
    base: String,
    password: String,
}

/// `multiplier serve --demo` on a free port over `db`.
fn serve(db: &Path) -> Server {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin!("multiplier"))
        .args(["serve", "--demo", "--addr", "127.0.0.1:0"])
        .env("MULTIPLIER_DB", db)
        .env_remove("MULTIPLIER_USER")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut password = String::new();
    let base = loop {
        let mut line = String::new();
        if stderr.read_line(&mut line).unwrap() == 0 {
            let _ = child.kill();
            panic!("serve stopped before listening");
        }
        if let Some(p) = line.split("with the password: ").nth(1) {
            password = p.trim().to_string();
        }
        if let Some(rest) = line.split("serving on ").nth(1) {
            break rest
                .split_whitespace()
                .next()
                .unwrap()
                .trim_end_matches('/')
                .to_string();
        }
    };
    // Keep reading the log so the server never blocks on a full pipe.
    std::thread::spawn(move || {
        let mut sink = String::new();
        while stderr.read_line(&mut sink).map(|n| n > 0).unwrap_or(false) {
            sink.clear();
        }
    });
    Server {
        child,
        base,
        password,
    }
}

fn cli(db: &Path) -> Cli {
    let mut c = Cli::new(assert_cmd::cargo::cargo_bin!("multiplier"));
    c.env("MULTIPLIER_DB", db).env_remove("MULTIPLIER_USER");
    c
}

/// A client signed in through the API: (client, CSRF token).
async fn api_client(base: &str, name: &str, password: &str) -> (reqwest::Client, String) {
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let res = http
        .get(format!("{base}/api/v1/session"))
        .send()
        .await
        .unwrap();
    let token = res.headers()["x-csrf-token"].to_str().unwrap().to_string();
    let res = http
        .post(format!("{base}/api/v1/session"))
        .header("x-csrf-token", &token)
        .json(&json!({"name": name, "password": password}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let token = res.headers()["x-csrf-token"].to_str().unwrap().to_string();
    (http, token)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigkill_under_concurrent_writers_loses_no_acknowledged_write() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kill.db");
    let mut server = serve(&db);
    const WRITERS: usize = 16;
    const KILL_AFTER: usize = 150;
    let acked = Arc::new(Mutex::new(Vec::<(i64, String)>::new()));
    // Sign in one after the other (parallel sign-ins of one name are held to the
    // failure limit while they are checked), then write all at once.
    let mut clients = Vec::new();
    for _ in 0..WRITERS {
        clients.push(api_client(&server.base, "priya", &server.password).await);
    }
    let mut tasks = Vec::new();
    for (w, (http, token)) in clients.into_iter().enumerate() {
        let (base, acked) = (server.base.clone(), acked.clone());
        tasks.push(tokio::spawn(async move {
            // Bounded: a writer stops at its first failure (the server is gone),
            // or after 200 writes.
            for i in 0..200 {
                let name = format!("Writer {w} candidate {i}");
                let res = http
                    .post(format!("{base}/api/v1/openings/1/candidates"))
                    .header("x-csrf-token", &token)
                    .json(&json!({"name": name}))
                    .send()
                    .await;
                let Ok(res) = res else { return };
                if res.status() != 201 {
                    return;
                }
                let Ok(body) = res.json::<Value>().await else {
                    return;
                };
                let id = body["id"].as_i64().unwrap();
                acked.lock().unwrap().push((id, name));
            }
        }));
    }
    // Kill as soon as enough writes were acknowledged, with writers still busy.
    loop {
        if acked.lock().unwrap().len() >= KILL_AFTER {
            break;
        }
        if tasks.iter().all(|t| t.is_finished()) {
            break;
        }
        tokio::task::yield_now().await;
    }
    server.child.kill().unwrap(); // SIGKILL
    server.child.wait().unwrap();
    for t in tasks {
        t.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() >= KILL_AFTER,
        "only {} writes before the kill",
        acked.len()
    );

    let store = open(&db.display().to_string()).await.unwrap();
    let stored = store.candidates(None).await.unwrap();
    for (id, name) in &acked {
        let found = stored.iter().find(|c| c.id.0 == *id);
        assert_eq!(
            found.map(|c| c.name.as_str()),
            Some(name.as_str()),
            "acknowledged write {id} lost"
        );
    }
    // The database is sound and so is its audit chain.
    cli(&db).args(["audit", "verify"]).assert().success();
}

#[test]
fn sigterm_empties_the_log_and_closes_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("term.db");
    let mut server = serve(&db);
    let wal = PathBuf::from(format!("{}-wal", db.display()));
    assert!(wal.exists());
    let status = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert!(server.child.wait().unwrap().success());
    assert_eq!(std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0), 0);
}

fn markers_in(paths: &[PathBuf], markers: &[&str]) -> Vec<String> {
    let bytes: Vec<u8> = paths
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .flatten()
        .collect();
    markers
        .iter()
        .filter(|m| bytes.windows(m.len()).any(|w| w == m.as_bytes()))
        .map(|m| (*m).to_string())
        .collect()
}

fn files(db: &Path) -> Vec<PathBuf> {
    ["", "-wal", "-shm"]
        .iter()
        .map(|s| PathBuf::from(format!("{}{s}", db.display())))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_while_serving_erase_and_restore_through_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("live.db");
    let mut server = serve(&db);
    let (http, token) = api_client(&server.base, "priya", &server.password).await;
    let markers = [
        "Quilla-Marchbank-7c",
        "quilla-7c@example.test",
        "NOTE-ON-QUILLA-7c",
    ];
    let res = http
        .post(format!("{}/api/v1/openings/1/candidates", server.base))
        .header("x-csrf-token", &token)
        .json(&json!({"name": markers[0], "email": markers[1]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let id = res.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let res = http
        .patch(format!("{}/api/v1/candidates/{id}", server.base))
        .header("x-csrf-token", &token)
        .json(&json!({"internal": true, "wants_leadership": markers[2], "gives_up": "some coding"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());

    // A backup while the server runs holds the candidate.
    let before = dir.path().join("before.db");
    cli(&db)
        .args(["backup", before.to_str().unwrap()])
        .assert()
        .success();
    assert_eq!(markers_in(std::slice::from_ref(&before), &markers).len(), 3);

    // Erase through the command line while the server still runs.
    let out = cli(&db)
        .args([
            "candidate",
            "erase",
            &id.to_string(),
            "--reason",
            "candidate-request",
            "--yes",
            "--format",
            "json",
            "--as",
            "priya",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let erased: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(erased["reason"], "candidate-request");
    assert_eq!(erased["flushed"], true);
    assert_eq!(markers_in(&files(&db), &markers), Vec::<String>::new());
    let after = dir.path().join("after.db");
    cli(&db)
        .args(["backup", after.to_str().unwrap()])
        .assert()
        .success();
    assert_eq!(
        markers_in(std::slice::from_ref(&after), &markers),
        Vec::<String>::new()
    );
    server.child.kill().unwrap();
    server.child.wait().unwrap();

    // Restore the earlier backup as a new database: the same records, intact log.
    let restored = dir.path().join("restored.db");
    cli(&restored)
        .args(["restore", before.to_str().unwrap()])
        .assert()
        .success();
    let store = open(&restored.display().to_string()).await.unwrap();
    let c = store
        .candidate(multiplier_store::CandidateId(id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(c.name, markers[0]);
    // It does not overwrite without --replace, and does with it.
    cli(&restored)
        .args(["restore", after.to_str().unwrap()])
        .assert()
        .code(2);
    cli(&restored)
        .args(["restore", after.to_str().unwrap(), "--replace"])
        .assert()
        .success();
    cli(&restored).args(["audit", "verify"]).assert().success();
}

#[tokio::test]
async fn audit_verify_exits_1_naming_the_first_broken_entry() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("audit.db");
    cli(&db)
        .args([
            "user",
            "add",
            "priya",
            "--role",
            "admin",
            "--password-stdin",
        ])
        .write_stdin("correct horse battery\n")
        .assert()
        .success();
    cli(&db)
        .args([
            "user",
            "add",
            "sam",
            "--role",
            "interviewer",
            "--password-stdin",
        ])
        .write_stdin("correct horse battery\n")
        .assert()
        .success();
    cli(&db)
        .args(["audit", "verify"])
        .assert()
        .success()
        .stdout(predicates::str::contains("intact: 2 entries"));
    {
        use sqlx::ConnectOptions;
        let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&db)
            .connect()
            .await
            .unwrap();
        sqlx::query("UPDATE audit SET actor = 'someone else' WHERE id = 1")
            .execute(&mut conn)
            .await
            .unwrap();
    }
    cli(&db)
        .args(["audit", "verify"])
        .assert()
        .code(1)
        .stdout(predicates::str::contains("broken at entry 1"));
    let out = cli(&db)
        .args(["audit", "verify", "--format", "json"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let check: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(check["broken"]["id"], 1);
}

#[test]
fn a_deactivated_account_cannot_act_until_activated() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("users.db");
    for (name, role) in [("priya", "admin"), ("sam", "interviewer")] {
        cli(&db)
            .args(["user", "add", name, "--role", role, "--password-stdin"])
            .write_stdin("correct horse battery\n")
            .assert()
            .success();
    }
    cli(&db)
        .args(["user", "deactivate", "sam"])
        .assert()
        .success();
    cli(&db)
        .args(["opening", "list", "--as", "sam"])
        .assert()
        .code(3);
    cli(&db)
        .args(["user", "list"])
        .assert()
        .success()
        .stdout(predicates::str::contains("deactivated"));
    // The last active admin stays.
    cli(&db)
        .args(["user", "deactivate", "priya"])
        .assert()
        .code(2);
    cli(&db)
        .args(["user", "activate", "sam"])
        .assert()
        .success();
    cli(&db)
        .args(["opening", "list", "--as", "sam"])
        .assert()
        .success();
}

#[tokio::test]
async fn retention_run_erases_candidates_past_the_period_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("retention.db");
    let mut server = serve(&db);
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    cli(&db)
        .args(["retention", "run"])
        .assert()
        .success()
        .stdout(predicates::str::contains("nothing to erase"));
    // Age candidate 1's records by three years, behind the store's back.
    {
        use sqlx::ConnectOptions;
        let mut conn = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&db)
            .connect()
            .await
            .unwrap();
        sqlx::query("UPDATE candidates SET created_at = '2020-01-01T00:00:00Z' WHERE id = 1")
            .execute(&mut conn)
            .await
            .unwrap();
        sqlx::query("UPDATE audit SET at = '2020-01-01T00:00:00Z' WHERE subject = 'candidate:1'")
            .execute(&mut conn)
            .await
            .unwrap();
    }
    let out = cli(&db)
        .args(["retention", "run", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let report: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(report["erased"], json!([1]));
    assert_eq!(report["months"], 24);
    let store = open(&db.display().to_string()).await.unwrap();
    let c = store
        .candidate(multiplier_store::CandidateId(1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(c.name, "Erased candidate 1");
}
