//! Properties and `additionalProperties`: what an object may or must hold.

use std::collections::{HashMap, HashSet};

use serde_json::{Value, json};

use super::super::load::pointer::Loc;
use super::super::rules::{Direction, Rule};
use super::differ::{Differ, is_true};
use super::schema::Pair;
use super::view::View;

impl<'a> Differ<'a> {
    /// Properties added, removed, required or not, deprecated; each kept
    /// property's schema compared. A property hidden in this direction
    /// (`readOnly` in requests, `writeOnly` in responses) does not count.
    pub(super) fn properties(&mut self, pair: &Pair<'a>) {
        let (dir, label, ov, nv, depth) = (pair.dir, &pair.label, &pair.old, &pair.new, pair.depth);
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
                    self.record(
                        rule,
                        format!(
                            "{here}: {}property removed",
                            if was_required { "required " } else { "" }
                        ),
                    )
                    .at(Some(&ol.ptr), None)
                    .values(Some(json!(name)), None);
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
                    if !deprecated(self.old_root, ol) && deprecated(self.new_root, nl) {
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
            self.record(
                rule,
                format!(
                    "{label}.{name}: {}property added",
                    if required { "required " } else { "optional " }
                ),
            )
            .at(None, Some(&nl.ptr))
            .values(None, Some(json!(name)));
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
                self.schema(
                    dir,
                    &format!("{label}.*"),
                    x.clone(),
                    y.clone(),
                    pair.depth + 1,
                );
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
        let message = format!(
            "{label}: additional properties {} ({} -> {})",
            if widened { "widened" } else { "narrowed" },
            a.name(),
            b.name()
        );
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
