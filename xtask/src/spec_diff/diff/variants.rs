//! `oneOf` and `anyOf`: the alternatives a value may take.

use serde_json::{Value, json};

use super::super::load::pointer::Loc;
use super::super::rules::Rule;
use super::differ::{Differ, dir_rule};
use super::schema::Pair;
use super::view::View;

impl<'a> Differ<'a> {
    /// `oneOf` / `anyOf` alternatives: paired by reference (or position),
    /// then by identical content (a renamed component); each pair
    /// compared, the others added or removed.
    pub(super) fn variants(&mut self, pair: &Pair<'a>) {
        let (dir, label, ov, nv, depth) = (pair.dir, &pair.label, &pair.old, &pair.new, pair.depth);
        let (op, np) = (pair.old_ptr.as_str(), pair.new_ptr.as_str());
        if ov.variants.is_empty() && nv.variants.is_empty() {
            return;
        }
        // An alternative is known by its `$ref`, or else by its place.
        let keys = |view: &View<'a>| -> Vec<String> {
            let key = |(i, l): (usize, &Loc<'a>)| match l.value.get("$ref").and_then(Value::as_str)
            {
                Some(r) => r.to_string(),
                None => format!("#{i}"),
            };
            view.variants.iter().enumerate().map(key).collect()
        };
        let (okeys, nkeys) = (keys(ov), keys(nv));
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        let mut new_taken = vec![false; nkeys.len()];
        let mut old_left = Vec::new();
        for (i, k) in okeys.iter().enumerate() {
            match nkeys.iter().position(|x| x == k) {
                Some(j) if !new_taken[j] => {
                    new_taken[j] = true;
                    pairs.push((i, j));
                }
                _ => old_left.push(i),
            }
        }
        let mut old_unpaired = Vec::new();
        for i in old_left {
            let content = ov.variants[i].target(self.old_root);
            let same = (0..nkeys.len())
                .find(|&j| !new_taken[j] && nv.variants[j].target(self.new_root) == content);
            match same {
                Some(j) => {
                    new_taken[j] = true;
                    pairs.push((i, j));
                }
                None => old_unpaired.push(i),
            }
        }
        for (i, j) in pairs {
            self.schema(
                dir,
                &format!("{label}|{}", okeys[i]),
                ov.variants[i].clone(),
                nv.variants[j].clone(),
                depth + 1,
            );
        }
        for i in old_unpaired {
            self.record(
                dir_rule(
                    dir,
                    Rule::RequestVariantRemoved,
                    Rule::ResponseVariantRemoved,
                ),
                format!("{label}: alternative {} removed", okeys[i]),
            )
            .at(Some(&ov.variants[i].ptr), Some(np))
            .values(Some(json!(okeys[i])), None);
        }
        for (j, k) in nkeys.iter().enumerate() {
            if !new_taken[j] {
                self.record(
                    dir_rule(dir, Rule::RequestVariantAdded, Rule::ResponseVariantAdded),
                    format!("{label}: alternative {k} added"),
                )
                .at(Some(op), Some(&nv.variants[j].ptr))
                .values(None, Some(json!(k)));
            }
        }
    }
}
