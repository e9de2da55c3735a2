//! What the generated builders tell a reader: `#[must_use]` on every
//! builder, and on every setter whether its value is required and where
//! it goes on the wire, after the spec's description.
//!
//! progenitor's operation builders (`api::builder::*`) and typify's type
//! builders (`types::builder::*`) do nothing until `send` or `try_into`,
//! and their setters carry no docs at all. In the generated code:
//!
//! - each builder struct is `#[must_use]`, with a message naming what to
//!   call, so a dropped builder (`client.api().delete_backup().id(x);`) is
//!   a warning;
//! - each type builder setter repeats its field's description and says
//!   `Required` or `Optional` and its JSON field;
//! - each operation builder setter has its parameter's description (from
//!   the spec) and says `Required` or `Optional` and where the parameter
//!   is sent (`path`, `query`, `header`), or that it sets the request body.
//!
//! Whether a value is required is read where the builder decides it: a
//! value the constructor (`new`, `Default`) starts as `Err(..)` must be set.
//! Attributes and docs only: spec-diff, which reads progenitor's tokens
//! without them, rightly ignores them (every builder has the same).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::Spec;
use crate::generated_send;
use crate::names::{Case, Generator, ident};

/// The `#[must_use]` message of an operation builder.
pub(crate) const OPERATION_MUST_USE: &str =
    "an operation builder does nothing until `.send().await` is called";
/// The `#[must_use]` message of a type builder.
pub(crate) const TYPE_MUST_USE: &str = "a type builder does nothing until it is converted with \
     `try_into()` (or passed to an operation's `.body(..)`)";

/// One parameter of an operation, as the spec declares it.
struct Parameter {
    /// `path`, `query`, `header` or `cookie`.
    location: String,
    /// The name on the wire.
    name: String,
    description: Option<String>,
    /// Whether the spec requires it.
    required: bool,
}

/// Adds the attributes and docs to the builders of `client`.
pub(crate) fn add(spec: &Spec, client: &mut syn::File) {
    let parameters = spec_parameters(spec);
    if let Some(items) = generated_send::module_mut(&mut client.items, "builder") {
        document_operation_builders(items, &parameters);
    }
    let fields = type_fields(client);
    if let Some(types) = generated_send::module_mut(&mut client.items, "types")
        && let Some(items) = generated_send::module_mut(types, "builder")
    {
        document_type_builders(items, &fields);
    }
}

/// Each operation's parameters by method name (progenitor's spelling of the
/// operationId) and setter name.
fn spec_parameters(spec: &Spec) -> BTreeMap<String, BTreeMap<String, Parameter>> {
    let Ok(document) = serde_json::to_value(&spec.openapi) else {
        return BTreeMap::new();
    };
    let mut out = BTreeMap::new();
    for operation in crate::operations::operations(&document).values() {
        let Some(id) = operation.operation_id() else {
            continue;
        };
        let setters = operation
            .parameters(&document)
            .into_iter()
            .map(|p| {
                let description = p.loc.value.get("description").and_then(Value::as_str);
                let parameter = Parameter {
                    location: p.location.to_string(),
                    name: p.name.to_string(),
                    description: description.map(str::to_string),
                    required: p.required,
                };
                (ident(p.name, Case::Snake, Generator::Progenitor), parameter)
            })
            .collect::<BTreeMap<_, _>>();
        let mut setters = setters;
        if let Some(body) = operation.loc.value.get("requestBody") {
            let body = crate::operations::target(&document, body);
            let text = |key: &str| body.get(key).and_then(Value::as_str).map(str::to_string);
            let body = Parameter {
                location: "body".to_string(),
                name: "body".to_string(),
                description: text("description"),
                required: body.get("required").and_then(Value::as_bool) == Some(true),
            };
            setters.insert("body".to_string(), body);
        }
        out.insert(ident(id, Case::Snake, Generator::Progenitor), setters);
    }
    out
}

/// The fields of the structs at the top of `types`: their doc attributes
/// and wire names, by struct and field name.
type Fields = BTreeMap<String, BTreeMap<String, (Vec<syn::Attribute>, String)>>;

