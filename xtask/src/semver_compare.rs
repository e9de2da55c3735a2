//! `cargo xtask semver-compare`: the bump spec-diff demands beside the one
//! cargo-semver-checks finds, on every fixture pair.
//!
//! cargo-semver-checks is the ecosystem's semver linter: it compares the
//! rustdoc JSON of two builds of a crate. For each pair of
//! `xtask/tests/fixtures/<case>/{old,new}.yml` this task builds the SDK's
//! rustdoc JSON from each side (`UPSTASH_API_SPEC`, one build per distinct
//! document, in a target directory of its own), runs the linter twice
//! (`--release-type minor` fires the lints that need a major release,
//! `--release-type patch` those that need a minor one too), and runs
//! spec-diff with the Rust API analysis on the same pair.
//!
//! A lint is *matched* when one of spec-diff's changes demands at least its
//! bump, and, for a lint that demands a major release, when a major change
//! names the item the lint names (`field plan of struct Database` and
//! `types::Database::plan`). A pair where spec-diff demands more is listed with the changes
//! behind it: those are what the linter cannot see (a field's type, a value
//! newly required, a wire change).
//!
//! Exit codes: 0 every lint matched, 1 a lint unmatched or a build or
//! linter run failed, 2 usage error or cargo-semver-checks missing.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use upstash_api_codegen::loose_name;
use xtask::flags::SemverCompare;
use xtask::spec_diff::bump::{Bump, BumpRule};
use xtask::spec_diff::change::{DiffReport, SdkAnalysis};
use xtask::spec_diff::{SdkMode, compare_with, load};

