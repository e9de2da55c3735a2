//! What the SDK's hooks need to know about each operation that progenitor
//! does not pass them: the path template its URL must match, how to read
//! its success body, and where it is served from. Emitted beside the client
//! as `OPERATIONS`, a table of `crate::operation::OperationFacts` sorted by id.
//!
//! The path and success type are read from the generated `send` methods
//! (`generated_send`), so the table always agrees with the code that builds
//! the URL and parses the body.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

use crate::names::loose;
use crate::{Spec, SpecError, generated_send, servers};

/// The `OPERATIONS` table for the client in `client`, generated from `spec`.
pub fn table(spec: &Spec, client: &syn::File) -> Result<TokenStream, SpecError> {
    let spec_facts = spec_facts(spec);
    let mut rows: BTreeMap<String, TokenStream> = BTreeMap::new();
    // Each operation's id, success type and path, from its generated `send`.
    for item in generated_send::builder_items(client)? {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let Some(send) = generated_send::send_method(block) else {
            continue;
        };
        let id = generated_send::operation_id(send)?;
        let success = success_body(&generated_send::success_type(send)?);
        let path = generated_send::url_path(send)?.template;
        let facts = spec_facts.get(&loose(&id));
        let server = match facts.and_then(|f| f.server.as_deref()) {
            Some(url) => quote!(::std::option::Option::Some(#url)),
            None => quote!(::std::option::Option::None),
        };
        let codes = facts
            .map(|f| f.success_statuses.as_slice())
            .unwrap_or_default();
        let row = quote! {
            crate::operation::OperationFacts {
                id: #id,
                path: #path,
                success: #success,
                success_statuses: &[#(#codes),*],
                server: #server,
            }
        };
        rows.insert(id, row);
    }
    let rows = rows.values();
    Ok(quote! {
        /// Per-operation facts for the SDK's hooks, sorted by id.
        pub(crate) static OPERATIONS: &[crate::operation::OperationFacts] = &[#(#rows),*];
    })
}

/// How the hooks treat a success body of type `success`.
fn success_body(success: &syn::Type) -> TokenStream {
    let text = success.to_token_stream().to_string().replace(' ', "");
    match text.as_str() {
        "()" => quote!(crate::operation::SuccessBody::Empty),
        "ByteStream" | "progenitor_client::ByteStream" => {
            quote!(crate::operation::SuccessBody::Raw)
        }
        "::std::string::String" | "std::string::String" | "String" => {
            quote!(crate::operation::SuccessBody::Text)
        }
        _ => quote!(crate::operation::SuccessBody::Json),
    }
}

/// What the spec says of one operation that the table needs.
struct SpecFacts {
    /// Its own server, when it has one.
    server: Option<String>,
    /// The success statuses it documents one by one; none when it takes
    /// any 2xx (`2XX`, `default`).
    success_statuses: Vec<u16>,
}

/// The facts of every operation of `spec`, keyed by [`loose`] id.
fn spec_facts(spec: &Spec) -> BTreeMap<String, SpecFacts> {
    let mut facts = BTreeMap::new();
    for item in spec.openapi.paths.paths.values() {
        let Some(item) = item.as_item() else { continue };
        for (_, operation) in item.iter() {
            let Some(id) = operation.operation_id.as_deref() else {
                continue;
            };
            let statuses = operation.responses.responses.keys();
            let any = operation.responses.default.is_some()
                || statuses
                    .clone()
                    .any(|status| *status == openapiv3::StatusCode::Range(2));
            let success_statuses = if any {
                Vec::new()
            } else {
                let codes = statuses.filter_map(|status| match status {
                    openapiv3::StatusCode::Code(code) if (200..300).contains(code) => Some(*code),
                    _ => None,
                });
                codes.collect()
            };
            let found = SpecFacts {
                server: servers::operation_server(&spec.openapi, item, operation),
                success_statuses,
            };
            facts.insert(loose(id), found);
        }
    }
    facts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_match_across_spellings() {
        assert_eq!(loose("getQStashUser"), loose("get_q_stash_user"));
        assert_eq!(loose("restore-backup"), loose("restore_backup"));
        assert_ne!(loose("getUser"), loose("getUsers"));
    }

    #[test]
    fn success_bodies_follow_the_type() {
        let kind = |ty: &str| {
            success_body(&syn::parse_str(ty).unwrap())
                .to_string()
                .replace(' ', "")
        };
        assert!(kind("()").ends_with("SuccessBody::Empty"));
        assert!(kind("ByteStream").ends_with("SuccessBody::Raw"));
        assert!(kind("::std::string::String").ends_with("SuccessBody::Text"));
        assert!(kind("::std::vec::Vec<types::Database>").ends_with("SuccessBody::Json"));
    }
}
