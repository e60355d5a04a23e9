//! Markdown to HTML: tables, footnotes, strikethrough, heading anchors, `@kind/id` links,
//! highlighted code, and raw HTML sanitised unless the site trusts it.

use crate::content::Kind;
use crate::diag::Diagnostic;
use crate::resolve::{page_path, Graph};
use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
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
}

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
///
/// The HTML serialiser behind the allow-list rescans the rest of a text node for every `&` and
/// every character U+0080–U+00BF in it, which is quadratic in a long paragraph. Large inputs
/// therefore pass through it with those characters replaced by private-use stand-ins, put
/// back afterwards: the same output, in linear time.
pub fn sanitise(html: &str) -> String {
    const LARGE: usize = 16 * 1024;
    if html.len() <= LARGE {
        return clean(html);
    }
    match StandIns::for_text(html) {
        Some(s) => s.restore(&clean(&s.replace(html))),
        None => clean(html),
    }
}

/// Stand-ins for `&amp;` and the characters U+0080–U+00BF: plane-15 private-use characters,
/// used only when the text has none of them.
struct StandIns;

impl StandIns {
    const BASE: u32 = 0xF_0000;
    /// Stand-in index of `&amp;`; U+0080 + i has index i.
    const AMP: u32 = 0x40;

    fn for_text(text: &str) -> Option<StandIns> {
        let taken = text
            .chars()
            .any(|c| (Self::BASE..=Self::BASE + Self::AMP).contains(&(c as u32)));
        (!taken).then_some(StandIns)
    }

    fn stand_in(i: u32) -> char {
        // BASE + 0..=0x40 are all private-use code points, valid chars.
        char::from_u32(Self::BASE + i).expect("a private-use code point")
    }

    fn replace(&self, html: &str) -> String {
        let amp = Self::stand_in(Self::AMP);
        let mut out = String::with_capacity(html.len());
        let mut rest = html;
        while let Some(i) = rest.find(|c: char| c == '&' || ('\u{80}'..='\u{BF}').contains(&c)) {
            out.push_str(&rest[..i]);
            rest = &rest[i..];
            if let Some(after) = rest.strip_prefix("&amp;") {
                out.push(amp);
                rest = after;
            } else if rest.starts_with('&') {
                out.push('&');
                rest = &rest[1..];
            } else {
                // The character at `i` is U+0080..=U+00BF, two bytes long.
                let c = rest.chars().next().expect("a character at i");
                out.push(Self::stand_in(c as u32 - 0x80));
                rest = &rest[c.len_utf8()..];
            }
        }
        out.push_str(rest);
        out
    }

    fn restore(&self, cleaned: &str) -> String {
        let mut out = String::with_capacity(cleaned.len() + cleaned.len() / 8);
        for c in cleaned.chars() {
            let code = c as u32;
            match code.checked_sub(Self::BASE) {
                Some(Self::AMP) => out.push_str("&amp;"),
                Some(0x20) => out.push_str("&nbsp;"),
                Some(i) if i < Self::AMP => {
                    out.push(char::from_u32(0x80 + i).expect("U+0080..U+00BF"))
                }
                _ => out.push(c),
            }
        }
        out
    }
}

fn clean(html: &str) -> String {
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

    #[test]
    fn large_inputs_are_sanitised_identically() {
        let pieces = [
            "<p>AT&amp;T と R&amp;D、気温 25°C ± 1、§3・¥100　&nbsp;",
            "<a href=\"?a=1&amp;b=2\" title=\"x&amp;y°\">リンク</a>",
            "<a href=\"https://example.go.jp/?a=1&amp;b=°\">外部</a><img src=\"data:x&amp;°\">",
            "<script>alert(1)</script><b onclick=\"x\">太字&lt;&gt;&quot;</b>",
            "\u{a0}«引用»&copy; &#38; &unknown; & 単独</p>\n",
        ];
        let html = pieces.concat().repeat(400);
        assert!(html.len() > 16 * 1024);
        assert_eq!(sanitise(&html), clean(&html));
        let taken = format!("{html}\u{F0000}");
        assert_eq!(sanitise(&taken), clean(&taken));
    }

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
