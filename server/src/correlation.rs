//! Every request runs inside its audit context: a correlation id made by the server (sent back as
//! `X-Correlation-ID`) that every audit event it causes carries, with the caller's own
//! `X-Correlation-ID` recorded beside it when it is a plausible id; and — once answered — the audit
//! of a change-making request an impersonated token authorized but no change of ours recorded.

use crate::state::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use engine::audit::request::RequestContext;
use http::HeaderValue;
use std::sync::Arc;
use tracing::Instrument;

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
    mut request: Request,
    next: Next,
) -> Response {
    let context = RequestContext::new(
        callers_id(&request),
        request.method().as_str(),
        request.uri().path(),
    );
    let id = HeaderValue::from_str(context.correlation_id()).ok();
    // Every log line of the request, wherever in the server or engine it is written, names it. At
    // the error level, so that no filter that keeps a line drops the span that names its request.
    let span = tracing::error_span!(
        "request",
        correlation_id = context.correlation_id(),
        method = %request.method(),
        path = request.uri().path(),
    );
    // An explicit value the handlers take ([`ThisRequest`]) and hand to the engine with the caller.
    request.extensions_mut().insert(Arc::clone(&context));
    async move {
        let mut response = next.run(request).await;
        let status = response.status().as_u16();
        let ctx = &state.ctx;
        if let Err(e) = ctx
            .engine
            .finish_request_audit(&context, status, ctx.now())
            .await
        {
            tracing::error!("auditing a request made with an impersonated token: {e}");
        }
        if let Some(id) = id {
            response.headers_mut().insert(HEADER, id);
        }
        response
    }
    .instrument(span)
    .await
}

/// The request being answered, as the audit trail knows it (`None` outside the middleware: a
/// router built without it, in a test).
#[derive(Clone, Debug, Default)]
pub struct ThisRequest(pub Option<Arc<RequestContext>>);

impl ThisRequest {
    /// The request recorded in `extensions`, where [`audit_context`] put it.
    pub fn of(extensions: &http::Extensions) -> Self {
        Self(extensions.get::<Arc<RequestContext>>().cloned())
    }
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ThisRequest {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self::of(&parts.extensions))
    }
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
