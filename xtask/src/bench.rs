//! `cargo xtask bench-spec-diff`: the rerunnable benchmark of `spec-diff`.
//!
//! It builds its inputs deterministically ([`crate::synthetic_spec`], fixed
//! seed): (a) a pair of ~100 KB specs of ~60 operations, (b) a pair of ~10 MB
//! specs with thousands of operations. It builds the `xtask` binary with the
//! workspace's `release-tools` profile (release, with whole-program LTO)
//! and runs `spec-diff OLD NEW` on each pair as a whole process, N times
//! after one warm-up run, in three variants: as it is (`spec-diff` decides
//! whether the generated Rust API analysis fits its size limit); with
//! `--no-sdk` (the wire diff alone); and with `--sdk` (the analysis forced
//! whatever the size, so it measures the analysis). It prints min and median
//! wall time and peak RSS against the targets: (a) < 30 ms; (b) < 1.5 s and
//! < 400 MB. With `--baseline PATH`, a second binary (an earlier build) is
//! measured on the same inputs, each row beside the other's.
//!
//! Peak RSS is `getrusage(RUSAGE_CHILDREN)`'s `ru_maxrss`: the largest
//! resident set of any waited-for child. So that neither cargo nor another
//! case counts, each case is measured by a fresh helper process
//! (`bench-measure`, this same binary) whose only children are
//! the runs of that case.
//!
//! Exit codes: 0 when every run worked (missed targets are only marked),
//! 1 when a run failed or the binary could not be built, 2 for usage errors.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use xtask::flags::{BenchMeasure, BenchSpecDiff};

use crate::synthetic_spec::{self, Scale};

/// Runs the benchmark with its flags; returns the exit code.
pub fn main(flags: &BenchSpecDiff) -> u8 {
    let options = match Options::from_flags(flags) {
        Ok(options) => options,
        Err(e) => {
            eprintln!("error: {e}\n\nusage: cargo xtask bench-spec-diff --help");
            return 2;
        }
    };
    match run(&options) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e}");
            1
        }
    }
}

/// The command line.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Options {
    runs_a: usize,
    runs_b: usize,
    cases: Vec<Case>,
    variants: Vec<Variant>,
    seed: u64,
    keep: Option<PathBuf>,
    bin: Option<PathBuf>,
    baseline: Option<PathBuf>,
}

impl Options {
    /// The options the flags ask for, defaults filled in.
    fn from_flags(flags: &BenchSpecDiff) -> Result<Options, String> {
        let cases = match flags.only.as_deref() {
            None => vec![Case::Small, Case::Large],
            Some("a") => vec![Case::Small],
            Some("b") => vec![Case::Large],
            Some(other) => return Err(format!("--only takes a or b, not `{other}`")),
        };
        let variants = match flags.variants.as_deref() {
            None => vec![Variant::Default, Variant::NoSdk, Variant::Sdk],
            Some(list) => list
                .split(',')
                .map(|v| match v.trim() {
                    "default" => Ok(Variant::Default),
                    "no-sdk" => Ok(Variant::NoSdk),
                    "sdk" => Ok(Variant::Sdk),
                    other => Err(format!(
                        "--variants takes default, no-sdk and sdk, not `{other}`"
                    )),
                })
                .collect::<Result<_, _>>()?,
        };
        let seed = match flags.seed.as_deref() {
            None => 1,
            Some(text) => text
                .parse()
                .map_err(|_| format!("--seed takes a number, not `{text}`"))?,
        };
        Ok(Options {
            runs_a: flags.runs_a.as_deref().map_or(Ok(20), count)?,
            runs_b: flags.runs_b.as_deref().map_or(Ok(5), count)?,
            cases,
            variants,
            seed,
            keep: flags.keep.clone(),
            bin: flags.bin.clone(),
            baseline: flags.baseline.clone(),
        })
    }

    fn runs(&self, case: Case) -> usize {
        match case {
            Case::Small => self.runs_a,
            Case::Large => self.runs_b,
        }
    }
}

fn count(text: &str) -> Result<usize, String> {
    match text.parse() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("a run count is a positive number, not `{text}`")),
    }
}

/// The two input sizes the issue sets targets for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    /// (a) ~100 KB, ~60 operations.
    Small,
    /// (b) ~10 MB, thousands of operations.
    Large,
}

