//! `/t/{org-handle}/…` and `/o/{org-id}/…`: the same endpoints in a child organization's context
//! (the wire contract). A protocol request under a prefix is answered by the same handlers, with
//! the organization in the request's extensions ([`Addressed`]): a sign-in it needs happens in that organization,
//! a browser session of another organization does not count there, and its SCIM endpoints are the
//! organization's (`/o/scim2/…`). A portal page under a prefix (`/console`, `/myaccount`, `/login`)
//! is a redirect to the page itself, through the organization's sign-in when needed: the pages'
//! own router knows them at one address only.

use crate::state::AppState;
use app::api::server::session_caller;
use axum::extract::{FromRequestParts, Request, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Router;
use engine::organizations::PathOrganization;
use engine::OrgId;
use http::StatusCode;
use tower::ServiceExt;

/// The organization a request was addressed to by its path.
#[derive(Clone, Debug)]
pub struct OrganizationContext {
    pub id: OrgId,
    pub handle: String,
    /// The prefix as the client wrote it (`/t/sales`), to send the browser back the same way.
    pub prefix: String,
}

/// The organization the request's path addressed, if it named one: an explicit value each
/// handler takes, put in the request's extensions where the prefix is read.
#[derive(Clone, Debug, Default)]
pub struct Addressed(pub Option<OrganizationContext>);

impl Addressed {
    /// The organization `extensions` say the path addressed.
    pub fn of(extensions: &http::Extensions) -> Self {
        Self(extensions.get::<OrganizationContext>().cloned())
    }

    pub fn id(&self) -> Option<&OrgId> {
        self.0.as_ref().map(|c| &c.id)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Addressed {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self::of(&parts.extensions))
    }
}

/// The organization an authorization request's hint names: `orgId` (its id) or `org` (its
/// handle). `Ok(None)` without a hint; `Err(None)` for a hint naming no active organization,
/// `Err(Some(e))` when it could not be read.
pub async fn hinted(
    engine: &engine::Engine,
    raw: &[u8],
) -> Result<Option<OrganizationContext>, Option<engine::Error>> {
    let hint = form_urlencoded::parse(raw).find_map(|(name, value)| match name.as_ref() {
        "orgId" => Some((true, value.into_owned())),
        "org" => Some((false, value.into_owned())),
        _ => None,
    });
    let Some((by_id, value)) = hint else {
        return Ok(None);
    };
    let named = if by_id {
        PathOrganization::Id(&value)
    } else {
        PathOrganization::Handle(&value)
    };
    match engine.active_organization_named(named).await {
        Ok(Some((id, handle))) => Ok(Some(OrganizationContext {
            id,
            handle,
            prefix: String::new(),
        })),
        Ok(None) => Err(None),
        Err(e) => Err(Some(e)),
    }
}

/// Where a browser that must sign in goes: the login page, in the addressed organization when
/// there is one, coming back to `here` (written under the same prefix).
pub fn login_location(here: &str, addressed: Option<&OrganizationContext>) -> String {
    match addressed {
        Some(c) => login_url(Some(&c.handle), &format!("{}{here}", c.prefix)),
        None => login_url(None, here),
    }
}

fn login_url(organization: Option<&str>, return_to: &str) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    if let Some(handle) = organization {
        query.append_pair("organization", handle);
    }
    query.append_pair("return_to", return_to);
    format!("/login?{}", query.finish())
}

/// `inner` (the whole application), reachable under the organization prefixes too. Every request
/// passes here first; the prefix is read by hand, not by a route, so that the inner routes' path
/// parameters are the only ones the handlers see.
pub fn with_prefixes(inner: Router, state: AppState) -> Router {
    Router::new().fallback(forward).with_state((state, inner))
}

