//! The spec's prose made safe for rustdoc, before anything is typed.
//!
//! Every `description` and `summary` of the document ends up in a doc
//! comment (typify's types and fields, progenitor's methods, the open
//! enums, the setters' docs), where rustdoc reads it as Markdown and warns
//! on what the spec's authors meant as plain text: a bare URL
//! (`rustdoc::bare_urls`), `[x]` that is not a link (`broken_intra_doc_links`),
//! `<tag>` (`invalid_html_tags`), and a code block without a language, which
//! becomes a doc-test. The text is rewritten once, where it enters, so
//! that every generator's docs get the same text and none of the SDK's own
//! doc text (whose intra-doc links are meant) is touched:
//!
//! - a bare `http://` or `https://` URL becomes an autolink `<https://..>`;
//! - `[` and `]` that do not make a link `[text](url)` or `[text][ref]` are
//!   escaped (`\[x\]`);
//! - `<` that does not open an autolink becomes `&lt;`;
//! - a fenced code block without a language becomes a `text` block, and an
//!   indented code block a fenced `text` block.
//!
//! Code spans and code blocks are left as written. Values (`default`,
//! `example`, `examples`, `enum`, extensions) are data, not prose, and are
//! never rewritten; a property named `description` is a schema, not text.

use serde_json::Value;

/// Keys whose values are data, never rewritten (outside maps of names).
const DATA_KEYS: [&str; 5] = ["default", "example", "examples", "enum", "const"];

/// Keys whose values are maps from names (which may be any word, such as
/// `description` or `default`) to objects.
const NAME_MAPS: [&str; 14] = [
    "properties",
    "patternProperties",
    "schemas",
    "responses",
    "parameters",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "paths",
    "content",
    "encoding",
    "variables",
];

/// Rewrites every `description` and `summary` string of `document` for
/// rustdoc (see the module docs).
pub(crate) fn for_rustdoc(document: &mut Value) {
    // (node, whether its keys are names rather than keywords)
    let mut stack: Vec<(&mut Value, bool)> = vec![(document, false)];
    while let Some((node, names)) = stack.pop() {
        match node {
            Value::Object(map) => {
                for (key, value) in map.iter_mut() {
                    if names {
                        stack.push((value, false));
                        continue;
                    }
                    if key.starts_with("x-") || DATA_KEYS.contains(&key.as_str()) {
                        continue;
                    }
                    match value {
                        Value::String(text) if key == "description" || key == "summary" => {
                            *text = markdown(text);
                        }
                        _ => stack.push((value, NAME_MAPS.contains(&key.as_str()))),
                    }
                }
            }
            Value::Array(items) => stack.extend(items.iter_mut().map(|item| (item, false))),
            _ => {}
        }
    }
}

/// `text` with the rustdoc hazards outside code rewritten.
pub(crate) fn markdown(text: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut fence: Option<String> = None;
    let mut indented = false;
    let mut previous_blank = true;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if let Some(marker) = &fence {
            out.push(line.to_string());
            if trimmed.starts_with(marker.as_str()) && trimmed.trim_end() == marker.as_str() {
                fence = None;
            }
            continue;
        }
        let is_indented_code = (line.starts_with("    ") || line.starts_with('\t'))
            && !trimmed.is_empty()
            && (indented || previous_blank);
        if is_indented_code {
            if !indented {
                out.push("```text".to_string());
                indented = true;
            }
            out.push(trimmed.to_string());
            previous_blank = false;
            continue;
        }
        if indented && !trimmed.is_empty() {
            close_indented(&mut out);
            indented = false;
        }
        if indented {
            // A blank line inside an indented block.
            out.push(String::new());
            continue;
        }
        if let Some(marker) = fence_marker(trimmed) {
            let info = trimmed[marker.len()..].trim();
            let indent = &line[..line.len() - trimmed.len()];
            if info.is_empty() {
                out.push(format!("{indent}{marker}text"));
            } else {
                out.push(line.to_string());
            }
            fence = Some(marker);
            previous_blank = false;
            continue;
        }
        previous_blank = trimmed.is_empty();
        out.push(inline(line));
    }
    if indented {
        close_indented(&mut out);
    }
    out.join("\n")
}

