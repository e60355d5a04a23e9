//! Lists split into numbered pages: `policies/index.html`, `policies/page/2/index.html`, ...
//! Every link between them is relative and ends in `index.html`, so they work from disk.

use serde::Serialize;

/// A link to one page of a list, for the page-number navigation.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub struct PageLink {
    pub number: usize,
    /// Relative to the page that shows it; `None` for a gap (…) in the numbers.
    pub url: Option<String>,
    pub current: bool,
}

/// Where a page stands in its list.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub struct Pager {
    /// 1-based.
    pub number: usize,
    pub count: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub first: String,
    pub last: String,
    /// The page numbers shown: the first, the last and two on each side of this one.
    pub pages: Vec<PageLink>,
    /// Entries on this page (1-based positions in the whole list) and in the whole list.
    pub from: usize,
    pub to: usize,
    pub total: usize,
}

/// The output path of page `number` of the list whose first page is `<dir>index.html`
/// (`dir` empty or ending in `/`).
pub fn page_path(dir: &str, number: usize) -> String {
    if number <= 1 {
        format!("{dir}index.html")
    } else {
        format!("{dir}page/{number}/index.html")
    }
}

/// How many pages `total` entries take at `size` per page (at least one; `size` 0: one).
pub fn page_count(total: usize, size: usize) -> usize {
    if size == 0 {
        1
    } else {
        total.div_ceil(size).max(1)
    }
}

impl Pager {
    /// Page `number` of `count` of the list in `dir`, with `total` entries at `size` a page.
    pub fn new(dir: &str, number: usize, count: usize, total: usize, size: usize) -> Pager {
        let here = page_path(dir, number);
        let root = super::page::root_of(&here);
        let url = |n: usize| format!("{root}{}", page_path(dir, n));
        let mut pages = Vec::new();
        let mut gap = false;
        for n in 1..=count {
            let shown = n == 1 || n == count || n.abs_diff(number) <= 2;
            if shown {
                pages.push(PageLink {
                    number: n,
                    url: Some(url(n)),
                    current: n == number,
                });
                gap = false;
            } else if !gap {
                pages.push(PageLink {
                    number: n,
                    url: None,
                    current: false,
                });
                gap = true;
            }
        }
        let size = if size == 0 { total.max(1) } else { size };
        Pager {
            number,
            count,
            prev: (number > 1).then(|| url(number - 1)),
            next: (number < count).then(|| url(number + 1)),
            first: url(1),
            last: url(count),
            pages,
            from: ((number - 1) * size + 1).min(total),
            to: (number * size).min(total),
            total,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_link_to_each_other_relatively() {
        assert_eq!(page_path("policies/", 1), "policies/index.html");
        assert_eq!(page_path("policies/", 3), "policies/page/3/index.html");
        assert_eq!(page_count(250, 100), 3);
        assert_eq!(page_count(0, 100), 1);
        assert_eq!(page_count(250, 0), 1);
        let p = Pager::new("policies/", 2, 3, 250, 100);
        assert_eq!(p.prev.as_deref(), Some("../../../policies/index.html"));
        assert_eq!(
            p.next.as_deref(),
            Some("../../../policies/page/3/index.html")
        );
        assert_eq!((p.from, p.to, p.total), (101, 200, 250));
        let first = Pager::new("policies/", 1, 3, 250, 100);
        assert_eq!(first.prev, None);
        assert_eq!(first.next.as_deref(), Some("../policies/page/2/index.html"));
        let many = Pager::new("x/", 50, 100, 10_000, 100);
        let shown: Vec<usize> = many
            .pages
            .iter()
            .filter(|l| l.url.is_some())
            .map(|l| l.number)
            .collect();
        assert_eq!(shown, vec![1, 48, 49, 50, 51, 52, 100]);
        assert_eq!(many.pages.iter().filter(|l| l.url.is_none()).count(), 2);
    }
}
