//! Request bodies, responses and their media types.

use serde_json::json;

use super::super::load::operations::Operation;
use super::super::load::pointer::{Loc, escape};
use super::super::rules::{Direction, Rule};
use super::differ::{Differ, dir_rule, is_true};

impl<'a> Differ<'a> {
    pub(super) fn request_body(&mut self, o: &Operation<'a>, n: &Operation<'a>) {
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
                self.record(
                    rule,
                    format!(
                        "{} request body added",
                        if required { "required" } else { "optional" }
                    ),
                )
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
                self.record(removed, format!("{label}: media type `{mt}` removed"))
                    .at(Some(&ptr_of(o, mt)), None)
                    .values(Some(json!(mt)), None);
            }
        }
        for mt in nm.keys() {
            if !om.contains_key(mt) {
                self.record(added, format!("{label}: media type `{mt}` added"))
                    .at(None, Some(&ptr_of(n, mt)))
                    .values(None, Some(json!(mt)));
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
                (None, Some(ns)) => {
                    self.record(
                        dir_rule(dir, Rule::RequestTypeChanged, Rule::ResponseTypeChanged),
                        format!("{label} `{mt}`: schema added where any value was allowed"),
                    )
                    .at(Some(&omt.ptr), Some(&ns.ptr))
                    .values(None, Some(ns.value.clone()));
                }
                (Some(os), None) => {
                    self.record(
                        dir_rule(dir, Rule::RequestTypeChanged, Rule::ResponseTypeChanged),
                        format!("{label} `{mt}`: schema removed, any value is allowed"),
                    )
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
        for status in om.keys() {
            if !nm.contains_key(status) {
                self.record(
                    Rule::ResponseStatusRemoved,
                    format!("response {status} removed"),
                )
                .at(Some(&format!("{}/{}", or.ptr, escape(status))), None)
                .values(Some(json!(status)), None);
            }
        }
        for status in nm.keys() {
            if !om.contains_key(status) {
                let rule = if status.starts_with('2') {
                    Rule::ResponseSuccessStatusAdded
                } else {
                    Rule::ResponseErrorStatusAdded
                };
                self.record(rule, format!("response {status} added"))
                    .at(None, Some(&format!("{}/{}", nr.ptr, escape(status))))
                    .values(None, Some(json!(status)));
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
}
