//! Where the nodes of a document are in its text: the line and column of
//! each one, for reports a person reads beside the file, CI annotations and
//! errors an editor can jump to.
//!
//! The YAML reader records them while it builds the value
//! ([`crate::yaml::parse_located`]), so finding a change's line costs no
//! second pass over the text. A mapping member is at its key (`size:` is
//! where `/properties/size` is), a sequence item at its start. Nodes are
//! keyed by a 64-bit hash of their pointer, not the pointer itself, which
//! would cost a string per node on large specs; a collision (about one in
//! 10^7 for a million nodes) could misplace a line in a report, never
//! change a verdict. A pointer the text does not spell out (inside an alias
//! or a merge, or one the other side of a diff has) gets the position of
//! its nearest ancestor that the text has.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::pointer::pointer_segments;

/// A place in a text: 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// The position of every node a document's text spells out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Positions {
    at: HashMap<u64, Position>,
}

/// The key of the document's root.
pub(crate) const ROOT: u64 = 0;

/// The key of the member `segment` (a mapping key, or a sequence index
/// written in decimal) of the node keyed `parent`.
pub(crate) fn child(parent: u64, segment: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    parent.hash(&mut hasher);
    segment.hash(&mut hasher);
    hasher.finish()
}

impl Positions {
    /// Notes that the node keyed `node` starts at `at` (the first time only:
    /// a key spelled twice is an error the reader reports anyway).
    pub(crate) fn record(&mut self, node: u64, at: Position) {
        self.at.entry(node).or_insert(at);
    }

    /// The position of the node at `pointer`, or of its nearest ancestor
    /// the text spells out; `None` when not even the root is known (the
    /// text was not read with positions).
    pub fn find(&self, pointer: &str) -> Option<Position> {
        self.find_segments(pointer_segments(pointer))
    }

    /// [`Positions::find`] for a node given by its unescaped segments
    /// (a [`crate::NodePath`]'s, say), without writing its pointer.
    pub fn find_segments<S: AsRef<str>>(
        &self,
        segments: impl IntoIterator<Item = S>,
    ) -> Option<Position> {
        let mut key = ROOT;
        let mut found = self.at.get(&key).copied()?;
        for segment in segments {
            key = child(key, segment.as_ref());
            match self.at.get(&key) {
                Some(at) => found = *at,
                None => break,
            }
        }
        Some(found)
    }
}

#[cfg(test)]
mod tests {
    use crate::document::parse_located;

    fn at(text: &str, pointer: &str) -> Option<(usize, usize)> {
        let (_, positions) = parse_located(text).expect("parses");
        let found = positions.find(pointer);
        let by_segments = positions.find_segments(crate::pointer::pointer_segments(pointer));
        assert_eq!(found, by_segments, "{pointer}");
        found.map(|p| (p.line, p.column))
    }

    const YAML: &str = "openapi: 3.0.3\npaths:\n  /db/{id}:\n    get:\n      parameters:\n        - name: id\n          in: path\n        - {name: q, in: query}\ncomponents:\n  schemas:\n    Database:\n      properties:\n        size: {type: integer}\n";

    #[test]
    fn a_member_is_at_its_key() {
        assert_eq!(
            at(YAML, "/components/schemas/Database/properties/size"),
            Some((13, 9))
        );
        assert_eq!(at(YAML, "/paths/~1db~1{id}/get"), Some((4, 5)));
    }

    #[test]
    fn an_item_is_at_its_start_in_block_and_flow_style() {
        assert_eq!(
            at(YAML, "/paths/~1db~1{id}/get/parameters/0"),
            Some((6, 11))
        );
        assert_eq!(
            at(YAML, "/paths/~1db~1{id}/get/parameters/1/in"),
            Some((8, 21))
        );
    }

    #[test]
    fn a_pointer_the_text_lacks_gets_its_nearest_ancestor() {
        assert_eq!(
            at(YAML, "/components/schemas/Database/properties/size/format"),
            Some((13, 9))
        );
        assert_eq!(at(YAML, "/components/schemas/Missing"), Some((10, 3)));
        assert_eq!(at(YAML, ""), Some((1, 1)));
    }

    #[test]
    fn an_alias_is_where_it_is_used_and_its_inside_is_not_spelled_out() {
        let text = "a: &x {b: 1}\nc: *x\n";
        assert_eq!(at(text, "/c"), Some((2, 1)));
        assert_eq!(at(text, "/c/b"), Some((2, 1)));
        assert_eq!(at(text, "/a/b"), Some((1, 8)));
    }

    #[test]
    fn json_text_is_read_the_same_way() {
        let json = "{\n  \"paths\": {\n    \"/a\": {\"get\": {}}\n  }\n}\n";
        assert_eq!(at(json, "/paths/~1a/get"), Some((3, 12)));
    }
}
