//! A fast reader for the plain block YAML that specs are mostly written in.
//!
//! OpenAPI documents are usually block mappings and sequences of one-line
//! scalars. This reader takes that subset line by line, in about a third of
//! the instructions the full parser takes (callgrind, on the ~90 KB specs of
//! `cargo xtask bench-spec-diff`), and gives up (`None`) on anything else,
//! so that [`crate::yaml::parse`] reads the text with the full YAML 1.2
//! parser instead. Giving up is never an error: an invalid document, and
//! every error message, always come from the full parser.
//!
//! The subset: spaces for indentation (no tab, no carriage return anywhere);
//! `#` comments; block mappings whose keys are plain, single- or
//! double-quoted; block sequences, including `- key: value` entries whose
//! mapping starts on the entry's line; values that are one-line plain,
//! single- or double-quoted scalars, `[]`, `{}` or a one-line flow sequence
//! of such scalars. Outside it: block scalars (`|`, `>`), multi-line
//! scalars, anchors, aliases, tags, merge keys, other flow collections,
//! directives and document markers, duplicate keys, and double-quoted escapes
//! other than `\" \\ \/ \n \t \r \b \f \0 \uXXXX`.
//!
//! Values are resolved exactly as the full reader resolves them (the YAML 1.2
//! core schema for plain scalars, [`crate::yaml`]); the property tests in
//! `xtask/tests/yaml_block.rs` compare both readers on generated documents.

use serde_json::{Map, Value};

use crate::yaml::{MAX_DEPTH, plain};

/// Reads `text` when it is in the block subset; `None` when it is not (or
/// is not valid YAML).
pub fn parse(text: &str) -> Option<Value> {
    if text.starts_with('\u{feff}') {
        return None;
    }
    let mut reader = Reader {
        raw: text.split('\n'),
        next: None,
        depth: 0,
    };
    reader.advance()?;
    let indent = reader.next?.indent;
    let value = reader.node(indent)?;
    reader.next.is_none().then_some(value)
}

/// A line with content: its indentation and its text after it (trailing
/// spaces dropped).
#[derive(Clone, Copy)]
struct Line<'a> {
    indent: usize,
    text: &'a str,
}

/// Reads the lines one at a time, holding only the next one.
struct Reader<'a> {
    /// The lines not read yet.
    raw: std::str::Split<'a, char>,
    /// The next line with content; `None` at the end of the text.
    next: Option<Line<'a>>,
    /// Collections open.
    depth: usize,
}

impl<'a> Reader<'a> {
    /// Moves to the next line with content; `None` (give up) on a line
    /// outside the subset: a tab or carriage return, a directive or a
    /// document marker.
    fn advance(&mut self) -> Option<()> {
        self.next = None;
        for raw in self.raw.by_ref() {
            if raw.bytes().any(|b| b == b'\t' || b == b'\r') {
                return None;
            }
            let content = raw.trim_start_matches(' ');
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            let indent = raw.len() - content.len();
            if indent == 0
                && (content.starts_with("---")
                    || content.starts_with("...")
                    || content.starts_with('%'))
            {
                return None;
            }
            self.next = Some(Line {
                indent,
                text: content.trim_end_matches(' '),
            });
            break;
        }
        Some(())
    }

    /// The collection whose first line is the next one, at `indent`.
    fn node(&mut self, indent: usize) -> Option<Value> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        let value = if is_entry(self.next?.text) {
            self.sequence(indent)
        } else {
            self.mapping(indent)
        };
        self.depth -= 1;
        value
    }

    fn mapping(&mut self, indent: usize) -> Option<Value> {
        let mut map = Map::new();
        while let Some(line) = self.next {
            if line.indent < indent {
                break;
            }
            if line.indent > indent || is_entry(line.text) {
                return None;
            }
            let (key, rest) = split_key(line.text)?;
            // A plain `<<` is a merge key, which only the full parser applies.
            let merge = key == "<<" && !line.text.starts_with(['"', '\'']);
            self.advance()?;
            let value = if rest.is_empty() || rest.starts_with('#') {
                self.nested(indent, true)?
            } else {
                self.scalar(rest, indent)?
            };
            if merge || map.contains_key(&key) {
                return None;
            }
            map.insert(key, value);
        }
        Some(Value::Object(map))
    }

    fn sequence(&mut self, indent: usize) -> Option<Value> {
        let mut items = Vec::new();
        while let Some(line) = self.next {
            if line.indent < indent || (line.indent == indent && !is_entry(line.text)) {
                break;
            }
            if line.indent > indent {
                return None;
            }
            let rest = &line.text[1..];
            let content = rest.trim_start_matches(' ');
            if content.is_empty() || content.starts_with('#') {
                self.advance()?;
                items.push(self.nested(indent, false)?);
            } else if is_entry(content) {
                return None;
            } else if split_key(content).is_some() {
                // A mapping that starts on the entry's line: read it as if
                // its first key had a line of its own.
                let column = indent + 1 + (rest.len() - content.len());
                self.next = Some(Line {
                    indent: column,
                    text: content,
                });
                items.push(self.node(column)?);
            } else {
                self.advance()?;
                items.push(self.scalar(content, indent)?);
            }
        }
        Some(Value::Array(items))
    }

    /// What a key or entry at `indent` with nothing after it holds: the
    /// deeper lines that follow, or (for a key) a sequence at the same
    /// indentation; null when there are none.
    fn nested(&mut self, indent: usize, under_key: bool) -> Option<Value> {
        match self.next {
            Some(line) if line.indent > indent => {
                let deeper = line.indent;
                self.node(deeper)
            }
            Some(line) if under_key && line.indent == indent && is_entry(line.text) => {
                self.node(indent)
            }
            _ => Some(Value::Null),
        }
    }

    /// A value written on the line of its key or entry (at `indent`); a
    /// deeper line after it would continue it, which is outside the subset.
    fn scalar(&mut self, text: &str, indent: usize) -> Option<Value> {
        if self.next.is_some_and(|next| next.indent > indent) {
            return None;
        }
        inline_value(text)
    }
}

