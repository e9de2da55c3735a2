//! A YAML 1.2 reader that builds the JSON value straight from the events of
//! `granit-parser` (which accepts what libyaml rejects, such as tabs as
//! separators), with an explicit stack: no event buffer, and no recursion
//! that could overflow the thread's stack.
//!
//! Semantics: the YAML 1.2 core schema (`yes`, `on`, `0777`-as-octal are
//! YAML 1.1 and stay as written: strings and decimal numbers); quoted and
//! block scalars are strings; `!!str`, `!!int`, `!!float`, `!!bool`, `!!null`
//! are honoured; mapping keys keep their text (`200:` is the key `"200"`);
//! anchors and aliases are expanded; `<<` merge keys (YAML 1.1, common in
//! specs) are applied; duplicate keys, complex keys and several documents in
//! one stream are errors.
//!
//! Bounds, all on the tree once aliases are expanded, since that is what
//! every later reader walks (serde, typify, rustc on the generated code):
//! [`MAX_DEPTH`] levels of nesting, and a node budget and a byte budget
//! proportional to the input, so an alias bomb (few aliases, each standing
//! for a large or deep tree) is refused before it is copied.

use std::collections::{HashMap, HashSet};

use granit_parser::{Event, Parser, ScalarStyle, Span, Tag};
use serde_json::{Map, Number, Value};

use crate::positions::{self, Position, Positions};

/// Deepest nesting of sequences and mappings accepted, aliases expanded
/// (the same limit as serde_json's for JSON text).
pub const MAX_DEPTH: usize = 128;

/// The fewest nodes and scalar bytes a document may expand to, whatever
/// its size; past these, the budget grows with the text.
const MIN_NODE_BUDGET: usize = 1_000_000;
const MIN_BYTE_BUDGET: usize = 16 << 20;

/// The error for a mapping or sequence as a mapping key.
const COMPLEX_KEY: &str =
    "a mapping or sequence used as a mapping key; only scalar keys are supported";

/// Why the text is not YAML this reader takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// What is wrong.
    pub message: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

fn error(message: impl Into<String>, span: &Span) -> YamlError {
    let Position { line, column } = start(span);
    YamlError {
        message: message.into(),
        line,
        column,
    }
}

/// Where `span` starts, 1-based.
fn start(span: &Span) -> Position {
    Position {
        line: span.start.line(),
        column: span.start.col() + 1,
    }
}

/// An open collection: its anchor, the size of the document when it
/// opened, the height of its tallest member so far, and what it holds.
struct Frame {
    anchor: usize,
    start: Size,
    height: usize,
    body: Body,
}

/// How much of the expanded document has been built: nodes, and bytes of
/// scalars and keys.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Size {
    nodes: usize,
    bytes: usize,
}

impl Size {
    fn since(self, start: Size) -> Size {
        Size {
            nodes: self.nodes - start.nodes,
            bytes: self.bytes - start.bytes,
        }
    }
}

/// What an anchor stands for: its value, what copying it adds to the
/// document, and its height (0 for a scalar, 1 for a collection of
/// scalars).
struct Anchored {
    value: Value,
    size: Size,
    height: usize,
}

enum Body {
    Seq(Vec<Value>),
    Map {
        map: Map<String, Value>,
        key: Option<(String, bool)>,
        merged: HashSet<String>,
    },
}

struct Builder {
    stack: Vec<Frame>,
    result: Option<Value>,
    anchors: HashMap<usize, Anchored>,
    size: Size,
    budget: Size,
}

impl Builder {
    /// Whether the next value completes a mapping key.
    fn wants_key(&self) -> bool {
        matches!(
            self.stack.last().map(|f| &f.body),
            Some(Body::Map { key: None, .. })
        )
    }

    /// Adds `added` to the document's size, refused past the budget.
    fn count(&mut self, added: Size, span: &Span) -> Result<(), YamlError> {
        self.size.nodes = self.size.nodes.saturating_add(added.nodes);
        self.size.bytes = self.size.bytes.saturating_add(added.bytes);
        let Size { nodes, bytes } = self.budget;
        if self.size.nodes > nodes {
            let message = format!(
                "the document expands to more than {nodes} nodes through its aliases (an alias bomb?)"
            );
            return Err(error(message, span));
        }
        if self.size.bytes > bytes {
            let message = format!(
                "the document expands to more than {} MiB of text through its aliases (an alias bomb?)",
                bytes >> 20
            );
            return Err(error(message, span));
        }
        Ok(())
    }

    /// Refuses a value of `height` placed at the current depth when the
    /// expanded tree would nest deeper than [`MAX_DEPTH`].
    fn fits(&self, height: usize, span: &Span) -> Result<(), YamlError> {
        if self.stack.len().saturating_add(height) > MAX_DEPTH {
            let message = format!(
                "nesting deeper than {MAX_DEPTH} levels (recursion limit), aliases expanded"
            );
            return Err(error(message, span));
        }
        Ok(())
    }

