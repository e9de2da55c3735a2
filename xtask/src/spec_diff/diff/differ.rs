//! The state of the wire diff's walk, and the one way a change is recorded.

use std::collections::{BTreeSet, HashSet};

use serde_json::{Value, json};

use super::super::change::{Change, Endpoint};
use super::super::rules::{Direction, Rule};
use upstash_api_codegen::{Loc, escape_segment as escape};

/// Walks two documents side by side and collects their changes. The rule
/// families add their methods to it, one module each.
pub struct Differ<'a> {
    /// The old document.
    pub old_root: &'a Value,
    /// The new document.
    pub new_root: &'a Value,
    changes: Vec<Change>,
    docs: DocsEdits,
    /// Schema pairs already compared, by the addresses of the two
    /// (resolved) schema values: cheaper than their pointers.
    seen: HashSet<(usize, usize, Direction)>,
    endpoint: Option<Endpoint>,
    /// Whether the schemas compared now are a parameter's: text on the
    /// wire, so any scalar widens to a string.
    pub(super) parameter_schema: bool,
}

/// Documentation edits collected until they are recorded as one change.
#[derive(Default)]
struct DocsEdits {
    fields: BTreeSet<String>,
    pointers: Vec<Value>,
    /// The old and new pointers of the first edit.
    first: Option<(Option<String>, Option<String>)>,
}

impl<'a> Differ<'a> {
    /// A walk over `old_root` and `new_root`.
    pub fn new(old_root: &'a Value, new_root: &'a Value) -> Differ<'a> {
        Differ {
            old_root,
            new_root,
            changes: Vec::new(),
            docs: DocsEdits::default(),
            seen: HashSet::new(),
            endpoint: None,
            parameter_schema: false,
        }
    }

    /// Compares the whole documents: document-wide changes, then operation
    /// by operation.
    pub fn run(mut self) -> Vec<Change> {
        self.document();
        self.operations();
        self.changes
    }

    /// Records a change of `rule` under the current endpoint; its pointers
    /// and values are set on what this returns.
    pub fn record(&mut self, rule: Rule, message: impl Into<String>) -> &mut Change {
        self.changes
            .push(Change::new(rule, self.endpoint.clone(), message));
        let last = self.changes.len() - 1;
        &mut self.changes[last]
    }

    /// Records a change of `rule` about what one side has only: at `ptr`
    /// with `value` on the new side when `added`, else on the old side.
    pub fn record_one(
        &mut self,
        rule: Rule,
        message: impl Into<String>,
        added: bool,
        ptr: &str,
        value: impl Into<Option<Value>>,
    ) -> &mut Change {
        let (ptr, value) = (Some(ptr), value.into());
        let change = self.record(rule, message);
        if added {
            change.at(None, ptr).values(None, value)
        } else {
            change.at(ptr, None).values(value, None)
        }
    }

    /// Makes `endpoint` the one of the changes recorded from now on
    /// (`None`: document-wide).
    pub fn enter(&mut self, endpoint: Option<Endpoint>) {
        self.endpoint = endpoint;
    }

    /// Whether the pair of (resolved) schemas is compared for the first
    /// time in `dir`.
    pub fn first_visit(&mut self, old: &Value, new: &Value, dir: Direction) -> bool {
        let key = (
            std::ptr::from_ref(old) as usize,
            std::ptr::from_ref(new) as usize,
            dir,
        );
        self.seen.insert(key)
    }

    /// Notes the documentation `keys` that differ between `old` and `new`.
    pub fn docs_keys(&mut self, old: &Loc<'a>, new: &Loc<'a>, keys: &[&str]) {
        for key in keys {
            let (o, n) = (old.value.get(*key), new.value.get(*key));
            if o != n {
                let op = o.map(|_| format!("{}/{}", old.ptr, escape(key)));
                let np = n.map(|_| format!("{}/{}", new.ptr, escape(key)));
                self.docs.fields.insert((*key).to_string());
                let pointer = np.as_ref().or(op.as_ref());
                self.docs.pointers.push(json!(pointer));
                self.docs.first.get_or_insert((op, np));
            }
        }
    }

    /// Records the documentation edits noted since the last flush as one
    /// change.
    pub fn flush_docs(&mut self) {
        let edits = std::mem::take(&mut self.docs);
        if edits.pointers.is_empty() {
            return;
        }
        let n = edits.pointers.len();
        let fields: Vec<&str> = edits.fields.iter().map(String::as_str).collect();
        let (first_old, first_new) = edits.first.unwrap_or_default();
        let message = format!(
            "{n} documentation edit{} ({})",
            if n == 1 { "" } else { "s" },
            fields.join(", ")
        );
        self.record(Rule::DocumentationChanged, message)
            .at(first_old.as_deref(), first_new.as_deref())
            .values(None, Some(Value::Array(edits.pointers)));
    }
}

/// Whether `v` has `key: true`.
pub fn is_true(v: &Value, key: &str) -> bool {
    v.get(key).and_then(Value::as_bool) == Some(true)
}

/// The members of an object node, each with its name.
pub fn entries<'a>(object: &Loc<'a>) -> Vec<(&'a str, Loc<'a>)> {
    let names = object.value.as_object().into_iter().flat_map(|m| m.keys());
    names
        .filter_map(|name| Some((name.as_str(), object.child(name)?)))
        .collect()
}

/// The rule of a request/response pair for `dir`.
pub fn dir_rule(dir: Direction, request: Rule, response: Rule) -> Rule {
    match dir {
        Direction::Request => request,
        Direction::Response => response,
    }
}
