//! The layers point down: nothing in `src/map`, `src/timeline`,
//! `src/reader` or `src/state` reaches the app layer, by `crate::app`, by a
//! `super::` path that lands in it, or through a re-export of one of its
//! items elsewhere in the crate.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The layers below the app.
const BELOW_APP: [&str; 4] = ["map", "timeline", "reader", "state"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap_or_else(|e| panic!("{e}")).path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The module path of a file under `src/`: `src/map/widget.rs` is
/// `["map", "widget"]`, `src/state/mod.rs` is `["state"]`, `src/lib.rs` is `[]`.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap_or(file);
    let mut parts: Vec<String> = rel
        .iter()
        .map(|c| c.to_string_lossy().trim_end_matches(".rs").to_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The code with comments and the insides of string and char literals
/// blanked, so that prose and messages never count as paths.
fn code_only(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let mut depth = 0;
                while i < b.len() {
                    if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                        depth += 1;
                        i += 2;
                    } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
            }
            b'r' if matches!(b.get(i + 1), Some(b'"' | b'#'))
                && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')) =>
            {
                let mut j = i + 1;
                let mut hashes = 0;
                while b.get(j) == Some(&b'#') {
                    hashes += 1;
                    j += 1;
                }
                if b.get(j) != Some(&b'"') {
                    out.push(b[i]);
                    i += 1;
                    continue;
                }
                j += 1;
                let close: Vec<u8> = std::iter::once(b'"')
                    .chain(std::iter::repeat_n(b'#', hashes))
                    .collect();
                while j < b.len() && !b[j..].starts_with(&close) {
                    j += 1;
                }
                out.extend_from_slice(b"\"\"");
                i = j + close.len();
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                out.extend_from_slice(b"\"\"");
                i += 1;
            }
            b'\'' if b.get(i + 1) == Some(&b'\\') => {
                i += 2;
                while i < b.len() && b[i] != b'\'' {
                    i += 1;
                }
                i += 1;
            }
            b'\'' if b.get(i + 2) == Some(&b'\'') => i += 3,
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Every path the code names: the paths of `use` items with their braces
/// expanded, and every `crate::…`, `super::…`, `self::…` or `mapline::…`
/// path written in the code itself.
fn paths_in(code: &str) -> Vec<String> {
    let mut paths = Vec::new();
    let bytes = code.as_bytes();
    let word_at = |i: usize, w: &str| {
        code[i..].starts_with(w)
            && (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_'))
            && code[i + w.len()..]
                .chars()
                .next()
                .is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
    };
    let mut i = 0;
    while i < code.len() {
        if word_at(i, "use") {
            let end = code[i..].find(';').map_or(code.len(), |k| i + k);
            expand("", &squash(&code[i + 3..end]), &mut paths);
            i = end;
            continue;
        }
        if ["crate", "super", "self", "mapline"]
            .iter()
            .any(|w| word_at(i, w))
        {
            let len = code[i..]
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(code.len() - i);
            let path = code[i..i + len].trim_end_matches(':');
            if path.contains("::") {
                paths.push(path.to_owned());
            }
            i += len.max(1);
            continue;
        }
        i += code[i..].chars().next().map_or(1, char::len_utf8);
    }
    paths
}

/// The text with each run of white space as one space.
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `a::{b, c::{d, e}}` as `a::b`, `a::c::d`, `a::c::e` (with `prefix`).
fn expand(prefix: &str, tree: &str, out: &mut Vec<String>) {
    let join = |head: &str| {
        if prefix.is_empty() {
            head.to_owned()
        } else if head.is_empty() {
            prefix.to_owned()
        } else {
            format!("{prefix}::{head}")
        }
    };
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        // An alias stays on the path (`a::b as c`): a re-export's name is it.
        out.push(join(tree.trim_end_matches("::")));
        return;
    };
    let head = tree[..open].trim().trim_end_matches("::");
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let base = join(head);
    let mut depth = 0;
    let mut start = 0;
    for (k, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                expand(&base, &inner[start..k], out);
                start = k + 1;
            }
            _ => {}
        }
    }
    if start < inner.len() {
        expand(&base, &inner[start..], out);
    }
}

