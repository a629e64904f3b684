//! `/scim2/Users`: list and search, get, create, replace, patch, delete.

use super::error::{bad_request, scim_json, ScimError};
use super::organization::OrganizationEndpoint;
use super::{etag, filter, patch, resource};
use crate::correlation::ThisRequest;
use crate::oauth::bearer_token;
use crate::organization_path::Addressed;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::response::{IntoResponse, Response};
use engine::oauth::bearer::BearerAccess;
use engine::provisioning::UserFilter;
use engine::users::User;
use engine::{ConsoleAdmin, UserId};
use http::{header, HeaderMap, HeaderValue, StatusCode};
use serde::Deserialize;
use serde_json::{json, Value};

pub const LIST_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
const DEFAULT_COUNT: u32 = 100;

type Answer = Result<Response, ScimError>;

/// The live access token of the request. Only a token we refuse is 401: when the database
/// fails, the answer is 503, never "your token is invalid".
pub async fn bearer(
    state: &AppState,
    headers: &HeaderMap,
    this: ThisRequest,
) -> Result<BearerAccess, ScimError> {
    let token = bearer_token(headers).ok_or(engine::Error::Unauthenticated)?;
    Ok(state
        .ctx
        .engine
        .bearer_caller(token, this.0, state.ctx.now())
        .await?)
}

/// The caller of a `/Users` request, established once by this extractor: the bearer token's user
/// with the user-management scopes the token carries — at `/o/scim2/Users`, an organization
/// token's `internal_org_user_mgt_*` in its organization — and, under an organization's path,
/// only a token of that organization.
pub struct Caller(pub ConsoleAdmin);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ScimError;

    async fn from_request_parts(
        parts: &mut http::request::Parts,
        state: &AppState,
    ) -> Result<Self, ScimError> {
        let access = bearer(state, &parts.headers, ThisRequest::of(&parts.extensions)).await?;
        let organization_endpoint = parts.extensions.get::<OrganizationEndpoint>().is_some();
        let addressed = Addressed::of(&parts.extensions);
        let admin = state
            .ctx
            .engine
            .bearer_admin(&access, organization_endpoint, addressed.id())
            .await?;
        Ok(Self(admin))
    }
}

pub fn parse_body(body: &Bytes) -> Result<Value, ScimError> {
    serde_json::from_slice(body)
        .map_err(|_| bad_request("invalidSyntax", "The body is not valid JSON."))
}

fn user_id(raw: &str) -> Result<UserId, ScimError> {
    UserId::parse(raw)
        .ok_or_else(|| ScimError::new(StatusCode::NOT_FOUND, None, "The user does not exist."))
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    filter: Option<String>,
    #[serde(rename = "startIndex")]
    start_index: Option<String>,
    count: Option<String>,
    attributes: Option<String>,
    #[serde(rename = "excludedAttributes")]
    excluded_attributes: Option<String>,
}

/// One search, from a query string or a `.search` body.
struct Search {
    filter: UserFilter,
    start_index: u64,
    count: u32,
    attributes: Vec<String>,
    excluded: Vec<String>,
}

fn number<T: std::str::FromStr>(raw: Option<&str>, default: T, name: &str) -> Result<T, ScimError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(v) => v.parse().map_err(|_| {
            bad_request(
                "invalidValue",
                &format!("{name} must be a non-negative number."),
            )
        }),
    }
}

fn parse_filter(raw: &str) -> Result<UserFilter, ScimError> {
    filter::parse(raw).map_err(|m| bad_request("invalidFilter", &m))
}

async fn run_search(state: &AppState, admin: &ConsoleAdmin, s: Search) -> Answer {
    let (users, total) = state
        .ctx
        .engine
        .find_users(admin, &s.filter, s.start_index, s.count)
        .await?;
    let base = &state.web.public_base;
    let resources: Vec<Value> = users
        .iter()
        .map(|u| resource::select(resource::to_json(u, base), &s.attributes, &s.excluded))
        .collect();
    Ok(scim_json(
        StatusCode::OK,
        &json!({
            "schemas": [LIST_SCHEMA],
            "totalResults": total,
            "itemsPerPage": resources.len(),
            "startIndex": s.start_index.max(1),
            "Resources": resources,
        }),
    ))
}

pub async fn list(
    State(state): State<AppState>,
    Caller(admin): Caller,
    Query(q): Query<ListQuery>,
) -> Answer {
    let search = Search {
        filter: parse_filter(q.filter.as_deref().unwrap_or(""))?,
        start_index: number(q.start_index.as_deref(), 1u64, "startIndex")?,
        count: number(q.count.as_deref(), DEFAULT_COUNT, "count")?,
        attributes: resource::attribute_list(q.attributes.as_deref()),
        excluded: resource::attribute_list(q.excluded_attributes.as_deref()),
    };
    run_search(&state, &admin, search).await
}

