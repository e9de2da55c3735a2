//! The public Rust surface of the generated client, and what changes in it
//! between two versions of the spec.
//!
//! This is what grounds the `sdk-breaking` severity in the real generator:
//! both documents go through progenitor with
//! [`upstash_api_codegen::settings::generation_settings`] (the exact run
//! `build.rs` does through [`upstash_api_codegen::generate::client`]), the
//! tokens of each output are read (by the private `sdk_tokens` module) into
//! an [`SdkSurface`] (every public item, its fields, variants, methods and
//! trait impls, with Rust types written out as normalised strings), and
//! [`diff_surfaces`] compares the two surfaces item by item.
//!
//! # Entry points
//!
//! - [`surface_changes`]`(old, new)`: cuts both specs down to what can
//!   change the surface ([`focus`]), generates both sides on two threads and
//!   returns the sorted list of [`SurfaceChange`]s. This is what the diff
//!   command calls.
//! - [`document_surface_changes`]: the same from the documents as read
//!   (JSON values): focuses them first, so only the focused part is typed
//!   and checked for the generator. This is what `spec-diff` runs.
//! - [`surface_changes_exact`]: the same on the whole documents (slower;
//!   the reference the focused run is tested against).
//! - [`SdkSurface::from_spec`] and [`diff_surfaces`]: the same in steps, for
//!   a caller that schedules the generations itself (each `from_spec` is
//!   independent, and `Spec` and `SdkSurface` are `Send`).
//! - [`SdkSurface::from_source`]: the surface of already generated code
//!   (such as the `generated.rs` that `build.rs` writes).
//!
//! # Cost
//!
//! Measured on the 2-core machine, on the focused part of the ~60-operation /
//! 90 KB pair of `cargo xtask bench-spec-diff` (23 paths, 39 schemas), with
//! the `release-tools` build: ~5-7 ms of progenitor and ~3 ms of reading its
//! tokens (and dropping them) per side. The reader works on the token trees
//! directly; with syn it took ~10 ms. 6,600 operations / 10 MB: ~1.6 s of
//! progenitor per side. [`focus`] saves what the change does not reach.
//!
//! # What counts as breaking
//!
//! Every change carries a [`Breakage`] (how existing code is affected) and a
//! final `breaking` verdict. The rules, per item kind:
//!
//! | change | breakage | breaking |
//! | --- | --- | --- |
//! | `Client` method removed (operation removed, or operationId renamed: removed + added) | compile | yes |
//! | `Client` method added | none | no |
//! | builder parameter method removed (`builder::Op::param`) | compile | yes |
//! | builder parameter method added, optional | none | no |
//! | builder parameter method added, required | runtime: `send()` returns `Error::InvalidRequest` until it is set | yes |
//! | builder parameter became required | runtime | yes |
//! | builder parameter became optional | none | no |
//! | builder parameter type changed (the `TryInto<T>` target) | compile | yes |
//! | `send()` success or error type changed | compile | yes |
//! | type removed (renamed = removed + added), or its kind changed (struct ↔ enum) | compile | yes |
//! | type added | none | no |
//! | struct field removed, field type changed (including `T` ↔ `Option<T>`) | compile | yes |
//! | struct field added, struct reachable from a request (body or parameter) | struct literal: `Struct { .. }` literals and exhaustive patterns stop compiling | yes |
//! | struct field added, struct used only in responses | struct literal | no (see below) |
//! | enum variant added | compile: exhaustive `match` stops compiling (generated enums are not `#[non_exhaustive]`) | yes |
//! | enum variant removed, or its payload changed | compile | yes |
//! | `types::builder::T` setter removed or its type changed | compile | yes |
//! | `types::builder::T` setter added, required | runtime: `TryFrom` fails with "no value supplied" | yes |
//! | `types::builder::T` setter added, optional | none | no |
//! | trait impl or derive removed (for example `Default` when a field becomes required) | compile | yes |
//! | trait impl, derive or other item added | none | no |
//! | any other public function removed or its signature changed | compile | yes |
//!
//! Why struct fields are counted that way: every generated struct has only
//! public fields and no `#[non_exhaustive]`, so *any* added field breaks code
//! that builds the struct with a literal. Callers build request types (the
//! ones reachable from an operation's body or parameters), so for those an
//! added field, required or not, is breaking. Response-only types are built
//! only by tests and mocks; counting every new response property as a major
//! change would make nearly every spec update a major release, so those are
//! reported with [`Breakage::StructLiteral`] and `breaking: false`, and the
//! caller may choose to be stricter. Reading a field never breaks when fields
//! are added.
//!
//! Renames are not paired: a renamed operationId is a removed method plus an
//! added one, both carrying the same HTTP method and path in their
//! [`Origin`], so the caller can pair them.
//!
//! # Attribution
//!
//! Every change has an [`Origin`]: the operation (operationId, HTTP method,
//! path) for `Client` methods and `builder::*` items, and for `types::*`
//! items the Rust type name, the `components/schemas` key it was generated
//! from when there is one (inline schemas have none), and the operationIds
//! whose parameters, body or responses reach the type.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use upstash_api_codegen::{Spec, SpecError};

use super::sdk_cache::SurfaceCache;
use super::sdk_focus::{self, Focus, RefGraph, path_node, schema_node};
pub use super::sdk_tokens::leave_tokens_to_exit;
use super::sdk_tokens::{
    self, FnItem, ImplHeader, Shape, is_ident, is_punct, is_word_char, skip_attributes,
};
use super::wait;

/// The generated-code module that holds the schema types.
const TYPES: &str = "types";
/// The module of the generated open enums (`upstash_api_codegen::open_enums`).
const OPEN_ENUMS: &str = "open_enums";

/// Generates the client for both specs (on two threads) and lists how the
/// public Rust surface changed from `old` to `new`, sorted by item path.
///
/// Only the part of each spec that can change the surface is generated (see
/// [`focus`]): the paths that differ, the component schemas that differ, the
/// paths that reach a differing schema, and the schemas all of those reach.
/// [`surface_changes_exact`] generates the whole documents instead.
///
/// Each side's surface is looked up in, and stored to, the on-disk cache the
/// environment selects ([`SurfaceCache::from_env`]; `SPEC_DIFF_CACHE=off`
/// turns it off), keyed by its focused spec and the generator version.
///
/// Errors are the generator's, unchanged (a spec progenitor cannot take), or
/// a [`SpecError`] saying the generated code could not be read.
pub fn surface_changes(old: &Spec, new: &Spec) -> Result<Vec<SurfaceChange>, SpecError> {
    surface_changes_cached(old, new, SurfaceCache::from_env().as_ref())
}

/// [`surface_changes`] with the cache given: `None` generates both sides.
/// Each side is cached on its own, so a hit on one still generates the other.
pub fn surface_changes_cached(
    old: &Spec,
    new: &Spec,
    cache: Option<&SurfaceCache>,
) -> Result<Vec<SurfaceChange>, SpecError> {
    let (old, new) = focus(old, new);
    let (old_surface, new_surface) = generate_pair(&old, &new, cache)?;
    Ok(diff_surfaces(&old_surface, &new_surface))
}

/// Like [`surface_changes`], but generates the whole of both documents:
/// slower on a large spec, and the reference the focused run is tested
/// against. It never uses the cache.
pub fn surface_changes_exact(old: &Spec, new: &Spec) -> Result<Vec<SurfaceChange>, SpecError> {
    let (old_surface, new_surface) = generate_pair(old, new, None)?;
    Ok(diff_surfaces(&old_surface, &new_surface))
}

/// [`surface_changes`] from the documents as read (OpenAPI JSON values):
/// what `spec-diff` runs. The focus is taken on the documents, then each
/// side's focused document is checked and typed for the generator
/// ([`Spec::from_value`]) and generated, on its own thread; the unchanged
/// part of a spec is neither typed, nor checked, nor generated. An error
/// names the side (`old spec: ...`) and is either the generator's checks
/// refusing the changed part or the generator failing on it.
pub fn document_surface_changes(
    old: &serde_json::Value,
    new: &serde_json::Value,
    cache: Option<&SurfaceCache>,
) -> Result<Vec<SurfaceChange>, SpecError> {
    focused_surface_changes(&Focus::of_documents(old, new), old, new, cache)
}

/// [`document_surface_changes`] with the focus of the two documents
/// already taken (spec-diff takes it while the wire diff runs).
pub fn focused_surface_changes(
    focus: &Focus,
    old: &serde_json::Value,
    new: &serde_json::Value,
    cache: Option<&SurfaceCache>,
) -> Result<Vec<SurfaceChange>, SpecError> {
    let side = |document: &serde_json::Value| {
        let spec = Spec::from_value(focus.restrict_document(document))?;
        SurfaceCache::surface_or_generate(cache, &spec, SdkSurface::from_spec)
    };
    on_two_threads(
        || side(old),
        || side(new),
        |old, new| diff_surfaces(&old, &new),
    )
}

/// How [`SdkSurface::from_spec_in_parts`] splits a spec: the nodes
/// (paths, schemas) each part keeps. Parts are built one at a time.
struct Split {
    /// The spec without paths and component schemas.
    skeleton: Spec,
    parts: Vec<Focus>,
}

impl Split {
    fn new(spec: &Spec, parts: usize) -> Split {
        let document = serde_json::to_value(&spec.openapi).unwrap_or(serde_json::Value::Null);
        let graph = RefGraph::of_document(&document);
        let mut buckets: Vec<Vec<String>> = vec![Vec::new(); parts.max(1)];
        let count = buckets.len() as u64;
        for path in spec.openapi.paths.paths.keys() {
            buckets[(fnv1a(path) % count) as usize].push(path_node(path));
        }
        let mut covered: BTreeSet<String> = BTreeSet::new();
        let mut keeps: Vec<BTreeSet<String>> = buckets
            .iter()
            .map(|bucket| {
                let keep = graph.reached(bucket);
                covered.extend(keep.iter().cloned());
                keep
            })
            .collect();
        if let (Some(first), Some(components)) = (keeps.first_mut(), &spec.openapi.components) {
            first.extend(
                components
                    .schemas
                    .keys()
                    .map(|name| schema_node(name))
                    .filter(|node| !covered.contains(node)),
            );
        }
        Split {
            skeleton: sdk_focus::skeleton(spec),
            parts: keeps.into_iter().map(Focus::of_nodes).collect(),
        }
    }

