//! Writing the model as an OpenAPI document.

use super::model::{Api, Operation, Prop, Schema, SchemaBody, TAGS, Ty};
use super::yaml::{Node, map, s};

impl Api {
    /// The OpenAPI document as a tree.
    pub(super) fn document(&self) -> Node {
        let mut paths: Vec<(String, Node)> = Vec::new();
        for op in &self.operations {
            let operation = self.operation(op);
            match paths.iter_mut().find(|(p, _)| *p == op.path) {
                Some((_, Node::Map(methods))) => methods.push((op.method.to_string(), operation)),
                _ => paths.push((
                    op.path.clone(),
                    Node::Map(vec![(op.method.to_string(), operation)]),
                )),
            }
        }
        let tags = TAGS
            .iter()
            .map(|t| {
                map([
                    ("name", s(t)),
                    ("description", s(&format!("Manage {t}."))),
                    (
                        "externalDocs",
                        map([
                            ("description", s("Find out more")),
                            (
                                "url",
                                s("https://upstash.com/docs/devops/developer-api/introduction"),
                            ),
                        ]),
                    ),
                ])
            })
            .collect();
        let schemas = self
            .schemas
            .iter()
            .map(|schema| (schema.name.clone(), self.schema(schema)))
            .collect();
        map([
            ("openapi", s("3.0.4")),
            (
                "info",
                map([
                    ("title", s("Developer API - Upstash")),
                    (
                        "description",
                        s(
                            "This is a documentation to specify Developer API endpoints based on the OpenAPI 3.0 specification.",
                        ),
                    ),
                    (
                        "license",
                        map([
                            ("name", s("Apache 2.0")),
                            ("url", s("https://www.apache.org/licenses/LICENSE-2.0.html")),
                        ]),
                    ),
                    ("version", s(&self.version)),
                ]),
            ),
            (
                "servers",
                Node::List(vec![map([("url", s("https://api.upstash.com/v2"))])]),
            ),
            ("tags", Node::List(tags)),
            ("paths", Node::Map(paths)),
            (
                "components",
                map([
                    ("schemas", Node::Map(schemas)),
                    (
                        "securitySchemes",
                        map([(
                            "basicAuth",
                            map([("type", s("http")), ("scheme", s("basic"))]),
                        )]),
                    ),
                ]),
            ),
        ])
    }

    pub(super) fn operation(&self, op: &Operation) -> Node {
        let mut fields = vec![
            ("tags".to_string(), Node::List(vec![s(op.tag)])),
            ("summary".to_string(), s(&op.summary)),
            ("description".to_string(), s(&op.description)),
            ("operationId".to_string(), s(&op.id)),
        ];
        if op.deprecated {
            fields.push(("deprecated".to_string(), Node::Bool(true)));
        }
        if !op.params.is_empty() {
            let params = op
                .params
                .iter()
                .map(|p| {
                    map([
                        ("name", s(&p.name)),
                        ("in", s(p.location)),
                        ("description", s(&p.description)),
                        ("required", Node::Bool(p.required)),
                        ("schema", self.ty(&p.ty, false)),
                    ])
                })
                .collect();
            fields.push(("parameters".to_string(), Node::List(params)));
        }
        if let Some(body) = op.body {
            fields.push((
                "requestBody".to_string(),
                map([
                    ("required", Node::Bool(true)),
                    ("content", json_content(self.ty(&Ty::Ref(body), false))),
                ]),
            ));
        }
        let success = match op.response {
            Some(index) if op.id.starts_with("list") => Node::Map(vec![
                ("type".to_string(), s("array")),
                ("items".to_string(), self.ty(&Ty::Ref(index), false)),
            ]),
            Some(index) => self.ty(&Ty::Ref(index), false),
            None => map([("type", s("string")), ("example", s("OK"))]),
        };
        fields.push((
            "responses".to_string(),
            map([
                (
                    "200",
                    map([
                        ("description", s("Successful response")),
                        ("content", json_content(success)),
                    ]),
                ),
                (
                    "400",
                    map([
                        ("description", s("Bad request")),
                        ("content", json_content(self.ty(&Ty::Ref(0), false))),
                    ]),
                ),
            ]),
        ));
        fields.push((
            "security".to_string(),
            Node::List(vec![map([("basicAuth", Node::List(Vec::new()))])]),
        ));
        Node::Map(fields)
    }

    pub(super) fn schema(&self, schema: &Schema) -> Node {
        match &schema.body {
            SchemaBody::Enum(values) => map([
                ("type", s("string")),
                ("description", s(&schema.description)),
                ("enum", Node::List(values.iter().map(|v| s(v)).collect())),
            ]),
            SchemaBody::Object(props) => {
                let mut node = self.object(props);
                if let Node::Map(fields) = &mut node {
                    fields.insert(1, ("description".to_string(), s(&schema.description)));
                }
                node
            }
        }
    }

    pub(super) fn object(&self, props: &[Prop]) -> Node {
        let mut fields = vec![("type".to_string(), s("object"))];
        let required: Vec<Node> = props
            .iter()
            .filter(|p| p.required)
            .map(|p| s(&p.name))
            .collect();
        if !required.is_empty() {
            fields.push(("required".to_string(), Node::List(required)));
        }
        let properties = props
            .iter()
            .map(|p| {
                let mut node = self.ty(&p.ty, p.nullable);
                if let Node::Map(fields) = &mut node
                    && !fields.iter().any(|(k, _)| k == "$ref")
                {
                    fields.push(("description".to_string(), s(&p.description)));
                }
                (p.name.clone(), node)
            })
            .collect();
        fields.push(("properties".to_string(), Node::Map(properties)));
        Node::Map(fields)
    }

    pub(super) fn ty(&self, ty: &Ty, nullable: bool) -> Node {
        let scalar = |t: &str, format: Option<&str>| {
            let mut fields = vec![("type".to_string(), s(t))];
            if let Some(f) = format {
                fields.push(("format".to_string(), s(f)));
            }
            if nullable {
                fields.push(("nullable".to_string(), Node::Bool(true)));
            }
            Node::Map(fields)
        };
        match ty {
            Ty::String => scalar("string", None),
            Ty::Uuid => scalar("string", Some("uuid")),
            Ty::DateTime => scalar("string", Some("date-time")),
            Ty::Int32 => scalar("integer", Some("int32")),
            Ty::Int64 => scalar("integer", Some("int64")),
            Ty::Number => scalar("number", Some("double")),
            Ty::Bool => scalar("boolean", None),
            Ty::Ref(index) => map([(
                "$ref",
                s(&format!(
                    "#/components/schemas/{}",
                    self.schemas[*index].name
                )),
            )]),
            Ty::Array(items) => map([("type", s("array")), ("items", self.ty(items, false))]),
            Ty::Map(values) => map([
                ("type", s("object")),
                ("additionalProperties", self.ty(values, false)),
            ]),
            Ty::Object(props) => self.object(props),
        }
    }
}

pub(super) fn json_content(schema: Node) -> Node {
    map([("application/json", map([("schema", schema)]))])
}
