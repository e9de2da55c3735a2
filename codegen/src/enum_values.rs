//! The values an enum lists, shown where a caller meets the enum.
//!
//! typify's `FromStr` for a request enum answers any other value with
//! "invalid value", so a caller reads "error converting supplied value
//! for plan_name: invalid value" and has to open the spec to learn what
//! was wrong. The message becomes "`azure` is not one of the values the
//! spec lists: aws, gcp". An operation builder's setter for an enum
//! parameter drops the conversion's error ("conversion to
//! `GetDatabaseStatsPeriod` for period failed"): its message names the
//! setter and the listed values instead. And each variant of typify's
//! closed enums is documented with its wire value (`"1h"`), as the open
//! enums' are.

use std::collections::BTreeMap;

/// Rewrites the messages and adds the variant docs (module docs).
pub(crate) fn name_allowed_values(client: &mut syn::File) {
    rewrite_from_str(client);
    document_variants(client);
    let listed = listed_values(client);
    name_parameter_values(client, &listed);
}

/// Rewrites the fallback arm of every `FromStr` of the generated `types`
/// module whose answer is typify's bare "invalid value".
fn rewrite_from_str(client: &mut syn::File) {
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

/// The string literals a `match` arm's patterns compare with, in order.
fn arm_values(m: &syn::ExprMatch) -> Vec<String> {
    m.arms
        .iter()
        .filter_map(|arm| match &arm.pat {
            syn::Pat::Lit(syn::PatLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        })
        .collect()
}

fn rewrite_fallback(m: &mut syn::ExprMatch) {
    let allowed = arm_values(m);
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

/// A doc line showing `value` as the JSON string it is on the wire:
/// `` `"us-east-1"` `` (a code span longer than any run of backticks in it).
pub(crate) fn wire_doc(value: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in value.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let ticks = "`".repeat(longest + 1);
    let pad = if longest > 0 { " " } else { "" };
    let json = serde_json::Value::String(value.to_string()).to_string();
    format!("{ticks}{pad}{json}{pad}{ticks}")
}

/// Documents each unit variant of every enum at the top of `types` with
/// its wire value: its `#[serde(rename = "..")]`, else its name.
fn document_variants(client: &mut syn::File) {
    let Some(items) = crate::generated_send::module_mut(&mut client.items, "types") else {
        return;
    };
    for item in items {
        let syn::Item::Enum(e) = item else { continue };
        if !e
            .variants
            .iter()
            .all(|v| matches!(v.fields, syn::Fields::Unit))
        {
            continue;
        }
        for variant in &mut e.variants {
            let wire = crate::generated_send::serde_rename(&variant.attrs)
                .unwrap_or_else(|| variant.ident.to_string());
            let doc = wire_doc(&wire);
            let at = variant
                .attrs
                .iter()
                .take_while(|a| a.path().is_ident("doc"))
                .count();
            if at > 0 {
                variant.attrs.insert(at, syn::parse_quote!(#[doc = ""]));
                variant
                    .attrs
                    .insert(at + 1, syn::parse_quote!(#[doc = #doc]));
            } else {
                variant.attrs.insert(0, syn::parse_quote!(#[doc = #doc]));
            }
        }
    }
}

/// The values each string enum of `types` (its `FromStr`) and of
/// `open_enums` (its `listed`) accepts, by type name.
fn listed_values(client: &syn::File) -> BTreeMap<String, Vec<String>> {
    let mut listed = BTreeMap::new();
    for (module, function) in [("types", "from_str"), ("open_enums", "listed")] {
        let items = crate::generated_send::module(&client.items, module).unwrap_or_default();
        for item in items {
            let syn::Item::Impl(block) = item else {
                continue;
            };
            let syn::Type::Path(ty) = block.self_ty.as_ref() else {
                continue;
            };
            let Some(name) = ty.path.get_ident() else {
                continue;
            };
            for member in &block.items {
                if let syn::ImplItem::Fn(f) = member
                    && f.sig.ident == function
                    && let Some(syn::Stmt::Expr(syn::Expr::Match(m), _)) = f.block.stmts.last()
                {
                    let values = arm_values(m);
                    if !values.is_empty() {
                        listed.insert(name.to_string(), values);
                    }
                }
            }
        }
    }
    listed
}

/// Gives each operation builder setter whose value is one of `listed`'s
/// enums the message naming the setter and the values the spec lists, in
/// place of progenitor's "conversion to `T` for x failed" (the setter's
/// value need not be `Display`, so the message cannot show it).
fn name_parameter_values(client: &mut syn::File, listed: &BTreeMap<String, Vec<String>>) {
    let Some(items) = crate::generated_send::module_mut(&mut client.items, "builder") else {
        return;
    };
    for item in items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        for member in &mut block.items {
            let syn::ImplItem::Fn(setter) = member else {
                continue;
            };
            let Some(values) = setter_enum(setter).and_then(|name| listed.get(&name)) else {
                continue;
            };
            let name = setter.sig.ident.to_string();
            let message = format!(
                "the value given to `.{name}(..)` is not one of the values the spec lists for \
                 `{name}`: {}",
                values.join(", ")
            );
            for statement in &mut setter.block.stmts {
                if let syn::Stmt::Expr(syn::Expr::Assign(assign), _) = statement {
                    replace_dropped_error(&mut assign.right, &message);
                }
            }
        }
    }
}

/// The type name `T` of a setter `fn x<V>(..) where V: TryInto<path::T>`.
fn setter_enum(setter: &syn::ImplItemFn) -> Option<String> {
    let predicates = &setter.sig.generics.where_clause.as_ref()?.predicates;
    predicates.iter().find_map(|predicate| {
        let syn::WherePredicate::Type(bound) = predicate else {
            return None;
        };
        bound.bounds.iter().find_map(|b| {
            let syn::TypeParamBound::Trait(t) = b else {
                return None;
            };
            let last = t.path.segments.last()?;
            if last.ident != "TryInto" {
                return None;
            }
            let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
                return None;
            };
            let Some(syn::GenericArgument::Type(syn::Type::Path(target))) = args.args.first()
            else {
                return None;
            };
            Some(target.path.segments.last()?.ident.to_string())
        })
    })
}

/// In `value.try_into()...map_err(|_| "..".to_string())`, the message
/// becomes `message`.
fn replace_dropped_error(expr: &mut syn::Expr, message: &str) {
    let syn::Expr::MethodCall(call) = expr else {
        return;
    };
    if call.method == "map_err"
        && let Some(syn::Expr::Closure(closure)) = call.args.first()
        && matches!(closure.inputs.first(), Some(syn::Pat::Wild(_)))
    {
        call.args[0] = syn::parse_quote!(|_| ::std::string::String::from(#message));
        return;
    }
    replace_dropped_error(&mut call.receiver, message);
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

    #[test]
    fn variants_show_their_wire_values_and_parameters_the_listed_ones() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub enum Period {
                    #[serde(rename = "1h")]
                    X1h,
                    ///Already documented
                    Day,
                }
                impl ::std::str::FromStr for Period {
                    type Err = self::error::ConversionError;
                    fn from_str(value: &str) -> ::std::result::Result<Self, self::error::ConversionError> {
                        match value {
                            "1h" => Ok(Self::X1h),
                            "Day" => Ok(Self::Day),
                            _ => Err("invalid value".into()),
                        }
                    }
                }
            }
            pub mod open_enums {
                impl Region {
                    fn listed(value: &str) -> ::std::option::Option<Self> {
                        match value {
                            "us-east-1" => ::std::option::Option::Some(Self::UsEast1),
                            _ => ::std::option::Option::None,
                        }
                    }
                }
            }
            pub mod builder {
                impl<'a> GetStats<'a> {
                    pub fn period<V>(mut self, value: V) -> Self
                    where
                        V: std::convert::TryInto<types::Period>,
                    {
                        self.period = value.try_into().map(Some).map_err(|_| "conversion to `Period` for period failed".to_string());
                        self
                    }
                    pub fn region<V>(mut self, value: V) -> Self
                    where
                        V: std::convert::TryInto<::upstash_api::types::Region>,
                    {
                        self.region = value.try_into().map_err(|_| "conversion to `Region` for region failed".to_string());
                        self
                    }
                    pub fn id<V>(mut self, value: V) -> Self
                    where
                        V: std::convert::TryInto<::std::string::String>,
                    {
                        self.id = value.try_into().map_err(|_| "conversion failed".to_string());
                        self
                    }
                }
            }
        };
        name_allowed_values(&mut file);
        let text = prettyplease::unparse(&file);
        assert!(text.contains("///`\"1h\"`\n"), "{text}");
        assert!(
            text.contains("///Already documented\n        ///\n        ///`\"Day\"`"),
            "{text}"
        );
        assert!(
            text.contains(
                "the value given to `.period(..)` is not one of the values the spec lists for `period`: 1h, Day"
            ),
            "{text}"
        );
        assert!(text.contains("for `region`: us-east-1"), "{text}");
        assert!(text.contains("\"conversion failed\""), "{text}");
        assert!(!text.contains("for period failed"), "{text}");
    }

    #[test]
    fn a_wire_doc_is_a_code_span_around_the_json_string() {
        assert_eq!(wire_doc("us-east-1"), "`\"us-east-1\"`");
        assert_eq!(wire_doc("a`b"), "`` \"a`b\" ``");
    }
}
