//! Rust names for things the generator names, chosen the way typify names
//! them (so a tolerant enum keeps the name typify would have given it).

use heck::{ToPascalCase as _, ToSnakeCase as _};

/// `input` as a Rust type or variant name: PascalCase, characters that
/// cannot be in an identifier read as word breaks, an `X` in front of a
/// leading digit, a trailing `_` for a keyword. The same rules as typify's.
pub(crate) fn pascal(input: &str) -> String {
    let cased = match input {
        "+1" => "Plus1".to_string(),
        "-1" => "Minus1".to_string(),
        _ => input
            .replace('\'', "")
            .replace(|c: char| !unicode_ident::is_xid_continue(c), "-")
            .to_pascal_case(),
    };
    let prefixed = match cased.chars().next() {
        None => "X".to_string(),
        Some(c) if unicode_ident::is_xid_start(c) => cased,
        Some(_) => format!("X{cased}"),
    };
    if syn::parse_str::<syn::Ident>(&prefixed).is_ok() {
        prefixed
    } else {
        format!("{prefixed}_")
    }
}

/// `input` in snake_case, as typify joins a property name to its owner's.
pub(crate) fn snake(input: &str) -> String {
    input.to_snake_case()
}

/// `name`, or `name2`, `name3`... whichever `taken` does not hold yet;
/// the one returned is added to it.
pub(crate) fn unique(name: &str, taken: &mut std::collections::BTreeSet<String>) -> String {
    let mut candidate = name.to_string();
    let mut n = 2;
    while !taken.insert(candidate.clone()) {
        candidate = format!("{name}{n}");
        n += 1;
    }
    candidate
}

/// An operation id (or type name) with case and separators ignored: the
/// spec's `getQStashUser` and the generated `get_q_stash_user` are the same.
pub fn loose(id: &str) -> String {
    id.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::pascal;

    #[test]
    fn names_follow_typify() {
        for (input, expected) in [
            ("Database_state", "DatabaseState"),
            ("us-east-1", "UsEast1"),
            ("1h", "X1h"),
            ("3XL", "X3xl"),
            ("DOT_PRODUCT", "DotProduct"),
            ("getQStashUser-response", "GetQStashUserResponse"),
            ("", "X"),
            ("a b/c", "ABC"),
            ("+1", "Plus1"),
            ("Self", "Self_"),
        ] {
            assert_eq!(pascal(input), expected, "{input}");
        }
    }
}
