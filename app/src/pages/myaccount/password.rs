use crate::api::account::ChangeMyPassword;
use crate::components::{field_error, ErrorNote, TextField};
use crate::model::AppError;
use leptos::prelude::*;

/// Change password: proves the current one; the new one is typed twice.
#[component]
pub fn ChangePassword() -> impl IntoView {
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let mismatch = RwSignal::new(false);
    let change = ServerAction::<ChangeMyPassword>::new();
    let result = change.value();

    Effect::new(move |_| {
        if let Some(Ok(())) = result.get() {
            current.set(String::new());
            new.set(String::new());
            confirm.set(String::new());
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if new.get_untracked() != confirm.get_untracked() {
            mismatch.set(true);
            return;
        }
        mismatch.set(false);
        change.dispatch(ChangeMyPassword {
            current_password: current.get_untracked(),
            new_password: new.get_untracked(),
        });
    };
    let confirm_error = Signal::derive(move || {
        mismatch
            .get()
            .then(|| "The two new passwords differ.".to_owned())
    });
    let other_error = move || match result.get() {
        Some(Err(e)) if !matches!(e, AppError::Invalid(_)) => Some(view! { <ErrorNote error=e /> }),
        _ => None,
    };
    view! {
        <section class="card">
            <h2>"Change Password"</h2>
            {other_error}
            <Show when=move || matches!(result.get(), Some(Ok(())))>
                <p class="alert alert-success" role="status">"Your password was changed. Your other sessions were signed out."</p>
            </Show>
            <form class="stack narrow" method="post" on:submit=on_submit novalidate>
                <TextField
                    label="Current Password"
                    name="current_password"
                    kind="password"
                    autocomplete="current-password"
                    value=current
                    error=field_error(result, "current_password")
                />
                <TextField
                    label="New Password"
                    name="new_password"
                    kind="password"
                    autocomplete="new-password"
                    value=new
                    error=field_error(result, "new_password")
                />
                <TextField
                    label="Confirm New Password"
                    name="confirm_password"
                    kind="password"
                    autocomplete="new-password"
                    value=confirm
                    error=confirm_error
                />
                <div class="actions">
                    <button type="submit" class="primary" disabled=move || change.pending().get()>"Change Password"</button>
                </div>
            </form>
        </section>
    }
}
