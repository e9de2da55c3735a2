//! Crafted specs and files that once crashed, hung or fooled the tools: each
//! is answered by the build's entry point (`generate_sdk_source`, what
//! `build.rs` runs) and by `cargo xtask spec-diff` with the same verdict:
//! a refusal with the build's message and exit code 2, never a signal, or
//! an acceptance. The build's side runs on the test thread's 2 MiB stack,
//! a quarter of what the build script and spec-diff have.
//!
//! The same shapes, made smaller, seed the fuzz targets (`fuzz/corpus/`).

mod support;

use std::path::Path;

use support::spec_diff;
use upstash_api_codegen::{MAX_REF_HOPS, generate_sdk_source};

/// A spec whose one operation answers with the schema `Answer`; `schemas`
/// is appended under `components/schemas` (four spaces of indent) and
/// `extra` at the end of the document.
fn spec(schemas: &str, extra: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /things:\n    get:\n      operationId: listThings\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Answer'}}\ncomponents:\n  schemas:\n{schemas}{extra}"
    )
}

/// `Answer` nested `levels` deep through anchors: a few bytes a level.
fn nested_by_aliases(levels: usize) -> String {
    let mut schemas = String::from("    L0: &l0 {type: string}\n");
    for i in 1..levels {
        schemas.push_str(&format!(
            "    L{i}: &l{i} {{type: array, items: *l{}}}\n",
            i - 1
        ));
    }
    schemas.push_str(&format!("    Answer: *l{}\n", levels - 1));
    spec(&schemas, "")
}

/// One 64 KiB string, then `copies` aliases of it: a small text that
/// expands to gigabytes.
fn wide_by_aliases(copies: usize) -> String {
    let big = "x".repeat(64 << 10);
    let mut extra = format!("x-big: &big \"{big}\"\nx-copies:\n");
    for _ in 0..copies {
        extra.push_str("  - *big\n");
    }
    spec("    Answer: {type: string}\n", &extra)
}

/// The operation's answer reaches `End` through a chain of `hops` (at
/// least 2) references: the answer's own, `Answer`'s, then `R1`, `R2`, ...
fn ref_chain(hops: usize, end: &str) -> String {
    let mut schemas = String::new();
    let mut from = "Answer".to_string();
    for i in 1..hops - 1 {
        schemas.push_str(&format!(
            "    {from}: {{$ref: '#/components/schemas/R{i}'}}\n"
        ));
        from = format!("R{i}");
    }
    schemas.push_str(&format!(
        "    {from}: {{$ref: '#/components/schemas/End'}}\n    End: {end}\n"
    ));
    spec(&schemas, "")
}

/// `Answer` nested `levels` deep as written, in JSON.
fn deep_json(levels: usize) -> String {
    let open = "{\"type\": \"array\", \"items\": ".repeat(levels);
    let close = "}".repeat(levels);
    format!(
        r#"{{"openapi": "3.0.3", "info": {{"title": "t", "version": "1"}}, "paths": {{}}, "components": {{"schemas": {{"Answer": {open}{{"type": "string"}}{close}}}}}}}"#
    )
}

/// `Answer` nested `levels` deep inline, around `bottom`.
fn nested_inline(levels: usize, bottom: &str) -> String {
    let body = format!(
        "{}{bottom}{}",
        "{type: array, items: ".repeat(levels),
        "}".repeat(levels)
    );
    spec(&format!("    Answer: {body}\n"), "")
}

