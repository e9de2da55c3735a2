//! The CI gate on `openapi.yml`: `--check` and `--accept`.
//!
//! The baseline is committed, so the gate works on a shallow clone:
//! `openapi.lock` records the SHA-256 of the accepted `openapi.yml` (line
//! endings normalised), the crate version it was accepted under, and the
//! *release base* (the version before the current one and its spec);
//! `spec-baseline/accepted.yml` and `spec-baseline/release.yml` are copies of
//! those two specs.
//!
//! `--check` fails when `openapi.yml` differs from the accepted copy, and when
//! the version in `Cargo.toml` is not bumped as [`crate::spec_diff::bump`]
//! demands for the changes since the release base. `--accept` records the
//! current spec; when the crate version changed since the last acceptance, the
//! previously accepted spec becomes the release base. It refuses what
//! `--check` would reject.

use std::path::{Path, PathBuf};

use semver::Version;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::bump::{Bump, BumpRule};
use super::change::DiffReport;
use super::load::{self, Document};
use super::pipeline::{self, SdkMode};
use super::report::{self, Format};
use super::rules::{Rule, Severity};
use upstash_api_codegen::{SpecError, read_spec_file};

/// The lock file, relative to the repository root.
pub const LOCK_FILE: &str = "openapi.lock";
/// The spec the gate watches.
pub const SPEC_FILE: &str = "openapi.yml";
/// The copy of the accepted spec.
pub const ACCEPTED_COPY: &str = "spec-baseline/accepted.yml";
/// The copy of the spec of the release base.
pub const RELEASE_COPY: &str = "spec-baseline/release.yml";
/// The command that records a new baseline.
pub const ACCEPT_COMMAND: &str = "cargo xtask spec-diff --accept";

/// What a gate run produced: the exit code and the text to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// 0 passed, 1 failed, 2 could not run.
    pub code: u8,
    /// For standard output.
    pub stdout: String,
    /// For standard error.
    pub stderr: String,
}

impl Outcome {
    fn new(code: u8, stdout: String, stderr: String) -> Outcome {
        Outcome {
            code,
            stdout,
            stderr,
        }
    }

    fn success(stdout: String) -> Outcome {
        Outcome::new(0, stdout, String::new())
    }

    fn failure(stdout: String, stderr: String) -> Outcome {
        Outcome::new(1, stdout, stderr)
    }
}

/// SHA-256 of the text with CRLF line endings turned into LF, as hex.
pub fn digest(text: &str) -> String {
    let hash = Sha256::digest(text.replace("\r\n", "\n").as_bytes());
    hash.iter().map(|b| format!("{b:02x}")).collect()
}

/// Why the gate could not run: exit 2, with the file and the reason.
#[derive(Debug)]
pub enum GateError {
    /// A file could not be read or written.
    Io {
        /// The file, relative to the repository root.
        file: String,
        /// What the system said.
        error: std::io::Error,
    },
    /// A file does not hold what the gate needs.
    Invalid {
        /// The file, relative to the repository root.
        file: String,
        /// What is wrong.
        problem: String,
    },
    /// A spec the gate reads cannot be loaded (parsed and checked).
    Load(SpecError),
    /// The build refuses the spec: no crate can be generated from it.
    BuildRefuses(String),
}

impl std::fmt::Display for GateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GateError::Io { file, error } => write!(f, "cannot read or write {file}: {error}"),
            GateError::Invalid { file, problem } => write!(f, "{file}: {problem}"),
            GateError::Load(e) => e.fmt(f),
            GateError::BuildRefuses(e) => write!(f, "the build refuses {e}"),
        }
    }
}

impl std::error::Error for GateError {}

fn invalid(file: &str, problem: impl Into<String>) -> GateError {
    GateError::Invalid {
        file: file.to_string(),
        problem: problem.into(),
    }
}

