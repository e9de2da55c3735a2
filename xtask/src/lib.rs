//! Project tasks written in Rust, run as `cargo xtask <task>`.
//!
//! The binary (`src/main.rs`) is a small dispatcher; each task lives in its
//! own module here so that the integration tests can call it directly.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod bench_build;
pub mod flags;
pub mod spec_diff;
