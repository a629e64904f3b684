use super::email_outbox_list::state;
use crate::api::console_email_outbox::get_email_outbox_message;
use crate::components::ErrorNote;
use crate::model::time::utc_date_time;
use crate::model::OutboxDetail;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// One email of the outbox, with its body as it is (or would be) sent.
#[component]
pub fn EmailOutboxMessagePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id")).unwrap_or_default();
    let message = Resource::new(id, get_email_outbox_message);
    view! {
        <Title text="Email · Email Outbox · Console · Guise" />
        <p class="breadcrumb"><A href="/console/email-outbox">"Email Outbox"</A>" / Email"</p>
        <Transition fallback=|| view! { <p class="loading">"Loading the email…"</p> }>
            {move || message.get().map(|result| match result {
                Ok(m) => view! { <Message m /> }.into_any(),
                Err(e) => view! { <ErrorNote error=e /> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn Message(m: OutboxDetail) -> impl IntoView {
    let status = state(&m.item);
    let item = m.item;
    view! {
        <h1>{item.subject}</h1>
        <dl class="facts">
            <dt>"To"</dt><dd>{item.recipient}</dd>
            <dt>"Template"</dt><dd><code>{item.template_type}</code></dd>
            <dt>"Written"</dt><dd>{utc_date_time(item.created_at)}</dd>
            <dt>"Status"</dt><dd>{status}</dd>
            <dt>"Attempts"</dt><dd>{item.attempts}</dd>
            {item.last_error.map(|e| view! { <dt>"Last error"</dt><dd>{e}</dd> })}
        </dl>
        <section class="card">
            <h2>"Body"</h2>
            <pre class="email-body">{m.body}</pre>
        </section>
    }
}
