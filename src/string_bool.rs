//! A field the spec lists as the strings `"true"` and `"false"` is a
//! `bool` in Rust, and travels as the string the API writes.
//!
//! codegen (`codegen/src/string_bools.rs`) types such a field `bool` (or
//! `Option<bool>`) and names these functions in its serde attributes:
//! `true` goes out as `"true"`; reading takes `"true"`, `"false"` and,
//! from a server that sends it unquoted, a JSON boolean. Any other value
//! is an error that lists the two the field takes.

use serde::Serializer;
use serde::de::{self, Deserializer, Visitor};

/// Writes `value` as `"true"` or `"false"`.
pub(crate) fn serialize<S: Serializer>(value: &bool, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(if *value { "true" } else { "false" })
}

/// Reads `"true"`, `"false"`, `true` or `false`.
pub(crate) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    deserializer.deserialize_any(StringBool)
}

/// The same for an optional field: `None` is left out (typify's
/// `skip_serializing_if`) or `null`.
pub(crate) mod option {
    use serde::{Deserialize as _, Deserializer, Serializer};

    /// Writes `Some(value)` as [`super::serialize`] does, `None` as `null`.
    pub(crate) fn serialize<S: Serializer>(
        value: &Option<bool>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => super::serialize(value, serializer),
            None => serializer.serialize_none(),
        }
    }

    /// Reads what [`super::deserialize`] reads, or `null` as `None`.
    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<bool>, D::Error> {
        Ok(Option::<Wire>::deserialize(deserializer)?.map(|wire| wire.0))
    }

    /// One present value, read by [`super::deserialize`].
    struct Wire(bool);

    impl<'de> serde::Deserialize<'de> for Wire {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Wire, D::Error> {
            super::deserialize(deserializer).map(Wire)
        }
    }
}

/// The JSON Schema of the wire form: the string `"true"` or `"false"`.
#[cfg(feature = "schemars")]
pub(crate) fn json_schema(_: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
    schemars::schema::SchemaObject {
        instance_type: Some(schemars::schema::InstanceType::String.into()),
        enum_values: Some(vec!["true".into(), "false".into()]),
        ..Default::default()
    }
    .into()
}

struct StringBool;

impl Visitor<'_> for StringBool {
    type Value = bool;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(r#""true" or "false""#)
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<bool, E> {
        Ok(value)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<bool, E> {
        match value {
            "true" => Ok(true),
            "false" => Ok(false),
            other => Err(E::invalid_value(de::Unexpected::Str(other), &self)),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct Fields {
        #[serde(
            serialize_with = "super::serialize",
            deserialize_with = "super::deserialize"
        )]
        on: bool,
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            serialize_with = "super::option::serialize",
            deserialize_with = "super::option::deserialize"
        )]
        maybe: Option<bool>,
    }

    #[test]
    fn a_bool_goes_out_as_the_string_the_api_writes() {
        let text = serde_json::to_string(&Fields {
            on: true,
            maybe: Some(false),
        })
        .expect("serialises");
        assert_eq!(text, r#"{"on":"true","maybe":"false"}"#);
        let text = serde_json::to_string(&Fields {
            on: false,
            maybe: None,
        })
        .expect("serialises");
        assert_eq!(text, r#"{"on":"false"}"#);
    }

    #[test]
    fn strings_and_booleans_are_read_and_anything_else_is_refused() {
        let read = |text: &str| serde_json::from_str::<Fields>(text);
        assert_eq!(
            read(r#"{"on":"false","maybe":true}"#).expect("reads"),
            Fields {
                on: false,
                maybe: Some(true)
            }
        );
        assert_eq!(read(r#"{"on":true}"#).expect("reads").maybe, None);
        assert_eq!(
            read(r#"{"on":true,"maybe":null}"#).expect("reads").maybe,
            None
        );
        let error = read(r#"{"on":"yes"}"#).expect_err("refused").to_string();
        assert!(error.contains(r#""true" or "false""#), "{error}");
        assert!(read(r#"{"on":1}"#).is_err());
    }
}
