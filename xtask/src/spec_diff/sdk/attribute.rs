//! Attributing each Rust API change to the wire changes behind it. A
//! breaking one: those that were `non-breaking` on the wire become
//! `sdk-breaking`, and a difference no wire change explains becomes a
//! `rust-api-changed` change of its own. One that breaks nothing (an
//! addition or a relaxation) marks its wire changes as adding to the Rust
//! API, for the version bump they demand.

use std::collections::HashMap;

use serde_json::Value;

use super::super::change::{Change, Endpoint};
use super::super::load::operations::{self, normalise_path};
use super::super::load::pointer::escape;
use super::super::rules::{Rule, Severity};
use super::surface::{ChangeKind, Origin, SurfaceChange};

/// The wire rules a kind of Rust API change usually comes from, as parts
/// of their ids (`parameter-added` stands for the request-required and
/// request-optional ones).
fn family(kind: ChangeKind) -> &'static [&'static str] {
    use ChangeKind::*;
    match kind {
        MethodAdded | MethodRemoved | MethodSignatureChanged => &[
            "operation-id-changed",
            "operation-added",
            "operation-removed",
            "path-parameter-renamed",
        ],
        ParameterAdded { .. } => &[
            "parameter-added",
            "body-added",
            "parameter-renamed",
            "parameter-moved",
        ],
        ParameterRemoved => &[
            "parameter-removed",
            "parameter-renamed",
            "parameter-moved",
            "body-removed",
        ],
        ParameterBecameRequired | ParameterBecameOptional => &["parameter-became", "body-became"],
        ResponseTypeChanged | ErrorResponseTypeChanged => &[
            "status-added",
            "response-status-removed",
            "response-media-type",
            "response-type-changed",
        ],
        VariantAdded | VariantRemoved | VariantPayloadChanged => &["enum-value", "-variant-"],
        FieldAdded { .. } | BuilderSetterAdded { .. } => &["property-added"],
        FieldRemoved | BuilderSetterRemoved => &["property-removed"],
        FieldTypeChanged
        | BuilderSetterTypeChanged
        | BuilderSetterBecameRequired
        | BuilderSetterBecameOptional
        | ParameterTypeChanged => &[
            "property-became",
            "nullable",
            "type-changed",
            "format-changed",
            "-widened",
            "additional-properties",
            "constraint",
        ],
        _ => &[],
    }
}

fn endpoint_key(method: &str, path: &str) -> (String, String) {
    (method.to_ascii_uppercase(), normalise_path(path).0)
}

