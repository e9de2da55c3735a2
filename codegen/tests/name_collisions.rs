//! Spec names the generator would turn into one Rust name fail the build
//! with the spec's line and both names; names the generators keep apart
//! still generate code that parses.
//!
//! Each `fixtures/collisions/refused-*.yml` was checked once by hand to
//! fail `cargo check -p upstash-api` without this check
//! (`UPSTASH_API_SPEC=<file>`), each `accepted-*.yml` to compile.

use std::path::{Path, PathBuf};

use upstash_api_codegen::generate_sdk_source;

fn corpus(prefix: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/collisions");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the corpus")
        .map(|entry| entry.expect("an entry").path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix) && n.ends_with(".yml"))
        })
        .collect();
    files.sort();
    files
}

/// What each refused spec's message says: the spec names and the Rust name.
fn expected(file: &str) -> &'static [&'static str] {
    match file {
        "refused-body-type.yml" => &[
            "schema `RestoreBackupBody` and the request body of operationId `restoreBackup`",
            "the type `RestoreBackupBody` in `types`",
        ],
        "refused-builder-error.yml" => &["operationId `error`", "`api::builder::Error`"],
        "refused-builder-response-value.yml" => &[
            "operationId `responseValue`",
            "`api::builder::ResponseValue`",
        ],
        "refused-enum-variants.yml" => &["enum values `A` and `a`", "the variant"],
        "refused-operation-exec.yml" => &["operationId `exec`", "`ClientHooks::exec`"],
        "refused-operation-ids.yml" => &[
            "operationIds `getDatabase` and `get_database`",
            "the method `get_database`",
        ],
        "refused-operation-new-with-client.yml" => {
            &["operationId `newWithClient`", "`Client::new_with_client`"]
        }
        "refused-operation-new.yml" => &["operationId `new`", "`Client::new`"],
        "refused-operation-post.yml" => &["operationId `post`", "`ClientHooks::post`"],
        "refused-operation-pre.yml" => &["operationId `pre`", "`ClientHooks::pre`"],
        "refused-parameters.yml" => &["parameters `a-b` and `a_b`", "`a_b`"],
        "refused-properties.yml" => &[
            "properties `a-b` and `a_b`",
            "the field `a_b` of one generated struct",
        ],
        "refused-property-empty.yml" => &["properties `` and `x`", "`x`"],
        "refused-property-keyword.yml" => &["properties `type` and `type_`", "`type_`"],
        "refused-schemas.yml" => &[
            "schemas `Foo-Bar` and `FooBar`",
            "the type `FooBar` in `types`",
        ],
        _ => &[],
    }
}

#[test]
fn every_collision_in_the_corpus_is_refused_at_its_line_with_both_names() {
    let refused = corpus("refused-");
    assert!(refused.len() >= 15, "the corpus is there");
    let mut wrong = Vec::new();
    for path in refused {
        let file = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let Err(e) = generate_sdk_source(&path) else {
            wrong.push(format!("{file}: generated"));
            continue;
        };
        let message = e.to_string();
        let placed = e.position.is_some()
            && e.location.as_deref().is_some_and(|l| l.starts_with('/'))
            && message.contains(&format!("{}:", path.display()));
        let named =
            !expected(file).is_empty() && expected(file).iter().all(|s| message.contains(s));
        if !placed || !named {
            wrong.push(format!("{file}: {message}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn near_misses_generate_code_that_parses() {
    let accepted = corpus("accepted-");
    assert!(accepted.len() >= 6, "the corpus is there");
    for path in accepted {
        let source = generate_sdk_source(&path)
            .unwrap_or_else(|e| panic!("{}: refused: {e}", path.display()));
        syn::parse_file(&source.client)
            .unwrap_or_else(|e| panic!("{}: does not parse: {e}", path.display()));
        syn::parse_file(&source.mocks)
            .unwrap_or_else(|e| panic!("{}: mocks do not parse: {e}", path.display()));
    }
}

#[test]
fn an_error_names_the_line_of_the_second_name() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/collisions/refused-operation-ids.yml");
    let text = std::fs::read_to_string(&path).expect("the fixture");
    let line = 1 + text
        .lines()
        .position(|l| l.trim() == "operationId: get_database")
        .expect("the second operationId");
    let e = generate_sdk_source(&path).expect_err("refused");
    let at = e.position.expect("a position");
    assert_eq!((at.line, at.column), (line, 7), "{e}");
    assert_eq!(e.location.as_deref(), Some("/paths/~1b/get/operationId"));
}
