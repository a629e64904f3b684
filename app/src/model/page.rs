use serde::{Deserialize, Serialize};

/// One page of a Console list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: u32,
    pub page_size: u32,
}

impl<T> Paged<T> {
    pub fn last_page(&self) -> u32 {
        let size = i64::from(self.page_size.max(1));
        u32::try_from(((self.total + size - 1) / size).max(1)).unwrap_or(u32::MAX)
    }
}
