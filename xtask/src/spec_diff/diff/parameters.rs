//! Parameters: matched by location and name (path parameters by their
//! place in the template), then moved, renamed, added or removed.

use std::collections::HashMap;

use serde_json::json;

use super::super::rules::{Direction, Rule};
use super::differ::Differ;
use upstash_api_codegen::{Loc, Operation, Param, plain_text as plain};

impl<'a> Differ<'a> {
    pub(super) fn parameters(&mut self, o: &Operation<'a>, n: &Operation<'a>) {
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
                let (name, from, to) = (p.name, p.location, q.location);
                let message = format!("parameter `{name}` moved from {from} to {to}");
                self.record(Rule::RequestParameterMoved, message)
                    .at(Some(&p.loc.ptr), Some(&q.loc.ptr))
                    .values(Some(json!(from)), Some(json!(to)));
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
            let (location, from, to) = (p.location, p.name, q.name);
            let message = format!("{location} parameter `{from}` renamed to `{to}`");
            self.record(Rule::RequestParameterRenamed, message)
                .at(Some(&p.loc.ptr), Some(&q.loc.ptr))
                .values(Some(json!(from)), Some(json!(to)));
        }
        for (p, _) in still_old.iter().zip(&renamed).filter(|(_, r)| !**r) {
            let message = format!("{} parameter `{}` removed", p.location, p.name);
            let rule = Rule::RequestParameterRemoved;
            self.record_one(rule, message, false, &p.loc.ptr, json!(p.name));
        }
        for q in unmatched_new {
            let (rule, what) = if q.required {
                (Rule::RequestRequiredParameterAdded, "required")
            } else {
                (Rule::RequestOptionalParameterAdded, "optional")
            };
            let message = format!("{what} {} parameter `{}` added", q.location, q.name);
            self.record_one(rule, message, true, &q.loc.ptr, json!(q.name));
        }
    }

    pub(super) fn parameter(&mut self, p: &Param<'a>, q: &Param<'a>) {
        let (was, is) = (p.required, q.required);
        if (p.location != "path" || q.location != "path") && was != is {
            let (rule, what) = match is {
                true => (Rule::RequestParameterBecameRequired, "required"),
                false => (Rule::RequestParameterBecameOptional, "optional"),
            };
            let message = format!("{} parameter `{}` became {what}", q.location, q.name);
            self.record(rule, message)
                .at(Some(&p.loc.ptr), Some(&q.loc.ptr))
                .values(Some(json!(was)), Some(json!(is)));
        }
        if !p.deprecated && q.deprecated {
            let message = format!("{} parameter `{}` deprecated", q.location, q.name);
            self.record(Rule::RequestParameterDeprecated, message)
                .at(Some(&p.loc.ptr), Some(&q.loc.ptr));
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
            // A required parameter is always sent: its default is never used.
            let od = os.clone().resolve(self.old_root).value.get("default");
            let nd = ns.clone().resolve(self.new_root).value.get("default");
            if !was && !is && od != nd {
                let show = |v: Option<&serde_json::Value>| v.map_or_else(|| "none".into(), plain);
                let message = format!("{label}: default changed from {} to {}", show(od), show(nd));
                self.record(Rule::RequestParameterDefaultChanged, message)
                    .at(Some(&os.ptr), Some(&ns.ptr))
                    .values(od.cloned(), nd.cloned());
            }
            self.parameter_schema = true;
            self.schema(Direction::Request, &label, os, ns, 0);
            self.parameter_schema = false;
        }
    }
}