/// Marks the spec changes behind each breaking Rust API change.
pub fn attribute(old: &Value, new: &Value, surface: &[SurfaceChange], changes: &mut Vec<Change>) {
    // operationId -> endpoint key, from both sides
    let mut by_id = HashMap::new();
    for root in [old, new] {
        for op in operations::operations(root).values() {
            if let Some(id) = op.operation_id() {
                by_id.insert(id.to_string(), endpoint_key(&op.method, op.path));
            }
        }
    }
    // Indexes, so that attribution stays linear in the number of changes.
    let mut by_endpoint: HashMap<(String, String), Vec<usize>> = HashMap::new();
    let mut by_component: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, c) in changes.iter().enumerate() {
        if let Some(e) = &c.endpoint {
            by_endpoint
                .entry(endpoint_key(&e.method, &e.path))
                .or_default()
                .push(i);
        }
        let mut names: Vec<&str> = [&c.old_pointer, &c.new_pointer]
            .iter()
            .filter_map(|p| p.as_deref()?.strip_prefix("/components/schemas/"))
            .map(|rest| rest.split('/').next().unwrap_or(rest))
            .collect();
        names.dedup();
        for name in names {
            by_component.entry(name.to_string()).or_default().push(i);
        }
    }
    let mut extra = Vec::new();
    for sc in surface {
        let in_scope: Vec<usize> = match &sc.origin {
            Origin::Operation {
                operation_id,
                method,
                path,
            } => {
                let key = if method.is_empty() {
                    by_id.get(operation_id).cloned()
                } else {
                    Some(endpoint_key(method, path))
                };
                key.and_then(|k| by_endpoint.get(&k).cloned())
                    .unwrap_or_default()
            }
            // A component's changes; for a component no change is in (one
            // just added, say), the changes of the operations that use it.
            Origin::Schema {
                component, used_by, ..
            } => match component
                .as_ref()
                .and_then(|c| by_component.get(escape(c).as_ref()))
            {
                Some(in_component) => in_component.clone(),
                None => {
                    let mut all: Vec<usize> = used_by
                        .iter()
                        .filter_map(|id| by_endpoint.get(by_id.get(id)?))
                        .flatten()
                        .copied()
                        .collect();
                    all.sort_unstable();
                    all.dedup();
                    all
                }
            },
            Origin::Generator => Vec::new(),
        };
        // The wire changes of the kind's family, those of them about the
        // item's part when there are any; else every change in scope but
        // documentation.
        let pick = |from: &[usize], keep: &dyn Fn(&Change) -> bool| -> Vec<usize> {
            from.iter()
                .copied()
                .filter(|&i| keep(&changes[i]))
                .collect()
        };
        let wanted = family(sc.kind);
        let in_family = pick(&in_scope, &|c| {
            wanted.iter().any(|w| c.rule.id().contains(w))
        });
        // A type added, removed or remade comes from the schema it is
        // generated from: the changes at that schema, when there are any,
        // not every change of the component it sits in.
        let mut chosen = match generated_type(sc) {
            Some(name) => pick(&in_scope, &|c| names_type(c, name)),
            None => Vec::new(),
        };
        if chosen.is_empty() {
            chosen = pick(&in_family, &|c| mentions(c, sc));
        }
        if chosen.is_empty() {
            chosen = in_family;
        }
        if chosen.is_empty() {
            chosen = pick(&in_scope, &|c| c.severity != Severity::Docs);
        }
        if !sc.breaking && !chosen.is_empty() {
            for i in chosen {
                changes[i].adds_to_rust_api = true;
            }
            continue;
        }
        let note = format!("{} ({})", sc.item, sc.kind.rule_id());
        if chosen.is_empty() {
            let endpoint = match &sc.origin {
                Origin::Operation { method, path, .. } if !method.is_empty() => Some(Endpoint {
                    method: method.clone(),
                    path: path.clone(),
                }),
                _ => None,
            };
            let message = format!("Rust API: {}", sc.message());
            let mut change = Change::new(Rule::RustApiChanged, endpoint, message);
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

/// The Rust type a type-level change is about (`types::DatabaseState`
/// added, removed or of another kind), if it is one.
fn generated_type(sc: &SurfaceChange) -> Option<&str> {
    let type_level = matches!(
        sc.kind,
        ChangeKind::TypeAdded | ChangeKind::TypeRemoved | ChangeKind::TypeKindChanged
    );
    let name = sc.item.strip_prefix("types::")?;
    (type_level && !name.contains("::")).then_some(name)
}

/// Whether one of `change`'s pointers is the schema typify names
/// `rust_type`: a component (`Database`), or a property or item inside one,
/// named by appending each property (`Database` `state` -> `DatabaseState`)
/// or `Item`.
fn names_type(change: &Change, rust_type: &str) -> bool {
    let wanted = squash(rust_type);
    [change.old_pointer.as_deref(), change.new_pointer.as_deref()]
        .into_iter()
        .flatten()
        .any(|pointer| {
            let Some(rest) = pointer.strip_prefix("/components/schemas/") else {
                return false;
            };
            let mut segments = rest.split('/');
            let mut name = segments.next().map(squash).unwrap_or_default();
            while let Some(segment) = segments.next() {
                match segment {
                    "properties" => match segments.next() {
                        Some(property) => name.push_str(&squash(property)),
                        None => return false,
                    },
                    "items" => name.push_str("item"),
                    _ => return false,
                }
            }
            name == wanted
        })
}

/// Letters and digits only, lower case: `backup-id`, `backupId` and
/// `backup_id` all become `backupid`, so JSON names meet Rust names.
fn squash(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Whether `change` is about the part of the Rust item `sc` names: the
/// success or error responses for `send()` type changes, or the field,
/// variant or parameter named by the item's last path segment.
fn mentions(change: &Change, sc: &SurfaceChange) -> bool {
    let pointers = [change.old_pointer.as_deref(), change.new_pointer.as_deref()];
    let success = |p: &str| p.contains("/responses/2");
    match sc.kind {
        ChangeKind::ResponseTypeChanged => {
            return pointers.iter().flatten().any(|p| success(p));
        }
        ChangeKind::ErrorResponseTypeChanged => {
            return pointers
                .iter()
                .flatten()
                .any(|p| p.contains("/responses/") && !success(p));
        }
        _ => {}
    }
    let segments: Vec<&str> = sc.item.split("::").collect();
    let last = match segments.as_slice() {
        ["types", "builder", _, last] | ["types", _, last] | ["builder", _, last] => squash(last),
        _ => return false,
    };
    let in_pointer = pointers.iter().flatten().any(|p| {
        let mut parts = p.rsplit('/');
        match (parts.next(), parts.next()) {
            (Some(name), Some("properties")) => squash(name) == last,
            _ => false,
        }
    });
    let in_values = [&change.old, &change.new].iter().any(|v| {
        v.as_ref()
            .and_then(Value::as_str)
            .is_some_and(|s| squash(s) == last)
    });
    in_pointer || in_values
}
