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
    // Focus starts on Cancel; the element that had it when the dialog opened gets it back on close.
    // The opener lives in the effect's own state: effects run only in the browser, so nothing
    // browser-bound is ever created (or dropped on another thread) during server rendering.
    Effect::new(
        move |opener: Option<Option<leptos::web_sys::HtmlElement>>| {
            let opener = opener.flatten();
            if open.get() {
                let opener = opener.or_else(focused_element);
                if let Some(button) = cancel_ref.get() {
                    let _ = button.focus();
                }
                opener
            } else {
                if let Some(element) = opener {
                    let _ = element.focus();
                }
                None
            }
        },
    );
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
