//! Reading progenitor's generated builders: one `impl` per operation in the
//! `builder` module, whose `send` method names the operation
//! (`OperationInfo`), returns its success type and builds its URL.
//!
//! [`crate::operation_facts`] reads these and [`crate::builder_checks`]
//! adds its checks beside them. When progenitor's output changes shape,
//! both fail the build with [`unreadable`] rather than guess.

use syn::punctuated::Punctuated;

use crate::SpecError;

/// The error for generated code that does not have the shape this module
/// reads.
pub(crate) fn unreadable(what: &str) -> SpecError {
    SpecError::new(format!(
        "cannot read the generated client ({what}); the generator's output has changed shape, \
         so `codegen/src/generated_send.rs` must follow it"
    ))
}

/// The items of the inline module `name` among `items` (`types` in a
/// generated file, `builder` in `types`).
pub(crate) fn module<'a>(items: &'a [syn::Item], name: &str) -> Option<&'a [syn::Item]> {
    items.iter().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == name => {
            m.content.as_ref().map(|(_, items)| items.as_slice())
        }
        _ => None,
    })
}

/// [`module`], to change its items.
pub(crate) fn module_mut<'a>(
    items: &'a mut [syn::Item],
    name: &str,
) -> Option<&'a mut Vec<syn::Item>> {
    items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == name => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

/// The items of the generated `builder` module.
pub(crate) fn builder_items(client: &syn::File) -> Result<&[syn::Item], SpecError> {
    module(&client.items, "builder").ok_or_else(|| unreadable("no `builder` module"))
}

/// The `send` method of a builder's `impl` block, if it has one.
pub(crate) fn send_method(block: &syn::ItemImpl) -> Option<&syn::ImplItemFn> {
    block.items.iter().find_map(|member| match member {
        syn::ImplItem::Fn(method) if method.sig.ident == "send" => Some(method),
        _ => None,
    })
}

/// The id progenitor passes the hooks: the string in
/// `let info = OperationInfo { operation_id: "..." };`.
pub(crate) fn operation_id(send: &syn::ImplItemFn) -> Result<String, SpecError> {
    send.block
        .stmts
        .iter()
        .find_map(|statement| {
            let syn::Expr::Struct(info) = local_init(statement)? else {
                return None;
            };
            if info.path.segments.last()?.ident != "OperationInfo" {
                return None;
            }
            info.fields
                .iter()
                .find_map(|field| match (&field.member, &field.expr) {
                    (syn::Member::Named(name), syn::Expr::Lit(lit)) if name == "operation_id" => {
                        match &lit.lit {
                            syn::Lit::Str(id) => Some(id.value()),
                            _ => None,
                        }
                    }
                    _ => None,
                })
        })
        .ok_or_else(|| unreadable("a `send` without `OperationInfo`"))
}

/// `T` in the `Result<ResponseValue<T>, _>` that `send` returns.
pub(crate) fn success_type(send: &syn::ImplItemFn) -> Result<syn::Type, SpecError> {
    let syn::ReturnType::Type(_, result) = &send.sig.output else {
        return Err(unreadable("a `send` that returns nothing"));
    };
    first_generic(result)
        .and_then(|ok| first_generic(&ok))
        .ok_or_else(|| unreadable("a `send` that does not return `ResponseValue<T>`"))
}

/// The first generic argument of a path type (`A` in `X<A, B>`).
fn first_generic(ty: &syn::Type) -> Option<syn::Type> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let segment = path.path.segments.last()?;
    let syn::PathArguments::AngleBracketed(arguments) = &segment.arguments else {
        return None;
    };
    arguments.args.iter().find_map(|argument| match argument {
        syn::GenericArgument::Type(ty) => Some(ty.clone()),
        _ => None,
    })
}

/// The path an operation's `send` builds:
/// `let url = format!("{}/redis/database/{}", client.baseurl, encode_path(&id.to_string()));`.
pub(crate) struct UrlPath {
    /// The index of the `let url = format!(..)` statement in `send`.
    pub(crate) statement: usize,
    /// The path with each parameter as `{name}`: `/redis/database/{id}`.
    pub(crate) template: String,
    /// The path parameters, in order, as the local variables `send` holds
    /// them in (also the names of their setters).
    pub(crate) parameters: Vec<syn::Ident>,
}

