//! Markdown to HTML: tables, footnotes, strikethrough, heading anchors, `@kind/id` links,
//! highlighted code, and raw HTML sanitised unless the site trusts it.

use crate::content::Kind;
use crate::diag::Diagnostic;
use crate::resolve::{page_path, Graph};
use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd,
};
use std::collections::HashSet;
use std::path::Path;
use std::sync::OnceLock;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// Class prefix of highlighted code spans; the stylesheet is generated with the same prefix.
pub const HIGHLIGHT_PREFIX: &str = "hl-";

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// What the Markdown stage needs to know about the site.
pub struct MdContext<'a> {
    pub graph: &'a Graph,
    /// Relative prefix from the page to the output root (`../../`).
    pub root: &'a str,
    pub trust_html: bool,
    /// File and first body line, for diagnostics.
    pub file: &'a Path,
    pub first_line: usize,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// Opening markup of an editorial note (`> [!NOTE]`): text the editors wrote, not the seed's.
const NOTE_OPEN: &str = "<aside class=\"editorial\">\n<p class=\"editorial-label\">編集注</p>\n";

/// Whether a link destination is a script URL (after the tricks browsers forgive).
pub fn is_script_url(dest: &str) -> bool {
    let cleaned: String = dest
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    cleaned.starts_with("javascript:")
        || cleaned.starts_with("vbscript:")
        || cleaned.starts_with("data:text/html")
}

/// Text of a heading turned into an anchor id (Japanese kept, spaces to `-`).
pub fn anchor_id(text: &str, used: &mut HashSet<String>) -> String {
    let base: String = crate::format::nfkc(text)
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() {
                Some(c.to_lowercase().next().unwrap_or(c))
            } else if c.is_whitespace() || c == '-' || c == '_' {
                Some('-')
            } else {
                None
            }
        })
        .collect();
    let base = if base.trim_matches('-').is_empty() {
        "section".to_string()
    } else {
        base.trim_matches('-').to_string()
    };
    let mut id = base.clone();
    let mut n = 1;
    while !used.insert(id.clone()) {
        n += 1;
        id = format!("{base}-{n}");
    }
    id
}

/// Renders a Markdown body. Problems (unknown `@` links, script URLs) go to `diags`.
pub fn to_html(md: &str, ctx: &MdContext<'_>, diags: &mut Vec<Diagnostic>) -> String {
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut in_code: Option<String> = None;
    let mut code_buf = String::new();
    let mut heading: Option<(usize, HeadingLevel)> = None;
    let mut heading_text = String::new();
    let mut used_ids = HashSet::new();
    let line_at = |offset: usize| ctx.first_line + md[..offset.min(md.len())].matches('\n').count();

    for (ev, range) in Parser::new_ext(md, options()).into_offset_iter() {
        match ev {
            Event::Start(Tag::BlockQuote(Some(BlockQuoteKind::Note))) => {
                events.push(Event::Html(CowStr::from(NOTE_OPEN)));
            }
            Event::End(TagEnd::BlockQuote(Some(BlockQuoteKind::Note))) => {
                events.push(Event::Html(CowStr::from("</aside>\n")));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                in_code = Some(match kind {
                    CodeBlockKind::Fenced(lang) => {
                        lang.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                });
                code_buf.clear();
            }
            Event::End(TagEnd::CodeBlock) => {
                let lang = in_code.take().unwrap_or_default();
                events.push(Event::Html(CowStr::from(highlight(&code_buf, &lang))));
            }
            Event::Text(t) if in_code.is_some() => code_buf.push_str(&t),
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                heading = Some((events.len(), level));
                heading_text.clear();
                events.push(Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((start, _)) = heading.take() {
                    if let Event::Start(Tag::Heading {
                        id, classes, attrs, ..
                    }) = &events[start]
                    {
                        let id = match id {
                            Some(explicit) => explicit.to_string(),
                            None => anchor_id(&heading_text, &mut used_ids),
                        };
                        events[start] = Event::Start(Tag::Heading {
                            level,
                            id: Some(CowStr::from(id)),
                            classes: classes.clone(),
                            attrs: attrs.clone(),
                        });
                    }
                }
                events.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = resolve_link(&dest_url, ctx, line_at(range.start), diags);
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url: CowStr::from(dest),
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = if is_script_url(&dest_url) {
                    diags.push(script_url(ctx, line_at(range.start)));
                    String::new()
                } else {
                    dest_url.to_string()
                };
                events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url: CowStr::from(dest),
                    title,
                    id,
                }));
            }
            other => {
                if heading.is_some() {
                    if let Event::Text(t) | Event::Code(t) = &other {
                        heading_text.push_str(t);
                    }
                }
                events.push(other);
            }
        }
    }
    let mut html = String::with_capacity(md.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    if ctx.trust_html {
        html
    } else {
        sanitise(&html)
    }
}

fn script_url(ctx: &MdContext<'_>, line: usize) -> Diagnostic {
    Diagnostic::error(
        "E020",
        ctx.file,
        "script URL refused (javascript:, vbscript: or data:text/html)",
    )
    .at(line, 1)
    .hint("link to an http(s) address, a relative path or an entity with @kind/id")
}

