//! Parsing spec text (YAML or JSON) into a JSON value.

use serde_json::Value;

use crate::SpecError;
use crate::positions::Positions;
use crate::yaml;

/// Parses `text` as a YAML 1.2 or JSON document into a JSON value, skipping
/// a byte-order mark. Text that starts with `{` is read as JSON by
/// `serde_json` first; when it is not JSON, it may still be a YAML document
/// in flow style (`{openapi: 3.0.4, ...}`), so it goes through the YAML
/// reader spec-diff shares (`yaml`), as does anything else. Errors carry
/// the line and column.
pub fn parse(text: &str) -> Result<Value, SpecError> {
    read(text, false).map(|(value, _)| value)
}

/// [`parse`], with the position of every node the text spells out.
pub fn parse_located(text: &str) -> Result<(Value, Positions), SpecError> {
    read(text, true)
}

fn read(text: &str, located: bool) -> Result<(Value, Positions), SpecError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(SpecError::new("the document is empty"));
    }
    let json_error = match text.trim_start().starts_with('{') {
        true => match serde_json::from_str(text) {
            Ok(value) => {
                // JSON is YAML 1.2: the YAML reader finds the positions, the
                // value stays serde_json's.
                let positions = match located {
                    true => yaml::parse_located(text)
                        .map(|(_, p)| p)
                        .unwrap_or_default(),
                    false => Positions::default(),
                };
                return Ok((value, positions));
            }
            Err(e) => Some(e),
        },
        false => None,
    };
    let read = match located {
        true => yaml::parse_located(text),
        false => yaml::parse(text).map(|value| (value, Positions::default())),
    };
    read.map_err(|e| match json_error {
        // Meant as JSON (a quoted first key): JSON's own message helps more.
        Some(e) if looks_like_json(text) => {
            let at = format!("line {}, column {}", e.line(), e.column());
            SpecError::new(format!("invalid JSON: {e}")).at(at)
        }
        _ => SpecError::new(format!("invalid YAML: {}", e.message))
            .at(format!("line {}, column {}", e.line, e.column)),
    })
}

/// Whether text that starts with `{` opens a JSON object: its first key is
/// quoted with `"`, or it is empty.
fn looks_like_json(text: &str) -> bool {
    let inside = text.trim_start().trim_start_matches('{').trim_start();
    inside.starts_with('"') || inside.starts_with('}')
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
    fn yaml_in_flow_style_is_yaml() {
        let flow = parse("{openapi: 3.0.4, info: {title: t, version: '1'}, paths: {}}").unwrap();
        assert_eq!(flow["openapi"], "3.0.4");
        assert_eq!(flow["info"]["version"], "1");
        let (_, positions) = parse_located("{openapi: 3.0.4,\n paths: {}}").unwrap();
        assert_eq!(positions.find("/paths").map(|p| p.line), Some(2));
    }

    #[test]
    fn broken_json_is_named_json() {
        let msg = parse("{\"openapi\": \"3.0.4\",\n \"paths\": {}")
            .unwrap_err()
            .to_string();
        assert!(msg.contains("invalid JSON"), "{msg}");
        assert!(msg.contains("line 2"), "{msg}");
        let msg = parse("{openapi: [3.0.4}").unwrap_err().to_string();
        assert!(msg.contains("invalid YAML"), "{msg}");
    }

    #[test]
    fn empty_document_is_an_error() {
        assert_eq!(parse("  \n").unwrap_err().problem, "the document is empty");
    }
}