    /// The spec of part `index`: its paths and the schemas they reach.
    fn part(&self, spec: &Spec, index: usize) -> Spec {
        match self.parts.get(index) {
            Some(part) => part.restrict_onto(&self.skeleton, spec),
            None => self.skeleton.clone(),
        }
    }
}

/// FNV-1a: a hash that is the same on every run and platform.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Cuts both specs down to what can change the generated surface (see
/// [`sdk_focus`]).
pub fn focus(old: &Spec, new: &Spec) -> (Spec, Spec) {
    let focus = Focus::of_specs(old, new);
    (focus.restrict_spec(old), focus.restrict_spec(new))
}

/// Builds both surfaces concurrently, on two threads, each from `cache` when
/// it holds it.
fn generate_pair(
    old: &Spec,
    new: &Spec,
    cache: Option<&SurfaceCache>,
) -> Result<(SdkSurface, SdkSurface), SpecError> {
    let side = |spec: &Spec| SurfaceCache::surface_or_generate(cache, spec, SdkSurface::from_spec);
    on_two_threads(|| side(old), || side(new), |old, new| (old, new))
}

/// Runs `old` and `new` on two threads, then `then` on their results;
/// their errors are attributed to the old and the new spec. The results
/// are sent back as soon as they are ready, so `then` runs while the two
/// threads wind down (freeing a thread's allocator state takes a few
/// tenths of a millisecond).
fn on_two_threads<T: Send, R>(
    old: impl FnOnce() -> Result<T, SpecError> + Send,
    new: impl FnOnce() -> Result<T, SpecError> + Send,
    then: impl FnOnce(T, T) -> R,
) -> Result<R, SpecError> {
    std::thread::scope(|scope| {
        let (old_sender, old_result) = std::sync::mpsc::channel();
        let (new_sender, new_result) = std::sync::mpsc::channel();
        let old_side = spawn_side(scope, "old", move || {
            let _ = old_sender.send(old());
            Ok(())
        });
        let new_side = spawn_side(scope, "new", move || {
            let _ = new_sender.send(new());
            Ok(())
        });
        let outcome = match (wait::recv(&old_result), wait::recv(&new_result)) {
            (Ok(old), Ok(new)) => Some(old.map_err(|e| e.in_file("old spec")).and_then(|old| {
                let new = new.map_err(|e| e.in_file("new spec"))?;
                Ok(then(old, new))
            })),
            // A thread that did not start, or crashed, sent nothing: the
            // joins below say which.
            _ => None,
        };
        let old_joined = join_side(old_side, "old").map_err(|e| e.in_file("old spec"));
        let new_joined = join_side(new_side, "new").map_err(|e| e.in_file("new spec"));
        match outcome {
            Some(outcome) => outcome,
            None => old_joined.and(new_joined).and(Err(SpecError::new(
                "a generator thread ended without a result",
            ))),
        }
    })
}

type SideHandle<'scope, T> = std::thread::ScopedJoinHandle<'scope, Result<T, SpecError>>;

fn spawn_side<'scope, T: Send + 'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    side: &str,
    job: impl FnOnce() -> Result<T, SpecError> + Send + 'scope,
) -> Result<SideHandle<'scope, T>, SpecError> {
    std::thread::Builder::new()
        .name(format!("sdk-surface-{side}"))
        .spawn_scoped(scope, job)
        .map_err(|e| SpecError::new(format!("cannot start a generator thread: {e}")))
}

fn join_side<T>(handle: Result<SideHandle<'_, T>, SpecError>, side: &str) -> Result<T, SpecError> {
    handle.and_then(|h| {
        wait::join(h).unwrap_or_else(|_| {
            Err(SpecError::new(format!(
                "generating the Rust surface of the {side} spec crashed"
            )))
        })
    })
}

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
    /// Whether this change counts as breaking the Rust API (see the module
    /// documentation for the rules).
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
            (None, Some(new)) if self.kind.shows_type() => {
                format!("{}: {}: {new}", self.kind, self.item)
            }
            (Some(old), None) if self.kind.shows_type() => {
                format!("{}: {}: {old}", self.kind, self.item)
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
    /// The success type `T` of `send() -> Result<ResponseValue<T>, Error<E>>` changed.
    ResponseTypeChanged,
    /// The error type `E` of `send() -> Result<ResponseValue<T>, Error<E>>` changed.
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

    /// Whether the item exists only on the old side.
    pub fn is_removal(self) -> bool {
        matches!(
            self,
            ChangeKind::MethodRemoved
                | ChangeKind::ParameterRemoved
                | ChangeKind::TypeRemoved
                | ChangeKind::FieldRemoved
                | ChangeKind::VariantRemoved
                | ChangeKind::BuilderSetterRemoved
                | ChangeKind::TraitImplRemoved
                | ChangeKind::FunctionRemoved
        )
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
        let text = self.rule_id().trim_start_matches("sdk-").replace('-', " ");
        f.write_str(&text)
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

impl Breakage {
    /// Whether some code that compiled against the old API no longer does.
    pub fn breaks_compilation(self) -> bool {
        matches!(self, Breakage::StructLiteral | Breakage::Compile)
    }
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
///
/// [`SdkSurface::to_json`] and [`SdkSurface::from_json`] store it (for
/// [`SurfaceCache`]); the format is internal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SdkSurface {
    /// Every public type and function, by its path in the generated module.
    items: BTreeMap<String, Item>,
    /// The trait impls and derives, by the path of the type they are for.
    traits: BTreeMap<String, BTreeSet<String>>,
    /// The operations: `Client` method name to spec operation.
    operations: BTreeMap<String, OperationRef>,
    /// Operation builder path (`builder::RestoreBackup`) to `Client` method name.
    builders: BTreeMap<String, String>,
    /// Generated type name to `components/schemas` key.
    components: BTreeMap<String, String>,
    /// Generated type name (in `types`) to the type names whose fields or
    /// variants refer to it.
    referrers: BTreeMap<String, BTreeSet<String>>,
    /// Generated type name to the `Client` methods whose builder refers to
    /// it directly, each with whether it is a request (parameter or body)
    /// rather than a response.
    roots: BTreeMap<String, BTreeSet<(String, bool)>>,
}

/// Who uses a generated type: computed on demand, for changed types only
/// (doing it for every type is quadratic on a large spec).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Usage {
    /// The `Client` methods whose parameters, body or responses reach it.
    methods: BTreeSet<String>,
    /// Whether a request (a parameter or body) reaches it.
    request: bool,
}

/// Where a `Client` method comes from in the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
struct OperationRef {
    operation_id: String,
    method: String,
    path: String,
}

/// One public item.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Item {
    /// A struct: its public fields and public inherent methods.
    Struct {
        fields: BTreeMap<String, FieldInfo>,
        /// Whether every field is public, so that literals can build it.
        constructible: bool,
        methods: BTreeMap<String, MethodInfo>,
    },
    /// An enum: variant name to payload (`""` for unit variants).
    Enum {
        variants: BTreeMap<String, String>,
        methods: BTreeMap<String, MethodInfo>,
    },
    /// A type alias, with its target.
    Alias(String),
    /// A free function or constant, with its signature.
    Function(String),
}

impl Item {
    fn kind_name(&self) -> &'static str {
        match self {
            Item::Struct { .. } => "struct",
            Item::Enum { .. } => "enum",
            Item::Alias(_) => "type alias",
            Item::Function(_) => "function",
        }
    }

    fn methods(&self) -> Option<&BTreeMap<String, MethodInfo>> {
        match self {
            Item::Struct { methods, .. } | Item::Enum { methods, .. } => Some(methods),
            Item::Alias(_) | Item::Function(_) => None,
        }
    }

    fn methods_mut(&mut self) -> Option<&mut BTreeMap<String, MethodInfo>> {
        match self {
            Item::Struct { methods, .. } | Item::Enum { methods, .. } => Some(methods),
            Item::Alias(_) | Item::Function(_) => None,
        }
    }
}

/// A public struct field.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FieldInfo {
    ty: String,
    required: bool,
}

/// A public inherent method.
#[derive(Debug, Clone, PartialEq, Eq)]
struct MethodInfo {
    /// The whole signature, normalised.
    signature: String,
    /// For a setter (`fn name<V>(self, value: V) -> Self where V: TryInto<T>`),
    /// the target type `T`.
    setter_type: Option<String>,
    /// For `send`, the `T` and `E` of `Result<ResponseValue<T>, Error<E>>`.
    send_types: Option<(String, String)>,
    /// Whether the value behind this setter must be set (its initial value
    /// in `new()` or `Default::default()` is an `Err`).
    required: bool,
}

impl SdkSurface {
    /// Generates the client for `spec` exactly as `build.rs` does and reads
    /// its public surface, attributing items to the spec's operations and
    /// component schemas.
    ///
    /// This runs progenitor with [`upstash_api_codegen::settings::generation_settings`]
    /// (what [`upstash_api_codegen::generate::client`] runs) and reads its
    /// token stream directly: formatting the code and parsing it back would
    /// cost several times the generation itself on a large spec. A panic in
    /// the generator becomes an error, and its message is not printed.
    pub fn from_spec(spec: &Spec) -> Result<SdkSurface, SpecError> {
        SdkSurface::from_spec_in_parts(spec, 1)
    }

    /// Like [`SdkSurface::from_spec`], generating the spec in `parts` runs
    /// of the generator, one after the other, to bound memory. It is a
    /// trade: every part generates the schemas its paths reach again; on the
    /// synthetic 10 MB spec, whose schemas refer to each other densely, 10
    /// parts peak at 500 MB instead of 860 MB but take 21 s instead of
    /// 4.5 s, so nothing uses parts by default. Each run gets
    /// a share of the paths (by a hash of the path, so a path lands in the
    /// same part whatever else the spec holds) and the component schemas
    /// those reach; schemas no path reaches go with the first part. The
    /// surfaces are merged. Each generator run's tokens are dropped before
    /// the next starts, so the peak is that of the largest part.
    ///
    /// The one way this can differ from a single run is typify's renaming of
    /// colliding type names (see [`focus`]).
    pub fn from_spec_in_parts(spec: &Spec, parts: usize) -> Result<SdkSurface, SpecError> {
        let mut collector = Collector::default();
        if parts <= 1 {
            collector.module("", upstash_api_codegen::generate::client_tokens(spec)?);
        } else {
            let split = Split::new(spec, parts);
            for index in 0..parts {
                let part = split.part(spec, index);
                collector.module("", upstash_api_codegen::generate::client_tokens(&part)?);
            }
        }
        let mut surface = collector.finish();
        surface.attribute(spec);
        Ok(surface)
    }

