//! SCIM discovery (RFC 7644 §4): what this service provider supports, and the User schema with
//! exactly the attributes we store, so clients generate nothing we would drop.

use super::error::{scim_error, scim_json};
use super::USER_SCHEMA;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use http::StatusCode;
use serde_json::{json, Value};

const LIST_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

fn list(resources: Vec<Value>) -> Response {
    scim_json(
        StatusCode::OK,
        &json!({
            "schemas": [LIST_SCHEMA],
            "totalResults": resources.len(),
            "itemsPerPage": resources.len(),
            "startIndex": 1,
            "Resources": resources,
        }),
    )
}

pub async fn service_provider_config(State(state): State<AppState>) -> Response {
    let base = &state.web.public_base;
    scim_json(
        StatusCode::OK,
        &json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
            "documentationUri": format!("{base}/scim2/Schemas"),
            "patch": { "supported": true },
            "bulk": { "supported": false, "maxOperations": 0, "maxPayloadSize": 0 },
            "filter": { "supported": true, "maxResults": engine::users::PAGE_SIZE_MAX },
            "changePassword": { "supported": true },
            "sort": { "supported": false },
            "etag": { "supported": true },
            "authenticationSchemes": [{
                "type": "oauthbearertoken",
                "name": "OAuth Bearer Token",
                "description": "An access token from this server's /oauth2/token endpoint.",
                "specUri": "https://www.rfc-editor.org/rfc/rfc6750",
                "primary": true
            }],
            "meta": { "resourceType": "ServiceProviderConfig", "location": format!("{base}/scim2/ServiceProviderConfig") }
        }),
    )
}

fn user_resource_type(base: &str) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
        "id": "User",
        "name": "User",
        "endpoint": "/Users",
        "description": "User Account",
        "schema": USER_SCHEMA,
        "schemaExtensions": [],
        "meta": { "resourceType": "ResourceType", "location": format!("{base}/scim2/ResourceTypes/User") }
    })
}

pub async fn resource_types(State(state): State<AppState>) -> Response {
    list(vec![user_resource_type(&state.web.public_base)])
}

pub async fn resource_type(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    if id == "User" {
        scim_json(StatusCode::OK, &user_resource_type(&state.web.public_base))
    } else {
        scim_error(StatusCode::NOT_FOUND, None, "No such resource type.")
    }
}

fn attribute(name: &str, kind: &str, required: bool, mutability: &str, returned: &str) -> Value {
    json!({
        "name": name, "type": kind, "multiValued": false, "description": name,
        "required": required, "caseExact": false, "mutability": mutability,
        "returned": returned, "uniqueness": "none"
    })
}

fn user_schema(base: &str) -> Value {
    let mut user_name = attribute("userName", "string", true, "readWrite", "default");
    user_name["uniqueness"] = json!("server");
    user_name["description"] = json!("Unique name the user signs in with.");
    let mut name = attribute("name", "complex", false, "readWrite", "default");
    name["description"] = json!("The user's name.");
    name["subAttributes"] = json!([
        attribute("givenName", "string", false, "readWrite", "default"),
        attribute("familyName", "string", false, "readWrite", "default"),
    ]);
    let mut emails = attribute("emails", "complex", true, "readWrite", "default");
    emails["multiValued"] = json!(true);
    emails["description"] = json!("The user's email address (one is kept).");
    emails["subAttributes"] = json!([attribute("value", "string", true, "readWrite", "default")]);
    let mut addresses = attribute("addresses", "complex", false, "readWrite", "default");
    addresses["multiValued"] = json!(true);
    addresses["description"] = json!("The user's address: one is kept, with its country only.");
    let mut address_type = attribute("type", "string", false, "readWrite", "default");
    // RFC 7643 §7: a service provider MAY ignore values beyond the canonical ones; we keep one
    // home address, whatever type a client gives it.
    address_type["canonicalValues"] = json!([super::resource::HOME]);
    address_type["description"] = json!("The kind of address; always \"home\".");
    let mut primary = attribute("primary", "boolean", false, "readWrite", "default");
    primary["description"] = json!("Whether this is the user's primary address.");
    let mut country = attribute("country", "string", false, "readWrite", "default");
    country["description"] = json!("The country, as a name (at most 64 characters).");
    addresses["subAttributes"] = json!([address_type, primary, country]);
    let mut active = attribute("active", "boolean", true, "readWrite", "default");
    active["description"] = json!("Whether the user may sign in.");
    let mut password = attribute("password", "string", false, "writeOnly", "never");
    password["description"] = json!("The user's password; never returned.");
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
        "id": USER_SCHEMA,
        "name": "User",
        "description": "User Account",
        "attributes": [user_name, name, emails, addresses, active, password],
        "meta": { "resourceType": "Schema", "location": format!("{base}/scim2/Schemas/{USER_SCHEMA}") }
    })
}

pub async fn schemas(State(state): State<AppState>) -> Response {
    list(vec![user_schema(&state.web.public_base)])
}

pub async fn schema(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    if id == USER_SCHEMA {
        scim_json(StatusCode::OK, &user_schema(&state.web.public_base))
    } else {
        scim_error(StatusCode::NOT_FOUND, None, "No such schema.")
    }
}
