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

use std::fmt::Write as _;

/// How big a document to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scale {
    /// Operations in the old document.
    pub operations: usize,
    /// Deepest nesting of inline objects inside a schema.
    pub depth: usize,
    /// Properties per object schema (at the top level; nested objects get fewer).
    pub properties: usize,
}

impl Scale {
    /// About 100 KB and 60 operations: the size of the real Upstash spec.
    pub const SMALL: Scale = Scale {
        operations: 60,
        depth: 3,
        properties: 6,
    };

    /// About 10 MB and thousands of operations, deep schemas, many refs.
    pub const LARGE: Scale = Scale {
        operations: 6600,
        depth: 4,
        properties: 8,
    };
}

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

/// SplitMix64: small, fast, and the same on every platform.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const TAGS: &[&str] = &["redis", "teams", "vector", "search", "qstash"];

const RESOURCES: &[&[&str]] = &[
    &[
        "database",
        "backup",
        "read-replica",
        "password",
        "eviction",
        "tls",
        "autoscaling",
        "stats",
    ],
    &["team", "member", "invitation", "api-key", "audit-log"],
    &["index", "namespace", "snapshot", "usage", "embedding-model"],
    &["search-index", "synonym", "ranking", "field", "crawl"],
    &[
        "topic",
        "schedule",
        "queue",
        "dlq-message",
        "endpoint",
        "signing-key",
    ],
];

const VERBS: &[(&str, &str, bool)] = &[
    // (verb, HTTP method, takes an id in the path)
    ("list", "get", false),
    ("get", "get", true),
    ("create", "post", false),
    ("update", "patch", true),
    ("delete", "delete", true),
    ("rename", "post", true),
    ("enable", "post", true),
    ("reset", "post", true),
];

const WORDS: &[&str] = &[
    "name",
    "region",
    "created_at",
    "endpoint",
    "port",
    "password",
    "tls",
    "eviction",
    "db_memory_threshold",
    "db_disk_threshold",
    "db_max_clients",
    "db_request_limit",
    "db_max_request_size",
    "db_max_entry_size",
    "db_max_commands_per_second",
    "customer_id",
    "team_id",
    "member_email",
    "member_role",
    "dimension_count",
    "similarity_function",
    "index_type",
    "embedding_model",
    "throughput",
    "max_vector_count",
    "reserved_price",
    "creation_time",
    "topic_name",
    "schedule_cron",
    "retries",
    "callback",
    "delay",
    "content_type",
    "primary_region",
    "read_regions",
    "budget",
    "type_name",
    "daily_backup_enabled",
    "consistent",
];

const ENUM_VALUES: &[&str] = &[
    "eu-west-1",
    "us-east-1",
    "us-west-1",
    "us-west-2",
    "ap-northeast-1",
    "ap-southeast-1",
    "sa-east-1",
    "eu-central-1",
    "active",
    "deleted",
    "paused",
    "free",
    "payg",
    "pro",
    "enterprise",
    "owner",
    "admin",
    "dev",
    "finance",
    "cosine",
    "euclidean",
    "dot_product",
    "dense",
    "sparse",
    "hybrid",
];

/// The scalar and composite types a property or parameter can have.
#[derive(Debug, Clone, PartialEq)]
enum Ty {
    String,
    Uuid,
    DateTime,
    Int32,
    Int64,
    Number,
    Bool,
    /// A component schema, by index.
    Ref(usize),
    Array(Box<Ty>),
    Map(Box<Ty>),
    /// An inline object.
    Object(Vec<Prop>),
}

#[derive(Debug, Clone, PartialEq)]
struct Prop {
    name: String,
    ty: Ty,
    required: bool,
    nullable: bool,
    description: String,
}

#[derive(Debug, Clone, PartialEq)]
enum SchemaBody {
    Object(Vec<Prop>),
    Enum(Vec<String>),
}

#[derive(Debug, Clone, PartialEq)]
struct Schema {
    name: String,
    description: String,
    body: SchemaBody,
}

#[derive(Debug, Clone, PartialEq)]
struct Param {
    name: String,
    location: &'static str,
    required: bool,
    ty: Ty,
    description: String,
}

