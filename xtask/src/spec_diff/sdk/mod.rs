//! The Rust API analysis: grounding `sdk-breaking` in the real generator.
//!
//! One entry point, [`analyse`], in four steps, one module each: [`focus`]
//! (the part of both documents that can change the generated code, taken
//! while the wire diff runs); [`read`] (each side normalised, cut to the
//! focus, generated with the build's settings on its own thread, its
//! public items read into a [`SdkSurface`]: [`surface`] is the model,
//! [`render`] the normalised text of types); [`compare`] (the surfaces,
//! each change with how it breaks code); [`attribute`] (each change goes
//! to the wire changes at the same [`place`] of the generated API: a
//! breaking one raises them to `sdk-breaking`, or becomes a
//! `rust-api-changed` change of its own). A side the generator rejects
//! leaves the wire diff as it is, and the analysis is reported unavailable.

pub mod attribute;
pub mod compare;
pub mod focus;
pub mod place;
pub mod read;
pub mod render;
pub mod surface;

use serde_json::Value;
use upstash_api_codegen::{Spec, SpecError};

use super::change::{Change, SdkAnalysis};
pub use focus::Focus;
pub use surface::{Breakage, ChangeKind, Origin, SdkSurface, SurfaceChange};

/// One document of the pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The old document.
    Old,
    /// The new document.
    New,
}

/// The build's generator refusing one side: the build would refuse it too.
/// The caller, which knows the side's file and positions, locates it.
#[derive(Debug)]
pub struct SideError {
    /// The side refused.
    pub side: Side,
    /// Why, as the build says it.
    pub error: SpecError,
}

impl std::fmt::Display for SideError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let side = match self.side {
            Side::Old => "old",
            Side::New => "new",
        };
        write!(f, "{side} spec: {}", self.error)
    }
}

/// Runs the analysis on the `focus` of `old` and `new` and folds its
/// findings into `changes` (the wire diff's). An error is the generator
/// refusing a side.
pub fn analyse(
    focus: &Focus,
    old: &Value,
    new: &Value,
    changes: &mut Vec<Change>,
) -> Result<SdkAnalysis, SideError> {
    if old == new {
        // Nothing to compare, but the build must still take the document.
        Spec::from_value(new.clone()).map_err(|error| SideError {
            side: Side::New,
            error,
        })?;
        return Ok(SdkAnalysis::Skipped("the documents are identical".into()));
    }
    let surface = surface_changes(focus, old, new)?;
    attribute::attribute(old, new, &surface, changes);
    Ok(SdkAnalysis::Done(surface.len()))
}

/// How the generated Rust API changes from `old` to `new`, sorted by item
/// path: each document is normalised and typed whole, as the build does,
/// then cut to its `focus` and generated, each side on its own thread. An error is the generator's
/// checks refusing a side's focused part, or the generator failing on it.
pub fn surface_changes(
    focus: &Focus,
    old: &Value,
    new: &Value,
) -> Result<Vec<SurfaceChange>, SideError> {
    // What a response may hold is decided on the whole document (see
    // `codegen::tolerance`), so each side is normalised whole, then cut.
    let side = |document: &Value, side: Side| {
        Spec::from_value(document.clone())
            .and_then(|mut spec| {
                focus.restrict(&mut spec);
                SdkSurface::from_spec(&spec)
            })
            .map_err(|error| SideError { side, error })
    };
    let (old, new) = std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("sdk-old".into())
            .spawn_scoped(scope, || side(old, Side::Old));
        let new = side(new, Side::New);
        let old = match spawned {
            Ok(handle) => handle.join().unwrap_or_else(|_| {
                Err(SideError {
                    side: Side::Old,
                    error: SpecError::new("generating the Rust API crashed"),
                })
            }),
            // No second thread: generate the sides one after the other.
            Err(_) => side(old, Side::Old),
        };
        (old, new)
    });
    Ok(compare::diff_surfaces(&old?, &new?))
}

#[cfg(test)]
/// The analysis end to end: spec texts in, surface changes out.
mod tests {
    use std::collections::BTreeSet;

    use serde_json::Value;
    use upstash_api_codegen::{Spec, parse_document};

    use super::surface::{Item, OperationRef};
    use super::*;

