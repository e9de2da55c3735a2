//! The messages of values left unset in the generated builders.
//!
//! typify's and progenitor's builders start each value that must be set
//! as `Err("no value supplied for x")` (`x was not initialized`), and a
//! typed builder's `TryFrom` reports the first such field only, so an
//! empty `create_database()` body names one field per attempt. In the
//! generated code:
//!
//! - a value left unset (in an operation builder's `new`, a type builder's
//!   `Default`) says which setter to call;
//! - a type builder's `TryFrom` names every value left unset and every
//!   value that failed to convert, in one message:
//!   "`name`, `platform`, `primary_region` are not set; call `.name(..)`,
//!   `.platform(..)`, `.primary_region(..)` on the `CreateDatabaseRequest`
//!   builder". With one problem, the message is that problem's.
//!
//! Function bodies and one private helper (`incomplete`, in
//! `types::builder`) only: the public API is typify's.

use quote::quote;

use crate::{SpecError, generated_send};

/// Gives each field of the `Self { .. }` a constructor returns that is an
/// `Err(..)` (a value still to be set) the message `message(field name)`.
pub(crate) fn name_unset_fields(
    body: &mut syn::Block,
    message: impl Fn(&str) -> String,
) -> Result<(), SpecError> {
    let Some(syn::Stmt::Expr(syn::Expr::Struct(value), None)) = body.stmts.last_mut() else {
        return Err(generated_send::unreadable(
            "a builder constructor that does not end in `Self { .. }`",
        ));
    };
    for field in &mut value.fields {
        let syn::Expr::Call(call) = &mut field.expr else {
            continue;
        };
        if !matches!(call.func.as_ref(), syn::Expr::Path(p) if p.path.is_ident("Err")) {
            continue;
        }
        let syn::Member::Named(name) = &field.member else {
            return Err(generated_send::unreadable(
                "a builder with an unnamed field",
            ));
        };
        let message = message(&name.to_string());
        call.args = syn::parse_quote!(::std::string::String::from(#message));
    }
    Ok(())
}

/// The message of a type builder's value left unset.
fn unset_message(field: &str, builder: &str) -> String {
    format!("`{field}` is not set; call `.{field}(..)` on the `{builder}` builder")
}

/// Names the values left unset in every type builder of `types::builder`:
/// its `Default`, and its `TryFrom`, which names them all.
pub(crate) fn name_in_type_builders(client: &mut syn::File) -> Result<(), SpecError> {
    let types = generated_send::module_mut(&mut client.items, "types")
        .ok_or_else(|| generated_send::unreadable("no `types` module"))?;
    let Some(builders) = generated_send::module_mut(types, "builder") else {
        return Ok(());
    };
    let mut any = false;
    for item in builders.iter_mut() {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let Some(builder) = self_name(block) else {
            continue;
        };
        match trait_name(block).as_deref() {
            Some("Default") => {
                for member in &mut block.items {
                    if let syn::ImplItem::Fn(method) = member {
                        name_unset_fields(&mut method.block, |name| unset_message(name, &builder))?;
                    }
                }
            }
            Some("TryFrom") => {
                for member in &mut block.items {
                    if let syn::ImplItem::Fn(method) = member {
                        any |= name_every_problem(&mut method.block, &builder)?;
                    }
                }
            }
            _ => {}
        }
    }
    if any {
        builders.push(incomplete_helper());
    }
    Ok(())
}

/// The last segment of the trait an `impl` block implements.
fn trait_name(block: &syn::ItemImpl) -> Option<String> {
    let (path, _) = block.trait_.as_ref()?;
    Some(path.segments.last()?.ident.to_string())
}

/// The name of the type an `impl` block is for, when it is a plain name
/// (`impl X for Builder`) or `super::X` (`impl TryFrom<Builder> for super::X`:
/// then the builder's name, which is the same).
fn self_name(block: &syn::ItemImpl) -> Option<String> {
    let syn::Type::Path(ty) = block.self_ty.as_ref() else {
        return None;
    };
    Some(ty.path.segments.last()?.ident.to_string())
}

/// Before `Ok(Self { a: value.a?, .. })` in a type builder's `try_from`,
/// a check that fails with every problem at once when there are several.
/// Returns whether the body had that shape (and calls the helper).
fn name_every_problem(body: &mut syn::Block, builder: &str) -> Result<bool, SpecError> {
    let Some(syn::Stmt::Expr(syn::Expr::Call(ok), None)) = body.stmts.last() else {
        return Ok(false);
    };
    let Some(syn::Expr::Struct(value)) = ok.args.first() else {
        return Ok(false);
    };
    let mut checks: Vec<syn::Stmt> = Vec::new();
    for field in &value.fields {
        let syn::Member::Named(name) = &field.member else {
            return Err(generated_send::unreadable(
                "a type builder with an unnamed field",
            ));
        };
        // Only `value.<field>?` is a value that can be missing or invalid.
        let syn::Expr::Try(tried) = &field.expr else {
            continue;
        };
        let source = &tried.expr;
        let unset = unset_message(&name.to_string(), builder);
        let field_name = name.to_string();
        checks.push(syn::parse_quote! {
            if let ::std::result::Result::Err(message) = &#source {
                if message.as_str() == #unset {
                    unset.push(#field_name);
                } else {
                    problems.push(message.clone());
                }
            }
        });
    }
    if checks.is_empty() {
        return Ok(false);
    }
    let check: syn::Stmt = syn::parse_quote! {
        {
            let mut unset: ::std::vec::Vec<&'static str> = ::std::vec::Vec::new();
            let mut problems: ::std::vec::Vec<::std::string::String> = ::std::vec::Vec::new();
            #(#checks)*
            if let ::std::option::Option::Some(message) = incomplete(#builder, &unset, problems) {
                return ::std::result::Result::Err(message.into());
            }
        }
    };
    let at = body.stmts.len() - 1;
    body.stmts.insert(at, check);
    Ok(true)
}

/// The helper every rewritten `try_from` calls: `None` for fewer than two
/// problems (the field's own `?` then reports the one), else one message
/// naming them all, the values left unset last, together.
fn incomplete_helper() -> syn::Item {
    let one = unset_message("{}", "{}");
    let tokens = quote! {
        /// Every problem of a builder at once: the values that failed to
        /// convert, then those left unset. `None` for fewer than two.
        fn incomplete(
            builder: &str,
            unset: &[&str],
            mut problems: ::std::vec::Vec<::std::string::String>,
        ) -> ::std::option::Option<::std::string::String> {
            if unset.len() + problems.len() < 2 {
                return ::std::option::Option::None;
            }
            match unset {
                [] => {}
                [field] => problems.push(format!(#one, field, field, builder)),
                fields => {
                    let names: ::std::vec::Vec<::std::string::String> =
                        fields.iter().map(|field| format!("`{field}`")).collect();
                    let calls: ::std::vec::Vec<::std::string::String> =
                        fields.iter().map(|field| format!("`.{field}(..)`")).collect();
                    problems.push(format!(
                        "{} are not set; call {} on the `{}` builder",
                        names.join(", "),
                        calls.join(", "),
                        builder
                    ));
                }
            }
            ::std::option::Option::Some(problems.join("; "))
        }
    };
    syn::parse_quote!(#tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builders() -> syn::File {
        syn::parse_quote! {
            pub mod types {
                pub mod builder {
                    pub struct Body { a: Result<String, String>, b: Result<String, String>, c: Result<Option<i64>, String> }
                    impl ::std::default::Default for Body {
                        fn default() -> Self {
                            Self {
                                a: Err("no value supplied for a".to_string()),
                                b: Err("no value supplied for b".to_string()),
                                c: Ok(Default::default()),
                            }
                        }
                    }
                    impl ::std::convert::TryFrom<Body> for super::Body {
                        type Error = super::error::ConversionError;
                        fn try_from(value: Body) -> ::std::result::Result<Self, super::error::ConversionError> {
                            Ok(Self { a: value.a?, b: value.b?, c: value.c? })
                        }
                    }
                }
            }
            pub mod builder {}
        }
    }

    #[test]
    fn every_value_left_unset_is_named_in_one_message() {
        let mut file = builders();
        name_in_type_builders(&mut file).unwrap();
        let text = prettyplease::unparse(&file);
        assert!(
            text.contains("\"`a` is not set; call `.a(..)` on the `Body` builder\""),
            "{text}"
        );
        let flat: String = text.split_whitespace().collect();
        assert!(
            flat.contains("incomplete(\"Body\",&unset,problems"),
            "{text}"
        );
        for field in ["a", "b", "c"] {
            assert!(text.contains(&format!("&value.{field}")), "{text}");
        }
        assert_eq!(text.matches("fn incomplete(").count(), 1, "{text}");
        let check = flat.find("incomplete(\"Body\"").unwrap();
        assert!(check < flat.find("Ok(Self{").unwrap(), "{text}");
    }

    #[test]
    fn a_builder_without_values_gets_no_helper() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types { pub mod builder {} }
        };
        name_in_type_builders(&mut file).unwrap();
        assert!(!prettyplease::unparse(&file).contains("incomplete"));
    }
}
