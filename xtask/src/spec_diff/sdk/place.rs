//! Where a spec node ends up in the generated Rust API: the meeting point of
//! a wire change (a JSON pointer) and a Rust API change (an item path).
//!
//! A [`Place`] is an owner (an operation, or a generated type) and maybe one
//! of its members (a parameter, field, variant, the body, or `send`'s
//! success or error type). Both sides are named the way the generator names
//! them, compared loosely (codegen's `loose_name`: case and separators
//! ignored): a component schema `Database` is the type `Database`; its
//! property `state` is the member `state` of that type and, when its schema
//! is inline, the type `DatabaseState`; array items add `Item`, map values
//! `Value`; an operation's inline request body is `{OperationId}Body`, its
//! inline success answer `{OperationId}Response`.

use std::collections::BTreeMap;

use serde_json::Value;

use super::super::change::Change;
use upstash_api_codegen::{
    METHODS, NodePath, Scope, escape_segment, loose_name as loose, resolve, template_shape,
};

use super::surface::{ChangeKind, Origin, SurfaceChange};

/// What a place belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Owner {
    /// An operation: its `Client` method and `builder::*` type. Upper-case
    /// method and normalised path (`/db/{}`), so renamed path parameters
    /// meet.
    Operation(String, String),
    /// A generated type, by its loose name (`databasestate`).
    Type(String),
}

/// A place in the generated Rust API.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Place {
    /// The operation or type.
    pub owner: Owner,
    /// A member of it, by its loose name: a parameter, field or variant name, `body`,
    /// or `send:ok` / `send:err` for `send()`'s success type and its error
    /// responses (the Rust error type is the SDK's whatever they are, so
    /// only wire changes are at `send:err`).
    pub member: Option<String>,
}

impl Place {
    fn whole(owner: Owner) -> Place {
        Place {
            owner,
            member: None,
        }
    }

    fn member(owner: &Owner, member: String) -> Place {
        Place {
            owner: owner.clone(),
            member: Some(member),
        }
    }

    /// The place of the whole owner.
    pub fn owner_only(&self) -> Place {
        Place::whole(self.owner.clone())
    }
}

/// The place the operation `method path` has.
pub fn operation(method: &str, path: &str) -> Owner {
    Owner::Operation(method.to_ascii_uppercase(), template_shape(path).0)
}

/// The places a wire change touches, outermost first: the owners and
/// members its nodes pass through in `old` and `new` (each node read in
/// its own document). The last place of each chain is the node the change
/// is at.
///
/// A node in an inline enum the build shares by concept (`shared`, codegen's
/// `shared_enum_types` of each side) is in that concept's type as well:
/// the chain ends at it.
pub fn of_change(
    change: &Change,
    [old, new]: [&Value; 2],
    shared: [&BTreeMap<String, String>; 2],
) -> Vec<Vec<Place>> {
    let endpoint = change.endpoint.as_ref().map(|e| &e.method);
    [
        (&change.old_node, old, shared[0]),
        (&change.new_node, new, shared[1]),
    ]
    .into_iter()
    .filter_map(|(node, root, shared)| {
        let node = node.as_ref()?;
        let mut chains = of_node(node, root, endpoint);
        if let Some(concept) = shared_type(&node.pointer(), shared) {
            for chain in &mut chains {
                chain.push(Place::whole(Owner::Type(loose(concept))));
            }
        }
        Some(chains)
    })
    .flatten()
    .collect()
}

/// The shared enum type the node at `pointer` is in, if any: the one
/// whose schema's pointer is `pointer` or one of its ancestors.
fn shared_type<'a>(pointer: &str, shared: &'a BTreeMap<String, String>) -> Option<&'a str> {
    let mut at = pointer;
    loop {
        if let Some(name) = shared.get(at) {
            return Some(name);
        }
        at = &at[..at.rfind('/')?];
    }
}

