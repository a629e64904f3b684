use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum UserStatus {
    Active,
    Locked,
    Disabled,
}

impl UserStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::Active => "Active",
            Self::Locked => "Locked",
            Self::Disabled => "Disabled",
        }
    }
}

/// A row of the Users list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: String,
    pub username: String,
    pub email: String,
    pub given_name: String,
    pub family_name: String,
    pub status: UserStatus,
}

impl UserSummary {
    pub fn display_name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
            .trim()
            .to_owned()
    }
}

/// A page of the Users list.
pub type UserPage = super::Paged<UserSummary>;

/// A user's page in the Console.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserDetail {
    pub summary: UserSummary,
    /// Empty when unset.
    pub country: String,
    pub created_at: String,
    pub updated_at: String,
}

/// The signed-in user's own profile in My Account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub username: String,
    pub email: String,
    pub given_name: String,
    pub family_name: String,
    /// Empty when unset.
    pub country: String,
    pub is_administrator: bool,
    /// While someone impersonates the user: what they may not change here, each with the reason
    /// (the engine's own words). `None` for the user themself.
    pub while_impersonating: Option<ImpersonationLimits>,
}

/// What an impersonator sees read-only in My Account, each with why; `None` where the change is
/// the impersonator's to make.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImpersonationLimits {
    pub email: Option<String>,
    pub password: Option<String>,
}

/// What a user's page shows beside the profile: roles, active sessions, last sign-in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserOverview {
    pub roles: Vec<HeldRole>,
    pub sessions: Vec<UserSession>,
    /// `2024-06-03 14:05 UTC`; `None` when the user never signed in.
    pub last_sign_in: Option<String>,
    /// Their authenticator app and recovery codes.
    pub second_factors: super::SecondFactorsSummary,
}

/// A role a user holds, with its audience.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldRole {
    pub id: String,
    pub name: String,
    /// "Organization", or the application the role is for.
    pub audience: String,
}

/// One of a user's signed-in browsers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSession {
    /// Names the session to end it.
    pub handle: String,
    pub signed_in_at: String,
    pub expires_at: String,
    /// Whether the user is impersonating someone in it right now.
    pub impersonating: bool,
}
