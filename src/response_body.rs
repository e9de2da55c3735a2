//! Finding the API's message in an error response's body.

/// At most this many bytes of an error body are read; the rest is dropped
/// unread, so a huge error page cannot fill memory.
pub(crate) const MAX_ERROR_BODY: usize = 64 * 1024;

/// At most this many characters of a message are kept.
const MAX_MESSAGE_CHARS: usize = 300;

/// The API's message in an error body, in any of the shapes it uses:
/// `{"error": "..."}` (or `"message"`), a bare JSON string, plain text, or
/// an HTML page from a proxy (its `<title>`, else its text).
pub(crate) fn error_message(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if let Ok(json) = serde_json::from_str::<serde_json::Value>(text) {
        let found = match &json {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Object(map) => ["error", "message", "detail"]
                .iter()
                .find_map(|k| map.get(*k))
                .map(|v| match v {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .or_else(|| Some(json.to_string())),
            other => Some(other.to_string()),
        };
        return found.and_then(|m| tidy(&m));
    }
    if looks_like_html(text) {
        return html_title(text)
            .and_then(|t| tidy(&t))
            .or_else(|| tidy(&strip_tags(text)));
    }
    tidy(text)
}

fn looks_like_html(text: &str) -> bool {
    let head = text
        .get(..text.len().min(512))
        .unwrap_or(text)
        .to_ascii_lowercase();
    head.starts_with("<!doctype html") || head.contains("<html") || head.contains("<title")
}

fn html_title(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let start = lower.find("<title")?;
    let open_end = start + lower[start..].find('>')? + 1;
    let close = open_end + lower[open_end..].find("</title")?;
    text.get(open_end..close).map(str::to_string)
}

fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(4096));
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Collapses white space and control characters, and bounds the length.
fn tidy(message: &str) -> Option<String> {
    let collapsed = message
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if collapsed.is_empty() {
        return None;
    }
    if collapsed.chars().count() > MAX_MESSAGE_CHARS {
        let cut: String = collapsed.chars().take(MAX_MESSAGE_CHARS).collect();
        Some(format!("{cut}..."))
    } else {
        Some(collapsed)
    }
}

#[cfg(test)]
mod tests {
    use super::error_message;

    #[test]
    fn every_body_shape_yields_its_message() {
        let cases: &[(&str, Option<&str>)] = &[
            (
                r#"{"error":"database not found"}"#,
                Some("database not found"),
            ),
            (r#"{"message":"slow down"}"#, Some("slow down")),
            (r#""backup does not exist""#, Some("backup does not exist")),
            ("plain failure\n", Some("plain failure")),
            (
                "<html><head><title>502 Bad Gateway</title></head><body>x</body></html>",
                Some("502 Bad Gateway"),
            ),
            (
                "<html><body><h1>Oops</h1> broken</body></html>",
                Some("Oops broken"),
            ),
            ("", None),
            ("   ", None),
            ("42", Some("42")),
        ];
        for (body, expected) in cases {
            assert_eq!(
                error_message(body.as_bytes()).as_deref(),
                *expected,
                "body: {body:?}"
            );
        }
    }

    #[test]
    fn long_and_binary_bodies_are_bounded_and_lossy() {
        let long = "x".repeat(10_000);
        let msg = error_message(long.as_bytes()).unwrap();
        assert!(msg.len() <= 303 + 3, "{}", msg.len());
        let binary = [0xff, 0xfe, b'o', b'k'];
        assert!(error_message(&binary).unwrap().contains("ok"));
    }
}
