//! One page component per file.

pub mod console;
#[cfg(feature = "my-account-bundle")]
pub mod elsewhere;
pub mod home;
pub mod lazy;
pub mod login;
pub mod myaccount;
pub mod not_found;