fn type_fields(client: &syn::File) -> Fields {
    let items = generated_send::module(&client.items, "types").unwrap_or_default();
    let mut out = Fields::new();
    for item in items {
        let syn::Item::Struct(s) = item else { continue };
        let fields = s
            .fields
            .iter()
            .filter_map(|field| {
                let name = field.ident.as_ref()?.to_string();
                let docs = field
                    .attrs
                    .iter()
                    .filter(|a| a.path().is_ident("doc"))
                    .cloned()
                    .collect();
                let wire = generated_send::serde_rename(&field.attrs).unwrap_or(name.clone());
                Some((name, (docs, wire)))
            })
            .collect();
        out.insert(s.ident.to_string(), fields);
    }
    out
}

/// The builder's values a constructor starts as `Err(..)`: those that must
/// be set.
fn required_in(method: &syn::ImplItemFn) -> BTreeSet<String> {
    let Some(syn::Stmt::Expr(syn::Expr::Struct(value), None)) = method.block.stmts.last() else {
        return BTreeSet::new();
    };
    value
        .fields
        .iter()
        .filter_map(|field| match (&field.member, &field.expr) {
            (syn::Member::Named(name), syn::Expr::Call(call))
                if matches!(call.func.as_ref(), syn::Expr::Path(p) if p.path.is_ident("Err")) =>
            {
                Some(name.to_string())
            }
            _ => None,
        })
        .collect()
}