/// Closes the fence opened for an indented code block, before the blank
/// lines the block took at its end.
fn close_indented(out: &mut Vec<String>) {
    let mut blanks = 0;
    while out.last().is_some_and(String::is_empty) {
        out.pop();
        blanks += 1;
    }
    out.push("```".to_string());
    out.extend(std::iter::repeat_n(String::new(), blanks));
}

/// The run of three or more backticks or tildes that opens a fenced code
/// block at the start of `trimmed`, if it does.
fn fence_marker(trimmed: &str) -> Option<String> {
    let first = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let marker: String = trimmed.chars().take_while(|c| *c == first).collect();
    (marker.len() >= 3).then_some(marker)
}

/// One line of prose, code spans kept as written.
fn inline(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '`' => {
                let run = chars[i..].iter().take_while(|c| **c == '`').count();
                match closing_backticks(&chars, i + run, run) {
                    Some(end) => {
                        out.extend(&chars[i..end + run]);
                        i = end + run;
                    }
                    None => {
                        out.extend(&chars[i..i + run]);
                        i += run;
                    }
                }
            }
            '\\' if i + 1 < chars.len() => {
                out.extend(&chars[i..i + 2]);
                i += 2;
            }
            '<' => match autolink_end(&chars, i) {
                Some(end) => {
                    out.extend(&chars[i..=end]);
                    i = end + 1;
                }
                None => {
                    out.push_str("&lt;");
                    i += 1;
                }
            },
            '[' => match link_end(&chars, i) {
                Some(end) => {
                    out.extend(&chars[i..end]);
                    i = end;
                }
                None => {
                    out.push_str("\\[");
                    i += 1;
                }
            },
            ']' => {
                out.push_str("\\]");
                i += 1;
            }
            'h' if starts_url(&chars, i) => {
                let end = url_end(&chars, i);
                out.push('<');
                out.extend(&chars[i..end]);
                out.push('>');
                i = end;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// Where the run of exactly `run` backticks that closes a code span opened
/// before `from` starts.
fn closing_backticks(chars: &[char], from: usize, run: usize) -> Option<usize> {
    let mut i = from;
    while i < chars.len() {
        if chars[i] == '`' {
            let here = chars[i..].iter().take_while(|c| **c == '`').count();
            if here == run {
                return Some(i);
            }
            i += here;
        } else {
            i += 1;
        }
    }
    None
}

/// The index of the `>` closing an autolink `<scheme:...>` opened at `at`.
fn autolink_end(chars: &[char], at: usize) -> Option<usize> {
    let rest: String = chars[at + 1..].iter().take(8).collect();
    if !["http://", "https://", "mailto:"]
        .iter()
        .any(|scheme| rest.starts_with(scheme))
    {
        return None;
    }
    let mut i = at + 1;
    while i < chars.len() {
        match chars[i] {
            '>' => return Some(i),
            c if c.is_whitespace() || c == '<' => return None,
            _ => i += 1,
        }
    }
    None
}

/// The index just past a link `[text](dest)` or `[text][ref]` opened at
/// `at`, if one is. The text may hold neither `[` nor `]`.
fn link_end(chars: &[char], at: usize) -> Option<usize> {
    let close = at
        + 1
        + chars[at + 1..]
            .iter()
            .position(|c| *c == ']' || *c == '[')?;
    if chars[close] != ']' || close == at + 1 {
        return None;
    }
    let (open, shut) = match chars.get(close + 1) {
        Some('(') => ('(', ')'),
        Some('[') => ('[', ']'),
        _ => return None,
    };
    let mut depth = 0usize;
    for (offset, c) in chars[close + 1..].iter().enumerate() {
        if *c == open {
            depth += 1;
        } else if *c == shut {
            depth -= 1;
            if depth == 0 {
                return Some(close + 1 + offset + 1);
            }
        } else if c.is_whitespace() && open == '[' {
            return None;
        }
    }
    None
}

/// Whether a bare `http://` or `https://` URL starts at `at` (not inside a
/// word: `xhttp://` is not one).
fn starts_url(chars: &[char], at: usize) -> bool {
    if at > 0 && chars[at - 1].is_alphanumeric() {
        return false;
    }
    let rest: String = chars[at..].iter().take(9).collect();
    let scheme = if rest.starts_with("https://") {
        8
    } else if rest.starts_with("http://") {
        7
    } else {
        return false;
    };
    chars
        .get(at + scheme)
        .is_some_and(|c| !c.is_whitespace() && *c != '>')
}

/// The index just past the bare URL starting at `at`: up to whitespace or
/// a character URLs do not hold, less trailing punctuation and a `)` that
/// closes a parenthesis the URL did not open.
fn url_end(chars: &[char], at: usize) -> usize {
    let mut end = at;
    while end < chars.len()
        && !chars[end].is_whitespace()
        && !matches!(chars[end], '<' | '>' | '"' | '`' | '[' | ']')
    {
        end += 1;
    }
    while let Some(last) = end.checked_sub(1).map(|i| chars[i]) {
        let opened = chars[at..end].iter().filter(|c| **c == '(').count();
        let closed = chars[at..end].iter().filter(|c| **c == ')').count();
        if matches!(last, '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '*' | '_')
            || (last == ')' && closed > opened)
        {
            end -= 1;
        } else {
            break;
        }
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_urls_become_autolinks_and_links_stay() {
        assert_eq!(
            markdown("See https://upstash.com/docs. Or (http://a.b/c_(d))."),
            "See <https://upstash.com/docs>. Or (<http://a.b/c_(d)>)."
        );
        assert_eq!(
            markdown("[the docs](https://upstash.com) and <https://x.y/z>"),
            "[the docs](https://upstash.com) and <https://x.y/z>"
        );
        assert_eq!(
            markdown("`https://in.code` is code"),
            "`https://in.code` is code"
        );
        assert_eq!(markdown("xhttp://no"), "xhttp://no");
    }

    #[test]
    fn brackets_and_tags_that_are_no_markdown_are_escaped() {
        assert_eq!(
            markdown("one of [aws, gcp] or [x]; a <region> or a < b"),
            "one of \\[aws, gcp\\] or \\[x\\]; a &lt;region> or a &lt; b"
        );
        assert_eq!(markdown("`a <b> [c]`"), "`a <b> [c]`");
        assert_eq!(markdown("already \\[escaped\\]"), "already \\[escaped\\]");
        assert_eq!(markdown("[a][ref] stays"), "[a][ref] stays");
    }

    #[test]
    fn code_blocks_are_text_not_doc_tests() {
        assert_eq!(
            markdown("Example:\n```\nlet x = [1];\n```\n```json\n{}\n```"),
            "Example:\n```text\nlet x = [1];\n```\n```json\n{}\n```"
        );
        assert_eq!(
            markdown("Call it:\n\n    curl https://x.y [a]\n    done\n\nThen <go>."),
            "Call it:\n\n```text\ncurl https://x.y [a]\ndone\n```\n\nThen &lt;go>."
        );
        assert_eq!(markdown("End:\n\n    code"), "End:\n\n```text\ncode\n```");
    }

    #[test]
    fn only_prose_is_rewritten() {
        let mut document = serde_json::json!({
            "info": {"description": "See https://a.b", "x-note": {"description": "[x]"}},
            "components": {"schemas": {"S": {
                "type": "object",
                "description": "[S]",
                "default": {"description": "http://keep"},
                "properties": {
                    "description": {"type": "string", "description": "<b>"},
                    "default": {"type": "string", "example": "[keep]"}
                }
            }}},
            "paths": {"/x": {"get": {"responses": {"default": {"description": "a [b]"}}}}}
        });
        for_rustdoc(&mut document);
        let schema = &document["components"]["schemas"]["S"];
        assert_eq!(document["info"]["description"], "See <https://a.b>");
        assert_eq!(document["info"]["x-note"]["description"], "[x]");
        assert_eq!(schema["description"], "\\[S\\]");
        assert_eq!(schema["default"]["description"], "http://keep");
        assert_eq!(schema["properties"]["description"]["description"], "&lt;b>");
        assert_eq!(schema["properties"]["default"]["example"], "[keep]");
        let response = &document["paths"]["/x"]["get"]["responses"]["default"];
        assert_eq!(response["description"], "a \\[b\\]");
    }
}
