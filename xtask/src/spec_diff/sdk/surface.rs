//! The public Rust surface of a generated client, and the changes found in
//! it: the model the reader ([`read`](super::read)) fills and the comparison
//! ([`compare`](super::compare)) walks.
//!
//! Rust types are kept as normalised strings (see
//! [`render`](super::render)), so two surfaces compare item by
//! item with `==`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use upstash_api_codegen::Spec;
use upstash_api_codegen::loose_name as loose;

/// One difference between the public Rust items generated from two specs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurfaceChange {
    /// The Rust path of the item, relative to the generated module:
    /// `Client::restore_backup`, `builder::RestoreBackup::id`,
    /// `types::RestoreBackupBody::backup_id`, `types::Region::EuWest2`,
    /// `types::builder::Database::size`, `impl Default for types::Error`.
    pub item: String,
    /// What changed.
    pub kind: ChangeKind,
    /// How code written against the old API is affected.
    pub breakage: Breakage,
    /// Whether this change counts as breaking the Rust API.
    pub breaking: bool,
    /// The spec element the item was generated from.
    pub origin: Origin,
    /// The old Rust type or signature, when there is one.
    pub old: Option<String>,
    /// The new Rust type or signature, when there is one.
    pub new: Option<String>,
}

impl SurfaceChange {
    /// A one-line description, such as
    /// `enum variant added: types::Region::EuWest2`.
    pub fn message(&self) -> String {
        match (&self.old, &self.new) {
            (Some(old), Some(new)) => format!("{}: {} ({old} -> {new})", self.kind, self.item),
            (None, Some(ty)) | (Some(ty), None) if self.kind.shows_type() => {
                format!("{}: {}: {ty}", self.kind, self.item)
            }
            _ => format!("{}: {}", self.kind, self.item),
        }
    }
}

impl fmt::Display for SurfaceChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

/// The kind of a [`SurfaceChange`]. [`ChangeKind::rule_id`] gives a stable
/// kebab-case id for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChangeKind {
    /// A `Client` method (one per operation) was added.
    MethodAdded,
    /// A `Client` method was removed.
    MethodRemoved,
    /// A `Client` method's signature changed.
    MethodSignatureChanged,
    /// An operation builder (`builder::Op`) gained a parameter method.
    ParameterAdded {
        /// Whether `send()` fails when the parameter is not set.
        required: bool,
    },
    /// An operation builder lost a parameter method.
    ParameterRemoved,
    /// The type a parameter method accepts (`V: TryInto<T>`) changed.
    ParameterTypeChanged,
    /// A parameter that could be left out must now be set.
    ParameterBecameRequired,
    /// A parameter that had to be set may now be left out.
    ParameterBecameOptional,
    /// The success type `T` of `send() -> Result<ResponseValue<T>, crate::Error>` changed.
    ResponseTypeChanged,
    /// The error type of `send()` changed. Every `send` fails with the
    /// SDK's one `crate::Error` (codegen's `public_api`), so no spec change
    /// makes this; it is kept for its stable id.
    ErrorResponseTypeChanged,
    /// A public type was added.
    TypeAdded,
    /// A public type was removed (or renamed: removed + added).
    TypeRemoved,
    /// A type changed kind (struct, enum, alias).
    TypeKindChanged,
    /// A public struct field was added.
    FieldAdded {
        /// Whether the field must be given a value (not an `Option`, no
        /// serde default).
        required: bool,
    },
    /// A public struct field was removed.
    FieldRemoved,
    /// A public struct field's type changed.
    FieldTypeChanged,
    /// An enum variant was added.
    VariantAdded,
    /// An enum variant was removed.
    VariantRemoved,
    /// An enum variant's payload changed.
    VariantPayloadChanged,
    /// A `types::builder::T` setter was added.
    BuilderSetterAdded {
        /// Whether converting the builder fails when it is not called.
        required: bool,
    },
    /// A `types::builder::T` setter was removed.
    BuilderSetterRemoved,
    /// The type a `types::builder::T` setter accepts changed.
    BuilderSetterTypeChanged,
    /// A `types::builder::T` setter must now be called.
    BuilderSetterBecameRequired,
    /// A `types::builder::T` setter may now be left out.
    BuilderSetterBecameOptional,
    /// A trait impl or derive was added to a type.
    TraitImplAdded,
    /// A trait impl or derive was removed from a type.
    TraitImplRemoved,
    /// Another public function (inherent method, free function, constant) was added.
    FunctionAdded,
    /// Another public function was removed.
    FunctionRemoved,
    /// Another public function's signature changed.
    FunctionSignatureChanged,
}

