//! Loading one side of the comparison: read, parse, check.
//!
//! A document is accepted when it parses as YAML 1.2 or JSON, is an OpenAPI
//! 3.0.x document with a `paths` mapping, has unique operationIds, and every
//! `$ref` in it is local, points at something, and is not part of a cycle of
//! references. Every walk over the document uses an explicit stack, so deep
//! input cannot overflow the thread's stack.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::git;

/// Where a document comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file on disk.
    File(PathBuf),
    /// A file at a git revision: `REV:PATH`.
    Git {
        /// The revision (`HEAD~1`, `main`, a hash).
        rev: String,
        /// The path inside the repository.
        path: String,
    },
}

impl Source {
    /// Reads a command-line argument: an existing file wins, otherwise
    /// `REV:PATH` is a git revision and a path, otherwise a file path.
    pub fn parse(arg: &str) -> Source {
        if !Path::new(arg).exists()
            && let Some((rev, path)) = arg.split_once(':')
            && !rev.is_empty()
            && !path.is_empty()
        {
            return Source::Git {
                rev: rev.to_string(),
                path: path.to_string(),
            };
        }
        Source::File(PathBuf::from(arg))
    }

    /// Reads the text, from the file or through `git show` run in `dir`.
    pub fn read(&self, dir: &Path) -> Result<String, LoadError> {
        match self {
            Source::File(path) => std::fs::read_to_string(path)
                .map_err(|e| LoadError::new(self, format!("cannot read the file: {e}"))),
            Source::Git { rev, path } => {
                git::show(dir, rev, path).map_err(|e| LoadError::new(self, e))
            }
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::File(p) => write!(f, "{}", p.display()),
            Source::Git { rev, path } => write!(f, "{rev}:{path}"),
        }
    }
}

/// Why a document could not be loaded. Exit code 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// The source, as given on the command line.
    pub source: String,
    /// Where in it: `line 3, column 7`, or a JSON pointer.
    pub location: Option<String>,
    /// What is wrong, in one sentence.
    pub problem: String,
}

impl LoadError {
    fn new(source: &impl fmt::Display, problem: impl Into<String>) -> LoadError {
        LoadError {
            source: source.to_string(),
            location: None,
            problem: problem.into(),
        }
    }

    fn at(mut self, location: impl Into<String>) -> LoadError {
        self.location = Some(location.into());
        self
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Some(loc) => write!(f, "{}: {loc}: {}", self.source, self.problem),
            None => write!(f, "{}: {}", self.source, self.problem),
        }
    }
}

impl std::error::Error for LoadError {}

/// A loaded, checked document.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Where it came from, for messages.
    pub source: String,
    /// The whole document as JSON.
    pub root: Value,
    /// The size of the text it was read from, in bytes.
    pub bytes: usize,
}

/// Reads, parses and checks `source` (git revisions are read in `dir`).
pub fn load(source: &Source, dir: &Path) -> Result<Document, LoadError> {
    let text = source.read(dir)?;
    load_text(&source.to_string(), &text)
}

/// Parses and checks `text`; `name` is used in messages.
pub fn load_text(name: &str, text: &str) -> Result<Document, LoadError> {
    let root = parse(text).map_err(|(problem, loc)| {
        let e = LoadError::new(&name, problem);
        match loc {
            Some(l) => e.at(l),
            None => e,
        }
    })?;
    check(&root).map_err(|(problem, loc)| {
        let e = LoadError::new(&name, problem);
        match loc {
            Some(l) => e.at(l),
            None => e,
        }
    })?;
    Ok(Document {
        source: name.to_string(),
        root,
        bytes: text.len(),
    })
}

type Problem = (String, Option<String>);

/// Parses YAML 1.2 or JSON text.
///
/// JSON (the first non-blank character is `{`) goes through `serde_json`
/// (via the codegen crate's parser); YAML through [`upstash_api_codegen::yaml`], a YAML
/// 1.2 reader (see there for why not libyaml).
pub fn parse(text: &str) -> Result<Value, Problem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(("the document is empty".into(), None));
    }
    check_flow_depth(text)?;
    if text.trim_start().starts_with('{') {
        return upstash_api_codegen::document::parse(text).map_err(|e| (e.problem, e.location));
    }
    upstash_api_codegen::yaml::parse(text).map_err(|e| {
        (
            format!("invalid YAML: {}", e.message),
            Some(format!("line {}, column {}", e.line, e.column)),
        )
    })
}

/// Deepest `[`/`{` nesting accepted. libyaml's scanner takes time
/// quadratic in the flow nesting depth before its own limit (128) trips, so
/// absurd nesting is refused up front, in one linear pass.
pub const MAX_FLOW_DEPTH: usize = 1000;

