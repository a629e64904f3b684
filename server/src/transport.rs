//! How answers travel: compressed when the browser accepts it (gzip or br, for HTML, JS, CSS,
//! WASM and JSON alike), and cached as what they are. The built assets under `/pkg` keep their
//! names from one build to the next, so a browser revalidates them (`no-cache`: a 304 when
//! unchanged, by their `Last-Modified`); pages are a person's own view and are never stored.

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

/// Whether a request's path names a built asset (under `/pkg`).
pub fn is_asset(path: &str) -> bool {
    path.starts_with("/pkg/")
}

/// The caching policy of an answer (to a request for an asset or not), unless its handler set one.
/// Applied with the other headers every answer gets (`security::headers`).
pub fn set_cache_policy(asset: bool, response: &mut Response) {
    let policy = if asset {
        "no-cache"
    } else if is_html(response) {
        "no-store"
    } else {
        return;
    };
    response
        .headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static(policy));
}

fn is_html(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}
