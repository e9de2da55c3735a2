//! The semantic diff: walks both models side by side and records changes.
//!
//! Schemas are compared pairwise (old schema, new schema, direction). Each
//! pair is compared once: a shared component reached from many operations is
//! reported once (under the first operation that reaches it), recursive
//! schemas terminate, and the work stays linear in the size of the documents.
//! Recursion depth is bounded by [`MAX_DEPTH`]; [`diff`] runs on a thread
//! with a stack large enough for it.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde_json::{Value, json};

use super::change::{Change, Endpoint};
use super::load::operations::{self as model, Operation, Param};
use super::load::pointer::{Loc, escape};
use super::rules::{Direction, Rule};

/// How deep schema comparison goes before it stops descending.
pub const MAX_DEPTH: usize = 200;

/// Compares two loaded documents and lists every change, document-wide
/// changes first, then operation by operation.
pub fn diff(old: &Value, new: &Value) -> Vec<Change> {
    diff_beside(old, new, || ()).0
}

/// [`diff`], with `beside` run on the calling thread meanwhile (the diff
/// runs on a thread of its own).
pub fn diff_beside<T>(old: &Value, new: &Value, beside: impl FnOnce() -> T) -> (Vec<Change>, T) {
    let run = || {
        let mut d = Differ::new(old, new);
        d.document();
        d.operations();
        d.changes
    };
    // Schema comparison recurses (bounded by MAX_DEPTH); give it room.
    let (changes, beside) = std::thread::scope(|s| {
        let handle = std::thread::Builder::new()
            .stack_size(256 << 20)
            .spawn_scoped(s, run)
            .ok();
        let beside = beside();
        let changes = handle.and_then(|h| h.join().ok());
        (changes, beside)
    });
    (changes.unwrap_or_else(run), beside)
}

#[derive(Default)]
struct DocsEdits {
    fields: BTreeSet<String>,
    pointers: Vec<Value>,
    first_old: Option<String>,
    first_new: Option<String>,
}

struct Differ<'a> {
    old_root: &'a Value,
    new_root: &'a Value,
    changes: Vec<Change>,
    docs: DocsEdits,
    /// Schema pairs already compared, by the addresses of the two
    /// (resolved) schema values: cheaper than their pointers.
    seen: HashSet<(usize, usize, Direction)>,
    endpoint: Option<Endpoint>,
}

fn root_loc(value: &Value) -> Loc<'_> {
    Loc {
        value,
        ptr: String::new(),
    }
}

fn as_str(v: Option<&Value>) -> Option<&str> {
    v.and_then(Value::as_str)
}

fn is_true(v: &Value, key: &str) -> bool {
    v.get(key).and_then(Value::as_bool) == Some(true)
}

fn dir_rule(dir: Direction, request: Rule, response: Rule) -> Rule {
    match dir {
        Direction::Request => request,
        Direction::Response => response,
    }
}

