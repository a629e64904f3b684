use crate::api::console_applications::{RegenerateClientSecret, UpdateApplicationProtocol};
use crate::components::{
    field_error, form_error, lines, succeeded, CheckboxField, ConfirmDialog, CopyValue, ErrorNote,
    LinesField, TextField,
};
use crate::model::{ApplicationDetail, ConsoleSession, Endpoints, ProtocolForm, GRANT_TYPES};
use crate::pages::console::application_page::{LockedField, SYSTEM_NOTE};
use leptos::prelude::*;

/// A lifetime as typed; -1 when it is not a number, so the server names the field.
fn seconds(text: &str) -> i64 {
    text.trim().parse().unwrap_or(-1)
}

/// An application's Protocol tab: its client ID and secret, redirect URIs, grant types, PKCE, the
/// subject token and the token lifetimes. A system application may change only the lifetimes.
#[component]
pub fn ProtocolTab(
    app: ApplicationDetail,
    /// Told the stored application after each successful update.
    #[prop(optional, into)]
    on_saved: Option<Callback<ApplicationDetail>>,
) -> impl IntoView {
    let can_update = use_context::<ConsoleSession>().is_none_or(|s| s.applications.update);
    let system = app.summary.system;
    let public = app.summary.public_client;
    let p = app.protocol.clone();
    let id = StoredValue::new(app.summary.id.clone());
    let redirect_uris = RwSignal::new(p.redirect_uris.join("\n"));
    let post_logout = RwSignal::new(p.post_logout_redirect_uris.join("\n"));
    let grants = StoredValue::new(
        GRANT_TYPES
            .iter()
            .map(|&(wire, label)| {
                (
                    wire,
                    label,
                    RwSignal::new(p.grant_types.iter().any(|g| g == wire)),
                )
            })
            .collect::<Vec<_>>(),
    );
    let pkce = RwSignal::new(p.pkce_required || public);
    let subject_enabled = RwSignal::new(p.subject_token_enabled);
    let subject_lifetime = RwSignal::new(p.subject_token_lifetime.to_string());
    let access_lifetime = RwSignal::new(p.access_token_lifetime.to_string());
    let refresh_lifetime = RwSignal::new(p.refresh_token_lifetime.to_string());
    let id_lifetime = RwSignal::new(p.id_token_lifetime.to_string());
    let refresh_grace = RwSignal::new(p.refresh_grace_secs.to_string());
    let update = ServerAction::<UpdateApplicationProtocol>::new();
    let result = update.value();

    // Show what the server stored.
    Effect::new(move |_| {
        if let Some(Ok(saved)) = result.get() {
            let s = &saved.protocol;
            redirect_uris.set(s.redirect_uris.join("\n"));
            post_logout.set(s.post_logout_redirect_uris.join("\n"));
            grants.with_value(|all| {
                for (wire, _, checked) in all {
                    checked.set(s.grant_types.iter().any(|g| g == wire));
                }
            });
            pkce.set(s.pkce_required || public);
            subject_enabled.set(s.subject_token_enabled);
            subject_lifetime.set(s.subject_token_lifetime.to_string());
            access_lifetime.set(s.access_token_lifetime.to_string());
            refresh_lifetime.set(s.refresh_token_lifetime.to_string());
            id_lifetime.set(s.id_token_lifetime.to_string());
            refresh_grace.set(s.refresh_grace_secs.to_string());
            if let Some(on_saved) = on_saved {
                on_saved.run(saved);
            }
        }
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let grant_types = grants.with_value(|all| {
            all.iter()
                .filter(|(_, _, checked)| checked.get_untracked())
                .map(|(wire, _, _)| (*wire).to_owned())
                .collect()
        });
        update.dispatch(UpdateApplicationProtocol {
            id: id.get_value(),
            form: ProtocolForm {
                redirect_uris: lines(&redirect_uris.get_untracked()),
                post_logout_redirect_uris: lines(&post_logout.get_untracked()),
                grant_types,
                pkce_required: pkce.get_untracked(),
                access_token_lifetime: seconds(&access_lifetime.get_untracked()),
                refresh_token_lifetime: seconds(&refresh_lifetime.get_untracked()),
                id_token_lifetime: seconds(&id_lifetime.get_untracked()),
                subject_token_enabled: subject_enabled.get_untracked(),
                subject_token_lifetime: seconds(&subject_lifetime.get_untracked()),
                refresh_grace_secs: seconds(&refresh_grace.get_untracked()),
            },
        });
    };
    let problem = form_error(result);
    let grant_error = field_error(result, "grant_types");

    view! {
        <ClientCredentials id=app.summary.id.clone() client_id=app.summary.client_id.clone() can_regenerate=can_update && !public && !system />
        <EndpointsPanel endpoints=app.endpoints.clone() />
        {move || problem().map(|e| view! { <ErrorNote error=e /> })}
        <Show when=succeeded(result)>
            <p class="alert alert-success" role="status">"Saved."</p>
        </Show>
        <section class="card">
            <h2>"Protocol"</h2>
            <form class="stack narrow" method="post" on:submit=on_submit novalidate>
                {system.then(|| view! { <p class="hint">{SYSTEM_NOTE}</p> })}
                <LinesField label="Redirect URIs" name="redirect_uris" value=redirect_uris hint="One per line" error=field_error(result, "redirect_uris") disabled=system />
                <LinesField
                    label="Post-logout Redirect URIs"
                    name="post_logout_redirect_uris"
                    value=post_logout
                    hint="One per line"
                    error=field_error(result, "post_logout_redirect_uris")
                    disabled=system
                />
                <fieldset class="scopes" aria-describedby="grant-types-error">
                    <legend>"Allowed grant types"</legend>
                    {grants
                        .get_value()
                        .into_iter()
                        .map(|(wire, label, checked)| view! { <CheckboxField label name=wire checked disabled=system /> })
                        .collect_view()}
                    <p class="field-error" id="grant-types-error">{move || grant_error.get()}</p>
                </fieldset>
                <CheckboxField
                    label="PKCE required"
                    name="pkce_required"
                    checked=pkce
                    hint="Proof Key for Code Exchange (PKCE). Always on for public clients."
                    error=field_error(result, "pkce_required")
                    disabled=system || public
                />
                <CheckboxField
                    label="Enable subject token response type"
                    name="subject_token_enabled"
                    checked=subject_enabled
                    error=field_error(result, "subject_token_enabled")
                    disabled=system
                />
                {if system {
                    let value = p.subject_token_lifetime.to_string();
                    view! { <LockedField label="Subject token expiry time (seconds)" name="subject_token_lifetime" value /> }.into_any()
                } else {
                    view! {
                        <TextField
                            label="Subject token expiry time (seconds)"
                            name="subject_token_lifetime"
                            kind="number"
                            value=subject_lifetime
                            error=field_error(result, "subject_token_lifetime")
                        />
                    }
                        .into_any()
                }}
                <TextField label="Access token expiry time (seconds)" name="access_token_lifetime" kind="number" value=access_lifetime error=field_error(result, "access_token_lifetime") />
                <TextField label="Refresh token expiry time (seconds)" name="refresh_token_lifetime" kind="number" value=refresh_lifetime error=field_error(result, "refresh_token_lifetime") />
                <TextField label="ID token expiry time (seconds)" name="id_token_lifetime" kind="number" value=id_lifetime error=field_error(result, "id_token_lifetime") />
                <TextField
                    label="Refresh token grace period (seconds)"
                    name="refresh_grace_secs"
                    kind="number"
                    value=refresh_grace
                    hint="0 to 60. With 0, any reuse of a rotated refresh token is taken as theft and signs the application out of that sign-in. Above 0, a reuse within that time (a second tab, a retried request) is only refused, which also lets a thief who refreshed first keep the tokens for that long."
                    error=field_error(result, "refresh_grace_secs")
                />
                <Show when=move || can_update>
                    <div class="actions">
                        <button type="submit" class="primary" disabled=move || update.pending().get()>"Update"</button>
                    </div>
                </Show>
            </form>
        </section>
    }
}

/// The client ID, and for a confidential client a new secret on request, shown once.
#[component]
fn ClientCredentials(id: String, client_id: String, can_regenerate: bool) -> impl IntoView {
    let id = StoredValue::new(id);
    let regenerate = ServerAction::<RegenerateClientSecret>::new();
    let result = regenerate.value();
    let confirming = RwSignal::new(false);
    let problem = form_error(result);
    view! {
        <section class="card stack narrow">
            <h2>"Client"</h2>
            <CopyValue label="Client ID".into() value=client_id id="field-client_id".into() />
            {move || problem().map(|e| view! { <ErrorNote error=e /> })}
            {move || {
                result
                    .get()
                    .and_then(Result::ok)
                    .map(|s| {
                        view! {
                            <div class="alert alert-success" role="status">
                                <CopyValue label="New client secret".into() value=s.0 id="new-client-secret".into() />
                                <p>"Copy it now: it is shown only once."</p>
                            </div>
                        }
                    })
            }}
            <Show when=move || can_regenerate>
                <div class="actions">
                    <button
                        type="button"
                        disabled=move || regenerate.pending().get()
                        on:click=move |_| confirming.set(true)
                    >
                        "Regenerate Secret"
                    </button>
                </div>
            </Show>
        </section>
        <ConfirmDialog
            open=confirming
            title="Regenerate the client secret?".to_string()
            message="The current secret stops working at once: every service using it must be given the new one.".to_string()
            confirm_label="Regenerate"
            on_confirm=move || {
                regenerate.dispatch(RegenerateClientSecret { id: id.get_value() });
            }
        />
    }
}

/// The provider's endpoints for the application's organization, each with a Copy button: what a
/// developer configures the application with.
#[component]
fn EndpointsPanel(endpoints: Endpoints) -> impl IntoView {
    let rows = [
        ("Issuer", "issuer", endpoints.issuer),
        ("Discovery", "discovery", endpoints.discovery),
        ("Authorize", "authorize", endpoints.authorize),
        ("Token", "token", endpoints.token),
        ("Userinfo", "userinfo", endpoints.userinfo),
        ("JWKS", "jwks", endpoints.jwks),
        ("Introspection", "introspection", endpoints.introspection),
        ("Revocation", "revocation", endpoints.revocation),
        ("Logout", "logout", endpoints.logout),
    ];
    view! {
        <section class="card stack" aria-labelledby="endpoints-title">
            <h2 id="endpoints-title">"Endpoints"</h2>
            <p class="hint">"Where the application finds the provider, for this application's organization."</p>
            {rows
                .into_iter()
                .map(|(label, key, value)| {
                    view! { <CopyValue label=label.to_owned() value id=format!("endpoint-{key}") /> }
                })
                .collect_view()}
        </section>
    }
}
