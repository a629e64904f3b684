//! Credentials from the `Authorization` header, for every scheme we read (`Basic` for clients,
//! `Bearer` for access tokens). The scheme name is case-insensitive (RFC 7235 §2.1): `Bearer`,
//! `bearer` and `BEARER` are one scheme.

use http::{header, HeaderMap};

/// The credentials after `scheme` and its spaces, if the header uses that scheme and has any.
pub fn credentials<'a>(headers: &'a HeaderMap, scheme: &str) -> Option<&'a str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (name, rest) = value.trim_start().split_once(' ')?;
    let rest = rest.trim();
    (name.eq_ignore_ascii_case(scheme) && !rest.is_empty()).then_some(rest)
}

#[cfg(test)]
mod tests {
    use super::credentials;
    use http::{header, HeaderMap};

    fn with(value: &'static str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::AUTHORIZATION, value.parse().unwrap());
        h
    }

    #[test]
    fn the_scheme_is_case_insensitive_and_must_match() {
        for v in ["Bearer abc", "bearer abc", "BEARER abc", "bEaReR   abc "] {
            assert_eq!(credentials(&with(v), "Bearer"), Some("abc"), "{v}");
        }
        assert_eq!(credentials(&with("Basic abc"), "Bearer"), None);
        assert_eq!(credentials(&with("Bearerabc"), "Bearer"), None);
        assert_eq!(credentials(&with("Bearer "), "Bearer"), None);
        assert_eq!(credentials(&with("BASIC YTpi"), "Basic"), Some("YTpi"));
        assert_eq!(credentials(&HeaderMap::new(), "Basic"), None);
    }
}
