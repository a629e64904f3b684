//! The SCIM User resource: our users written as SCIM JSON, and SCIM JSON read into what the engine
//! provisions. Only the attributes we store are declared (see `discovery.rs`), and only those are
//! read or written.

use super::USER_SCHEMA;
use engine::provisioning::ProvisionedUser;
use engine::users::{User, UserStatus};
use engine::Timestamp;
use serde_json::{json, Map, Value};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// The `type` of the address we keep.
pub const HOME: &str = "home";

fn datetime(t: Timestamp) -> String {
    OffsetDateTime::from_unix_timestamp(t.0)
        .ok()
        .and_then(|d| d.format(&Rfc3339).ok())
        .unwrap_or_default()
}

/// The user as SCIM JSON; `base` is the public URL for `meta.location`.
pub fn to_json(user: &User, base: &str) -> Value {
    let mut r = Map::new();
    r.insert("schemas".into(), json!([USER_SCHEMA]));
    r.insert("id".into(), json!(user.id.as_str()));
    if let Some(external) = &user.external_id {
        r.insert("externalId".into(), json!(external));
    }
    r.insert("userName".into(), json!(user.username));
    let mut name = Map::new();
    if !user.given_name.is_empty() {
        name.insert("givenName".into(), json!(user.given_name));
    }
    if !user.family_name.is_empty() {
        name.insert("familyName".into(), json!(user.family_name));
    }
    if !name.is_empty() {
        r.insert("name".into(), Value::Object(name));
    }
    r.insert("emails".into(), json!([{ "value": user.email }]));
    if !user.country.is_empty() {
        // The one address we keep: its country. `type` is always "home" (the one canonical value
        // the schema offers); `primary` is what the client said, true unless it said otherwise.
        r.insert(
            "addresses".into(),
            json!([{ "type": HOME, "primary": user.address_primary, "country": user.country }]),
        );
    }
    r.insert("active".into(), json!(user.status == UserStatus::Active));
    r.insert(
        "meta".into(),
        json!({
            "resourceType": "User",
            "created": datetime(user.created_at),
            "lastModified": datetime(user.updated_at),
            "version": super::etag::of(user.version),
            "location": format!("{base}/scim2/Users/{}", user.id.as_str()),
        }),
    );
    Value::Object(r)
}

/// Attribute names are case-insensitive (RFC 7643 §2.1), and may carry the schema URN.
pub fn canonical(name: &str) -> String {
    name.strip_prefix(&format!("{USER_SCHEMA}:"))
        .unwrap_or(name)
        .to_ascii_lowercase()
}

fn field<'a>(obj: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    obj.iter()
        .find(|(k, _)| canonical(k) == name)
        .map(|(_, v)| v)
}

fn text(v: Option<&Value>, attribute: &str) -> Result<Option<String>, String> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("{attribute} must be a string.")),
    }
}

/// Reads a full User resource (POST, PUT, or the result of a PATCH).
pub fn from_json(body: &Value) -> Result<ProvisionedUser, String> {
    let obj = body.as_object().ok_or("The body must be a JSON object.")?;
    let username = text(field(obj, "username"), "userName")?.ok_or("userName is required.")?;
    let (given_name, family_name) = match field(obj, "name") {
        None | Some(Value::Null) => (None, None),
        Some(Value::Object(name)) => (
            text(field(name, "givenname"), "name.givenName")?,
            text(field(name, "familyname"), "name.familyName")?,
        ),
        Some(_) => return Err("name must be an object.".into()),
    };
    let email = match field(obj, "emails") {
        None | Some(Value::Null) => None,
        Some(Value::Array(emails)) => {
            // We keep one address: the primary one, else the first.
            let chosen = emails
                .iter()
                .find(|e| e.get("primary").and_then(Value::as_bool) == Some(true))
                .or_else(|| emails.first());
            match chosen {
                Some(Value::Object(e)) => text(field(e, "value"), "emails.value")?,
                Some(_) => return Err("emails must be a list of objects.".into()),
                None => None,
            }
        }
        Some(_) => return Err("emails must be a list.".into()),
    };
    let (country, address_primary) = address(field(obj, "addresses"))?;
    let active = match field(obj, "active") {
        None | Some(Value::Null) => true,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err("active must be true or false.".into()),
    };
    Ok(ProvisionedUser {
        username,
        email: email.unwrap_or_default(),
        given_name: given_name.unwrap_or_default(),
        family_name: family_name.unwrap_or_default(),
        country,
        address_primary,
        active,
        external_id: text(field(obj, "externalid"), "externalId")?,
        password: text(field(obj, "password"), "password")?,
    })
}

