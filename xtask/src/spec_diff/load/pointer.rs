//! JSON pointers (RFC 6901) into a document, and following its `$ref`s.

use serde_json::Value;

/// Escapes one JSON pointer segment, as the build does.
pub use upstash_api_codegen::escape_segment as escape;

/// Builds a JSON pointer from segments.
pub fn pointer(segments: &[&str]) -> String {
    let mut out = String::new();
    for s in segments {
        out.push('/');
        out.push_str(&escape(s));
    }
    out
}

/// Turns a local `$ref` (`#/components/schemas/A`) into a JSON pointer
/// (`/components/schemas/A`), as the build reads it (`%XX` escapes
/// decoded). `None` when the reference is not local.
pub fn ref_pointer(reference: &str) -> Option<String> {
    upstash_api_codegen::ref_pointer(reference).map(std::borrow::Cow::into_owned)
}

/// Follows `$ref`s from `value` to the object they lead to.
///
/// Returns the final value and, when at least one reference was followed,
/// the pointer of the final value. References were checked at load time, so
/// a broken one here yields `None`; the walk is bounded.
pub fn resolve<'a>(root: &'a Value, value: &'a Value) -> Option<(&'a Value, Option<String>)> {
    let mut current = value;
    let mut current_ptr: Option<String> = None;
    for _ in 0..64 {
        match current.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let p = ref_pointer(r)?;
                current = root.pointer(&p)?;
                current_ptr = Some(p);
            }
            None => return Some((current, current_ptr)),
        }
    }
    None
}

/// A value in a document together with its JSON pointer.
#[derive(Debug, Clone)]
pub struct Loc<'a> {
    /// The value.
    pub value: &'a Value,
    /// Its JSON pointer.
    pub ptr: String,
}

impl<'a> Loc<'a> {
    /// The child `key` of this object, if present.
    pub fn child(&self, key: &str) -> Option<Loc<'a>> {
        self.value.get(key).map(|value| Loc {
            value,
            ptr: format!("{}/{}", self.ptr, escape(key)),
        })
    }

    /// Follows `$ref`s to the value they lead to (and its pointer).
    pub fn resolve(self, root: &'a Value) -> Loc<'a> {
        match resolve(root, self.value) {
            Some((value, Some(ptr))) => Loc { value, ptr },
            Some((value, None)) => Loc {
                value,
                ptr: self.ptr,
            },
            None => self,
        }
    }

    /// The value `$ref`s lead to, without its pointer.
    pub fn target(&self, root: &'a Value) -> &'a Value {
        resolve(root, self.value).map_or(self.value, |(v, _)| v)
    }
}
