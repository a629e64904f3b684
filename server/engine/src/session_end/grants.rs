//! The one way a grant is revoked. Every reason a grant ends is a [`Revocation`]; [`revoke`] runs
//! its statement and then ends what was derived from what it ended (a token switched into an
//! organization by `organization_switch` lives only while its source grant and source token do),
//! in the caller's transaction.

use crate::clock::Timestamp;
use crate::db::Tx;
use crate::error::Result;
use crate::ids::{AppId, OrgId, UserId};

/// Why grants end, and which.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Revocation<'a> {
    /// One grant: a replayed code or refresh token, a refresh token revoked (RFC 7009), an
    /// impersonated grant the impersonation decision no longer allows.
    Grant(&'a str),
    /// The grants made from one access token, revoked on its own (RFC 7009).
    DerivedFromToken(&'a str),
    /// The grants of one session that end with it (see [`super::ENDS_WITH_SESSION`]).
    Session(&'a str),
    /// The same, for every session whose lifetime is over.
    ExpiredSessions,
    /// Every grant of a user, except the portal grants of the session `keeping` names.
    User {
        user: &'a UserId,
        keeping: Option<&'a str>,
    },
    /// Every grant of one application (switched off, or an authorization taken away).
    Application(&'a AppId),
    /// The grants in `org` of applications authorized for `scope`, which no longer exists.
    Scope { org: &'a OrgId, scope: &'a str },
    /// Every grant in an organization (deactivated).
    Organization(&'a OrgId),
    /// An application's grants in organizations it is no longer shared with (`owner` keeps its).
    Unshared { app: &'a AppId, owner: &'a OrgId },
    /// A user's grants in `org` that a role of `audience_key` may have contributed to: that
    /// application's, or every one for an organization role.
    RoleMembership {
        org: &'a OrgId,
        audience_key: &'a str,
        user: &'a UserId,
    },
    /// The grants made under the live impersonations matching `condition`, an SQL condition on
    /// `impersonations` where `$1` is the time and `$2` is `parameter`.
    UnderImpersonations {
        condition: &'a str,
        parameter: Option<&'a str>,
    },
}

/// The statement's condition on `oauth_grants` (after `revoked_at IS NULL`) and its text
/// parameters from `$2` on (`$1` is the time).
fn condition<'a>(revocation: &Revocation<'a>) -> (String, Vec<&'a str>) {
    match *revocation {
        Revocation::Grant(id) => ("id = $2".into(), vec![id]),
        Revocation::DerivedFromToken(jti) => ("source_jti = $2".into(), vec![jti]),
        Revocation::Session(hash) => (
            format!("session_hash = $2 AND {}", super::ENDS_WITH_SESSION),
            vec![hash],
        ),
        Revocation::ExpiredSessions => (
            format!(
                "session_hash IN (SELECT id_hash FROM sessions WHERE expires_at <= $1) AND {}",
                super::ENDS_WITH_SESSION
            ),
            vec![],
        ),
        // No session is named "": with nothing kept, everything goes.
        Revocation::User { user, keeping } => (
            "user_id = $2 AND (session_hash IS NULL OR session_hash <> $3 \
             OR app_id NOT IN (SELECT id FROM applications WHERE system_kind IS NOT NULL))"
                .into(),
            vec![user.as_str(), keeping.unwrap_or("")],
        ),
        Revocation::Application(app) => ("app_id = $2".into(), vec![app.as_str()]),
        Revocation::Scope { org, scope } => (
            "org_id = $2 AND app_id IN (SELECT app_id FROM application_authorizations WHERE scope = $3)"
                .into(),
            vec![org.as_str(), scope],
        ),
        Revocation::Organization(org) => ("org_id = $2".into(), vec![org.as_str()]),
        Revocation::Unshared { app, owner } => (
            "app_id = $2 AND org_id <> $3 \
             AND org_id NOT IN (SELECT org_id FROM application_shares WHERE app_id = $2)"
                .into(),
            vec![app.as_str(), owner.as_str()],
        ),
        Revocation::RoleMembership {
            org,
            audience_key,
            user,
        } => (
            "user_id = $2 AND org_id = $3 AND ($4 = $5 OR app_id = $4)".into(),
            vec![
                user.as_str(),
                org.as_str(),
                audience_key,
                crate::permissions::ORGANIZATION_AUDIENCE,
            ],
        ),
        Revocation::UnderImpersonations {
            condition,
            parameter,
        } => (
            format!(
                "impersonation_id IN (SELECT id FROM impersonations WHERE ended_at IS NULL AND {condition})"
            ),
            parameter.into_iter().collect(),
        ),
    }
}

/// Revokes the grants `revocation` names, and every grant derived from a revoked one. Returns how
/// many grants `revocation` itself named.
pub(crate) async fn revoke(tx: &mut Tx, revocation: Revocation<'_>, now: Timestamp) -> Result<u64> {
    let (condition, binds) = condition(&revocation);
    let sql =
        format!("UPDATE oauth_grants SET revoked_at = $1 WHERE revoked_at IS NULL AND {condition}");
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(now.0);
    for bind in binds {
        query = query.bind(bind);
    }
    let named = query.execute(&mut **tx).await?.rows_affected();
    end_derived(tx, now).await?;
    Ok(named)
}

/// How deep `organization_switch` can chain: one step per organization level, which the
/// organization tree bounds far below this.
const MAX_DERIVATION_DEPTH: usize = 16;

/// Ends the grants whose source grant has ended, level by level.
async fn end_derived(tx: &mut Tx, now: Timestamp) -> Result<()> {
    for _ in 0..MAX_DERIVATION_DEPTH {
        let ended = sqlx::query(
            "UPDATE oauth_grants SET revoked_at = $1 WHERE revoked_at IS NULL \
             AND source_grant_id IS NOT NULL AND EXISTS (SELECT 1 FROM oauth_grants s \
             WHERE s.id = oauth_grants.source_grant_id AND s.revoked_at IS NOT NULL)",
        )
        .bind(now.0)
        .execute(&mut **tx)
        .await?
        .rows_affected();
        if ended == 0 {
            break;
        }
    }
    Ok(())
}