/// `POST /.search` with a `SearchRequest` body (RFC 7644 §3.4.3).
pub async fn search(State(state): State<AppState>, Caller(admin): Caller, body: Bytes) -> Answer {
    let body = parse_body(&body)?;
    let strings = |name: &str| -> Vec<String> {
        body.get(name)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    };
    let search = Search {
        filter: parse_filter(body.get("filter").and_then(Value::as_str).unwrap_or(""))?,
        start_index: body.get("startIndex").and_then(Value::as_u64).unwrap_or(1),
        count: body
            .get("count")
            .and_then(Value::as_u64)
            .map_or(DEFAULT_COUNT, |c| u32::try_from(c).unwrap_or(DEFAULT_COUNT)),
        attributes: strings("attributes"),
        excluded: strings("excludedAttributes"),
    };
    run_search(&state, &admin, search).await
}

#[derive(Deserialize, Default)]
pub struct Selection {
    attributes: Option<String>,
    #[serde(rename = "excludedAttributes")]
    excluded_attributes: Option<String>,
}

/// The user as a response, with `Location` (RFC 7644 §3.1).
pub fn answer(
    state: &AppState,
    status: StatusCode,
    user: &User,
    selection: &Selection,
) -> Response {
    let json = resource::select(
        resource::to_json(user, &state.web.public_base),
        &resource::attribute_list(selection.attributes.as_deref()),
        &resource::attribute_list(selection.excluded_attributes.as_deref()),
    );
    let mut response = scim_json(status, &json);
    etag::set(response.headers_mut(), user.version);
    if let Some(location) = json.pointer("/meta/location").and_then(Value::as_str) {
        if let Ok(v) = HeaderValue::from_str(location) {
            response.headers_mut().insert(header::LOCATION, v);
        }
    }
    response
}

/// GET. With `If-None-Match` naming the current version, 304 Not Modified (RFC 7644 §3.14).
pub async fn get(
    State(state): State<AppState>,
    Caller(admin): Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(selection): Query<Selection>,
) -> Answer {
    let user = state.ctx.engine.get_user(&admin, &user_id(&id)?).await?;
    if etag::none_match(&headers, user.version) {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        etag::set(response.headers_mut(), user.version);
        return Ok(response);
    }
    Ok(answer(&state, StatusCode::OK, &user, &selection))
}

pub async fn create(State(state): State<AppState>, Caller(admin): Caller, body: Bytes) -> Answer {
    let input =
        resource::from_json(&parse_body(&body)?).map_err(|m| bad_request("invalidValue", &m))?;
    let user = state
        .ctx
        .engine
        .provision_user(&admin, input, state.ctx.now())
        .await?;
    Ok(answer(
        &state,
        StatusCode::CREATED,
        &user,
        &Selection::default(),
    ))
}

/// PUT. With `If-Match`, only when the user is still at that version (else 412).
pub async fn replace(
    State(state): State<AppState>,
    Caller(admin): Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Answer {
    let id = user_id(&id)?;
    let input =
        resource::from_json(&parse_body(&body)?).map_err(|m| bad_request("invalidValue", &m))?;
    let user = state
        .ctx
        .engine
        .replace_user(
            &admin,
            &id,
            input,
            &etag::if_match(&headers),
            state.ctx.now(),
        )
        .await?;
    Ok(answer(&state, StatusCode::OK, &user, &Selection::default()))
}

/// PATCH: the operations are applied to the user as stored inside the engine's transaction, so
/// two concurrent PATCHes never lose one another's change. `If-Match` as for PUT.
pub async fn patch(
    State(state): State<AppState>,
    Caller(admin): Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Answer {
    let id = user_id(&id)?;
    let request = parse_body(&body)?;
    let base = state.web.public_base.clone();
    let user = state
        .ctx
        .engine
        .modify_user(
            &admin,
            &id,
            &etag::if_match(&headers),
            |current| {
                let mut json = resource::to_json(current, &base);
                patch::apply(&mut json, &request).map_err(|m| bad_request("invalidPath", &m))?;
                resource::from_json(&json).map_err(|m| bad_request("invalidValue", &m))
            },
            state.ctx.now(),
        )
        .await?;
    Ok(answer(&state, StatusCode::OK, &user, &Selection::default()))
}

/// DELETE. `If-Match` as for PUT.
pub async fn delete(
    State(state): State<AppState>,
    Caller(admin): Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Answer {
    state
        .ctx
        .engine
        .delete_user_matching(
            &admin,
            &user_id(&id)?,
            &etag::if_match(&headers),
            state.ctx.now(),
        )
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
