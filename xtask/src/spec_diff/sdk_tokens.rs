//! Reading the generated client's items straight from progenitor's token
//! trees: what [`sdk_surface`](super::sdk_surface) needs of each item, and
//! nothing more.
//!
//! The generated code is regular (progenitor and typify write it), so the
//! shapes read here are those a Rust item has, taken at the token level:
//! attributes, visibility, the keyword, a name, generics as `<`/`>`
//! punctuation, then a brace or parenthesis group or a `;`. A shape that is
//! not recognised reads as nothing (no fields, no name) rather than as an
//! error: the surface then misses an item on both sides alike, it never
//! invents one.
//!
//! Why not syn: syn copies every token it parses into a buffer of its own,
//! builds a syntax tree and, to compare types, the tree was printed back
//! into tokens and text. On the focused part of a 60-operation spec that
//! cost more than running progenitor. Here no token is copied that is not
//! looked at, and types are printed from the tokens as they are.
//!
//! Text is always [`render`]ed, so spacing never matters: what is
//! compared is the sequence of tokens.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, Ordering};

use proc_macro2::{Delimiter, Group, Spacing, TokenStream, TokenTree};

/// Whether [`dispose`] leaves tokens to the operating system.
static LEAVE_TO_EXIT: AtomicBool = AtomicBool::new(false);

/// Makes every generated token read from now on outlive its reading: its
/// memory is returned when the process exits instead of being freed token
/// by token, which costs about a fifth of reading a generator run's output.
/// For a command-line run that exits after its comparison; a long-lived
/// process must not call it.
pub fn leave_tokens_to_exit() {
    LEAVE_TO_EXIT.store(true, Ordering::Relaxed);
}

/// Frees tokens that have been read, or leaves them to the process exit
/// (see [`leave_tokens_to_exit`]).
pub(super) fn dispose(tokens: Vec<TokenTree>) {
    if LEAVE_TO_EXIT.load(Ordering::Relaxed) {
        std::mem::forget(tokens);
    }
}

/// The tokens inside a group (one level; nested groups are shared, not
/// copied).
pub(super) fn inner(group: &Group) -> Vec<TokenTree> {
    group.stream().into_iter().collect()
}

/// The tokens inside the group at `slot`, when it is a group with
/// `delimiter`, moved out of it: the slot is left an empty group of the
/// same delimiter. Nothing is copied unless the generator shares the
/// group's tokens with another group ([`inner`] copies the level always).
pub(super) fn take_inner(slot: &mut TokenTree, delimiter: Delimiter) -> Option<Vec<TokenTree>> {
    if !is_group(Some(slot), delimiter) {
        return None;
    }
    let empty = TokenTree::Group(Group::new(delimiter, TokenStream::new()));
    let TokenTree::Group(group) = std::mem::replace(slot, empty) else {
        return None;
    };
    let stream = group.stream();
    // The group's reference goes first, so `stream` holds the only one and
    // is taken apart in place.
    drop(group);
    Some(stream.into_iter().collect())
}

pub(super) fn is_punct(token: Option<&TokenTree>, c: char) -> bool {
    matches!(token, Some(TokenTree::Punct(p)) if p.as_char() == c)
}

pub(super) fn is_ident(token: Option<&TokenTree>, word: &str) -> bool {
    matches!(token, Some(TokenTree::Ident(i)) if i == word)
}

fn is_group(token: Option<&TokenTree>, delimiter: Delimiter) -> bool {
    matches!(token, Some(TokenTree::Group(g)) if g.delimiter() == delimiter)
}

/// The normalised text of a run of tokens, as proc-macro2 prints them:
/// compact and independent of where in the generated file it was written
/// and of formatting. Spaces only between words, no trailing commas, and
/// the std, `super::`, `self::` and `types::` qualifications dropped
/// (`::std::option::Option<super::Region>` and `Option<types::Region>` both
/// become `Option<Region>`).
pub(super) fn render(tokens: &[TokenTree]) -> String {
    let mut text = Compact::default();
    let mut joint = false;
    for token in tokens {
        if !joint {
            text.pending_space = true;
        }
        match token {
            TokenTree::Punct(p) => {
                joint = p.spacing() == Spacing::Joint;
                text.push(p.as_char());
            }
            _ => {
                joint = false;
                let _ = write!(text, "{token}");
            }
        }
    }
    strip_qualifiers(&text.text)
}

