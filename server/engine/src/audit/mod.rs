//! Audit events: written in the same transaction as the change they record, appended to a hash
//! chain in one total order ([`chain`]), verifiable ([`verify`]), projected to the audit log file
//! ([`file`]) in the contract's line format ([`line`]), and searchable on the Console's Logs page
//! ([`query`]).

pub mod chain;
pub(crate) mod changes;
pub mod file;
pub mod impersonation;
pub mod line;
pub mod names;
pub mod query;
pub mod request;
pub(crate) mod sign_in;
pub mod verify;

use crate::access::ConsoleAdmin;
use crate::clock::Timestamp;
use crate::db::Tx;
use crate::error::Result;
use crate::ids::{OrgId, UserId};
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
    /// The impersonation the change was made in, so the user can see what it changed.
    pub impersonation_id: Option<&'a str>,
    /// The principal whose bearer token authorizes the request, when it is an impersonated one:
    /// the request itself is then audited first (see [`request`]).
    pub(crate) by_token: Option<&'a Principal>,
    /// The organization the change was made in (`None`: the root's, as for the operator's
    /// commands).
    pub(crate) org: Option<&'a OrgId>,
    /// The HTTP request the change was made in, if known: the event carries its correlation id.
    pub(crate) request: Option<&'a request::RequestContext>,
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
            impersonation_id: None,
            by_token: None,
            org: None,
            request: None,
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
            impersonation_id: principal.impersonation_id(),
            by_token: principal.actor().and(principal.token()).map(|_| principal),
            org: Some(principal.org_id()),
            request: principal.request(),
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
        // The Console's organization: a change made after switching belongs to that one.
        Self {
            org: Some(admin.org()),
            ..Self::by(admin.principal(), action, target, data)
        }
    }
}

pub mod actions {
    pub const ADD_USER: &str = "Add-User";
    pub const SET_USER_CLAIM_VALUES: &str = "Set-User-Claim-Values";
    pub const DELETE_USER: &str = "Delete-User";
    pub const CHANGE_USER_STATUS: &str = "Change-User-Status";
    pub const END_USER_SESSION: &str = "End-User-Session";
    pub const CHANGE_PASSWORD: &str = "Change-Password";
    pub const ADD_AUTHENTICATOR_APP: &str = "Add-Authenticator-App";
    pub const REMOVE_AUTHENTICATOR_APP: &str = "Remove-Authenticator-App";
    pub const RENEW_RECOVERY_CODES: &str = "Renew-Recovery-Codes";
    pub const RESET_SECOND_FACTORS: &str = "Reset-Second-Factors";
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
    pub const ADD_ORGANIZATION: &str = "Add-Organization";
    pub const UPDATE_ORGANIZATION: &str = "Update-Organization";
    pub const DELETE_ORGANIZATION: &str = "Delete-Organization";
    pub const INVITE_PARENT_USER: &str = "Invite-Parent-User";
    pub const SHARE_APPLICATION: &str = "Share-Application";
    pub const UPDATE_IMPERSONATION_CONFIG: &str = "Update-Impersonation-Config";
    pub const UPDATE_EMAIL_TEMPLATE: &str = "Update-Email-Template";
    pub const RESET_EMAIL_TEMPLATE: &str = "Reset-Email-Template";
    pub const SIGN_IN: &str = "Sign-In";
    pub const IMPERSONATION_STARTED: &str = "Impersonation-Started";
    pub const IMPERSONATION_REFUSED: &str = "Impersonation-Refused";
    pub const IMPERSONATION_STOPPED: &str = "Impersonation-Stopped";
    pub const IMPERSONATION_EXPIRED: &str = "Impersonation-Expired";
    pub const IMPERSONATION_ENDED: &str = "Impersonation-Ended";
    pub const END_ALL_IMPERSONATIONS: &str = "End-All-Impersonations";
    pub const PAUSE_IMPERSONATION: &str = "Pause-Impersonation";
    pub const RESUME_IMPERSONATION: &str = "Resume-Impersonation";
    /// The requests an impersonated access token authorizes, by HTTP method (the contract's table).
    pub const VIA_IMPERSONATION_MODIFICATION: &str = "resource-modification-via-impersonation";
    pub const VIA_IMPERSONATION_CREATION: &str = "resource-creation-via-impersonation";
    pub const VIA_IMPERSONATION_DELETION: &str = "resource-deletion-via-impersonation";
    pub const VIA_IMPERSONATION_ACCESS: &str = "resource-access-via-impersonation";

    /// Every action the trail records, for the Logs page's filter.
    pub const ALL: &[&str] = &[
        ADD_USER,
        SET_USER_CLAIM_VALUES,
        DELETE_USER,
        CHANGE_USER_STATUS,
        END_USER_SESSION,
        CHANGE_PASSWORD,
        ADD_AUTHENTICATOR_APP,
        REMOVE_AUTHENTICATOR_APP,
        RENEW_RECOVERY_CODES,
        RESET_SECOND_FACTORS,
        BOOTSTRAP,
        ADD_APPLICATION,
        UPDATE_APPLICATION,
        DELETE_APPLICATION,
        ADD_ROLE,
        UPDATE_ROLE,
        UPDATE_ROLE_USERS,
        DELETE_ROLE,
        ADD_ADMINISTRATOR,
        REMOVE_ADMINISTRATOR,
        AUTHORIZE_API_RESOURCE,
        ADD_API_RESOURCE,
        UPDATE_API_RESOURCE,
        DELETE_API_RESOURCE,
        ROTATE_SIGNING_KEY,
        REVOKE_GRANT,
        ADD_ORGANIZATION,
        UPDATE_ORGANIZATION,
        DELETE_ORGANIZATION,
        INVITE_PARENT_USER,
        SHARE_APPLICATION,
        UPDATE_IMPERSONATION_CONFIG,
        UPDATE_EMAIL_TEMPLATE,
        RESET_EMAIL_TEMPLATE,
        SIGN_IN,
        IMPERSONATION_STARTED,
        IMPERSONATION_REFUSED,
        IMPERSONATION_STOPPED,
        IMPERSONATION_EXPIRED,
        IMPERSONATION_ENDED,
        END_ALL_IMPERSONATIONS,
        PAUSE_IMPERSONATION,
        RESUME_IMPERSONATION,
        VIA_IMPERSONATION_MODIFICATION,
        VIA_IMPERSONATION_CREATION,
        VIA_IMPERSONATION_DELETION,
        VIA_IMPERSONATION_ACCESS,
    ];
}

/// Appends `event` to the trail in the caller's transaction: it commits with the change or not at
/// all. A change made through an impersonated token is preceded by the request's own event
/// (`resource-…-via-impersonation`), once per request.
pub async fn record(tx: &mut Tx, event: AuditEvent<'_>, now: Timestamp) -> Result<()> {
    if let Some(principal) = event.by_token {
        request::record_impersonated_request(tx, principal, now).await?;
    }
    let (correlation_id, caller_correlation_id) = request::ids_of(event.request);
    chain::append(
        tx,
        chain::Content {
            occurred_ms: chain::millis_of(now),
            correlation_id,
            caller_correlation_id,
            initiator: event.initiator.to_owned(),
            impersonator: event.impersonator.map(str::to_owned),
            impersonation_id: event.impersonation_id.map(str::to_owned),
            action: event.action.to_owned(),
            target: event.target.to_owned(),
            data: event.data.to_string(),
            outcome: event.outcome.to_owned(),
            org_id: event.org.map(|o| o.as_str().to_owned()),
        },
        now,
    )
    .await
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
