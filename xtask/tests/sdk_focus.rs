//! The focus of the Rust API analysis: generating only what can differ
//! must find exactly the Rust API differences that generating both whole
//! documents finds.

use std::path::Path;

use serde_json::Value;
use upstash_api_codegen::{Spec, SpecError, parse_document};
use xtask::spec_diff::sdk::compare::diff_surfaces;
use xtask::spec_diff::sdk::{Focus, SdkSurface, SurfaceChange, surface_changes};

/// The surface changes of the whole documents, without a focus.
fn whole(old: &Value, new: &Value) -> Result<Vec<SurfaceChange>, SpecError> {
    let surface = |v: &Value| SdkSurface::from_spec(&Spec::from_value(v.clone())?);
    Ok(diff_surfaces(&surface(old)?, &surface(new)?))
}

/// The focused analysis against whole generation; generator errors must
/// agree too.
fn assert_focus_agrees(name: &str, old: &Value, new: &Value) -> Option<Vec<SurfaceChange>> {
    let typed = |v: &Value| Spec::from_value(v.clone());
    if typed(old).is_err() || typed(new).is_err() {
        return None;
    }
    let exact = whole(old, new).map_err(|e| e.to_string());
    let focused =
        surface_changes(&Focus::of_documents(old, new), old, new).map_err(|e| e.to_string());
    assert_eq!(
        focused.is_ok(),
        exact.is_ok(),
        "{name}: {focused:?} / {exact:?}"
    );
    let exact = exact.ok()?;
    assert_eq!(focused.ok().as_ref(), Some(&exact), "{name}");
    Some(exact)
}

#[test]
fn the_focus_agrees_with_whole_generation_on_every_fixture_pair() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut compared = 0;
    for entry in std::fs::read_dir(&dir).expect("fixtures") {
        let case = entry.expect("entry").path();
        let side = |s: &str| {
            let text = std::fs::read_to_string(case.join(format!("{s}.yml"))).ok()?;
            parse_document(&text).ok()
        };
        let (Some(old), Some(new)) = (side("old"), side("new")) else {
            continue;
        };
        let name = case.display().to_string();
        if assert_focus_agrees(&name, &old, &new).is_some() {
            compared += 1;
        }
    }
    assert!(compared >= 60, "only {compared} fixture pairs generated");
}

/// A pair built around unchanged schemas next to changed ones: each way a
/// changed node can use an unchanged schema.
const AROUND_UNCHANGED: &str = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /plain:
    post:
      operationId: createPlain
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Plain'}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Changing'}
  /switch:
    post:
      operationId: switchBody
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/SWITCH_BODY'}
      responses:
        "200": {description: ok}
  /state:
    get:
      operationId: getState
      parameters:
      - {name: state, in: query, required: SWITCH_REQUIRED, schema: {$ref: '#/components/schemas/State'}}
      - {name: region, in: query, required: SWITCH_REQUIRED, schema: {$ref: '#/components/schemas/Region'}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Page'}
  /region/{region}:
    get:
      operationId: getRegion
      parameters:
      - {name: region, in: path, required: true, schema: {$ref: '#/components/schemas/Region'}}
      - {name: limit, in: query, required: SWITCH_REQUIRED, schema: {type: integer}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Region'}
  /merged:
    get:
      operationId: getMerged
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Merged'}
components:
  responses:
    Unused:
      description: nobody uses this response
      content:
        application/json:
          schema: {$ref: '#/components/schemas/OnlyInUnused'}
  schemas:
    Plain:
      type: object
      required: [name]
      properties:
        name: {type: string}
        state: {$ref: '#/components/schemas/State'}
        nested: {$ref: '#/components/schemas/Nested'}
    Nested:
      type: object
      properties:
        depth: {type: integer, format: int32}
    State:
      type: string
      enum: [active, deleted]
    Region:
      type: string
      enum: [eu-west-1, us-east-1, ap_south]
    Base:
      type: object
      properties:
        id: {type: string}
        label: {type: string}
    Page:
      type: object
      properties:
        items: {type: array, items: {type: string}}
        next_page: {type: string}
    OnlyInUnused:
      type: object
      properties:
        message: {type: string}
    Merged:
      allOf:
      - {$ref: '#/components/schemas/Base'}
      - type: object
        properties:
          extra: {type: MERGED_EXTRA_TYPE}
    Changing:
      type: object
      properties:
        plain: {$ref: '#/components/schemas/Plain'}
        state: {$ref: '#/components/schemas/State'}
        either:
          oneOf:
          - {$ref: '#/components/schemas/State'}
          - {type: CHANGING_TYPE}
"##;

fn around_unchanged(required: bool, extra: &str, changing: &str, switch_to: &str) -> Value {
    let text = AROUND_UNCHANGED
        .replace("SWITCH_REQUIRED", &required.to_string())
        .replace("MERGED_EXTRA_TYPE", extra)
        .replace("CHANGING_TYPE", changing)
        .replace("SWITCH_BODY", switch_to);
    parse_document(&text).expect("valid YAML")
}

fn kept_schemas(focus: &Focus, document: &Value) -> Vec<String> {
    let schemas = document
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    let names = schemas.into_iter().flat_map(|m| m.keys());
    names
        .filter(|name| focus.keeps_component("schemas", name))
        .cloned()
        .collect()
}

#[test]
fn changes_next_to_unchanged_schemas_are_found_as_whole_generation_finds_them() {
    let old = around_unchanged(false, "string", "integer", "Plain");
    // Every change is next to an unchanged schema: parameters of
    // unchanged enums become required (one of them beside an enum path
    // parameter and response), a body switches from an unchanged
    // struct to another, a schema merging an unchanged one with `allOf`
    // changes, and so does one using unchanged ones by name and inside
    // `oneOf`.
    let new = around_unchanged(true, "integer", "boolean", "Changing");
    let focus = Focus::of_documents(&old, &new);
    let kept = kept_schemas(&focus, &new);
    for name in ["Plain", "Nested", "Region", "State", "Base", "Page"] {
        assert!(kept.contains(&name.to_string()), "{name} in {kept:?}");
    }
    // Reached only from an unused response: left out.
    assert!(!kept.contains(&"OnlyInUnused".to_string()), "{kept:?}");

    let changes = assert_focus_agrees("around unchanged", &old, &new).expect("generates");
    assert!(changes.len() >= 4, "{changes:?}");
    // And the other way round.
    assert_focus_agrees("around unchanged, swapped", &new, &old).expect("generates");
}

#[test]
fn an_unused_response_component_does_not_stop_the_analysis() {
    // Its schema is not reached from any kept path; the component goes
    // with it instead of pointing at nothing.
    let old = around_unchanged(false, "string", "integer", "Plain");
    let new = around_unchanged(false, "string", "boolean", "Plain");
    let changes = surface_changes(&Focus::of_documents(&old, &new), &old, &new).expect("generates");
    assert!(!changes.is_empty());
}
