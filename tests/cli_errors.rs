//! Each class of load error names its file, line and column, and all errors are listed at once.

mod common;
use common::*;
use std::fs;

fn check_with(files: &[(&str, &[u8])]) -> (i32, String) {
    let site = copy_fixture("basic");
    for (p, c) in files {
        let path = site.path().join(p);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, c).unwrap();
    }
    let o = run(&["check"], site.path());
    (o.status.code().unwrap_or(-1), stderr(&o))
}

#[test]
fn bad_toml_names_file_line_and_column() {
    let (code, err) = check_with(&[(
        "content/policies/bad.md",
        b"+++\ntitle = \"x\nkind = \"measure\"\n+++\n",
    )]);
    assert_eq!(code, 1);
    assert!(err.contains("content/policies/bad.md:2:"), "{err}");
}

#[test]
fn missing_required_field() {
    let (code, err) = check_with(&[(
        "content/policies/bad.md",
        b"+++\ntitle = \"x\"\nsource = []\n+++\n",
    )]);
    assert_eq!(code, 1);
    assert!(
        err.contains("missing field `kind`") && err.contains("content/policies/bad.md:"),
        "{err}"
    );
}

#[test]
fn wrong_type_names_line() {
    let (code, err) = check_with(&[("content/kpis/bad.toml", b"title = \"x\"\nkind = \"kpi\"\nunit = \"\xe4\xbb\xb6\"\nperiod = \"\xe5\xb9\xb4\"\nsource = []\n[[points]]\nyear = 2020\nvalue = \"many\"\n")]);
    assert_eq!(code, 1);
    assert!(err.contains("content/kpis/bad.toml:8:"), "{err}");
    assert!(err.contains("invalid type"), "{err}");
}

#[test]
fn unknown_field_names_field_and_line() {
    let (code, err) = check_with(&[(
        "content/organisations/bad.toml",
        b"name = \"x\"\nkind = \"ministry\"\nsource = []\nnmae = \"y\"\n",
    )]);
    assert_eq!(code, 1);
    assert!(
        err.contains("content/organisations/bad.toml:4:1") && err.contains("unknown field `nmae`"),
        "{err}"
    );
}

#[test]
fn duplicate_id_names_both_files() {
    let (code, err) = check_with(&[(
        "content/terms/sub/imdrf.md",
        b"+++\ntitle = \"IMDRF2\"\nsource = []\n+++\n",
    )]);
    assert_eq!(code, 1);
    assert!(err.contains("duplicate term id `imdrf`"), "{err}");
    assert!(
        err.contains("content/terms/imdrf.md") && err.contains("content/terms/sub/imdrf.md"),
        "{err}"
    );
}

#[test]
fn invalid_utf8_names_line_and_column() {
    let (code, err) = check_with(&[("content/terms/bad.md", b"+++\ntitle = \"ab\xff\"\n+++\n")]);
    assert_eq!(code, 1);
    assert!(
        err.contains("content/terms/bad.md:2:12") && err.contains("not valid UTF-8"),
        "{err}"
    );
}

#[test]
fn all_errors_are_listed_not_only_the_first() {
    let (code, err) = check_with(&[
        ("content/terms/a.md", b"+++\ntitle = 1\n+++\n"),
        ("content/terms/b.md", b"no front matter"),
        ("content/kpis/c.toml", b"oops ="),
    ]);
    assert_eq!(code, 1);
    for f in [
        "content/terms/a.md",
        "content/terms/b.md",
        "content/kpis/c.toml",
    ] {
        assert!(err.contains(f), "{f} missing in\n{err}");
    }
    assert!(err.contains("3 error(s) found"), "{err}");
}