impl Case {
    fn label(self) -> &'static str {
        match self {
            Case::Small => "a",
            Case::Large => "b",
        }
    }

    fn scale(self) -> Scale {
        match self {
            Case::Small => Scale::SMALL,
            Case::Large => Scale::LARGE,
        }
    }

    fn target(self) -> Target {
        match self {
            Case::Small => Target {
                time: Duration::from_millis(30),
                rss_bytes: None,
            },
            Case::Large => Target {
                time: Duration::from_millis(1500),
                rss_bytes: Some(400 * 1024 * 1024),
            },
        }
    }
}

/// How `spec-diff` is run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Variant {
    /// As a user runs it: with the generated Rust API analysis when the
    /// documents fit its size limit.
    Default,
    /// With `--no-sdk`: the wire diff only.
    NoSdk,
    /// With `--sdk`: the Rust API analysis even over the size limit.
    Sdk,
}

impl Variant {
    fn extra_args(self) -> &'static [&'static str] {
        match self {
            Variant::Default => &[],
            Variant::NoSdk => &["--no-sdk"],
            Variant::Sdk => &["--sdk"],
        }
    }

    fn label(self) -> &'static str {
        match self {
            Variant::Default => "default",
            Variant::NoSdk => "--no-sdk",
            Variant::Sdk => "--sdk",
        }
    }
}

/// What a case must stay under: the median wall time, and the peak RSS
/// when there is a memory target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Target {
    time: Duration,
    rss_bytes: Option<u64>,
}

impl Target {
    fn describe(&self) -> String {
        match self.rss_bytes {
            Some(rss) => format!("< {}, < {}", duration(self.time), bytes(rss)),
            None => format!("< {}", duration(self.time)),
        }
    }

    /// The missed parts ("time", "memory"), empty when met.
    fn missed(&self, m: &Measurement) -> Vec<&'static str> {
        let mut missed = Vec::new();
        if m.median() >= self.time {
            missed.push("time");
        }
        if self
            .rss_bytes
            .is_some_and(|limit| m.peak_rss_bytes >= limit)
        {
            missed.push("memory");
        }
        missed
    }
}

/// The timed runs of one case and variant.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Measurement {
    /// Wall time of each timed run, in run order.
    runs: Vec<Duration>,
    /// The largest resident set of any run, in bytes.
    peak_rss_bytes: u64,
}

impl Measurement {
    fn min(&self) -> Duration {
        self.runs.iter().copied().min().unwrap_or_default()
    }

    fn median(&self) -> Duration {
        let mut sorted = self.runs.clone();
        sorted.sort_unstable();
        match sorted.len() {
            0 => Duration::ZERO,
            n if n % 2 == 1 => sorted[n / 2],
            n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2,
        }
    }
}

fn run(options: &Options) -> Result<(), String> {
    let bin = match &options.bin {
        Some(bin) => bin.clone(),
        None => build_tools_binary()?,
    };
    let inputs = Inputs::create(options.keep.as_deref())?;
    let mut binaries = vec![("", bin)];
    if let Some(baseline) = &options.baseline {
        binaries.push((" [baseline]", baseline.clone()));
    }
    println!("bench-spec-diff: seed {}", options.seed);
    for (tag, bin) in &binaries {
        println!("binary{tag}: {}", bin.display());
    }
    let mut rows = Vec::new();
    let mut failures = Vec::new();
    for &case in &options.cases {
        let pair = synthetic_spec::generate_pair(case.scale(), options.seed);
        let old = inputs.dir.join(format!("{}-old.yml", case.label()));
        let new = inputs.dir.join(format!("{}-new.yml", case.label()));
        write(&old, &pair.old)?;
        write(&new, &pair.new)?;
        for (&variant, (tag, bin)) in options
            .variants
            .iter()
            .flat_map(|v| binaries.iter().map(move |b| (v, b)))
        {
            let mut args: Vec<String> = vec!["spec-diff".into()];
            args.extend(variant.extra_args().iter().map(|a| a.to_string()));
            args.push(old.display().to_string());
            args.push(new.display().to_string());
            let outcome = measure_in_helper(bin, options.runs(case), &args);
            let name = format!(
                "({}) {} ops, {}{tag}",
                case.label(),
                pair.old_operations,
                variant.label()
            );
            match outcome {
                Ok(m) => rows.push(Row {
                    name,
                    sizes: format!(
                        "{} / {}",
                        bytes(pair.old.len() as u64),
                        bytes(pair.new.len() as u64)
                    ),
                    target: case.target(),
                    measurement: m,
                }),
                Err(e) => failures.push(format!("{name}: {e}")),
            }
        }
    }
    print!("{}", table(&rows));
    match &options.keep {
        Some(dir) => println!("inputs kept in {}", dir.display()),
        None => println!("inputs were generated in a temporary directory (--keep DIR keeps them)"),
    }
    println!("command per run: BIN spec-diff [--no-sdk|--sdk] OLD NEW (after one warm-up run)");
    drop(inputs);
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n"))
    }
}

