//! Impersonation as the Console and My Account show it: whether **Impersonate User** is available,
//! the record of past impersonations, and My Account's banner.

use super::time::{time_left, utc_date_time, utc_time};
use serde::{Deserialize, Serialize};

/// Whether the Console may impersonate a user now. The server decides again when the button is
/// pressed; this only says whether to offer it, and why not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImpersonationAvailability {
    Available {
        ask: JustificationAsk,
    },
    /// The reason, in words the administrator can act on.
    Unavailable {
        reason: String,
    },
    /// Allowed once the administrator confirms who they are (the organization's step-up): the
    /// password, and a code when they have an authenticator app.
    ConfirmIdentity {
        second_factor: bool,
    },
}

/// How an impersonation session ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImpersonationEnd {
    Stopped,
    TimeLimit,
    SignedOut,
    SessionExpired,
    AccountChanged,
    EndedByAdministrator,
}

impl ImpersonationEnd {
    pub fn label(self) -> &'static str {
        match self {
            Self::Stopped => "Stopped by the impersonator",
            Self::TimeLimit => "Time limit reached",
            Self::SignedOut => "Impersonator signed out",
            Self::SessionExpired => "Session expired",
            Self::AccountChanged => "Ended by an account change",
            Self::EndedByAdministrator => "Ended by an administrator (kill switch)",
        }
    }
}

/// One impersonation session in a user's history (as impersonator or as the impersonated user).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImpersonationSession {
    /// Username; the user id when the user no longer exists.
    pub impersonator: String,
    pub subject: String,
    /// Unix seconds.
    pub started_at: i64,
    pub expires_at: i64,
    pub ended_at: Option<i64>,
    pub end: Option<ImpersonationEnd>,
    /// Why, and the ticket id, as the impersonator gave them.
    pub reason: Option<String>,
    pub ticket: Option<String>,
    /// The applications it signed into, in the order it entered them.
    pub applications: Vec<String>,
}

impl ImpersonationSession {
    /// The reason with its ticket id (`Billing address (ticket SUP-12)`), or "None given".
    pub fn justification(&self) -> String {
        match (&self.reason, &self.ticket) {
            (Some(reason), Some(ticket)) => format!("{reason} (ticket {ticket})"),
            (Some(reason), None) => reason.clone(),
            (None, Some(ticket)) => format!("Ticket {ticket}"),
            (None, None) => "None given".to_owned(),
        }
    }

    pub fn started(&self) -> String {
        utc_date_time(self.started_at)
    }

    /// How long it lasted (or has lasted so far, as of `now`), in words.
    pub fn duration(&self, now: i64) -> String {
        let end = self.ended_at.unwrap_or(now.min(self.expires_at));
        let minutes = (end - self.started_at).max(0) / 60;
        match minutes {
            0 => "Under a minute".to_owned(),
            1 => "1 minute".to_owned(),
            m if m < 120 => format!("{m} minutes"),
            m => format!("{} hours {} minutes", m / 60, m % 60),
        }
    }

    /// When and how it ended, as of `now`; one past its limit that nothing has closed yet ended
    /// at its limit.
    pub fn outcome(&self, now: i64) -> String {
        match (self.ended_at, self.end) {
            (Some(at), Some(how)) => format!("{} · {}", utc_date_time(at), how.label()),
            (Some(at), None) => utc_date_time(at),
            (None, _) if now >= self.expires_at => format!(
                "{} · {}",
                utc_date_time(self.expires_at),
                ImpersonationEnd::TimeLimit.label()
            ),
            (None, _) => format!("In progress, until {}", utc_time(self.expires_at)),
        }
    }
}

/// A user's impersonation sessions, newest first, with the server's time to judge them by.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImpersonationHistory {
    pub sessions: Vec<ImpersonationSession>,
    /// Unix seconds.
    pub now: i64,
}

/// My Account's banner while impersonating: whom, by whom, until when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImpersonationBanner {
    pub subject_username: String,
    /// Given and family name ("" when the user has none).
    pub subject_name: String,
    pub impersonator_username: String,
    /// Unix seconds.
    pub started_at: i64,
    pub expires_at: i64,
    /// The server's time when it answered: what is left is counted from here.
    pub now: i64,
}

impl ImpersonationBanner {
    /// `You are impersonating Ada Lovelace (ada)`, or `You are impersonating ada` without a name.
    pub fn headline(&self) -> String {
        match self.subject_name.trim() {
            "" => format!("You are impersonating {}", self.subject_username),
            name => format!("You are impersonating {name} ({})", self.subject_username),
        }
    }