/// The country we keep from `addresses`, with that address's `primary` flag: the primary
/// address, else the first (so also the only one). No address, or one without a country, is
/// `("", true)`: nothing stored (and the flag back at its default).
fn address(addresses: Option<&Value>) -> Result<(String, bool), String> {
    let unset = (String::new(), true);
    let list = match addresses {
        None | Some(Value::Null) => return Ok(unset),
        Some(Value::Array(list)) => list,
        Some(_) => return Err("addresses must be a list.".into()),
    };
    let is_primary =
        |a: &Value| a.as_object().and_then(|a| field(a, "primary")) == Some(&Value::Bool(true));
    let Some(chosen) = list.iter().find(|a| is_primary(a)).or_else(|| list.first()) else {
        return Ok(unset);
    };
    let Value::Object(chosen) = chosen else {
        return Err("addresses must be a list of objects.".into());
    };
    // Unstated, `primary` is false (RFC 7643 §2.4).
    let primary = match field(chosen, "primary") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err("addresses.primary must be true or false.".into()),
    };
    match text(field(chosen, "country"), "addresses.country")? {
        Some(country) if !country.trim().is_empty() => Ok((country, primary)),
        _ => Ok(unset),
    }
}

/// Applies `attributes` / `excludedAttributes` (RFC 7644 §3.9): `id` and `schemas` always stay.
pub fn select(mut resource: Value, attributes: &[String], excluded: &[String]) -> Value {
    let Some(obj) = resource.as_object_mut() else {
        return resource;
    };
    let always = |k: &str| matches!(k, "id" | "schemas");
    if !attributes.is_empty() {
        let wanted: Vec<String> = attributes.iter().map(|a| canonical(a)).collect();
        obj.retain(|k, v| {
            let key = k.to_ascii_lowercase();
            if always(&key) || wanted.contains(&key) {
                return true;
            }
            let subs: Vec<&str> = wanted
                .iter()
                .filter_map(|w| w.strip_prefix(&format!("{key}.")))
                .collect();
            if subs.is_empty() {
                return false;
            }
            if let Value::Object(inner) = v {
                inner.retain(|sk, _| subs.contains(&sk.to_ascii_lowercase().as_str()));
            }
            true
        });
    }
    for ex in excluded.iter().map(|e| canonical(e)) {
        match ex.split_once('.') {
            None => {
                obj.retain(|k, _| always(&k.to_ascii_lowercase()) || k.to_ascii_lowercase() != ex)
            }
            Some((parent, sub)) => {
                if let Some(Value::Object(inner)) = obj
                    .iter_mut()
                    .find(|(k, _)| k.to_ascii_lowercase() == parent)
                    .map(|(_, v)| v)
                {
                    inner.retain(|sk, _| sk.to_ascii_lowercase() != sub);
                }
            }
        }
    }
    resource
}

/// Splits a comma-separated attribute list.
pub fn attribute_list(raw: Option<&str>) -> Vec<String> {
    raw.unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_we_store_and_refuses_wrong_types() {
        let u = from_json(&json!({
            "schemas": [USER_SCHEMA], "UserName": "bjensen", "externalId": "701984",
            "name": {"givenName": "Barbara", "familyName": "Jensen"},
            "emails": [{"value": "b@example.com"}, {"value": "p@example.com", "primary": true}],
            "active": false, "password": "t1meMa$heen"
        }))
        .unwrap();
        assert_eq!(
            (u.username.as_str(), u.email.as_str(), u.active),
            ("bjensen", "p@example.com", false)
        );
        assert_eq!(u.external_id.as_deref(), Some("701984"));
        assert!(from_json(&json!({"emails": []})).is_err());
        assert!(from_json(&json!({"userName": 5})).is_err());
        assert!(from_json(&json!({"userName": "a", "active": "yes"})).is_err());
    }

    #[test]
    fn the_country_is_the_primary_or_only_address() {
        let country = |addresses: Value| {
            from_json(&json!({"userName": "u", "addresses": addresses}))
                .map(|u| (u.country, u.address_primary))
        };
        assert_eq!(
            country(json!([{"type": "home", "primary": true, "country": "Sweden"}])),
            Ok(("Sweden".into(), true))
        );
        assert_eq!(
            country(json!([{"country": "Chile"}, {"country": "Peru", "primary": true}])),
            Ok(("Peru".into(), true))
        );
        assert_eq!(
            country(json!([{"type": "work", "country": "Chile"}])),
            Ok(("Chile".into(), false))
        );
        assert_eq!(
            country(json!([{"locality": "Lund"}])),
            Ok((String::new(), true))
        );
        assert_eq!(country(json!([])), Ok((String::new(), true)));
        assert!(country(json!({"country": "Chile"})).is_err());
        assert!(country(json!([{"country": 5}])).is_err());
        assert!(country(json!([{"country": "Chile", "primary": "yes"}])).is_err());
    }

    #[test]
    fn attribute_selection_keeps_id_and_schemas() {
        let r = json!({"schemas": [USER_SCHEMA], "id": "1", "userName": "u", "name": {"givenName": "g", "familyName": "f"}, "active": true});
        let only = select(r.clone(), &["name.givenName".into()], &[]);
        assert_eq!(
            only,
            json!({"schemas": [USER_SCHEMA], "id": "1", "name": {"givenName": "g"}})
        );
        let without = select(r, &[], &["active".into(), "id".into()]);
        assert_eq!(
            without,
            json!({"schemas": [USER_SCHEMA], "id": "1", "userName": "u", "name": {"givenName": "g", "familyName": "f"}})
        );
    }
}
