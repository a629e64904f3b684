//! Ending sessions, and what an ending takes with it. Every path that ends a session (sign-out, a new
//! sign-in in the same browser, expiry, a password change, disabling, locking or deleting a user)
//! comes here, so the rule is written once:
//!
//! - **One session ends** (sign-out, rotation by a new sign-in, expiry): the grants obtained through
//!   it end too — the portal grants (Console, My Account) and every application's grant bound to it —
//!   except a business application's grant that carries `offline_access`. The user allowed that one
//!   to outlive the sign-in session (OIDC Core §11), so it keeps its own lifetime.
//! - **The user's credentials or standing change** (password changed, disabled, locked, deleted):
//!   every session of the user ends and every grant of the user is revoked, offline ones included —
//!   a leaked refresh token must not survive the password that protected it. A password changed from
//!   a session keeps that session and its portal grants: its holder just proved the current password,
//!   and those grants never leave the server.

use crate::clock::Timestamp;
use crate::db::Tx;
use crate::error::Result;
use crate::ids::UserId;
use crate::impersonation::records::{self, EndReason, Which};
use crate::oauth::scope::Scope;
use sqlx::any::AnyRow;
use sqlx::Row;

/// The scope that lets a grant outlive its session.
pub const OFFLINE_ACCESS: &str = "offline_access";

pub(crate) mod grants;

use grants::{revoke, Revocation};

/// Which sessions end.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Ending<'a> {
    /// One session, named by the SHA-256 of its token.
    Session(&'a str),
    /// Every session whose lifetime is over.
    Expired,
    /// Every session and grant of a user; `keeping` names a session (SHA-256 of its token) that
    /// stays, with its portal grants.
    User {
        user: &'a UserId,
        keeping: Option<&'a str>,
    },
}

/// Grants that end with their session: the portals' always, any made under an impersonation always
/// (nothing an impersonator obtained outlives the session they obtained it in), another
/// application's unless the user allowed it offline access. [`outlives_session`] is the same rule
/// for one grant in memory.
pub(crate) const ENDS_WITH_SESSION: &str =
    "(app_id IN (SELECT id FROM applications WHERE system_kind IS NOT NULL) \
     OR impersonation_id IS NOT NULL \
     OR (' ' || scope || ' ') NOT LIKE '% offline_access %')";

/// Whether a business application's grant may live on after its session ends (see the module doc).
pub(crate) fn outlives_session(scope: &Scope, portal: bool) -> bool {
    !portal && scope.contains(OFFLINE_ACCESS)
}

/// Joined to a query over `oauth_grants g`, with [`SESSION_COLUMNS`] selected, for
/// [`session_still_holds`].
pub(crate) const SESSION_OF_GRANT: &str = "LEFT JOIN sessions s ON s.id_hash = g.session_hash \
     LEFT JOIN impersonations imp ON imp.id = g.impersonation_id";
/// The session's end (NULL once it is gone), whether the grant is a portal's, and the
/// impersonation it was made under, if any, with that impersonation's limit and end.
pub(crate) const SESSION_COLUMNS: &str = "s.expires_at AS session_expires_at, \
     (SELECT a.system_kind FROM applications a WHERE a.id = g.app_id) AS grant_system_kind, \
     g.impersonation_id AS grant_impersonation_id, imp.expires_at AS impersonation_expires_at, \
     imp.ended_at AS impersonation_ended_at";

/// Whether the grant of `row` (with `scope`, the grant's own) still stands as far as its session
/// goes. Ending a session revokes its grants at once; a session that merely expired is ended by the
/// periodic purge, and until then this check makes its grants dead all the same.
pub(crate) fn session_still_holds(
    row: &AnyRow,
    scope: &Scope,
    now: Timestamp,
) -> std::result::Result<bool, sqlx::Error> {
    let session_live = row
        .try_get::<Option<i64>, _>("session_expires_at")?
        .is_some_and(|end| end > now.0);
    let portal = row
        .try_get::<Option<String>, _>("grant_system_kind")?
        .is_some();
    if row
        .try_get::<Option<String>, _>("grant_impersonation_id")?
        .is_some()
    {
        // Made under an impersonation: it lives only while the impersonation does, within its
        // hard limit, whether or not anything has revoked it yet.
        let impersonation_live = row
            .try_get::<Option<i64>, _>("impersonation_ended_at")?
            .is_none()
            && row
                .try_get::<Option<i64>, _>("impersonation_expires_at")?
                .is_some_and(|end| end > now.0);
        return Ok(session_live && impersonation_live);
    }
    Ok(session_live || outlives_session(scope, portal))
}

/// Ends the sessions `ending` names, with what they take along, in the caller's transaction (so an
/// audited change and its consequences commit together). Returns how many sessions ended.
pub(crate) async fn end(tx: &mut Tx, ending: Ending<'_>, now: Timestamp) -> Result<u64> {
    // An impersonation ends with its session, or with either person's standing; what was minted
    // under it goes with it, offline access or not.
    match ending {
        Ending::Session(hash) => {
            records::end(tx, Which::Session(hash), EndReason::SignedOut, now).await?;
        }
        Ending::Expired => {
            records::end(tx, Which::OverLimit, EndReason::TimeLimit, now).await?;
            records::end(tx, Which::SessionsExpired, EndReason::SessionExpired, now).await?;
        }
        Ending::User { user, .. } => {
            records::end(tx, Which::OfUser(user), EndReason::AccountChanged, now).await?;
        }
    }
    let ended = match ending {
        Ending::Session(session_hash) => {
            revoke(tx, Revocation::Session(session_hash), now).await?;
            sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
                .bind(session_hash)
                .execute(&mut **tx)
                .await?
        }
        Ending::Expired => {
            revoke(tx, Revocation::ExpiredSessions, now).await?;
            sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
                .bind(now.0)
                .execute(&mut **tx)
                .await?
        }
        Ending::User { user, keeping } => {
            revoke(tx, Revocation::User { user, keeping }, now).await?;
            sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2")
                .bind(user.as_str())
                .bind(keeping.unwrap_or(""))
                .execute(&mut **tx)
                .await?
        }
    };
    Ok(ended.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::outlives_session;
    use crate::oauth::scope::Scope;

    #[test]
    fn only_a_business_grant_with_offline_access_outlives_its_session() {
        let offline = Scope::from_stored("openid offline_access");
        assert!(outlives_session(&offline, false));
        assert!(!outlives_session(&offline, true));
        assert!(!outlives_session(&Scope::from_stored("openid"), false));
    }
}
