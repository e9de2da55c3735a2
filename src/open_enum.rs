//! What the open enums of [`types`](crate::types) are made of: the value
//! kept for a variant the spec does not list, and the error of parsing one.
//!
//! Every string enum a response can contain is open: besides a unit variant
//! per listed value it has `Unknown(UnknownValue)`, so the day the API
//! answers a new region or state, the response still reads and the new
//! value is there to see. Code cannot make an `UnknownValue` (it has no
//! public constructor) and parsing a string is strict, so a request never
//! carries an unlisted value by accident: only one the API itself sent.

use std::fmt;

/// A value the API sent for an enum that the spec behind this SDK does not
/// list. Read it with [`as_str`](UnknownValue::as_str); a value sent back
/// to the API is sent as it came.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(Box<str>);

impl UnknownValue {
    /// The value as the API sent it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The error of parsing a string into an open enum (`FromStr`, `TryFrom`)
/// when the string is not one of the values the spec lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnlistedValue {
    type_name: &'static str,
    value: String,
    listed: &'static [&'static str],
}

impl UnlistedValue {
    /// The error for `value`, which `type_name` does not list among
    /// `listed`.
    #[doc(hidden)]
    pub fn new(
        type_name: &'static str,
        value: &str,
        listed: &'static [&'static str],
    ) -> UnlistedValue {
        UnlistedValue {
            type_name,
            value: value.to_string(),
            listed,
        }
    }

    /// The values the enum lists, in the spec's order.
    pub fn listed(&self) -> &[&'static str] {
        self.listed
    }

    /// The string that was refused.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The enum that refused it.
    pub fn type_name(&self) -> &str {
        self.type_name
    }
}

impl fmt::Display for UnlistedValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a value the spec lists for {} (it lists ",
            self.value, self.type_name
        )?;
        for (index, listed) in self.listed.iter().enumerate() {
            let separator = if index == 0 { "" } else { ", " };
            write!(f, "{separator}`{listed}`")?;
        }
        f.write_str(")")
    }
}

impl std::error::Error for UnlistedValue {}

/// Reads an open enum: a listed value becomes its variant (`listed`), any
/// other becomes `unknown`. A JSON string is read as it is; a boolean or a
/// number as its JSON text (`true`, `3`), for enums such as
/// `["true", "false"]` that a server may send unquoted.
// Called by the generated open enums only: unused for a spec without any.
#[allow(dead_code)]
pub(crate) fn deserialize<'de, D, T>(
    deserializer: D,
    listed: fn(&str) -> Option<T>,
    unknown: fn(UnknownValue) -> T,
) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct Visitor<T> {
        listed: fn(&str) -> Option<T>,
        unknown: fn(UnknownValue) -> T,
    }

    impl<T> Visitor<T> {
        fn read(&self, text: &str) -> T {
            (self.listed)(text).unwrap_or_else(|| (self.unknown)(UnknownValue(text.into())))
        }
    }

    impl<T> serde::de::Visitor<'_> for Visitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
            Ok(self.read(value))
        }

        fn visit_bool<E: serde::de::Error>(self, value: bool) -> Result<T, E> {
            Ok(self.read(if value { "true" } else { "false" }))
        }

        fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<T, E> {
            Ok(self.read(&value.to_string()))
        }

        fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<T, E> {
            Ok(self.read(&value.to_string()))
        }

        fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<T, E> {
            Ok(self.read(&value.to_string()))
        }
    }

    deserializer.deserialize_any(Visitor { listed, unknown })
}

#[cfg(test)]
mod tests {
    use super::{UnknownValue, UnlistedValue, deserialize};

    #[derive(Debug, PartialEq)]
    enum Flag {
        True,
        False,
        Unknown(UnknownValue),
    }

    fn listed(value: &str) -> Option<Flag> {
        match value {
            "true" => Some(Flag::True),
            "false" => Some(Flag::False),
            _ => None,
        }
    }

    fn read(json: &str) -> Result<Flag, serde_json::Error> {
        deserialize(
            &mut serde_json::Deserializer::from_str(json),
            listed,
            Flag::Unknown,
        )
    }

    #[test]
    fn listed_values_and_unquoted_ones_are_read() {
        assert_eq!(read(r#""true""#).unwrap(), Flag::True);
        assert_eq!(read("false").unwrap(), Flag::False);
        match read(r#""maybe""#).unwrap() {
            Flag::Unknown(value) => assert_eq!(value.as_str(), "maybe"),
            other => panic!("{other:?}"),
        }
        match read("3").unwrap() {
            Flag::Unknown(value) => assert_eq!(value.to_string(), "3"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn objects_and_null_are_still_errors() {
        assert!(read("{}").is_err());
        assert!(read("null").is_err());
        assert!(read("[1]").is_err());
    }

    #[test]
    fn an_unlisted_value_names_itself_and_its_type() {
        let e = UnlistedValue::new("Region", "mars-1", &["eu-west-1", "us-east-1"]);
        assert_eq!(e.value(), "mars-1");
        assert_eq!(e.type_name(), "Region");
        assert_eq!(e.listed(), ["eu-west-1", "us-east-1"]);
        assert_eq!(
            e.to_string(),
            "`mars-1` is not a value the spec lists for Region (it lists `eu-west-1`, `us-east-1`)"
        );
    }
}
