//! `cargo xtask bench-build`: what the build-time generation costs.
//!
//! Measures, each from a fresh target directory (cold, dev profile, offline
//! from the local registry cache):
//! 1. building the SDK crate (`cargo build -p upstash-api`);
//! 2. building a crate that has only the SDK's runtime dependencies, same
//!    versions (the SDK's `Cargo.lock`), same features;
//!
//! then, in the SDK's warm target directory, with the fixture spec shaped
//! like the full Upstash API (`tests/fixtures/upstash-like.yml`):
//! 3. the time from touching the spec to a finished build;
//! 4. a no-op build.
//!
//! Targets: (1)/(2) <= 1.5, (3) < 5 s, (4) < 1 s. `--timings` keeps
//! Cargo's HTML timing report of (1).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Runs the benchmark; returns the process exit code.
pub fn main(flags: &crate::flags::BenchBuild) -> u8 {
    match run(flags.timings) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e}");
            1
        }
    }
}

fn run(timings: bool) -> Result<(), String> {
    let root = workspace_root()?;
    let scratch = root.join("target").join("bench-build");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch)
        .map_err(|e| format!("cannot create {}: {e}", scratch.display()))?;
    eprintln!("fetching sources once, so the timed builds read only the local cache");
    cargo(&root, &["fetch"], &[])?;

    let sdk_target = scratch.join("sdk-target");
    let mut sdk_args = vec!["build", "-p", "upstash-api", "--offline"];
    if timings {
        sdk_args.push("--timings");
    }
    eprintln!("(1) cold build of upstash-api ...");
    let sdk = timed(|| cargo(&root, &sdk_args, &[("CARGO_TARGET_DIR", &sdk_target)]))?;

    let baseline_dir = scratch.join("runtime-deps-only");
    write_baseline_crate(&root, &baseline_dir)?;
    eprintln!("(2) cold build of a crate with only the runtime dependencies ...");
    let baseline_target = scratch.join("baseline-target");
    let baseline = timed(|| {
        cargo(
            &baseline_dir,
            &["build", "--offline"],
            &[("CARGO_TARGET_DIR", &baseline_target)],
        )
    })?;

    let spec = scratch.join("upstash-like.yml");
    std::fs::copy(root.join("tests/fixtures/upstash-like.yml"), &spec)
        .map_err(|e| format!("cannot copy the fixture spec: {e}"))?;
    let env = [
        ("CARGO_TARGET_DIR", sdk_target.as_path()),
        ("UPSTASH_API_SPEC", spec.as_path()),
    ];
    let build = ["build", "-p", "upstash-api", "--offline"];
    cargo(&root, &build, &env)?; // warm, generated from the fixture
    touch(&spec)?;
    eprintln!("(3) build after touching the spec ...");
    let regenerate = timed(|| cargo(&root, &build, &env))?;
    eprintln!("(4) no-op build ...");
    let noop = timed(|| cargo(&root, &build, &env))?;

    let ratio = sdk.as_secs_f64() / baseline.as_secs_f64();
    println!(
        "\nbuild cost (dev profile, cold = fresh target dir, {} cores)",
        cores()
    );
    println!(
        "  (1) upstash-api, cold                     {:>7.1} s",
        sdk.as_secs_f64()
    );
    println!(
        "  (2) runtime dependencies only, cold       {:>7.1} s",
        baseline.as_secs_f64()
    );
    println!(
        "      (1)/(2)                               {ratio:>7.2}   target <= 1.50 {}",
        mark(ratio <= 1.5)
    );
    println!(
        "  (3) touch spec -> built (fixture spec)    {:>7.2} s   target < 5 s {}",
        regenerate.as_secs_f64(),
        mark(regenerate < Duration::from_secs(5))
    );
    println!(
        "  (4) no-op build                           {:>7.2} s   target < 1 s {}",
        noop.as_secs_f64(),
        mark(noop < Duration::from_secs(1))
    );
    if timings {
        println!(
            "  timing report of (1): {}",
            sdk_target.join("cargo-timings/cargo-timing.html").display()
        );
    }
    Ok(())
}