/// Text being made compact as it is written (see [`render`]):
/// whitespace becomes one space where it separates two words and nothing
/// elsewhere, and a comma right before a closing `)`, `>`, `]` or `}` is
/// dropped.
#[derive(Default)]
struct Compact {
    text: String,
    /// Whitespace was seen since the last character kept.
    pending_space: bool,
    /// The last character kept separates words like a word character does.
    after_word: bool,
}

impl Compact {
    /// Writes one character, compactly.
    fn push(&mut self, c: char) {
        if c.is_whitespace() {
            self.pending_space = true;
            return;
        }
        let word = is_word_char(c) || c == '\'';
        if self.pending_space && self.after_word && word {
            self.text.push(' ');
        }
        self.pending_space = false;
        // Trailing commas come and go with formatting (a one-element tuple
        // `(T,)` would read as `(T)`; the generator writes none in
        // signatures).
        if matches!(c, ')' | '>' | ']' | '}') && self.text.ends_with(',') {
            self.text.pop();
        }
        self.text.push(c);
        self.after_word = word;
    }
}

impl std::fmt::Write for Compact {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        // A word (an identifier, most of what is written) goes in whole.
        if let Some(first) = s.chars().next()
            && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            self.push(first);
            self.text.push_str(&s[first.len_utf8()..]);
            return Ok(());
        }
        for c in s.chars() {
            self.push(c);
        }
        Ok(())
    }

    fn write_char(&mut self, c: char) -> std::fmt::Result {
        self.push(c);
        Ok(())
    }
}

/// The qualifications [`render`] drops where they start a path, in the
/// order they are tried.
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

/// Drops the [`QUALIFIERS`] that start a path, in one pass: at each place a
/// path can start, leading qualifiers are dropped for as long as one
/// matches (`::std::option::Option` and `super::types::Region` lose both).
/// A qualifier that does not begin with `::` starts a path only after a
/// character that is neither a word character nor `:` (so `my_types::X`
/// keeps its `types::`).
fn strip_qualifiers(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    // `text[copied..at]` is kept but not yet copied to `out`.
    let mut copied = 0;
    let mut at = 0;
    while at < bytes.len() {
        // Every qualifier begins with `::s`, `s` or `t`.
        let candidate = match bytes[at] {
            b':' => bytes.get(at + 1) == Some(&b':') && bytes.get(at + 2) == Some(&b's'),
            b's' | b't' => {
                let before = if at > copied {
                    text[..at].chars().next_back()
                } else {
                    out.chars().next_back()
                };
                !before.is_some_and(|c| is_word_char(c) || c == ':')
            }
            _ => false,
        };
        if candidate
            && let Some(qualifier) = QUALIFIERS.iter().find(|q| text[at..].starts_with(**q))
        {
            out.push_str(&text[copied..at]);
            at += qualifier.len();
            copied = at;
            continue;
        }
        at += 1;
    }
    out.push_str(&text[copied..]);
    out
}

pub(super) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The index after the attributes (`#[..]`, `#![..]`) starting at `at`.
pub(super) fn skip_attributes(tokens: &[TokenTree], mut at: usize) -> usize {
    loop {
        let bang = is_punct(tokens.get(at + 1), '!');
        let group_at = if bang { at + 2 } else { at + 1 };
        if is_punct(tokens.get(at), '#') && is_group(tokens.get(group_at), Delimiter::Bracket) {
            at = group_at + 1;
        } else {
            return at;
        }
    }
}

/// The tokens of each attribute (`#[..]`) among `tokens`, moved out of
/// their groups ([`take_inner`]).
fn take_attributes(tokens: &mut [TokenTree]) -> Vec<Vec<TokenTree>> {
    let mut attributes = Vec::new();
    for at in 1..tokens.len() {
        if is_punct(tokens.get(at - 1), '#')
            && let Some(inside) = take_inner(&mut tokens[at], Delimiter::Bracket)
        {
            attributes.push(inside);
        }
    }
    attributes
}