fn must_use(attrs: &mut Vec<syn::Attribute>, message: &str) {
    if !attrs.iter().any(|a| a.path().is_ident("must_use")) {
        attrs.push(syn::parse_quote!(#[must_use = #message]));
    }
}

/// Appends `paragraphs` to the docs of `attrs`, a blank line between.
fn append_docs(attrs: &mut Vec<syn::Attribute>, paragraphs: &[String]) {
    for paragraph in paragraphs {
        if attrs.iter().any(|a| a.path().is_ident("doc")) {
            attrs.push(syn::parse_quote!(#[doc = ""]));
        }
        for line in paragraph.lines() {
            attrs.push(syn::parse_quote!(#[doc = #line]));
        }
    }
}

fn required_word(required: bool) -> &'static str {
    if required { "Required" } else { "Optional" }
}

fn document_operation_builders(
    items: &mut [syn::Item],
    parameters: &BTreeMap<String, BTreeMap<String, Parameter>>,
) {
    let no_parameters = BTreeMap::new();
    for item in items {
        match item {
            syn::Item::Struct(s) => must_use(&mut s.attrs, OPERATION_MUST_USE),
            syn::Item::Impl(block) => {
                let Some(send) = generated_send::send_method(block) else {
                    continue;
                };
                let Ok(operation) = generated_send::operation_id(send) else {
                    continue;
                };
                let of_operation = parameters.get(&operation).unwrap_or(&no_parameters);
                let required = block
                    .items
                    .iter()
                    .find_map(|member| match member {
                        syn::ImplItem::Fn(f) if f.sig.ident == "new" => Some(required_in(f)),
                        _ => None,
                    })
                    .unwrap_or_default();
                for member in &mut block.items {
                    let syn::ImplItem::Fn(setter) = member else {
                        continue;
                    };
                    let name = setter.sig.ident.to_string();
                    let paragraphs = match name.as_str() {
                        "new" | "send" => continue,
                        "body" => {
                            let body = of_operation.get("body");
                            let mut paragraphs: Vec<String> = body
                                .and_then(|b| b.description.clone())
                                .into_iter()
                                .collect();
                            paragraphs.push(format!(
                                "{}: the request body, sent as JSON: the body type, or its \
                                 builder. A required field left unset fails `.send()`, naming \
                                 every such field.",
                                required_word(body.is_some_and(|b| b.required))
                            ));
                            paragraphs
                        }
                        "body_map" => vec![
                            "Sets fields of the request body through its builder, starting \
                             from what `.body(..)` gave (or an empty body)."
                                .to_string(),
                        ],
                        _ => {
                            let word = required_word(required.contains(&name));
                            match of_operation.get(&name) {
                                Some(p) => {
                                    let mut paragraphs: Vec<String> =
                                        p.description.iter().cloned().collect();
                                    paragraphs.push(format!(
                                        "{word}: the {} parameter `{}`.",
                                        p.location, p.name
                                    ));
                                    paragraphs
                                }
                                None => vec![format!("{word}.")],
                            }
                        }
                    };
                    append_docs(&mut setter.attrs, &paragraphs);
                }
            }
            _ => {}
        }
    }
}

fn document_type_builders(items: &mut [syn::Item], fields: &Fields) {
    let mut required: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for item in items.iter() {
        if let syn::Item::Impl(block) = item
            && let Some((path, _)) = &block.trait_
            && path.segments.last().is_some_and(|s| s.ident == "Default")
            && let syn::Type::Path(ty) = block.self_ty.as_ref()
            && let Some(name) = ty.path.get_ident()
        {
            for member in &block.items {
                if let syn::ImplItem::Fn(f) = member {
                    required.insert(name.to_string(), required_in(f));
                }
            }
        }
    }
    let none = BTreeMap::new();
    for item in items {
        match item {
            syn::Item::Struct(s) => must_use(&mut s.attrs, TYPE_MUST_USE),
            syn::Item::Impl(block) if block.trait_.is_none() => {
                let syn::Type::Path(ty) = block.self_ty.as_ref() else {
                    continue;
                };
                let Some(builder) = ty.path.get_ident().map(ToString::to_string) else {
                    continue;
                };
                let of_type = fields.get(&builder).unwrap_or(&none);
                let must = required.get(&builder);
                for member in &mut block.items {
                    let syn::ImplItem::Fn(setter) = member else {
                        continue;
                    };
                    let name = setter.sig.ident.to_string();
                    let Some((docs, wire)) = of_type.get(&name) else {
                        continue;
                    };
                    let word = required_word(must.is_some_and(|m| m.contains(&name)));
                    let start = setter.attrs.len();
                    setter.attrs.splice(start..start, docs.iter().cloned());
                    append_docs(
                        &mut setter.attrs,
                        &[format!("{word}: the JSON field `{wire}`.")],
                    );
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> Spec {
        Spec::from_text(
            r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /stats/{id}:
    get:
      operationId: getStats
      parameters:
        - {name: id, in: path, required: true, description: The database ID, schema: {type: string}}
        - {name: period, in: query, schema: {type: string}}
      responses:
        '200': {description: ok}
"#,
        )
        .unwrap()
    }

    #[test]
    fn builders_are_must_use_and_setters_say_what_is_required() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct Body {
                    ///Monthly budget
                    pub budget: Option<i64>,
                    #[serde(rename = "type")]
                    pub type_: String,
                }
                pub mod builder {
                    pub struct Body { budget: Result<Option<i64>, String>, type_: Result<String, String> }
                    impl ::std::default::Default for Body {
                        fn default() -> Self {
                            Self { budget: Ok(Default::default()), type_: Err("unset".to_string()) }
                        }
                    }
                    impl Body {
                        pub fn budget<T>(mut self, value: T) -> Self { self }
                        pub fn type_<T>(mut self, value: T) -> Self { self }
                    }
                }
            }
            pub mod builder {
                pub struct GetStats<'a> { client: &'a () }
                impl<'a> GetStats<'a> {
                    pub fn new(client: &'a super::Client) -> Self {
                        Self { client: client, id: Err("unset".to_string()), period: Ok(None) }
                    }
                    pub fn id<V>(mut self, value: V) -> Self { self }
                    pub fn period<V>(mut self, value: V) -> Self { self }
                    pub async fn send(self) -> Result<ResponseValue<()>, Error<()>> {
                        let info = OperationInfo { operation_id: "get_stats" };
                        todo!()
                    }
                }
            }
        };
        add(&spec(), &mut file);
        let text = prettyplease::unparse(&file);
        assert_eq!(text.matches("#[must_use = ").count(), 2, "{text}");
        assert!(text.contains(OPERATION_MUST_USE), "{text}");
        assert!(text.contains(TYPE_MUST_USE), "{text}");
        for doc in [
            "///The database ID\n        ///\n        ///Required: the path parameter `id`.\n        pub fn id",
            "///Optional: the query parameter `period`.\n        pub fn period",
            "///Monthly budget\n            ///\n            ///Optional: the JSON field `budget`.\n            pub fn budget",
            "///Required: the JSON field `type`.\n            pub fn type_",
        ] {
            assert!(text.contains(doc), "{doc}\n{text}");
        }
    }
}
