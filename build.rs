//! Generates the API client from a spec into `OUT_DIR`: the vendored
//! `openapi.yml`, or the file `UPSTASH_API_SPEC` names.
//!
//! All the logic lives in the `upstash-api-codegen` crate, which the xtask
//! shares; this script only wires it to Cargo. A spec the generator cannot
//! take fails the build with one line naming the file and the problem.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use upstash_api_codegen::RestoreBackupFit;

/// The variable that names another spec to generate from.
const SPEC_VAR: &str = "UPSTASH_API_SPEC";

fn main() -> ExitCode {
    println!("cargo:rerun-if-changed=openapi.yml");
    println!("cargo:rerun-if-env-changed={SPEC_VAR}");
    // `UPSTASH_API_SPEC` is the documented way to generate from another
    // spec: a downstream crate sets it in its `.cargo/config.toml` (README,
    // "Generating from a spec of your choosing"; `.ci/downstream-check`),
    // and this repository's tests point the build at a fixture with it
    // (`.ci/run`).
    let spec = match spec_path() {
        Ok(spec) => spec,
        Err(message) => {
            println!("cargo::error={message}");
            return ExitCode::SUCCESS;
        }
    };
    if spec != Path::new("openapi.yml") {
        println!("cargo:rerun-if-changed={}", spec.display());
    }
    // `cfg(upstash_api_spec = "<file stem>")` lets the SDK's own tests,
    // written for one fixture spec, compile only when the crate is
    // generated from it. Nothing public depends on it.
    let stem = spec
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("openapi");
    println!("cargo::rustc-check-cfg=cfg(upstash_api_spec, values(any()))");
    println!("cargo::rustc-cfg=upstash_api_spec=\"{stem}\"");
    println!("cargo::rustc-check-cfg=cfg(upstash_api_restore_backup)");
    let Some(out_dir) = std::env::var_os("OUT_DIR").map(PathBuf::from) else {
        eprintln!("error: OUT_DIR is not set; build.rs must run under cargo");
        return ExitCode::FAILURE;
    };
    // codegen runs its recursive steps on a stack of their own.
    let generated = upstash_api_codegen::generate_sdk_source(&spec);
    let source = match generated {
        Ok(source) => source,
        Err(e) => {
            // `cargo::error` fails the build with this one line as the
            // message, without the "failed to run custom build command" noise.
            println!("cargo::error=cannot generate the Upstash API client: {e}");
            return ExitCode::SUCCESS;
        }
    };
    // The hand-written `Client::restore_backup` must compile for any spec,
    // so it is built only when the spec's operation has the shape it calls
    // (`codegen/src/convenience.rs`). A spec without the operation simply
    // has no such method; one with another shape gets a warning saying why
    // (Cargo shows it for path dependencies), and `client.api()` still has
    // the operation.
    match &source.restore_backup {
        RestoreBackupFit::Fits => println!("cargo::rustc-cfg=upstash_api_restore_backup"),
        RestoreBackupFit::Absent => {}
        RestoreBackupFit::Differs(why) => {
            println!("cargo::warning={}: {why}", spec.display());
        }
    }
    for (file, code) in [
        ("generated.rs", &source.client),
        ("mocks.rs", &source.mocks),
    ] {
        if let Err(e) = std::fs::write(out_dir.join(file), code) {
            println!("cargo::error=cannot write {file} to OUT_DIR: {e}");
            return ExitCode::SUCCESS;
        }
    }
    ExitCode::SUCCESS
}

/// The spec to generate from: `openapi.yml` when `UPSTASH_API_SPEC` is
/// unset, else the path it holds.
///
/// A build script runs in its own package's directory, so a relative path
/// is resolved from there. That suits this repository's tests
/// (`tests/fixtures/...`), but for a user whose crate depends on this one
/// from the registry that directory is somewhere in `~/.cargo/registry`,
/// and their relative path names nothing: rather than a bare "file not
/// found" about a path they did not write, such a path fails the build
/// with where it was looked for and the `relative = true` entry that makes
/// Cargo pass an absolute path from their workspace instead.
fn spec_path() -> Result<PathBuf, String> {
    let Some(value) = std::env::var_os(SPEC_VAR) else {
        return Ok(PathBuf::from("openapi.yml"));
    };
    if value.is_empty() {
        return Err(format!(
            "{SPEC_VAR} is set but empty: unset it to generate from the vendored openapi.yml, \
             or set it to the path of a spec"
        ));
    }
    let spec = PathBuf::from(value);
    if spec.is_absolute() || spec.exists() {
        return Ok(spec);
    }
    let package_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_default();
    Err(format!(
        "{SPEC_VAR} is the relative path `{path}`, and relative paths are resolved from the \
         upstash-api package directory `{dir}`, which has no such file; to name a spec in your \
         own workspace, set it in your `.cargo/config.toml` as `[env] {SPEC_VAR} = {{ value = \
         \"{path}\", relative = true }}` (relative to the directory holding `.cargo/`), or give \
         an absolute path",
        path = spec.display(),
        dir = package_dir.display(),
    ))
}
