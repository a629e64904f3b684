//! Guise's own permissions: the system scopes each Console feature and impersonation need, the
//! system roles and applications by key. A leaf: every module may name a permission without
//! depending on who decides it ([`crate::access`], [`crate::ceiling`]).

/// Scopes the Console's features need, one per action on each kind of thing it manages.
pub mod scopes {
    pub const USER_LIST: &str = "internal_user_mgt_list";
    pub const USER_VIEW: &str = "internal_user_mgt_view";
    pub const USER_CREATE: &str = "internal_user_mgt_create";
    pub const USER_UPDATE: &str = "internal_user_mgt_update";
    pub const USER_DELETE: &str = "internal_user_mgt_delete";

    pub const ROLE_VIEW: &str = "internal_role_mgt_view";
    pub const ROLE_CREATE: &str = "internal_role_mgt_create";
    pub const ROLE_UPDATE: &str = "internal_role_mgt_update";
    pub const ROLE_DELETE: &str = "internal_role_mgt_delete";

    pub const APPLICATION_VIEW: &str = "internal_application_mgt_view";
    pub const APPLICATION_CREATE: &str = "internal_application_mgt_create";
    pub const APPLICATION_UPDATE: &str = "internal_application_mgt_update";
    pub const APPLICATION_DELETE: &str = "internal_application_mgt_delete";

    pub const API_RESOURCE_VIEW: &str = "internal_api_resource_view";
    pub const API_RESOURCE_CREATE: &str = "internal_api_resource_create";
    pub const API_RESOURCE_UPDATE: &str = "internal_api_resource_update";
    pub const API_RESOURCE_DELETE: &str = "internal_api_resource_delete";

    pub const ADMINISTRATOR_VIEW: &str = "internal_admin_mgt_view";
    pub const ADMINISTRATOR_CREATE: &str = "internal_admin_mgt_create";
    pub const ADMINISTRATOR_DELETE: &str = "internal_admin_mgt_delete";

    pub const AUDIT_LOG_VIEW: &str = "internal_audit_log_view";

    pub const ORGANIZATION_VIEW: &str = "internal_organization_view";
    pub const ORGANIZATION_CREATE: &str = "internal_organization_create";
    pub const ORGANIZATION_UPDATE: &str = "internal_organization_update";
    pub const ORGANIZATION_DELETE: &str = "internal_organization_delete";
    pub const CONFIG_VIEW: &str = "internal_config_view";
    pub const CONFIG_UPDATE: &str = "internal_config_update";

    pub const EMAIL_VIEW: &str = "internal_email_mgt_view";
    pub const EMAIL_UPDATE: &str = "internal_email_mgt_update";

    pub const IMPERSONATION_KILL_SWITCH: &str = "internal_impersonation_kill_switch";

    pub const USER_IMPERSONATE: &str = "internal_user_impersonate";
    pub const ORG_USER_IMPERSONATE: &str = "internal_org_user_impersonate";

    /// Everything the Administrator role grants: every Console feature.
    pub const CONSOLE_ADMINISTRATOR: &[&str] = &[
        USER_LIST,
        USER_VIEW,
        USER_CREATE,
        USER_UPDATE,
        USER_DELETE,
        ROLE_VIEW,
        ROLE_CREATE,
        ROLE_UPDATE,
        ROLE_DELETE,
        APPLICATION_VIEW,
        APPLICATION_CREATE,
        APPLICATION_UPDATE,
        APPLICATION_DELETE,
        API_RESOURCE_VIEW,
        API_RESOURCE_CREATE,
        API_RESOURCE_UPDATE,
        API_RESOURCE_DELETE,
        ADMINISTRATOR_VIEW,
        ADMINISTRATOR_CREATE,
        ADMINISTRATOR_DELETE,
        AUDIT_LOG_VIEW,
        ORGANIZATION_VIEW,
        ORGANIZATION_CREATE,
        ORGANIZATION_UPDATE,
        ORGANIZATION_DELETE,
        CONFIG_VIEW,
        CONFIG_UPDATE,
        EMAIL_VIEW,
        EMAIL_UPDATE,
        IMPERSONATION_KILL_SWITCH,
    ];

