//! Every operation's `send` fails with the SDK's own error,
//! `crate::Error` (`upstash_api::Error`), not progenitor's.
//!
//! progenitor's builders return `Result<ResponseValue<T>, Error<E>>`, its
//! `progenitor_client::Error`: code that matches a call's outcome on
//! `upstash_api::Error::NotFound { .. }` does not compile without a
//! conversion, and that error's `Debug` and `Display` show raw response
//! bodies and headers, which a server may fill with a secret. So each
//! `send` becomes
//!
//! ```text
//! pub async fn send(self) -> Result<ResponseValue<T>, crate::Error> {
//!     let generated: Result<ResponseValue<T>, Error<E>> = async move { <progenitor's body> }.await;
//!     generated.map_err(crate::Error::from)
//! }
//! ```
//!
//! The body stays progenitor's (with the other steps' changes), typed by
//! its own return type so that its `?`s convert as they did; the
//! conversion is the `From` in `src/generated_error.rs`, the one `?`
//! uses. The body is not read, so this also applies to the bodies-stripped
//! functions spec-diff reads.
//!
//! Unlike the other rewrites this changes a public signature, so the build
//! and spec-diff both apply it through [`crate::public_api`]. It runs after
//! every step that reads a `send` body (`operation_facts`, `builder_checks`,
//! `builder_docs`), which find the operation there. A `send` of another
//! shape fails the build, naming this file.

use crate::{SpecError, generated_send};

/// Makes every operation builder's `send` in `client` return the SDK's
/// error. A `send` that already does is left alone, so applying it twice
/// changes nothing.
pub(crate) fn convert(client: &mut syn::File) -> Result<(), SpecError> {
    let builders = generated_send::module_mut(&mut client.items, "builder")
        .ok_or_else(|| unexpected("no `builder` module"))?;
    for item in builders {
        // Each operation's builder has one inherent impl, with its setters
        // and `send`; the builder module holds no trait impls.
        let syn::Item::Impl(block) = item else {
            continue;
        };
        if block.trait_.is_some() {
            continue;
        }
        let send = block
            .items
            .iter_mut()
            .find_map(|member| match member {
                syn::ImplItem::Fn(method) if method.sig.ident == "send" => Some(method),
                _ => None,
            })
            .ok_or_else(|| unexpected("an operation builder without `send`"))?;
        convert_send(send)?;
    }
    Ok(())
}

/// [`convert`] for one `send`.
fn convert_send(send: &mut syn::ImplItemFn) -> Result<(), SpecError> {
    let syn::ReturnType::Type(_, output) = &mut send.sig.output else {
        return Err(unexpected("a `send` that returns nothing"));
    };
    let generated = output.as_ref().clone();
    let Some([success, error]) = generic_types_mut(output, "Result") else {
        return Err(unexpected("a `send` that does not return `Result<_, _>`"));
    };
    if generic_types_mut::<1>(success, "ResponseValue").is_none() {
        return Err(unexpected(
            "a `send` that does not return `Result<ResponseValue<T>, _>`",
        ));
    }
    if is_sdk_error(error) {
        return Ok(());
    }
    if generic_types_mut::<1>(error, "Error").is_none() {
        return Err(unexpected(
            "a `send` whose error is not progenitor's `Error<E>`",
        ));
    }
    *error = syn::parse_quote!(crate::Error);
    let body = &send.block;
    send.block = syn::parse_quote!({
        let generated: #generated = async move #body.await;
        generated.map_err(crate::Error::from)
    });
    Ok(())
}

/// The `N` type arguments of a path type whose last segment is `name`
/// (`A, B` in `std::result::Result<A, B>` for `Result`), if it has exactly
/// those.
fn generic_types_mut<'a, const N: usize>(
    ty: &'a mut syn::Type,
    name: &str,
) -> Option<[&'a mut syn::Type; N]> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    if path.qself.is_some() {
        return None;
    }
    let segment = path.path.segments.last_mut()?;
    if segment.ident != name {
        return None;
    }
    let syn::PathArguments::AngleBracketed(arguments) = &mut segment.arguments else {
        return None;
    };
    let mut types = Vec::with_capacity(N);
    for argument in arguments.args.iter_mut() {
        match argument {
            syn::GenericArgument::Type(ty) => types.push(ty),
            _ => return None,
        }
    }
    types.try_into().ok()
}

