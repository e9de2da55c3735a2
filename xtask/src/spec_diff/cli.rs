//! The command line of `cargo xtask spec-diff`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use super::bump::BumpRule;
use super::gate;
use super::load::Source;
use super::pipeline::{self, SdkMode};
use super::report::{self, Format};
use super::rules::Severity;

/// The usage text.
pub const USAGE: &str = "usage:
  cargo xtask spec-diff [OPTIONS] OLD NEW   compare two specs
  cargo xtask spec-diff --check  [OPTIONS]  CI gate: openapi.yml accepted, version bumped enough
  cargo xtask spec-diff --accept [OPTIONS]  record openapi.yml as the accepted baseline
  cargo xtask spec-diff --rules             list every rule id with its severity

OLD and NEW are files (YAML or JSON) or REV:PATH read through git
(HEAD~1:openapi.yml, main:openapi.yml).

options:
  --format text|markdown|json|github
                                output format (default: text); github: GitHub
                                Actions annotations on the new file's lines
  --fail-on breaking|sdk-breaking|any|never
                                exit 1 when a change this severe (or any change) is
                                found (default: never)
  --no-sdk                      skip the generated Rust API analysis (the build's
                                checks still run; what only its typing,
                                normalisations or generator refuse is not seen)
  --sdk                         run it even on documents over 2 MB together
                                (by default larger documents skip it)
  --root DIR                    repository root for --check/--accept (default: the
                                nearest ancestor with openapi.yml and Cargo.toml)
  --strict-wire                 --check/--accept: every wire-breaking change needs a
                                major bump (default: the bump follows what the
                                release does to Rust code using the crate)

environment:
  SPEC_DIFF_TIMING=1            time per phase on stderr

Each side also goes through the build's checks: a spec the build would
refuse (no crate can be generated from it) is reported with the build's
message and exits 2, whatever the changes; --check and --accept refuse it.

exit codes: 0 ok, 1 the --fail-on condition or the gate failed, 2 usage or load
error, or a side the build refuses";

/// When to exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    /// Any breaking change.
    Breaking,
    /// Any breaking or sdk-breaking change.
    SdkBreaking,
    /// Any change at all.
    Any,
    /// Never.
    Never,
}

impl FailOn {
    /// Whether a report whose worst change is `worst` fails.
    pub fn fails(self, worst: Option<Severity>) -> bool {
        match (self, worst) {
            (_, None) | (FailOn::Never, _) => false,
            (FailOn::Any, Some(_)) => true,
            (FailOn::Breaking, Some(s)) => s == Severity::Breaking,
            (FailOn::SdkBreaking, Some(s)) => s <= Severity::SdkBreaking,
        }
    }
}

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Compare two specs.
    Diff {
        /// The old side.
        old: Source,
        /// The new side.
        new: Source,
    },
    /// Run the gate.
    Check,
    /// Record the baseline.
    Accept,
    /// Print the usage.
    Help,
    /// Print the rule catalogue.
    Rules,
}

/// Parsed arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Args {
    /// The command.
    pub command: Command,
    /// Output format.
    pub format: Format,
    /// Exit-code policy.
    pub fail_on: FailOn,
    /// Whether to run the generated-code analysis.
    pub sdk: SdkMode,
    /// Repository root override.
    pub root: Option<PathBuf>,
    /// How `--check`/`--accept` decide the bump.
    pub rule: BumpRule,
}