fn check_flow_depth(text: &str) -> Result<(), Problem> {
    let bytes = text.as_bytes();
    if bytes.iter().filter(|b| matches!(b, b'[' | b'{')).count() <= MAX_FLOW_DEPTH {
        return Ok(());
    }
    // Bytes, not chars: every byte that matters is ASCII, and UTF-8
    // continuation bytes never look like one. Columns count bytes.
    let (mut depth, mut line, mut col) = (0usize, 1usize, 0usize);
    let mut quote: Option<u8> = None;
    let mut escaped = false;
    let mut comment = false;
    let mut prev = b'\n';
    let word = |b: u8| b.is_ascii_alphanumeric() || b >= 0x80;
    for &b in bytes {
        col += 1;
        if b == b'\n' {
            line += 1;
            col = 0;
            comment = false;
            prev = b;
            continue;
        }
        if comment {
            continue;
        }
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if b == b'\\' && q == b'"' {
                    escaped = true;
                } else if b == q {
                    quote = None;
                }
            }
            None => match b {
                b'"' | b'\'' if !word(prev) => quote = Some(b),
                b'#' if prev.is_ascii_whitespace() => comment = true,
                b'[' | b'{' => {
                    depth += 1;
                    if depth > MAX_FLOW_DEPTH {
                        return Err((
                            format!(
                                "invalid YAML: nesting deeper than {MAX_FLOW_DEPTH} levels (recursion limit)"
                            ),
                            Some(format!("line {line}, column {col}")),
                        ));
                    }
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
        prev = b;
    }
    Ok(())
}

/// The checks every document must pass before it is compared.
fn check(root: &Value) -> Result<(), Problem> {
    let Some(map) = root.as_object() else {
        return Err((
            "the document is not a mapping, so it is not an OpenAPI document".into(),
            None,
        ));
    };
    if let Some(swagger) = map.get("swagger") {
        let v = swagger
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| swagger.to_string());
        return Err((
            format!(
                "this is a Swagger {v} document; only OpenAPI 3.0.x is supported (convert it first)"
            ),
            Some("/swagger".into()),
        ));
    }
    match map.get("openapi") {
        None => {
            return Err((
                "the document has no `openapi` field, so it is not an OpenAPI document; OpenAPI 3.0.x is supported".into(),
                None,
            ));
        }
        Some(Value::String(v)) if v.trim().starts_with("3.0.") || v.trim() == "3.0" => {}
        Some(v) => {
            let v = v
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| v.to_string());
            return Err((
                format!("OpenAPI {v} is not supported; only OpenAPI 3.0.x is"),
                Some("/openapi".into()),
            ));
        }
    }
    match map.get("paths") {
        Some(Value::Object(_)) => {}
        Some(_) => return Err(("`paths` is not a mapping".into(), Some("/paths".into()))),
        None => return Err(("the document has no `paths`".into(), None)),
    }
    check_refs(root)?;
    check_operation_ids(root)?;
    Ok(())
}

/// The HTTP methods an OpenAPI 3.0 path item can hold, lower case.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn check_operation_ids(root: &Value) -> Result<(), Problem> {
    let Some(paths) = root.get("paths").and_then(Value::as_object) else {
        return Ok(());
    };
    let mut seen: HashMap<&str, String> = HashMap::new();
    let mut templates: HashMap<String, &str> = HashMap::new();
    for (path, item) in paths {
        let (normalised, _) = super::model::normalise_path(path);
        if let Some(first) = templates.insert(normalised, path) {
            return Err((
                format!(
                    "paths `{first}` and `{path}` differ only in parameter names; OpenAPI treats them as the same path"
                ),
                Some(pointer(&["paths", path])),
            ));
        }
        for method in METHODS {
            let Some(id) = item
                .get(method)
                .and_then(|op| op.get("operationId"))
                .and_then(Value::as_str)
            else {
                continue;
            };
            let here = format!("{} {path}", method.to_uppercase());
            if let Some(first) = seen.insert(id, here.clone()) {
                return Err((
                    format!(
                        "operationId `{id}` is used twice (by {first} and {here}); operationIds must be unique"
                    ),
                    Some(format!("{}/operationId", pointer(&["paths", path, method]))),
                ));
            }
        }
    }
    Ok(())
}

/// Escapes one JSON pointer segment.
pub fn escape(segment: &str) -> std::borrow::Cow<'_, str> {
    if segment.contains(['~', '/']) {
        segment.replace('~', "~0").replace('/', "~1").into()
    } else {
        segment.into()
    }
}

/// Builds a JSON pointer from segments.
pub fn pointer(segments: &[&str]) -> String {
    let mut out = String::new();
    for s in segments {
        out.push('/');
        out.push_str(&escape(s));
    }
    out
}

