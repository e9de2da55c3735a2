//! How a JSON `number` (`f64`) goes out: an integral value as an integer.
//!
//! serde_json writes `1536.0_f64` as `1536.0`, and a backend that reads
//! the field into an integer refuses it. Every `f64` field of a generated
//! type (and every number query parameter) is serialised through
//! [`serialize`] instead, which codegen names in a
//! `#[serde(serialize_with = "crate::number::serialize")]` it adds
//! (`codegen/src/numbers.rs`): `1536.0` goes out as `1536`, `-0.0` as `0`,
//! `0.5` as `0.5`. A value past ±2^63 or not finite goes out as
//! serde_json writes any `f64` (`1e+20`; NaN and the infinities as `null`).

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasher, Hash};

use serde::{Serialize, Serializer};

/// A value made of `f64`s that [`serialize`] writes with integral values as
/// integers: `f64` itself, and `Option`, `Vec`, `Box` and maps of one.
pub(crate) trait Numbers {
    /// Serialises `self` with every integral `f64` in it as an integer.
    fn serialize_numbers<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
}

/// The largest magnitude (exclusive) an integral `f64` is written as an
/// `i64` below: 2^63, where every integral `f64` is exactly an `i64`.
const I64_BOUND: f64 = 9_223_372_036_854_775_808.0;

impl Numbers for f64 {
    fn serialize_numbers<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let value = *self;
        if value.fract() == 0.0 && value.abs() < I64_BOUND {
            // Integral and within range: the conversion is exact.
            serializer.serialize_i64(value as i64)
        } else {
            serializer.serialize_f64(value)
        }
    }
}

impl<T: Numbers> Numbers for Option<T> {
    fn serialize_numbers<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(value) => serializer.serialize_some(&Integral(value)),
            None => serializer.serialize_none(),
        }
    }
}

impl<T: Numbers> Numbers for Box<T> {
    fn serialize_numbers<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).serialize_numbers(serializer)
    }
}

impl<T: Numbers> Numbers for Vec<T> {
    fn serialize_numbers<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter().map(Integral))
    }
}

impl<K: Serialize + Eq + Hash, V: Numbers, H: BuildHasher> Numbers for HashMap<K, V, H> {
    fn serialize_numbers<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter().map(|(k, v)| (k, Integral(v))))
    }
}

impl<K: Serialize + Ord, V: Numbers> Numbers for BTreeMap<K, V> {
    fn serialize_numbers<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter().map(|(k, v)| (k, Integral(v))))
    }
}

/// A borrowed [`Numbers`] value that serialises as [`serialize`] does; the
/// generated `send` wraps a number query parameter in it.
pub(crate) struct Integral<'a, T>(pub(crate) &'a T);

impl<T: Numbers> Serialize for Integral<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_numbers(serializer)
    }
}

/// `value` with every integral `f64` in it as an integer (a `serialize_with`
/// function: see the module's documentation).
pub(crate) fn serialize<T: Numbers, S: Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    value.serialize_numbers(serializer)
}

#[cfg(test)]
mod tests {
    use super::Integral;

    fn json<T: super::Numbers>(value: &T) -> String {
        serde_json::to_string(&Integral(value)).expect("serialisable")
    }

    #[test]
    fn integral_values_go_out_as_integers() {
        assert_eq!(json(&1536.0), "1536");
        assert_eq!(json(&-3.0), "-3");
        assert_eq!(json(&-0.0), "0");
        assert_eq!(json(&0.5), "0.5");
        assert_eq!(json(&1e20), "1e+20");
        assert_eq!(json(&-9_223_372_036_854_774_784.0), "-9223372036854774784");
        assert_eq!(json(&f64::NAN), "null");
        assert_eq!(json(&f64::INFINITY), "null");
        assert_eq!(json(&Some(2.0)), "2");
        assert_eq!(json(&None::<f64>), "null");
        assert_eq!(json(&vec![1.0, 1.5]), "[1,1.5]");
        let map: std::collections::HashMap<String, f64> = [("a".to_string(), 4.0)].into();
        assert_eq!(json(&map), r#"{"a":4}"#);
        assert_eq!(json(&Some(vec![Box::new(7.0)])), "[7]");
    }
}