    fn key(&mut self, text: String, plain: bool, span: &Span) -> Result<(), YamlError> {
        if let Some(Body::Map { key, .. }) = self.stack.last_mut().map(|f| &mut f.body) {
            *key = Some((text, plain));
            return Ok(());
        }
        Err(error("a key outside a mapping", span))
    }

    /// Places a complete value of `height` in the open collection.
    fn value(&mut self, value: Value, height: usize, span: &Span) -> Result<(), YamlError> {
        if let Some(frame) = self.stack.last_mut() {
            frame.height = frame.height.max(height);
        }
        match self.stack.last_mut().map(|f| &mut f.body) {
            None => {
                if self.result.is_some() {
                    return Err(error("more than one document in the stream", span));
                }
                self.result = Some(value);
            }
            Some(Body::Seq(items)) => items.push(value),
            Some(Body::Map { map, key, merged }) => {
                let Some((k, plain)) = key.take() else {
                    return Err(error(COMPLEX_KEY, span));
                };
                if plain && k == "<<" {
                    let sources = match value {
                        Value::Object(m) => vec![m],
                        Value::Array(list) => list
                            .into_iter()
                            .filter_map(|v| match v {
                                Value::Object(m) => Some(m),
                                _ => None,
                            })
                            .collect(),
                        _ => {
                            return Err(error("`<<` merges a mapping or a list of mappings", span));
                        }
                    };
                    for (mk, mv) in sources.into_iter().flatten() {
                        if !map.contains_key(&mk) {
                            merged.insert(mk.clone());
                            map.insert(mk, mv);
                        }
                    }
                    return Ok(());
                }
                if map.contains_key(&k) && !merged.remove(&k) {
                    return Err(error(format!("duplicate mapping key `{k}`"), span));
                }
                map.insert(k, value);
            }
        }
        Ok(())
    }

    fn remember(&mut self, anchor: usize, value: &Value, size: Size, height: usize) {
        if anchor != 0 {
            let value = value.clone();
            self.anchors.insert(
                anchor,
                Anchored {
                    value,
                    size,
                    height,
                },
            );
        }
    }
}

/// Notes where each node starts while the value is built.
#[derive(Default)]
struct Recorder {
    positions: Positions,
    /// The key of each open collection, innermost last.
    open: Vec<u64>,
    /// The key of the node whose start comes next (set before it is read).
    next: u64,
    /// A sequence index as text, reused.
    index: String,
}

impl Recorder {
    /// The key of the innermost open collection.
    fn parent(&self) -> u64 {
        self.open.last().copied().unwrap_or(positions::ROOT)
    }

    /// A mapping key was read: its member starts here.
    fn key(&mut self, key: &str, at: Position) {
        self.next = positions::child(self.parent(), key);
        self.positions.record(self.next, at);
    }

    /// A value starts: a sequence item starts with it, a mapping member
    /// started at its key, the root at the first value.
    fn value(&mut self, stack: &[Frame], at: Position) {
        match stack.last().map(|f| &f.body) {
            None => self.next = positions::ROOT,
            Some(Body::Seq(items)) => {
                use std::fmt::Write;
                self.index.clear();
                let _ = write!(self.index, "{}", items.len());
                self.next = positions::child(self.parent(), &self.index);
            }
            Some(Body::Map { .. }) => return,
        }
        self.positions.record(self.next, at);
    }
}

/// Parses one YAML 1.2 document into a JSON value.
pub fn parse(text: &str) -> Result<Value, YamlError> {
    read(text, None).map(|(value, _)| value)
}

/// [`parse`], with the position of every node the text spells out.
pub fn parse_located(text: &str) -> Result<(Value, Positions), YamlError> {
    read(text, Some(Recorder::default()))
        .map(|(value, r)| (value, r.map(|r| r.positions).unwrap_or_default()))
}

