//! Text to JSON value: YAML 1.2 through codegen's reader (the build's), JSON
//! through `serde_json`.

use serde_json::Value;

/// What is wrong with a document, and where (a line and column, or a JSON
/// pointer).
pub type Problem = (String, Option<String>);

/// Parses YAML 1.2 or JSON text.
///
/// JSON (the first non-blank character is `{`) goes through `serde_json`
/// (via the codegen crate's parser); YAML through [`upstash_api_codegen::yaml`], a YAML
/// 1.2 reader (see there for why not libyaml).
pub fn parse(text: &str) -> Result<Value, Problem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(("the document is empty".into(), None));
    }
    check_flow_depth(text)?;
    if text.trim_start().starts_with('{') {
        return upstash_api_codegen::document::parse(text).map_err(|e| (e.problem, e.location));
    }
    upstash_api_codegen::yaml::parse(text).map_err(|e| {
        (
            format!("invalid YAML: {}", e.message),
            Some(format!("line {}, column {}", e.line, e.column)),
        )
    })
}

/// Deepest `[`/`{` nesting accepted. libyaml's scanner takes time
/// quadratic in the flow nesting depth before its own limit (128) trips, so
/// absurd nesting is refused up front, in one linear pass.
pub const MAX_FLOW_DEPTH: usize = 1000;

fn check_flow_depth(text: &str) -> Result<(), Problem> {
    let bytes = text.as_bytes();
    if bytes.iter().filter(|b| matches!(b, b'[' | b'{')).count() <= MAX_FLOW_DEPTH {
        return Ok(());
    }
    // Bytes, not chars: every byte that matters is ASCII, and UTF-8
    // continuation bytes never look like one. Columns count bytes.
    let (mut depth, mut line, mut col) = (0usize, 1usize, 0usize);
    let mut quote: Option<u8> = None;
    let mut escaped = false;
    let mut comment = false;
    let mut prev = b'\n';
    let word = |b: u8| b.is_ascii_alphanumeric() || b >= 0x80;
    for &b in bytes {
        col += 1;
        if b == b'\n' {
            line += 1;
            col = 0;
            comment = false;
            prev = b;
            continue;
        }
        if comment {
            continue;
        }
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if b == b'\\' && q == b'"' {
                    escaped = true;
                } else if b == q {
                    quote = None;
                }
            }
            None => match b {
                b'"' | b'\'' if !word(prev) => quote = Some(b),
                b'#' if prev.is_ascii_whitespace() => comment = true,
                b'[' | b'{' => {
                    depth += 1;
                    if depth > MAX_FLOW_DEPTH {
                        return Err((
                            format!(
                                "invalid YAML: nesting deeper than {MAX_FLOW_DEPTH} levels (recursion limit)"
                            ),
                            Some(format!("line {line}, column {col}")),
                        ));
                    }
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
        prev = b;
    }
    Ok(())
}
