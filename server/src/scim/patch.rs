//! SCIM PATCH (RFC 7644 §3.5.2) applied to the resource's JSON; the result is then stored whole,
//! in one transaction, as a replacement.

use super::resource::canonical;
use serde_json::{Map, Value};

pub const PATCH_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// Attributes a client may change, by canonical name, with their sub-attributes.
const WRITABLE: &[(&str, &str, &[&str])] = &[
    ("username", "userName", &[]),
    ("name", "name", &["givenName", "familyName"]),
    ("emails", "emails", &["value"]),
    ("addresses", "addresses", &["type", "primary", "country"]),
    ("active", "active", &[]),
    ("externalid", "externalId", &[]),
    ("password", "password", &[]),
];

/// `(attribute, sub-attribute)` of a path such as `name.givenName`, `emails[type eq "work"].value`
/// or `urn:…:User:name.familyName`, in their canonical spelling.
fn resolve(path: &str) -> Result<(&'static str, Option<&'static str>), String> {
    let path = canonical(path.trim());
    let (attribute, rest) = match path.find(['.', '[']) {
        Some(i) => (&path[..i], &path[i..]),
        None => (path.as_str(), ""),
    };
    // A value filter (`emails[...]`) selects our one address.
    let rest = match rest.strip_prefix('[') {
        Some(after) => after
            .split_once(']')
            .map(|(_, r)| r)
            .ok_or("Unclosed filter in path.")?,
        None => rest,
    };
    let (key, name, subs) = WRITABLE
        .iter()
        .find(|(key, _, _)| *key == attribute)
        .ok_or_else(|| format!("The attribute {attribute} cannot be changed."))?;
    let _ = key;
    match rest.strip_prefix('.') {
        None if rest.is_empty() => Ok((name, None)),
        Some(sub) => subs
            .iter()
            .find(|s| s.eq_ignore_ascii_case(sub))
            .map(|s| (*name, Some(*s)))
            .ok_or_else(|| format!("{name}.{sub} is not an attribute.")),
        None => Err(format!("The path {path} is not supported.")),
    }
}

fn set(obj: &mut Map<String, Value>, attribute: &str, sub: Option<&str>, value: Value) {
    match (attribute, sub) {
        ("emails", Some(sub)) => {
            let mut email = Map::new();
            email.insert(sub.to_owned(), value);
            obj.insert("emails".into(), Value::Array(vec![Value::Object(email)]));
        }
        // We keep one address: a sub-attribute path (`addresses[type eq "work"].country`)
        // changes that one, keeping its other sub-attributes.
        ("addresses", Some(sub)) => {
            let mut address = match obj.remove("addresses") {
                Some(Value::Array(list)) => list
                    .into_iter()
                    .find_map(|a| match a {
                        Value::Object(a) => Some(a),
                        _ => None,
                    })
                    .unwrap_or_default(),
                _ => Map::new(),
            };
            address.insert(sub.to_owned(), value);
            obj.insert(
                "addresses".into(),
                Value::Array(vec![Value::Object(address)]),
            );
        }
        (_, Some(sub)) => {
            let entry = obj
                .entry(attribute.to_owned())
                .or_insert_with(|| Value::Object(Map::new()));
            if !entry.is_object() {
                *entry = Value::Object(Map::new());
            }
            if let Value::Object(inner) = entry {
                inner.insert(sub.to_owned(), value);
            }
        }
        (_, None) => {
            obj.insert(attribute.to_owned(), value);
        }
    }
}

fn remove(obj: &mut Map<String, Value>, attribute: &str, sub: Option<&str>) {
    match sub {
        None => {
            obj.remove(attribute);
        }
        Some(sub) => {
            let now_empty = match obj.get_mut(attribute) {
                Some(Value::Object(inner)) => {
                    inner.remove(sub);
                    inner.is_empty()
                }
                // The sub-attribute goes from every value; values left empty go with it.
                Some(Value::Array(values)) => {
                    for value in values.iter_mut() {
                        if let Value::Object(inner) = value {
                            inner.remove(sub);
                        }
                    }
                    values.retain(|v| v.as_object().is_some_and(|o| !o.is_empty()));
                    values.is_empty()
                }
                _ => false,
            };
            if now_empty {
                obj.remove(attribute);
            }
        }
    }
}

