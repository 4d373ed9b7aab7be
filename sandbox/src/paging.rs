//! Page arithmetic shared by every paged listing.

/// One page of `count` items.
pub struct Page {
    pub page_count: u64,
    /// The page's items are `start..end` of the full list.
    pub start: usize,
    pub end: usize,
}

impl Page {
    /// Page `page` (1-based, already validated >= 1) of `count` items, `per` a page (>= 1). A page past
    /// the end is empty, never an error.
    pub fn of(count: usize, page: u64, per: u64) -> Page {
        let total = count as u64;
        let page_count = total.div_ceil(per);
        let start = ((page - 1).saturating_mul(per)).min(total) as usize;
        let end = start.saturating_add(usize::try_from(per).unwrap_or(usize::MAX)).min(count);
        Page { page_count, start, end }
    }
}

#[cfg(test)]
mod tests {
    use super::Page;

    #[test]
    fn pages_cover_the_list_and_past_the_end_is_empty() {
        let p = Page::of(7, 2, 3);
        assert_eq!((p.page_count, p.start, p.end), (3, 3, 6));
        let last = Page::of(7, 3, 3);
        assert_eq!((last.start, last.end), (6, 7));
        let past = Page::of(7, u64::MAX, 3);
        assert_eq!((past.start, past.end), (7, 7));
        assert_eq!(Page::of(0, 1, 50).page_count, 0);
    }
}
