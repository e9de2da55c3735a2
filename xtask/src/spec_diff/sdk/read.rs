//! Reading the public items of a generated client into an [`SdkSurface`]:
//! the build's own progenitor run and settings, parsed by `syn`. Read:
//! structs and enums whole, impl headers, function signatures, and the
//! constructors' bodies (`new`, `Default::default`), whose `Err(..)`
//! initialisers say which builder values must be set.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use syn::{Fields, ImplItemFn, Item as SynItem, Type, Visibility};
use upstash_api_codegen::{Spec, SpecError};

use super::render::{is_word_char, render};
use super::surface::{FieldInfo, Item, MethodInfo, OperationRef, SdkSurface};

/// The generated-code module that holds the schema types.
const TYPES: &str = "types";
/// The module of the generated open enums (codegen's `open_enums`).
const OPEN_ENUMS: &str = "open_enums";

impl SdkSurface {
    /// Generates the client for `spec` exactly as `build.rs` does and reads
    /// its public surface, attributing items to the spec's operations and
    /// component schemas. A panic in the generator becomes an error.
    pub fn from_spec(spec: &Spec) -> Result<SdkSurface, SpecError> {
        let tokens = upstash_api_codegen::client_tokens(spec)?;
        let mut file = syn::parse2(signatures_only(tokens))
            .map_err(|e| SpecError::new(format!("the generated code does not parse ({e})")))?;
        // As the build changes its client's public signatures: every type
        // can grow (`#[non_exhaustive]`), every `send` fails with the SDK's
        // `crate::Error`. Neither step reads the bodies left out above.
        upstash_api_codegen::public_api(&mut file)?;
        let mut surface = SdkSurface::from_file(&file);
        surface.attribute(spec);
        Ok(surface)
    }

    /// The public surface of a generated file, without spec attribution:
    /// origins then carry empty HTTP methods and paths and no component names.
    pub(super) fn from_file(file: &syn::File) -> SdkSurface {
        let mut collector = Collector::default();
        collector.items("", &file.items);
        collector.finish()
    }
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

fn public(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

fn non_exhaustive(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("non_exhaustive"))
}

impl Collector {
    /// Reads the items of the module (or file) at `prefix`.
    fn items(&mut self, prefix: &str, items: &[SynItem]) {
        for item in items {
            match item {
                SynItem::Mod(m) if public(&m.vis) => {
                    // The open enums are re-exported in `types`, where users
                    // (and the rest of this analysis) find them.
                    let name = match m.ident.to_string() {
                        name if prefix.is_empty() && name == OPEN_ENUMS => TYPES.to_string(),
                        name => name,
                    };
                    if let Some((_, content)) = &m.content {
                        self.items(&join(prefix, &name), content);
                    }
                }
                SynItem::Impl(block) => self.implementation(prefix, block),
                SynItem::Fn(f) if public(&f.vis) => {
                    let path = join(prefix, &f.sig.ident.to_string());
                    self.surface
                        .items
                        .insert(path, Item::Function(render(&f.sig)));
                }
                SynItem::Struct(s) if public(&s.vis) => self.structure(prefix, s),
                SynItem::Enum(e) if public(&e.vis) => self.enumeration(prefix, e),
                SynItem::Type(t) if public(&t.vis) => {
                    let path = join(prefix, &t.ident.to_string());
                    self.surface.items.insert(path, Item::Alias(render(&t.ty)));
                }
                SynItem::Const(c) if public(&c.vis) => {
                    let path = join(prefix, &c.ident.to_string());
                    let signature = format!("const: {}", render(&c.ty));
                    self.surface.items.insert(path, Item::Function(signature));
                }
                _ => {}
            }
        }
    }