/// Runs the task with its flags; returns the exit code.
pub fn main(flags: SemverCompare) -> u8 {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let fixtures = flags
        .fixtures
        .unwrap_or_else(|| root.join("xtask/tests/fixtures"));
    let target = flags
        .target_dir
        .unwrap_or_else(|| root.join("target/semver-compare"));
    let only = flags.only;
    let installed = Command::new("cargo")
        .args(["semver-checks", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !installed {
        eprintln!(
            "error: cargo-semver-checks is not installed; run `cargo install cargo-semver-checks --locked`"
        );
        return 2;
    }
    let cases = match pairs(&fixtures, only.as_deref()) {
        Ok(cases) => cases,
        Err(e) => {
            eprintln!("error: {}: {e}", fixtures.display());
            return 2;
        }
    };
    let mut builds = Builds {
        root,
        target,
        json: HashMap::new(),
    };
    let mut rows = Vec::new();
    for case in &cases {
        let row = compare_case(case, &mut builds)
            .unwrap_or_else(|e| Row::failed(case, format!("failed: {e}")));
        eprintln!("{}: {}", row.name, row.verdict);
        rows.push(row);
    }
    print!("{}", table(&rows));
    let failed = rows.iter().filter(|r| r.failed).count();
    let count = |keep: &dyn Fn(&Row) -> bool| {
        rows.iter()
            .filter(|r| !r.failed && !r.skipped && keep(r))
            .count()
    };
    println!(
        "\n{} pairs: {} agree; {} where spec-diff demands a major release the linter does not; \
         {} where it demands a minor or patch release for additions or wire changes; \
         {} failed or unmatched; {} without the Rust API analysis",
        rows.len(),
        count(&|r| r.ours == r.theirs),
        count(&|r| r.ours > r.theirs && r.ours == Bump::Major),
        count(&|r| r.ours > r.theirs && r.ours < Bump::Major),
        failed,
        rows.iter().filter(|r| r.skipped).count(),
    );
    u8::from(failed > 0)
}

/// The fixture directories holding `old.yml` and `new.yml`, sorted.
fn pairs(dir: &Path, only: Option<&str>) -> std::io::Result<Vec<PathBuf>> {
    let mut cases = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let wanted = only.is_none_or(|o| name.contains(o));
        if wanted && path.join("old.yml").is_file() && path.join("new.yml").is_file() {
            cases.push(path);
        }
    }
    cases.sort();
    Ok(cases)
}

/// One pair's line of the table.
struct Row {
    name: String,
    /// cargo-semver-checks' lints, `name (major)`.
    lints: Vec<String>,
    theirs: Bump,
    ours: Bump,
    /// spec-diff's changes that demand more than the linter found.
    beyond: Vec<String>,
    verdict: String,
    failed: bool,
    skipped: bool,
}

impl Row {
    fn new(case: &Path) -> Row {
        Row {
            name: case_name(case),
            lints: Vec::new(),
            theirs: Bump::None,
            ours: Bump::None,
            beyond: Vec::new(),
            verdict: String::new(),
            failed: false,
            skipped: false,
        }
    }

    fn failed(case: &Path, verdict: String) -> Row {
        Row {
            verdict,
            failed: true,
            ..Row::new(case)
        }
    }
}

fn case_name(case: &Path) -> String {
    case.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

/// Compares one pair both ways.
fn compare_case(case: &Path, builds: &mut Builds) -> Result<Row, String> {
    let read = |side: &str| {
        let path = case.join(format!("{side}.yml"));
        std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))
    };
    let (old_text, new_text) = (read("old")?, read("new")?);
    let report = spec_diff(&old_text, &new_text)?;
    let mut row = Row::new(case);
    if let SdkAnalysis::Unavailable(why) = &report.sdk {
        row.skipped = true;
        row.verdict = format!("skipped: no Rust API analysis ({why})");
        return Ok(row);
    }
    let old = builds.rustdoc(&case.join("old.yml"), &old_text)?;
    let new = builds.rustdoc(&case.join("new.yml"), &new_text)?;
    let (major, _) = lints(&old, &new, "minor")?;
    let (all, warnings) = lints(&old, &new, "patch")?;
    let minor: Vec<String> = all.into_iter().filter(|l| !major.contains(l)).collect();
    row.lints = major.iter().map(|l| format!("{l} (major)")).collect();
    row.lints
        .extend(minor.iter().map(|l| format!("{l} (minor)")));
    // Warnings demand no bump; they are shown for the record.
    row.lints
        .extend(warnings.iter().map(|l| format!("{l} (warning)")));
    row.theirs = if !major.is_empty() {
        Bump::Major
    } else if !minor.is_empty() {
        Bump::Minor
    } else {
        Bump::None
    };
    row.ours = BumpRule::RustApi.required(&report);
    // The changes that decide spec-diff's bump, when it is above the linter's.
    row.beyond = report
        .changes
        .iter()
        .filter(|c| row.ours > row.theirs && Bump::of_change(c, &report.sdk) == row.ours)
        .map(|c| {
            let bump = Bump::of_change(c, &report.sdk).as_str();
            match c.rust_api.is_empty() {
                true => format!("{} ({bump})", c.rule),
                false => format!("{} ({bump}: {})", c.rule, c.rust_api.join(", ")),
            }
        })
        .collect();
    // Each major lint should name an item one of spec-diff's major changes
    // names too: the linter and the analysis saw the same break. Names are
    // compared without case and underscores, so a removed method
    // (`Client::get_database`) names its builder (`builder::GetDatabase`).
    let major_items: Vec<String> = report
        .changes
        .iter()
        .filter(|c| Bump::of_change(c, &report.sdk) == Bump::Major)
        .flat_map(|c| c.rust_api.iter().map(|item| loose_name(item)))
        .collect();
    let unnamed: Vec<&str> = major
        .iter()
        .map(String::as_str)
        .filter(|lint| {
            let words: Vec<String> = identifiers(lint).iter().map(|w| loose_name(w)).collect();
            !major_items
                .iter()
                .any(|item| words.iter().all(|w| item.contains(w.as_str())))
        })
        .collect();
    // Every lint is matched when spec-diff's largest bump is at least the
    // lint's: the report's bump is the largest of its changes'.
    if row.ours < row.theirs || !unnamed.is_empty() {
        row.failed = true;
        row.verdict = format!(
            "UNMATCHED: cargo-semver-checks demands {}, spec-diff {}; lints no major change names: {}",
            row.theirs.as_str(),
            row.ours.as_str(),
            if unnamed.is_empty() {
                "-".to_string()
            } else {
                unnamed.join("; ")
            }
        );
    } else if row.ours > row.theirs && row.ours == Bump::Major {
        row.verdict = format!("major beyond the linter: {}", row.beyond.join("; "));
    } else if row.ours > row.theirs {
        // The linter ranks breakage only: additions (minor) and wire-only
        // changes (patch) are not its business.
        row.verdict = format!(
            "{} (the linter ranks no additions or wire changes)",
            row.ours.as_str()
        );
    } else {
        row.verdict = format!("agree ({})", row.ours.as_str());
    }
    Ok(row)
}

