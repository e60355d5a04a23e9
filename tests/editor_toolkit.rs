//! `init`, `new`, `schema`, `stats` and `check --format json`, as an editor uses them.

mod common;
use common::*;
use seisaku::content::Kind;
use std::fs;
use std::path::Path;

#[test]
fn init_builds_and_checks_cleanly_and_refuses_a_non_empty_folder() {
    let d = tempfile::tempdir().unwrap();
    let site = d.path().join("site");
    let o = run(&["init", site.to_str().unwrap()], d.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let c = run(&["check"], &site);
    assert!(
        c.status.success() && !stderr(&c).contains("warning"),
        "{}",
        stderr(&c)
    );
    assert!(run(&["build"], &site).status.success());
    for kind in Kind::ALL {
        assert!(
            fs::read_dir(site.join("content").join(kind.source_folder()))
                .unwrap()
                .count()
                >= 1,
            "{kind}"
        );
    }
    assert!(broken_links(&site.join("public")).is_empty());
    let again = run(&["init", site.to_str().unwrap()], d.path());
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("not empty"));
}

#[test]
fn new_writes_each_kind_that_builds_at_the_printed_url() {
    let d = tempfile::tempdir().unwrap();
    let site = d.path().join("site");
    assert!(run(&["init", site.to_str().unwrap()], d.path())
        .status
        .success());
    let mut urls = Vec::new();
    for kind in Kind::ALL {
        let id = format!("added-{}", kind.name());
        let o = run(&["new", kind.name(), &id, "--title", "追加した項目"], &site);
        assert!(o.status.success(), "{kind}: {}", stderr(&o));
        let out = stdout(&o);
        let mut lines = out.lines();
        let path = site.join(lines.next().unwrap());
        assert!(path.is_file(), "{}", path.display());
        let text = fs::read_to_string(&path).unwrap();
        assert!(
            text.contains("# ") && text.contains(" / "),
            "optional fields are commented in Japanese and English:\n{text}"
        );
        urls.push(lines.next().unwrap().to_string());
        let dup = run(&["new", kind.name(), &id], &site);
        assert_eq!(dup.status.code(), Some(1), "refuses an existing id");
    }
    let o = run(&["build"], &site);
    assert!(o.status.success(), "{}", stderr(&o));
    for url in urls {
        let html =
            fs::read_to_string(site.join("public").join(&url)).unwrap_or_else(|_| panic!("{url}"));
        assert!(html.contains("追加した項目"), "{url}");
    }
}

