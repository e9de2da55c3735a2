//! A schema seen through `allOf`: its own keywords first, then those of
//! each `allOf` member (resolved), properties and `required` merged.

use std::collections::HashSet;

use serde_json::Value;

use upstash_api_codegen::{Loc, escape_segment as escape};

/// A schema seen through `allOf`.
#[derive(Default)]
pub struct View<'a> {
    /// The keyword maps: the schema's own, then each `allOf` member's.
    pub objects: Vec<&'a serde_json::Map<String, Value>>,
    /// The first `format`.
    pub format: Option<&'a Value>,
    /// Whether `null` is allowed (the schema's own `nullable` wins).
    pub nullable: bool,
    /// The first `enum`.
    pub enumeration: Option<&'a Vec<Value>>,
    /// The properties, each name once, first seen first.
    pub props: Vec<(&'a str, Loc<'a>)>,
    /// The required property names, merged.
    pub required: HashSet<&'a str>,
    /// The first `items`.
    pub items: Option<Loc<'a>>,
    /// The first `additionalProperties`.
    pub additional: Option<Loc<'a>>,
    /// The `oneOf` / `anyOf` alternatives of the first schema that has any.
    pub variants: Vec<Loc<'a>>,
}

/// At most this many `allOf` members are merged into one view.
const MAX_ALL_OF: usize = 256;

impl<'a> View<'a> {
    /// The view of the schema at `loc` (resolved).
    pub fn build(root: &'a Value, loc: &Loc<'a>) -> View<'a> {
        let mut view = View::default();
        let mut nullable: Option<bool> = None;
        let mut any_nullable = false;
        let mut queue: Vec<Loc<'a>> = vec![loc.clone()];
        let mut visited: HashSet<usize> = HashSet::new();
        let mut names: HashSet<&'a str> = HashSet::new();
        let mut i = 0;
        while i < queue.len() && i < MAX_ALL_OF {
            let (value, ptr) = (queue[i].value, std::mem::take(&mut queue[i].ptr));
            let current = Loc { value, ptr }.resolve(root);
            i += 1;
            if !visited.insert(std::ptr::from_ref(current.value) as usize) {
                continue;
            }
            let Some(map) = current.value.as_object() else {
                continue;
            };
            view.objects.push(map);
            let root_object = i == 1;
            let child = |key: &str| format!("{}/{}", current.ptr, escape(key));
            let (mut one_of, mut any_of) = (None, None);
            // One pass over the keywords: cheaper than a lookup per keyword.
            for (key, value) in map {
                match key.as_str() {
                    "format" if view.format.is_none() => view.format = Some(value),
                    "enum" if view.enumeration.is_none() => {
                        view.enumeration = value.as_array();
                    }
                    "nullable" => match value.as_bool() {
                        Some(b) if nullable.is_none() && root_object => nullable = Some(b),
                        Some(true) => any_nullable = true,
                        _ => {}
                    },
                    "properties" => {
                        if let Some(pm) = value.as_object() {
                            let base = child("properties");
                            for (name, schema) in pm {
                                if names.insert(name.as_str()) {
                                    let ptr = format!("{base}/{}", escape(name));
                                    view.props.push((name.as_str(), Loc { value: schema, ptr }));
                                }
                            }
                        }
                    }
                    "required" => {
                        if let Some(req) = value.as_array() {
                            view.required.extend(req.iter().filter_map(Value::as_str));
                        }
                    }
                    "items" if view.items.is_none() => view.items = current.child(key),
                    "additionalProperties" if view.additional.is_none() => {
                        view.additional = current.child(key);
                    }
                    "oneOf" => one_of = value.as_array().map(|a| (a, child("oneOf"))),
                    "anyOf" => any_of = value.as_array().map(|a| (a, child("anyOf"))),
                    "allOf" => {
                        if let Some(arr) = value.as_array() {
                            let base = child("allOf");
                            for (j, value) in arr.iter().enumerate() {
                                let ptr = format!("{base}/{j}");
                                queue.push(Loc { value, ptr });
                            }
                        }
                    }
                    _ => {}
                }
            }
            if view.variants.is_empty() {
                for (arr, base) in [one_of, any_of].into_iter().flatten() {
                    for (j, value) in arr.iter().enumerate() {
                        let ptr = format!("{base}/{j}");
                        view.variants.push(Loc { value, ptr });
                    }
                }
            }
        }
        view.nullable = nullable.unwrap_or(any_nullable);
        view
    }

    /// The first value of `key` among the keyword maps.
    pub fn keyword(&self, key: &str) -> Option<&'a Value> {
        self.objects.iter().find_map(|m| m.get(key))
    }

    /// The first `type`.
    pub fn effective_type(&self) -> Option<&'a Value> {
        self.keyword("type")
    }
}
