//! The progenitor settings: one definition shared by `build.rs` and the xtask.
//!
//! Why each choice is made is recorded in `ARCHITECTURE.md`.

use progenitor::{CrateVers, GenerationSettings, HooksMode, InterfaceStyle, TagStyle, TypeImpl};

use crate::Spec;
use crate::open_enums::{marked_name, open_enum};
use crate::tolerance::OPEN_ENUM_CRATE;

/// The settings every generation of the Upstash client from `spec` uses.
///
/// - builder interface: adding an optional parameter to an operation does
///   not break callers;
/// - merged tags: one `Client` with every operation as a method;
/// - hooks expected: the SDK implements `ClientHooks` (auth, user agent,
///   retries, tracing), and a missing one is a compile error, not a silently
///   unauthenticated client;
/// - inner type `crate::transport::Transport`: what those hooks need;
/// - `PartialEq` derived on every generated type, so callers can compare values;
/// - the open enums ([`crate::open_enums`]) are used, not generated, by
///   typify: inline ones through their `x-rust-type` mark, component ones
///   through a replacement (which, unlike the mark, never wraps the type
///   in a newtype when the component's name is not already a Rust name).
pub fn generation_settings(spec: &Spec) -> GenerationSettings {
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_hooks(HooksMode::Expected)
        .with_inner_type(quote::quote!(crate::transport::Transport))
        .with_derive("PartialEq")
        .with_crate(OPEN_ENUM_CRATE, CrateVers::Any, None);
    let schemas = spec.openapi.components.as_ref().map(|c| &c.schemas);
    for (name, schema) in schemas.into_iter().flatten() {
        let Some(Ok(serde_json::Value::Object(node))) = schema.as_item().map(serde_json::to_value)
        else {
            continue;
        };
        let (Some(path), Some(open)) = (marked_name(&node), open_enum(&node)) else {
            continue;
        };
        let mut impls = vec![TypeImpl::FromStr, TypeImpl::Display];
        if open.default.is_some() {
            impls.push(TypeImpl::Default);
        }
        let replacement = format!("::{}::{path}", crate::tolerance::OPEN_ENUM_MODULE);
        settings.with_replacement(crate::names::pascal(name), replacement, impls.into_iter());
    }
    settings
}
