//! Text to JSON value, as the build reads it.

use serde_json::Value;

/// What is wrong with a document, and where (a line and column, or a JSON
/// pointer).
pub type Problem = (String, Option<String>);

/// A value as text for messages: a string without its quotes, anything
/// else as JSON.
pub fn plain(v: &Value) -> String {
    v.as_str().map_or_else(|| v.to_string(), str::to_string)
}

/// Parses YAML 1.2 or JSON text with the build's reader
/// ([`upstash_api_codegen::parse_document`]).
pub fn parse(text: &str) -> Result<Value, Problem> {
    upstash_api_codegen::parse_document(text).map_err(|e| (e.problem, e.location))
}
