//! Every `cargo xtask` command and flag, declared once: `xflags` makes the
//! parser, the structs below and `--help` from this grammar. Each task
//! reads its own struct; what a value means (a format, a severity, a run
//! count) is checked by the task, which names the flag in its error.
#![allow(missing_docs)]

use std::path::PathBuf;

xflags::xflags! {
    /// Project tasks of upstash-api. Exit codes: 0 ok, 1 the task found a
    /// problem (a failed gate, a failed run), 2 a usage error or input that
    /// cannot be read.
    cmd xtask {
        /// Compare two versions of the OpenAPI spec, each a file (YAML or
        /// JSON) or REV:PATH read through git; or, with --check and
        /// --accept, gate openapi.yml and the crate version. A spec the
        /// build would refuse exits 2 with the build's message.
        cmd spec-diff {
            /// The old spec.
            optional old: String
            /// The new spec.
            optional new: String
            /// Output: text (default), markdown, json, or github (GitHub
            /// Actions annotations on the new file's lines).
            optional --format format: String
            /// Exit 1 when a change this severe is found: breaking,
            /// sdk-breaking, any or never (default).
            optional --fail-on severity: String
            /// Skip the generated Rust API analysis (the build's checks
            /// still run).
            optional --no-sdk
            /// Run the analysis even on documents over 2 MB together.
            optional --sdk
            /// Repository root for --check and --accept (default: the
            /// nearest ancestor holding openapi.yml and Cargo.toml).
            optional --root dir: PathBuf
            /// CI gate: openapi.yml is accepted and the crate version is
            /// bumped as its changes demand.
            optional --check
            /// Record openapi.yml as the accepted baseline.
            optional --accept
            /// With --accept: accept changes that send the API credentials
            /// to another origin (credentials-destination-changed), after
            /// checking that each new origin is the API's.
            optional --allow-new-origin
            /// With --check or --accept: every wire-breaking change needs a
            /// major bump (default: the bump follows what the release does
            /// to Rust code using the crate).
            optional --strict-wire
            /// List every rule id with its severity and meaning.
            optional --rules
        }

        /// Build cost: a cold SDK build against its runtime dependencies
        /// alone, a spec change to rebuilt, a no-op build.
        cmd bench-build {
            /// Also write Cargo's HTML timing report of the cold build.
            optional --timings
        }

        /// spec-diff's speed and memory on two deterministic synthetic
        /// pairs, (a) ~100 KB and (b) ~10 MB, as whole processes.
        cmd bench-spec-diff {
            /// Timed runs of pair (a) (default 20).
            optional --runs-a runs: String
            /// Timed runs of pair (b) (default 5).
            optional --runs-b runs: String
            /// Run one pair only: a or b.
            optional --only pair: String
            /// Comma-separated, of default (spec-diff as it is), no-sdk
            /// (wire diff only) and sdk (analysis forced) (default: all).
            optional --variants list: String
            /// Seed of the synthetic specs (default 1).
            optional --seed seed: String
            /// Write the inputs to this directory and keep them.
            optional --keep dir: PathBuf
            /// The xtask binary to measure (default: build the
            /// release-tools profile).
            optional --bin path: PathBuf
            /// Another xtask binary measured on the same inputs, each row
            /// beside the --bin one.
            optional --baseline path: PathBuf
        }

        /// Used by bench-spec-diff: runs BIN ARGS once, then RUNS times
        /// timed, in a fresh process so that its peak memory is theirs.
        cmd bench-measure {
            required bin: PathBuf
            required runs: usize
            repeated args: String
        }

        /// spec-diff's bump beside cargo-semver-checks' lints, on the SDK
        /// built from each side of every fixture pair (needs
        /// `cargo install cargo-semver-checks --locked`).
        cmd semver-compare {
            /// The fixture pairs (default: xtask/tests/fixtures).
            optional --fixtures dir: PathBuf
            /// Only the pairs whose name contains this.
            optional --only name: String
            /// Where the builds go (default: target/semver-compare).
            optional --target-dir dir: PathBuf
        }
    }
}
