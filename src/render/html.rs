//! HTML that seisaku made (a body, a title with its phrase breaks, a chart) as templates get it:
//! a string marked safe, which a template prints as it is. Printed with `| safe`, it would be
//! copied into a new string first, once per use on every page.

use serde::Serialize;

/// A piece of HTML, ready to be printed.
#[derive(Debug, Clone)]
pub struct Html(tera::Value);

impl Html {
    pub fn new(html: &str) -> Html {
        Html(tera::Value::safe_string(html))
    }

    /// The HTML.
    pub fn as_str(&self) -> &str {
        self.0.as_str().unwrap_or_default()
    }

    /// The template value.
    pub fn into_value(self) -> tera::Value {
        self.0
    }
}

impl From<String> for Html {
    fn from(html: String) -> Html {
        Html::new(&html)
    }
}

/// Templates get the value itself, not a copy.
impl Serialize for Html {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_without_escaping_and_serialised_as_its_text() {
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![".html"]);
        tera.add_raw_template("t.html", "{{ h }}|{{ s }}|{{ v.h }}")
            .unwrap();
        #[derive(Serialize)]
        struct V {
            h: Html,
        }
        let mut ctx = tera::Context::new();
        ctx.insert("h", &Html::new("<b>a&amp;b</b>"));
        ctx.insert("s", "<b>");
        ctx.insert(
            "v",
            &V {
                h: Html::new("<i>x</i>"),
            },
        );
        assert_eq!(
            tera.render("t.html", &ctx).unwrap(),
            "<b>a&amp;b</b>|&lt;b&gt;|<i>x</i>"
        );
        assert_eq!(
            serde_json::to_string(&V {
                h: Html::new("<i>")
            })
            .unwrap(),
            r#"{"h":"<i>"}"#
        );
    }
}