/// The path `send` builds.
pub(crate) fn url_path(send: &syn::ImplItemFn) -> Result<UrlPath, SpecError> {
    let (statement, call) = send
        .block
        .stmts
        .iter()
        .enumerate()
        .find_map(|(index, statement)| {
            if let syn::Stmt::Local(local) = statement
                && let syn::Pat::Ident(name) = &local.pat
                && name.ident == "url"
                && let Some(syn::Expr::Macro(call)) = local_init(statement)
                && call.mac.path.is_ident("format")
            {
                return Some((index, call));
            }
            None
        })
        .ok_or_else(|| unreadable("a `send` without `let url = format!(..)`"))?;
    let arguments = call
        .mac
        .parse_body_with(Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated)
        .map_err(|_| unreadable("a URL `format!` that does not parse"))?;
    let mut arguments = arguments.iter();
    let Some(syn::Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Str(format),
        ..
    })) = arguments.next()
    else {
        return Err(unreadable("a URL `format!` without a format string"));
    };
    // The first argument is the base URL; each other one a path parameter.
    arguments.next();
    let parameters = arguments
        .map(path_parameter)
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| unreadable("a URL argument other than `encode_path(&x.to_string())`"))?;
    let format = format.value();
    let pieces: Vec<&str> = format.split("{}").collect();
    if pieces.first() != Some(&"") || pieces.len() != parameters.len() + 2 {
        return Err(unreadable(
            "a URL `format!` whose placeholders do not match its arguments",
        ));
    }
    let mut template = pieces[1].to_string();
    for (parameter, piece) in parameters.iter().zip(&pieces[2..]) {
        template.push_str(&format!("{{{parameter}}}{piece}"));
    }
    Ok(UrlPath {
        statement,
        template: template.replace("{{", "{").replace("}}", "}"),
        parameters,
    })
}

/// `x` in `encode_path(&x.to_string())`.
fn path_parameter(argument: &syn::Expr) -> Option<syn::Ident> {
    if let syn::Expr::Call(call) = argument
        && let syn::Expr::Path(function) = call.func.as_ref()
        && function.path.is_ident("encode_path")
        && call.args.len() == 1
        && let Some(syn::Expr::Reference(reference)) = call.args.first()
        && let syn::Expr::MethodCall(to_string) = reference.expr.as_ref()
        && let syn::Expr::Path(receiver) = to_string.receiver.as_ref()
    {
        return receiver.path.get_ident().cloned();
    }
    None
}

/// The value of a `#[serde(rename = "..")]` among `attrs`: the name on
/// the wire of a generated field or variant.
pub(crate) fn serde_rename(attrs: &[syn::Attribute]) -> Option<String> {
    let mut rename = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        // Other keys (`default`, `skip_serializing_if = ".."`) are skipped.
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let value: syn::LitStr = meta.value()?.parse()?;
                rename = Some(value.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    rename
}

/// The expression a `let` statement binds.
fn local_init(statement: &syn::Stmt) -> Option<&syn::Expr> {
    let syn::Stmt::Local(local) = statement else {
        return None;
    };
    Some(local.init.as_ref()?.expr.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn send(body: &str) -> syn::ImplItemFn {
        syn::parse_str(&format!(
            "pub async fn send(self) -> Result<ResponseValue<types::Thing>, Error<()>> {{ {body} }}"
        ))
        .unwrap()
    }

    #[test]
    fn the_url_template_names_each_parameter() {
        let method = send(
            r#"let Self { client, id, backup_id } = self;
               let url = format!("{}/r/{}/b/{}.json", client.baseurl,
                   encode_path(&id.to_string()), encode_path(&backup_id.to_string()));
               let info = OperationInfo { operation_id: "delete_backup" };"#,
        );
        let path = url_path(&method).unwrap();
        assert_eq!(path.statement, 1);
        assert_eq!(path.template, "/r/{id}/b/{backup_id}.json");
        assert_eq!(path.parameters, ["id", "backup_id"]);
        assert_eq!(operation_id(&method).unwrap(), "delete_backup");
        let success = success_type(&method).unwrap();
        assert_eq!(quote::quote!(#success).to_string(), "types :: Thing");
    }

    #[test]
    fn other_shapes_are_refused_by_name() {
        let no_url = send("let info = OperationInfo { operation_id: \"x\" };");
        let error = url_path(&no_url).err().unwrap().to_string();
        assert!(error.contains("generated_send.rs"), "{error}");
        let odd = send(r#"let url = format!("{}/r/{}", client.baseurl, id);"#);
        assert!(url_path(&odd).is_err());
        let short = send(r#"let url = format!("{}/r/{}", client.baseurl);"#);
        assert!(url_path(&short).is_err());
    }
}
