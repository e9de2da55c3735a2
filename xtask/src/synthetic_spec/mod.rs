//! Deterministic synthetic OpenAPI 3.0 documents in the Upstash style, for
//! benchmarks.
//!
//! [`generate_pair`] builds an API model from a seed (operations under the
//! `redis`, `teams`, `vector`, `search` and `qstash` tags, component schemas
//! with `$ref`s, enums, `int64` and `uuid` formats, nested inline objects, a
//! recursive schema), then a plausible next version of it (operations added
//! and removed, an operationId renamed, parameters added, retyped and made
//! required, enum values and properties added, descriptions edited, the
//! version bumped), and writes both as YAML.
//!
//! The same seed and [`Scale`] always give byte-identical documents: the only
//! source of variation is a SplitMix64 generator seeded by the caller.

mod document;
mod model;
mod yaml;

pub use model::Scale;
use model::{Api, Rng};
use yaml::to_yaml;

/// An old document and its plausible next version, as YAML text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecPair {
    /// The old document.
    pub old: String,
    /// The next version.
    pub new: String,
    /// Operations in the old document.
    pub old_operations: usize,
    /// Operations in the next version.
    pub new_operations: usize,
}

/// Builds the old document for `scale` and `seed`, and its next version.
pub fn generate_pair(scale: Scale, seed: u64) -> SpecPair {
    let mut rng = Rng::new(seed);
    let old = Api::generate(scale, &mut rng);
    let mut new = old.clone();
    new.evolve(&mut rng);
    SpecPair {
        old: to_yaml(&old.document()),
        new: to_yaml(&new.document()),
        old_operations: old.operations.len(),
        new_operations: new.operations.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::yaml::{Node, map, s};
    use super::*;

    #[test]
    fn same_seed_same_documents_other_seed_other_documents() {
        let a = generate_pair(Scale::SMALL, 7);
        assert_eq!(a, generate_pair(Scale::SMALL, 7));
        assert_ne!(a.old, generate_pair(Scale::SMALL, 8).old);
        assert_ne!(a.old, a.new);
    }

    #[test]
    fn small_pair_is_about_100_kb_and_60_operations_and_valid() {
        let pair = generate_pair(Scale::SMALL, 1);
        for (side, text) in [("old", &pair.old), ("new", &pair.new)] {
            assert!(
                (60_000..200_000).contains(&text.len()),
                "{side} is {} bytes",
                text.len()
            );
            let spec = upstash_api_codegen::Spec::from_text(text)
                .unwrap_or_else(|e| panic!("{side} is not a valid spec: {e}"));
            let operations: usize = spec
                .openapi
                .paths
                .paths
                .values()
                .filter_map(|p| p.as_item())
                .map(|p| p.iter().count())
                .sum();
            assert!((55..=70).contains(&operations), "{side}: {operations}");
            upstash_api_codegen::generate_client(&spec)
                .unwrap_or_else(|e| panic!("{side} does not generate: {e}"));
        }
    }

    #[test]
    fn next_version_changes_what_a_new_release_changes() {
        let pair = generate_pair(Scale::SMALL, 3);
        assert!(pair.old.contains("version: \"1.0.0\""));
        assert!(pair.new.contains("version: \"1.1.0\""));
        let old = upstash_api_codegen::parse_document(&pair.old).expect("old parses");
        let new = upstash_api_codegen::parse_document(&pair.new).expect("new parses");
        let ids = |doc: &serde_json::Value| -> std::collections::BTreeSet<String> {
            doc["paths"]
                .as_object()
                .into_iter()
                .flat_map(|paths| paths.values())
                .filter_map(|item| item.as_object())
                .flat_map(|item| item.values())
                .filter_map(|op| op["operationId"].as_str().map(str::to_string))
                .collect()
        };
        let (old_ids, new_ids) = (ids(&old), ids(&new));
        assert!(
            old_ids.difference(&new_ids).count() >= 2,
            "operations removed or renamed"
        );
        assert!(
            new_ids.difference(&old_ids).count() >= 2,
            "operations added"
        );
    }

    #[test]
    fn yaml_writer_round_trips_awkward_strings() {
        let node = map([
            ("plain", s("a \"quoted\" \\ value\nwith: colon # and hash")),
            (
                "/path/{id}",
                Node::List(vec![map([("k", s("v")), ("n", Node::Bool(false))]), s("x")]),
            ),
            ("empty", Node::List(Vec::new())),
            ("200", map([])),
        ]);
        let value = upstash_api_codegen::parse_document(&to_yaml(&node)).expect("valid YAML");
        assert_eq!(
            value,
            serde_json::json!({
                "plain": "a \"quoted\" \\ value\nwith: colon # and hash",
                "/path/{id}": [{"k": "v", "n": false}, "x"],
                "empty": [],
                "200": {}
            })
        );
    }
}

#[cfg(test)]
mod sdk_tests {
    use upstash_api_codegen::{Spec, parse_document};
    use xtask::spec_diff::sdk::compare::diff_surfaces;
    use xtask::spec_diff::sdk::{Focus, SdkSurface, surface_changes};

    const SEEDS: [u64; 5] = [1, 3, 5, 7, 11];

    /// The focused generation must find exactly what generating the whole
    /// documents finds, on a pair with every kind of realistic change.
    #[test]
    fn focused_and_whole_surface_changes_agree_on_a_realistic_pair() {
        let mut cut = 0;
        for seed in SEEDS {
            let pair = super::generate_pair(super::Scale::SMALL, seed);
            let (old, new) = (
                parse_document(&pair.old).expect("parses"),
                parse_document(&pair.new).expect("parses"),
            );
            let surface = |v: &serde_json::Value| {
                SdkSurface::from_spec(&Spec::from_value(v.clone()).expect("valid"))
                    .expect("generates")
            };
            let exact = diff_surfaces(&surface(&old), &surface(&new));
            let focus = Focus::of_documents(&old, &new);
            let focused = surface_changes(&focus, &old, &new).expect("generates");
            assert!(exact.len() > 10, "seed {seed}: too few changes: {exact:?}");
            assert!(exact.iter().any(|c| c.breaking), "seed {seed}");
            assert_eq!(focused, exact, "seed {seed}");
            // A change to a schema every operation uses (`Error`) keeps
            // everything; otherwise the focus cuts.
            let paths = old["paths"].as_object().map_or(0, |p| p.len());
            let kept = old["paths"].as_object().map_or(0, |p| {
                p.keys().filter(|path| focus.keeps_path(path)).count()
            });
            if kept < paths {
                cut += 1;
            }
        }
        assert!(cut > 0, "the focus never left anything out");
    }
}
