//! The CI gate (`--check`, `--accept`) in temporary git repositories.

mod support;

use std::path::{Path, PathBuf};

use support::{Run, git, spec_diff};

struct Repo {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

fn fixture(case: &str, side: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/{case}/{side}.yml",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(path).expect("fixture")
}

impl Repo {
    fn new(version: &str, spec: &str) -> Repo {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().to_path_buf();
        git(&path, &["init", "-q"]);
        let repo = Repo { _dir: dir, path };
        repo.set_version(version);
        repo.set_spec(spec);
        repo
    }

    fn set_version(&self, version: &str) {
        let manifest = format!(
            "[workspace]\nmembers = [\".\"]\n\n[package]\nname = \"upstash-api\"\nversion = \"{version}\" # the crate\nedition = \"2024\"\n\n[dependencies]\nserde = {{ version = \"1\" }}\n"
        );
        std::fs::write(self.path.join("Cargo.toml"), manifest).expect("write");
    }

    fn set_spec(&self, spec: &str) {
        std::fs::write(self.path.join("openapi.yml"), spec).expect("write");
    }

    fn run(&self, what: &str) -> Run {
        run_at(&self.path, what)
    }

    /// Runs `spec-diff ARGS --root <repo>` with the Rust API analysis.
    fn run_analysed(&self, args: &[&str]) -> Run {
        run_with(&self.path, args)
    }