/// Applies the operations to `resource` (whose keys use the canonical SCIM spelling).
pub fn apply(resource: &mut Value, request: &Value) -> Result<(), String> {
    let schemas_ok = request
        .get("schemas")
        .and_then(Value::as_array)
        .is_some_and(|s| s.iter().any(|v| v == PATCH_SCHEMA));
    if !schemas_ok {
        return Err(format!(
            "A PATCH request must name the schema {PATCH_SCHEMA}."
        ));
    }
    let operations = request
        .get("Operations")
        .or_else(|| request.get("operations"))
        .and_then(Value::as_array)
        .filter(|ops| !ops.is_empty())
        .ok_or("Operations must be a non-empty list.")?;
    let obj = resource
        .as_object_mut()
        .ok_or("The resource is not an object.")?;
    for op in operations {
        let kind = op
            .get("op")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_ascii_lowercase();
        let path = op.get("path").and_then(Value::as_str);
        let value = op.get("value").cloned();
        match (kind.as_str(), path, value) {
            ("add" | "replace", Some(path), Some(value)) => {
                let (attribute, sub) = resolve(path)?;
                set(obj, attribute, sub, value);
            }
            ("add" | "replace", None, Some(Value::Object(values))) => {
                for (path, value) in values {
                    let (attribute, sub) = resolve(&path)?;
                    set(obj, attribute, sub, value);
                }
            }
            ("remove", Some(path), _) => {
                let (attribute, sub) = resolve(path)?;
                remove(obj, attribute, sub);
            }
            ("remove", None, _) => return Err("A remove operation needs a path.".into()),
            ("add" | "replace", _, _) => {
                return Err(format!("The {kind} operation needs a value."))
            }
            _ => return Err(format!("Unknown PATCH operation {kind:?}.")),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn request(ops: Value) -> Value {
        json!({ "schemas": [PATCH_SCHEMA], "Operations": ops })
    }

    #[test]
    fn paths_values_and_removals() {
        let mut r = json!({"userName": "u", "name": {"givenName": "g", "familyName": "f"}, "emails": [{"value": "a@b.c"}], "active": true});
        apply(&mut r, &request(json!([
            {"op": "Replace", "path": "name.givenName", "value": "G"},
            {"op": "replace", "path": "emails[type eq \"work\"].value", "value": "x@y.z"},
            {"op": "add", "value": {"externalId": "e1", "active": false}},
            {"op": "remove", "path": "urn:ietf:params:scim:schemas:core:2.0:User:name.familyName"},
        ])))
        .unwrap();
        assert_eq!(
            r,
            json!({"userName": "u", "name": {"givenName": "G"}, "emails": [{"value": "x@y.z"}], "active": false, "externalId": "e1"})
        );
        for bad in [
            json!([{"op": "replace", "path": "id", "value": "x"}]),
            json!([{"op": "remove"}]),
            json!([{"op": "copy", "path": "userName"}]),
            json!([{"op": "replace", "path": "name.middleName", "value": "x"}]),
            json!([]),
        ] {
            assert!(
                apply(&mut r.clone(), &request(bad.clone())).is_err(),
                "{bad}"
            );
        }
        assert!(apply(&mut r, &json!({"Operations": []})).is_err());
    }

    #[test]
    fn addresses_by_path_without_path_and_by_sub_attribute() {
        let home = |country: &str| json!([{"type": "home", "primary": true, "country": country}]);
        let mut r = json!({"userName": "u"});
        apply(
            &mut r,
            &request(json!([{"op": "replace", "path": "addresses", "value": home("Sweden")}])),
        )
        .unwrap();
        assert_eq!(r, json!({"userName": "u", "addresses": home("Sweden")}));
        apply(
            &mut r,
            &request(json!([{"op": "add", "value": {"addresses": home("Norway")}}])),
        )
        .unwrap();
        assert_eq!(r["addresses"], home("Norway"));
        apply(
            &mut r,
            &request(json!([{"op": "replace", "path": "addresses[type eq \"work\"].country", "value": "Chile"}])),
        )
        .unwrap();
        assert_eq!(r["addresses"], home("Chile"));
        apply(
            &mut r,
            &request(json!([{"op": "remove", "path": "addresses.type"}])),
        )
        .unwrap();
        assert_eq!(
            r["addresses"],
            json!([{"primary": true, "country": "Chile"}])
        );
        apply(
            &mut r,
            &request(json!([{"op": "remove", "path": "addresses"}])),
        )
        .unwrap();
        assert_eq!(r, json!({"userName": "u"}));
        let unknown =
            request(json!([{"op": "replace", "path": "addresses.locality", "value": "x"}]));
        assert!(apply(&mut r, &unknown).is_err());
    }
}
