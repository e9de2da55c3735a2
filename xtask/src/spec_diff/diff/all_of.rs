//! `allOf` members added or removed. Their content is already compared
//! through the merged [`View`]; a member that adds to the schema is reported
//! too, because a value must now match all of it (in a request) or may lack
//! what it promised (in a response), whatever the merge shows.

use serde_json::{Value, json};

use super::super::rules::Rule;
use super::differ::Differ;
use super::pair::Pair;
use super::variants::{ANNOTATIONS, same_shape};
use super::view::View;
use upstash_api_codegen::Loc;

/// The direct `allOf` members of a (resolved) schema.
fn members<'a>(schema: &Loc<'a>) -> Vec<Loc<'a>> {
    let list = schema.value.get("allOf").and_then(Value::as_array);
    let members = list.into_iter().flatten().enumerate();
    members
        .map(|(i, value)| Loc {
            value,
            ptr: format!("{}/allOf/{i}", schema.ptr),
        })
        .collect()
}

/// Whether everything the member at `member` asks of a value, `view`
/// already asks: a refactoring into `allOf` changes nothing.
fn within(member: &Loc<'_>, root: &Value, view: &View<'_>, view_root: &Value) -> bool {
    let m = View::build(root, member);
    let props = m.props.iter().all(|(name, loc)| {
        let theirs = view.props.iter().find(|(n, _)| n == name);
        theirs.is_some_and(|(_, l)| same_shape(loc.target(root), l.target(view_root)))
    });
    let skipped = |k: &str| {
        ANNOTATIONS.contains(&k)
            || k.starts_with("x-")
            || matches!(k, "properties" | "required" | "allOf")
    };
    let keywords = m.objects.iter().flat_map(|map| map.iter());
    props
        && m.required.iter().all(|r| view.required.contains(r))
        && keywords
            .filter(|(k, _)| !skipped(k))
            .all(|(k, v)| view.keyword(k) == Some(v))
}

impl<'a> Differ<'a> {
    /// Members paired by the schema they name, then by identical content;
    /// an unpaired one is reported unless it asks nothing the other side's
    /// whole schema does not.
    pub(super) fn all_of(&mut self, pair: &Pair<'a>) {
        let (old, new) = (members(&pair.old_loc), members(&pair.new_loc));
        if old.is_empty() && new.is_empty() {
            return;
        }
        let key = |l: &Loc<'_>, i: usize| match l.value.get("$ref").and_then(Value::as_str) {
            Some(r) => r.to_string(),
            None => format!("#{i}"),
        };
        let mut new_left: Vec<bool> = vec![true; new.len()];
        let mut old_left: Vec<bool> = vec![true; old.len()];
        let (old_root, new_root) = (self.old_root, self.new_root);
        let same = |by_ref: bool, o: &Loc<'a>, n: &Loc<'a>| match by_ref {
            true => o.value.get("$ref").is_some() && o.value.get("$ref") == n.value.get("$ref"),
            false => same_shape(o.target(old_root), n.target(new_root)),
        };
        for by_ref in [true, false] {
            for (i, o) in old.iter().enumerate() {
                if old_left[i]
                    && let Some(j) =
                        (0..new.len()).find(|&j| new_left[j] && same(by_ref, o, &new[j]))
                {
                    new_left[j] = false;
                    old_left[i] = false;
                }
            }
        }
        let label = &pair.label;
        for (i, o) in old.iter().enumerate().filter(|(i, _)| old_left[*i]) {
            if within(o, self.old_root, &pair.new, self.new_root) {
                continue;
            }
            let rule = pair.rule(Rule::RequestAllOfRemoved, Rule::ResponseAllOfRemoved);
            let message = format!("{label}: allOf member {} removed", key(o, i));
            self.record(rule, message)
                .at(Some(&o.ptr), Some(&pair.new_loc.ptr))
                .values(Some(json!(key(o, i))), None);
        }
        for (j, n) in new.iter().enumerate().filter(|(j, _)| new_left[*j]) {
            if within(n, self.new_root, &pair.old, self.old_root) {
                continue;
            }
            let rule = pair.rule(Rule::RequestAllOfAdded, Rule::ResponseAllOfAdded);
            let message = format!("{label}: allOf member {} added", key(n, j));
            self.record(rule, message)
                .at(Some(&pair.old_loc.ptr), Some(&n.ptr))
                .values(None, Some(json!(key(n, j))));
        }
    }
}
