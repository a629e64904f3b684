//! An organization's impersonation guardrails (**Login & Registration > Organization settings >
//! Impersonation**): how fresh the impersonator's sign-in must be when an impersonation starts,
//! whether it must have used a second factor, and whether a reason (and a ticket id of a given
//! shape) must be given. No stored row is the safe default.

use crate::access::ConsoleAdmin;
use crate::audit::{self, actions, AuditEvent};
use crate::clock::Timestamp;
use crate::error::Result;
use crate::ids::OrgId;
use crate::permissions::Permission;
use crate::validation::Checks;
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

/// Whether the impersonator says why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReasonPolicy {
    /// Not asked (what is given anyway is kept).
    Off,
    Optional,
    Required,
}

impl ReasonPolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Off => "off",
            Self::Optional => "optional",
            Self::Required => "required",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Off, Self::Optional, Self::Required]
            .into_iter()
            .find(|r| r.as_str() == s)
    }
}

/// An organization's impersonation guardrails.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImpersonationPolicy {
    /// The impersonator must have signed in (or confirmed who they are) within this many minutes;
    /// 0 turns the step-up off.
    pub step_up_minutes: i64,
    pub step_up_second_factor: StepUpFactor,
    pub reason: ReasonPolicy,
    /// A regular expression a ticket id must match as a whole; with a required reason, a ticket
    /// id is required too.
    pub ticket_pattern: Option<String>,
    /// The organization's own hard limit of an impersonation, in minutes; `None` for the
    /// deployment's, which it never exceeds.
    pub hard_limit_minutes: Option<i64>,
}

impl Default for ImpersonationPolicy {
    fn default() -> Self {
        Self {
            step_up_minutes: DEFAULT_STEP_UP_MINUTES,
            step_up_second_factor: StepUpFactor::IfEnrolled,
            reason: ReasonPolicy::Off,
            ticket_pattern: None,
            hard_limit_minutes: None,
        }
    }
}

/// The longest ticket pattern accepted.
const MAX_PATTERN_CHARS: usize = 200;

/// `pattern` compiled to match a ticket id as a whole.
pub(crate) fn ticket_regex(pattern: &str) -> Option<regex::Regex> {
    regex::RegexBuilder::new(&format!("^(?:{pattern})$"))
        .size_limit(1 << 16)
        .build()
        .ok()
}

/// A stored policy row: step-up minutes and second factor, reason, ticket pattern, hard limit.
type StoredPolicy = (i64, String, String, Option<String>, Option<i64>);

/// The policy of `org` (the defaults when it never set one).
pub(crate) async fn load(conn: &mut AnyConnection, org: &OrgId) -> Result<ImpersonationPolicy> {
    let row: Option<StoredPolicy> = sqlx::query_as(
        "SELECT step_up_minutes, step_up_second_factor, reason_policy, ticket_pattern, \
         hard_limit_minutes FROM impersonation_policies WHERE org_id = $1",
    )
    .bind(org.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(match row {
        None => ImpersonationPolicy::default(),
        // A value this version does not know is the stricter one.
        Some((minutes, factor, reason, ticket_pattern, hard_limit_minutes)) => {
            ImpersonationPolicy {
                step_up_minutes: minutes,
                step_up_second_factor: StepUpFactor::parse(&factor).unwrap_or(StepUpFactor::Always),
                reason: ReasonPolicy::parse(&reason).unwrap_or(ReasonPolicy::Required),
                ticket_pattern,
                hard_limit_minutes,
            }
        }
    })
}

impl Engine {
    /// The deployment's hard limit of an impersonation (`GUISE_IMPERSONATION_MINUTES`), which no
    /// organization's exceeds.
    pub fn deployment_impersonation_minutes(&self) -> i64 {
        self.settings.impersonation_limit_secs / 60
    }

    /// The organization's impersonation policy. Needs `internal_config_view`.
    pub async fn impersonation_policy(&self, admin: &ConsoleAdmin) -> Result<ImpersonationPolicy> {
        admin.require(Permission::ConfigView)?;
        let mut conn = self.db.pool().acquire().await?;
        load(&mut conn, admin.org()).await
    }

    /// What **Impersonate User** must ask in the Console's organization: the policy, for anyone who
    /// may open a user's page (`internal_user_mgt_view`).
    pub async fn impersonation_asks(&self, admin: &ConsoleAdmin) -> Result<ImpersonationPolicy> {
        admin.require(Permission::UserView)?;
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
        let policy = ImpersonationPolicy {
            ticket_pattern: policy
                .ticket_pattern
                .map(|p| p.trim().to_owned())
                .filter(|p| !p.is_empty()),
            ..policy
        };
        let mut checks = Checks::default();
        if !(0..=MAX_STEP_UP_MINUTES).contains(&policy.step_up_minutes) {
            checks.add(
                "step_up_minutes",
                format!("Enter a number of minutes from 0 (off) to {MAX_STEP_UP_MINUTES}."),
            );
        }
        let deployment = self.settings.impersonation_limit_secs / 60;
        if policy
            .hard_limit_minutes
            .is_some_and(|m| !(1..=deployment).contains(&m))
        {
            checks.add(
                "hard_limit_minutes",
                format!("Enter a number of minutes from 1 to this deployment's limit, {deployment}; leave it empty for {deployment}."),
            );
        }
        if let Some(pattern) = &policy.ticket_pattern {
            if pattern.chars().count() > MAX_PATTERN_CHARS || ticket_regex(pattern).is_none() {
                checks.add(
                    "ticket_pattern",
                    format!("Enter a regular expression of at most {MAX_PATTERN_CHARS} characters, such as SUP-[0-9]+."),
                );
            }
        }
        checks.finish()?;
        let mut tx = self.db.begin().await?;
        sqlx::query(
            "INSERT INTO impersonation_policies (org_id, step_up_minutes, step_up_second_factor, \
             reason_policy, ticket_pattern, hard_limit_minutes, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (org_id) DO UPDATE SET step_up_minutes = excluded.step_up_minutes, \
             step_up_second_factor = excluded.step_up_second_factor, \
             reason_policy = excluded.reason_policy, ticket_pattern = excluded.ticket_pattern, \
             hard_limit_minutes = excluded.hard_limit_minutes, updated_at = excluded.updated_at",
        )
        .bind(admin.org().as_str())
        .bind(policy.step_up_minutes)
        .bind(policy.step_up_second_factor.as_str())
        .bind(policy.reason.as_str())
        .bind(policy.ticket_pattern.as_deref())
        .bind(policy.hard_limit_minutes)
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
                    "reason": policy.reason.as_str(),
                    "ticketPattern": policy.ticket_pattern,
                    "hardLimitMinutes": policy.hard_limit_minutes,
                }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(policy)
    }
}