    pub const ORG_USER_LIST: &str = "internal_org_user_mgt_list";
    pub const ORG_USER_VIEW: &str = "internal_org_user_mgt_view";
    pub const ORG_USER_CREATE: &str = "internal_org_user_mgt_create";
    pub const ORG_USER_UPDATE: &str = "internal_org_user_mgt_update";
    pub const ORG_USER_DELETE: &str = "internal_org_user_mgt_delete";

    /// The Organization SCIM2 Users scopes: what a business application needs to manage a child
    /// organization's users (`/o/scim2/Users`, after `organization_switch`).
    pub const ORGANIZATION_USER_MANAGEMENT: &[&str] = &[
        ORG_USER_LIST,
        ORG_USER_VIEW,
        ORG_USER_CREATE,
        ORG_USER_UPDATE,
        ORG_USER_DELETE,
    ];

    /// Each organization user scope with the user-management scope it stands for in the
    /// organization a token was switched into: the one table of that mapping.
    pub const ORGANIZATION_EQUIVALENTS: &[(&str, &str)] = &[
        (ORG_USER_LIST, USER_LIST),
        (ORG_USER_VIEW, USER_VIEW),
        (ORG_USER_CREATE, USER_CREATE),
        (ORG_USER_UPDATE, USER_UPDATE),
        (ORG_USER_DELETE, USER_DELETE),
    ];

    /// What the Administrator role holds: every Console feature, and every system scope that
    /// administering the organization needs, so that an administrator can authorize an
    /// application for any of them (nobody grants what they do not hold).
    pub const ADMINISTRATOR_HOLDS: &[&[&str]] =
        &[CONSOLE_ADMINISTRATOR, ORGANIZATION_USER_MANAGEMENT];

    /// What the Impersonator role grants (for My Account).
    pub const IMPERSONATOR: &[&str] = &[USER_IMPERSONATE, ORG_USER_IMPERSONATE];
}

/// `system_key` of the Console's Administrator role.
pub const ADMINISTRATOR_ROLE: &str = "console_administrator";
/// `system_key` of the Impersonator role (audience My Account).
pub const IMPERSONATOR_ROLE: &str = "impersonator";
/// `system_kind` of the Console application.
pub const CONSOLE_APP: &str = "console";
/// `system_kind` of the My Account application.
pub const MY_ACCOUNT_APP: &str = "my_account";
/// The audience key of roles that apply to every application of the organization.
pub const ORGANIZATION_AUDIENCE: &str = "organization";

/// A permission a check can require, each with its scope in [`Permission::scope`]: the one table
/// from the checks' names to the wire's scope strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    UserList,
    UserView,
    UserCreate,
    UserUpdate,
    UserDelete,
    RoleView,
    RoleCreate,
    RoleUpdate,
    RoleDelete,
    ApplicationView,
    ApplicationCreate,
    ApplicationUpdate,
    ApplicationDelete,
    ApiResourceView,
    ApiResourceCreate,
    ApiResourceUpdate,
    ApiResourceDelete,
    AdministratorView,
    AdministratorCreate,
    AdministratorDelete,
    AuditLogView,
    OrganizationView,
    OrganizationCreate,
    OrganizationUpdate,
    OrganizationDelete,
    ConfigView,
    ConfigUpdate,
    EmailView,
    EmailUpdate,
    ImpersonationKillSwitch,
}

