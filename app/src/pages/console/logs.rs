use crate::api::console_logs::{search_logs, verify_audit_trail};
use crate::components::{CheckboxField, ErrorNote, TextField};
use crate::model::{AppError, LogParty, LogQuery, LogRow, LogsPage};
use leptos::prelude::*;
use leptos_meta::Title;

/// How the time range is typed: one format everywhere, whatever the browser's locale (a
/// `datetime-local` field shows the local format, which contradicted the "UTC" beside it).
const TIME_FORMAT: &str = "YYYY-MM-DD HH:MM, in UTC, e.g. 2026-12-07 14:05.";

/// **Logs**: the audit trail, newest first. Filter by time range (UTC), action, initiator, target
/// and impersonated only; page back through older events; export the filtered view as JSON lines;
/// verify that nobody edited, deleted or reordered events by hand.
#[component]
pub fn LogsPage() -> impl IntoView {
    let from = RwSignal::new(String::new());
    let until = RwSignal::new(String::new());
    let action = RwSignal::new(String::new());
    let initiator = RwSignal::new(String::new());
    let target = RwSignal::new(String::new());
    let impersonated = RwSignal::new(false);
    // What the list shows: the filter last searched, and the cursors of the pages walked so far
    // (the last one is the page on screen; `None` is the newest page).
    let applied = RwSignal::new(LogQuery::default());
    let cursors = RwSignal::new(vec![None::<i64>]);
    let events = Resource::new(
        move || (applied.get(), cursors.with(|c| c.last().copied().flatten())),
        |(query, before)| search_logs(query, before),
    );
    let typed = move || LogQuery {
        from: from.get(),
        until: until.get(),
        action: action.get(),
        initiator: initiator.get(),
        target: target.get(),
        impersonated: impersonated.get(),
    };
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        applied.set(typed());
        cursors.set(vec![None]);
    };
    // What the filter form shows of the latest result: the actions to choose from (kept from the
    // last page that loaded) and the filter's field errors. They are copied out of the resource by
    // an effect, which runs only in the browser: reading the resource from a memo or derived signal
    // outside the <Transition> deadlocked the server render (the memo's lock and the resource's
    // lock taken in opposite orders on two worker threads).
    let actions = RwSignal::new(Vec::<String>::new());
    let filter_error = RwSignal::new(None::<AppError>);
    Effect::new(move |_| {
        events.with(|loaded| match loaded {
            Some(Ok(page)) => {
                actions.set(page.actions.clone());
                filter_error.set(None);
            }
            Some(Err(e)) => filter_error.set(Some(e.clone())),
            None => {}
        })
    });
    let error_of = move |field: &'static str| {
        Signal::derive(move || filter_error.with(|e| e.as_ref().and_then(|e| e.field(field))))
    };
    view! {
        <Title text="Logs · Console · Guise" />
        <div class="page-header">
            <h1>"Logs"</h1>
        </div>
        <p class="hint">"Every change and every impersonation, in the order it was committed. Times are UTC."</p>
        <form class="card filters" on:submit=search aria-label="Filter the logs">
            <div class="filter-grid">
                <TextField label="From (UTC)" name="from" value=from error=error_of("from") hint=TIME_FORMAT />
                <TextField label="Until (UTC)" name="until" value=until error=error_of("until") hint=TIME_FORMAT />
                <div class="field">
                    <label for="field-action">"Action"</label>
                    <select id="field-action" name="action" bind:value=action>
                        <option value="">"Any action"</option>
                        {move || {
                            actions
                                .get()
                                .into_iter()
                                .map(|a| view! { <option value=a.clone()>{a.clone()}</option> })
                                .collect_view()
                        }}
                    </select>
                </div>
                <TextField label="Initiator" name="initiator" value=initiator error=error_of("initiator") hint="A username or an id." />
                <TextField label="Target" name="target" value=target error=error_of("target") hint="A username or an id." />
            </div>
            <CheckboxField label="Impersonated only" name="impersonated" checked=impersonated />
            <div class="actions">
                <button type="submit" class="primary">"Search"</button>
                <a class="button" href=move || applied.with(LogQuery::export_href) download="guise-audit-log.jsonl">
                    "Export"
                </a>
            </div>
        </form>
        <VerifyIntegrity />
        <Transition fallback=|| view! { <p class="loading">"Loading events…"</p> }>
            {move || {
                events
                    .get()
                    .map(|result| match result {
                        Ok(page) => view! { <EventsTable page cursors /> }.into_any(),
                        Err(AppError::Invalid(_)) => {
                            view! { <p class="empty">"Correct the filter above."</p> }.into_any()
                        }
                        Err(e) => view! { <ErrorNote error=e /> }.into_any(),
                    })
            }}
        </Transition>
    }
}

