use crate::api::account::ChangeMyPassword;
use crate::components::{field_error, ErrorNote, TextField};
use crate::model::AppError;
use leptos::prelude::*;

/// What the password form holds. It lives with the page, not the form, so the form can be drawn
/// again (the profile beside it reloads after a save) without losing what was typed.
#[derive(Clone, Copy)]
pub struct PasswordDraft {
    current: RwSignal<String>,
    new: RwSignal<String>,
    confirm: RwSignal<String>,
    mismatch: RwSignal<bool>,
    change: ServerAction<ChangeMyPassword>,
}

impl PasswordDraft {
    pub fn new() -> Self {
        let draft = Self {
            current: RwSignal::new(String::new()),
            new: RwSignal::new(String::new()),
            confirm: RwSignal::new(String::new()),
            mismatch: RwSignal::new(false),
            change: ServerAction::new(),
        };
        Effect::new(move |_| {
            if let Some(Ok(())) = draft.change.value().get() {
                draft.current.set(String::new());
                draft.new.set(String::new());
                draft.confirm.set(String::new());
            }
        });
        draft
    }
}

impl Default for PasswordDraft {
    fn default() -> Self {
        Self::new()
    }
}

/// Change password: proves the current one; the new one is typed twice. While impersonating, the
/// section says why the password cannot be changed instead of offering a form the server refuses.
#[component]
pub fn ChangePassword(draft: PasswordDraft, locked: Option<String>) -> impl IntoView {
    if let Some(why) = locked {
        return view! {
            <section class="card" aria-labelledby="change-password-title">
                <h2 id="change-password-title">"Change Password"</h2>
                <p class="hint locked">{why}</p>
            </section>
        }
        .into_any();
    }
    let PasswordDraft {
        current,
        new,
        confirm,
        mismatch,
        change,
    } = draft;
    let result = change.value();
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
        <section class="card" aria-labelledby="change-password-title">
            <h2 id="change-password-title">"Change Password"</h2>
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
    .into_any()
}
