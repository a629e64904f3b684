//! How answers travel: compressed when the browser accepts it, and cached as what they are.

use super::*;

async fn get_with(app: &Router, uri: &str, accept_encoding: Option<&str>) -> http::Response<Body> {
    let mut request = Request::get(uri);
    if let Some(encoding) = accept_encoding {
        request = request.header(header::ACCEPT_ENCODING, encoding);
    }
    send(app, request.body(Body::empty()).unwrap()).await
}

#[tokio::test]
async fn pages_and_json_are_compressed_when_accepted_and_pages_are_never_stored() {
    let app = app().await;
    for (encoding, expected) in [("gzip", "gzip"), ("br", "br"), ("br, gzip", "br")] {
        let r = get_with(&app, "/login", Some(encoding)).await;
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(
            r.headers()[header::CONTENT_ENCODING],
            expected,
            "{encoding}"
        );
        assert_eq!(r.headers()[header::CACHE_CONTROL], "no-store");
    }
    let r = get_with(&app, "/.well-known/openid-configuration", Some("gzip")).await;
    assert_eq!(r.headers()[header::CONTENT_ENCODING], "gzip");
    // The provider metadata keeps its own caching.
    assert_eq!(r.headers()[header::CACHE_CONTROL], "max-age=300");

    // Without Accept-Encoding, as sent.
    let r = get_with(&app, "/login", None).await;
    assert!(r.headers().get(header::CONTENT_ENCODING).is_none());
    let page = super::oauth::body_text(r).await;
    assert!(page.contains("Sign in"));
}
