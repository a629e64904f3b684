//! The Console: administrators manage the organization.

pub mod layout;
pub mod user_new;
pub mod user_page;
pub mod users_list;
