//! What every generated operation checks before its request is built,
//! added to progenitor's builders, and the messages of what is left unset.
//!
//! progenitor builds each URL as text, which the URL parser then resolves:
//! an empty ID, `.` or `..` sends the request to another endpoint
//! (`DELETE /redis/database/..` arrives as `DELETE /redis/`) before any hook
//! sees it. Its messages for a value left out name neither the operation
//! nor what to call (`id was not initialized`, `no value supplied for
//! backup_id`). So, in the generated code:
//!
//! - each builder's `send` checks every path parameter with
//!   `crate::resource_id::path_parameter` right before the URL is built;
//! - every message `send` fails with starts with the operation's name, and
//!   a body's says that it is the request body;
//! - a required parameter left unset says which setter to call, in the
//!   builder's `new`;
//! - a field of a typed builder (`types::builder::X`) left unset says which
//!   setter to call, in its `Default`;
//! - the `api-version` header progenitor adds to every request (with the
//!   spec's `info.version`) is not added, and the header map is made for
//!   one header fewer: the Upstash API documents no such header.
//!
//! Nothing else of progenitor's output is touched, and the public API is
//! unchanged: only bodies of functions and the text of messages differ.
//! What cannot be found in the expected shape fails the build
//! ([`generated_send::unreadable`]).

use proc_macro2::TokenStream;
use quote::quote;

use crate::{SpecError, generated_send};

/// Adds the checks and messages to the client in `client`.
pub(crate) fn add(client: &mut syn::File) -> Result<(), SpecError> {
    for item in items_of(&mut client.items, "builder")? {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let Some(send) = generated_send::send_method(block) else {
            continue;
        };
        let operation = generated_send::operation_id(send)?;
        for member in &mut block.items {
            let syn::ImplItem::Fn(method) = member else {
                continue;
            };
            if method.sig.ident == "send" {
                drop_api_version(&mut method.block)?;
                name_the_operation(&mut method.block, &operation);
                check_path_parameters(method, &operation)?;
            } else if method.sig.ident == "new" {
                for field in unset_fields(&mut method.block)? {
                    let name = field_name(field)?;
                    let message =
                        format!("`{name}` is not set; call `.{name}(..)` before `.send()`");
                    replace_error(field, &message)?;
                }
            }
        }
    }
    let types = items_of(&mut client.items, "types")?;
    let typed_builders = generated_send::module_mut(types, "builder")
        .map(|items| items.as_mut_slice())
        .unwrap_or_default();
    for item in typed_builders {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let is_default = block.trait_.as_ref().and_then(|(t, _)| t.segments.last());
        if is_default.is_none_or(|segment| segment.ident != "Default") {
            continue;
        }
        let syn::Type::Path(builder) = block.self_ty.as_ref() else {
            continue;
        };
        let Some(builder) = builder.path.get_ident().map(ToString::to_string) else {
            continue;
        };
        for member in &mut block.items {
            let syn::ImplItem::Fn(method) = member else {
                continue;
            };
            for field in unset_fields(&mut method.block)? {
                let name = field_name(field)?;
                let message =
                    format!("`{name}` is not set; call `.{name}(..)` on the `{builder}` builder");
                replace_error(field, &message)?;
            }
        }
    }
    Ok(())
}

/// The items of the top-level module `name` of the generated client.
fn items_of<'a>(
    items: &'a mut [syn::Item],
    name: &str,
) -> Result<&'a mut Vec<syn::Item>, SpecError> {
    generated_send::module_mut(items, name)
        .ok_or_else(|| generated_send::unreadable(&format!("no `{name}` module")))
}

