//! Engine integration tests: one binary (link time matters), run against SQLite by default and
//! against PostgreSQL when `GUISE_TEST_POSTGRES_URL` names a server we may create databases on.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test crate: failing loudly is the point

mod access;
mod audit_logs;
mod audit_trail;
mod bootstrap;
mod ceiling;
mod ceiling_app_roles;
mod console_forms;
mod console_permissions;
mod figures;
mod grant_audiences;
mod harness;
mod hidden_administrators;
mod impersonation_api;
mod impersonation_fixture;
mod impersonation_guardrails;
mod impersonation_right;
mod impersonation_sessions;
mod justification;
mod kill_switch;
mod module_graph;
mod notifications;
mod notifications_delivery;
mod oauth;
mod organization_context;
mod organization_fixture;
mod organization_impersonation;
mod organization_switch_grant;
mod organizations;
mod portals;
mod reauth;
mod refresh;
mod second_factors;
mod session_end;
mod sessions;
mod step_up;
mod throttling;
mod token_checks;
mod unavailable;
mod user_country;
mod user_overview;
mod user_versions;
mod users;