    fn structure(&mut self, prefix: &str, item: &syn::ItemStruct) {
        let mut fields = BTreeMap::new();
        let mut constructible = true;
        for (index, field) in item.fields.iter().enumerate() {
            if !public(&field.vis) {
                constructible = false;
                continue;
            }
            let ty = render(&field.ty);
            let required = !ty.starts_with("Option<") && !serde_default(&field.attrs);
            let name = field
                .ident
                .as_ref()
                .map_or_else(|| index.to_string(), ToString::to_string);
            fields.insert(name, FieldInfo { ty, required });
        }
        let types = fields.values().map(|f| &f.ty);
        let (path, methods) = self.declare(prefix, &item.ident, &item.attrs, types);
        let declared = Item::Struct {
            fields,
            constructible,
            exhaustive: !non_exhaustive(&item.attrs),
            methods,
        };
        self.surface.items.insert(path, declared);
    }

    fn enumeration(&mut self, prefix: &str, item: &syn::ItemEnum) {
        let variants: BTreeMap<String, String> = item
            .variants
            .iter()
            .map(|v| {
                let payload = match &v.fields {
                    Fields::Unit => String::new(),
                    fields => render(fields),
                };
                (v.ident.to_string(), payload)
            })
            .collect();
        let (path, methods) = self.declare(prefix, &item.ident, &item.attrs, variants.values());
        let declared = Item::Enum {
            variants,
            exhaustive: !non_exhaustive(&item.attrs),
            methods,
        };
        self.surface.items.insert(path, declared);
    }

    /// Records a struct or enum's derives and the type names its members'
    /// `types` refer to; gives its path and the methods of impls read
    /// before it (parked under a placeholder item).
    fn declare<'t>(
        &mut self,
        prefix: &str,
        ident: &syn::Ident,
        attrs: &[syn::Attribute],
        types: impl Iterator<Item = &'t String>,
    ) -> (String, BTreeMap<String, MethodInfo>) {
        let name = ident.to_string();
        let path = join(prefix, &name);
        self.derives(&path, attrs);
        if prefix == TYPES {
            let refs = types.flat_map(|ty| idents(ty));
            self.type_refs.entry(name).or_default().extend(refs);
        }
        let methods = match self.surface.items.remove(&path) {
            Some(Item::Struct { methods, .. }) | Some(Item::Enum { methods, .. }) => methods,
            _ => BTreeMap::new(),
        };
        (path, methods)
    }

    /// Records the names in the `#[derive(..)]` attributes among `attrs`.
    fn derives(&mut self, path: &str, attrs: &[syn::Attribute]) {
        let parser = syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated;
        let names: BTreeSet<String> = attrs
            .iter()
            .filter(|a| a.path().is_ident("derive"))
            .filter_map(|a| a.parse_args_with(parser).ok())
            .flatten()
            .map(|p| render(&p))
            .collect();
        if !names.is_empty() {
            self.traits_of(path).extend(names);
        }
    }

    /// The trait impls and derives recorded for the type at `path`.
    fn traits_of(&mut self, path: &str) -> &mut BTreeSet<String> {
        self.surface.traits.entry(path.to_string()).or_default()
    }