/// The Rust names in a lint's place (`field plan of struct Database`:
/// `plan`, `Database`), without the words around them and the crate's own
/// module path.
fn identifiers(lint: &str) -> Vec<String> {
    const NOT_NAMES: [&str; 12] = [
        "enum",
        "struct",
        "field",
        "of",
        "variant",
        "upstash_api",
        "types",
        "api",
        "builder",
        "moved",
        "from",
        "to",
    ];
    let place = lint.split_once(": ").map_or(lint, |(_, place)| place);
    place
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()))
        .filter(|w| !NOT_NAMES.contains(w))
        .map(str::to_string)
        .collect()
}

/// spec-diff's report on the pair, with the Rust API analysis whatever the
/// size.
fn spec_diff(old: &str, new: &str) -> Result<DiffReport, String> {
    let old = load::load_text("old.yml", old).map_err(|e| e.to_string())?;
    let new = load::load_text("new.yml", new).map_err(|e| e.to_string())?;
    Ok(compare_with(&old, &new, SdkMode::Always))
}

/// The SDK's rustdoc JSON, built once per distinct document.
struct Builds {
    root: PathBuf,
    target: PathBuf,
    /// Document text -> its rustdoc JSON.
    json: HashMap<String, PathBuf>,
}

impl Builds {
    /// The rustdoc JSON of the SDK generated from `spec` (whose text is
    /// `text`).
    fn rustdoc(&mut self, spec: &Path, text: &str) -> Result<PathBuf, String> {
        if let Some(json) = self.json.get(text) {
            return Ok(json.clone());
        }
        let spec = spec
            .canonicalize()
            .map_err(|e| format!("{}: {e}", spec.display()))?;
        // rustdoc's JSON output is unstable; cargo-semver-checks builds it
        // the same way on a stable toolchain.
        let output = Command::new("cargo")
            .current_dir(&self.root)
            .env("RUSTC_BOOTSTRAP", "1")
            .env("UPSTASH_API_SPEC", &spec)
            .env("CARGO_TARGET_DIR", &self.target)
            .args(["rustdoc", "--quiet", "-p", "upstash-api", "--lib", "--"])
            .args(["-Zunstable-options", "--output-format", "json"])
            .output()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let last: Vec<&str> = stderr.lines().rev().take(5).collect();
            return Err(format!(
                "building {} failed: {}",
                spec.display(),
                last.into_iter().rev().collect::<Vec<_>>().join(" / ")
            ));
        }
        let saved = self
            .target
            .join("json")
            .join(format!("{}.json", self.json.len()));
        std::fs::create_dir_all(self.target.join("json"))
            .and_then(|()| std::fs::copy(self.target.join("doc/upstash_api.json"), &saved))
            .map_err(|e| format!("saving the rustdoc JSON: {e}"))?;
        self.json.insert(text.to_string(), saved.clone());
        Ok(saved)
    }
}

