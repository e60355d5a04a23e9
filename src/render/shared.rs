//! What every page's template reads that is the same on every page of a build: the site
//! (`site`), the UI strings (`t`) and whether live reload is on (`live_reload`). They are made
//! into template values once per build; a template value's lists and maps are shared, not
//! copied, so adding them to each page's context costs a reference each.

use super::strings::Strings;
use serde::Serialize;

/// The names the shared values have in a page's context. They go over a page's own data of
/// the same name.
pub const KEYS: [&str; 3] = ["site", "live_reload", "t"];

/// `site` in templates.
#[derive(Serialize)]
pub struct SiteMeta<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub language: &'a str,
    pub base_url: Option<String>,
    pub offline_archive: bool,
}

/// The shared values, made once per build.
pub struct Shared {
    values: [tera::Value; 3],
}

impl Shared {
    pub fn new(site: &SiteMeta<'_>, live_reload: bool, strings: &Strings) -> Shared {
        Shared {
            values: [
                tera::Value::from_serializable(site),
                tera::Value::from(live_reload),
                tera::Value::from_serializable(strings),
            ],
        }
    }

    /// Puts the shared values into a page's context (over its own data of the same names).
    pub fn add_to(&self, ctx: &mut tera::Context) {
        for (k, v) in KEYS.iter().zip(&self.values) {
            ctx.insert_value(*k, v.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_values_go_over_page_data() {
        let strings = crate::render::theme::default_strings();
        let site = SiteMeta {
            title: "サイト",
            description: "説明",
            language: "ja",
            base_url: None,
            offline_archive: false,
        };
        let shared = Shared::new(&site, true, &strings);
        let mut tera = tera::Tera::new();
        tera.add_raw_template(
            "p",
            "{{ site.title }}/{{ t.page.top }}/{{ live_reload }}/{{ x }}",
        )
        .unwrap();
        for i in 0..3 {
            let mut ctx = tera::Context::new();
            ctx.insert("x", &i);
            ctx.insert("site", &"page data named site");
            shared.add_to(&mut ctx);
            let out = tera.render("p", &ctx).unwrap();
            assert_eq!(out, format!("サイト/{}/true/{i}", strings.get("page.top")));
        }
    }
}
