//! Server functions: each establishes the caller, calls one engine function, and maps the result.

pub mod account;
pub mod console_users;
pub mod session;

#[cfg(feature = "ssr")]
pub mod server;