fn validate(schema: &serde_json::Value, data: &serde_json::Value) -> Vec<String> {
    let v = jsonschema::validator_for(schema).expect("schema compiles");
    v.iter_errors(data)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

fn front_matter(text: &str, markdown: bool) -> serde_json::Value {
    let t = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
    let toml_text = if markdown {
        t.strip_prefix("+++\n")
            .and_then(|r| r.split_once("\n+++").map(|(a, _)| a.to_string()))
            .unwrap_or_default()
    } else {
        t
    };
    toml::from_str(&toml_text).expect("toml")
}

#[test]
fn every_content_file_validates_against_the_generated_schema() {
    let mut checked = 0;
    for root in [
        Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf(),
        fixture("basic"),
    ] {
        let site: serde_json::Value =
            toml::from_str(&fs::read_to_string(root.join("site.toml")).unwrap()).unwrap();
        assert!(validate(&seisaku::schema::schema_of_site(), &site).is_empty());
        for kind in Kind::ALL {
            let schema = seisaku::schema::schema_of(kind);
            for e in walkdir::WalkDir::new(root.join("content").join(kind.source_folder()))
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
            {
                let text = fs::read_to_string(e.path()).unwrap();
                let errs = validate(&schema, &front_matter(&text, kind.is_markdown()));
                assert!(errs.is_empty(), "{}: {errs:?}", e.path().display());
                checked += 1;
            }
        }
    }
    assert!(checked >= 12);
}

#[test]
fn a_wrong_file_fails_schema_and_check_naming_the_same_field() {
    let site = copy_fixture("basic");
    let p = site.path().join("content/kpis/bad.toml");
    fs::write(&p, "title = \"x\"\nkind = \"kpi\"\nunit = \"件\"\nperiod = \"年\"\nsource = []\npoints = []\ncolour = \"red\"\n").unwrap();
    let errs = validate(
        &seisaku::schema::schema_of(Kind::Kpi),
        &front_matter(&fs::read_to_string(&p).unwrap(), false),
    );
    assert!(errs.iter().any(|e| e.contains("colour")), "{errs:?}");
    let o = run(&["check"], site.path());
    assert!(
        stderr(&o).contains("unknown field `colour`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn schema_command_writes_schemas_and_taplo_rules() {
    let d = tempfile::tempdir().unwrap();
    let o = run(&["schema", "--out", "schemas"], d.path());
    assert!(o.status.success(), "{}", stderr(&o));
    for kind in Kind::ALL {
        let s: serde_json::Value = serde_json::from_str(
            &fs::read_to_string(
                d.path()
                    .join(format!("schemas/{}.schema.json", kind.name())),
            )
            .unwrap(),
        )
        .unwrap();
        assert!(s.get("properties").is_some(), "{kind}");
    }
    assert!(fs::read_to_string(d.path().join("schemas/taplo.toml"))
        .unwrap()
        .contains("content/kpis/**/*.toml"));
}

#[test]
fn check_json_carries_file_line_and_code_for_each_error_class() {
    let site = copy_fixture("basic");
    let w = |p: &str, c: &[u8]| fs::write(site.path().join(p), c).unwrap();
    w(
        "content/terms/t1.md",
        b"+++\ntitle = \"A\"\nsource = []\nbogus = 1\n+++\n",
    );
    w("content/terms/t2.md", b"+++\ntitle = \"\xff\"\n+++\n");
    w("content/terms/t3.md", b"no front matter\n");
    w(
        "content/policies/p1.md",
        b"+++\ntitle = \"x\"\nkind = \"measure\"\norganisations = [\"nobody\"]\nsource = []\n+++\n",
    );
    let o = run(&["check", "--format", "json"], site.path());
    assert_eq!(o.status.code(), Some(1));
    let diags: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let by_code = |code: &str| {
        diags
            .iter()
            .find(|d| d["code"] == code)
            .unwrap_or_else(|| panic!("{code} in {diags:?}"))
    };
    for (code, file, line) in [
        ("E004", "content/terms/t1.md", 4),
        ("E003", "content/terms/t2.md", 2),
        ("E002", "content/terms/t3.md", 1),
    ] {
        let d = by_code(code);
        assert_eq!(d["file"], file);
        assert_eq!(d["line"], line);
        assert_eq!(d["severity"], "error");
        assert!(!d["hint"].as_str().unwrap().is_empty());
    }
    // Reference errors are found once the files load.
    fs::remove_file(site.path().join("content/terms/t1.md")).unwrap();
    fs::remove_file(site.path().join("content/terms/t2.md")).unwrap();
    fs::remove_file(site.path().join("content/terms/t3.md")).unwrap();
    let o = run(&["check", "--format", "json"], site.path());
    let d: serde_json::Value =
        serde_json::from_str(stdout(&o).lines().find(|l| l.contains("E010")).unwrap()).unwrap();
    assert_eq!(
        (d["file"].as_str(), d["line"].as_u64()),
        (Some("content/policies/p1.md"), Some(4))
    );
}

#[test]
fn stats_reports_counts_and_gaps() {
    let site = copy_fixture("basic");
    let o = run(&["stats", "--format", "json"], site.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let s: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(s["counts"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c[0] == "policies" && c[1] == 1));
    // The fixture's market KGI belongs to its plan; nothing is left dangling.
    assert_eq!(s["unlinked_kpis"].as_array().unwrap().len(), 0, "{s}");
    fs::write(
        site.path().join("content/terms/lonely.md"),
        "+++\ntitle = \"LONELY\"\nsource = []\n+++\nx\n",
    )
    .unwrap();
    let s: serde_json::Value =
        serde_json::from_str(&stdout(&run(&["stats", "--format", "json"], site.path()))).unwrap();
    assert!(
        s["unused_terms"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t == "lonely"),
        "{s}"
    );
    assert!(
        s["unsourced"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t == "term/lonely"),
        "{s}"
    );
}

#[test]
fn init_force_never_overwrites_an_existing_file() {
    let d = tempfile::tempdir().unwrap();
    let site = d.path().join("site");
    fs::create_dir_all(site.join("content/terms")).unwrap();
    fs::write(site.join("site.toml"), "title = \"私のサイト\"\n").unwrap();
    fs::write(site.join("content/terms/samd.md"), "mine").unwrap();
    let o = run(&["init", "--force", site.to_str().unwrap()], d.path());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("site.toml") && stderr(&o).contains("content/terms/samd.md"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        fs::read_to_string(site.join("site.toml")).unwrap(),
        "title = \"私のサイト\"\n"
    );
    assert_eq!(
        fs::read_to_string(site.join("content/terms/samd.md")).unwrap(),
        "mine"
    );
    assert!(!site.join("content/plans").exists(), "nothing written");
    // Unrelated files are no obstacle with --force.
    let other = d.path().join("other");
    fs::create_dir_all(&other).unwrap();
    fs::write(other.join("notes.txt"), "keep").unwrap();
    let o = run(&["init", "--force", other.to_str().unwrap()], d.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(fs::read_to_string(other.join("notes.txt")).unwrap(), "keep");
}

#[test]
fn new_accepts_japanese_ids_and_exits_2_on_usage_errors() {
    let d = tempfile::tempdir().unwrap();
    let site = d.path().join("site");
    assert!(run(&["init", site.to_str().unwrap()], d.path())
        .status
        .success());
    let o = run(&["new", "term", "医療機器", "--title", "医療機器"], &site);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let url = out.lines().nth(1).unwrap().to_string();
    assert!(
        url.starts_with("glossary/x-") && url.ends_with("/index.html"),
        "{url}"
    );
    let o = run(&["build"], &site);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(site.join("public").join(&url).is_file(), "{url}");
    for bad in [
        &["new", "frobnicate", "x"][..],
        &["new", "term", "../escape"],
        &["new", "term", "a/b"],
        &["new", "term", ".hidden"],
        &["new", "term", "#draft"],
        &["new", "term", ""],
        &["new", "term", "with space"],
    ] {
        let o = run(bad, &site);
        assert_eq!(o.status.code(), Some(2), "{bad:?}: {}", stderr(&o));
    }
    assert!(!d.path().join("escape.md").exists());
}
