//! Second factors: an authenticator app (TOTP, RFC 6238) with recovery codes. A user who has one
//! signs in in two steps ([`sign_in`]); their sessions and the tokens made from them say so
//! ([`SignInMethod`], the `amr` claim). Nobody impersonating a user adds, removes or uses the
//! user's factors.

pub mod admin;
pub mod challenge;
pub mod confirm;
pub mod enrolment;
pub mod method;
pub mod qr;
pub mod recovery;
pub mod sign_in;
pub mod store;
pub mod totp;

pub use method::SignInMethod;
pub use store::SecondFactors;
