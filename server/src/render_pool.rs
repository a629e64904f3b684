//! Page renders run on a runtime of their own, so that a render that stalls (Leptos's reactive
//! graph takes `std` locks, and a lock-order bug there blocks the thread that hits it) can never
//! occupy the workers that answer the token endpoint, SCIM, sign-in and `/healthz`.
//!
//! A rendered page streams: its body is polled on the render runtime too, and handed over chunk by
//! chunk. The request side waits for each part with a deadline, so a stalled render ends as a 503
//! (or a cut-off body) within [`RENDER_LIMIT`], whatever the render thread is doing; and when every
//! render thread is stuck, the next renders get a fresh runtime.

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use http::{Method, StatusCode};
use std::sync::Mutex;
use std::time::Duration;
use tokio::runtime::Runtime;
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;
use tracing::Instrument;

/// How long one page (head and whole body) may take.
pub const RENDER_LIMIT: Duration = Duration::from_secs(10);

/// The render runtime's threads: as many as the machine has cores, at least two.
fn render_threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .max(2)
}

/// How many times a wedged render runtime is replaced by a fresh one. Each replacement leaves the
/// old runtime's stuck threads behind (a thread blocked on a lock cannot be ended), so this bounds
/// what a page that keeps deadlocking can cost; past it, renders answer 503 until a restart.
const MAX_REPLACEMENTS: usize = 8;

/// The runtimes page renders run on, the current one last. They live as long as the process (a
/// runtime cannot be dropped from async code, and a wedged one could not finish dropping anyway).
pub struct RenderPool {
    limit: Duration,
    runtimes: Mutex<Vec<&'static Runtime>>,
}

/// The pool of every router the process builds.
pub static PAGE_RENDERS: RenderPool = RenderPool::new(RENDER_LIMIT);

impl RenderPool {
    /// A pool whose renders may take `limit` each (head and whole body).
    pub const fn new(limit: Duration) -> Self {
        Self {
            limit,
            runtimes: Mutex::new(Vec::new()),
        }
    }

    /// The current render runtime, started on first use.
    fn current(&self) -> Option<&'static Runtime> {
        let mut runtimes = self.runtimes.lock().ok()?;
        if let Some(current) = runtimes.last() {
            return Some(current);
        }
        let first = start_runtime()?;
        runtimes.push(first);
        Some(first)
    }

    /// After a render missed its deadline: if `runtime` no longer runs even an empty task (every
    /// worker is stuck), later renders go to a fresh runtime.
    async fn replace_if_wedged(&self, runtime: &'static Runtime) {
        let probe = runtime.spawn(async {});
        if tokio::time::timeout(Duration::from_millis(500), probe)
            .await
            .is_ok()
        {
            return;
        }
        let Ok(mut runtimes) = self.runtimes.lock() else {
            return;
        };
        if !runtimes.last().is_some_and(|r| std::ptr::eq(*r, runtime)) {
            return; // already replaced
        }
        if runtimes.len() > MAX_REPLACEMENTS {
            tracing::error!(
                "the render runtime is stuck again: pages stay unavailable until Guise restarts"
            );
            return;
        }
        if let Some(fresh) = start_runtime() {
            tracing::error!("every render thread is stuck: page renders move to a fresh runtime");
            runtimes.push(fresh);
        }
    }
}

fn start_runtime() -> Option<&'static Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(render_threads())
        .thread_name("guise-render")
        .enable_all()
        .build()
        .map_err(|e| tracing::error!("starting a render runtime: {e}"))
        .ok()
        .map(|runtime| &*Box::leak(Box::new(runtime)))
}

/// Middleware for the Leptos routes: page renders (GET and HEAD) go to `pool`'s runtime. Server
/// functions (POST) stay on the request's own task, where the audit trail's request context
/// lives; they run no view code.
pub async fn isolate_renders(
    State(pool): State<&'static RenderPool>,
    request: Request,
    next: Next,
) -> Response {
    let renders = matches!(*request.method(), Method::GET | Method::HEAD);
    let Some(runtime) = pool.current().filter(|_| renders) else {
        return next.run(request).await;
    };
    let deadline = Instant::now() + pool.limit;
    let what = request.uri().path().to_owned();
    let (head_tx, head_rx) = oneshot::channel();
    let (chunk_tx, chunk_rx) = mpsc::channel::<Result<Bytes, axum::Error>>(16);
    // On the render runtime too, the render's log lines belong to the request's span.
    runtime.spawn(
        async move {
            let response = next.run(request).await;
            let (parts, body) = response.into_parts();
            if head_tx.send(parts).is_err() {
                return;
            }
            let mut chunks = body.into_data_stream();
            while let Some(chunk) = chunks.next().await {
                if chunk_tx.send(chunk).await.is_err() {
                    return;
                }
            }
        }
        .in_current_span(),
    );
    match tokio::time::timeout_at(deadline, head_rx).await {
        Ok(Ok(parts)) => {
            let body = streamed_until(chunk_rx, deadline, what, pool, runtime);
            Response::from_parts(parts, body)
        }
        Ok(Err(_)) => {
            tracing::error!("the render of {what} ended without a response");
            unavailable()
        }
        Err(_) => {
            tracing::error!("the render of {what} gave no response in time");
            pool.replace_if_wedged(runtime).await;
            unavailable()
        }
    }
}

/// The body the render runtime hands over, ended with an error (the connection is cut, never a
/// silently truncated page) when it is not complete by `deadline`.
fn streamed_until(
    chunks: mpsc::Receiver<Result<Bytes, axum::Error>>,
    deadline: Instant,
    what: String,
    pool: &'static RenderPool,
    runtime: &'static Runtime,
) -> Body {
    let stream = futures_util::stream::unfold(Some((chunks, what)), move |state| async move {
        let (mut chunks, what) = state?;
        match tokio::time::timeout_at(deadline, chunks.recv()).await {
            Ok(Some(chunk)) => Some((chunk, Some((chunks, what)))),
            Ok(None) => None,
            Err(_) => {
                tracing::error!("the render of {what} did not finish in time");
                pool.replace_if_wedged(runtime).await;
                Some((Err(axum::Error::new(RenderStalled)), None))
            }
        }
    });
    // Fused: a reader that polls again after the end (the compression layer's does) gets the end
    // again, never a panic.
    Body::from_stream(futures_util::StreamExt::fuse(stream))
}

#[derive(Debug, thiserror::Error)]
#[error("the page render did not finish in time")]
struct RenderStalled;

fn unavailable() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(http::header::RETRY_AFTER, "5")],
        "This page could not be prepared in time. Try again in a moment.",
    )
        .into_response()
}
