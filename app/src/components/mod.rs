//! Small building blocks shared by the pages.

pub mod choice;
pub mod confirm;
pub mod copy;
pub mod error_note;
pub mod field;
pub mod pager;
pub mod saved;
pub mod sign_out;
pub mod stop_impersonating;

pub use choice::{form_error, lines, succeeded, CheckboxField, LinesField};
pub use confirm::ConfirmDialog;
pub use copy::CopyValue;
pub use error_note::ErrorNote;
pub use field::{field_error, TextField};
pub use pager::{Pager, SearchBox};
pub use saved::successful_saves;
pub use sign_out::SignOut;
pub use stop_impersonating::StopImpersonating;
