use crate::api::account::UpdateMyProfile;
use crate::components::{field_error, ErrorNote, TextField};
use crate::model::{AppError, Profile};
use leptos::prelude::*;

/// The signed-in user's profile, editable; while impersonating, what the impersonator may not
/// change is read-only, with the reason.
#[component]
pub fn ProfileForm(profile: Profile, update: ServerAction<UpdateMyProfile>) -> impl IntoView {
    let email = RwSignal::new(profile.email.clone());
    let given_name = RwSignal::new(profile.given_name.clone());
    let family_name = RwSignal::new(profile.family_name.clone());
    let country = RwSignal::new(profile.country.clone());
    let result = update.value();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        update.dispatch(UpdateMyProfile {
            email: email.get_untracked(),
            given_name: given_name.get_untracked(),
            family_name: family_name.get_untracked(),
            country: country.get_untracked(),
        });
    };
    let other_error = move || match result.get() {
        Some(Err(e)) if !matches!(e, AppError::Invalid(_)) => Some(view! { <ErrorNote error=e /> }),
        _ => None,
    };
    view! {
        <section class="card" aria-labelledby="profile-title">
            <h2 id="profile-title">"Profile"</h2>
            <dl class="facts">
                <dt>"Username"</dt>
                <dd>{profile.username.clone()}</dd>
            </dl>
            {other_error}
            <Show when=move || matches!(result.get(), Some(Ok(_)))>
                <p class="alert alert-success" role="status">"Your profile was updated."</p>
            </Show>
            <form class="stack narrow" method="post" on:submit=on_submit novalidate>
                <TextField label="First Name" name="given_name" value=given_name error=field_error(result, "given_name") />
                <TextField label="Last Name" name="family_name" value=family_name error=field_error(result, "family_name") />
                <TextField
                    label="Email"
                    name="email"
                    kind="email"
                    value=email
                    error=field_error(result, "email")
                    locked=profile.while_impersonating.as_ref().and_then(|l| l.email.clone())
                />
                <TextField label="Country" name="country" value=country error=field_error(result, "country") />
                <div class="actions">
                    <button type="submit" class="primary" disabled=move || update.pending().get()>"Update"</button>
                </div>
            </form>
        </section>
    }
}

/// The page's heading, by the user's name, and the way to the Console for an administrator.
#[component]
pub fn Greeting(profile: Profile) -> impl IntoView {
    let greeting = match format!("{} {}", profile.given_name, profile.family_name).trim() {
        "" => profile.username.clone(),
        name => name.to_owned(),
    };
    view! {
        <h1>{format!("Hello, {greeting}")}</h1>
        <Show when=move || profile.is_administrator>
            <p><a href="/console">"Go to the Console"</a></p>
        </Show>
    }
}
