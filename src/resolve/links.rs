//! Links written in Markdown bodies (`[text](@kind/id)`), found with their lines so that a
//! dangling one is reported where it is written.

/// `(kind, id, line)` of every `](@kind/id)` in a Markdown body.
pub fn body_links(body: &str, first_line: usize) -> Vec<(String, String, usize)> {
    let mut out = Vec::new();
    let mut rest = body;
    let mut offset = 0;
    // Lines counted up to `counted`, as the links come in order.
    let (mut counted, mut line) = (0, first_line);
    let finder = memchr::memmem::Finder::new("](@");
    while let Some(i) = finder.find(rest.as_bytes()) {
        let start = i + 3;
        let end = memchr::memchr(b')', &rest.as_bytes()[start..]).map_or(rest.len(), |j| start + j);
        let target = &rest[start..end];
        line += memchr::memchr_iter(b'\n', &body.as_bytes()[counted..offset + i]).count();
        counted = offset + i;
        if let Some((k, id)) = target.split_once('/') {
            let id = id.split('#').next().unwrap_or(id);
            out.push((k.to_string(), id.to_string(), line));
        }
        offset += end.min(rest.len());
        rest = &rest[end.min(rest.len())..];
    }
    out
}

/// Up to three existing ids closest to `wanted`.
pub fn suggestions<'a>(wanted: &str, candidates: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut scored: Vec<(f64, &str)> = candidates
        .map(|c| (strsim::jaro_winkler(wanted, c), c))
        .filter(|(s, _)| *s > 0.7)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored
        .into_iter()
        .take(3)
        .map(|(_, c)| c.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_body_links_with_lines() {
        let b = "a [x](@term/imdrf)\n\nb [y](@policy/p-1#sec) [z](http://x)";
        assert_eq!(
            body_links(b, 10),
            vec![
                ("term".into(), "imdrf".into(), 10),
                ("policy".into(), "p-1".into(), 12)
            ]
        );
        // Two on one line, then one three lines on, then one at the very start.
        let b = "[a](@goal/g1) [b](@goal/g2)\n\n\n[c](@kpi/k)\n";
        let lines: Vec<usize> = body_links(b, 1).into_iter().map(|(_, _, l)| l).collect();
        assert_eq!(lines, [1, 1, 4]);
    }

    #[test]
    fn suggests_close_ids() {
        let s = suggestions(
            "plan2-goal-8",
            ["plan2-goal-08", "plan2-goal-09", "mhlw"].into_iter(),
        );
        assert_eq!(s.first().map(String::as_str), Some("plan2-goal-08"));
        assert!(!s.contains(&"mhlw".to_string()));
    }
}
