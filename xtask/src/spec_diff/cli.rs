//! The command line of `cargo xtask spec-diff`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use super::super::flags::SpecDiff;
use super::bump::BumpRule;
use super::gate::{self, SPEC_FILE};
use super::load::Source;
use super::pipeline::{self, SdkMode};
use super::report::{self, Format};
use super::rules::Severity;

/// What to say after a usage error.
const USAGE_HINT: &str = "usage: cargo xtask spec-diff [OPTIONS] OLD NEW | --check | --accept | --rules (--help for more)";

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
    /// Whether `--accept` may accept credentials sent to another origin.
    pub allow_new_origin: bool,
}

/// Reads the flags of `spec-diff` (`crate::flags`): what each value means
/// and which combinations make sense.
pub fn parse_args(flags: SpecDiff) -> Result<Args, String> {
    let format = match flags.format.as_deref() {
        None => Format::Text,
        Some(v) => Format::parse(v)
            .ok_or_else(|| format!("unknown format `{v}`; use text, markdown, json or github"))?,
    };
    let fail_on = match flags.fail_on.as_deref() {
        None | Some("never") => FailOn::Never,
        Some("breaking") => FailOn::Breaking,
        Some("sdk-breaking") => FailOn::SdkBreaking,
        Some("any") => FailOn::Any,
        Some(v) => {
            return Err(format!(
                "unknown --fail-on `{v}`; use breaking, sdk-breaking, any or never"
            ));
        }
    };
    let sdk = match (flags.no_sdk, flags.sdk) {
        (true, true) => return Err("--sdk and --no-sdk cannot be combined".into()),
        (true, false) => SdkMode::Never,
        (false, true) => SdkMode::Always,
        (false, false) => SdkMode::Auto,
    };
    let sides = (flags.old, flags.new);
    let command = match (flags.rules, flags.check, flags.accept, sides) {
        (true, ..) => Command::Rules,
        (_, true, true, _) => return Err("--check and --accept cannot be combined".into()),
        (_, true, false, (None, None)) => Command::Check,
        (_, false, true, (None, None)) => Command::Accept,
        (_, true, _, _) | (_, _, true, _) => {
            return Err("--check and --accept take no OLD/NEW arguments".into());
        }
        (_, false, false, (Some(old), Some(new))) => Command::Diff {
            old: Source::parse(&old),
            new: Source::parse(&new),
        },
        _ => return Err("expected two specs: OLD NEW".into()),
    };
    if flags.allow_new_origin && command != Command::Accept {
        return Err("--allow-new-origin goes with --accept".into());
    }
    Ok(Args {
        command,
        format,
        fail_on,
        sdk,
        root: flags.root,
        rule: if flags.strict_wire {
            BumpRule::Wire
        } else {
            BumpRule::RustApi
        },
        allow_new_origin: flags.allow_new_origin,
    })
}

fn color_wanted() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Runs `cargo xtask spec-diff ARGS` and returns the exit code.
pub fn main(flags: SpecDiff) -> u8 {
    let args = match parse_args(flags) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}\n\n{USAGE_HINT}");
            return 2;
        }
    };
    match &args.command {
        Command::Rules => {
            for rule in super::rules::Rule::ALL {
                let (id, severity) = (rule.id(), rule.severity().as_str());
                println!("{id:<42} {severity:<13} {}", rule.description());
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
                let (compare, render) = (compared - loaded, start.elapsed() - compared);
                eprintln!("timing: load {loaded:?}, compare {compare:?}, render {render:?}");
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
            let Some(root) = args.root.clone().or_else(gate::find_root) else {
                eprintln!(
                    "error: cannot find the repository root (a directory with {SPEC_FILE} and Cargo.toml); pass --root"
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
                gate::accept(&root, policy, args.allow_new_origin)
            };
            print!("{}", outcome.stdout);
            eprint!("{}", outcome.stderr);
            outcome.code
        }
    }
}
