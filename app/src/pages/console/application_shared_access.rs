use super::application_tab_data::TabData;
use crate::api::console_application_sharing::ShareApplication;
use crate::components::{field_error, form_error, succeeded, ErrorNote};
use crate::model::{ApplicationDetail, ConsoleSession, Organization, SharedAccess};
use crate::pages::console::organizations_list::in_tree_order;
use leptos::prelude::*;
use std::collections::BTreeSet;

/// The three choices of the tab, apart from which organizations are selected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    NotShared,
    All,
    Selected,
}

/// An application's **Shared Access** tab: **Do not share**, **Share with all organizations**, or
/// **Share with only selected organizations** (then one checkbox per organization below), and
/// **Update**.
#[component]
pub fn SharedAccessTab(app: ApplicationDetail, data: TabData) -> impl IntoView {
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || {
                let id = app.summary.id.clone();
                match (data.sharing.get().flatten(), data.organizations.get().flatten()) {
                    (Some(Ok(current)), Some(Ok(list))) => {
                        view! { <SharedAccessForm id current list /> }.into_any()
                    }
                    (Some(Err(e)), _) | (_, Some(Err(e))) => view! { <ErrorNote error=e /> }.into_any(),
                    _ => ().into_any(),
                }
            }}
        </Transition>
    }
}

#[component]
fn SharedAccessForm(id: String, current: SharedAccess, list: Vec<Organization>) -> impl IntoView {
    let can_update = use_context::<ConsoleSession>().is_none_or(|s| s.applications.update);
    let id = StoredValue::new(id);
    let (mode, chosen) = match current {
        SharedAccess::NotShared => (Mode::NotShared, BTreeSet::new()),
        SharedAccess::All => (Mode::All, BTreeSet::new()),
        SharedAccess::Selected(ids) => (Mode::Selected, ids.into_iter().collect()),
    };
    let mode = RwSignal::new(mode);
    let chosen = RwSignal::new(chosen);
    let share = ServerAction::<ShareApplication>::new();
    let result = share.value();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let sharing = match mode.get_untracked() {
            Mode::NotShared => SharedAccess::NotShared,
            Mode::All => SharedAccess::All,
            Mode::Selected => SharedAccess::Selected(chosen.get_untracked().into_iter().collect()),
        };
        share.dispatch(ShareApplication {
            id: id.get_value(),
            sharing,
        });
    };
    let radio = move |value: Mode, slug: &'static str, label: &'static str| {
        let input_id = format!("sharing-{slug}");
        let label_for = input_id.clone();
        view! {
            <div class="field checkbox">
                <label for=label_for>
                    <input
                        id=input_id
                        type="radio"
                        name="sharing"
                        value=slug
                        disabled=!can_update
                        prop:checked=move || mode.get() == value
                        on:change=move |_| mode.set(value)
                    />
                    {label}
                </label>
            </div>
        }
    };
    // The organizations it can be shared with: every one below its owner's.
    let below: Vec<Organization> = in_tree_order(list)
        .into_iter()
        .filter(|o| !o.is_own())
        .collect();
    let empty = below.is_empty();
    let checkboxes = below
        .into_iter()
        .map(|o| {
            let org = o.id.clone();
            let input_id = format!("share-{}", o.id);
            let label_for = input_id.clone();
            let indent = format!("field checkbox tree-depth-{}", (o.depth - 1).clamp(0, 6));
            let is_chosen = {
                let org = org.clone();
                move || chosen.with(|c| c.contains(&org))
            };
            view! {
                <div class=indent>
                    <label for=label_for>
                        <input
                            id=input_id
                            type="checkbox"
                            disabled=!can_update
                            prop:checked=is_chosen
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                chosen.update(|c| {
                                    if on { c.insert(org.clone()); } else { c.remove(&org); }
                                });
                            }
                        />
                        {o.name.clone()}
                    </label>
                </div>
            }
        })
        .collect_view();
    view! {
        {move || form_error(result)().map(|e| view! { <ErrorNote error=e /> })}
        <Show when=succeeded(result)>
            <p class="alert alert-success" role="status">"Saved."</p>
        </Show>
        <section class="card">
            <h2>"Shared Access"</h2>
            <p class="hint">"Share this application with the organizations below yours, so their users can use it."</p>
            <form class="stack narrow" method="post" on:submit=on_submit novalidate>
                <fieldset class="scopes">
                    <legend>"Sharing"</legend>
                    {radio(Mode::NotShared, "none", "Do not share")}
                    {radio(Mode::All, "all", "Share with all organizations")}
                    {radio(Mode::Selected, "selected", "Share with only selected organizations")}
                </fieldset>
                // Hidden rather than removed, so the checkboxes keep their state between choices.
                <fieldset class="scopes" hidden=move || mode.get() != Mode::Selected aria-describedby="field-organizations-error">
                    <legend>"Organizations"</legend>
                    {checkboxes}
                    {empty.then(|| view! { <p class="empty">"There are no organizations below yours yet."</p> })}
                </fieldset>
                <p class="field-error" id="field-organizations-error">{move || field_error(result, "organizations").get()}</p>
                <Show when=move || can_update>
                    <div class="actions">
                        <button type="submit" class="primary" disabled=move || share.pending().get()>"Update"</button>
                    </div>
                </Show>
            </form>
        </section>
    }
}
