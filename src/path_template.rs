//! The transport's second line behind the path parameter checks: a request
//! is sent only if its path still has the shape of its operation's path
//! template.
//!
//! The generated code builds the URL as text and the URL parser then
//! resolves `.` and `..` segments (encoded or not) and reads `\` as `/`, so
//! a parameter value that slipped past [`crate::resource_id`] would send the
//! request to another endpoint (`DELETE /redis/database/..` arrives as
//! `DELETE /redis/`). Compared segment by segment after parsing, such a
//! request no longer matches: a segment is missing, empty or different.

use std::borrow::Cow;

use percent_encoding::percent_decode;

/// Checks that `url` is `base_url` followed by a path of the shape of
/// `template` (the spec's path, `/redis/database/{id}`), then any query.
///
/// The error says what was sent instead, for the message of
/// [`Error::InvalidInput`](crate::Error::InvalidInput).
pub(crate) fn check(url: &reqwest::Url, base_url: &str, template: &str) -> Result<(), String> {
    let mismatch = |path: &str| {
        Err(format!(
            "the request path `{path}` does not have the shape of the operation's path \
             `{template}` (a path parameter that is empty, `.` or `..` changes it), so it was \
             not sent"
        ))
    };
    let Some(rest) = url.as_str().strip_prefix(base_url) else {
        return mismatch(url.path());
    };
    let after_path = [url.query(), url.fragment()]
        .iter()
        .flatten()
        .map(|part| part.len() + 1)
        .sum::<usize>();
    let path = rest
        .get(..rest.len().saturating_sub(after_path))
        .unwrap_or(rest);
    // Bytes, not `str::split('/')`: on paths this short a plain loop costs
    // a fraction of the searcher a `char` pattern sets up for each segment.
    let mut sent = path.as_bytes().split(|b| *b == b'/');
    for pattern in template.as_bytes().split(|b| *b == b'/') {
        match sent.next() {
            Some(segment) if segment_matches(segment, pattern) => {}
            _ => return mismatch(path),
        }
    }
    match sent.next() {
        None => Ok(()),
        Some(_) => mismatch(path),
    }
}

/// Whether the sent `segment` fits `pattern`: equal to a literal one, and
/// for one with parameters (`{id}`, `{id}.json`) the same text around a
/// non-empty value.
fn segment_matches(segment: &[u8], pattern: &[u8]) -> bool {
    // A literal segment as sent; never a parameter's, whose braces the
    // generated code escapes.
    if segment == pattern {
        return true;
    }
    let open = pattern.iter().position(|b| *b == b'{');
    let close = pattern.iter().rposition(|b| *b == b'}');
    let (Some(open), Some(close)) = (open, close) else {
        // The URL parser escapes what a path may not hold as it is; the
        // template holds it as written.
        return segment.contains(&b'%') && *Cow::<[u8]>::from(percent_decode(segment)) == *pattern;
    };
    let (prefix, suffix) = (&pattern[..open], &pattern[close + 1..]);
    segment.len() > prefix.len() + suffix.len()
        && segment.starts_with(prefix)
        && segment.ends_with(suffix)
}

#[cfg(test)]
mod tests {
    const BASE: &str = "http://127.0.0.1:9/v2";

    fn check(url: &str, base_url: &str, template: &str) -> Result<(), String> {
        super::check(&reqwest::Url::parse(url).unwrap(), base_url, template)
    }

    #[test]
    fn a_path_of_the_template_s_shape_passes() {
        for (url, template) in [
            ("http://127.0.0.1:9/v2/teams", "/teams"),
            (
                "http://127.0.0.1:9/v2/redis/database/db-1",
                "/redis/database/{id}",
            ),
            (
                "http://127.0.0.1:9/v2/redis/database/a%2Fb?x=1",
                "/redis/database/{id}",
            ),
            ("http://127.0.0.1:9/v2/r/d-1/b-2", "/r/{id}/{backup_id}"),
            ("http://127.0.0.1:9/v2/files/a.json", "/files/{name}.json"),
            ("http://127.0.0.1:9/v2/with%20space/x", "/with space/{id}"),
            ("http://127.0.0.1:9/v2/", "/"),
        ] {
            assert_eq!(check(url, BASE, template), Ok(()), "{url} {template}");
        }
    }

    #[test]
    fn resolved_dot_segments_and_empty_values_are_refused() {
        for (url, template) in [
            // `..`, `.` and "" as the ID, after the URL parser's resolution.
            ("http://127.0.0.1:9/v2/redis/", "/redis/database/{id}"),
            (
                "http://127.0.0.1:9/v2/redis/database/",
                "/redis/database/{id}",
            ),
            ("http://127.0.0.1:9/v2/r/d-1/", "/r/{id}/{backup_id}"),
            ("http://127.0.0.1:9/v2/r/b-2", "/r/{id}/{backup_id}"),
            // `\` read as `/`: one segment too many.
            (
                "http://127.0.0.1:9/v2/redis/database/a/b",
                "/redis/database/{id}",
            ),
            ("http://127.0.0.1:9/v2/files/.json", "/files/{name}.json"),
            ("http://127.0.0.1:9/v2/teamz", "/teams"),
            // `..` reaching into the base URL's own path.
            ("http://127.0.0.1:9/teams", "/teams"),
        ] {
            let error = check(url, BASE, template).unwrap_err();
            assert!(error.contains(template), "{error}");
        }
    }
}
