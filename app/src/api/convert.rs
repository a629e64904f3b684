//! Engine values to wire types, for the Console's server functions. Server-side only.

use crate::model::{
    Administrator, ApiResource, ApiScope, AppError, AppRef, ApplicationDetail, ApplicationSummary,
    Authorization, Member, Paged, ProtocolForm, RoleDetail, RolePermission, RoleSummary,
};
use crate::model::{ImpersonationEnd, ImpersonationSession};
use engine::applications::{Application, ClientType};
use engine::impersonation::{EndReason, ImpersonationRecord};

pub fn paged<T, U>(page: engine::Page<T>, convert: impl Fn(T) -> U) -> Paged<U> {
    Paged {
        items: page.items.into_iter().map(convert).collect(),
        total: page.total,
        page: page.page,
        page_size: page.page_size,
    }
}

pub fn role_summary(r: engine::roles::RoleSummary) -> RoleSummary {
    RoleSummary {
        id: r.id.to_string(),
        name: r.name,
        application: r.application.map(|(id, name)| AppRef {
            id: id.to_string(),
            name,
        }),
        system: r.system,
    }
}

pub fn member(m: engine::roles::RoleMember) -> Member {
    Member {
        user_id: m.user_id.to_string(),
        username: m.username,
        display_name: m.display_name,
    }
}

pub fn role_detail(r: engine::roles::RoleDetail) -> RoleDetail {
    RoleDetail {
        summary: role_summary(r.summary),
        permissions: r
            .permissions
            .into_iter()
            .map(|p| RolePermission {
                scope: p.scope,
                display_name: p.display_name,
                resource_name: p.resource_name,
            })
            .collect(),
        members: r.members.into_iter().map(member).collect(),
    }
}

pub fn administrator(a: engine::administrators::Administrator) -> Administrator {
    Administrator {
        member: member(a.member),
        roles: a.roles,
    }
}

pub fn api_resource(r: engine::api_resources::ApiResource) -> ApiResource {
    ApiResource {
        id: r.id.to_string(),
        identifier: r.identifier,
        name: r.name,
        description: r.description,
        system: r.system,
        scopes: r.scopes.into_iter().map(api_scope).collect(),
    }
}

fn api_scope(s: engine::api_resources::ApiScope) -> ApiScope {
    ApiScope {
        name: s.name,
        display_name: s.display_name,
        description: s.description,
    }
}

pub fn authorization(a: engine::authorizations::Authorization) -> Authorization {
    Authorization {
        resource: api_resource(a.resource),
        scopes: a.scopes,
    }
}

pub fn application_summary(a: &Application) -> ApplicationSummary {
    ApplicationSummary {
        id: a.id.to_string(),
        name: a.name.clone(),
        description: a.description.clone(),
        client_id: a.client_id.clone(),
        public_client: a.client_type == ClientType::Public,
        system: a.system_kind.is_some(),
        my_account: a.system_kind.as_deref() == Some(engine::access::MY_ACCOUNT_APP),
    }
}

pub fn application_detail(
    a: Application,
    endpoints: engine::oauth::endpoints::Endpoints,
) -> ApplicationDetail {
    ApplicationDetail {
        endpoints: crate::model::Endpoints {
            issuer: endpoints.issuer,
            discovery: endpoints.discovery,
            authorize: endpoints.authorize,
            token: endpoints.token,
            userinfo: endpoints.userinfo,
            jwks: endpoints.jwks,
            introspection: endpoints.introspection,
            revocation: endpoints.revocation,
            logout: endpoints.logout,
        },
        summary: application_summary(&a),
        access_url: a.access_url.clone(),
        discoverable: a.discoverable,
        protocol: ProtocolForm {
            redirect_uris: a.redirect_uris.clone(),
            post_logout_redirect_uris: a.post_logout_redirect_uris.clone(),
            grant_types: a
                .grant_types
                .iter()
                .map(|g| g.as_str().to_owned())
                .collect(),
            pkce_required: a.requires_pkce(),
            access_token_lifetime: a.access_token_lifetime,
            refresh_token_lifetime: a.refresh_token_lifetime,
            id_token_lifetime: a.id_token_lifetime,
            subject_token_enabled: a.subject_token_enabled,
            subject_token_lifetime: a.subject_token_lifetime,
            refresh_grace_secs: a.refresh_grace_secs,
        },
        skip_login_consent: a.skip_login_consent,
        skip_logout_consent: a.skip_logout_consent,
        enabled: a.enabled,
    }
}

/// Parses an id of kind `T` from the browser; anything malformed is simply "not found".
pub fn parse_id<T>(
    raw: &str,
    parse: impl Fn(&str) -> Option<T>,
    what: &str,
) -> Result<T, AppError> {
    parse(raw).ok_or_else(|| super::server::respond(AppError::NotFound(what.into())))
}

/// One impersonation session as the Console's list and My Account's activity show it.
pub fn impersonation_session(r: ImpersonationRecord) -> ImpersonationSession {
    ImpersonationSession {
        impersonator: r
            .impersonator_username
            .unwrap_or_else(|| r.impersonator_id.to_string()),
        subject: r
            .subject_username
            .unwrap_or_else(|| r.subject_id.to_string()),
        started_at: r.started_at.0,
        expires_at: r.expires_at.0,
        ended_at: r.ended_at.map(|t| t.0),
        end: r.end_reason.map(impersonation_end),
        reason: r.reason,
        ticket: r.ticket,
        applications: r.applications,
    }
}

fn impersonation_end(reason: EndReason) -> ImpersonationEnd {
    match reason {
        EndReason::Stopped => ImpersonationEnd::Stopped,
        EndReason::TimeLimit => ImpersonationEnd::TimeLimit,
        EndReason::SignedOut => ImpersonationEnd::SignedOut,
        EndReason::SessionExpired => ImpersonationEnd::SessionExpired,
        EndReason::AccountChanged => ImpersonationEnd::AccountChanged,
        EndReason::EndedByAdministrator => ImpersonationEnd::EndedByAdministrator,
    }
}