/// Reads the crate version from a `Cargo.toml`: `[package] version`, or
/// `[workspace.package] version` when the package inherits it.
pub fn package_version(manifest: &str) -> Result<Version, String> {
    let table: toml::Table =
        toml::from_str(manifest).map_err(|e| format!("not valid TOML: {}", e.message()))?;
    let root = toml::Value::Table(table);
    let at = |path: &[&str]| path.iter().try_fold(&root, |value, key| value.get(*key));
    let version = match at(&["package", "version"]) {
        Some(toml::Value::String(v)) => v.as_str(),
        Some(v) if v.get("workspace").and_then(toml::Value::as_bool) == Some(true) => {
            at(&["workspace", "package", "version"])
                .and_then(toml::Value::as_str)
                .ok_or("[package] inherits its version, but [workspace.package] sets none")?
        }
        Some(_) => return Err("[package] version is not a string".into()),
        None => return Err("no [package] version found".into()),
    };
    Version::parse(version)
        .map_err(|e| format!("the [package] version `{version}` is not semver: {e}"))
}

/// The recorded baseline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lock {
    /// Digest of the accepted spec.
    pub accepted_sha256: String,
    /// Crate version when it was accepted.
    pub accepted_version: Version,
    /// Digest of the release base spec.
    pub release_sha256: String,
    /// The release base version.
    pub release_version: Version,
}

impl Lock {
    /// Parses the lock file.
    pub fn parse(text: &str) -> Result<Lock, GateError> {
        let v: Value = serde_json::from_str(text)
            .map_err(|e| invalid(LOCK_FILE, format!("not valid JSON: {e}")))?;
        let s = |p: &str| -> Result<String, GateError> {
            v.pointer(p)
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| invalid(LOCK_FILE, format!("no `{p}`")))
        };
        let ver = |p: &str| -> Result<Version, GateError> {
            Version::parse(&s(p)?)
                .map_err(|e| invalid(LOCK_FILE, format!("`{p}` is not semver: {e}")))
        };
        if v.get("format").and_then(Value::as_u64) != Some(1) {
            let problem = "an unknown format; this xtask reads format 1";
            return Err(invalid(LOCK_FILE, problem));
        }
        Ok(Lock {
            accepted_sha256: s("/accepted/sha256")?,
            accepted_version: ver("/accepted/crate_version")?,
            release_sha256: s("/release/sha256")?,
            release_version: ver("/release/crate_version")?,
        })
    }

    /// The lock file's text.
    pub fn render(&self) -> String {
        let v = json!({
            "format": 1,
            "about": format!("Accepted OpenAPI baseline for the spec-diff gate. Managed by `{ACCEPT_COMMAND}`; do not edit."),
            "spec": SPEC_FILE,
            "accepted": {
                "sha256": self.accepted_sha256,
                "crate_version": self.accepted_version.to_string(),
                "copy": ACCEPTED_COPY,
            },
            "release": {
                "sha256": self.release_sha256,
                "crate_version": self.release_version.to_string(),
                "copy": RELEASE_COPY,
            },
        });
        serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
    }
}

/// Finds the repository root: the nearest ancestor of the current directory
/// holding `openapi.yml` and `Cargo.toml`.
pub fn find_root() -> Option<PathBuf> {
    std::env::current_dir()
        .ok()?
        .ancestors()
        .find(|d| d.join(SPEC_FILE).is_file() && d.join("Cargo.toml").is_file())
        .map(Path::to_path_buf)
}

struct Repo<'a> {
    root: &'a Path,
}

/// What both commands start from: the crate version and the spec.
struct Current {
    version: Version,
    /// The spec's text, as committed.
    text: String,
    spec: Document,
    /// Its digest ([`digest`]).
    sha: String,
}

