//! The fast block reader (`upstash_api_codegen::yaml_block`) against the
//! full YAML parser (`yaml::parse_full`): the same value whenever the fast
//! reader takes a document, on generated documents and on every YAML file
//! of the repository.

use std::path::Path;

use proptest::prelude::*;
use serde_json::{Map, Number, Value};
use upstash_api_codegen::{yaml, yaml_block};

/// A string written plain only when it cannot read as anything else.
fn plain_safe(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || " _./-".contains(c))
        && !s.ends_with(' ')
        && !["true", "false", "null"].contains(&s.to_ascii_lowercase().as_str())
}

fn double_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            '/' => out.push_str("\\/"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// How each choice is written, drawn once per document.
#[derive(Debug, Clone)]
struct Style {
    /// Quote strings that could be plain: 0 never, 1 single, 2 double.
    quote: u8,
    /// Sequences under a key at the key's indentation.
    flush_sequences: bool,
    /// Mappings in sequences start on the entry's line.
    compact_entries: bool,
    /// Sequences of scalars as `[a, b]`.
    flow_scalars: bool,
    /// Comments after values and on lines of their own.
    comments: bool,
}

fn scalar(value: &Value, style: &Style) -> String {
    match value {
        Value::String(s) if plain_safe(s) && style.quote == 0 => s.clone(),
        Value::String(s) if style.quote == 1 && !s.contains(['\n', '\t', '\r']) => {
            format!("'{}'", s.replace('\'', "''"))
        }
        Value::String(s) => double_quoted(s),
        Value::Array(_) => "[]".into(),
        Value::Object(_) => "{}".into(),
        other => other.to_string(),
    }
}

fn is_leaf(value: &Value) -> bool {
    match value {
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
        _ => true,
    }
}

fn comment(style: &Style) -> &'static str {
    if style.comments { "  # note" } else { "" }
}

fn emit(value: &Value, indent: usize, style: &Style, out: &mut String) {
    let pad = " ".repeat(indent);
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                let key = scalar(&Value::String(key.clone()), style);
                if style.comments {
                    out.push_str(&format!("{pad}# about {}\n\n", key.len()));
                }
                if is_leaf(item) {
                    out.push_str(&format!(
                        "{pad}{key}: {}{}\n",
                        scalar(item, style),
                        comment(style)
                    ));
                } else if let (Value::Array(items), true) = (item, style.flow_scalars)
                    && items
                        .iter()
                        .all(|i| !matches!(i, Value::Array(_) | Value::Object(_)))
                {
                    let list: Vec<String> = items.iter().map(|i| scalar(i, style)).collect();
                    out.push_str(&format!("{pad}{key}: [{}]\n", list.join(", ")));
                } else {
                    out.push_str(&format!("{pad}{key}:{}\n", comment(style)));
                    let deeper = if item.is_array() && style.flush_sequences {
                        indent
                    } else {
                        indent + 2
                    };
                    emit(item, deeper, style, out);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                match item {
                    Value::Object(map) if !map.is_empty() && style.compact_entries => {
                        let mut inner = String::new();
                        emit(item, indent + 2, style, &mut inner);
                        let inner = inner.trim_start_matches(' ');
                        out.push_str(&format!("{pad}- {inner}"));
                    }
                    item if is_leaf(item) => {
                        out.push_str(&format!(
                            "{pad}- {}{}\n",
                            scalar(item, style),
                            comment(style)
                        ));
                    }
                    item => {
                        out.push_str(&format!("{pad}-\n"));
                        emit(item, indent + 2, style, out);
                    }
                }
            }
        }
        _ => unreachable!("documents are collections"),
    }
}

fn any_string() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z][a-z0-9_]{0,8}",
        "[A-Za-z0-9 _./:#'\"\\\\-]{0,12}",
        any::<String>().prop_map(|s| s.chars().take(10).collect()),
        Just("true".to_string()),
        Just("NULL".to_string()),
        Just("-".to_string()),
        Just("a: b".to_string()),
        Just("x #y".to_string()),
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        any_string().prop_map(Value::String),
        any::<i64>().prop_map(|i| Value::Number(i.into())),
        (-1.0e9f64..1.0e9).prop_filter_map("finite", |f| Number::from_f64(f).map(Value::Number)),
        any::<bool>().prop_map(Value::Bool),
        Just(Value::Null),
        Just(Value::Array(Vec::new())),
        Just(Value::Object(Map::new())),
    ]
}

fn document() -> impl Strategy<Value = Value> {
    let tree = leaf().prop_recursive(4, 48, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..5).prop_map(Value::Array),
            prop::collection::btree_map(any_string(), inner, 1..5)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    });
    prop::collection::btree_map(any_string(), tree, 1..6)
        .prop_map(|m| Value::Object(m.into_iter().collect()))
}

fn style() -> impl Strategy<Value = Style> {
    (
        0u8..3,
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(quote, flush_sequences, compact_entries, flow_scalars, comments)| Style {
                quote,
                flush_sequences,
                compact_entries,
                flow_scalars,
                comments,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// Block YAML as specs write it is taken by the fast reader, which reads
    /// what the full parser reads, which is the document written.
    #[test]
    fn the_block_reader_reads_what_the_full_parser_reads(value in document(), style in style()) {
        let mut text = String::new();
        emit(&value, 0, &style, &mut text);
        let full = yaml::parse_full(&text);
        prop_assert_eq!(full.as_ref().ok(), Some(&value), "the emitted text:\n{}", text);
        let fast = yaml_block::parse(&text);
        prop_assert_eq!(fast.as_ref(), Some(&value), "the emitted text:\n{}", text);
    }

    /// On any text the fast reader takes, both readers agree.
    #[test]
    fn whatever_the_block_reader_takes_the_full_parser_reads_alike(text in "([a-z\"'#:\\[\\]{}, -]{0,6}(\n|\n  |\n    ))*") {
        if let Some(fast) = yaml_block::parse(&text) {
            prop_assert_eq!(yaml::parse_full(&text).ok(), Some(fast), "text: {:?}", text);
        }
    }
}

fn yaml_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if !path.ends_with("target") && !path.ends_with(".git") {
                yaml_files(&path, out);
            }
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yml" | "yaml")
        ) {
            out.push(path);
        }
    }
}

#[test]
fn every_yaml_file_of_the_repository_reads_alike() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    yaml_files(&root, &mut files);
    let mut taken = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        if let Some(fast) = yaml_block::parse(&text) {
            taken += 1;
            assert_eq!(
                yaml::parse_full(&text).ok(),
                Some(fast),
                "{}",
                file.display()
            );
        }
    }
    assert!(files.len() > 50, "{} YAML files found", files.len());
    assert!(
        taken * 2 > files.len(),
        "the block reader took {taken} of {} files",
        files.len()
    );
}
