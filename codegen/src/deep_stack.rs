//! Running the recursive readers (serde typing the document, progenitor and
//! typify generating from it) on a thread with a stack of their own.
//!
//! They recurse once per level of the document, which the reader bounds at
//! `yaml::MAX_DEPTH` levels; at that depth a debug build needs more than
//! the 2 MiB a test's or a caller's thread usually has. The entry points
//! that return what a thread can hand back (`Spec::from_value`'s typing,
//! `SdkSource::from_spec`, `generate_client`) run here, so they are safe
//! whatever thread calls them; `client_tokens` returns a token stream,
//! which cannot cross threads, and says so. The stack is address space
//! reserved, not memory used.

use crate::SpecError;

/// The stack the recursive readers get.
const STACK_BYTES: usize = 256 << 20;

/// Runs `f` on a thread with [`STACK_BYTES`] of stack and returns what it
/// returns. A panic in `f` is resumed on the calling thread.
pub(crate) fn run<T: Send>(
    f: impl FnOnce() -> Result<T, SpecError> + Send,
) -> Result<T, SpecError> {
    std::thread::scope(|scope| {
        let thread = std::thread::Builder::new()
            .stack_size(STACK_BYTES)
            .spawn_scoped(scope, f)
            .map_err(|e| SpecError::new(format!("cannot start the generator's thread: {e}")))?;
        thread
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}
