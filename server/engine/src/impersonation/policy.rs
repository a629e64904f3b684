//! An organization's impersonation guardrails (**Login & Registration > Organization settings >
//! Impersonation**): how fresh the impersonator's sign-in must be when an impersonation starts, and
//! whether it must have used a second factor. No stored row is the safe default.

use crate::access::ConsoleAdmin;
use crate::audit::{self, actions, AuditEvent};
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::ids::OrgId;
use crate::permissions::Permission;
use crate::Engine;
use serde_json::json;
use sqlx::AnyConnection;

/// The step-up window by default, in minutes.
pub const DEFAULT_STEP_UP_MINUTES: i64 = 5;
/// The longest window an organization may set: a day.
pub const MAX_STEP_UP_MINUTES: i64 = 24 * 60;

/// When the fresh sign-in must include a second factor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepUpFactor {
    /// When the impersonator has one (an authenticator app).
    IfEnrolled,
    /// Always: an impersonator without one cannot start an impersonation.
    Always,
}

impl StepUpFactor {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::IfEnrolled => "if_enrolled",
            Self::Always => "always",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::IfEnrolled, Self::Always]
            .into_iter()
            .find(|f| f.as_str() == s)
    }
}

/// An organization's impersonation guardrails.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImpersonationPolicy {
    /// The impersonator must have signed in (or confirmed who they are) within this many minutes;
    /// 0 turns the step-up off.
    pub step_up_minutes: i64,
    pub step_up_second_factor: StepUpFactor,
}

impl Default for ImpersonationPolicy {
    fn default() -> Self {
        Self {
            step_up_minutes: DEFAULT_STEP_UP_MINUTES,
            step_up_second_factor: StepUpFactor::IfEnrolled,
        }
    }
}

/// The policy of `org` (the defaults when it never set one).
pub(crate) async fn load(conn: &mut AnyConnection, org: &OrgId) -> Result<ImpersonationPolicy> {
    let row: Option<(i64, String)> = sqlx::query_as(
        "SELECT step_up_minutes, step_up_second_factor FROM impersonation_policies WHERE org_id = $1",
    )
    .bind(org.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(match row {
        None => ImpersonationPolicy::default(),
        Some((minutes, factor)) => ImpersonationPolicy {
            step_up_minutes: minutes,
            // A value this version does not know is the stricter one.
            step_up_second_factor: StepUpFactor::parse(&factor).unwrap_or(StepUpFactor::Always),
        },
    })
}

impl Engine {
    /// The organization's impersonation policy. Needs `internal_config_view`.
    pub async fn impersonation_policy(&self, admin: &ConsoleAdmin) -> Result<ImpersonationPolicy> {
        admin.require(Permission::ConfigView)?;
        let mut conn = self.db.pool().acquire().await?;
        load(&mut conn, admin.org()).await
    }

    /// Changes the organization's impersonation policy. Needs `internal_config_update`; audited.
    pub async fn update_impersonation_policy(
        &self,
        admin: &ConsoleAdmin,
        policy: ImpersonationPolicy,
        now: Timestamp,
    ) -> Result<ImpersonationPolicy> {
        admin.require(Permission::ConfigUpdate)?;
        if !(0..=MAX_STEP_UP_MINUTES).contains(&policy.step_up_minutes) {
            return Err(Error::invalid(
                "step_up_minutes",
                format!("Enter a number of minutes from 0 (off) to {MAX_STEP_UP_MINUTES}."),
            ));
        }
        let mut tx = self.db.begin().await?;
        sqlx::query(
            "INSERT INTO impersonation_policies (org_id, step_up_minutes, step_up_second_factor, updated_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (org_id) DO UPDATE SET \
             step_up_minutes = excluded.step_up_minutes, \
             step_up_second_factor = excluded.step_up_second_factor, updated_at = excluded.updated_at",
        )
        .bind(admin.org().as_str())
        .bind(policy.step_up_minutes)
        .bind(policy.step_up_second_factor.as_str())
        .bind(now.0)
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            AuditEvent::by_admin(
                admin,
                actions::UPDATE_IMPERSONATION_CONFIG,
                admin.org().as_str(),
                json!({
                    "stepUpMinutes": policy.step_up_minutes,
                    "stepUpSecondFactor": policy.step_up_second_factor.as_str(),
                }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(policy)
    }
}
