//! Generates the API client from `openapi.yml` into `OUT_DIR`.
//!
//! All the logic lives in the `upstash-api-codegen` crate, which the xtask
//! shares; this script only wires it to Cargo. A spec the generator cannot
//! take fails the build with one line naming the file and the problem.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    println!("cargo:rerun-if-changed=openapi.yml");
    println!("cargo:rerun-if-env-changed=UPSTASH_API_SPEC");
    // UPSTASH_API_SPEC lets the spec-pipeline tests point the build at a
    // fixture without copying the crate; users never need it.
    let spec = std::env::var_os("UPSTASH_API_SPEC")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("openapi.yml"));
    if spec != std::path::Path::new("openapi.yml") {
        println!("cargo:rerun-if-changed={}", spec.display());
    }
    // `cfg(upstash_api_spec = "<file stem>")` lets tests written for one
    // fixture spec compile only when the crate is generated from it.
    let stem = spec
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("openapi");
    println!("cargo::rustc-check-cfg=cfg(upstash_api_spec, values(any()))");
    println!("cargo::rustc-cfg=upstash_api_spec=\"{stem}\"");
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
