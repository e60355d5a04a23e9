//! The one pass over pulldown-cmark's events that makes a body: escaped text with glossary
//! links and phrase breaks, heading ids and the outline, resolved links, highlighted code,
//! editorial notes, and the plain text.

use super::glossary::{Piece, Seen};
use super::{anchor_id, highlight, is_script_url, BodyContext, Heading, NOTE_OPEN};
use crate::diag::Diagnostic;
use crate::registry::Kind;
use crate::typeset::time::push_with_times;
use crate::typeset::wbr::push_broken;
use pulldown_cmark::{BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, Tag, TagEnd};
use std::collections::HashSet;
use std::path::Path;

/// The state of the one pass.
pub(super) struct Pass<'a, 'c> {
    pub(super) cx: &'c BodyContext<'a>,
    pub(super) md: &'c str,
    pub(super) events: Vec<Event<'c>>,
    /// Consecutive text, written out at the next other event.
    pub(super) text: String,
    pub(super) plain: String,
    pub(super) code: Option<(String, String)>,
    pub(super) heading: Option<(usize, String)>,
    pub(super) used_ids: HashSet<String>,
    pub(super) headings: Vec<Heading>,
    /// Inside a link (no glossary links) or an image (alt text, written as it is).
    pub(super) link_depth: usize,
    pub(super) image_depth: usize,
    pub(super) seen: Seen,
    /// The glossary terms linked (their indexes in the linker), in the order linked.
    pub(super) terms: Vec<usize>,
    pub(super) autolinks: usize,
    pub(super) raw_html: bool,
    pub(super) diags: Vec<Diagnostic>,
}

impl<'a, 'c> Pass<'a, 'c> {
    fn line_at(&self, offset: usize) -> usize {
        self.cx.first_line + self.md[..offset.min(self.md.len())].matches('\n').count()
    }

    /// Writes the pending text: escaped, glossary-linked outside headings and links, with
    /// phrase breaks and its dates as `<time>`.
    pub(super) fn flush(&mut self) {
        if self.text.is_empty() {
            return;
        }
        let text = std::mem::take(&mut self.text);
        self.plain.push_str(&text);
        if let Some((_, h)) = self.heading.as_mut() {
            h.push_str(&text);
        }
        if self.image_depth > 0 {
            self.events.push(Event::Text(CowStr::from(text)));
            return;
        }
        // Most text has nothing to escape, found at the speed of a byte search.
        let escaped = if memchr::memchr3(b'&', b'<', b'>', text.as_bytes()).is_none() {
            std::borrow::Cow::Borrowed(text.as_str())
        } else {
            html_escape::encode_text(&text)
        };
        let mut html = String::with_capacity(escaped.len() + escaped.len() / 4);
        match self.cx.glossary {
            Some(l) if self.heading.is_none() && self.link_depth == 0 => {
                for piece in l.pieces(
                    &escaped,
                    self.cx.own_term,
                    self.cx.first_only,
                    &mut self.seen,
                ) {
                    match piece {
                        Piece::Text(t) => push_with_times(t, &mut html),
                        Piece::Term { term, shown } => {
                            let t = l.term(term);
                            let tip = l.tooltip_attr(term);
                            for part in [
                                "<a class=\"term\" href=\"",
                                self.cx.root,
                                &t.path,
                                "\" title=\"",
                                tip,
                                "\">",
                            ] {
                                html.push_str(part);
                            }
                            if shown.is_ascii() {
                                for part in ["<abbr title=\"", tip, "\">", shown, "</abbr>"] {
                                    html.push_str(part);
                                }
                            } else {
                                push_broken(shown, &mut html);
                            }
                            html.push_str("</a>");
                            if !self.terms.contains(&term) {
                                self.terms.push(term);
                            }
                            self.autolinks += 1;
                        }
                    }
                }
            }
            _ => push_with_times(&escaped, &mut html),
        }
        self.events.push(Event::InlineHtml(CowStr::from(html)));
    }

    fn push(&mut self, ev: Event<'c>) {
        self.flush();
        self.events.push(ev);
    }

    /// A space in the plain text where a block starts or ends.
    fn block_gap(&mut self) {
        self.flush();
        self.plain.push(' ');
    }

