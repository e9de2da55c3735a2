//! One Rust type per concept: the string enums a spec writes inline are
//! shared by name, and `"true"`/`"false"` enums are `bool`.
//!
//! A spec repeats a list of values inline wherever a field holds it (the
//! regions of a database in its answer and in the create request); typify
//! then generates one type per place, named after it, so a value read
//! from one answer does not fit the next request. Before typing, every
//! inline string enum held by a name is replaced by a reference to one
//! component per name (see "One type per concept" in `ARCHITECTURE.md`):
//!
//! - the *concept* of an inline enum is the name that holds it: the
//!   property or parameter name (`primary_region`), or for the items of an
//!   array property its name in the singular (`read_regions` gives
//!   `read_region`); a `title` on the enum names its concept instead;
//! - every enum of one concept is one component named for it, in
//!   PascalCase (`PrimaryRegion`; `PrimaryRegionValue` when the spec has a
//!   component of that name already), listing every value any of them
//!   lists, in the order they first appear; each place keeps its own
//!   description, default and other keywords beside the reference;
//! - enums whose concepts share their last word (`region`,
//!   `primary_region`, `read_region`) convert into each other with
//!   `TryFrom`, which the builders accept: a value read from one goes into
//!   the other without a string round trip, checked against the values
//!   the target lists ([`families`]);
//! - an inline enum of exactly the values `"true"` and `"false"`, held by
//!   a property or parameter, is a boolean in Rust that travels as the
//!   string the API writes: it is marked with [`STRING_BOOL_TYPE`], which
//!   `string_bools` turns into `bool` in the generated code.
//!
//! The rule reads names only, never values, so a release stays stable: a
//! value added to one place adds a variant to its concept's type (every
//! type is `#[non_exhaustive]`), a new place of a concept uses the type,
//! and no value change renames a type or removes a conversion. Structs
//! are not merged, even of identical shape: two bodies that hold the same
//! fields today are two concepts that may grow apart.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use crate::names::{pascal, snake};
use crate::pointer::escape_segment as escape;
use crate::references::is_data;

/// The `x-rust-type` path that marks a `"true"`/`"false"` enum turned
/// boolean; no such type exists: `string_bools` replaces every use.
pub(crate) const STRING_BOOL_TYPE: &str = "upstash_api::types::StringBool";

/// The extension a shared component records its concept's name in, for
/// [`families`] (typify ignores it).
const CONCEPT: &str = "x-upstash-concept";

/// An inline string enum found in the document.
struct Place {
    /// The JSON pointer of the enum's schema.
    pointer: String,
    /// The name that holds it, or its `title`.
    concept: String,
}

/// Shares every inline string enum of `document` by concept and turns
/// `"true"`/`"false"` enums boolean, as the module documentation says.
/// `document` is the whole OpenAPI document, references checked. The
/// build does this before typing; spec-diff's focus on the documents it
/// compares, so that it cuts them as the build sees them.
pub fn share(document: &mut Value) {
    let (places, bools) = inline_enums(document);
    for pointer in bools {
        if let Some(Value::Object(schema)) = document.pointer_mut(&pointer) {
            make_string_bool(schema);
        }
    }
    let mut components = Map::new();
    for (name, places) in concept_types(document, places) {
        let mut values: Vec<Value> = Vec::new();
        for place in &places {
            let Some(Value::Object(schema)) = document.pointer_mut(&place.pointer) else {
                continue;
            };
            for value in schema
                .get("enum")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if !values.contains(value) {
                    values.push(value.clone());
                }
            }
            refer(schema, &name);
        }
        let concept = snake(&places[0].concept);
        components.insert(
            name,
            json!({
                "type": "string",
                "enum": values,
                "description": format!("A value of `{concept}`, as the API lists it."),
                CONCEPT: concept,
            }),
        );
    }
    if components.is_empty() {
        return;
    }
    let Value::Object(root) = document else {
        return;
    };
    let schemas = root
        .entry("components")
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .map(|c| c.entry("schemas").or_insert_with(|| json!({})));
    if let Some(Value::Object(schemas)) = schemas {
        schemas.extend(components);
    }
}

/// Where [`share`] puts the inline enums of `document` (which it does not
/// change): the pointer of each shared enum's schema and the Rust type it
/// becomes, for tools that match a spec's nodes with generated types.
pub fn shared_enum_types(document: &Value) -> BTreeMap<String, String> {
    let (places, _) = inline_enums(document);
    concept_types(document, places)
        .into_iter()
        .flat_map(|(name, places)| places.into_iter().map(move |p| (p.pointer, name.clone())))
        .collect()
}

