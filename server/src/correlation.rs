//! Every request runs inside its audit context: a correlation id made by the server (sent back as
//! `X-Correlation-ID`) that every audit event it causes carries, with the caller's own
//! `X-Correlation-ID` recorded beside it when it is a plausible id; and — once answered — the audit
//! of a change-making request an impersonated token authorized but no change of ours recorded.

use crate::state::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use engine::audit::request::{within, RequestContext};
use http::HeaderValue;

const HEADER: &str = "x-correlation-id";

/// A caller's id is kept only when it cannot break a log line: 1 to 64 letters, digits, `-`, `_`, `.`.
fn callers_id(request: &Request) -> Option<String> {
    let value = request.headers().get(HEADER)?.to_str().ok()?;
    let plausible = !value.is_empty()
        && value.len() <= 64
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    plausible.then(|| value.to_owned())
}

pub async fn audit_context(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let context = RequestContext::new(
        callers_id(&request),
        request.method().as_str(),
        request.uri().path(),
    );
    let id = HeaderValue::from_str(context.correlation_id()).ok();
    let ctx = state.ctx.clone();
    let mut response = within(context, async move {
        let response = next.run(request).await;
        let status = response.status().as_u16();
        if let Err(e) = ctx.engine.finish_request_audit(status, ctx.now()).await {
            tracing::error!("auditing a request made with an impersonated token: {e}");
        }
        response
    })
    .await;
    if let Some(id) = id {
        response.headers_mut().insert(HEADER, id);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(value: &str) -> Request {
        http::Request::builder()
            .header(HEADER, value)
            .body(axum::body::Body::empty())
            .unwrap()
    }

    #[test]
    fn only_a_plausible_id_is_kept() {
        assert_eq!(
            callers_id(&with("1a2ac914-ea61")).as_deref(),
            Some("1a2ac914-ea61")
        );
        assert_eq!(callers_id(&with("a] forged [b")), None);
        assert_eq!(callers_id(&with(&"x".repeat(65))), None);
    }
}
