//! Two-step verification as the pages show it: what a user has, and an authenticator app being
//! added.

use serde::{Deserialize, Serialize};

/// A user's second factors.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondFactorsSummary {
    /// When the authenticator app was added (`2024-06-03 14:05 UTC`); `None` without one.
    pub authenticator_app_since: Option<String>,
    /// Recovery codes not used yet.
    pub recovery_codes_left: u32,
    /// Why the user cannot change them now (someone impersonates them); `None` for the user.
    pub locked: Option<String>,
}

/// An authenticator app being added: shown once, until its first code is confirmed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthenticatorSetupView {
    /// The secret in base32, in groups of four for typing.
    pub secret: String,
    /// The `otpauth://` URI the QR code holds.
    pub uri: String,
    /// The QR code: an SVG image drawn by the server.
    pub qr_svg: String,
}
