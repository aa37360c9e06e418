//! Keyset pagination: a page is "the next `limit` rows after this key", so rows inserted meanwhile
//! never shift a page (no duplicates, no gaps).

pub const DEFAULT_LIMIT: u32 = 20;
pub const MAX_LIMIT: u32 = 100;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest<K> {
    /// The key of the last row of the previous page, if any.
    pub after: Option<K>,
    pub limit: u32,
}

impl<K> PageRequest<K> {
    pub fn first(limit: u32) -> Self {
        Self { after: None, limit }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T, K> {
    pub items: Vec<T>,
    /// The key to pass as `after` for the next page; `None` on the last page.
    pub next: Option<K>,
}

impl<T, K> Page<T, K> {
    /// Builds a page from up to `limit + 1` rows fetched in order: the extra row only says that
    /// another page exists.
    pub fn from_rows(mut rows: Vec<T>, limit: u32, key: impl Fn(&T) -> K) -> Self {
        let limit = limit as usize;
        let more = rows.len() > limit;
        rows.truncate(limit);
        let next = if more { rows.last().map(key) } else { None };
        Page { items: rows, next }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U, K> {
        Page { items: self.items.into_iter().map(f).collect(), next: self.next }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extra_row_means_another_page() {
        let page = Page::from_rows(vec![1, 2, 3], 2, |n| *n);
        assert_eq!(page.items, vec![1, 2]);
        assert_eq!(page.next, Some(2));
        let last = Page::from_rows(vec![1, 2], 2, |n| *n);
        assert_eq!(last.next, None);
    }
}
