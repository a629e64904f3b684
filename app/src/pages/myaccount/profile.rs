use crate::api::account::{my_profile, UpdateMyProfile};
use crate::components::{field_error, successful_saves, ErrorNote, TextField};
use crate::model::{AppError, Profile};
use leptos::prelude::*;

use super::password::ChangePassword;

/// The signed-in user's profile, editable, and the password form.
#[component]
pub fn ProfilePage() -> impl IntoView {
    let update = ServerAction::<UpdateMyProfile>::new();
    // A failed save leaves the form as typed, with the error beside it.
    let saved = successful_saves(update.value(), update.version());
    let profile = Resource::new(move || saved.get(), |_| my_profile());
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading your profile…"</p> }>
            {move || {
                profile
                    .get()
                    .map(|result| match result {
                        Ok(p) => view! { <ProfileForm profile=p update /> }.into_any(),
                        Err(AppError::NotSignedIn) => {
                            view! { <p><a href="/login?return_to=/myaccount">"Sign in to My Account"</a></p> }.into_any()
                        }
                        Err(e) => view! { <ErrorNote error=e /> }.into_any(),
                    })
            }}
        </Transition>
        <ChangePassword />
    }
}

#[component]
fn ProfileForm(profile: Profile, update: ServerAction<UpdateMyProfile>) -> impl IntoView {
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
    let greeting = match format!("{} {}", profile.given_name, profile.family_name).trim() {
        "" => profile.username.clone(),
        name => name.to_owned(),
    };
    let other_error = move || match result.get() {
        Some(Err(e)) if !matches!(e, AppError::Invalid(_)) => Some(view! { <ErrorNote error=e /> }),
        _ => None,
    };
    view! {
        <h1>{format!("Hello, {greeting}")}</h1>
        <Show when=move || profile.is_administrator>
            <p><a href="/console">"Go to the Console"</a></p>
        </Show>
        <section class="card">
            <h2>"Profile"</h2>
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
                <TextField label="Email" name="email" kind="email" value=email error=field_error(result, "email") />
                <TextField label="Country" name="country" value=country error=field_error(result, "country") />
                <div class="actions">
                    <button type="submit" class="primary" disabled=move || update.pending().get()>"Update"</button>
                </div>
            </form>
        </section>
    }
}
