//! A value an enum does not list names itself and the values it lists.
//!
//! typify's `FromStr` for a request enum answers any other value with
//! "invalid value", so a caller reads "error converting supplied value
//! for plan_name: invalid value" and has to open the spec to learn what
//! was wrong. The message becomes "`azure` is not one of the values the
//! spec lists: aws, gcp".

/// Rewrites the fallback arm of every `FromStr` of the generated `types`
/// module whose answer is typify's bare "invalid value".
pub(crate) fn name_allowed_values(client: &mut syn::File) {
    let Some(items) = crate::generated_send::module_mut(&mut client.items, "types") else {
        return;
    };
    for item in items {
        let syn::Item::Impl(imp) = item else { continue };
        let Some((path, _)) = &imp.trait_ else {
            continue;
        };
        if path.segments.last().is_none_or(|s| s.ident != "FromStr") {
            continue;
        }
        for impl_item in &mut imp.items {
            if let syn::ImplItem::Fn(f) = impl_item
                && let Some(syn::Stmt::Expr(syn::Expr::Match(m), _)) = f.block.stmts.last_mut()
            {
                rewrite_fallback(m);
            }
        }
    }
}

fn rewrite_fallback(m: &mut syn::ExprMatch) {
    let allowed: Vec<String> = m
        .arms
        .iter()
        .filter_map(|arm| match &arm.pat {
            syn::Pat::Lit(syn::PatLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        })
        .collect();
    let bare = quote::quote!(Err("invalid value".into())).to_string();
    for arm in &mut m.arms {
        let body = &arm.body;
        if matches!(arm.pat, syn::Pat::Wild(_)) && quote::quote!(#body).to_string() == bare {
            let allowed = allowed.join(", ");
            let message = format!("`{{value}}` is not one of the values the spec lists: {allowed}");
            *arm.body = syn::parse_quote!(Err(format!(#message).into()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fallback_names_the_value_and_the_allowed_ones() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                impl ::std::str::FromStr for Platform {
                    type Err = self::error::ConversionError;
                    fn from_str(value: &str) -> ::std::result::Result<Self, self::error::ConversionError> {
                        match value {
                            "aws" => Ok(Self::Aws),
                            "gcp" => Ok(Self::Gcp),
                            _ => Err("invalid value".into()),
                        }
                    }
                }
            }
        };
        name_allowed_values(&mut file);
        let code = quote::quote!(#file).to_string();
        assert!(
            code.contains("`{value}` is not one of the values the spec lists: aws, gcp"),
            "{code}"
        );
        assert!(!code.contains("invalid value"), "{code}");
    }
}
