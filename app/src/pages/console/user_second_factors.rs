//! A user's **Two-step verification** on their page in the Console: whether they have an
//! authenticator app and how many recovery codes are left, and the reset for a user who lost both.

use crate::api::console_users::ResetSecondFactors;
use crate::components::{ConfirmDialog, ErrorNote};
use crate::model::{ConsoleSession, SecondFactorsSummary};
use leptos::prelude::*;

#[component]
pub fn SecondFactorsCard(
    user_id: StoredValue<String>,
    summary: SecondFactorsSummary,
    reset: ServerAction<ResetSecondFactors>,
) -> impl IntoView {
    let can_update = use_context::<ConsoleSession>().is_none_or(|s| s.users.update);
    let confirming = RwSignal::new(false);
    let status = match &summary.authenticator_app_since {
        Some(since) => format!(
            "On: an authenticator app since {since}, {} recovery codes left.",
            summary.recovery_codes_left
        ),
        None => "Off.".to_owned(),
    };
    let was_reset = move || matches!(reset.value().get(), Some(Ok(())));
    let failed = move || {
        reset
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| view! { <ErrorNote error=e /> })
    };
    let offer_reset = can_update && summary.authenticator_app_since.is_some();
    view! {
        <section class="card" aria-labelledby="user-two-step-title">
            <h2 id="user-two-step-title">"Two-step verification"</h2>
            {failed}
            <Show when=was_reset>
                <p class="alert alert-success" role="status">
                    "Two-step verification was reset: the user signs in with the password and can add a new authenticator app."
                </p>
            </Show>
            <p>{status}</p>
            {offer_reset.then(|| view! {
                <div class="actions">
                    <button type="button" class="danger" on:click=move |_| confirming.set(true)>
                        "Reset two-step verification"
                    </button>
                </div>
            })}
        </section>
        <ConfirmDialog
            open=confirming
            title="Reset two-step verification?".to_string()
            message="The user's authenticator app and recovery codes stop working. Until the user adds a new app, the password alone signs in.".to_string()
            confirm_label="Reset"
            on_confirm=move || {
                reset.dispatch(ResetSecondFactors { id: user_id.get_value() });
            }
        />
    }
}
