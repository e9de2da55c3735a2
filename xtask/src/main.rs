//! Project tasks written in Rust: `cargo xtask <task>`.
#![forbid(unsafe_code)]

use std::process::ExitCode;

// See xtask/Cargo.toml for the measurement that keeps it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod bench;
mod semver_compare;
mod synthetic_spec;

const USAGE: &str = "usage: cargo xtask <task> [args]

tasks:
  spec-diff   compare two versions of the OpenAPI spec, or gate spec changes
              (cargo xtask spec-diff --help)
  bench-build build cost: cold SDK build vs its runtime dependencies alone,
              spec change to rebuilt, no-op build
  bench-spec-diff
              spec-diff speed and memory on deterministic synthetic specs
              (cargo xtask bench-spec-diff --help)
  semver-compare
              the bump spec-diff demands beside cargo-semver-checks' lints,
              on every fixture pair (cargo xtask semver-compare --help)";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let task = args.next();
    let rest: Vec<String> = args.collect();
    let code = match task.as_deref() {
        Some("spec-diff") => xtask::spec_diff::main(&rest),
        Some("bench-build") => xtask::bench_build::main(&rest),
        Some("bench-spec-diff") => bench::main(&rest),
        Some("semver-compare") => semver_compare::main(&rest),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            0
        }
        Some(other) => {
            eprintln!("error: unknown task `{other}`\n\n{USAGE}");
            2
        }
        None => {
            eprintln!("{USAGE}");
            2
        }
    };
    ExitCode::from(code)
}