/// `path` written in module `module`, as a path from the crate root
/// (`["app", "WindowView"]`); `None` for a path into another crate.
fn resolve(module: &[String], path: &str) -> Option<Vec<String>> {
    let path = path.split(" as ").next().unwrap_or(path).trim();
    let mut parts = path.split("::").filter(|s| !s.is_empty());
    let first = parts.next()?;
    let mut at: Vec<String> = match first {
        "crate" | "mapline" => Vec::new(),
        "self" => module.to_vec(),
        "super" => {
            let mut m = module.to_vec();
            m.pop();
            m
        }
        // A module of this crate named from its root (`use app::X` in lib.rs).
        name if module.is_empty() => vec![name.to_owned()],
        _ => return None,
    };
    for p in parts {
        if p == "super" {
            at.pop();
        } else if p != "self" {
            at.push(p.to_owned());
        }
    }
    Some(at)
}

/// The app layer's root path, and every path elsewhere that re-exports an
/// item of it.
fn app_paths(src: &Path, files: &[PathBuf]) -> BTreeSet<Vec<String>> {
    let mut forbidden = BTreeSet::from([vec!["app".to_owned()]]);
    for f in files {
        let module = module_of(src, f);
        if module.first().is_some_and(|m| m == "app") {
            continue;
        }
        let code = code_only(&std::fs::read_to_string(f).unwrap_or_default());
        for line in code.split(';') {
            let line = line.trim_start();
            let Some(rest) = line
                .strip_prefix("pub use")
                .or_else(|| line.strip_prefix("pub(crate) use"))
            else {
                continue;
            };
            let mut paths = Vec::new();
            expand("", &squash(rest), &mut paths);
            for p in paths {
                if let Some(target) = resolve(&module, &p)
                    && target.first().is_some_and(|m| m == "app")
                    && let Some(name) = p
                        .split(" as ")
                        .nth(1)
                        .map(str::trim)
                        .or(target.last().map(String::as_str))
                {
                    let mut alias = module.clone();
                    alias.push(name.to_owned());
                    forbidden.insert(alias);
                }
            }
        }
    }
    forbidden
}

/// The places in `files` (under the layers below the app) that reach the app.
fn reaches_into_app(src: &Path, files: &[PathBuf]) -> Vec<String> {
    let forbidden = app_paths(src, files);
    let mut found = Vec::new();
    for f in files {
        let module = module_of(src, f);
        if !module
            .first()
            .is_some_and(|m| BELOW_APP.contains(&m.as_str()))
        {
            continue;
        }
        let code = code_only(&std::fs::read_to_string(f).unwrap_or_default());
        for p in paths_in(&code) {
            if let Some(target) = resolve(&module, &p)
                && forbidden.iter().any(|bad| target.starts_with(bad))
            {
                found.push(format!("{}: {p}", f.display()));
            }
        }
    }
    found
}

#[test]
fn no_path_from_the_widgets_or_the_state_reaches_the_app() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(files.len() > 50, "the sources are found: {}", files.len());
    let found = reaches_into_app(&src, &files);
    assert!(
        found.is_empty(),
        "these reach the app layer:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_check_sees_every_way_in() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let src = tmp.path();
    let write = |rel: &str, text: &str| {
        let p = src.join(rel);
        std::fs::create_dir_all(p.parent().unwrap_or(src)).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(&p, text).unwrap_or_else(|e| panic!("{e}"));
        p
    };
    let lib = write(
        "lib.rs",
        "pub mod app;\npub use app::derived::Cache as Kept;\n",
    );
    let app = write("app/mod.rs", "pub mod derived;\n");
    let cases = [
        ("map/a.rs", "use crate::app::WindowView;", true),
        (
            "map/b.rs",
            "use crate::{model::Day, app::{derived::X}};",
            true,
        ),
        (
            "timeline/c.rs",
            "fn f() { let v = crate::app::bench::run(); }",
            true,
        ),
        ("reader/d.rs", "use super::super::app::X;", true),
        ("state/mod.rs", "use super::app::X;", true),
        ("state/e.rs", "use crate::Kept;", true),
        (
            "map/f.rs",
            "// crate::app::X in a comment\nuse crate::model::Day;",
            false,
        ),
        ("map/g.rs", "const S: &str = \"crate::app::X\";", false),
        ("map/h.rs", "use crate::state::apply;", false),
    ];
    for (rel, text, bad) in cases {
        let file = write(rel, text);
        let files = vec![lib.clone(), app.clone(), file.clone()];
        let found = reaches_into_app(src, &files);
        assert_eq!(!found.is_empty(), bad, "{rel}: {text:?} gave {found:?}");
        std::fs::remove_file(&file).unwrap_or_else(|e| panic!("{e}"));
    }
}