/// Turns a local `$ref` (`#/components/schemas/A`) into a JSON pointer
/// (`/components/schemas/A`), decoding `%XX` escapes. `None` when the
/// reference is not local.
pub fn ref_pointer(reference: &str) -> Option<String> {
    let fragment = reference.strip_prefix('#')?;
    if !fragment.contains('%') {
        return Some(fragment.to_string());
    }
    let bytes = fragment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(fragment.get(i + 1..i + 3).unwrap_or("zz"), 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    Some(String::from_utf8_lossy(&out).into_owned())
}

enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// Walks the whole document with an explicit stack and checks every `$ref`.
fn check_refs(root: &Value) -> Result<(), Problem> {
    // (value, depth, segment leading to it)
    let mut stack: Vec<(&Value, usize, Option<Seg<'_>>)> = vec![(root, 0, None)];
    let mut path: Vec<Seg<'_>> = Vec::new();
    let mut cycle_checked: HashSet<&str> = HashSet::new();
    while let Some((value, depth, seg)) = stack.pop() {
        path.truncate(depth.saturating_sub(1));
        if let Some(seg) = seg {
            path.push(seg);
        }
        match value {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    check_one_ref(root, reference, &path, &mut cycle_checked)?;
                }
                for (k, v) in map.iter().rev() {
                    // Example payloads and extensions are data, not
                    // references, even when they hold a `$ref` key.
                    let data = k == "example" || k.starts_with("x-");
                    if !data && matches!(v, Value::Object(_) | Value::Array(_)) {
                        stack.push((v, depth + 1, Some(Seg::Key(k))));
                    }
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate().rev() {
                    if matches!(v, Value::Object(_) | Value::Array(_)) {
                        stack.push((v, depth + 1, Some(Seg::Index(i))));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn path_string(path: &[Seg<'_>]) -> String {
    let mut out = String::new();
    for seg in path {
        out.push('/');
        match seg {
            Seg::Key(k) => out.push_str(&escape(k)),
            Seg::Index(i) => out.push_str(&i.to_string()),
        }
    }
    out
}

fn check_one_ref<'a>(
    root: &'a Value,
    reference: &'a str,
    path: &[Seg<'_>],
    cycle_checked: &mut HashSet<&'a str>,
) -> Result<(), Problem> {
    let here = || Some(format!("{}/$ref", path_string(path)));
    let Some(target_ptr) = ref_pointer(reference) else {
        return Err((
            format!(
                "`$ref: {reference}` is an external reference; only local references (`#/...`) are supported, bundle the document first"
            ),
            here(),
        ));
    };
    let Some(target) = root.pointer(&target_ptr) else {
        return Err((
            format!("`$ref: {reference}` points at nothing (dangling reference)"),
            here(),
        ));
    };
    // A cycle of references is a chain of objects that are nothing but
    // references (A -> B -> A); a schema that contains itself through a
    // property is fine and handled by the diff.
    // `cycle_checked` holds references whose chain is known to end: a walk
    // that reaches one stops there, so a long alias chain costs linear time.
    if target.get("$ref").is_some() && !cycle_checked.contains(reference) {
        let mut chain: Vec<&'a str> = vec![reference];
        let mut seen: HashSet<String> = HashSet::new();
        seen.insert(target_ptr.clone());
        let mut current = target;
        while let Some(Value::String(next)) = current.get("$ref") {
            if cycle_checked.contains(next.as_str()) {
                break;
            }
            chain.push(next.as_str());
            let Some(next_ptr) = ref_pointer(next) else {
                return Err((
                    format!(
                        "`$ref: {next}` is an external reference; only local references (`#/...`) are supported"
                    ),
                    here(),
                ));
            };
            if !seen.insert(next_ptr.clone()) {
                return Err((
                    format!(
                        "`$ref` cycle: {}",
                        upstash_api_codegen::references::cycle_text(&chain)
                    ),
                    here(),
                ));
            }
            match root.pointer(&next_ptr) {
                Some(t) => current = t,
                None => {
                    return Err((
                        format!("`$ref: {next}` points at nothing (dangling reference)"),
                        here(),
                    ));
                }
            }
        }
        cycle_checked.extend(chain);
    }
    Ok(())
}

/// Follows `$ref`s from `value` to the object they lead to.
///
/// Returns the final value and, when at least one reference was followed,
/// the pointer of the final value. References were checked at load time, so
/// a broken one here yields `None`; the walk is bounded.
pub fn resolve<'a>(root: &'a Value, value: &'a Value) -> Option<(&'a Value, Option<String>)> {
    let mut current = value;
    let mut current_ptr: Option<String> = None;
    for _ in 0..64 {
        match current.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let p = ref_pointer(r)?;
                current = root.pointer(&p)?;
                current_ptr = Some(p);
            }
            None => return Some((current, current_ptr)),
        }
    }
    None
}
