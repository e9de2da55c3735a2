//! Request bodies, responses and their media types.

use serde_json::json;

use super::super::rules::{Direction, Rule};
use super::differ::{Differ, dir_rule, is_true};
use upstash_api_codegen::{Loc, Operation, escape_segment as escape};

impl<'a> Differ<'a> {
    pub(super) fn request_body(&mut self, o: &Operation<'a>, n: &Operation<'a>) {
        let ob = o.loc.child("requestBody").map(|l| l.resolve(self.old_root));
        let nb = n.loc.child("requestBody").map(|l| l.resolve(self.new_root));
        match (ob, nb) {
            (None, None) => {}
            (None, Some(nb)) => {
                let (rule, what) = if is_true(nb.value, "required") {
                    (Rule::RequestRequiredBodyAdded, "required")
                } else {
                    (Rule::RequestOptionalBodyAdded, "optional")
                };
                self.record(rule, format!("{what} request body added"))
                    .at(None, Some(&nb.ptr));
            }
            (Some(ob), None) => {
                self.record(Rule::RequestBodyRemoved, "request body removed")
                    .at(Some(&ob.ptr), None);
            }
            (Some(ob), Some(nb)) => {
                let (was, is) = (is_true(ob.value, "required"), is_true(nb.value, "required"));
                if was != is {
                    let (rule, what) = match is {
                        true => (Rule::RequestBodyBecameRequired, "required"),
                        false => (Rule::RequestBodyBecameOptional, "optional"),
                    };
                    self.record(rule, format!("request body became {what}"))
                        .at(Some(&ob.ptr), Some(&nb.ptr))
                        .values(Some(json!(was)), Some(json!(is)));
                }
                self.docs_keys(&ob, &nb, &["description"]);
                self.content(Direction::Request, "request body", &ob, &nb);
            }
        }
    }

    pub(super) fn content(&mut self, dir: Direction, label: &str, o: &Loc<'a>, n: &Loc<'a>) {
        let empty = serde_json::Map::new();
        let (oc, nc) = (o.child("content"), n.child("content"));
        let media_types = |c: Option<&Loc<'a>>| c.and_then(|c| c.value.as_object());
        let om = media_types(oc.as_ref()).unwrap_or(&empty);
        let nm = media_types(nc.as_ref()).unwrap_or(&empty);
        let (added_rule, removed_rule) = match dir {
            Direction::Request => (Rule::RequestMediaTypeAdded, Rule::RequestMediaTypeRemoved),
            Direction::Response => (Rule::ResponseMediaTypeAdded, Rule::ResponseMediaTypeRemoved),
        };
        let sides = [
            (om, nm, o, removed_rule, "removed"),
            (nm, om, n, added_rule, "added"),
        ];
        for (from, to, base, rule, what) in sides {
            let added = rule == added_rule;
            for mt in from.keys().filter(|mt| !to.contains_key(*mt)) {
                let ptr = format!("{}/content/{}", base.ptr, escape(mt));
                let message = format!("{label}: media type `{mt}` {what}");
                self.record_one(rule, message, added, &ptr, json!(mt));
            }
        }
        let (Some(oc), Some(nc)) = (oc, nc) else {
            return;
        };
        let type_changed = dir_rule(dir, Rule::RequestTypeChanged, Rule::ResponseTypeChanged);
        for mt in om.keys() {
            let (Some(omt), Some(nmt)) = (oc.child(mt), nc.child(mt)) else {
                continue;
            };
            self.docs_keys(&omt, &nmt, &["example", "examples"]);
            match (omt.child("schema"), nmt.child("schema")) {
                (Some(os), Some(ns)) => self.schema(dir, label, os, ns, 0),
                (None, Some(ns)) => {
                    let message =
                        format!("{label} `{mt}`: schema added where any value was allowed");
                    self.record(type_changed, message)
                        .at(Some(&omt.ptr), Some(&ns.ptr))
                        .values(None, Some(ns.value.clone()));
                }
                (Some(os), None) => {
                    let message = format!("{label} `{mt}`: schema removed, any value is allowed");
                    self.record(type_changed, message)
                        .at(Some(&os.ptr), Some(&nmt.ptr))
                        .values(Some(os.value.clone()), None);
                }
                (None, None) => {}
            }
        }
    }

    pub(super) fn responses(&mut self, o: &Operation<'a>, n: &Operation<'a>) {
        let (Some(or), Some(nr)) = (o.loc.child("responses"), n.loc.child("responses")) else {
            return;
        };
        let empty = serde_json::Map::new();
        let om = or.value.as_object().unwrap_or(&empty);
        let nm = nr.value.as_object().unwrap_or(&empty);
        for (from, to, base, added) in [(om, nm, &or, false), (nm, om, &nr, true)] {
            for status in from.keys().filter(|status| !to.contains_key(*status)) {
                let (rule, what) = match (added, status.starts_with('2')) {
                    (false, _) => (Rule::ResponseStatusRemoved, "removed"),
                    (true, true) => (Rule::ResponseSuccessStatusAdded, "added"),
                    (true, false) => (Rule::ResponseErrorStatusAdded, "added"),
                };
                let ptr = format!("{}/{}", base.ptr, escape(status));
                let message = format!("response {status} {what}");
                self.record_one(rule, message, added, &ptr, json!(status));
            }
        }
        for status in om.keys() {
            let (Some(os), Some(ns)) = (or.child(status), nr.child(status)) else {
                continue;
            };
            let (os, ns) = (os.resolve(self.old_root), ns.resolve(self.new_root));
            self.docs_keys(&os, &ns, &["description"]);
            let label = format!("response {status}");
            self.content(Direction::Response, &label, &os, &ns);
            self.response_headers(&label, &os, &ns);
            self.links(&label, &os, &ns);
        }
    }
}
