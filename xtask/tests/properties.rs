//! Property tests over generated specs: a spec compared with itself has no
//! changes, and swapping the sides swaps added and removed (every change with
//! an inverse rule shows up inverted, with its pointers swapped).

use proptest::prelude::*;
use serde_json::{Map, Value, json};

use xtask::spec_diff::diff;
use xtask::spec_diff::rules::Rule;

const NAMES: &[&str] = &["id", "name", "state", "size", "tags", "owner"];
const PATHS: &[&str] = &["/db", "/db/{id}", "/db/{id}/backup", "/team/{team_id}"];
const METHODS: &[&str] = &["get", "post", "delete"];
const STATUSES: &[&str] = &["200", "201", "400", "404"];

fn leaf() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(vec!["string", "integer", "boolean", "number"]),
        prop::option::of(prop::collection::vec(
            prop::sample::select(vec!["a", "b", "c", "d"]),
            1..4,
        )),
        prop::option::of(1u32..100),
        any::<bool>(),
        any::<bool>(),
        prop::option::of(prop::sample::select(vec!["", "^a", "^b"])),
        prop::option::of(0u32..3),
    )
        .prop_map(
            |(ty, enumeration, max, nullable, deprecated, pattern, default)| {
                let mut m = Map::new();
                m.insert("type".into(), json!(ty));
                if let (Some(values), "string") = (&enumeration, ty) {
                    // extensible values too, so both enum kinds vary
                    m.insert(
                        "x-extensible-enum".into(),
                        json!(values.iter().rev().collect::<Vec<_>>()),
                    );
                }
                if let (Some(p), "string") = (pattern, ty) {
                    m.insert("pattern".into(), json!(p));
                }
                if let Some(d) = default {
                    m.insert("default".into(), json!(d));
                }
                if let (Some(values), "string") = (&enumeration, ty) {
                    let mut v = values.clone();
                    v.dedup();
                    m.insert("enum".into(), json!(v));
                }
                if let Some(max) = max {
                    let key = if ty == "string" {
                        "maxLength"
                    } else {
                        "maximum"
                    };
                    if ty != "boolean" {
                        m.insert(key.into(), json!(max));
                    }
                }
                if nullable {
                    m.insert("nullable".into(), json!(true));
                }
                if deprecated {
                    m.insert("deprecated".into(), json!(true));
                }
                Value::Object(m)
            },
        )
}

fn schema() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 24, 5, |inner| {
        prop_oneof![
            (
                prop::collection::btree_map(
                    prop::sample::select(NAMES.to_vec()),
                    inner.clone(),
                    0..5
                ),
                prop::collection::vec(prop::sample::select(NAMES.to_vec()), 0..3),
                prop::option::of(any::<bool>()),
            )
                .prop_map(|(props, required, additional)| {
                    let mut m = Map::new();
                    m.insert("type".into(), json!("object"));
                    let required: Vec<&str> = required
                        .into_iter()
                        .filter(|r| props.contains_key(r))
                        .collect::<std::collections::BTreeSet<_>>()
                        .into_iter()
                        .collect();
                    m.insert("properties".into(), json!(props));
                    if !required.is_empty() {
                        m.insert("required".into(), json!(required));
                    }
                    if let Some(a) = additional {
                        m.insert("additionalProperties".into(), json!(a));
                    }
                    Value::Object(m)
                }),
            inner
                .clone()
                .prop_map(|items| json!({"type": "array", "items": items})),
            prop::collection::vec(inner.clone(), 1..3)
                .prop_map(|alternatives| json!({"oneOf": alternatives})),
            prop::collection::vec(inner.clone(), 1..3)
                .prop_map(|members| json!({"allOf": members})),
            Just(json!({"$ref": "#/components/schemas/Node"})),
            Just(json!({"$ref": "#/components/schemas/Shared"})),
        ]
    })
}

#[derive(Debug, Clone)]
struct Op {
    path: usize,
    method: usize,
    renamed: bool,
    deprecated: bool,
    params: Vec<(usize, bool, bool)>,
    body: Option<(bool, Value)>,
    responses: Vec<(usize, Option<Value>)>,
}

fn op() -> impl Strategy<Value = Op> {
    (
        0..PATHS.len(),
        0..METHODS.len(),
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec((0..NAMES.len(), any::<bool>(), any::<bool>()), 0..3),
        prop::option::of((any::<bool>(), schema())),
        prop::collection::vec((0..STATUSES.len(), prop::option::of(schema())), 1..3),
    )
        .prop_map(
            |(path, method, renamed, deprecated, params, body, responses)| Op {
                path,
                method,
                renamed,
                deprecated,
                params,
                body,
                responses,
            },
        )
}

