use crate::model::AppError;
use leptos::prelude::*;

/// A labelled input bound to `value`, with its field-level error beneath it.
#[component]
pub fn TextField(
    /// The visible label (what `getByLabel` finds).
    label: &'static str,
    /// The field name, also the key of its error.
    name: &'static str,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional)] required: bool,
    /// What the field means, shown under it (and read with it).
    #[prop(optional)]
    hint: &'static str,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described_by = if hint.is_empty() {
        error_id.clone()
    } else {
        format!("{hint_id} {error_id}")
    };
    view! {
        <div class="field" class:has-error=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            <input
                id=id
                name=name
                type=kind
                autocomplete=autocomplete
                required=required
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                aria-describedby=described_by
                bind:value=value
            />
            {(!hint.is_empty()).then(|| view! { <p class="hint" id=hint_id>{hint}</p> })}
            <p class="field-error" id=error_id>
                {move || error.get()}
            </p>
        </div>
    }
}

/// The error for field `name` in the latest result of a form's action.
pub fn field_error<T, S>(result: S, name: &'static str) -> Signal<Option<String>>
where
    T: Send + Sync + 'static,
    S: With<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    Signal::derive(move || {
        result.with(|r| {
            r.as_ref()
                .and_then(|r| r.as_ref().err())
                .and_then(|e| e.field(name))
        })
    })
}
