use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiScope {
    pub name: String,
    pub display_name: String,
    pub description: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiResource {
    pub id: String,
    pub identifier: String,
    pub name: String,
    pub description: String,
    /// Defined by Guise: read-only.
    pub system: bool,
    pub scopes: Vec<ApiScope>,
}

/// What registering or editing a business API resource sends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiResourceForm {
    pub identifier: String,
    pub name: String,
    pub description: String,
    pub scopes: Vec<ApiScope>,
}

/// An API resource an application is authorized for, with the chosen scopes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Authorization {
    pub resource: ApiResource,
    pub scopes: Vec<String>,
}
