//! Wire types shared by the server functions and the WASM UI. No secrets ever live in these types.

pub mod error;
pub mod session;
pub mod users;

pub use error::{AppError, FieldError};
pub use session::ConsoleSession;
pub use users::{Profile, UserDetail, UserPage, UserStatus, UserSummary};
