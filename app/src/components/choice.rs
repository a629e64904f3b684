use leptos::prelude::*;

/// A labelled checkbox bound to `checked`, with an optional hint and field-level error.
#[component]
pub fn CheckboxField(
    label: &'static str,
    name: &'static str,
    checked: RwSignal<bool>,
    #[prop(optional)] hint: &'static str,
    #[prop(into, optional)] error: Signal<Option<String>>,
    #[prop(optional)] disabled: bool,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    view! {
        <div class="field checkbox" class:has-error=move || error.get().is_some()>
            <label>
                <input
                    id=id
                    name=name
                    type="checkbox"
                    disabled=disabled
                    aria-describedby=error_id.clone()
                    bind:checked=checked
                />
                {label}
            </label>
            {(!hint.is_empty()).then(|| view! { <p class="hint">{hint}</p> })}
            <p class="field-error" id=error_id>{move || error.get()}</p>
        </div>
    }
}

/// A labelled text area bound to `value`: one entry per line (redirect URIs, usernames).
#[component]
pub fn LinesField(
    label: &'static str,
    name: &'static str,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] hint: &'static str,
    #[prop(optional)] disabled: bool,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    view! {
        <div class="field" class:has-error=move || error.get().is_some()>
            <label for=id.clone()>{label}</label>
            {(!hint.is_empty()).then(|| view! { <p class="hint">{hint}</p> })}
            <textarea
                id=id
                name=name
                rows="3"
                disabled=disabled
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                aria-describedby=error_id.clone()
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            ></textarea>
            <p class="field-error" id=error_id>{move || error.get()}</p>
        </div>
    }
}

/// The non-empty, trimmed lines of a text area.
pub fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The error of the latest result, unless it is a field error shown next to its field.
pub fn form_error<T, S>(result: S) -> impl Fn() -> Option<crate::model::AppError>
where
    S: With<Value = Option<Result<T, crate::model::AppError>>> + Copy + 'static,
{
    move || {
        result.with(|r| {
            r.as_ref()
                .and_then(|r| r.as_ref().err())
                .filter(|e| !matches!(e, crate::model::AppError::Invalid(_)))
                .cloned()
        })
    }
}

/// True when the latest result succeeded (to say "Saved").
pub fn succeeded<T, S>(result: S) -> impl Fn() -> bool
where
    S: With<Value = Option<Result<T, crate::model::AppError>>> + Copy + 'static,
{
    move || result.with(|r| matches!(r, Some(Ok(_))))
}
