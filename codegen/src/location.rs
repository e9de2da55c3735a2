//! Where a node is in an OpenAPI document, by what it belongs to: an
//! operation, a path item, a component or the document itself, and the
//! path inside that. A JSON pointer read once into this shape, so no
//! later reader splits pointers again.

use std::fmt;

use crate::operations::METHODS;
use crate::pointer::{escape_segment, pointer_segments};

/// What a node belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Scope {
    /// An operation: its method as the document spells it (`get`) and its
    /// path template as written.
    Operation {
        /// Lower-case method.
        method: String,
        /// Path template.
        path: String,
    },
    /// A path item outside its operations (its shared parameters, say).
    PathItem {
        /// Path template.
        path: String,
    },
    /// A component: its section (`schemas`, `parameters`, ...) and name.
    Component {
        /// The section of `components`.
        kind: String,
        /// The component's name.
        name: String,
    },
    /// Anything else (`info`, `servers`, `security`, the root).
    Document,
}

/// A node of a document: its scope and the segments from there to it,
/// unescaped.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NodePath {
    /// What the node belongs to.
    pub scope: Scope,
    /// The segments inside the scope: `["properties", "state"]`.
    pub inside: Vec<String>,
}

impl NodePath {
    /// The node a JSON pointer names.
    pub fn from_pointer(pointer: &str) -> NodePath {
        let segments: Vec<String> = pointer_segments(pointer).map(|s| s.into_owned()).collect();
        let (scope, taken) = match segments.as_slice() {
            [paths, path, method, ..] if paths == "paths" && METHODS.contains(&method.as_str()) => {
                let (method, path) = (method.clone(), path.clone());
                (Scope::Operation { method, path }, 3)
            }
            [paths, path, ..] if paths == "paths" => (Scope::PathItem { path: path.clone() }, 2),
            [components, kind, name, ..] if components == "components" => {
                let (kind, name) = (kind.clone(), name.clone());
                (Scope::Component { kind, name }, 3)
            }
            _ => (Scope::Document, 0),
        };
        let inside = segments.into_iter().skip(taken).collect();
        NodePath { scope, inside }
    }

    /// The node's JSON pointer.
    pub fn pointer(&self) -> String {
        self.to_string()
    }

    /// The node's pointer segments, unescaped: the scope's, then those
    /// inside it.
    pub fn segments(&self) -> Vec<&str> {
        let mut segments: Vec<&str> = match &self.scope {
            Scope::Operation { method, path } => vec!["paths", path, method],
            Scope::PathItem { path } => vec!["paths", path],
            Scope::Component { kind, name } => vec!["components", kind, name],
            Scope::Document => Vec::new(),
        };
        segments.extend(self.inside.iter().map(String::as_str));
        segments
    }

    /// The component schema the node is in, if it is in one.
    pub fn schema(&self) -> Option<&str> {
        match &self.scope {
            Scope::Component { kind, name } if kind == "schemas" => Some(name),
            _ => None,
        }
    }
}

/// The JSON pointer.
impl fmt::Display for NodePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for segment in self.segments() {
            write!(f, "/{}", escape_segment(segment))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pointer_reads_into_its_scope_and_back() {
        for (pointer, scope) in [
            (
                "/paths/~1db~1{id}/post/requestBody",
                Scope::Operation {
                    method: "post".into(),
                    path: "/db/{id}".into(),
                },
            ),
            (
                "/paths/~1db/parameters/0",
                Scope::PathItem { path: "/db".into() },
            ),
            (
                "/components/schemas/A~0b/properties/x",
                Scope::Component {
                    kind: "schemas".into(),
                    name: "A~b".into(),
                },
            ),
            ("/servers/0", Scope::Document),
            ("/paths", Scope::Document),
            ("/components/schemas", Scope::Document),
            ("", Scope::Document),
        ] {
            let node = NodePath::from_pointer(pointer);
            assert_eq!(node.scope, scope, "{pointer}");
            assert_eq!(node.pointer(), pointer);
        }
        let inside = NodePath::from_pointer("/components/schemas/A/properties/a~1b").inside;
        assert_eq!(inside, ["properties", "a/b"]);
    }

    #[test]
    fn a_node_knows_the_component_schema_it_is_in() {
        let of = |p| NodePath::from_pointer(p).schema().map(str::to_string);
        assert_eq!(of("/components/schemas/A~1B/items").as_deref(), Some("A/B"));
        assert_eq!(of("/components/responses/A"), None);
        assert_eq!(of("/paths/~1a/get"), None);
    }
}
