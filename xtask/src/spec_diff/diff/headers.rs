//! Response headers: declared, removed, required or not, and their schemas.
//! Header names are case-insensitive on the wire, so they match that way.

use serde_json::json;

use super::super::rules::{Direction, Rule};
use super::differ::{Differ, entries, is_true};
use upstash_api_codegen::Loc;

impl<'a> Differ<'a> {
    /// The headers of the (resolved) responses `o` and `n`, for `label`.
    pub(super) fn response_headers(&mut self, label: &str, o: &Loc<'a>, n: &Loc<'a>) {
        let headers = |loc: &Loc<'a>, root| -> Vec<(String, Loc<'a>)> {
            let found = loc.child("headers").into_iter().flat_map(|h| entries(&h));
            found
                .map(|(name, l)| (name.to_ascii_lowercase(), l.resolve(root)))
                .collect()
        };
        let (oh, nh) = (headers(o, self.old_root), headers(n, self.new_root));
        if oh.is_empty() && nh.is_empty() {
            return;
        }
        let find = |list: &[(String, Loc<'a>)], name: &str| {
            list.iter().find(|(n, _)| n == name).map(|(_, l)| l.clone())
        };
        for (name, ol) in &oh {
            let required = is_true(ol.value, "required");
            let Some(nl) = find(&nh, name) else {
                let (rule, what) = match required {
                    true => (Rule::ResponseRequiredHeaderRemoved, "required"),
                    false => (Rule::ResponseOptionalHeaderRemoved, "optional"),
                };
                let message = format!("{label}: {what} header `{name}` removed");
                self.record_one(rule, message, false, &ol.ptr, json!(name));
                continue;
            };
            let now = is_true(nl.value, "required");
            if required != now {
                let (rule, what) = match now {
                    true => (Rule::ResponseHeaderBecameRequired, "required"),
                    false => (Rule::ResponseHeaderBecameOptional, "optional"),
                };
                self.record(rule, format!("{label}: header `{name}` became {what}"))
                    .at(Some(&ol.ptr), Some(&nl.ptr))
                    .values(Some(json!(required)), Some(json!(now)));
            }
            self.docs_keys(ol, &nl, &["description", "example", "examples"]);
            if let (Some(os), Some(ns)) = (ol.child("schema"), nl.child("schema")) {
                let label = format!("{label} header `{name}`");
                self.schema(Direction::Response, &label, os, ns, 0);
            }
        }
        for (name, nl) in nh.iter().filter(|(name, _)| find(&oh, name).is_none()) {
            let message = format!("{label}: header `{name}` added");
            let rule = Rule::ResponseHeaderAdded;
            self.record_one(rule, message, true, &nl.ptr, json!(name));
        }
    }
}
