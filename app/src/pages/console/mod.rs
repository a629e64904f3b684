//! The Console: administrators manage the organization.

pub mod application_api_authorization;
pub mod application_roles;
pub mod layout;
pub mod user_new;
pub mod user_page;
pub mod users_list;