    /// Reads the public surface of generated source code (such as the
    /// `generated.rs` that `build.rs` writes), without spec attribution:
    /// origins then carry empty HTTP methods and paths and no component names.
    pub fn from_source(code: &str) -> Result<SdkSurface, SpecError> {
        let tokens: TokenStream = code.parse().map_err(|e| {
            SpecError::new(format!("the generated code is not valid Rust tokens ({e})"))
        })?;
        Ok(SdkSurface::from_tokens(tokens))
    }

    /// Reads the public surface from the generator's tokens. Function bodies
    /// are skipped as opaque token trees, except constructors (`new`,
    /// `Default::default`), whose `Err(..)` initialisers say which builder
    /// values are required.
    fn from_tokens(tokens: TokenStream) -> SdkSurface {
        let mut collector = Collector::default();
        collector.module("", tokens);
        collector.finish()
    }

    /// The number of public items (types and functions) read.
    pub fn item_count(&self) -> usize {
        self.items.len()
    }

    /// Fills in the spec side of the attribution: operationIds with their
    /// HTTP method and path, and component schema names.
    fn attribute(&mut self, spec: &Spec) {
        let mut by_key: HashMap<String, OperationRef> = HashMap::new();
        for (path, item) in spec.openapi.paths.paths.iter() {
            let Some(item) = item.as_item() else { continue };
            for (method, op) in item.iter() {
                if let Some(id) = &op.operation_id {
                    by_key.insert(
                        loose_key(id),
                        OperationRef {
                            operation_id: id.clone(),
                            method: method.to_ascii_uppercase(),
                            path: path.clone(),
                        },
                    );
                }
            }
        }
        for (name, op) in self.operations.iter_mut() {
            if let Some(found) = by_key.get(&loose_key(name)) {
                *op = found.clone();
            }
        }
        let mut components: HashMap<String, &String> = HashMap::new();
        if let Some(c) = &spec.openapi.components {
            for key in c.schemas.keys() {
                components.insert(loose_key(key), key);
            }
        }
        for path in self.items.keys() {
            let Some(name) = path.strip_prefix("types::") else {
                continue;
            };
            if name.contains("::") {
                continue;
            }
            if let Some(key) = components.get(&loose_key(name)) {
                self.components.insert(name.to_string(), (*key).clone());
            }
        }
    }

    fn origin_of(&self, path: &str) -> Origin {
        if let Some(rest) = path.strip_prefix("Client::") {
            let method = rest.split("::").next().unwrap_or(rest);
            if let Some(op) = self.operations.get(method) {
                return Origin::Operation {
                    operation_id: op.operation_id.clone(),
                    method: op.method.clone(),
                    path: op.path.clone(),
                };
            }
            return Origin::Generator;
        }
        if let Some(rest) = path.strip_prefix("builder::") {
            let builder = format!("builder::{}", rest.split("::").next().unwrap_or(rest));
            if let Some(op) = self
                .builders
                .get(&builder)
                .and_then(|method| self.operations.get(method))
            {
                return Origin::Operation {
                    operation_id: op.operation_id.clone(),
                    method: op.method.clone(),
                    path: op.path.clone(),
                };
            }
            return Origin::Generator;
        }
        let type_name = path
            .strip_prefix("types::builder::")
            .or_else(|| path.strip_prefix("types::"))
            .map(|rest| rest.split("::").next().unwrap_or(rest));
        match type_name {
            Some(name) if name != "error" && name != "defaults" => Origin::Schema {
                rust_type: name.to_string(),
                component: self.components.get(name).cloned(),
                used_by: Vec::new(),
            },
            _ => Origin::Generator,
        }
    }
}

/// Lower-case letters and digits only: `restoreBackup`, `restore_backup`
/// and `RestoreBackup` all give `restorebackup` (codegen's rule, which
/// matches the build's operation facts to the spec the same way).
fn loose_key(name: &str) -> String {
    upstash_api_codegen::names::loose(name)
}

/// Walks the generated file and records its public items.
#[derive(Default)]
struct Collector {
    surface: SdkSurface,
    /// Fields that start as `Err(..)` in a constructor, per struct path.
    required_fields: BTreeMap<String, BTreeSet<String>>,
    /// `Client` method name to the builder struct it returns.
    client_builders: BTreeMap<String, String>,
    /// Type names each struct or enum in `types` refers to.
    type_refs: BTreeMap<String, BTreeSet<String>>,
}

impl Collector {
    /// Reads the items of a module (or the file) at `prefix`.
    ///
    /// The module is split into items on the token level and each item is
    /// read by [`sdk_tokens`](super::sdk_tokens): whole structs and enums,
    /// impl headers, function signatures; function bodies stay opaque,
    /// except constructors'. The tokens are then disposed of
    /// ([`sdk_tokens::dispose`]).
    fn module(&mut self, prefix: &str, tokens: TokenStream) {
        self.items(prefix, tokens.into_iter().collect());
    }

    /// Reads the items among `tokens`. The bodies of modules and impls are
    /// moved out of their groups ([`sdk_tokens::take_inner`]) to be read.
    fn items(&mut self, prefix: &str, mut tokens: Vec<TokenTree>) {
        for range in split_items(&tokens) {
            let item = &mut tokens[range];
            let head = ItemHead::of(item);
            match head.keyword.as_deref() {
                Some("mod") => {
                    let name = match item.get(head.at + 1) {
                        Some(TokenTree::Ident(name)) if head.public => name.to_string(),
                        _ => continue,
                    };
                    // The open enums are re-exported in `types`, where users
                    // (and the rest of this analysis) find them.
                    let name = if prefix.is_empty() && name == OPEN_ENUMS {
                        TYPES.to_string()
                    } else {
                        name
                    };
                    if let Some(body) = item
                        .last_mut()
                        .and_then(|last| sdk_tokens::take_inner(last, Delimiter::Brace))
                    {
                        self.items(&join(prefix, &name), body);
                    }
                }
                Some("impl") => self.implementation(prefix, item, head.at),
                Some("fn") => {
                    if let Some(f) = FnItem::of(item)
                        && f.public
                    {
                        let path = join(prefix, &f.name);
                        self.surface
                            .items
                            .insert(path, Item::Function(f.rendered()));
                    }
                }
                // Private items and macros say nothing about the surface.
                _ if !head.public => {}
                Some("struct") => self.structure(prefix, item, head.at),
                Some("enum") => self.enumeration(prefix, item, head.at),
                Some(keyword @ ("type" | "const")) => {
                    if let (Some(TokenTree::Ident(name)), Some(ty)) = (
                        item.get(head.at + 1),
                        sdk_tokens::alias_or_const_type(item, head.at),
                    ) {
                        let path = join(prefix, &name.to_string());
                        let read = if keyword == "type" {
                            Item::Alias(ty)
                        } else {
                            Item::Function(format!("const: {ty}"))
                        };
                        self.surface.items.insert(path, read);
                    }
                }
                _ => {}
            }
        }
        sdk_tokens::dispose(tokens);
    }

    fn structure(&mut self, prefix: &str, item: &mut [TokenTree], keyword_at: usize) {
        let Some(mut shape) = Shape::of(item, keyword_at) else {
            return;
        };
        let path = join(prefix, &shape.name);
        let mut fields = BTreeMap::new();
        let mut constructible = true;
        for field in shape.fields() {
            if !field.public {
                constructible = false;
                continue;
            }
            let required = !field.ty.starts_with("Option<") && !field.serde_default;
            fields.insert(
                field.name,
                FieldInfo {
                    ty: field.ty,
                    required,
                },
            );
        }
        self.derives(&path, std::mem::take(&mut shape.derives));
        if prefix == TYPES {
            let refs = fields.values().map(|f| f.ty.as_str()).collect::<Vec<_>>();
            self.type_refs
                .entry(shape.name.clone())
                .or_default()
                .extend(refs.iter().flat_map(|ty| idents(ty)));
        }
        let methods = self.take_methods(&path);
        self.surface.items.insert(
            path,
            Item::Struct {
                fields,
                constructible,
                methods,
            },
        );
    }

    fn enumeration(&mut self, prefix: &str, item: &mut [TokenTree], keyword_at: usize) {
        let Some(mut shape) = Shape::of(item, keyword_at) else {
            return;
        };
        let path = join(prefix, &shape.name);
        let variants: BTreeMap<String, String> = shape.variants().into_iter().collect();
        self.derives(&path, std::mem::take(&mut shape.derives));
        if prefix == TYPES {
            let refs: BTreeSet<String> = variants.values().flat_map(|p| idents(p)).collect();
            self.type_refs
                .entry(shape.name.clone())
                .or_default()
                .extend(refs);
        }
        let methods = self.take_methods(&path);
        self.surface
            .items
            .insert(path, Item::Enum { variants, methods });
    }

    /// Methods seen in an `impl` before the type itself (impls may come
    /// first in the file) are parked under a placeholder item; take them.
    fn take_methods(&mut self, path: &str) -> BTreeMap<String, MethodInfo> {
        match self.surface.items.remove(path) {
            Some(Item::Struct { methods, .. }) | Some(Item::Enum { methods, .. }) => methods,
            _ => BTreeMap::new(),
        }
    }

    fn derives(&mut self, path: &str, names: Vec<String>) {
        if names.is_empty() {
            return;
        }
        self.surface
            .traits
            .entry(path.to_string())
            .or_default()
            .extend(names);
    }

    /// Reads an `impl` block: its header, its functions as signatures with
    /// opaque bodies (constructors' bodies read for `Err(..)` fields),
    /// other associated items skipped. The body is moved out of its group
    /// to be read, then disposed of.
    fn implementation(&mut self, prefix: &str, item: &mut [TokenTree], impl_at: usize) {
        if let Some(body) = item
            .last_mut()
            .and_then(|last| sdk_tokens::take_inner(last, Delimiter::Brace))
        {
            self.impl_body(prefix, ImplHeader::of(item, impl_at), &body);
            sdk_tokens::dispose(body);
        }
    }

