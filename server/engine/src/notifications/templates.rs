//! Email templates: the defaults (in code), placeholders, validation and rendering. Bodies are
//! plain text, so a value put into a placeholder needs no escaping; a subject is a mail header, so
//! it never holds a line break.

use crate::error::{FieldError, Result};
use crate::validation::Checks;

/// The locale every template has a default for, and the one messages are rendered in until users
/// carry a locale of their own.
pub const DEFAULT_LOCALE: &str = "en_US";
pub const SUBJECT_MAX: usize = 200;
pub const BODY_MAX: usize = 10_000;

/// The kinds of email Guise sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TemplateType {
    /// Sent to a user when an impersonation session on their account starts (once per session).
    ImpersonationStarted,
    /// Sent to a user when an impersonation session ends, listing what was changed for them.
    ImpersonationEnded,
}

impl TemplateType {
    pub const ALL: [TemplateType; 2] = [Self::ImpersonationStarted, Self::ImpersonationEnded];

    /// The template type's identifier, as the API and the outbox name it.
    pub fn key(self) -> &'static str {
        match self {
            Self::ImpersonationStarted => "ImpersonationEmailNotification",
            Self::ImpersonationEnded => "ImpersonationEndedEmailNotification",
        }
    }

    pub fn display_name(self) -> &'static str {
        match self {
            Self::ImpersonationStarted => "Impersonation Email Notification",
            Self::ImpersonationEnded => "Impersonation Ended Email Notification",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.key() == key)
    }

    /// The placeholders a template of this type may use (without braces).
    pub fn placeholders(self) -> &'static [&'static str] {
        match self {
            Self::ImpersonationStarted => &[
                "user-name",
                "login-time",
                "impersonator-user-name",
                "reason",
            ],
            Self::ImpersonationEnded => &[
                "user-name",
                "login-time",
                "end-time",
                "impersonator-user-name",
                "changes",
            ],
        }
    }

    pub fn default_subject(self) -> &'static str {
        match self {
            Self::ImpersonationStarted => "User Impersonation Session Started",
            Self::ImpersonationEnded => "User Impersonation Session Ended",
        }
    }

    pub fn default_body(self) -> &'static str {
        match self {
            Self::ImpersonationStarted => {
                "Hi {{user-name}},\n\n\
                 An impersonation session was started on your account by {{impersonator-user-name}} \
                 on {{login-time}}.\n\n\
                 Reason given: {{reason}}\n\n\
                 While it lasts, they can act on your behalf. If you did not expect this, contact \
                 your administrator.\n"
            }
            Self::ImpersonationEnded => {
                "Hi {{user-name}},\n\n\
                 The impersonation session that {{impersonator-user-name}} started on your account \
                 on {{login-time}} ended on {{end-time}}.\n\n\
                 Changes made on your behalf:\n{{changes}}\n\n\
                 If anything here is unexpected, contact your administrator.\n"
            }
        }
    }

    /// Values shown by **Preview**.
    pub fn sample_values(self) -> Vec<(&'static str, String)> {
        let mut values = vec![
            ("user-name", "john".to_owned()),
            ("login-time", "June 03, 2024 at 02:50 PM UTC".to_owned()),
            ("impersonator-user-name", "admin".to_owned()),
        ];
        if self == Self::ImpersonationStarted {
            values.push((
                "reason",
                "Fix the billing address (ticket SUP-1234)".to_owned(),
            ));
        }
        if self == Self::ImpersonationEnded {
            values.push(("end-time", "June 03, 2024 at 03:10 PM UTC".to_owned()));
            values.push((
                "changes",
                "- June 03, 2024 at 02:55 PM UTC: Set-User-Claim-Values".to_owned(),
            ));
        }
        values
    }
}

/// A subject and body, as stored or rendered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub body: String,
}

/// Checks an edited template: both parts present, within limits, no line break in the subject,
/// every placeholder one the type knows. Returns the trimmed subject and the body.
pub fn validate(kind: TemplateType, subject: &str, body: &str) -> Result<(String, String)> {
    let mut checks = Checks::default();
    let subject = subject.trim();
    if subject.is_empty() {
        checks.add("subject", "Enter a subject.");
    } else if subject.chars().count() > SUBJECT_MAX {
        checks.too_long(
            "subject",
            format!("A subject has at most {SUBJECT_MAX} characters."),
        );
    } else if subject.contains(['\r', '\n']) {
        checks.add("subject", "A subject is one line.");
    } else if let Err(m) = check_placeholders(kind, subject) {
        checks.add("subject", m);
    }
    if body.trim().is_empty() {
        checks.add("body", "Enter a body.");
    } else if body.chars().count() > BODY_MAX {
        checks.too_long("body", format!("A body has at most {BODY_MAX} characters."));
    } else if let Err(m) = check_placeholders(kind, body) {
        checks.add("body", m);
    }
    checks.finish()?;
    Ok((subject.to_owned(), body.to_owned()))
}

/// The names inside `{{…}}` in `text`, or what is wrong with them.
fn check_placeholders(kind: TemplateType, text: &str) -> std::result::Result<(), String> {
    let allowed = kind.placeholders();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        let close = after
            .find("}}")
            .ok_or_else(|| "A placeholder opened with {{ is never closed with }}.".to_owned())?;
        let name = after[..close].trim();
        if !allowed.contains(&name) {
            let known = allowed
                .iter()
                .map(|p| format!("{{{{{p}}}}}"))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(format!(
                "Unknown placeholder {{{{{name}}}}}; this template can use {known}."
            ));
        }
        rest = &after[close + 2..];
    }
    Ok(())
}

/// Puts `values` into the placeholders of `subject` and `body`. A subject stays one line whatever
/// a value holds.
pub fn render(subject: &str, body: &str, values: &[(&str, String)]) -> Rendered {
    let fill = |text: &str| {
        values.iter().fold(text.to_owned(), |acc, (name, value)| {
            acc.replace(&format!("{{{{{name}}}}}"), value)
        })
    };
    Rendered {
        subject: fill(subject).replace(['\r', '\n'], " "),
        body: fill(body),
    }
}

/// A locale as the template API names it: `en_US`.
pub fn parse_locale(raw: &str) -> std::result::Result<String, FieldError> {
    let raw = raw.trim();
    let bytes = raw.as_bytes();
    let well_formed = bytes.len() == 5
        && bytes[..2].iter().all(u8::is_ascii_lowercase)
        && bytes[2] == b'_'
        && bytes[3..].iter().all(u8::is_ascii_uppercase);
    if well_formed {
        Ok(raw.to_owned())
    } else {
        Err(FieldError::new(
            "locale",
            "A locale is a language and a country, like en_US.",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_use_only_their_own_placeholders() {
        for kind in TemplateType::ALL {
            assert!(validate(kind, kind.default_subject(), kind.default_body()).is_ok());
        }
    }

    #[test]
    fn unknown_and_unclosed_placeholders_are_field_errors() {
        let kind = TemplateType::ImpersonationStarted;
        assert!(validate(kind, "Hi", "{{changes}}").is_err());
        assert!(validate(kind, "Hi {{user-name", "body").is_err());
        assert!(validate(kind, "Hi\nthere", "body").is_err());
    }

    #[test]
    fn rendering_fills_every_occurrence_and_keeps_the_subject_one_line() {
        let r = render(
            "{{user-name}} {{user-name}}",
            "{{user-name}}",
            &[("user-name", "a\r\nb".into())],
        );
        assert_eq!(r.subject, "a  b a  b");
        assert_eq!(r.body, "a\r\nb");
    }
}