/// One line of the result table.
struct Row {
    name: String,
    sizes: String,
    target: Target,
    measurement: Measurement,
}

fn table(rows: &[Row]) -> String {
    let header = [
        "case",
        "old / new",
        "runs",
        "min",
        "median",
        "peak RSS",
        "target",
        "result",
    ];
    let mut lines: Vec<[String; 8]> = vec![header.map(str::to_string)];
    for row in rows {
        let m = &row.measurement;
        let missed = row.target.missed(m);
        let result = if missed.is_empty() {
            "ok".to_string()
        } else {
            format!("MISSED ({})", missed.join(", "))
        };
        lines.push([
            row.name.clone(),
            row.sizes.clone(),
            m.runs.len().to_string(),
            duration(m.min()),
            duration(m.median()),
            bytes(m.peak_rss_bytes),
            row.target.describe(),
            result,
        ]);
    }
    let mut widths = [0usize; 8];
    for line in &lines {
        for (w, cell) in widths.iter_mut().zip(line) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for line in &lines {
        let cells: Vec<String> = line
            .iter()
            .zip(widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// Builds the `xtask` binary with the `release-tools` profile and returns
/// its path, as cargo reports it (so `CARGO_TARGET_DIR` and other
/// configuration apply).
fn build_tools_binary() -> Result<PathBuf, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
    eprintln!("building the xtask binary (profile release-tools)...");
    let output = Command::new(&cargo)
        .args(["build", "--profile", "release-tools", "--bin", "xtask"])
        .arg("--manifest-path")
        .arg(&manifest)
        .args(["--message-format", "json-render-diagnostics"])
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo build --profile release-tools failed ({})",
            output.status
        ));
    }
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == "xtask")
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
        .ok_or_else(|| "cargo did not report the xtask executable".to_string())
}

/// Where the inputs are written; a temporary directory is removed on drop.
struct Inputs {
    dir: PathBuf,
    remove: bool,
}

impl Inputs {
    fn create(keep: Option<&Path>) -> Result<Inputs, String> {
        let (dir, remove) = match keep {
            Some(dir) => (dir.to_path_buf(), false),
            None => (
                std::env::temp_dir().join(format!("xtask-bench-spec-diff-{}", std::process::id())),
                true,
            ),
        };
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        Ok(Inputs { dir, remove })
    }
}

