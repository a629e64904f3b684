//! SCIM versions (RFC 7644 §3.14): a user's `meta.version` is a weak entity tag of its version
//! counter, sent as `ETag`; `If-Match` on PUT, PATCH and DELETE makes the change conditional.

use engine::users::IfMatch;
use http::{header, HeaderMap, HeaderName, HeaderValue};

/// The entity tag of a user's version.
pub fn of(version: i64) -> String {
    format!("W/\"{version}\"")
}

/// Reads `If-Match`: absent or `*` is no precondition; otherwise the versions the tags name. A tag
/// we never issued names no version, so it cannot match (412), as a stale one does.
pub fn if_match(headers: &HeaderMap) -> IfMatch {
    tags(headers, header::IF_MATCH).unwrap_or(IfMatch::Any)
}

/// Whether `If-None-Match` names `version` (or is `*`): the client already has the current user.
pub fn none_match(headers: &HeaderMap, version: i64) -> bool {
    match tags(headers, header::IF_NONE_MATCH) {
        None => false,
        Some(IfMatch::Any) => true,
        Some(IfMatch::Versions(v)) => v.contains(&version),
    }
}

/// The entity tags of a conditional header (`None` when absent); `*` is [`IfMatch::Any`].
fn tags(headers: &HeaderMap, name: HeaderName) -> Option<IfMatch> {
    let values: Vec<&str> = headers
        .get_all(name)
        .iter()
        .map(|v| v.to_str().unwrap_or(""))
        .collect();
    if values.is_empty() {
        return None;
    }
    let tags: Vec<&str> = values
        .iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect();
    if tags.contains(&"*") {
        return Some(IfMatch::Any);
    }
    Some(IfMatch::Versions(
        tags.iter()
            .filter_map(|t| {
                t.strip_prefix("W/")
                    .unwrap_or(t)
                    .strip_prefix('"')?
                    .strip_suffix('"')?
                    .parse()
                    .ok()
            })
            .collect(),
    ))
}

/// Sets `ETag` on a response carrying the user at `version`.
pub fn set(headers: &mut HeaderMap, version: i64) {
    if let Ok(v) = HeaderValue::from_str(&of(version)) {
        headers.insert(header::ETAG, v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append(header::IF_MATCH, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn reads_if_match() {
        assert_eq!(if_match(&with(&[])), IfMatch::Any);
        assert_eq!(if_match(&with(&["*"])), IfMatch::Any);
        assert_eq!(if_match(&with(&[&of(3)])), IfMatch::Versions(vec![3]));
        assert_eq!(
            if_match(&with(&["\"4\", W/\"5\"", "W/\"6\""])),
            IfMatch::Versions(vec![4, 5, 6])
        );
        assert_eq!(if_match(&with(&["W/\"x\""])), IfMatch::Versions(vec![]));
    }

    #[test]
    fn reads_if_none_match() {
        let mut h = HeaderMap::new();
        assert!(!none_match(&h, 3));
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static("W/\"3\""));
        assert!(none_match(&h, 3));
        assert!(!none_match(&h, 4));
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static("*"));
        assert!(none_match(&h, 4));
    }
}
