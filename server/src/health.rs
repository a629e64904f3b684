//! Health for load balancers and orchestrators: cheap, unauthenticated, and revealing nothing but
//! the answer.
//!
//! - `/health/live`: the process serves (restart it if not).
//! - `/health/ready`: the database answers and signing keys are loaded (send it traffic only if
//!   so). The database pool's short acquire timeout bounds the answer when the database is down.
//!   A node that is stopping answers 503 here first, for [`DRAIN`], while it still serves: the
//!   load balancer takes it out before it closes its listener, so a rolling restart fails nothing.
//! - `/healthz`: the same as `/health/live`, kept for existing probes.

use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use http::{header, HeaderValue, StatusCode};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/health/live", get(live))
        .route("/healthz", get(live))
        .route("/health/ready", get(ready))
}

async fn live() -> Response {
    answer(StatusCode::OK, "ok")
}

/// How long a stopping node stays up while failing readiness: two failed checks a second apart (the
/// balancer settings `scripts/cluster.sh` uses), and a second more.
pub const DRAIN: std::time::Duration = std::time::Duration::from_secs(3);

async fn ready(State(state): State<AppState>) -> Response {
    if state.draining.load(std::sync::atomic::Ordering::Relaxed) {
        return answer(StatusCode::SERVICE_UNAVAILABLE, "draining");
    }
    match state.ctx.engine.ready(state.ctx.now()).await {
        Ok(()) => answer(StatusCode::OK, "ready"),
        Err(e) => {
            tracing::warn!("not ready: {e}");
            answer(StatusCode::SERVICE_UNAVAILABLE, "unavailable")
        }
    }
}

fn answer(status: StatusCode, text: &'static str) -> Response {
    let mut response = (status, text).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
