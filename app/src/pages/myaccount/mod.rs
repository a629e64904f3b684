//! My Account: every signed-in user's own portal.

pub mod activity;
pub mod applications;
pub mod home;
pub mod impersonation_banner;
pub mod layout;
pub mod password;
pub mod profile;
