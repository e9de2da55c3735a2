//! Every generated operation goes through the SDK's hooks (auth, user agent,
//! timeout, retries, tracing), whatever the spec: checked on the fixture
//! shaped like the full Upstash API.

use std::path::Path;

use upstash_api_codegen::{SdkSource, Spec, generate_client};

fn fixture() -> Spec {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/upstash-like.yml");
    Spec::from_file(&path).unwrap()
}

fn operation_count(spec: &Spec) -> usize {
    spec.openapi
        .paths
        .paths
        .values()
        .filter_map(|item| item.as_item())
        .map(|item| item.iter().count())
        .sum()
}

#[test]
fn every_operation_calls_the_pre_and_exec_hooks() {
    let spec = fixture();
    let operations = operation_count(&spec);
    assert_eq!(operations, 20);
    let code = generate_client(&spec).unwrap();
    assert_eq!(code.matches("pub async fn send(").count(), operations);
    assert_eq!(
        code.matches("client.pre(&mut request, &info).await?;")
            .count(),
        operations
    );
    assert_eq!(
        code.matches("client.exec(request, &info).await;").count(),
        operations
    );
    // No operation builds its own HTTP client: only `Client::new` does, so
    // the count does not grow with the number of operations.
    let seed_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi.yml");
    let seed_code = generate_client(&Spec::from_file(&seed_path).unwrap()).unwrap();
    let builders = |c: &str| c.matches("reqwest::ClientBuilder::new()").count();
    assert_eq!(builders(&code), builders(&seed_code));
}

#[test]
fn every_operation_gets_a_typed_mock() {
    let spec = fixture();
    let mocks = SdkSource::from_spec(&spec).unwrap().mocks;
    let operations = operation_count(&spec);
    assert_eq!(
        mocks.matches("pub struct ").count(),
        operations * 2,
        "a When and a Then each"
    );
}

/// The checks `builder_checks` adds reach every operation of the fixture:
/// one path parameter check per path parameter, before its URL is built,
/// and no `api-version` header of progenitor's.
#[test]
fn every_path_parameter_is_checked_before_the_url_is_built() {
    let spec = fixture();
    let code = SdkSource::from_spec(&spec).unwrap().client;
    let path_parameters: usize = spec
        .openapi
        .paths
        .paths
        .values()
        .filter_map(|item| item.as_item())
        .flat_map(|item| item.iter())
        .map(|(_, operation)| {
            operation
                .parameters
                .iter()
                .filter_map(|p| p.as_item())
                .filter(|p| matches!(p, openapiv3::Parameter::Path { .. }))
                .count()
        })
        .sum();
    assert_eq!(path_parameters, 12);
    assert_eq!(
        code.matches("crate::resource_id::path_parameter(").count(),
        path_parameters
    );
    for send in code.split("pub async fn send(").skip(1) {
        let check = send.find("path_parameter(");
        let url = send.find("let url = format!(").unwrap();
        assert!(check.is_none_or(|check| check < url), "{send}");
    }
    assert!(!code.contains("api-version"));
}

/// A header parameter named `api-version` that a spec declares is still
/// sent; only the one progenitor adds to every request is left out.
#[test]
fn a_declared_api_version_header_is_kept() {
    let text = r#"
openapi: 3.0.3
info: {title: t, version: 9.9.9}
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: api-version, in: header, required: true, schema: {type: string}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: string}}}}
"#;
    let code = SdkSource::from_spec(&Spec::from_text(text).unwrap())
        .unwrap()
        .client;
    assert_eq!(code.matches("\"api-version\"").count(), 1, "{code}");
    assert!(!code.contains("api_version()),"), "{code}");
    // progenitor's real output has the shape `builder_checks` rewrites: a
    // value that cannot be a header names the operation and the setter.
    assert!(
        code.contains(
            "get_thing: the value given to `.api_version(..)` cannot be sent as the header \
             `api-version`"
        ),
        "{code}"
    );
}

/// Every operation's `send` fails with the SDK's error, and no public
/// function of the generated client names progenitor's `Error<E>`: it is
/// not a public item of the SDK, so a signature naming it could not be
/// written against.
#[test]
fn no_public_function_names_progenitors_error() {
    let spec = fixture();
    let code = SdkSource::from_spec(&spec).unwrap().client;
    let file = syn::parse_file(&code).unwrap();
    let mut signatures = Vec::new();
    public_signatures(&file.items, &mut signatures);
    let sends: Vec<&syn::Signature> = signatures.iter().filter(|s| s.ident == "send").collect();
    assert_eq!(sends.len(), operation_count(&spec));
    for send in sends {
        let syn::ReturnType::Type(_, output) = &send.output else {
            panic!("a `send` that returns nothing");
        };
        let output = quote::quote!(#output).to_string().replace(' ', "");
        assert!(output.ends_with(",crate::Error>"), "{output}");
    }
    assert!(signatures.len() > operation_count(&spec) * 2);
    for signature in &signatures {
        let tokens: Vec<proc_macro2::TokenTree> = flatten(quote::quote!(#signature));
        let names_it = tokens.windows(2).any(|pair| {
            matches!(&pair[0], proc_macro2::TokenTree::Ident(i) if i == "Error")
                && matches!(&pair[1], proc_macro2::TokenTree::Punct(p) if p.as_char() == '<')
        });
        assert!(!names_it, "{}", quote::quote!(#signature));
    }
}

/// The signatures of the `pub` functions and methods among `items`, in
/// every module.
fn public_signatures(items: &[syn::Item], out: &mut Vec<syn::Signature>) {
    let public = |vis: &syn::Visibility| matches!(vis, syn::Visibility::Public(_));
    for item in items {
        match item {
            syn::Item::Mod(m) if public(&m.vis) => {
                if let Some((_, items)) = &m.content {
                    public_signatures(items, out);
                }
            }
            syn::Item::Fn(f) if public(&f.vis) => out.push(f.sig.clone()),
            syn::Item::Impl(block) => {
                for member in &block.items {
                    match member {
                        syn::ImplItem::Fn(f) if public(&f.vis) || block.trait_.is_some() => {
                            out.push(f.sig.clone());
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
}

/// The tokens of `stream`, groups opened.
fn flatten(stream: proc_macro2::TokenStream) -> Vec<proc_macro2::TokenTree> {
    let mut out = Vec::new();
    for token in stream {
        match token {
            proc_macro2::TokenTree::Group(group) => out.extend(flatten(group.stream())),
            other => out.push(other),
        }
    }
    out
}
