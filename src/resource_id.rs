//! Checking IDs before they become part of a request.
//!
//! The generated code percent-encodes `/`, `?`, `#`, `%`, spaces, control
//! and non-ASCII characters, so such IDs stay inside their path segment.
//! What encoding cannot make safe is refused here: an empty or blank ID
//! (the request would reach another endpoint, or none), `.` and `..` (URL
//! parsers resolve them, and their encoded forms, as "this" and "parent"
//! folder) and `\` (which URL parsers treat as `/` in `http` URLs).
//!
//! A value longer than [`MAX_PATH_PARAMETER`] (4 KiB) is refused too: no
//! Upstash ID comes near it, and a URL much longer fails to build or is
//! refused by servers and proxies (414, or a closed connection), which
//! would otherwise read as an unreachable API.
//!
//! [`path_parameter`] is called by every generated operation for each of
//! its path parameters before the URL is built (`codegen`'s
//! `builder_checks` adds the call); the hand-written methods use
//! [`path_segment`] and [`non_blank`].

use std::any::Any;
use std::fmt;

use crate::Error;

/// The longest path parameter sent, in bytes (before percent-encoding).
pub(crate) const MAX_PATH_PARAMETER: usize = 4 * 1024;

/// Why `value` cannot be one URL path segment, if it cannot.
fn segment_problem(value: &str) -> Option<&'static str> {
    if value.len() > MAX_PATH_PARAMETER {
        Some("is longer than 4096 bytes, the most this client sends in a path")
    } else if value.trim().is_empty() {
        Some("is empty")
    } else if value == "." || value == ".." {
        Some("is not an ID (URLs read it as a folder)")
    } else if value.contains('\\') {
        Some("must not contain `\\`")
    } else {
        None
    }
}

/// Checks the value of the path parameter `name` of the generated operation
/// `operation`; the error is the whole message the caller sees.
pub(crate) fn path_parameter<T: fmt::Display + 'static>(
    operation: &str,
    name: &str,
    value: &T,
) -> Result<(), String> {
    // Nearly every path parameter is a `String`: read it where it is
    // rather than format a copy on every call.
    let formatted;
    let value = match (value as &dyn Any).downcast_ref::<String>() {
        Some(text) => text.as_str(),
        None => {
            formatted = value.to_string();
            formatted.as_str()
        }
    };
    match segment_problem(value) {
        None => Ok(()),
        Some(problem) => Err(format!(
            "{operation}: the path parameter `{name}` (`{}`) {problem}; \
             pass the resource's ID to `.{name}(..)`",
            Quoted(value)
        )),
    }
}

/// Checks an ID that becomes one URL path segment; `what` names it in the
/// error ("database ID").
pub(crate) fn path_segment<'a>(value: &'a str, what: &str) -> Result<&'a str, Error> {
    let value = non_blank(value, what)?;
    match segment_problem(value) {
        None => Ok(value),
        Some(problem) => Err(Error::InvalidInput {
            message: format!("the {what} `{}` {problem}", Quoted(value)),
        }),
    }
}

/// A value in a message: a long one is cut to its first 40 characters.
struct Quoted<'a>(&'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.char_indices().nth(40) {
            Some((end, _)) => write!(f, "{}...", &self.0[..end]),
            None => f.write_str(self.0),
        }
    }
}

/// Checks an ID is not empty or only white space.
pub(crate) fn non_blank<'a>(value: &'a str, what: &str) -> Result<&'a str, Error> {
    if value.trim().is_empty() {
        return Err(Error::InvalidInput {
            message: format!("the {what} is empty"),
        });
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_segments_are_named_with_the_operation_and_parameter() {
        for (value, problem) in [
            ("", "is empty"),
            ("  ", "is empty"),
            (".", "is not an ID"),
            ("..", "is not an ID"),
            ("a\\b", "must not contain"),
        ] {
            let message =
                path_parameter("delete_backup", "backup_id", &value.to_string()).unwrap_err();
            assert!(
                message.starts_with("delete_backup: the path parameter `backup_id`"),
                "{message}"
            );
            assert!(message.contains(problem), "{value:?}: {message}");
            assert!(message.contains("`.backup_id(..)`"), "{message}");
        }
        for fine in ["db-1", "...", ".a", "a.b", "a/b", "%2e%2e", "é"] {
            assert_eq!(
                path_parameter("op", "id", &fine.to_string()),
                Ok(()),
                "{fine:?}"
            );
            assert_eq!(path_parameter("op", "id", &fine), Ok(()), "as `&str` too");
        }
        assert_eq!(path_parameter("op", "limit", &7_i64), Ok(()));
        let longest = "a".repeat(MAX_PATH_PARAMETER);
        assert_eq!(path_parameter("op", "id", &longest), Ok(()));
        let message = path_parameter("get_database", "id", &format!("{longest}a")).unwrap_err();
        assert!(
            message.starts_with("get_database: the path parameter `id` (`aaaa"),
            "{message}"
        );
        assert!(message.contains("longer than 4096 bytes"), "{message}");
        assert!(message.contains("`.id(..)`"), "{message}");
        assert!(
            message.len() < 300,
            "the value is not repeated whole: {message}"
        );
        assert!(
            path_parameter("op", "id", &"..").is_err(),
            "a `&str`, formatted"
        );
    }
}
