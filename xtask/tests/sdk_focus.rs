//! The focus of the SDK analysis (`sdk_focus`): generating only what can
//! differ, with unchanged schemas generated from stand-ins, must find
//! exactly the Rust API differences that generating both whole documents
//! finds.

use std::path::Path;

use serde_json::Value;
use upstash_api_codegen::{Spec, document};
use xtask::spec_diff::sdk_focus::Focus;
use xtask::spec_diff::sdk_surface::{
    SurfaceChange, document_surface_changes, surface_changes, surface_changes_exact,
};

/// Both ways of focusing (on the documents as read, and on typed specs)
/// against whole generation; generator errors must agree too.
fn assert_focus_agrees(name: &str, old: &Value, new: &Value) -> Option<Vec<SurfaceChange>> {
    let typed = |v: &Value| Spec::from_value(v.clone());
    let (Ok(old_spec), Ok(new_spec)) = (typed(old), typed(new)) else {
        return None;
    };
    let exact = surface_changes_exact(&old_spec, &new_spec).map_err(|e| e.to_string());
    let focused = document_surface_changes(old, new, None).map_err(|e| e.to_string());
    let focused_typed = surface_changes(&old_spec, &new_spec).map_err(|e| e.to_string());
    assert_eq!(
        focused.is_ok(),
        exact.is_ok(),
        "{name}: {focused:?} / {exact:?}"
    );
    assert_eq!(
        focused_typed.is_ok(),
        exact.is_ok(),
        "{name}: {focused_typed:?}"
    );
    let exact = exact.ok()?;
    assert_eq!(focused.ok().as_ref(), Some(&exact), "{name}");
    assert_eq!(focused_typed.ok().as_ref(), Some(&exact), "{name} (typed)");
    Some(exact)
}

#[test]
fn the_focus_agrees_with_whole_generation_on_every_fixture_pair() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let (mut compared, mut with_stand_ins) = (0, 0);
    for entry in std::fs::read_dir(&dir).expect("fixtures") {
        let case = entry.expect("entry").path();
        let side = |s: &str| {
            let text = std::fs::read_to_string(case.join(format!("{s}.yml"))).ok()?;
            document::parse(&text).ok()
        };
        let (Some(old), Some(new)) = (side("old"), side("new")) else {
            continue;
        };
        let name = case.display().to_string();
        if assert_focus_agrees(&name, &old, &new).is_some() {
            compared += 1;
        }
        let focus = Focus::of_documents(&old, &new);
        let schemas = old
            .pointer("/components/schemas")
            .and_then(Value::as_object);
        if schemas.is_some_and(|s| s.keys().any(|n| focus.stands_in_for(n))) {
            with_stand_ins += 1;
        }
    }
    assert!(compared >= 60, "only {compared} fixture pairs generated");
    assert!(
        with_stand_ins >= 10,
        "stand-ins in only {with_stand_ins} pairs"
    );
}

/// A pair built around unchanged schemas next to changed ones: each way a
/// changed node can use an unchanged schema, with and without stand-ins.
const AROUND_STAND_INS: &str = r##"
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

fn around_stand_ins(required: bool, extra: &str, changing: &str, switch_to: &str) -> Value {
    let text = AROUND_STAND_INS
        .replace("SWITCH_REQUIRED", &required.to_string())
        .replace("MERGED_EXTRA_TYPE", extra)
        .replace("CHANGING_TYPE", changing)
        .replace("SWITCH_BODY", switch_to);
    document::parse(&text).expect("valid YAML")
}

#[test]
fn stand_ins_leave_the_differences_of_what_uses_them_unchanged() {
    let old = around_stand_ins(false, "string", "integer", "Plain");
    // Every change is next to an unchanged schema: parameters of
    // unchanged enums become required (one of them beside an enum path
    // parameter and response), a body switches from an unchanged
    // struct to another, a schema merging an unchanged one with `allOf`
    // changes, and so does one using unchanged ones by name and inside
    // `oneOf`.
    let new = around_stand_ins(true, "integer", "boolean", "Changing");
    let focus = Focus::of_documents(&old, &new);
    // Named only by changed nodes, and plain: stand-ins.
    assert!(focus.keeps_schema("Plain") && focus.stands_in_for("Plain"));
    // An enum used by changed operations as a query and a path parameter
    // and as a response: a stand-in.
    assert!(focus.keeps_schema("Region") && focus.stands_in_for("Region"));
    // Used inside `oneOf` by a changed schema: whole.
    assert!(!focus.stands_in_for("State"));
    // Merged by `allOf`: whole.
    assert!(focus.keeps_schema("Base") && !focus.stands_in_for("Base"));
    // Shaped like a paginated response: whole.
    assert!(!focus.stands_in_for("Page"));
    // Reached only through a stand-in, or only from an unused response:
    // left out.
    assert!(!focus.keeps_schema("Nested"));
    assert!(!focus.keeps_schema("OnlyInUnused"));

    let changes = assert_focus_agrees("around stand-ins", &old, &new).expect("generates");
    assert!(changes.len() >= 4, "{changes:?}");
    // And the other way round.
    assert_focus_agrees("around stand-ins, swapped", &new, &old).expect("generates");
}

#[test]
fn an_unused_response_component_does_not_stop_the_analysis() {
    // Its schema is not reached from any kept path; the component goes
    // with it instead of pointing at nothing.
    let old = around_stand_ins(false, "string", "integer", "Plain");
    let new = around_stand_ins(false, "string", "boolean", "Plain");
    let changes = document_surface_changes(&old, &new, None).expect("generates");
    assert!(!changes.is_empty());
}