impl Repo<'_> {
    fn current(&self) -> Result<Current, GateError> {
        let version = self.version()?;
        let text = self.read(SPEC_FILE)?;
        Ok(Current {
            version,
            spec: load(SPEC_FILE, &text)?,
            sha: digest(&text),
            text,
        })
    }

    /// Reads a file of the repository: a regular file, within the spec bound.
    fn read(&self, rel: &str) -> Result<String, GateError> {
        read_spec_file(&self.root.join(rel)).map_err(|error| GateError::Io {
            file: rel.to_string(),
            error,
        })
    }

    fn write(&self, rel: &str, text: &str) -> Result<(), GateError> {
        let path = self.root.join(rel);
        let io = |error| GateError::Io {
            file: rel.to_string(),
            error,
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        std::fs::write(&path, text).map_err(io)
    }

    fn version(&self) -> Result<Version, GateError> {
        package_version(&self.read("Cargo.toml")?).map_err(|e| invalid("Cargo.toml", e))
    }

    fn lock(&self) -> Result<Option<Lock>, GateError> {
        if !self.root.join(LOCK_FILE).exists() {
            return Ok(None);
        }
        Lock::parse(&self.read(LOCK_FILE)?).map(Some)
    }

    fn copy(&self, rel: &str, sha: &str) -> Result<String, GateError> {
        let text = self.read(rel)?;
        if digest(&text) != sha {
            let problem = format!(
                "does not match the digest in {LOCK_FILE}; the baseline was edited by hand. Restore it from git, or run `{ACCEPT_COMMAND}`"
            );
            return Err(invalid(rel, problem));
        }
        Ok(text)
    }
}

fn load(name: &str, text: &str) -> Result<Document, GateError> {
    load::load_text(name, text).map_err(GateError::Load)
}

/// A release base: its version and the spec it shipped with.
struct Base {
    version: Version,
    sha: String,
    text: String,
}

/// The release base an `--accept` at `version` would measure from: when
/// the version moved since the last acceptance, what was accepted under
/// the old version is what that version shipped with.
fn next_base(repo: &Repo, lock: &Lock, version: &Version) -> Result<Base, GateError> {
    let (base, sha, copy) = if *version != lock.accepted_version {
        (&lock.accepted_version, &lock.accepted_sha256, ACCEPTED_COPY)
    } else {
        (&lock.release_version, &lock.release_sha256, RELEASE_COPY)
    };
    Ok(Base {
        version: base.clone(),
        sha: sha.clone(),
        text: repo.copy(copy, sha)?,
    })
}

/// One line saying what version accepting `spec` needs (wire level).
fn accept_hint(
    repo: &Repo,
    lock: &Lock,
    spec: &Document,
    version: &Version,
) -> Result<String, GateError> {
    let base = next_base(repo, lock, version)?;
    let report = pipeline::compare_with(&load(RELEASE_COPY, &base.text)?, spec, SdkMode::Never);
    let base_version = &base.version;
    let required = BumpRule::Wire.required(&report).for_version(base_version);
    let fits = Bump::between(base_version, version).is_some_and(|a| a >= required);
    Ok(if fits {
        format!(
            "Cargo.toml's version {version} fits the changes since {base_version} even by the strict wire rule."
        )
    } else {
        let (need, at_least) = (required.name(), required.apply(base_version));
        format!(
            "By the strict wire rule the changes since {base_version} need {need} version bump: set [package] version to at least {at_least} (--accept runs the Rust API analysis, which may ask for less)."
        )
    })
}

/// A paragraph naming each operation whose credentials would go to
/// another origin (`credentials-destination-changed`), empty when none:
/// whoever accepts the spec must have seen where the credentials go.
fn credentials_warning(report: &DiffReport) -> String {
    let moved: Vec<String> = report
        .changes
        .iter()
        .filter(|c| c.rule == Rule::CredentialsDestinationChanged)
        .map(|c| {
            let at = c
                .endpoint
                .as_ref()
                .map(|e| format!("{} {}: ", e.method, e.path));
            format!("  {}{}\n", at.unwrap_or_default(), c.message)
        })
        .collect();
    if moved.is_empty() {
        return String::new();
    }
    format!(
        "{} operation(s) would send the API credentials (`authorization: Basic`) to another origin ({}); check that each is the API's before accepting:\n{}",
        moved.len(),
        Rule::CredentialsDestinationChanged.id(),
        moved.concat()
    )
}

