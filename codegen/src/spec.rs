//! The spec as a checked, typed OpenAPI 3.0 document.

use std::collections::BTreeMap;
use std::path::Path;

use openapiv3::{OpenAPI, ReferenceOr};
use serde::Deserialize;

use crate::operations::METHODS;
use crate::{SpecError, document};

/// Request body media types the generator can turn into code: those the
/// Upstash APIs use and the tests cover (progenitor knows a few more).
pub const SUPPORTED_BODY_MEDIA_TYPES: &[&str] = &[
    "application/json",
    "application/x-www-form-urlencoded",
    "application/octet-stream",
    "text/plain",
];

/// An OpenAPI 3.0.x document that passed the checks generation relies on.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The typed document, after [normalisation](Spec::from_value).
    pub openapi: OpenAPI,
    /// The spec's own operationId of each one normalisation renamed, by
    /// its new id.
    renamed_operations: BTreeMap<String, String>,
}

impl Spec {
    /// Reads and checks the spec at `path`; every error names the file.
    pub fn from_file(path: &Path) -> Result<Spec, SpecError> {
        let name = path.display().to_string();
        let text = crate::read_spec_file(path)
            .map_err(|e| SpecError::new(format!("cannot read the spec: {e}")).in_file(&name))?;
        Spec::from_text(&text).map_err(|e| e.in_file(name))
    }

    /// Parses and checks spec text (YAML or JSON).
    pub fn from_text(text: &str) -> Result<Spec, SpecError> {
        // Positions serve only to place an error: read them when one occurs.
        Spec::from_value(document::parse(text)?).map_err(|e| match document::parse_located(text) {
            Ok((_, positions)) => e.located_in(&positions),
            Err(_) => e,
        })
    }

    /// Checks a parsed document and turns it into a [`Spec`].
    ///
    /// The checks: OpenAPI 3.0.x (not Swagger 2.0, not 3.1); it deserialises
    /// as OpenAPI (errors give the JSON path); unique `operationId`s; no
    /// `$ref` path items; supported request body media types; no two spec
    /// names that become one Rust name (`collisions`, on the normalised
    /// document).
    ///
    /// The normalisations (`ARCHITECTURE.md`, "Formats" and "Responses"):
    /// - string formats `uuid`, `date`, `date-time` are dropped (no
    ///   `uuid`/`chrono` dependency, and a non-canonical server value never
    ///   makes a response unreadable); `float` becomes `double` (`f64`);
    /// - an operationId the generators would split otherwise than a person
    ///   reads it is written in snake_case (`getQStashIPv4` ->
    ///   `get_qstash_ipv4`: ARCHITECTURE.md, "Names");
    /// - a request body offering `application/json` among others keeps only
    ///   it: the generator takes one body type, and JSON is what this SDK sends;
    /// - documented error responses are left to the SDK and string answers
    ///   accept any 2xx (`responses`);
    /// - schemas a response can contain are loosened so that a value the
    ///   spec does not list never fails a response (`tolerance`);
    /// - every `description` and `summary` is made safe for rustdoc (bare
    ///   URLs as autolinks, stray `[x]` and `<tag>` escaped, code blocks as
    ///   text: `descriptions`).
    ///
    /// Tolerance is decided on the whole document, so a tool that generates
    /// only part of one (the xtask's Rust API analysis) types it whole, then
    /// cuts it with [`Spec::retain`].
    pub fn from_value(mut value: serde_json::Value) -> Result<Spec, SpecError> {
        crate::checks::check(&value, crate::checks::Checks::Generate)?;
        crate::references::decode(&mut value);
        normalise_formats(&mut value);
        crate::responses::normalise(&mut value);
        crate::concepts::share(&mut value);
        crate::tolerance::apply(&mut value);
        crate::descriptions::for_rustdoc(&mut value);
        crate::collisions::check(&value)?;
        let renamed_operations = normalise_operation_ids(&mut value);
        check_patterns(&value)?;
        crate::schema_typing::check(&value)?;
        let mut openapi = typed(&value)?;
        check_operations(&mut openapi)?;
        Ok(Spec {
            openapi,
            renamed_operations,
        })
    }

    /// The spec's own spelling of the operationId `id` of [`Spec::openapi`]
    /// (which normalisation may have rewritten, see [`Spec::from_value`]).
    pub fn spec_operation_id<'a>(&'a self, id: &'a str) -> &'a str {
        self.renamed_operations
            .get(id)
            .map(String::as_str)
            .unwrap_or(id)
    }

