//! Organization Management > Organizations and an application's **Shared Access** tab.

use serde::{Deserialize, Serialize};

/// One organization of the tree: the administrator's own (depth 0) and every one below it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organization {
    pub id: String,
    pub parent_id: Option<String>,
    pub name: String,
    pub handle: String,
    pub active: bool,
    /// How far below the administrator's own organization (0: their own).
    pub depth: i64,
}

impl Organization {
    /// The administrator's own organization: listed, but not managed from here.
    pub fn is_own(&self) -> bool {
        self.depth == 0
    }

    pub fn status_label(&self) -> &'static str {
        if self.active {
            "Active"
        } else {
            "Inactive"
        }
    }
}

/// With whom an application is shared, as the **Shared Access** tab shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SharedAccess {
    /// **Do not share**.
    #[default]
    NotShared,
    /// **Share with all organizations**, including ones created later.
    All,
    /// **Share with only selected organizations**, by id.
    Selected(Vec<String>),
}
