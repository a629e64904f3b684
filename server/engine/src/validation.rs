//! Input is parsed once, at the edge of the engine, into values that are known to be valid.

use crate::error::{Error, FieldError, FieldKind, Result};

pub const USERNAME_MAX: usize = 64;
pub const NAME_MAX: usize = 100;
pub const COUNTRY_MAX: usize = 64;
pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 256;

/// What is wrong with one value, as a validator says it: a message, and its kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub kind: FieldKind,
    pub message: String,
}

impl Problem {
    /// The value is longer than the field allows.
    pub fn too_long(message: impl Into<String>) -> Self {
        Self {
            kind: FieldKind::TooLong,
            message: message.into(),
        }
    }
}

/// Any other problem is the value's being invalid.
impl From<String> for Problem {
    fn from(message: String) -> Self {
        Self {
            kind: FieldKind::Invalid,
            message,
        }
    }
}

impl From<&str> for Problem {
    fn from(message: &str) -> Self {
        message.to_owned().into()
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Collects field errors so a form shows every problem at once.
#[derive(Default)]
pub struct Checks(Vec<FieldError>);

impl Checks {
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }

    /// A value longer than the field allows.
    pub fn too_long(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push(FieldError::too_long(field, message));
    }

    pub fn check<T, P: Into<Problem>>(
        &mut self,
        field: &'static str,
        r: std::result::Result<T, P>,
    ) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(p) => {
                let p = p.into();
                self.0.push(FieldError {
                    kind: p.kind,
                    ..FieldError::new(field, p.message)
                });
                None
            }
        }
    }

    /// Takes in the field errors of a validation done elsewhere, so the form still shows all at once.
    pub fn absorb<T>(&mut self, r: Result<T>) -> Result<Option<T>> {
        match r {
            Ok(v) => Ok(Some(v)),
            Err(Error::Invalid(fields)) => {
                self.0.extend(fields);
                Ok(None)
            }
            Err(other) => Err(other),
        }
    }

    pub fn finish(self) -> Result<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid(self.0))
        }
    }
}

/// Letters, digits and `. _ - @`; 3 to 64 characters; compared case-insensitively.
pub fn username(raw: &str) -> std::result::Result<String, String> {
    let v = raw.trim();
    if v.is_empty() {
        return Err("Enter a username.".into());
    }
    if v.chars().count() < 3 || v.chars().count() > USERNAME_MAX {
        return Err(format!("A username has 3 to {USERNAME_MAX} characters."));
    }
    if !v
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
    {
        return Err("Use only letters, digits and . _ - @ in a username.".into());
    }
    Ok(v.to_owned())
}

/// The key a username is unique and looked up by.
pub fn username_key(username: &str) -> String {
    username.trim().to_ascii_lowercase()
}

/// A plausible mailbox: one `@`, a non-empty local part, a dotted domain, no spaces.
pub fn email(raw: &str) -> std::result::Result<String, String> {
    let v = raw.trim();
    if v.is_empty() {
        return Err("Enter an email address.".into());
    }
    let valid = v.len() <= 254
        && !v.chars().any(|c| c.is_whitespace() || c.is_control())
        && match v.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains("..")
            }
            None => false,
        };
    if valid {
        Ok(v.to_owned())
    } else {
        Err("Enter an email address like name@example.com.".into())
    }
}

pub fn person_name(raw: &str, what: &str) -> std::result::Result<String, Problem> {
    let v = raw.trim();
    if v.chars().count() > NAME_MAX {
        return Err(Problem::too_long(format!(
            "A {what} has at most {NAME_MAX} characters."
        )));
    }
    if v.chars().any(char::is_control) {
        return Err(format!("The {what} contains characters that are not allowed.").into());
    }
    Ok(v.to_owned())
}

/// A country as the user writes it (a name, not a code): at most 64 characters, no control
/// characters; empty means unset.
pub fn country(raw: &str) -> std::result::Result<String, Problem> {
    let v = raw.trim();
    if v.chars().count() > COUNTRY_MAX {
        return Err(Problem::too_long(format!(
            "A country has at most {COUNTRY_MAX} characters."
        )));
    }
    if v.chars().any(char::is_control) {
        return Err("The country contains characters that are not allowed.".into());
    }
    Ok(v.to_owned())
}

/// A name shown in lists (application, role, API resource): 1 to 100 characters, no control characters.
pub fn display_name(raw: &str) -> std::result::Result<String, Problem> {
    let v = raw.trim();
    if v.is_empty() {
        return Err("Enter a name.".into());
    }
    if v.chars().count() > NAME_MAX {
        return Err(Problem::too_long(format!(
            "A name has at most {NAME_MAX} characters."
        )));
    }
    if v.chars().any(char::is_control) {
        return Err("The name contains characters that are not allowed.".into());
    }
    Ok(v.to_owned())
}

pub fn new_password(raw: &str) -> std::result::Result<(), Problem> {
    let n = raw.chars().count();
    if n < PASSWORD_MIN {
        return Err(format!("A password has at least {PASSWORD_MIN} characters.").into());
    }
    if n > PASSWORD_MAX {
        return Err(Problem::too_long(format!(
            "A password has at most {PASSWORD_MAX} characters."
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        assert_eq!(username(" Alice.B ").unwrap(), "Alice.B");
        assert!(username("ab").is_err());
        assert!(username("with space").is_err());
        assert!(username("semi;colon").is_err());
        assert_eq!(username_key("Alice.B"), "alice.b");
    }

    #[test]
    fn emails() {
        assert!(email("a@b.co").is_ok());
        for bad in [
            "",
            "plain",
            "a@b",
            "a@@b.com",
            "a b@c.com",
            "@b.com",
            "a@.b.com",
            "a@b..com",
            "a@b.com.",
        ] {
            assert!(email(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn countries() {
        assert_eq!(country("  Sweden ").unwrap(), "Sweden");
        assert_eq!(country("").unwrap(), "");
        assert_eq!(
            country(&"é".repeat(COUNTRY_MAX)).unwrap().chars().count(),
            COUNTRY_MAX
        );
        assert_eq!(
            country(&"x".repeat(COUNTRY_MAX + 1)).unwrap_err().kind,
            FieldKind::TooLong
        );
        assert_eq!(country("Swe\nden").unwrap_err().kind, FieldKind::Invalid);
    }

    #[test]
    fn passwords() {
        assert!(new_password("short").is_err());
        assert!(new_password("long enough").is_ok());
    }
}
