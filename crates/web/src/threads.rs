//! Several threads answering requests, each with an event loop and database
//! connections of its own ([`Config::threads`] above one).
//!
//! One runtime whose worker threads share every task, beside a pool whose
//! SQLite connections each run on a thread of their own, hands each query from
//! one thread to another and back, often from one core to the other. On the
//! 2-core machines of `bench/web.sh` those hand-offs cost more than the second
//! core brought: the whole server bound to one core answered the board and
//! the debrief as fast as on two, and the openings list 1.6 times as fast.
//! So each thread here runs a single-threaded runtime and a pool of its own
//! (an [`App::sibling`](multiplier_app::App::sibling)); sqlx starts a
//! connection's thread from the thread that opens it, so with one thread per
//! core, bound to it ([`Config::pin_threads`]), a request's queries stay on
//! its core. The caller's runtime accepts connections and hands each to the
//! thread holding the fewest, where it stays until it closes; background work
//! (sessions' housekeeping, the mail worker) stays on the caller's runtime.
//! Measured in docs/performance.md.

use crate::{AppState, Config, app};
use axum::Router;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// A connection handed to a thread, and its place in that thread's count.
type Handed = (std::net::TcpStream, SocketAddr, Live);

/// One of a thread's open connections; the count drops when this does.
struct Live(Arc<AtomicUsize>);

