//! Two schemas compared as one, and what the pair is decided to be once,
//! before any rule family reads it: whether a plain schema became a choice
//! of alternatives, or the reverse.

use super::super::rules::{Direction, Rule};
use super::differ::dir_rule;
use super::view::View;
use upstash_api_codegen::Loc;

/// How deep schema comparison goes before it stops descending.
pub const MAX_DEPTH: usize = 200;

/// Whether the pair is a plain schema that became a choice of
/// alternatives (`oneOf`/`anyOf`), or the reverse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wrapping {
    /// Neither: both sides are plain, or both are choices.
    Neither,
    /// A plain schema became a choice.
    Wrapped,
    /// A choice became a plain schema.
    Unwrapped,
}

/// Two schemas compared as one: the way data flows, the label changes are
/// reported under, both seen through `allOf`, and how deep the walk is.
pub struct Pair<'a> {
    /// Whether the schemas are read as part of a request or a response.
    pub dir: Direction,
    /// Where they are, for people: `request body.name`, `response 200[]`.
    pub label: String,
    /// The old schema.
    pub old: View<'a>,
    /// The new schema.
    pub new: View<'a>,
    /// The old schema (resolved), with its pointer.
    pub old_loc: Loc<'a>,
    /// The new schema (resolved), with its pointer.
    pub new_loc: Loc<'a>,
    /// Nesting depth, bounded by [`MAX_DEPTH`].
    pub depth: usize,
    /// Whether one side wraps the other in alternatives.
    pub wrapping: Wrapping,
}

impl<'a> Pair<'a> {
    /// The pair of the resolved schemas `old` and `new`, seen as `views`.
    pub fn new(
        dir: Direction,
        label: &str,
        (old_view, new_view): (View<'a>, View<'a>),
        (old_loc, new_loc): (Loc<'a>, Loc<'a>),
        depth: usize,
    ) -> Pair<'a> {
        let plain_to_choice = |a: &View<'_>, b: &View<'_>| {
            a.variants.is_empty() && !b.variants.is_empty() && concrete(a) && !concrete(b)
        };
        let wrapping = if plain_to_choice(&old_view, &new_view) {
            Wrapping::Wrapped
        } else if plain_to_choice(&new_view, &old_view) {
            Wrapping::Unwrapped
        } else {
            Wrapping::Neither
        };
        Pair {
            dir,
            label: label.to_string(),
            old: old_view,
            new: new_view,
            old_loc,
            new_loc,
            depth,
            wrapping,
        }
    }

    /// The rule of a request/response pair for this pair's direction.
    pub fn rule(&self, request: Rule, response: Rule) -> Rule {
        dir_rule(self.dir, request, response)
    }
}

/// Whether the view describes a value of its own (a type, properties,
/// items or an enum) rather than only a choice of alternatives.
fn concrete(view: &View<'_>) -> bool {
    !view.props.is_empty()
        || view.effective_type().is_some()
        || view.items.is_some()
        || view.enumeration.is_some()
}
