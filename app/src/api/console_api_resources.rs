//! API Resources: system and business APIs with their scopes. Each function names the scope it
//! needs; the engine checks it.

use crate::model::{ApiResource, ApiResourceForm, AppError, Paged};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

pub const PAGE_SIZE: u32 = 20;

/// Needs `internal_api_resource_view`.
#[server(endpoint = "list_api_resources", input = Json)]
pub async fn list_api_resources(search: String, page: u32) -> Result<Paged<ApiResource>, AppError> {
    use super::convert::{api_resource, paged};
    use super::server::{console_admin, to_app_error};
    let (ctx, admin) = console_admin().await?;
    let found = ctx
        .engine
        .list_api_resources(&admin, &search, engine::PageRequest::new(page, PAGE_SIZE))
        .await
        .map_err(to_app_error)?;
    Ok(paged(found, api_resource))
}

/// Every API resource with its scopes, for permission and authorization pickers. Needs a view scope
/// of API resources, roles or applications.
#[server(endpoint = "api_resource_catalog", input = Json)]
pub async fn api_resource_catalog() -> Result<Vec<ApiResource>, AppError> {
    use super::convert::api_resource;
    use super::server::{console_admin, to_app_error};
    let (ctx, admin) = console_admin().await?;
    let all = ctx
        .engine
        .api_resource_catalog(&admin)
        .await
        .map_err(to_app_error)?;
    Ok(all.into_iter().map(api_resource).collect())
}

/// Needs `internal_api_resource_view`.
#[server(endpoint = "get_api_resource", input = Json)]
pub async fn get_api_resource(id: String) -> Result<ApiResource, AppError> {
    use super::convert::{api_resource, parse_id};
    use super::server::{console_admin, to_app_error};
    let (ctx, admin) = console_admin().await?;
    let id = parse_id(&id, engine::ApiResourceId::parse, "API resource")?;
    let found = ctx
        .engine
        .api_resource(&admin, &id)
        .await
        .map_err(to_app_error)?;
    Ok(api_resource(found))
}

#[cfg(feature = "ssr")]
fn input(form: ApiResourceForm) -> engine::api_resources::ApiResourceInput {
    engine::api_resources::ApiResourceInput {
        identifier: form.identifier,
        name: form.name,
        description: form.description,
        scopes: form
            .scopes
            .into_iter()
            .map(|s| engine::api_resources::ApiScope {
                name: s.name,
                display_name: s.display_name,
                description: s.description,
            })
            .collect(),
    }
}

/// Needs `internal_api_resource_create`. Returns the new resource.
#[server(endpoint = "create_api_resource", input = Json)]
pub async fn create_api_resource(form: ApiResourceForm) -> Result<ApiResource, AppError> {
    use super::convert::api_resource;
    use super::server::{console_admin, to_app_error};
    let (ctx, admin) = console_admin().await?;
    let created = ctx
        .engine
        .create_api_resource(&admin, input(form), ctx.now())
        .await
        .map_err(to_app_error)?;
    Ok(api_resource(created))
}

/// Needs `internal_api_resource_update`.
#[server(endpoint = "update_api_resource", input = Json)]
pub async fn update_api_resource(
    id: String,
    form: ApiResourceForm,
) -> Result<ApiResource, AppError> {
    use super::convert::{api_resource, parse_id};
    use super::server::{console_admin, to_app_error};
    let (ctx, admin) = console_admin().await?;
    let id = parse_id(&id, engine::ApiResourceId::parse, "API resource")?;
    let updated = ctx
        .engine
        .update_api_resource(&admin, &id, input(form), ctx.now())
        .await
        .map_err(to_app_error)?;
    Ok(api_resource(updated))
}

/// Needs `internal_api_resource_delete`.
#[server(endpoint = "delete_api_resource", input = Json)]
pub async fn delete_api_resource(id: String) -> Result<(), AppError> {
    use super::convert::parse_id;
    use super::server::{console_admin, to_app_error};
    let (ctx, admin) = console_admin().await?;
    let id = parse_id(&id, engine::ApiResourceId::parse, "API resource")?;
    ctx.engine
        .delete_api_resource(&admin, &id, ctx.now())
        .await
        .map_err(to_app_error)
}