#[derive(Debug, Clone, PartialEq)]
struct Operation {
    id: String,
    method: &'static str,
    path: String,
    tag: &'static str,
    summary: String,
    description: String,
    params: Vec<Param>,
    /// The request body schema, by index.
    body: Option<usize>,
    /// The success response schema, by index; `None` answers a plain string.
    response: Option<usize>,
    deprecated: bool,
}

#[derive(Debug, Clone, PartialEq)]
struct Api {
    version: String,
    schemas: Vec<Schema>,
    operations: Vec<Operation>,
    /// How many resources have been created (names stay unique).
    resources: usize,
}

impl Api {
    fn generate(scale: Scale, rng: &mut Rng) -> Api {
        let mut api = Api {
            version: "1.0.0".to_string(),
            schemas: vec![Schema {
                name: "Error".to_string(),
                description: "An error response".to_string(),
                body: SchemaBody::Object(vec![Prop {
                    name: "error".to_string(),
                    ty: Ty::String,
                    required: true,
                    nullable: false,
                    description: "What went wrong".to_string(),
                }]),
            }],
            operations: Vec::new(),
            resources: 0,
        };
        // A recursive schema: a tree of nodes.
        api.schemas.push(Schema {
            name: "TreeNode".to_string(),
            description: "A node of a recursive structure".to_string(),
            body: SchemaBody::Object(vec![
                Prop {
                    name: "key".to_string(),
                    ty: Ty::String,
                    required: true,
                    nullable: false,
                    description: "The key".to_string(),
                },
                Prop {
                    name: "children".to_string(),
                    ty: Ty::Array(Box::new(Ty::Ref(1))),
                    required: false,
                    nullable: false,
                    description: "Child nodes".to_string(),
                },
            ]),
        });
        while api.operations.len() < scale.operations {
            api.add_resource(scale, rng);
        }
        api.operations.truncate(scale.operations);
        api
    }

    /// Adds one resource: its schemas and up to eight operations on it.
    fn add_resource(&mut self, scale: Scale, rng: &mut Rng) {
        let tag_index = self.resources % TAGS.len();
        let tag = TAGS[tag_index];
        let base = *rng.pick(RESOURCES[tag_index]);
        let round = self.resources / RESOURCES.iter().map(|r| r.len()).sum::<usize>();
        let resource = if round == 0 && !self.operations.iter().any(|o| o.path.contains(base)) {
            base.to_string()
        } else {
            format!("{base}-{}", self.resources)
        };
        self.resources += 1;
        let type_name = pascal(&resource);

        let state_enum = self.schemas.len();
        let value_count = 2 + rng.below(5);
        let values = pick_distinct(rng, ENUM_VALUES, value_count);
        self.schemas.push(Schema {
            name: format!("{type_name}State"),
            description: format!("The state of a {resource}"),
            body: SchemaBody::Enum(values),
        });
        let entity = self.schemas.len();
        let props = self.properties(scale.properties, scale.depth, &type_name, rng);
        let mut props = props;
        props.insert(
            0,
            Prop {
                name: format!("{}_id", snake(&resource)),
                ty: Ty::Uuid,
                required: true,
                nullable: false,
                description: format!("The ID of the {resource}"),
            },
        );
        props.push(Prop {
            name: "state".to_string(),
            ty: Ty::Ref(state_enum),
            required: false,
            nullable: false,
            description: format!("The state of the {resource}"),
        });
        // References to earlier resources make a deep graph of refs.
        if entity > 3 {
            let other = 2 + rng.below(entity - 2);
            if matches!(self.schemas[other].body, SchemaBody::Object(_)) {
                props.push(Prop {
                    name: "related".to_string(),
                    ty: Ty::Array(Box::new(Ty::Ref(other))),
                    required: false,
                    nullable: false,
                    description: "Related items".to_string(),
                });
            }
        }
        if rng.chance(10) {
            props.push(Prop {
                name: "tree".to_string(),
                ty: Ty::Ref(1),
                required: false,
                nullable: true,
                description: "A tree of keys".to_string(),
            });
        }
        self.schemas.push(Schema {
            name: type_name.clone(),
            description: format!("A {resource}"),
            body: SchemaBody::Object(props),
        });
        let request = self.schemas.len();
        let request_props = self.properties(scale.properties.div_ceil(2), 1, &type_name, rng);
        self.schemas.push(Schema {
            name: format!("Create{type_name}Request"),
            description: format!("What a new {resource} is made of"),
            body: SchemaBody::Object(request_props),
        });

        let verbs = 3 + rng.below(VERBS.len() - 2);
        for &(verb, method, with_id) in &VERBS[..verbs] {
            let mut params = Vec::new();
            let mut path = format!("/{tag}/{resource}");
            if with_id {
                path.push_str("/{id}");
                params.push(Param {
                    name: "id".to_string(),
                    location: "path",
                    required: true,
                    ty: Ty::String,
                    description: format!("The ID of the {resource}"),
                });
            }
            if verb != "list" && verb != "get" && verb != "create" && verb != "delete" {
                path.push('/');
                path.push_str(verb);
            }
            if verb == "list" {
                params.push(Param {
                    name: "limit".to_string(),
                    location: "query",
                    required: false,
                    ty: Ty::Int32,
                    description: "How many items to return".to_string(),
                });
                params.push(Param {
                    name: "cursor".to_string(),
                    location: "query",
                    required: false,
                    ty: Ty::String,
                    description: "Where the previous page ended".to_string(),
                });
            }
            if rng.chance(15) {
                params.push(Param {
                    name: "X-Request-Id".to_string(),
                    location: "header",
                    required: false,
                    ty: Ty::Uuid,
                    description: "Correlates the request in logs".to_string(),
                });
            }
            let (body, response) = match verb {
                "create" | "update" => (Some(request), Some(entity)),
                "get" => (None, Some(entity)),
                "list" => (None, Some(entity)),
                _ => (None, None),
            };
            let singular = if verb == "list" {
                format!("{type_name}s")
            } else {
                type_name.clone()
            };
            self.operations.push(Operation {
                id: format!("{verb}{singular}"),
                method,
                path,
                tag,
                summary: format!("{} {}", pascal(verb), resource.replace('-', " ")),
                description: format!(
                    "This endpoint {verb}s {} {resource} of the account.",
                    if verb == "list" { "every" } else { "a" }
                ),
                params,
                body,
                response,
                deprecated: rng.chance(3),
            });
        }
    }

