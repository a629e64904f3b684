//! Prometheus metrics at `/metrics`: off unless configured, then either on the main listener behind
//! a token of their own (`GUISE_METRICS_TOKEN`, sent as `Authorization: Bearer …`) or on a listener of
//! their own (`GUISE_METRICS_ADDR`, e.g. `127.0.0.1:9100`, for a scraper on a private network).
//!
//! Per node, counted as it happens: requests by route template, method and status, with a latency
//! histogram; tokens issued, sign-ins and delivery failures (recorded by the engine,
//! [`engine::figures::counters`]). Read from the database at each scrape, the same on every node:
//! active sessions and impersonations, the outbox's depth and refusals, the audit sequence head;
//! and this node's database pool.

use crate::state::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use engine::secrets::Secret;
use http::{header, HeaderValue, StatusCode};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::Instant;

/// Where `/metrics` is served, if anywhere.
#[derive(Clone, Debug, Default)]
pub enum MetricsAccess {
    #[default]
    Off,
    /// On the main listener, for requests with this bearer token.
    Token(Secret),
    /// On a listener of its own at this address, without a token.
    Listener(std::net::SocketAddr),
}

impl MetricsAccess {
    pub fn from_settings(token: Option<String>, addr: Option<String>) -> Result<Self, String> {
        match (token, addr) {
            (Some(_), Some(_)) => {
                Err("set GUISE_METRICS_TOKEN or GUISE_METRICS_ADDR, not both".into())
            }
            (Some(token), None) if token.len() < 16 => {
                Err("GUISE_METRICS_TOKEN must have at least 16 characters".into())
            }
            (Some(token), None) => Ok(Self::Token(Secret::new(token))),
            (None, Some(addr)) => addr.parse().map(Self::Listener).map_err(|_| {
                format!("GUISE_METRICS_ADDR must be an address and port, like 127.0.0.1:9100 (got {addr})")
            }),
            (None, None) => Ok(Self::Off),
        }
    }

    pub fn is_on(&self) -> bool {
        !matches!(self, Self::Off)
    }
}

/// Latency buckets, in seconds: from a cached JWKS read to a slow page render.
const LATENCY_BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

/// The process's recorder, installed the first time metrics are turned on (a process has one).
fn handle() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets(&LATENCY_BUCKETS)
                .inspect_err(|e| tracing::error!("metrics: {e}"))
                .ok()?;
            builder
                .install_recorder()
                .inspect_err(|e| tracing::error!("metrics: {e}"))
                .ok()
        })
        .as_ref()
}

/// Turns recording on for this process (once metrics are configured).
pub fn install() {
    let _ = handle();
}

/// Middleware: counts and times every request under its route template (`/console/users/{id}`,
/// never the id itself; `unmatched` for anything no route knows).
pub async fn track(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = request.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("guise_http_requests_total", "route" => route.clone(), "method" => method.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("guise_http_request_duration_seconds", "route" => route, "method" => method)
        .record(started.elapsed().as_secs_f64());
    response
}

/// `GET /metrics` on the main listener: only with the metrics token.
pub async fn serve_with_token(State(state): State<AppState>, request: Request) -> Response {
    let MetricsAccess::Token(token) = &state.web.metrics else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let presented = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if !presented.is_some_and(|p| same_in_constant_time(p.as_bytes(), token.expose().as_bytes())) {
        let mut refused = StatusCode::UNAUTHORIZED.into_response();
        refused
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return refused;
    }
    exposition(&state).await
}

/// Compares without stopping at the first difference, so timing does not tell how much of a guess
/// was right.
fn same_in_constant_time(a: &[u8], b: &[u8]) -> bool {
    let mut difference = a.len() ^ b.len();
    for (i, x) in a.iter().enumerate() {
        difference |= usize::from(x ^ b.get(i).copied().unwrap_or(0));
    }
    difference == 0
}

/// `GET /metrics` on the metrics listener.
async fn serve_open(State(state): State<AppState>) -> Response {
    exposition(&state).await
}

/// The metrics listener (`GUISE_METRICS_ADDR`): bound now, so a taken address stops the start-up,
/// then served in the background for as long as the process runs.
pub async fn spawn_listener(addr: std::net::SocketAddr, state: AppState) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("binding the metrics listener {addr}: {e}"))?;
    let metrics = axum::Router::new()
        .route("/metrics", axum::routing::get(serve_open))
        .with_state(state);
    tracing::info!("metrics at http://{addr}/metrics");
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, metrics).await {
            tracing::error!("metrics listener: {e}");
        }
    });
    Ok(())
}

/// The figures read now, then everything in Prometheus' text format.
async fn exposition(state: &AppState) -> Response {
    let Some(handle) = handle() else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    match state.ctx.engine.figures(state.ctx.now()).await {
        Ok(f) => {
            metrics::gauge!("guise_active_sessions").set(f.active_sessions as f64);
            metrics::gauge!("guise_active_impersonations").set(f.active_impersonations as f64);
            metrics::gauge!("guise_outbox_pending").set(f.outbox_pending as f64);
            metrics::gauge!("guise_outbox_failed").set(f.outbox_failed as f64);
            metrics::gauge!("guise_audit_sequence_head").set(f.audit_head as f64);
            metrics::gauge!("guise_db_connections", "state" => "open")
                .set(f64::from(f.pool_connections));
            metrics::gauge!("guise_db_connections", "state" => "idle").set(f.pool_idle as f64);
            metrics::gauge!("guise_database_up").set(1.0);
        }
        Err(e) => {
            // What is counted per node still counts; the database's figures keep their last values.
            tracing::warn!("metrics: reading the figures: {e}");
            metrics::gauge!("guise_database_up").set(0.0);
        }
    }
    let mut response = handle.render().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4"),
    );
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::{same_in_constant_time, MetricsAccess};

    #[test]
    fn the_token_must_match_exactly() {
        assert!(same_in_constant_time(b"abcdef", b"abcdef"));
        assert!(!same_in_constant_time(b"abcdef", b"abcdeg"));
        assert!(!same_in_constant_time(b"abcde", b"abcdef"));
        assert!(!same_in_constant_time(b"abcdef\0", b"abcdef"));
        assert!(!same_in_constant_time(b"", b"abcdef"));
    }

    #[test]
    fn metrics_are_off_or_behind_a_long_token_or_on_a_listener_of_their_own() {
        assert!(matches!(
            MetricsAccess::from_settings(None, None),
            Ok(MetricsAccess::Off)
        ));
        assert!(matches!(
            MetricsAccess::from_settings(Some("x".repeat(16)), None),
            Ok(MetricsAccess::Token(_))
        ));
        assert!(MetricsAccess::from_settings(Some("short".into()), None).is_err());
        assert!(matches!(
            MetricsAccess::from_settings(None, Some("127.0.0.1:9100".into())),
            Ok(MetricsAccess::Listener(_))
        ));
        assert!(MetricsAccess::from_settings(None, Some("9100".into()))
            .unwrap_err()
            .contains("9100"));
        assert!(
            MetricsAccess::from_settings(Some("x".repeat(16)), Some("127.0.0.1:9100".into()))
                .is_err()
        );
    }
}
