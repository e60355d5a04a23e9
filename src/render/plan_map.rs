//! A map of each plan: one static SVG (no script) drawing its basic policies → goals (or
//! sub-themes) → KPIs, with the programmes that serve each goal grouped by ministry. Every
//! node is a link; the SVG keeps its size and scrolls sideways on a phone; colours come from
//! CSS classes (light, dark, print). The same map is written beside it as nested lists.

use super::context::Cx;
use super::lineage::{goals_of_pillar, policies_serving};
use super::links::EntityLink;
use super::page::{Crumb, Page};
use super::views::common::child_pillars;
use crate::content::{Entry, Plan};
use crate::diag::Diagnostic;
use crate::registry::Kind;
use crate::render::html::Html;
use crate::site::graph::NodeId;
use crate::site::page_path;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write;

/// The programmes of one ministry under a goal.
#[derive(Serialize)]
struct Ministry {
    name: String,
    programmes: Vec<EntityLink>,
}

/// A goal or sub-theme, its KPIs and the programmes that serve it.
#[derive(Serialize)]
struct Middle {
    link: Option<EntityLink>,
    kpis: Vec<EntityLink>,
    ministries: Vec<Ministry>,
}

#[derive(Serialize)]
struct Branch {
    pillar: EntityLink,
    middles: Vec<Middle>,
}

#[derive(Serialize)]
struct MapView {
    description: String,
    plan: EntityLink,
    /// What the middle column holds: goals or sub-themes.
    middle_label: String,
    kgis: Vec<EntityLink>,
    branches: Vec<Branch>,
    svg: Html,
}

/// The map page's path for a plan.
pub fn path(plan: &Entry<Plan>) -> String {
    page_path(Kind::Plan, &plan.slug).replace("index.html", "map/index.html")
}

fn ministries(cx: &Cx<'_>, policies: impl Iterator<Item = NodeId>, root: &str) -> Vec<Ministry> {
    let mut by: BTreeMap<String, Vec<EntityLink>> = BTreeMap::new();
    for n in policies {
        let id = cx.site.entry(n).id();
        let org = cx
            .site
            .get::<crate::content::Policy>(id)
            .and_then(|p| p.data.organisations.first())
            .and_then(|o| cx.site.get::<crate::content::Organisation>(o))
            .map_or_else(
                || cx.t("map.no_ministry").to_string(),
                |o| o.data.name.clone(),
            );
        by.entry(org).or_default().push(cx.links.node(n, root));
    }
    by.into_iter()
        .map(|(name, mut programmes)| {
            programmes.sort_by(|a, b| a.title().cmp(b.title()));
            Ministry { name, programmes }
        })
        .collect()
}

fn branches(cx: &Cx<'_>, plan: &Entry<Plan>, root: &str) -> (Vec<Branch>, bool) {
    let site = cx.site;
    let has_goals = site.corpus.goals.iter().any(|g| g.data.plan == plan.id);
    let branches = child_pillars(cx, Some(&plan.id), None)
        .iter()
        .filter_map(|p| {
            let node = site.node(Kind::Pillar, &p.id)?;
            let middles: Vec<Middle> = if has_goals {
                let mut goals: Vec<NodeId> = goals_of_pillar(site, node).into_iter().collect();
                goals.sort_by_key(|g| {
                    site.get::<crate::content::Goal>(site.entry(*g).id())
                        .map(|g| g.data.number)
                });
                goals
                    .into_iter()
                    .map(|g| Middle {
                        link: Some(cx.links.node(g, root)),
                        kpis: site
                            .corpus
                            .kpis
                            .iter()
                            .filter(|k| k.data.goal.as_deref() == Some(site.entry(g).id()))
                            .filter_map(|k| cx.links.entity(Kind::Kpi, &k.id, root))
                            .collect(),
                        ministries: ministries(cx, policies_serving(site, g).into_iter(), root),
                    })
                    .collect()
            } else {
                let subs = child_pillars(cx, None, Some(&p.id));
                let mut m: Vec<Middle> = subs
                    .iter()
                    .filter_map(|s| site.node(Kind::Pillar, &s.id))
                    .map(|s| Middle {
                        link: Some(cx.links.node(s, root)),
                        kpis: Vec::new(),
                        ministries: ministries(cx, policies_serving(site, s).into_iter(), root),
                    })
                    .collect();
                let direct = policies_serving(site, node);
                if !direct.is_empty() || m.is_empty() {
                    m.insert(
                        0,
                        Middle {
                            link: None,
                            kpis: Vec::new(),
                            ministries: ministries(cx, direct.into_iter(), root),
                        },
                    );
                }
                m
            };
            Some(Branch {
                pillar: cx.links.node(node, root),
                middles,
            })
        })
        .collect();
    (branches, has_goals)
}

