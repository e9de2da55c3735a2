//! Values as text for messages.

use serde_json::Value;

/// A value as text for messages: a string without its quotes, anything
/// else as JSON.
pub fn plain(v: &Value) -> String {
    v.as_str().map_or_else(|| v.to_string(), str::to_string)
}