    /// `count` properties, with inline objects nested down to `depth`.
    fn properties(&mut self, count: usize, depth: usize, owner: &str, rng: &mut Rng) -> Vec<Prop> {
        let names = pick_distinct(rng, WORDS, count);
        names
            .into_iter()
            .map(|name| {
                let ty = self.property_type(depth, owner, rng);
                Prop {
                    description: format!("The {} of the {}", name.replace('_', " "), owner),
                    required: rng.chance(30),
                    nullable: rng.chance(10),
                    name,
                    ty,
                }
            })
            .collect()
    }

    fn property_type(&mut self, depth: usize, owner: &str, rng: &mut Rng) -> Ty {
        match rng.below(12) {
            0 => Ty::Uuid,
            1 => Ty::DateTime,
            2 => Ty::Int32,
            3 => Ty::Int64,
            4 => Ty::Number,
            5 => Ty::Bool,
            6 => Ty::Array(Box::new(Ty::String)),
            7 => Ty::Map(Box::new(Ty::Int64)),
            8 | 9 if depth > 1 => {
                let count = 2 + rng.below(3);
                Ty::Object(self.properties(count, depth - 1, owner, rng))
            }
            10 if self.schemas.len() > 2 => {
                // An enum or object defined earlier: many refs, no cycles.
                Ty::Ref(2 + rng.below(self.schemas.len() - 2))
            }
            _ => Ty::String,
        }
    }