/// How the gate compares and decides the bump: `--sdk`/`--no-sdk` and
/// `--strict-wire`.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// Whether the Rust API analysis runs.
    pub sdk: SdkMode,
    /// Which rule decides the bump.
    pub rule: BumpRule,
}

/// The changes from the release base `release` to the current spec, and
/// why Cargo.toml's `version` is not bumped enough for them, when it is not.
fn verdict(
    release: &Document,
    lock: &Lock,
    current: &Current,
    policy: Policy,
) -> (DiffReport, Option<String>) {
    let version = &current.version;
    let report = if current.sha == lock.release_sha256 {
        pipeline::compare(release, release, false)
    } else {
        pipeline::compare_with(release, &current.spec, policy.sdk)
    };
    let base = &lock.release_version;
    let required = policy.rule.required(&report).for_version(base);
    let worst = report.worst().map(Severity::as_str).unwrap_or("none");
    let (need, at_least) = (required.name(), required.apply(base));
    let problem = match Bump::between(base, version) {
        None => Some(format!(
            "the crate version {version} in Cargo.toml is lower than the released {base}"
        )),
        Some(actual) if actual < required => Some(format!(
            "the changes since {base} (worst: {worst}) need {need} version bump, but Cargo.toml says {version}; set [package] version to at least {at_least}"
        )),
        Some(_) => None,
    };
    (report, problem)
}

/// The build's verdict on the spec the crate is generated from, the
/// generator run and all: the gate never passes or accepts what the build
/// refuses.
fn buildable(spec: &Document) -> Result<(), GateError> {
    upstash_api_codegen::build_accepts(&spec.root)
        .map_err(|e| GateError::BuildRefuses(spec.place(e).to_string()))
}

/// Runs a gate command in the repository at `root`; an error exits 2.
fn run(root: &Path, command: impl FnOnce(&Repo) -> Result<Outcome, GateError>) -> Outcome {
    command(&Repo { root })
        .unwrap_or_else(|e| Outcome::new(2, String::new(), format!("error: {e}\n")))
}

/// `--check`: passes when `openapi.yml` is accepted and the version is bumped
/// enough for the changes since the release base.
pub fn check(root: &Path, format: Format, color: bool, policy: Policy) -> Outcome {
    run(root, |repo| {
        let current = repo.current()?;
        buildable(&current.spec)?;
        let (version, spec, sha) = (&current.version, &current.spec, &current.sha);
        let Some(lock) = repo.lock()? else {
            return Ok(Outcome::failure(
                String::new(),
                format!(
                    "spec gate: no accepted baseline ({LOCK_FILE} is missing).\nReview {SPEC_FILE}, then run: {ACCEPT_COMMAND}\n"
                ),
            ));
        };
        if *sha != lock.accepted_sha256 {
            let accepted_text = repo.copy(ACCEPTED_COPY, &lock.accepted_sha256)?;
            let accepted = load(ACCEPTED_COPY, &accepted_text)?;
            let report = pipeline::compare_with(&accepted, spec, policy.sdk);
            return Ok(Outcome::failure(
                report::render(&report, format, color),
                format!(
                    "spec gate: {SPEC_FILE} changed since it was accepted (see the diff above).\n{}{}\nReview the changes, bump [package] version in Cargo.toml as they demand, then run: {ACCEPT_COMMAND}\n",
                    credentials_warning(&report),
                    accept_hint(repo, &lock, spec, version)?
                ),
            ));
        }
        let release_text = repo.copy(RELEASE_COPY, &lock.release_sha256)?;
        let release_name = format!("{RELEASE_COPY} ({})", lock.release_version);
        let release = load(&release_name, &release_text)?;
        let (report, problem) = verdict(&release, &lock, &current, policy);
        let (short, base, summary) = (&sha[..12], &lock.release_version, report.summary_line());
        Ok(match problem {
            Some(problem) => Outcome::failure(
                report::render(&report, format, color),
                format!("spec gate: {problem}.\nThen run: {ACCEPT_COMMAND}\n"),
            ),
            None => Outcome::success(format!(
                "spec gate: {SPEC_FILE} is accepted (sha256 {short}); version {version} fits the changes since {base} ({summary})\n"
            )),
        })
    })
}

