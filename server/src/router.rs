//! The HTTP surface: sign-in endpoints, the Leptos pages and server functions, static files.

use crate::state::AppState;
use crate::{
    audit_export, configs, confirm_identity, correlation, guard, health, impersonation,
    kill_switch, login, login_second_step, metrics_endpoint, oauth, organization_path, render_pool,
    scim, security, transport,
};
use app::{shell, App};
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use axum::Router;
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};

pub fn build(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let ctx = state.ctx.clone();
    let options = state.leptos_options.clone();
    // The Console and My Account: pages (rendered on their own runtime), server functions and
    // static files.
    let pages = Router::new()
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(ctx.clone()),
            move || shell(options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(from_fn_with_state(
            &render_pool::PAGE_RENDERS,
            render_pool::isolate_renders,
        ));
    let application = Router::new()
        .route("/auth/login", post(login::login))
        .route("/auth/login/code", post(login_second_step::login_code))
        .route("/auth/confirm-identity", post(confirm_identity::confirm))
        .route("/auth/logout", post(login::logout))
        .route("/auth/impersonation/start", post(impersonation::start))
        .route("/auth/impersonation/stop", post(impersonation::stop))
        .route("/console/logs/export", get(audit_export::export))
        .merge(health::routes())
        .route("/metrics", get(metrics_endpoint::serve_with_token))
        .merge(oauth::routes())
        .merge(scim::routes())
        .merge(configs::routes())
        .merge(kill_switch::routes())
        .merge(pages)
        .layer(from_fn_with_state(state.clone(), guard::require_session))
        .layer(from_fn_with_state(
            state.clone(),
            security::same_origin_writes,
        ))
        .layer(from_fn_with_state(state.clone(), security::headers))
        .layer(from_fn_with_state(
            state.clone(),
            correlation::audit_context,
        ))
        .layer(transport::compression());
    // Timed around everything else, under the route's template (known once routed).
    let application = if state.web.metrics.is_on() {
        metrics_endpoint::install();
        application.layer(axum::middleware::from_fn(metrics_endpoint::track))
    } else {
        application
    };
    let application = application.with_state(state.clone());
    organization_path::with_prefixes(application, state)
}
