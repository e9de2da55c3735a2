//! `oneOf` and `anyOf`: the alternatives a value may take, and a schema
//! wrapped in (or unwrapped from) a choice of alternatives.

use serde_json::{Value, json};

use super::super::rules::Rule;
use super::differ::Differ;
use super::pair::{Pair, Wrapping};
use super::view::View;
use upstash_api_codegen::{Loc, ref_pointer};

/// Keywords that describe a schema without constraining its values.
pub const ANNOTATIONS: &[&str] = &[
    "description",
    "title",
    "example",
    "examples",
    "externalDocs",
    "deprecated",
    "$comment",
];

/// One side's alternatives: a `oneOf`/`anyOf` list, or a plain schema seen
/// as the only alternative of itself.
struct Alternatives<'a> {
    locs: Vec<Loc<'a>>,
    /// How each is named in messages: its `$ref`, or `#` and its place
    /// (empty for a plain schema).
    keys: Vec<String>,
    root: &'a Value,
}

impl<'a> Alternatives<'a> {
    fn of(view: &View<'a>, root: &'a Value) -> Alternatives<'a> {
        let key = |(i, l): (usize, &Loc<'a>)| match l.value.get("$ref").and_then(Value::as_str) {
            Some(r) => r.to_string(),
            None => format!("#{i}"),
        };
        let keys = view.variants.iter().enumerate().map(key).collect();
        Alternatives {
            locs: view.variants.clone(),
            keys,
            root,
        }
    }

    fn plain(loc: &Loc<'a>, root: &'a Value) -> Alternatives<'a> {
        Alternatives {
            locs: vec![loc.clone()],
            keys: vec![String::new()],
            root,
        }
    }

    fn target(&self, i: usize) -> &'a Value {
        self.locs[i].target(self.root)
    }

    fn title(&self, i: usize) -> Option<&'a str> {
        let title = self.target(i).get("title")?.as_str();
        title.filter(|t| !t.is_empty())
    }

    fn inline(&self, i: usize) -> bool {
        self.locs[i].value.get("$ref").is_none()
    }
}

/// Pairs the alternatives of `old` with those of `new`: by the schema they
/// name, then by identical content (a renamed component), by equal title,
/// and last the one inline alternative left on each side (edited in
/// place). What is left was added or removed.
fn pair_up(old: &Alternatives<'_>, new: &Alternatives<'_>) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    let mut taken = vec![false; new.locs.len()];
    let mut left: Vec<usize> = (0..old.locs.len()).collect();
    // An alternative is known by the schema it names, a plain schema by where it is.
    let known_as = |a: &Alternatives<'_>, i: usize| {
        let reference = a.locs[i].value.get("$ref").and_then(Value::as_str);
        match reference {
            Some(r) => Some(ref_pointer(r).map_or_else(|| r.to_string(), |p| p.into_owned())),
            None => Some(a.locs[i].ptr.clone()).filter(|_| a.keys[i].is_empty()),
        }
    };
    let passes: [&dyn Fn(usize, usize) -> bool; 3] = [
        &|i, j| known_as(old, i).is_some_and(|a| Some(a) == known_as(new, j)),
        &|i, j| same_shape(old.target(i), new.target(j)),
        &|i, j| old.title(i).is_some() && old.title(i) == new.title(j),
    ];
    for matches in passes {
        left.retain(|&i| {
            let found = (0..new.locs.len()).find(|&j| !taken[j] && matches(i, j));
            if let Some(j) = found {
                taken[j] = true;
                pairs.push((i, j));
            }
            found.is_none()
        });
    }
    let inline_new: Vec<usize> = (0..new.locs.len())
        .filter(|&j| !taken[j] && new.inline(j))
        .collect();
    let inline_old: Vec<usize> = left.iter().copied().filter(|&i| old.inline(i)).collect();
    if let ([i], [j]) = (inline_old.as_slice(), inline_new.as_slice()) {
        pairs.push((*i, *j));
    }
    pairs
}

/// Whether two schemas constrain values alike: equal but for annotations.
pub fn same_shape(a: &Value, b: &Value) -> bool {
    match (a.as_object(), b.as_object()) {
        (Some(a), Some(b)) => {
            let kept = |(k, _): &(&String, &Value)| !ANNOTATIONS.contains(&k.as_str());
            a.iter().filter(kept).eq(b.iter().filter(kept))
        }
        _ => a == b,
    }
}

