//! The step-up before impersonating, on **Login & Registration > Organization settings >
//! Impersonation**: how recent the impersonator's sign-in must be, and whether it must always
//! include a second factor.

use crate::api::console_impersonation_settings::{get_step_up_policy, UpdateStepUpPolicy};
use crate::components::{field_error, form_error, succeeded, ErrorNote, TextField};
use crate::model::{AppError, ConsoleSession, StepUpPolicyView};
use leptos::prelude::*;

/// Made by the page before its Transition, so that it hydrates.
pub fn step_up_resource() -> Resource<Result<StepUpPolicyView, AppError>> {
    Resource::new(|| (), |_| get_step_up_policy())
}

#[component]
pub fn StepUpCard(policy: Resource<Result<StepUpPolicyView, AppError>>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="step-up-title">
            <h2 id="step-up-title">"Step-up"</h2>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || policy.get().map(|result| match result {
                    Ok(p) => view! { <StepUpForm policy=p /> }.into_any(),
                    Err(e) => view! { <ErrorNote error=e /> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn StepUpForm(policy: StepUpPolicyView) -> impl IntoView {
    let can_update = use_context::<ConsoleSession>().is_none_or(|s| s.configs.update);
    let minutes = RwSignal::new(policy.minutes.to_string());
    let always = RwSignal::new(policy.always_second_factor);
    let update = ServerAction::<UpdateStepUpPolicy>::new();
    let result = update.value();
    let not_a_number = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match minutes.get_untracked().trim().parse::<i64>() {
            Ok(n) => {
                not_a_number.set(false);
                update.dispatch(UpdateStepUpPolicy {
                    minutes: n,
                    always_second_factor: always.get_untracked(),
                });
            }
            Err(_) => not_a_number.set(true),
        }
    };
    let server_minutes_error = field_error(result, "step_up_minutes");
    let minutes_error = Signal::derive(move || {
        if not_a_number.get() {
            Some("Enter a whole number of minutes.".to_owned())
        } else {
            server_minutes_error.get()
        }
    });
    let problem = form_error(result);
    view! {
        <p class="hint">
            "Before an impersonation starts (Impersonate User, or a business application's subject token), the impersonator must have signed in — or confirmed who they are — within this many minutes, with their second factor when they have one."
        </p>
        {move || problem().map(|e| view! { <ErrorNote error=e /> })}
        <Show when=succeeded(result)>
            <p class="alert alert-success" role="status">"Saved."</p>
        </Show>
        <form class="stack narrow" method="post" on:submit=on_submit novalidate>
            <TextField
                label="Sign-in within (minutes)"
                name="step_up_minutes"
                value=minutes
                error=minutes_error
                hint="0 turns the step-up off."
            />
            <div class="field checkbox">
                <label>
                    <input
                        name="always_second_factor"
                        type="checkbox"
                        disabled=!can_update
                        bind:checked=always
                    />
                    "Always require a second factor"
                </label>
                <p class="hint">"Impersonators without an authenticator app cannot impersonate until they add one."</p>
            </div>
            <Show when=move || can_update>
                <div class="actions">
                    <button type="submit" class="primary" disabled=move || update.pending().get()>"Update"</button>
                </div>
            </Show>
        </form>
    }
}