impl ChangeKind {
    /// A stable kebab-case id, prefixed `sdk-`, such as `sdk-variant-added`
    /// or `sdk-required-parameter-added`.
    pub fn rule_id(self) -> &'static str {
        match self {
            ChangeKind::MethodAdded => "sdk-method-added",
            ChangeKind::MethodRemoved => "sdk-method-removed",
            ChangeKind::MethodSignatureChanged => "sdk-method-signature-changed",
            ChangeKind::ParameterAdded { required: true } => "sdk-required-parameter-added",
            ChangeKind::ParameterAdded { required: false } => "sdk-optional-parameter-added",
            ChangeKind::ParameterRemoved => "sdk-parameter-removed",
            ChangeKind::ParameterTypeChanged => "sdk-parameter-type-changed",
            ChangeKind::ParameterBecameRequired => "sdk-parameter-became-required",
            ChangeKind::ParameterBecameOptional => "sdk-parameter-became-optional",
            ChangeKind::ResponseTypeChanged => "sdk-response-type-changed",
            ChangeKind::ErrorResponseTypeChanged => "sdk-error-response-type-changed",
            ChangeKind::TypeAdded => "sdk-type-added",
            ChangeKind::TypeRemoved => "sdk-type-removed",
            ChangeKind::TypeKindChanged => "sdk-type-kind-changed",
            ChangeKind::FieldAdded { required: true } => "sdk-required-field-added",
            ChangeKind::FieldAdded { required: false } => "sdk-optional-field-added",
            ChangeKind::FieldRemoved => "sdk-field-removed",
            ChangeKind::FieldTypeChanged => "sdk-field-type-changed",
            ChangeKind::VariantAdded => "sdk-variant-added",
            ChangeKind::VariantRemoved => "sdk-variant-removed",
            ChangeKind::VariantPayloadChanged => "sdk-variant-payload-changed",
            ChangeKind::BuilderSetterAdded { required: true } => {
                "sdk-required-builder-setter-added"
            }
            ChangeKind::BuilderSetterAdded { required: false } => {
                "sdk-optional-builder-setter-added"
            }
            ChangeKind::BuilderSetterRemoved => "sdk-builder-setter-removed",
            ChangeKind::BuilderSetterTypeChanged => "sdk-builder-setter-type-changed",
            ChangeKind::BuilderSetterBecameRequired => "sdk-builder-setter-became-required",
            ChangeKind::BuilderSetterBecameOptional => "sdk-builder-setter-became-optional",
            ChangeKind::TraitImplAdded => "sdk-trait-impl-added",
            ChangeKind::TraitImplRemoved => "sdk-trait-impl-removed",
            ChangeKind::FunctionAdded => "sdk-function-added",
            ChangeKind::FunctionRemoved => "sdk-function-removed",
            ChangeKind::FunctionSignatureChanged => "sdk-function-signature-changed",
        }
    }

    /// Whether the item exists only on the old side: the `-removed` kinds.
    pub fn is_removal(self) -> bool {
        self.rule_id().ends_with("-removed")
    }

    /// Whether the message should show the one-sided type (for additions
    /// and removals of typed things).
    fn shows_type(self) -> bool {
        matches!(
            self,
            ChangeKind::ParameterAdded { .. }
                | ChangeKind::FieldAdded { .. }
                | ChangeKind::BuilderSetterAdded { .. }
                | ChangeKind::VariantAdded
        )
    }
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.rule_id().trim_start_matches("sdk-").replace('-', " "))
    }
}

/// How a change affects code written against the old generated API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Breakage {
    /// Existing code keeps compiling and behaving the same.
    None,
    /// Existing code compiles, but a call that worked now fails before any
    /// request is sent (a builder value that must now be set).
    Runtime,
    /// Only code that builds the struct with a literal (or destructures it
    /// without `..`) stops compiling; code using the builders is unaffected.
    StructLiteral,
    /// Code that uses the item as the generated API intends stops compiling.
    Compile,
}

