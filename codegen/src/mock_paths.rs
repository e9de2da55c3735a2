//! Path values in the generated mock expectations are text, not patterns.
//!
//! progenitor's mock for a path parameter (`when.id(value)`) splices the
//! value into a regular expression as it is: an ID holding `.` or `+`
//! matches other IDs, and one holding `(` makes the mock panic. The client
//! sends the value percent-encoded, so the expectation compares that
//! encoding, with every regex character escaped:
//! `regex::escape(&progenitor_client::encode_path(&value.to_string()))`.

use proc_macro2::{Group, TokenStream, TokenTree};

use crate::SpecError;

/// Rewrites every `format!` in `tokens` that splices `value.to_string()`
/// into a path pattern; an error when a parameter method builds a pattern
/// some other way (a generator upgrade changed its output).
pub(crate) fn escape_values(tokens: TokenStream) -> Result<TokenStream, SpecError> {
    let patterns = tokens.to_string().matches("path_matches (re)").count();
    let mut rewritten = 0;
    let tokens = rewrite(tokens, false, &mut rewritten);
    if rewritten != patterns {
        return Err(SpecError::new(format!(
            "the generated mocks build {patterns} path patterns from parameter values, \
             {rewritten} of them as codegen/src/mock_paths.rs expects; update it for this generator"
        )));
    }
    Ok(tokens)
}

/// `tokens` with `value . to_string ()` replaced inside the arguments of
/// every `format!` (`in_format`: these tokens are such arguments).
fn rewrite(tokens: TokenStream, in_format: bool, rewritten: &mut usize) -> TokenStream {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let value = quote::quote!(value.to_string()).to_string();
    let mut out = Vec::with_capacity(trees.len());
    let mut i = 0;
    while i < trees.len() {
        let text = |w: &[TokenTree]| w.iter().cloned().collect::<TokenStream>().to_string();
        if in_format && trees.get(i..i + 4).is_some_and(|w| text(w) == value) {
            out.extend(quote::quote!(regex::escape(
                &::progenitor_client::encode_path(&value.to_string())
            )));
            *rewritten += 1;
            i += 4;
            continue;
        }
        let tree = match &trees[i] {
            TokenTree::Group(group) => {
                // `format ! (...)`: the group right after `format` and `!`.
                let is_format = i >= 2
                    && matches!(&trees[i - 2], TokenTree::Ident(id) if id == "format")
                    && matches!(&trees[i - 1], TokenTree::Punct(p) if p.as_char() == '!');
                let inner = rewrite(group.stream(), is_format, rewritten);
                let mut rebuilt = Group::new(group.delimiter(), inner);
                rebuilt.set_span(group.span());
                TokenTree::Group(rebuilt)
            }
            other => other.clone(),
        };
        out.push(tree);
        i += 1;
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spliced_value_is_encoded_and_escaped() {
        let tokens = quote::quote! {
            fn id(self, value: &str) -> Self {
                let re = regex::Regex::new(&format!("^/db/{}$", value.to_string())).unwrap();
                Self(self.0.path_matches(re))
            }
        };
        let code = escape_values(tokens)
            .expect("the expected shape")
            .to_string();
        assert!(
            code.contains(
                "regex :: escape (& :: progenitor_client :: encode_path (& value . to_string ()))"
            ),
            "{code}"
        );
    }

    #[test]
    fn another_shape_fails_the_build() {
        let tokens = quote::quote! {
            fn id(self, value: &str) -> Self {
                let re = regex::Regex::new(&format!("^/db/{}$", value)).unwrap();
                Self(self.0.path_matches(re))
            }
        };
        let e = escape_values(tokens).expect_err("an unknown shape");
        assert!(e.problem.contains("mock_paths.rs"), "{e}");
    }
}