#[component]
fn EventsTable(page: LogsPage, cursors: RwSignal<Vec<Option<i64>>>) -> impl IntoView {
    let empty = page.rows.is_empty();
    let next = page.next_before;
    let newer_exists = move || cursors.with(|c| c.len() > 1);
    view! {
        <table class="list logs">
            <thead>
                <tr>
                    <th scope="col">"Time"</th>
                    <th scope="col">"Action"</th>
                    <th scope="col">"Initiator"</th>
                    <th scope="col">"Target"</th>
                    <th scope="col">"Impersonator"</th>
                    <th scope="col">"Outcome"</th>
                </tr>
            </thead>
            <tbody>
                {page.rows.into_iter().map(|row| view! { <EventRow row /> }).collect_view()}
            </tbody>
        </table>
        <Show when=move || empty>
            <p class="empty">"No events match."</p>
        </Show>
        <nav class="pager" aria-label="Pages">
            <button type="button" disabled=move || !newer_exists() on:click=move |_| cursors.update(|c| { c.pop(); })>
                "Newer"
            </button>
            <button type="button" disabled=next.is_none() on:click=move |_| cursors.update(|c| c.push(next))>
                "Older"
            </button>
        </nav>
    }
}

#[component]
fn EventRow(row: LogRow) -> impl IntoView {
    let impersonated = row.impersonator.is_some();
    let ids = {
        let mut ids = vec![
            ("Initiator id", row.initiator.id.clone()),
            ("Target id", row.target.id.clone()),
        ];
        if let Some(impersonator) = &row.impersonator {
            ids.push(("Impersonator id", impersonator.id.clone()));
        }
        ids
    };
    view! {
        <tr class:impersonated=impersonated>
            <td class="time">{row.time.clone()}</td>
            <td>{row.action.clone()}</td>
            <td><Party party=row.initiator.clone() /></td>
            <td><Party party=row.target.clone() /></td>
            <td>{row.impersonator.clone().map(|party| view! { <Party party /> })}</td>
            <td>{row.outcome.clone()}</td>
        </tr>
        <tr class="log-line">
            <td colspan="6">
                <details>
                    <summary>{format!("Event #{} · ids and log line", row.seq)}</summary>
                    <dl class="facts log-ids">
                        {ids
                            .into_iter()
                            .map(|(label, id)| view! { <dt>{label}</dt> <dd class="id">{id}</dd> })
                            .collect_view()}
                        <dt>"Correlation id"</dt>
                        <dd class="id">{row.correlation_id.clone()}</dd>
                    </dl>
                    <pre>{row.line}</pre>
                </details>
            </td>
        </tr>
    }
}

/// An initiator, target or impersonator: the name, and what it names (`user`, `role`, …); the
/// recorded value itself when it names nothing known (a deleted user's id, a masked sign-in name).
#[component]
fn Party(party: LogParty) -> impl IntoView {
    let kind = party.kind.clone();
    let known = party.name.is_some();
    view! {
        <span class="party" class:id=!known>{party.shown().to_owned()}</span>
        {kind.map(|kind| view! { <span class="party-kind">{kind}</span> })}
    }
}

/// **Verify integrity**: the hash chain checked end to end, with the first broken event named.
#[component]
fn VerifyIntegrity() -> impl IntoView {
    let verify = Action::new(|_: &()| verify_audit_trail());
    let result = verify.value();
    view! {
        <section class="card integrity" aria-labelledby="integrity-title">
            <h2 id="integrity-title">"Integrity"</h2>
            <button type="button" disabled=move || verify.pending().get() on:click=move |_| { verify.dispatch(()); }>
                "Verify integrity"
            </button>
            {move || {
                result
                    .get()
                    .map(|r| match r {
                        Ok(report) => {
                            let class = if report.intact { "alert alert-success" } else { "alert alert-error" };
                            view! { <p class=class role="status">{report.summary}</p> }.into_any()
                        }
                        Err(e) => view! { <ErrorNote error=e /> }.into_any(),
                    })
            }}
        </section>
    }
}