    /// Turns this API into a plausible next version. Every kind of change
    /// happens at least once, at a rate of a few percent of the operations
    /// or schemas it applies to.
    fn evolve(&mut self, rng: &mut Rng) {
        self.version = "1.1.0".to_string();
        let count = self.operations.len();
        // Remove about 3% of the operations.
        for _ in 0..percent_of(count, 3) {
            let at = rng.below(self.operations.len());
            self.operations.remove(at);
        }
        // Rename one operationId.
        let renamed = rng.below(self.operations.len());
        if let Some(op) = self.operations.get_mut(renamed) {
            op.id.push_str("V2");
        }
        // Parameters added: optional on 6% of the operations, required on 2%.
        let total = self.operations.len();
        for (nth, at) in pick_indices(rng, total, percent_of(total, 8))
            .into_iter()
            .enumerate()
        {
            self.operations[at].params.push(Param {
                name: "team_id".to_string(),
                location: "query",
                required: nth % 4 == 0,
                ty: Ty::Uuid,
                description: "The team that owns the resource".to_string(),
            });
        }
        // Parameters retyped (int32 to int64) and made required.
        let with_limit: Vec<usize> = (0..total)
            .filter(|&i| self.operations[i].params.iter().any(|p| p.ty == Ty::Int32))
            .collect();
        for at in pick_indices(rng, with_limit.len(), percent_of(with_limit.len(), 30)) {
            for param in &mut self.operations[with_limit[at]].params {
                if param.ty == Ty::Int32 {
                    param.ty = Ty::Int64;
                }
            }
        }
        for at in pick_indices(rng, with_limit.len(), percent_of(with_limit.len(), 10)) {
            for param in &mut self.operations[with_limit[at]].params {
                if param.location == "query" && param.name == "cursor" {
                    param.required = true;
                }
            }
        }
        // Documentation edits and deprecations.
        for at in pick_indices(rng, total, percent_of(total, 10)) {
            self.operations[at]
                .description
                .push_str(" It is rate limited.");
        }
        for at in pick_indices(rng, total, percent_of(total, 2)) {
            self.operations[at].deprecated = true;
        }
        // Enum values added to 15% of the enums, properties to 10% of the objects.
        let enums: Vec<usize> = (0..self.schemas.len())
            .filter(|&i| matches!(self.schemas[i].body, SchemaBody::Enum(_)))
            .collect();
        for at in pick_indices(rng, enums.len(), percent_of(enums.len(), 15)) {
            if let SchemaBody::Enum(values) = &mut self.schemas[enums[at]].body
                && let Some(value) = ENUM_VALUES.iter().find(|v| !values.iter().any(|x| x == *v))
            {
                values.push((*value).to_string());
            }
        }
        let objects: Vec<usize> = (0..self.schemas.len())
            .filter(|&i| matches!(self.schemas[i].body, SchemaBody::Object(_)))
            .collect();
        for (nth, at) in pick_indices(rng, objects.len(), percent_of(objects.len(), 10))
            .into_iter()
            .enumerate()
        {
            if let SchemaBody::Object(props) = &mut self.schemas[objects[at]].body {
                props.push(Prop {
                    name: "updated_at".to_string(),
                    ty: Ty::DateTime,
                    required: nth % 3 == 0,
                    nullable: false,
                    description: "When it last changed".to_string(),
                });
            }
        }
        // Add about 5% new operations.
        let target = self.operations.len() + percent_of(count, 5);
        let scale = Scale {
            operations: target,
            depth: 2,
            properties: 4,
        };
        while self.operations.len() < target {
            self.add_resource(scale, rng);
        }
        self.operations.truncate(target);
    }

