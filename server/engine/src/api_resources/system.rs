//! The API resources, authorizations and roles Guise defines itself. They exist in every
//! organization from its first start and are brought up to date on every later start, so a newer
//! Guise adds what it needs to an older database.

use crate::clock::Timestamp;
use crate::db::Tx;
use crate::error::{Error, Result};
use crate::ids::{ApiResourceId, OrgId, RoleId};
use crate::permissions::{
    scopes, ADMINISTRATOR_ROLE, CONSOLE_APP, IMPERSONATOR_ROLE, MY_ACCOUNT_APP,
};

pub(crate) struct SystemResource {
    pub key: &'static str,
    pub identifier: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    /// name, display name, description
    pub scopes: &'static [(&'static str, &'static str, &'static str)],
    /// The system application authorized for every scope of this resource.
    pub authorized_for: Option<&'static str>,
}

pub(crate) const SYSTEM_RESOURCES: &[SystemResource] = &[
    SystemResource {
        key: "user_impersonation",
        identifier: "system:impersonation",
        name: "User Impersonation",
        description: "Act as another user of the organization.",
        scopes: &[(
            scopes::USER_IMPERSONATE,
            "User Impersonation Scope",
            "Impersonate a user of the organization.",
        )],
        authorized_for: Some(MY_ACCOUNT_APP),
    },
    SystemResource {
        key: "org_user_impersonation",
        identifier: "org:impersonation",
        name: "Organization User Impersonation",
        description: "Act as another user of a child organization.",
        scopes: &[(
            scopes::ORG_USER_IMPERSONATE,
            "User Impersonation Scope for Organizations",
            "Impersonate a user of a child organization.",
        )],
        authorized_for: Some(MY_ACCOUNT_APP),
    },
    SystemResource {
        key: "scim2_users",
        identifier: "/scim2/Users",
        name: "SCIM2 Users",
        description: "Manage the organization's users (SCIM 2.0 and the Console).",
        scopes: &[
            (scopes::USER_LIST, "List Users", "List and search users."),
            (scopes::USER_VIEW, "View User", "Read a user's profile."),
            (scopes::USER_CREATE, "Create User", "Add users."),
            (
                scopes::USER_UPDATE,
                "Update User",
                "Change users' profiles and status.",
            ),
            (scopes::USER_DELETE, "Delete User", "Delete users."),
        ],
        authorized_for: Some(CONSOLE_APP),
    },
    SystemResource {
        key: "org_scim2_users",
        identifier: "/o/scim2/Users",
        name: "Organization SCIM2 Users",
        description: "Manage the users of a child organization.",
        scopes: &[
            (
                scopes::ORG_USER_LIST,
                "List Organization Users",
                "List and search an organization's users.",
            ),
            (
                scopes::ORG_USER_VIEW,
                "View Organization User",
                "Read an organization user's profile.",
            ),
            (
                scopes::ORG_USER_CREATE,
                "Create Organization User",
                "Add organization users.",
            ),
            (
                scopes::ORG_USER_UPDATE,
                "Update Organization User",
                "Change organization users.",
            ),
            (
                scopes::ORG_USER_DELETE,
                "Delete Organization User",
                "Delete organization users.",
            ),
        ],
        // Held by the Administrator role (audience Console), as the SCIM2 Users scopes are.
        authorized_for: Some(CONSOLE_APP),
    },
    SystemResource {
        key: "roles",
        identifier: "/api/server/v1/roles",
        name: "Role Management",
        description: "Manage roles, their permissions and assigned users.",
        scopes: &[
            (scopes::ROLE_VIEW, "View Roles", "List and read roles."),
            (scopes::ROLE_CREATE, "Create Role", "Create roles."),
            (
                scopes::ROLE_UPDATE,
                "Update Role",
                "Change roles' permissions and assigned users.",
            ),
            (scopes::ROLE_DELETE, "Delete Role", "Delete roles."),
        ],
        authorized_for: Some(CONSOLE_APP),
    },
    SystemResource {
        key: "applications",
        identifier: "/api/server/v1/applications",
        name: "Application Management",
        description: "Register and configure applications.",
        scopes: &[
            (
                scopes::APPLICATION_VIEW,
                "View Applications",
                "List and read applications.",
            ),
            (
                scopes::APPLICATION_CREATE,
                "Create Application",
                "Register applications.",
            ),
            (
                scopes::APPLICATION_UPDATE,
                "Update Application",
                "Configure applications and their API authorization.",
            ),
            (
                scopes::APPLICATION_DELETE,
                "Delete Application",
                "Delete applications.",
            ),
        ],
        authorized_for: Some(CONSOLE_APP),
    },
    SystemResource {
        key: "api_resources",
        identifier: "/api/server/v1/api-resources",
        name: "API Resource Management",
        description: "Register and edit API resources and their scopes.",
        scopes: &[
            (
                scopes::API_RESOURCE_VIEW,
                "View API Resources",
                "List and read API resources.",
            ),
            (
                scopes::API_RESOURCE_CREATE,
                "Create API Resource",
                "Register API resources.",
            ),
            (
                scopes::API_RESOURCE_UPDATE,
                "Update API Resource",
                "Edit API resources and their scopes.",
            ),
            (
                scopes::API_RESOURCE_DELETE,
                "Delete API Resource",
                "Delete API resources.",
            ),
        ],
        authorized_for: Some(CONSOLE_APP),
    },
    SystemResource {
        key: "administrators",
        identifier: "/api/server/v1/administrators",
        name: "Console Administrators",
        description: "Manage who administers the organization in the Console.",
        scopes: &[
            (
                scopes::ADMINISTRATOR_VIEW,
                "View Administrators",
                "List the Console's administrators.",
            ),
            (
                scopes::ADMINISTRATOR_CREATE,
                "Add Administrators",
                "Make users administrators.",
            ),
            (
                scopes::ADMINISTRATOR_DELETE,
                "Remove Administrators",
                "Remove administrators.",
            ),
        ],
        authorized_for: Some(CONSOLE_APP),
    },
    SystemResource {
        key: "organizations",
        identifier: "/api/server/v1/organizations",
        name: "Organizations",
        description: "Manage the organizations below yours, their members and shared applications.",
        scopes: &[
            (
                scopes::ORGANIZATION_VIEW,
                "View Organizations",
                "List the organizations below yours.",
            ),
            (
                scopes::ORGANIZATION_CREATE,
                "Create Organizations",
                "Create child organizations.",
            ),
            (
                scopes::ORGANIZATION_UPDATE,
                "Update Organizations",
                "Rename, deactivate and invite users into organizations.",
            ),
            (
                scopes::ORGANIZATION_DELETE,
                "Delete Organizations",
                "Delete empty organizations.",
            ),
        ],
        authorized_for: Some(CONSOLE_APP),
    },
    SystemResource {
        key: "audit_logs",
        identifier: "/api/server/v1/audit-logs",
        name: "Audit Logs",
        description: "Read and verify the audit trail on the Console's Logs page.",
        scopes: &[(
            scopes::AUDIT_LOG_VIEW,
            "View Audit Logs",
            "Search, export and verify the audit trail.",
        )],
        authorized_for: Some(CONSOLE_APP),
    },
    SystemResource {
        key: "configs",
        identifier: "/api/server/v1/configs",
        name: "Configurations",
        description: "Read and change the organization's settings (impersonation, ...).",
        scopes: &[
            (
                scopes::CONFIG_VIEW,
                "View Configurations",
                "Read the organization's settings.",
            ),
            (
                scopes::CONFIG_UPDATE,
                "Update Configurations",
                "Change the organization's settings.",
            ),
        ],
        authorized_for: Some(CONSOLE_APP),
    },
    SystemResource {
        key: "email_templates",
        identifier: "/api/server/v1/email/template-types",
        name: "Email Templates",
        description: "Customize the emails Guise sends and see what it sent.",
        scopes: &[
            (
                scopes::EMAIL_VIEW,
                "View Email Templates",
                "Read email templates and the outbox.",
            ),
            (
                scopes::EMAIL_UPDATE,
                "Update Email Templates",
                "Edit and reset email templates.",
            ),
        ],
        authorized_for: Some(CONSOLE_APP),
    },
    SystemResource {
        key: "impersonation_sessions",
        identifier: "/api/server/v1/impersonation-sessions",
        name: "Impersonation Kill Switch",
        description: "End every impersonation session at once, or pause impersonation.",
        scopes: &[(
            scopes::IMPERSONATION_KILL_SWITCH,
            "End and Pause Impersonation",
            "End all impersonation sessions, pause and resume impersonation.",
        )],
        authorized_for: Some(CONSOLE_APP),
    },
];

