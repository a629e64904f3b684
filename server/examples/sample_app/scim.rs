//! The user's own profile through Guise's SCIM `/scim2/Me`, with the access token: the country is
//! the core schema's `addresses[].country`.

use crate::http_client::{self, Request, Response};
use serde_json::{json, Value};

const SCIM_JSON: &str = "application/scim+json";

/// The country of the signed-in user ("" when unset).
pub async fn my_country(guise_url: &str, access_token: &str) -> Result<String, String> {
    let url = format!("{guise_url}/scim2/Me");
    let response = http_client::send(
        Request::get(&url)
            .header("Accept", SCIM_JSON)
            .header("Authorization", format!("Bearer {access_token}")),
    )
    .await?;
    let user = response.json()?;
    if !response.is_success() {
        return Err(detail(&response, &user));
    }
    Ok(country_of(&user))
}

/// Replaces the user's address with a home address in `country`; returns the country stored.
pub async fn set_my_country(
    guise_url: &str,
    access_token: &str,
    country: &str,
) -> Result<String, String> {
    let url = format!("{guise_url}/scim2/Me");
    let patch = json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{
            "op": "replace",
            "path": "addresses",
            "value": [{"type": "home", "primary": true, "country": country}],
        }],
    });
    let response = http_client::send(
        Request::with_body("PATCH", &url, SCIM_JSON, patch.to_string().into_bytes())
            .header("Accept", SCIM_JSON)
            .header("Authorization", format!("Bearer {access_token}")),
    )
    .await?;
    let user = response.json()?;
    if !response.is_success() {
        return Err(detail(&response, &user));
    }
    Ok(country_of(&user))
}

/// The country of the primary address, else of the first.
fn country_of(user: &Value) -> String {
    let addresses = user["addresses"].as_array().cloned().unwrap_or_default();
    addresses
        .iter()
        .find(|a| a["primary"] == json!(true))
        .or_else(|| addresses.first())
        .and_then(|a| a["country"].as_str())
        .unwrap_or_default()
        .to_owned()
}

/// A SCIM error's `detail` (RFC 7644 §3.12), or the status when there is none.
fn detail(response: &Response, body: &Value) -> String {
    match body["detail"].as_str() {
        Some(detail) => detail.to_owned(),
        None => format!("Guise answered {}", response.status),
    }
}
