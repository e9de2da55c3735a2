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

/// Which generator's spelling [`ident`] follows: typify and progenitor
/// share one `sanitize` but for what goes before a name that cannot start
/// an identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Generator {
    /// Types, fields and variants (typify): an `x`/`X` in front.
    Typify,
    /// Methods, builder structs and their parameters (progenitor): an `_` in front.
    Progenitor,
}

/// The case [`ident`] writes a name in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Case {
    /// `PascalCase`: types, builder structs, variants.
    Pascal,
    /// `snake_case`: methods, fields, parameters.
    Snake,
}

/// `input` as the Rust identifier `generator` makes of it in `case`: its
/// `sanitize` (typify-impl's `util::sanitize`, progenitor-impl's
/// `util::sanitize`), step for step, so that two spec names the generator
/// would give one identifier are found before it writes code that does
/// not compile.
pub(crate) fn ident(input: &str, case: Case, generator: Generator) -> String {
    let to_case = |s: &str| match case {
        Case::Pascal => s.to_pascal_case(),
        Case::Snake => s.to_snake_case(),
    };
    let out = match input {
        "+1" => "plus1".to_string(),
        "-1" => "minus1".to_string(),
        _ => to_case(
            &input
                .replace('\'', "")
                .replace(|c: char| !unicode_ident::is_xid_continue(c), "-"),
        ),
    };
    let out = match (out.chars().next(), generator) {
        (None, _) => to_case("x"),
        (Some(c), _) if unicode_ident::is_xid_start(c) => out,
        (Some(_), Generator::Typify) => format!("{}{out}", to_case("x")),
        (Some(_), Generator::Progenitor) => format!("_{out}"),
    };
    if accepted_as_ident(&out) {
        out
    } else {
        format!("{out}_")
    }
}

/// typify's `accept_as_ident`: what is neither `_` nor a keyword (strict,
/// reserved or edition 2024's `gen`) stays as it is.
fn accepted_as_ident(ident: &str) -> bool {
    !matches!(
        ident,
        "_" | "abstract"
            | "as"
            | "async"
            | "await"
            | "become"
            | "box"
            | "break"
            | "const"
            | "continue"
            | "crate"
            | "do"
            | "dyn"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "final"
            | "fn"
            | "for"
            | "gen"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "macro"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "override"
            | "priv"
            | "pub"
            | "ref"
            | "return"
            | "Self"
            | "self"
            | "static"
            | "struct"
            | "super"
            | "trait"
            | "true"
            | "try"
            | "type"
            | "typeof"
            | "unsafe"
            | "unsized"
            | "use"
            | "virtual"
            | "where"
            | "while"
            | "yield"
    )
}

/// The words of an operationId as a person reads it (ARCHITECTURE.md,
/// "Names"): split where heck splits it (between a lowercase letter, or a
/// digit after one, and a capital; before the last capital of a run that a
/// lowercase letter follows), except that the second, acronym, boundary is
/// made only when it leaves a word on each side. So it is not made after a
/// single capital other than `A` (`QStash`, `OAuth`, `IPv6`, `VMs`), nor
/// before one lowercase letter and a digit (`APIv2`: a version) or a lone
/// `s` (`URLs`: a plural).
pub(crate) fn operation_words(input: &str) -> Vec<String> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mode {
        Boundary,
        Lower,
        Upper,
    }
    let input = input.replace('\'', "");
    let mut words = Vec::new();
    for chunk in input.split(|c: char| !c.is_alphanumeric()) {
        let chars: Vec<char> = chunk.chars().collect();
        let (mut start, mut mode) = (0, Mode::Boundary);
        for (i, &c) in chars.iter().enumerate() {
            let Some(&next) = chars.get(i + 1) else {
                break;
            };
            let next_mode = if c.is_lowercase() {
                Mode::Lower
            } else if c.is_uppercase() {
                Mode::Upper
            } else {
                mode
            };
            if next_mode == Mode::Lower && next.is_uppercase() {
                words.push(chars[start..=i].iter().collect());
                (start, mode) = (i + 1, Mode::Boundary);
            } else if mode == Mode::Upper
                && c.is_uppercase()
                && next.is_lowercase()
                && acronym_boundary(&chars[start..i], &chars[i + 1..])
            {
                words.push(chars[start..i].iter().collect());
                (start, mode) = (i, Mode::Boundary);
            } else {
                mode = next_mode;
            }
        }
        if start < chars.len() {
            words.push(chars[start..].iter().collect());
        }
    }
    words
}

