//! The little git this tool needs: reading a file at a revision.

use std::path::Path;
use std::process::Command;

/// Reads `path` as it is at `rev` (`git show REV:PATH`), run in `dir`.
///
/// The error is one line: git's own complaint when it has one.
pub fn show(dir: &Path, rev: &str, path: &str) -> Result<String, String> {
    if rev.starts_with('-') {
        return Err(format!("`{rev}` is not a git revision"));
    }
    let output = Command::new("git")
        .arg("show")
        .arg(format!("{rev}:{path}"))
        .current_dir(dir)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("git show failed")
            .trim()
            .trim_start_matches("fatal: ")
            .to_string();
        return Err(format!(
            "cannot read `{path}` at git revision `{rev}`: {first}"
        ));
    }
    String::from_utf8(output.stdout).map_err(|_| format!("`{rev}:{path}` is not UTF-8 text"))
}
