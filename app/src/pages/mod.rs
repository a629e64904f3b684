//! One page component per file.

pub mod console;
pub mod home;
pub mod lazy;
pub mod login;
pub mod myaccount;
pub mod not_found;