/// The lints cargo-semver-checks fires from `old` to `new` for a release
/// of `release_type`, and its warnings, each sorted: `lint: place` for
/// each place it names.
fn lints(old: &Path, new: &Path, release_type: &str) -> Result<(Vec<String>, Vec<String>), String> {
    let output = Command::new("cargo")
        .args(["semver-checks", "check-release", "--color", "never"])
        .arg("--baseline-rustdoc")
        .arg(old)
        .arg("--current-rustdoc")
        .arg(new)
        .args(["--release-type", release_type])
        .output()
        .map_err(|e| format!("cannot run cargo-semver-checks: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let found = parse_lints(&stdout);
    // Exit 1 with failures is its "semver update required"; without, an error.
    if !output.status.success() && found.failures.is_empty() {
        return Err(format!(
            "cargo-semver-checks failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok((found.failures, found.warnings))
}

/// What one run of cargo-semver-checks reported.
#[derive(Debug, Default, PartialEq)]
struct Found {
    /// `lint: place` under each `--- failure lint: ... ---` heading.
    failures: Vec<String>,
    /// The same under each `--- warning lint: ... ---` heading.
    warnings: Vec<String>,
}

/// Reads cargo-semver-checks' output: the places are the indented lines
/// after `Failed in:`, without the file they were in.
fn parse_lints(output: &str) -> Found {
    let mut found = Found::default();
    let mut lint: Option<(String, bool)> = None;
    let mut places = false;
    for line in output.lines() {
        let heading = (
            line.strip_prefix("--- failure "),
            line.strip_prefix("--- warning "),
        );
        if let (Some(rest), _) | (_, Some(rest)) = heading {
            let name = rest.split(':').next().unwrap_or(rest).to_string();
            lint = Some((name, heading.1.is_some()));
            places = false;
        } else if line.starts_with("Failed in:") {
            places = true;
        } else if line.trim().is_empty() || !line.starts_with("  ") {
            places = false;
        } else if let (true, Some((name, warning))) = (places, &lint) {
            let place = line.trim();
            let place = place
                .split(", previously in file")
                .next()
                .and_then(|p| p.split(", in /").next())
                .unwrap_or(place);
            let list = match warning {
                true => &mut found.warnings,
                false => &mut found.failures,
            };
            list.push(format!("{name}: {place}"));
        }
    }
    for list in [&mut found.failures, &mut found.warnings] {
        list.sort();
        list.dedup();
    }
    found
}

/// The Markdown table of every row.
fn table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| pair | cargo-semver-checks lints | theirs | ours | verdict |\n|---|---|---|---|---|\n",
    );
    for r in rows {
        let lints = if r.lints.is_empty() {
            "-".to_string()
        } else {
            r.lints.join("<br>")
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            r.name,
            lints,
            r.theirs.as_str(),
            r.ours.as_str(),
            r.verdict
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lint_place_gives_its_rust_names() {
        assert_eq!(
            identifiers("struct_pub_field_missing: field plan of struct Database"),
            ["plan", "Database"]
        );
        assert_eq!(
            identifiers("enum_missing: enum upstash_api::types::DatabaseState"),
            ["DatabaseState"]
        );
        assert_eq!(
            identifiers("inherent_method_missing: Client::get_database"),
            ["Client", "get_database"]
        );
    }

    #[test]
    fn lints_are_read_with_their_places() {
        let output = "\
--- failure enum_missing: pub enum removed or renamed ---

Description:
A publicly-visible enum cannot be imported by its prior path.
        ref: https://doc.rust-lang.org/cargo/reference/semver.html#item-remove

Failed in:
  enum upstash_api::types::DatabaseState, previously in file /t/generated.rs:1396
--- failure struct_pub_field_missing: pub struct's pub field removed or renamed ---

Failed in:
  field plan of struct Database, previously in file /t/generated.rs:36
--- warning partial_ord_enum_variants_reordered: enum variants reordered in #[derive(PartialOrd)] enum ---
        ref: https://doc.rust-lang.org/std/cmp/trait.PartialOrd.html#derivable

Failed in:
  DatabaseState::Unknown moved from position 3 to 2, in /t/generated.rs:1401
";
        let found = parse_lints(output);
        assert_eq!(
            found.failures,
            [
                "enum_missing: enum upstash_api::types::DatabaseState",
                "struct_pub_field_missing: field plan of struct Database"
            ]
        );
        assert_eq!(
            found.warnings,
            [
                "partial_ord_enum_variants_reordered: DatabaseState::Unknown moved from position 3 to 2"
            ]
        );
    }
}
