//! The normalised text of a piece of generated Rust: how types and
//! signatures are compared.
//!
//! The text does not depend on formatting or on where in the generated file
//! the item was written: spaces only between words, no trailing commas, and
//! the std, `super::`, `self::` and `types::` qualifications dropped
//! (`::std::option::Option<super::Region>` and `Option<types::Region>` both
//! become `Option<Region>`).

use std::fmt::Write as _;

use quote::ToTokens;

/// The normalised text of `node`.
pub fn render(node: &impl ToTokens) -> String {
    let mut text = Compact::default();
    let _ = write!(text, "{}", node.to_token_stream());
    strip_qualifiers(&text.text)
}

/// Whether `c` can be part of an identifier.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Text being made compact as it is written: whitespace becomes one space
/// where it separates two words and nothing elsewhere, and a comma right
/// before a closing `)`, `>`, `]` or `}` is dropped.
#[derive(Default)]
struct Compact {
    text: String,
    /// Whitespace was seen since the last character kept.
    pending_space: bool,
    /// The last character kept separates words like a word character does.
    after_word: bool,
}

impl std::fmt::Write for Compact {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        for c in s.chars() {
            if c.is_whitespace() {
                self.pending_space = true;
                continue;
            }
            let word = is_word_char(c) || c == '\'';
            if self.pending_space && self.after_word && word {
                self.text.push(' ');
            }
            self.pending_space = false;
            // Trailing commas come and go with formatting.
            if matches!(c, ')' | '>' | ']' | '}') && self.text.ends_with(',') {
                self.text.pop();
            }
            self.text.push(c);
            self.after_word = word;
        }
        Ok(())
    }
}

/// The qualifications dropped where they start a path, in the order they
/// are tried.
const QUALIFIERS: [&str; 19] = [
    // The open enums, as the generated types name them (`types::` to users).
    "::upstash_api::types::",
    "::std::string::",
    "::std::option::",
    "::std::vec::",
    "::std::collections::",
    "::std::convert::",
    "::std::result::",
    "::std::default::",
    "::std::fmt::",
    "::std::str::",
    "::std::num::",
    "::std::boxed::",
    "std::convert::",
    "std::ops::",
    "std::fmt::",
    "::serde::",
    "super::",
    "self::",
    "types::",
];

/// Drops the [`QUALIFIERS`] that start a path: at each place a path can
/// start, leading qualifiers are dropped for as long as one matches
/// (`::std::option::Option` and `super::types::Region` lose both). A
/// qualifier that does not begin with `::` starts a path only after a
/// character that is neither a word character nor `:` (so `my_types::X`
/// keeps its `types::`).
fn strip_qualifiers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let starts_path = !out
            .chars()
            .next_back()
            .is_some_and(|p| is_word_char(p) || p == ':');
        // Every qualifier begins with `:`, `s` or `t`.
        let qualifier = matches!(c, ':' | 's' | 't')
            .then(|| {
                QUALIFIERS
                    .iter()
                    .find(|q| rest.starts_with(**q) && (q.starts_with("::") || starts_path))
            })
            .flatten();
        match qualifier {
            Some(q) => rest = &rest[q.len()..],
            None => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(code: &str) -> String {
        render(&syn::parse_str::<syn::Type>(code).expect("a type"))
    }

    #[test]
    fn qualifications_and_spacing_go() {
        assert_eq!(
            rendered("::std::option::Option< super::Region >"),
            "Option<Region>"
        );
        assert_eq!(rendered("Option<types::Region>"), "Option<Region>");
        assert_eq!(
            rendered("::std::collections::HashMap<::std::string::String, super::types::A>"),
            "HashMap<String,A>"
        );
        assert_eq!(rendered("my_types::X"), "my_types::X");
        assert_eq!(
            rendered("&'a mut dyn Fn(u8,) -> u8"),
            "&'a mut dyn Fn(u8)->u8"
        );
        assert_eq!(
            rendered("::upstash_api::types::Region"),
            "Region",
            "the open enums read as `types`"
        );
    }
}