impl Live {
    fn new(count: &Arc<AtomicUsize>) -> Live {
        count.fetch_add(1, Ordering::Relaxed);
        Live(Arc::clone(count))
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A serving thread, as the accepting side sees it.
struct Thread {
    handed: tokio::sync::mpsc::UnboundedSender<Handed>,
    open: Arc<AtomicUsize>,
    done: tokio::sync::oneshot::Receiver<()>,
}

/// Serve on `config.threads` threads until `shutdown`, then let each finish
/// its requests in flight (for at most the request timeout) and close its
/// connections to the database. An in-memory SQLite database, which only its
/// own pool reaches, is served by the caller's runtime alone.
pub(crate) async fn run(
    listener: tokio::net::TcpListener,
    state: AppState,
    config: &Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let count = config.threads;
    let shares = u32::try_from(count).unwrap_or(u32::MAX);
    let mut apps = Vec::with_capacity(count);
    for _ in 0..count {
        match state.app.sibling(shares) {
            Some(app) => apps.push(app),
            None => {
                tracing::info!("an in-memory database is served by one thread");
                return crate::run(listener, app(state, config), config, shutdown).await;
            }
        }
    }
    let cores = if config.pin_threads {
        cores_for(count)
    } else {
        None
    };
    match &cores {
        Some(cores) => tracing::info!(
            threads = count,
            ?cores,
            "each thread answers on a core of its own"
        ),
        None => tracing::info!(threads = count, "threads answer requests on any core"),
    }
    // Named after the port, so that `top -H` tells one server's threads from another's.
    let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
    let mut threads: Vec<Thread> = Vec::with_capacity(count);
    for (i, thread_app) in apps.into_iter().enumerate() {
        let thread_state = AppState {
            app: thread_app.clone(),
            ..state.clone()
        };
        let router = app(thread_state, config);
        let (handed, received) = tokio::sync::mpsc::unbounded_channel();
        let (finished, done) = tokio::sync::oneshot::channel();
        let core = cores.as_ref().and_then(|c| c.get(i).copied());
        let thread_config = config.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("serve-{port}-{i}"))
            .spawn(move || {
                answer(core, received, router, &thread_config, thread_app);
                let _ = finished.send(());
            });
        if let Err(e) = spawned {
            stop(threads).await;
            return Err(e);
        }
        threads.push(Thread {
            handed,
            open: Arc::new(AtomicUsize::new(0)),
            done,
        });
    }
    let mut shutdown = std::pin::pin!(shutdown);
    let mut next = 0;
    let mut stopped = None;
    loop {
        let (stream, peer) = tokio::select! {
            accepted = crate::accept(&listener) => accepted,
            () = &mut shutdown => break,
        };
        let stream = match stream.into_std() {
            Ok(stream) => stream,
            Err(e) => {
                tracing::warn!(error = %e, "cannot hand a connection to a serving thread");
                continue;
            }
        };
        let Some(thread) = least_busy(&threads, next) else {
            break;
        };
        next = next.wrapping_add(1);
        let live = Live::new(&thread.open);
        if thread.handed.send((stream, peer, live)).is_err() {
            // Its runtime could not start (the reason is in the log before).
            stopped = Some(std::io::Error::other(
                "a serving thread stopped; the server stops with it",
            ));
            break;
        }
    }
    drop(listener);
    stop(threads).await;
    stopped.map_or(Ok(()), Err)
}

/// The thread with the fewest open connections; among equals, the first from
/// `next` on, so that a burst of new connections is spread around.
fn least_busy(threads: &[Thread], next: usize) -> Option<&Thread> {
    let n = threads.len();
    (0..n)
        .map(|k| &threads[(next + k) % n])
        .min_by_key(|t| t.open.load(Ordering::Relaxed))
}

/// Close every thread's queue, then wait for each to finish its requests.
async fn stop(threads: Vec<Thread>) {
    let mut waiting = Vec::with_capacity(threads.len());
    for thread in threads {
        drop(thread.handed);
        waiting.push(thread.done);
    }
    for done in waiting {
        let _ = done.await;
    }
}

/// A serving thread: bound to `core` if given, it runs its own runtime and
/// serves each connection handed to it until the queue closes, lets the
/// requests in flight finish, and closes its database connections.
fn answer(
    core: Option<usize>,
    mut received: tokio::sync::mpsc::UnboundedReceiver<Handed>,
    router: Router,
    config: &Config,
    thread_app: multiplier_app::App,
) {
    let everywhere = affinity::current();
    if let Some(core) = core
        && let Err(e) = affinity::bind(core)
    {
        tracing::warn!(core, error = %e, "cannot keep a serving thread on its core");
    }
    let runtime = match runtime(everywhere) {
        Ok(runtime) => runtime,
        Err(e) => {
            tracing::error!(error = %e, "cannot start a serving thread's runtime");
            return;
        }
    };
    runtime.block_on(async {
        let graceful = hyper_util::server::graceful::GracefulShutdown::new();
        while let Some((stream, peer, live)) = received.recv().await {
            match tokio::net::TcpStream::from_std(stream) {
                Ok(stream) => {
                    crate::spawn_connection(stream, peer, &router, config, &graceful, live);
                }
                Err(e) => tracing::warn!(error = %e, "cannot serve a handed connection"),
            }
        }
        crate::drain(graceful, config).await;
        drop(router);
        // A request cut off by the drain's timeout may still hold a
        // connection, which the pool would wait for: the runtime's end drops
        // that request, and its connection with it.
        let closed = tokio::time::timeout(Duration::from_secs(1), thread_app.close_sibling()).await;
        if closed.is_err() {
            tracing::warn!("a serving thread's database connections were still in use at the end");
        }
    });
    runtime.shutdown_timeout(Duration::from_secs(1));
}

/// A serving thread's runtime: single-threaded, with its I/O and timers. Its
/// blocking threads (password hashing, analyses) are started from the serving
/// thread and would inherit its core: they get `everywhere` back.
fn runtime(everywhere: Option<affinity::Cores>) -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .on_thread_start(move || affinity::restore(everywhere.as_ref()))
        .build()
}

/// The cores to bind `count` threads to, one each: every core this process
/// may run on, when there are exactly `count` of them; otherwise none (more
/// threads than cores would share them, fewer would leave some unused).
fn cores_for(count: usize) -> Option<Vec<usize>> {
    let cores = affinity::cores(affinity::current().as_ref()?);
    if cores.len() == count {
        Some(cores)
    } else {
        tracing::info!(
            threads = count,
            cores = cores.len(),
            "threads are not bound to cores: there are not as many threads as cores"
        );
        None
    }
}

#[cfg(target_os = "linux")]
mod affinity {
    use rustix::thread::{CpuSet, sched_getaffinity, sched_setaffinity};

    pub(super) type Cores = CpuSet;

    /// The cores the calling thread may run on.
    pub(super) fn current() -> Option<Cores> {
        sched_getaffinity(None).ok()
    }