    /// The OpenAPI document as a tree.
    fn document(&self) -> Node {
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

    fn operation(&self, op: &Operation) -> Node {
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

    fn schema(&self, schema: &Schema) -> Node {
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

    fn object(&self, props: &[Prop]) -> Node {
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

    fn ty(&self, ty: &Ty, nullable: bool) -> Node {
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

/// `percent` % of `n`, at least one.
fn percent_of(n: usize, percent: usize) -> usize {
    (n * percent / 100).max(1)
}

/// `k` distinct indices below `n`, sorted (fewer when `n` < `k`).
fn pick_indices(rng: &mut Rng, n: usize, k: usize) -> Vec<usize> {
    let mut pool: Vec<usize> = (0..n).collect();
    let mut out = Vec::with_capacity(k.min(n));
    while out.len() < k && !pool.is_empty() {
        let at = rng.below(pool.len());
        out.push(pool.swap_remove(at));
    }
    out.sort_unstable();
    out
}

/// `n` distinct entries of `words` (all of them when `n` is larger).
fn pick_distinct(rng: &mut Rng, words: &[&str], n: usize) -> Vec<String> {
    let mut pool: Vec<&str> = words.to_vec();
    let mut out = Vec::with_capacity(n);
    while out.len() < n && !pool.is_empty() {
        let at = rng.below(pool.len());
        out.push(pool.swap_remove(at).to_string());
    }
    out
}

/// `read-replica` to `ReadReplica`, `api-key-12` to `ApiKey12`.
fn pascal(text: &str) -> String {
    text.split(['-', '_'])
        .map(|part| {
            let mut chars = part.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// `read-replica` to `read_replica`.
fn snake(text: &str) -> String {
    text.replace('-', "_")
}

fn json_content(schema: Node) -> Node {
    map([("application/json", map([("schema", schema)]))])
}

/// A document tree that keeps key order (unlike `serde_json::Value`).
#[derive(Debug, Clone, PartialEq)]
enum Node {
    Str(String),
    Bool(bool),
    List(Vec<Node>),
    Map(Vec<(String, Node)>),
}

fn s(text: &str) -> Node {
    Node::Str(text.to_string())
}

fn map<const N: usize>(fields: [(&str, Node); N]) -> Node {
    Node::Map(
        fields
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

/// Block-style YAML. Every string is written double-quoted with JSON
/// escapes, which YAML reads back unchanged.
fn to_yaml(node: &Node) -> String {
    let mut out = String::with_capacity(1 << 16);
    match node {
        Node::Map(fields) if !fields.is_empty() => write_map(&mut out, fields, 0),
        other => {
            write_inline(&mut out, other);
            out.push('\n');
        }
    }
    out
}

fn write_map(out: &mut String, fields: &[(String, Node)], indent: usize) {
    for (key, value) in fields {
        push_indent(out, indent);
        write_key(out, key);
        out.push(':');
        write_value(out, value, indent);
    }
}

/// Writes `value` after a `key:` or `-`, then the newline.
fn write_value(out: &mut String, value: &Node, indent: usize) {
    match value {
        Node::Map(fields) if !fields.is_empty() => {
            out.push('\n');
            write_map(out, fields, indent + 2);
        }
        Node::List(items) if !items.is_empty() => {
            out.push('\n');
            for item in items {
                push_indent(out, indent + 2);
                out.push('-');
                match item {
                    Node::Map(fields) if !fields.is_empty() => {
                        // First entry on the dash line, the rest aligned under it.
                        out.push(' ');
                        let (first_key, first_value) = &fields[0];
                        write_key(out, first_key);
                        out.push(':');
                        write_value(out, first_value, indent + 4);
                        write_map(out, &fields[1..], indent + 4);
                    }
                    other => write_value(out, other, indent + 2),
                }
            }
        }
        scalar => {
            out.push(' ');
            write_inline(out, scalar);
            out.push('\n');
        }
    }
}

fn write_inline(out: &mut String, node: &Node) {
    match node {
        Node::Str(text) => write_quoted(out, text),
        Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Node::List(_) => out.push_str("[]"),
        Node::Map(_) => out.push_str("{}"),
    }
}

fn write_key(out: &mut String, key: &str) {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && key.starts_with(|c: char| c.is_ascii_alphabetic());
    if plain {
        out.push_str(key);
    } else {
        write_quoted(out, key);
    }
}

fn write_quoted(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn push_indent(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

#[cfg(test)]
mod tests {
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
            upstash_api_codegen::generate::client(&spec)
                .unwrap_or_else(|e| panic!("{side} does not generate: {e}"));
        }
    }

    #[test]
    fn next_version_changes_what_a_new_release_changes() {
        let pair = generate_pair(Scale::SMALL, 3);
        assert!(pair.old.contains("version: \"1.0.0\""));
        assert!(pair.new.contains("version: \"1.1.0\""));
        let old = upstash_api_codegen::document::parse(&pair.old).expect("old parses");
        let new = upstash_api_codegen::document::parse(&pair.new).expect("new parses");
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
        let value = upstash_api_codegen::document::parse(&to_yaml(&node)).expect("valid YAML");
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
    use upstash_api_codegen::{Spec, document};
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
                document::parse(&pair.old).expect("parses"),
                document::parse(&pair.new).expect("parses"),
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
            let paths = |v: &serde_json::Value| v["paths"].as_object().map_or(0, |p| p.len());
            if paths(&focus.restrict_document(&old)) < paths(&old) {
                cut += 1;
            }
        }
        assert!(cut > 0, "the focus never left anything out");
    }
}
