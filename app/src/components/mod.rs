//! Small building blocks shared by the pages.

pub mod error_note;
pub mod field;
pub mod sign_out;

pub use error_note::ErrorNote;
pub use field::{TextField, field_error};
pub use sign_out::SignOut;