/// Calls `read` with the arguments of each `#[name(..)]` attribute among
/// `attributes`. The attributes' tokens are moved out ([`take_inner`]) and
/// disposed of.
fn attribute_arguments(
    attributes: &mut [TokenTree],
    name: &str,
    mut read: impl FnMut(&[TokenTree]),
) {
    for mut tokens in take_attributes(attributes) {
        if let [TokenTree::Ident(ident), list] = tokens.as_mut_slice()
            && ident == name
            && let Some(arguments) = take_inner(list, Delimiter::Parenthesis)
        {
            read(&arguments);
            dispose(arguments);
        }
        dispose(tokens);
    }
}

/// The names in `#[derive(..)]` attributes among `attributes`, normalised.
pub(super) fn derives(attributes: &mut [TokenTree]) -> Vec<String> {
    let mut names = Vec::new();
    attribute_arguments(attributes, "derive", |list| {
        names.extend(
            split_commas(list)
                .into_iter()
                .map(render)
                .filter(|name| !name.is_empty()),
        );
    });
    names
}

/// Whether a `#[serde(..)]` attribute among `attributes` says `default`.
fn has_serde_default(attributes: &mut [TokenTree]) -> bool {
    let mut default = false;
    attribute_arguments(attributes, "serde", |list| {
        default |= list.iter().any(|t| is_ident(Some(t), "default"));
    });
    default
}

/// `pub` (unrestricted) at `at`: whether it is there, and the index after
/// the visibility (`pub(crate)` is skipped and is not public).
pub(super) fn visibility(tokens: &[TokenTree], at: usize) -> (bool, usize) {
    if !is_ident(tokens.get(at), "pub") {
        return (false, at);
    }
    if is_group(tokens.get(at + 1), Delimiter::Parenthesis) {
        (false, at + 2)
    } else {
        (true, at + 1)
    }
}

/// Each token with its index and the angle-bracket depth after it (the `>`
/// of `->` and `=>` does not close a bracket).
fn with_depth(tokens: &[TokenTree]) -> impl Iterator<Item = (usize, &TokenTree, usize)> {
    let mut depth = 0usize;
    tokens.iter().enumerate().map(move |(i, token)| {
        if let TokenTree::Punct(p) = token {
            match p.as_char() {
                '<' => depth += 1,
                '>' if !is_arrow(tokens, i) => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        (i, token, depth)
    })
}

/// Splits `tokens` at the commas outside angle brackets; an empty last
/// part (a trailing comma) is dropped.
pub(super) fn split_commas(tokens: &[TokenTree]) -> Vec<&[TokenTree]> {
    comma_ranges(tokens)
        .into_iter()
        .map(|range| &tokens[range])
        .collect()
}

/// [`split_commas`], as index ranges.
fn comma_ranges(tokens: &[TokenTree]) -> Vec<std::ops::Range<usize>> {
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, token, depth) in with_depth(tokens) {
        if depth == 0 && is_punct(Some(token), ',') {
            parts.push(start..i);
            start = i + 1;
        }
    }
    if start < tokens.len() {
        parts.push(start..tokens.len());
    }
    parts
}

/// Whether the `>` at `i` ends a `->` or `=>`.
fn is_arrow(tokens: &[TokenTree], i: usize) -> bool {
    i > 0
        && matches!(&tokens[i - 1], TokenTree::Punct(p)
            if (p.as_char() == '-' || p.as_char() == '=') && p.spacing() == Spacing::Joint)
}

/// The index of the first `word` at angle-bracket depth 0 in `tokens`.
fn find_top_level(tokens: &[TokenTree], word: &str) -> Option<usize> {
    with_depth(tokens)
        .find(|(_, token, depth)| *depth == 0 && is_ident(Some(token), word))
        .map(|(i, _, _)| i)
}

/// The index just after the `>` that closes the `<` at `open`.
fn after_angle(tokens: &[TokenTree], open: usize) -> usize {
    with_depth(&tokens[open.min(tokens.len())..])
        .find(|(_, token, depth)| *depth == 0 && is_punct(Some(token), '>'))
        .map_or(tokens.len(), |(i, _, _)| open + i + 1)
}

/// The segments of a plain path type, without generic arguments:
/// `::std::string::String` gives `std::string::String`,
/// `builder::RestoreBackup<'a>` gives `builder::RestoreBackup`. `None` for
/// any other type (a reference, a tuple, a qualified path, ...).
pub(super) fn type_name(ty: &[TokenTree]) -> Option<String> {
    let mut segments: Vec<String> = Vec::new();
    let mut at = 0;
    if is_punct(ty.first(), ':') {
        at = 2;
    }
    loop {
        let TokenTree::Ident(segment) = ty.get(at)? else {
            return None;
        };
        segments.push(segment.to_string());
        at += 1;
        if is_punct(ty.get(at), '<') {
            at = after_angle(ty, at);
        }
        match ty.get(at) {
            None => return Some(segments.join("::")),
            Some(TokenTree::Punct(p)) if p.as_char() == ':' && is_punct(ty.get(at + 1), ':') => {
                at += 2
            }
            Some(_) => return None,
        }
    }
}

/// The last segment's name of a path and its generic arguments that are
/// types (lifetimes left out), when `ty` is exactly such a path.
fn generic_args<'a>(ty: &'a [TokenTree], name: &str) -> Option<Vec<&'a [TokenTree]>> {
    type_name(ty)?;
    let open = ty.iter().position(|t| is_punct(Some(t), '<'))?;
    if !is_ident(ty.get(open.checked_sub(1)?), name) || after_angle(ty, open) != ty.len() {
        return None;
    }
    Some(
        split_commas(&ty[open + 1..ty.len() - 1])
            .into_iter()
            .filter(|arg| !is_punct(arg.first(), '\''))
            .collect(),
    )
}