    /// Keeps the paths `keep_path` accepts and the schemas, parameters,
    /// request bodies, responses and headers `keep_component` accepts (by
    /// section and name): a tool that generates part of a checked document
    /// (the xtask's Rust API analysis) types it once, whole, then cuts it.
    pub fn retain(
        &mut self,
        keep_path: impl Fn(&str) -> bool,
        keep_component: impl Fn(&str, &str) -> bool,
    ) {
        self.openapi.paths.paths.retain(|path, _| keep_path(path));
        if let Some(c) = self.openapi.components.as_mut() {
            c.schemas.retain(|name, _| keep_component("schemas", name));
            c.parameters
                .retain(|name, _| keep_component("parameters", name));
            c.request_bodies
                .retain(|name, _| keep_component("requestBodies", name));
            c.responses
                .retain(|name, _| keep_component("responses", name));
            c.headers.retain(|name, _| keep_component("headers", name));
        }
    }

    /// The spec's main server URL, variables filled in (see
    /// `servers::main_server`).
    pub fn main_server_url(&self) -> String {
        crate::servers::main_server(&self.openapi)
    }
}

/// `value` typed as OpenAPI 3.0. The path-tracking deserializer, several
/// times slower, runs only to say where a document that fails is wrong.
fn typed(value: &serde_json::Value) -> Result<OpenAPI, SpecError> {
    crate::deep_stack::run(|| {
        OpenAPI::deserialize(value).or_else(|_| {
            serde_path_to_error::deserialize(value).map_err(|e| typing_error(value, e))
        })
    })
}

/// Where and why a document does not type as OpenAPI 3.0. The path serde
/// gives stops at `paths` (a flattened map), so the path items are tried
/// one by one to say which operation is wrong.
fn typing_error(
    value: &serde_json::Value,
    e: serde_path_to_error::Error<serde_json::Error>,
) -> SpecError {
    let (location, inner) =
        locate_in_paths(value).unwrap_or_else(|| (e.path().to_string(), e.inner().to_string()));
    let location = match location.as_str() {
        "." => "document root".to_string(),
        _ => location,
    };
    SpecError::new(format!("not a valid OpenAPI 3.0 document: {inner}")).at(location)
}

/// The slot of `item` that holds the operation for `method` (one of [`METHODS`]).
pub(crate) fn operation_slot<'a>(
    item: &'a mut openapiv3::PathItem,
    method: &str,
) -> Option<&'a mut Option<openapiv3::Operation>> {
    Some(match method {
        "get" => &mut item.get,
        "put" => &mut item.put,
        "post" => &mut item.post,
        "delete" => &mut item.delete,
        "options" => &mut item.options,
        "head" => &mut item.head,
        "patch" => &mut item.patch,
        "trace" => &mut item.trace,
        _ => return None,
    })
}

/// The first path item that does not deserialise: its location
/// (`paths./x.get.parameters`) and the error.
fn locate_in_paths(value: &serde_json::Value) -> Option<(String, String)> {
    let paths = value.get("paths")?.as_object()?;
    paths.iter().find_map(|(path, item)| {
        let operations = item.as_object().into_iter().flatten();
        let mut operations = operations.filter(|(method, _)| METHODS.contains(&method.as_str()));
        let operation = operations.find_map(|(method, op)| {
            let e = serde_path_to_error::deserialize::<_, openapiv3::Operation>(op).err()?;
            let at = format!("paths.{path}.{method}.{}", e.path());
            Some((at, e.inner().to_string()))
        });
        operation.or_else(|| {
            serde_path_to_error::deserialize::<_, ReferenceOr<openapiv3::PathItem>>(item)
                .err()
                .map(|e| (format!("paths.{path}"), e.inner().to_string()))
        })
    })
}

/// Rewrites each operationId the generators would split otherwise than
/// [`crate::names::operation_words`] does; the spec's ids, by new id.
fn normalise_operation_ids(value: &mut serde_json::Value) -> BTreeMap<String, String> {
    let renames: Vec<(String, String, String)> = crate::operations::operations(value)
        .values()
        .filter_map(|operation| {
            let id = operation.operation_id()?;
            let generated = crate::names::generated_operation_id(id);
            (generated != id).then(|| {
                let pointer = format!("{}/operationId", operation.loc.ptr);
                (pointer, generated.into_owned(), id.to_string())
            })
        })
        .collect();
    let mut renamed = BTreeMap::new();
    for (pointer, generated, id) in renames {
        if let Some(slot) = value.pointer_mut(&pointer) {
            *slot = generated.clone().into();
            renamed.insert(generated, id);
        }
    }
    renamed
}

