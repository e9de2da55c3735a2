//! Callbacks: requests the server sends to the client. Data flows the other
//! way there: the callback's request body is what the client receives, its
//! responses what the client sends back.

use serde_json::json;

use super::super::rules::{Direction, Rule};
use super::differ::{Differ, entries};
use upstash_api_codegen::{Loc, METHODS};

/// Every callback operation of the operation at `op`, by name, URL
/// expression and method.
fn callback_operations<'a>(op: &Loc<'a>, root: &'a serde_json::Value) -> Vec<(String, Loc<'a>)> {
    let mut found = Vec::new();
    for (name, callback) in op.child("callbacks").iter().flat_map(entries) {
        for (expression, item) in entries(&callback.resolve(root)) {
            let item = item.resolve(root);
            for method in METHODS {
                if let Some(operation) = item.child(method) {
                    let key = format!("`{name}` {} {expression}", method.to_ascii_uppercase());
                    found.push((key, operation));
                }
            }
        }
    }
    found
}

impl<'a> Differ<'a> {
    /// The callbacks of operations `o` and `n`: added, removed, and the
    /// bodies and responses of those on both sides, directions swapped.
    pub(super) fn callbacks(&mut self, o: &Loc<'a>, n: &Loc<'a>) {
        let old = callback_operations(o, self.old_root);
        let new = callback_operations(n, self.new_root);
        for (key, ol) in &old {
            let Some((_, nl)) = new.iter().find(|(k, _)| k == key) else {
                let message = format!("callback {key} removed");
                self.record_one(Rule::CallbackRemoved, message, false, &ol.ptr, json!(key));
                continue;
            };
            let body = |l: &Loc<'a>, root| l.child("requestBody").map(|b| b.resolve(root));
            let label = format!("callback {key}");
            if let (Some(ob), Some(nb)) = (body(ol, self.old_root), body(nl, self.new_root)) {
                self.content(Direction::Response, &format!("{label} body"), &ob, &nb);
            }
            let (Some(or), Some(nr)) = (ol.child("responses"), nl.child("responses")) else {
                continue;
            };
            for (status, os) in entries(&or) {
                if let Some(ns) = nr.child(status) {
                    let (os, ns) = (os.resolve(self.old_root), ns.resolve(self.new_root));
                    let label = format!("{label} response {status}");
                    self.content(Direction::Request, &label, &os, &ns);
                }
            }
        }
        for (key, nl) in new.iter().filter(|(k, _)| !old.iter().any(|(o, _)| o == k)) {
            let message = format!("callback {key} added");
            self.record_one(Rule::CallbackAdded, message, true, &nl.ptr, json!(key));
        }
    }
}
