use crate::api::console_applications::CreateApplication;
use crate::components::CopyValue;
use crate::components::{field_error, form_error, lines, ErrorNote, LinesField, TextField};
use crate::model::NewApplicationForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

/// New Application: a name, the client type, redirect URIs and an access URL. A confidential
/// client's secret is shown here once; a public client goes straight to its page.
#[component]
pub fn NewApplicationPage() -> impl IntoView {
    let name = RwSignal::new(String::new());
    let public_client = RwSignal::new(false);
    let redirect_uris = RwSignal::new(String::new());
    let access_url = RwSignal::new(String::new());
    let create = ServerAction::<CreateApplication>::new();
    let result = create.value();
    // The new application's id and secret, while the secret is on show.
    let revealed = Memo::new(move |_| {
        result.with(|r| match r {
            Some(Ok(created)) => created.client_secret.as_ref().map(|secret| {
                (
                    created.id.clone(),
                    created.client_id.clone(),
                    secret.0.clone(),
                )
            }),
            _ => None,
        })
    });

    let navigate = use_navigate();
    Effect::new(move |_| {
        result.with(|r| {
            if let Some(Ok(created)) = r {
                if created.client_secret.is_none() {
                    navigate(
                        &format!("/console/applications/{}?created=1", created.id),
                        Default::default(),
                    );
                }
            }
        });
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        create.dispatch(CreateApplication {
            form: NewApplicationForm {
                name: name.get_untracked(),
                public_client: public_client.get_untracked(),
                redirect_uris: lines(&redirect_uris.get_untracked()),
                access_url: access_url.get_untracked(),
            },
        });
    };

    view! {
        <Title text="New Application · Console · Guise" />
        <p class="breadcrumb"><A href="/console/applications">"Applications"</A>" / New Application"</p>
        <h1>"New Application"</h1>
        <Show
            when=move || revealed.with(Option::is_none)
            fallback=move || {
                revealed
                    .get()
                    .map(|(id, client_id, secret)| view! { <CreatedCard id client_id secret /> })
            }
        >
            {move || form_error(result)().map(|e| view! { <ErrorNote error=e /> })}
            <form class="stack narrow" method="post" on:submit=on_submit novalidate>
                <TextField label="Name" name="name" value=name error=field_error(result, "name") required=true />
                <fieldset class="scopes">
                    <legend>"Client type"</legend>
                    <div class="field checkbox">
                        <label for="client-type-confidential">
                            <input
                                id="client-type-confidential"
                                type="radio"
                                name="client_type"
                                value="confidential"
                                checked=true
                                prop:checked=move || !public_client.get()
                                on:change=move |_| public_client.set(false)
                            />
                            "Confidential"
                        </label>
                        <p class="hint">"Runs on a server and keeps a client secret."</p>
                    </div>
                    <div class="field checkbox">
                        <label for="client-type-public">
                            <input
                                id="client-type-public"
                                type="radio"
                                name="client_type"
                                value="public"
                                prop:checked=move || public_client.get()
                                on:change=move |_| public_client.set(true)
                            />
                            "Public"
                        </label>
                        <p class="hint">"A browser or mobile app without a secret; PKCE is always required."</p>
                    </div>
                </fieldset>
                <LinesField
                    label="Redirect URIs"
                    name="redirect_uris"
                    value=redirect_uris
                    hint="One per line"
                    error=field_error(result, "redirect_uris")
                />
                <TextField label="Access URL" name="access_url" kind="url" value=access_url error=field_error(result, "access_url") />
                <div class="actions">
                    <button type="submit" class="primary" disabled=move || create.pending().get()>"Create"</button>
                    <A href="/console/applications">"Cancel"</A>
                </div>
            </form>
        </Show>
    }
}

/// The one showing of a new confidential client's secret.
#[component]
fn CreatedCard(id: String, client_id: String, secret: String) -> impl IntoView {
    // The form that had focus is gone: keyboard and screen reader users start at the heading.
    let heading = NodeRef::<leptos::html::H2>::new();
    Effect::new(move |_| {
        if let Some(h) = heading.get() {
            let _ = h.focus();
        }
    });
    view! {
        <section class="card stack" aria-labelledby="created-title">
            <h2 id="created-title" tabindex="-1" node_ref=heading>"Application created"</h2>
            <CopyValue label="Client ID".into() value=client_id id="created-client-id".into() />
            <CopyValue label="Client secret".into() value=secret id="created-client-secret".into() />
            <p>"Copy the client secret now: it is shown only once."</p>
            <div class="actions">
                <A href=format!("/console/applications/{id}") attr:class="button primary">"Go to the application"</A>
            </div>
        </section>
    }
}
