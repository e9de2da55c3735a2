//! Response links: how a response's values can feed other operations. They
//! are design-time descriptions, so no change to them breaks a client.

use serde_json::json;

use super::super::rules::Rule;
use super::differ::{Differ, entries};
use upstash_api_codegen::Loc;

/// What a link does: the operation it leads to and the values it passes.
const WIRING: [&str; 5] = [
    "operationId",
    "operationRef",
    "parameters",
    "requestBody",
    "server",
];

impl<'a> Differ<'a> {
    /// The links of the (resolved) responses `o` and `n`, for `label`.
    pub(super) fn links(&mut self, label: &str, o: &Loc<'a>, n: &Loc<'a>) {
        let links = |response: &Loc<'a>| -> Vec<_> {
            response.child("links").iter().flat_map(entries).collect()
        };
        let (old, new) = (links(o), links(n));
        for (name, a) in &old {
            let Some((_, b)) = new.iter().find(|(n, _)| n == name) else {
                let message = format!("{label}: link `{name}` removed");
                let rule = Rule::ResponseLinkRemoved;
                self.record_one(rule, message, false, &a.ptr, json!(name));
                continue;
            };
            let a = a.clone().resolve(self.old_root);
            let b = b.clone().resolve(self.new_root);
            self.docs_keys(&a, &b, &["description"]);
            let wiring = |l: &Loc<'a>| WIRING.map(|k| l.value.get(k));
            if wiring(&a) != wiring(&b) {
                let message = format!("{label}: link `{name}` changed");
                self.record(Rule::ResponseLinkChanged, message)
                    .at(Some(&a.ptr), Some(&b.ptr));
            }
        }
        for (name, b) in new.iter().filter(|(n, _)| !old.iter().any(|(o, _)| o == n)) {
            let message = format!("{label}: link `{name}` added");
            self.record_one(Rule::ResponseLinkAdded, message, true, &b.ptr, json!(name));
        }
    }
}
