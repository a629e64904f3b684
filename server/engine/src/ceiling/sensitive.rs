//! May an impersonated principal change this? The one sensitive-operation policy. Someone acting
//! as a user (impersonation) acts with the user's rights, never with the user's say over their
//! own account: how it is signed into and recovered, what it is called, whether it exists, and
//! what the user has consented to stay the user's. Every write path asks here with what it is
//! about to change (My Account, `/scim2/Me`, `/scim2/Users/{id}`, the Console, the ceiling), so a
//! new path cannot forget a field that another path refuses.

use crate::error::{Error, Result};
use crate::ids::UserId;
use crate::principal::Principal;

pub use super::refusals::Sensitive;

/// Refuses the first of `changes` when `principal` is someone impersonating `target` (the subject
/// of the impersonation is the account changed). Acting on another user is the ceiling's
/// question, not this one's.
pub fn ensure_allowed(principal: &Principal, target: &UserId, changes: &[Sensitive]) -> Result<()> {
    if principal.actor().is_none() || principal.user_id() != target {
        return Ok(());
    }
    match changes.first() {
        Some(&change) => Err(Error::NotWhileImpersonating(change)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Timestamp;
    use crate::ids::OrgId;
    use crate::principal::Impersonating;

    fn user(n: u8) -> UserId {
        UserId::from_db(format!("00000000-0000-4000-8000-00000000000{n}"))
    }

    fn session(of: UserId) -> Principal {
        Principal::of_session(
            of,
            OrgId::from_db("00000000-0000-4000-8000-0000000000aa".into()),
            "olga".into(),
            "hash".into(),
            Timestamp(0),
            crate::factors::SignInMethod::Password,
        )
    }

    fn impersonating(subject: UserId, by: UserId) -> Principal {
        Principal::of_impersonation(
            session(subject),
            by,
            Impersonating {
                id: "imp".into(),
                started_at: Timestamp(0),
                expires_at: Timestamp(900),
            },
        )
    }

    #[test]
    fn an_impersonator_never_changes_the_subjects_sensitive_attributes() {
        let p = impersonating(user(1), user(2));
        for change in [
            Sensitive::Credentials,
            Sensitive::Email,
            Sensitive::Username,
            Sensitive::ExternalId,
            Sensitive::Status,
            Sensitive::Deletion,
            Sensitive::ActivityView,
            Sensitive::SecondFactors,
        ] {
            let e = ensure_allowed(&p, &user(1), &[change]).unwrap_err();
            assert!(matches!(e, Error::NotWhileImpersonating(c) if c == change));
        }
        assert!(ensure_allowed(&p, &user(1), &[]).is_ok());
    }

    #[test]
    fn the_user_themself_and_other_targets_are_not_this_policys_question() {
        assert!(ensure_allowed(&session(user(1)), &user(1), &[Sensitive::Email]).is_ok());
        let p = impersonating(user(1), user(2));
        assert!(ensure_allowed(&p, &user(3), &[Sensitive::Email]).is_ok());
    }
}