/// A function item: visibility, name, signature tokens and body.
pub(super) struct FnItem<'a> {
    /// `pub`, unrestricted.
    pub public: bool,
    /// The name, as written.
    pub name: String,
    /// Everything from the qualifiers and `fn` to the body.
    pub signature: &'a [TokenTree],
    /// The body.
    pub body: &'a Group,
}

impl<'a> FnItem<'a> {
    /// Reads a function item; `None` when it has no body or no name.
    pub(super) fn of(item: &'a [TokenTree]) -> Option<FnItem<'a>> {
        let (TokenTree::Group(body), head) = item.split_last()? else {
            return None;
        };
        let (public, at) = visibility(head, skip_attributes(head, 0));
        let signature = &head[at..];
        let fn_at = signature.iter().position(|t| is_ident(Some(t), "fn"))?;
        let TokenTree::Ident(name) = signature.get(fn_at + 1)? else {
            return None;
        };
        Some(FnItem {
            public,
            name: name.to_string(),
            signature,
            body,
        })
    }

    /// The signature, normalised.
    pub(super) fn rendered(&self) -> String {
        render(self.signature)
    }

    /// The return type's tokens (after `->`, before `where`).
    fn output(&self) -> Option<&'a [TokenTree]> {
        let sig = self.signature;
        let arrow = sig.windows(2).position(|pair| {
            matches!(pair, [TokenTree::Punct(a), TokenTree::Punct(b)]
                if a.as_char() == '-' && a.spacing() == Spacing::Joint && b.as_char() == '>')
        })?;
        let rest = &sig[arrow + 2..];
        let end = find_top_level(rest, "where").unwrap_or(rest.len());
        Some(&rest[..end])
    }

    /// The number of parameters (the receiver included).
    fn parameter_count(&self) -> usize {
        let params = self.signature.iter().find_map(|t| match t {
            TokenTree::Group(g) if g.delimiter() == Delimiter::Parenthesis => Some(g),
            _ => None,
        });
        params.map_or(0, |g| split_commas(&inner(g)).len())
    }

    /// For `fn name<V>(mut self, value: V) -> Self where V: TryInto<T>`, the
    /// `T`, normalised.
    pub(super) fn setter_type(&self) -> Option<String> {
        let sig = self.signature;
        let where_at = find_top_level(sig, "where")?;
        if self.parameter_count() != 2 {
            return None;
        }
        let clause = &sig[where_at + 1..];
        let open = clause.windows(2).position(|pair| {
            matches!(pair, [TokenTree::Ident(i), TokenTree::Punct(p)]
                if i == "TryInto" && p.as_char() == '<')
        })? + 1;
        let close = after_angle(clause, open);
        let args = split_commas(clause.get(open + 1..close.checked_sub(1)?)?);
        args.first().map(|target| render(target))
    }

