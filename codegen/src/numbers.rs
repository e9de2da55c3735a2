//! A JSON `number` with an integral value goes out as an integer: every
//! `f64` field of a generated type is serialised through
//! `crate::number::serialize` (`src/number.rs`), and every number query
//! parameter through `crate::number::Integral`, so `1536.0` is sent as
//! `1536`, not as serde_json's `1536.0`, which a backend reading an integer
//! refuses.
//!
//! The fields and parameters taken are those whose type is `f64` or an
//! `Option`, `Vec`, `Box` or map (its values) of one: the shapes typify
//! and progenitor give a `number`. Attributes and function bodies only:
//! the public API is progenitor's.

use proc_macro2::{Group, TokenStream, TokenTree};
use quote::quote;

use crate::{SpecError, generated_send};

/// The `serialize_with` function of an `f64` field.
const SERIALIZE: &str = "crate::number::serialize";

/// Adds the serialisation of integral numbers to `client`'s types and to
/// its builders' number query parameters.
pub(crate) fn integral(client: &mut syn::File) -> Result<(), SpecError> {
    if let Some(types) = generated_send::module_mut(&mut client.items, "types") {
        for item in types.iter_mut() {
            let fields: Vec<&mut syn::Field> = match item {
                syn::Item::Struct(s) if derives_serialize(&s.attrs) => {
                    s.fields.iter_mut().collect()
                }
                syn::Item::Enum(e) if derives_serialize(&e.attrs) => e
                    .variants
                    .iter_mut()
                    .flat_map(|v| v.fields.iter_mut())
                    .collect(),
                _ => continue,
            };
            for field in fields.into_iter().filter(|f| is_number(&f.ty)) {
                field
                    .attrs
                    .push(syn::parse_quote!(#[serde(serialize_with = #SERIALIZE)]));
            }
        }
    }
    let Some(builders) = generated_send::module_mut(&mut client.items, "builder") else {
        return Err(generated_send::unreadable("no `builder` module"));
    };
    let numbers: std::collections::BTreeMap<String, Vec<String>> = builders
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some((s.ident.to_string(), number_setters(&s.fields))),
            _ => None,
        })
        .collect();
    for item in builders.iter_mut() {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let syn::Type::Path(own) = block.self_ty.as_ref() else {
            continue;
        };
        let Some(own) = own.path.segments.last().map(|s| s.ident.to_string()) else {
            continue;
        };
        let Some(parameters) = numbers.get(&own).filter(|p| !p.is_empty()) else {
            continue;
        };
        for member in &mut block.items {
            if let syn::ImplItem::Fn(method) = member
                && method.sig.ident == "send"
            {
                let block = &method.block;
                let tokens = wrap_queries(quote!(#block), parameters);
                method.block = syn::parse2(tokens).map_err(|_| {
                    generated_send::unreadable("a `send` whose query parameters do not parse")
                })?;
            }
        }
    }
    Ok(())
}

fn derives_serialize(attrs: &[syn::Attribute]) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("derive"))
        .any(|a| {
            let mut found = false;
            let _ = a.parse_nested_meta(|meta| {
                found |= meta
                    .path
                    .segments
                    .last()
                    .is_some_and(|s| s.ident == "Serialize");
                Ok(())
            });
            found
        })
}

/// The fields of a builder struct that hold a number: `name:
/// Result<T, String>` with `T` a number ([`is_number`]).
fn number_setters(fields: &syn::Fields) -> Vec<String> {
    fields
        .iter()
        .filter(|field| {
            let syn::Type::Path(path) = &field.ty else {
                return false;
            };
            path.path
                .segments
                .last()
                .filter(|s| s.ident == "Result")
                .and_then(|s| generic_types(s).first().copied())
                .is_some_and(is_number)
        })
        .filter_map(|field| field.ident.as_ref().map(ToString::to_string))
        .collect()
}

