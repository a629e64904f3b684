//! May X become Y? The one decision behind every impersonation: the Console's **Impersonate User**,
//! a business application's subject token and its token exchange, and every application an
//! impersonation session signs into afterwards. Guise's guardrails go beyond the privilege ceiling
//! that bounds every change to a user:
//!
//! - never oneself, a user of another organization, or an inactive (locked, disabled) user;
//! - never a user holding any Console administration scope, or any impersonation scope (the
//!   Impersonator role): impersonating them would hand the impersonator powers to wield as
//!   someone else, with someone else's name in the logs;
//! - only where the impersonator holds `internal_user_impersonate` for the application, through a
//!   role, and the application is authorized for it;
//! - and within the ceiling: the impersonator holds every system scope the user holds.
//!
//! One subject per SSO session and no chaining are kept by [`crate::impersonation`], which binds an
//! impersonation to its session.

pub use super::refusals::Refusal;
use super::{Holdings, SystemScopes};
use crate::applications::Application;
use crate::error::Result;
use crate::ids::{OrgId, UserId};
use crate::oauth::scope::granted_for_app;
use crate::oauth::OAuthError;
use crate::organizations::{members::is_member, sharing::is_shared_with, tree::is_root};
use crate::permissions::{scopes, ORGANIZATION_AUDIENCE};
use crate::users::{self, User, UserStatus};
use sqlx::AnyConnection;

impl Refusal {
    /// The OAuth error for the refusal (wire contract: an inactive user is `access_denied`, a
    /// second subject `invalid_request`).
    pub fn oauth_error(self) -> OAuthError {
        match self {
            Self::SecondSubject | Self::Chaining => OAuthError::invalid_request(self.message()),
            // OpenID Connect's answer when the user must authenticate again: the client sends
            // them back with `prompt=login` (or `max_age`).
            Self::StepUpRequired => OAuthError::login_required(self.message()),
            _ => OAuthError::access_denied(self.message()),
        }
    }
}

/// The scope that lets a role's holders impersonate in `org`: `internal_user_impersonate` in the
/// root organization, `internal_org_user_impersonate` in every organization below it (the
/// contract's two API resources).
pub(crate) async fn impersonation_scope_in(
    conn: &mut AnyConnection,
    org: &OrgId,
) -> Result<&'static str> {
    Ok(if is_root(conn, org).await? {
        scopes::USER_IMPERSONATE
    } else {
        scopes::ORG_USER_IMPERSONATE
    })
}

/// Decides whether `actor` may act as `target` through `via`, in organization `org`; returns the
/// target when allowed, else [`Error::ImpersonationRefused`]. Read on `conn`, so a caller about to
/// write decides against what its transaction sees.
pub(crate) async fn ensure_may_impersonate(
    conn: &mut AnyConnection,
    actor: &UserId,
    org: &OrgId,
    target: &UserId,
    via: &Application,
) -> Result<User> {
    if actor == target {
        return Err(Refusal::Yourself.into());
    }
    if let Some(paused) = crate::impersonation::pause::refusal(conn, org).await? {
        return Err(paused.into());
    }
    // Both ends are the organization's own users: an invited parent user neither impersonates
    // here nor is impersonated here (the guide's limitations).
    if users::find_in(conn, org, actor).await?.is_none() {
        return Err(Refusal::InvitedImpersonator.into());
    }
    if !is_shared_with(conn, via, org).await? {
        return Err(Refusal::NotShared.into());
    }
    let needed = impersonation_scope_in(conn, org).await?;
    let granted = granted_for_app(conn, via, actor, org).await?;
    if !granted.iter().any(|s| s == needed) {
        return Err(Refusal::NotPermittedHere.into());
    }
    // Only then is the user looked up: nobody without the right learns who exists.
    let Some(user) = users::find_in(conn, org, target).await? else {
        return Err(if is_member(conn, target, org).await? {
            Refusal::InvitedSubject
        } else {
            Refusal::OtherOrganization
        }
        .into());
    };
    if user.status != UserStatus::Active {
        return Err(Refusal::Inactive.into());
    }
    let system = SystemScopes::load(conn).await?;
    let theirs = Holdings::load_everywhere(conn, target, &system).await?;
    if is_privileged(&system, &theirs) {
        return Err(Refusal::Privileged.into());
    }
    // The ceiling ([`super::ensure_for`]'s rule), on what was just read.
    let mine = Holdings::load(conn, org, actor, &system).await?;
    let missing = mine.missing(&system, &theirs);
    if !missing.is_empty() {
        tracing::info!(%actor, %target, ?missing, "impersonation refused by the privilege ceiling");
        return Err(Refusal::AboveCeiling.into());
    }
    Ok(user)
}

/// Holds a Console administration scope for the Console (or the whole organization), or an
/// impersonation scope for any audience.
fn is_privileged(system: &SystemScopes, holdings: &Holdings) -> bool {
    let administers = scopes::CONSOLE_ADMINISTRATOR
        .iter()
        .any(|s| holdings.holds_for(system, s, ORGANIZATION_AUDIENCE));
    administers || holdings.holds_any(scopes::IMPERSONATOR)
}
