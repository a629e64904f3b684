use crate::api::console_email_outbox::list_email_outbox;
use crate::components::{ErrorNote, Pager};
use crate::model::time::utc_date_time;
use crate::model::{OutboxItem, Paged};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// **Email Outbox**: every email Guise wrote, newest first, with where it stands. Without SMTP
/// configured the messages wait here, so what would be sent can still be read.
#[component]
pub fn EmailOutboxPage() -> impl IntoView {
    let page = RwSignal::new(1u32);
    let messages = Resource::new(move || page.get(), list_email_outbox);
    view! {
        <Title text="Email Outbox · Console · Guise" />
        <h1>"Email Outbox"</h1>
        <p class="hint">"Emails are delivered over SMTP when the server has GUISE_SMTP_URL; until then they wait here."</p>
        <Transition fallback=|| view! { <p class="loading">"Loading the outbox…"</p> }>
            {move || messages.get().map(|result| match result {
                Ok(found) => view! { <OutboxTable found page /> }.into_any(),
                Err(e) => view! { <ErrorNote error=e /> }.into_any(),
            })}
        </Transition>
    }
}

/// Where a message stands, in words.
pub fn state(m: &OutboxItem) -> String {
    match (m.status.as_str(), m.sent_at) {
        ("sent", Some(at)) => format!("Sent {}", utc_date_time(at)),
        ("failed", _) => "Failed".to_owned(),
        _ if m.attempts == 0 => "Pending".to_owned(),
        _ => format!("Pending, next attempt {}", utc_date_time(m.next_attempt_at)),
    }
}

#[component]
fn OutboxTable(found: Paged<OutboxItem>, page: RwSignal<u32>) -> impl IntoView {
    let last = found.last_page();
    let current = found.page;
    let total = found.total;
    let empty = found.items.is_empty();
    view! {
        <table class="list">
            <thead>
                <tr>
                    <th scope="col">"Written"</th>
                    <th scope="col">"Recipient"</th>
                    <th scope="col">"Subject"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Attempts"</th>
                    <th scope="col">"Last error"</th>
                </tr>
            </thead>
            <tbody>
                {found
                    .items
                    .into_iter()
                    .map(|m| {
                        let href = format!("/console/email-outbox/{}", m.id);
                        let status = state(&m);
                        view! {
                            <tr>
                                <td>{utc_date_time(m.created_at)}</td>
                                <td>{m.recipient}</td>
                                <td><A href=href>{m.subject}</A></td>
                                <td>{status}</td>
                                <td>{m.attempts}</td>
                                <td>{m.last_error.unwrap_or_default()}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
        <Show when=move || empty>
            <p class="empty">"No emails yet."</p>
        </Show>
        <Pager current last total noun="emails" page />
    }
}