    /// For `send()`: the success and error types of
    /// `Result<ResponseValue<T>, Error<E>>`, normalised.
    pub(super) fn send_types(&self) -> Option<(String, String)> {
        let args = generic_args(self.output()?, "Result")?;
        let [ok, err] = args.as_slice() else {
            return None;
        };
        let ok = generic_args(ok, "ResponseValue")?;
        let err = generic_args(err, "Error")?;
        match (ok.as_slice(), err.as_slice()) {
            ([ok], [err]) => Some((render(ok), render(err))),
            _ => None,
        }
    }

    /// The path of the return type when it is a plain path type.
    pub(super) fn returned_type_name(&self) -> Option<String> {
        type_name(self.output()?)
    }

    /// The fields a constructor body (`Self { a: Err(..), b: .. }`)
    /// initialises with `Err(..)`; empty when the body ends otherwise.
    pub(super) fn err_fields(&self) -> Vec<String> {
        let tokens = inner(self.body);
        let statement_start = tokens
            .iter()
            .rposition(|t| is_punct(Some(t), ';'))
            .map_or(0, |i| i + 1);
        let statement = &tokens[statement_start..];
        let Some((TokenTree::Group(fields), path)) = statement.split_last() else {
            return Vec::new();
        };
        let is_path = !path.is_empty()
            && path.iter().all(|t| match t {
                TokenTree::Ident(_) => true,
                TokenTree::Punct(p) => p.as_char() == ':',
                _ => false,
            });
        if fields.delimiter() != Delimiter::Brace || !is_path {
            return Vec::new();
        }
        split_commas(&inner(fields))
            .into_iter()
            .filter_map(|field| match field {
                [
                    TokenTree::Ident(name),
                    TokenTree::Punct(colon),
                    TokenTree::Ident(err),
                    TokenTree::Group(args),
                ] if colon.as_char() == ':'
                    && err == "Err"
                    && args.delimiter() == Delimiter::Parenthesis =>
                {
                    Some(name.to_string())
                }
                _ => None,
            })
            .collect()
    }
}

/// A struct field (or tuple struct element, named by its index).
pub(super) struct Field {
    /// The field's name, or its index in a tuple struct.
    pub name: String,
    /// `pub`, unrestricted.
    pub public: bool,
    /// The type, normalised.
    pub ty: String,
    /// Whether it has `#[serde(default ..)]`.
    pub serde_default: bool,
}

/// A `struct` or `enum` item as far as the surface goes: its name, the
/// traits its attributes derive and the tokens of its fields or variants,
/// if any, moved out of the item ([`take_inner`]) and disposed of with the
/// shape.
pub(super) struct Shape {
    /// The type's name.
    pub name: String,
    /// The names in its `#[derive(..)]` attributes, normalised.
    pub derives: Vec<String>,
    /// The brace or parenthesis group's delimiter and tokens; `None` for a
    /// unit struct.
    body: Option<(Delimiter, Vec<TokenTree>)>,
}

impl Shape {
    /// Reads `[attributes] [vis] keyword Name [<..>] [where ..] {..} | (..) | ;`.
    pub(super) fn of(item: &mut [TokenTree], keyword_at: usize) -> Option<Shape> {
        let TokenTree::Ident(name) = item.get(keyword_at + 1)? else {
            return None;
        };
        let name = name.to_string();
        let body = (keyword_at + 2..item.len()).find_map(|at| match &item[at] {
            TokenTree::Group(g) if g.delimiter() != Delimiter::Bracket => {
                let delimiter = g.delimiter();
                take_inner(&mut item[at], delimiter).map(|tokens| (delimiter, tokens))
            }
            _ => None,
        });
        let attributes_end = skip_attributes(item, 0);
        Some(Shape {
            name,
            derives: derives(&mut item[..attributes_end]),
            body,
        })
    }

