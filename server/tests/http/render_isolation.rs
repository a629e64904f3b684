//! A page render that blocks its thread for good (as a lock-order deadlock in the reactive graph
//! did) must not stop the server: other requests are answered at once, the stuck render answers 503
//! at its deadline, and later renders run on a fresh runtime.

use super::http_client::{self, Request as HttpRequest};
use super::*;
use axum::middleware::from_fn_with_state;
use axum::routing::get;
use server::render_pool::{isolate_renders, RenderPool};
use std::sync::mpsc;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const LIMIT: Duration = Duration::from_millis(800);
static POOL: RenderPool = RenderPool::new(LIMIT);

/// Holds the stuck renders until the test lets them go.
static GATE: Mutex<Option<mpsc::Receiver<()>>> = Mutex::new(None);

/// A render that never yields: it blocks its worker thread on a lock, like the deadlock did.
fn stuck_render() -> &'static str {
    if let Ok(gate) = GATE.lock() {
        if let Some(gate) = gate.as_ref() {
            let _ = gate.recv();
        }
    }
    "released"
}

async fn get_status(base: &str, path: &str) -> (u16, Duration) {
    let started = Instant::now();
    let answer = http_client::send(HttpRequest::get(&format!("{base}{path}")))
        .await
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    (answer.status, started.elapsed())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stuck_render_stops_neither_other_requests_nor_later_renders() {
    let (release, gate) = mpsc::channel();
    *GATE.lock().unwrap() = Some(gate);
    let pages = Router::new()
        .route("/stuck", get(|| async { stuck_render() }))
        .route("/page", get(|| async { "rendered" }))
        .layer(from_fn_with_state(&POOL, isolate_renders));
    let app = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .merge(pages);
    // Served until the end of the test (dropping `server` would stop it).
    let server = listen(app).await;
    let base = server.base.clone();
    assert_eq!(get_status(&base, "/page").await.0, 200);

    // More stuck renders than the render runtime has threads: every one of them is blocked.
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get()) * 2;
    let stuck: Vec<_> = (0..threads)
        .map(|_| {
            let base = base.clone();
            tokio::spawn(async move { get_status(&base, "/stuck").await })
        })
        .collect();
    tokio::time::sleep(LIMIT / 4).await;
    let (status, took) = get_status(&base, "/healthz").await;
    assert_eq!(status, 200);
    assert!(took < Duration::from_millis(200), "/healthz took {took:?}");

    for request in stuck {
        let (status, took) = request.await.unwrap();
        assert_eq!(status, 503, "a stuck render answers 503");
        assert!(took < LIMIT * 4, "the stuck render answered after {took:?}");
    }
    let (status, took) = get_status(&base, "/page").await;
    assert_eq!(status, 200, "a later render runs on a fresh runtime");
    assert!(took < LIMIT, "{took:?}");

    for _ in 0..threads {
        let _ = release.send(());
    }
}
