//! The stages in order: both documents loaded ([`load_pair`]), the wire diff
//! (the focus taken beside it), the usage counts, the Rust API analysis.

use std::path::Path;

use upstash_api_codegen::{Checks, NodePath, SpecError, check_document, plain_text};

use super::change::{Change, DiffReport, Location, SdkAnalysis, SideInfo};
use super::load::{self, Document, Source};
use super::{diff, sdk};

/// Loads both sides, each on its own thread.
pub fn load_pair(
    old: &Source,
    new: &Source,
    dir: &Path,
) -> Result<(Document, Document), SpecError> {
    let (o, n) = std::thread::scope(|s| {
        let o = s.spawn(|| load::load(old, dir));
        let n = load::load(new, dir);
        (o.join(), n)
    });
    let o = o.unwrap_or_else(|_| Err(SpecError::new("loading crashed").in_file(old.to_string())));
    Ok((o?, n?))
}

/// Whether to run the generated-code analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SdkMode {
    /// When both documents together are at most [`SDK_AUTO_LIMIT_BYTES`]:
    /// generating a client from a multi-megabyte spec takes far longer than
    /// the diff, and a spec that size is not the SDK's.
    Auto,
    /// Always (`--sdk`).
    Always,
    /// Never (`--no-sdk`).
    Never,
}

/// The combined size of both documents above which [`SdkMode::Auto`] skips
/// the generated-code analysis.
pub const SDK_AUTO_LIMIT_BYTES: usize = 2 << 20;

/// Compares two loaded documents; with `sdk`, also generates both (when not
/// too large, see [`SdkMode::Auto`]) and grounds `sdk-breaking` in the
/// generated Rust API.
pub fn compare(old: &Document, new: &Document, sdk: bool) -> DiffReport {
    compare_with(old, new, if sdk { SdkMode::Auto } else { SdkMode::Never })
}

/// [`compare`] with an explicit [`SdkMode`].
///
/// Each side also goes through the build's checks for generating; when the
/// Rust API analysis runs, through the build's normalisations and typing of
/// the whole document as well. A side the build refuses is listed in
/// [`DiffReport::build_refuses`].
pub fn compare_with(old: &Document, new: &Document, mode: SdkMode) -> DiffReport {
    let total = old.bytes + new.bytes;
    let off = match mode {
        SdkMode::Never => Some("turned off with --no-sdk".to_string()),
        SdkMode::Auto if total > SDK_AUTO_LIMIT_BYTES => Some(format!(
            "the documents total {} KB, over the {} KB limit for generating them; pass --sdk to force it",
            total / 1024,
            SDK_AUTO_LIMIT_BYTES / 1024
        )),
        SdkMode::Auto | SdkMode::Always => None,
    };
    let refusal = |d: &Document| {
        check_document(&d.root, Checks::Generate)
            .err()
            .map(|e| d.place(e).to_string())
    };
    // The build's verdict, and what the analysis generates, are worked out
    // while the wire diff runs.
    let (mut changes, (mut build_refuses, focus)) = diff::diff_beside(&old.root, &new.root, || {
        let refuses: Vec<String> = [refusal(old), refusal(new)].into_iter().flatten().collect();
        let focus = match off {
            Some(reason) => Err(reason),
            None => Ok(sdk::Focus::of_documents(&old.root, &new.root)),
        };
        (refuses, focus)
    });
    diff::usage::annotate(&old.root, &new.root, &mut changes);
    let sdk = match focus {
        Err(reason) => SdkAnalysis::Unavailable(reason),
        Ok(_) if !build_refuses.is_empty() => {
            SdkAnalysis::Unavailable("the build refuses a side".into())
        }
        Ok(focus) => match sdk::analyse(&focus, &old.root, &new.root, &mut changes) {
            Ok(analysis) => analysis,
            Err(sdk::SideError { side, error }) => {
                let side = match side {
                    sdk::Side::Old => old,
                    sdk::Side::New => new,
                };
                let e = side.place(error);
                build_refuses.push(e.to_string());
                SdkAnalysis::Unavailable(format!("the Rust API cannot be generated: {e}"))
            }
        },
    };
    locate(&mut changes, old, new);
    let info = |d: &Document| SideInfo {
        source: d.source.clone(),
        info_version: d.root.pointer("/info/version").map(plain_text),
    };
    DiffReport {
        old: info(old),
        new: info(new),
        changes,
        sdk,
        build_refuses,
    }
}

/// Finds where each change is in both texts. A side that lacks a change's
/// node gives the nearest node that encloses where it would be, so every
/// change has a line on both sides: what a CI annotation on the new file
/// needs for a removal.
fn locate(changes: &mut [Change], old: &Document, new: &Document) {
    // The node on `d`'s own side (`mine`), else the other side's.
    let at = |d: &Document, mine: &Option<NodePath>, other: &Option<NodePath>| {
        let node = mine.as_ref().or(other.as_ref())?;
        let at = d.positions.find_segments(node.segments())?;
        Some(Location {
            file: d.path.clone(),
            line: at.line,
            column: at.column,
        })
    };
    for c in changes {
        c.old_location = at(old, &c.old_node, &c.new_node);
        c.new_location = at(new, &c.new_node, &c.old_node);
    }
}
