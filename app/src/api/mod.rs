//! Server functions: each establishes the caller, calls one engine function, and maps the result.

pub mod account;
pub mod account_activity;
pub mod console_administrators;
pub mod console_api_resources;
pub mod console_application_sharing;
pub mod console_applications;
pub mod console_email_outbox;
pub mod console_email_templates;
pub mod console_impersonation;
pub mod console_impersonation_settings;
pub mod console_logs;
pub mod console_organizations;
pub mod console_portal_switch;
pub mod console_roles;
pub mod console_switch;
pub mod console_users;
pub mod my_account;
pub mod session;
pub mod two_step;

#[cfg(feature = "ssr")]
mod convert;
#[cfg(feature = "ssr")]
pub mod server;