pub fn page(cx: &Cx<'_>, plan: &Entry<Plan>) -> Result<Page, Diagnostic> {
    let path = path(plan);
    let root = super::page::root_of(&path);
    let root = root.as_str();
    let (branches, has_goals) = branches(cx, plan, root);
    let kgis = cx
        .site
        .corpus
        .kpis
        .iter()
        .filter(|k| k.data.plan.as_deref() == Some(plan.id.as_str()))
        .filter_map(|k| cx.links.entity(Kind::Kpi, &k.id, root))
        .collect();
    let middle_label = cx
        .t(if has_goals {
            "map.goals"
        } else {
            "map.subthemes"
        })
        .to_string();
    let svg = draw(cx, &branches, &middle_label, &plan.slug);
    let view = MapView {
        description: cx
            .strings
            .fmt("map.description", &[("plan", &plan.data.title)]),
        plan: cx
            .links
            .entity(Kind::Plan, &plan.id, root)
            .expect("the plan's own page"),
        middle_label,
        kgis,
        branches,
        svg: svg.into(),
    };
    let title = cx.strings.fmt("map.title", &[("plan", plan.data.short())]);
    Ok(Page::new(path, "plan_map.html", title, &view)?
        .description(view.description.clone())
        .crumbs(vec![
            Crumb::new(cx.t("crumb.plans"), "plans/index.html"),
            Crumb::new(plan.data.title.clone(), page_path(Kind::Plan, &plan.slug)),
        ]))
}

const LINE: f64 = 20.0;
const COLS: [(f64, f64); 4] = [(4.0, 200.0), (214.0, 250.0), (474.0, 250.0), (734.0, 330.0)];
const WIDTH: f64 = 1070.0;

fn esc(s: &str) -> String {
    html_escape::encode_text(s).replace('"', "&quot;")
}

/// At most `n` characters of `s`, with … when cut (the whole title is the link's tooltip).
fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>())
    }
}

/// A linked box with one line of text.
fn node(s: &mut String, class: &str, link: &EntityLink, x: f64, y: f64, w: f64, chars: usize) {
    let _ = write!(
        s,
        "<a href=\"{}\"><title>{}</title><rect class=\"map-box {class}\" x=\"{x}\" y=\"{}\" width=\"{w}\" height=\"{}\" rx=\"3\"/><text class=\"map-text\" x=\"{}\" y=\"{}\">{}</text></a>",
        esc(link.url()),
        esc(link.title()),
        y + 1.0,
        LINE - 2.0,
        x + 5.0,
        y + 14.0,
        esc(&clip(link.title(), chars))
    );
}

fn edge(s: &mut String, x1: f64, y1: f64, x2: f64, y2: f64) {
    // Edges go into their own layer, drawn under the boxes.
    let mid = (x1 + x2) / 2.0;
    let _ = write!(
        s,
        "<path class=\"map-edge\" d=\"M{x1} {y1} H{mid} V{y2} H{x2}\"/>"
    );
}

/// Lines a goal's block takes: its KPIs, or its ministries and their programmes.
fn rows(m: &Middle) -> usize {
    let progs: usize = m.ministries.iter().map(|x| 1 + x.programmes.len()).sum();
    m.kpis.len().max(progs).max(1)
}