/// Whether the capitals `front` are a word of their own before the capital
/// that `back` (lowercase first) follows: see [`operation_words`].
fn acronym_boundary(front: &[char], back: &[char]) -> bool {
    let single = front.len() == 1 && front[0] != 'A';
    let version = back.len() >= 2 && back[1].is_ascii_digit();
    let plural = back[0] == 's' && back.get(1).is_none_or(|c| !c.is_lowercase());
    !(single || version || plural)
}

/// The operationId progenitor is given for the spec's `id`: `id` itself
/// when the generators already split it into [`operation_words`], else
/// those words in snake_case (`getQStashIPv4` -> `get_qstash_ipv4`).
/// Everything named after an operation (method, builder struct, the types
/// `{id}-body`..., mocks) follows from it.
pub(crate) fn generated_operation_id(id: &str) -> std::borrow::Cow<'_, str> {
    let words: Vec<String> = operation_words(id)
        .iter()
        .map(|w| w.to_lowercase())
        .collect();
    let ours = words.join("_");
    let method = |id: &str| ident(id, Case::Snake, Generator::Progenitor);
    if method(id) == method(&ours) {
        std::borrow::Cow::Borrowed(id)
    } else {
        std::borrow::Cow::Owned(ours)
    }
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

    #[test]
    fn operation_ids_split_as_a_person_reads_them() {
        use super::{Case::*, Generator::*, generated_operation_id, ident};
        for (id, method, builder) in [
            ("getHTTPServerV2", "get_http_server_v2", "GetHttpServerV2"),
            ("listIPv6Ranges", "list_ipv6_ranges", "ListIpv6Ranges"),
            ("getOAuthToken", "get_oauth_token", "GetOauthToken"),
            ("createDBSnapshot", "create_db_snapshot", "CreateDbSnapshot"),
            ("getQStashIPv4", "get_qstash_ipv4", "GetQstashIpv4"),
            ("listQStashUsers", "list_qstash_users", "ListQstashUsers"),
            ("setQStashPlan", "set_qstash_plan", "SetQstashPlan"),
            ("restoreBackup", "restore_backup", "RestoreBackup"),
            ("getQstashUser", "get_qstash_user", "GetQstashUser"),
            ("getAUser", "get_a_user", "GetAUser"),
            ("getAPIv2Keys", "get_apiv2_keys", "GetApiv2Keys"),
            ("listURLs", "list_urls", "ListUrls"),
            ("listVMsByID", "list_vms_by_id", "ListVmsById"),
            ("getS3Bucket", "get_s3_bucket", "GetS3Bucket"),
            ("getV2Items", "get_v2_items", "GetV2Items"),
            ("getHTTP", "get_http", "GetHttp"),
            ("get-QStash.v2", "get_qstash_v2", "GetQstashV2"),
            ("1stQStash", "_1st_qstash", "_1stQstash"),
        ] {
            let generated = generated_operation_id(id);
            assert_eq!(ident(&generated, Snake, Progenitor), method, "{id}");
            // progenitor names the builder after the method.
            assert_eq!(ident(method, Pascal, Progenitor), builder, "{id}");
            assert_eq!(generated_operation_id(&generated), generated, "{id}");
        }
        assert!(matches!(
            generated_operation_id("restoreBackup"),
            std::borrow::Cow::Borrowed("restoreBackup")
        ));
    }

    #[test]
    fn identifiers_follow_each_generator() {
        use super::{Case::*, Generator::*, ident};
        for (input, case, generator, expected) in [
            ("getDatabase", Snake, Progenitor, "get_database"),
            ("get_database", Snake, Progenitor, "get_database"),
            ("getHTTP", Snake, Progenitor, "get_http"),
            ("newWithClient", Snake, Progenitor, "new_with_client"),
            (
                "restoreBackup-body",
                Pascal,
                Progenitor,
                "RestoreBackupBody",
            ),
            ("1a", Snake, Progenitor, "_1a"),
            ("1a", Snake, Typify, "x1a"),
            ("1a", Pascal, Typify, "X1a"),
            ("", Snake, Typify, "x"),
            ("type", Snake, Typify, "type_"),
            ("gen", Snake, Typify, "gen_"),
            ("a-b", Snake, Typify, "a_b"),
            ("Foo-Bar", Pascal, Typify, "FooBar"),
            ("won't", Pascal, Typify, "Wont"),
            ("+1", Pascal, Typify, "plus1"),
        ] {
            assert_eq!(ident(input, case, generator), expected, "{input}");
        }
    }
}
