//! Comparing two surfaces: every public item, field, variant, method and
//! trait impl, each change with how it breaks existing code.
//!
//! Every change carries a [`Breakage`] (how existing code is affected) and
//! a `breaking` verdict; README.md ("What breaks Rust code") has the table
//! of both per kind of change. In short: whatever stops code that uses the
//! generated API as intended from compiling or working is breaking; a field
//! added to a response-only struct breaks only struct literals (tests,
//! mocks) and is not; renames are a removal plus an addition.
//!
//! # Attribution
//!
//! Every change has an [`Origin`]: the operation (operationId, HTTP method,
//! path) for `Client` methods and `builder::*` items, and for `types::*`
//! items the Rust type name, the `components/schemas` key it was generated
//! from when there is one (inline schemas have none), and the operationIds
//! whose parameters, body or responses reach the type.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::surface::{
    Breakage, ChangeKind, FieldInfo, Item, MethodInfo, Origin, SdkSurface, SurfaceChange, Usage,
    used_by_ids,
};

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
    /// Records a change; it is breaking when existing code stops compiling
    /// or working as intended (a struct literal is the caller's call).
    fn push(
        &mut self,
        item: String,
        kind: ChangeKind,
        breakage: Breakage,
        old: Option<String>,
        new: Option<String>,
    ) {
        let new_first = !kind.is_removal() && self.new.has_item_for(&item);
        let origin = match self.origin(new_first, &item) {
            Origin::Generator => self.origin(!new_first, &item),
            origin => origin,
        };
        let breaking = matches!(breakage, Breakage::Compile | Breakage::Runtime);
        self.changes.push(SurfaceChange {
            item,
            kind,
            breakage,
            breaking,
            origin,
            old,
            new,
        });
    }

    /// Records a change of type or signature from `old` to `new`.
    fn changed(&mut self, item: String, kind: ChangeKind, old: &str, new: &str) {
        let (old, new) = (Some(old.to_string()), Some(new.to_string()));
        self.push(item, kind, Breakage::Compile, old, new);
    }

    /// Items on one side only, and what changed in those on both.
    fn items(&mut self) {
        let (old, new) = (self.old, self.new);
        for (path, old_item) in &old.items {
            if let Some(new_item) = new.items.get(path) {
                self.item(path, old_item, new_item);
            }
        }
        let sides = [
            (
                old,
                new,
                false,
                [ChangeKind::FunctionRemoved, ChangeKind::TypeRemoved],
            ),
            (
                new,
                old,
                true,
                [ChangeKind::FunctionAdded, ChangeKind::TypeAdded],
            ),
        ];
        for (has, gone, added, [function, other]) in sides {
            for (path, item) in &has.items {
                if gone.items.contains_key(path) || self.covered(path, has, gone) {
                    continue;
                }
                let kind = if matches!(item, Item::Function(_)) {
                    function
                } else {
                    other
                };
                let shown = Some(item.kind_name().to_string());
                if added {
                    self.push(path.clone(), kind, Breakage::None, None, shown);
                } else {
                    self.push(path.clone(), kind, Breakage::Compile, shown, None);
                }
            }
        }
    }

    /// An operation builder disappears with its `Client` method, and a type
    /// builder with its type: only the method or type is reported. `gone` is
    /// the side the item is missing from.
    fn covered(&self, path: &str, has: &SdkSurface, gone: &SdkSurface) -> bool {
        let companion = path
            .strip_prefix("types::builder::")
            .map(|name| format!("types::{name}"));
        companion.is_some_and(|c| has.items.contains_key(&c) && !gone.items.contains_key(&c))
            || has.builders.contains_key(path)
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
                    self.changed(path.to_string(), ChangeKind::FunctionSignatureChanged, a, b);
                }
            }
            _ => self.push(
                path.to_string(),
                ChangeKind::TypeKindChanged,
                Breakage::Compile,
                Some(old.kind_name().to_string()),
                Some(new.kind_name().to_string()),
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
                    Some(old_field.ty.clone()),
                    None,
                ),
                Some(new_field) if new_field.ty != old_field.ty => self.changed(
                    item,
                    ChangeKind::FieldTypeChanged,
                    &old_field.ty,
                    &new_field.ty,
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
            let breakage = if constructible {
                Breakage::StructLiteral
            } else {
                Breakage::None
            };
            let kind = ChangeKind::FieldAdded {
                required: new_field.required,
            };
            let ty = Some(new_field.ty.clone());
            self.push(format!("{path}::{name}"), kind, breakage, None, ty);
            // Request types are built by callers; response-only ones by tests.
            if let Some(added) = self.changes.last_mut() {
                added.breaking = constructible && is_request;
            }
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
                    non_empty(old_payload),
                    None,
                ),
                Some(new_payload) if new_payload != old_payload => self.push(
                    item,
                    ChangeKind::VariantPayloadChanged,
                    Breakage::Compile,
                    non_empty(old_payload),
                    non_empty(new_payload),
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
                    None,
                    non_empty(new_payload),
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
                    self.push(item, kind, Breakage::Compile, Some(shown), None);
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
            self.push(item, kind, breakage, None, shown);
        }
    }

    fn method(&mut self, role: MethodRole, item: String, old: &MethodInfo, new: &MethodInfo) {
        if let (Some((old_ok, old_err)), Some((new_ok, new_err))) =
            (&old.send_types, &new.send_types)
        {
            if old_ok != new_ok {
                self.changed(
                    item.clone(),
                    ChangeKind::ResponseTypeChanged,
                    old_ok,
                    new_ok,
                );
            }
            if old_err != new_err {
                self.changed(item, ChangeKind::ErrorResponseTypeChanged, old_err, new_err);
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
                self.changed(item.clone(), kind, old_ty, new_ty);
            }
            if old.required != new.required {
                let (kind, breakage) = match (operation, new.required) {
                    (true, true) => (ChangeKind::ParameterBecameRequired, Breakage::Runtime),
                    (true, false) => (ChangeKind::ParameterBecameOptional, Breakage::None),
                    (false, true) => (ChangeKind::BuilderSetterBecameRequired, Breakage::Runtime),
                    (false, false) => (ChangeKind::BuilderSetterBecameOptional, Breakage::None),
                };
                self.push(item, kind, breakage, None, None);
            }
            return;
        }
        if old.signature != new.signature {
            let kind = if role == MethodRole::ClientMethod {
                ChangeKind::MethodSignatureChanged
            } else {
                ChangeKind::FunctionSignatureChanged
            };
            self.changed(item, kind, &old.signature, &new.signature);
        }
    }

    /// Trait impls and derives of the types both sides have (a removed
    /// type's impls go with it).
    fn traits(&mut self) {
        let (old, new) = (self.old, self.new);
        let sides = [
            (old, new, ChangeKind::TraitImplRemoved, Breakage::Compile),
            (new, old, ChangeKind::TraitImplAdded, Breakage::None),
        ];
        let empty = BTreeSet::new();
        for (from, to, kind, breakage) in sides {
            for (path, traits) in &from.traits {
                if !to.items.contains_key(path) {
                    continue;
                }
                for t in traits.difference(to.traits.get(path).unwrap_or(&empty)) {
                    self.push(format!("impl {t} for {path}"), kind, breakage, None, None);
                }
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

fn non_empty(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_string())
}
