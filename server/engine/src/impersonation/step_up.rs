//! Step-up: starting an impersonation needs a fresh proof of who the impersonator is — a sign-in
//! (or a confirmation in the Console) within the organization's window, with the second factor
//! when the policy asks for it. Decided where an impersonation starts — the Console, a subject
//! token, a token exchange — never when one goes on (it was proven at its start).

use super::justification::{self, Asked};
use super::policy::{self, ImpersonationPolicy, StepUpFactor};
use crate::ceiling::refusals::Refusal;
use crate::clock::Timestamp;
use crate::error::Result;
use crate::factors::{store, SignInMethod};
use crate::ids::{OrgId, UserId};
use sqlx::AnyConnection;

/// How the impersonator last proved who they are.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Proof {
    pub auth_time: Timestamp,
    pub method: SignInMethod,
}

/// Why `actor` may not start an impersonation under `policy` with `proof` now, if they may not.
async fn refusal(
    conn: &mut AnyConnection,
    policy: &ImpersonationPolicy,
    actor: &UserId,
    proof: Proof,
    now: Timestamp,
) -> Result<Option<Refusal>> {
    if policy.step_up_minutes == 0 {
        return Ok(None);
    }
    let enrolled = store::second_factors(conn, actor).await?.any();
    let needs_factor = enrolled || policy.step_up_second_factor == StepUpFactor::Always;
    if needs_factor && !enrolled {
        return Ok(Some(Refusal::SecondFactorNeeded));
    }
    if now.0 - proof.auth_time.0 > policy.step_up_minutes * 60 {
        return Ok(Some(Refusal::StepUpRequired));
    }
    if needs_factor && !proof.method.is_multi_factor() {
        return Ok(Some(Refusal::StepUpRequired));
    }
    Ok(None)
}

/// The decision for starting an impersonation: the guardrails
/// ([`ensure_may_impersonate`](crate::ceiling::impersonation::ensure_may_impersonate)), then the
/// step-up, judged at `at` (the moment the start was asked for), then the reason and ticket id
/// when given (field errors on `reason` and `ticket`). Every start path runs it: the
/// Console, the subject token, the token exchange.
pub(crate) async fn ensure_may_start(
    conn: &mut AnyConnection,
    start: Start<'_>,
    at: Timestamp,
) -> Result<crate::users::User> {
    let user = crate::ceiling::impersonation::ensure_may_impersonate(
        conn,
        start.actor,
        start.org,
        start.target,
        start.via,
    )
    .await?;
    let policy = policy::load(conn, start.org).await?;
    if let Some(refused) = refusal(conn, &policy, start.actor, start.proof, at).await? {
        return Err(refused.into());
    }
    if let Asked::Given(given) = start.justification {
        justification::check(&policy, given)?;
    }
    Ok(user)
}

/// Who would start impersonating whom, where, through which application, proven how.
pub(crate) struct Start<'a> {
    pub actor: &'a UserId,
    pub org: &'a OrgId,
    pub target: &'a UserId,
    pub via: &'a crate::applications::Application,
    pub proof: Proof,
    pub justification: Asked<'a>,
}
