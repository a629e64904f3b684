use super::roles::Member;
use serde::{Deserialize, Serialize};

/// A row of Console Settings > Administrators.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Administrator {
    pub member: Member,
    pub roles: Vec<String>,
}

/// A role the Add Administrators dialog offers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleRole {
    pub id: String,
    pub name: String,
}
