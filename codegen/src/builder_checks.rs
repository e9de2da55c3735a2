//! What every generated operation checks before its request is built,
//! added to progenitor's builders, and the messages of what is left unset.
//!
//! progenitor builds each URL as text, which the URL parser then resolves:
//! an empty ID, `.` or `..` sends the request to another endpoint
//! (`DELETE /redis/database/..` arrives as `DELETE /redis/`) before any hook
//! sees it. Its messages for a value left out name neither the operation
//! nor what to call (`id was not initialized`). So, in the generated code:
//!
//! - each builder's `send` checks every path parameter with
//!   `crate::resource_id::path_parameter` right before the URL is built;
//! - every message `send` fails with starts with the operation's name, and
//!   a body's says that it is the request body;
//! - a value left unset (in a builder's `new`, or a typed builder's
//!   `Default`) says which setter to call, and a typed builder's `TryFrom`
//!   names all of them at once ([`crate::unset_fields`]);
//! - a header parameter whose value cannot be a header (CR, LF, another
//!   control character) names the operation, the header and its setter,
//!   instead of progenitor's bare `failed to parse header value`;
//! - progenitor's `api-version` header (the spec's `info.version`) is not
//!   added: the Upstash API documents no such header.
//!
//! Only function bodies and message texts change, not the public API (the
//! docs and `#[must_use]` of the builders are [`crate::builder_docs`]'s). What
//! cannot be found in the expected shape fails the build
//! ([`generated_send::unreadable`]).

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
                name_header_values(&mut method.block, &operation)?;
                name_the_operation(&mut method.block, &operation);
                check_path_parameters(method, &operation)?;
            } else if method.sig.ident == "new" {
                crate::unset_fields::name_unset_fields(&mut method.block, |name| {
                    format!("`{name}` is not set; call `.{name}(..)` before `.send()`")
                })?;
            }
        }
    }
    crate::unset_fields::name_in_type_builders(client)?;
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
    if send.stmts.len() + 1 != before {
        return Err(generated_send::unreadable(
            "a `send` without progenitor's one `api-version` header",
        ));
    }
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
}

