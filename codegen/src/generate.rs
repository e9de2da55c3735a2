//! Running progenitor on a checked spec and formatting what it produces.

use progenitor::Generator;

use crate::{Spec, SpecError, settings};

/// Generates the client (types, `Client`, one builder per operation, the
/// open enums) as formatted Rust source.
pub fn client(spec: &Spec) -> Result<String, SpecError> {
    crate::deep_stack::run(|| Ok(prettyplease::unparse(&parse(client_tokens(spec)?)?)))
}

/// Everything `generated.rs` holds: the [`client`] with the
/// checks (`builder_checks`) added to its builders, the values enums list
/// named in messages and docs (`enum_values`), the builders `#[must_use]`
/// with documented setters (`builder_docs`), the public signature changes
/// ([`crate::public_api`]: every type `#[non_exhaustive]`, every `send`
/// failing with `crate::Error`), the
/// [`operation_facts`](crate::operation_facts) table read off it, and the
/// spec's constants ([`constants_tokens`]).
pub fn sdk_client(spec: &Spec) -> Result<String, SpecError> {
    let mut file = parse(client_tokens(spec)?)?;
    crate::string_bools::add_wire_form(&mut file);
    check_open_enum_names(&file)?;
    let facts = crate::operation_facts::table(spec, &file)?;
    crate::builder_checks::add(&mut file)?;
    crate::numbers::integral(&mut file)?;
    crate::enum_values::name_allowed_values(&mut file);
    crate::builder_docs::add(spec, &mut file);
    // Last of the steps on the builders: the others find each operation in
    // its `send` body, which this moves into a block of its own.
    crate::public_api(&mut file)?;
    crate::json_schema::add(&mut file, &crate::open_enums::in_spec(spec));
    file.items.extend(parse(quote::quote! { #facts })?.items);
    file.items.extend(parse(constants_tokens(spec))?.items);
    Ok(prettyplease::unparse(&file))
}

/// The client as token streams, unformatted: progenitor's output followed
/// by the open enums, for tools that choose what of it to parse. When the
/// generator fails, the error's location names the operation that makes it
/// fail (found by generating each operation alone).
///
/// The generator recurses once per level of the document: call it on a
/// thread with a few MiB of stack (a program's main thread has 8 MiB; the
/// functions that return strings run on a stack of their own).
pub fn client_tokens(spec: &Spec) -> Result<proc_macro2::TokenStream, SpecError> {
    let mut tokens = generate_tokens(spec).map_err(|e| match failing_operation(spec) {
        Some(operation) => e.at(operation),
        None => e,
    })?;
    tokens.extend(crate::open_enums::module(&crate::open_enums::in_spec(spec)));
    tokens.extend(crate::concepts::conversions(spec));
    Ok(tokens)
}

fn generate_tokens(spec: &Spec) -> Result<proc_macro2::TokenStream, SpecError> {
    let settings = settings::generation_settings(spec);
    without_panics(|| Generator::new(&settings).generate_tokens(&spec.openapi))
}

/// An open enum must not share its name with a type typify generates: both
/// are re-exported in `upstash_api::types`, where the name would be
/// ambiguous.
fn check_open_enum_names(file: &syn::File) -> Result<(), SpecError> {
    let names_in = |module: &str| -> std::collections::BTreeSet<String> {
        crate::generated_send::module(&file.items, module)
            .unwrap_or_default()
            .iter()
            .filter_map(|item| match item {
                syn::Item::Struct(s) => Some(s.ident.to_string()),
                syn::Item::Enum(e) => Some(e.ident.to_string()),
                syn::Item::Type(t) => Some(t.ident.to_string()),
                _ => None,
            })
            .collect()
    };
    let (open, generated) = (names_in("open_enums"), names_in("types"));
    match open.intersection(&generated).next() {
        Some(name) => Err(SpecError::new(format!(
            "the enum `{name}` that responses use has the same Rust name as another generated type; \
             give one of the two schemas a `title` of its own"
        ))),
        None => Ok(()),
    }
}

/// `METHOD /path (operationId)` of the first operation the generator
/// cannot take on its own, if the failure comes from one operation.
fn failing_operation(spec: &Spec) -> Option<String> {
    for (path, item) in &spec.openapi.paths.paths {
        let Some(item) = item.as_item() else { continue };
        for (method, op) in item.iter() {
            let mut single_item = openapiv3::PathItem {
                parameters: item.parameters.clone(),
                ..Default::default()
            };
            if let Some(slot) = crate::spec::operation_slot(&mut single_item, method) {
                *slot = Some(op.clone());
            }
            let mut single = spec.clone();
            let entry = (path.clone(), openapiv3::ReferenceOr::Item(single_item));
            single.openapi.paths.paths = [entry].into_iter().collect();
            if generate_tokens(&single).is_err() {
                let id = op.operation_id.as_deref().unwrap_or("no operationId");
                let id = spec.spec_operation_id(id);
                return Some(format!("{} {path} ({id})", method.to_uppercase()));
            }
        }
    }
    None
}

/// Generates httpmock expectation helpers for every operation, referring to
/// the generated module at `crate_path` (for example `crate::generated`).
pub fn mocks(spec: &Spec, crate_path: &str) -> Result<String, SpecError> {
    let settings = settings::generation_settings(spec);
    let tokens = without_panics(|| Generator::new(&settings).httpmock(&spec.openapi, crate_path))?;
    let tokens = crate::mock_paths::escape_values(crate::string_bools::to_bool(tokens))?;
    Ok(prettyplease::unparse(&parse(tokens)?))
}

/// Constants the SDK reads from the spec: the main server URL and the
/// spec's version, as Rust items.
fn constants_tokens(spec: &Spec) -> proc_macro2::TokenStream {
    let url = spec.main_server_url();
    let version = &spec.openapi.info.version;
    quote::quote! {
        /// The base URL the spec declares first under `servers`.
        pub const SPEC_SERVER_URL: &str = #url;
        /// The `info.version` of the spec this client was generated from.
        pub const SPEC_VERSION: &str = #version;
    }
}

fn parse(tokens: proc_macro2::TokenStream) -> Result<syn::File, SpecError> {
    syn::parse2(tokens).map_err(|e| {
        SpecError::new(format!(
            "progenitor produced code that does not parse ({e}); this is a generator bug, please report it"
        ))
    })
}

/// Runs the generator, turning both its errors and its panics (progenitor
/// still has `todo!()`s for rare spec shapes) into a [`SpecError`].
fn without_panics<T>(run: impl FnOnce() -> Result<T, progenitor::Error>) -> Result<T, SpecError> {
    quiet_panics::install();
    match quiet_panics::run(|| std::panic::catch_unwind(std::panic::AssertUnwindSafe(run))) {
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