    /// Reads an `impl` block: the trait it implements, or its public
    /// methods as signatures; constructors' bodies for required values.
    fn implementation(&mut self, prefix: &str, block: &syn::ItemImpl) {
        let Some(self_name) = path_type_name(&block.self_ty) else {
            return;
        };
        let self_path = resolve(prefix, &self_name);
        let functions = block.items.iter().filter_map(|member| match member {
            syn::ImplItem::Fn(f) => Some(f),
            _ => None,
        });
        if let Some((trait_path, _)) = &block.trait_ {
            self.traits_of(&self_path).insert(render(trait_path));
            // A trait impl's methods are the trait's; only `Default::default`
            // says something (which builder values start unset).
            if let Some(last) = trait_path.segments.last()
                && last.ident == "Default"
            {
                for f in functions.filter(|f| f.sig.ident == "default") {
                    self.constructor(&self_path, f);
                }
            }
            return;
        }
        for f in functions {
            let name = f.sig.ident.to_string();
            if name == "new" {
                self.constructor(&self_path, f);
            }
            if !public(&f.vis) {
                continue;
            }
            let method = MethodInfo {
                signature: render(&f.sig),
                setter_type: setter_type(&f.sig),
                send_types: (name == "send").then(|| send_types(&f.sig)).flatten(),
                required: false,
            };
            if self_path == "Client"
                && let syn::ReturnType::Type(_, output) = &f.sig.output
                && let Some(builder) = path_type_name(output)
                && builder.starts_with("builder::")
            {
                self.client_builders.insert(name.clone(), builder);
            }
            let entry = self
                .surface
                .items
                .entry(self_path.clone())
                .or_insert_with(|| Item::Struct {
                    fields: BTreeMap::new(),
                    constructible: false,
                    exhaustive: true,
                    methods: BTreeMap::new(),
                });
            if let Some(methods) = entry.methods_mut() {
                methods.insert(name, method);
            }
        }
    }

    /// Records the fields a constructor (`new`, `default`) initialises with
    /// `Err(..)`: the values that must be set before the builder succeeds.
    /// A body that does not end in a struct literal requires nothing.
    fn constructor(&mut self, self_path: &str, f: &ImplItemFn) {
        let Some(syn::Stmt::Expr(syn::Expr::Struct(literal), None)) = f.block.stmts.last() else {
            return;
        };
        let unset = literal
            .fields
            .iter()
            .filter_map(|field| match (&field.member, &field.expr) {
                (syn::Member::Named(name), syn::Expr::Call(call)) => match &*call.func {
                    syn::Expr::Path(f) if f.path.is_ident("Err") => Some(name.to_string()),
                    _ => None,
                },
                _ => None,
            });
        self.required_fields
            .entry(self_path.to_string())
            .or_default()
            .extend(unset);
    }

    fn finish(mut self) -> SdkSurface {
        // Required setters: the builder field of the same name starts as Err.
        for (path, required) in &self.required_fields {
            let methods = self.surface.items.get_mut(path).and_then(Item::methods_mut);
            for (name, method) in methods.into_iter().flatten() {
                method.required |= method.setter_type.is_some() && required.contains(name);
            }
        }
        for (method, builder) in &self.client_builders {
            self.surface
                .builders
                .insert(builder.clone(), method.clone());
            let operation = OperationRef {
                operation_id: method.clone(),
                ..OperationRef::default()
            };
            self.surface.operations.insert(method.clone(), operation);
            let Some(Item::Struct { methods, .. }) = self.surface.items.get(builder) else {
                continue;
            };
            for (name, m) in methods {
                // `send` returns `Result<ResponseValue<T>, crate::Error>`:
                // only `T` reaches schemas (the SDK's `Error` is not a
                // component named `Error`).
                let (text, request) = match (&m.setter_type, &m.send_types) {
                    (Some(ty), _) => (ty, true),
                    (None, Some((ok, _))) => (ok, false),
                    (None, None) if name == "body_map" => (&m.signature, false),
                    (None, None) => continue,
                };
                for root in idents(text).filter(|t| self.type_refs.contains_key(t)) {
                    let users = self.surface.roots.entry(root).or_default();
                    users.insert((method.clone(), request));
                }
            }
        }
        for (name, refs) in &self.type_refs {
            for r in refs.iter().filter(|r| self.type_refs.contains_key(*r)) {
                let referrers = self.surface.referrers.entry(r.clone()).or_default();
                referrers.insert(name.clone());
            }
        }
        self.surface
    }
}

