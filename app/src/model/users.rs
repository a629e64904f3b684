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
}
