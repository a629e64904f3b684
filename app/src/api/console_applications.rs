//! Applications: the list, New Application, and an application's General, Protocol, API
//! Authorization and Advanced tabs. Each function names the scope it needs; the engine checks it.

use crate::model::{
    AppError, ApplicationDetail, ApplicationSummary, Authorization, CreatedApplication,
    GeneralForm, NewApplicationForm, OneTimeSecret, Paged, ProtocolForm,
};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

pub const PAGE_SIZE: u32 = 20;

#[cfg(feature = "ssr")]
fn app_id(raw: &str) -> Result<engine::AppId, AppError> {
    super::convert::parse_id(raw, engine::AppId::parse, "application")
}

#[cfg(feature = "ssr")]
fn grant_types(names: &[String]) -> Result<Vec<engine::applications::GrantType>, AppError> {
    names
        .iter()
        .map(|n| {
            engine::applications::GrantType::parse(n).ok_or_else(|| {
                super::server::respond(AppError::Invalid(vec![crate::model::FieldError {
                    field: "grant_types".into(),
                    message: format!("{n} is not a grant type."),
                }]))
            })
        })
        .collect()
}

/// The application's page, with the endpoints of its organization.
#[cfg(feature = "ssr")]
async fn detail(
    ctx: &super::server::ServerContext,
    app: engine::applications::Application,
) -> Result<ApplicationDetail, AppError> {
    let endpoints = ctx
        .engine
        .endpoints_of(&app.org_id)
        .await
        .map_err(super::server::to_app_error)?;
    Ok(super::convert::application_detail(app, endpoints))
}

/// Needs `internal_application_mgt_view`.
#[server(endpoint = "list_applications", input = Json)]
pub async fn list_applications(
    search: String,
    page: u32,
) -> Result<Paged<ApplicationSummary>, AppError> {
    use super::convert::{application_summary, paged};
    use super::server::{console_admin, to_app_error};
    let (ctx, admin) = console_admin().await?;
    let found = ctx
        .engine
        .list_applications(&admin, &search, engine::PageRequest::new(page, PAGE_SIZE))
        .await
        .map_err(to_app_error)?;
    Ok(paged(found, |a| application_summary(&a)))
}

/// Needs `internal_application_mgt_view`.
#[server(endpoint = "get_application", input = Json)]
pub async fn get_application(id: String) -> Result<ApplicationDetail, AppError> {
    use super::server::{console_admin, to_app_error};
    let (ctx, admin) = console_admin().await?;
    let app = ctx
        .engine
        .application_for_admin(&admin, &app_id(&id)?)
        .await
        .map_err(to_app_error)?;
    detail(&ctx, app).await
}

/// New Application. A confidential client's secret comes back once. Needs
/// `internal_application_mgt_create`.
#[server(endpoint = "create_application", input = Json)]
pub async fn create_application(form: NewApplicationForm) -> Result<CreatedApplication, AppError> {
    use super::server::{console_admin, to_app_error};
    use engine::applications::{ClientType, GrantType, NewApplication};
    let (ctx, admin) = console_admin().await?;
    let client_type = if form.public_client {
        ClientType::Public
    } else {
        ClientType::Confidential
    };
    let new = NewApplication {
        name: form.name,
        description: String::new(),
        client_type,
        redirect_uris: form.redirect_uris,
        post_logout_redirect_uris: Vec::new(),
        grant_types: vec![GrantType::AuthorizationCode, GrantType::RefreshToken],
        access_url: form.access_url,
        authorized_scopes: Vec::new(),
    };
    let (app, secret) = ctx
        .engine
        .register_application(&admin, new, ctx.now())
        .await
        .map_err(to_app_error)?;
    Ok(CreatedApplication {
        id: app.id.to_string(),
        client_id: app.client_id.clone(),
        client_secret: secret.map(|s| OneTimeSecret(s.expose().to_owned())),
    })
}

/// The General tab's Update. Needs `internal_application_mgt_update`.
#[server(endpoint = "update_application_general", input = Json)]
pub async fn update_application_general(
    id: String,
    form: GeneralForm,
) -> Result<ApplicationDetail, AppError> {
    use super::server::{console_admin, to_app_error};
    let (ctx, admin) = console_admin().await?;
    let settings = engine::applications::GeneralSettings {
        name: form.name,
        description: form.description,
        access_url: form.access_url,
        discoverable: form.discoverable,
    };
    let app = ctx
        .engine
        .update_application_general(&admin, &app_id(&id)?, settings, ctx.now())
        .await
        .map_err(to_app_error)?;
    detail(&ctx, app).await
}