/// A sequence entry line: `-` alone or followed by a space.
fn is_entry(text: &str) -> bool {
    text == "-" || text.starts_with("- ")
}

/// `key: rest` or `key:`: the key's text and what follows the colon
/// (leading spaces dropped).
fn split_key(text: &str) -> Option<(String, &str)> {
    let (key, after) = match text.as_bytes().first()? {
        b'"' | b'\'' => {
            let (key, len) = quoted(text)?;
            (key, &text[len..])
        }
        _ => {
            let colon = text.bytes().enumerate().position(|(i, b)| {
                b == b':' && matches!(text.as_bytes().get(i + 1), None | Some(b' '))
            })?;
            let key = &text[..colon];
            if !plain_can_start(key) || key.ends_with(' ') || key.contains(" #") {
                return None;
            }
            (key.to_string(), &text[colon..])
        }
    };
    let rest = after.strip_prefix(':')?;
    if !rest.is_empty() && !rest.starts_with(' ') {
        return None;
    }
    Some((key, rest.trim_start_matches(' ')))
}

/// A one-line value: a scalar, `[]`, `{}` or a flow sequence of scalars.
fn inline_value(text: &str) -> Option<Value> {
    match text.as_bytes().first()? {
        b'"' | b'\'' => {
            let (value, len) = quoted(text)?;
            only_comment(&text[len..]).then_some(Value::String(value))
        }
        b'[' => flow_sequence(text),
        b'{' => {
            let rest = text.strip_prefix("{}")?;
            only_comment(rest).then(|| Value::Object(Map::new()))
        }
        _ => {
            let text = match text.find(" #") {
                Some(at) => text[..at].trim_end_matches(' '),
                None => text,
            };
            let plain_ok = plain_can_start(text) && !text.contains(": ") && !text.ends_with(':');
            plain_ok.then(|| plain(text))
        }
    }
}

/// `[a, "b", 'c']` on one line, each item a scalar.
fn flow_sequence(text: &str) -> Option<Value> {
    let mut items = Vec::new();
    let mut rest = text.strip_prefix('[')?.trim_start_matches(' ');
    if let Some(after) = rest.strip_prefix(']') {
        return only_comment(after).then_some(Value::Array(items));
    }
    loop {
        let (item, len) = match rest.as_bytes().first()? {
            b'"' | b'\'' => {
                let (value, len) = quoted(rest)?;
                (Value::String(value), len)
            }
            _ => {
                let len = rest.find([',', ']'])?;
                let item = rest[..len].trim_end_matches(' ');
                let plain_ok = plain_can_start(item)
                    && !item.contains(['[', '{', '}', '#', '"', '\''])
                    && !item.contains(':');
                if !plain_ok {
                    return None;
                }
                (plain(item), len)
            }
        };
        items.push(item);
        rest = rest[len..].trim_start_matches(' ');
        if let Some(after) = rest.strip_prefix(']') {
            return only_comment(after).then_some(Value::Array(items));
        }
        rest = rest.strip_prefix(',')?.trim_start_matches(' ');
    }
}

/// Whether what follows a value on its line is nothing or a comment.
fn only_comment(rest: &str) -> bool {
    rest.is_empty() || (rest.starts_with(' ') && rest.trim_start_matches(' ').starts_with('#'))
}

