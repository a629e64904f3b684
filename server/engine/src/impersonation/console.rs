//! The Console's **Impersonate User**, **Stop impersonating**, and the record of who impersonated
//! whom. The Console starts an impersonation through My Account: the same decision
//! ([`ceiling::impersonation`]) and the same session binding ([`records::begin`]) as a business
//! application's token exchange.

use super::justification::{Asked, Justification};
use super::records::{self, Begin, EndReason, Which};
use super::step_up::{ensure_may_start, Proof, Start};
use crate::access::ConsoleAdmin;
use crate::applications::Application;
use crate::ceiling::impersonation::Refusal;
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::factors::SignInMethod;
use crate::ids::UserId;
use crate::permissions::Permission;
use crate::permissions::MY_ACCOUNT_APP;
use crate::principal::{Impersonating, Principal};
use crate::Engine;

/// An impersonation that has started (or was already running for the same user).
#[derive(Clone, Debug)]
pub struct Started {
    pub subject: UserId,
    pub impersonating: Impersonating,
}

/// One impersonation session, as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImpersonationRecord {
    pub id: String,
    pub impersonator_id: UserId,
    pub impersonator_username: Option<String>,
    pub subject_id: UserId,
    pub subject_username: Option<String>,
    pub started_at: Timestamp,
    pub expires_at: Timestamp,
    pub ended_at: Option<Timestamp>,
    pub end_reason: Option<EndReason>,
    /// Why, and the ticket id, as the impersonator gave them.
    pub reason: Option<String>,
    pub ticket: Option<String>,
    /// Names of the applications it signed into, in the order it entered them.
    pub applications: Vec<String>,
}

impl Engine {
    /// Whether the administrator may impersonate `target` from the Console now: `Ok(())`, or
    /// [`Error::ImpersonationRefused`] with the reason to show beside a disabled button.
    pub async fn may_impersonate_from_console(
        &self,
        admin: &ConsoleAdmin,
        target: &UserId,
        now: Timestamp,
    ) -> Result<()> {
        self.console_decision(admin, target, Asked::NotYet, now)
            .await
            .map(|_| ())
    }

    /// The one decision behind the button and the start: the administrator may view users, is
    /// not impersonating already, My Account is on, and the guardrails allow `target` through it.
    /// Made on a pool connection, outside any write transaction (SQLite's one writer is held only
    /// for the writes); every sign-in the impersonation makes decides again. Returns My Account.
    async fn console_decision(
        &self,
        admin: &ConsoleAdmin,
        target: &UserId,
        justification: Asked<'_>,
        now: Timestamp,
    ) -> Result<Application> {
        admin.require(Permission::UserView)?;
        let principal = admin.principal();
        if principal.actor().is_some() {
            return Err(Refusal::Chaining.into());
        }
        let my_account = self.system_application(MY_ACCOUNT_APP).await?;
        if !my_account.enabled {
            return Err(Refusal::MyAccountDisabled.into());
        }
        let mut conn = self.db.pool().acquire().await?;
        let start = Start {
            actor: principal.user_id(),
            // The Console's organization: a child organization's, once switched to.
            org: admin.org(),
            target,
            via: &my_account,
            proof: Proof {
                auth_time: principal.auth_time(),
                method: principal.sign_in_method().unwrap_or(SignInMethod::Password),
            },
            justification,
        };
        ensure_may_start(&mut conn, start, now).await?;
        Ok(my_account)
    }

    /// **Impersonate User**: the administrator's SSO session becomes an impersonation session
    /// for `target`, through My Account. The browser then opens My Account, which signs in as the
    /// user with the administrator as the actor. Needs `internal_user_mgt_view` (the user's page)
    /// and the Impersonator role.
    #[tracing::instrument(name = "impersonate", skip_all)]
    pub async fn impersonate_from_console(
        &self,
        admin: &ConsoleAdmin,
        target: &UserId,
        justification: &Justification,
        now: Timestamp,
    ) -> Result<Started> {
        let principal = admin.principal();
        // Only a browser session becomes an impersonation session.
        let Some(session_hash) = principal.session_hash() else {
            return Err(Error::Unauthenticated);
        };
        let decided = self
            .console_decision(admin, target, Asked::Given(justification), now)
            .await;
        let my_account = match decided {
            Ok(app) => app,
            Err(Error::ImpersonationRefused(refusal)) => {
                crate::audit::impersonation::refused(
                    &self.db,
                    crate::audit::impersonation::Attempt {
                        org: admin.org(),
                        impersonator: principal.acting_user(),
                        subject: target.as_str(),
                        via_client_id: MY_ACCOUNT_APP,
                        request: principal.request(),
                    },
                    refusal.message(),
                    now,
                )
                .await?;
                return Err(refusal.into());
            }
            Err(e) => return Err(e),
        };
        let mut tx = self.db.begin().await?;
        records::hold_session(&mut tx, session_hash).await?;
        let live = records::begin(
            &mut tx,
            Begin {
                session_hash,
                org: admin.org(),
                impersonator: principal.user_id(),
                subject: target,
                via: &my_account,
                limit_secs: self.settings.impersonation_limit_secs,
                request: principal.request(),
                justification,
            },
            now,
        )
        .await?;
        tx.commit().await?;
        tracing::info!(impersonator = %principal.user_id(), subject = %target, "impersonation started");
        Ok(Started {
            subject: live.subject.clone(),
            impersonating: live.reference(),
        })
    }

    /// **Stop impersonating**: ends the session's impersonation and revokes everything minted
    /// under it; the session is the administrator's own again (their Console sign-in was never
    /// touched). Returns whom they impersonated, `None` when the session was not impersonating.
    #[tracing::instrument(name = "stop_impersonating", skip_all)]
    pub async fn stop_impersonating(
        &self,
        principal: &Principal,
        now: Timestamp,
    ) -> Result<Option<UserId>> {
        let (Some(_), Some(session_hash)) = (principal.impersonating(), principal.session_hash())
        else {
            return Ok(None);
        };
        let mut tx = self.db.begin().await?;
        records::end(
            &mut tx,
            Which::Session(session_hash),
            EndReason::Stopped,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(Some(principal.user_id().clone()))
    }

    /// The impersonation sessions in which `user` was the impersonator or the impersonated user,
    /// newest first. Needs `internal_user_mgt_view`.
    pub async fn impersonation_history(
        &self,
        admin: &ConsoleAdmin,
        user: &UserId,
    ) -> Result<Vec<ImpersonationRecord>> {
        admin.require(Permission::UserView)?;
        super::history::records_of(
            &self.db,
            admin.org(),
            user,
            super::history::Role::EitherSide,
        )
        .await
    }
}