fn spec() -> impl Strategy<Value = Value> {
    (
        prop::collection::vec(op(), 0..6),
        leaf(),
        prop::sample::select(vec!["1.0.0", "1.1.0"]),
        any::<bool>(),
    )
        .prop_map(|(ops, shared, version, secured)| {
            let mut paths = Map::new();
            for op in ops {
                let path = PATHS[op.path];
                let method = METHODS[op.method];
                paths.entry(path.to_string()).or_insert_with(|| json!({}));
                let mut o = Map::new();
                let id = format!(
                    "{}{}{}",
                    method,
                    path.replace(['/', '{', '}'], "_"),
                    if op.renamed { "_v2" } else { "" }
                );
                o.insert("operationId".into(), json!(id));
                if op.deprecated {
                    o.insert("deprecated".into(), json!(true));
                }
                let mut params = Vec::new();
                for name in path.split('/').filter_map(|s| s.strip_prefix('{')?.strip_suffix('}')) {
                    params.push(json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}));
                }
                let mut seen = std::collections::BTreeSet::new();
                for (n, header, required) in op.params {
                    let location = if header { "header" } else { "query" };
                    if seen.insert((n, location)) {
                        let schema = match n % 3 {
                            0 => json!({"type": "string"}),
                            1 => json!({"type": "integer", "default": n}),
                            _ => json!({"type": "number", "default": 1}),
                        };
                        params.push(json!({"name": format!("p_{}", NAMES[n]), "in": location, "required": required, "schema": schema}));
                    }
                }
                o.insert("parameters".into(), Value::Array(params));
                if let Some((required, schema)) = op.body {
                    o.insert(
                        "requestBody".into(),
                        json!({"required": required, "content": {"application/json": {"schema": schema}}}),
                    );
                }
                let mut responses = Map::new();
                for (s, schema) in op.responses {
                    let mut r = json!({"description": "r"});
                    if let Some(schema) = schema {
                        r["content"] = json!({"application/json": {"schema": schema}});
                    }
                    responses.insert(STATUSES[s].to_string(), r);
                }
                o.insert("responses".into(), Value::Object(responses));
                if let Some(Value::Object(item)) = paths.get_mut(path) {
                    item.insert(method.to_string(), Value::Object(o));
                }
            }
            json!({
                "openapi": "3.0.3",
                "info": {"title": "generated", "version": version},
                "servers": [{"url": if secured { "https://a.example.com" } else { "https://b.example.com" }}],
                "security": if secured { json!([{"basicAuth": []}]) } else { json!([]) },
                "paths": paths,
                "components": {
                    "schemas": {
                        "Node": {"type": "object", "properties": {"name": {"type": "string"}, "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}}},
                        "Shared": shared,
                    },
                    "securitySchemes": {"basicAuth": {"type": "http", "scheme": "basic"}},
                },
            })
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn a_spec_compared_with_itself_has_no_changes(a in spec()) {
        let changes = diff::diff(&a, &a);
        prop_assert!(changes.is_empty(), "{:?}", changes.iter().map(|c| c.rule.id()).collect::<Vec<_>>());
        // a deep copy too, so identity shortcuts cannot hide anything
        let b = a.clone();
        prop_assert!(diff::diff(&a, &b).is_empty());
    }

    #[test]
    fn swapping_the_sides_swaps_added_and_removed(a in spec(), b in spec()) {
        let forward = diff::diff(&a, &b);
        let backward = diff::diff(&b, &a);
        for c in &forward {
            let Some(inverse) = c.rule.inverse() else { continue };
            prop_assert!(
                backward.iter().any(|x| x.rule == inverse
                    && x.old_node == c.new_node
                    && x.new_node == c.old_node),
                "{} ({:?} -> {:?}): no {} when swapped; backward: {:?}",
                c.rule, c.old_node, c.new_node, inverse,
                backward.iter().map(|x| (x.rule.id(), x.old_node.clone(), x.new_node.clone())).collect::<Vec<_>>()
            );
        }
        let count = |changes: &[xtask::spec_diff::change::Change], rule: Rule| changes.iter().filter(|c| c.rule == rule).count();
        prop_assert_eq!(count(&forward, Rule::OperationAdded), count(&backward, Rule::OperationRemoved));
        prop_assert_eq!(count(&forward, Rule::OperationRemoved), count(&backward, Rule::OperationAdded));
        prop_assert_eq!(count(&forward, Rule::ServerAdded), count(&backward, Rule::ServerRemoved));
    }
}