/// `--accept`: records `openapi.yml` as the accepted baseline.
pub fn accept(root: &Path, policy: Policy, allow_new_origin: bool) -> Outcome {
    run(root, |repo| {
        let current = repo.current()?;
        buildable(&current.spec)?;
        let base = match repo.lock()? {
            None => Base {
                version: current.version.clone(),
                sha: current.sha.clone(),
                text: current.text.clone(),
            },
            Some(old) => next_base(repo, &old, &current.version)?,
        };
        let lock = Lock {
            accepted_sha256: current.sha.clone(),
            accepted_version: current.version.clone(),
            release_sha256: base.sha,
            release_version: base.version,
        };
        // Refuse a state --check would reject.
        let release = load(RELEASE_COPY, &base.text)?;
        let (report, problem) = verdict(&release, &lock, &current, policy);
        let (version, sha, spec_text) = (&current.version, &current.sha, &current.text);
        if let Some(problem) = problem {
            return Ok(Outcome::failure(
                report::render(&report, Format::Text, false),
                format!("spec gate: not accepted: {problem}.\nThen run {ACCEPT_COMMAND} again.\n"),
            ));
        }
        let moved = credentials_warning(&report);
        if !moved.is_empty() && !allow_new_origin {
            return Ok(Outcome::failure(
                report::render(&report, Format::Text, false),
                format!(
                    "spec gate: not accepted: {moved}Then run {ACCEPT_COMMAND} --allow-new-origin.\n"
                ),
            ));
        }
        repo.write(RELEASE_COPY, &base.text)?;
        repo.write(ACCEPTED_COPY, spec_text)?;
        repo.write(LOCK_FILE, &lock.render())?;
        let (short, base, summary) = (&sha[..12], &lock.release_version, report.summary_line());
        Ok(Outcome::success(format!(
            "spec gate: accepted {SPEC_FILE} (sha256 {short}) at version {version}; changes since {base}: {summary}\n{moved}Commit {LOCK_FILE} and spec-baseline/.\n"
        )))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_crate_version_is_read_as_toml() {
        let v = |text: &str| package_version(text).map(|v| v.to_string());
        let manifest = "[package] # the crate\nname = \"x\"\nversion = \"1.2.3\" # bumped by hand\n\n[dependencies]\nversion = \"9\"\n";
        assert_eq!(v(manifest).as_deref(), Ok("1.2.3"));
        let inherited = "[workspace.package]\nversion = \"0.4.0\"\n\n[package]\nname = \"x\"\nversion.workspace = true\n";
        assert_eq!(v(inherited).as_deref(), Ok("0.4.0"));
        let dotted = "package.version = '2.0.0'\n";
        assert_eq!(v(dotted).as_deref(), Ok("2.0.0"));
        assert!(
            v("[package]\nname = \"x\"\n")
                .unwrap_err()
                .contains("no [package] version")
        );
        assert!(
            v("[package]\nversion = \"one\"\n")
                .unwrap_err()
                .contains("not semver")
        );
        assert!(v("[package\n").unwrap_err().contains("not valid TOML"));
        let no_workspace = "[package]\nversion = { workspace = true }\n";
        assert!(v(no_workspace).unwrap_err().contains("[workspace.package]"));
    }
}
