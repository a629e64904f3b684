//! The engine is layered, not circular: no module of `server/engine/src` reaches, through the
//! modules it uses, back to itself, and the leaves (ids, clock, error, the principal, the store,
//! the permission table and the refusal kinds) use nothing but other leaves. Read from the source
//! itself: every `use crate::…`/`use super::…` and every `crate::…` path outside tests and
//! comments is an edge to the deepest module it names.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The leaves, and what each may use.
const LEAVES: &[(&str, &[&str])] = &[
    ("ids", &[]),
    ("clock", &[]),
    ("permissions", &[]),
    ("users::status", &[]),
    ("impersonation::end_reason", &[]),
    ("ceiling::refusals", &[]),
    ("error", &["users::status", "ceiling::refusals"]),
    ("factors::method", &[]),
    ("principal", &["ids", "clock", "factors::method"]),
    ("migrations", &[]),
    ("db", &["error", "migrations"]),
];

fn source_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            source_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// `users/mod.rs` is `users`, `oauth/token.rs` is `oauth::token`, `lib.rs` is the crate root ("").
fn module_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts.join("::")
}

/// The code the module itself runs: its unit tests and comments left out.
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]") {
        Some(at) => &text[..at],
        None => text,
    };
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `a::{b, c::{d, e}}` as `a::b`, `a::c::d`, `a::c::e`, each under `prefix`.
fn expand(tree: &str, prefix: &str, out: &mut Vec<String>) {
    let tree = tree.trim();
    let join = |tail: &str| {
        if prefix.is_empty() {
            tail.to_owned()
        } else if tail.is_empty() {
            prefix.to_owned()
        } else {
            format!("{prefix}::{tail}")
        }
    };
    if let (Some(open), true) = (tree.find('{'), tree.ends_with('}')) {
        let head = tree[..open].trim_end_matches(':');
        let inner = &tree[open + 1..tree.len() - 1];
        let base = join(head);
        let (mut depth, mut start) = (0, 0);
        for (i, ch) in inner.char_indices() {
            match ch {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    expand(&inner[start..i], &base, out);
                    start = i + 1;
                }
                _ => {}
            }
        }
        expand(&inner[start..], &base, out);
        return;
    }
    let path = tree.split(" as ").next().unwrap_or("").trim();
    if path.is_empty() {
        return;
    }
    out.push(if path == "self" {
        prefix.to_owned()
    } else {
        join(path)
    });
}

/// Every path the module's code names: its `use` trees and its inline `crate::…` paths.
fn paths_named(module: &str, code: &str) -> Vec<String> {
    let mut paths = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("use ") {
        let after = &rest[at + 4..];
        let preceded_by_word = at > 0
            && rest[..at]
                .chars()
                .last()
                .is_some_and(|c| c.is_alphanumeric() || c == '_');
        let Some(end) = after.find(';') else { break };
        if !preceded_by_word {
            let tree = after[..end].trim();
            if let Some(tail) = tree.strip_prefix("crate::") {
                expand(tail, "", &mut paths);
            } else if let Some(tail) = tree.strip_prefix("super::") {
                let parent = module.rsplit_once("::").map_or("", |(p, _)| p);
                expand(tail, parent, &mut paths);
            }
        }
        rest = &after[end..];
    }
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let after = &rest[at + 7..];
        let end = after
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .unwrap_or(after.len());
        paths.push(after[..end].trim_end_matches(':').to_owned());
        rest = &after[end..];
    }
    paths
}

/// The deepest module a path names (`oauth::grants::Grant` names `oauth::grants`).
fn resolve(path: &str, modules: &BTreeSet<String>) -> Option<String> {
    let parts: Vec<&str> = path.split("::").collect();
    (1..=parts.len())
        .rev()
        .map(|n| parts[..n].join("::"))
        .find(|candidate| modules.contains(candidate))
}

fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&src, &mut files);
    let modules: BTreeSet<String> = files.iter().map(|f| module_of(&src, f)).collect();
    let mut graph = BTreeMap::new();
    for file in &files {
        let module = module_of(&src, file);
        let code = code_of(&std::fs::read_to_string(file).unwrap());
        let uses: BTreeSet<String> = paths_named(&module, &code)
            .iter()
            .filter_map(|p| resolve(p, &modules))
            .filter(|used| used != &module && !used.is_empty())
            .collect();
        graph.insert(module, uses);
    }
    graph
}

/// Tarjan's strongly connected components with more than one module: the cycles.
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct Walk<'a> {
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        found: Vec<Vec<String>>,
    }
    fn visit<'a>(w: &mut Walk<'a>, v: &'a str) {
        let n = w.index.len();
        w.index.insert(v, n);
        w.low.insert(v, n);
        w.stack.push(v);
        w.on_stack.insert(v);
        let graph = w.graph;
        for next in &graph[v] {
            let next = next.as_str();
            if !w.index.contains_key(next) {
                visit(w, next);
                let low = w.low[v].min(w.low[next]);
                w.low.insert(v, low);
            } else if w.on_stack.contains(next) {
                let low = w.low[v].min(w.index[next]);
                w.low.insert(v, low);
            }
        }
        if w.low[v] == w.index[v] {
            let mut component = Vec::new();
            while let Some(top) = w.stack.pop() {
                w.on_stack.remove(top);
                component.push(top.to_owned());
                if top == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                w.found.push(component);
            }
        }
    }
    let mut walk = Walk {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for v in graph.keys() {
        if !walk.index.contains_key(v.as_str()) {
            visit(&mut walk, v);
        }
    }
    walk.found
}

#[test]
fn no_module_of_the_engine_reaches_back_to_itself() {
    let graph = module_graph();
    assert!(graph.len() > 50, "the engine's modules were not found");
    let found = cycles(&graph);
    assert!(
        found.is_empty(),
        "module cycles (each list is one cycle; the edges inside it):\n{}",
        found
            .iter()
            .map(|cycle| cycle
                .iter()
                .map(|m| format!(
                    "  {m} -> {:?}",
                    graph[m]
                        .iter()
                        .filter(|u| cycle.contains(u))
                        .collect::<Vec<_>>()
                ))
                .collect::<Vec<_>>()
                .join("\n"))
            .collect::<Vec<_>>()
            .join("\n\n")
    );
}

#[test]
fn the_leaves_use_nothing_above_them() {
    let graph = module_graph();
    for (leaf, allowed) in LEAVES {
        let uses = graph
            .get(*leaf)
            .unwrap_or_else(|| panic!("no module {leaf}"));
        let above: Vec<&String> = uses
            .iter()
            .filter(|u| !allowed.contains(&u.as_str()))
            .collect();
        assert!(above.is_empty(), "{leaf} uses {above:?}");
    }
}

#[test]
fn the_graph_reader_sees_what_a_use_names() {
    let mut out = Vec::new();
    expand(
        "oauth::{grants::{self, Grant}, scope::Scope as S}",
        "",
        &mut out,
    );
    assert_eq!(
        out,
        [
            "oauth::grants",
            "oauth::grants::Grant",
            "oauth::scope::Scope"
        ]
    );
    // A cycle is seen.
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("a", &["b"][..]),
        ("b", &["c"][..]),
        ("c", &["a"][..]),
        ("d", &["a"][..]),
    ]
    .iter()
    .map(|(m, uses)| (m.to_string(), uses.iter().map(|u| u.to_string()).collect()))
    .collect();
    assert_eq!(cycles(&graph), vec![vec!["a", "b", "c"]]);
}
