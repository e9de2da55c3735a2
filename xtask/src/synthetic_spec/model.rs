//! The API model a synthetic document is written from, built and evolved
//! from a seed.

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

/// SplitMix64: small, fast, and the same on every platform.
#[derive(Debug, Clone)]
pub(super) struct Rng(u64);

impl Rng {
    pub(super) fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub(super) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// True with probability `percent`/100.
    pub(super) fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

pub(super) const TAGS: &[&str] = &["redis", "teams", "vector", "search", "qstash"];

pub(super) const RESOURCES: &[&[&str]] = &[
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

pub(super) const VERBS: &[(&str, &str, bool)] = &[
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

pub(super) const WORDS: &[&str] = &[
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

pub(super) const ENUM_VALUES: &[&str] = &[
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
pub(super) enum Ty {
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
pub(super) struct Prop {
    pub(super) name: String,
    pub(super) ty: Ty,
    pub(super) required: bool,
    pub(super) nullable: bool,
    pub(super) description: String,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum SchemaBody {
    Object(Vec<Prop>),
    Enum(Vec<String>),
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Schema {
    pub(super) name: String,
    pub(super) description: String,
    pub(super) body: SchemaBody,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Param {
    pub(super) name: String,
    pub(super) location: &'static str,
    pub(super) required: bool,
    pub(super) ty: Ty,
    pub(super) description: String,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Operation {
    pub(super) id: String,
    pub(super) method: &'static str,
    pub(super) path: String,
    pub(super) tag: &'static str,
    pub(super) summary: String,
    pub(super) description: String,
    pub(super) params: Vec<Param>,
    /// The request body schema, by index.
    pub(super) body: Option<usize>,
    /// The success response schema, by index; `None` answers a plain string.
    pub(super) response: Option<usize>,
    pub(super) deprecated: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Api {
    pub(super) version: String,
    pub(super) schemas: Vec<Schema>,
    pub(super) operations: Vec<Operation>,
    /// How many resources have been created (names stay unique).
    pub(super) resources: usize,
}

impl Api {
    pub(super) fn generate(scale: Scale, rng: &mut Rng) -> Api {
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
    pub(super) fn add_resource(&mut self, scale: Scale, rng: &mut Rng) {
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
    pub(super) fn properties(
        &mut self,
        count: usize,
        depth: usize,
        owner: &str,
        rng: &mut Rng,
    ) -> Vec<Prop> {
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

    pub(super) fn property_type(&mut self, depth: usize, owner: &str, rng: &mut Rng) -> Ty {
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
    pub(super) fn evolve(&mut self, rng: &mut Rng) {
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
}

pub(super) fn percent_of(n: usize, percent: usize) -> usize {
    (n * percent / 100).max(1)
}

/// `k` distinct indices below `n`, sorted (fewer when `n` < `k`).
pub(super) fn pick_indices(rng: &mut Rng, n: usize, k: usize) -> Vec<usize> {
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
pub(super) fn pick_distinct(rng: &mut Rng, words: &[&str], n: usize) -> Vec<String> {
    let mut pool: Vec<&str> = words.to_vec();
    let mut out = Vec::with_capacity(n);
    while out.len() < n && !pool.is_empty() {
        let at = rng.below(pool.len());
        out.push(pool.swap_remove(at).to_string());
    }
    out
}

/// `read-replica` to `ReadReplica`, `api-key-12` to `ApiKey12`.
pub(super) fn pascal(text: &str) -> String {
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
pub(super) fn snake(text: &str) -> String {
    text.replace('-', "_")
}