/// Inserts, right before `send` builds its URL, a check of each of its path
/// parameters.
fn check_path_parameters(send: &mut syn::ImplItemFn, operation: &str) -> Result<(), SpecError> {
    let path = generated_send::url_path(send)?;
    let checks = path.parameters.iter().map(|parameter| -> syn::Stmt {
        let name = parameter.to_string();
        syn::parse_quote! {
            crate::resource_id::path_parameter(#operation, #name, &#parameter)
                .map_err(Error::InvalidRequest)?;
        }
    });
    let at = path.statement;
    send.block.stmts.splice(at..at, checks.collect::<Vec<_>>());
    Ok(())
}

/// Removes the `api-version` header progenitor adds to every request
/// (`header_map.append(HeaderName::from_static("api-version"), ..)`): the
/// Upstash API documents no such header. A header parameter of that name
/// that a spec declares is appended by another statement, and stays.
fn drop_api_version(send: &mut syn::Block) -> Result<(), SpecError> {
    let before = send.stmts.len();
    send.stmts.retain(|statement| {
        let syn::Stmt::Expr(syn::Expr::MethodCall(call), _) = statement else {
            return true;
        };
        let receiver = &call.receiver;
        let first = call.args.first();
        let adds_api_version = call.method == "append"
            && quote!(#receiver).to_string() == "header_map"
            && quote!(#first)
                .to_string()
                .contains("from_static (\"api-version\")");
        !adds_api_version
    });
    if send.stmts.len() + 1 == before {
        for statement in &mut send.stmts {
            if let syn::Stmt::Local(local) = statement
                && matches!(&local.pat, syn::Pat::Ident(p) if p.ident == "header_map")
            {
                // The map may now stay empty: its `let mut` must not warn,
                // and it is made for one header fewer (none: no allocation).
                local.attrs.push(syn::parse_quote!(#[allow(unused_mut)]));
                if let Some(init) = &mut local.init
                    && let syn::Expr::Call(call) = init.expr.as_mut()
                    && let Some(syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Int(capacity),
                        ..
                    })) = call.args.first_mut()
                    && let Ok(headers) = capacity.base10_parse::<usize>()
                {
                    let fewer = headers.saturating_sub(1);
                    *capacity = syn::LitInt::new(&format!("{fewer}usize"), capacity.span());
                }
            }
        }
        Ok(())
    } else {
        Err(generated_send::unreadable(
            "a `send` without progenitor's one `api-version` header",
        ))
    }
}

/// Makes each `let x = <..>.map_err(Error::InvalidRequest)?;` in `send`
/// prefix its message with the operation (and, for the body, say so).
fn name_the_operation(send: &mut syn::Block, operation: &str) {
    for statement in &mut send.stmts {
        let syn::Stmt::Local(local) = statement else {
            continue;
        };
        let syn::Pat::Ident(bound) = &local.pat else {
            continue;
        };
        let prefix = if bound.ident == "body" {
            format!(
                "{operation}: the request body (`.body(..)` or `.body_map(..)`) is incomplete \
                 or invalid: "
            )
        } else {
            format!("{operation}: ")
        };
        let Some(init) = local.init.as_mut() else {
            continue;
        };
        let syn::Expr::Try(tried) = init.expr.as_mut() else {
            continue;
        };
        let syn::Expr::MethodCall(call) = tried.expr.as_mut() else {
            continue;
        };
        let plain = matches!(
            call.args.first(),
            Some(syn::Expr::Path(p)) if quote!(#p).to_string().replace(' ', "") == "Error::InvalidRequest"
        );
        if call.method != "map_err" || call.args.len() != 1 || !plain {
            continue;
        }
        call.args[0] = syn::parse_quote! {
            |message| Error::InvalidRequest(format!("{}{}", #prefix, message))
        };
    }
}

/// The fields of the `Self { .. }` a constructor returns whose value is an
/// `Err(..)`: a value still to be set.
fn unset_fields(body: &mut syn::Block) -> Result<Vec<&mut syn::FieldValue>, SpecError> {
    let Some(syn::Stmt::Expr(syn::Expr::Struct(value), None)) = body.stmts.last_mut() else {
        return Err(generated_send::unreadable(
            "a builder constructor that does not end in `Self { .. }`",
        ));
    };
    Ok(value
        .fields
        .iter_mut()
        .filter(|field| {
            matches!(&field.expr, syn::Expr::Call(call)
                if matches!(call.func.as_ref(), syn::Expr::Path(p) if p.path.is_ident("Err")))
        })
        .collect())
}

fn field_name(field: &syn::FieldValue) -> Result<String, SpecError> {
    match &field.member {
        syn::Member::Named(name) => Ok(name.to_string()),
        syn::Member::Unnamed(_) => Err(generated_send::unreadable(
            "a builder with an unnamed field",
        )),
    }
}

/// Replaces `Err(<anything>)` by `Err(String::from(message))`.
fn replace_error(field: &mut syn::FieldValue, message: &str) -> Result<(), SpecError> {
    let syn::Expr::Call(call) = &mut field.expr else {
        return Err(generated_send::unreadable(
            "an unset field that is not `Err(..)`",
        ));
    };
    let text: TokenStream = quote!(::std::string::String::from(#message));
    call.args = syn::parse_quote!(#text);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// progenitor's shape, cut down to one operation with one path
    /// parameter and a body.
    fn generated() -> syn::File {
        syn::parse_quote! {
            pub mod types {
                pub mod builder {
                    pub struct Body { backup_id: Result<String, String> }
                    impl ::std::default::Default for Body {
                        fn default() -> Self {
                            Self { backup_id: Err("no value supplied for backup_id".to_string()) }
                        }
                    }
                }
            }
            pub mod builder {
                impl<'a> RestoreBackup<'a> {
                    pub fn new(client: &'a super::Client) -> Self {
                        Self {
                            client: client,
                            id: Err("id was not initialized".to_string()),
                            body: Ok(::std::default::Default::default()),
                        }
                    }
                    pub async fn send(self) -> Result<ResponseValue<String>, Error<()>> {
                        let Self { client, id, body } = self;
                        let id = id.map_err(Error::InvalidRequest)?;
                        let body = body.and_then(|v| types::Body::try_from(v).map_err(|e| e.to_string()))
                            .map_err(Error::InvalidRequest)?;
                        let url = format!("{}/redis/restore-backup/{}", client.baseurl, encode_path(&id.to_string()));
                        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
                        header_map.append(
                            ::reqwest::header::HeaderName::from_static("api-version"),
                            ::reqwest::header::HeaderValue::from_static(super::Client::api_version()),
                        );
                        let info = OperationInfo { operation_id: "restore_backup" };
                        todo!()
                    }
                }
            }
        }
    }

    #[test]
    fn send_checks_path_parameters_before_the_url_and_names_the_operation() {
        let mut file = generated();
        add(&mut file).unwrap();
        let text = prettyplease::unparse(&file);
        let check = text
            .find("crate::resource_id::path_parameter(\"restore_backup\", \"id\", &id)")
            .expect(&text);
        assert!(check < text.find("let url").unwrap(), "{text}");
        assert!(check > text.find("let id = id").unwrap(), "{text}");
        assert!(
            text.contains("\"`id` is not set; call `.id(..)` before `.send()`\""),
            "{text}"
        );
        assert!(
            text.contains(
                "\"`backup_id` is not set; call `.backup_id(..)` on the `Body` builder\""
            ),
            "{text}"
        );
        assert!(text.contains("\"restore_backup: \""), "{text}");
        assert!(
            text.contains("\"restore_backup: the request body"),
            "{text}"
        );
        assert!(!text.contains("api-version"), "{text}");
        assert!(text.contains("HeaderMap::with_capacity(0usize)"), "{text}");
        let allowed = text.find("#[allow(unused_mut)]").expect(&text);
        assert!(
            text[allowed + 20..]
                .trim_start()
                .starts_with("let mut header_map"),
            "{text}"
        );
    }

    #[test]
    fn a_builder_of_another_shape_fails_the_build_by_name() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {}
            pub mod builder {
                impl<'a> Op<'a> {
                    pub fn new(client: &'a super::Client) -> Self { todo!() }
                    pub async fn send(self) -> Result<ResponseValue<()>, Error<()>> {
                        let url = format!("{}/x", client.baseurl);
                        let info = OperationInfo { operation_id: "op" };
                        todo!()
                    }
                }
            }
        };
        let error = add(&mut file).unwrap_err().to_string();
        assert!(error.contains("constructor"), "{error}");
    }
}
