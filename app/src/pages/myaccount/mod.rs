//! My Account: every signed-in user's own portal.

pub mod layout;
pub mod password;
pub mod profile;