impl<'a> Differ<'a> {
    fn new(old_root: &'a Value, new_root: &'a Value) -> Differ<'a> {
        Differ {
            old_root,
            new_root,
            changes: Vec::new(),
            docs: DocsEdits::default(),
            seen: HashSet::new(),
            endpoint: None,
        }
    }

    fn push(
        &mut self,
        rule: Rule,
        message: String,
        old: Option<&str>,
        new: Option<&str>,
    ) -> &mut Change {
        let mut change = Change::new(rule, self.endpoint.clone(), message);
        change.at(old, new);
        self.changes.push(change);
        let last = self.changes.len() - 1;
        &mut self.changes[last]
    }

    fn push_values(
        &mut self,
        rule: Rule,
        message: String,
        old: Option<&str>,
        new: Option<&str>,
        old_value: Option<Value>,
        new_value: Option<Value>,
    ) {
        let c = self.push(rule, message, old, new);
        c.old = old_value;
        c.new = new_value;
    }

    // ---- documentation -------------------------------------------------

    fn docs_keys(&mut self, old: &Loc<'a>, new: &Loc<'a>, keys: &[&str]) {
        for key in keys {
            let (o, n) = (old.value.get(*key), new.value.get(*key));
            if o != n {
                let op = o.map(|_| format!("{}/{}", old.ptr, escape(key)));
                let np = n.map(|_| format!("{}/{}", new.ptr, escape(key)));
                self.docs.fields.insert((*key).to_string());
                self.docs
                    .pointers
                    .push(json!(np.clone().or_else(|| op.clone())));
                if self.docs.first_old.is_none() && self.docs.first_new.is_none() {
                    self.docs.first_old = op;
                    self.docs.first_new = np;
                }
            }
        }
    }

    fn flush_docs(&mut self) {
        let edits = std::mem::take(&mut self.docs);
        if edits.pointers.is_empty() {
            return;
        }
        let n = edits.pointers.len();
        let fields: Vec<&str> = edits.fields.iter().map(String::as_str).collect();
        let message = format!(
            "{n} documentation edit{} ({})",
            if n == 1 { "" } else { "s" },
            fields.join(", ")
        );
        let c = self.push(
            Rule::DocumentationChanged,
            message,
            edits.first_old.as_deref(),
            edits.first_new.as_deref(),
        );
        c.new = Some(Value::Array(edits.pointers));
    }

    // ---- document-wide ---------------------------------------------------

    fn document(&mut self) {
        self.endpoint = None;
        let (old, new) = (root_loc(self.old_root), root_loc(self.new_root));
        // info
        static NULL: Value = Value::Null;
        let oi = old.child("info").unwrap_or(Loc {
            value: &NULL,
            ptr: "/info".into(),
        });
        let ni = new.child("info").unwrap_or(Loc {
            value: &NULL,
            ptr: "/info".into(),
        });
        let (ov, nv) = (oi.value.get("version"), ni.value.get("version"));
        if ov != nv {
            let show = |v: Option<&Value>| {
                v.map(|v| {
                    v.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| v.to_string())
                })
                .unwrap_or_else(|| "none".into())
            };
            self.push_values(
                Rule::InfoVersionChanged,
                format!("info.version changed from {} to {}", show(ov), show(nv)),
                Some("/info/version"),
                Some("/info/version"),
                ov.cloned(),
                nv.cloned(),
            );
        }
        self.docs_keys(
            &oi,
            &ni,
            &[
                "title",
                "description",
                "termsOfService",
                "contact",
                "license",
            ],
        );
        self.docs_keys(&old, &new, &["tags", "externalDocs"]);
        self.servers(&old, &new);
        self.security_schemes();
        self.flush_docs();
    }

    fn servers(&mut self, old: &Loc<'a>, new: &Loc<'a>) {
        let urls = |loc: &Loc<'a>| -> Vec<(String, String)> {
            loc.value
                .get("servers")
                .and_then(Value::as_array)
                .map(|list| {
                    list.iter()
                        .enumerate()
                        .filter_map(|(i, s)| {
                            as_str(s.get("url")).map(|u| (u.to_string(), format!("/servers/{i}")))
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let (o, n) = (urls(old), urls(new));
        let nset: HashSet<&str> = n.iter().map(|(u, _)| u.as_str()).collect();
        let oset: HashSet<&str> = o.iter().map(|(u, _)| u.as_str()).collect();
        for (url, ptr) in &o {
            if !nset.contains(url.as_str()) {
                self.push_values(
                    Rule::ServerRemoved,
                    format!("server `{url}` removed"),
                    Some(ptr),
                    None,
                    Some(json!(url)),
                    None,
                );
            }
        }
        for (url, ptr) in &n {
            if !oset.contains(url.as_str()) {
                self.push_values(
                    Rule::ServerAdded,
                    format!("server `{url}` added"),
                    None,
                    Some(ptr),
                    None,
                    Some(json!(url)),
                );
            }
        }
    }

    fn security_schemes(&mut self) {
        let schemes = |root: &'a Value| {
            root.pointer("/components/securitySchemes")
                .and_then(Value::as_object)
        };
        let (o, n) = (schemes(self.old_root), schemes(self.new_root));
        for (name, ov) in o.iter().flat_map(|m| m.iter()) {
            let ptr = format!("/components/securitySchemes/{}", escape(name));
            match n.and_then(|m| m.get(name)) {
                None => self.push_values(
                    Rule::SecuritySchemeRemoved,
                    format!("security scheme `{name}` removed"),
                    Some(&ptr),
                    None,
                    Some(ov.clone()),
                    None,
                ),
                Some(nv) => {
                    let ol = Loc {
                        value: ov,
                        ptr: ptr.clone(),
                    }
                    .resolve(self.old_root);
                    let nl = Loc {
                        value: nv,
                        ptr: ptr.clone(),
                    }
                    .resolve(self.new_root);
                    let strip = |v: &Value| -> Value {
                        match v {
                            Value::Object(m) => Value::Object(
                                m.iter()
                                    .filter(|(k, _)| {
                                        k.as_str() != "description" && !k.starts_with("x-")
                                    })
                                    .map(|(k, v)| (k.clone(), v.clone()))
                                    .collect(),
                            ),
                            other => other.clone(),
                        }
                    };
                    let (os, ns) = (strip(ol.value), strip(nl.value));
                    if os != ns {
                        self.push_values(
                            Rule::SecuritySchemeChanged,
                            format!("security scheme `{name}` changed"),
                            Some(&ol.ptr),
                            Some(&nl.ptr),
                            Some(os),
                            Some(ns),
                        );
                    }
                    self.docs_keys(&ol, &nl, &["description"]);
                }
            }
        }
        for (name, nv) in n.iter().flat_map(|m| m.iter()) {
            if !o.is_some_and(|m| m.contains_key(name)) {
                let ptr = format!("/components/securitySchemes/{}", escape(name));
                self.push_values(
                    Rule::SecuritySchemeAdded,
                    format!("security scheme `{name}` added"),
                    None,
                    Some(&ptr),
                    None,
                    Some(nv.clone()),
                );
            }
        }
    }

    // ---- operations ------------------------------------------------------

    fn operations(&mut self) {
        let old_ops = model::operations(self.old_root);
        let new_ops = model::operations(self.new_root);
        let mut keys: BTreeSet<&model::OpKey> = old_ops.keys().collect();
        keys.extend(new_ops.keys());
        for key in keys {
            match (old_ops.get(key), new_ops.get(key)) {
                (Some(o), Some(n)) => {
                    self.enter_endpoint(n);
                    self.operation(o, n);
                }
                (Some(o), None) => {
                    self.enter_endpoint(o);
                    let (id, id_value) = operation_id_parts(o);
                    self.push_values(
                        Rule::OperationRemoved,
                        format!("operation removed{id}"),
                        Some(&o.loc.ptr),
                        None,
                        id_value,
                        None,
                    );
                }
                (None, Some(n)) => {
                    self.enter_endpoint(n);
                    let (id, id_value) = operation_id_parts(n);
                    self.push_values(
                        Rule::OperationAdded,
                        format!("operation added{id}"),
                        None,
                        Some(&n.loc.ptr),
                        None,
                        id_value,
                    );
                }
                (None, None) => {}
            }
            self.flush_docs();
        }
        self.endpoint = None;
    }

    /// Makes `op`'s method and path the endpoint of the changes that follow.
    fn enter_endpoint(&mut self, op: &Operation<'a>) {
        self.endpoint = Some(Endpoint {
            method: op.method.clone(),
            path: op.path.to_string(),
        });
    }

    fn operation(&mut self, o: &Operation<'a>, n: &Operation<'a>) {
        for (i, (on, nn)) in o.path_params.iter().zip(&n.path_params).enumerate() {
            if on != nn {
                let _ = i;
                self.push_values(
                    Rule::PathParameterRenamed,
                    format!("path parameter `{on}` renamed to `{nn}`"),
                    Some(&o.item.ptr),
                    Some(&n.item.ptr),
                    Some(json!(on)),
                    Some(json!(nn)),
                );
            }
        }
        let (oid, nid) = (o.operation_id(), n.operation_id());
        if oid != nid {
            self.push_values(
                Rule::OperationIdChanged,
                format!(
                    "operationId changed from `{}` to `{}`",
                    oid.unwrap_or("none"),
                    nid.unwrap_or("none")
                ),
                Some(&format!("{}/operationId", o.loc.ptr)),
                Some(&format!("{}/operationId", n.loc.ptr)),
                oid.map(|v| json!(v)),
                nid.map(|v| json!(v)),
            );
        }
        match (o.deprecated(), n.deprecated()) {
            (false, true) => {
                self.push(
                    Rule::OperationDeprecated,
                    "operation deprecated".into(),
                    Some(&o.loc.ptr),
                    Some(&n.loc.ptr),
                );
            }
            (true, false) => {
                self.push(
                    Rule::OperationUndeprecated,
                    "operation no longer deprecated".into(),
                    Some(&o.loc.ptr),
                    Some(&n.loc.ptr),
                );
            }
            _ => {}
        }
        self.docs_keys(
            &o.loc,
            &n.loc,
            &["summary", "description", "externalDocs", "tags"],
        );
        self.parameters(o, n);
        self.request_body(o, n);
        self.responses(o, n);
        self.security(o, n);
    }

    fn parameters(&mut self, o: &Operation<'a>, n: &Operation<'a>) {
        let ops = o.parameters(self.old_root);
        let nps = n.parameters(self.new_root);
        // Path parameters match by their position in the template, others by
        // location and name.
        let key = |op: &Operation<'a>, p: &Param<'a>| -> (String, String) {
            if p.location == "path"
                && let Some(i) = op.path_params.iter().position(|n| *n == p.name)
            {
                return ("path".into(), format!("#{i}"));
            }
            (p.location.to_string(), p.name.to_string())
        };
        let new_index: HashMap<(String, String), usize> = nps
            .iter()
            .enumerate()
            .map(|(i, p)| (key(n, p), i))
            .collect();
        let mut matched_new = vec![false; nps.len()];
        let mut unmatched_old = Vec::new();
        for p in &ops {
            match new_index.get(&key(o, p)) {
                Some(&i) => {
                    matched_new[i] = true;
                    self.parameter(p, &nps[i]);
                }
                None => unmatched_old.push(p),
            }
        }
        let mut unmatched_new: Vec<&Param<'a>> = nps
            .iter()
            .zip(&matched_new)
            .filter(|(_, m)| !**m)
            .map(|(p, _)| p)
            .collect();
        // Moved first (same name, another location), for every parameter,
        // so that the outcome does not depend on the order of the list.
        let mut still_old = Vec::new();
        for p in unmatched_old {
            if let Some(pos) = unmatched_new.iter().position(|q| q.name == p.name) {
                let q = unmatched_new.remove(pos);
                self.push_values(
                    Rule::RequestParameterMoved,
                    format!(
                        "parameter `{}` moved from {} to {}",
                        p.name, p.location, q.location
                    ),
                    Some(&p.loc.ptr),
                    Some(&q.loc.ptr),
                    Some(json!(p.location)),
                    Some(json!(q.location)),
                );
                self.parameter(p, q);
            } else {
                still_old.push(p);
            }
        }
        // Renamed: the only parameter gone from a location and the only one
        // new there, with the same schema.
        let gone_at =
            |loc: &str, list: &[&Param<'a>]| list.iter().filter(|p| p.location == loc).count();
        let mut renamed = vec![false; still_old.len()];
        for (k, p) in still_old.iter().enumerate() {
            if gone_at(p.location, &still_old) != 1 || gone_at(p.location, &unmatched_new) != 1 {
                continue;
            }
            let Some(pos) = unmatched_new.iter().position(|q| q.location == p.location) else {
                continue;
            };
            if unmatched_new[pos].loc.value.get("schema") != p.loc.value.get("schema") {
                continue;
            }
            let q = unmatched_new.remove(pos);
            renamed[k] = true;
            self.push_values(
                Rule::RequestParameterRenamed,
                format!(
                    "{} parameter `{}` renamed to `{}`",
                    p.location, p.name, q.name
                ),
                Some(&p.loc.ptr),
                Some(&q.loc.ptr),
                Some(json!(p.name)),
                Some(json!(q.name)),
            );
        }
        for (p, _) in still_old.iter().zip(&renamed).filter(|(_, r)| !**r) {
            self.push_values(
                Rule::RequestParameterRemoved,
                format!("{} parameter `{}` removed", p.location, p.name),
                Some(&p.loc.ptr),
                None,
                Some(json!(p.name)),
                None,
            );
        }
        for q in unmatched_new {
            let rule = if q.required {
                Rule::RequestRequiredParameterAdded
            } else {
                Rule::RequestOptionalParameterAdded
            };
            self.push_values(
                rule,
                format!(
                    "{} {} parameter `{}` added",
                    if q.required { "required" } else { "optional" },
                    q.location,
                    q.name
                ),
                None,
                Some(&q.loc.ptr),
                None,
                Some(json!(q.name)),
            );
        }
    }

    fn parameter(&mut self, p: &Param<'a>, q: &Param<'a>) {
        if p.location != "path" || q.location != "path" {
            match (p.required, q.required) {
                (false, true) => self.push_values(
                    Rule::RequestParameterBecameRequired,
                    format!("{} parameter `{}` became required", q.location, q.name),
                    Some(&p.loc.ptr),
                    Some(&q.loc.ptr),
                    Some(json!(false)),
                    Some(json!(true)),
                ),
                (true, false) => self.push_values(
                    Rule::RequestParameterBecameOptional,
                    format!("{} parameter `{}` became optional", q.location, q.name),
                    Some(&p.loc.ptr),
                    Some(&q.loc.ptr),
                    Some(json!(true)),
                    Some(json!(false)),
                ),
                _ => {}
            }
        }
        if !p.deprecated && q.deprecated {
            self.push(
                Rule::RequestParameterDeprecated,
                format!("{} parameter `{}` deprecated", q.location, q.name),
                Some(&p.loc.ptr),
                Some(&q.loc.ptr),
            );
        }
        self.docs_keys(&p.loc, &q.loc, &["description", "example", "examples"]);
        let schema = |loc: &Loc<'a>| -> Option<Loc<'a>> {
            loc.child("schema").or_else(|| {
                let content = loc.child("content")?;
                let (mt, _) = content.value.as_object()?.iter().next()?;
                content.child(mt)?.child("schema")
            })
        };
        if let (Some(os), Some(ns)) = (schema(&p.loc), schema(&q.loc)) {
            let label = format!("{} parameter `{}`", q.location, q.name);
            self.schema(Direction::Request, &label, os, ns, 0);
        }
    }

    fn request_body(&mut self, o: &Operation<'a>, n: &Operation<'a>) {
        let ob = o.loc.child("requestBody").map(|l| l.resolve(self.old_root));
        let nb = n.loc.child("requestBody").map(|l| l.resolve(self.new_root));
        match (ob, nb) {
            (None, None) => {}
            (None, Some(nb)) => {
                let required = is_true(nb.value, "required");
                let rule = if required {
                    Rule::RequestRequiredBodyAdded
                } else {
                    Rule::RequestOptionalBodyAdded
                };
                self.push(
                    rule,
                    format!(
                        "{} request body added",
                        if required { "required" } else { "optional" }
                    ),
                    None,
                    Some(&nb.ptr),
                );
            }
            (Some(ob), None) => {
                self.push(
                    Rule::RequestBodyRemoved,
                    "request body removed".into(),
                    Some(&ob.ptr),
                    None,
                );
            }
            (Some(ob), Some(nb)) => {
                match (is_true(ob.value, "required"), is_true(nb.value, "required")) {
                    (false, true) => self.push_values(
                        Rule::RequestBodyBecameRequired,
                        "request body became required".into(),
                        Some(&ob.ptr),
                        Some(&nb.ptr),
                        Some(json!(false)),
                        Some(json!(true)),
                    ),
                    (true, false) => self.push_values(
                        Rule::RequestBodyBecameOptional,
                        "request body became optional".into(),
                        Some(&ob.ptr),
                        Some(&nb.ptr),
                        Some(json!(true)),
                        Some(json!(false)),
                    ),
                    _ => {}
                }
                self.docs_keys(&ob, &nb, &["description"]);
                self.content(Direction::Request, "request body", &ob, &nb);
            }
        }
    }

    fn content(&mut self, dir: Direction, label: &str, o: &Loc<'a>, n: &Loc<'a>) {
        let empty = serde_json::Map::new();
        let oc = o.child("content");
        let nc = n.child("content");
        let om = oc
            .as_ref()
            .and_then(|c| c.value.as_object())
            .unwrap_or(&empty);
        let nm = nc
            .as_ref()
            .and_then(|c| c.value.as_object())
            .unwrap_or(&empty);
        let (added, removed) = match dir {
            Direction::Request => (Rule::RequestMediaTypeAdded, Rule::RequestMediaTypeRemoved),
            Direction::Response => (Rule::ResponseMediaTypeAdded, Rule::ResponseMediaTypeRemoved),
        };
        let ptr_of = |base: &Loc<'a>, mt: &str| format!("{}/content/{}", base.ptr, escape(mt));
        for mt in om.keys() {
            if !nm.contains_key(mt) {
                self.push_values(
                    removed,
                    format!("{label}: media type `{mt}` removed"),
                    Some(&ptr_of(o, mt)),
                    None,
                    Some(json!(mt)),
                    None,
                );
            }
        }
        for mt in nm.keys() {
            if !om.contains_key(mt) {
                self.push_values(
                    added,
                    format!("{label}: media type `{mt}` added"),
                    None,
                    Some(&ptr_of(n, mt)),
                    None,
                    Some(json!(mt)),
                );
            }
        }
        let (Some(oc), Some(nc)) = (oc, nc) else {
            return;
        };
        for mt in om.keys() {
            let (Some(omt), Some(nmt)) = (oc.child(mt), nc.child(mt)) else {
                continue;
            };
            self.docs_keys(&omt, &nmt, &["example", "examples"]);
            match (omt.child("schema"), nmt.child("schema")) {
                (Some(os), Some(ns)) => self.schema(dir, label, os, ns, 0),
                (None, Some(ns)) => self.push_values(
                    dir_rule(dir, Rule::RequestTypeChanged, Rule::ResponseTypeChanged),
                    format!("{label} `{mt}`: schema added where any value was allowed"),
                    Some(&omt.ptr),
                    Some(&ns.ptr),
                    None,
                    Some(ns.value.clone()),
                ),
                (Some(os), None) => self.push_values(
                    dir_rule(dir, Rule::RequestTypeChanged, Rule::ResponseTypeChanged),
                    format!("{label} `{mt}`: schema removed, any value is allowed"),
                    Some(&os.ptr),
                    Some(&nmt.ptr),
                    Some(os.value.clone()),
                    None,
                ),
                (None, None) => {}
            }
        }
    }

    fn responses(&mut self, o: &Operation<'a>, n: &Operation<'a>) {
        let (Some(or), Some(nr)) = (o.loc.child("responses"), n.loc.child("responses")) else {
            return;
        };
        let empty = serde_json::Map::new();
        let om = or.value.as_object().unwrap_or(&empty);
        let nm = nr.value.as_object().unwrap_or(&empty);
        for status in om.keys() {
            if !nm.contains_key(status) {
                self.push_values(
                    Rule::ResponseStatusRemoved,
                    format!("response {status} removed"),
                    Some(&format!("{}/{}", or.ptr, escape(status))),
                    None,
                    Some(json!(status)),
                    None,
                );
            }
        }
        for status in nm.keys() {
            if !om.contains_key(status) {
                let rule = if status.starts_with('2') {
                    Rule::ResponseSuccessStatusAdded
                } else {
                    Rule::ResponseErrorStatusAdded
                };
                self.push_values(
                    rule,
                    format!("response {status} added"),
                    None,
                    Some(&format!("{}/{}", nr.ptr, escape(status))),
                    None,
                    Some(json!(status)),
                );
            }
        }
        for status in om.keys() {
            let (Some(os), Some(ns)) = (or.child(status), nr.child(status)) else {
                continue;
            };
            let (os, ns) = (os.resolve(self.old_root), ns.resolve(self.new_root));
            self.docs_keys(&os, &ns, &["description"]);
            self.content(Direction::Response, &format!("response {status}"), &os, &ns);
        }
    }

    fn security(&mut self, o: &Operation<'a>, n: &Operation<'a>) {
        fn effective<'v>(op: &Operation<'v>, root: &'v Value) -> (Vec<BTreeSet<&'v str>>, String) {
            let (value, ptr) = match op.loc.child("security") {
                Some(l) => (l.value, l.ptr),
                None => match root.get("security") {
                    Some(v) => (v, "/security".to_string()),
                    None => return (Vec::new(), "/security".into()),
                },
            };
            let alts = value
                .as_array()
                .map(|list| {
                    list.iter()
                        .map(|req| {
                            req.as_object()
                                .map(|m| m.keys().map(String::as_str).collect())
                                .unwrap_or_default()
                        })
                        .collect()
                })
                .unwrap_or_default();
            (alts, ptr)
        }
        let (oa, op) = effective(o, self.old_root);
        let (na, np) = effective(n, self.new_root);
        let needs = |a: &[BTreeSet<&str>]| !a.is_empty() && !a.iter().any(BTreeSet::is_empty);
        let show = |s: &BTreeSet<&str>| s.iter().copied().collect::<Vec<_>>().join(" + ");
        match (needs(&oa), needs(&na)) {
            (false, true) => {
                let alts: Vec<String> = na.iter().map(show).collect();
                self.push_values(
                    Rule::SecurityRequirementAdded,
                    format!(
                        "operation now requires authentication ({})",
                        alts.join(" or ")
                    ),
                    Some(&op),
                    Some(&np),
                    None,
                    Some(json!(alts)),
                );
            }
            (true, false) => {
                let alts: Vec<String> = oa.iter().map(show).collect();
                self.push_values(
                    Rule::SecurityRequirementRemoved,
                    "operation no longer requires authentication".into(),
                    Some(&op),
                    Some(&np),
                    Some(json!(alts)),
                    None,
                );
            }
            (true, true) => {
                for alt in &oa {
                    if !na.contains(alt) {
                        self.push_values(
                            Rule::SecurityAlternativeRemoved,
                            format!("authentication with {} no longer accepted", show(alt)),
                            Some(&op),
                            Some(&np),
                            Some(json!(show(alt))),
                            None,
                        );
                    }
                }
                for alt in &na {
                    if !oa.contains(alt) {
                        self.push_values(
                            Rule::SecurityAlternativeAdded,
                            format!("authentication with {} now accepted", show(alt)),
                            Some(&op),
                            Some(&np),
                            None,
                            Some(json!(show(alt))),
                        );
                    }
                }
            }
            (false, false) => {}
        }
    }

    // ---- schemas ---------------------------------------------------------

    fn schema(&mut self, dir: Direction, label: &str, old: Loc<'a>, new: Loc<'a>, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let old = old.resolve(self.old_root);
        let new = new.resolve(self.new_root);
        let key = (
            std::ptr::from_ref(old.value) as usize,
            std::ptr::from_ref(new.value) as usize,
            dir,
        );
        if !self.seen.insert(key) {
            return;
        }
        if std::ptr::eq(old.value, new.value) {
            return;
        }
        self.docs_keys(
            &old,
            &new,
            &[
                "description",
                "title",
                "example",
                "examples",
                "externalDocs",
            ],
        );
        let ov = View::build(self.old_root, &old);
        let nv = View::build(self.new_root, &new);
        let (op, np) = (old.ptr.as_str(), new.ptr.as_str());

        // type
        let (ot, nt) = (ov.effective_type(), nv.effective_type());
        if let (Some(a), Some(b)) = (ot, nt)
            && a != b
        {
            self.push_values(
                dir_rule(dir, Rule::RequestTypeChanged, Rule::ResponseTypeChanged),
                format!(
                    "{label}: type changed from {} to {}",
                    show_type(a),
                    show_type(b)
                ),
                Some(op),
                Some(np),
                Some(a.clone()),
                Some(b.clone()),
            );
            return;
        }
        if ov.format != nv.format {
            let show = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or("none").to_string();
            self.push_values(
                dir_rule(dir, Rule::RequestFormatChanged, Rule::ResponseFormatChanged),
                format!(
                    "{label}: format changed from {} to {}",
                    show(ov.format),
                    show(nv.format)
                ),
                Some(op),
                Some(np),
                ov.format.cloned(),
                nv.format.cloned(),
            );
        }
        match (ov.nullable, nv.nullable) {
            (false, true) => self.push_values(
                dir_rule(
                    dir,
                    Rule::RequestBecameNullable,
                    Rule::ResponseBecameNullable,
                ),
                format!("{label}: may now be null"),
                Some(op),
                Some(np),
                Some(json!(false)),
                Some(json!(true)),
            ),
            (true, false) => self.push_values(
                dir_rule(
                    dir,
                    Rule::RequestBecameNotNullable,
                    Rule::ResponseBecameNotNullable,
                ),
                format!("{label}: may no longer be null"),
                Some(op),
                Some(np),
                Some(json!(true)),
                Some(json!(false)),
            ),
            _ => {}
        }
        self.enums(dir, label, &ov, &nv, op, np);
        self.constraints(dir, label, &ov, &nv, op, np);
        self.properties(dir, label, &ov, &nv, depth);
        self.additional(dir, label, &ov, &nv, op, np, depth);
        if let (Some(oi), Some(ni)) = (ov.items.clone(), nv.items.clone()) {
            self.schema(dir, &format!("{label}[]"), oi, ni, depth + 1);
        }
        self.variants(dir, label, &ov, &nv, op, np, depth);
    }

    fn enums(
        &mut self,
        dir: Direction,
        label: &str,
        ov: &View<'a>,
        nv: &View<'a>,
        op: &str,
        np: &str,
    ) {
        match (ov.enumeration, nv.enumeration) {
            (None, None) => {}
            (None, Some(values)) => self.push_values(
                dir_rule(
                    dir,
                    Rule::RequestConstraintTightened,
                    Rule::ResponseConstraintTightened,
                ),
                format!("{label}: restricted to an enum of {} values", values.len()),
                Some(op),
                Some(np),
                None,
                Some(Value::Array(values.clone())),
            ),
            (Some(values), None) => self.push_values(
                dir_rule(
                    dir,
                    Rule::RequestConstraintLoosened,
                    Rule::ResponseConstraintLoosened,
                ),
                format!("{label}: no longer restricted to an enum"),
                Some(op),
                Some(np),
                Some(Value::Array(values.clone())),
                None,
            ),
            (Some(a), Some(b)) => {
                let key = |v: &Value| v.to_string();
                let aset: HashSet<String> = a.iter().map(key).collect();
                let bset: HashSet<String> = b.iter().map(key).collect();
                for v in a {
                    if !bset.contains(&key(v)) {
                        self.push_values(
                            dir_rule(
                                dir,
                                Rule::RequestEnumValueRemoved,
                                Rule::ResponseEnumValueRemoved,
                            ),
                            format!("{label}: enum value {v} removed"),
                            Some(op),
                            Some(np),
                            Some(v.clone()),
                            None,
                        );
                    }
                }
                for v in b {
                    if !aset.contains(&key(v)) {
                        self.push_values(
                            dir_rule(
                                dir,
                                Rule::RequestEnumValueAdded,
                                Rule::ResponseEnumValueAdded,
                            ),
                            format!("{label}: enum value {v} added"),
                            Some(op),
                            Some(np),
                            None,
                            Some(v.clone()),
                        );
                    }
                }
            }
        }
    }

    fn constraints(
        &mut self,
        dir: Direction,
        label: &str,
        ov: &View<'a>,
        nv: &View<'a>,
        op: &str,
        np: &str,
    ) {
        // Only the constraint keywords either side has, found by walking the
        // (small) keyword maps once rather than looking each one up.
        let mut present: Vec<(&str, Kind)> = Vec::new();
        for map in ov.objects.iter().chain(nv.objects.iter()) {
            for key in map.keys() {
                if let Some((k, kind)) = CONSTRAINTS.iter().find(|(k, _)| *k == key.as_str())
                    && !present.iter().any(|(p, _)| p == k)
                {
                    present.push((k, *kind));
                }
            }
        }
        present.sort_by_key(|(k, _)| CONSTRAINTS.iter().position(|(c, _)| c == k));
        for (keyword, kind) in &present {
            let (a, b) = (ov.keyword(keyword), nv.keyword(keyword));
            if a == b {
                continue;
            }
            let Some(tighter) = kind.tighter(a, b, dir) else {
                continue;
            };
            let rule = match (tighter, dir) {
                (true, Direction::Request) => Rule::RequestConstraintTightened,
                (true, Direction::Response) => Rule::ResponseConstraintTightened,
                (false, Direction::Request) => Rule::RequestConstraintLoosened,
                (false, Direction::Response) => Rule::ResponseConstraintLoosened,
            };
            let show = |v: Option<&Value>| v.map(Value::to_string).unwrap_or_else(|| "none".into());
            self.push_values(
                rule,
                format!(
                    "{label}: {keyword} {} ({} -> {})",
                    if tighter { "tightened" } else { "loosened" },
                    show(a),
                    show(b)
                ),
                Some(op),
                Some(np),
                a.cloned(),
                b.cloned(),
            );
        }
    }

    fn properties(
        &mut self,
        dir: Direction,
        label: &str,
        ov: &View<'a>,
        nv: &View<'a>,
        depth: usize,
    ) {
        if ov.props.is_empty() && nv.props.is_empty() {
            return;
        }
        let visible = |root: &'a Value, loc: &Loc<'a>| -> bool {
            let r = loc.target(root);
            let hidden = match dir {
                Direction::Request => "readOnly",
                Direction::Response => "writeOnly",
            };
            !(is_true(loc.value, hidden) || is_true(r, hidden))
        };
        let deprecated = |root: &'a Value, loc: &Loc<'a>| {
            is_true(loc.value, "deprecated") || is_true(loc.target(root), "deprecated")
        };
        let old_props: Vec<&(&'a str, Loc<'a>)> = ov
            .props
            .iter()
            .filter(|(_, l)| visible(self.old_root, l))
            .collect();
        let new_props: Vec<&(&'a str, Loc<'a>)> = nv
            .props
            .iter()
            .filter(|(_, l)| visible(self.new_root, l))
            .collect();
        let new_by_name: HashMap<&str, &Loc<'a>> = new_props.iter().map(|(n, l)| (*n, l)).collect();
        let old_names: HashSet<&str> = old_props.iter().map(|(n, _)| *n).collect();
        for (name, ol) in &old_props {
            let was_required = ov.required.contains(name);
            let here = format!("{label}.{name}");
            match new_by_name.get(name) {
                None => {
                    let rule = match dir {
                        Direction::Request => Rule::RequestPropertyRemoved,
                        Direction::Response if was_required => {
                            Rule::ResponseRequiredPropertyRemoved
                        }
                        Direction::Response => Rule::ResponseOptionalPropertyRemoved,
                    };
                    self.push_values(
                        rule,
                        format!(
                            "{here}: {}property removed",
                            if was_required { "required " } else { "" }
                        ),
                        Some(&ol.ptr),
                        None,
                        Some(json!(name)),
                        None,
                    );
                }
                Some(nl) => {
                    let is_required = nv.required.contains(name);
                    let rule = match (dir, was_required, is_required) {
                        (Direction::Request, false, true) => {
                            Some((Rule::RequestPropertyBecameRequired, "became required"))
                        }
                        (Direction::Request, true, false) => {
                            Some((Rule::RequestPropertyBecameOptional, "became optional"))
                        }
                        (Direction::Response, true, false) => {
                            Some((Rule::ResponsePropertyBecameOptional, "may now be absent"))
                        }
                        (Direction::Response, false, true) => Some((
                            Rule::ResponsePropertyBecameRequired,
                            "is now always present",
                        )),
                        _ => None,
                    };
                    if let Some((rule, what)) = rule {
                        self.push_values(
                            rule,
                            format!("{here}: {what}"),
                            Some(&ol.ptr),
                            Some(&nl.ptr),
                            Some(json!(was_required)),
                            Some(json!(is_required)),
                        );
                    }
                    if !deprecated(self.old_root, ol) && deprecated(self.new_root, nl) {
                        self.push(
                            Rule::PropertyDeprecated,
                            format!("{here}: deprecated"),
                            Some(&ol.ptr),
                            Some(&nl.ptr),
                        );
                    }
                    self.schema(dir, &here, ol.clone(), (*nl).clone(), depth + 1);
                }
            }
        }
        for (name, nl) in &new_props {
            if old_names.contains(name) {
                continue;
            }
            let required = nv.required.contains(name);
            let rule = match (dir, required) {
                (Direction::Request, true) => Rule::RequestRequiredPropertyAdded,
                (Direction::Request, false) => Rule::RequestOptionalPropertyAdded,
                (Direction::Response, _) => Rule::ResponsePropertyAdded,
            };
            self.push_values(
                rule,
                format!(
                    "{label}.{name}: {}property added",
                    if required { "required " } else { "optional " }
                ),
                None,
                Some(&nl.ptr),
                None,
                Some(json!(name)),
            );
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn additional(
        &mut self,
        dir: Direction,
        label: &str,
        ov: &View<'a>,
        nv: &View<'a>,
        op: &str,
        np: &str,
        depth: usize,
    ) {
        let (a, b) = (Additional::of(ov), Additional::of(nv));
        let widened = match (&a, &b) {
            (Additional::Open, Additional::Open) | (Additional::Closed, Additional::Closed) => {
                return;
            }
            (Additional::Schema(x), Additional::Schema(y)) => {
                self.schema(dir, &format!("{label}.*"), x.clone(), y.clone(), depth + 1);
                return;
            }
            (Additional::Closed, _) | (Additional::Schema(_), Additional::Open) => true,
            (Additional::Open, _) | (Additional::Schema(_), Additional::Closed) => false,
        };
        let rule = match (dir, widened) {
            (Direction::Request, true) => Rule::RequestAdditionalPropertiesWidened,
            (Direction::Request, false) => Rule::RequestAdditionalPropertiesNarrowed,
            (Direction::Response, true) => Rule::ResponseAdditionalPropertiesWidened,
            (Direction::Response, false) => Rule::ResponseAdditionalPropertiesNarrowed,
        };
        self.push_values(
            rule,
            format!(
                "{label}: additional properties {} ({} -> {})",
                if widened { "widened" } else { "narrowed" },
                a.name(),
                b.name()
            ),
            Some(op),
            Some(np),
            Some(json!(a.name())),
            Some(json!(b.name())),
        );
    }

    #[allow(clippy::too_many_arguments)]
    fn variants(
        &mut self,
        dir: Direction,
        label: &str,
        ov: &View<'a>,
        nv: &View<'a>,
        op: &str,
        np: &str,
        depth: usize,
    ) {
        if ov.variants.is_empty() && nv.variants.is_empty() {
            return;
        }
        let key = |l: &Loc<'a>, i: usize| -> String {
            match l.value.get("$ref").and_then(Value::as_str) {
                Some(r) => r.to_string(),
                None => format!("#{i}"),
            }
        };
        let okeys: Vec<String> = ov
            .variants
            .iter()
            .enumerate()
            .map(|(i, l)| key(l, i))
            .collect();
        let nkeys: Vec<String> = nv
            .variants
            .iter()
            .enumerate()
            .map(|(i, l)| key(l, i))
            .collect();
        // Pair alternatives by reference (or position), then pair what is
        // left by identical content (a renamed component).
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        let mut new_taken = vec![false; nkeys.len()];
        let mut old_left = Vec::new();
        for (i, k) in okeys.iter().enumerate() {
            match nkeys.iter().position(|x| x == k) {
                Some(j) if !new_taken[j] => {
                    new_taken[j] = true;
                    pairs.push((i, j));
                }
                _ => old_left.push(i),
            }
        }
        let mut old_unpaired = Vec::new();
        for i in old_left {
            let content = ov.variants[i].target(self.old_root);
            let same = (0..nkeys.len())
                .find(|&j| !new_taken[j] && nv.variants[j].target(self.new_root) == content);
            match same {
                Some(j) => {
                    new_taken[j] = true;
                    pairs.push((i, j));
                }
                None => old_unpaired.push(i),
            }
        }
        for (i, j) in pairs {
            self.schema(
                dir,
                &format!("{label}|{}", okeys[i]),
                ov.variants[i].clone(),
                nv.variants[j].clone(),
                depth + 1,
            );
        }
        for i in old_unpaired {
            self.push_values(
                dir_rule(
                    dir,
                    Rule::RequestVariantRemoved,
                    Rule::ResponseVariantRemoved,
                ),
                format!("{label}: alternative {} removed", okeys[i]),
                Some(&ov.variants[i].ptr),
                Some(np),
                Some(json!(okeys[i])),
                None,
            );
        }
        for (j, k) in nkeys.iter().enumerate() {
            if !new_taken[j] {
                self.push_values(
                    dir_rule(dir, Rule::RequestVariantAdded, Rule::ResponseVariantAdded),
                    format!("{label}: alternative {k} added"),
                    Some(op),
                    Some(&nv.variants[j].ptr),
                    None,
                    Some(json!(k)),
                );
            }
        }
    }
}

fn show_type(v: &Value) -> String {
    v.as_str()
        .map(str::to_string)
        .unwrap_or_else(|| v.to_string())
}

enum Additional<'a> {
    Open,
    Closed,
    Schema(Loc<'a>),
}

impl<'a> Additional<'a> {
    fn of(view: &View<'a>) -> Additional<'a> {
        match &view.additional {
            None => Additional::Open,
            Some(l) => match l.value {
                Value::Bool(false) => Additional::Closed,
                Value::Bool(true) => Additional::Open,
                Value::Object(m) if m.is_empty() => Additional::Open,
                _ => Additional::Schema(l.clone()),
            },
        }
    }

    fn name(&self) -> &'static str {
        match self {
            Additional::Open => "any",
            Additional::Closed => "none",
            Additional::Schema(_) => "schema",
        }
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Max,
    Min,
    MinCount,
    Flag,
    Pattern,
    MultipleOf,
}

const CONSTRAINTS: &[(&str, Kind)] = &[
    ("maximum", Kind::Max),
    ("exclusiveMaximum", Kind::Flag),
    ("minimum", Kind::Min),
    ("exclusiveMinimum", Kind::Flag),
    ("maxLength", Kind::Max),
    ("minLength", Kind::MinCount),
    ("maxItems", Kind::Max),
    ("minItems", Kind::MinCount),
    ("maxProperties", Kind::Max),
    ("minProperties", Kind::MinCount),
    ("uniqueItems", Kind::Flag),
    ("pattern", Kind::Pattern),
    ("multipleOf", Kind::MultipleOf),
];

impl Kind {
    /// `Some(true)` when going from `a` to `b` accepts fewer values,
    /// `Some(false)` when more, `None` when it makes no difference.
    fn tighter(self, a: Option<&Value>, b: Option<&Value>, dir: Direction) -> Option<bool> {
        let num = |v: Option<&Value>| v.and_then(Value::as_f64);
        match self {
            Kind::Max => match (num(a), num(b)) {
                (None, Some(_)) => Some(true),
                (Some(_), None) => Some(false),
                (Some(x), Some(y)) if y < x => Some(true),
                (Some(x), Some(y)) if y > x => Some(false),
                _ => None,
            },
            Kind::Min | Kind::MinCount => {
                // minLength: 0 and no minLength mean the same.
                let floor = if matches!(self, Kind::MinCount) {
                    0.0
                } else {
                    f64::NEG_INFINITY
                };
                let x = num(a).unwrap_or(floor);
                let y = num(b).unwrap_or(floor);
                if y > x {
                    Some(true)
                } else if y < x {
                    Some(false)
                } else {
                    None
                }
            }
            Kind::Flag => {
                let flag = |v: Option<&Value>| v.and_then(Value::as_bool).unwrap_or(false);
                match (flag(a), flag(b)) {
                    (false, true) => Some(true),
                    (true, false) => Some(false),
                    _ => None,
                }
            }
            Kind::Pattern => match (a, b) {
                (None, Some(_)) => Some(true),
                (Some(_), None) => Some(false),
                // An edited pattern may reject old values and admit new
                // ones: report it the way that breaks in this direction.
                _ => Some(dir == Direction::Request),
            },
            Kind::MultipleOf => match (num(a), num(b)) {
                (None, Some(_)) => Some(true),
                (Some(_), None) => Some(false),
                (Some(x), Some(y)) if x != 0.0 && (y / x).fract() == 0.0 => Some(true),
                (Some(x), Some(y)) if y != 0.0 && (x / y).fract() == 0.0 => Some(false),
                _ => Some(dir == Direction::Request),
            },
        }
    }
}

/// A schema seen through `allOf`: its own keywords first, then those of each
/// `allOf` member (resolved), properties and `required` merged.
struct View<'a> {
    objects: Vec<&'a serde_json::Map<String, Value>>,
    format: Option<&'a Value>,
    nullable: bool,
    enumeration: Option<&'a Vec<Value>>,
    props: Vec<(&'a str, Loc<'a>)>,
    required: HashSet<&'a str>,
    items: Option<Loc<'a>>,
    additional: Option<Loc<'a>>,
    variants: Vec<Loc<'a>>,
}

/// At most this many `allOf` members are merged into one view.
const MAX_ALL_OF: usize = 256;

impl<'a> View<'a> {
    fn build(root: &'a Value, loc: &Loc<'a>) -> View<'a> {
        let mut view = View {
            objects: Vec::new(),
            format: None,
            nullable: false,
            enumeration: None,
            props: Vec::new(),
            required: HashSet::new(),
            items: None,
            additional: None,
            variants: Vec::new(),
        };
        let mut nullable: Option<bool> = None;
        let mut any_nullable = false;
        let mut queue: Vec<Loc<'a>> = vec![loc.clone()];
        let mut visited: HashSet<usize> = HashSet::new();
        let mut names: HashSet<&'a str> = HashSet::new();
        let mut i = 0;
        while i < queue.len() && i < MAX_ALL_OF {
            let current = Loc {
                value: queue[i].value,
                ptr: std::mem::take(&mut queue[i].ptr),
            }
            .resolve(root);
            i += 1;
            if !visited.insert(std::ptr::from_ref(current.value) as usize) {
                continue;
            }
            let Some(map) = current.value.as_object() else {
                continue;
            };
            view.objects.push(map);
            let root_object = i == 1;
            let child = |key: &str| format!("{}/{}", current.ptr, escape(key));
            let (mut one_of, mut any_of) = (None, None);
            // One pass over the keywords: cheaper than a lookup per keyword.
            for (key, value) in map {
                match key.as_str() {
                    "format" if view.format.is_none() => view.format = Some(value),
                    "enum" if view.enumeration.is_none() => {
                        view.enumeration = value.as_array();
                    }
                    "nullable" => match value.as_bool() {
                        Some(b) if nullable.is_none() && root_object => nullable = Some(b),
                        Some(true) => any_nullable = true,
                        _ => {}
                    },
                    "properties" => {
                        if let Some(pm) = value.as_object() {
                            let base = child("properties");
                            for (name, schema) in pm {
                                if names.insert(name.as_str()) {
                                    view.props.push((
                                        name.as_str(),
                                        Loc {
                                            value: schema,
                                            ptr: format!("{base}/{}", escape(name)),
                                        },
                                    ));
                                }
                            }
                        }
                    }
                    "required" => {
                        if let Some(req) = value.as_array() {
                            view.required.extend(req.iter().filter_map(Value::as_str));
                        }
                    }
                    "items" if view.items.is_none() => {
                        view.items = Some(Loc {
                            value,
                            ptr: child("items"),
                        });
                    }
                    "additionalProperties" if view.additional.is_none() => {
                        view.additional = Some(Loc {
                            value,
                            ptr: child("additionalProperties"),
                        });
                    }
                    "oneOf" => one_of = value.as_array().map(|a| (a, child("oneOf"))),
                    "anyOf" => any_of = value.as_array().map(|a| (a, child("anyOf"))),
                    "allOf" => {
                        if let Some(arr) = value.as_array() {
                            let base = child("allOf");
                            for (j, v) in arr.iter().enumerate() {
                                queue.push(Loc {
                                    value: v,
                                    ptr: format!("{base}/{j}"),
                                });
                            }
                        }
                    }
                    _ => {}
                }
            }
            if view.variants.is_empty() {
                for (arr, base) in [one_of, any_of].into_iter().flatten() {
                    for (j, v) in arr.iter().enumerate() {
                        view.variants.push(Loc {
                            value: v,
                            ptr: format!("{base}/{j}"),
                        });
                    }
                }
            }
        }
        view.nullable = nullable.unwrap_or(any_nullable);
        view
    }

    fn keyword(&self, key: &str) -> Option<&'a Value> {
        self.objects.iter().find_map(|m| m.get(key))
    }

    fn effective_type(&self) -> Option<&'a Value> {
        self.keyword("type")
    }
}

/// ` (operationId)` for a message, and the operationId as a JSON value.
fn operation_id_parts(op: &Operation<'_>) -> (String, Option<Value>) {
    let id = op.operation_id();
    (
        id.map(|i| format!(" ({i})")).unwrap_or_default(),
        id.map(|i| json!(i)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_beside_runs_both_and_diffs_alike() {
        let old = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}});
        let mut new = old.clone();
        new["info"]["version"] = json!("2");
        let caller = std::thread::current().id();
        let (changes, ran_on) = diff_beside(&old, &new, || std::thread::current().id());
        assert_eq!(ran_on, caller, "`beside` runs on the calling thread");
        assert_eq!(changes, diff(&old, &new));
        assert_eq!(
            changes.iter().map(|c| c.rule).collect::<Vec<_>>(),
            [Rule::InfoVersionChanged]
        );
    }
}
