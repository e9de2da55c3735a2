//! Properties and `additionalProperties`: what an object may or must hold.

use std::collections::{HashMap, HashSet};

use serde_json::{Value, json};

use super::super::rules::{Direction, Rule};
use super::differ::{Differ, is_true};
use super::pair::Pair;
use super::view::View;
use upstash_api_codegen::Loc;

impl<'a> Differ<'a> {
    /// Properties added, removed, required or not, deprecated; each kept
    /// property's schema compared. A property hidden in this direction
    /// (`readOnly` in requests, `writeOnly` in responses) does not count.
    pub(super) fn properties(&mut self, pair: &Pair<'a>) {
        let (dir, label, ov, nv, depth) = (pair.dir, &pair.label, &pair.old, &pair.new, pair.depth);
        if ov.props.is_empty() && nv.props.is_empty() {
            return;
        }
        // Marked on the property or on the schema it refers to.
        let marked = |root: &'a Value, loc: &Loc<'a>, key: &str| {
            is_true(loc.value, key) || is_true(loc.target(root), key)
        };
        let hidden = match dir {
            Direction::Request => "readOnly",
            Direction::Response => "writeOnly",
        };
        let visible = |root: &'a Value, (_, l): &&(&str, Loc<'a>)| !marked(root, l, hidden);
        let (old_root, new_root) = (self.old_root, self.new_root);
        let old_props: Vec<_> = ov.props.iter().filter(|p| visible(old_root, p)).collect();
        let new_props: Vec<_> = nv.props.iter().filter(|p| visible(new_root, p)).collect();
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
                    let what = if was_required { "required " } else { "" };
                    let message = format!("{here}: {what}property removed");
                    self.record_one(rule, message, false, &ol.ptr, json!(name));
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
                        self.record(rule, format!("{here}: {what}"))
                            .at(Some(&ol.ptr), Some(&nl.ptr))
                            .values(Some(json!(was_required)), Some(json!(is_required)));
                    }
                    if !marked(self.old_root, ol, "deprecated")
                        && marked(self.new_root, nl, "deprecated")
                    {
                        self.record(Rule::PropertyDeprecated, format!("{here}: deprecated"))
                            .at(Some(&ol.ptr), Some(&nl.ptr));
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
            let what = if required { "required" } else { "optional" };
            let message = format!("{label}.{name}: {what} property added");
            self.record_one(rule, message, true, &nl.ptr, json!(name));
        }
    }

    /// `additionalProperties` widened, narrowed, or its schema compared.
    pub(super) fn additional(&mut self, pair: &Pair<'a>) {
        let (dir, label) = (pair.dir, &pair.label);
        let (a, b) = (Additional::of(&pair.old), Additional::of(&pair.new));
        let widened = match (&a, &b) {
            (Additional::Open, Additional::Open) | (Additional::Closed, Additional::Closed) => {
                return;
            }
            (Additional::Schema(x), Additional::Schema(y)) => {
                let label = format!("{label}.*");
                self.schema(dir, &label, x.clone(), y.clone(), pair.depth + 1);
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
        let what = if widened { "widened" } else { "narrowed" };
        let (was, is) = (a.name(), b.name());
        let message = format!("{label}: additional properties {what} ({was} -> {is})");
        self.record_pair(pair, rule, message)
            .values(Some(json!(a.name())), Some(json!(b.name())));
    }
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
