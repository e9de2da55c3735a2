//! JSON pointers into a document and `$ref` resolution: the document
//! layer's own ([`upstash_api_codegen`]), under the names the stages use.

pub use upstash_api_codegen::{Loc, escape_segment as escape, resolve};

/// Turns a local `$ref` (`#/components/schemas/A`) into a JSON pointer
/// (`/components/schemas/A`), as the build reads it (`%XX` escapes
/// decoded). `None` when the reference is not local.
pub fn ref_pointer(reference: &str) -> Option<String> {
    upstash_api_codegen::ref_pointer(reference).map(std::borrow::Cow::into_owned)
}