    /// `as admin`: who really acts.
    pub fn actor(&self) -> String {
        format!("as {}", self.impersonator_username)
    }

    /// `Ends at 14:05 UTC`.
    pub fn ends(&self) -> String {
        format!("Ends at {}", utc_time(self.expires_at))
    }

    /// Seconds left when the server answered.
    pub fn seconds_left(&self) -> i64 {
        self.expires_at - self.now
    }

    /// What is left after `elapsed` more seconds, in words.
    pub fn left_after(&self, elapsed: i64) -> String {
        time_left(self.seconds_left() - elapsed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn banner(name: &str) -> ImpersonationBanner {
        ImpersonationBanner {
            subject_username: "ada".into(),
            subject_name: name.into(),
            impersonator_username: "admin".into(),
            started_at: 1_717_426_242,
            expires_at: 1_717_426_242 + 3600,
            now: 1_717_426_242 + 60,
        }
    }

    #[test]
    fn the_banner_names_whom_and_by_whom() {
        assert_eq!(
            banner("Ada Lovelace").headline(),
            "You are impersonating Ada Lovelace (ada)"
        );
        assert_eq!(banner("").headline(), "You are impersonating ada");
        assert_eq!(banner("  ").headline(), "You are impersonating ada");
        assert_eq!(banner("").actor(), "as admin");
    }

    #[test]
    fn the_banner_counts_down_to_the_limit() {
        let b = banner("");
        assert_eq!(b.ends(), "Ends at 15:50 UTC");
        assert_eq!(b.seconds_left(), 3540);
        assert_eq!(b.left_after(0), "59 min left");
        assert_eq!(b.left_after(3540), "time is up");
    }

    #[test]
    fn a_session_says_how_it_ended() {
        let start = 1_717_426_242;
        let mut s = ImpersonationSession {
            impersonator: "admin".into(),
            subject: "ada".into(),
            started_at: start,
            expires_at: start + 3600,
            ended_at: None,
            end: None,
            reason: None,
            ticket: None,
            applications: vec![],
        };
        assert_eq!(s.started(), "2024-06-03 14:50 UTC");
        assert_eq!(s.justification(), "None given");
        s.reason = Some("Billing".into());
        s.ticket = Some("SUP-1".into());
        assert_eq!(s.justification(), "Billing (ticket SUP-1)");
        assert_eq!(s.outcome(start + 10), "In progress, until 15:50 UTC");
        assert_eq!(
            s.outcome(start + 3600),
            "2024-06-03 15:50 UTC · Time limit reached"
        );
        s.ended_at = Some(start + 600);
        s.end = Some(ImpersonationEnd::Stopped);
        assert_eq!(
            s.outcome(start + 10_000),
            "2024-06-03 15:00 UTC · Stopped by the impersonator"
        );
        s.end = None;
        assert_eq!(s.outcome(start + 10_000), "2024-06-03 15:00 UTC");
    }
}

/// The impersonation kill switch of the Console's organization.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KillSwitchView {
    /// Whether no impersonation can start here now (paused here or from the root).
    pub paused: bool,
    /// When this organization paused it (`2024-06-03 14:05 UTC`), and who.
    pub paused_at: Option<String>,
    pub paused_by: Option<String>,
    /// Paused by the root organization, for every organization.
    pub paused_from_root: bool,
    /// Live impersonation sessions the switch would end.
    pub live: u64,
    /// Whether the switch acts in every organization (the root's).
    pub everywhere: bool,
}

/// An organization's impersonation guardrails.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImpersonationPolicyView {
    /// Minutes since the impersonator last proved who they are; 0 is off.
    pub minutes: i64,
    /// Whether the proof must always include a second factor (otherwise: when they have one).
    pub always_second_factor: bool,
    /// `off`, `optional` or `required`.
    pub reason: String,
    /// The regular expression ticket ids match; empty for none.
    pub ticket_pattern: String,
    /// The organization's own hard limit in minutes; empty for the deployment's.
    pub hard_limit_minutes: String,
    /// The deployment's hard limit, which the organization's never exceeds.
    pub deployment_limit_minutes: i64,
}

/// What **Impersonate User** asks for besides the click.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JustificationAsk {
    /// Whether **Reason** and **Ticket** are asked at all.
    pub asked: bool,
    pub required: bool,
    /// The shape of a ticket id, when the organization set one.
    pub ticket_pattern: Option<String>,
}
