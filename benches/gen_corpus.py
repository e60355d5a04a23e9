#!/usr/bin/env python3
"""Deterministic synthetic policy sites for benchmarking seisaku against Hugo.

    gen_corpus.py N OUT        writes OUT/seisaku (a seisaku site) and OUT/hugo (the same
                               corpus for Hugo: page, list and taxonomy templates)

N is the number of policies (~3 KB of Japanese Markdown each: paragraphs with glossary acronyms,
headings, a list, a table, two links to other policies); KPIs (N/20), glossary terms (200),
organisations (20), goals (20)
and pillars (10) come with them, so a site has about 1.1 N pages. The same seed gives
byte-identical files.
"""
import os
import random
import sys

PHRASES = [
    "医療機器の研究開発を推進する", "臨床現場のニーズを踏まえた", "スタートアップへの伴走支援を行う", "国際展開に向けた環境整備",
    "規制調和の取組を進める", "プログラム医療機器の実用化", "人材育成とリスキリング", "データ利活用の基盤を整備する",
    "安定供給の確保に向けて", "審査体制の充実を図る", "産学官の連携を強化する", "海外の規制当局との協力",
]
TERMS = ["IMDRF", "MDSAP", "HBD", "IDATEN", "SaMD", "PMDA", "AMED", "MEDISO", "JHVS", "QMS", "SBOM", "DCT"]


def term_names(n):
    names = list(TERMS)
    i = 0
    while len(names) < n:
        names.append("TERM%03d" % i)
        i += 1
    return names[:n]


def body(rng, terms, paragraphs=4):
    out = []
    for p in range(paragraphs):
        if p == 1:
            out.append("## 事業の概要\n")
        sent = []
        for _ in range(rng.randint(4, 7)):
            t = rng.choice(terms)
            sent.append("%s%sについて、%s。" % (rng.choice(PHRASES), t, rng.choice(PHRASES)))
        out.append("".join(sent) + "\n")
    return "\n".join(out)


