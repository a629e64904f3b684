use crate::api::console_email_templates::list_email_templates;
use crate::components::ErrorNote;
use crate::model::EmailTemplateSummary;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// **Branding > Email Templates**: the emails Guise sends; open one to edit it.
#[component]
pub fn EmailTemplatesPage() -> impl IntoView {
    let templates = Resource::new(|| (), |_| list_email_templates());
    view! {
        <Title text="Email Templates · Branding · Console · Guise" />
        <h1>"Email Templates"</h1>
        <p class="hint">"The emails Guise sends to users. Each is plain text; placeholders such as {{user-name}} are filled in when the email is written."</p>
        <Transition fallback=|| view! { <p class="loading">"Loading email templates…"</p> }>
            {move || templates.get().map(|result| match result {
                Ok(all) => view! { <TemplatesTable all /> }.into_any(),
                Err(e) => view! { <ErrorNote error=e /> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn TemplatesTable(all: Vec<EmailTemplateSummary>) -> impl IntoView {
    view! {
        <table class="list">
            <thead>
                <tr>
                    <th scope="col">"Template"</th>
                    <th scope="col">"Type"</th>
                    <th scope="col">"Customized locales"</th>
                </tr>
            </thead>
            <tbody>
                {all
                    .into_iter()
                    .map(|t| {
                        let href = format!("/console/email-templates/{}", t.template_type);
                        let locales = if t.customized_locales.is_empty() {
                            "None (default)".to_owned()
                        } else {
                            t.customized_locales.join(", ")
                        };
                        view! {
                            <tr>
                                <td><A href=href>{t.display_name}</A></td>
                                <td><code>{t.template_type}</code></td>
                                <td>{locales}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
