//! The loader reads any document YAML 1.2 allows, not only tidy YAML.

use xtask::spec_diff::{diff, load};

const TIDY: &str = r#"openapi: 3.0.3
info:
  title: Tidy
  version: "1.0"
paths:
  /db/{id}:
    get:
      operationId: getDatabase
      description: "first\tsecond"
      parameters:
        - name: id
          in: path
          required: true
          schema:
            type: string
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [id, name]
                properties:
                  id: {type: string}
                  name: {type: string}
                  state: {type: string, enum: [active, deleted]}
        "404":
          description: ok
"#;

fn load(text: &str) -> load::Document {
    load::load_text("test.yml", text).unwrap_or_else(|e| panic!("should load: {e}"))
}

fn same_as_tidy(text: &str) {
    let tidy = load(TIDY);
    let other = load(text);
    let changes = diff::diff(&tidy.root, &other.root);
    let non_doc: Vec<_> = changes
        .iter()
        .filter(|c| c.rule.id() != "documentation-changed")
        .map(|c| format!("{} {}", c.rule, c.message))
        .collect();
    assert!(non_doc.is_empty(), "{non_doc:?}");
}

#[test]
fn flow_sequences_indented_below_their_key() {
    let text = TIDY
        .replace(
            "required: [id, name]",
            "required:\n                  [id,\n                   name]",
        )
        .replace(
            "enum: [active, deleted]}",
            "enum: [active,\n                      deleted]}",
        );
    assert!(text.contains("required:\n"));
    same_as_tidy(&text);
}

#[test]
fn tabs_inside_scalars_and_as_separators() {
    let text = TIDY
        .replace(
            "description: \"first\\tsecond\"",
            "description: first\tsecond",
        )
        .replace("        - name: id\n", "        -\tname: id\n");
    let doc = load(&text);
    assert_eq!(
        doc.root.pointer("/paths/~1db~1{id}/get/description"),
        Some(&serde_json::json!("first\tsecond"))
    );
    same_as_tidy(&text);
    // a tab after the colon of a mapping key
    same_as_tidy(&TIDY.replace("operationId: getDatabase", "operationId:\tgetDatabase"));
}

#[test]
fn anchors_and_aliases_are_expanded() {
    let text = TIDY
        .replace(
            "                  id: {type: string}",
            "                  id: &str {type: string}",
        )
        .replace(
            "                  name: {type: string}",
            "                  name: *str",
        );
    let doc = load(&text);
    assert_eq!(
        doc.root
            .pointer("/paths/~1db~1{id}/get/responses/200/content/application~1json/schema/properties/name/type"),
        Some(&serde_json::json!("string"))
    );
    same_as_tidy(&text);
}

#[test]
fn json_and_a_byte_order_mark_are_read() {
    let tidy = load(TIDY);
    let json = serde_json::to_string(&tidy.root).expect("json");
    same_as_tidy(&json);
    same_as_tidy(&format!("\u{feff}{TIDY}"));
}

#[test]
fn yaml_1_2_scalars_stay_strings() {
    // YAML 1.1 would read `yes`, `on` and `no` as booleans.
    let text = TIDY.replace("enum: [active, deleted]", "enum: [yes, on, no]");
    let doc = load(&text);
    let values = doc
        .root
        .pointer("/paths/~1db~1{id}/get/responses/200/content/application~1json/schema/properties/state/enum")
        .cloned();
    assert_eq!(values, Some(serde_json::json!(["yes", "on", "no"])));
}

#[test]
fn a_ref_key_inside_an_example_is_data() {
    let text = TIDY
        .replace(
            "      description: \"first\\tsecond\"\n",
            "      description: \"first\\tsecond\"\n      x-note: {$ref: 'elsewhere.yml#/x'}\n",
        )
        .replace(
            "                  id: {type: string}",
            "                  id: {type: string, example: {$ref: '#/nowhere'}}",
        );
    assert!(text.contains("#/nowhere") && text.contains("x-note"));
    let doc = load(&text);
    assert!(doc.root.pointer("/paths/~1db~1{id}/get/x-note").is_some());
}
