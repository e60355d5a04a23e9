//! `seisaku init` and `seisaku new`: starting a site and adding an entity without copying a
//! file by hand.

use crate::content::Kind;
use crate::format::slug;
use crate::site::page_path;
use std::path::{Path, PathBuf};

const SEED: &str = "サンプル基本計画の概要\n令和7年4月1日\nサンプル省\n基本方針1 研究開発の推進\nゴール1. 研究開発の活性化\n研修コース数は2023年度10コース、2024年度12コースであった。\n【研究開発支援】 SaMDの研究開発を支援する。\n令和７年度当初予算案 1.2億円（1.0億円）\nSaMD（プログラム医療機器）は医療機器であるプログラムである。\n";

/// The example site: one entity of every kind, linked to each other.
fn example_files() -> Vec<(&'static str, String)> {
    vec![
        ("site.toml", "title = \"新しい政策サイト\"\ndescription = \"seisaku で作成した政策サイト\"\nlanguage = \"ja\"\n".into()),
        ("seeds/sample.txt", SEED.into()),
        ("content/documents/sample-plan.md", "+++\ntitle = \"サンプル基本計画の概要\"\nissuer = \"サンプル省\"\ndate = \"令和7年4月1日\"\nfile = \"sample.txt\"\nsource = [\"sample.txt#L1-L3\"]\n+++\nこのサイトの出典資料です。\n".into()),
        ("content/plans/plan1.md", "+++\ntitle = \"サンプル基本計画\"\nshort_title = \"第1期\"\nnumber = 1\ndocuments = [\"sample-plan\"]\nsource = [\"sample.txt#L1\"]\n+++\n計画の概要を書きます。\n".into()),
        ("content/pillars/plan1-policy-1.md", "+++\ntitle = \"研究開発の推進\"\nlabel = \"基本方針1\"\nplan = \"plan1\"\norder = 1\nsource = [\"sample.txt#L4\"]\n+++\n基本方針の内容を書きます。\n".into()),
        ("content/goals/plan1-goal-01.md", "+++\ntitle = \"研究開発の活性化\"\nplan = \"plan1\"\nnumber = 1\npillars = [\"plan1-policy-1\"]\norganisations = [\"sample-ministry\"]\nsource = [\"sample.txt#L5\"]\n+++\n目標の振り返りを書きます。\n".into()),
        ("content/policies/research-support.md", "+++\ntitle = \"研究開発支援\"\nkind = \"measure\"\nplan = \"plan1\"\npillars = [\"plan1-policy-1\"]\ngoals = [\"plan1-goal-01\"]\nkpis = [\"training-courses\"]\norganisations = [\"sample-ministry\"]\nsource = [\"sample.txt#L7\"]\n\n[[budgets]]\nlabel = \"令和７年度当初予算案\"\nfiscal_year = 2025\namount = \"1.2億円\"\nprior = \"1.0億円\"\nsource = \"sample.txt#L8\"\n+++\nSaMDの研究開発を支援します。\n".into()),
        ("content/kpis/training-courses.toml", "title = \"研修コース数\"\nkind = \"kpi\"\nunit = \"コース\"\nperiod = \"年度\"\ngoal = \"plan1-goal-01\"\nsource = [\"sample.txt#L6\"]\n\n[[points]]\nyear = 2023\nvalue = 10\n\n[[points]]\nyear = 2024\nvalue = 12\n".into()),
        ("content/organisations/sample-ministry.toml", "name = \"サンプル省\"\nkind = \"ministry\"\naliases = []\nsource = [\"sample.txt#L3\"]\n".into()),
        ("content/events/plan1-start.md", "+++\ntitle = \"サンプル基本計画の策定\"\ndate = \"令和7年4月1日\"\nrelated = [\"plan/plan1\"]\nsource = [\"sample.txt#L2\"]\n+++\n".into()),
        ("content/terms/samd.md", "+++\ntitle = \"SaMD\"\nexpansion = \"Software as a Medical Device\"\nja = \"プログラム医療機器\"\naliases = [\"プログラム医療機器\"]\nsource = [\"sample.txt#L9\"]\n+++\n医療機器であるプログラム。\n".into()),
    ]
}

/// Creates a new site in `dir`. Refuses a non-empty folder unless `force`, and even then
/// never overwrites a file: when any file of the example site exists already, nothing is
/// written.
pub fn init(dir: &Path, force: bool) -> Result<Vec<PathBuf>, String> {
    if dir.exists()
        && std::fs::read_dir(dir)
            .map_err(|e| e.to_string())?
            .next()
            .is_some()
        && !force
    {
        return Err(format!(
            "{} is not empty; pass --force to write into it anyway",
            dir.display()
        ));
    }
    let files = example_files();
    let existing: Vec<&str> = files
        .iter()
        .map(|(rel, _)| *rel)
        .filter(|rel| dir.join(rel).symlink_metadata().is_ok())
        .collect();
    if !existing.is_empty() {
        return Err(format!(
            "{} already has {}; nothing was written (--force writes into a non-empty folder but never over a file)",
            dir.display(),
            existing.join(", ")
        ));
    }
    let mut written = Vec::new();
    for (rel, text) in files {
        let p = dir.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        // `create_new`: a file that appeared meanwhile is still not overwritten.
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&p)
            .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()))
            .map_err(|e| format!("cannot write {}: {e}", p.display()))?;
        written.push(p);
    }
    Ok(written)
}