/// Whether `ty` is `crate::Error`, what [`convert`] makes a `send` return.
fn is_sdk_error(ty: &syn::Type) -> bool {
    let syn::Type::Path(path) = ty else {
        return false;
    };
    let segments: Vec<&syn::PathSegment> = path.path.segments.iter().collect();
    path.qself.is_none()
        && path.path.leading_colon.is_none()
        && matches!(
            segments.as_slice(),
            [krate, error] if krate.ident == "crate"
                && error.ident == "Error"
                && krate.arguments.is_none()
                && error.arguments.is_none()
        )
}

/// The error for a generated `send` this module cannot rewrite.
fn unexpected(what: &str) -> SpecError {
    SpecError::new(format!(
        "cannot give the generated operations the SDK's error type ({what}); the generator's \
         output has changed shape, so `codegen/src/send_error.rs` must follow it"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builder(send: syn::ImplItemFn) -> syn::File {
        syn::parse_quote! {
            pub mod builder {
                pub struct GetThing<'a> { client: &'a super::Client }
                impl<'a> GetThing<'a> {
                    pub fn new(client: &'a super::Client) -> Self { Self { client } }
                    #send
                }
            }
        }
    }

    fn send_of(file: &syn::File) -> &syn::ImplItemFn {
        let items = generated_send::module(&file.items, "builder").unwrap();
        items
            .iter()
            .find_map(|item| match item {
                syn::Item::Impl(block) => generated_send::send_method(block),
                _ => None,
            })
            .unwrap()
    }

    #[test]
    fn send_returns_the_sdk_error_and_keeps_progenitors_body() {
        let mut file = builder(syn::parse_quote! {
            pub async fn send(self) -> Result<ResponseValue<types::Thing>, Error<()>> {
                let Self { client } = self;
                let info = OperationInfo { operation_id: "get_thing" };
                todo!()
            }
        });
        convert(&mut file).unwrap();
        let send = send_of(&file);
        let expected: syn::ImplItemFn = syn::parse_quote! {
            pub async fn send(self) -> Result<ResponseValue<types::Thing>, crate::Error> {
                let generated: Result<ResponseValue<types::Thing>, Error<()>> = async move {
                    let Self { client } = self;
                    let info = OperationInfo { operation_id: "get_thing" };
                    todo!()
                }
                .await;
                generated.map_err(crate::Error::from)
            }
        };
        let text = |f: &syn::ImplItemFn| quote::quote!(#f).to_string();
        assert_eq!(
            text(send),
            text(&expected),
            "{}",
            prettyplease::unparse(&file)
        );
        // Applied again (a file already converted), it is the same.
        let once = text(send);
        convert(&mut file).unwrap();
        assert_eq!(text(send_of(&file)), once);
    }

    /// spec-diff reads the client with every body but the constructors'
    /// left out: the signature changes the same way.
    #[test]
    fn a_send_without_its_body_gets_the_same_signature() {
        let mut file = builder(syn::parse_quote! {
            pub async fn send(self) -> Result<ResponseValue<()>, Error<types::Problem>> {}
        });
        convert(&mut file).unwrap();
        let output = &send_of(&file).sig.output;
        let expected: syn::ReturnType =
            syn::parse_quote!(-> Result<ResponseValue<()>, crate::Error>);
        assert_eq!(
            quote::quote!(#output).to_string(),
            quote::quote!(#expected).to_string()
        );
    }

    #[test]
    fn a_send_of_another_shape_fails_the_build_by_name() {
        let shapes: [syn::ImplItemFn; 4] = [
            syn::parse_quote!(
                pub async fn send(self) {}
            ),
            syn::parse_quote!(
                pub async fn send(self) -> ResponseValue<()> {}
            ),
            syn::parse_quote!(
                pub async fn send(self) -> Result<(), Error<()>> {}
            ),
            syn::parse_quote!(
                pub async fn send(self) -> Result<ResponseValue<()>, String> {}
            ),
        ];
        for shape in shapes {
            let mut file = builder(shape);
            let error = convert(&mut file).unwrap_err().to_string();
            assert!(error.contains("codegen/src/send_error.rs"), "{error}");
        }
        let mut no_send: syn::File = syn::parse_quote! {
            pub mod builder {
                impl<'a> GetThing<'a> { pub fn new(client: &'a super::Client) -> Self { todo!() } }
            }
        };
        let error = convert(&mut no_send).unwrap_err().to_string();
        assert!(error.contains("without `send`"), "{error}");
        let mut no_builders: syn::File = syn::parse_quote! { pub mod types {} };
        assert!(convert(&mut no_builders).is_err());
    }
}
