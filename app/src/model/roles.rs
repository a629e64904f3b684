use serde::{Deserialize, Serialize};

/// A row of User Management > Roles.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleSummary {
    pub id: String,
    pub name: String,
    /// The application the role is for; `None` for an organization role.
    pub application: Option<AppRef>,
    /// Defined by Guise (Administrator, Impersonator): name and permissions are fixed.
    pub system: bool,
}

impl RoleSummary {
    /// What the Audience column shows.
    pub fn audience_label(&self) -> String {
        match &self.application {
            Some(app) => format!("Application · {}", app.name),
            None => "Organization".into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppRef {
    pub id: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RolePermission {
    pub scope: String,
    pub display_name: String,
    pub resource_name: String,
}

/// A person holding a role.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub user_id: String,
    pub username: String,
    pub display_name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleDetail {
    pub summary: RoleSummary,
    pub permissions: Vec<RolePermission>,
    pub members: Vec<Member>,
}

/// Which roles a list shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RoleAudienceFilter {
    All,
    Organization,
    /// By application id.
    Application(String),
}
