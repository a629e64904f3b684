//! `/o/scim2/Users`: the same SCIM endpoints in a child organization's context. A request there
//! carries a marker in its extensions that the caller's extractor reads, so the token's
//! organization scopes (`internal_org_user_mgt_*`) apply, in the token's organization only.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;

/// Set on a request to the organization endpoint.
#[derive(Clone, Copy, Debug)]
pub struct OrganizationEndpoint;

/// Marks the request as one to the organization endpoint.
pub async fn mark(mut request: Request, next: Next) -> Response {
    request.extensions_mut().insert(OrganizationEndpoint);
    next.run(request).await
}
