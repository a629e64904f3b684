//! How answers travel: compressed when the browser accepts it (gzip or br, for HTML, JS, CSS,
//! WASM and JSON alike), and cached as what they are. The built assets under `/pkg` keep their
//! names from one build to the next, so a browser revalidates them (`no-cache`: a 304 when
//! unchanged, by their `Last-Modified`); pages are a person's own view and are never stored.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::{header, HeaderValue};
use tower_http::compression::{CompressionLayer, CompressionLevel};

/// The compression every answer gets. Level 5: most of the size saving of the highest levels, at
/// a small share of their CPU (the 2 MB WASM bundle compresses in tens of milliseconds).
pub fn compression() -> CompressionLayer {
    CompressionLayer::new()
        .gzip(true)
        .br(true)
        .quality(CompressionLevel::Precise(5))
}

/// The caching policy of an answer, unless its handler set one.
pub async fn cache_policy(request: Request, next: Next) -> Response {
    let asset = request.uri().path().starts_with("/pkg/");
    let mut response = next.run(request).await;
    let policy = if asset {
        "no-cache"
    } else if is_html(&response) {
        "no-store"
    } else {
        return response;
    };
    response
        .headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static(policy));
    response
}

fn is_html(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}