/// The Protocol tab's Update. Needs `internal_application_mgt_update`.
#[server(endpoint = "update_application_protocol", input = Json)]
pub async fn update_application_protocol(
    id: String,
    form: ProtocolForm,
) -> Result<ApplicationDetail, AppError> {
    use super::server::{console_admin, to_app_error};
    let (ctx, admin) = console_admin().await?;
    let settings = engine::applications::ProtocolSettings {
        redirect_uris: form.redirect_uris,
        post_logout_redirect_uris: form.post_logout_redirect_uris,
        grant_types: grant_types(&form.grant_types)?,
        pkce_required: form.pkce_required,
        access_token_lifetime: form.access_token_lifetime,
        refresh_token_lifetime: form.refresh_token_lifetime,
        id_token_lifetime: form.id_token_lifetime,
        subject_token_enabled: form.subject_token_enabled,
        subject_token_lifetime: form.subject_token_lifetime,
        refresh_grace_secs: form.refresh_grace_secs,
    };
    let app = ctx
        .engine
        .update_application_protocol(&admin, &app_id(&id)?, settings, ctx.now())
        .await
        .map_err(to_app_error)?;
    detail(&ctx, app).await
}

/// Makes a new client secret, shown once; the old one stops working. Needs
/// `internal_application_mgt_update`.
#[server(endpoint = "regenerate_client_secret", input = Json)]
pub async fn regenerate_client_secret(id: String) -> Result<OneTimeSecret, AppError> {
    use super::server::{console_admin, to_app_error};
    let (ctx, admin) = console_admin().await?;
    let secret = ctx
        .engine
        .regenerate_client_secret(&admin, &app_id(&id)?, ctx.now())
        .await
        .map_err(to_app_error)?;
    Ok(OneTimeSecret(secret.expose().to_owned()))
}

/// The Advanced tab's Update. Needs `internal_application_mgt_update`.
#[server(endpoint = "update_application_consent", input = Json)]
pub async fn update_application_consent(
    id: String,
    skip_login_consent: bool,
    skip_logout_consent: bool,
) -> Result<ApplicationDetail, AppError> {
    use super::server::{console_admin, to_app_error};
    let (ctx, admin) = console_admin().await?;
    let app = ctx
        .engine
        .update_application_consent(
            &admin,
            &app_id(&id)?,
            skip_login_consent,
            skip_logout_consent,
            ctx.now(),
        )
        .await
        .map_err(to_app_error)?;
    detail(&ctx, app).await
}

/// Needs `internal_application_mgt_delete`.
#[server(endpoint = "delete_application", input = Json)]
pub async fn delete_application(id: String) -> Result<(), AppError> {
    use super::server::{console_admin, to_app_error};
    let (ctx, admin) = console_admin().await?;
    ctx.engine
        .delete_application(&admin, &app_id(&id)?, ctx.now())
        .await
        .map_err(to_app_error)
}

/// The API Authorization tab. Needs `internal_application_mgt_view`.
#[server(endpoint = "application_authorizations", input = Json)]
pub async fn application_authorizations(id: String) -> Result<Vec<Authorization>, AppError> {
    use super::convert::authorization;
    use super::server::{console_admin, to_app_error};
    let (ctx, admin) = console_admin().await?;
    let found = ctx
        .engine
        .application_authorizations(&admin, &app_id(&id)?)
        .await
        .map_err(to_app_error)?;
    Ok(found.into_iter().map(authorization).collect())
}

/// Authorizes the application for exactly `scopes` of one API resource (none removes it). Needs
/// `internal_application_mgt_update`.
#[server(endpoint = "authorize_api_resource", input = Json)]
pub async fn authorize_api_resource(
    id: String,
    resource: String,
    scopes: Vec<String>,
) -> Result<Vec<Authorization>, AppError> {
    use super::convert::authorization;
    use super::server::{console_admin, to_app_error};
    let (ctx, admin) = console_admin().await?;
    // A malformed resource id is a field error like an unknown one.
    let resource =
        engine::ApiResourceId::parse(&resource).unwrap_or_else(engine::ApiResourceId::generate);
    let found = ctx
        .engine
        .authorize_api_resource(&admin, &app_id(&id)?, &resource, scopes, ctx.now())
        .await
        .map_err(to_app_error)?;
    Ok(found.into_iter().map(authorization).collect())
}
