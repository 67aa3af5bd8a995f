//! `multiplier serve`: the web application.

use crate::context::Globals;
use crate::output::Exit;
use anyhow::{Context, Result};
use clap::Args;
use multiplier_app::Actor;
use multiplier_web::{AppState, Config};
use std::io::IsTerminal;
use std::net::SocketAddr;

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  multiplier serve --demo                  a seeded opening to explore at once\n  multiplier serve --addr 0.0.0.0:8080 --db /var/lib/multiplier/multiplier.db --secure-cookies\n  multiplier serve --smtp smtps://hiring%40example.com:PASS@mail.example.com --mail-from hiring@example.com --public-url https://hiring.example.com\n  multiplier serve --employer \"Acme Payments\" --contact hiring@acme.example\n  multiplier serve --no-pin                serving threads free to move between cores\n\nLogs go to standard error (RUST_LOG=debug for more, MULTIPLIER_LOG=json for JSON lines);\nthey never contain names, emails or answers. Ctrl-C or SIGTERM stops the server after\nthe requests in flight."
)]
pub struct Cmd {
    /// Address and port to listen on.
    #[arg(long, default_value = "127.0.0.1:8080", env = "MULTIPLIER_ADDR")]
    addr: SocketAddr,
    /// Seed a realistic opening with candidates at every stage, and demo accounts.
    #[arg(long)]
    demo: bool,
    /// Mark the session cookie Secure: use when served over HTTPS.
    #[arg(long, env = "MULTIPLIER_SECURE_COOKIES")]
    secure_cookies: bool,
    /// The SMTP server that sends the outbox: smtp://user:pass@host:587 (STARTTLS),
    /// smtps://user:pass@host:465 (TLS), smtp://127.0.0.1:25?tls=none (loopback only).
    /// Without it messages wait in the outbox, readable at /admin/outbox.
    #[arg(long, env = "MULTIPLIER_SMTP", hide_env_values = true)]
    smtp: Option<String>,
    /// The sender of every message.
    #[arg(
        long,
        env = "MULTIPLIER_MAIL_FROM",
        default_value = "multiplier@localhost"
    )]
    mail_from: String,
    /// The address people reach this server at, for links in messages
    /// (default: http:// and the listening address).
    #[arg(long, env = "MULTIPLIER_PUBLIC_URL")]
    public_url: Option<String>,
    /// The employer the candidate portal names (e.g. "Acme Payments").
    #[arg(long, env = "MULTIPLIER_EMPLOYER", value_name = "NAME")]
    employer: Option<String>,
    /// Whom candidates write to with questions, shown in the portal (an e-mail
    /// address becomes a mailto link), e.g. hiring@acme.example.
    #[arg(long, env = "MULTIPLIER_CONTACT", value_name = "ADDRESS")]
    contact: Option<String>,
    /// How many threads answer requests, each with its own event loop and
    /// database connections (default: one per core this process may use).
    #[arg(long, env = "MULTIPLIER_THREADS", value_name = "N",
          value_parser = clap::value_parser!(u16).range(1..=256))]
    threads: Option<u16>,
    /// Let the system move the serving threads between cores. By default, with
    /// one thread per core, each thread and its database work stay on one core.
    #[arg(long, env = "MULTIPLIER_NO_PIN")]
    no_pin: bool,
}

fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_sessions=warn"));
    let json = std::env::var("MULTIPLIER_LOG").is_ok_and(|v| v.eq_ignore_ascii_case("json"));
    // Colour only on a terminal, and never with NO_COLOR (as every other command).
    let ansi = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .with_writer(std::io::stderr);
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