/// The places grouped by concept, under the name of the component each
/// concept becomes: `PascalCase` of the concept, or with `Value` after it
/// when a component of `document` has that name. A concept whose name
/// is then taken still (by another concept's `...Value`) is left out: its
/// places stay inline, named by typify where they are.
fn concept_types(document: &Value, places: Vec<Place>) -> BTreeMap<String, Vec<Place>> {
    let mut concepts: BTreeMap<String, Vec<Place>> = BTreeMap::new();
    for place in places {
        concepts
            .entry(pascal(&place.concept))
            .or_default()
            .push(place);
    }
    let mut taken: BTreeSet<String> = component_names(document)
        .map(|name| pascal(&name))
        .collect();
    let mut named = BTreeMap::new();
    for (name, places) in concepts {
        let name = if taken.contains(&name) {
            format!("{name}Value")
        } else {
            name
        };
        if taken.insert(name.clone()) {
            named.insert(name, places);
        }
    }
    named
}

/// The names of the component schemas of `document`.
fn component_names(document: &Value) -> impl Iterator<Item = String> + '_ {
    document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|schemas| schemas.keys().cloned())
}

/// The schema at a place, now a reference to the component `name`, with
/// the keywords that describe the place kept beside it (`allOf` of one
/// reference: typify reads it as the referenced type and keeps the
/// description for the field).
fn refer(schema: &mut Map<String, Value>, name: &str) {
    for key in ["enum", "type", "title"] {
        schema.remove(key);
    }
    let reference = json!({"$ref": format!("#/components/schemas/{}", escape(name))});
    if schema.keys().all(|key| key.starts_with("x-")) {
        *schema = reference.as_object().cloned().unwrap_or_default();
    } else {
        schema.insert("allOf".into(), json!([reference]));
    }
}

/// A `"true"`/`"false"` enum as a boolean marked for `string_bools`. A
/// default is kept as the boolean it names.
fn make_string_bool(schema: &mut Map<String, Value>) {
    schema.remove("enum");
    schema.insert("type".into(), json!("boolean"));
    if let Some(default) = schema.get("default").and_then(Value::as_str) {
        let default = default == "true";
        schema.insert("default".into(), json!(default));
    }
    schema.insert(
        "x-rust-type".into(),
        json!({"crate": crate::tolerance::OPEN_ENUM_CRATE, "version": "*", "path": STRING_BOOL_TYPE}),
    );
}

/// Whether `schema`'s values are exactly `"true"` and `"false"`.
fn is_string_bool(schema: &Map<String, Value>) -> bool {
    let values: BTreeSet<&str> = schema
        .get("enum")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    values == BTreeSet::from(["false", "true"])
}

/// How a schema is held, for naming its concept.
#[derive(Clone)]
enum Holder {
    /// By a property or parameter of this name.
    Name(String),
    /// As the items of an array held by this name.
    Items(String),
    /// Otherwise (a body, a component, a composition's member, a map's values).
    Nothing,
}

/// Every inline string enum held by a name (pointer and concept), and the
/// pointers of the `"true"`/`"false"` ones held by a property or
/// parameter, found by the same walk of schemas as the readers'.
fn inline_enums(document: &Value) -> (Vec<Place>, Vec<String>) {
    let (mut places, mut bools) = (Vec::new(), Vec::new());
    // (node, pointer, is it a schema, how it is held)
    let mut stack = vec![(document, String::new(), false, Holder::Nothing)];
    while let Some((node, pointer, is_schema, holder)) = stack.pop() {
        let Value::Object(map) = node else {
            if let Value::Array(items) = node
                && !is_schema
            {
                for (index, item) in items.iter().enumerate() {
                    stack.push((item, format!("{pointer}/{index}"), false, Holder::Nothing));
                }
            }
            continue;
        };
        if !is_schema {
            for (key, member) in map {
                if is_data(key) || key == "examples" || key == "links" {
                    continue;
                }
                let at = format!("{pointer}/{}", escape(key));
                if key == "schema" {
                    // A parameter's schema is held by the parameter's name.
                    let holder = match (map.get("name"), map.get("in")) {
                        (Some(Value::String(name)), Some(_)) => Holder::Name(name.clone()),
                        _ => Holder::Nothing,
                    };
                    stack.push((member, at, true, holder));
                } else if key == "schemas" && pointer == "/components" {
                    for (name, schema) in member.as_object().into_iter().flatten() {
                        let at = format!("{at}/{}", escape(name));
                        stack.push((schema, at, true, Holder::Nothing));
                    }
                } else {
                    stack.push((member, at, false, Holder::Nothing));
                }
            }
            continue;
        }
        if map.contains_key("$ref") {
            continue;
        }
        if crate::tolerance::is_open_enum_candidate(map) {
            let title = map.get("title").and_then(Value::as_str);
            let concept = match (&holder, title) {
                (_, Some(title)) => Some(title.to_string()),
                (Holder::Name(name), None) => Some(name.clone()),
                (Holder::Items(name), None) => Some(singular(name)),
                (Holder::Nothing, None) => None,
            };
            match concept {
                Some(_) if is_string_bool(map) && matches!(holder, Holder::Name(_)) => {
                    bools.push(pointer);
                }
                Some(concept) => places.push(Place { pointer, concept }),
                None => {}
            }
            continue;
        }
        for (key, member) in map {
            let at = format!("{pointer}/{}", escape(key));
            match (key.as_str(), member) {
                ("properties", Value::Object(properties)) => {
                    for (name, schema) in properties {
                        let at = format!("{at}/{}", escape(name));
                        stack.push((schema, at, true, Holder::Name(name.clone())));
                    }
                }
                ("items", Value::Object(_)) => {
                    let holder = match &holder {
                        Holder::Name(name) => Holder::Items(name.clone()),
                        _ => Holder::Nothing,
                    };
                    stack.push((member, at, true, holder));
                }
                ("not" | "additionalProperties", Value::Object(_)) => {
                    stack.push((member, at, true, Holder::Nothing));
                }
                ("allOf" | "oneOf" | "anyOf", Value::Array(parts)) => {
                    for (index, part) in parts.iter().enumerate() {
                        stack.push((part, format!("{at}/{index}"), true, Holder::Nothing));
                    }
                }
                _ => {}
            }
        }
    }
    places.sort_by(|a, b| a.pointer.cmp(&b.pointer));
    (places, bools)
}