fn read(
    text: &str,
    mut recorder: Option<Recorder>,
) -> Result<(Value, Option<Recorder>), YamlError> {
    let mut b = Builder {
        stack: Vec::new(),
        result: None,
        anchors: HashMap::new(),
        size: Size::default(),
        budget: Size {
            nodes: text.len().saturating_mul(2).max(MIN_NODE_BUDGET),
            bytes: text.len().saturating_mul(4).max(MIN_BYTE_BUDGET),
        },
    };
    let mut parser = Parser::new_from_str(text);
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| YamlError {
            message: e.info(),
            line: e.marker().line(),
            column: e.marker().col() + 1,
        })?;
        let at = start(&span);
        if let Some(r) = recorder.as_mut() {
            match &event {
                Event::Scalar(..) | Event::Alias(_) if b.wants_key() => {}
                Event::Scalar(..) | Event::Alias(_) => r.value(&b.stack, at),
                Event::SequenceStart(..) | Event::MappingStart(..) => {
                    r.value(&b.stack, at);
                    r.open.push(r.next);
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    r.open.pop();
                }
                _ => {}
            }
        }
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let size = Size {
                    nodes: 1,
                    bytes: text.len(),
                };
                b.count(size, &span)?;
                if b.wants_key() {
                    if anchor != 0 {
                        b.remember(anchor, &Value::String(text.to_string()), size, 0);
                    }
                    if let Some(r) = recorder.as_mut() {
                        r.key(&text, at);
                    }
                    b.key(text.into_owned(), style == ScalarStyle::Plain, &span)?;
                } else {
                    let value = scalar(&text, style, tag.as_deref());
                    b.remember(anchor, &value, size, 0);
                    b.value(value, 0, &span)?;
                }
            }
            Event::Alias(id) => {
                let Some(&Anchored { size, height, .. }) = b.anchors.get(&id) else {
                    return Err(error("an alias to an unknown anchor", &span));
                };
                // Measured before the value is copied, so a bomb is refused cheaply.
                b.count(size, &span)?;
                b.fits(height, &span)?;
                let value = b.anchors.get(&id).map_or(Value::Null, |a| a.value.clone());
                if b.wants_key() {
                    let key = match value {
                        Value::String(s) => s,
                        Value::Null => String::new(),
                        Value::Bool(_) | Value::Number(_) => value.to_string(),
                        _ => {
                            return Err(error(
                                "an alias to a mapping or sequence used as a mapping key",
                                &span,
                            ));
                        }
                    };
                    if let Some(r) = recorder.as_mut() {
                        r.key(&key, at);
                    }
                    b.key(key, false, &span)?;
                } else {
                    b.value(value, height, &span)?;
                }
            }
            Event::UnresolvedAlias(name) => {
                return Err(error(format!("alias `*{name}` names no anchor"), &span));
            }
            Event::SequenceStart(_, anchor, _) | Event::MappingStart(_, anchor, _) => {
                if b.wants_key() {
                    return Err(error(COMPLEX_KEY, &span));
                }
                b.fits(1, &span)?;
                b.count(Size { nodes: 1, bytes: 0 }, &span)?;
                let body = if matches!(event, Event::SequenceStart(..)) {
                    Body::Seq(Vec::new())
                } else {
                    Body::Map {
                        map: Map::new(),
                        key: None,
                        merged: HashSet::new(),
                    }
                };
                b.stack.push(Frame {
                    anchor,
                    start: b.size,
                    height: 0,
                    body,
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = b.stack.pop() else {
                    return Err(error("unbalanced end of a collection", &span));
                };
                let value = match frame.body {
                    Body::Seq(items) => Value::Array(items),
                    Body::Map { map, .. } => Value::Object(map),
                };
                // The collection's own node was counted before `start`.
                let mut size = b.size.since(frame.start);
                size.nodes += 1;
                let height = frame.height + 1;
                b.remember(frame.anchor, &value, size, height);
                b.value(value, height, &span)?;
            }
            _ => {}
        }
    }
    let value = b.result.ok_or_else(|| YamlError {
        message: "the document is empty".into(),
        line: 1,
        column: 1,
    })?;
    Ok((value, recorder))
}

/// Resolves a scalar by the YAML 1.2 core schema.
fn scalar(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Value {
    match tag.map(|tag| (tag.is_yaml_core_schema(), tag.suffix())) {
        Some((true, "null")) => Value::Null,
        Some((true, "bool" | "int" | "float")) => plain(text),
        // `!!str`, and `!` or application tags: the content as written.
        Some((true, "str") | (false, _)) => Value::String(text.to_string()),
        _ if style != ScalarStyle::Plain => Value::String(text.to_string()),
        _ => plain(text),
    }
}

/// Resolves a plain scalar by the YAML 1.2 core schema.
pub(crate) fn plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    let float = || {
        let number = text.parse::<f64>().ok().and_then(Number::from_f64);
        number.map_or_else(|| Value::String(text.to_string()), Value::Number)
    };
    let (sign, digits) = match text.as_bytes().first() {
        Some(b'-' | b'+') => (&text[..1], &text[1..]),
        _ => ("", text),
    };
    if !digits.is_empty() && digits.bytes().all(|c| c.is_ascii_digit()) {
        if let Ok(i) = text.parse::<i64>() {
            return Value::Number(i.into());
        }
        if let Ok(u) = text.trim_start_matches('+').parse::<u64>() {
            return Value::Number(u.into());
        }
        return float();
    }
    if sign.is_empty() {
        for (prefix, radix) in [("0o", 8), ("0x", 16)] {
            if let Some(rest) = text.strip_prefix(prefix)
                && !rest.is_empty()
                && let Ok(i) = i64::from_str_radix(rest, radix)
            {
                return Value::Number(i.into());
            }
        }
    }
    if is_float(digits) {
        return float();
    }
    Value::String(text.to_string())
}

/// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` (the sign is already off).
fn is_float(s: &str) -> bool {
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let digits = |s: &str| s.bytes().all(|c| c.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some((int, frac)) => (!int.is_empty() || !frac.is_empty()) && digits(int) && digits(frac),
        None => !mantissa.is_empty() && digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn p(text: &str) -> Value {
        parse(text).unwrap_or_else(|e| panic!("{e:?}"))
    }

    #[test]
    fn core_schema_scalars() {
        let v = p(
            "a: [~, null, '', true, False, 12, -3, 0o17, 0x1F, 1.5, .5, 1e3, yes, on, 0777, '12', \"true\", 1.2.3, .inf, 3.0.3]",
        );
        assert_eq!(
            v["a"],
            json!([
                null, null, "", true, false, 12, -3, 15, 31, 1.5, 0.5, 1000.0, "yes", "on", 777,
                "12", "true", "1.2.3", ".inf", "3.0.3"
            ])
        );
    }

    #[test]
    fn keys_keep_their_text() {
        let v = p("200: a\n0x10: b\n~: c\ntrue: d\n");
        assert_eq!(v, json!({"200": "a", "0x10": "b", "~": "c", "true": "d"}));
    }

    #[test]
    fn tags_are_honoured() {
        let v = p("a: !!str 12\nb: !!int '7'\nc: !custom 5\n");
        assert_eq!(v, json!({"a": "12", "b": 7, "c": "5"}));
    }

    #[test]
    fn anchors_aliases_and_merge_keys() {
        let v = p(
            "base: &b {type: string, maxLength: 3}\nother: *b\nmerged:\n  <<: *b\n  maxLength: 9\n",
        );
        assert_eq!(v["other"], json!({"type": "string", "maxLength": 3}));
        assert_eq!(v["merged"], json!({"type": "string", "maxLength": 9}));
    }

    #[test]
    fn errors_have_a_location() {
        let e = parse("a: 1\na: 2\n").unwrap_err();
        assert!(e.message.contains("duplicate mapping key `a`"), "{e:?}");
        assert_eq!(e.line, 2);
        let e = parse("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(e.line >= 1, "{e:?}");
        assert!(parse("? [a]\n: b\n").is_err());
        assert!(parse("a: 1\n---\nb: 2\n").is_err());
        assert!(parse("a: *nowhere\n").is_err());
    }

    #[test]
    fn alias_bombs_hit_the_budget() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let q = i - 1;
            text.push_str(&format!("a{i}: &a{i} [*a{q}, *a{q}, *a{q}, *a{q}, *a{q}, *a{q}, *a{q}, *a{q}, *a{q}, *a{q}]\n"));
        }
        let e = parse(&text).unwrap_err();
        assert!(e.message.contains("alias bomb"), "{e:?}");
    }

    /// Each anchor nests the one before one level deeper: a few lines of
    /// text, a tree as deep as there are anchors.
    fn nested_aliases(levels: usize) -> String {
        let mut text = String::from("a0: &a0 {type: string}\n");
        for i in 1..levels {
            text.push_str(&format!("a{i}: &a{i} {{items: *a{}}}\n", i - 1));
        }
        text
    }

    #[test]
    fn depth_is_bounded_on_the_expanded_tree() {
        // Level `i` of the root holds a tree of height `i + 1`.
        assert!(parse(&nested_aliases(MAX_DEPTH - 1)).is_ok());
        let e = parse(&nested_aliases(2_000)).unwrap_err();
        assert!(e.message.contains("deeper than 128"), "{e:?}");
        assert!(e.message.contains("aliases expanded"), "{e:?}");
        assert_eq!(e.line, MAX_DEPTH, "{e:?}");
    }

    #[test]
    fn alias_expansion_is_bounded_in_bytes() {
        let big = "x".repeat(64 << 10);
        let mut text = format!("a: &a \"{big}\"\nlist:\n");
        for _ in 0..60_000 {
            text.push_str("- *a\n");
        }
        let e = parse(&text).unwrap_err();
        assert!(e.message.contains("MiB of text"), "{e:?}");
        // A handful of copies of a large scalar is a normal document.
        let few = format!("a: &a \"{big}\"\nb: *a\nc: [*a, *a]\n");
        assert_eq!(
            parse(&few).unwrap()["c"][1].as_str().map(str::len),
            Some(64 << 10)
        );
    }
}
