//! Parsing spec text (YAML or JSON) into a JSON value.

use crate::SpecError;

/// Parses `text` as a YAML 1.2 or JSON document into a JSON value, skipping
/// a byte-order mark. JSON (first non-blank character `{`) goes through
/// `serde_json`, anything else through the YAML reader spec-diff shares
/// (`yaml`). Errors carry the line and column.
pub fn parse(text: &str) -> Result<serde_json::Value, SpecError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(SpecError::new("the document is empty"));
    }
    if text.trim_start().starts_with('{') {
        return serde_json::from_str(text).map_err(|e| {
            let at = format!("line {}, column {}", e.line(), e.column());
            SpecError::new(format!("invalid JSON: {e}")).at(at)
        });
    }
    crate::yaml::parse(text).map_err(|e| {
        SpecError::new(format!("invalid YAML: {}", e.message))
            .at(format!("line {}, column {}", e.line, e.column))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_and_json_give_the_same_value() {
        let yaml = parse("a: 1\nb: [x, y]\n").unwrap();
        let json = parse(r#"{"a": 1, "b": ["x", "y"]}"#).unwrap();
        assert_eq!(yaml, json);
    }

    #[test]
    fn anchors_and_aliases_are_expanded() {
        let v = parse("base: &b {type: string}\nother: *b\n").unwrap();
        assert_eq!(v["other"]["type"], "string");
    }

    #[test]
    fn bad_yaml_names_line_and_column() {
        let err = parse("a: 1\nb: [unclosed\n").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("line"), "{msg}");
        assert!(msg.contains("invalid YAML"), "{msg}");
    }

    #[test]
    fn empty_document_is_an_error() {
        assert_eq!(parse("  \n").unwrap_err().problem, "the document is empty");
    }
}
