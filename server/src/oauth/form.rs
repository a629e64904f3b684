//! Request parameters: a parameter sent twice is an error (RFC 6749 §3.1, §3.2), not a guess.

use serde::de::DeserializeOwned;

/// Parses `application/x-www-form-urlencoded` data into `T`, refusing repeated names.
pub fn parse_unique<T: DeserializeOwned>(raw: &[u8]) -> Result<T, String> {
    let mut seen = std::collections::HashSet::new();
    for (name, _) in form_urlencoded::parse(raw) {
        if !seen.insert(name.clone()) {
            return Err(format!("The parameter {name} was sent more than once."));
        }
    }
    serde_urlencoded::from_bytes(raw)
        .map_err(|_| "The request parameters are malformed.".to_owned())
}

/// Our confirmation forms post the original request back with one more field, `decision`: returns
/// that answer and the request without it.
pub fn split_decision(body: &[u8]) -> (Option<String>, String) {
    let decision = form_urlencoded::parse(body)
        .find(|(k, _)| k == "decision")
        .map(|(_, v)| v.into_owned());
    let request = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form_urlencoded::parse(body).filter(|(k, _)| k != "decision"))
        .finish();
    (decision, request)
}

#[cfg(test)]
mod tests {
    use super::parse_unique;
    use std::collections::HashMap;

    #[test]
    fn repeated_parameters_are_refused() {
        let ok: HashMap<String, String> = parse_unique(b"a=1&b=2").unwrap();
        assert_eq!(ok["b"], "2");
        assert!(parse_unique::<HashMap<String, String>>(b"a=1&a=2").is_err());
    }
}
