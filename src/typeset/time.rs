//! Dates, years and fiscal years in running text as `<time datetime>`, their words unchanged,
//! each piece of text between them with its phrase breaks: what the Markdown pass does to a
//! body's text and the `dates` filter to a template variable.

use crate::typeset::wbr::push_broken;

/// Appends HTML-escaped `text` to `out` with phrase breaks, each date, month, year or fiscal
/// year in it (令和７年度, 2024年6月, 平成28年5月31日) inside `<time datetime="…">`.
/// Escaping adds no digit next to a `年` (`&amp;`, `&lt;`, `&gt;`, `&quot;`, `&#39;`), so the
/// dates found in escaped text are those of the text.
pub fn push_with_times(text: &str, out: &mut String) {
    // Every date the finder knows has a 年; most text has none.
    let dates = if text.contains('年') {
        crate::format::date::find_dates(text)
    } else {
        Vec::new()
    };
    if dates.is_empty() {
        push_broken(text, out);
        return;
    }
    // The phrase breaks of the whole text (a date does not change where phrases end): the
    // escaped text has no `<`, so every `<wbr>` in the broken text is a break, at the offset
    // of the text where it stands less the breaks before it.
    let mut broken = String::with_capacity(text.len() + text.len() / 8);
    push_broken(text, &mut broken);
    const WBR: &str = "<wbr>";
    // At one offset: a date's end, then a break, then a date's start, so that a break at
    // the edge of a date stays outside its element.
    let mut marks: Vec<(usize, u8, String)> = broken
        .match_indices(WBR)
        .enumerate()
        .map(|(k, (o, _))| (o - k * WBR.len(), 1, WBR.to_string()))
        .collect();
    for (r, d) in dates {
        marks.push((r.start, 2, format!("<time datetime=\"{}\">", d.iso())));
        marks.push((r.end, 0, "</time>".to_string()));
    }
    marks.sort_by_key(|m| (m.0, m.1));
    let mut at = 0;
    for (offset, _, tag) in marks {
        out.push_str(&text[at..offset]);
        out.push_str(&tag);
        at = offset;
    }
    out.push_str(&text[at..]);
}

#[cfg(test)]
mod tests {
    use super::push_with_times;

    fn marked(text: &str) -> String {
        with_breaks(text).replace("<wbr>", "")
    }

    fn with_breaks(text: &str) -> String {
        let mut out = String::new();
        push_with_times(text, &mut out);
        out
    }

    #[test]
    fn the_phrase_breaks_are_those_of_the_whole_text_and_stay_outside_dates() {
        let text = "令和4年度から令和8年度までの計画を推進する";
        let got = with_breaks(text);
        let times = got
            .replace("<time datetime=\"2022\">", "")
            .replace("<time datetime=\"2026\">", "")
            .replace("</time>", "");
        assert_eq!(times, crate::typeset::wbr::break_text(text));
        assert!(got.contains("から<wbr><time datetime=\"2026\">"), "{got}");
        assert!(
            !got.contains("<wbr></time>") && !got.contains("\"><wbr>"),
            "{got}"
        );
    }

    #[test]
    fn years_dates_and_fiscal_years_are_marked_with_their_words_unchanged() {
        assert_eq!(
            marked("平成28年5月31日に第1期基本計画"),
            "<time datetime=\"2016-05-31\">平成28年5月31日</time>に第1期基本計画"
        );
        assert_eq!(
            marked("令和9年度目途で開始"),
            "<time datetime=\"2027\">令和9年度</time>目途で開始"
        );
        assert_eq!(
            marked("&lt;2040年&gt;の将来像"),
            "&lt;<time datetime=\"2040\">2040年</time>&gt;の将来像"
        );
        assert_eq!(
            marked("2024年6月"),
            "<time datetime=\"2024-06\">2024年6月</time>"
        );
    }

    #[test]
    fn numbers_that_are_not_years_are_left_alone() {
        for text in ["12345年", "1.2025年", "49コース", "第10年目", "&#39;年"] {
            assert_eq!(marked(text), text, "{text}");
        }
    }
}
