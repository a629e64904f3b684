//! How answers travel: compressed when the browser accepts it (gzip or br, for HTML, JS, CSS,
//! WASM and JSON alike; the built assets come precompressed at the highest levels), and cached as
//! what they are. A built asset named after its content (`guise.<hash>.wasm`) is kept for a year
//! and never revalidated (`immutable`): the next build brings new names. One with a plain name
//! (a debug build's) is revalidated (`no-cache`: a 304 when unchanged). Pages are a person's own
//! view and are never stored.

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

/// What a request asks for, as far as caching goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Requested {
    /// A built asset named after its content.
    ContentNamedAsset,
    /// A built asset with a plain name.
    Asset,
    /// Anything else: pages, server functions, the APIs.
    Other,
}

impl Requested {
    pub fn of(path: &str) -> Self {
        match path.strip_prefix("/pkg/") {
            Some(file) if is_content_named(file) => Self::ContentNamedAsset,
            Some(_) => Self::Asset,
            None => Self::Other,
        }
    }
}

/// Whether a file name under `/pkg` carries a content hash (`name.<22 characters>.ext`: an MD5 in
/// unpadded base64url, as cargo-leptos writes it), so its content never changes under that name.
fn is_content_named(file_name: &str) -> bool {
    let mut parts = file_name.split('.');
    parts.next();
    let mut middle: Vec<&str> = parts.collect();
    middle.pop();
    middle.iter().any(|part| {
        part.len() == 22
            && part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            // wasm-split's placeholder for a hash not yet written
            && part.bytes().any(|b| b != b'_')
    })
}

/// The caching policy of an answer to what was requested, unless its handler set one. Applied
/// with the other headers every answer gets (`security::headers`).
pub fn set_cache_policy(requested: Requested, response: &mut Response) {
    let policy = match requested {
        // Not an error page in an asset's place: a 404 must not be kept for a year.
        Requested::ContentNamedAsset if response.status().is_success() => {
            "public, max-age=31536000, immutable"
        }
        Requested::ContentNamedAsset | Requested::Asset => "no-cache",
        Requested::Other if is_html(response) => "no-store",
        Requested::Other => return,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_are_told_from_plain_ones() {
        assert!(is_content_named("guise.Xy3_ab-CDefGhIjKlMnOpQ.wasm"));
        assert!(is_content_named("__wasm_split.Xy3_ab-CDefGhIjKlMnOpQ.js"));
        assert!(is_content_named("chunk_12.Xy3_ab-CDefGhIjKlMnOpQ.wasm"));
        // Precompressed siblings keep the hash.
        assert!(is_content_named("guise.Xy3_ab-CDefGhIjKlMnOpQ.wasm.br"));
        assert!(!is_content_named("guise.wasm"));
        assert!(!is_content_named("guise.wasm.br"));
        assert!(!is_content_named("__wasm_split.______________________.js"));
        assert!(!is_content_named("favicon.svg"));
    }

    #[test]
    fn only_assets_named_after_their_content_are_immutable() {
        assert_eq!(
            Requested::of("/pkg/guise.Xy3_ab-CDefGhIjKlMnOpQ.wasm"),
            Requested::ContentNamedAsset
        );
        assert_eq!(Requested::of("/pkg/guise.wasm"), Requested::Asset);
        assert_eq!(Requested::of("/console/users"), Requested::Other);
        let policy = |requested, status| {
            let mut response = Response::builder()
                .status(status)
                .body(axum::body::Body::empty())
                .unwrap();
            set_cache_policy(requested, &mut response);
            response
                .headers()
                .get(header::CACHE_CONTROL)
                .map(|v| v.to_str().unwrap().to_owned())
        };
        assert_eq!(
            policy(Requested::ContentNamedAsset, 200).as_deref(),
            Some("public, max-age=31536000, immutable")
        );
        assert_eq!(
            policy(Requested::ContentNamedAsset, 404).as_deref(),
            Some("no-cache")
        );
        assert_eq!(policy(Requested::Asset, 200).as_deref(), Some("no-cache"));
        assert_eq!(policy(Requested::Other, 200), None);
    }
}
