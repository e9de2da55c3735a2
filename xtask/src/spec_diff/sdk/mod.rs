//! The Rust API analysis: grounding `sdk-breaking` in the real generator.
//!
//! One entry point, [`analyse`], in four steps, one module each:
//!
//! 1. [`focus`]: the part of both documents that can change the generated
//!    code (taken while the wire diff runs);
//! 2. [`read`]: each side's focused document is checked and typed for the
//!    generator, generated with the build's exact progenitor settings (on
//!    two threads) and its public items read into a [`SdkSurface`]
//!    ([`surface`] is the model, [`render`] the normalised text of types);
//! 3. [`compare`]: the two surfaces, item by item, each change with how it
//!    breaks existing code;
//! 4. [`attribute`]: each breaking change raises the wire changes behind it
//!    to `sdk-breaking`, or becomes a `rust-api-changed` change of its own.
//!
//! When a side cannot be generated (the generator rejects it), the wire diff
//! stands and the analysis is reported as unavailable with the reason.
//!
//! Invariant: the wire diff never runs the generator; this stage never
//! lowers a wire verdict below what the rule catalogue gives, except for
//! rules that are `sdk-breaking` only by what the generator usually does.

pub mod attribute;
pub mod compare;
pub mod focus;
pub mod read;
pub mod render;
pub mod surface;

use serde_json::Value;
use upstash_api_codegen::{Spec, SpecError};

use super::change::{Change, SdkAnalysis};
pub use focus::Focus;
pub use surface::{Breakage, ChangeKind, Origin, SdkSurface, SurfaceChange};

/// Runs the analysis on the `focus` of `old` and `new` and folds its
/// findings into `changes` (the wire diff's).
pub fn analyse(focus: &Focus, old: &Value, new: &Value, changes: &mut Vec<Change>) -> SdkAnalysis {
    if old == new {
        return SdkAnalysis::Skipped("the documents are identical".into());
    }
    match surface_changes(focus, old, new) {
        Ok(surface) => {
            let n = surface.len();
            attribute::attribute(old, new, &surface, changes);
            SdkAnalysis::Done(n)
        }
        Err(e) => SdkAnalysis::Unavailable(format!("the Rust API cannot be generated: {e}")),
    }
}

/// How the generated Rust API changes from `old` to `new`, sorted by item
/// path: each document is normalised whole, then only its `focus` is typed
/// and generated, each side on its own thread. An error names the side (`old spec: ...`)
/// and is either the generator's checks refusing the focused part or the
/// generator failing on it.
pub fn surface_changes(
    focus: &Focus,
    old: &Value,
    new: &Value,
) -> Result<Vec<SurfaceChange>, SpecError> {
    // What a response may hold is decided on the whole document (see
    // `codegen::tolerance`), so each side is normalised whole, then cut.
    let side = |document: &Value, name: &str| {
        let mut normalised = document.clone();
        Spec::normalise(&mut normalised)
            .and_then(|()| Spec::from_normalised(focus.restrict_document(&normalised)))
            .and_then(|spec| SdkSurface::from_spec(&spec))
            .map_err(|e| e.in_file(name))
    };
    let (old, new) = std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("sdk-old".into())
            .spawn_scoped(scope, || side(old, "old spec"));
        let new = side(new, "new spec");
        let old = match spawned {
            Ok(handle) => handle.join().unwrap_or_else(|_| {
                Err(SpecError::new("generating the old spec's Rust API crashed")
                    .in_file("old spec"))
            }),
            // No second thread: generate the sides one after the other.
            Err(_) => side(old, "old spec"),
        };
        (old, new)
    });
    Ok(compare::diff_surfaces(&old?, &new?))
}

#[cfg(test)]
mod tests;