impl Drop for Inputs {
    fn drop(&mut self) {
        if self.remove {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Measures in a fresh helper process, so that its `RUSAGE_CHILDREN` peak
/// covers these runs only.
fn measure_in_helper(bin: &Path, runs: usize, args: &[String]) -> Result<Measurement, String> {
    let helper = std::env::current_exe().map_err(|e| format!("cannot find this binary: {e}"))?;
    let output = Command::new(helper)
        .arg("bench-measure")
        .arg(bin)
        .arg(runs.to_string())
        .arg("--")
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot start the measuring process: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!("the measuring process failed ({})", output.status));
    }
    parse_report(&text)
}

/// The helper, `bench-measure BIN RUNS -- ARGS...`: prints one `run
/// <nanoseconds>` line per timed run and a final `maxrss <bytes>` line.
pub fn measure_main(flags: &BenchMeasure) -> u8 {
    match measure(&flags.bin, flags.runs, &flags.args) {
        Ok(m) => {
            print!("{}", report(&m));
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            1
        }
    }
}

/// Runs `bin args` once to warm up, then `runs` times timed. Any exit code
/// but 0 is an error carrying the command's message (the benchmark passes
/// no `--fail-on`, so `spec-diff` exits 0 whatever it finds).
fn measure(bin: &Path, runs: usize, args: &[String]) -> Result<Measurement, String> {
    let mut times = Vec::with_capacity(runs);
    for run in 0..=runs {
        let start = Instant::now();
        let status = Command::new(bin)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
        let elapsed = start.elapsed();
        if !status.success() {
            return Err(explain_failure(bin, args, status));
        }
        if run > 0 {
            times.push(elapsed);
        }
    }
    Ok(Measurement {
        runs: times,
        peak_rss_bytes: children_peak_rss()?,
    })
}

/// Runs the failing command again to show what it said.
fn explain_failure(bin: &Path, args: &[String], status: std::process::ExitStatus) -> String {
    let said = Command::new(bin)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map(|o| String::from_utf8_lossy(&o.stderr).trim().to_string())
        .unwrap_or_default();
    format!(
        "`{} {}` failed ({status}){}",
        bin.display(),
        args.join(" "),
        if said.is_empty() {
            String::new()
        } else {
            format!(": {said}")
        }
    )
}

/// The largest resident set of any waited-for child of this process.
fn children_peak_rss() -> Result<u64, String> {
    use nix::sys::resource::{UsageWho, getrusage};
    let usage = getrusage(UsageWho::RUSAGE_CHILDREN).map_err(|e| format!("getrusage: {e}"))?;
    // Linux reports ru_maxrss in kilobytes.
    Ok(u64::try_from(usage.max_rss()).unwrap_or(0) * 1024)
}

fn report(m: &Measurement) -> String {
    let mut out = String::new();
    for run in &m.runs {
        out.push_str(&format!("run {}\n", run.as_nanos()));
    }
    out.push_str(&format!("maxrss {}\n", m.peak_rss_bytes));
    out
}

fn parse_report(text: &str) -> Result<Measurement, String> {
    let mut runs = Vec::new();
    let mut peak = None;
    for line in text.lines() {
        let bad = || format!("unexpected line from the measuring process: `{line}`");
        match line.split_once(' ') {
            Some(("run", n)) => runs.push(Duration::from_nanos(n.parse().map_err(|_| bad())?)),
            Some(("maxrss", n)) => peak = Some(n.parse().map_err(|_| bad())?),
            _ => return Err(bad()),
        }
    }
    match (runs.is_empty(), peak) {
        (false, Some(peak_rss_bytes)) => Ok(Measurement {
            runs,
            peak_rss_bytes,
        }),
        _ => Err("the measuring process reported no runs".to_string()),
    }
}

/// `850 µs`, `12.3 ms`, `1.42 s`.
fn duration(d: Duration) -> String {
    let micros = d.as_secs_f64() * 1e6;
    if micros < 1000.0 {
        format!("{micros:.0} µs")
    } else if micros < 1e6 {
        format!("{:.1} ms", micros / 1e3)
    } else {
        format!("{:.2} s", micros / 1e6)
    }
}

/// `512 B`, `87.2 KB`, `10.4 MB`, `1.20 GB` (powers of 1024).
fn bytes(n: u64) -> String {
    let n = n as f64;
    if n < 1024.0 {
        format!("{n:.0} B")
    } else if n < 1024.0 * 1024.0 {
        format!("{:.1} KB", n / 1024.0)
    } else if n < 1024.0 * 1024.0 * 1024.0 {
        format!("{:.1} MB", n / (1024.0 * 1024.0))
    } else {
        format!("{:.2} GB", n / (1024.0 * 1024.0 * 1024.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The options `cargo xtask bench-spec-diff TEXT` asks for.
    fn options(text: &str) -> Result<Options, String> {
        let args = std::iter::once("bench-spec-diff")
            .chain(text.split_whitespace())
            .map(std::ffi::OsString::from)
            .collect();
        match xtask::flags::Xtask::from_vec(args)
            .map_err(|e| e.to_string())?
            .subcommand
        {
            xtask::flags::XtaskCmd::BenchSpecDiff(flags) => Options::from_flags(&flags),
            other => panic!("parsed as {other:?}"),
        }
    }

    #[test]
    fn options_have_defaults_and_overrides() {
        let defaults = options("").expect("valid");
        assert_eq!(
            (defaults.runs_a, defaults.runs_b, defaults.seed),
            (20, 5, 1)
        );
        assert_eq!(defaults.cases, [Case::Small, Case::Large]);
        assert_eq!(
            defaults.variants,
            [Variant::Default, Variant::NoSdk, Variant::Sdk]
        );
        let o = options("--runs-a 3 --only b --variants default --seed 9 --keep /tmp/x")
            .expect("valid");
        assert_eq!(
            (o.runs_a, o.cases.as_slice(), o.seed),
            (3, &[Case::Large][..], 9)
        );
        assert_eq!(o.variants, [Variant::Default]);
        assert_eq!(o.keep, Some(PathBuf::from("/tmp/x")));
        let two = options("--variants sdk,no-sdk").expect("valid");
        assert_eq!(two.variants, [Variant::Sdk, Variant::NoSdk]);
        let with_baseline = options("--baseline /tmp/old").expect("valid");
        assert_eq!(with_baseline.baseline, Some(PathBuf::from("/tmp/old")));
        for bad in [
            "--variants sdk,fast",
            "--runs-a 0",
            "--runs-b x",
            "--only c",
            "--seed",
            "--seed x",
            "--frobnicate",
        ] {
            assert!(options(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn median_and_min() {
        let m = |ms: &[u64]| Measurement {
            runs: ms.iter().map(|&n| Duration::from_millis(n)).collect(),
            peak_rss_bytes: 0,
        };
        assert_eq!(m(&[5, 1, 3]).median(), Duration::from_millis(3));
        assert_eq!(
            m(&[4, 1, 3, 2]).median(),
            Duration::from_millis(2) + Duration::from_micros(500)
        );
        assert_eq!(m(&[4, 1, 3, 2]).min(), Duration::from_millis(1));
    }

    #[test]
    fn targets_mark_what_is_missed() {
        let m = |ms: u64, mb: u64| Measurement {
            runs: vec![Duration::from_millis(ms)],
            peak_rss_bytes: mb * 1024 * 1024,
        };
        let large = Case::Large.target();
        assert!(large.missed(&m(1000, 100)).is_empty());
        assert_eq!(large.missed(&m(2000, 100)), ["time"]);
        assert_eq!(large.missed(&m(2000, 500)), ["time", "memory"]);
        assert_eq!(
            Case::Small.target().missed(&m(29, 5000)),
            Vec::<&str>::new()
        );
        assert_eq!(Case::Small.target().missed(&m(30, 1)), ["time"]);
    }

    #[test]
    fn report_round_trips_and_rejects_garbage() {
        let m = Measurement {
            runs: vec![Duration::from_nanos(1500), Duration::from_nanos(42)],
            peak_rss_bytes: 12345,
        };
        assert_eq!(parse_report(&report(&m)), Ok(m));
        assert!(parse_report("run x\nmaxrss 1\n").is_err());
        assert!(parse_report("maxrss 1\n").is_err());
        assert!(parse_report("").is_err());
    }

    #[test]
    fn measure_times_real_processes_and_reports_failures() {
        let sh = Path::new("/bin/sh");
        let ok = measure(sh, 3, &["-c".into(), "true".into()]).expect("sh runs");
        assert_eq!(ok.runs.len(), 3);
        assert!(ok.peak_rss_bytes > 0);
        assert!(measure(sh, 1, &["-c".into(), "exit 1".into()]).is_err());
        let err = measure(sh, 1, &["-c".into(), "echo broken >&2; exit 2".into()])
            .expect_err("exit 2 is an error");
        assert!(err.contains("broken"), "{err}");
    }

    #[test]
    fn table_aligns_and_marks_results() {
        let row = |ms: u64| Row {
            name: "(a) 60 ops, default".into(),
            sizes: "87.0 KB / 91.0 KB".into(),
            target: Case::Small.target(),
            measurement: Measurement {
                runs: vec![Duration::from_millis(ms)],
                peak_rss_bytes: 20 * 1024 * 1024,
            },
        };
        let text = table(&[row(12), row(35)]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[1].ends_with("ok"), "{text}");
        assert!(lines[2].ends_with("MISSED (time)"), "{text}");
        let column = lines[0].find("median").expect("header");
        assert_eq!(lines[1].rfind("12.0 ms"), Some(column), "{text}");
    }

    #[test]
    fn units() {
        assert_eq!(duration(Duration::from_micros(850)), "850 µs");
        assert_eq!(duration(Duration::from_micros(12_340)), "12.3 ms");
        assert_eq!(duration(Duration::from_millis(1420)), "1.42 s");
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(89_300), "87.2 KB");
        assert_eq!(bytes(400 * 1024 * 1024), "400.0 MB");
    }
}
