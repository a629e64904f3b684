use leptos::prelude::*;

/// Asks before a destructive action. `open` shows it; confirming closes it and runs `on_confirm`.
/// Escape or Cancel closes it without acting; focus starts on Cancel, the safe choice.
#[component]
pub fn ConfirmDialog(
    open: RwSignal<bool>,
    /// The question, also the dialog's accessible name.
    title: String,
    message: String,
    /// The destructive button's label ("Delete").
    confirm_label: &'static str,
    on_confirm: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let on_confirm = StoredValue::new(on_confirm);
    let title = StoredValue::new(title);
    let message = StoredValue::new(message);
    let cancel_ref = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if open.get() {
            if let Some(button) = cancel_ref.get() {
                let _ = button.focus();
            }
        }
    });
    view! {
        <Show when=move || open.get()>
            <div
                class="dialog-backdrop"
                on:keydown=move |ev| {
                    if ev.key() == "Escape" {
                        open.set(false);
                    }
                }
            >
                <div class="dialog" role="alertdialog" aria-modal="true" aria-labelledby="confirm-title" aria-describedby="confirm-message">
                    <h2 id="confirm-title">{title.get_value()}</h2>
                    <p id="confirm-message">{message.get_value()}</p>
                    <div class="actions">
                        <button
                            type="button"
                            class="danger"
                            on:click=move |_| {
                                open.set(false);
                                on_confirm.with_value(|f| f());
                            }
                        >
                            {confirm_label}
                        </button>
                        <button type="button" node_ref=cancel_ref on:click=move |_| open.set(false)>"Cancel"</button>
                    </div>
                </div>
            </div>
        </Show>
    }
}
