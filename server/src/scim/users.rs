//! `/scim2/Users`: list and search, get, create, replace, patch, delete.

use super::error::{bad_request, from_engine, scim_error, scim_json};
use super::{filter, patch, resource};
use crate::oauth::bearer_token;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use engine::oauth::bearer::BearerAccess;
use engine::provisioning::UserFilter;
use engine::{ConsoleAdmin, UserId};
use http::{header, HeaderMap, HeaderValue, StatusCode};
use serde::Deserialize;
use serde_json::{json, Value};

pub const LIST_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
const DEFAULT_COUNT: u32 = 100;

/// The bearer token's user and the user-management scopes it carries.
pub async fn caller(state: &AppState, headers: &HeaderMap) -> Result<(ConsoleAdmin, BearerAccess), Response> {
    let unauthorized = || scim_error(StatusCode::UNAUTHORIZED, None, "A valid bearer access token is required.");
    let token = bearer_token(headers).ok_or_else(unauthorized)?;
    let access = state
        .ctx
        .engine
        .authenticate_bearer(token, state.ctx.now())
        .await
        .map_err(|_| unauthorized())?;
    let admin = state.ctx.engine.admin_from_bearer(&access).await.map_err(from_engine)?;
    Ok((admin, access))
}

fn parse_body(body: &Bytes) -> Result<Value, Response> {
    serde_json::from_slice(body).map_err(|_| bad_request("invalidSyntax", "The body is not valid JSON."))
}

fn user_id(raw: &str) -> Result<UserId, Response> {
    UserId::parse(raw).ok_or_else(|| scim_error(StatusCode::NOT_FOUND, None, "The user does not exist."))
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

fn number<T: std::str::FromStr>(raw: Option<&str>, default: T, name: &str) -> Result<T, Response> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(v) => v
            .parse()
            .map_err(|_| bad_request("invalidValue", &format!("{name} must be a non-negative number."))),
    }
}

async fn run_search(state: &AppState, admin: &ConsoleAdmin, s: Search) -> Response {
    match state.ctx.engine.find_users(admin, &s.filter, s.start_index, s.count).await {
        Ok((users, total)) => {
            let base = &state.web.public_base;
            let resources: Vec<Value> = users
                .iter()
                .map(|u| resource::select(resource::to_json(u, base), &s.attributes, &s.excluded))
                .collect();
            scim_json(
                StatusCode::OK,
                &json!({
                    "schemas": [LIST_SCHEMA],
                    "totalResults": total,
                    "itemsPerPage": resources.len(),
                    "startIndex": s.start_index.max(1),
                    "Resources": resources,
                }),
            )
        }
        Err(e) => from_engine(e),
    }
}

pub async fn list(State(state): State<AppState>, headers: HeaderMap, Query(q): Query<ListQuery>) -> Response {
    let (admin, _) = match caller(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let search = match (
        filter::parse(q.filter.as_deref().unwrap_or("")),
        number(q.start_index.as_deref(), 1u64, "startIndex"),
        number(q.count.as_deref(), DEFAULT_COUNT, "count"),
    ) {
        (Err(m), _, _) => return bad_request("invalidFilter", &m),
        (_, Err(r), _) | (_, _, Err(r)) => return r,
        (Ok(filter), Ok(start_index), Ok(count)) => Search {
            filter,
            start_index,
            count,
            attributes: resource::attribute_list(q.attributes.as_deref()),
            excluded: resource::attribute_list(q.excluded_attributes.as_deref()),
        },
    };
    run_search(&state, &admin, search).await
}

/// `POST /.search` with a `SearchRequest` body (RFC 7644 §3.4.3).
pub async fn search(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let (admin, _) = match caller(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let body = match parse_body(&body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let strings = |name: &str| -> Vec<String> {
        body.get(name)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
            .unwrap_or_default()
    };
    let filter = match filter::parse(body.get("filter").and_then(Value::as_str).unwrap_or("")) {
        Ok(f) => f,
        Err(m) => return bad_request("invalidFilter", &m),
    };
    let search = Search {
        filter,
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

fn answer(state: &AppState, status: StatusCode, user: &engine::users::User, selection: &Selection) -> Response {
    let json = resource::select(
        resource::to_json(user, &state.web.public_base),
        &resource::attribute_list(selection.attributes.as_deref()),
        &resource::attribute_list(selection.excluded_attributes.as_deref()),
    );
    let mut response = scim_json(status, &json);
    if let Some(location) = json.pointer("/meta/location").and_then(Value::as_str) {
        if let Ok(v) = HeaderValue::from_str(location) {
            response.headers_mut().insert(header::LOCATION, v);
        }
    }
    response
}

pub async fn get(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(selection): Query<Selection>,
) -> Response {
    let (admin, _) = match caller(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let id = match user_id(&id) {
        Ok(id) => id,
        Err(r) => return r,
    };
    match state.ctx.engine.get_user(&admin, &id).await {
        Ok(user) => answer(&state, StatusCode::OK, &user, &selection),
        Err(e) => from_engine(e),
    }
}

pub async fn create(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let (admin, _) = match caller(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let input = match parse_body(&body).and_then(|b| resource::from_json(&b).map_err(|m| bad_request("invalidValue", &m))) {
        Ok(i) => i,
        Err(r) => return r,
    };
    match state.ctx.engine.provision_user(&admin, input, state.ctx.now()).await {
        Ok(user) => answer(&state, StatusCode::CREATED, &user, &Selection::default()),
        Err(e) => from_engine(e),
    }
}

pub async fn replace(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<String>, body: Bytes) -> Response {
    let (admin, _) = match caller(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let (id, input) = match user_id(&id).and_then(|id| {
        let body = parse_body(&body)?;
        resource::from_json(&body)
            .map(|i| (id, i))
            .map_err(|m| bad_request("invalidValue", &m))
    }) {
        Ok(v) => v,
        Err(r) => return r,
    };
    match state.ctx.engine.replace_user(&admin, &id, input, state.ctx.now()).await {
        Ok(user) => answer(&state, StatusCode::OK, &user, &Selection::default()),
        Err(e) => from_engine(e),
    }
}

pub async fn patch(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<String>, body: Bytes) -> Response {
    let (admin, _) = match caller(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let (id, request) = match user_id(&id).and_then(|id| parse_body(&body).map(|b| (id, b))) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let engine = &state.ctx.engine;
    let current = match engine.get_user(&admin, &id).await {
        Ok(u) => u,
        Err(e) => return from_engine(e),
    };
    let mut json = resource::to_json(&current, &state.web.public_base);
    if let Err(m) = patch::apply(&mut json, &request) {
        return bad_request("invalidPath", &m);
    }
    let input = match resource::from_json(&json) {
        Ok(i) => i,
        Err(m) => return bad_request("invalidValue", &m),
    };
    match engine.replace_user(&admin, &id, input, state.ctx.now()).await {
        Ok(user) => answer(&state, StatusCode::OK, &user, &Selection::default()),
        Err(e) => from_engine(e),
    }
}

pub async fn delete(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    let (admin, _) = match caller(&state, &headers).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let id = match user_id(&id) {
        Ok(id) => id,
        Err(r) => return r,
    };
    match state.ctx.engine.delete_user(&admin, &id, state.ctx.now()).await {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => from_engine(e),
    }
}
