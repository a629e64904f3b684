use serde::{Deserialize, Serialize};

/// The signed-in administrator, as the Console shows them, with what they may do. The server checks
/// every action again; these only decide what the Console shows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleSession {
    pub user_id: String,
    pub username: String,
    pub users: Abilities,
    pub roles: Abilities,
    pub applications: Abilities,
    pub api_resources: Abilities,
    pub administrators: Abilities,
    /// May read and verify the audit trail (**Logs**).
    pub audit_logs: bool,
    /// The administrator's own organization (to switch back to).
    pub home_org_id: String,
    /// The organization the Console acts in when switched below the administrator's own.
    pub switched_to: Option<String>,
    /// The organization's settings (`internal_config_*`).
    pub configs: Abilities,
    /// Email templates and the outbox (`internal_email_mgt_*`).
    pub email: Abilities,
    /// Organization Management > Organizations (`internal_organization_*`).
    pub organizations: Abilities,
    /// The impersonation kill switch (`internal_impersonation_kill_switch`).
    pub impersonation_kill_switch: bool,
}

/// What the administrator may do with one kind of thing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Abilities {
    pub view: bool,
    pub create: bool,
    pub update: bool,
    pub delete: bool,
}
