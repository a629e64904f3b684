//! User impersonation. An administrator holding the Impersonator role (or a business application,
//! through a subject token and the RFC 8693 token exchange) makes their SSO session an
//! *impersonation session* for one user. From then on the session's principal is that user, with the
//! administrator as the real actor: every sign-in the session makes is the user's, every token says
//! who really acts (`act`), and every engine write and audit event reads the actor from the
//! principal.
//!
//! Whether someone may be impersonated at all is decided in one place,
//! [`crate::ceiling::impersonation`]. This module keeps the sessions: one subject per SSO session,
//! a hard time limit, and an end (stop, limit, sign-out) that revokes everything minted under it
//! and gives the administrator their own session back.

mod activity;
mod console;
pub(crate) mod end_reason;
mod entry;
mod history;
pub mod justification;
mod kill_switch;
mod my_account;
pub(crate) mod pause;
pub mod policy;
pub(crate) mod records;
pub(crate) mod standing;
pub(crate) mod step_up;

pub use activity::{AccountImpersonation, ChangeMade};
pub use console::{ImpersonationRecord, Started};
pub use justification::Justification;
pub use kill_switch::KillSwitch;
pub use my_account::ImpersonationView;
pub use records::EndReason;
