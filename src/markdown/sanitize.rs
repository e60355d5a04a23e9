//! Raw HTML in Markdown, reduced to a safe allow-list (ammonia) unless the site trusts it.

use std::sync::OnceLock;

/// Raw HTML reduced to a safe allow-list; the markup seisaku generates is kept.
pub fn sanitise(html: &str) -> String {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER
        .get_or_init(|| {
            let mut b = ammonia::Builder::default();
            b.add_generic_attributes(["class", "id", "lang", "title", "data-lang"])
                .add_tags([
                    "abbr",
                    "time",
                    "figure",
                    "figcaption",
                    "mark",
                    "wbr",
                    "section",
                    "aside",
                ])
                .add_tag_attributes("time", ["datetime"])
                .add_tag_attributes("ol", ["start"])
                .add_tag_attributes("td", ["align", "style"])
                .add_tag_attributes("th", ["align", "style"])
                .link_rel(None)
                .url_relative(ammonia::UrlRelative::PassThrough);
            b
        })
        .clean(html)
        .to_string()
}