fn resolve_link(
    dest: &str,
    ctx: &MdContext<'_>,
    line: usize,
    diags: &mut Vec<Diagnostic>,
) -> String {
    if is_script_url(dest) {
        diags.push(script_url(ctx, line));
        return String::from("#");
    }
    let Some(target) = dest.strip_prefix('@') else {
        return dest.to_string();
    };
    let (path, fragment) = target
        .split_once('#')
        .map_or((target, None), |(p, f)| (p, Some(f)));
    let resolved = path.split_once('/').and_then(|(k, id)| {
        let kind = Kind::from_name(k)?;
        let (_, slug) = ctx.graph.titles.get(&(kind, id.to_string()))?;
        Some(format!("{}{}", ctx.root, page_path(kind, slug)))
    });
    match (resolved, fragment) {
        (Some(url), Some(f)) => format!("{url}#{f}"),
        (Some(url), None) => url,
        // Unknown targets were reported by the resolve stage with their line.
        (None, _) => String::from("#"),
    }
}

/// A fenced code block as `<pre><code>` with class-based highlighting.
pub fn highlight(code: &str, lang: &str) -> String {
    let ss = syntaxes();
    let syntax = ss
        .find_syntax_by_token(lang)
        .unwrap_or_else(|| ss.find_syntax_plain_text());
    let mut gen = ClassedHTMLGenerator::new_with_class_style(
        syntax,
        ss,
        ClassStyle::SpacedPrefixed {
            prefix: HIGHLIGHT_PREFIX,
        },
    );
    for line in LinesWithEndings::from(code) {
        if gen
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            return format!(
                "<pre class=\"code\"><code>{}</code></pre>",
                html_escape::encode_text(code)
            );
        }
    }
    let lang_attr = if lang.is_empty() {
        String::new()
    } else {
        format!(
            " data-lang=\"{}\"",
            html_escape::encode_double_quoted_attribute(lang)
        )
    };
    format!(
        "<pre class=\"code\"{lang_attr}><code>{}</code></pre>\n",
        gen.finalize()
    )
}

/// CSS for highlighted code, light and dark, generated from syntect's themes (once).
pub fn highlight_css() -> String {
    static CSS: OnceLock<String> = OnceLock::new();
    CSS.get_or_init(make_highlight_css).clone()
}

fn make_highlight_css() -> String {
    use syntect::highlighting::ThemeSet;
    use syntect::html::css_for_theme_with_class_style;
    let themes = ThemeSet::load_defaults();
    let style = ClassStyle::SpacedPrefixed {
        prefix: HIGHLIGHT_PREFIX,
    };
    let light = themes
        .themes
        .get("InspiredGitHub")
        .and_then(|t| css_for_theme_with_class_style(t, style).ok())
        .unwrap_or_default();
    let dark = themes
        .themes
        .get("base16-ocean.dark")
        .and_then(|t| css_for_theme_with_class_style(t, style).ok())
        .unwrap_or_default();
    format!("/* Generated by seisaku from syntect themes. */\n{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n")
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn render(md: &str, trust: bool) -> (String, Vec<Diagnostic>) {
        let graph = Graph::default();
        let ctx = MdContext {
            graph: &graph,
            root: "../../",
            trust_html: trust,
            file: Path::new("x.md"),
            first_line: 5,
        };
        let mut d = Vec::new();
        (to_html(md, &ctx, &mut d), d)
    }

    #[test]
    fn tables_footnotes_strikethrough_anchors() {
        let (h, _) = render(
            "## 事業の目的\n\n|a|b|\n|-|-|\n|1|2|\n\n~~x~~ note[^1]\n\n[^1]: foot\n",
            false,
        );
        assert!(h.contains("<h2 id=\"事業の目的\">"), "{h}");
        assert!(
            h.contains("<table>") && h.contains("<del>x</del>") && h.contains("footnote"),
            "{h}"
        );
    }

    #[test]
    fn note_blocks_are_marked_as_editorial() {
        let (h, _) = render(
            "本文。\n\n> [!NOTE]\n> 資料では画像のため掲載していない。\n",
            false,
        );
        assert!(
            h.contains("<aside class=\"editorial\">\n<p class=\"editorial-label\">編集注</p>"),
            "{h}"
        );
        assert!(
            h.contains("資料では画像のため掲載していない。</p>\n</aside>"),
            "{h}"
        );
        let (h, _) = render("> quoted\n", false);
        assert!(h.contains("<blockquote>"), "{h}");
    }

    #[test]
    fn code_is_highlighted_with_classes_only() {
        let (h, _) = render("```toml\ntitle = \"x\"\n```\n", false);
        assert!(h.contains("class=\"hl-"), "{h}");
        assert!(!h.contains("style="), "{h}");
    }

    #[test]
    fn raw_html_is_sanitised_unless_trusted() {
        let (h, _) = render("<script>alert(1)</script><b onclick=\"x()\">b</b>\n", false);
        assert!(!h.contains("<script") && !h.contains("onclick"), "{h}");
        let (h, _) = render("<div class=\"k\">ok</div>\n", true);
        assert!(h.contains("<div class=\"k\">"), "{h}");
    }

    #[test]
    fn script_urls_are_refused_with_line() {
        let (h, d) = render("text\n\n[x](javascript:alert(1))\n", false);
        assert!(!h.contains("javascript"), "{h}");
        assert_eq!((d[0].code, d[0].line), ("E020", 7));
        assert!(is_script_url(" JaVa\tScript:alert(1)"));
    }
}
