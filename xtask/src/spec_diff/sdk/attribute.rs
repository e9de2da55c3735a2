//! Attributing each Rust API change to the wire changes behind it. A
//! breaking one: those that were `non-breaking` on the wire become
//! `sdk-breaking`, and a difference no wire change explains becomes a
//! `rust-api-changed` change of its own. One that breaks nothing (an
//! addition or a relaxation) marks its wire changes as adding to the Rust
//! API, for the version bump they demand.

use std::collections::HashMap;

use serde_json::Value;
use upstash_api_codegen::{NodePath, Scope};

use super::super::change::{Change, Endpoint};
use super::super::rules::{Rule, Severity};
use super::place::{self, Owner, Place};
use super::surface::{Origin, SurfaceChange};

/// The wire changes (their indexes), filed for finding those behind a Rust
/// API change. Documentation changes are left out: they change no Rust item.
#[derive(Default)]
struct Wire {
    /// By the place in the generated Rust API each change is at.
    at: HashMap<Place, Vec<usize>>,
    /// By every place a change's nodes pass through on the way.
    through: HashMap<Place, Vec<usize>>,
    /// By each change's operation.
    by_operation: HashMap<Owner, Vec<usize>>,
    /// By the component schema each change is in.
    by_component: HashMap<String, Vec<usize>>,
}

impl Wire {
    fn of(changes: &[Change], old: &Value, new: &Value) -> Wire {
        let mut wire = Wire::default();
        let shared = [old, new].map(upstash_api_codegen::shared_enum_types);
        for (i, c) in changes.iter().enumerate() {
            if c.severity == Severity::Docs {
                continue;
            }
            for chain in place::of_change(c, [old, new], [&shared[0], &shared[1]]) {
                if let Some(last) = chain.last() {
                    add(&mut wire.at, last.clone(), i);
                }
                for p in chain {
                    add(&mut wire.through, p, i);
                }
            }
            if let Some(e) = &c.endpoint {
                let owner = place::operation(&e.method, &e.path);
                add(&mut wire.by_operation, owner, i);
            }
            for node in [&c.old_node, &c.new_node].into_iter().flatten() {
                if let Some(name) = node.schema() {
                    add(&mut wire.by_component, name.to_string(), i);
                }
            }
        }
        wire
    }

    /// The wire changes closest to `place`: those at it, else those whose
    /// pointers pass through it (a change inside a property's schema for
    /// the property's field), else, for a member, those at its owner (a
    /// path whose parameters were renamed, a schema restructured).
    fn closest(&self, place: &Place) -> Vec<usize> {
        let found = |map: &HashMap<Place, Vec<usize>>, p: &Place| map.get(p).cloned();
        found(&self.at, place)
            .or_else(|| found(&self.through, place))
            .or_else(|| {
                place
                    .member
                    .as_ref()
                    .and_then(|_| found(&self.at, &place.owner_only()))
            })
            .unwrap_or_default()
    }

    /// The wire changes that share a scope with a Rust API change no wire
    /// change is placed at: those of its operation, or of the component its
    /// type comes from, else of the operations that use the type. A type
    /// renamed because of a change elsewhere in its component lands here.
    fn in_scope(&self, sc: &SurfaceChange, by_id: &HashMap<String, Owner>) -> Vec<usize> {
        let of_operation = |owner: Option<&Owner>| {
            owner
                .and_then(|o| self.by_operation.get(o))
                .cloned()
                .unwrap_or_default()
        };
        match &sc.origin {
            Origin::Operation {
                operation_id,
                method,
                path,
            } => match method.is_empty() {
                true => of_operation(by_id.get(operation_id)),
                false => of_operation(Some(&place::operation(method, path))),
            },
            Origin::Schema {
                component, used_by, ..
            } => match component.as_ref().and_then(|c| self.by_component.get(c)) {
                Some(in_component) => in_component.clone(),
                None => {
                    let mut all: Vec<usize> = used_by
                        .iter()
                        .flat_map(|id| of_operation(by_id.get(id)))
                        .collect();
                    all.sort_unstable();
                    all.dedup();
                    all
                }
            },
            Origin::Generator => Vec::new(),
        }
    }
}

fn add<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Vec<usize>>, key: K, i: usize) {
    let list = map.entry(key).or_default();
    if list.last() != Some(&i) {
        list.push(i);
    }
}

