//! Comparing two surfaces: every public item, field, variant, method and
//! trait impl, each change with its [`Breakage`], `breaking` verdict and
//! [`Origin`]. docs/SPEC-DIFF.md ("What breaks Rust code") has the table per
//! kind of change. In short: whatever stops code that uses the generated API
//! as intended from compiling or working is breaking; a field or variant
//! added to a `#[non_exhaustive]` type (every generated one) breaks nothing;
//! renames are a removal plus an addition.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::surface::{
    Breakage, ChangeKind, FieldInfo, Item, MethodInfo, Origin, SdkSurface, SurfaceChange, Usage,
    item_path,
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
        self.changes.push(SurfaceChange {
            item,
            kind,
            breakage,
            breaking: matches!(breakage, Breakage::Compile | Breakage::Runtime),
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
                [ChangeKind::FunctionRemoved, ChangeKind::TypeRemoved],
            ),
            (new, old, [ChangeKind::FunctionAdded, ChangeKind::TypeAdded]),
        ];
        for (has, gone, [function, other]) in sides {
            for (path, item) in &has.items {
                if gone.items.contains_key(path) || self.covered(path, has, gone) {
                    continue;
                }
                let kind = match item {
                    Item::Function(_) => function,
                    _ => other,
                };
                let shown = Some(item.kind_name().to_string());
                if kind.is_removal() {
                    self.push(path.clone(), kind, Breakage::Compile, shown, None);
                } else {
                    self.push(path.clone(), kind, Breakage::None, None, shown);
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
            // Both sides come from the same generator, so a type is
            // `#[non_exhaustive]` on both or on neither; what matters is
            // what code written against the old one can have done.
            (
                Item::Struct {
                    fields: a,
                    constructible,
                    exhaustive,
                    ..
                },
                Item::Struct { fields: b, .. },
            ) => self.fields(path, a, b, *constructible && *exhaustive),
            (
                Item::Enum {
                    variants: a,
                    exhaustive,
                    ..
                },
                Item::Enum { variants: b, .. },
            ) => self.variants(path, a, b, *exhaustive),
            (Item::Alias(a), Item::Alias(b)) | (Item::Function(a), Item::Function(b)) => {
                if a != b {
                    self.changed(path.to_string(), ChangeKind::FunctionSignatureChanged, a, b);
                }
            }
            _ => {
                let (a, b) = (old.kind_name(), new.kind_name());
                self.changed(path.to_string(), ChangeKind::TypeKindChanged, a, b);
            }
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
        let is_request = path
            .strip_prefix("types::")
            .is_some_and(|name| self.usage(true, name).request);
        for (name, old_field, new_field) in both(old, new) {
            let item = format!("{path}::{name}");
            match (old_field, new_field) {
                (Some(o), None) => {
                    let ty = Some(o.ty.clone());
                    self.push(item, ChangeKind::FieldRemoved, Breakage::Compile, ty, None);
                }
                (Some(o), Some(n)) if o.ty != n.ty => {
                    self.changed(item, ChangeKind::FieldTypeChanged, &o.ty, &n.ty);
                }
                (None, Some(n)) => {
                    let breakage = if constructible {
                        Breakage::StructLiteral
                    } else {
                        Breakage::None
                    };
                    let required = n.required;
                    let kind = ChangeKind::FieldAdded { required };
                    self.push(item, kind, breakage, None, Some(n.ty.clone()));
                    // Request types are built by callers; response-only ones by tests.
                    if let Some(added) = self.changes.last_mut() {
                        added.breaking = constructible && is_request;
                    }
                }
                _ => {}
            }
        }
    }

    /// Whether the new side's `types::builder::<ty>` has a setter that must
    /// be called before it converts.
    fn builder_requires(&self, ty: &str) -> bool {
        match self.new.items.get(&format!("types::builder::{ty}")) {
            Some(Item::Struct { methods, .. }) => methods.values().any(|m| m.required),
            _ => false,
        }
    }

    /// `exhaustive`: whether the old enum could be matched without `_`, so
    /// that a new variant breaks such a match.
    fn variants(
        &mut self,
        path: &str,
        old: &BTreeMap<String, String>,
        new: &BTreeMap<String, String>,
        exhaustive: bool,
    ) {
        // Unit variants show no payload.
        let shown = |payload: Option<&String>| payload.filter(|p| !p.is_empty()).cloned();
        for (name, old_payload, new_payload) in both(old, new) {
            let kind = match (old_payload, new_payload) {
                (Some(_), None) => ChangeKind::VariantRemoved,
                (None, Some(_)) => ChangeKind::VariantAdded,
                (Some(a), Some(b)) if a != b => ChangeKind::VariantPayloadChanged,
                _ => continue,
            };
            let breakage = match kind {
                ChangeKind::VariantAdded if !exhaustive => Breakage::None,
                _ => Breakage::Compile,
            };
            let (old, new) = (shown(old_payload), shown(new_payload));
            self.push(format!("{path}::{name}"), kind, breakage, old, new);
        }
    }

    fn methods(
        &mut self,
        path: &str,
        old: &BTreeMap<String, MethodInfo>,
        new: &BTreeMap<String, MethodInfo>,
    ) {
        let role = match path {
            "Client" => MethodRole::ClientMethod,
            _ if path.starts_with("builder::") => MethodRole::OperationParameter,
            _ if path.starts_with("types::builder::") => MethodRole::TypeBuilderSetter,
            _ => MethodRole::Other,
        };
        for (name, old_method, new_method) in both(old, new) {
            let item = format!("{path}::{name}");
            match (old_method, new_method) {
                (Some(o), Some(n)) => self.method(role, item, o, n),
                (Some(o), None) => {
                    let kind = match (role, &o.setter_type) {
                        (MethodRole::ClientMethod, _) => ChangeKind::MethodRemoved,
                        (MethodRole::OperationParameter, Some(_)) => ChangeKind::ParameterRemoved,
                        (MethodRole::TypeBuilderSetter, Some(_)) => {
                            ChangeKind::BuilderSetterRemoved
                        }
                        _ => ChangeKind::FunctionRemoved,
                    };
                    let shown = o.setter_type.clone().unwrap_or_else(|| o.signature.clone());
                    self.push(item, kind, Breakage::Compile, Some(shown), None);
                }
                (None, Some(n)) => {
                    // A body starts as its type's empty builder: when that
                    // type has required fields, `send()` fails until it is set.
                    let required = n.required
                        || (role == MethodRole::OperationParameter
                            && name == "body"
                            && n.setter_type
                                .as_deref()
                                .is_some_and(|ty| self.builder_requires(ty)));
                    let (kind, shown) = match (role, &n.setter_type) {
                        (MethodRole::ClientMethod, _) => (ChangeKind::MethodAdded, None),
                        (MethodRole::OperationParameter, Some(ty)) => {
                            (ChangeKind::ParameterAdded { required }, Some(ty.clone()))
                        }
                        (MethodRole::TypeBuilderSetter, Some(ty)) => (
                            ChangeKind::BuilderSetterAdded { required },
                            Some(ty.clone()),
                        ),
                        _ => (ChangeKind::FunctionAdded, Some(n.signature.clone())),
                    };
                    let breakage = if required {
                        Breakage::Runtime
                    } else {
                        Breakage::None
                    };
                    self.push(item, kind, breakage, None, shown);
                }
                (None, None) => {}
            }
        }
    }

    fn method(&mut self, role: MethodRole, item: String, old: &MethodInfo, new: &MethodInfo) {
        let operation = role == MethodRole::OperationParameter;
        let setter = operation || role == MethodRole::TypeBuilderSetter;
        if let (Some((old_ok, old_err)), Some((new_ok, new_err))) =
            (&old.send_types, &new.send_types)
        {
            let types = [
                (ChangeKind::ResponseTypeChanged, old_ok, new_ok),
                (ChangeKind::ErrorResponseTypeChanged, old_err, new_err),
            ];
            for (kind, a, b) in types.into_iter().filter(|(_, a, b)| a != b) {
                self.changed(item.clone(), kind, a, b);
            }
        } else if let (true, Some(old_ty), Some(new_ty)) =
            (setter, &old.setter_type, &new.setter_type)
        {
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
        } else if old.signature != new.signature {
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

    /// The origin of the item a change path points into, on one side.
    fn origin(&mut self, new_side: bool, item: &str) -> Origin {
        let side = if new_side { self.new } else { self.old };
        match side.origin_of(item_path(item)) {
            Origin::Schema {
                rust_type,
                component,
                ..
            } => {
                let usage = self.usage(new_side, &rust_type);
                Origin::Schema {
                    used_by: side.used_by(usage.methods.iter()),
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

/// Every name either map has, in order, with its value on each side.
fn both<'m, V>(
    old: &'m BTreeMap<String, V>,
    new: &'m BTreeMap<String, V>,
) -> impl Iterator<Item = (&'m String, Option<&'m V>, Option<&'m V>)> {
    let names: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    names
        .into_iter()
        .map(move |name| (name, old.get(name), new.get(name)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn surface(code: &str) -> SdkSurface {
        SdkSurface::from_file(&syn::parse_file(code).expect("parses"))
    }

    /// Whether an added field or variant breaks code follows what the old
    /// type allowed other crates to do with it.
    #[test]
    fn additions_break_only_exhaustive_types() {
        let old = surface(
            "pub mod types {
                pub struct Open { pub a: u8 }
                #[non_exhaustive] pub struct Grows { pub a: u8 }
                pub enum Closed { A }
                #[non_exhaustive] pub enum Growing { A }
            }",
        );
        let new = surface(
            "pub mod types {
                pub struct Open { pub a: u8, pub b: Option<u8> }
                #[non_exhaustive] pub struct Grows { pub a: u8, pub b: Option<u8> }
                pub enum Closed { A, B }
                #[non_exhaustive] pub enum Growing { A, B }
            }",
        );
        let changes = diff_surfaces(&old, &new);
        let breakage = |item: &str| {
            changes
                .iter()
                .find(|c| c.item == item)
                .map(|c| c.breakage)
                .unwrap_or_else(|| panic!("no change for {item}: {changes:?}"))
        };
        assert_eq!(breakage("types::Open::b"), Breakage::StructLiteral);
        assert_eq!(breakage("types::Grows::b"), Breakage::None);
        assert_eq!(breakage("types::Closed::B"), Breakage::Compile);
        assert_eq!(breakage("types::Growing::B"), Breakage::None);
    }
}
