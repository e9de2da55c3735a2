//! Checking IDs before they become part of a request.

use crate::Error;

/// Checks an ID that becomes one URL path segment.
///
/// The generated code percent-encodes `/`, `?`, `#`, `%`, spaces, control
/// and non-ASCII characters, so such IDs stay inside their segment. Two
/// cases encoding cannot make safe are refused here: `.` and `..` (URL
/// parsers resolve them, and their encoded forms, as "this" and "parent"
/// folder) and `\` (which URL parsers treat as `/` in `http` URLs).
pub(crate) fn path_segment<'a>(value: &'a str, what: &str) -> Result<&'a str, Error> {
    let value = non_blank(value, what)?;
    if value == "." || value == ".." {
        return Err(Error::InvalidInput {
            message: format!("the {what} `{value}` is not an ID"),
        });
    }
    if value.contains('\\') {
        return Err(Error::InvalidInput {
            message: format!("the {what} must not contain `\\`"),
        });
    }
    Ok(value)
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
