//! `"true"`/`"false"` enums as `bool` in the generated code.
//!
//! [`crate::concepts`] marks each such schema with the `x-rust-type` path
//! [`STRING_BOOL_TYPE`], so typify writes that path wherever the value
//! goes: a field of a type, a builder's setter, an operation's parameter,
//! a mock's matcher. Here every field of a generated type whose type is
//! the mark (or an `Option` of it) is given the serde functions of
//! `crate::string_bool` (`src/string_bool.rs`: the string on the wire,
//! a boolean in Rust) and, under the `schemars` feature, that module's
//! schema of the wire form; then every use of the mark becomes `bool`. A
//! query parameter needs no function: `bool` is written `true` or `false`.

use proc_macro2::{Ident, Span, TokenStream, TokenTree};

use crate::concepts::STRING_BOOL_TYPE;
use crate::generated_send;

/// Gives each marked field of `client`'s types its serde functions.
/// Call [`to_bool`] on the tokens afterwards.
pub(crate) fn add_wire_form(client: &mut syn::File) {
    let Some(types) = generated_send::module_mut(&mut client.items, "types") else {
        return;
    };
    for item in types.iter_mut() {
        let fields: Vec<&mut syn::Field> = match item {
            syn::Item::Struct(s) => s.fields.iter_mut().collect(),
            syn::Item::Enum(e) => e
                .variants
                .iter_mut()
                .flat_map(|v| v.fields.iter_mut())
                .collect(),
            _ => continue,
        };
        for field in fields {
            let module = if is_mark(&field.ty) {
                "crate::string_bool"
            } else if option_of(&field.ty).is_some_and(is_mark) {
                // serde reads a missing `Option` as `None` only without a
                // `deserialize_with`; and `None` is left out, as typify
                // leaves out every other one.
                let keys = serde_keys(&field.attrs);
                if !keys.contains("default") {
                    field.attrs.push(syn::parse_quote!(#[serde(default)]));
                }
                if !keys.contains("skip_serializing_if") {
                    field.attrs.push(syn::parse_quote!(
                        #[serde(skip_serializing_if = "::std::option::Option::is_none")]
                    ));
                }
                "crate::string_bool::option"
            } else {
                continue;
            };
            let (serialize, deserialize) = (
                format!("{module}::serialize"),
                format!("{module}::deserialize"),
            );
            field.attrs.push(syn::parse_quote!(
                #[serde(serialize_with = #serialize, deserialize_with = #deserialize)]
            ));
            field.attrs.push(syn::parse_quote!(
                #[cfg_attr(feature = "schemars", schemars(schema_with = "crate::string_bool::json_schema"))]
            ));
        }
    }
}

/// `client` with every path of the mark replaced by `bool` (parsed again
/// only when it holds one).
pub(crate) fn file_to_bool(client: &mut syn::File) -> Result<(), crate::SpecError> {
    let mut replaced = 0;
    let tokens = replace(
        quote::ToTokens::to_token_stream(&*client),
        &mark(),
        &mut replaced,
    );
    if replaced > 0 {
        *client = syn::parse2(tokens).map_err(|e| {
            crate::SpecError::new(format!(
                "the generated code does not parse once `\"true\"`/`\"false\"` enums are `bool` \
                 ({e}); update codegen/src/string_bools.rs"
            ))
        })?;
    }
    Ok(())
}

/// `tokens` with every path of the mark replaced by `bool`.
pub(crate) fn to_bool(tokens: TokenStream) -> TokenStream {
    replace(tokens, &mark(), &mut 0)
}

/// The segments of the mark's path.
fn mark() -> Vec<String> {
    STRING_BOOL_TYPE.split("::").map(str::to_string).collect()
}

/// `tokens` with each mark replaced by `bool`, counting the replacements.
fn replace(tokens: TokenStream, mark: &[String], replaced: &mut usize) -> TokenStream {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::with_capacity(trees.len());
    let mut i = 0;
    while i < trees.len() {
        if let Some(length) = mark_at(&trees[i..], mark) {
            out.push(TokenTree::Ident(Ident::new("bool", Span::call_site())));
            *replaced += 1;
            i += length;
            continue;
        }
        match &trees[i] {
            TokenTree::Group(group) => {
                let mut inner = proc_macro2::Group::new(
                    group.delimiter(),
                    replace(group.stream(), mark, replaced),
                );
                inner.set_span(group.span());
                out.push(TokenTree::Group(inner));
            }
            other => out.push(other.clone()),
        }
        i += 1;
    }
    out.into_iter().collect()
}

/// The number of tokens the mark takes at the start of `trees`, written
/// `::a::b::C` (as typify writes `x-rust-type` paths), if it is there.
fn mark_at(trees: &[TokenTree], mark: &[String]) -> Option<usize> {
    let mut at = 0;
    for segment in mark {
        for _ in 0..2 {
            match trees.get(at) {
                Some(TokenTree::Punct(p)) if p.as_char() == ':' => at += 1,
                _ => return None,
            }
        }
        match trees.get(at) {
            Some(TokenTree::Ident(ident)) if ident == segment => at += 1,
            _ => return None,
        }
    }
    Some(at)
}

/// The keys of a field's `#[serde(..)]` attributes.
fn serde_keys(attrs: &[syn::Attribute]) -> std::collections::BTreeSet<String> {
    let mut keys = std::collections::BTreeSet::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if let Some(key) = meta.path.get_ident() {
                keys.insert(key.to_string());
            }
            if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    keys
}

/// Whether `ty` is the mark's path.
fn is_mark(ty: &syn::Type) -> bool {
    let syn::Type::Path(path) = ty else {
        return false;
    };
    path.qself.is_none()
        && path
            .path
            .segments
            .iter()
            .map(|segment| segment.ident.to_string())
            .eq(STRING_BOOL_TYPE.split("::").map(str::to_string))
}

/// The `T` of a type `Option<T>` (however its path is written).
fn option_of(ty: &syn::Type) -> Option<&syn::Type> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last().filter(|s| s.ident == "Option")?;
    match crate::numbers::generic_types(last).as_slice() {
        [inner] => Some(*inner),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use quote::{ToTokens as _, quote};

    use super::{add_wire_form, to_bool};

    #[test]
    fn marked_fields_get_the_wire_form_and_every_mark_becomes_bool() {
        let mut file: syn::File = syn::parse2(quote! {
            pub mod types {
                pub struct Backup {
                    pub daily: ::upstash_api::types::StringBool,
                    pub hourly: ::std::option::Option<::upstash_api::types::StringBool>,
                    pub name: ::std::string::String,
                }
                pub mod builder {
                    pub struct Backup {
                        daily: ::std::result::Result<::upstash_api::types::StringBool, String>,
                    }
                }
            }
        })
        .expect("parses");
        add_wire_form(&mut file);
        let code = to_bool(file.to_token_stream()).to_string().replace(' ', "");
        assert!(!code.contains("StringBool"), "{code}");
        assert!(code.contains(
            r#"#[serde(serialize_with="crate::string_bool::serialize",deserialize_with="crate::string_bool::deserialize")]#[cfg_attr(feature="schemars",schemars(schema_with="crate::string_bool::json_schema"))]pubdaily:bool"#
        ), "{code}");
        assert!(
            code.contains(r#"deserialize_with="crate::string_bool::option::deserialize")]"#),
            "{code}"
        );
        assert!(
            code.contains("daily:::std::result::Result<bool,String>"),
            "{code}"
        );
        assert_eq!(code.matches("string_bool::").count(), 4 + 2, "{code}");
        assert!(
            code.contains(
                r#"#[serde(default)]#[serde(skip_serializing_if="::std::option::Option::is_none")]"#
            ),
            "{code}"
        );
    }
}