    fn impl_body(&mut self, prefix: &str, header: ImplHeader<'_>, tokens: &[TokenTree]) {
        let Some(self_name) = sdk_tokens::type_name(header.self_type) else {
            return;
        };
        let self_path = resolve(prefix, &self_name);
        if let Some(trait_path) = header.trait_path {
            self.surface
                .traits
                .entry(self_path.clone())
                .or_default()
                .insert(sdk_tokens::render(trait_path));
            // A trait impl's methods are the trait's; only `Default::default`
            // says something (which builder values start unset).
            if header.trait_name().as_deref() == Some("Default") {
                for f in functions(tokens).filter(|f| f.name == "default") {
                    self.constructor_fn(&self_path, &f);
                }
            }
            return;
        }
        for f in functions(tokens) {
            if f.name == "new" {
                self.constructor_fn(&self_path, &f);
            }
            if !f.public {
                continue;
            }
            let method = MethodInfo {
                signature: f.rendered(),
                setter_type: f.setter_type(),
                send_types: if f.name == "send" {
                    f.send_types()
                } else {
                    None
                },
                required: false,
            };
            if self_path == "Client"
                && let Some(builder) = f.returned_type_name()
                && builder.starts_with("builder::")
            {
                self.client_builders.insert(f.name.clone(), builder);
            }
            let entry = self
                .surface
                .items
                .entry(self_path.clone())
                .or_insert_with(|| Item::Struct {
                    fields: BTreeMap::new(),
                    constructible: false,
                    methods: BTreeMap::new(),
                });
            if let Some(methods) = entry.methods_mut() {
                methods.insert(f.name, method);
            }
        }
    }

    /// Records the fields a constructor (`new`, `default`) initialises with
    /// `Err(..)`: the values that must be set before the builder succeeds.
    /// A body that does not end in a struct literal is ignored (no field
    /// required).
    fn constructor_fn(&mut self, self_path: &str, f: &FnItem<'_>) {
        let fields = f.err_fields();
        self.required_fields
            .entry(self_path.to_string())
            .or_default()
            .extend(fields);
    }

    fn finish(mut self) -> SdkSurface {
        // Required setters: the builder field of the same name starts as Err.
        for (path, required) in &self.required_fields {
            if let Some(methods) = self.surface.items.get_mut(path).and_then(Item::methods_mut) {
                for (name, method) in methods.iter_mut() {
                    if method.setter_type.is_some() && required.contains(name) {
                        method.required = true;
                    }
                }
            }
        }
        // Operations: each Client method returning `builder::X`.
        for (method, builder) in &self.client_builders {
            self.surface
                .builders
                .insert(builder.clone(), method.clone());
            self.surface.operations.insert(
                method.clone(),
                OperationRef {
                    operation_id: method.clone(),
                    method: String::new(),
                    path: String::new(),
                },
            );
            let Some(Item::Struct { methods, .. }) = self.surface.items.get(builder) else {
                continue;
            };
            for (name, m) in methods {
                let (text, request) = match &m.setter_type {
                    Some(ty) => (ty, true),
                    None if name == "body_map" || name == "send" => (&m.signature, false),
                    None => continue,
                };
                // `send` returns `Result<ResponseValue<T>, Error<E>>`: the
                // wrappers are progenitor's (its `Error` is not a component
                // named `Error`); only `T` and `E` reach schemas.
                let text = if name == "send" {
                    text.replace("Result<", "<")
                        .replace("ResponseValue<", "<")
                        .replace("Error<", "<")
                } else {
                    text.clone()
                };
                for root in idents(&text).filter(|t| self.type_refs.contains_key(t)) {
                    self.surface
                        .roots
                        .entry(root)
                        .or_default()
                        .insert((method.clone(), request));
                }
            }
        }
        for (name, refs) in &self.type_refs {
            for r in refs.iter().filter(|r| self.type_refs.contains_key(*r)) {
                self.surface
                    .referrers
                    .entry(r.clone())
                    .or_default()
                    .insert(name.clone());
            }
        }
        self.surface
    }
}

/// The functions among the items of an impl body.
fn functions(tokens: &[TokenTree]) -> impl Iterator<Item = FnItem<'_>> {
    split_items(tokens).into_iter().filter_map(move |range| {
        let member = &tokens[range];
        if ItemHead::of(member).keyword.as_deref() == Some("fn") {
            FnItem::of(member)
        } else {
            None
        }
    })
}

/// What an item is, read from its first tokens.
struct ItemHead {
    /// Whether the item is `pub` (without restriction).
    public: bool,
    /// `fn` for any function (`const fn`, `async fn`, ...), `impl` for
    /// `unsafe impl` too, otherwise the first keyword (`struct`, `use`, ...);
    /// `None` for something else.
    keyword: Option<String>,
    /// The index of the keyword token (for `fn`, of the `fn` itself).
    at: usize,
}

impl ItemHead {
    fn of(item: &[TokenTree]) -> ItemHead {
        let mut at = skip_attributes(item, 0);
        let mut public = false;
        if is_ident(item.get(at), "pub") {
            at += 1;
            match item.get(at) {
                Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis => at += 1,
                _ => public = true,
            }
        }
        // Qualifiers before `fn` or `impl`.
        let mut probe = at;
        while let Some(TokenTree::Ident(word)) = item.get(probe) {
            match word.to_string().as_str() {
                "const" | "async" | "unsafe" | "extern" | "default" | "safe" => probe += 1,
                "fn" | "impl" => {
                    return ItemHead {
                        public,
                        keyword: Some(word.to_string()),
                        at: probe,
                    };
                }
                _ => break,
            }
            // `extern "C" fn`: skip the ABI string.
            if let Some(TokenTree::Literal(_)) = item.get(probe) {
                probe += 1;
            }
        }
        let keyword = match item.get(at) {
            Some(TokenTree::Ident(word)) => Some(word.to_string()),
            _ => None,
        };
        ItemHead {
            public,
            keyword,
            at,
        }
    }
}

/// Splits a module's or impl's tokens into items, as index ranges. Inner
/// attributes are dropped. An item ends at its first top-level `;` or, unless
/// it is a `use`, `static`, `const` or `type` item, at its first brace group
/// (a struct's or enum's fields, an impl's, module's or function's body).
fn split_items(tokens: &[TokenTree]) -> Vec<std::ops::Range<usize>> {
    let mut items = Vec::new();
    let mut at = 0;
    while at < tokens.len() {
        if is_punct(tokens.get(at), '#') && is_punct(tokens.get(at + 1), '!') {
            at = skip_attributes(tokens, at).max(at + 1);
            continue;
        }
        let head = ItemHead::of(&tokens[at..]);
        let semicolon_only = matches!(
            head.keyword.as_deref(),
            Some("use" | "static" | "const" | "type")
        );
        let mut end = at + head.at;
        while end < tokens.len() {
            match &tokens[end] {
                TokenTree::Punct(p) if p.as_char() == ';' => break,
                TokenTree::Group(g) if !semicolon_only && g.delimiter() == Delimiter::Brace => {
                    break;
                }
                _ => end += 1,
            }
        }
        let end = (end + 1).min(tokens.len());
        items.push(at..end);
        at = end;
    }
    items
}

/// The operationIds of `Client` methods, sorted.
fn used_by_ids<'a>(surface: &SdkSurface, methods: impl Iterator<Item = &'a String>) -> Vec<String> {
    let mut ids: Vec<String> = methods
        .map(|m| {
            surface
                .operations
                .get(m)
                .map(|op| op.operation_id.clone())
                .unwrap_or_else(|| m.clone())
        })
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}::{name}")
    }
}

/// The path of a type named `name` from inside module `prefix`:
/// `super::Foo` in `types::builder` is `types::Foo`.
fn resolve(prefix: &str, name: &str) -> String {
    let mut module: Vec<&str> = if prefix.is_empty() {
        Vec::new()
    } else {
        prefix.split("::").collect()
    };
    let mut rest = name;
    loop {
        if let Some(r) = rest.strip_prefix("super::") {
            module.pop();
            rest = r;
        } else if let Some(r) = rest.strip_prefix("self::") {
            rest = r;
        } else {
            break;
        }
    }
    if let Some(r) = rest.strip_prefix("crate::") {
        return r.to_string();
    }
    let base = module.join("::");
    join(&base, rest)
}

/// The capitalised identifiers in a type string (candidate type names).
fn idents(ty: &str) -> impl Iterator<Item = String> + '_ {
    ty.split(|c: char| !is_word_char(c))
        .filter(|w| w.chars().next().is_some_and(|c| c.is_ascii_uppercase()))
        .map(str::to_string)
}

/// Lists how the public surface changed from `old` to `new`, sorted by item
/// path then kind. Origins are taken from the side that has the item (the
/// new one when both do).
pub fn diff_surfaces(old: &SdkSurface, new: &SdkSurface) -> Vec<SurfaceChange> {
    let mut diff = Differ {
        old,
        new,
        changes: Vec::new(),
        usages: HashMap::new(),
    };
    diff.items();
    diff.traits();
    let mut changes = diff.changes;
    changes.sort_by(|a, b| a.item.cmp(&b.item).then(a.kind.cmp(&b.kind)));
    changes
}

struct Differ<'a> {
    old: &'a SdkSurface,
    new: &'a SdkSurface,
    changes: Vec<SurfaceChange>,
    /// [`SdkSurface::usage`] of the types asked about, per side (`true`: new).
    usages: HashMap<(bool, String), Usage>,
}

/// How a method of an item is reported, by the module the item lives in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum MethodRole {
    ClientMethod,
    OperationParameter,
    TypeBuilderSetter,
    Other,
}

