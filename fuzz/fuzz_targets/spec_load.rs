//! Arbitrary text through the SDK generator's spec checks (what build.rs
//! runs before progenitor): a `Spec` or a `SpecError`, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = upstash_api_codegen::Spec::from_text(text);
    }
});
