//! Snapshots of the three output formats for the seed spec against a larger
//! spec (`tests/snapshots/{seed,larger}.yml`), SDK analysis included.
//!
//! Run with `UPDATE_SNAPSHOTS=1` to rewrite the files after an intended
//! change, and review the diff before committing.

use std::path::{Path, PathBuf};

use xtask::spec_diff::report::{self, Format};
use xtask::spec_diff::{compare, load};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots")
}

fn side(name: &str) -> load::Document {
    let text = std::fs::read_to_string(dir().join(name)).expect("snapshot input");
    load::load_text(name, &text).unwrap_or_else(|e| panic!("{e}"))
}

fn check(format: Format, file: &str) {
    let report = compare(&side("seed.yml"), &side("larger.yml"), true);
    let rendered = report::render(&report, format, false);
    let path = dir().join(file);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &rendered).expect("write snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing snapshot {file}; run with UPDATE_SNAPSHOTS=1"));
    if rendered != expected {
        let first = rendered
            .lines()
            .zip(expected.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| rendered.lines().count().min(expected.lines().count()));
        panic!(
            "{file} differs from the snapshot at line {}:\n  got:      {:?}\n  expected: {:?}\n(UPDATE_SNAPSHOTS=1 rewrites it)",
            first + 1,
            rendered.lines().nth(first),
            expected.lines().nth(first)
        );
    }
}

#[test]
fn text_snapshot() {
    check(Format::Text, "seed-to-larger.txt");
}

#[test]
fn markdown_snapshot() {
    check(Format::Markdown, "seed-to-larger.md");
}

#[test]
fn json_snapshot() {
    check(Format::Json, "seed-to-larger.json");
}

#[test]
fn github_snapshot() {
    check(Format::Github, "seed-to-larger.github.txt");
}

/// Every location is a line of its file that names the changed node: a key
/// of the change's pointer (a side without the node points at the nearest
/// one it has), or a sequence item's `-`.
#[test]
fn every_location_is_a_line_that_names_the_changed_node() {
    let report = compare(&side("seed.yml"), &side("larger.yml"), true);
    let text = |name: &str| std::fs::read_to_string(dir().join(name)).expect("input");
    let (seed, larger) = (text("seed.yml"), text("larger.yml"));
    assert!(!report.changes.is_empty());
    for c in &report.changes {
        let sides = [
            (&c.old_location, &c.old_node, &c.new_node, &seed),
            (&c.new_location, &c.new_node, &c.old_node, &larger),
        ];
        for (location, mine, other, text) in sides {
            // A Rust API change of code the generator always emits has no
            // place in the spec.
            let Some(node) = mine.as_ref().or(other.as_ref()) else {
                continue;
            };
            let Some(location) = location else {
                panic!("no location for {c:?}");
            };
            let line = text
                .lines()
                .nth(location.line - 1)
                .expect("a line of the file");
            let keys = node.segments();
            // A sequence item is where its `- ` (or flow `[`) is.
            let item = keys.last().is_some_and(|s| s.parse::<usize>().is_ok());
            let names_item = item && (line.trim_start().starts_with('-') || line.contains('['));
            assert!(
                names_item || keys.iter().any(|k| line.contains(k)),
                "{}:{} `{line}` names none of {node}",
                location.file,
                location.line
            );
        }
    }
}

#[test]
fn colour_is_only_added_on_request() {
    let report = compare(&side("seed.yml"), &side("larger.yml"), false);
    assert!(!report::render(&report, Format::Text, false).contains('\x1b'));
    assert!(report::render(&report, Format::Text, true).contains("\x1b[1;31mbreaking"));
}