/// One basic policy's rows: its box, its goals, their KPIs and programmes; boxes go to `s`,
/// edges to `e`. Returns where the next branch starts.
fn draw_branch(s: &mut String, e: &mut String, b: &Branch, top: f64) -> f64 {
    let block: usize = b.middles.iter().map(rows).sum::<usize>().max(1);
    node(s, "map-pillar", &b.pillar, COLS[0].0, top, COLS[0].1, 14);
    let mut my = top;
    for m in &b.middles {
        if let Some(link) = &m.link {
            edge(
                e,
                COLS[0].0 + COLS[0].1,
                top + LINE / 2.0,
                COLS[1].0,
                my + LINE / 2.0,
            );
            node(s, "map-goal", link, COLS[1].0, my, COLS[1].1, 17);
        }
        // KPIs and programmes hang from the goal, or from the pillar when there is none.
        let (from_x, from_y) = match m.link {
            Some(_) => (COLS[1].0 + COLS[1].1, my + LINE / 2.0),
            None => (COLS[0].0 + COLS[0].1, top + LINE / 2.0),
        };
        for (i, k) in m.kpis.iter().enumerate() {
            let ky = my + LINE * i as f64;
            edge(e, from_x, from_y, COLS[2].0, ky + LINE / 2.0);
            node(s, "map-kpi", k, COLS[2].0, ky, COLS[2].1, 15);
        }
        let mut py = my;
        for min in &m.ministries {
            let _ = write!(
                s,
                "<text class=\"map-ministry\" x=\"{}\" y=\"{}\">{}</text>",
                COLS[3].0,
                py + 14.0,
                esc(&min.name)
            );
            py += LINE;
            for p in &min.programmes {
                edge(e, from_x, from_y, COLS[3].0 + 8.0, py + LINE / 2.0);
                node(s, "map-prog", p, COLS[3].0 + 8.0, py, COLS[3].1 - 8.0, 21);
                py += LINE;
            }
        }
        my += LINE * rows(m) as f64;
    }
    let next = top + LINE * (block as f64 + 1.0);
    let rule = next - LINE / 2.0;
    let _ = write!(
        s,
        "<line class=\"map-rule\" x1=\"0\" y1=\"{rule}\" x2=\"{WIDTH}\" y2=\"{rule}\"/>"
    );
    next
}

/// The SVG of the map: columns of linked boxes joined by lines.
fn draw(cx: &Cx<'_>, branches: &[Branch], middle_label: &str, slug: &str) -> String {
    let total: usize = branches
        .iter()
        .map(|b| b.middles.iter().map(rows).sum::<usize>().max(1) + 1)
        .sum();
    let height = (total as f64 + 2.0) * LINE;
    let mut s = String::with_capacity(8192);
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"plan-map\" width=\"{WIDTH}\" height=\"{height}\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" aria-labelledby=\"map-{slug}-title\"><title id=\"map-{slug}-title\">{}</title>",
        esc(&cx.strings.fmt("map.svg_title", &[("middle", middle_label)]))
    );
    let heads = [
        cx.t("map.pillars"),
        middle_label,
        cx.t("map.kpis"),
        cx.t("map.programmes"),
    ];
    for ((x, _), h) in COLS.iter().zip(heads) {
        let _ = write!(
            s,
            "<text class=\"map-head\" x=\"{x}\" y=\"14\">{}</text>",
            esc(h)
        );
    }
    let mut e = String::with_capacity(4096);
    let mut y = LINE * 1.5;
    for b in branches {
        y = draw_branch(&mut s, &mut e, b, y);
    }
    // The edges first, so the boxes lie over them.
    let at = s.find("<a ").unwrap_or(s.len());
    s.insert_str(at, &format!("<g class=\"map-edges\">{e}</g>"));
    s.push_str("</svg>");
    s
}
