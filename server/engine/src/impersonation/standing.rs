//! Whether an impersonation may go on where it has reached. The decision that started it
//! ([`ensure_may_impersonate`]) is made again whenever the impersonation would go further (a
//! refresh, an organization switch, a sign-in into another application) and whenever who may
//! impersonate whom changes (a role, its scopes or holders, an application's API authorization,
//! sharing): what it no longer allows ends at once, not at Stop or the hard limit.

use crate::applications::Application;
use crate::ceiling::impersonation::{ensure_may_impersonate, Refusal};
use crate::clock::Timestamp;
use crate::db::Tx;
use crate::error::{Error, Result};
use crate::ids::{AppId, OrgId, UserId};
use crate::session_end::grants::{self as ending, Revocation};
use crate::Engine;
use sqlx::{AnyConnection, Row};
use std::collections::btree_map::{BTreeMap, Entry};

/// Who acts as whom, where, in a live impersonation.
struct Parties {
    impersonator: UserId,
    subject: UserId,
    org: OrgId,
}

/// The live impersonation's parties; `None` once it has ended or passed its limit.
async fn live_parties(
    conn: &mut AnyConnection,
    impersonation_id: &str,
    now: Timestamp,
) -> Result<Option<Parties>> {
    let row = sqlx::query(
        "SELECT impersonator_id, subject_id, org_id FROM impersonations \
         WHERE id = $1 AND ended_at IS NULL AND expires_at > $2",
    )
    .bind(impersonation_id)
    .bind(now.0)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| -> Result<Parties> {
        Ok(Parties {
            impersonator: UserId::from_db(r.try_get("impersonator_id")?),
            subject: UserId::from_db(r.try_get("subject_id")?),
            org: OrgId::from_db(r.try_get("org_id")?),
        })
    })
    .transpose()
}

/// Why the impersonation may not act through `via`, if it may not: the one decision, for the
/// organization the impersonation started in (what the user holds everywhere, the organizations
/// they were invited into included, is measured against what the impersonator holds there).
pub(crate) async fn refusal(
    conn: &mut AnyConnection,
    impersonation_id: &str,
    via: &Application,
    now: Timestamp,
) -> Result<Option<Refusal>> {
    let Some(parties) = live_parties(conn, impersonation_id, now).await? else {
        // Ended: nothing made under it stands anyway (see `session_end::session_still_holds`).
        return Ok(Some(Refusal::NotPermittedHere));
    };
    match ensure_may_impersonate(
        conn,
        &parties.impersonator,
        &parties.org,
        &parties.subject,
        via,
    )
    .await
    {
        Ok(_) => Ok(None),
        Err(Error::ImpersonationRefused(refusal)) => Ok(Some(refusal)),
        Err(e) => Err(e),
    }
}

impl Engine {
    /// Decides again, in the transaction that changed who may impersonate whom, every live grant
    /// made under an impersonation, and revokes those the decision no longer allows. Returns how
    /// many it revoked. Live impersonations are few (each has a hard limit), so this reads little.
    pub(crate) async fn end_impersonated_grants_no_longer_allowed(
        &self,
        tx: &mut Tx,
        now: Timestamp,
    ) -> Result<u64> {
        let grants: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT g.id, g.impersonation_id, g.app_id FROM oauth_grants g \
             JOIN impersonations i ON i.id = g.impersonation_id \
             WHERE g.revoked_at IS NULL AND i.ended_at IS NULL AND i.expires_at > $1",
        )
        .bind(now.0)
        .fetch_all(&mut **tx)
        .await?;
        // One decision per impersonation and application, each application read once: a
        // sign-in session holds several grants of the same pair (every refresh of an SSO code).
        let mut applications: BTreeMap<String, Application> = BTreeMap::new();
        let mut decided: BTreeMap<(String, String), Option<Refusal>> = BTreeMap::new();
        let mut revoked = 0;
        for (grant, impersonation, app) in grants {
            let pair = (impersonation, app);
            let why = match decided.get(&pair) {
                Some(why) => *why,
                None => {
                    let via = match applications.entry(pair.1.clone()) {
                        Entry::Occupied(read) => read.into_mut(),
                        Entry::Vacant(unread) => {
                            let id = AppId::from_db(pair.1.clone());
                            unread.insert(self.application_on(tx, &id).await?)
                        }
                    };
                    let why = refusal(tx, &pair.0, via, now).await?;
                    decided.insert(pair.clone(), why);
                    why
                }
            };
            let impersonation = &pair.0;
            if let Some(why) = why {
                tracing::info!(%grant, %impersonation, ?why, "impersonated grant no longer allowed: revoked");
                revoked += ending::revoke(tx, Revocation::Grant(&grant), now).await?;
            }
        }
        Ok(revoked)
    }
}
