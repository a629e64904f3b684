//! Administering is the impersonator's own work, never done as someone else: a principal acting as
//! another user is not in the Console. The one decision, run by the Console's sign-in and by every
//! Console call (a Console tab left open while another tab impersonates is paused by it). A module
//! of its own: the access checks ask it, and it asks nothing of them.

use super::refusals::Refusal;
use crate::error::Result;
use crate::principal::Principal;

pub(crate) fn ensure_may_administer(principal: &Principal) -> Result<()> {
    match principal.impersonating() {
        Some(_) => Err(Refusal::ConsoleWhileImpersonating.into()),
        None => Ok(()),
    }
}