/// Checks an id given to `seisaku new`: it becomes a file name, so it must be one name that
/// is loaded (not hidden, not an editor's file, no folder separators, no spaces). Japanese ids
/// are fine: their pages get an `x-<hash>` slug.
pub fn check_id(id: &str) -> Result<(), String> {
    let problem = if id.is_empty() {
        Some("it is empty")
    } else if id.contains(['/', '\\']) || id == "." || id == ".." {
        Some("it contains a folder separator")
    } else if id.starts_with('.') || id.starts_with('#') || crate::content::load::is_ignored(id) {
        Some("files with such names are not loaded")
    } else if id.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Some("it contains a space or a control character")
    } else if id.contains(['"', '\'', '<', '>', '|', '?', '*', ':', '@']) {
        Some("it contains a character that cannot be in a file name everywhere or in a reference")
    } else {
        None
    };
    match problem {
        Some(why) => Err(format!(
            "`{id}` is not a valid id: {why}; use lower-case ASCII letters, digits and `-` (or Japanese)"
        )),
        None => Ok(()),
    }
}

/// The source file for a new entity, every field present: required ones filled or marked
/// with `TODO`, optional ones commented with a one-line explanation.
pub fn template(kind: Kind, title: &str, plan: &str, seed: &str) -> String {
    let t = title.replace('"', "\\\"");
    let src = "source = []                                    # 出典 / seed lines, e.g. [\"file.txt#L10-L12\"]";
    let fm = match kind {
        Kind::Document => format!("title = \"{t}\"\nfile = \"{seed}\"                             # seeds/ の原文ファイル / the original in seeds/\n{src}\n# issuer = \"\"                                  # 発行者 / issuer, as written\n# date = \"令和7年6月4日\"                        # 日付（資料の表記）/ date as written\n# slug = \"\"                                    # URL（省略時は id）/ URL segment (default: the id)"),
        Kind::Plan => format!("title = \"{t}\"\n{src}\n# short_title = \"第3期\"                        # 短い名称 / short name\n# number = 3                                   # 期の番号 / plan number\n# status = \"閣議決定\"                           # 位置づけ / status as written\n# date = \"令和4年5月31日\"                       # 日付 / date as written\n# documents = []                               # 資料の id / ids of documents\n# slug = \"\"                                    # URL segment"),
        Kind::Pillar => format!("title = \"{t}\"\nplan = \"{plan}\"                                  # 計画の id / plan id\n{src}\n# label = \"基本方針1\"                          # 資料での番号 / numbering as written\n# parent = \"\"                                  # 上位の方向性 / parent pillar id\n# order = 1                                    # 並び順 / position among siblings\n# slug = \"\"                                    # URL segment"),
        Kind::Goal => format!("title = \"{t}\"\nplan = \"{plan}\"                                  # 計画の id / plan id\nnumber = 1                                     # ゴール番号 / goal number\n{src}\n# pillars = []                                 # 基本方針の id / pillar ids\n# kpi_definitions = []                         # 設定するKPI（資料の表記）/ KPI definitions as written\n# implementer = \"\"                             # 実施主体 / who measures it\n# organisations = []                           # 府省庁の id / organisation ids\n# slug = \"\"                                    # URL segment"),
        Kind::Policy => format!("title = \"{t}\"\nkind = \"measure\"                               # measure | programme | priority | venture | initiative\n{src}\n# plan = \"\"                                   # 計画の id / plan id\n# pillars = []                                 # 基本方針の id / pillar ids\n# goals = []                                   # 目標の id / goal ids\n# kpis = []                                    # 指標の id / KPI ids\n# organisations = []                           # 関係府省の id / organisation ids\n# terms = []                                   # 用語の id（本文中の用語は自動リンク）/ glossary ids\n# related = []                                 # 関連施策の id / related policy ids\n# issue = \"\"                                   # 論点 / issue as written\n# bureau = \"\"                                  # 担当部局 / bureau as written\n# implementer = \"\"                             # 実施主体 / implementing body\n# relisted = []                                # 再掲箇所 / other places: {{ pillar = \"\", source = \"\" }}\n# slug = \"\"                                    # URL segment\n#\n# [[budgets]]                                  # 予算（1行ずつ）/ one per budget line\n# label = \"令和７年度当初予算案\"                  # 区分（資料の表記）/ as written\n# fiscal_year = 2025                           # 西暦の年度 / fiscal year\n# amount = \"9.3億円\"                             # 金額（資料の表記）/ as written\n# prior = \"4.4億円\"                              # 前年度 / prior year, as written\n# source = \"TODO.txt#L1\"                       # 出典 / source line"),
        Kind::Kpi => format!("title = \"{t}\"\nkind = \"kpi\"                                   # kpi | kgi\nunit = \"件\"                                    # 単位 / unit (件, 人, %, 億円, ...)\nperiod = \"年度\"                                # 年 | 年度\n{src}\n# goal = \"\"                                   # 目標の id / goal id\n# plan = \"\"                                   # KGI の計画 / plan of a KGI\n# group = \"\"                                  # 同じグラフに描く系列 / series drawn together\n# chart = \"bar\"                               # line | bar | share\n# description = \"\"                            # 説明 / description\n# slug = \"\"                                   # URL segment\n\n[[points]]\nyear = 2024                                    # 年・年度（西暦）/ year\nvalue = 0                                      # 値 / value (TODO)\n# label = \"令和6年度\"                            # 資料の表記 / period as written\n# approx = false                               # 約 / approximate\n# source = \"TODO.txt#L1\"                       # この値の出典行 / line of this figure"),
        Kind::Organisation => format!("name = \"{t}\"\nkind = \"ministry\"                               # ministry | agency | council | other\n{src}\n# short = \"\"                                   # 略称 / short name\n# name_en = \"\"                                 # 英語名 / English name\n# aliases = []                                 # 別名 / other names\n# parent = \"\"                                  # 上位機関の id / parent organisation id\n# slug = \"\"                                    # URL segment"),
        Kind::Event => format!("title = \"{t}\"\ndate = \"令和7年6月4日\"                          # 日付（資料の表記）/ date as written\n{src}\n# approx = false                               # 目途・予定 / a target date\n# related = []                                 # 関連ページ（kind/id）/ pages it concerns\n# slug = \"\"                                    # URL segment"),
        Kind::Term => format!("title = \"{t}\"\n{src}\n# expansion = \"\"                              # 英語の正式名称 / English expansion\n# ja = \"\"                                     # 日本語名 / Japanese name\n# reading = \"\"                                # よみ（かな、日本語の用語は必須）/ kana reading\n# aliases = []                                 # 別表記 / other surface forms\n# related = []                                 # 関連用語の id / related term ids\n# slug = \"\"                                    # URL segment"),
    };
    // Every kind: the day of the last revision, and old addresses of its page.
    let aliases = match kind {
        Kind::Term | Kind::Organisation => "url_aliases",
        _ => "aliases",
    };
    let common = format!(
        "{src}\n# updated = \"令和7年6月4日\"                    # 更新日（省略時は最終コミットの日付）/ last revised (default: last commit)\n# {aliases} = []{pad}# 旧URL（転送ページを残す）/ old addresses, e.g. [\"policies/old-id/\"]",
        pad = " ".repeat(47usize.saturating_sub(aliases.len() + 7))
    );
    let fm = fm.replacen(src, &common, 1);
    if kind.is_markdown() {
        format!("+++\n{fm}\n+++\nTODO: 本文 / body (Markdown)\n")
    } else {
        format!("{fm}\n")
    }
}

