//! A small YAML writer for the documents: block mappings, plain or quoted
//! scalars, flow style for short lists.

use std::fmt::Write as _;

/// A document tree that keeps key order (unlike `serde_json::Value`).
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Node {
    Str(String),
    Bool(bool),
    List(Vec<Node>),
    Map(Vec<(String, Node)>),
}

pub(super) fn s(text: &str) -> Node {
    Node::Str(text.to_string())
}

pub(super) fn map<const N: usize>(fields: [(&str, Node); N]) -> Node {
    Node::Map(
        fields
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

/// Block-style YAML. Every string is written double-quoted with JSON
/// escapes, which YAML reads back unchanged.
pub(super) fn to_yaml(node: &Node) -> String {
    let mut out = String::with_capacity(1 << 16);
    match node {
        Node::Map(fields) if !fields.is_empty() => write_map(&mut out, fields, 0),
        other => {
            write_inline(&mut out, other);
            out.push('\n');
        }
    }
    out
}

pub(super) fn write_map(out: &mut String, fields: &[(String, Node)], indent: usize) {
    for (key, value) in fields {
        push_indent(out, indent);
        write_key(out, key);
        out.push(':');
        write_value(out, value, indent);
    }
}

/// Writes `value` after a `key:` or `-`, then the newline.
pub(super) fn write_value(out: &mut String, value: &Node, indent: usize) {
    match value {
        Node::Map(fields) if !fields.is_empty() => {
            out.push('\n');
            write_map(out, fields, indent + 2);
        }
        Node::List(items) if !items.is_empty() => {
            out.push('\n');
            for item in items {
                push_indent(out, indent + 2);
                out.push('-');
                match item {
                    Node::Map(fields) if !fields.is_empty() => {
                        // First entry on the dash line, the rest aligned under it.
                        out.push(' ');
                        let (first_key, first_value) = &fields[0];
                        write_key(out, first_key);
                        out.push(':');
                        write_value(out, first_value, indent + 4);
                        write_map(out, &fields[1..], indent + 4);
                    }
                    other => write_value(out, other, indent + 2),
                }
            }
        }
        scalar => {
            out.push(' ');
            write_inline(out, scalar);
            out.push('\n');
        }
    }
}

pub(super) fn write_inline(out: &mut String, node: &Node) {
    match node {
        Node::Str(text) => write_quoted(out, text),
        Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Node::List(_) => out.push_str("[]"),
        Node::Map(_) => out.push_str("{}"),
    }
}

pub(super) fn write_key(out: &mut String, key: &str) {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && key.starts_with(|c: char| c.is_ascii_alphabetic());
    if plain {
        out.push_str(key);
    } else {
        write_quoted(out, key);
    }
}

pub(super) fn write_quoted(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

pub(super) fn push_indent(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}