impl Cmd {
    pub fn run(self, globals: &Globals) -> Result<Exit> {
        few_malloc_arenas();
        init_logging();
        let threads = self.threads.map_or_else(
            || std::thread::available_parallelism().map_or(1, |n| n.get().min(256)),
            usize::from,
        );
        // With several serving threads (each with a runtime of its own) this
        // runtime only accepts connections and runs the background work.
        let mut builder = tokio::runtime::Builder::new_multi_thread();
        if threads > 1 {
            builder.worker_threads(1);
        }
        let runtime = builder
            .enable_all()
            .build()
            .context("cannot start the async runtime")?;
        let smtp = self
            .smtp
            .as_deref()
            .map(multiplier_app::SmtpConfig::parse)
            .transpose()
            .map_err(|e| anyhow::anyhow!("--smtp: {e}"))?;
        multiplier_app::mail::check_sender(&self.mail_from)
            .map_err(|e| anyhow::anyhow!("--mail-from: {e}"))?;
        let served = runtime.block_on(async {
            let app = globals.app().await?;
            let mut state = AppState::new(app.store().clone(), app.framework_arc());
            // The outcome page's "take a snapshot now" reads repositories through git.
            state.app = state.app.clone().with_history(std::sync::Arc::new(crate::git_history::GitHistory));
            let blank = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
            state.employer = multiplier_web::Employer {
                name: blank(self.employer.clone()),
                contact: blank(self.contact.clone()),
            };
            if self.demo {
                let demo = multiplier_web::demo::seed(&state)
                    .await
                    .context("cannot seed the demo data")?;
                eprintln!("{demo}");
            } else if app.accounts(&Actor::Operator).await?.is_empty() {
                eprintln!(
                    "No accounts yet: create the first admin with `multiplier user add NAME --role admin` (or try `multiplier serve --demo`)."
                );
            }
            // Before saying we listen: a SIGTERM from then on is a clean stop.
            let shutdown = multiplier_web::shutdown_signal();
            let listener = tokio::net::TcpListener::bind(self.addr)
                .await
                .with_context(|| format!("cannot listen on {}", self.addr))?;
            let local = listener.local_addr().context("no local address")?;
            let public_url = self
                .public_url
                .clone()
                .unwrap_or_else(|| format!("http://{local}"));
            state.app = state.app.clone().with_mail(multiplier_app::MailSettings {
                from: self.mail_from.clone(),
                public_url,
                ..multiplier_app::MailSettings::default()
            });
            let transport = match &smtp {
                Some(config) => {
                    eprintln!("mail goes out through {config}");
                    multiplier_app::Transport::Smtp(config.clone())
                }
                None => {
                    eprintln!("no SMTP server (--smtp): messages wait in the outbox at /admin/outbox");
                    multiplier_app::Transport::Outbox
                }
            };
            // Dropped with the runtime at shutdown; a send cut off there is
            // retried after its claim lapses (docs/email.md).
            let worker = tokio::spawn(multiplier_app::mail::worker::run(
                state.app.clone(),
                transport,
            ));
            eprintln!(
                "multiplier is serving on http://{local}/ with {threads} thread(s) (Ctrl-C to stop)"
            );
            let config = Config {
                secure_cookies: self.secure_cookies,
                threads,
                pin_threads: !self.no_pin,
                ..Config::default()
            };
            let served = multiplier_web::serve(listener, state, config, shutdown)
                .await
                .context("the server stopped with an error");
            worker.abort();
            served?;
            anyhow::Ok(())
        });
        // An analysis cut off by the request timeout may still be running on a
        // blocking thread; the database is closed, so do not wait for it.
        runtime.shutdown_timeout(std::time::Duration::from_secs(1));
        served?;
        Ok(Exit::Fine)
    }
}

/// What `serve` sets `MALLOC_ARENA_MAX` to when the environment does not.
const MALLOC_ARENAS: &str = "4";

/// glibc gives threads that allocate at the same time arenas of their own (up
/// to eight per core) and keeps what was freed in each; a server's worker,
/// blocking and database threads then hold on to far more than they use. With
/// two arenas the server peaked at 80 MB under 64 connections at 10,000
/// candidates against 108 MB with glibc's default, but its threads queued on
/// the two arenas' locks; once SQLite no longer kept its own global locks,
/// four arenas served 10–40% more requests a second than two and peaked at
/// 80–83 MB against 63–67 (docs/performance.md, 2026-12-01). The
/// variable is read once, as the process starts, so `serve` starts itself again
/// with it set, keeping its arguments, environment and process id. An operator
/// who sets `MALLOC_ARENA_MAX` (any value) keeps theirs; where the restart
/// cannot happen, the server runs on with the defaults and says so.
fn few_malloc_arenas() {
    const VAR: &str = "MALLOC_ARENA_MAX";
    if std::env::var_os(VAR).is_some() {
        return;
    }
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt;
        let Ok(exe) = std::env::current_exe() else {
            return;
        };
        let err = std::process::Command::new(exe)
            .args(std::env::args_os().skip(1))
            .env(VAR, MALLOC_ARENAS)
            .exec();
        eprintln!(
            "note: could not restart with {VAR}={MALLOC_ARENAS} ({err}); serving with the allocator's defaults"
        );
    }
}