/// The chains of places `node` passes through in `root`; more than one
/// when it is in a path item shared by several operations and the
/// change's `endpoint` method does not single one out.
fn of_node(node: &NodePath, root: &Value, endpoint: Option<&String>) -> Vec<Vec<Place>> {
    let inside: Vec<&str> = node.inside.iter().map(String::as_str).collect();
    // The operation's or the path item's own pointer.
    let at = NodePath {
        scope: node.scope.clone(),
        inside: Vec::new(),
    }
    .pointer();
    let (path, methods) = match &node.scope {
        Scope::Component { kind, name } if kind == "schemas" => {
            let mut chain = Vec::new();
            schema(&mut chain, loose(name), &inside);
            return vec![chain];
        }
        Scope::Operation { method, path } => (path, vec![method.clone()]),
        Scope::PathItem { path } => match endpoint {
            Some(method) => (path, vec![method.to_ascii_lowercase()]),
            None => {
                let item = root.pointer(&at).and_then(Value::as_object);
                let keys = item.into_iter().flat_map(|i| i.keys());
                let methods = keys.filter(|k| METHODS.contains(&k.as_str()));
                (path, methods.cloned().collect())
            }
        },
        _ => return Vec::new(),
    };
    methods
        .iter()
        .map(|method| {
            let owner = operation(method, path);
            let mut chain = vec![Place::whole(owner.clone())];
            operation_part(&mut chain, &owner, root, &at, path, method, &inside);
            chain
        })
        .collect()
}

/// The places inside an operation (or, for a path item's shared
/// parameters, inside each of its operations) that `rest` leads to;
/// `node` is the pointer of the operation or path item.
fn operation_part(
    chain: &mut Vec<Place>,
    owner: &Owner,
    root: &Value,
    node: &str,
    path: &str,
    method: &str,
    rest: &[&str],
) {
    let operation_id = || {
        let pointer = format!("/paths/{}/{method}/operationId", escape_segment(path));
        root.pointer(&pointer)
            .and_then(Value::as_str)
            .map(loose)
            .unwrap_or_default()
    };
    match rest {
        ["parameters", index, rest @ ..] => {
            let parameter = root
                .pointer(&format!("{node}/parameters/{index}"))
                .and_then(|p| resolve(root, p))
                .and_then(|(p, _)| p.get("name")?.as_str());
            if let Some(name) = parameter {
                chain.push(Place::member(owner, loose(name)));
                if let ["schema", rest @ ..] = rest {
                    schema(chain, operation_id() + &loose(name), rest);
                }
            }
        }
        ["requestBody", rest @ ..] => {
            chain.push(Place::member(owner, "body".into()));
            if let ["content", _, "schema", rest @ ..] = rest {
                schema(chain, operation_id() + "body", rest);
            }
        }
        ["responses", status, rest @ ..] => {
            let part = if status.starts_with('2') {
                "send:ok"
            } else {
                "send:err"
            };
            chain.push(Place::member(owner, part.into()));
            if let ["content", _, "schema", rest @ ..] = rest {
                schema(chain, operation_id() + "response", rest);
            }
        }
        _ => {}
    }
}

/// The places a pointer inside the schema of the type `name` passes
/// through: each property is a member of the type it is in, and the type of
/// its own.
fn schema(chain: &mut Vec<Place>, mut name: String, rest: &[&str]) {
    chain.push(Place::whole(Owner::Type(name.clone())));
    let mut rest = rest;
    loop {
        match rest {
            ["properties", property, tail @ ..] => {
                let owner = Owner::Type(name.clone());
                chain.push(Place::member(&owner, loose(property)));
                name.push_str(&loose(property));
                rest = tail;
            }
            ["items", tail @ ..] => {
                name.push_str("item");
                rest = tail;
            }
            ["additionalProperties", tail @ ..] => {
                name.push_str("value");
                rest = tail;
            }
            // typify merges `allOf` into one type, and `oneOf`/`anyOf` are
            // the variants of the type itself.
            ["allOf" | "oneOf" | "anyOf", _, tail @ ..] => {
                rest = tail;
                continue;
            }
            _ => return,
        }
        chain.push(Place::whole(Owner::Type(name.clone())));
    }
}

