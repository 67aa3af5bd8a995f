//! `multiplier serve` as a process: it seeds the demo, serves on the address it
//! prints, and its request log is plain text without personal data.

// Test helpers may panic: a panic is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

/// `multiplier serve --demo` on a free port in `dir` with `extra` arguments:
/// the process, its standard error from the line after the one saying where
/// it listens, that address, and everything it printed up to there.
fn serve_demo(
    dir: &std::path::Path,
    extra: &[&str],
) -> (
    std::process::Child,
    BufReader<std::process::ChildStderr>,
    String,
    String,
) {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin!("multiplier"))
        .args(["serve", "--demo", "--addr", "127.0.0.1:0"])
        .args(extra)
        .env("MULTIPLIER_DB", dir.join("serve.db"))
        .env_remove("RUST_LOG")
        .env_remove("MULTIPLIER_LOG")
        .env_remove("MALLOC_ARENA_MAX")
        .env_remove("MULTIPLIER_THREADS")
        .env_remove("MULTIPLIER_NO_PIN")
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut head = String::new();
    let addr = loop {
        let mut line = String::new();
        if stderr.read_line(&mut line).unwrap_or(0) == 0 {
            let _ = child.kill();
            panic!("serve stopped before listening:\n{head}");
        }
        head.push_str(&line);
        if let Some(rest) = line.split("serving on http://").nth(1) {
            break rest.split('/').next().unwrap_or_default().to_string();
        }
    };
    (child, stderr, addr, head)
}

#[test]
fn serve_demo_answers_and_logs_routes_not_people() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, mut stderr, addr, head) = serve_demo(dir.path(), &[]);
    assert!(head.contains("Sign in as `priya`"), "{head}");
    // The server restarted itself with few malloc arenas, as the same process.
    #[cfg(target_os = "linux")]
    let environ = std::fs::read(format!("/proc/{}/environ", child.id())).unwrap();
    #[cfg(target_os = "linux")]
    assert!(
        environ
            .split(|b| *b == 0)
            .any(|v| v == b"MALLOC_ARENA_MAX=4"),
        "serve runs without MALLOC_ARENA_MAX=4"
    );

    let mut stream = TcpStream::connect(&addr).unwrap();
    write!(
        stream,
        "GET /candidates/1 HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 303"), "{response}");

    child.kill().unwrap();
    let mut log = String::new();
    stderr.read_to_string(&mut log).unwrap();
    child.wait().unwrap();
    assert!(log.contains("route=\"/candidates/{id}\""), "{log}");
    assert!(
        !log.contains("/candidates/1"),
        "a concrete path was logged: {log}"
    );
    assert!(
        !log.contains('\u{1b}'),
        "colour codes in a log that is not a terminal: {log}"
    );
    for name in ["Amara", "Okafor", "priya", "@example.com"] {
        assert!(!log.contains(name), "`{name}` in the log: {log}");
    }
}

#[test]
fn serve_answers_on_as_many_threads_as_asked() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, _stderr, addr, head) = serve_demo(dir.path(), &["--threads", "3"]);
    let banner = head.lines().last().unwrap_or_default();
    assert!(banner.contains("with 3 thread(s)"), "{banner}");
    // Four requests on four connections: each is answered, whichever of the
    // three threads takes it.
    for _ in 0..4 {
        let mut stream = TcpStream::connect(&addr).unwrap();
        write!(
            stream,
            "GET /login HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    }
    #[cfg(target_os = "linux")]
    {
        let port = addr.rsplit(':').next().unwrap();
        let named = std::fs::read_dir(format!("/proc/{}/task", child.id()))
            .unwrap()
            .filter_map(Result::ok)
            .filter_map(|t| std::fs::read_to_string(t.path().join("comm")).ok())
            .filter(|name| name.starts_with(&format!("serve-{port}-")))
            .count();
        assert_eq!(named, 3, "threads named for this server");
    }
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn serve_refuses_zero_threads() {
    let out = Command::new(assert_cmd::cargo::cargo_bin!("multiplier"))
        .args(["serve", "--threads", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--threads"), "{err}");
}