/// Whether `ty` is `f64`, or an `Option`, `Vec`, `Box` or map of one.
fn is_number(ty: &syn::Type) -> bool {
    let syn::Type::Path(path) = ty else {
        return false;
    };
    let Some(last) = path.path.segments.last() else {
        return false;
    };
    let args = generic_types(last);
    match (last.ident.to_string().as_str(), args.as_slice()) {
        ("f64", []) => true,
        ("Option" | "Vec" | "Box", [inner]) => is_number(inner),
        ("HashMap" | "BTreeMap", [_, value, ..]) => is_number(value),
        _ => false,
    }
}

/// The type arguments of a path segment (`T` of `Option<T>`).
pub(crate) fn generic_types(segment: &syn::PathSegment) -> Vec<&syn::Type> {
    match &segment.arguments {
        syn::PathArguments::AngleBracketed(args) => args
            .args
            .iter()
            .filter_map(|arg| match arg {
                syn::GenericArgument::Type(ty) => Some(ty),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// `tokens` with each `QueryParam::new("name", &parameter)` of one of
/// `parameters` reading `QueryParam::new("name", &crate::number::Integral(&parameter))`.
fn wrap_queries(tokens: TokenStream, parameters: &[String]) -> TokenStream {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::with_capacity(trees.len());
    for (index, tree) in trees.iter().enumerate() {
        let TokenTree::Group(group) = tree else {
            out.push(tree.clone());
            continue;
        };
        // `QueryParam :: new (..)`: `::` is two punctuation tokens.
        let after_new = index >= 4
            && matches!(&trees[index - 1], TokenTree::Ident(i) if i == "new")
            && matches!(&trees[index - 4], TokenTree::Ident(i) if i == "QueryParam");
        let inner: Vec<TokenTree> = group.stream().into_iter().collect();
        let stream = match inner.as_slice() {
            [
                name @ TokenTree::Literal(_),
                comma @ TokenTree::Punct(_),
                TokenTree::Punct(and),
                TokenTree::Ident(value),
            ] if after_new && and.as_char() == '&' && parameters.iter().any(|p| value == p) => {
                quote!(#name #comma &crate::number::Integral(&#value))
            }
            _ => wrap_queries(group.stream(), parameters),
        };
        let mut wrapped = Group::new(group.delimiter(), stream);
        wrapped.set_span(group.span());
        out.push(TokenTree::Group(wrapped));
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use quote::quote;

    #[test]
    fn number_fields_and_query_parameters_are_taken() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                #[derive(::serde::Deserialize, ::serde::Serialize)]
                pub struct Index {
                    pub cost: f64,
                    #[serde(default)]
                    pub weights: ::std::option::Option<::std::vec::Vec<f64>>,
                    pub count: i64,
                    pub rates: ::std::collections::HashMap<::std::string::String, f64>,
                }
                #[derive(::serde::Serialize)]
                pub enum Either { Number(f64), Text(String) }
                pub mod builder { pub struct Index { cost: Result<f64, String> } }
            }
            pub mod builder {
                pub struct GetStats<'a> { client: &'a Client, rate: Result<Option<f64>, String>, limit: Result<Option<i32>, String> }
                impl<'a> GetStats<'a> {
                    pub async fn send(self) -> Result<(), Error<()>> {
                        let request = client.client.get(url)
                            .query(&progenitor_client::QueryParam::new("rate", &rate))
                            .query(&progenitor_client::QueryParam::new("limit", &limit))
                            .build()?;
                    }
                }
            }
        };
        super::integral(&mut file).expect("readable");
        let text = quote!(#file).to_string();
        assert_eq!(
            text.matches("serialize_with = \"crate::number::serialize\"")
                .count(),
            4,
            "{text}"
        );
        assert!(text.contains("pub count : i64 ,"), "{text}");
        assert!(
            text.contains("cost : Result < f64 , String >"),
            "builders untouched: {text}"
        );
        assert!(
            text.contains("QueryParam :: new (\"rate\" , & crate :: number :: Integral (& rate))"),
            "{text}"
        );
        assert!(
            text.contains("QueryParam :: new (\"limit\" , & limit)"),
            "{text}"
        );
    }
}
