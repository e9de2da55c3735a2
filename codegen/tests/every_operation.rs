//! Every generated operation goes through the SDK's hooks (auth, user agent,
//! timeout, retries, tracing), whatever the spec: checked on the fixture
//! shaped like the full Upstash API.

use std::path::Path;

use upstash_api_codegen::{Spec, generate};

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
    let code = generate::client(&spec).unwrap();
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
    let seed_code = generate::client(&Spec::from_file(&seed_path).unwrap()).unwrap();
    let builders = |c: &str| c.matches("reqwest::ClientBuilder::new()").count();
    assert_eq!(builders(&code), builders(&seed_code));
}

#[test]
fn every_operation_gets_a_typed_mock() {
    let spec = fixture();
    let mocks = generate::mocks(&spec, "crate::generated").unwrap();
    let operations = operation_count(&spec);
    assert_eq!(
        mocks.matches("pub struct ").count(),
        operations * 2,
        "a When and a Then each"
    );
}