fn mark(met: bool) -> &'static str {
    if met { "(met)" } else { "(MISSED)" }
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn timed(f: impl FnOnce() -> Result<(), String>) -> Result<Duration, String> {
    let started = Instant::now();
    f()?;
    Ok(started.elapsed())
}

fn cargo(dir: &Path, args: &[&str], env: &[(&str, &Path)]) -> Result<(), String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(dir)
        .args(args)
        .env_remove("UPSTASH_API_SPEC");
    for (name, value) in env {
        cmd.env(name, value);
    }
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run cargo {}: {e}", args.join(" ")))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "cargo {} failed in {} ({status})",
            args.join(" "),
            dir.display()
        ))
    }
}

fn touch(path: &Path) -> Result<(), String> {
    let file = std::fs::File::options()
        .append(true)
        .open(path)
        .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    file.set_modified(std::time::SystemTime::now())
        .map_err(|e| format!("cannot touch {}: {e}", path.display()))
}

fn workspace_root() -> Result<PathBuf, String> {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(Path::to_path_buf)
        .ok_or_else(|| "cannot find the workspace root".to_string())
}

/// A crate whose `[dependencies]` are exactly the SDK's, with its lock file.
fn write_baseline_crate(root: &Path, dir: &Path) -> Result<(), String> {
    let manifest = std::fs::read_to_string(root.join("Cargo.toml"))
        .map_err(|e| format!("cannot read Cargo.toml: {e}"))?;
    let deps = dependencies_section(&manifest)?;
    // The same profile settings as the workspace, so both builds compile
    // their dependencies alike.
    let profiles = profile_sections(&manifest);
    std::fs::create_dir_all(dir.join("src")).map_err(|e| e.to_string())?;
    let text = format!(
        "[package]\nname = \"runtime-deps-only\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [workspace]\n\n[dependencies]\n{deps}\n{profiles}"
    );
    std::fs::write(dir.join("Cargo.toml"), text).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("src/lib.rs"), "//! Only the dependencies.\n")
        .map_err(|e| e.to_string())?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;
    Ok(())
}

/// The root manifest's `[profile.*]` tables, verbatim.
fn profile_sections(manifest: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for line in manifest.lines() {
        if line.starts_with('[') {
            inside = line.starts_with("[profile");
        }
        if inside {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The non-optional lines of the root manifest's `[dependencies]` table.
fn dependencies_section(manifest: &str) -> Result<String, String> {
    let start = manifest
        .find("\n[dependencies]\n")
        .ok_or("the root Cargo.toml has no [dependencies] table")?;
    let body = &manifest[start + "\n[dependencies]\n".len()..];
    let end = body.find("\n[").unwrap_or(body.len());
    Ok(body[..end]
        .lines()
        .filter(|l| !l.contains("optional = true"))
        .map(|l| format!("{l}\n"))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::dependencies_section;

    #[test]
    fn the_dependencies_table_is_copied_without_optional_ones() {
        let manifest = "[package]\nname = \"x\"\n\n[dependencies]\na = \"1\"\n# c\nb = { version = \"2\", optional = true }\n\n[features]\nm = []\n";
        let deps = dependencies_section(manifest).unwrap();
        assert_eq!(deps, "a = \"1\"\n# c\n");
        assert!(dependencies_section("[package]\n").is_err());
    }

    #[test]
    fn profile_tables_are_copied_verbatim() {
        let manifest = "[package]\nname = \"x\"\n\n[profile.dev.package.\"*\"]\ndebug = false\n\n[features]\nm = []\n[profile.release]\nlto = true\n";
        assert_eq!(
            super::profile_sections(manifest),
            "[profile.dev.package.\"*\"]\ndebug = false\n\n[profile.release]\nlto = true\n"
        );
    }
}