/// Marks the spec changes behind each Rust API change: those at the place
/// in the generated API the change is about, else those in its scope.
pub fn attribute(old: &Value, new: &Value, surface: &[SurfaceChange], changes: &mut Vec<Change>) {
    // operationId -> operation, from both sides
    let mut by_id = HashMap::new();
    for root in [old, new] {
        for op in upstash_api_codegen::operations(root).values() {
            if let Some(id) = op.operation_id() {
                by_id.insert(id.to_string(), place::operation(&op.method, op.path));
            }
        }
    }
    let wire = Wire::of(changes, old, new);
    let mut extra = Vec::new();
    for sc in surface {
        let mut chosen = place::of_surface(sc, |id| by_id.get(id).cloned())
            .map(|p| wire.closest(&p))
            .unwrap_or_default();
        if chosen.is_empty() {
            chosen = wire.in_scope(sc, &by_id);
        }
        if !sc.breaking && !chosen.is_empty() {
            for i in chosen {
                changes[i].adds_to_rust_api = true;
            }
            continue;
        }
        let note = format!("{} ({})", sc.item, sc.kind.rule_id());
        if chosen.is_empty() {
            // Where the item comes from, so the change has a place in the file.
            let (endpoint, scope) = match &sc.origin {
                Origin::Operation { method, path, .. } if !method.is_empty() => {
                    let (method, path) = (method.clone(), path.clone());
                    let scope = Scope::Operation {
                        method: method.to_ascii_lowercase(),
                        path: path.clone(),
                    };
                    (Some(Endpoint { method, path }), Some(scope))
                }
                Origin::Schema {
                    component: Some(c), ..
                } => {
                    let (kind, name) = ("schemas".into(), c.clone());
                    (None, Some(Scope::Component { kind, name }))
                }
                _ => (None, None),
            };
            let message = format!("Rust API: {}", sc.message());
            let mut change = Change::new(Rule::RustApiChanged, endpoint, message);
            let from = scope.map(|scope| NodePath {
                scope,
                inside: Vec::new(),
            });
            change.old_node.clone_from(&from);
            change.new_node = from;
            change.values(
                sc.old.clone().map(Value::String),
                sc.new.clone().map(Value::String),
            );
            // Never dropped: one that breaks nothing is an addition of its own.
            if sc.breaking {
                change.rust_api.push(note);
            } else {
                change.severity = Severity::NonBreaking;
                change.adds_to_rust_api = true;
            }
            extra.push(change);
            continue;
        }
        for i in chosen {
            let c = &mut changes[i];
            if c.severity == Severity::NonBreaking {
                c.severity = Severity::SdkBreaking;
            }
            if !c.rust_api.contains(&note) {
                c.rust_api.push(note.clone());
            }
        }
    }
    // Rules that are sdk-breaking only because of what the generator usually
    // does stand down when the generated API shows no breaking difference
    // for them (progenitor keeps readOnly fields in request types, for
    // instance, so a property that became readOnly breaks no Rust code).
    for c in changes.iter_mut() {
        if c.rule.severity() == Severity::SdkBreaking
            && c.severity == Severity::SdkBreaking
            && c.rust_api.is_empty()
        {
            c.severity = Severity::NonBreaking;
        }
    }
    changes.extend(extra);
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::spec_diff::sdk::surface::{Breakage, ChangeKind};

    fn field_type_changed(item: &str, rust_type: &str) -> SurfaceChange {
        SurfaceChange {
            item: item.to_string(),
            kind: ChangeKind::FieldTypeChanged,
            breakage: Breakage::Compile,
            breaking: true,
            origin: Origin::Schema {
                rust_type: rust_type.to_string(),
                component: Some("Database".to_string()),
                used_by: Vec::new(),
            },
            old: Some("i32".to_string()),
            new: Some("i64".to_string()),
        }
    }

    fn at(rule: Rule, pointer: &str) -> Change {
        let mut change = Change::new(rule, None, "x");
        change.at(Some(pointer), Some(pointer));
        change
    }

    /// What a change is about is where it points, not what its rule is
    /// called: a rule no family list names still gets the field it is at.
    #[test]
    fn a_rust_difference_goes_to_the_change_at_its_place_whatever_the_rule() {
        let doc = json!({});
        let mut changes = vec![
            at(
                Rule::ResponseHeaderAdded,
                "/components/schemas/Database/properties/size",
            ),
            at(
                Rule::ResponsePropertyAdded,
                "/components/schemas/Database/properties/name",
            ),
        ];
        let surface = [field_type_changed("types::Database::size", "Database")];
        attribute(&doc, &doc, &surface, &mut changes);
        assert_eq!(changes[0].severity, Severity::SdkBreaking);
        assert_eq!(
            changes[0].rust_api,
            ["types::Database::size (sdk-field-type-changed)"]
        );
        assert!(changes[1].rust_api.is_empty(), "{:?}", changes[1]);
        assert_eq!(changes.len(), 2, "no rust-api-changed of its own");
    }

    /// A change inside a property's schema (its enum) is behind the field's
    /// type when nothing is at the field itself.
    #[test]
    fn a_change_inside_a_property_explains_its_field() {
        let doc = json!({});
        let mut changes = vec![
            at(
                Rule::ResponseEnumValueRemoved,
                "/components/schemas/Database/properties/size/enum",
            ),
            at(
                Rule::ResponsePropertyAdded,
                "/components/schemas/Database/properties/name",
            ),
        ];
        let surface = [field_type_changed("types::Database::size", "Database")];
        attribute(&doc, &doc, &surface, &mut changes);
        assert!(!changes[0].rust_api.is_empty());
        assert!(changes[1].rust_api.is_empty());
    }

    /// With no change at its place or in its scope, a difference is
    /// reported on its own, never dropped.
    #[test]
    fn an_unexplained_difference_is_reported_on_its_own() {
        let doc = json!({});
        let mut changes = vec![at(
            Rule::ResponsePropertyAdded,
            "/components/schemas/Team/properties/x",
        )];
        let surface = [field_type_changed("types::Database::size", "Database")];
        attribute(&doc, &doc, &surface, &mut changes);
        assert_eq!(changes.len(), 2);
        assert_eq!(changes[1].rule, Rule::RustApiChanged);
        assert_eq!(changes[1].severity, Severity::SdkBreaking);
    }
}