    fn commit(&self, message: &str) {
        git(&self.path, &["add", "-A"]);
        git(
            &self.path,
            &["commit", "-q", "--allow-empty", "-m", message],
        );
    }
}

fn run_at(dir: &Path, what: &str) -> Run {
    run_with(dir, &[what, "--no-sdk"])
}

/// `spec-diff ARGS --root DIR`.
fn run_with(dir: &Path, args: &[&str]) -> Run {
    let root = dir.to_str().expect("a UTF-8 temporary path");
    let mut args = args.to_vec();
    args.extend(["--root", root]);
    spec_diff(dir, &args)
}

fn assert_code(r: &Run, code: i32) {
    assert_eq!(r.code, code, "stdout:\n{}\nstderr:\n{}", r.stdout, r.stderr);
}

/// The fixtures' base spec (the `old` side of `operation-added`).
fn base() -> String {
    fixture("operation-added", "old")
}

#[test]
fn without_a_baseline_check_fails_and_says_to_accept() {
    let repo = Repo::new("0.1.0", &base());
    let r = repo.run("--check");
    assert_code(&r, 1);
    assert!(
        r.stderr.contains("cargo xtask spec-diff --accept"),
        "{}",
        r.stderr
    );
}

#[test]
fn an_unchanged_accepted_spec_passes() {
    let repo = Repo::new("0.1.0", &base());
    assert_code(&repo.run("--accept"), 0);
    assert!(repo.path.join("openapi.lock").is_file());
    assert!(repo.path.join("spec-baseline/accepted.yml").is_file());
    repo.commit("accept");
    let r = repo.run("--check");
    assert_code(&r, 0);
    assert!(r.stdout.contains("is accepted"), "{}", r.stdout);
}

#[test]
fn a_changed_spec_that_was_not_accepted_fails_with_the_diff_and_the_command() {
    let repo = Repo::new("0.1.0", &base());
    assert_code(&repo.run("--accept"), 0);
    repo.set_spec(&fixture("operation-added", "new"));
    let r = repo.run("--check");
    assert_code(&r, 1);
    assert!(r.stdout.contains("operation-added"), "{}", r.stdout);
    assert!(r.stderr.contains("at least 0.1.1"), "{}", r.stderr);
    assert!(
        r.stderr.contains("changed since it was accepted"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("cargo xtask spec-diff --accept"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_breaking_change_without_a_version_bump_fails() {
    let repo = Repo::new("0.1.0", &base());
    assert_code(&repo.run("--accept"), 0);
    repo.set_spec(&fixture("response-required-property-removed", "new"));
    let check = repo.run("--check");
    assert_code(&check, 1);
    assert!(
        check.stdout.contains("response-required-property-removed"),
        "{}",
        check.stdout
    );
    assert!(
        check
            .stderr
            .contains("set [package] version to at least 0.2.0"),
        "{}",
        check.stderr
    );
    let refused = repo.run("--accept");
    assert_code(&refused, 1);
    assert!(
        refused.stderr.contains("worst: breaking"),
        "{}",
        refused.stderr
    );
    assert!(
        refused.stderr.contains("need a minor version bump"),
        "{}",
        refused.stderr
    );
    assert!(
        refused.stderr.contains("at least 0.2.0"),
        "{}",
        refused.stderr
    );
    // nothing was recorded
    assert_code(&repo.run("--check"), 1);
}

#[test]
fn breaking_changes_need_a_minor_bump_at_0x_and_check_enforces_it() {
    let repo = Repo::new("0.1.0", &fixture("operation-removed", "old"));
    assert_code(&repo.run("--accept"), 0);
    repo.commit("baseline");
    repo.set_spec(&fixture("operation-removed", "new"));
    // not bumped: --accept refuses, naming the version to use
    let r = repo.run("--accept");
    assert_code(&r, 1);
    assert!(
        r.stderr.contains("need a minor version bump"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("0.2.0"), "{}", r.stderr);
    // a patch bump is not enough
    repo.set_version("0.1.1");
    assert_code(&repo.run("--accept"), 1);
    // bumped and accepted: passes
    repo.set_version("0.2.0");
    assert_code(&repo.run("--accept"), 0);
    assert_code(&repo.run("--check"), 0);
    // the version put back after acceptance: --check fails
    repo.set_version("0.1.0");
    let r = repo.run("--check");
    assert_code(&r, 1);
    assert!(r.stdout.contains("operation-removed"), "{}", r.stdout);
    assert!(r.stderr.contains("at least 0.2.0"), "{}", r.stderr);
}

#[test]
fn from_1_0_breaking_needs_major_and_additions_need_minor() {
    let repo = Repo::new("1.4.2", &base());
    assert_code(&repo.run("--accept"), 0);
    repo.set_spec(&fixture("operation-added", "new"));
    repo.set_version("1.4.3");
    let r = repo.run("--accept");
    assert_code(&r, 1);
    assert!(r.stderr.contains("1.5.0"), "{}", r.stderr);
    repo.set_version("1.5.0");
    assert_code(&repo.run("--accept"), 0);
    // now remove an operation that 1.4.2 had: major
    repo.set_spec(&fixture("operation-removed", "new").replace("/tree", "/forest"));
    let r = repo.run("--accept");
    assert_code(&r, 1);
    assert!(r.stderr.contains("2.0.0"), "{}", r.stderr);
}

#[test]
fn documentation_only_changes_need_no_bump() {
    let repo = Repo::new("0.3.0", &base());
    assert_code(&repo.run("--accept"), 0);
    repo.set_spec(&fixture("documentation-changed", "new"));
    assert_code(&repo.run("--check"), 1); // not accepted yet
    assert_code(&repo.run("--accept"), 0);
    assert_code(&repo.run("--check"), 0);
}

#[test]
fn the_release_base_moves_when_the_version_moves() {
    let repo = Repo::new("0.1.0", &fixture("operation-removed", "old"));
    assert_code(&repo.run("--accept"), 0);
    // 0.2.0: breaking
    repo.set_spec(&fixture("operation-removed", "new"));
    repo.set_version("0.2.0");
    assert_code(&repo.run("--accept"), 0);
    // more changes before 0.2.0 ships: still measured from 0.1.0
    repo.set_spec(
        &fixture("operation-removed", "new")
            .replace("summary: List databases", "summary: All databases"),
    );
    assert_code(&repo.run("--accept"), 0);
    // 0.2.1 adds an operation: measured from 0.2.0, a patch is enough
    repo.set_spec(&fixture("operation-removed", "old"));
    repo.set_version("0.2.1");
    let r = repo.run("--accept");
    assert_code(&r, 0);
    assert!(r.stdout.contains("changes since 0.2.0"), "{}", r.stdout);
    assert_code(&repo.run("--check"), 0);
}

#[test]
fn the_gate_works_on_a_shallow_clone() {
    let repo = Repo::new("0.1.0", &base());
    assert_code(&repo.run("--accept"), 0);
    repo.commit("one");
    repo.set_spec(&fixture("operation-added", "new"));
    repo.set_version("0.1.1");
    assert_code(&repo.run("--accept"), 0);
    repo.commit("two");
    let clone = tempfile::tempdir().expect("tempdir");
    let url = format!("file://{}", repo.path.display());
    git(clone.path(), &["clone", "-q", "--depth", "1", &url, "c"]);
    let r = run_at(&clone.path().join("c"), "--check");
    assert_code(&r, 0);
}

#[test]
fn a_hand_edited_baseline_is_reported() {
    let repo = Repo::new("0.1.0", &base());
    assert_code(&repo.run("--accept"), 0);
    repo.set_spec(&fixture("operation-added", "new"));
    let accepted = repo.path.join("spec-baseline/accepted.yml");
    std::fs::write(&accepted, fixture("operation-added", "new")).expect("write");
    let r = repo.run("--check");
    assert_code(&r, 2);
    assert!(r.stderr.contains("edited by hand"), "{}", r.stderr);
}

#[test]
fn crlf_line_endings_do_not_change_the_digest() {
    let repo = Repo::new("0.1.0", &base());
    assert_code(&repo.run("--accept"), 0);
    repo.set_spec(&base().replace('\n', "\r\n"));
    assert_code(&repo.run("--check"), 0);
}

/// A server removed breaks HTTP clients that call it, but the Rust API is
/// the same: a patch release by default, a major one (minor at 0.x) with
/// `--strict-wire`.
#[test]
fn a_wire_break_with_the_same_rust_api_needs_a_patch_unless_strict() {
    let repo = Repo::new("0.1.0", &fixture("server-removed", "old"));
    assert_code(&repo.run("--accept"), 0);
    repo.commit("baseline");
    repo.set_spec(&fixture("server-removed", "new"));
    repo.set_version("0.1.1");
    let strict = repo.run_analysed(&["--accept", "--strict-wire"]);
    assert_code(&strict, 1);
    assert!(
        strict.stderr.contains("at least 0.2.0"),
        "{}",
        strict.stderr
    );
    let accepted = repo.run_analysed(&["--accept"]);
    assert_code(&accepted, 0);
    repo.commit("server removed, patch release");
    assert_code(&repo.run_analysed(&["--check"]), 0);
    let strict = repo.run_analysed(&["--check", "--strict-wire"]);
    assert_code(&strict, 1);
    assert!(
        strict.stderr.contains("at least 0.2.0"),
        "{}",
        strict.stderr
    );
}
