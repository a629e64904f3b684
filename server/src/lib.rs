//! The Guise server: configuration, the HTTP router, sign-in endpoints and security middleware.
//! The binary (`main.rs`) wires these together; tests drive the router directly.

pub mod audit_export;
pub mod audit_file;
pub mod cli;
pub mod client_addr;
pub mod config;
pub mod configs;
pub mod confirm_identity;
pub mod correlation;
pub mod guard;
pub mod health;
pub mod impersonation;
pub mod kill_switch;
pub mod logging;
pub mod login;
pub mod login_second_step;
pub mod mail;
pub mod metrics_endpoint;
pub mod oauth;
pub mod organization_path;
pub mod render_pool;
pub mod router;
pub mod scim;
pub mod security;
pub mod serve;
pub mod state;
pub mod transport;