impl Permission {
    /// Every permission, for the table's tests.
    pub const ALL: [Self; 30] = [
        Self::UserList,
        Self::UserView,
        Self::UserCreate,
        Self::UserUpdate,
        Self::UserDelete,
        Self::RoleView,
        Self::RoleCreate,
        Self::RoleUpdate,
        Self::RoleDelete,
        Self::ApplicationView,
        Self::ApplicationCreate,
        Self::ApplicationUpdate,
        Self::ApplicationDelete,
        Self::ApiResourceView,
        Self::ApiResourceCreate,
        Self::ApiResourceUpdate,
        Self::ApiResourceDelete,
        Self::AdministratorView,
        Self::AdministratorCreate,
        Self::AdministratorDelete,
        Self::AuditLogView,
        Self::OrganizationView,
        Self::OrganizationCreate,
        Self::OrganizationUpdate,
        Self::OrganizationDelete,
        Self::ConfigView,
        Self::ConfigUpdate,
        Self::EmailView,
        Self::EmailUpdate,
        Self::ImpersonationKillSwitch,
    ];

    /// The scope that grants it.
    pub fn scope(self) -> &'static str {
        match self {
            Self::UserList => scopes::USER_LIST,
            Self::UserView => scopes::USER_VIEW,
            Self::UserCreate => scopes::USER_CREATE,
            Self::UserUpdate => scopes::USER_UPDATE,
            Self::UserDelete => scopes::USER_DELETE,
            Self::RoleView => scopes::ROLE_VIEW,
            Self::RoleCreate => scopes::ROLE_CREATE,
            Self::RoleUpdate => scopes::ROLE_UPDATE,
            Self::RoleDelete => scopes::ROLE_DELETE,
            Self::ApplicationView => scopes::APPLICATION_VIEW,
            Self::ApplicationCreate => scopes::APPLICATION_CREATE,
            Self::ApplicationUpdate => scopes::APPLICATION_UPDATE,
            Self::ApplicationDelete => scopes::APPLICATION_DELETE,
            Self::ApiResourceView => scopes::API_RESOURCE_VIEW,
            Self::ApiResourceCreate => scopes::API_RESOURCE_CREATE,
            Self::ApiResourceUpdate => scopes::API_RESOURCE_UPDATE,
            Self::ApiResourceDelete => scopes::API_RESOURCE_DELETE,
            Self::AdministratorView => scopes::ADMINISTRATOR_VIEW,
            Self::AdministratorCreate => scopes::ADMINISTRATOR_CREATE,
            Self::AdministratorDelete => scopes::ADMINISTRATOR_DELETE,
            Self::AuditLogView => scopes::AUDIT_LOG_VIEW,
            Self::OrganizationView => scopes::ORGANIZATION_VIEW,
            Self::OrganizationCreate => scopes::ORGANIZATION_CREATE,
            Self::OrganizationUpdate => scopes::ORGANIZATION_UPDATE,
            Self::OrganizationDelete => scopes::ORGANIZATION_DELETE,
            Self::ConfigView => scopes::CONFIG_VIEW,
            Self::ConfigUpdate => scopes::CONFIG_UPDATE,
            Self::EmailView => scopes::EMAIL_VIEW,
            Self::EmailUpdate => scopes::EMAIL_UPDATE,
            Self::ImpersonationKillSwitch => scopes::IMPERSONATION_KILL_SWITCH,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::scopes::*;

    #[test]
    fn each_permission_has_its_own_scope() {
        let scopes: std::collections::BTreeSet<&str> =
            super::Permission::ALL.iter().map(|p| p.scope()).collect();
        assert_eq!(scopes.len(), super::Permission::ALL.len());
        for scope in CONSOLE_ADMINISTRATOR {
            assert!(scopes.contains(scope), "{scope} has no permission");
        }
    }

    #[test]
    fn every_organization_user_scope_stands_for_one_user_management_scope() {
        assert_eq!(
            ORGANIZATION_EQUIVALENTS.len(),
            ORGANIZATION_USER_MANAGEMENT.len()
        );
        for org_scope in ORGANIZATION_USER_MANAGEMENT {
            let (_, scope) = ORGANIZATION_EQUIVALENTS
                .iter()
                .find(|(o, _)| o == org_scope)
                .unwrap_or_else(|| panic!("{org_scope} has no equivalent"));
            assert!(CONSOLE_ADMINISTRATOR.contains(scope), "{scope}");
        }
    }
}
