//! How a user proved who they are when their session began: what an ID token's `amr` says
//! (RFC 8176), kept with the session and with every grant made from it.

/// The sign-in methods of a session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignInMethod {
    /// The password alone.
    Password,
    /// The password, then a one-time code: the authenticator app's, or a recovery code (both are
    /// one-time passwords the user holds apart from the password).
    PasswordAndOneTimeCode,
}

impl SignInMethod {
    /// As stored: the `amr` values, space-separated.
    pub fn as_stored(self) -> &'static str {
        match self {
            Self::Password => "pwd",
            Self::PasswordAndOneTimeCode => "pwd otp mfa",
        }
    }

    /// Reads [`SignInMethod::as_stored`] back. Anything else is the weakest method: a value this
    /// version does not know never claims more than a password.
    pub fn from_stored(stored: &str) -> Self {
        match stored {
            "pwd otp mfa" => Self::PasswordAndOneTimeCode,
            _ => Self::Password,
        }
    }

    /// The ID token's `amr` claim.
    pub fn amr(self) -> Vec<String> {
        self.as_stored().split(' ').map(str::to_owned).collect()
    }

    /// Whether a second factor was used.
    pub fn is_multi_factor(self) -> bool {
        self != Self::Password
    }
}

#[cfg(test)]
mod tests {
    use super::SignInMethod;

    #[test]
    fn stored_methods_read_back_and_unknown_ones_claim_a_password_only() {
        for method in [SignInMethod::Password, SignInMethod::PasswordAndOneTimeCode] {
            assert_eq!(SignInMethod::from_stored(method.as_stored()), method);
        }
        assert_eq!(SignInMethod::from_stored("hwk mfa"), SignInMethod::Password);
        assert_eq!(
            SignInMethod::PasswordAndOneTimeCode.amr(),
            ["pwd", "otp", "mfa"]
        );
        assert_eq!(SignInMethod::Password.amr(), ["pwd"]);
    }
}
