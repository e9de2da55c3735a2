//! The wire diff: what changed between two documents for HTTP clients.
//!
//! One entry point, [`diff`] (or [`diff_beside`], which runs other work on
//! the calling thread meanwhile). The walk compares both documents side by
//! side, one module per OpenAPI object, each holding its rule family:
//! [`document`] (`info`, `servers`, security schemes), [`operation`],
//! [`parameters`], [`content`] (request bodies, responses, media types),
//! [`headers`], [`links`], [`callbacks`] (directions swapped) and
//! [`schema`]: one schema [`pair`] seen through `allOf` ([`view`]), with
//! [`constraints`], [`properties`], [`variants`] (`oneOf`/`anyOf`),
//! [`discriminator`] and [`all_of`]. [`differ`] holds the walk's state and
//! the one way a change is recorded; documentation edits become one change
//! per operation. [`usage`] then counts the operations each change in a
//! shared component reaches. The invariants are in ARCHITECTURE.md.

pub mod all_of;
pub mod callbacks;
pub mod constraints;
pub mod content;
pub mod differ;
pub mod discriminator;
pub mod document;
pub mod headers;
pub mod links;
pub mod operation;
pub mod pair;
pub mod parameters;
pub mod properties;
pub mod schema;
pub mod usage;
pub mod variants;
pub mod view;

use serde_json::Value;

use super::change::Change;
use differ::Differ;

/// Compares two loaded documents and lists every change, document-wide
/// changes first, then operation by operation.
pub fn diff(old: &Value, new: &Value) -> Vec<Change> {
    diff_beside(old, new, || ()).0
}

/// [`diff`], with `beside` run on the calling thread meanwhile (the diff
/// runs on a thread of its own).
pub fn diff_beside<T>(old: &Value, new: &Value, beside: impl FnOnce() -> T) -> (Vec<Change>, T) {
    let run = || Differ::new(old, new).run();
    // Schema comparison recurses (bounded by `pair::MAX_DEPTH`); give it room.
    let (changes, beside) = std::thread::scope(|s| {
        let handle = std::thread::Builder::new()
            .stack_size(256 << 20)
            .spawn_scoped(s, run)
            .ok();
        let beside = beside();
        (handle.and_then(|h| h.join().ok()), beside)
    });
    (changes.unwrap_or_else(run), beside)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::spec_diff::rules::Rule;

    #[test]
    fn diff_beside_runs_both_and_diffs_alike() {
        let old = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}});
        let mut new = old.clone();
        new["info"]["version"] = json!("2");
        let caller = std::thread::current().id();
        let (changes, ran_on) = diff_beside(&old, &new, || std::thread::current().id());
        assert_eq!(ran_on, caller, "`beside` runs on the calling thread");
        assert_eq!(changes, diff(&old, &new));
        assert_eq!(
            changes.iter().map(|c| c.rule).collect::<Vec<_>>(),
            [Rule::InfoVersionChanged]
        );
    }
}
