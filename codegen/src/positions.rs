//! Where a JSON pointer is in the text of a document: its line and column,
//! for reports a person reads beside the file and for CI annotations.
//!
//! The text is read again, as events of the same YAML 1.2 parser the build
//! uses (JSON is YAML 1.2 too), keeping the current pointer and no value,
//! so finding positions costs one pass and little memory. Only the asked-for
//! pointers and their ancestors are recorded. A mapping member is at its
//! key (`size:` is where `/properties/size` is), a sequence item at its
//! start. A pointer the text does not spell out (inside an alias or a
//! merge key, or one the other side of a diff has) gets the position of
//! its nearest ancestor that the text has.

use std::collections::{HashMap, HashSet};
use std::fmt::Write;

use granit_parser::{Event, Parser};

/// A place in a text: 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// The collection the reader is in, and where in it.
enum Frame {
    /// A sequence: the index of the next item.
    Seq(usize),
    /// A mapping: whether the next scalar is a key, and the last key read.
    Map { wants_key: bool, key: String },
}

/// The position of each of `pointers` in `text` (a pointer's nearest
/// ancestor's when the text does not spell it out; the document's start
/// for `""`). Pointers the text cannot be read for are left out.
pub fn find<'p>(
    text: &str,
    pointers: impl IntoIterator<Item = &'p str>,
) -> HashMap<&'p str, Position> {
    let pointers: Vec<&str> = pointers.into_iter().collect();
    let mut wanted: HashSet<&str> = HashSet::new();
    for p in &pointers {
        for prefix in ancestors(p) {
            if !wanted.insert(prefix) {
                break;
            }
        }
    }
    let found = scan(text, &wanted);
    pointers
        .into_iter()
        .filter_map(|p| Some((p, *ancestors(p).find_map(|a| found.get(a))?)))
        .collect()
}

/// `pointer` and each pointer it is inside, nearest first, down to `""`.
fn ancestors(pointer: &str) -> impl Iterator<Item = &str> {
    std::iter::successors(Some(pointer), |p| p.rfind('/').map(|i| &p[..i]))
}

/// One pass over the events, recording where each wanted pointer starts;
/// it stops once every one is found.
fn scan(text: &str, wanted: &HashSet<&str>) -> HashMap<String, Position> {
    let mut found: HashMap<String, Position> = HashMap::new();
    let mut stack: Vec<Frame> = Vec::new();
    // The pointer of the collection on top of the stack, and the lengths to
    // cut it back to when each one ends.
    let mut pointer = String::new();
    let mut lengths: Vec<usize> = Vec::new();
    let mut parser = Parser::new_from_str(text);
    while found.len() < wanted.len() {
        let Some(Ok((event, span))) = parser.next_event() else {
            break;
        };
        let at = Position {
            line: span.start.line(),
            column: span.start.col() + 1,
        };
        match &event {
            Event::SequenceEnd | Event::MappingEnd => {
                stack.pop();
                if let Some(len) = lengths.pop() {
                    pointer.truncate(len);
                }
                end_value(&mut stack);
                continue;
            }
            Event::Scalar(..)
            | Event::Alias(_)
            | Event::SequenceStart(..)
            | Event::MappingStart(..) => {}
            _ => continue,
        }
        // A mapping key: the member is where its key is.
        if let Some(Frame::Map { wants_key, key }) = stack.last_mut()
            && *wants_key
        {
            *wants_key = false;
            key.clear();
            if let Event::Scalar(text, ..) = &event {
                key.push_str(text);
                let len = pointer.len();
                push_segment(&mut pointer, text);
                record(&mut found, wanted, &pointer, at);
                pointer.truncate(len);
            }
            continue;
        }
        // A value: the pointer it is at, kept when it opens a collection.
        let len = pointer.len();
        match stack.last() {
            None => {}
            Some(Frame::Seq(index)) => {
                let _ = write!(pointer, "/{index}");
                record(&mut found, wanted, &pointer, at);
            }
            Some(Frame::Map { key, .. }) => push_segment(&mut pointer, key),
        }
        if stack.is_empty() {
            record(&mut found, wanted, &pointer, at);
        }
        match event {
            Event::SequenceStart(..) => {
                lengths.push(len);
                stack.push(Frame::Seq(0));
            }
            Event::MappingStart(..) => {
                lengths.push(len);
                stack.push(Frame::Map {
                    wants_key: true,
                    key: String::new(),
                });
            }
            _ => {
                pointer.truncate(len);
                end_value(&mut stack);
            }
        }
    }
    found
}

fn record(
    found: &mut HashMap<String, Position>,
    wanted: &HashSet<&str>,
    pointer: &str,
    at: Position,
) {
    if wanted.contains(pointer) && !found.contains_key(pointer) {
        found.insert(pointer.to_string(), at);
    }
}

/// Appends `/segment`, escaped as a JSON pointer segment.
fn push_segment(pointer: &mut String, segment: &str) {
    pointer.push('/');
    pointer.push_str(&crate::pointer::escape_segment(segment));
}

/// A value ended in the collection on top of the stack: a sequence moves
/// to its next index, a mapping waits for its next key.
fn end_value(stack: &mut [Frame]) {
    match stack.last_mut() {
        Some(Frame::Seq(index)) => *index += 1,
        Some(Frame::Map { wants_key, .. }) => *wants_key = true,
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, pointer: &str) -> Option<(usize, usize)> {
        find(text, [pointer])
            .get(pointer)
            .map(|p| (p.line, p.column))
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
    }

    #[test]
    fn json_text_is_read_the_same_way() {
        let json = "{\n  \"paths\": {\n    \"/a\": {\"get\": {}}\n  }\n}\n";
        assert_eq!(at(json, "/paths/~1a/get"), Some((3, 12)));
    }
}
