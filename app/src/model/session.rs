use serde::{Deserialize, Serialize};

/// The signed-in administrator, as the Console shows them, with what they may do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleSession {
    pub user_id: String,
    pub username: String,
    pub can_create_users: bool,
    pub can_update_users: bool,
    pub can_delete_users: bool,
}
