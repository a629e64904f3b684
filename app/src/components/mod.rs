//! Small building blocks shared by the pages.

pub mod error_note;
pub mod field;
pub mod sign_out;

pub use error_note::ErrorNote;
pub use field::{field_error, TextField};
pub use sign_out::SignOut;