impl Differ<'_> {
    fn push(
        &mut self,
        item: String,
        kind: ChangeKind,
        breakage: Breakage,
        breaking: bool,
        values: (Option<String>, Option<String>),
    ) {
        let new_first = !kind.is_removal() && self.new.has_item_for(&item);
        let origin = match self.origin(new_first, &item) {
            Origin::Generator => self.origin(!new_first, &item),
            origin => origin,
        };
        self.changes.push(SurfaceChange {
            item,
            kind,
            breakage,
            breaking,
            origin,
            old: values.0,
            new: values.1,
        });
    }

    fn items(&mut self) {
        for (path, old_item) in &self.old.items {
            match self.new.items.get(path) {
                None => {
                    if !self.covered_by_removal(path) {
                        let kind = if matches!(old_item, Item::Function(_)) {
                            ChangeKind::FunctionRemoved
                        } else {
                            ChangeKind::TypeRemoved
                        };
                        self.push(
                            path.clone(),
                            kind,
                            Breakage::Compile,
                            true,
                            (Some(old_item.kind_name().to_string()), None),
                        );
                    }
                }
                Some(new_item) => self.item(path, old_item, new_item),
            }
        }
        for (path, new_item) in &self.new.items {
            if !self.old.items.contains_key(path) && !self.covered_by_addition(path) {
                let kind = if matches!(new_item, Item::Function(_)) {
                    ChangeKind::FunctionAdded
                } else {
                    ChangeKind::TypeAdded
                };
                self.push(
                    path.clone(),
                    kind,
                    Breakage::None,
                    false,
                    (None, Some(new_item.kind_name().to_string())),
                );
            }
        }
    }

    /// An operation builder disappears with its `Client` method, and a type
    /// builder with its type: only the method or type is reported.
    fn covered_by_removal(&self, path: &str) -> bool {
        self.companion(path)
            .is_some_and(|c| self.old.items.contains_key(&c) && !self.new.items.contains_key(&c))
            || self.is_operation_builder(self.old, path)
    }

    fn covered_by_addition(&self, path: &str) -> bool {
        self.companion(path)
            .is_some_and(|c| self.new.items.contains_key(&c) && !self.old.items.contains_key(&c))
            || self.is_operation_builder(self.new, path)
    }

    fn companion(&self, path: &str) -> Option<String> {
        path.strip_prefix("types::builder::")
            .map(|name| format!("types::{name}"))
    }

    fn is_operation_builder(&self, side: &SdkSurface, path: &str) -> bool {
        side.builders.contains_key(path)
    }

    fn item(&mut self, path: &str, old: &Item, new: &Item) {
        match (old, new) {
            (
                Item::Struct {
                    fields: old_fields, ..
                },
                Item::Struct {
                    fields: new_fields,
                    constructible,
                    ..
                },
            ) => self.fields(path, old_fields, new_fields, *constructible),
            (
                Item::Enum {
                    variants: old_variants,
                    ..
                },
                Item::Enum {
                    variants: new_variants,
                    ..
                },
            ) => self.variants(path, old_variants, new_variants),
            (Item::Alias(a), Item::Alias(b)) | (Item::Function(a), Item::Function(b)) => {
                if a != b {
                    self.push(
                        path.to_string(),
                        ChangeKind::FunctionSignatureChanged,
                        Breakage::Compile,
                        true,
                        (Some(a.clone()), Some(b.clone())),
                    );
                }
            }
            _ => self.push(
                path.to_string(),
                ChangeKind::TypeKindChanged,
                Breakage::Compile,
                true,
                (
                    Some(old.kind_name().to_string()),
                    Some(new.kind_name().to_string()),
                ),
            ),
        }
        if let (Some(old_methods), Some(new_methods)) = (old.methods(), new.methods()) {
            self.methods(path, old_methods, new_methods);
        }
    }

    fn fields(
        &mut self,
        path: &str,
        old: &BTreeMap<String, FieldInfo>,
        new: &BTreeMap<String, FieldInfo>,
        constructible: bool,
    ) {
        for (name, old_field) in old {
            let item = format!("{path}::{name}");
            match new.get(name) {
                None => self.push(
                    item,
                    ChangeKind::FieldRemoved,
                    Breakage::Compile,
                    true,
                    (Some(old_field.ty.clone()), None),
                ),
                Some(new_field) if new_field.ty != old_field.ty => self.push(
                    item,
                    ChangeKind::FieldTypeChanged,
                    Breakage::Compile,
                    true,
                    (Some(old_field.ty.clone()), Some(new_field.ty.clone())),
                ),
                Some(_) => {}
            }
        }
        let is_request = match path.strip_prefix("types::") {
            Some(name) => self.usage(true, name).request,
            None => false,
        };
        for (name, new_field) in new {
            if old.contains_key(name) {
                continue;
            }
            let (breakage, breaking) = if constructible {
                (Breakage::StructLiteral, is_request)
            } else {
                (Breakage::None, false)
            };
            self.push(
                format!("{path}::{name}"),
                ChangeKind::FieldAdded {
                    required: new_field.required,
                },
                breakage,
                breaking,
                (None, Some(new_field.ty.clone())),
            );
        }
    }

    fn variants(
        &mut self,
        path: &str,
        old: &BTreeMap<String, String>,
        new: &BTreeMap<String, String>,
    ) {
        for (name, old_payload) in old {
            let item = format!("{path}::{name}");
            match new.get(name) {
                None => self.push(
                    item,
                    ChangeKind::VariantRemoved,
                    Breakage::Compile,
                    true,
                    (non_empty(old_payload), None),
                ),
                Some(new_payload) if new_payload != old_payload => self.push(
                    item,
                    ChangeKind::VariantPayloadChanged,
                    Breakage::Compile,
                    true,
                    (non_empty(old_payload), non_empty(new_payload)),
                ),
                Some(_) => {}
            }
        }
        for (name, new_payload) in new {
            if !old.contains_key(name) {
                self.push(
                    format!("{path}::{name}"),
                    ChangeKind::VariantAdded,
                    Breakage::Compile,
                    true,
                    (None, non_empty(new_payload)),
                );
            }
        }
    }

    fn methods(
        &mut self,
        path: &str,
        old: &BTreeMap<String, MethodInfo>,
        new: &BTreeMap<String, MethodInfo>,
    ) {
        let role = if path == "Client" {
            MethodRole::ClientMethod
        } else if path.starts_with("builder::") {
            MethodRole::OperationParameter
        } else if path.starts_with("types::builder::") {
            MethodRole::TypeBuilderSetter
        } else {
            MethodRole::Other
        };
        for (name, old_method) in old {
            let item = format!("{path}::{name}");
            match new.get(name) {
                None => {
                    let kind = match role {
                        MethodRole::ClientMethod => ChangeKind::MethodRemoved,
                        MethodRole::OperationParameter if old_method.setter_type.is_some() => {
                            ChangeKind::ParameterRemoved
                        }
                        MethodRole::TypeBuilderSetter if old_method.setter_type.is_some() => {
                            ChangeKind::BuilderSetterRemoved
                        }
                        _ => ChangeKind::FunctionRemoved,
                    };
                    let shown = old_method
                        .setter_type
                        .clone()
                        .unwrap_or_else(|| old_method.signature.clone());
                    self.push(item, kind, Breakage::Compile, true, (Some(shown), None));
                }
                Some(new_method) => self.method(role, item, old_method, new_method),
            }
        }
        for (name, new_method) in new {
            if old.contains_key(name) {
                continue;
            }
            let item = format!("{path}::{name}");
            let required = new_method.required;
            let breakage = if required {
                Breakage::Runtime
            } else {
                Breakage::None
            };
            let (kind, shown) = match (role, &new_method.setter_type) {
                (MethodRole::ClientMethod, _) => (ChangeKind::MethodAdded, None),
                (MethodRole::OperationParameter, Some(ty)) => {
                    (ChangeKind::ParameterAdded { required }, Some(ty.clone()))
                }
                (MethodRole::TypeBuilderSetter, Some(ty)) => (
                    ChangeKind::BuilderSetterAdded { required },
                    Some(ty.clone()),
                ),
                _ => (
                    ChangeKind::FunctionAdded,
                    Some(new_method.signature.clone()),
                ),
            };
            self.push(item, kind, breakage, required, (None, shown));
        }
    }

    fn method(&mut self, role: MethodRole, item: String, old: &MethodInfo, new: &MethodInfo) {
        if let (Some((old_ok, old_err)), Some((new_ok, new_err))) =
            (&old.send_types, &new.send_types)
        {
            if old_ok != new_ok {
                self.push(
                    item.clone(),
                    ChangeKind::ResponseTypeChanged,
                    Breakage::Compile,
                    true,
                    (Some(old_ok.clone()), Some(new_ok.clone())),
                );
            }
            if old_err != new_err {
                self.push(
                    item,
                    ChangeKind::ErrorResponseTypeChanged,
                    Breakage::Compile,
                    true,
                    (Some(old_err.clone()), Some(new_err.clone())),
                );
            }
            return;
        }
        let setter_role = matches!(
            role,
            MethodRole::OperationParameter | MethodRole::TypeBuilderSetter
        );
        if let (true, Some(old_ty), Some(new_ty)) =
            (setter_role, &old.setter_type, &new.setter_type)
        {
            let operation = role == MethodRole::OperationParameter;
            if old_ty != new_ty {
                let kind = if operation {
                    ChangeKind::ParameterTypeChanged
                } else {
                    ChangeKind::BuilderSetterTypeChanged
                };
                self.push(
                    item.clone(),
                    kind,
                    Breakage::Compile,
                    true,
                    (Some(old_ty.clone()), Some(new_ty.clone())),
                );
            }
            if old.required != new.required {
                let (kind, breakage) = match (operation, new.required) {
                    (true, true) => (ChangeKind::ParameterBecameRequired, Breakage::Runtime),
                    (true, false) => (ChangeKind::ParameterBecameOptional, Breakage::None),
                    (false, true) => (ChangeKind::BuilderSetterBecameRequired, Breakage::Runtime),
                    (false, false) => (ChangeKind::BuilderSetterBecameOptional, Breakage::None),
                };
                self.push(item, kind, breakage, new.required, (None, None));
            }
            return;
        }
        if old.signature != new.signature {
            let kind = if role == MethodRole::ClientMethod {
                ChangeKind::MethodSignatureChanged
            } else {
                ChangeKind::FunctionSignatureChanged
            };
            self.push(
                item,
                kind,
                Breakage::Compile,
                true,
                (Some(old.signature.clone()), Some(new.signature.clone())),
            );
        }
    }

    fn traits(&mut self) {
        let empty = BTreeSet::new();
        for (path, old_traits) in &self.old.traits {
            // A removed type's impls go with it.
            if !self.new.items.contains_key(path) {
                continue;
            }
            let new_traits = self.new.traits.get(path).unwrap_or(&empty);
            for t in old_traits.difference(new_traits) {
                self.push(
                    format!("impl {t} for {path}"),
                    ChangeKind::TraitImplRemoved,
                    Breakage::Compile,
                    true,
                    (None, None),
                );
            }
        }
        for (path, new_traits) in &self.new.traits {
            if !self.old.items.contains_key(path) {
                continue;
            }
            let old_traits = self.old.traits.get(path).unwrap_or(&empty);
            for t in new_traits.difference(old_traits) {
                self.push(
                    format!("impl {t} for {path}"),
                    ChangeKind::TraitImplAdded,
                    Breakage::None,
                    false,
                    (None, None),
                );
            }
        }
    }
}

