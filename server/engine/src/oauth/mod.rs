//! The OAuth 2.0 / OpenID Connect provider.

pub mod authorize;
mod authorize_request;
pub mod bearer;
mod caller;
pub mod claims;
mod consent;
pub mod endpoints;
mod error;
pub(crate) mod grants;
pub mod logout;
pub mod mint;
mod organization_switch;
pub mod portal;
pub mod reauth;
pub mod refresh;
pub mod response;
pub mod revoke;
pub mod scope;
pub mod subject_token;
pub mod token;
pub mod token_exchange;

pub use error::{ErrorCode, OAuthError};