/// Each case: a name, the text, and a part of the refusal (`None`: accepted).
fn cases() -> Vec<(&'static str, String, Option<&'static str>)> {
    let array = "{type: array, items: {type: string}}";
    vec![
        (
            "2,000 levels through aliases",
            nested_by_aliases(2_000),
            Some("deeper than 128 levels"),
        ),
        (
            "60 levels through aliases",
            nested_by_aliases(60),
            None,
        ),
        (
            "60,000 aliases of 64 KiB",
            wide_by_aliases(60_000),
            Some("MiB of text through its aliases"),
        ),
        (
            "a chain of references one past the bound",
            ref_chain(MAX_REF_HOPS + 1, array),
            Some("longer than the 64 the generator follows"),
        ),
        (
            "a chain of 4,000 references",
            ref_chain(4_000, array),
            Some("longer than the 64 the generator follows"),
        ),
        (
            "a chain of references at the bound",
            ref_chain(MAX_REF_HOPS, array),
            None,
        ),
        (
            "a bad schema under 40 inline levels (typing retried it 2^40 times)",
            nested_inline(40, "oops"),
            Some("not a valid OpenAPI 3.0 schema"),
        ),
        (
            "120 inline levels around 400,000 nodes of example",
            nested_inline(120, "{type: string, example: *a1}").replacen(
                "paths:",
                &format!(
                    "x-a0: &a0 [{}]\nx-a1: &a1 [{}]\npaths:",
                    ["1"; 1000].join(","),
                    ["*a0"; 400].join(",")
                ),
                1,
            ),
            Some("typing them would copy"),
        ),
        (
            "200 levels of JSON",
            deep_json(200),
            Some("recursion limit"),
        ),
        (
            "a YAML document in flow style",
            "{openapi: 3.0.4, info: {title: t, version: '1'}, paths: {/things: {get: {operationId: listThings, responses: {'200': {description: ok}}}}}}\n".to_string(),
            None,
        ),
    ]
}

#[test]
fn the_build_and_spec_diff_give_each_crafted_spec_one_verdict() {
    let dir = tempfile::tempdir().expect("tempdir");
    let base = spec("    Answer: {type: string}\n", "");
    std::fs::write(dir.path().join("base.yml"), &base).expect("write");
    let mut wrong = Vec::new();
    for (name, text, refusal) in cases() {
        let path = dir.path().join("doc.yml");
        std::fs::write(&path, &text).expect("write");
        let build = generate_sdk_source(&path);
        match (&build, refusal) {
            (Ok(_), None) => {}
            (Err(e), Some(part)) if e.to_string().contains(part) => {}
            _ => {
                wrong.push(format!("{name}: the build says {:?}", build.as_ref().err()));
                continue;
            }
        }
        let run = spec_diff(dir.path(), &["base.yml", "doc.yml"]);
        let said = format!("exit {}\n{}{}", run.code, run.stdout, run.stderr);
        match &build {
            Err(e) if run.code != 2 || !run.stderr.contains(&e.problem) => {
                wrong.push(format!(
                    "{name}: the build refuses ({e}); spec-diff: {said}"
                ));
            }
            Ok(_) if run.code != 0 => wrong.push(format!("{name}: the build accepts; {said}")),
            _ => {}
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}

/// spec-diff from a chain of `hops` to an array, to the same chain to a
/// string.
fn diff_behind_chain(dir: &Path, hops: usize, args: &[&str]) -> support::Run {
    let old = ref_chain(hops, "{type: array, items: {type: string}}");
    std::fs::write(dir.join("old.yml"), old).expect("write");
    std::fs::write(dir.join("new.yml"), ref_chain(hops, "{type: string}")).expect("write");
    let mut all = vec!["old.yml", "new.yml"];
    all.extend_from_slice(args);
    spec_diff(dir, &all)
}

/// Behind a 65-hop chain, a response changed from an array to a string was
/// once "no changes": the unresolved node stood on both sides.
#[test]
fn a_change_behind_a_long_chain_is_never_silent() {
    let dir = tempfile::tempdir().expect("tempdir");
    let run = diff_behind_chain(dir.path(), MAX_REF_HOPS + 1, &[]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("old.yml"), "{}", run.stderr);
    assert!(run.stderr.contains("`$ref`s"), "{}", run.stderr);
    // Within the bound, the change is seen.
    let run = diff_behind_chain(dir.path(), MAX_REF_HOPS, &["--format", "json"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("\"breaking\""), "{}", run.stdout);
}

/// Paths that are no regular file are refused at once, not read for ever.
#[cfg(unix)]
#[test]
fn devices_and_fifos_are_not_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("spec.yml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    for path in [Path::new("/dev/zero"), fifo.as_path()] {
        let arg = path.to_str().expect("utf-8 path");
        let run = spec_diff(dir.path(), &[arg, arg]);
        assert_eq!(run.code, 2, "{arg}: {}{}", run.stdout, run.stderr);
        assert!(run.stderr.contains("not a regular file"), "{}", run.stderr);
        let build = generate_sdk_source(path).expect_err("refused");
        assert!(build.to_string().contains("not a regular file"), "{build}");
    }
}
