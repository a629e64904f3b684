use super::applications::ApplicationsSection;
use super::password::{ChangePassword, PasswordDraft};
use super::profile::{Greeting, ProfileForm};
use super::two_step::{TwoStep, TwoStepVerification};
use crate::api::account::{my_profile, UpdateMyProfile};
use crate::api::my_account::load_my_applications;
use crate::components::{successful_saves, ErrorNote};
use crate::model::AppError;
use leptos::prelude::*;

/// My Account's landing page: the profile, password and two-step verification, and the
/// applications to launch. While
/// someone impersonates the user, **Applications** comes first: entering them as the user is what
/// an impersonation is for (the guide's flow), and what may not be changed is shown read-only.
#[component]
pub fn MyAccountHome() -> impl IntoView {
    let update = ServerAction::<UpdateMyProfile>::new();
    // Reloads after a successful save only: a failed save leaves the form as typed.
    let saved = successful_saves(update.value(), update.version());
    // Both are made here, before the Transition, so that they hydrate wherever they are drawn.
    let profile = Resource::new(move || saved.get(), |_| my_profile());
    let apps = Resource::new(|| (), |_| load_my_applications());
    let password = PasswordDraft::new();
    let two_step = TwoStep::new();
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading your profile…"</p> }>
            {move || {
                profile
                    .get()
                    .map(|result| match result {
                        Ok(profile) => {
                            let locked = profile.while_impersonating.as_ref().and_then(|l| l.password.clone());
                            let applications_first = profile.while_impersonating.is_some();
                            view! {
                                <Greeting profile=profile.clone() />
                                {applications_first.then(|| view! { <ApplicationsSection apps /> })}
                                <ProfileForm profile update />
                                <ChangePassword draft=password locked />
                                <TwoStepVerification two_step />
                                {(!applications_first).then(|| view! { <ApplicationsSection apps /> })}
                            }
                                .into_any()
                        }
                        Err(AppError::NotSignedIn) => {
                            view! { <p><a href="/login?return_to=/myaccount">"Sign in to My Account"</a></p> }.into_any()
                        }
                        Err(e) => view! { <ErrorNote error=e /> }.into_any(),
                    })
            }}
        </Transition>
    }
}
