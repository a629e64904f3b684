//! Pages of a list and the search pattern every Console list uses.

/// One page of a list, with the total count so the screen can say how many pages there are.
#[derive(Clone, Debug)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: u32,
    pub page_size: u32,
}

pub const PAGE_SIZE_MAX: u32 = 100;

/// A page number (from 1) and size, clamped to what the engine serves.
#[derive(Clone, Copy, Debug)]
pub struct PageRequest {
    pub page: u32,
    pub page_size: u32,
}

impl PageRequest {
    pub fn new(page: u32, page_size: u32) -> Self {
        Self {
            page: page.max(1),
            page_size: page_size.clamp(1, PAGE_SIZE_MAX),
        }
    }

    pub fn limit(&self) -> i64 {
        i64::from(self.page_size)
    }

    pub fn offset(&self) -> i64 {
        i64::from(self.page - 1) * i64::from(self.page_size)
    }

    pub fn of<T>(&self, items: Vec<T>, total: i64) -> Page<T> {
        Page {
            items,
            total,
            page: self.page,
            page_size: self.page_size,
        }
    }
}

/// A `LIKE` pattern (with `ESCAPE '\'`) matching lower-cased text that contains `search`.
pub fn like_contains(search: &str) -> String {
    format!("%{}%", escape_like(search))
}

/// A `LIKE` pattern (with `ESCAPE '\'`) matching lower-cased text that starts with `search`.
pub fn like_prefix(search: &str) -> String {
    format!("{}%", escape_like(search))
}

/// The trimmed, lower-cased search with `LIKE` wildcards escaped, so `a_b` matches only that text.
fn escape_like(search: &str) -> String {
    let mut out = String::with_capacity(search.len());
    for c in search.trim().to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_and_patterns() {
        let r = PageRequest::new(0, 1000);
        assert_eq!((r.page, r.page_size, r.offset()), (1, PAGE_SIZE_MAX, 0));
        assert_eq!(PageRequest::new(3, 20).offset(), 40);
        assert_eq!(like_contains(" A_b% "), "%a\\_b\\%%");
        assert_eq!(like_prefix(" A_b%"), "a\\_b\\%%");
    }
}
