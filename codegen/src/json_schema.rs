//! The SDK's `schemars` feature: with it, every generated type implements
//! `schemars::JsonSchema` (schemars 0.8, the version typify and progenitor
//! use). typify's structs and enums derive it under
//! `#[cfg_attr(feature = "schemars", ..)]`; each open enum gets an impl of
//! its own that says what its wire form is: a string, one of the listed
//! values or any other ([`crate::open_enums`] keeps unlisted values).
//!
//! Without the feature the attributes and impls compile to nothing, so the
//! default build neither builds schemars nor spends time on the derives.
//! spec-diff does not read them: they add no item to the Rust API.

use quote::{format_ident, quote};

use crate::generated_send;
use crate::open_enums::OpenEnum;

/// Adds the `JsonSchema` derives to `client`'s types and the impls of the
/// open enums `enums` to its `open_enums` module.
pub(crate) fn add(client: &mut syn::File, enums: &[OpenEnum]) {
    if let Some(types) = generated_send::module_mut(&mut client.items, "types") {
        for item in types.iter_mut() {
            let attrs = match item {
                syn::Item::Struct(s) => &mut s.attrs,
                syn::Item::Enum(e) => &mut e.attrs,
                _ => continue,
            };
            attrs.push(syn::parse_quote!(
                #[cfg_attr(feature = "schemars", derive(::schemars::JsonSchema))]
            ));
        }
    }
    if let Some(open) = generated_send::module_mut(&mut client.items, "open_enums") {
        open.extend(enums.iter().map(open_enum_impl));
    }
}

/// `JsonSchema` for one open enum: `anyOf` its listed values and any
/// string, with the schema's description.
fn open_enum_impl(open: &OpenEnum) -> syn::Item {
    let name = format_ident!("{}", open.name);
    let type_name = &open.name;
    let values = &open.values;
    let description = match &open.description {
        Some(text) => quote!(::std::option::Option::Some(::std::string::String::from(#text))),
        None => quote!(::std::option::Option::None),
    };
    syn::parse_quote! {
        #[cfg(feature = "schemars")]
        impl ::schemars::JsonSchema for #name {
            fn schema_name() -> ::std::string::String {
                ::std::string::String::from(#type_name)
            }
            fn json_schema(_: &mut ::schemars::r#gen::SchemaGenerator) -> ::schemars::schema::Schema {
                use ::schemars::schema::{InstanceType, Metadata, Schema, SchemaObject, SubschemaValidation};
                let listed = SchemaObject {
                    instance_type: ::std::option::Option::Some(InstanceType::String.into()),
                    enum_values: ::std::option::Option::Some(::std::vec![#(::serde_json::Value::from(#values)),*]),
                    ..::std::default::Default::default()
                };
                let other = SchemaObject {
                    instance_type: ::std::option::Option::Some(InstanceType::String.into()),
                    metadata: ::std::option::Option::Some(::std::boxed::Box::new(Metadata {
                        description: ::std::option::Option::Some(::std::string::String::from(
                            "a value the spec does not list (the API added it later)",
                        )),
                        ..::std::default::Default::default()
                    })),
                    ..::std::default::Default::default()
                };
                Schema::Object(SchemaObject {
                    metadata: ::std::option::Option::Some(::std::boxed::Box::new(Metadata {
                        description: #description,
                        ..::std::default::Default::default()
                    })),
                    subschemas: ::std::option::Option::Some(::std::boxed::Box::new(SubschemaValidation {
                        any_of: ::std::option::Option::Some(::std::vec![listed.into(), other.into()]),
                        ..::std::default::Default::default()
                    })),
                    ..::std::default::Default::default()
                })
            }
        }
    }
}
