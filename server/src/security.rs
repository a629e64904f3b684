//! Security headers on every response, and refusal of cross-site writes.
//!
//! Leptos server functions have no CSRF protection of their own, so every state-changing request to
//! `/api/` (server functions) or `/auth/` (sign-in forms) must come from our own pages: the browser's
//! `Sec-Fetch-Site` must say `same-origin`, or, from browsers that do not send it, `Origin` must be ours.

use crate::state::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use http::{header, HeaderMap, HeaderValue, Method, StatusCode};

/// For responses that set no policy of their own (pages set one with a per-response nonce).
const DEFAULT_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
     img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'none'";

pub async fn headers(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let requested = crate::transport::Requested::of(request.uri().path());
    let mut response = next.run(request).await;
    crate::transport::set_cache_policy(requested, &mut response);
    let h = response.headers_mut();
    h.entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(DEFAULT_CSP));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    if state.web.secure_cookies {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    response
}

pub async fn same_origin_writes(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    // Consent answers and logout confirmations are our own forms, like sign-in.
    // The management REST API (`/api/server/v1/`) takes bearer tokens only, never the session
    // cookie, so a cross-site page cannot make a browser send its credentials there.
    let bearer_only = path.starts_with("/api/server/v1/");
    let guarded = (path.starts_with("/api/") && !bearer_only)
        || path.starts_with("/auth/")
        || path == "/oauth2/consent"
        || path == "/oidc/logout/confirm";
    let safe_method = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if !guarded || safe_method || is_same_origin(request.headers(), &state.web.public_origin) {
        return next.run(request).await;
    }
    tracing::warn!(path, "refused a cross-site write");
    if path == "/auth/login" || path == "/auth/login/code" {
        return Redirect::to("/login?error=forbidden_origin").into_response();
    }
    (StatusCode::FORBIDDEN, "Cross-site request refused.").into_response()
}

pub fn is_same_origin(headers: &HeaderMap, public_origin: &str) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return site.as_bytes() == b"same-origin";
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) else {
        return false;
    };
    if origin == public_origin {
        return true;
    }
    // Same host as the request was addressed to (e.g. `localhost` instead of `127.0.0.1`), and our
    // scheme: an origin is scheme, host and port (RFC 6454), and a plain-http page on our host must
    // not write to an https deployment.
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let our_scheme = public_origin.split_once("://").map(|(scheme, _)| scheme);
    match (host, our_scheme, origin.split_once("://")) {
        (Some(host), Some(ours), Some((scheme, origin_host))) => {
            scheme == ours && origin_host == host
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_same_origin;
    use http::HeaderMap;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    const US: &str = "http://127.0.0.1:3000";

    #[test]
    fn fetch_metadata_decides_when_present() {
        assert!(is_same_origin(
            &headers(&[("sec-fetch-site", "same-origin")]),
            US
        ));
        assert!(!is_same_origin(
            &headers(&[("sec-fetch-site", "cross-site"), ("origin", US)]),
            US
        ));
        assert!(!is_same_origin(
            &headers(&[("sec-fetch-site", "same-site")]),
            US
        ));
    }

    #[test]
    fn origin_must_be_ours() {
        assert!(is_same_origin(&headers(&[("origin", US)]), US));
        assert!(is_same_origin(
            &headers(&[
                ("origin", "http://localhost:3000"),
                ("host", "localhost:3000")
            ]),
            US
        ));
        assert!(!is_same_origin(
            &headers(&[
                ("origin", "http://evil.example"),
                ("host", "127.0.0.1:3000")
            ]),
            US
        ));
        // Same host and port, another scheme: another origin.
        assert!(!is_same_origin(
            &headers(&[
                ("origin", "https://127.0.0.1:3000"),
                ("host", "127.0.0.1:3000")
            ]),
            US
        ));
        assert!(!is_same_origin(
            &headers(&[
                ("origin", "http://localhost:3000"),
                ("host", "localhost:3000")
            ]),
            "https://id.example"
        ));
        assert!(!is_same_origin(&headers(&[("origin", "null")]), US));
        assert!(!is_same_origin(&HeaderMap::new(), US));
    }
}
