//! Two arbitrary documents through the spec-diff loader and differ: a result
//! or an error, never a panic, a hang or a stack overflow.
#![no_main]

use libfuzzer_sys::fuzz_target;
use xtask::spec_diff::{compare, load::load_text};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // Split at the first NUL (or in the middle) into an old and a new side.
    let (old, new) = match text.find('\0') {
        Some(i) => (&text[..i], &text[i + 1..]),
        None => text.split_at(text.floor_char_boundary(text.len() / 2)),
    };
    if let (Ok(old), Ok(new)) = (load_text("old", old), load_text("new", new)) {
        let _ = compare(&old, &new, false);
        let _ = compare(&new, &old, false);
    }
});
