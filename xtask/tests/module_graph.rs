//! No import cycle between the modules of `codegen` and of the xtask: at
//! every level of each crate's module tree, the sibling modules import one
//! another in one direction only (ARCHITECTURE.md, "Who may depend on
//! whom").

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A module, as the path of segments from its crate's root.
type Module = Vec<String>;

/// Every module below `dir` with its non-test source, comments left out.
fn modules(dir: &Path, module: &Module, out: &mut BTreeMap<Module, String>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("a source folder")
        .map(|e| e.expect("an entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let stem = path.file_stem().and_then(|s| s.to_str()).expect("a name");
        let mut child = module.clone();
        if path.is_dir() {
            child.push(stem.to_string());
            modules(&path, &child, out);
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        if !matches!(stem, "mod" | "lib" | "main") {
            child.push(stem.to_string());
        }
        let text = std::fs::read_to_string(&path).expect("a source file");
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        let code: Vec<&str> = code
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect();
        out.entry(child).or_default().push_str(&code.join("\n"));
    }
}

/// The modules `code`, in `module`, names: `crate::a::b`, `super::x`,
/// `super::{x, y}`, `self::z`, resolved from the crate's root.
fn references(module: &Module, code: &str) -> Vec<Module> {
    let mut out = Vec::new();
    let words: Vec<&str> = code
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':' || c == '{' || c == ','))
        .collect();
    for word in words {
        let mut base = module.clone();
        let mut rest = word;
        if let Some(r) = rest.strip_prefix("crate::") {
            base.clear();
            rest = r;
        } else if let Some(r) = rest.strip_prefix("self::") {
            rest = r;
        } else if rest.starts_with("super::") {
            while let Some(r) = rest.strip_prefix("super::") {
                base.pop();
                rest = r;
            }
        } else {
            continue;
        }
        let (path, group) = match rest.split_once('{') {
            Some((path, group)) => (path, group),
            None => (rest, ""),
        };
        let mut target = base;
        target.extend(
            path.split("::")
                .filter(|s| !s.is_empty())
                .map(str::to_string),
        );
        out.push(target.clone());
        for item in group.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let mut one = target.clone();
            one.push(item.split("::").next().unwrap_or(item).to_string());
            out.push(one);
        }
    }
    out
}

/// The import edges between sibling modules, by their parent.
fn sibling_edges(crate_dir: &Path) -> BTreeMap<Module, BTreeSet<(String, String)>> {
    let mut all = BTreeMap::new();
    modules(crate_dir, &Vec::new(), &mut all);
    let mut edges: BTreeMap<Module, BTreeSet<(String, String)>> = BTreeMap::new();
    for (module, code) in &all {
        for target in references(module, code) {
            let common = module
                .iter()
                .zip(&target)
                .take_while(|(a, b)| a == b)
                .count();
            let (Some(from), Some(to)) = (module.get(common), target.get(common)) else {
                continue;
            };
            let mut sibling = target[..=common].to_vec();
            if !all.keys().any(|m| m.starts_with(&sibling)) {
                continue; // an item at the parent, not a module
            }
            sibling.pop();
            edges
                .entry(sibling)
                .or_default()
                .insert((from.clone(), to.clone()));
        }
    }
    edges
}

/// A cycle among `edges`, if there is one.
fn cycle(edges: &BTreeSet<(String, String)>) -> Option<Vec<String>> {
    let next = |from: &str| -> Vec<&String> {
        edges
            .iter()
            .filter(|(a, _)| a == from)
            .map(|(_, b)| b)
            .collect()
    };
    for (start, _) in edges {
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        let mut seen = BTreeSet::new();
        while let Some((node, path)) = stack.pop() {
            for to in next(&node) {
                if to == start {
                    let mut cycle = path.clone();
                    cycle.push(to.clone());
                    return Some(cycle);
                }
                if seen.insert(to.clone()) {
                    let mut longer = path.clone();
                    longer.push(to.clone());
                    stack.push((to.clone(), longer));
                }
            }
        }
    }
    None
}

#[test]
fn no_module_imports_a_module_that_imports_it_back() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut found = Vec::new();
    for krate in ["codegen/src", "xtask/src", "src"] {
        let edges = sibling_edges(&root.join(krate));
        assert!(!edges.is_empty(), "{krate}: no imports read");
        for (parent, edges) in edges {
            if let Some(cycle) = cycle(&edges) {
                found.push(format!(
                    "{krate} {}: {}",
                    parent.join("::"),
                    cycle.join(" -> ")
                ));
            }
        }
    }
    assert!(found.is_empty(), "import cycles:\n{}", found.join("\n"));
}

#[test]
fn the_reader_finds_a_cycle_it_is_shown() {
    let module = |s: &str| -> Module { s.split("::").map(str::to_string).collect() };
    let refs = references(&module("a::b"), "use super::c::{D, e}; use crate::x::y;");
    assert!(refs.contains(&module("a::c::D")), "{refs:?}");
    assert!(refs.contains(&module("x::y")), "{refs:?}");
    let edges: BTreeSet<(String, String)> = [("a", "b"), ("b", "c"), ("c", "a")]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(
        cycle(&edges).map(|c| c.join(" -> ")).as_deref(),
        Some("a -> b -> c -> a")
    );
    let acyclic: BTreeSet<(String, String)> =
        [("a".to_string(), "b".to_string())].into_iter().collect();
    assert_eq!(cycle(&acyclic), None);
}
