//! The filters we support (RFC 7644 §3.4.2.2): one `eq` comparison on `userName`, `emails`
//! (`emails.value`), `externalId` or `id`. Anything else is `invalidFilter`, not a guess.

use engine::provisioning::UserFilter;

pub fn parse(raw: &str) -> Result<UserFilter, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(UserFilter::All);
    }
    let unsupported = || {
        format!("Unsupported filter {raw:?}: use `userName eq \"…\"`, `emails eq \"…\"`, `externalId eq \"…\"` or `id eq \"…\"`.")
    };
    let (attribute, rest) = raw
        .split_once(char::is_whitespace)
        .ok_or_else(unsupported)?;
    let (op, value) = rest
        .trim_start()
        .split_once(char::is_whitespace)
        .ok_or_else(unsupported)?;
    if !op.eq_ignore_ascii_case("eq") {
        return Err(unsupported());
    }
    let value: String = serde_json::from_str(value.trim()).map_err(|_| unsupported())?;
    let attribute = attribute
        .strip_prefix(&format!("{}:", super::USER_SCHEMA))
        .unwrap_or(attribute)
        .to_ascii_lowercase();
    match attribute.as_str() {
        "username" => Ok(UserFilter::UserName(value)),
        "emails" | "emails.value" => Ok(UserFilter::Email(value)),
        "externalid" => Ok(UserFilter::ExternalId(value)),
        "id" => Ok(UserFilter::Id(value)),
        _ => Err(unsupported()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eq_filters() {
        assert_eq!(
            parse("userName eq \"Bjensen\""),
            Ok(UserFilter::UserName("Bjensen".into()))
        );
        assert_eq!(
            parse("emails.value EQ \"a@b.c\""),
            Ok(UserFilter::Email("a@b.c".into()))
        );
        assert_eq!(
            parse("urn:ietf:params:scim:schemas:core:2.0:User:userName eq \"x y\""),
            Ok(UserFilter::UserName("x y".into()))
        );
        assert_eq!(parse(""), Ok(UserFilter::All));
        for bad in [
            "userName sw \"a\"",
            "userName eq a",
            "title eq \"x\"",
            "userName eq \"a\" and id eq \"b\"",
            "userName",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