impl Differ<'_> {
    /// The origin of the item a change path points into, on one side.
    fn origin(&mut self, new_side: bool, item: &str) -> Origin {
        let side = if new_side { self.new } else { self.old };
        let path = item
            .strip_prefix("impl ")
            .and_then(|rest| rest.rsplit_once(" for ").map(|(_, p)| p))
            .unwrap_or(item);
        match side.origin_of(path) {
            Origin::Schema {
                rust_type,
                component,
                ..
            } => {
                let usage = self.usage(new_side, &rust_type);
                Origin::Schema {
                    used_by: used_by_ids(side, usage.methods.iter()),
                    rust_type,
                    component,
                }
            }
            other => other,
        }
    }

    fn usage(&mut self, new_side: bool, name: &str) -> Usage {
        let side = if new_side { self.new } else { self.old };
        self.usages
            .entry((new_side, name.to_string()))
            .or_insert_with(|| side.usage(name))
            .clone()
    }
}

impl SdkSurface {
    /// Which operations reach the type `name` (in `types`), and whether a
    /// request does: a walk up the types that refer to it.
    fn usage(&self, name: &str) -> Usage {
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
    fn has_item_for(&self, item: &str) -> bool {
        let path = item
            .strip_prefix("impl ")
            .and_then(|rest| rest.rsplit_once(" for ").map(|(_, p)| p))
            .unwrap_or(item);
        self.items.contains_key(path)
            || path
                .rsplit_once("::")
                .is_some_and(|(parent, _)| self.items.contains_key(parent))
    }
}

/// The stored form of an [`SdkSurface`], for [`SurfaceCache`]: explicit
/// JSON, so that reading an entry of another shape fails (and the cache
/// falls back to generating) instead of guessing.
impl SdkSurface {
    /// The surface as JSON (the inverse of [`SdkSurface::from_json`]).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::{Value, json};
        fn map<T>(m: &BTreeMap<String, T>, f: impl Fn(&T) -> Value) -> Value {
            Value::Object(m.iter().map(|(k, v)| (k.clone(), f(v))).collect())
        }
        fn strings<'a>(items: impl IntoIterator<Item = &'a String>) -> Value {
            Value::Array(
                items
                    .into_iter()
                    .map(|s| Value::String(s.clone()))
                    .collect(),
            )
        }
        fn method(m: &MethodInfo) -> Value {
            json!({
                "signature": m.signature,
                "setter_type": m.setter_type,
                "send_types": m.send_types.as_ref().map(|(t, e)| [t, e]),
                "required": m.required,
            })
        }
        fn item(item: &Item) -> Value {
            match item {
                Item::Struct {
                    fields,
                    constructible,
                    methods,
                } => json!({"struct": {
                    "fields": map(fields, |f| json!([f.ty, f.required])),
                    "constructible": constructible,
                    "methods": map(methods, method),
                }}),
                Item::Enum { variants, methods } => json!({"enum": {
                    "variants": map(variants, |p| Value::String(p.clone())),
                    "methods": map(methods, method),
                }}),
                Item::Alias(target) => json!({ "alias": target }),
                Item::Function(signature) => json!({ "function": signature }),
            }
        }
        let string = |s: &String| Value::String(s.clone());
        json!({
            "items": map(&self.items, item),
            "traits": map(&self.traits, |set| strings(set)),
            "operations": map(&self.operations, |o| json!([o.operation_id, o.method, o.path])),
            "builders": map(&self.builders, string),
            "components": map(&self.components, string),
            "referrers": map(&self.referrers, |set| strings(set)),
            "roots": map(&self.roots, |set| {
                Value::Array(set.iter().map(|(m, request)| json!([m, request])).collect())
            }),
        })
    }

    /// Reads what [`SdkSurface::to_json`] wrote; `None` when `value` does
    /// not have that shape.
    pub fn from_json(value: &serde_json::Value) -> Option<SdkSurface> {
        use serde_json::Value;
        fn map<T>(
            value: Option<&Value>,
            f: impl Fn(&Value) -> Option<T>,
        ) -> Option<BTreeMap<String, T>> {
            value?
                .as_object()?
                .iter()
                .map(|(k, v)| Some((k.clone(), f(v)?)))
                .collect()
        }
        fn string(value: &Value) -> Option<String> {
            value.as_str().map(str::to_string)
        }
        fn string_set(value: &Value) -> Option<BTreeSet<String>> {
            value.as_array()?.iter().map(string).collect()
        }
        fn pair(value: &Value) -> Option<(&Value, &Value)> {
            match value.as_array()?.as_slice() {
                [a, b] => Some((a, b)),
                _ => None,
            }
        }
        fn method(value: &Value) -> Option<MethodInfo> {
            let setter_type = match value.get("setter_type")? {
                Value::Null => None,
                other => Some(string(other)?),
            };
            let send_types = match value.get("send_types")? {
                Value::Null => None,
                other => {
                    let (t, e) = pair(other)?;
                    Some((string(t)?, string(e)?))
                }
            };
            Some(MethodInfo {
                signature: string(value.get("signature")?)?,
                setter_type,
                send_types,
                required: value.get("required")?.as_bool()?,
            })
        }
        fn item(value: &Value) -> Option<Item> {
            let object = value.as_object()?;
            let (kind, body) = object.iter().next().filter(|_| object.len() == 1)?;
            Some(match kind.as_str() {
                "struct" => Item::Struct {
                    fields: map(body.get("fields"), |f| {
                        let (ty, required) = pair(f)?;
                        Some(FieldInfo {
                            ty: string(ty)?,
                            required: required.as_bool()?,
                        })
                    })?,
                    constructible: body.get("constructible")?.as_bool()?,
                    methods: map(body.get("methods"), method)?,
                },
                "enum" => Item::Enum {
                    variants: map(body.get("variants"), string)?,
                    methods: map(body.get("methods"), method)?,
                },
                "alias" => Item::Alias(string(body)?),
                "function" => Item::Function(string(body)?),
                _ => return None,
            })
        }
        Some(SdkSurface {
            items: map(value.get("items"), item)?,
            traits: map(value.get("traits"), string_set)?,
            operations: map(value.get("operations"), |o| {
                match o.as_array()?.as_slice() {
                    [id, method, path] => Some(OperationRef {
                        operation_id: string(id)?,
                        method: string(method)?,
                        path: string(path)?,
                    }),
                    _ => None,
                }
            })?,
            builders: map(value.get("builders"), string)?,
            components: map(value.get("components"), string)?,
            referrers: map(value.get("referrers"), string_set)?,
            roots: map(value.get("roots"), |set| {
                set.as_array()?
                    .iter()
                    .map(|entry| {
                        let (m, request) = pair(entry)?;
                        Some((string(m)?, request.as_bool()?))
                    })
                    .collect()
            })?,
        })
    }
}

fn non_empty(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An Upstash-style spec every test edits one detail of.
    const BASE: &str = r##"openapi: 3.0.3
info: {title: Upstash, version: "1.0.0"}
paths:
  /redis/restore-backup/{id}:
    post:
      operationId: restoreBackup
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [backup_id]
              properties:
                backup_id: {type: string}
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: string}}}}
  /redis/database/{id}:
    get:
      operationId: getDatabase
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: limit, in: query, required: false, schema: {type: integer, format: int32}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Database'}}}}
  /redis/database:
    post:
      operationId: createDatabase
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/CreateDatabaseRequest'}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Database'}}}}
components:
  schemas:
    Region: {type: string, enum: [eu-west-1, us-east-1]}
    CreateDatabaseRequest:
      type: object
      required: [name, region]
      properties:
        name: {type: string}
        region: {$ref: '#/components/schemas/Region'}
        tls: {type: boolean}
    Database:
      type: object
      required: [database_id]
      properties:
        database_id: {type: string}
        region: {$ref: '#/components/schemas/Region'}
        size: {type: integer, format: int32}
    Error:
      type: object
      properties:
        error: {type: string}