/// The place of the Rust item a surface change is about, if it has one:
/// `types::Database::state` is the member `state` of the type `Database`;
/// `builder::GetDatabase::limit` the member `limit` of its operation.
pub fn of_surface(
    sc: &SurfaceChange,
    operation_of: impl Fn(&str) -> Option<Owner>,
) -> Option<Place> {
    let segments: Vec<&str> = sc.item.split("::").collect();
    match &sc.origin {
        Origin::Operation {
            operation_id,
            method,
            path,
        } => {
            let owner = if method.is_empty() {
                operation_of(operation_id)?
            } else {
                operation(method, path)
            };
            let member = match segments.as_slice() {
                ["builder", _, "send"] => match sc.kind {
                    ChangeKind::ResponseTypeChanged => Some("send:ok".to_string()),
                    ChangeKind::ErrorResponseTypeChanged => Some("send:err".to_string()),
                    _ => None,
                },
                ["builder", _, "body" | "body_map"] => Some("body".to_string()),
                ["builder", _, member] => Some(loose(member)),
                _ => None,
            };
            Some(Place { owner, member })
        }
        Origin::Schema { rust_type, .. } => {
            let member = match segments.as_slice() {
                ["types", "builder", _, member] | ["types", _, member] => Some(loose(member)),
                _ => None,
            };
            Some(Place {
                owner: Owner::Type(loose(rust_type)),
                member,
            })
        }
        Origin::Generator => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn of_pointer(pointer: &str, root: &Value, method: Option<&String>) -> Vec<Vec<Place>> {
        of_node(&NodePath::from_pointer(pointer), root, method)
    }

    fn ty(name: &str, member: Option<&str>) -> Place {
        Place {
            owner: Owner::Type(name.into()),
            member: member.map(str::to_string),
        }
    }

    #[test]
    fn a_property_is_a_member_of_its_type_and_a_type_of_its_own() {
        let chains = of_pointer(
            "/components/schemas/QStash_User/properties/state/enum",
            &json!({}),
            None,
        );
        assert_eq!(
            chains,
            [vec![
                ty("qstashuser", None),
                ty("qstashuser", Some("state")),
                ty("qstashuserstate", None)
            ]]
        );
    }

    #[test]
    fn items_and_map_values_are_types_of_their_own() {
        let chains = of_pointer(
            "/components/schemas/Team/properties/members/items/additionalProperties/format",
            &json!({}),
            None,
        );
        let last = chains[0].last().cloned();
        assert_eq!(last, Some(ty("teammembersitemvalue", None)));
    }

    #[test]
    fn a_parameter_is_named_through_its_reference() {
        let root = json!({
            "paths": {"/db/{id}": {"get": {
                "operationId": "getDatabase",
                "parameters": [{"$ref": "#/components/parameters/Limit"}]
            }}},
            "components": {"parameters": {"Limit": {"name": "page-limit", "in": "query"}}}
        });
        let chains = of_pointer(
            "/paths/~1db~1{id}/get/parameters/0/schema/enum",
            &root,
            None,
        );
        let owner = operation("get", "/db/{x}");
        assert_eq!(
            chains,
            [vec![
                Place::whole(owner.clone()),
                Place::member(&owner, "pagelimit".into()),
                ty("getdatabasepagelimit", None)
            ]]
        );
    }

    #[test]
    fn a_path_item_is_every_operation_in_it_unless_the_change_names_one() {
        let root = json!({"paths": {"/db": {"get": {}, "post": {}, "summary": "x"}}});
        let all = of_pointer("/paths/~1db", &root, None);
        assert_eq!(all.len(), 2);
        let one = of_pointer("/paths/~1db", &root, Some(&"POST".to_string()));
        assert_eq!(one, [vec![Place::whole(operation("post", "/db"))]]);
    }

    #[test]
    fn answers_are_the_success_or_the_error_type_of_send() {
        let root = json!({"paths": {"/db": {"get": {"operationId": "listDatabases"}}}});
        let ok = of_pointer(
            "/paths/~1db/get/responses/200/content/application~1json/schema/items",
            &root,
            None,
        );
        let owner = operation("get", "/db");
        assert_eq!(
            ok[0],
            [
                Place::whole(owner.clone()),
                Place::member(&owner, "send:ok".into()),
                ty("listdatabasesresponse", None),
                ty("listdatabasesresponseitem", None)
            ]
        );
        let err = of_pointer("/paths/~1db/get/responses/default", &root, None);
        assert_eq!(err[0][1], Place::member(&owner, "send:err".into()));
    }
}
