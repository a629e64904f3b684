//! The impersonation guardrails, on **Login & Registration > Organization settings >
//! Impersonation**: the step-up (how recent the impersonator's sign-in must be, and whether it
//! must always include a second factor) and the reason and ticket id asked at **Impersonate User**.

use crate::api::console_impersonation_settings::{
    get_impersonation_policy, UpdateImpersonationPolicy,
};
use crate::components::{field_error, form_error, succeeded, ErrorNote, TextField};
use crate::model::{AppError, ConsoleSession, ImpersonationPolicyView};
use leptos::prelude::*;

/// Made by the page before its Transition, so that it hydrates.
pub fn guardrails_resource() -> Resource<Result<ImpersonationPolicyView, AppError>> {
    Resource::new(|| (), |_| get_impersonation_policy())
}

#[component]
pub fn GuardrailsCard(
    policy: Resource<Result<ImpersonationPolicyView, AppError>>,
) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="guardrails-title">
            <h2 id="guardrails-title">"Guardrails"</h2>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || policy.get().map(|result| match result {
                    Ok(p) => view! { <GuardrailsForm policy=p /> }.into_any(),
                    Err(e) => view! { <ErrorNote error=e /> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn GuardrailsForm(policy: ImpersonationPolicyView) -> impl IntoView {
    let can_update = use_context::<ConsoleSession>().is_none_or(|s| s.configs.update);
    let minutes = RwSignal::new(policy.minutes.to_string());
    let always = RwSignal::new(policy.always_second_factor);
    let reason = RwSignal::new(policy.reason.clone());
    let pattern = RwSignal::new(policy.ticket_pattern.clone());
    let hard_limit = RwSignal::new(policy.hard_limit_minutes.clone());
    let deployment_limit = format!(
        "This deployment's limit is {} minutes; an organization's is never longer.",
        policy.deployment_limit_minutes
    );
    let update = ServerAction::<UpdateImpersonationPolicy>::new();
    let result = update.value();
    let not_a_number = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match minutes.get_untracked().trim().parse::<i64>() {
            Ok(n) => {
                not_a_number.set(false);
                update.dispatch(UpdateImpersonationPolicy {
                    minutes: n,
                    always_second_factor: always.get_untracked(),
                    reason: reason.get_untracked(),
                    ticket_pattern: pattern.get_untracked(),
                    hard_limit_minutes: hard_limit.get_untracked(),
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
    let choice = move |value: &'static str, label: &'static str| {
        view! {
            <label>
                <input
                    type="radio"
                    name="reason"
                    value=value
                    disabled=!can_update
                    prop:checked=move || reason.get() == value
                    on:change=move |_| reason.set(value.to_owned())
                />
                {label}
            </label>
        }
    };
    view! {
        {move || problem().map(|e| view! { <ErrorNote error=e /> })}
        <Show when=succeeded(result)>
            <p class="alert alert-success" role="status">"Saved."</p>
        </Show>
        <form class="stack narrow" method="post" on:submit=on_submit novalidate>
            <h3>"Step-up"</h3>
            <p class="hint">
                "Before an impersonation starts (Impersonate User, or a business application's subject token), the impersonator must have signed in — or confirmed who they are — within this many minutes, with their second factor when they have one."
            </p>
            <TextField
                label="Sign-in within (minutes)"
                name="step_up_minutes"
                value=minutes
                error=minutes_error
                hint="0 turns the step-up off."
            />
            <div class="field checkbox">
                <label>
                    <input name="always_second_factor" type="checkbox" disabled=!can_update bind:checked=always />
                    "Always require a second factor"
                </label>
                <p class="hint">"Impersonators without an authenticator app cannot impersonate until they add one."</p>
            </div>
            <h3>"Time limit"</h3>
            <p class="hint">{deployment_limit}</p>
            <TextField
                label="Time limit (minutes)"
                name="hard_limit_minutes"
                value=hard_limit
                error=field_error(result, "hard_limit_minutes")
                hint="How long one impersonation may last at most. Empty: the deployment's limit."
            />
            <h3>"Reason and ticket"</h3>
            <fieldset class="field">
                <legend>"Ask for a reason"</legend>
                {choice("off", "Off")}
                {choice("optional", "Optional")}
                {choice("required", "Required")}
            </fieldset>
            <TextField
                label="Ticket id pattern"
                name="ticket_pattern"
                value=pattern
                error=field_error(result, "ticket_pattern")
                hint="A regular expression the whole ticket id must match, such as SUP-[0-9]+. Empty: any ticket id, and none required."
            />
            <Show when=move || can_update>
                <div class="actions">
                    <button type="submit" class="primary" disabled=move || update.pending().get()>"Update"</button>
                </div>
            </Show>
        </form>
    }
}
