//! The Console's **Logs** and My Account's **Account activity** as the browser sees them.

use super::impersonation::ImpersonationSession;
use serde::{Deserialize, Serialize};

/// The Logs page's filter, as typed. Times are `YYYY-MM-DD HH:MM`, in UTC.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogQuery {
    pub from: String,
    pub until: String,
    pub action: String,
    pub initiator: String,
    pub target: String,
    pub impersonated: bool,
}

impl LogQuery {
    /// The export link of this filter (`/console/logs/export?…`).
    pub fn export_href(&self) -> String {
        let mut pairs = vec![
            ("from", self.from.as_str()),
            ("until", self.until.as_str()),
            ("action", self.action.as_str()),
            ("initiator", self.initiator.as_str()),
            ("target", self.target.as_str()),
        ];
        pairs.retain(|(_, v)| !v.trim().is_empty());
        if self.impersonated {
            pairs.push(("impersonated", "true"));
        }
        let query: Vec<String> = pairs
            .into_iter()
            .map(|(k, v)| format!("{k}={}", percent_encode(v)))
            .collect();
        if query.is_empty() {
            "/console/logs/export".to_owned()
        } else {
            format!("/console/logs/export?{}", query.join("&"))
        }
    }
}

/// Query-string encoding of a value: unreserved characters kept, everything else `%XX`.
pub fn percent_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// Someone or something an audit event names: its id, and, when the id still names a user,
/// organization, application, role or API resource, its name and kind.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogParty {
    pub id: String,
    pub name: Option<String>,
    /// `user`, `organization`, `application`, `role` or `API resource`.
    pub kind: Option<String>,
}

impl LogParty {
    /// What the Logs page shows: the name when there is one, else the id as recorded (a deleted
    /// user's id, a client id, the masked name of a failed sign-in).
    pub fn shown(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.id)
    }
}

/// One audit event on the Logs page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogRow {
    pub seq: i64,
    /// `2024-06-03 14:50:42 UTC`.
    pub time: String,
    pub correlation_id: String,
    pub initiator: LogParty,
    pub impersonator: Option<LogParty>,
    pub action: String,
    pub target: LogParty,
    pub outcome: String,
    /// The event's line in the audit log file.
    pub line: String,
}

/// One page of Logs, newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogsPage {
    pub rows: Vec<LogRow>,
    /// Where the next (older) page starts; `None` on the last page.
    pub next_before: Option<i64>,
    /// Every action the trail records, for the filter.
    pub actions: Vec<String>,
}

/// The result of **Verify integrity**.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrityReport {
    pub intact: bool,
    pub summary: String,
}

/// A change made in the user's name during an impersonation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeMade {
    pub action: String,
    pub time: String,
    pub detail: String,
}

/// One impersonation of the user's own account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountImpersonation {
    pub session: ImpersonationSession,
    pub changes: Vec<ChangeMade>,
}

/// My Account's **Account activity**.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountActivity {
    pub impersonations: Vec<AccountImpersonation>,
    /// Unix seconds, to say how an impersonation still running stands.
    pub now: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_export_link_carries_the_filter() {
        let q = LogQuery {
            from: "2026-12-01T10:00".into(),
            action: "Set-User-Claim-Values".into(),
            impersonated: true,
            ..LogQuery::default()
        };
        assert_eq!(
            q.export_href(),
            "/console/logs/export?from=2026-12-01T10%3A00&action=Set-User-Claim-Values&impersonated=true"
        );
        assert_eq!(LogQuery::default().export_href(), "/console/logs/export");
    }
}
