use leptos::prelude::*;

/// A value to hand on (a client id, a secret, an endpoint), read-only, with a **Copy** button that
/// puts it on the clipboard and says whether that worked.
#[component]
pub fn CopyValue(
    /// The visible label, also the input's and (as "Copy {label}") the button's name.
    label: String,
    value: String,
    /// The input's id; it is what the label points at.
    id: String,
) -> impl IntoView {
    let said = RwSignal::new(None::<&'static str>);
    let text = StoredValue::new(value.clone());
    let copy = move |_| {
        leptos::task::spawn_local(async move {
            let copied = write_clipboard(&text.get_value()).await;
            said.set(Some(if copied {
                "Copied."
            } else {
                "Could not copy: select the text and copy it yourself."
            }));
        });
    };
    let button_label = format!("Copy {label}");
    view! {
        <div class="field copy-value">
            <label for=id.clone()>{label}</label>
            <div class="copy-row">
                <input id=id class="secret" type="text" readonly=true value=value />
                <button type="button" aria-label=button_label on:click=copy>"Copy"</button>
            </div>
            <p class="hint" role="status">{move || said.get()}</p>
        </div>
    }
}

/// Writes `text` to the clipboard (the asynchronous Clipboard API); whether it worked.
#[cfg(feature = "hydrate")]
async fn write_clipboard(text: &str) -> bool {
    use leptos::wasm_bindgen::JsCast;
    use leptos::web_sys::js_sys::{Function, Promise, Reflect};
    let Ok(navigator) = Reflect::get(&window(), &"navigator".into()) else {
        return false;
    };
    let Ok(clipboard) = Reflect::get(&navigator, &"clipboard".into()) else {
        return false;
    };
    let Ok(write) =
        Reflect::get(&clipboard, &"writeText".into()).and_then(|f| f.dyn_into::<Function>())
    else {
        return false;
    };
    let Ok(promise) = write
        .call1(&clipboard, &text.into())
        .and_then(|p| p.dyn_into::<Promise>())
    else {
        return false;
    };
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}

/// Rendering on the server never copies anything.
#[cfg(not(feature = "hydrate"))]
async fn write_clipboard(_text: &str) -> bool {
    false
}