def policy_body(rng, terms, links):
    """A policy's body (~3 KB): paragraphs with glossary acronyms, a heading, a list, a table
    and two links to other policies. `links` is [(label, target)], the target already in the
    generator's own link syntax."""
    out = [body(rng, terms, 3)]
    out.append("\n## 主な取組\n")
    for _ in range(4):
        out.append("- %s%sの%s" % (rng.choice(PHRASES), rng.choice(terms), rng.choice(PHRASES)))
    out.append("\n| 区分 | 内容 | 指標 |\n|---|---|---|")
    for k in range(3):
        out.append("| 区分%d | %s | %d件 |" % (k + 1, rng.choice(PHRASES), rng.randint(1, 900)))
    out.append("\n関連する施策は%sと%sを参照。\n" % tuple("[%s](%s)" % l for l in links))
    return "\n".join(out)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    n = int(sys.argv[1])
    out = sys.argv[2]
    rng = random.Random(20261124)
    terms = term_names(200)
    n_kpis = max(1, n // 20)
    s = os.path.join(out, "seisaku")
    h = os.path.join(out, "hugo")
    seed_lines = ["合成資料 %d 行目 値 %d" % (i, i * 7) for i in range(1, 2001)]
    write(os.path.join(s, "seeds", "bench.txt"), "\n".join(seed_lines) + "\n")
    write(os.path.join(s, "site.toml"), 'title = "ベンチマーク"\ndescription = "合成サイト"\n')
    write(os.path.join(s, "content/documents/bench.md"), '+++\ntitle = "合成資料"\nfile = "bench.txt"\nsource = ["bench.txt#L1"]\n+++\n合成資料。\n')
    write(os.path.join(s, "content/plans/plan1.md"), '+++\ntitle = "合成計画"\nnumber = 1\nsource = ["bench.txt#L2"]\n+++\n計画。\n')
    for i in range(10):
        write(os.path.join(s, "content/pillars/p%02d.md" % i), '+++\ntitle = "基本方針%d"\nlabel = "基本方針%d"\nplan = "plan1"\norder = %d\nsource = ["bench.txt#L3"]\n+++\n%s' % (i, i, i, body(rng, terms, 1)))
    for i in range(20):
        write(os.path.join(s, "content/goals/g%02d.md" % i), '+++\ntitle = "ゴール%d"\nplan = "plan1"\nnumber = %d\npillars = ["p%02d"]\nsource = ["bench.txt#L4"]\n+++\n%s' % (i, i + 1, i % 10, body(rng, terms, 1)))
        write(os.path.join(s, "content/organisations/o%02d.toml" % i), 'name = "合成省%d"\nkind = "ministry"\nsource = ["bench.txt#L5"]\n' % i)
    for i, t in enumerate(terms):
        reading = ""
        write(os.path.join(s, "content/terms/t%03d.md" % i), '+++\ntitle = "%s"\nexpansion = "Term %d"\nsource = ["bench.txt#L%d"]\n+++\n%sの定義。%s。\n' % (t, i, 10 + i, t, rng.choice(PHRASES)))
    for i in range(n_kpis):
        pts = "".join("\n[[points]]\nyear = %d\nvalue = %d\n" % (2018 + y, rng.randint(10, 5000)) for y in range(7))
        write(os.path.join(s, "content/kpis/k%05d.toml" % i), 'title = "指標%d"\nkind = "kpi"\nunit = "件"\nperiod = "年度"\ngoal = "g%02d"\nsource = ["bench.txt#L6"]\n%s' % (i, i % 20, pts))
    # Hugo: the same policies, organisations and goals as its two taxonomies.
    # Hugo: a plain site a Hugo user would write: page, list and taxonomy templates, no
    # related-content search (`.Related` makes Hugo quadratic in the page count).
    write(os.path.join(h, "hugo.toml"), 'baseURL = "http://localhost/"\nlanguageCode = "ja"\ntitle = "ベンチマーク"\nrelativeURLs = true\nuglyURLs = false\ndisableKinds = ["RSS", "sitemap", "robotsTXT"]\n[taxonomies]\norganisation = "organisations"\ngoal = "goals"\n[markup.goldmark.renderer]\nunsafe = false\n')
    for i in range(n):
        others = [(i + 1) % n, (i * 13 + 7) % n]
        mark = "\x00LINK%d\x00"
        b = policy_body(rng, terms, [("合成施策%d" % o, mark % k) for k, o in enumerate(others)])
        b_s = b.replace(mark % 0, "@policy/pol%05d" % others[0]).replace(mark % 1, "@policy/pol%05d" % others[1])
        b_h = b.replace(mark % 0, "../pol%05d/" % others[0]).replace(mark % 1, "../pol%05d/" % others[1])
        orgs = ["o%02d" % (i % 20), "o%02d" % ((i * 7) % 20)]
        orgs = sorted(set(orgs))
        kpi = "k%05d" % (i % n_kpis)
        goal = "g%02d" % (i % 20)
        write(os.path.join(s, "content/policies/pol%05d.md" % i),
              '+++\ntitle = "合成施策%d %s"\nkind = "programme"\nplan = "plan1"\npillars = ["p%02d"]\ngoals = ["%s"]\nkpis = ["%s"]\norganisations = [%s]\nsource = ["bench.txt#L%d"]\n\n[[budgets]]\nlabel = "令和７年度当初予算案"\nfiscal_year = 2025\namount = "%d.%d億円"\nsource = "bench.txt#L7"\n+++\n%s'
              % (i, rng.choice(PHRASES), i % 10, goal, kpi, ", ".join('"%s"' % o for o in orgs), 100 + i % 1800, rng.randint(1, 99), rng.randint(0, 9), b_s))
        # Hugo: the same body with plain relative links; organisations and goals are its two
        # taxonomies (seisaku's glossary linking has no Hugo counterpart, so Hugo is not given
        # a third taxonomy for it).
        write(os.path.join(h, "content/policies/pol%05d.md" % i),
              '+++\ntitle = "合成施策%d"\norganisations = [%s]\ngoals = ["%s"]\n+++\n%s' % (i, ", ".join('"%s"' % o for o in orgs), goal, b_h))
    write(os.path.join(h, "content/_index.md"), "+++\ntitle = \"ベンチマーク\"\n+++\n")
    layouts = {
        "_default/baseof.html": '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>{{ .Title }} | {{ site.Title }}</title></head><body><nav><a href="{{ relURL "/" }}">トップ</a></nav><main>{{ block "main" . }}{{ end }}</main></body></html>',
        "_default/single.html": '{{ define "main" }}<article><h1>{{ .Title }}</h1><ul>{{ range .GetTerms "organisations" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul><ul>{{ range .GetTerms "goals" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ .Content }}</article>{{ end }}',
        "_default/list.html": '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}',
        "_default/terms.html": '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}',
        "_default/taxonomy.html": '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}',
        "index.html": '{{ define "main" }}<h1>{{ site.Title }}</h1><p>{{ len site.RegularPages }} pages</p>{{ end }}',
    }
    for name, text in layouts.items():
        write(os.path.join(h, "layouts", name), text)


if __name__ == "__main__":
    main()
