//! Fixture pairs: `tests/fixtures/<case>/{old,new}.yml` and `expected.txt`
//! (one `severity rule-id` line per expected change). The wire-level diff
//! (without the generated-code analysis) must produce exactly those changes.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use xtask::spec_diff::change::Change;
use xtask::spec_diff::rules::Rule;
use xtask::spec_diff::{diff, load};

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures directory")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.join("expected.txt").is_file())
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 60,
        "expected the fixture set, found {}",
        cases.len()
    );
    cases
}

fn load_side(case: &Path, side: &str) -> load::Document {
    let path = case.join(format!("{side}.yml"));
    let text = std::fs::read_to_string(&path).expect("fixture file");
    load::load_text(&path.display().to_string(), &text)
        .unwrap_or_else(|e| panic!("fixture does not load: {e}"))
}

fn expected(case: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(case.join("expected.txt")).expect("expected.txt");
    let mut lines: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    lines.sort();
    lines
}

fn actual(changes: &[Change]) -> Vec<String> {
    let mut lines: Vec<String> = changes
        .iter()
        .map(|c| format!("{} {}", c.severity, c.rule))
        .collect();
    lines.sort();
    lines
}

#[test]
fn every_fixture_yields_exactly_its_expected_changes() {
    let mut failures = Vec::new();
    for case in fixtures() {
        let (old, new) = (load_side(&case, "old"), load_side(&case, "new"));
        let changes = diff::diff(&old.root, &new.root);
        let (want, got) = (expected(&case), actual(&changes));
        if want != got {
            let messages: Vec<String> = changes
                .iter()
                .map(|c| format!("    {} {}: {}", c.severity, c.rule, c.message))
                .collect();
            failures.push(format!(
                "{}:\n  expected {want:?}\n  got      {got:?}\n{}",
                case.file_name().unwrap_or_default().to_string_lossy(),
                messages.join("\n")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_rule_is_covered_by_a_fixture() {
    let mut covered = BTreeSet::new();
    for case in fixtures() {
        for line in expected(&case) {
            if let Some((_, id)) = line.split_once(' ') {
                covered.insert(id.to_string());
            }
        }
    }
    let missing: Vec<&str> = Rule::ALL
        .iter()
        .map(|r| r.id())
        // proven against generated code in tests/sdk.rs
        .filter(|id| *id != Rule::RustApiChanged.id())
        .filter(|id| !covered.contains(*id))
        .collect();
    assert!(missing.is_empty(), "rules without a fixture: {missing:?}");
}

#[test]
fn every_change_carries_pointers_that_exist_in_its_document() {
    for case in fixtures() {
        let (old, new) = (load_side(&case, "old"), load_side(&case, "new"));
        for c in diff::diff(&old.root, &new.root) {
            assert!(
                c.old_node.is_some() || c.new_node.is_some(),
                "{case:?}: {} has no pointer",
                c.rule
            );
            if let Some(p) = &c.old_node {
                assert!(
                    old.root.pointer(&p.pointer()).is_some(),
                    "{case:?}: {} old pointer {p} dangles",
                    c.rule
                );
            }
            if let Some(p) = &c.new_node {
                assert!(
                    new.root.pointer(&p.pointer()).is_some(),
                    "{case:?}: {} new pointer {p} dangles",
                    c.rule
                );
            }
            assert!(!c.message.is_empty());
            assert!(!c.message.contains('\n'), "one-line message: {}", c.message);
        }
    }
}

#[test]
fn swapping_the_sides_of_a_fixture_inverts_its_changes() {
    for case in fixtures() {
        let (old, new) = (load_side(&case, "old"), load_side(&case, "new"));
        let forward = diff::diff(&old.root, &new.root);
        let backward = diff::diff(&new.root, &old.root);
        for c in &forward {
            let Some(inverse) = c.rule.inverse() else {
                continue;
            };
            assert!(
                backward.iter().any(|b| b.rule == inverse
                    && b.old_node == c.new_node
                    && b.new_node == c.old_node),
                "{case:?}: {} has no {} counterpart when swapped",
                c.rule,
                inverse
            );
        }
    }
}
