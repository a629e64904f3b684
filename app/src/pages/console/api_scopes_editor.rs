use crate::model::ApiScope;
use leptos::prelude::*;

/// One editable row of the scopes editor. `key` only tells rows apart while editing.
#[derive(Clone, Copy)]
pub struct ScopeRow {
    key: usize,
    pub name: RwSignal<String>,
    pub display_name: RwSignal<String>,
    pub description: RwSignal<String>,
}

impl ScopeRow {
    fn new(key: usize, scope: &ApiScope) -> Self {
        Self {
            key,
            name: RwSignal::new(scope.name.clone()),
            display_name: RwSignal::new(scope.display_name.clone()),
            description: RwSignal::new(scope.description.clone()),
        }
    }

    fn is_blank(&self) -> bool {
        [self.name, self.display_name, self.description]
            .iter()
            .all(|s| s.with_untracked(|v| v.trim().is_empty()))
    }
}

/// Editable rows for the scopes an API resource already has.
pub fn scope_rows(scopes: &[ApiScope]) -> Vec<ScopeRow> {
    scopes
        .iter()
        .enumerate()
        .map(|(key, scope)| ScopeRow::new(key, scope))
        .collect()
}

/// Shows `scopes` (as stored) in place of the current rows. New keys, so every row is drawn afresh.
pub fn replace_rows(rows: RwSignal<Vec<ScopeRow>>, scopes: &[ApiScope]) {
    rows.update(|rows| {
        let first = rows.iter().map(|r| r.key + 1).max().unwrap_or(0);
        *rows = scopes
            .iter()
            .enumerate()
            .map(|(i, scope)| ScopeRow::new(first + i, scope))
            .collect();
    });
}

/// The scopes to send: every row the administrator filled in (rows left entirely blank are dropped).
pub fn scopes_of(rows: RwSignal<Vec<ScopeRow>>) -> Vec<ApiScope> {
    rows.with_untracked(|rows| {
        rows.iter()
            .filter(|row| !row.is_blank())
            .map(|row| ApiScope {
                name: row.name.get_untracked(),
                display_name: row.display_name.get_untracked(),
                description: row.description.get_untracked(),
            })
            .collect()
    })
}

/// Edits the scopes of a business API resource: one row per scope (name, display name, description),
/// "Add Scope" appends a row, "Remove" drops one. Inputs show the labels "Scope name", "Display name"
/// and "Description" and are named "Scope name 1", "Display name 1", "Description 1"… for assistive
/// technology (and tests). The server's `scopes` error shows beneath the rows.
#[component]
pub fn ScopesEditor(
    rows: RwSignal<Vec<ScopeRow>>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let add_ref = NodeRef::<leptos::html::Button>::new();
    let add = move |_| {
        rows.update(|rows| {
            let key = rows.iter().map(|r| r.key + 1).max().unwrap_or(0);
            rows.push(ScopeRow::new(
                key,
                &ApiScope {
                    name: String::new(),
                    display_name: String::new(),
                    description: String::new(),
                },
            ));
        });
    };
    let empty = move || rows.with(Vec::is_empty);
    view! {
        <fieldset class="scopes stack" aria-describedby="field-scopes-error">
            <legend>"Scopes"</legend>
            <Show when=empty>
                <p class="empty">"No scopes yet."</p>
            </Show>
            <For each=move || rows.get() key=|row| row.key let:row>
                {
                    let key = row.key;
                    let number = move || {
                        rows.with(|rows| rows.iter().position(|r| r.key == key)).map_or(0, |i| i + 1)
                    };
                    let remove = move |_| {
                        rows.update(|rows| rows.retain(|r| r.key != key));
                        if let Some(button) = add_ref.get() {
                            let _ = button.focus();
                        }
                    };
                    view! {
                        <div class="stack card">
                            <div class="field">
                                <label for=format!("scope-{key}-name")>"Scope name"</label>
                                <input
                                    id=format!("scope-{key}-name")
                                    type="text"
                                    autocomplete="off"
                                    aria-label=move || format!("Scope name {}", number())
                                    bind:value=row.name
                                />
                            </div>
                            <div class="field">
                                <label for=format!("scope-{key}-display")>"Display name"</label>
                                <input
                                    id=format!("scope-{key}-display")
                                    type="text"
                                    autocomplete="off"
                                    aria-label=move || format!("Display name {}", number())
                                    bind:value=row.display_name
                                />
                            </div>
                            <div class="field">
                                <label for=format!("scope-{key}-description")>"Description"</label>
                                <input
                                    id=format!("scope-{key}-description")
                                    type="text"
                                    autocomplete="off"
                                    aria-label=move || format!("Description {}", number())
                                    bind:value=row.description
                                />
                            </div>
                            <div class="actions">
                                <button
                                    type="button"
                                    aria-label=move || format!("Remove scope {}", number())
                                    on:click=remove
                                >
                                    "Remove"
                                </button>
                            </div>
                        </div>
                    }
                }
            </For>
            <div class="actions">
                <button type="button" node_ref=add_ref on:click=add>"Add Scope"</button>
            </div>
            <p class="field-error" id="field-scopes-error">{move || error.get()}</p>
        </fieldset>
    }
}