/// The spec element a changed item was generated from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// An operation: the `Client` method and its `builder::*` type.
    Operation {
        /// The operationId, as written in the spec that has the operation
        /// (the new spec, or the old one for a removed operation).
        operation_id: String,
        /// The HTTP method, upper case; empty when the operation could not
        /// be found in the spec.
        method: String,
        /// The path template; empty when the operation could not be found.
        path: String,
    },
    /// A schema: a `types::*` item.
    Schema {
        /// The generated type name, such as `RestoreBackupBody`.
        rust_type: String,
        /// The `components/schemas` key the type was generated from; `None`
        /// for types generated from inline schemas.
        component: Option<String>,
        /// The operationIds whose parameters, request body or responses
        /// reach the type, sorted.
        used_by: Vec<String>,
    },
    /// Neither: code the generator emits whatever the spec says (`Client::new`).
    Generator,
}

/// The public items of one generated client, ready to be compared.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SdkSurface {
    /// Every public type and function, by its path in the generated module.
    pub(super) items: BTreeMap<String, Item>,
    /// The trait impls and derives, by the path of the type they are for.
    pub(super) traits: BTreeMap<String, BTreeSet<String>>,
    /// The operations: `Client` method name to spec operation.
    pub(super) operations: BTreeMap<String, OperationRef>,
    /// Operation builder path (`builder::RestoreBackup`) to `Client` method name.
    pub(super) builders: BTreeMap<String, String>,
    /// Generated type name to `components/schemas` key.
    pub(super) components: BTreeMap<String, String>,
    /// Generated type name (in `types`) to the type names whose fields or
    /// variants refer to it.
    pub(super) referrers: BTreeMap<String, BTreeSet<String>>,
    /// Generated type name to the `Client` methods whose builder refers to
    /// it directly, each with whether it is a request (parameter or body)
    /// rather than a response.
    pub(super) roots: BTreeMap<String, BTreeSet<(String, bool)>>,
}

/// Who uses a generated type: computed on demand, for changed types only
/// (doing it for every type is quadratic on a large spec).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Usage {
    /// The `Client` methods whose parameters, body or responses reach it.
    pub(super) methods: BTreeSet<String>,
    /// Whether a request (a parameter or body) reaches it.
    pub(super) request: bool,
}

/// Where a `Client` method comes from in the spec.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct OperationRef {
    pub(super) operation_id: String,
    pub(super) method: String,
    pub(super) path: String,
}

/// One public item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Item {
    /// A struct: its public fields and public inherent methods.
    Struct {
        fields: BTreeMap<String, FieldInfo>,
        /// Whether every field is public, so that literals can build it.
        constructible: bool,
        /// Whether it is not `#[non_exhaustive]`: other crates may build it
        /// with a literal (when constructible) and destructure it without `..`.
        exhaustive: bool,
        methods: BTreeMap<String, MethodInfo>,
    },
    /// An enum: variant name to payload (`""` for unit variants).
    Enum {
        variants: BTreeMap<String, String>,
        /// Whether other crates may match it without a `_` arm (it is not
        /// `#[non_exhaustive]`).
        exhaustive: bool,
        methods: BTreeMap<String, MethodInfo>,
    },
    /// A type alias, with its target.
    Alias(String),
    /// A free function or constant, with its signature.
    Function(String),
}

impl Item {
    pub(super) fn kind_name(&self) -> &'static str {
        match self {
            Item::Struct { .. } => "struct",
            Item::Enum { .. } => "enum",
            Item::Alias(_) => "type alias",
            Item::Function(_) => "function",
        }
    }

    pub(super) fn methods(&self) -> Option<&BTreeMap<String, MethodInfo>> {
        match self {
            Item::Struct { methods, .. } | Item::Enum { methods, .. } => Some(methods),
            Item::Alias(_) | Item::Function(_) => None,
        }
    }

    pub(super) fn methods_mut(&mut self) -> Option<&mut BTreeMap<String, MethodInfo>> {
        match self {
            Item::Struct { methods, .. } | Item::Enum { methods, .. } => Some(methods),
            Item::Alias(_) | Item::Function(_) => None,
        }
    }
}

/// A public struct field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct FieldInfo {
    pub(super) ty: String,
    pub(super) required: bool,
}

/// A public inherent method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct MethodInfo {
    /// The whole signature, normalised.
    pub(super) signature: String,
    /// For a setter (`fn name<V>(self, value: V) -> Self where V: TryInto<T>`),
    /// the target type `T`.
    pub(super) setter_type: Option<String>,
    /// For `send`, the `T` and `E` of `Result<ResponseValue<T>, E>`
    /// (`E` is always `crate::Error`).
    pub(super) send_types: Option<(String, String)>,
    /// Whether the value behind this setter must be set (its initial value
    /// in `new()` or `Default::default()` is an `Err`).
    pub(super) required: bool,
}

