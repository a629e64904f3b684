//! Pages of the Console and My Account need a session: visitors without one are sent to sign in,
//! and come back afterwards.

use crate::state::AppState;
use app::api::server::session_token;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use http::Method;

fn is_portal_page(path: &str) -> bool {
    ["/console", "/myaccount"].iter().any(|p| {
        path == *p
            || path
                .strip_prefix(p)
                .is_some_and(|rest| rest.starts_with('/'))
    })
}

pub async fn require_session(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if request.method() != Method::GET || !is_portal_page(request.uri().path()) {
        return next.run(request).await;
    }
    let token = session_token(request.headers());
    let signed_in = match token {
        Some(t) => state
            .ctx
            .engine
            .authenticate(t, state.ctx.now())
            .await
            .is_ok(),
        None => false,
    };
    if signed_in {
        return next.run(request).await;
    }
    let here = request.uri().path_and_query().map_or("/", |pq| pq.as_str());
    let query: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("return_to", here)
        .finish();
    Redirect::to(&format!("/login?{query}")).into_response()
}

#[cfg(test)]
mod tests {
    #[test]
    fn portal_pages() {
        assert!(super::is_portal_page("/console"));
        assert!(super::is_portal_page("/console/users/1"));
        assert!(super::is_portal_page("/myaccount"));
        assert!(!super::is_portal_page("/consoles"));
        assert!(!super::is_portal_page("/login"));
    }
}
