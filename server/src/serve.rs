//! Serving the router on a listener: every request bounded in time, and a shutdown that waits for
//! requests in flight only so long.

use axum::response::Response;
use axum::Router;
use http::{header, HeaderValue, StatusCode};
use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::TcpListener;
use tower_http::timeout::TimeoutLayer;

/// The longest any request may take before it is answered 503. Generous: the database pool's own
/// wait is at most 5 s, a page render's [`crate::render_pool::RENDER_LIMIT`] 10 s.
pub const REQUEST_LIMIT: Duration = Duration::from_secs(30);

/// After the shutdown signal, how long requests in flight may still run.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Every 503, whoever answered it (an unreachable database, a render past its limit, a request past
/// [`REQUEST_LIMIT`]), tells clients and load balancers when to try again, unless it said so itself.
async fn retry_after_on_unavailable(mut response: Response) -> Response {
    if response.status() == StatusCode::SERVICE_UNAVAILABLE
        && !response.headers().contains_key(header::RETRY_AFTER)
    {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    }
    response
}

/// Serves `app` until `shutdown` completes, then for at most `grace` while requests in flight
/// finish. Returns once the server has stopped or the grace has run out.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
    grace: Duration,
) -> std::io::Result<()> {
    let app = app
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            REQUEST_LIMIT,
        ))
        .layer(axum::middleware::map_response(retry_after_on_unavailable));
    let (stopping_tx, stopping_rx) = tokio::sync::oneshot::channel::<()>();
    let server = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown.await;
        let _ = stopping_tx.send(());
    });
    let grace_over = async move {
        if stopping_rx.await.is_err() {
            // The server ended without a shutdown signal: it is not waiting on anything.
            std::future::pending::<()>().await;
        }
        tokio::time::sleep(grace).await;
    };
    tokio::select! {
        result = server => result,
        () = grace_over => {
            tracing::warn!("requests still in flight after {grace:?}: stopping anyway");
            Ok(())
        }
    }
}