/// The singular of an English plural name, by the regular rules (`regions`
/// `region`, `policies` `policy`, `addresses` `address`, `statuses`
/// `status`); a name that does not look plural is kept.
pub(crate) fn singular(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    let cut = |n: usize| name[..name.len() - n].to_string();
    if lower.ends_with("ies") && name.len() > 3 {
        format!("{}y", cut(3))
    } else if ["sses", "xes", "zes", "ches", "shes", "uses"]
        .iter()
        .any(|end| lower.ends_with(end))
    {
        cut(2)
    } else if lower.ends_with('s') && !["ss", "us", "is"].iter().any(|end| lower.ends_with(end)) {
        cut(1)
    } else {
        name.to_string()
    }
}

/// The enums that convert into each other, by component name: the shared
/// enums and the string enum components whose concepts (a component's
/// name in snake_case) end in the same word (`region`, `primary_region`,
/// `read_region`), each with the others of its family. `schemas` are the
/// document's component schemas, as JSON.
fn families<'a>(schemas: impl IntoIterator<Item = (&'a String, &'a Value)>) -> Vec<Vec<String>> {
    let mut by_word: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, schema) in schemas {
        let concept = match (schema.get(CONCEPT).and_then(Value::as_str), schema) {
            (Some(concept), _) => concept.to_string(),
            // Marked open or not: tolerance has marked those answers hold.
            (None, Value::Object(schema)) if crate::tolerance::is_string_enum(schema) => {
                snake(name)
            }
            _ => continue,
        };
        let Some(word) = concept.rsplit('_').next() else {
            continue;
        };
        by_word
            .entry(word.to_string())
            .or_default()
            .push(name.clone());
    }
    by_word
        .into_values()
        .filter(|names| names.len() > 1)
        .collect()
}

