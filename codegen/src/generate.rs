//! Running progenitor on a checked spec and formatting what it produces.

use progenitor::Generator;

use crate::{Spec, SpecError, settings};

/// Generates the client (types, `Client`, one builder per operation) as
/// formatted Rust source.
pub fn client(spec: &Spec) -> Result<String, SpecError> {
    format(client_tokens(spec)?)
}

/// The client as progenitor's token stream, unformatted: for tools that
/// read the generated API (the xtask's SDK analysis) without paying for
/// formatting and re-parsing.
///
/// When the generator fails, the operation that makes it fail is found (by
/// generating each operation alone) and named in the error's location.
pub fn client_tokens(spec: &Spec) -> Result<proc_macro2::TokenStream, SpecError> {
    generate_tokens(&spec.openapi).map_err(|e| match failing_operation(&spec.openapi) {
        Some(operation) => e.at(operation),
        None => e,
    })
}

fn generate_tokens(openapi: &openapiv3::OpenAPI) -> Result<proc_macro2::TokenStream, SpecError> {
    without_panics(|| {
        let mut generator = Generator::new(&settings::generation_settings());
        generator.generate_tokens(openapi)
    })
}

/// `METHOD /path (operationId)` of the first operation the generator
/// cannot take on its own, if the failure comes from one operation.
fn failing_operation(openapi: &openapiv3::OpenAPI) -> Option<String> {
    for (path, item) in &openapi.paths.paths {
        let Some(item) = item.as_item() else { continue };
        for (method, operation) in item.iter() {
            let mut single_item = openapiv3::PathItem {
                parameters: item.parameters.clone(),
                ..Default::default()
            };
            if let Some(slot) = crate::spec::operation_slot(&mut single_item, method) {
                *slot = Some(operation.clone());
            }
            let mut single = openapi.clone();
            single.paths.paths = [(path.clone(), openapiv3::ReferenceOr::Item(single_item))]
                .into_iter()
                .collect();
            if generate_tokens(&single).is_err() {
                let id = operation
                    .operation_id
                    .as_deref()
                    .unwrap_or("no operationId");
                return Some(format!("{} {path} ({id})", method.to_uppercase()));
            }
        }
    }
    None
}

/// Generates httpmock expectation helpers for every operation, referring to
/// the generated module at `crate_path` (for example `crate::generated`).
pub fn mocks(spec: &Spec, crate_path: &str) -> Result<String, SpecError> {
    let tokens = without_panics(|| {
        let mut generator = Generator::new(&settings::generation_settings());
        generator.httpmock(&spec.openapi, crate_path)
    })?;
    format(tokens)
}

/// Constants the SDK reads from the spec: the default server URL and the
/// spec's version, as Rust items.
pub fn constants(spec: &Spec) -> String {
    let url = spec
        .default_server_url()
        .unwrap_or(crate::FALLBACK_SERVER_URL)
        .trim_end_matches('/');
    let version = &spec.openapi.info.version;
    let tokens = quote::quote! {
        /// The base URL the spec declares first under `servers`.
        pub const SPEC_SERVER_URL: &str = #url;
        /// The `info.version` of the spec this client was generated from.
        pub const SPEC_VERSION: &str = #version;
    };
    tokens.to_string()
}

fn format(tokens: proc_macro2::TokenStream) -> Result<String, SpecError> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| {
        SpecError::new(format!(
            "progenitor produced code that does not parse ({e}); this is a generator bug, please report it"
        ))
    })?;
    Ok(prettyplease::unparse(&file))
}

/// Runs the generator, turning both its errors and its panics (progenitor
/// still has `todo!()`s for rare spec shapes) into a [`SpecError`].
fn without_panics<T>(run: impl FnOnce() -> Result<T, progenitor::Error>) -> Result<T, SpecError> {
    quiet_panics::install();
    let outcome = quiet_panics::run(|| std::panic::catch_unwind(std::panic::AssertUnwindSafe(run)));
    match outcome {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(SpecError::new(format!(
            "the generator rejected the spec: {e}"
        ))),
        Err(panic) => {
            let reason = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("no reason given");
            Err(SpecError::new(format!(
                "the generator cannot handle a shape in this spec: {}",
                reason.lines().next().unwrap_or(reason)
            )))
        }
    }
}

/// Silences the panic message of a generator panic that is caught and
/// reported as an error, on the generating thread only: other threads'
/// panics still print, and concurrent generations cannot race on the
/// process-wide hook (it is installed once and never swapped back).
mod quiet_panics {
    use std::cell::Cell;
    use std::sync::Once;

    thread_local! {
        static QUIET: Cell<bool> = const { Cell::new(false) };
    }

    pub(super) fn install() {
        static INSTALL: Once = Once::new();
        INSTALL.call_once(|| {
            let previous = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                if !QUIET.with(Cell::get) {
                    previous(info);
                }
            }));
        });
    }

    pub(super) fn run<T>(f: impl FnOnce() -> T) -> T {
        let was = QUIET.with(|q| q.replace(true));
        let out = f();
        QUIET.with(|q| q.set(was));
        out
    }
}