/// A system role: key, name, audience (the kind of one of the root's system applications),
/// permissions.
pub(crate) type SystemRole = (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static [&'static str]],
);

/// The root organization's system roles.
const SYSTEM_ROLES: &[SystemRole] = &[
    (
        ADMINISTRATOR_ROLE,
        "Administrator",
        CONSOLE_APP,
        scopes::ADMINISTRATOR_HOLDS,
    ),
    (
        IMPERSONATOR_ROLE,
        "Impersonator",
        MY_ACCOUNT_APP,
        &[scopes::IMPERSONATOR],
    ),
];

/// Names the definitions above; raise it whenever they change, so that the next start applies them.
const SYSTEM_MODEL_VERSION: &str = "5";

/// Creates whatever of the system API resources, their scopes, the system applications'
/// authorizations and the system roles' permissions `org` lacks, unless this version's model is
/// already in place (then a start costs one read). Idempotent, and safe when several nodes run it
/// at once (every insert yields to an existing row).
pub(crate) async fn ensure_system_model(tx: &mut Tx, org: &OrgId, now: Timestamp) -> Result<()> {
    let key = format!("system_model_version:{org}");
    let applied: Option<String> =
        sqlx::query_scalar("SELECT state_value FROM system_state WHERE state_key = $1")
            .bind(&key)
            .fetch_optional(&mut **tx)
            .await?;
    if applied.as_deref() == Some(SYSTEM_MODEL_VERSION) {
        return Ok(());
    }
    apply_system_model(tx, org, now).await?;
    sqlx::query(
        "INSERT INTO system_state (state_key, state_value) VALUES ($1, $2) \
         ON CONFLICT (state_key) DO UPDATE SET state_value = excluded.state_value",
    )
    .bind(&key)
    .bind(SYSTEM_MODEL_VERSION)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn apply_system_model(tx: &mut Tx, org: &OrgId, now: Timestamp) -> Result<()> {
    for resource in SYSTEM_RESOURCES {
        sqlx::query(
            "INSERT INTO api_resources (id, org_id, identifier, name, description, system_key, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT DO NOTHING",
        )
        .bind(ApiResourceId::generate().as_str())
        .bind(org.as_str())
        .bind(resource.identifier)
        .bind(resource.name)
        .bind(resource.description)
        .bind(resource.key)
        .bind(now.0)
        .execute(&mut **tx)
        .await?;
        let id: String = sqlx::query_scalar(
            "SELECT id FROM api_resources WHERE org_id = $1 AND system_key = $2",
        )
        .bind(org.as_str())
        .bind(resource.key)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| {
            Error::Internal(format!(
                "a business API resource uses the identifier {} that Guise reserves; rename it first",
                resource.identifier
            ))
        })?;
        for (name, display, description) in resource.scopes {
            sqlx::query(
                "INSERT INTO api_scopes (resource_id, org_id, name, display_name, description) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
            )
            .bind(&id)
            .bind(org.as_str())
            .bind(*name)
            .bind(*display)
            .bind(*description)
            .execute(&mut **tx)
            .await?;
            if let Some(kind) = resource.authorized_for {
                sqlx::query(
                    "INSERT INTO application_authorizations (app_id, resource_id, scope) \
                     SELECT id, $1, $2 FROM applications WHERE org_id = $3 AND system_kind = $4 \
                     ON CONFLICT DO NOTHING",
                )
                .bind(&id)
                .bind(*name)
                .bind(org.as_str())
                .bind(kind)
                .execute(&mut **tx)
                .await?;
            }
        }
    }
    for role in SYSTEM_ROLES {
        let created = ensure_system_role(tx, org, role, now).await?;
        if created && role.0 == IMPERSONATOR_ROLE {
            // An older database gains the role: its administrators hold it, so that someone can
            // hand it on (nobody grants what they do not hold).
            sqlx::query(
                "INSERT INTO role_assignments (role_id, user_id) \
                 SELECT imp.id, ra.user_id FROM role_assignments ra \
                 JOIN roles adm ON adm.id = ra.role_id \
                 JOIN roles imp ON imp.org_id = adm.org_id AND imp.system_key = $2 \
                 WHERE adm.org_id = $1 AND adm.system_key = $3 ON CONFLICT DO NOTHING",
            )
            .bind(org.as_str())
            .bind(IMPERSONATOR_ROLE)
            .bind(ADMINISTRATOR_ROLE)
            .execute(&mut **tx)
            .await?;
        }
    }
    // An application's roles only carry scopes it is authorized for. Roles from before API
    // authorization existed keep working: their application is authorized for what they grant.
    sqlx::query(
        "INSERT INTO application_authorizations (app_id, resource_id, scope) \
         SELECT r.audience_key, s.resource_id, rp.scope FROM roles r \
         JOIN role_permissions rp ON rp.role_id = r.id \
         JOIN api_scopes s ON s.org_id = r.org_id AND s.name = rp.scope \
         JOIN applications a ON a.id = r.audience_key AND a.system_kind IS NULL \
         WHERE r.org_id = $1 ON CONFLICT DO NOTHING",
    )
    .bind(org.as_str())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Creates `role` in `org` unless it is there, and gives it whatever of its permissions it lacks.
/// Its audience is the root's system application of its kind (the system applications serve the
/// whole tree). Returns whether the role was created now.
pub(crate) async fn ensure_system_role(
    tx: &mut Tx,
    org: &OrgId,
    role: &SystemRole,
    now: Timestamp,
) -> Result<bool> {
    let (key, name, audience_kind, permissions) = *role;
    let created = sqlx::query(
        "INSERT INTO roles (id, org_id, name, audience_key, system_key, created_at) \
         SELECT $1, $2, $3, a.id, $4, $5 FROM applications a \
         JOIN organizations root ON root.id = a.org_id AND root.parent_id IS NULL \
         WHERE a.system_kind = $6 ON CONFLICT DO NOTHING",
    )
    .bind(RoleId::generate().as_str())
    .bind(org.as_str())
    .bind(name)
    .bind(key)
    .bind(now.0)
    .bind(audience_kind)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    // Collected first: a flattening iterator held across the awaits below would make the future
    // not `Send` for every lifetime (rustc's higher-ranked auto-trait limitation).
    let scopes: Vec<&str> = permissions.concat();
    for scope in scopes {
        sqlx::query(
            "INSERT INTO role_permissions (role_id, scope) \
             SELECT id, $1 FROM roles WHERE org_id = $2 AND system_key = $3 ON CONFLICT DO NOTHING",
        )
        .bind(scope)
        .bind(org.as_str())
        .bind(key)
        .execute(&mut **tx)
        .await?;
    }
    Ok(created == 1)
}
