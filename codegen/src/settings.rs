//! The progenitor settings: one definition shared by `build.rs` and the xtask.
//!
//! Why each choice is made is recorded in `ARCHITECTURE.md`.

use progenitor::{GenerationSettings, HooksMode, InterfaceStyle, TagStyle};

/// The settings every generation of the Upstash client uses.
///
/// - builder interface: adding an optional parameter to an operation does
///   not break callers;
/// - merged tags: one `Client` with every operation as a method;
/// - hooks expected: the SDK must implement `ClientHooks` for the generated
///   client (auth, user agent, retries and tracing live there), and a
///   missing implementation is a compile error, not a silently unauthenticated client;
/// - inner type `crate::transport::Transport`: what those hooks need;
/// - `PartialEq` derived on every generated type, so callers can compare values.
pub fn generation_settings() -> GenerationSettings {
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_hooks(HooksMode::Expected)
        .with_inner_type(quote::quote!(crate::transport::Transport))
        .with_derive("PartialEq");
    settings
}
