//! The glossary index: Latin terms under A–Z, Japanese terms under the rows of the 五十音
//! (by their kana reading).

use super::context::Cx;
use super::links::EntityLink;
use super::lists::ListPage;
use super::page::Page;
use crate::content::{Entry, Term};
use crate::diag::Diagnostic;
use crate::format::nfkc;
use crate::registry::Kind;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
struct Item<'a> {
    link: Option<EntityLink>,
    expansion: Option<&'a str>,
    ja: Option<&'a str>,
}

#[derive(Serialize)]
struct Group<'a> {
    head: String,
    anchor: String,
    script: &'static str,
    items: Vec<Item<'a>>,
}

#[derive(Serialize)]
struct Index<'a> {
    description: &'a str,
    groups: Vec<Group<'a>>,
}

pub fn page(cx: &Cx<'_>, root: &str) -> Result<Page, Diagnostic> {
    let mut groups: BTreeMap<(u8, String), Vec<Item>> = BTreeMap::new();
    let mut terms: Vec<&Entry<Term>> = cx.site.corpus.terms.iter().map(|t| &**t).collect();
    terms.sort_by_key(|t| sort_key(&t.data.title, t.data.reading.as_deref()));
    for t in terms {
        groups
            .entry(index_head(&t.data.title, t.data.reading.as_deref()))
            .or_default()
            .push(Item {
                link: cx.links.entity(Kind::Term, &t.id, root),
                expansion: t.data.expansion.as_deref(),
                ja: t.data.ja.as_deref(),
            });
    }
    let view = Index {
        description: cx.t("list.glossary_description"),
        groups: groups
            .into_iter()
            .map(|((script, head), items)| Group {
                anchor: format!("g-{head}"),
                head,
                script: if script == 0 { "latin" } else { "kana" },
                items,
            })
            .collect(),
    };
    ListPage::Glossary.single(
        "glossary.html",
        cx.t("list.glossary"),
        &view,
        view.description,
    )
}

/// Index heading of a glossary term: A–Z for Latin titles, the 五十音 row for Japanese ones.
pub fn index_head(title: &str, reading: Option<&str>) -> (u8, String) {
    let first = nfkc(title).chars().next().unwrap_or('#');
    if first.is_ascii_alphabetic() {
        return (0, first.to_ascii_uppercase().to_string());
    }
    if first.is_ascii_digit() {
        return (0, "0–9".into());
    }
    let kana = reading.and_then(|r| r.chars().next()).unwrap_or(first);
    (1, gojuon_row(kana).to_string())
}

fn sort_key(title: &str, reading: Option<&str>) -> (u8, String, String) {
    let (script, head) = index_head(title, reading);
    let key = if script == 0 {
        nfkc(title).to_lowercase()
    } else {
        reading.unwrap_or(title).to_string()
    };
    (script, head, key)
}

/// The 五十音 row (あ, か, さ, ...) of a kana; 他 for anything else.
pub fn gojuon_row(c: char) -> char {
    // Katakana to hiragana.
    let c = if ('\u{30A1}'..='\u{30F6}').contains(&c) {
        char::from_u32(c as u32 - 0x60).unwrap_or(c)
    } else {
        c
    };
    const ROWS: [(char, &str); 10] = [
        ('あ', "ぁあぃいぅうゔぇえぉお"),
        ('か', "かがきぎくぐけげこご"),
        ('さ', "さざしじすずせぜそぞ"),
        ('た', "ただちぢっつづてでとど"),
        ('な', "なにぬねの"),
        ('は', "はばぱひびぴふぶぷへべぺほぼぽ"),
        ('ま', "まみむめも"),
        ('や', "ゃやゅゆょよ"),
        ('ら', "らりるれろ"),
        ('わ', "ゎわゐゑをん"),
    ];
    ROWS.iter()
        .find(|(_, set)| set.contains(c))
        .map_or('他', |(r, _)| *r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gojuon_rows() {
        assert_eq!(gojuon_row('で'), 'た');
        assert_eq!(gojuon_row('デ'), 'た');
        assert_eq!(gojuon_row('さ'), 'さ');
        assert_eq!(index_head("IMDRF", None), (0, "I".into()));
        assert_eq!(
            index_head("デバイスラグ", Some("でばいすらぐ")),
            (1, "た".into())
        );
    }
}
