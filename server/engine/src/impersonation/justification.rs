//! Why an impersonation starts: the reason and the ticket id the impersonator gives, held to the
//! organization's policy ([`ReasonPolicy`], the ticket pattern) by the one start decision, then
//! kept with the impersonation, in its audit events, the user's email and both activity views.

use super::policy::{ticket_regex, ImpersonationPolicy, ReasonPolicy};
use crate::error::{Error, Result};
use crate::validation::Checks;

/// The longest reason and ticket id kept.
const MAX_REASON_CHARS: usize = 500;
const MAX_TICKET_CHARS: usize = 100;

/// A reason and a ticket id, as given (trimmed; empty is none).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Justification {
    pub reason: Option<String>,
    pub ticket: Option<String>,
}

impl Justification {
    pub fn new(reason: Option<&str>, ticket: Option<&str>) -> Self {
        let clean = |s: Option<&str>| {
            s.map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        Self {
            reason: clean(reason),
            ticket: clean(ticket),
        }
    }

    /// As the user's email says it: `Fix the billing address (ticket SUP-12)`.
    pub fn describe(&self) -> Option<String> {
        match (&self.reason, &self.ticket) {
            (Some(reason), Some(ticket)) => Some(format!("{reason} (ticket {ticket})")),
            (Some(reason), None) => Some(reason.clone()),
            (None, Some(ticket)) => Some(format!("ticket {ticket}")),
            (None, None) => None,
        }
    }
}

/// What a start path has of the justification.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Asked<'a> {
    /// Given with the request that starts the impersonation: held to the policy.
    Given(&'a Justification),
    /// Not asked yet: whether Impersonate User is offered, before its form is filled in.
    NotYet,
}

/// Holds `given` to `policy`: field errors on `reason` and `ticket`.
pub(crate) fn check(policy: &ImpersonationPolicy, given: &Justification) -> Result<()> {
    let mut checks = Checks::default();
    if given
        .reason
        .as_ref()
        .is_some_and(|r| r.chars().count() > MAX_REASON_CHARS)
    {
        checks.add(
            "reason",
            format!("Keep the reason within {MAX_REASON_CHARS} characters."),
        );
    }
    if given
        .ticket
        .as_ref()
        .is_some_and(|t| t.chars().count() > MAX_TICKET_CHARS)
    {
        checks.add(
            "ticket",
            format!("Keep the ticket id within {MAX_TICKET_CHARS} characters."),
        );
    }
    if policy.reason == ReasonPolicy::Required && given.reason.is_none() {
        checks.add(
            "reason",
            "Say why you are impersonating this user: this organization requires a reason.",
        );
    }
    if policy.reason != ReasonPolicy::Off {
        if let Some(pattern) = &policy.ticket_pattern {
            match &given.ticket {
                Some(ticket) if !ticket_regex(pattern).is_some_and(|re| re.is_match(ticket)) => {
                    checks.add(
                        "ticket",
                        format!("The ticket id must look like this organization's: {pattern}"),
                    );
                }
                None if policy.reason == ReasonPolicy::Required => {
                    checks.add(
                        "ticket",
                        format!("Give the ticket id of the request (like {pattern})."),
                    );
                }
                _ => {}
            }
        }
    }
    checks.finish()
}

/// The field errors of [`check`] as one sentence, for an OAuth `error_description`.
pub(crate) fn described(e: &Error) -> String {
    match e {
        Error::Invalid(fields) => fields
            .iter()
            .map(|f| f.message.as_str())
            .collect::<Vec<_>>()
            .join(" "),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(reason: ReasonPolicy, pattern: Option<&str>) -> ImpersonationPolicy {
        ImpersonationPolicy {
            reason,
            ticket_pattern: pattern.map(str::to_owned),
            ..ImpersonationPolicy::default()
        }
    }

    fn fields(r: Result<()>) -> Vec<&'static str> {
        match r {
            Ok(()) => vec![],
            Err(Error::Invalid(f)) => f.into_iter().map(|f| f.field).collect(),
            Err(other) => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_policy_decides_what_must_be_given() {
        let none = Justification::new(Some("  "), None);
        let reason = Justification::new(Some("Billing address"), None);
        let both = Justification::new(Some("Billing address"), Some("SUP-12"));
        let bad_ticket = Justification::new(Some("Billing address"), Some("12"));
        let off = policy(ReasonPolicy::Off, Some("SUP-[0-9]+"));
        assert!(fields(check(&off, &none)).is_empty());
        assert!(
            fields(check(&off, &bad_ticket)).is_empty(),
            "off asks nothing"
        );
        let optional = policy(ReasonPolicy::Optional, Some("SUP-[0-9]+"));
        assert!(fields(check(&optional, &none)).is_empty());
        assert_eq!(fields(check(&optional, &bad_ticket)), ["ticket"]);
        let required = policy(ReasonPolicy::Required, None);
        assert_eq!(fields(check(&required, &none)), ["reason"]);
        assert!(fields(check(&required, &reason)).is_empty());
        let with_pattern = policy(ReasonPolicy::Required, Some("SUP-[0-9]+"));
        assert_eq!(fields(check(&with_pattern, &reason)), ["ticket"]);
        assert!(fields(check(&with_pattern, &both)).is_empty());
        // The whole id must match, not a part of it.
        let partly = Justification::new(Some("x"), Some("XSUP-12X"));
        assert_eq!(fields(check(&with_pattern, &partly)), ["ticket"]);
        let long = Justification::new(Some(&"r".repeat(501)), None);
        assert_eq!(fields(check(&required, &long)), ["reason"]);
    }

    #[test]
    fn described_for_the_email() {
        assert_eq!(
            Justification::new(Some("Billing"), Some("SUP-1"))
                .describe()
                .as_deref(),
            Some("Billing (ticket SUP-1)")
        );
        assert_eq!(Justification::new(None, None).describe(), None);
    }
}
