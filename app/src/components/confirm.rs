use leptos::prelude::*;

/// Asks before a destructive action. `open` shows it; confirming closes it and runs `on_confirm`.
/// Escape or Cancel closes it without acting; focus starts on Cancel, the safe choice, and goes back
/// to whatever opened the dialog when it closes.
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
    // The element that had the focus when the dialog opened, to give it back on close.
    let opener = StoredValue::new_local(None::<leptos::web_sys::HtmlElement>);
    Effect::new(move |_| {
        if open.get() {
            if opener.with_value(Option::is_none) {
                opener.set_value(focused_element());
            }
            if let Some(button) = cancel_ref.get() {
                let _ = button.focus();
            }
        }
    });
    Effect::new(move |was_open: Option<bool>| {
        let now = open.get();
        if !now && was_open == Some(true) {
            if let Some(element) = opener.get_value() {
                let _ = element.focus();
            }
            opener.set_value(None);
        }
        now
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

/// The element that has the keyboard focus (the button that opened the dialog).
fn focused_element() -> Option<leptos::web_sys::HtmlElement> {
    use leptos::wasm_bindgen::JsCast;
    document()
        .active_element()
        .and_then(|e| e.dyn_into::<leptos::web_sys::HtmlElement>().ok())
}
