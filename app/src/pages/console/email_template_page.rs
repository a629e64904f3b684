use crate::api::console_email_templates::{
    get_email_template, PreviewEmailTemplate, ResetEmailTemplate, UpdateEmailTemplate,
};
use crate::components::{field_error, form_error, ErrorNote, TextField};
use crate::model::{AppError, ConsoleSession, EmailTemplateDetail};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// The locales offered for editing. Messages are written in `en_US` until users carry a locale.
const LOCALES: &[&str] = &["en_US", "en_GB", "fr_FR", "de_DE", "es_ES", "pt_BR"];

/// One email template: pick a locale, edit subject and body, **Preview** with sample values,
/// **Save**, or **Reset to default**.
#[component]
pub fn EmailTemplatePage() -> impl IntoView {
    let params = use_params_map();
    let template_type = move || params.with(|p| p.get("type")).unwrap_or_default();
    let locale = RwSignal::new(LOCALES[0].to_owned());
    let template = Resource::new(
        move || (template_type(), locale.get()),
        |(t, l)| get_email_template(t, l),
    );
    view! {
        <p class="breadcrumb"><A href="/console/email-templates">"Email Templates"</A>" / "{template_type}</p>
        <div class="field narrow">
            <label for="field-locale">"Locale"</label>
            <select id="field-locale" name="locale" on:change=move |ev| locale.set(event_target_value(&ev))>
                {LOCALES
                    .iter()
                    .map(|l| view! { <option value=*l selected=move || locale.get() == *l>{*l}</option> })
                    .collect_view()}
            </select>
        </div>
        <Transition fallback=|| view! { <p class="loading">"Loading template…"</p> }>
            {move || template.get().map(|result| match result {
                Ok(t) => view! { <TemplateEditor template=t /> }.into_any(),
                Err(e) => view! { <ErrorNote error=e /> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn TemplateEditor(template: EmailTemplateDetail) -> impl IntoView {
    let can_update = use_context::<ConsoleSession>().is_none_or(|s| s.email.update);
    let kind = StoredValue::new(template.template_type.clone());
    let locale = StoredValue::new(template.locale.clone());
    let subject = RwSignal::new(template.subject.clone());
    let body = RwSignal::new(template.body.clone());
    let customized = RwSignal::new(template.customized);
    let save = ServerAction::<UpdateEmailTemplate>::new();
    let reset = ServerAction::<ResetEmailTemplate>::new();
    let preview = ServerAction::<PreviewEmailTemplate>::new();
    // The latest outcome of any of the three, for field errors and the notice.
    let outcome = RwSignal::new(None::<Result<&'static str, AppError>>);

    let show_saved = move |r: Option<Result<EmailTemplateDetail, AppError>>, notice| match r {
        Some(Ok(saved)) => {
            subject.set(saved.subject);
            body.set(saved.body);
            customized.set(saved.customized);
            outcome.set(Some(Ok(notice)));
        }
        Some(Err(e)) => outcome.set(Some(Err(e))),
        None => {}
    };
    Effect::new(move |_| show_saved(save.value().get(), "Saved."));
    Effect::new(move |_| show_saved(reset.value().get(), "The default template is back."));
    Effect::new(move |_| {
        if let Some(r) = preview.value().get() {
            outcome.set(Some(r.map(|_| "")));
        }
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(UpdateEmailTemplate {
            template_type: kind.get_value(),
            locale: locale.get_value(),
            subject: subject.get_untracked(),
            body: body.get_untracked(),
        });
    };
    let on_preview = move |_| {
        preview.dispatch(PreviewEmailTemplate {
            template_type: kind.get_value(),
            subject: subject.get_untracked(),
            body: body.get_untracked(),
        });
    };
    let on_reset = move |_| {
        reset.dispatch(ResetEmailTemplate {
            template_type: kind.get_value(),
            locale: locale.get_value(),
        });
    };
    let problem = form_error(outcome);
    let notice = move || {
        outcome.with(|o| {
            o.as_ref()
                .and_then(|r| r.as_ref().ok())
                .copied()
                .filter(|n| !n.is_empty())
        })
    };
    let body_error = field_error(outcome, "body");
    let placeholders = template.placeholders.join(" ");
    let pending = move || save.pending().get() || reset.pending().get();

    view! {
        <Title text=format!("{} · Email Templates · Console · Guise", template.display_name) />
        <h1>{template.display_name.clone()}</h1>
        <p class="hint">
            <code>{template.template_type.clone()}</code>" · "
            {move || if customized.get() { "Customized" } else { "Default" }}
        </p>
        {move || problem().map(|e| view! { <ErrorNote error=e /> })}
        {move || notice().map(|n| view! { <p class="alert alert-success" role="status">{n}</p> })}
        <section class="card">
            <form class="stack" method="post" on:submit=on_submit novalidate>
                <TextField label="Subject" name="subject" value=subject error=field_error(outcome, "subject") />
                <div class="field" class:has-error=move || body_error.get().is_some()>
                    <label for="field-body">"Body"</label>
                    <p class="hint">"Plain text. Placeholders: "{placeholders}</p>
                    <textarea
                        id="field-body"
                        name="body"
                        rows="12"
                        aria-invalid=move || if body_error.get().is_some() { "true" } else { "false" }
                        aria-describedby="field-body-error"
                        prop:value=move || body.get()
                        on:input=move |ev| body.set(event_target_value(&ev))
                    ></textarea>
                    <p class="field-error" id="field-body-error">{move || body_error.get()}</p>
                </div>
                <div class="actions">
                    <button type="button" on:click=on_preview disabled=move || preview.pending().get()>"Preview"</button>
                    <Show when=move || can_update>
                        <button type="submit" class="primary" disabled=pending>"Save"</button>
                        <button type="button" on:click=on_reset disabled=pending>"Reset to default"</button>
                    </Show>
                </div>
            </form>
        </section>
        {move || preview.value().get().and_then(Result::ok).map(|p| view! {
            <section class="card" aria-labelledby="preview-heading">
                <h2 id="preview-heading">"Preview"</h2>
                <p><strong>"Subject: "</strong><span data-testid="preview-subject">{p.subject}</span></p>
                <pre class="email-body" data-testid="preview-body">{p.body}</pre>
            </section>
        })}
    }
}
