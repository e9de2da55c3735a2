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
fn colour_is_only_added_on_request() {
    let report = compare(&side("seed.yml"), &side("larger.yml"), false);
    assert!(!report::render(&report, Format::Text, false).contains('\x1b'));
    assert!(report::render(&report, Format::Text, true).contains("\x1b[1;31mbreaking"));
}