    /// The fields of a struct: named (brace body), positional (parenthesis
    /// body) or none.
    pub(super) fn fields(&mut self) -> Vec<Field> {
        let Some((delimiter, tokens)) = &mut self.body else {
            return Vec::new();
        };
        let named = *delimiter == Delimiter::Brace;
        comma_ranges(tokens)
            .into_iter()
            .enumerate()
            .filter_map(|(index, range)| {
                let field = &mut tokens[range];
                let attributes_end = skip_attributes(field, 0);
                let serde_default = has_serde_default(&mut field[..attributes_end]);
                let field = &*field;
                let (public, at) = visibility(field, attributes_end);
                let (name, ty) = if named {
                    let TokenTree::Ident(name) = field.get(at)? else {
                        return None;
                    };
                    (name.to_string(), field.get(at + 2..)?)
                } else {
                    (index.to_string(), &field[at..])
                };
                Some(Field {
                    name,
                    public,
                    ty: render(ty),
                    serde_default,
                })
            })
            .collect()
    }

    /// The variants of an enum, each with its payload's text (empty for a
    /// unit variant).
    pub(super) fn variants(&self) -> Vec<(String, String)> {
        let Some((_, tokens)) = &self.body else {
            return Vec::new();
        };
        split_commas(tokens)
            .into_iter()
            .filter_map(|variant| {
                let at = skip_attributes(variant, 0);
                let TokenTree::Ident(name) = variant.get(at)? else {
                    return None;
                };
                let payload = match variant.get(at + 1) {
                    Some(group @ TokenTree::Group(g)) if g.delimiter() != Delimiter::Bracket => {
                        render(std::slice::from_ref(group))
                    }
                    _ => String::new(),
                };
                Some((name.to_string(), payload))
            })
            .collect()
    }
}

impl Drop for Shape {
    fn drop(&mut self) {
        if let Some((_, tokens)) = self.body.take() {
            dispose(tokens);
        }
    }
}

/// The type of a `type Name = T;` item or a `const NAME: T = ..;` item,
/// normalised: the tokens after `=` (alias) or between `:` and `=` (const).
pub(super) fn alias_or_const_type(item: &[TokenTree], keyword_at: usize) -> Option<String> {
    let rest = item.get(keyword_at + 2..)?;
    let rest = match rest.last() {
        Some(t) if is_punct(Some(t), ';') => &rest[..rest.len() - 1],
        _ => rest,
    };
    let equals = rest.iter().position(|t| is_punct(Some(t), '='))?;
    if is_ident(item.get(keyword_at), "const") {
        let colon = rest.iter().position(|t| is_punct(Some(t), ':'))?;
        Some(render(rest.get(colon + 1..equals)?))
    } else {
        Some(render(&rest[equals + 1..]))
    }
}

/// The header of an `impl` block: the trait (if any) and the self type.
pub(super) struct ImplHeader<'a> {
    /// The trait path's tokens, for `impl Trait for Type`.
    pub trait_path: Option<&'a [TokenTree]>,
    /// The self type's tokens.
    pub self_type: &'a [TokenTree],
}

