//! How an impersonation ended: a leaf, named by the records and the audit trail alike.

/// How an impersonation ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EndReason {
    /// The impersonator clicked **Stop impersonating**.
    Stopped,
    /// The hard time limit passed.
    TimeLimit,
    /// The impersonator signed out (or signed in anew in the same browser).
    SignedOut,
    /// The SSO session itself expired.
    SessionExpired,
    /// The impersonator's or the user's standing changed (password, status, deletion).
    AccountChanged,
    /// An administrator ended every impersonation at once (**End all impersonation sessions**,
    /// **Pause impersonation**).
    EndedByAdministrator,
}

impl EndReason {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Stopped => "stopped",
            Self::TimeLimit => "time_limit",
            Self::SignedOut => "signed_out",
            Self::SessionExpired => "session_expired",
            Self::AccountChanged => "account_changed",
            Self::EndedByAdministrator => "ended_by_administrator",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Stopped,
            Self::TimeLimit,
            Self::SignedOut,
            Self::SessionExpired,
            Self::AccountChanged,
            Self::EndedByAdministrator,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }
}
