use crate::api::console_users::CreateUser;
use crate::components::{field_error, ErrorNote, TextField};
use crate::model::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

/// Add User: every field is checked on the server; each problem shows next to its field.
#[component]
pub fn NewUserPage() -> impl IntoView {
    let username = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let given_name = RwSignal::new(String::new());
    let family_name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let create = ServerAction::<CreateUser>::new();
    let result = create.value();

    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = result.get() {
            navigate(
                &format!("/console/users/{id}?created=1"),
                Default::default(),
            );
        }
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        create.dispatch(CreateUser {
            username: username.get_untracked(),
            email: email.get_untracked(),
            given_name: given_name.get_untracked(),
            family_name: family_name.get_untracked(),
            password: password.get_untracked(),
        });
    };
    let form_error = move || match result.get() {
        Some(Err(AppError::Invalid(_))) | Some(Ok(_)) | None => None,
        Some(Err(e)) => Some(view! { <ErrorNote error=e /> }),
    };

    view! {
        <Title text="Add User · Console · Guise" />
        <p class="breadcrumb"><A href="/console/users">"Users"</A>" / Add User"</p>
        <h1>"Add User"</h1>
        {form_error}
        <form class="stack narrow" method="post" on:submit=on_submit novalidate>
            <TextField label="Username" name="username" value=username error=field_error(result, "username") required=true />
            <TextField label="Email" name="email" kind="email" value=email error=field_error(result, "email") required=true />
            <TextField label="First Name" name="given_name" value=given_name error=field_error(result, "given_name") />
            <TextField label="Last Name" name="family_name" value=family_name error=field_error(result, "family_name") />
            <TextField
                label="Password"
                name="password"
                kind="password"
                autocomplete="new-password"
                value=password
                error=field_error(result, "password")
                required=true
            />
            <div class="actions">
                <button type="submit" class="primary" disabled=move || create.pending().get()>"Add User"</button>
                <A href="/console/users">"Cancel"</A>
            </div>
        </form>
    }
}
