//! Project tasks written in Rust: `cargo xtask <task>`; `cargo xtask
//! --help` lists them (`xtask::flags` declares every task and flag).
#![forbid(unsafe_code)]

use std::process::ExitCode;

use xtask::flags::{Xtask, XtaskCmd};

// See xtask/Cargo.toml for the measurement that keeps it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod bench;
mod semver_compare;
mod synthetic_spec;

fn main() -> ExitCode {
    let flags = match Xtask::from_env() {
        Ok(flags) => flags,
        Err(e) if e.is_help() => {
            println!("{e}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("error: {e}\n\nusage: cargo xtask --help");
            return ExitCode::from(2);
        }
    };
    let code = match flags.subcommand {
        XtaskCmd::SpecDiff(flags) => xtask::spec_diff::main(flags),
        XtaskCmd::BenchBuild(flags) => xtask::bench_build::main(&flags),
        XtaskCmd::BenchSpecDiff(flags) => bench::main(&flags),
        XtaskCmd::BenchMeasure(flags) => bench::measure_main(&flags),
        XtaskCmd::SemverCompare(flags) => semver_compare::main(flags),
    };
    ExitCode::from(code)
}
