//! `multiplier serve --smtp` delivers the outbox to a real SMTP server (a sink
//! on a loopback port), and `multiplier mail list|show|retry` reads it.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

#[path = "../../app/tests/support/smtp_sink.rs"]
mod smtp_sink;

use assert_cmd::Command as Cmd;
use predicates::prelude::*;
use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn cli(dir: &tempfile::TempDir) -> Cmd {
    let mut c = Cmd::cargo_bin("multiplier").expect("binary");
    c.env("MULTIPLIER_DB", dir.path().join("mail.db"))
        .env_remove("MULTIPLIER_SMTP")
        .current_dir(dir.path());
    c
}

fn json(dir: &tempfile::TempDir, args: &[&str]) -> serde_json::Value {
    let out = cli(dir)
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_delivers_the_outbox_over_smtp_and_mail_commands_read_it() {
    let sink = smtp_sink::Sink::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(assert_cmd::cargo::cargo_bin!("multiplier"))
        .args([
            "serve",
            "--demo",
            "--addr",
            "127.0.0.1:0",
            "--mail-from",
            "hiring@example.com",
        ])
        .env("MULTIPLIER_DB", dir.path().join("mail.db"))
        .env("MULTIPLIER_SMTP", sink.url())
        .env_remove("RUST_LOG")
        .env_remove("MULTIPLIER_LOG")
        .current_dir(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if stderr.read_line(&mut line).unwrap() == 0 {
            let _ = child.kill();
            panic!("serve stopped before listening:\n{head}");
        }
        head.push_str(&line);
        if line.contains("serving on http://") {
            break;
        }
    }
    assert!(
        head.contains("mail goes out through smtp://127.0.0.1:"),
        "{head}"
    );
    // The demo's assignments queued messages to its interviewers; wait (up to a
    // minute, checking as they arrive) until the worker has handed them over.
    let deadline = Instant::now() + Duration::from_secs(60);
    let expected = loop {
        let outbox = json(&dir, &["mail", "list", "--format", "json", "--as", "priya"]);
        let all = outbox.as_array().unwrap().len();
        let sent = outbox
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["state"] == "sent")
            .count();
        if all > 0 && sent == all {
            break all;
        }
        assert!(Instant::now() < deadline, "not delivered in time: {outbox}");
        std::thread::sleep(Duration::from_millis(200));
    };
    child.kill().unwrap();
    let mut log = String::new();
    stderr.read_to_string(&mut log).unwrap();
    child.wait().unwrap();

    let got = sink.messages();
    assert_eq!(got.len(), expected, "each message handed over once");
    assert!(
        got.iter()
            .all(|m| m.data.contains("From: multiplier <hiring@example.com>"))
    );
    assert!(
        got.iter()
            .any(|m| m.to.iter().any(|t| t.contains("@example.org")))
    );
    assert!(log.contains("mail sent"), "{log}");
    assert!(!log.contains("@example."), "an address in the log: {log}");

    // show and retry: a sent message is shown with its attempt, and never resent.
    let first = json(&dir, &["mail", "list", "--format", "json", "--as", "priya"])[0]["id"]
        .as_i64()
        .unwrap()
        .to_string();
    let shown = json(
        &dir,
        &["mail", "show", &first, "--format", "json", "--as", "priya"],
    );
    assert_eq!(shown["attempts"][0]["outcome"], "sent");
    cli(&dir)
        .args(["mail", "retry", &first, "--as", "priya"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("never").or(predicates::str::contains("not sent twice")));
    // Interviewers do not read the outbox.
    cli(&dir)
        .args(["mail", "list", "--as", "marco"])
        .assert()
        .code(3);
}

#[test]
fn smtp_urls_are_checked_before_serving() {
    let dir = tempfile::tempdir().unwrap();
    cli(&dir)
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--smtp",
            "smtp://mail.example.com?tls=none",
        ])
        .assert()
        .failure()
        .stderr(predicates::str::contains(
            "only for a server on this machine",
        ));
}

#[test]
fn user_add_and_user_email_set_addresses() {
    let dir = tempfile::tempdir().unwrap();
    cli(&dir)
        .args([
            "user",
            "add",
            "sam",
            "--role",
            "admin",
            "--password-stdin",
            "--email",
            "sam@example.com",
        ])
        .write_stdin("a long enough secret\n")
        .assert()
        .success();
    cli(&dir)
        .args(["user", "email", "sam", "not-an-address"])
        .assert()
        .code(2);
    cli(&dir)
        .args(["user", "email", "sam", "sam@example.org"])
        .assert()
        .success();
    let users = json(&dir, &["user", "list", "--format", "json"]);
    assert_eq!(users[0]["email"], "sam@example.org");
    cli(&dir)
        .args(["user", "email", "sam", "--clear"])
        .assert()
        .success();
    let users = json(&dir, &["user", "list", "--format", "json"]);
    assert!(users[0]["email"].is_null());
}