async fn forward(
    State((state, inner)): State<(AppState, Router)>,
    mut request: Request,
) -> Response {
    let path = request.uri().path().to_owned();
    let Some((prefix, named, rest)) = split(&path) else {
        return pass(inner, request).await;
    };
    // `/o/scim2/Users` is the organization SCIM endpoint itself, not an organization's prefix.
    if let PathOrganization::Id(key) = named {
        if OrgId::parse(key).is_none() {
            return pass(inner, request).await;
        }
    }
    let found = match state.ctx.engine.active_organization_named(named).await {
        Ok(found) => found,
        Err(e) => return crate::guard::unavailable(&e),
    };
    // An unknown or deactivated organization has no endpoints.
    let Some((id, handle)) = found else {
        return (
            StatusCode::NOT_FOUND,
            "No active organization at this address.",
        )
            .into_response();
    };
    let context = OrganizationContext {
        id,
        handle,
        prefix: prefix.to_owned(),
    };
    let query = request
        .uri()
        .query()
        .map(|q| format!("?{q}"))
        .unwrap_or_default();
    if is_portal_page(rest) {
        // The headers alone cross the await: a request is not `Sync`.
        let headers = request.headers().clone();
        return portal_redirect(&state, &headers, &context, rest, &query).await;
    }
    let target = match rest.strip_prefix("/scim2/") {
        Some(scim) => format!("/o/scim2/{scim}{query}"),
        None => format!("{rest}{query}"),
    };
    match target.parse() {
        Ok(uri) => *request.uri_mut() = uri,
        Err(_) => return pass(inner, request).await,
    }
    request.extensions_mut().insert(context);
    pass(inner, request).await
}

async fn pass(inner: Router, request: Request) -> Response {
    match inner.oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

/// `/t/{handle}/rest` or `/o/{id}/rest` → the prefix, the organization it names, and `/rest`.
fn split(path: &str) -> Option<(&str, PathOrganization<'_>, &str)> {
    let after = path.strip_prefix('/')?;
    let (kind, after) = after.split_once('/')?;
    let (key, _) = after.split_once('/')?;
    let prefix_len = 1 + kind.len() + 1 + key.len();
    let named = match kind {
        "t" => PathOrganization::Handle(key),
        "o" => PathOrganization::Id(key),
        _ => return None,
    };
    Some((&path[..prefix_len], named, &path[prefix_len..]))
}

fn is_portal_page(rest: &str) -> bool {
    ["/console", "/myaccount", "/login"].iter().any(|page| {
        rest == *page
            || rest
                .strip_prefix(page)
                .is_some_and(|tail| tail.starts_with('/'))
    })
}

/// A portal page under a prefix: the page itself when the browser's session is of this
/// organization, else the organization's sign-in coming back to it (not under the prefix: the
/// sign-in settles the organization).
async fn portal_redirect(
    state: &AppState,
    headers: &http::HeaderMap,
    context: &OrganizationContext,
    rest: &str,
    query: &str,
) -> Response {
    let handle = Some(context.handle.as_str());
    if rest == "/login" {
        return Redirect::to(&login_url(handle, "/myaccount")).into_response();
    }
    let page = format!("{rest}{query}");
    let engine = &state.ctx.engine;
    match session_caller(engine, headers, Some(&context.id), None, state.ctx.now()).await {
        Ok(Some(_)) => Redirect::to(&page).into_response(),
        Ok(None) => Redirect::to(&login_url(handle, &page)).into_response(),
        Err(e) => crate::guard::unavailable(&e),
    }
}

#[cfg(test)]
mod tests {
    use super::{is_portal_page, split};
    use engine::organizations::PathOrganization;

    #[test]
    fn a_prefix_names_its_organization_and_keeps_the_rest() {
        let (prefix, named, rest) = split("/t/sales/oauth2/token").unwrap();
        assert_eq!(prefix, "/t/sales");
        assert!(matches!(named, PathOrganization::Handle("sales")));
        assert_eq!(rest, "/oauth2/token");
        let (_, named, rest) =
            split("/o/2fb64b16-94ee-4727-a542-5db7af91ef06/scim2/Users").unwrap();
        assert!(matches!(named, PathOrganization::Id(_)));
        assert_eq!(rest, "/scim2/Users");
        assert!(split("/x/sales/oauth2/token").is_none());
        assert!(split("/t/sales").is_none());
    }

    #[test]
    fn portal_pages_are_told_apart_from_protocol_endpoints() {
        assert!(is_portal_page("/console"));
        assert!(is_portal_page("/myaccount/activity"));
        assert!(!is_portal_page("/consoles"));
        assert!(!is_portal_page("/oauth2/authorize"));
    }
}