"##;

    /// `BASE` with each `(from, to)` replacement applied; every `from` must
    /// occur, so a drifting base fails loudly instead of testing nothing.
    fn edited(edits: &[(&str, &str)]) -> String {
        let mut text = BASE.to_string();
        for (from, to) in edits {
            assert!(text.contains(from), "fixture edit does not apply: {from}");
            text = text.replacen(from, to, 1);
        }
        text
    }

    fn changes(old: &str, new: &str) -> Vec<SurfaceChange> {
        let old = Spec::from_text(old).expect("old fixture is a valid spec");
        let new = Spec::from_text(new).expect("new fixture is a valid spec");
        surface_changes(&old, &new).expect("both fixtures generate")
    }

    fn find<'a>(changes: &'a [SurfaceChange], item: &str) -> &'a SurfaceChange {
        changes
            .iter()
            .find(|c| c.item == item)
            .unwrap_or_else(|| panic!("no change for {item}; got:\n{}", listing(changes)))
    }

    fn listing(changes: &[SurfaceChange]) -> String {
        changes
            .iter()
            .map(|c| format!("  {} [{:?}, breaking: {}]\n", c, c.breakage, c.breaking))
            .collect()
    }

    fn operation(id: &str, method: &str, path: &str) -> Origin {
        Origin::Operation {
            operation_id: id.to_string(),
            method: method.to_string(),
            path: path.to_string(),
        }
    }

    #[test]
    fn identical_specs_have_no_changes() {
        assert_eq!(changes(BASE, BASE), Vec::new());
    }

    #[test]
    fn seed_spec_surface_has_the_operation_and_its_types() {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi.yml"))
            .expect("the seed spec is readable");
        let spec = Spec::from_text(&text).expect("the seed spec is valid");
        let surface = SdkSurface::from_spec(&spec).expect("the seed spec generates");
        let Some(Item::Struct { methods, .. }) = surface.items.get("builder::RestoreBackup") else {
            panic!("no builder::RestoreBackup in {:?}", surface.items.keys());
        };
        assert_eq!(methods["id"].setter_type.as_deref(), Some("String"));
        assert!(methods["id"].required);
        assert_eq!(
            methods["send"].send_types,
            Some(("String".to_string(), "()".to_string()))
        );
        assert!(matches!(
            surface.items.get("types::RestoreBackupBody"),
            Some(Item::Struct { fields, .. }) if fields["backup_id"].ty == "String"
        ));
        assert_eq!(
            surface.operations["restore_backup"],
            OperationRef {
                operation_id: "restoreBackup".into(),
                method: "POST".into(),
                path: "/redis/restore-backup/{id}".into(),
            }
        );
    }

    #[test]
    fn formatted_code_and_raw_tokens_give_the_same_surface() {
        let spec = Spec::from_text(BASE).expect("valid spec");
        let raw = SdkSurface::from_spec(&spec).expect("generates");
        let code = upstash_api_codegen::generate::client(&spec).expect("generates");
        let formatted = SdkSurface::from_source(&code).expect("reads");
        assert!(raw.items.len() > 10, "{:?}", raw.items.keys());
        assert_eq!(raw.items, formatted.items);
        assert_eq!(raw.traits, formatted.traits);
        assert_eq!(raw.builders, formatted.builders);
        assert_eq!(raw.roots, formatted.roots);
        assert_eq!(raw.referrers, formatted.referrers);
    }

    #[test]
    fn operation_id_rename_is_a_removed_and_an_added_method() {
        let got = changes(BASE, &edited(&[("restoreBackup", "restoreFromBackup")]));
        let removed = find(&got, "Client::restore_backup");
        assert_eq!(removed.kind, ChangeKind::MethodRemoved);
        assert_eq!(removed.breakage, Breakage::Compile);
        assert!(removed.breaking);
        assert_eq!(
            removed.origin,
            operation("restoreBackup", "POST", "/redis/restore-backup/{id}")
        );
        let added = find(&got, "Client::restore_from_backup");
        assert_eq!(added.kind, ChangeKind::MethodAdded);
        assert!(!added.breaking);
        assert_eq!(
            added.origin,
            operation("restoreFromBackup", "POST", "/redis/restore-backup/{id}")
        );
        // The inline body type is renamed with the operation.
        assert_eq!(
            find(&got, "types::RestoreBackupBody").kind,
            ChangeKind::TypeRemoved
        );
        // The operation builders go with the methods, not reported twice.
        assert!(
            got.iter().all(|c| !c.item.starts_with("builder::")),
            "{}",
            listing(&got)
        );
    }

    #[test]
    fn new_required_body_field_breaks_literals_and_the_builder_at_runtime() {
        let got = changes(
            BASE,
            &edited(&[(
                "required: [backup_id]\n              properties:\n                backup_id: {type: string}",
                "required: [backup_id, target]\n              properties:\n                backup_id: {type: string}\n                target: {type: string}",
            )]),
        );
        let field = find(&got, "types::RestoreBackupBody::target");
        assert_eq!(field.kind, ChangeKind::FieldAdded { required: true });
        assert_eq!(field.breakage, Breakage::StructLiteral);
        assert!(field.breaking);
        assert_eq!(field.new.as_deref(), Some("String"));
        assert_eq!(
            field.origin,
            Origin::Schema {
                rust_type: "RestoreBackupBody".into(),
                component: None,
                used_by: vec!["restoreBackup".into()],
            }
        );
        let setter = find(&got, "types::builder::RestoreBackupBody::target");
        assert_eq!(
            setter.kind,
            ChangeKind::BuilderSetterAdded { required: true }
        );
        assert_eq!(setter.breakage, Breakage::Runtime);
        assert!(setter.breaking);
        assert_eq!(setter.kind.rule_id(), "sdk-required-builder-setter-added");
    }

    #[test]
    fn new_optional_field_breaks_request_literals_but_not_response_types() {
        let got = changes(
            BASE,
            &edited(&[
                (
                    "        tls: {type: boolean}\n",
                    "        tls: {type: boolean}\n        eviction: {type: boolean}\n",
                ),
                (
                    "        size: {type: integer, format: int32}\n",
                    "        size: {type: integer, format: int32}\n        state: {type: string}\n",
                ),
            ]),
        );
        let request = find(&got, "types::CreateDatabaseRequest::eviction");
        assert_eq!(request.kind, ChangeKind::FieldAdded { required: false });
        assert_eq!(request.breakage, Breakage::StructLiteral);
        assert!(request.breaking, "CreateDatabaseRequest is a request body");
        let response = find(&got, "types::Database::state");
        assert_eq!(response.kind, ChangeKind::FieldAdded { required: false });
        assert_eq!(response.breakage, Breakage::StructLiteral);
        assert!(!response.breaking, "Database is only a response");
        assert_eq!(
            response.origin,
            Origin::Schema {
                rust_type: "Database".into(),
                component: Some("Database".into()),
                used_by: vec!["createDatabase".into(), "getDatabase".into()],
            }
        );
        let setter = find(&got, "types::builder::Database::state");
        assert_eq!(
            setter.kind,
            ChangeKind::BuilderSetterAdded { required: false }
        );
        assert_eq!(setter.breakage, Breakage::None);
        assert!(!setter.breaking);
    }

    #[test]
    fn new_enum_value_is_a_new_variant_that_breaks_match() {
        let got = changes(
            BASE,
            &edited(&[(
                "enum: [eu-west-1, us-east-1]",
                "enum: [eu-west-1, eu-west-2, us-east-1]",
            )]),
        );
        assert_eq!(got.len(), 1, "{}", listing(&got));
        let variant = &got[0];
        assert_eq!(variant.item, "types::Region::EuWest2");
        assert_eq!(variant.kind, ChangeKind::VariantAdded);
        assert_eq!(variant.breakage, Breakage::Compile);
        assert!(variant.breaking);
        let Origin::Schema {
            component, used_by, ..
        } = &variant.origin
        else {
            panic!("{:?}", variant.origin);
        };
        assert_eq!(component.as_deref(), Some("Region"));
        assert_eq!(used_by, &["createDatabase", "getDatabase"]);
    }

    #[test]
    fn removed_enum_value_is_a_removed_variant() {
        let got = changes(
            BASE,
            &edited(&[("enum: [eu-west-1, us-east-1]", "enum: [eu-west-1]")]),
        );
        let variant = find(&got, "types::Region::UsEast1");
        assert_eq!(variant.kind, ChangeKind::VariantRemoved);
        assert!(variant.breaking);
    }

    #[test]
    fn new_parameters_are_optional_or_required_builder_methods() {
        let limit = "        - {name: limit, in: query, required: false, schema: {type: integer, format: int32}}\n";
        let got = changes(
            BASE,
            &edited(&[(
                limit,
                &format!(
                    "{limit}        - {{name: cursor, in: query, required: false, schema: {{type: string}}}}\n        - {{name: team, in: query, required: true, schema: {{type: integer, format: int64}}}}\n"
                ),
            )]),
        );
        assert_eq!(got.len(), 2, "{}", listing(&got));
        let cursor = find(&got, "builder::GetDatabase::cursor");
        assert_eq!(cursor.kind, ChangeKind::ParameterAdded { required: false });
        assert_eq!(cursor.breakage, Breakage::None);
        assert!(!cursor.breaking);
        assert_eq!(
            cursor.origin,
            operation("getDatabase", "GET", "/redis/database/{id}")
        );
        let team = find(&got, "builder::GetDatabase::team");
        assert_eq!(team.kind, ChangeKind::ParameterAdded { required: true });
        assert_eq!(team.breakage, Breakage::Runtime);
        assert!(team.breaking);
        assert_eq!(team.new.as_deref(), Some("i64"));
    }

    #[test]
    fn renamed_path_parameter_removes_one_method_and_adds_another() {
        let got = changes(
            BASE,
            &edited(&[
                (
                    "  /redis/database/{id}:",
                    "  /redis/database/{database_id}:",
                ),
                (
                    "operationId: getDatabase\n      parameters:\n        - {name: id,",
                    "operationId: getDatabase\n      parameters:\n        - {name: database_id,",
                ),
            ]),
        );
        assert_eq!(got.len(), 2, "{}", listing(&got));
        let old = find(&got, "builder::GetDatabase::id");
        assert_eq!(old.kind, ChangeKind::ParameterRemoved);
        assert_eq!(old.breakage, Breakage::Compile);
        let new = find(&got, "builder::GetDatabase::database_id");
        assert_eq!(new.kind, ChangeKind::ParameterAdded { required: true });
    }

    #[test]
    fn parameter_schema_change_changes_the_accepted_type() {
        let got = changes(
            BASE,
            &edited(&[(
                "format: int32}}\n      responses",
                "format: int64}}\n      responses",
            )]),
        );
        assert_eq!(got.len(), 1, "{}", listing(&got));
        let limit = &got[0];
        assert_eq!(limit.item, "builder::GetDatabase::limit");
        assert_eq!(limit.kind, ChangeKind::ParameterTypeChanged);
        assert_eq!(
            (limit.old.as_deref(), limit.new.as_deref()),
            (Some("i32"), Some("i64"))
        );
        assert!(limit.breaking);
    }

    #[test]
    fn optional_parameter_becoming_required_fails_at_runtime() {
        let got = changes(
            BASE,
            &edited(&[(
                "name: limit, in: query, required: false",
                "name: limit, in: query, required: true",
            )]),
        );
        let limit = find(&got, "builder::GetDatabase::limit");
        assert_eq!(limit.kind, ChangeKind::ParameterBecameRequired);
        assert_eq!(limit.breakage, Breakage::Runtime);
        let back = changes(
            &edited(&[(
                "name: limit, in: query, required: false",
                "name: limit, in: query, required: true",
            )]),
            BASE,
        );
        let limit = find(&back, "builder::GetDatabase::limit");
        assert_eq!(limit.kind, ChangeKind::ParameterBecameOptional);
        assert!(!limit.breaking);
    }

    #[test]
    fn response_and_error_types_of_send_are_compared() {
        let got = changes(
            BASE,
            &edited(&[(
                "'200': {description: ok, content: {application/json: {schema: {type: string}}}}",
                "'200': {description: ok, content: {application/json: {schema: {type: object, properties: {restored: {type: boolean}}}}}}\n        '400': {description: bad, content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}}",
            )]),
        );
        let ok = got
            .iter()
            .find(|c| c.kind == ChangeKind::ResponseTypeChanged)
            .unwrap_or_else(|| panic!("{}", listing(&got)));
        assert_eq!(ok.item, "builder::RestoreBackup::send");
        assert_eq!(ok.old.as_deref(), Some("String"));
        assert_eq!(ok.new.as_deref(), Some("RestoreBackupResponse"));
        // A documented error body is left to the SDK's `Error` (codegen's
        // `responses` normalisation), so the error type stays `()`.
        assert!(
            got.iter()
                .all(|c| c.kind != ChangeKind::ErrorResponseTypeChanged),
            "{}",
            listing(&got)
        );
        assert_eq!(
            find(&got, "types::RestoreBackupResponse").kind,
            ChangeKind::TypeAdded
        );
    }

    #[test]
    fn field_type_change_and_removal() {
        let got = changes(
            BASE,
            &edited(&[
                (
                    "        size: {type: integer, format: int32}\n",
                    "        size: {type: integer, format: int64}\n",
                ),
                ("        tls: {type: boolean}\n", ""),
            ]),
        );
        let size = find(&got, "types::Database::size");
        assert_eq!(size.kind, ChangeKind::FieldTypeChanged);
        assert_eq!(
            (size.old.as_deref(), size.new.as_deref()),
            (Some("Option<i32>"), Some("Option<i64>"))
        );
        assert!(size.breaking);
        let setter = find(&got, "types::builder::Database::size");
        assert_eq!(setter.kind, ChangeKind::BuilderSetterTypeChanged);
        let tls = find(&got, "types::CreateDatabaseRequest::tls");
        assert_eq!(tls.kind, ChangeKind::FieldRemoved);
        assert_eq!(tls.breakage, Breakage::Compile);
        assert_eq!(
            find(&got, "types::builder::CreateDatabaseRequest::tls").kind,
            ChangeKind::BuilderSetterRemoved
        );
    }

    #[test]
    fn field_becoming_required_changes_its_type_and_drops_default() {
        let got = changes(
            BASE,
            &edited(&[(
                "    Error:\n      type: object\n",
                "    Error:\n      type: object\n      required: [error]\n",
            )]),
        );
        let field = find(&got, "types::Error::error");
        assert_eq!(field.kind, ChangeKind::FieldTypeChanged);
        assert_eq!(
            (field.old.as_deref(), field.new.as_deref()),
            (Some("Option<String>"), Some("String"))
        );
        let default = find(&got, "impl Default for types::Error");
        assert_eq!(default.kind, ChangeKind::TraitImplRemoved);
        assert_eq!(default.breakage, Breakage::Compile);
        assert!(default.breaking);
        let setter: Vec<ChangeKind> = got
            .iter()
            .filter(|c| c.item == "types::builder::Error::error")
            .map(|c| c.kind)
            .collect();
        assert_eq!(
            setter,
            [
                ChangeKind::BuilderSetterTypeChanged,
                ChangeKind::BuilderSetterBecameRequired
            ]
        );
    }

    #[test]
    fn renamed_schema_is_a_removed_type_and_changes_its_users() {
        let got = changes(
            BASE,
            &edited(&[
                ("    CreateDatabaseRequest:\n", "    NewDatabase:\n"),
                (
                    "schema: {$ref: '#/components/schemas/CreateDatabaseRequest'}",
                    "schema: {$ref: '#/components/schemas/NewDatabase'}",
                ),
            ]),
        );
        let removed = find(&got, "types::CreateDatabaseRequest");
        assert_eq!(removed.kind, ChangeKind::TypeRemoved);
        assert!(removed.breaking);
        assert_eq!(
            removed.origin,
            Origin::Schema {
                rust_type: "CreateDatabaseRequest".into(),
                component: Some("CreateDatabaseRequest".into()),
                used_by: vec!["createDatabase".into()],
            }
        );
        assert_eq!(find(&got, "types::NewDatabase").kind, ChangeKind::TypeAdded);
        // Its builder and impls go with it: one change per removed type.
        assert!(
            got.iter()
                .all(|c| !c.item.contains("builder::CreateDatabaseRequest"))
        );
        assert!(
            got.iter().all(|c| !c.item.starts_with("impl ")),
            "{}",
            listing(&got)
        );
        let body = find(&got, "builder::CreateDatabase::body");
        assert_eq!(body.kind, ChangeKind::ParameterTypeChanged);
        assert_eq!(
            (body.old.as_deref(), body.new.as_deref()),
            (Some("CreateDatabaseRequest"), Some("NewDatabase"))
        );
    }

    #[test]
    fn enum_becoming_a_struct_is_a_kind_change() {
        let got = changes(
            BASE,
            &edited(&[(
                "    Region: {type: string, enum: [eu-west-1, us-east-1]}",
                "    Region: {type: object, properties: {name: {type: string}}}",
            )]),
        );
        let region = find(&got, "types::Region");
        assert_eq!(region.kind, ChangeKind::TypeKindChanged);
        assert_eq!(
            (region.old.as_deref(), region.new.as_deref()),
            (Some("enum"), Some("struct"))
        );
    }

    #[test]
    fn focus_keeps_what_reaches_a_change_and_what_that_reaches() {
        let old = Spec::from_text(BASE).expect("valid");
        let new = Spec::from_text(&edited(&[(
            "enum: [eu-west-1, us-east-1]",
            "enum: [eu-west-1, eu-west-2, us-east-1]",
        )]))
        .expect("valid");
        let (old_focus, new_focus) = focus(&old, &new);
        for side in [&old_focus, &new_focus] {
            let paths: BTreeSet<&String> = side.openapi.paths.paths.keys().collect();
            assert_eq!(
                paths,
                BTreeSet::from([
                    &"/redis/database".to_string(),
                    &"/redis/database/{id}".to_string()
                ])
            );
            let schemas: BTreeSet<&String> = side
                .openapi
                .components
                .as_ref()
                .map(|c| c.schemas.keys().collect())
                .unwrap_or_default();
            let expected = ["CreateDatabaseRequest", "Database", "Region"].map(String::from);
            assert_eq!(schemas, expected.iter().collect());
        }
        // Nothing changed: nothing to generate.
        let (same, _) = focus(&old, &old);
        assert!(same.openapi.paths.paths.is_empty());
    }

    #[test]
    fn one_of_branch_change_changes_a_variant_payload() {
        let with_shape = |branches: &str| {
            edited(&[(
                "    Error:\n",
                &format!("    Shape:\n      oneOf:\n{branches}    Error:\n"),
            )])
        };
        let old = with_shape(
            "        - {type: string}\n        - {type: array, items: {type: integer, format: int32}}\n",
        );
        let new = with_shape(
            "        - {type: string}\n        - {type: array, items: {type: integer, format: int64}}\n",
        );
        let got = changes(&old, &new);
        let payload = got
            .iter()
            .find(|c| c.kind == ChangeKind::VariantPayloadChanged)
            .unwrap_or_else(|| panic!("{}", listing(&got)));
        assert!(
            payload.item.starts_with("types::Shape::"),
            "{}",
            payload.item
        );
        assert_eq!(payload.old.as_deref(), Some("(Vec<i32>)"));
        assert_eq!(payload.new.as_deref(), Some("(Vec<i64>)"));
        assert_eq!(payload.breakage, Breakage::Compile);
    }

    #[test]
    fn a_spec_the_generator_rejects_is_an_error_not_a_panic() {
        // progenitor does not take cookie parameters.
        let bad = edited(&[(
            "        - {name: limit, in: query,",
            "        - {name: session, in: cookie, required: false, schema: {type: string}}\n        - {name: limit, in: query,",
        )]);
        let old = Spec::from_text(BASE).expect("valid");
        let new = Spec::from_text(&bad).expect("the loader takes it");
        let err = surface_changes(&old, &new).expect_err("the generator refuses it");
        assert!(err.to_string().contains("new spec"), "{err}");
        assert!(err.to_string().contains("generator"), "{err}");
    }

    #[test]
    fn generating_in_parts_gives_the_same_surface() {
        let spec = Spec::from_text(BASE).expect("valid");
        let whole = SdkSurface::from_spec_in_parts(&spec, 1).expect("generates");
        for parts in [2, 3, 7] {
            let split = SdkSurface::from_spec_in_parts(&spec, parts).expect("generates");
            assert_eq!(split, whole, "{parts} parts");
        }
        assert!(whole.items.contains_key("builder::GetDatabase"));
    }

    #[test]
    fn items_are_split_on_the_token_level() {
        let code = r#"
            #![allow(unused)]
            use a::{b, c};
            const _: () = { fn inner() {} };
            #[derive(Debug)]
            pub struct Tuple(pub String);
            pub(crate) struct Hidden { x: u8 }
            pub const fn f() -> u8 { 1 }
            unsafe impl Send for Tuple {}
            pub mod m { pub enum E { A, B(u8) } }
            pub type Alias = Vec<u8>;
        "#;
        let tokens: Vec<TokenTree> = code
            .parse::<TokenStream>()
            .expect("valid tokens")
            .into_iter()
            .collect();
        let heads: Vec<(bool, Option<String>)> = split_items(&tokens)
            .into_iter()
            .map(|r| {
                let head = ItemHead::of(&tokens[r]);
                (head.public, head.keyword)
            })
            .collect();
        let expected = [
            (false, "use"),
            (false, "const"),
            (true, "struct"),
            (false, "struct"),
            (true, "fn"),
            (false, "impl"),
            (true, "mod"),
            (true, "type"),
        ];
        let expected: Vec<(bool, Option<String>)> = expected
            .iter()
            .map(|(p, k)| (*p, Some(k.to_string())))
            .collect();
        assert_eq!(heads, expected);
        let surface = SdkSurface::from_source(code).expect("reads");
        let paths: Vec<&str> = surface.items.keys().map(String::as_str).collect();
        assert_eq!(paths, ["Alias", "Tuple", "f", "m::E"]);
        assert_eq!(
            surface.traits["Tuple"],
            BTreeSet::from(["Debug".to_string(), "Send".to_string()])
        );
    }

    #[test]
    fn resolve_follows_super() {
        assert_eq!(resolve("types::builder", "super::Region"), "types::Region");
        assert_eq!(resolve("types", "Region"), "types::Region");
        assert_eq!(resolve("", "Client"), "Client");
    }
}