#[test]
fn dangling_reference_suggests_close_ids() {
    let site = copy_fixture("basic");
    let p = site.path().join("content/policies/research-support.md");
    fs::write(
        &p,
        fs::read_to_string(&p)
            .unwrap()
            .replace("goals = [\"plan2-goal-01\"]", "goals = [\"plan2-goal-1\"]"),
    )
    .unwrap();
    let o = run(&["check"], site.path());
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err.contains("content/policies/research-support.md:6:")
            && err.contains("unknown goal `plan2-goal-1`")
            && err.contains("did you mean `plan2-goal-01`"),
        "{err}"
    );
}

#[test]
fn dangling_body_link_names_its_line() {
    let site = copy_fixture("basic");
    let p = site.path().join("content/goals/plan2-goal-01.md");
    fs::write(
        &p,
        fs::read_to_string(&p).unwrap() + "\n[x](@term/imdrff)\n",
    )
    .unwrap();
    let o = run(&["check"], site.path());
    let err = stderr(&o);
    assert!(
        err.contains("unknown term `imdrff`") && err.contains("did you mean `imdrf`"),
        "{err}"
    );
    assert!(
        err.contains("content/goals/plan2-goal-01.md:13:11"),
        "{err}"
    );
}

#[test]
fn site_toml_unknown_key() {
    let site = copy_fixture("basic");
    fs::write(
        site.path().join("site.toml"),
        "title = \"x\"\nthme = \"d\"\n",
    )
    .unwrap();
    let o = run(&["check"], site.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("site.toml:2:1") && stderr(&o).contains("unknown field `thme`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn bom_crlf_and_editor_files_are_accepted() {
    let (code, err) = check_with(&[
        (
            "content/terms/crlf.md",
            b"\xef\xbb\xbf+++\r\ntitle = \"CRLF\"\r\nsource = []\r\n+++\r\nbody\r\n",
        ),
        ("content/terms/.DS_Store", b"\x00\x01binary"),
        ("content/terms/imdrf.md.swp", b"\x00junk"),
        ("content/terms/imdrf.md~", b"junk"),
    ]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn every_unknown_field_is_reported_at_its_line() {
    let (code, err) = check_with(&[(
        "content/kpis/bad.toml",
        "title = \"x\"\nkind = \"kpi\"\ncolour = \"red\"\nunit = \"件\"\nperiod = \"年\"\nsource = []\nshape = 1\n[[points]]\nyear = 2020\nvaule = 1\nvalue = 1\n[[points]]\nyear = 2021\nvalue = 2\nnota = \"x\"\n"
            .as_bytes(),
    )]);
    assert_eq!(code, 1);
    for (line, field) in [(3, "colour"), (7, "shape"), (10, "vaule"), (15, "nota")] {
        assert!(
            err.contains(&format!("content/kpis/bad.toml:{line}:1"))
                && err.contains(&format!("unknown field `{field}`")),
            "{field} at line {line} missing in:\n{err}"
        );
    }
    assert!(err.contains("4 error(s) found"), "{err}");
}

#[test]
fn base_url_error_points_at_its_line() {
    let site = copy_fixture("basic");
    let cfg = fs::read_to_string(site.path().join("site.toml")).unwrap();
    fs::write(
        site.path().join("site.toml"),
        format!("{cfg}\nbase_url = \"example.go.jp/plan/\"\n"),
    )
    .unwrap();
    let o = run(&["check"], site.path());
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("E005") && err.contains("site.toml:4:1") && err.contains("hint:"),
        "{err}"
    );
}

#[test]
fn type_errors_say_what_was_expected_in_plain_words() {
    let (code, err) = check_with(&[
        (
            "content/kpis/a.toml",
            "title = \"x\"\nkind = \"kpi\"\nunit = \"件\"\nperiod = \"年\"\nsource = []\n[[points]]\nyear = 2020\nvalue = \"many\"\n"
                .as_bytes(),
        ),
        (
            "content/kpis/b.toml",
            "title = \"x\"\nkind = \"kpi\"\nunit = \"件\"\nperiod = \"年\"\nsource = []\n[[points]]\nyear = 2020.5\nvalue = 1\n"
                .as_bytes(),
        ),
        ("content/terms/c.md", b"+++\ntitle = 1\nsource = []\n+++\n"),
        (
            "content/terms/d.md",
            "+++\ntitle = \"D\"\naliases = \"別名\"\nsource = []\n+++\n".as_bytes(),
        ),
    ]);
    assert_eq!(code, 1);
    for (at, words) in [
        (
            "content/kpis/a.toml:8",
            "expected a number, found text \"many\"",
        ),
        (
            "content/kpis/b.toml:7",
            "expected a whole number, found a decimal number 2020.5",
        ),
        (
            "content/terms/c.md:2",
            "expected text, found a whole number 1",
        ),
        (
            "content/terms/d.md:3",
            "invalid type for `aliases`: expected a list, found text \"別名\"",
        ),
    ] {
        assert!(
            err.contains(at) && err.contains(words),
            "{at}: `{words}` missing in:\n{err}"
        );
    }
    for rust in ["f64", "i32", "u32", "a sequence", "a string"] {
        assert!(!err.contains(rust), "`{rust}` in:\n{err}");
    }
}

#[test]
fn undefined_template_variable_names_its_line() {
    let site = copy_fixture("basic");
    site_template(
        site.path(),
        "term.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.title }}</h1>\n<p>{{ page.no_such_field }}</p>\n{% endblock content %}\n",
    );
    let o = run(&["check"], site.path());
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("E041")
            && err.contains("themes/default/templates/term.html:4:12")
            && err.contains("`no_such_field` is not defined"),
        "{err}"
    );
}

#[test]
fn a_template_error_after_japanese_text_points_at_the_column_as_written() {
    // Phrase breaks are added to a template's Japanese text when it is loaded; the column
    // reported is the one in the file the editor has open.
    let site = copy_fixture("basic");
    site_template(
        site.path(),
        "term.html",
        "{% extends \"base.html\" %}\n{% block content %}\n<p>医療機器の研究開発 {{ page.no_such_field }}</p>\n{% endblock content %}\n",
    );
    let o = run(&["check"], site.path());
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("themes/default/templates/term.html:3:22"),
        "{err}"
    );
}

#[test]
fn a_file_named_with_a_hash_is_reported_not_silently_ignored() {
    let (code, err) = check_with(&[
        (
            "content/terms/#draft.md",
            b"+++\ntitle = \"D\"\nsource = []\n+++\n",
        ),
        ("content/terms/.#imdrf.md", b"lock"),
        ("content/terms/#imdrf.md#", b"autosave"),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("W004") && err.contains("content/terms/#draft.md"),
        "{err}"
    );
    assert!(
        !err.contains(".#imdrf.md") && !err.contains("#imdrf.md#"),
        "{err}"
    );
}

#[test]
fn pdf_artefacts_in_a_body_are_warned_about_at_their_lines_by_check_and_build() {
    let body =
        "+++\ntitle = \"T\"\nsource = []\n+++\n定義の文。\n\n臨床現場等見学者 1 0 1 0 人。\n\n47\n";
    let (code, err) = check_with(&[("content/terms/lint.md", body.as_bytes())]);
    assert_eq!(code, 0, "warnings do not fail the check: {err}");
    for (line, what) in [(7, "digits separated"), (9, "number alone")] {
        let lines: Vec<&str> = err.lines().collect();
        assert!(
            lines.windows(2).any(|w| w[0].contains("W010")
                && w[0].contains(what)
                && w[1].contains(&format!("content/terms/lint.md:{line}:1"))),
            "W010 {what} at line {line}:\n{err}"
        );
    }
    // Only the body written with artefacts is warned about.
    assert_eq!(err.matches("W010").count(), 2, "{err}");
    let site = copy_fixture("basic");
    fs::write(site.path().join("content/terms/lint.md"), body).unwrap();
    let o = run(&["build"], site.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stderr(&o).matches("W010").count(), 2, "{}", stderr(&o));
}
