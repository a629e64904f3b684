//! `/o/scim2/Users`: the same SCIM endpoints in a child organization's context. A request there
//! runs with a flag its handlers read when they establish the caller, so the token's
//! organization scopes (`internal_org_user_mgt_*`) apply, in the token's organization only.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;

tokio::task_local! {
    static ORGANIZATION_ENDPOINT: ();
}

/// Marks the request as one to the organization endpoint.
pub async fn mark(request: Request, next: Next) -> Response {
    ORGANIZATION_ENDPOINT.scope((), next.run(request)).await
}

/// Whether the current request came through `/o/scim2`.
pub fn is_organization_endpoint() -> bool {
    ORGANIZATION_ENDPOINT.try_with(|_| ()).is_ok()
}
