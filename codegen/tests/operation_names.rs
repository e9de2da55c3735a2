//! Everything named after an operation (the client's method, its builder
//! struct, the types named after it, the mocks) reads its operationId as a
//! person does: `getQStashIPv4` is `get_qstash_ipv4`, not `get_q_stash_i_pv4`.

use upstash_api_codegen::{SdkSource, Spec};

const SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /qstash/ipv4:
    post:
      operationId: getQStashIPv4
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              properties:
                region: {type: string}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  state: {type: string, enum: [on, off]}
  /redis/restore-backup/{id}:
    post:
      operationId: restoreBackup
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: string}}}}
"#;

#[test]
fn names_follow_the_words_of_the_operation_id() {
    let spec = Spec::from_text(SPEC).expect("the spec is valid");
    let source = SdkSource::from_spec(&spec).expect("it generates");
    let client = source.client.as_str();
    for expected in [
        "pub fn get_qstash_ipv4(&self) -> builder::GetQstashIpv4",
        "pub struct GetQstashIpv4<'a>",
        "pub struct GetQstashIpv4Body",
        "pub struct GetQstashIpv4Response",
        // An inline enum is named for its concept, not its operation.
        "pub enum State",
        "operation_id: \"get_qstash_ipv4\"",
        "pub fn restore_backup(&self) -> builder::RestoreBackup",
    ] {
        assert!(client.contains(expected), "no `{expected}` in:\n{client}");
    }
    assert!(!client.contains("q_stash"), "{client}");
    assert!(
        source.mocks.contains("fn get_qstash_ipv4"),
        "{}",
        source.mocks
    );
    assert!(
        source.mocks.contains("GetQstashIpv4When"),
        "{}",
        source.mocks
    );
    assert_eq!(spec.spec_operation_id("get_qstash_ipv4"), "getQStashIPv4");
    // An id the generators already read right is left as the spec has it.
    assert_eq!(spec.spec_operation_id("restoreBackup"), "restoreBackup");
    let ids: Vec<_> = spec
        .openapi
        .operations()
        .filter_map(|(_, _, op)| op.operation_id.clone())
        .collect();
    assert!(ids.contains(&"restoreBackup".to_string()), "{ids:?}");
}
