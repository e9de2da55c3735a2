//! The discriminator of a choice of alternatives: the property that tags a
//! value, and the tag values mapped to schemas. A discriminator added or
//! removed changes no value (the alternatives still decide), so only one
//! present on both sides is compared.

use serde_json::{Map, Value, json};

use super::super::rules::Rule;
use super::differ::Differ;
use super::pair::Pair;
use upstash_api_codegen::plain_text as plain;

impl<'a> Differ<'a> {
    /// The discriminators of `pair`'s schemas, when both have one.
    pub(super) fn discriminator(&mut self, pair: &Pair<'a>) {
        let key = "discriminator";
        let (Some(od), Some(nd)) = (pair.old.keyword(key), pair.new.keyword(key)) else {
            return;
        };
        let label = &pair.label;
        let (op, np) = (od.get("propertyName"), nd.get("propertyName"));
        if op != np {
            let show = |v: Option<&Value>| v.map_or_else(|| "none".into(), plain);
            let (was, is) = (show(op), show(np));
            let message = format!("{label}: discriminator property changed from {was} to {is}");
            self.record_pair(pair, Rule::DiscriminatorPropertyChanged, message)
                .values(op.cloned(), np.cloned());
        }
        let empty = Map::new();
        let mapping = |d: &'a Value| d.get("mapping").and_then(Value::as_object);
        let (om, nm) = (mapping(od).unwrap_or(&empty), mapping(nd).unwrap_or(&empty));
        for (tag, schema) in om {
            match nm.get(tag) {
                Some(now) if now != schema => {
                    let message =
                        format!("{label}: discriminator value `{tag}` maps to another schema");
                    self.record_pair(pair, Rule::DiscriminatorMappingChanged, message)
                        .values(Some(schema.clone()), Some(now.clone()));
                }
                Some(_) => {}
                None => {
                    let rule = pair.rule(
                        Rule::RequestDiscriminatorMappingRemoved,
                        Rule::ResponseDiscriminatorMappingRemoved,
                    );
                    let message = format!("{label}: discriminator value `{tag}` removed");
                    self.record_pair(pair, rule, message)
                        .values(Some(json!(tag)), None);
                }
            }
        }
        for tag in nm.keys().filter(|tag| !om.contains_key(*tag)) {
            let rule = pair.rule(
                Rule::RequestDiscriminatorMappingAdded,
                Rule::ResponseDiscriminatorMappingAdded,
            );
            let message = format!("{label}: discriminator value `{tag}` added");
            self.record_pair(pair, rule, message)
                .values(None, Some(json!(tag)));
        }
    }
}