/// String formats generated as plain `String`.
const STRING_FORMATS_AS_TEXT: &[&str] = &["uuid", "date", "date-time"];

fn normalise_formats(value: &mut serde_json::Value) {
    // An explicit stack: a deeply nested document cannot overflow it.
    let mut stack = vec![value];
    while let Some(node) = stack.pop() {
        match node {
            serde_json::Value::Object(map) => {
                let format = map.get("format").and_then(|f| f.as_str());
                let kind = map.get("type").and_then(|t| t.as_str());
                match (kind, format) {
                    (Some("string"), Some(f)) if STRING_FORMATS_AS_TEXT.contains(&f) => {
                        map.remove("format");
                    }
                    (Some("number"), Some("float")) => {
                        map.insert("format".into(), "double".into());
                    }
                    _ => {}
                }
                stack.extend(map.values_mut());
            }
            serde_json::Value::Array(items) => stack.extend(items.iter_mut()),
            _ => {}
        }
    }
}

/// Every string `pattern` left after [`crate::tolerance`] (those of request
/// data) becomes a regular expression the generated code compiles on first
/// use; one it cannot compile would panic there, so it fails the build here.
fn check_patterns(value: &serde_json::Value) -> Result<(), SpecError> {
    // An explicit stack: a deeply nested document cannot overflow it.
    let mut stack = vec![(String::new(), value)];
    while let Some((pointer, node)) = stack.pop() {
        match node {
            serde_json::Value::Object(map) => {
                if map.get("type").and_then(|t| t.as_str()) == Some("string")
                    && let Some(pattern) = map.get("pattern").and_then(|p| p.as_str())
                    && let Err(e) = regress::Regex::new(pattern)
                {
                    return Err(SpecError::new(format!(
                        "the pattern `{pattern}` is not a regular expression the generated code \
                         can check ({e}); fix it or remove it"
                    ))
                    .at(format!("{pointer}/pattern")));
                }
                for (key, child) in map {
                    let key = crate::pointer::escape_segment(key);
                    stack.push((format!("{pointer}/{key}"), child));
                }
            }
            serde_json::Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    stack.push((format!("{pointer}/{index}"), child));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// No `$ref` path items, an operationId on each operation (unique: see
/// [`crate::checks`]) and supported request bodies.
fn check_operations(openapi: &mut OpenAPI) -> Result<(), SpecError> {
    for (path, item) in openapi.paths.paths.iter_mut() {
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { reference } => {
                return Err(SpecError::new(format!(
                    "the path item is a $ref ({reference}); inline it, the generator does not follow path references"
                ))
                .at(path.clone()));
            }
        };
        for method in METHODS {
            let Some(op) = operation_slot(item, method).and_then(Option::as_mut) else {
                continue;
            };
            let here = format!("{} {path}", method.to_uppercase());
            if op
                .operation_id
                .as_deref()
                .is_none_or(|id| id.trim().is_empty())
            {
                return Err(SpecError::new(
                    "the operation has no operationId; add one, it becomes the method name",
                )
                .at(here));
            }
            if let Some(ReferenceOr::Item(body)) = &mut op.request_body {
                check_body_media_types(&mut body.content).map_err(|e| e.at(here))?;
            }
        }
    }
    Ok(())
}

fn check_body_media_types(content: &mut openapiv3::Content) -> Result<(), SpecError> {
    if content.len() > 1 && content.contains_key("application/json") {
        content.retain(|k, _| k == "application/json");
    }
    if content.len() > 1 {
        let types: Vec<&str> = content.keys().map(String::as_str).collect();
        return Err(SpecError::new(format!(
            "the request body offers several media types ({}); the generator takes one per operation",
            types.join(", ")
        )));
    }
    for media_type in content.keys() {
        let essence = media_type.split(';').next().unwrap_or("").trim();
        if !SUPPORTED_BODY_MEDIA_TYPES.contains(&essence) {
            return Err(SpecError::new(format!(
                "request body media type `{media_type}` is not supported; supported: {}",
                SUPPORTED_BODY_MEDIA_TYPES.join(", ")
            )));
        }
    }
    Ok(())
}