    pub(super) fn cores(set: &Cores) -> Vec<usize> {
        (0..CpuSet::MAX_CPU).filter(|c| set.is_set(*c)).collect()
    }

    /// Keep the calling thread on `core`.
    pub(super) fn bind(core: usize) -> std::io::Result<()> {
        let mut set = CpuSet::new();
        set.set(core);
        sched_setaffinity(None, &set).map_err(std::io::Error::from)
    }

    /// Let the calling thread run on `set` again.
    pub(super) fn restore(set: Option<&Cores>) {
        if let Some(set) = set {
            let _ = sched_setaffinity(None, set);
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod affinity {
    //! Elsewhere threads are not bound to cores.

    pub(super) type Cores = ();

    pub(super) fn current() -> Option<Cores> {
        None
    }

    pub(super) fn cores(_set: &Cores) -> Vec<usize> {
        Vec::new()
    }

    pub(super) fn bind(_core: usize) -> std::io::Result<()> {
        Ok(())
    }

    pub(super) fn restore(_set: Option<&Cores>) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    fn threads(open: &[usize]) -> Vec<Thread> {
        open.iter()
            .map(|n| Thread {
                handed: tokio::sync::mpsc::unbounded_channel().0,
                open: Arc::new(AtomicUsize::new(*n)),
                done: tokio::sync::oneshot::channel().1,
            })
            .collect()
    }

    fn index(all: &[Thread], chosen: Option<&Thread>) -> Option<usize> {
        let chosen = chosen?;
        all.iter().position(|t| std::ptr::eq(t, chosen))
    }

    #[test]
    fn a_connection_goes_to_the_thread_with_the_fewest_and_ties_take_turns() {
        let all = threads(&[3, 1, 1]);
        assert_eq!(index(&all, least_busy(&all, 0)), Some(1));
        assert_eq!(index(&all, least_busy(&all, 2)), Some(2));
        assert_eq!(
            index(&all, least_busy(&all, 3)),
            Some(1),
            "turns wrap around"
        );
        let idle = threads(&[0, 0]);
        let turns: Vec<_> = (0..4)
            .map(|next| index(&idle, least_busy(&idle, next)))
            .collect();
        assert_eq!(turns, [Some(0), Some(1), Some(0), Some(1)]);
        assert!(least_busy(&[], 0).is_none());
    }

    #[test]
    fn a_handed_connection_counts_until_it_is_dropped() {
        let open = Arc::new(AtomicUsize::new(0));
        let first = Live::new(&open);
        let second = Live::new(&open);
        assert_eq!(open.load(Ordering::Relaxed), 2);
        drop(first);
        assert_eq!(open.load(Ordering::Relaxed), 1);
        drop(second);
        assert_eq!(open.load(Ordering::Relaxed), 0);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn threads_are_bound_only_when_there_is_one_for_each_core() {
        let allowed = affinity::cores(&affinity::current().unwrap_or_default());
        assert!(!allowed.is_empty());
        assert_eq!(cores_for(allowed.len()), Some(allowed.clone()));
        assert_eq!(cores_for(allowed.len() + 1), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_bound_thread_runs_on_its_core_and_its_blocking_threads_on_every_core() {
        let everywhere = affinity::current().unwrap_or_default();
        let allowed = affinity::cores(&everywhere);
        let core = allowed[allowed.len() - 1];
        let seen = std::thread::spawn(move || {
            let before = affinity::current();
            affinity::bind(core).map_err(|e| e.to_string())?;
            let bound = affinity::current().as_ref().map(affinity::cores);
            let runtime = runtime(before).map_err(|e| e.to_string())?;
            let blocking = runtime
                .block_on(async {
                    tokio::task::spawn_blocking(|| {
                        affinity::current().as_ref().map(affinity::cores)
                    })
                    .await
                })
                .map_err(|e| e.to_string())?;
            Ok::<_, String>((bound, blocking))
        })
        .join();
        let Ok(Ok((bound, blocking))) = seen else {
            panic!("the bound thread failed: {seen:?}");
        };
        assert_eq!(bound, Some(vec![core]));
        assert_eq!(blocking, Some(allowed));
    }
}
