//! The open enums: string enums a response can contain, generated beside
//! progenitor's types (see [`crate::tolerance`] for which ones).
//!
//! Each listed value is a unit variant; any other value the API sends is
//! kept in `Unknown(UnknownValue)` (`as_str()`) and serialised back as it
//! came. Parsing a string (`FromStr`, `TryFrom`) accepts listed values only,
//! so code cannot send an unlisted value by accident; deserialising also
//! takes a boolean or number as its JSON text (for `"true"`/`"false"` enums
//! a server may send unquoted).
//!
//! The enums go into a module `open_enums`; typify refers to them by their
//! `x-rust-type` path (`upstash_api::types::<Name>`), which `types` re-exports.

use std::collections::BTreeMap;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use crate::Spec;
use crate::names::{pascal, unique};
use crate::tolerance::{OPEN_ENUM_CRATE, OPEN_ENUM_MODULE};

/// One open enum to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenEnum {
    /// The Rust type name.
    pub name: String,
    /// The listed values, in the spec's order.
    pub values: Vec<String>,
    /// The schema's description, if any.
    pub description: Option<String>,
    /// The schema's default value, if it is one of the listed values.
    pub default: Option<String>,
}

/// Every open enum `spec` marks, by name.
pub fn in_spec(spec: &Spec) -> Vec<OpenEnum> {
    let Ok(document) = serde_json::to_value(&spec.openapi) else {
        return Vec::new();
    };
    let mut found: BTreeMap<String, OpenEnum> = BTreeMap::new();
    let mut stack = vec![&document];
    while let Some(node) = stack.pop() {
        match node {
            Value::Object(map) => {
                if let Some(open) = open_enum(map) {
                    found.entry(open.name.clone()).or_insert(open);
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    found.into_values().collect()
}

/// The open enum a schema node is marked as, if it is one.
pub(crate) fn open_enum(node: &serde_json::Map<String, Value>) -> Option<OpenEnum> {
    let name = marked_name(node)?;
    let text = |key: &str| node.get(key).and_then(Value::as_str);
    let values: Vec<String> = node
        .get("enum")?
        .as_array()?
        .iter()
        .map(|v| v.as_str().map(str::to_string))
        .collect::<Option<_>>()?;
    Some(OpenEnum {
        name: name.to_string(),
        description: text("description").map(str::to_string),
        default: text("default")
            .filter(|d| values.iter().any(|v| v == d))
            .map(str::to_string),
        values,
    })
}

/// The type name in an `x-rust-type` mark made by [`crate::tolerance`].
pub(crate) fn marked_name(node: &serde_json::Map<String, Value>) -> Option<&str> {
    let mark = node.get("x-rust-type")?;
    if mark.get("crate")?.as_str()? != OPEN_ENUM_CRATE {
        return None;
    }
    mark.get("path")?
        .as_str()?
        .strip_prefix(OPEN_ENUM_MODULE)?
        .strip_prefix("::")
}

/// The `open_enums` module holding `enums`.
pub fn module(enums: &[OpenEnum]) -> TokenStream {
    let items = enums.iter().map(item);
    quote! {
        /// String enums a response can contain, open to values the spec
        /// does not list (re-exported in `upstash_api::types`).
        #[allow(clippy::all)]
        pub mod open_enums {
            #(#items)*
        }
    }
}

/// The Rust variant names of `values`: typify's names, made distinct, and
/// never `Unknown` (the variant for unlisted values).
fn variant_names(values: &[String]) -> Vec<Ident> {
    let mut taken = std::collections::BTreeSet::new();
    values
        .iter()
        .map(|value| {
            let mut base = pascal(value);
            if base == "Unknown" {
                base.push('_');
            }
            format_ident!("{}", unique(&base, &mut taken))
        })
        .collect()
}

fn item(open: &OpenEnum) -> TokenStream {
    let name = format_ident!("{}", open.name);
    let type_name = &open.name;
    let doc = open
        .description
        .clone()
        .unwrap_or_else(|| format!("`{}`", open.name));
    let variants = variant_names(&open.values);
    let values = &open.values;
    let value_docs = values.iter().map(|v| crate::enum_values::wire_doc(v));
    // The text types `TryFrom` takes, each parsed as `FromStr` does.
    let texts = [
        quote!(&str),
        quote!(&::std::string::String),
        quote!(::std::string::String),
    ];
    let default = open.default.as_ref().map(|default| {
        let index = values.iter().position(|v| v == default).unwrap_or(0);
        let variant = &variants[index];
        quote! {
            impl ::std::default::Default for #name {
                fn default() -> Self {
                    Self::#variant
                }
            }
        }
    });
    quote! {
        #[doc = #doc]
        ///
        /// Open: a value the spec does not list arrives as [`Self::Unknown`]
        /// instead of failing the response.
        #[derive(Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
        pub enum #name {
            #(
                #[doc = #value_docs]
                #variants,
            )*
            /// A value the spec does not list (the API added it later); read
            /// it with [`as_str`](Self::as_str).
            Unknown(::upstash_api::UnknownValue),
        }
        impl #name {
            /// The value as the API spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #values, )*
                    Self::Unknown(value) => value.as_str(),
                }
            }
            /// Whether this is a value the spec does not list.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }
            fn listed(value: &str) -> ::std::option::Option<Self> {
                match value {
                    #( #values => ::std::option::Option::Some(Self::#variants), )*
                    _ => ::std::option::Option::None,
                }
            }
        }
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::std::str::FromStr for #name {
            type Err = ::upstash_api::UnlistedValue;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Self::listed(value).ok_or_else(|| {
                    ::upstash_api::UnlistedValue::new(#type_name, value, &[#( #values ),*])
                })
            }
        }
        #(
            impl ::std::convert::TryFrom<#texts> for #name {
                type Error = ::upstash_api::UnlistedValue;
                fn try_from(value: #texts) -> ::std::result::Result<Self, Self::Error> {
                    value.parse()
                }
            }
        )*
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                ::upstash_api::open_enum::deserialize(deserializer, Self::listed, Self::Unknown)
            }
        }
        #default
    }
}

#[cfg(test)]
mod tests {
    use super::variant_names;

    #[test]
    fn variants_are_distinct_and_leave_unknown_free() {
        let values = ["us-east-1", "us_east_1", "unknown", "Unknown", "1h"].map(String::from);
        assert_eq!(
            variant_names(&values),
            ["UsEast1", "UsEast12", "Unknown_", "Unknown_2", "X1h"]
        );
    }
}