impl SdkSurface {
    /// Fills in the spec side of the attribution: operationIds with their
    /// HTTP method and path, and component schema names. Names are matched
    /// by codegen's loose key (`restoreBackup`, `restore_backup` and
    /// `RestoreBackup` meet), as the build matches its operation facts.
    pub(super) fn attribute(&mut self, spec: &Spec) {
        let mut by_key: HashMap<String, OperationRef> = HashMap::new();
        for (path, item) in spec.openapi.paths.paths.iter() {
            let Some(item) = item.as_item() else { continue };
            for (method, op) in item.iter() {
                if let Some(id) = &op.operation_id {
                    let found = OperationRef {
                        // As the spec spells it, before normalisation.
                        operation_id: spec.spec_operation_id(id).to_string(),
                        method: method.to_ascii_uppercase(),
                        path: path.clone(),
                    };
                    by_key.insert(loose(id), found);
                }
            }
        }
        for (name, op) in self.operations.iter_mut() {
            if let Some(found) = by_key.get(&loose(name)) {
                *op = found.clone();
            }
        }
        let mut components: HashMap<String, &String> = HashMap::new();
        if let Some(c) = &spec.openapi.components {
            components.extend(c.schemas.keys().map(|key| (loose(key), key)));
        }
        let types = self.items.keys().filter_map(|p| p.strip_prefix("types::"));
        for name in types.filter(|name| !name.contains("::")) {
            if let Some(key) = components.get(&loose(name)) {
                self.components.insert(name.to_string(), (*key).clone());
            }
        }
    }

    /// The spec element the item at `path` was generated from.
    pub(super) fn origin_of(&self, path: &str) -> Origin {
        let first = |rest: &str| rest.split("::").next().unwrap_or(rest).to_string();
        let method = if let Some(rest) = path.strip_prefix("Client::") {
            Some(first(rest))
        } else if let Some(rest) = path.strip_prefix("builder::") {
            let builder = format!("builder::{}", first(rest));
            self.builders.get(&builder).cloned()
        } else {
            let type_name = path
                .strip_prefix("types::builder::")
                .or_else(|| path.strip_prefix("types::"))
                .map(first);
            return match type_name {
                Some(name) if name != "error" && name != "defaults" => Origin::Schema {
                    component: self.components.get(&name).cloned(),
                    rust_type: name,
                    used_by: Vec::new(),
                },
                _ => Origin::Generator,
            };
        };
        match method.and_then(|m| self.operations.get(&m)) {
            Some(op) => Origin::Operation {
                operation_id: op.operation_id.clone(),
                method: op.method.clone(),
                path: op.path.clone(),
            },
            None => Origin::Generator,
        }
    }

    /// The operationIds of `Client` methods, sorted.
    pub(super) fn used_by<'a>(&self, methods: impl Iterator<Item = &'a String>) -> Vec<String> {
        let ids: BTreeSet<String> = methods
            .map(|m| {
                self.operations
                    .get(m)
                    .map(|op| op.operation_id.clone())
                    .unwrap_or_else(|| m.clone())
            })
            .collect();
        ids.into_iter().collect()
    }

    /// Which operations reach the type `name` (in `types`), and whether a
    /// request does: a walk up the types that refer to it.
    pub(super) fn usage(&self, name: &str) -> Usage {
        let mut usage = Usage::default();
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        let mut stack = vec![name];
        while let Some(next) = stack.pop() {
            if !seen.insert(next) {
                continue;
            }
            for (method, request) in self.roots.get(next).into_iter().flatten() {
                usage.methods.insert(method.clone());
                usage.request |= *request;
            }
            if let Some(up) = self.referrers.get(next) {
                stack.extend(up.iter().map(String::as_str).filter(|n| !seen.contains(n)));
            }
        }
        usage
    }

    /// Whether this surface has the item a change path points into.
    pub(super) fn has_item_for(&self, item: &str) -> bool {
        let path = item_path(item);
        self.items.contains_key(path)
            || path
                .rsplit_once("::")
                .is_some_and(|(parent, _)| self.items.contains_key(parent))
    }
}

/// The path of the item a change path points into: `impl Default for
/// types::Error` is about `types::Error`.
pub(super) fn item_path(change: &str) -> &str {
    change
        .strip_prefix("impl ")
        .and_then(|rest| rest.rsplit_once(" for ").map(|(_, p)| p))
        .unwrap_or(change)
}
