//! A small HTTP load generator for `bench/web.sh`: N connections each send
//! GET requests back to back for a while, and the latencies are summarised.
//!
//! ```sh
//! cargo run --release -p multiplier-web --example load -- \
//!     --base http://127.0.0.1:8080 --sign-in priya:PASSWORD \
//!     --connections 64 --seconds 10 /openings /openings/1 /candidates/7
//! cargo run --release -p multiplier-web --example load -- \
//!     --base http://127.0.0.1:8080 --bearer mpt_... /api/v1/candidates
//! ```
//!
//! Prints one line per path: requests completed, errors (non-2xx or transport),
//! p50 and p99 in milliseconds, requests per second, and the response size.
//! Staff pages sign in through the JSON API (`--sign-in NAME:PASSWORD`: the CSRF
//! token from `GET /api/v1/session`, then `POST /api/v1/session`), so every
//! request carries the session cookie; API routes take `--bearer TOKEN`.

// A measuring tool: a failure to set up is a panic with the reason.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

struct Options {
    base: String,
    sign_in: Option<(String, String)>,
    bearer: Option<String>,
    connections: usize,
    seconds: f64,
    max_requests: usize,
    timeout: f64,
    paths: Vec<String>,
}

fn options() -> Options {
    let mut o = Options {
        base: "http://127.0.0.1:8080".into(),
        sign_in: None,
        bearer: None,
        connections: 1,
        seconds: 5.0,
        max_requests: usize::MAX,
        timeout: 30.0,
        paths: Vec::new(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || {
            args.next()
                .unwrap_or_else(|| usage_error(&format!("{a} needs a value")))
        };
        match a.as_str() {
            "--base" => o.base = value(),
            "--sign-in" => {
                let v = value();
                let (n, p) = v
                    .split_once(':')
                    .unwrap_or_else(|| usage_error("--sign-in takes NAME:PASSWORD"));
                o.sign_in = Some((n.into(), p.into()));
            }
            "--bearer" => o.bearer = Some(value()),
            "--connections" => o.connections = number(&a, &value()),
            "--seconds" => o.seconds = number(&a, &value()),
            "--requests" => o.max_requests = number(&a, &value()),
            "--timeout" => o.timeout = number(&a, &value()),
            "--help" | "-h" => {
                print!("{USAGE}");
                std::process::exit(0);
            }
            p if p.starts_with('/') => o.paths.push(p.into()),
            other => usage_error(&format!("unknown argument `{other}`")),
        }
    }
    if o.paths.is_empty() {
        usage_error("no path to load (paths start with `/`)");
    }
    o
}

/// `raw`, the value of `flag`, as a number, or the usage.
fn number<T: std::str::FromStr>(flag: &str, raw: &str) -> T {
    raw.parse()
        .unwrap_or_else(|_| usage_error(&format!("{flag} takes a number, not `{raw}`")))
}

/// `problem` and the usage on stderr; exit status 2.
fn usage_error(problem: &str) -> ! {
    eprint!("{problem}\n\n{USAGE}");
    std::process::exit(2)
}

const USAGE: &str = "\
usage: load [--base URL] [--sign-in NAME:PASSWORD | --bearer TOKEN]
            [--connections N] [--seconds S] [--requests N] [--timeout S] PATH...

  --base URL             the server (default http://127.0.0.1:8080)
  --sign-in NAME:PASS    sign in through the JSON API first (staff pages)
  --bearer TOKEN         send an API token with every request (API routes)
  --connections N        connections sending at once (default 1)
  --seconds S            how long to send each path (default 5)
  --requests N           stop a path after N requests (default: no limit)
  --timeout S            give up on one request after S seconds (default 30)

example: load --base http://127.0.0.1:8080 --sign-in priya:PASSWORD \\
             --connections 64 --seconds 10 /openings /openings/1
";

async fn client(o: &Options) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    if let Some(token) = &o.bearer {
        headers.insert(
            reqwest::header::AUTHORIZATION,
            format!("Bearer {token}").parse().unwrap(),
        );
    }
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(o.connections)
        .timeout(Duration::from_secs_f64(o.timeout))
        .build()
        .unwrap();
    if let Some((name, password)) = &o.sign_in {
        let res = http
            .get(format!("{}/api/v1/session", o.base))
            .send()
            .await
            .unwrap();
        let csrf = res.headers()["x-csrf-token"].to_str().unwrap().to_string();
        let res = http
            .post(format!("{}/api/v1/session", o.base))
            .header("x-csrf-token", csrf)
            .json(&serde_json::json!({"name": name, "password": password}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "sign-in as {name}");
    }
    http
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() {
    let o = options();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let http = client(&o).await;
        for path in &o.paths {
            let url = format!("{}{path}", o.base);
            // One warm-up request (and its size).
            let bytes = match http.get(&url).send().await {
                Ok(r) => r.bytes().await.map(|b| b.len()).unwrap_or(0),
                Err(_) => 0,
            };
            let stop = Arc::new(AtomicBool::new(false));
            let deadline = Instant::now() + Duration::from_secs_f64(o.seconds);
            let per_task = o.max_requests.div_ceil(o.connections).max(1);
            let started = Instant::now();
            let mut tasks = Vec::new();
            for _ in 0..o.connections {
                let http = http.clone();
                let url = url.clone();
                let stop = Arc::clone(&stop);
                tasks.push(tokio::spawn(async move {
                    let mut lat = Vec::new();
                    let mut errors = 0usize;
                    while !stop.load(Ordering::Relaxed)
                        && Instant::now() < deadline
                        && lat.len() + errors < per_task
                    {
                        let t = Instant::now();
                        match http.get(&url).send().await {
                            Ok(r) if r.status().is_success() => {
                                let _ = r.bytes().await;
                                lat.push(t.elapsed().as_secs_f64() * 1000.0);
                            }
                            Ok(r) => {
                                let _ = r.bytes().await;
                                errors += 1;
                            }
                            Err(_) => errors += 1,
                        }
                    }
                    (lat, errors)
                }));
            }
            let mut lat = Vec::new();
            let mut errors = 0;
            for t in tasks {
                let (l, e) = t.await.unwrap();
                lat.extend(l);
                errors += e;
            }
            let wall = started.elapsed().as_secs_f64();
            lat.sort_by(f64::total_cmp);
            println!(
                "{path:<40} conns {:>3}  ok {:>6}  errors {:>4}  p50 {:>9.2} ms  p99 {:>9.2} ms  {:>8.1} req/s  {:>8} bytes",
                o.connections,
                lat.len(),
                errors,
                percentile(&lat, 0.5),
                percentile(&lat, 0.99),
                lat.len() as f64 / wall,
                bytes
            );
        }
    });
}