/// The conversions between the enums of each family of `spec`
/// ([`families`]): `TryFrom` each into each other, through the text of
/// the value, so the target's own parsing decides (and names the values
/// it lists when it refuses one).
pub(crate) fn conversions(spec: &crate::Spec) -> proc_macro2::TokenStream {
    let schemas = spec.openapi.components.as_ref().map(|c| &c.schemas);
    let schemas: Vec<(&String, Value)> = schemas
        .into_iter()
        .flatten()
        .filter_map(|(name, schema)| Some((name, serde_json::to_value(schema.as_item()?).ok()?)))
        .collect();
    let path = |name: &str| -> syn::Path {
        let ident = quote::format_ident!("{name}");
        syn::parse_quote!(::upstash_api::types::#ident)
    };
    let mut impls = Vec::new();
    for family in families(schemas.iter().map(|(name, schema)| (*name, schema))) {
        for from in &family {
            for to in family.iter().filter(|to| *to != from) {
                let (from, to) = (path(from), path(to));
                impls.push(quote::quote! {
                    impl ::std::convert::TryFrom<#from> for #to {
                        type Error = <#to as ::std::str::FromStr>::Err;
                        fn try_from(value: #from) -> ::std::result::Result<#to, Self::Error> {
                            ::std::str::FromStr::from_str(&::std::string::ToString::to_string(&value))
                        }
                    }
                });
            }
        }
    }
    if impls.is_empty() {
        return proc_macro2::TokenStream::new();
    }
    quote::quote! {
        /// Conversions between the enums of one concept family
        /// (`codegen/src/concepts.rs`).
        mod concept_conversions {
            #(#impls)*
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::{families, share, singular};

    fn document() -> Value {
        json!({
            "openapi": "3.0.3",
            "paths": {"/db": {"get": {
                "operationId": "getDb",
                "parameters": [{"name": "period", "in": "query", "schema": {"type": "string", "enum": ["1h", "1d"], "default": "1h"}}],
                "responses": {"200": {"description": "", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Db"}}}}}
            }, "post": {
                "operationId": "makeDb",
                "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {
                    "primary_region": {"type": "string", "enum": ["eu-west-1", "us-east-1"], "description": "Where."},
                    "read_regions": {"type": "array", "items": {"type": "string", "enum": ["us-east-1"]}},
                    "tls": {"type": "string", "enum": ["false", "true"], "default": "true"}
                }}}}},
                "responses": {"200": {"description": ""}}
            }}},
            "components": {"schemas": {
                "Db": {"type": "object", "properties": {
                    "primary_region": {"type": "string", "enum": ["ap-south-1", "eu-west-1"]},
                    "region": {"enum": ["global"]},
                    "state": {"type": "string", "enum": ["active"], "title": "Database state"},
                    "period": {"type": "string", "enum": ["1d", "7d"]}
                }},
                "Period": {"type": "object"}
            }}
        })
    }

    #[test]
    fn every_inline_enum_of_a_name_is_one_component_with_every_value() {
        let mut doc = document();
        share(&mut doc);
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["PrimaryRegion"]["enum"],
            json!(["ap-south-1", "eu-west-1", "us-east-1"])
        );
        let body = &doc["paths"]["/db"]["post"]["requestBody"]["content"]["application/json"]["schema"]
            ["properties"];
        assert_eq!(
            body["primary_region"],
            json!({"description": "Where.", "allOf": [{"$ref": "#/components/schemas/PrimaryRegion"}]})
        );
        assert_eq!(
            schemas["Db"]["properties"]["primary_region"],
            json!({"$ref": "#/components/schemas/PrimaryRegion"})
        );
        assert_eq!(
            body["read_regions"]["items"],
            json!({"$ref": "#/components/schemas/ReadRegion"})
        );
        assert_eq!(schemas["Region"]["enum"], json!(["global"]));
        // A title names the concept; a taken name gets `Value`.
        assert_eq!(schemas["DatabaseState"]["enum"], json!(["active"]));
        assert_eq!(schemas["PeriodValue"]["enum"], json!(["1d", "7d", "1h"]));
        assert_eq!(schemas["Period"], json!({"type": "object"}));
        let parameter = &doc["paths"]["/db"]["get"]["parameters"][0]["schema"];
        assert_eq!(
            parameter,
            &json!({"default": "1h", "allOf": [{"$ref": "#/components/schemas/PeriodValue"}]})
        );
    }

    #[test]
    fn a_true_false_enum_is_a_marked_boolean() {
        let mut doc = document();
        share(&mut doc);
        let tls = &doc["paths"]["/db"]["post"]["requestBody"]["content"]["application/json"]["schema"]
            ["properties"]["tls"];
        assert_eq!(tls["type"], "boolean");
        assert_eq!(tls["default"], true);
        assert_eq!(tls["x-rust-type"]["path"], super::STRING_BOOL_TYPE);
        assert!(tls.get("enum").is_none());
    }

    #[test]
    fn concepts_ending_in_one_word_are_a_family() {
        let mut doc = document();
        share(&mut doc);
        let schemas = doc["components"]["schemas"].as_object().expect("schemas");
        let families = families(schemas);
        assert_eq!(
            families,
            vec![vec![
                "PrimaryRegion".to_string(),
                "ReadRegion".into(),
                "Region".into()
            ]]
        );
    }

    #[test]
    fn plurals_become_singular_by_the_regular_rules() {
        for (plural, one) in [
            ("regions", "region"),
            ("read_regions", "read_region"),
            ("policies", "policy"),
            ("addresses", "address"),
            ("statuses", "status"),
            ("indexes", "index"),
            ("branches", "branch"),
            ("databases", "database"),
            ("status", "status"),
            ("access", "access"),
            ("analysis", "analysis"),
        ] {
            assert_eq!(singular(plural), one, "{plural}");
        }
    }
}
