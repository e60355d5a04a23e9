//! What every page's template reads that is the same on every page of a build: the site
//! (`site`), the UI strings (`t`) and whether live reload is on (`live_reload`). They are made
//! into template values once per build and lent to each page's context while it renders,
//! instead of being serialised into every page's context and dropped with it.

use super::strings::Strings;
use serde::Serialize;
use std::sync::Mutex;

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

/// The shared values, made once; one set of them per page rendering at the same time.
pub struct Shared {
    made: tera::Context,
    /// Sets not lent at the moment (one per thread, after the first pages).
    spare: Mutex<Vec<tera::Context>>,
}

impl Shared {
    pub fn new(site: &SiteMeta<'_>, live_reload: bool, strings: &Strings) -> Shared {
        let mut made = tera::Context::new();
        made.insert(KEYS[0], site);
        made.insert(KEYS[1], &live_reload);
        made.insert(KEYS[2], strings);
        Shared {
            made,
            spare: Mutex::new(Vec::new()),
        }
    }

    /// Runs `f` (a rendering) with `ctx` and the shared values in it, then takes them back out
    /// of `ctx`, to lend to the next page.
    pub fn lend<R>(&self, ctx: &mut tera::Context, f: impl FnOnce(&tera::Context) -> R) -> R {
        let set = self.spare().pop().unwrap_or_else(|| self.made.clone());
        ctx.extend(set);
        let r = f(ctx);
        let mut back = serde_json::Map::new();
        for k in KEYS {
            if let Some(v) = ctx.remove(k) {
                back.insert(k.to_string(), v);
            }
        }
        if let Ok(set) = tera::Context::from_value(serde_json::Value::Object(back)) {
            self.spare().push(set);
        }
        r
    }

    fn spare(&self) -> std::sync::MutexGuard<'_, Vec<tera::Context>> {
        self.spare.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lent_values_go_over_page_data_and_come_back_unchanged() {
        let strings = crate::render::theme::default_strings();
        let site = SiteMeta {
            title: "サイト",
            description: "説明",
            language: "ja",
            base_url: None,
            offline_archive: false,
        };
        let shared = Shared::new(&site, true, &strings);
        let mut tera = tera::Tera::default();
        tera.add_raw_template(
            "p",
            "{{ site.title }}/{{ t.page.top }}/{{ live_reload }}/{{ x }}",
        )
        .unwrap();
        for i in 0..3 {
            let mut ctx = tera::Context::new();
            ctx.insert("x", &i);
            ctx.insert("site", &"page data named site");
            let out = shared.lend(&mut ctx, |c| tera.render("p", c).unwrap());
            assert_eq!(out, format!("サイト/{}/true/{i}", strings.get("page.top")));
            assert!(KEYS.iter().all(|k| !ctx.contains_key(k)));
            assert!(ctx.contains_key("x"));
        }
        assert_eq!(shared.spare().len(), 1);
        assert_eq!(
            shared.spare()[0].clone().into_json(),
            shared.made.clone().into_json()
        );
    }
}