impl<'a> ImplHeader<'a> {
    /// Reads the tokens between `impl` (at `impl_at`) and the body.
    pub(super) fn of(item: &'a [TokenTree], impl_at: usize) -> ImplHeader<'a> {
        let end = item.len().saturating_sub(1);
        let mut at = impl_at + 1;
        if is_punct(item.get(at), '<') {
            at = after_angle(item, at);
        }
        let header = item.get(at..end).unwrap_or_default();
        let header = match find_top_level(header, "where") {
            Some(w) => &header[..w],
            None => header,
        };
        match find_top_level(header, "for") {
            Some(f) => {
                let trait_path = &header[..f];
                let trait_path = match trait_path.first() {
                    Some(t) if is_punct(Some(t), '!') => &trait_path[1..],
                    _ => trait_path,
                };
                ImplHeader {
                    trait_path: Some(trait_path),
                    self_type: &header[f + 1..],
                }
            }
            None => ImplHeader {
                trait_path: None,
                self_type: header,
            },
        }
    }

    /// The trait's last segment name (`Default` for `::std::default::Default`).
    pub(super) fn trait_name(&self) -> Option<String> {
        let path = self.trait_path?;
        let end = path
            .iter()
            .position(|t| is_punct(Some(t), '<'))
            .unwrap_or(path.len());
        path[..end].iter().rev().find_map(|t| match t {
            TokenTree::Ident(i) => Some(i.to_string()),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proc_macro2::TokenStream;

    fn tokens(code: &str) -> Vec<TokenTree> {
        code.parse::<TokenStream>()
            .expect("valid tokens")
            .into_iter()
            .collect()
    }

    #[test]
    fn render_drops_qualifications_consistently() {
        let render = |code: &str| render(&tokens(code));
        assert_eq!(
            render(":: std :: option :: Option < super :: Region >"),
            "Option<Region>"
        );
        assert_eq!(render("Option < types :: Region >"), "Option<Region>");
        assert_eq!(render("& 'a str"), "&'a str");
        assert_eq!(render("my_types :: Region"), "my_types::Region");
        assert_eq!(render("super :: types :: Region"), "Region");
        assert_eq!(
            render("Result < (super::A,), std::fmt::Error , >"),
            "Result<(A),Error>"
        );
    }

    #[test]
    fn render_does_not_depend_on_spacing() {
        let a = tokens("fn f<'a>(&'a self, x: ::std::vec::Vec<u8>,) -> Result<(), E>");
        let b = tokens(
            "fn f < 'a > ( & 'a self , x : :: std :: vec :: Vec < u8 > ) -> Result < () , E >",
        );
        assert_eq!(render(&a), render(&b));
        assert_eq!(render(&a), "fn f<'a>(&'a self,x:Vec<u8>)->Result<(),E>");
    }

    #[test]
    fn a_builder_setter_gives_its_target_type() {
        let item = tokens(
            "#[doc = \"x\"] pub fn region<V>(mut self, value: V) -> Self \
             where V: std::convert::TryInto<types::Region>, { self }",
        );
        let f = FnItem::of(&item).expect("a function");
        assert!(f.public);
        assert_eq!(f.name, "region");
        assert_eq!(f.setter_type().as_deref(), Some("Region"));
        assert_eq!(f.returned_type_name().as_deref(), Some("Self"));
        // Not a setter: one parameter only.
        let item = tokens("pub fn new(client: &Client) -> Self where T: TryInto<u8> { x }");
        assert_eq!(FnItem::of(&item).expect("a function").setter_type(), None);
    }

    #[test]
    fn send_gives_its_success_and_error_types() {
        let item = tokens(
            "pub async fn send(self) -> Result<ResponseValue<::std::vec::Vec<types::Db>>, \
             Error<types::Error>> { body }",
        );
        let f = FnItem::of(&item).expect("a function");
        assert_eq!(
            f.send_types(),
            Some(("Vec<Db>".to_string(), "Error".to_string()))
        );
        let item = tokens("pub fn restore<'a>(&'a self) -> builder::Restore<'a> { x }");
        let f = FnItem::of(&item).expect("a function");
        assert_eq!(f.returned_type_name().as_deref(), Some("builder::Restore"));
        assert_eq!(f.send_types(), None);
    }

    #[test]
    fn a_constructor_names_the_fields_that_start_as_errors() {
        let item = tokens(
            "pub fn new(client: &Client) -> Self { Self { client, \
             id: Err(\"id was not initialized\".to_string()), \
             body: Ok(::std::default::Default::default()), \
             name: Err(x).or(y), } }",
        );
        let f = FnItem::of(&item).expect("a function");
        assert_eq!(f.err_fields(), ["id"]);
        let item = tokens("fn new() -> Self { let x = 1; x.into() }");
        assert!(
            FnItem::of(&item)
                .expect("a function")
                .err_fields()
                .is_empty()
        );
    }

    #[test]
    fn struct_fields_keep_visibility_type_and_serde_default() {
        let mut item = tokens(
            "#[derive(Clone, Debug, ::serde::Serialize)] #[doc = \"d\"] pub struct Db { \
             #[doc = \"n\"] pub name: ::std::string::String, \
             #[serde(default, skip_serializing_if = \"Vec::is_empty\")] pub tags: Vec<String>, \
             pub map: ::std::collections::HashMap<String, i64>, \
             secret: u8, }",
        );
        let keyword_at = item
            .iter()
            .position(|t| is_ident(Some(t), "struct"))
            .expect("struct");
        let mut shape = Shape::of(&mut item, keyword_at).expect("a struct");
        assert_eq!(shape.name, "Db");
        assert_eq!(shape.derives, ["Clone", "Debug", "Serialize"]);
        let fields = shape.fields();
        let summary: Vec<(&str, bool, &str, bool)> = fields
            .iter()
            .map(|f| (f.name.as_str(), f.public, f.ty.as_str(), f.serde_default))
            .collect();
        assert_eq!(
            summary,
            [
                ("name", true, "String", false),
                ("tags", true, "Vec<String>", true),
                ("map", true, "HashMap<String,i64>", false),
                ("secret", false, "u8", false),
            ]
        );
        let mut tuple = tokens("pub struct Id(pub ::std::string::String);");
        let mut shape = Shape::of(&mut tuple, 1).expect("a struct");
        let fields = shape.fields();
        assert_eq!(
            (fields[0].name.as_str(), fields[0].ty.as_str()),
            ("0", "String")
        );
    }

    #[test]
    fn enum_variants_keep_their_payloads() {
        let mut item = tokens(
            "pub enum Shape { #[serde(rename = \"a\")] A, B(::std::vec::Vec<i64>), \
             C { x: i64 }, D = 4, }",
        );
        let shape = Shape::of(&mut item, 1).expect("an enum");
        assert_eq!(
            shape.variants(),
            [
                ("A".to_string(), String::new()),
                ("B".to_string(), "(Vec<i64>)".to_string()),
                ("C".to_string(), "{x:i64}".to_string()),
                ("D".to_string(), String::new()),
            ]
        );
    }

    #[test]
    fn impl_headers_give_trait_and_self_type() {
        let item = tokens("impl<'a> ::std::convert::From<&'a Db> for super::Db where X: Y { }");
        let header = ImplHeader::of(&item, 0);
        assert_eq!(header.trait_name().as_deref(), Some("From"));
        assert_eq!(
            header.trait_path.map(render).as_deref(),
            Some("From<&'a Db>")
        );
        assert_eq!(type_name(header.self_type).as_deref(), Some("super::Db"));
        let item = tokens("impl builder::Restore<'_> { }");
        let header = ImplHeader::of(&item, 0);
        assert!(header.trait_path.is_none());
        assert_eq!(
            type_name(header.self_type).as_deref(),
            Some("builder::Restore")
        );
        assert_eq!(type_name(&tokens("&Db")), None);
        assert_eq!(type_name(&tokens("<T as X>::Y")), None);
    }

    #[test]
    fn aliases_and_consts_give_their_types() {
        let item = tokens("pub type Map = ::std::collections::HashMap<String, Db>;");
        assert_eq!(
            alias_or_const_type(&item, 1).as_deref(),
            Some("HashMap<String,Db>")
        );
        let item = tokens("pub const VERSION: &str = \"1.0\";");
        assert_eq!(alias_or_const_type(&item, 1).as_deref(), Some("&str"));
    }

    #[test]
    fn take_inner_moves_a_group_s_tokens_out_and_leaves_an_empty_group() {
        let mut item = tokens("impl X { pub fn a(&self) {} } [y]");
        let body = item.len() - 2;
        assert!(take_inner(&mut item[body], Delimiter::Bracket).is_none());
        let inside = take_inner(&mut item[body], Delimiter::Brace).expect("a brace group");
        assert_eq!(render(&inside), "pub fn a(&self){}");
        assert!(matches!(&item[body], TokenTree::Group(g)
            if g.delimiter() == Delimiter::Brace && g.stream().is_empty()));
        assert!(
            take_inner(&mut item[0], Delimiter::Brace).is_none(),
            "not a group"
        );
        let brackets = item.len() - 1;
        let inside = take_inner(&mut item[brackets], Delimiter::Bracket).expect("brackets");
        assert_eq!(render(&inside), "y");
    }

    #[test]
    fn commas_inside_angle_brackets_do_not_split() {
        let t = tokens("a: HashMap<K, V>, b: fn(u8) -> Vec<u8>, c: X,");
        let parts: Vec<String> = split_commas(&t).into_iter().map(render).collect();
        assert_eq!(parts, ["a:HashMap<K,V>", "b:fn(u8)->Vec<u8>", "c:X"]);
    }
}