/// Gives each header parameter's conversion in `send` a message naming the
/// operation, the header and its setter. progenitor appends a required
/// one as `header_map.append("name", setter.to_string().try_into()?);`
/// and an optional one inside `if let Some(value) = setter { .. }`, with
/// `value` in place of the setter.
fn name_header_values(send: &mut syn::Block, operation: &str) -> Result<(), SpecError> {
    for statement in &mut send.stmts {
        match statement {
            syn::Stmt::Expr(syn::Expr::MethodCall(call), _) => {
                name_header_value(call, None, operation)?;
            }
            syn::Stmt::Expr(syn::Expr::If(branch), _) => {
                let syn::Expr::Let(binding) = branch.cond.as_ref() else {
                    continue;
                };
                let syn::Expr::Path(setter) = binding.expr.as_ref() else {
                    continue;
                };
                let Some(setter) = setter.path.get_ident().map(ToString::to_string) else {
                    continue;
                };
                for inner in &mut branch.then_branch.stmts {
                    if let syn::Stmt::Expr(syn::Expr::MethodCall(call), _) = inner {
                        name_header_value(call, Some(&setter), operation)?;
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// [`name_header_values`] for one `header_map.append(..)`; `setter` is
/// the parameter an enclosing `if let Some(value) = ..` reads.
fn name_header_value(
    call: &mut syn::ExprMethodCall,
    setter: Option<&str>,
    operation: &str,
) -> Result<(), SpecError> {
    let receiver = &call.receiver;
    if call.method != "append" || quote!(#receiver).to_string() != "header_map" {
        return Ok(());
    }
    let Some(syn::Expr::Try(tried)) = call.args.iter().nth(1) else {
        return Ok(());
    };
    let unreadable = || {
        generated_send::unreadable(
            "a header parameter not appended as `header_map.append(\"name\", \
             x.to_string().try_into()?)`",
        )
    };
    let converted = tried.expr.as_ref().clone();
    let syn::Expr::MethodCall(try_into) = &converted else {
        return Err(unreadable());
    };
    let syn::Expr::MethodCall(to_string) = try_into.receiver.as_ref() else {
        return Err(unreadable());
    };
    let syn::Expr::Path(value) = to_string.receiver.as_ref() else {
        return Err(unreadable());
    };
    let Some(syn::Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Str(header),
        ..
    })) = call.args.first()
    else {
        return Err(unreadable());
    };
    if try_into.method != "try_into" || to_string.method != "to_string" {
        return Err(unreadable());
    }
    let setter = match setter {
        Some(setter) => setter.to_string(),
        None => value
            .path
            .get_ident()
            .map(ToString::to_string)
            .ok_or_else(unreadable)?,
    };
    let message = format!(
        "{operation}: the value given to `.{setter}(..)` cannot be sent as the header `{}`: \
         it must not contain CR, LF or other control characters",
        header.value()
    );
    call.args[1] = syn::parse_quote! {
        #converted.map_err(|_| Error::InvalidRequest(::std::string::String::from(#message)))?
    };
    Ok(())
}

/// Makes each `let x = <..>.map_err(Error::InvalidRequest)?;` in `send`
/// prefix its message with the operation (and, for the body, say so).
fn name_the_operation(send: &mut syn::Block, operation: &str) {
    for statement in &mut send.stmts {
        if let syn::Stmt::Local(local) = statement
            && let syn::Pat::Ident(bound) = &local.pat
            && let Some(init) = local.init.as_mut()
            && let syn::Expr::Try(tried) = init.expr.as_mut()
            && let syn::Expr::MethodCall(call) = tried.expr.as_mut()
            && call.method == "map_err"
            && call.args.len() == 1
            && matches!(
                call.args.first(),
                Some(syn::Expr::Path(p)) if quote!(#p).to_string().replace(' ', "") == "Error::InvalidRequest"
            )
        {
            let prefix = if bound.ident == "body" {
                format!(
                    "{operation}: the request body (`.body(..)` or `.body_map(..)`) is incomplete \
                     or invalid: "
                )
            } else {
                format!("{operation}: ")
            };
            call.args[0] = syn::parse_quote! {
                |message| Error::InvalidRequest(format!("{}{}", #prefix, message))
            };
        }
    }
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

    /// progenitor's header parameters, a required and an optional one.
    #[test]
    fn a_header_value_that_cannot_be_sent_names_the_operation_and_setter() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {}
            pub mod builder {
                impl<'a> GetThing<'a> {
                    pub fn new(client: &'a super::Client) -> Self {
                        Self { client: client, x_trace: Err("x_trace was not initialized".to_string()) }
                    }
                    pub async fn send(self) -> Result<ResponseValue<()>, Error<()>> {
                        let Self { client, x_trace, x_tenant } = self;
                        let url = format!("{}/thing", client.baseurl);
                        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(3usize);
                        header_map.append(
                            ::reqwest::header::HeaderName::from_static("api-version"),
                            ::reqwest::header::HeaderValue::from_static(super::Client::api_version()),
                        );
                        header_map.append("x-trace", x_trace.to_string().try_into()?);
                        if let Some(value) = x_tenant {
                            header_map.append("x-tenant", value.to_string().try_into()?);
                        }
                        let info = OperationInfo { operation_id: "get_thing" };
                        todo!()
                    }
                }
            }
        };
        add(&mut file).unwrap();
        let text = prettyplease::unparse(&file);
        for (setter, header) in [("x_trace", "x-trace"), ("x_tenant", "x-tenant")] {
            let message = format!(
                "\"get_thing: the value given to `.{setter}(..)` cannot be sent as the header \
                 `{header}`: it must not contain CR, LF or other control characters\""
            );
            assert!(text.contains(&message), "{text}");
        }
        assert_eq!(
            text.matches(".map_err(|_| Error::InvalidRequest(").count(),
            2,
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
