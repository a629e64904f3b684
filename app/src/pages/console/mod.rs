//! The Console: administrators manage the organization.

pub mod api_resource_new;
pub mod api_resource_page;
pub mod api_resources_list;
pub mod api_scopes_editor;
pub mod application_advanced;
pub mod application_api_authorization;
pub mod application_general;
pub mod application_my_account;
pub mod application_new;
pub mod application_page;
pub mod application_protocol;
pub mod application_roles;
pub mod applications_list;
pub mod console_settings;
pub mod layout;
pub mod logs;
pub mod permissions_picker;
pub mod role_new;
pub mod role_page;
pub mod role_users;
pub mod roles_list;
pub mod user_impersonate;
pub mod user_impersonations;
pub mod user_new;
pub mod user_page;
pub mod users_list;
