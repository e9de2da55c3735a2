//! Every generated type is `#[non_exhaustive]`, as aws-sdk-rust's are, so
//! that a new response field, optional request field or enum value is an
//! addition by Rust's semver rules. Other crates build these values with
//! their builders, `Default` or serde, and match enums with a `_` arm.
//!
//! The mark does not depend on how the rest of the document uses a type, so
//! a type keeps its Rust API when its uses change, and spec-diff, which
//! marks the client it reads with the same [`mark`] (through
//! [`crate::public_api`]), may generate a focused part of a document and
//! still see what the build generates.

/// The modules whose structs and enums are marked (the builders in
/// `types::builder` and the error type in `types::error` are not).
const TYPE_MODULES: [&str; 2] = ["types", "open_enums"];

/// Adds `#[non_exhaustive]` to every struct and enum at the top of the
/// generated `types` and `open_enums` modules.
pub(crate) fn mark(client: &mut syn::File) {
    for name in TYPE_MODULES {
        let Some(items) = crate::generated_send::module_mut(&mut client.items, name) else {
            continue;
        };
        for item in items {
            let attrs = match item {
                syn::Item::Struct(s) => &mut s.attrs,
                syn::Item::Enum(e) => &mut e.attrs,
                _ => continue,
            };
            if !attrs.iter().any(|a| a.path().is_ident("non_exhaustive")) {
                attrs.push(syn::parse_quote!(#[non_exhaustive]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_is_marked_once_and_builders_are_not() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct Database { pub region: Option<Region> }
                pub struct CreateBody { pub name: String }
                pub enum Plan { Free, Paid }
                pub mod builder { pub struct Database { region: Result<(), String> } }
                pub mod error { pub struct ConversionError(String); }
            }
            pub mod open_enums {
                pub enum Region { UsEast1, Unknown(::upstash_api::UnknownValue) }
            }
            pub mod builder {
                pub struct GetDatabase<'a> { client: &'a () }
            }
        };
        mark(&mut file);
        mark(&mut file);
        let text = prettyplease::unparse(&file);
        assert_eq!(text.matches("#[non_exhaustive]").count(), 4, "{text}");
        for marked in [
            "pub struct Database {",
            "pub struct CreateBody",
            "pub enum Plan",
            "pub enum Region",
        ] {
            let at = text.find(marked).expect(marked);
            assert!(
                text[..at].trim_end().ends_with("#[non_exhaustive]"),
                "{marked}: {text}"
            );
        }
        assert!(!text.contains("#[non_exhaustive]\n        pub struct Database"));
    }
}
