//! One schema pair: its type, format and nullability here, the rest by the
//! families it holds ([`constraints`](super::constraints),
//! [`properties`](super::properties), [`variants`](super::variants)).

use serde_json::{Value, json};

use super::super::change::Change;
use super::super::rules::{Direction, Rule};
use super::differ::Differ;
use super::pair::{MAX_DEPTH, Pair, Wrapping};
use super::view::View;
use upstash_api_codegen::{Loc, plain_text as plain};

impl<'a> Differ<'a> {
    /// Records a change of `rule` at both schemas of `pair`.
    pub(super) fn record_pair(
        &mut self,
        pair: &Pair<'a>,
        rule: Rule,
        message: impl Into<String>,
    ) -> &mut Change {
        self.record(rule, message)
            .at(Some(&pair.old_loc.ptr), Some(&pair.new_loc.ptr))
    }

    /// Compares the schemas at `old` and `new` (each resolved), once per
    /// pair and direction.
    pub(super) fn schema(
        &mut self,
        dir: Direction,
        label: &str,
        old: Loc<'a>,
        new: Loc<'a>,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        let old = old.resolve(self.old_root);
        let new = new.resolve(self.new_root);
        if !self.first_visit(old.value, new.value, dir) || std::ptr::eq(old.value, new.value) {
            return;
        }
        let documentation = [
            "description",
            "title",
            "example",
            "examples",
            "externalDocs",
        ];
        self.docs_keys(&old, &new, &documentation);
        let old_view = View::build(self.old_root, &old);
        let new_view = View::build(self.new_root, &new);
        let pair = Pair::new(dir, label, (old_view, new_view), (old, new), depth);
        if self.kind(&pair) {
            return;
        }
        if pair.wrapping != Wrapping::Neither {
            self.variants(&pair);
            return;
        }
        self.enums(&pair);
        self.constraints(&pair);
        self.properties(&pair);
        self.all_of(&pair);
        self.additional(&pair);
        if let (Some(oi), Some(ni)) = (pair.old.items.clone(), pair.new.items.clone()) {
            self.schema(dir, &format!("{label}[]"), oi, ni, depth + 1);
        }
        self.variants(&pair);
        self.discriminator(&pair);
    }

    /// Type, format and nullability; `true` when the type changed (nothing
    /// else is compared then).
    fn kind(&mut self, pair: &Pair<'a>) -> bool {
        let label = &pair.label;
        if let (Some(a), Some(b)) = (pair.old.effective_type(), pair.new.effective_type())
            && a != b
        {
            let widened =
                pair.dir == Direction::Request && type_widens(a, b, self.parameter_schema);
            let changed = pair.rule(Rule::RequestTypeChanged, Rule::ResponseTypeChanged);
            let (rule, what) = match widened {
                true => (Rule::RequestTypeWidened, "widened"),
                false => (changed, "changed"),
            };
            let message = format!("{label}: type {what} from {} to {}", plain(a), plain(b));
            self.record_pair(pair, rule, message)
                .values(Some(a.clone()), Some(b.clone()));
            return true;
        }
        let (of, nf) = (pair.old.format, pair.new.format);
        if of != nf {
            let show = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or("none").to_string();
            let widened = pair.dir == Direction::Request && format_widens(of, nf);
            let changed = pair.rule(Rule::RequestFormatChanged, Rule::ResponseFormatChanged);
            let (rule, what) = match widened {
                true => (Rule::RequestFormatWidened, "widened"),
                false => (changed, "changed"),
            };
            let message = format!("{label}: format {what} from {} to {}", show(of), show(nf));
            self.record_pair(pair, rule, message)
                .values(of.cloned(), nf.cloned());
        }
        // A choice that replaced a schema (or the reverse) allows null when
        // an alternative does: that is judged with the alternatives.
        if pair.wrapping != Wrapping::Neither {
            return false;
        }
        let (was, is) = (pair.old.nullable, pair.new.nullable);
        let (rule, message) = match (was, is) {
            (false, true) => (
                pair.rule(Rule::RequestBecameNullable, Rule::ResponseBecameNullable),
                "may now be null",
            ),
            (true, false) => (
                pair.rule(
                    Rule::RequestBecameNotNullable,
                    Rule::ResponseBecameNotNullable,
                ),
                "may no longer be null",
            ),
            _ => return false,
        };
        self.record_pair(pair, rule, format!("{label}: {message}"))
            .values(Some(json!(was)), Some(json!(is)));
        false
    }
}

/// Whether every value of type `old` is also one of type `new` (either may
/// be a list of types). Integers are numbers; in a parameter, which is text
/// on the wire, any scalar is also a string.
fn type_widens(old: &Value, new: &Value, text: bool) -> bool {
    fn names(v: &Value) -> Vec<&str> {
        let list = v.as_array().map_or(std::slice::from_ref(v), Vec::as_slice);
        list.iter().filter_map(Value::as_str).collect()
    }
    let (old, new) = (names(old), names(new));
    let has = |t: &str| new.contains(&t);
    !old.is_empty()
        && old.iter().all(|&t| {
            has(t)
                || (t == "integer" && has("number"))
                || (text && has("string") && matches!(t, "integer" | "number" | "boolean"))
        })
}

/// Whether every value of format `old` is also one of format `new`: a
/// dropped format, or a wider number. (A date is not a date-time: that
/// change stays a change.)
fn format_widens(old: Option<&Value>, new: Option<&Value>) -> bool {
    match (old.and_then(Value::as_str), new.and_then(Value::as_str)) {
        (Some(_), None) => true,
        (Some(a), Some(b)) => matches!((a, b), ("int32", "int64") | ("float", "double")),
        _ => false,
    }
}