/// Parses the arguments after `spec-diff`.
pub fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut format = Format::Text;
    let mut fail_on = FailOn::Never;
    let mut sdk = SdkMode::Auto;
    let mut root = None;
    let mut check = false;
    let mut accept = false;
    let mut rule = BumpRule::RustApi;
    let mut positional = Vec::new();
    // `--help` and `--rules` end the arguments: what follows is not read.
    let mut only = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = |what: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or_else(|| format!("{what} needs a value"))
        };
        match name {
            "-h" | "--help" => {
                only = Some(Command::Help);
                break;
            }
            "--format" => {
                let v = value("--format")?;
                format = Format::parse(&v).ok_or_else(|| {
                    format!("unknown format `{v}`; use text, markdown, json or github")
                })?;
            }
            "--fail-on" => {
                let v = value("--fail-on")?;
                fail_on = match v.as_str() {
                    "breaking" => FailOn::Breaking,
                    "sdk-breaking" => FailOn::SdkBreaking,
                    "any" => FailOn::Any,
                    "never" => FailOn::Never,
                    _ => {
                        return Err(format!(
                            "unknown --fail-on `{v}`; use breaking, sdk-breaking, any or never"
                        ));
                    }
                };
            }
            "--no-sdk" => sdk = SdkMode::Never,
            "--sdk" => sdk = SdkMode::Always,
            "--root" => root = Some(PathBuf::from(value("--root")?)),
            "--check" => check = true,
            "--rules" => {
                only = Some(Command::Rules);
                break;
            }
            "--accept" => accept = true,
            "--strict-wire" => rule = BumpRule::Wire,
            s if s.starts_with('-') && s.len() > 1 => return Err(format!("unknown option `{s}`")),
            _ => positional.push(arg.clone()),
        }
    }
    let command = match (only, check, accept, positional.as_slice()) {
        (Some(command), ..) => command,
        (None, true, true, _) => return Err("--check and --accept cannot be combined".into()),
        (None, true, false, []) => Command::Check,
        (None, false, true, []) => Command::Accept,
        (None, true, _, _) | (None, _, true, _) => {
            return Err("--check and --accept take no OLD/NEW arguments".into());
        }
        (None, false, false, [old, new]) => Command::Diff {
            old: Source::parse(old),
            new: Source::parse(new),
        },
        (None, false, false, _) => return Err("expected two specs: OLD NEW".into()),
    };
    Ok(Args {
        command,
        format,
        fail_on,
        sdk,
        root,
        rule,
    })
}

fn color_wanted() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Runs `cargo xtask spec-diff ARGS` and returns the exit code.
pub fn main(args: &[String]) -> u8 {
    let args = match parse_args(args) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}\n\n{USAGE}");
            return 2;
        }
    };
    let root = || args.root.clone().or_else(gate::find_root);
    match &args.command {
        Command::Help => {
            println!("{USAGE}");
            0
        }
        Command::Rules => {
            for rule in super::rules::Rule::ALL {
                println!(
                    "{:<42} {:<13} {}",
                    rule.id(),
                    rule.severity().as_str(),
                    rule.description()
                );
            }
            0
        }
        Command::Diff { old, new } => {
            let dir = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
            // SPEC_DIFF_TIMING=1 prints the time of each phase on stderr.
            let timing = std::env::var_os("SPEC_DIFF_TIMING").is_some();
            let start = std::time::Instant::now();
            let (o, n) = match pipeline::load_pair(old, new, &dir) {
                Ok(pair) => pair,
                Err(e) => {
                    eprintln!("error: {e}");
                    return 2;
                }
            };
            let loaded = start.elapsed();
            let report = pipeline::compare_with(&o, &n, args.sdk);
            let compared = start.elapsed();
            let mut stdout = std::io::stdout().lock();
            let _ =
                stdout.write_all(report::render(&report, args.format, color_wanted()).as_bytes());
            let _ = stdout.flush();
            if timing {
                eprintln!(
                    "timing: load {:?}, compare {:?}, render {:?}",
                    loaded,
                    compared - loaded,
                    start.elapsed() - compared
                );
            }
            // The build refuses a side: no crate comes from it, whatever
            // the changes say.
            for refusal in &report.build_refuses {
                eprintln!("error: the build refuses {refusal}");
            }
            if !report.build_refuses.is_empty() {
                return 2;
            }
            u8::from(args.fail_on.fails(report.worst()))
        }
        Command::Check | Command::Accept => {
            let Some(root) = root() else {
                eprintln!(
                    "error: cannot find the repository root (a directory with {} and Cargo.toml); pass --root",
                    gate::SPEC_FILE
                );
                return 2;
            };
            let policy = gate::Policy {
                sdk: args.sdk,
                rule: args.rule,
            };
            let outcome = if args.command == Command::Check {
                gate::check(&root, args.format, color_wanted(), policy)
            } else {
                gate::accept(&root, policy)
            };
            print!("{}", outcome.stdout);
            eprint!("{}", outcome.stderr);
            outcome.code
        }
    }
}