    pub(super) fn event(&mut self, ev: Event<'c>, range: std::ops::Range<usize>) {
        match ev {
            Event::Text(t) => self.on_text(t),
            Event::Code(t) => self.on_code(t),
            Event::Start(Tag::CodeBlock(kind)) => self.start_code_block(kind),
            Event::End(TagEnd::CodeBlock) => self.end_code_block(),
            Event::Start(Tag::BlockQuote(Some(BlockQuoteKind::Note))) => self.note(NOTE_OPEN),
            Event::End(TagEnd::BlockQuote(Some(BlockQuoteKind::Note))) => self.note("</aside>\n"),
            Event::Start(tag @ Tag::Heading { .. }) => self.start_heading(tag),
            Event::End(TagEnd::Heading(level)) => {
                self.flush();
                self.plain.push(' ');
                self.end_heading(level);
                self.events.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Start(tag @ (Tag::Link { .. } | Tag::Image { .. })) => {
                let line = self.line_at(range.start);
                self.start_link(tag, line);
            }
            Event::End(end @ (TagEnd::Link | TagEnd::Image)) => {
                self.push(Event::End(end));
                match end {
                    TagEnd::Link => self.link_depth = self.link_depth.saturating_sub(1),
                    _ => self.image_depth = self.image_depth.saturating_sub(1),
                }
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                self.raw_html = true;
                self.push(ev);
            }
            Event::SoftBreak | Event::HardBreak => {
                self.flush();
                self.plain.push(' ');
                self.events.push(ev);
            }
            Event::Start(ref tag) if is_block(tag) => self.block(ev),
            Event::End(ref end) if is_block_end(end) => self.block(ev),
            other => self.push(other),
        }
    }

    fn on_text(&mut self, t: CowStr<'c>) {
        match self.code.as_mut() {
            Some((_, buf)) => buf.push_str(&t),
            None => self.text.push_str(&t),
        }
    }

    fn on_code(&mut self, t: CowStr<'c>) {
        self.flush();
        self.plain.push_str(&t);
        if let Some((_, h)) = self.heading.as_mut() {
            h.push_str(&t);
        }
        self.events.push(Event::Code(t));
    }

    fn start_code_block(&mut self, kind: CodeBlockKind<'c>) {
        self.block_gap();
        let lang = match kind {
            CodeBlockKind::Fenced(lang) => lang.split_whitespace().next().unwrap_or("").to_string(),
            CodeBlockKind::Indented => String::new(),
        };
        self.code = Some((lang, String::new()));
    }

    fn end_code_block(&mut self) {
        let (lang, code) = self.code.take().unwrap_or_default();
        self.plain.push_str(&code);
        self.plain.push(' ');
        let html = highlight::highlight(&code, &lang);
        self.events.push(Event::Html(CowStr::from(html)));
    }

    /// The opening or closing markup of an editorial note.
    fn note(&mut self, markup: &'static str) {
        self.block_gap();
        self.events.push(Event::Html(CowStr::from(markup)));
    }

    fn start_heading(&mut self, tag: Tag<'c>) {
        self.block_gap();
        // A heading starts a new section: its terms may be linked again.
        self.seen.clear();
        self.heading = Some((self.events.len(), String::new()));
        self.events.push(Event::Start(tag));
    }

    /// A link (its `@kind/id` resolved, a script URL refused) or an image (script URL refused).
    fn start_link(&mut self, tag: Tag<'c>, line: usize) {
        self.flush();
        let tag = match tag {
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            } => {
                self.link_depth += 1;
                let dest = self.resolve_link(&dest_url, line);
                Tag::Link {
                    link_type,
                    dest_url: CowStr::from(dest),
                    title,
                    id,
                }
            }
            Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            } => {
                self.image_depth += 1;
                let dest = if is_script_url(&dest_url) {
                    self.diags.push(script_url(self.cx.file, line));
                    String::new()
                } else {
                    dest_url.to_string()
                };
                Tag::Image {
                    link_type,
                    dest_url: CowStr::from(dest),
                    title,
                    id,
                }
            }
            other => other,
        };
        self.events.push(Event::Start(tag));
    }

    /// A block element's start or end: a space in the plain text.
    fn block(&mut self, ev: Event<'c>) {
        self.block_gap();
        self.events.push(ev);
    }

    fn end_heading(&mut self, level: HeadingLevel) {
        let Some((start, text)) = self.heading.take() else {
            return;
        };
        if let Event::Start(Tag::Heading {
            id, classes, attrs, ..
        }) = &self.events[start]
        {
            let id = match id {
                Some(explicit) => explicit.to_string(),
                None => anchor_id(&text, &mut self.used_ids),
            };
            self.headings.push(Heading {
                level: level as u8,
                id: id.clone(),
                text: crate::format::collapse_whitespace(&text),
            });
            self.events[start] = Event::Start(Tag::Heading {
                level,
                id: Some(CowStr::from(id)),
                classes: classes.clone(),
                attrs: attrs.clone(),
            });
        }
    }

    fn resolve_link(&mut self, dest: &str, line: usize) -> String {
        if is_script_url(dest) {
            self.diags.push(script_url(self.cx.file, line));
            return String::from("#");
        }
        let Some(target) = dest.strip_prefix('@') else {
            return dest.to_string();
        };
        let (path, fragment) = target
            .split_once('#')
            .map_or((target, None), |(p, f)| (p, Some(f)));
        let resolved = path.split_once('/').and_then(|(k, id)| {
            let page = self.cx.targets.page_path(Kind::from_name(k)?, id)?;
            Some(format!("{}{page}", self.cx.root))
        });
        match (resolved, fragment) {
            (Some(url), Some(f)) => format!("{url}#{f}"),
            (Some(url), None) => url,
            // Unknown targets were reported by the resolve stage with their line.
            (None, _) => String::from("#"),
        }
    }
}

fn script_url(file: &Path, line: usize) -> Diagnostic {
    Diagnostic::error(
        "E020",
        file,
        "script URL refused (javascript:, vbscript: or data:text/html)",
    )
    .at(line, 1)
    .hint("link to an http(s) address, a relative path or an entity with @kind/id")
}

/// Block elements: their text is apart from the next block's in the plain text.
fn is_block(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Paragraph
            | Tag::Item
            | Tag::TableCell
            | Tag::TableHead
            | Tag::TableRow
            | Tag::Table(_)
            | Tag::List(_)
            | Tag::BlockQuote(_)
            | Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
    )
}

fn is_block_end(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Paragraph
            | TagEnd::Item
            | TagEnd::TableCell
            | TagEnd::TableHead
            | TagEnd::TableRow
            | TagEnd::Table
            | TagEnd::List(_)
            | TagEnd::BlockQuote(_)
            | TagEnd::FootnoteDefinition
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
    )
}