/// The generated code without what is not read: function bodies but the
/// constructors', trait impl bodies but `Default`'s, `#[doc]` attributes.
fn signatures_only(tokens: TokenStream) -> TokenStream {
    let mut out = Vec::new();
    // `Some(keep)` between `fn NAME` and its body.
    let mut in_signature: Option<bool> = None;
    let mut after_fn = false;
    // `Some(read)` between `impl` and its body: an inherent impl's body is
    // read (its methods), a trait impl's only for `Default` (a
    // constructor); the trait is in the header.
    let mut in_impl: Option<bool> = None;
    let mut impl_of_default = false;
    let mut tokens = tokens.into_iter().peekable();
    while let Some(token) = tokens.next() {
        let token = match token {
            TokenTree::Punct(hash)
                if hash.as_char() == '#' && tokens.peek().is_some_and(is_doc) =>
            {
                tokens.next();
                continue;
            }
            TokenTree::Ident(word) if word == "impl" && in_signature.is_none() => {
                (in_impl, impl_of_default) = (Some(true), false);
                TokenTree::Ident(word)
            }
            TokenTree::Ident(word) if in_impl.is_some() && (word == "Default" || word == "for") => {
                impl_of_default |= word == "Default";
                if word == "for" {
                    in_impl = Some(impl_of_default);
                }
                TokenTree::Ident(word)
            }
            TokenTree::Ident(name) if after_fn => {
                in_signature = Some(name == "new" || name == "default");
                TokenTree::Ident(name)
            }
            TokenTree::Group(group) if group.delimiter() == Delimiter::Brace => {
                let inner = group.stream();
                // The group goes first, so the inner tokens are moved, not copied.
                drop(group);
                let stream = match (in_signature.take(), in_impl.take()) {
                    (Some(true), _) => inner,
                    (Some(false), _) | (None, Some(false)) => TokenStream::new(),
                    (None, _) => signatures_only(inner),
                };
                TokenTree::Group(Group::new(Delimiter::Brace, stream))
            }
            other => other,
        };
        after_fn = matches!(&token, TokenTree::Ident(word) if word == "fn");
        out.push(token);
    }
    out.into_iter().collect()
}

/// Whether `token` is the `[doc = ..]` of a doc attribute.
fn is_doc(token: &TokenTree) -> bool {
    matches!(token, TokenTree::Group(g) if g.delimiter() == Delimiter::Bracket
        && matches!(g.stream().into_iter().next(), Some(TokenTree::Ident(i)) if i == "doc"))
}

/// Whether a `#[serde(..)]` attribute among `attrs` says `default`.
fn serde_default(attrs: &[syn::Attribute]) -> bool {
    let serde = attrs.iter().filter(|a| a.path().is_ident("serde"));
    let lists = serde.filter_map(|a| a.meta.require_list().ok());
    let mut tokens = lists.flat_map(|list| list.tokens.clone());
    tokens.any(|t| matches!(t, TokenTree::Ident(i) if i == "default"))
}

/// The segments of a plain path type, without generic arguments:
/// `::std::string::String` gives `std::string::String`,
/// `builder::RestoreBackup<'a>` gives `builder::RestoreBackup`. `None` for
/// any other type (a reference, a tuple, a qualified path, ...).
fn path_type_name(ty: &Type) -> Option<String> {
    let Type::Path(path) = ty else { return None };
    let segments = path.path.segments.iter().map(|s| s.ident.to_string());
    path.qself
        .is_none()
        .then(|| segments.collect::<Vec<_>>().join("::"))
}

/// The type arguments of `ty` when it is a plain path whose last segment is
/// `name` (`Result<A, B>` gives `[A, B]`; lifetimes left out).
fn generic_args<'a>(ty: &'a Type, name: &str) -> Option<Vec<&'a Type>> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    let args = match &last.arguments {
        syn::PathArguments::AngleBracketed(a) if path.qself.is_none() && last.ident == name => a,
        _ => return None,
    };
    let types = args.args.iter().filter_map(|a| match a {
        syn::GenericArgument::Type(t) => Some(t),
        _ => None,
    });
    Some(types.collect())
}

