//! The audit log line of the contract:
//! `TID: [-1234] [2024-06-03 14:50:42,298] [<correlation id>]  INFO {AUDIT_LOG} - Initiator=… Action=… Target=… Data=… Outcome=…`
//! with ` | Impersonator : <id>` after a change made under impersonation.

use super::chain::Content;

/// The tenant id every line carries (the reference product's super tenant).
const TENANT: &str = "-1234";

/// `2024-06-03 14:50:42,298`, in UTC.
pub fn timestamp(occurred_ms: i64) -> String {
    let nanos = i128::from(occurred_ms) * 1_000_000;
    let Ok(t) = time::OffsetDateTime::from_unix_timestamp_nanos(nanos) else {
        return String::new();
    };
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02},{:03}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

/// The request events (`resource-…-via-impersonation`) name the impersonator as their
/// initiator; the suffix is for the changes made in their name.
fn is_request_event(action: &str) -> bool {
    action.ends_with("-via-impersonation")
}

/// One event as one line, without the newline.
pub fn format(content: &Content) -> String {
    let mut line = format!(
        "TID: [{TENANT}] [{}] [{}]  INFO {{AUDIT_LOG}} - Initiator={} Action={} Target={} Data={} Outcome={}",
        timestamp(content.occurred_ms),
        content.correlation_id,
        one_line(&content.initiator),
        one_line(&content.action),
        one_line(&content.target),
        one_line(&content.data),
        one_line(&content.outcome),
    );
    if let Some(impersonator) = &content.impersonator {
        if !is_request_event(&content.action) {
            line.push_str(" | Impersonator : ");
            line.push_str(&one_line(impersonator));
        }
    }
    line
}

/// One event per line, whatever a value holds: a line break in a value would forge a line, and so
/// would any other character a reader may break lines at (U+2028, U+2029, NEL, …). Every control,
/// line-separator and paragraph-separator character is written as an escape.
fn one_line(value: &str) -> std::borrow::Cow<'_, str> {
    if !value.chars().any(needs_escape) {
        return std::borrow::Cow::Borrowed(value);
    }
    let mut escaped = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        match c {
            '\n' => escaped.push_str("\\n"),
            '\r' => escaped.push_str("\\r"),
            '\t' => escaped.push_str("\\t"),
            c if needs_escape(c) => escaped.push_str(&format!("\\u{{{:04x}}}", u32::from(c))),
            c => escaped.push(c),
        }
    }
    std::borrow::Cow::Owned(escaped)
}

/// C0 and C1 controls and DEL (`char::is_control`), the line and paragraph separators, and the
/// bidirectional controls that can make a line read as something else.
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(action: &str, impersonator: Option<&str>) -> Content {
        Content {
            occurred_ms: 1_717_426_242_298,
            correlation_id: "1a2ac914-ea61-4699-8778-ea44d2fa27c5".into(),
            caller_correlation_id: None,
            initiator: "0fa51985".into(),
            impersonator: impersonator.map(str::to_owned),
            impersonation_id: None,
            action: action.into(),
            target: "49de2b73".into(),
            data: "{\"a\":\"b\\nc\"}".into(),
            outcome: "AUTHORIZED".into(),
            org_id: None,
        }
    }

    #[test]
    fn a_request_event_is_the_contracts_line() {
        assert_eq!(
            format(&content("resource-modification-via-impersonation", Some("0fa51985"))),
            "TID: [-1234] [2024-06-03 14:50:42,298] [1a2ac914-ea61-4699-8778-ea44d2fa27c5]  INFO {AUDIT_LOG} - \
             Initiator=0fa51985 Action=resource-modification-via-impersonation Target=49de2b73 \
             Data={\"a\":\"b\\nc\"} Outcome=AUTHORIZED"
        );
    }

    #[test]
    fn a_change_under_impersonation_names_the_impersonator_last() {
        assert!(format(&content("Set-User-Claim-Values", Some("0fa51985")))
            .ends_with("Outcome=AUTHORIZED | Impersonator : 0fa51985"));
        assert!(format(&content("Set-User-Claim-Values", None)).ends_with("Outcome=AUTHORIZED"));
    }

    #[test]
    fn a_line_break_in_a_value_cannot_forge_a_line() {
        let mut c = content("Add-User", None);
        c.target = "x\nTID: [-1234] forged".into();
        assert_eq!(format(&c).lines().count(), 1);
    }

    #[test]
    fn no_unicode_separator_or_control_character_reaches_the_line() {
        for separator in [
            '\u{2028}', '\u{2029}', '\u{85}', '\u{b}', '\u{c}', '\u{1b}', '\u{202e}',
        ] {
            let mut c = content("Add-Role", None);
            c.target = format!("sales{separator}TID: [-1234] forged");
            c.data = format!("{{\"name\":\"a{separator}b\"}}");
            let line = format(&c);
            assert!(!line.contains(separator), "{separator:?} reached {line}");
            assert!(
                line.contains(&format!("\\u{{{:04x}}}", u32::from(separator))),
                "{line}"
            );
            // However a reader splits lines, the event stays one line.
            assert_eq!(
                line.split(|ch: char| ch.is_control() || "\u{2028}\u{2029}".contains(ch))
                    .count(),
                1
            );
        }
        let mut c = content("Add-Role", None);
        c.target = "tab\there".into();
        assert!(format(&c).contains("Target=tab\\there "));
    }
}