    /// An Upstash-style spec every test edits one detail of.
    const BASE: &str = r##"openapi: 3.0.3
info: {title: Upstash, version: "1.0.0"}
paths:
  /redis/restore-backup/{id}:
    post:
      operationId: restoreBackup
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [backup_id]
              properties:
                backup_id: {type: string}
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: string}}}}
  /redis/database/{id}:
    get:
      operationId: getDatabase
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: limit, in: query, required: false, schema: {type: integer, format: int32}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Database'}}}}
  /redis/database:
    post:
      operationId: createDatabase
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/CreateDatabaseRequest'}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Database'}}}}
components:
  schemas:
    Region: {type: string, enum: [eu-west-1, us-east-1]}
    CreateDatabaseRequest:
      type: object
      required: [name, region]
      properties:
        name: {type: string}
        region: {$ref: '#/components/schemas/Region'}
        tls: {type: boolean}
    Database:
      type: object
      required: [database_id]
      properties:
        database_id: {type: string}
        region: {$ref: '#/components/schemas/Region'}
        size: {type: integer, format: int32}
    Error:
      type: object
      properties:
        error: {type: string}
"##;

    /// `BASE` with each `(from, to)` replacement applied; every `from` must
    /// occur, so a drifting base fails loudly instead of testing nothing.
    fn edited(edits: &[(&str, &str)]) -> String {
        let mut text = BASE.to_string();
        for (from, to) in edits {
            assert!(text.contains(from), "fixture edit does not apply: {from}");
            text = text.replacen(from, to, 1);
        }
        text
    }

    fn parsed(text: &str) -> Value {
        parse_document(text).expect("the fixture parses")
    }

    /// The surface changes from `old` to `new` (texts), through the focus.
    fn try_changes(old: &str, new: &str) -> Result<Vec<SurfaceChange>, SideError> {
        let (old, new) = (parsed(old), parsed(new));
        surface_changes(&Focus::of_documents(&old, &new), &old, &new)
    }

    fn changes(old: &str, new: &str) -> Vec<SurfaceChange> {
        try_changes(old, new).expect("both fixtures generate")
    }

    fn find<'a>(changes: &'a [SurfaceChange], item: &str) -> &'a SurfaceChange {
        changes
            .iter()
            .find(|c| c.item == item)
            .unwrap_or_else(|| panic!("no change for {item}; got:\n{}", listing(changes)))
    }

    fn listing(changes: &[SurfaceChange]) -> String {
        changes
            .iter()
            .map(|c| format!("  {} [{:?}, breaking: {}]\n", c, c.breakage, c.breaking))
            .collect()
    }

    fn operation(id: &str, method: &str, path: &str) -> Origin {
        Origin::Operation {
            operation_id: id.to_string(),
            method: method.to_string(),
            path: path.to_string(),
        }
    }

    #[test]
    fn identical_specs_have_no_changes() {
        assert_eq!(changes(BASE, BASE), Vec::new());
    }

    #[test]
    fn seed_spec_surface_has_the_operation_and_its_types() {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi.yml"))
            .expect("the seed spec is readable");
        let spec = Spec::from_text(&text).expect("the seed spec is valid");
        let surface = SdkSurface::from_spec(&spec).expect("the seed spec generates");
        let Some(Item::Struct { methods, .. }) = surface.items.get("builder::RestoreBackup") else {
            panic!("no builder::RestoreBackup in {:?}", surface.items.keys());
        };
        assert_eq!(methods["id"].setter_type.as_deref(), Some("String"));
        assert!(methods["id"].required);
        assert_eq!(
            methods["send"].send_types,
            Some(("String".to_string(), "crate::Error".to_string()))
        );
        assert!(matches!(
            surface.items.get("types::RestoreBackupBody"),
            Some(Item::Struct { fields, .. }) if fields["backup_id"].ty == "String"
        ));
        assert_eq!(
            surface.operations["restore_backup"],
            OperationRef {
                operation_id: "restoreBackup".into(),
                method: "POST".into(),
                path: "/redis/restore-backup/{id}".into(),
            }
        );
    }

    #[test]
    fn formatted_code_and_the_generated_file_give_the_same_surface() {
        let spec = Spec::from_text(BASE).expect("valid spec");
        let raw = SdkSurface::from_spec(&spec).expect("generates");
        let code = upstash_api_codegen::generate_client(&spec).expect("generates");
        let mut file = syn::parse_file(&code).expect("parses");
        upstash_api_codegen::public_api(&mut file).expect("progenitor's shape");
        let formatted = SdkSurface::from_file(&file);
        assert!(raw.items.len() > 10, "{:?}", raw.items.keys());
        assert_eq!(raw.items, formatted.items);
        assert_eq!(raw.traits, formatted.traits);
        assert_eq!(raw.builders, formatted.builders);
        assert_eq!(raw.roots, formatted.roots);
        assert_eq!(raw.referrers, formatted.referrers);
    }

    #[test]
    fn operation_id_rename_is_a_removed_and_an_added_method() {
        let got = changes(BASE, &edited(&[("restoreBackup", "restoreFromBackup")]));
        let removed = find(&got, "Client::restore_backup");
        assert_eq!(removed.kind, ChangeKind::MethodRemoved);
        assert_eq!(removed.breakage, Breakage::Compile);
        assert!(removed.breaking);
        assert_eq!(
            removed.origin,
            operation("restoreBackup", "POST", "/redis/restore-backup/{id}")
        );
        let added = find(&got, "Client::restore_from_backup");
        assert_eq!(added.kind, ChangeKind::MethodAdded);
        assert!(!added.breaking);
        assert_eq!(
            added.origin,
            operation("restoreFromBackup", "POST", "/redis/restore-backup/{id}")
        );
        // The inline body type is renamed with the operation.
        assert_eq!(
            find(&got, "types::RestoreBackupBody").kind,
            ChangeKind::TypeRemoved
        );
        // The operation builders go with the methods, not reported twice.
        assert!(
            got.iter().all(|c| !c.item.starts_with("builder::")),
            "{}",
            listing(&got)
        );
    }

    #[test]
    fn a_renamed_operation_id_is_reported_as_the_spec_spells_it() {
        let got = changes(BASE, &edited(&[("restoreBackup", "restoreQStashIPv4")]));
        let added = find(&got, "Client::restore_qstash_ipv4");
        assert_eq!(
            added.origin,
            operation("restoreQStashIPv4", "POST", "/redis/restore-backup/{id}")
        );
        assert_eq!(
            find(&got, "types::RestoreQstashIpv4Body").kind,
            ChangeKind::TypeAdded
        );
    }

    #[test]
    fn new_required_body_field_breaks_the_builder_at_runtime() {
        let got = changes(
            BASE,
            &edited(&[(
                "required: [backup_id]\n              properties:\n                backup_id: {type: string}",
                "required: [backup_id, target]\n              properties:\n                backup_id: {type: string}\n                target: {type: string}",
            )]),
        );
        let field = find(&got, "types::RestoreBackupBody::target");
        assert_eq!(field.kind, ChangeKind::FieldAdded { required: true });
        // No literal can build the #[non_exhaustive] type; the builder breaks.
        assert_eq!(field.breakage, Breakage::None);
        assert!(!field.breaking);
        assert_eq!(field.new.as_deref(), Some("String"));
        assert_eq!(
            field.origin,
            Origin::Schema {
                rust_type: "RestoreBackupBody".into(),
                component: None,
                used_by: vec!["restoreBackup".into()],
            }
        );
        let setter = find(&got, "types::builder::RestoreBackupBody::target");
        assert_eq!(
            setter.kind,
            ChangeKind::BuilderSetterAdded { required: true }
        );
        assert_eq!(setter.breakage, Breakage::Runtime);
        assert!(setter.breaking);
        assert_eq!(setter.kind.rule_id(), "sdk-required-builder-setter-added");
    }

    #[test]
    fn new_optional_field_breaks_neither_request_nor_response_types() {
        let got = changes(
            BASE,
            &edited(&[
                (
                    "        tls: {type: boolean}\n",
                    "        tls: {type: boolean}\n        eviction: {type: boolean}\n",
                ),
                (
                    "        size: {type: integer, format: int32}\n",
                    "        size: {type: integer, format: int32}\n        state: {type: string}\n",
                ),
            ]),
        );
        let request = find(&got, "types::CreateDatabaseRequest::eviction");
        assert_eq!(request.kind, ChangeKind::FieldAdded { required: false });
        assert_eq!(
            request.breakage,
            Breakage::None,
            "CreateDatabaseRequest is a request body, #[non_exhaustive]: built with its builder"
        );
        assert!(!request.breaking);
        let response = find(&got, "types::Database::state");
        assert_eq!(response.kind, ChangeKind::FieldAdded { required: false });
        assert_eq!(
            response.breakage,
            Breakage::None,
            "Database is #[non_exhaustive]: no literal can build it"
        );
        assert!(!response.breaking);
        assert_eq!(
            response.origin,
            Origin::Schema {
                rust_type: "Database".into(),
                component: Some("Database".into()),
                used_by: vec!["createDatabase".into(), "getDatabase".into()],
            }
        );
        let setter = find(&got, "types::builder::Database::state");
        assert_eq!(
            setter.kind,
            ChangeKind::BuilderSetterAdded { required: false }
        );
        assert_eq!(setter.breakage, Breakage::None);
        assert!(!setter.breaking);
    }

    #[test]
    fn new_value_of_a_request_enum_breaks_nothing() {
        let plan = "        tls: {type: boolean}\n";
        let old = edited(&[(
            plan,
            "        tls: {type: boolean}\n        plan: {type: string, enum: [free, paid]}\n",
        )]);
        let new = edited(&[(
            plan,
            "        tls: {type: boolean}\n        plan: {type: string, enum: [free, paid, pro]}\n",
        )]);
        let got = changes(&old, &new);
        assert_eq!(got.len(), 1, "{}", listing(&got));
        let variant = find(&got, "types::Plan::Pro");
        assert_eq!(variant.kind, ChangeKind::VariantAdded);
        assert_eq!(
            variant.breakage,
            Breakage::None,
            "the enum is #[non_exhaustive]"
        );
        assert!(!variant.breaking);
    }

    #[test]
    fn a_request_type_that_a_response_now_holds_keeps_its_rust_api() {
        let got = changes(
            BASE,
            &edited(&[(
                "        '200': {description: ok, content: {application/json: {schema: {type: string}}}}\n",
                "        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/CreateDatabaseRequest'}}}}\n",
            )]),
        );
        assert!(
            got.iter().all(|c| !c.item.starts_with("types::")),
            "{}",
            listing(&got)
        );
        let response = find(&got, "builder::RestoreBackup::send");
        assert_eq!(response.kind, ChangeKind::ResponseTypeChanged);
    }

    #[test]
    fn new_enum_value_of_a_response_enum_is_a_variant_that_breaks_nothing() {
        let got = changes(
            BASE,
            &edited(&[(
                "enum: [eu-west-1, us-east-1]",
                "enum: [eu-west-1, eu-west-2, us-east-1]",
            )]),
        );
        assert_eq!(got.len(), 1, "{}", listing(&got));
        let variant = &got[0];
        assert_eq!(variant.item, "types::Region::EuWest2");
        assert_eq!(variant.kind, ChangeKind::VariantAdded);
        // Responses hold `Region`: it is `#[non_exhaustive]`, so every match
        // on it already has a `_` arm.
        assert_eq!(variant.breakage, Breakage::None);
        assert!(!variant.breaking);
        let Origin::Schema {
            component, used_by, ..
        } = &variant.origin
        else {
            panic!("{:?}", variant.origin);
        };
        assert_eq!(component.as_deref(), Some("Region"));
        assert_eq!(used_by, &["createDatabase", "getDatabase"]);
    }

    #[test]
    fn removed_enum_value_is_a_removed_variant() {
        let got = changes(
            BASE,
            &edited(&[("enum: [eu-west-1, us-east-1]", "enum: [eu-west-1]")]),
        );
        let variant = find(&got, "types::Region::UsEast1");
        assert_eq!(variant.kind, ChangeKind::VariantRemoved);
        assert!(variant.breaking);
    }

    #[test]
    fn new_parameters_are_optional_or_required_builder_methods() {
        let limit = "        - {name: limit, in: query, required: false, schema: {type: integer, format: int32}}\n";
        let got = changes(
            BASE,
            &edited(&[(
                limit,
                &format!(
                    "{limit}        - {{name: cursor, in: query, required: false, schema: {{type: string}}}}\n        - {{name: team, in: query, required: true, schema: {{type: integer, format: int64}}}}\n"
                ),
            )]),
        );
        assert_eq!(got.len(), 2, "{}", listing(&got));
        let cursor = find(&got, "builder::GetDatabase::cursor");
        assert_eq!(cursor.kind, ChangeKind::ParameterAdded { required: false });
        assert_eq!(cursor.breakage, Breakage::None);
        assert!(!cursor.breaking);
        assert_eq!(
            cursor.origin,
            operation("getDatabase", "GET", "/redis/database/{id}")
        );
        let team = find(&got, "builder::GetDatabase::team");
        assert_eq!(team.kind, ChangeKind::ParameterAdded { required: true });
        assert_eq!(team.breakage, Breakage::Runtime);
        assert!(team.breaking);
        assert_eq!(team.new.as_deref(), Some("i64"));
    }

    #[test]
    fn renamed_path_parameter_removes_one_method_and_adds_another() {
        let got = changes(
            BASE,
            &edited(&[
                (
                    "  /redis/database/{id}:",
                    "  /redis/database/{database_id}:",
                ),
                (
                    "operationId: getDatabase\n      parameters:\n        - {name: id,",
                    "operationId: getDatabase\n      parameters:\n        - {name: database_id,",
                ),
            ]),
        );
        assert_eq!(got.len(), 2, "{}", listing(&got));
        let old = find(&got, "builder::GetDatabase::id");
        assert_eq!(old.kind, ChangeKind::ParameterRemoved);
        assert_eq!(old.breakage, Breakage::Compile);
        let new = find(&got, "builder::GetDatabase::database_id");
        assert_eq!(new.kind, ChangeKind::ParameterAdded { required: true });
    }

    #[test]
    fn parameter_schema_change_changes_the_accepted_type() {
        let got = changes(
            BASE,
            &edited(&[(
                "format: int32}}\n      responses",
                "format: int64}}\n      responses",
            )]),
        );
        assert_eq!(got.len(), 1, "{}", listing(&got));
        let limit = &got[0];
        assert_eq!(limit.item, "builder::GetDatabase::limit");
        assert_eq!(limit.kind, ChangeKind::ParameterTypeChanged);
        assert_eq!(
            (limit.old.as_deref(), limit.new.as_deref()),
            (Some("i32"), Some("i64"))
        );
        assert!(limit.breaking);
    }

    #[test]
    fn optional_parameter_becoming_required_fails_at_runtime() {
        let got = changes(
            BASE,
            &edited(&[(
                "name: limit, in: query, required: false",
                "name: limit, in: query, required: true",
            )]),
        );
        let limit = find(&got, "builder::GetDatabase::limit");
        assert_eq!(limit.kind, ChangeKind::ParameterBecameRequired);
        assert_eq!(limit.breakage, Breakage::Runtime);
        let back = changes(
            &edited(&[(
                "name: limit, in: query, required: false",
                "name: limit, in: query, required: true",
            )]),
            BASE,
        );
        let limit = find(&back, "builder::GetDatabase::limit");
        assert_eq!(limit.kind, ChangeKind::ParameterBecameOptional);
        assert!(!limit.breaking);
    }

    #[test]
    fn response_and_error_types_of_send_are_compared() {
        let got = changes(
            BASE,
            &edited(&[(
                "'200': {description: ok, content: {application/json: {schema: {type: string}}}}",
                "'200': {description: ok, content: {application/json: {schema: {type: object, properties: {restored: {type: boolean}}}}}}\n        '400': {description: bad, content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}}",
            )]),
        );
        let ok = got
            .iter()
            .find(|c| c.kind == ChangeKind::ResponseTypeChanged)
            .unwrap_or_else(|| panic!("{}", listing(&got)));
        assert_eq!(ok.item, "builder::RestoreBackup::send");
        assert_eq!(ok.old.as_deref(), Some("String"));
        assert_eq!(ok.new.as_deref(), Some("RestoreBackupResponse"));
        // A documented error body is left to the SDK's `Error` (codegen's
        // `responses` normalisation), and every `send` fails with
        // `crate::Error` (codegen's `public_api`), so the error type stays.
        assert!(
            got.iter()
                .all(|c| c.kind != ChangeKind::ErrorResponseTypeChanged),
            "{}",
            listing(&got)
        );
        assert_eq!(
            find(&got, "types::RestoreBackupResponse").kind,
            ChangeKind::TypeAdded
        );
    }

    /// An operation that documents no success keeps its error responses
    /// (progenitor's `Error<E>` would name their type), but `send` fails
    /// with the SDK's one error type whatever they are: a change of them
    /// changes nothing in the Rust API of `send`.
    #[test]
    fn the_error_type_of_send_is_the_sdks_whatever_the_spec_says() {
        let only_error = |schema: &str| {
            edited(&[(
                "'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Database'}}}}",
                &format!(
                    "'400': {{description: bad, content: {{application/json: {{schema: {schema}}}}}}}"
                ),
            )])
        };
        let old = only_error("{$ref: '#/components/schemas/Error'}");
        let new = only_error("{type: object, properties: {reason: {type: string}}}");
        for text in [&old, &new] {
            let spec = Spec::from_text(text).expect("valid spec");
            let surface = SdkSurface::from_spec(&spec).expect("generates");
            let Some(Item::Struct { methods, .. }) = surface.items.get("builder::GetDatabase")
            else {
                panic!("no builder::GetDatabase in {:?}", surface.items.keys());
            };
            let (_, error) = methods["send"].send_types.clone().expect("send's types");
            assert_eq!(error, "crate::Error");
        }
        let got = changes(&old, &new);
        assert!(
            got.iter()
                .all(|c| c.kind != ChangeKind::ErrorResponseTypeChanged
                    && c.item != "builder::GetDatabase::send"),
            "{}",
            listing(&got)
        );
    }

    #[test]
    fn field_type_change_and_removal() {
        let got = changes(
            BASE,
            &edited(&[
                (
                    "        size: {type: integer, format: int32}\n",
                    "        size: {type: integer, format: int64}\n",
                ),
                ("        tls: {type: boolean}\n", ""),
            ]),
        );
        let size = find(&got, "types::Database::size");
        assert_eq!(size.kind, ChangeKind::FieldTypeChanged);
        assert_eq!(
            (size.old.as_deref(), size.new.as_deref()),
            (Some("Option<i32>"), Some("Option<i64>"))
        );
        assert!(size.breaking);
        let setter = find(&got, "types::builder::Database::size");
        assert_eq!(setter.kind, ChangeKind::BuilderSetterTypeChanged);
        let tls = find(&got, "types::CreateDatabaseRequest::tls");
        assert_eq!(tls.kind, ChangeKind::FieldRemoved);
        assert_eq!(tls.breakage, Breakage::Compile);
        assert_eq!(
            find(&got, "types::builder::CreateDatabaseRequest::tls").kind,
            ChangeKind::BuilderSetterRemoved
        );
    }

    #[test]
    fn field_becoming_required_changes_its_type_and_drops_default() {
        let got = changes(
            BASE,
            &edited(&[(
                "    Error:\n      type: object\n",
                "    Error:\n      type: object\n      required: [error]\n",
            )]),
        );
        let field = find(&got, "types::Error::error");
        assert_eq!(field.kind, ChangeKind::FieldTypeChanged);
        assert_eq!(
            (field.old.as_deref(), field.new.as_deref()),
            (Some("Option<String>"), Some("String"))
        );
        let default = find(&got, "impl Default for types::Error");
        assert_eq!(default.kind, ChangeKind::TraitImplRemoved);
        assert_eq!(default.breakage, Breakage::Compile);
        assert!(default.breaking);
        let setter: Vec<ChangeKind> = got
            .iter()
            .filter(|c| c.item == "types::builder::Error::error")
            .map(|c| c.kind)
            .collect();
        assert_eq!(
            setter,
            [
                ChangeKind::BuilderSetterTypeChanged,
                ChangeKind::BuilderSetterBecameRequired
            ]
        );
    }

    #[test]
    fn renamed_schema_is_a_removed_type_and_changes_its_users() {
        let got = changes(
            BASE,
            &edited(&[
                ("    CreateDatabaseRequest:\n", "    NewDatabase:\n"),
                (
                    "schema: {$ref: '#/components/schemas/CreateDatabaseRequest'}",
                    "schema: {$ref: '#/components/schemas/NewDatabase'}",
                ),
            ]),
        );
        let removed = find(&got, "types::CreateDatabaseRequest");
        assert_eq!(removed.kind, ChangeKind::TypeRemoved);
        assert!(removed.breaking);
        assert_eq!(
            removed.origin,
            Origin::Schema {
                rust_type: "CreateDatabaseRequest".into(),
                component: Some("CreateDatabaseRequest".into()),
                used_by: vec!["createDatabase".into()],
            }
        );
        assert_eq!(find(&got, "types::NewDatabase").kind, ChangeKind::TypeAdded);
        // Its builder and impls go with it: one change per removed type.
        assert!(
            got.iter()
                .all(|c| !c.item.contains("builder::CreateDatabaseRequest"))
        );
        assert!(
            got.iter().all(|c| !c.item.starts_with("impl ")),
            "{}",
            listing(&got)
        );
        let body = find(&got, "builder::CreateDatabase::body");
        assert_eq!(body.kind, ChangeKind::ParameterTypeChanged);
        assert_eq!(
            (body.old.as_deref(), body.new.as_deref()),
            (Some("CreateDatabaseRequest"), Some("NewDatabase"))
        );
    }

    #[test]
    fn enum_becoming_a_struct_is_a_kind_change() {
        let got = changes(
            BASE,
            &edited(&[(
                "    Region: {type: string, enum: [eu-west-1, us-east-1]}",
                "    Region: {type: object, properties: {name: {type: string}}}",
            )]),
        );
        let region = find(&got, "types::Region");
        assert_eq!(region.kind, ChangeKind::TypeKindChanged);
        assert_eq!(
            (region.old.as_deref(), region.new.as_deref()),
            (Some("enum"), Some("struct"))
        );
    }

    #[test]
    fn focus_keeps_what_reaches_a_change_and_what_that_reaches() {
        let old = parsed(BASE);
        let new = parsed(&edited(&[(
            "enum: [eu-west-1, us-east-1]",
            "enum: [eu-west-1, eu-west-2, us-east-1]",
        )]));
        let focus = Focus::of_documents(&old, &new);
        for side in [&old, &new] {
            let (paths, schemas) = focus.kept_in(side);
            assert_eq!(
                BTreeSet::from_iter(paths),
                BTreeSet::from(["/redis/database".into(), "/redis/database/{id}".into()])
            );
            let expected = ["CreateDatabaseRequest", "Database", "Region"].map(String::from);
            assert_eq!(BTreeSet::from_iter(schemas), BTreeSet::from(expected));
        }
        // Nothing changed: nothing to generate.
        assert!(Focus::of_documents(&old, &old).is_empty());
    }

    #[test]
    fn one_of_branch_change_changes_a_variant_payload() {
        let with_shape = |branches: &str| {
            edited(&[(
                "    Error:\n",
                &format!("    Shape:\n      oneOf:\n{branches}    Error:\n"),
            )])
        };
        let old = with_shape(
            "        - {type: string}\n        - {type: array, items: {type: integer, format: int32}}\n",
        );
        let new = with_shape(
            "        - {type: string}\n        - {type: array, items: {type: integer, format: int64}}\n",
        );
        let got = changes(&old, &new);
        let payload = got
            .iter()
            .find(|c| c.kind == ChangeKind::VariantPayloadChanged)
            .unwrap_or_else(|| panic!("{}", listing(&got)));
        assert!(
            payload.item.starts_with("types::Shape::"),
            "{}",
            payload.item
        );
        assert_eq!(payload.old.as_deref(), Some("(Vec<i32>)"));
        assert_eq!(payload.new.as_deref(), Some("(Vec<i64>)"));
        assert_eq!(payload.breakage, Breakage::Compile);
    }

    #[test]
    fn a_spec_the_generator_rejects_is_an_error_not_a_panic() {
        // progenitor does not take cookie parameters.
        let bad = edited(&[(
            "        - {name: limit, in: query,",
            "        - {name: session, in: cookie, required: false, schema: {type: string}}\n        - {name: limit, in: query,",
        )]);
        let err = try_changes(BASE, &bad).expect_err("the generator refuses it");
        assert!(err.to_string().contains("new spec"), "{err}");
        assert!(err.to_string().contains("generator"), "{err}");
    }
}