/// For `fn name<V>(mut self, value: V) -> Self where V: TryInto<T>`, the
/// `T`, normalised.
fn setter_type(sig: &syn::Signature) -> Option<String> {
    if sig.inputs.len() != 2 {
        return None;
    }
    let predicates = &sig.generics.where_clause.as_ref()?.predicates;
    let bounds = predicates.iter().filter_map(|p| match p {
        syn::WherePredicate::Type(t) => Some(&t.bounds),
        _ => None,
    });
    bounds.flatten().find_map(|bound| {
        let syn::TypeParamBound::Trait(bound) = bound else {
            return None;
        };
        let last = bound.path.segments.last()?;
        match &last.arguments {
            syn::PathArguments::AngleBracketed(a) if last.ident == "TryInto" => {
                a.args.first().map(render)
            }
            _ => None,
        }
    })
}

/// For `send()`: the success and error types of
/// `Result<ResponseValue<T>, E>`, normalised. `E` is what codegen makes
/// every `send` fail with (`crate::Error`, the SDK's one error type), so it
/// is the same for every operation and every spec; it is kept so that a
/// change of it would still be reported.
fn send_types(sig: &syn::Signature) -> Option<(String, String)> {
    let syn::ReturnType::Type(_, output) = &sig.output else {
        return None;
    };
    let [ok, err] = generic_args(output, "Result")?[..] else {
        return None;
    };
    match generic_args(ok, "ResponseValue")?.as_slice() {
        [ok] => Some((render(*ok), render(err))),
        _ => None,
    }
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
    let mut module: Vec<&str> = prefix.split("::").filter(|m| !m.is_empty()).collect();
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
    join(&module.join("::"), rest)
}

/// The capitalised identifiers in a type string (candidate type names).
fn idents(ty: &str) -> impl Iterator<Item = String> + '_ {
    ty.split(|c: char| !is_word_char(c))
        .filter(|w| w.chars().next().is_some_and(|c| c.is_ascii_uppercase()))
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_items_are_read_and_private_ones_skipped() {
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
        let surface = SdkSurface::from_file(&syn::parse_file(code).expect("parses"));
        let paths: Vec<&str> = surface.items.keys().map(String::as_str).collect();
        assert_eq!(paths, ["Alias", "Tuple", "f", "m::E"]);
        assert_eq!(
            surface.traits["Tuple"],
            BTreeSet::from(["Debug".to_string(), "Send".to_string()])
        );
        assert_eq!(
            surface.items["m::E"],
            Item::Enum {
                variants: BTreeMap::from([
                    ("A".to_string(), String::new()),
                    ("B".to_string(), "(u8)".to_string())
                ]),
                exhaustive: true,
                methods: BTreeMap::new()
            }
        );
    }

    #[test]
    fn setters_send_and_constructors_are_read() {
        let code = r#"
            pub mod builder {
                pub struct Op { id: Result<String, String> }
                impl Op {
                    pub fn new() -> Self { Self { id: Err("unset".to_string()) } }
                    pub fn id<V>(mut self, value: V) -> Self where V: std::convert::TryInto<::std::string::String> { self }
                    pub async fn send(self) -> Result<ResponseValue<super::types::Db>, crate::Error> { todo!() }
                }
            }
        "#;
        let surface = SdkSurface::from_file(&syn::parse_file(code).expect("parses"));
        let Some(Item::Struct { methods, .. }) = surface.items.get("builder::Op") else {
            panic!("no builder::Op in {:?}", surface.items.keys());
        };
        assert_eq!(methods["id"].setter_type.as_deref(), Some("String"));
        assert!(methods["id"].required, "starts as Err in new()");
        assert_eq!(
            methods["send"].send_types,
            Some(("Db".to_string(), "crate::Error".to_string()))
        );
    }

    #[test]
    fn resolve_follows_super() {
        assert_eq!(resolve("types::builder", "super::Region"), "types::Region");
        assert_eq!(resolve("types", "Region"), "types::Region");
        assert_eq!(resolve("", "Client"), "Client");
    }
}
