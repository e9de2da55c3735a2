//! Which documented responses the generator sees.
//!
//! Two normalisations, applied to the document before it is typed:
//!
//! - **Error responses are left to the SDK.** The wrapper turns every
//!   non-2xx answer into `upstash_api::Error` (status, the API's message,
//!   `Retry-After`), so an operation that also documents success keeps only
//!   its 1xx/2xx/3xx responses: a documented `4XX`, `5XX`, a code from 400
//!   up, or `default`. Every failure then reaches the SDK the same way, as
//!   a response the generated code does not parse, whatever the spec says
//!   about error bodies.
//! - **A string answer is any 2xx.** Many operations document the JSON
//!   string `"OK"` as their answer. When every success response of an
//!   operation is a plain string, they become one `2XX` response, so any
//!   2xx status is that operation's success (the SDK also accepts the body
//!   unquoted or empty, see `upstash_api::transport`).

use serde_json::{Map, Value};

use crate::operations::{operations, target};
use crate::tolerance::{STRING_CONSTRAINTS, has_address_format};

/// Applies both normalisations to every operation of `document`.
pub(crate) fn normalise(document: &mut Value) {
    let mut edits = Vec::new();
    for operation in operations(document).into_values() {
        let Some(responses) = operation
            .loc
            .value
            .get("responses")
            .and_then(Value::as_object)
        else {
            continue;
        };
        let successes: Vec<&String> = responses.keys().filter(|s| is_success(s)).collect();
        if successes.is_empty() {
            continue;
        }
        let all_strings = successes
            .iter()
            .all(|status| answers_a_string(document, &responses[status.as_str()]));
        edits.push((format!("{}/responses", operation.loc.ptr), all_strings));
    }
    for (pointer, string_answer) in edits {
        if let Some(Value::Object(responses)) = document.pointer_mut(&pointer) {
            responses.retain(|status, _| !is_error(status));
            if string_answer {
                collapse_to_any_success(responses);
            }
        }
    }
}

/// `2XX` or a code from 200 to 299.
fn is_success(status: &str) -> bool {
    status.eq_ignore_ascii_case("2XX")
        || status
            .parse::<u16>()
            .is_ok_and(|code| (200..300).contains(&code))
}

/// `default`, `4XX`, `5XX` or a code from 400 up.
fn is_error(status: &str) -> bool {
    status == "default"
        || status.eq_ignore_ascii_case("4XX")
        || status.eq_ignore_ascii_case("5XX")
        || status.parse::<u16>().is_ok_and(|code| code >= 400)
}

/// Replaces the success responses with one `2XX` holding the first of them.
fn collapse_to_any_success(responses: &mut Map<String, Value>) {
    let mut first = None;
    responses.retain(|status, response| {
        if !is_success(status) {
            return true;
        }
        if first.is_none() {
            first = Some(response.clone());
        }
        false
    });
    if let Some(response) = first {
        responses.insert("2XX".to_string(), response);
    }
}

/// Whether `response` (or the response it refers to) has a JSON body whose
/// schema is a plain string: no enum, no format the generator types, no
/// constraint that makes it a newtype.
fn answers_a_string(document: &Value, response: &Value) -> bool {
    let response = target(document, response);
    let Some(content) = response.get("content").and_then(Value::as_object) else {
        return false;
    };
    let Some(schema) = content
        .iter()
        .find(|(media, _)| {
            media
                .split(';')
                .next()
                .is_some_and(|m| m.trim() == "application/json")
        })
        .and_then(|(_, media)| target(document, media.get("schema")?).as_object())
    else {
        return false;
    };
    schema.get("type").and_then(Value::as_str) == Some("string")
        && !schema.contains_key("enum")
        && !STRING_CONSTRAINTS.iter().any(|c| schema.contains_key(*c))
        && !has_address_format(schema)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::normalise;

    fn responses_after(operation: serde_json::Value) -> serde_json::Value {
        let mut document = json!({
            "paths": {"/x": {"post": operation}},
            "components": {
                "responses": {"Ok": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Text"}}}}},
                "schemas": {"Text": {"type": "string"}, "Thing": {"type": "object"}}
            }
        });
        normalise(&mut document);
        document["paths"]["/x"]["post"]["responses"].clone()
    }

    fn string_response() -> serde_json::Value {
        json!({"description": "ok", "content": {"application/json": {"schema": {"type": "string", "example": "OK"}}}})
    }

    #[test]
    fn error_responses_go_when_a_success_is_documented() {
        let error = json!({"description": "bad", "content": {"application/json": {"schema": {"type": "object"}}}});
        let thing = json!({"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}});
        let got = responses_after(json!({"responses": {
            "200": thing, "400": error, "4XX": error, "5XX": error, "503": error, "default": error
        }}));
        assert_eq!(got, json!({"200": thing}));
        // Without any success response there is nothing to keep instead.
        let only_default = responses_after(json!({"responses": {"default": error}}));
        assert_eq!(only_default, json!({"default": error}));
    }

    #[test]
    fn string_answers_become_any_success() {
        let got = responses_after(
            json!({"responses": {"200": string_response(), "404": string_response()}}),
        );
        assert_eq!(got, json!({"2XX": string_response()}));
        let by_reference =
            responses_after(json!({"responses": {"201": {"$ref": "#/components/responses/Ok"}}}));
        assert_eq!(
            by_reference,
            json!({"2XX": {"$ref": "#/components/responses/Ok"}})
        );
        let two = responses_after(
            json!({"responses": {"200": string_response(), "202": string_response()}}),
        );
        assert_eq!(two, json!({"2XX": string_response()}));
    }

    #[test]
    fn other_answers_keep_their_status() {
        let object = json!({"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}});
        assert_eq!(
            responses_after(json!({"responses": {"200": object}})),
            json!({"200": object})
        );
        let enumerated = json!({"description": "ok", "content": {"application/json": {"schema": {"type": "string", "enum": ["OK"]}}}});
        assert_eq!(
            responses_after(json!({"responses": {"200": enumerated}})),
            json!({"200": enumerated})
        );
        let mixed =
            responses_after(json!({"responses": {"200": string_response(), "201": object}}));
        assert_eq!(mixed, json!({"200": string_response(), "201": object}));
        let empty = json!({"description": "done"});
        assert_eq!(
            responses_after(json!({"responses": {"204": empty}})),
            json!({"204": empty})
        );
    }
}
