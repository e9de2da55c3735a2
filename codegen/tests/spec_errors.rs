//! Specs the generator cannot take fail with one clear message, never a panic.

use upstash_api_codegen::{SdkSource, Spec, generate_client};

const GOOD: &str = r#"
openapi: 3.0.4
info: {title: t, version: "1"}
servers: [{url: "https://api.example.com/v2/"}]
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: string}
"#;

fn error_of(text: &str) -> String {
    match Spec::from_text(text).and_then(|spec| generate_client(&spec)) {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_good_spec_generates() {
    let spec = Spec::from_text(GOOD).unwrap();
    let code = generate_client(&spec).unwrap();
    assert!(code.contains("pub fn get_thing"), "{code}");
    let constants = SdkSource::from_spec(&spec).unwrap().client;
    assert!(
        constants.contains("\"https://api.example.com/v2\""),
        "{constants}"
    );
}

#[test]
fn bad_yaml_gives_line_and_column() {
    let msg = error_of("openapi: 3.0.4\ninfo: [unclosed\n");
    assert!(
        msg.contains("invalid YAML") && msg.contains("line"),
        "{msg}"
    );
}

#[test]
fn wrong_versions_are_named() {
    let msg = error_of("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n");
    assert!(
        msg.contains("Swagger 2.0") && msg.contains("3.0.x"),
        "{msg}"
    );
    let msg = error_of(&GOOD.replace("3.0.4", "3.1.0"));
    assert!(
        msg.contains("OpenAPI 3.1.0 is not supported") && msg.contains("3.0.x"),
        "{msg}"
    );
    let msg = error_of("title: not openapi\n");
    assert!(msg.contains("no `openapi` field"), "{msg}");
    let msg = error_of("- a\n- b\n");
    assert!(msg.contains("not a mapping"), "{msg}");
}

#[test]
fn a_missing_operation_id_names_the_operation() {
    let msg = error_of(&GOOD.replace("operationId: getThing", "summary: no id"));
    assert!(
        msg.contains("GET /things/{id}") && msg.contains("no operationId"),
        "{msg}"
    );
}

#[test]
fn duplicate_operation_ids_are_refused() {
    let text = format!(
        "{GOOD}  /other:\n    get:\n      operationId: getThing\n      responses:\n        '204': {{description: none}}\n"
    );
    let msg = error_of(&text);
    assert!(msg.contains("`getThing` is used twice"), "{msg}");
}

#[test]
fn unsupported_media_types_are_named() {
    let text = GOOD.replace(
        "      responses:",
        "      requestBody:\n        content:\n          application/xml:\n            schema: {type: string}\n      responses:",
    );
    let msg = error_of(&text);
    assert!(
        msg.contains("application/xml") && msg.contains("GET /things/{id}"),
        "{msg}"
    );
}

#[test]
fn json_is_kept_when_a_body_offers_several_media_types() {
    let text = GOOD.replace(
        "      responses:",
        "      requestBody:\n        content:\n          application/xml:\n            schema: {type: string}\n          application/json:\n            schema: {type: object, properties: {a: {type: string}}}\n      responses:",
    );
    let spec = Spec::from_text(&text).unwrap();
    let code = generate_client(&spec).unwrap();
    assert!(code.contains("GetThingBody"), "{code}");
}

#[test]
fn invalid_openapi_shapes_give_the_json_path() {
    let msg = error_of(&GOOD.replace(
        "      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n",
        "      parameters: 12\n",
    ));
    assert!(msg.contains("paths./things/{id}.get.parameters"), "{msg}");
    assert!(msg.contains("not a valid OpenAPI 3.0 document"), "{msg}");
}

#[test]
fn generator_panics_become_errors() {
    // A JSON response without a schema hits a `todo!()` inside progenitor.
    let text = GOOD.replace(
        "            application/json:\n              schema: {type: string}\n",
        "            application/json: {}\n",
    );
    let msg = error_of(&text);
    assert!(msg.contains("generator"), "{msg}");
    assert!(msg.contains("GET /things/{id} (getThing)"), "{msg}");
}

#[test]
fn several_success_response_types_name_the_operation() {
    let text = GOOD.replace(
        "      responses:\n        '200':",
        "      responses:\n        '201':\n          description: created\n          content:\n            application/json:\n              schema: {type: object, properties: {a: {type: integer}}}\n        '200':",
    );
    let msg = error_of(&text);
    assert!(msg.contains("GET /things/{id} (getThing)"), "{msg}");
}

#[test]
fn formats_map_to_the_documented_rust_types() {
    let text = GOOD.replace(
        "              schema: {type: string}\n",
        r#"              schema:
                type: object
                required: [id, created, big, small, ratio, ip]
                properties:
                  id: {type: string, format: uuid}
                  created: {type: string, format: date-time}
                  big: {type: integer, format: int64}
                  small: {type: integer, format: int32}
                  ratio: {type: number, format: float}
                  ip: {type: string, format: ipv4}
"#,
    );
    let code = generate_client(&Spec::from_text(&text).unwrap()).unwrap();
    let squashed: String = code.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "pub id: ::std::string::String",
        "pub created: ::std::string::String",
        "pub big: i64",
        "pub small: i32",
        "pub ratio: f64",
        // A response's address is kept as sent, even outside its format.
        "pub ip: ::std::string::String",
    ] {
        assert!(
            squashed.contains(expected),
            "missing `{expected}` in:\n{code}"
        );
    }
    assert!(
        !code.contains("uuid::") && !code.contains("chrono::"),
        "{code}"
    );
}

#[test]
fn request_only_addresses_and_enums_stay_strict() {
    let text = GOOD.replace(
        "      operationId: getThing\n",
        r#"      operationId: getThing
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [ip, plan]
              properties:
                ip: {type: string, format: ipv4}
                plan: {type: string, enum: [free, paid]}
"#,
    );
    let code = generate_client(&Spec::from_text(&text).unwrap()).unwrap();
    let squashed: String = code.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(squashed.contains("pub ip: ::std::net::Ipv4Addr"), "{code}");
    assert!(squashed.contains("pub plan: Plan"), "{code}");
    assert!(!code.contains("pub mod open_enums { pub enum"), "{code}");
    assert!(
        !code.contains("Unknown(::upstash_api::UnknownValue)"),
        "{code}"
    );
}

#[test]
fn untidy_but_valid_yaml_generates_too() {
    // A tab after `-`, a flow sequence on the line below its key, an anchor
    // and its alias: all YAML 1.2, and the same reader as spec-diff.
    let text = GOOD
        .replace(
            "      parameters:\n        - {name: id",
            "      parameters:\n        -\t{name: id",
        )
        .replace(
            "servers: [{url: \"https://api.example.com/v2/\"}]",
            "servers:\n  [{url: \"https://api.example.com/v2/\"}]",
        )
        .replace(
            "schema: {type: string}}",
            "schema: &id_schema {type: string}}",
        )
        .replace(
            "            application/json:\n              schema: {type: string}",
            "            application/json:\n              schema: *id_schema",
        );
    assert!(
        text.contains("-\t{name") && text.contains("*id_schema"),
        "{text}"
    );
    let spec = Spec::from_text(&text).unwrap();
    assert!(generate_client(&spec).unwrap().contains("pub fn get_thing"));
}

/// `GOOD` with `schemas` as its component schemas, and the response using `A`.
fn with_schemas(schemas: &str) -> String {
    let text = GOOD.replace(
        "              schema: {type: string}\n",
        "              schema: {$ref: '#/components/schemas/A'}\n",
    );
    format!("{text}components:\n  schemas:\n{schemas}")
}

#[test]
fn reference_problems_are_errors_before_the_generator_runs() {
    let cases = [
        (
            "    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n",
            "`$ref` cycle",
        ),
        (
            "    A: {$ref: '#/components/schemas/Missing'}\n",
            "points at nothing",
        ),
        ("    A: {$ref: 'other.yml#/A'}\n", "an external reference"),
        (
            "    A: {allOf: [{$ref: '#/components/schemas/A'}, {type: object}]}\n",
            "composed of itself",
        ),
        (
            "    A: {anyOf: [{oneOf: [{$ref: '#/components/schemas/B'}]}]}\n    B: {allOf: [{$ref: '#/components/schemas/A'}]}\n",
            "composed of itself",
        ),
    ];
    for (schemas, expected) in cases {
        let msg = error_of(&with_schemas(schemas));
        assert!(msg.contains(expected), "{schemas}: {msg}");
    }
}

#[test]
fn recursion_through_properties_and_items_is_fine() {
    let text = with_schemas(
        "    A:\n      type: object\n      properties:\n        children: {type: array, items: {$ref: '#/components/schemas/A'}}\n        parent: {$ref: '#/components/schemas/A'}\n",
    );
    let spec = Spec::from_text(&text).unwrap();
    assert!(generate_client(&spec).unwrap().contains("pub struct A"));
}

#[test]
fn an_enum_named_like_a_component_takes_another_name() {
    let text = GOOD
        .replace(
            "              schema: {type: string}\n",
            "              schema: {$ref: '#/components/schemas/Database'}\n",
        )
        .replace(
            "paths:\n",
            r#"components:
  schemas:
    Database:
      type: object
      properties:
        state: {type: string, enum: [active, passive]}
        detail: {$ref: '#/components/schemas/State'}
    State:
      type: object
      properties:
        since: {type: integer}
paths:
"#,
        );
    let code = SdkSource::from_spec(&Spec::from_text(&text).unwrap())
        .unwrap()
        .client;
    // The concept `state` is `State`, a component's name: it takes `StateValue`.
    assert!(code.contains("pub struct State {"), "{code}");
    assert!(code.contains("pub enum StateValue {"), "{code}");
    assert!(code.contains("::upstash_api::types::StateValue"), "{code}");
}

/// A request string's `pattern` is compiled by the generated code: one that
/// cannot be compiled fails the build with its location, not a run-time
/// panic. A response's patterns are loosened away, so they are not checked.
#[test]
fn a_request_pattern_that_cannot_compile_is_named() {
    let request = GOOD.replace(
        "        - {name: id, in: path, required: true, schema: {type: string}}",
        "        - {name: id, in: path, required: true, schema: {type: string, pattern: '(unclosed'}}",
    );
    assert_ne!(request, GOOD, "the fixture edit applies");
    let msg = error_of(&request);
    assert!(msg.contains("the pattern `(unclosed`"), "{msg}");
    assert!(msg.contains("/parameters/0/schema/pattern"), "{msg}");
    let good_pattern = request.replace("(unclosed", "^[a-z0-9-]+$");
    assert!(Spec::from_text(&good_pattern).is_ok());
    let response = GOOD.replace(
        "              schema: {type: string}",
        "              schema: {type: string, pattern: '(unclosed'}",
    );
    assert_ne!(response, GOOD, "the fixture edit applies");
    assert!(
        Spec::from_text(&response).is_ok(),
        "a response pattern is loosened"
    );
}

#[test]
fn an_error_at_a_pointer_names_its_line_and_column() {
    let text = GOOD.replace(
        "operationId: getThing",
        "operationId: getThing\n      $ref: '#/nowhere'",
    );
    let error = Spec::from_text(&text).expect_err("a dangling reference");
    let line = 1 + text
        .lines()
        .position(|l| l.contains("$ref"))
        .expect("the line");
    assert_eq!(error.position.map(|p| (p.line, p.column)), Some((line, 7)));
    let with_file = error.in_file("openapi.yml").to_string();
    assert!(
        with_file.starts_with(&format!(
            "openapi.yml:{line}:7: /paths/~1things~1{{id}}/get/$ref: "
        )),
        "{with_file}"
    );
}