impl<'a> Differ<'a> {
    /// `oneOf` / `anyOf` alternatives paired ([`pair_up`]) and compared, the
    /// others added or removed. A plain schema that became a choice (or the
    /// reverse) is paired with its own alternative when one has its shape,
    /// else with the closest one and reported as wrapped (unwrapped).
    pub(super) fn variants(&mut self, pair: &Pair<'a>) {
        let (ov, nv) = (&pair.old, &pair.new);
        if ov.variants.is_empty() && nv.variants.is_empty() {
            return;
        }
        let wrapped = pair.wrapping == Wrapping::Wrapped;
        let unwrapped = pair.wrapping == Wrapping::Unwrapped;
        let old = match wrapped {
            true => Alternatives::plain(&pair.old_loc, self.old_root),
            false => Alternatives::of(ov, self.old_root),
        };
        let new = match unwrapped {
            true => Alternatives::plain(&pair.new_loc, self.new_root),
            false => Alternatives::of(nv, self.new_root),
        };
        let pairs = pair_up(&old, &new);
        if (wrapped || unwrapped) && pairs.is_empty() {
            let (rule, what) = match wrapped {
                true => (
                    pair.rule(
                        Rule::RequestWrappedInVariants,
                        Rule::ResponseWrappedInVariants,
                    ),
                    "is now a choice of alternatives",
                ),
                false => (
                    pair.rule(
                        Rule::RequestUnwrappedFromVariants,
                        Rule::ResponseUnwrappedFromVariants,
                    ),
                    "is no longer a choice of alternatives",
                ),
            };
            let counts = |a: &Alternatives<'_>| json!(a.locs.len());
            self.record_pair(pair, rule, format!("{}: {what}", pair.label))
                .values(Some(counts(&old)), Some(counts(&new)));
            // The rest of the change is the wrapping itself.
            let (i, j) = self.closest(&old, &new);
            self.alternative_pair(pair, &old, &new, i, j);
            return;
        }
        for &(i, j) in &pairs {
            self.alternative_pair(pair, &old, &new, i, j);
        }
        let (op, np) = (pair.old_loc.ptr.as_str(), pair.new_loc.ptr.as_str());
        for i in (0..old.locs.len()).filter(|i| !pairs.iter().any(|p| p.0 == *i)) {
            let rule = pair.rule(Rule::RequestVariantRemoved, Rule::ResponseVariantRemoved);
            let message = format!("{}: alternative {} removed", pair.label, old.keys[i]);
            self.record(rule, message)
                .at(Some(&old.locs[i].ptr), Some(np))
                .values(Some(json!(old.keys[i])), None);
        }
        for j in (0..new.locs.len()).filter(|j| !pairs.iter().any(|p| p.1 == *j)) {
            let rule = pair.rule(Rule::RequestVariantAdded, Rule::ResponseVariantAdded);
            let message = format!("{}: alternative {} added", pair.label, new.keys[j]);
            self.record(rule, message)
                .at(Some(op), Some(&new.locs[j].ptr))
                .values(None, Some(json!(new.keys[j])));
        }
    }

    /// Compares alternative `i` of `old` with alternative `j` of `new`.
    fn alternative_pair(
        &mut self,
        pair: &Pair<'a>,
        old: &Alternatives<'a>,
        new: &Alternatives<'a>,
        i: usize,
        j: usize,
    ) {
        let key = if new.keys[j].is_empty() {
            &old.keys[i]
        } else {
            &new.keys[j]
        };
        let label = format!("{}|{key}", pair.label);
        let (o, n) = (old.locs[i].clone(), new.locs[j].clone());
        self.schema(pair.dir, &label, o, n, pair.depth + 1);
    }

    /// The pair of alternatives, one side having exactly one, that share
    /// the most: property names, then the type.
    fn closest(&self, old: &Alternatives<'a>, new: &Alternatives<'a>) -> (usize, usize) {
        let view = |a: &Alternatives<'a>, i: usize| View::build(a.root, &a.locs[i]);
        let mut best = ((0, 0), 0usize);
        for i in 0..old.locs.len() {
            let a = view(old, i);
            for j in 0..new.locs.len() {
                let b = view(new, j);
                let shared = a
                    .props
                    .iter()
                    .filter(|(name, _)| b.props.iter().any(|(n, _)| n == name));
                let same_type =
                    a.effective_type().is_some() && a.effective_type() == b.effective_type();
                let score = 2 * shared.count() + usize::from(same_type) + 1;
                if score > best.1 {
                    best = ((i, j), score);
                }
            }
        }
        best.0
    }
}