/// Whether `text` can start a plain scalar: not empty, not an indicator
/// (`-` only before a character other than a space, as in `-1`).
fn plain_can_start(text: &str) -> bool {
    match text.as_bytes() {
        [] | [b'-'] => false,
        [b'-', next, ..] => *next != b' ',
        [first, ..] => !b"?:,[]{}#&*!|>'\"%@`".contains(first),
    }
}

/// A double- or single-quoted scalar at the start of `text`, closed on the
/// same line: its value and its length with the quotes.
fn quoted(text: &str) -> Option<(String, usize)> {
    match text.as_bytes().first()? {
        b'"' => double_quoted(text),
        b'\'' => single_quoted(text),
        _ => None,
    }
}

/// A double-quoted scalar at the start of `text`, closed on the same line:
/// its value and its length with the quotes.
fn double_quoted(text: &str) -> Option<(String, usize)> {
    let mut value = String::new();
    let mut chars = text.char_indices().skip(1);
    while let Some((at, c)) = chars.next() {
        match c {
            '"' => return Some((value, at + 1)),
            '\\' => {
                let (_, escape) = chars.next()?;
                value.push(match escape {
                    '"' => '"',
                    '\\' => '\\',
                    '/' => '/',
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    'b' => '\u{8}',
                    'f' => '\u{c}',
                    '0' => '\0',
                    'u' => {
                        let mut code = 0u32;
                        for _ in 0..4 {
                            code = code * 16 + chars.next()?.1.to_digit(16)?;
                        }
                        char::from_u32(code)?
                    }
                    _ => return None,
                });
            }
            _ => value.push(c),
        }
    }
    None
}

/// A single-quoted scalar at the start of `text` (`''` is a quote), closed
/// on the same line: its value and its length with the quotes.
fn single_quoted(text: &str) -> Option<(String, usize)> {
    let mut value = String::new();
    let mut at = 1;
    loop {
        let close = at + text.get(at..)?.find('\'')?;
        value.push_str(&text[at..close]);
        if text.as_bytes().get(close + 1) == Some(&b'\'') {
            value.push('\'');
            at = close + 2;
        } else {
            return Some((value, close + 1));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_the_block_subset() {
        let text = "\
# a spec
openapi: \"3.0.3\"
info:
  title: T   # the title
  version: 1.0
paths:
  /db/{id}:
    get:
      tags: [redis, 'teams', \"x y\"]
      security: []
      parameters:
        - name: id
          in: path
          required: true
        -
          name: other
      responses:
        '200':
          description: 'it''s \"ok\"'
        default: {}
list:
- 1
- -2.5
- ~
- \"a\\u00e9\\n\"
empty:
";
        assert_eq!(
            parse(text),
            Some(json!({
                "openapi": "3.0.3",
                "info": {"title": "T", "version": 1.0},
                "paths": {"/db/{id}": {"get": {
                    "tags": ["redis", "teams", "x y"],
                    "security": [],
                    "parameters": [
                        {"name": "id", "in": "path", "required": true},
                        {"name": "other"}
                    ],
                    "responses": {
                        "200": {"description": "it's \"ok\""},
                        "default": {}
                    }
                }}},
                "list": [1, -2.5, null, "a\u{e9}\n"],
                "empty": null
            }))
        );
    }

    #[test]
    fn gives_up_outside_the_subset() {
        for text in [
            "a: |\n  text\n",
            "a: >-\n  text\n",
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "a: one\n  two\n",
            "a: \"one\n  two\"\n",
            "a: [[1]]\n",
            "a: {b: 1}\n",
            "a:\n\t- 1\n",
            "a: 1\r\n",
            "---\na: 1\n",
            "a: 1\na: 2\n",
            "<<: {}\n",
            "a: 1\n<<: {b: 2}\n",
            "a: b: c\n",
            "- - 1\n",
            "a: \"\\x41\"\n",
            "? a\n: b\n",
            "just a scalar\n",
            "",
            "a:\n    b: 1\n  c: 2\n",
        ] {
            assert_eq!(parse(text), None, "{text:?}");
        }
    }

    #[test]
    fn a_quoted_merge_key_is_a_key() {
        assert_eq!(parse("\"<<\": a\n"), Some(json!({"<<": "a"})));
    }

    #[test]
    fn a_sequence_may_sit_at_its_key_s_indentation() {
        assert_eq!(
            parse("a:\n- 1\n- x: 2\n  y: 3\nb: 4\n"),
            Some(json!({"a": [1, {"x": 2, "y": 3}], "b": 4}))
        );
    }

    #[test]
    fn nesting_beyond_the_limit_is_left_to_the_full_parser() {
        let deep: String = (0..=MAX_DEPTH)
            .map(|level| format!("{}k:\n", " ".repeat(level)))
            .collect();
        assert_eq!(parse(&deep), None);
    }
}
