//! Enums and validation keywords: each change says whether it accepts
//! fewer values (tightened) or more (loosened); which of the two breaks
//! depends on the direction.

use std::collections::HashSet;

use serde_json::Value;

use super::super::rules::{Direction, Rule};
use super::differ::Differ;
use super::pair::Pair;
use super::view::View;

impl<'a> Differ<'a> {
    /// `enum` added, removed, or its values added or removed.
    pub(super) fn enums(&mut self, pair: &Pair<'a>) {
        let label = &pair.label;
        match (pair.old.enumeration, pair.new.enumeration) {
            (None, None) => {}
            (None, Some(values)) => {
                let rule = constraint_rule(pair, true);
                let message = format!("{label}: restricted to an enum of {} values", values.len());
                self.record_pair(pair, rule, message)
                    .values(None, Some(Value::Array(values.clone())));
            }
            (Some(values), None) => {
                let rule = constraint_rule(pair, false);
                let message = format!("{label}: no longer restricted to an enum");
                self.record_pair(pair, rule, message)
                    .values(Some(Value::Array(values.clone())), None);
            }
            (Some(a), Some(b)) => {
                let rules = [
                    pair.rule(
                        Rule::RequestEnumValueRemoved,
                        Rule::ResponseEnumValueRemoved,
                    ),
                    pair.rule(Rule::RequestEnumValueAdded, Rule::ResponseEnumValueAdded),
                ];
                self.enum_values(pair, "enum", a, b, rules);
            }
        }
        // `x-extensible-enum` lists the values known today; a response may
        // carry others, so only its values are compared, not its presence.
        let extensible = |view: &View<'a>| view.keyword("x-extensible-enum")?.as_array();
        if let (Some(a), Some(b)) = (extensible(&pair.old), extensible(&pair.new)) {
            let rules = [
                pair.rule(
                    Rule::RequestExtensibleEnumValueRemoved,
                    Rule::ResponseExtensibleEnumValueRemoved,
                ),
                pair.rule(
                    Rule::RequestExtensibleEnumValueAdded,
                    Rule::ResponseExtensibleEnumValueAdded,
                ),
            ];
            self.enum_values(pair, "x-extensible-enum", a, b, rules);
        }
    }

    /// The values of list `a` that `b` lacks, recorded as `removed`, and
    /// those of `b` that `a` lacks, as `added`.
    fn enum_values(
        &mut self,
        pair: &Pair<'a>,
        keyword: &str,
        a: &[Value],
        b: &[Value],
        [removed, added]: [Rule; 2],
    ) {
        let label = &pair.label;
        let key = |v: &Value| v.to_string();
        let aset: HashSet<String> = a.iter().map(key).collect();
        let bset: HashSet<String> = b.iter().map(key).collect();
        for v in a.iter().filter(|v| !bset.contains(&key(v))) {
            let message = format!("{label}: {keyword} value {v} removed");
            self.record_pair(pair, removed, message)
                .values(Some(v.clone()), None);
        }
        for v in b.iter().filter(|v| !aset.contains(&key(v))) {
            let message = format!("{label}: {keyword} value {v} added");
            self.record_pair(pair, added, message)
                .values(None, Some(v.clone()));
        }
    }

    /// The validation keywords of [`CONSTRAINTS`] that differ, in that order.
    pub(super) fn constraints(&mut self, pair: &Pair<'a>) {
        for (keyword, kind) in CONSTRAINTS {
            let (a, b) = (pair.old.keyword(keyword), pair.new.keyword(keyword));
            if a == b {
                continue;
            }
            let Some(tighter) = kind.tighter(a, b, pair.dir) else {
                continue;
            };
            let rule = constraint_rule(pair, tighter);
            let show = |v: Option<&Value>| v.map(Value::to_string).unwrap_or_else(|| "none".into());
            let what = if tighter { "tightened" } else { "loosened" };
            let (was, is) = (show(a), show(b));
            let message = format!("{}: {keyword} {what} ({was} -> {is})", pair.label);
            self.record_pair(pair, rule, message)
                .values(a.cloned(), b.cloned());
        }
    }
}

/// The constraint rule of `pair`'s direction for a change that accepts
/// fewer values (`tighter`) or more.
fn constraint_rule(pair: &Pair<'_>, tighter: bool) -> Rule {
    match (tighter, pair.dir) {
        (true, Direction::Request) => Rule::RequestConstraintTightened,
        (true, Direction::Response) => Rule::ResponseConstraintTightened,
        (false, Direction::Request) => Rule::RequestConstraintLoosened,
        (false, Direction::Response) => Rule::ResponseConstraintLoosened,
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
                (Some(x), Some(y)) => (x != y).then_some(y < x),
                (None, None) => None,
            },
            Kind::Min | Kind::MinCount => {
                // minLength: 0 and no minLength mean the same.
                let floor = if matches!(self, Kind::MinCount) {
                    0.0
                } else {
                    f64::NEG_INFINITY
                };
                let (x, y) = (num(a).unwrap_or(floor), num(b).unwrap_or(floor));
                (x != y).then_some(y > x)
            }
            Kind::Flag => {
                let flag = |v: Option<&Value>| v.and_then(Value::as_bool).unwrap_or(false);
                (flag(a) != flag(b)).then_some(flag(b))
            }
            Kind::Pattern => match (some_pattern(a), some_pattern(b)) {
                (None, None) => None,
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

/// A pattern that restricts anything: `""` and `.*` (patterns are searched
/// for, unanchored) match every string, as no pattern does.
fn some_pattern(v: Option<&Value>) -> Option<&Value> {
    v.filter(|v| !matches!(v.as_str(), Some("" | ".*")))
}
