//! The shape of the code, checked rather than eyed (issue 20): no module cycle among the core's
//! modules, none among the workbench's, and no terminal crate in the core. Reads the `crate::`
//! and `super::` paths in `src/`, as written; test code is left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The modules a file declares (`pub mod x;`, `mod x;`), test-only ones left out.
fn declared(file: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(file).expect("read");
    let mut names = Vec::new();
    let mut test_only = false;
    for line in text.lines().map(str::trim) {
        if line == "#[cfg(test)]" {
            test_only = true;
            continue;
        }
        let decl = line.strip_prefix("pub mod ").or_else(|| line.strip_prefix("mod "));
        if let Some(name) = decl.and_then(|d| d.strip_suffix(';'))
            && !test_only
        {
            names.push(name.to_string());
        }
        test_only = false;
    }
    names
}

/// Every `.rs` file of a module: `dir/name.rs` and everything under `dir/name/`.
fn files_of(dir: &Path, name: &str) -> Vec<PathBuf> {
    let mut out = vec![dir.join(format!("{name}.rs"))];
    let mut stack = vec![dir.join(name)];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.retain(|p| p.exists() && p.file_name().is_some_and(|n| n != "tests.rs" && n != "fuzz.rs"));
    out
}

/// A file's text without its `#[cfg(test)] mod tests { ... }` (always at the end here).
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("read");
    match text.find("#[cfg(test)]\nmod tests {") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

/// The names that follow `prefix` in the text: `crate::x`, and each name in `crate::{x, y}`.
fn names_after(text: &str, prefix: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (at, _) in text.match_indices(prefix) {
        let rest = &text[at + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inner = &group[..group.find('}').unwrap_or(group.len())];
            for part in inner.split(',') {
                let head: String =
                    part.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                found.insert(head);
            }
        } else {
            found.insert(rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect());
        }
    }
    found
}

type Graph = BTreeMap<String, BTreeSet<String>>;

/// The first cycle in the graph, as the modules in order (the first again at the end).
fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
    fn walk(
        node: &str,
        graph: &Graph,
        trail: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = trail.iter().position(|n| n == node) {
            let mut cycle = trail[start..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        trail.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = walk(next, graph, trail, done) {
                return Some(cycle);
            }
        }
        trail.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|node| walk(node, graph, &mut Vec::new(), &mut done))
}

fn core_graph() -> Graph {
    let src = src();
    let modules = declared(&src.join("lib.rs"));
    let mut graph = Graph::new();
    for module in &modules {
        let uses = graph.entry(module.clone()).or_default();
        for file in files_of(&src, module) {
            let names = names_after(&code(&file), "crate::");
            uses.extend(names.into_iter().filter(|n| n != module && modules.contains(n)));
        }
    }
    graph
}

fn workbench_graph() -> Graph {
    let src = src();
    let tui = src.join("tui");
    let modules = declared(&src.join("tui.rs"));
    let mut graph = Graph::new();
    for module in &modules {
        let uses = graph.entry(module.clone()).or_default();
        for file in files_of(&tui, module) {
            let text = code(&file);
            // In tui/x.rs `super::` is the workbench; in tui/x/y.rs it is x, and `super::super::`
            // the workbench.
            let nested = file.parent() != Some(tui.as_path());
            let mut names = names_after(&text, "crate::tui::");
            names.extend(names_after(&text, if nested { "super::super::" } else { "super::" }));
            uses.extend(names.into_iter().filter(|n| n != module && modules.contains(n)));
        }
    }
    graph
}

#[test]
fn the_cycle_finder_finds_a_cycle() {
    let graph: Graph = [("a", vec!["b"]), ("b", vec!["c"]), ("c", vec!["a"]), ("d", vec!["a"])]
        .into_iter()
        .map(|(n, to)| (n.to_string(), to.into_iter().map(String::from).collect()))
        .collect();
    assert_eq!(find_cycle(&graph), Some(vec!["a".into(), "b".into(), "c".into(), "a".into()]));
    let mut acyclic = graph.clone();
    acyclic.insert("c".into(), BTreeSet::new());
    assert_eq!(find_cycle(&acyclic), None);
}

#[test]
fn the_core_has_no_module_cycle() {
    let graph = core_graph();
    assert!(graph.len() > 10 && graph["sign"].contains("rules"), "the reader sees the modules: {graph:?}");
    assert_eq!(find_cycle(&graph), None, "a cycle among the core's modules; the graph: {graph:#?}");
}

#[test]
fn the_workbench_has_no_module_cycle() {
    let graph = workbench_graph();
    assert!(graph.len() > 8 && graph["update"].contains("app"), "the reader sees the modules: {graph:?}");
    assert_eq!(find_cycle(&graph), None, "a cycle among the workbench's modules; the graph: {graph:#?}");
}

#[test]
fn the_core_names_no_terminal_crate() {
    let src = src();
    for module in declared(&src.join("lib.rs")) {
        for file in files_of(&src, &module) {
            let text = code(&file);
            for banned in ["ratatui", "crossterm", "clap", "arboard"] {
                assert!(!text.contains(&format!("{banned}::")), "{} uses {banned}", file.display());
            }
        }
    }
}

/// A file past 800 lines wants splitting (issue 20): none in `src/` is.
#[test]
fn no_source_file_is_over_800_lines() {
    let mut stack = vec![src()];
    let mut long = Vec::new();
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).expect("read_dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let lines = std::fs::read_to_string(&path).expect("read").lines().count();
                if lines > 800 {
                    long.push(format!("{} ({lines} lines)", path.display()));
                }
            }
        }
    }
    assert!(long.is_empty(), "split these: {long:?}");
}

/// The product stands alone (issue 20): neither the README nor a profile points at a file
/// outside the repository; sources are the vendors' public pages and repositories.
#[test]
fn nothing_cites_a_file_outside_the_repository() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("README.md")];
    files.extend(
        std::fs::read_dir(root.join("assets/profiles")).expect("profiles").flatten().map(|e| e.path()),
    );
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read");
        for outside in ["shared/", "vendors.md", "seeds/"] {
            assert!(!text.contains(outside), "{} cites '{outside}'", file.display());
        }
    }
}
