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
    /// Why the field may not be changed here, when it may not: the field is read-only and says so.
    #[prop(default = None)]
    locked: Option<String>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let locked_id = format!("{id}-locked");
    let described_by = [
        (!hint.is_empty()).then_some(hint_id.as_str()),
        locked.is_some().then_some(locked_id.as_str()),
        Some(error_id.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let read_only = locked.is_some();
    view! {
        <div class="field" class:has-error=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            <input
                id=id
                name=name
                type=kind
                autocomplete=autocomplete
                required=required
                readonly=read_only
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                aria-describedby=described_by
                bind:value=value
            />
            {(!hint.is_empty()).then(|| view! { <p class="hint" id=hint_id>{hint}</p> })}
            {locked.map(|why| view! { <p class="hint locked" id=locked_id>{why}</p> })}
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
