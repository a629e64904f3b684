//! Audit events: written in the same transaction as the change they record.

use crate::access::ConsoleAdmin;
use crate::clock::Timestamp;
use crate::db::Tx;
use crate::error::Result;
use crate::ids::UserId;
use crate::principal::Principal;

/// One audit event, in the shape of the audit log lines (`Initiator`, `Action`, `Target`, `Data`, `Outcome`).
pub struct AuditEvent<'a> {
    pub initiator: &'a str,
    pub action: &'a str,
    pub target: &'a str,
    pub data: serde_json::Value,
    pub outcome: &'a str,
    /// Set when the initiator acts through an impersonation session.
    pub impersonator: Option<&'a str>,
}

impl<'a> AuditEvent<'a> {
    /// A change that was carried out, by the initiator acting as themselves.
    pub fn success(
        initiator: &'a str,
        action: &'a str,
        target: &'a str,
        data: serde_json::Value,
    ) -> Self {
        Self {
            initiator,
            action,
            target,
            data,
            outcome: "Success",
            impersonator: None,
        }
    }

    /// A change carried out by `principal`; under impersonation the real actor is recorded too.
    pub fn by(
        principal: &'a Principal,
        action: &'a str,
        target: &'a str,
        data: serde_json::Value,
    ) -> Self {
        Self {
            impersonator: principal.actor().map(UserId::as_str),
            ..Self::success(principal.user_id().as_str(), action, target, data)
        }
    }

    /// A change an administrator carried out (Console or provisioning).
    pub fn by_admin(
        admin: &'a ConsoleAdmin,
        action: &'a str,
        target: &'a str,
        data: serde_json::Value,
    ) -> Self {
        Self::by(admin.principal(), action, target, data)
    }
}

pub mod actions {
    pub const ADD_USER: &str = "Add-User";
    pub const SET_USER_CLAIM_VALUES: &str = "Set-User-Claim-Values";
    pub const DELETE_USER: &str = "Delete-User";
    pub const CHANGE_USER_STATUS: &str = "Change-User-Status";
    pub const CHANGE_PASSWORD: &str = "Change-Password";
    pub const BOOTSTRAP: &str = "Bootstrap";
    pub const ADD_APPLICATION: &str = "Add-Application";
    pub const ADD_ROLE: &str = "Add-Role";
    pub const UPDATE_ROLE: &str = "Update-Role";
    pub const UPDATE_ROLE_USERS: &str = "Update-Users-Of-Role";
    pub const DELETE_ROLE: &str = "Delete-Role";
    pub const ADD_ADMINISTRATOR: &str = "Add-Administrator";
    pub const REMOVE_ADMINISTRATOR: &str = "Remove-Administrator";
    pub const UPDATE_APPLICATION: &str = "Update-Application";
    pub const DELETE_APPLICATION: &str = "Delete-Application";
    pub const AUTHORIZE_API_RESOURCE: &str = "Authorize-API-Resource";
    pub const ADD_API_RESOURCE: &str = "Add-API-Resource";
    pub const UPDATE_API_RESOURCE: &str = "Update-API-Resource";
    pub const DELETE_API_RESOURCE: &str = "Delete-API-Resource";
    pub const ROTATE_SIGNING_KEY: &str = "Rotate-Signing-Key";
    pub const REVOKE_GRANT: &str = "Revoke-Authorization";
}

pub async fn record(tx: &mut Tx, event: AuditEvent<'_>, now: Timestamp) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_events (id, occurred_at, initiator, action, target, data, outcome, impersonator) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(now.0)
    .bind(event.initiator)
    .bind(event.action)
    .bind(event.target)
    .bind(event.data.to_string())
    .bind(event.outcome)
    .bind(event.impersonator)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Masks a value for the log: first and last character kept (`Sweden` → `S****n`).
pub fn mask(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    match chars.len() {
        0 => String::new(),
        1 | 2 => "*".repeat(chars.len()),
        n => {
            let mut s = String::with_capacity(n);
            s.push(chars[0]);
            s.push_str(&"*".repeat(n - 2));
            s.push(chars[n - 1]);
            s
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn masks_keep_the_ends() {
        assert_eq!(super::mask("Sweden"), "S****n");
        assert_eq!(super::mask("ab"), "**");
        assert_eq!(super::mask(""), "");
    }
}
