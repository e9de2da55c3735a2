//! One reported change, and the whole result of a diff.

use serde_json::Value;
use upstash_api_codegen::NodePath;

use super::rules::{Rule, Severity};

/// An operation's identity as shown to people: `POST /db/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Endpoint {
    /// Upper-case HTTP method.
    pub method: String,
    /// The path template as written in the newer document that has it.
    pub path: String,
}

impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

/// Where a change is in one side's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file as given (the path of a `REV:PATH`).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// One difference between the two documents.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// What kind of change this is.
    pub rule: Rule,
    /// How bad it is: the rule's severity, possibly raised to
    /// [`Severity::SdkBreaking`] by the generated-code analysis.
    pub severity: Severity,
    /// The operation the change belongs to; `None` for document-wide changes
    /// (servers, security schemes, `info`).
    pub endpoint: Option<Endpoint>,
    /// The node the change is at in the old document, when the old side
    /// has it.
    pub old_node: Option<NodePath>,
    /// The node in the new document, when the new side has it.
    pub new_node: Option<NodePath>,
    /// One line for people.
    pub message: String,
    /// The old value, when there is one worth showing.
    pub old: Option<Value>,
    /// The new value, when there is one worth showing.
    pub new: Option<Value>,
    /// The generated Rust items this change breaks, from the SDK analysis.
    pub rust_api: Vec<String>,
    /// Whether the SDK analysis found generated Rust items this change adds
    /// (or relaxes) without breaking any: it demands a minor release.
    pub adds_to_rust_api: bool,
    /// For a change inside a shared component schema: how many operations
    /// use that schema (the change is listed once, under the first).
    pub affects: Option<usize>,
    /// Where the change is in the old text: at its old node or, for an
    /// addition, at the nearest node enclosing where it would be.
    pub old_location: Option<Location>,
    /// The same in the new text.
    pub new_location: Option<Location>,
}

impl Change {
    /// A change with the rule's own severity and no values.
    pub fn new(rule: Rule, endpoint: Option<Endpoint>, message: impl Into<String>) -> Change {
        Change {
            rule,
            severity: rule.severity(),
            endpoint,
            old_node: None,
            new_node: None,
            message: message.into(),
            old: None,
            new: None,
            rust_api: Vec::new(),
            adds_to_rust_api: false,
            affects: None,
            old_location: None,
            new_location: None,
        }
    }

    /// Sets the nodes the change is at, by their JSON pointers into each
    /// document.
    pub fn at(&mut self, old: Option<&str>, new: Option<&str>) -> &mut Change {
        self.old_node = old.map(NodePath::from_pointer);
        self.new_node = new.map(NodePath::from_pointer);
        self
    }

    /// The node on the new side, else the old side's.
    pub fn node(&self) -> Option<&NodePath> {
        self.new_node.as_ref().or(self.old_node.as_ref())
    }

    /// Sets the old and new values.
    pub fn values(&mut self, old: Option<Value>, new: Option<Value>) -> &mut Change {
        self.old = old;
        self.new = new;
        self
    }
}

/// Whether the SDK (generated Rust API) analysis could run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SdkAnalysis {
    /// Both documents were generated and compared; the number of Rust API
    /// differences found.
    Done(usize),
    /// Not run because the wire diff found nothing it could affect.
    Skipped(String),
    /// Not run (turned off) or impossible (a side the generator rejects): why.
    Unavailable(String),
}

/// What one side of the comparison was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SideInfo {
    /// Where the document came from: a path or `REV:PATH`.
    pub source: String,
    /// Its `info.version`, if any.
    pub info_version: Option<String>,
}

/// The result of comparing two documents.
#[derive(Debug, Clone, PartialEq)]
pub struct DiffReport {
    /// The old side.
    pub old: SideInfo,
    /// The new side.
    pub new: SideInfo,
    /// Every change, document-wide ones first, then by endpoint.
    pub changes: Vec<Change>,
    /// Whether the generated-code analysis ran.
    pub sdk: SdkAnalysis,
    /// The build's own error for each side it would refuse to generate the
    /// SDK from (`new.yml:1:1: /openapi: ...`). Not empty: `spec-diff` exits 2
    /// and the gate refuses, whatever the changes.
    pub build_refuses: Vec<String>,
}

impl DiffReport {
    /// How many changes have `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.changes
            .iter()
            .filter(|c| c.severity == severity)
            .count()
    }

    /// The most severe change, if any.
    pub fn worst(&self) -> Option<Severity> {
        self.changes.iter().map(|c| c.severity).min()
    }

    /// `12 changes: 3 breaking, 2 sdk-breaking, 6 non-breaking, 1 docs`.
    pub fn summary_line(&self) -> String {
        let n = self.changes.len();
        let parts: Vec<String> = Severity::ALL
            .iter()
            .map(|s| format!("{} {}", self.count(*s), s))
            .collect();
        format!(
            "{n} change{}: {}",
            if n == 1 { "" } else { "s" },
            parts.join(", ")
        )
    }
}