/// Writes a new source file of `kind` with id `id`. Returns its path and its page URL.
pub fn new_entity(
    root: &Path,
    kind: Kind,
    id: &str,
    title: Option<&str>,
) -> Result<(PathBuf, String), String> {
    check_id(id)?;
    let folder = root.join("content").join(kind.source_folder());
    let ext = if kind.is_markdown() { "md" } else { "toml" };
    let exists = walkdir::WalkDir::new(&folder)
        .into_iter()
        .filter_map(Result::ok)
        .any(|e| e.file_type().is_file() && e.path().file_stem().is_some_and(|s| s == id));
    if exists {
        return Err(format!(
            "a {kind} with id `{id}` already exists in {}",
            folder.display()
        ));
    }
    std::fs::create_dir_all(&folder)
        .map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
    let path = folder.join(format!("{id}.{ext}"));
    // Required references start at an existing plan and seed, so the new file builds at once.
    let first = |dir: &Path, strip_ext: bool| -> Option<String> {
        let mut names: Vec<String> = walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let n = if strip_ext {
                    e.path().file_stem()
                } else {
                    e.path().file_name()
                };
                n.map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            })
            .collect();
        names.sort();
        names.into_iter().next()
    };
    let plan = first(&root.join("content/plans"), true).unwrap_or_else(|| "TODO".into());
    let seed = first(&root.join("seeds"), false).unwrap_or_else(|| "TODO.txt".into());
    std::fs::write(&path, template(kind, title.unwrap_or("TODO"), &plan, &seed))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok((path, page_path(kind, &slug::slug_for(id, None))))
}
