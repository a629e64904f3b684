use super::permissions_picker::PermissionsPicker;
use crate::api::console_roles::{permission_choices, role_audience_choices, CreateRole};
use crate::components::{field_error, form_error, ErrorNote, TextField};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use std::collections::BTreeSet;

/// New Role: a name, a **Role Audience** (Organization, or one Application), and permissions chosen
/// per **API Resource**. Opened from an application's Roles tab, the audience is that application.
#[component]
pub fn NewRolePage() -> impl IntoView {
    let query = use_query_map();
    let preset_app = query
        .with_untracked(|q| q.get("application"))
        .unwrap_or_default();
    let name = RwSignal::new(String::new());
    let for_application = RwSignal::new(!preset_app.is_empty());
    let application = RwSignal::new(preset_app.clone());
    let selected = RwSignal::new(BTreeSet::<String>::new());
    let create = ServerAction::<CreateRole>::new();
    let result = create.value();

    let apps = Resource::new(|| (), |_| role_audience_choices());
    let audience = move || {
        for_application
            .get()
            .then(|| application.get())
            .filter(|a| !a.is_empty())
    };
    let catalog = Resource::new(audience, permission_choices);
    // A different audience offers different scopes: start the choice again.
    Effect::new(move |_| {
        audience();
        selected.set(BTreeSet::new());
    });

    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = result.get() {
            navigate(
                &format!("/console/roles/{id}?created=1"),
                Default::default(),
            );
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        create.dispatch(CreateRole {
            name: name.get_untracked(),
            application: for_application
                .get_untracked()
                .then(|| application.get_untracked()),
            permissions: selected.get_untracked().into_iter().collect(),
        });
    };
    let back = if preset_app.is_empty() {
        "/console/roles".to_owned()
    } else {
        format!("/console/applications/{preset_app}?tab=roles")
    };

    view! {
        <Title text="New Role · Console · Guise" />
        <p class="breadcrumb"><A href="/console/roles">"Roles"</A>" / New Role"</p>
        <h1>"New Role"</h1>
        {move || form_error(result)().map(|e| view! { <ErrorNote error=e /> })}
        <form class="stack narrow" method="post" on:submit=on_submit novalidate>
            <TextField label="Role Name" name="name" value=name error=field_error(result, "name") required=true />
            <fieldset class="scopes">
                <legend>"Role Audience"</legend>
                <div class="field checkbox">
                    <label for="audience-organization">
                        <input type="radio" id="audience-organization" name="audience" prop:checked=move || !for_application.get() on:change=move |_| for_application.set(false) />
                        "Organization"
                    </label>
                    <label for="audience-application">
                        <input type="radio" id="audience-application" name="audience" prop:checked=move || for_application.get() on:change=move |_| for_application.set(true) />
                        "Application"
                    </label>
                </div>
                <Show when=move || for_application.get()>
                    <div class="field">
                        <label for="field-audience">"Assigned application"</label>
                        <select id="field-audience" prop:value=move || application.get() on:change=move |ev| application.set(event_target_value(&ev)) aria-describedby="field-audience-error">
                            <option value="">"Select an application…"</option>
                            <Transition>
                                {move || apps.get().map(|r| match r {
                                    Ok(apps) => apps.into_iter().map(|a| {
                                        let selected_now = a.id == application.get_untracked();
                                        view! { <option value=a.id.clone() selected=selected_now>{a.name}</option> }
                                    }).collect_view().into_any(),
                                    Err(_) => ().into_any(),
                                })}
                            </Transition>
                        </select>
                        <p class="field-error" id="field-audience-error">{field_error(result, "audience")}</p>
                    </div>
                </Show>
            </fieldset>
            <Transition fallback=|| view! { <p class="loading">"Loading API resources…"</p> }>
                {move || catalog.get().map(|r| match r {
                    Ok(catalog) => view! { <PermissionsPicker catalog selected error=field_error(result, "permissions") /> }.into_any(),
                    Err(e) => view! { <ErrorNote error=e /> }.into_any(),
                })}
            </Transition>
            <div class="actions">
                <button type="submit" class="primary" disabled=move || create.pending().get()>"Create"</button>
                <A href=back>"Cancel"</A>
            </div>
        </form>
    }
}
