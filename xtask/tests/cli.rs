//! The command line: exit codes, formats, git revisions, and bad input
//! (each gets a clear message and exit 2, never a panic or a stack overflow).

mod support;

use std::path::Path;

use support::{Run, git, spec_diff as run_in};

fn fixture(case: &str, side: &str) -> String {
    format!(
        "{}/tests/fixtures/{case}/{side}.yml",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn diff_case(case: &str, extra: &[&str]) -> Run {
    let (old, new) = (fixture(case, "old"), fixture(case, "new"));
    let mut args = vec![old.as_str(), new.as_str(), "--no-sdk"];
    args.extend_from_slice(extra);
    run_in(Path::new(env!("CARGO_MANIFEST_DIR")), &args)
}

const GOOD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";

/// Runs the diff of `GOOD` against `text` and expects a load error.
fn bad(text: &str) -> Run {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("good.yml"), GOOD).expect("write");
    std::fs::write(dir.path().join("bad.yml"), text).expect("write");
    let r = run_in(dir.path(), &["good.yml", "bad.yml", "--no-sdk"]);
    assert_eq!(r.code, 2, "stdout: {}\nstderr: {}", r.stdout, r.stderr);
    assert!(r.stderr.contains("bad.yml"), "names the file: {}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    r
}

#[test]
fn fail_on_decides_the_exit_code() {
    assert_eq!(
        diff_case("operation-removed", &["--fail-on", "breaking"]).code,
        1
    );
    assert_eq!(
        diff_case("operation-added", &["--fail-on", "breaking"]).code,
        0
    );
    assert_eq!(
        diff_case("operation-id-changed", &["--fail-on", "breaking"]).code,
        0
    );
    assert_eq!(
        diff_case("operation-id-changed", &["--fail-on", "sdk-breaking"]).code,
        1
    );
    assert_eq!(
        diff_case("operation-removed", &["--fail-on", "sdk-breaking"]).code,
        1
    );
    assert_eq!(
        diff_case("info-version-changed", &["--fail-on", "any"]).code,
        1
    );
    assert_eq!(diff_case("identical", &["--fail-on", "any"]).code, 0);
    assert_eq!(
        diff_case("operation-removed", &["--fail-on", "never"]).code,
        0
    );
    assert_eq!(diff_case("operation-removed", &[]).code, 0);
}

#[test]
fn usage_errors_exit_2() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    for args in [
        vec![],
        vec!["only-one.yml"],
        vec!["a.yml", "b.yml", "--format", "xml"],
        vec!["a.yml", "b.yml", "--fail-on", "sometimes"],
        vec!["a.yml", "b.yml", "--bogus"],
        vec!["--check", "--accept"],
    ] {
        let r = run_in(dir, &args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains("usage"), "{args:?}: {}", r.stderr);
    }
}

#[test]
fn each_format_renders() {
    let text = diff_case("request-property-became-required", &[]);
    assert!(text.stdout.contains("POST /db/{id}"), "{}", text.stdout);
    assert!(
        text.stdout
            .contains("breaking     request-property-became-required"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout
            .contains("1 change: 1 breaking, 0 sdk-breaking, 0 non-breaking, 0 docs")
    );
    assert!(!text.stdout.contains('\x1b'), "no colour off a terminal");
    let md = diff_case(
        "request-property-became-required",
        &["--format", "markdown"],
    );
    assert!(
        md.stdout
            .contains("| breaking | `request-property-became-required` |"),
        "{}",
        md.stdout
    );
    let json = diff_case("request-property-became-required", &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).expect("valid JSON");
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["changes"][0]["rule"], "request-property-became-required");
    assert_eq!(v["changes"][0]["operation"]["method"], "POST");
    assert_eq!(
        v["changes"][0]["new_pointer"],
        "/components/schemas/DatabaseUpdate/properties/tls"
    );
}

#[test]
fn git_revisions_are_read_and_bad_ones_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    git(d, &["init", "-q"]);
    std::fs::copy(fixture("operation-removed", "old"), d.join("openapi.yml")).expect("copy");
    git(d, &["add", "openapi.yml"]);
    git(d, &["commit", "-q", "-m", "one"]);
    std::fs::copy(fixture("operation-removed", "new"), d.join("openapi.yml")).expect("copy");
    git(d, &["commit", "-q", "-am", "two"]);
    let r = run_in(
        d,
        &[
            "HEAD~1:openapi.yml",
            "HEAD:openapi.yml",
            "--no-sdk",
            "--fail-on",
            "breaking",
        ],
    );
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("operation-removed"), "{}", r.stdout);
    assert!(r.stdout.contains("HEAD~1:openapi.yml"), "{}", r.stdout);
    // Locations name the file, not the revision: what CI annotations need.
    let r = run_in(
        d,
        &[
            "HEAD~1:openapi.yml",
            "HEAD:openapi.yml",
            "--no-sdk",
            "--format",
            "github",
        ],
    );
    assert!(
        r.stdout.starts_with("::error file=openapi.yml,line="),
        "{}",
        r.stdout
    );
    // a revision and a working-tree file
    let r = run_in(d, &["HEAD~1:openapi.yml", "openapi.yml", "--no-sdk"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("operation-removed"));
    let r = run_in(d, &["nosuchrev:openapi.yml", "openapi.yml", "--no-sdk"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("nosuchrev"), "{}", r.stderr);
    let r = run_in(d, &["-p:openapi.yml", "openapi.yml", "--no-sdk"]);
    assert_eq!(r.code, 2);
    let r = run_in(d, &["HEAD:missing.yml", "openapi.yml", "--no-sdk"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("missing.yml"), "{}", r.stderr);
}

#[test]
fn a_missing_file_exits_2() {
    let r = run_in(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &["/nonexistent/a.yml", "/nonexistent/b.yml"],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("cannot read"), "{}", r.stderr);
}

#[test]
fn invalid_yaml_names_line_and_column() {
    let r = bad("openapi: 3.0.3\npaths:\n  /a: [unclosed\n");
    assert!(r.stderr.contains("invalid YAML"), "{}", r.stderr);
    assert!(r.stderr.contains("line"), "{}", r.stderr);
    assert!(r.stderr.contains("column"), "{}", r.stderr);
}

#[test]
fn invalid_json_names_line_and_column() {
    let r = bad("{\"openapi\": \"3.0.3\",\n \"paths\": {,}}\n");
    assert!(r.stderr.contains("invalid JSON"), "{}", r.stderr);
    assert!(r.stderr.contains("line 2"), "{}", r.stderr);
}

#[test]
fn documents_that_are_not_openapi_3_0_are_refused_by_version() {
    let r = bad("hello: world\n");
    assert!(r.stderr.contains("not an OpenAPI document"), "{}", r.stderr);
    assert!(r.stderr.contains("3.0.x"), "{}", r.stderr);
    let r = bad("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n");
    assert!(r.stderr.contains("Swagger 2.0"), "{}", r.stderr);
    assert!(r.stderr.contains("3.0.x"), "{}", r.stderr);
    let r = bad("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n");
    assert!(
        r.stderr.contains("OpenAPI 3.1.0 is not supported"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("3.0.x"), "{}", r.stderr);
    let r = bad("- just\n- a list\n");
    assert!(r.stderr.contains("not a mapping"), "{}", r.stderr);
}

#[test]
fn an_empty_file_is_refused() {
    let r = bad("");
    assert!(r.stderr.contains("empty"), "{}", r.stderr);
    let r = bad("  \n\n");
    assert!(r.stderr.contains("empty"), "{}", r.stderr);
}

const WITH_REF: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: a\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: 'REF'}\ncomponents:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/C'}\n    C: {type: string}\n";

#[test]
fn dangling_and_external_refs_are_named() {
    let r = bad(&WITH_REF.replace("REF", "#/components/schemas/Nope"));
    assert!(
        r.stderr.contains("#/components/schemas/Nope"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("dangling"), "{}", r.stderr);
    assert!(
        r.stderr.contains("/paths/~1a/get/responses/200"),
        "{}",
        r.stderr
    );
    let r = bad(&WITH_REF.replace("REF", "other.yml#/components/schemas/A"));
    assert!(
        r.stderr.contains("other.yml#/components/schemas/A"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("external"), "{}", r.stderr);
}

#[test]
fn ref_cycles_are_refused() {
    let text = WITH_REF
        .replace("REF", "#/components/schemas/A")
        .replace("C: {type: string}", "C: {$ref: '#/components/schemas/A'}");
    let r = bad(&text);
    assert!(r.stderr.contains("cycle"), "{}", r.stderr);
    assert!(r.stderr.contains("#/components/schemas/A"), "{}", r.stderr);
}

#[test]
fn duplicate_operation_ids_are_refused() {
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get: {operationId: same, responses: {'200': {description: ok}}}\n  /b:\n    get: {operationId: same, responses: {'200': {description: ok}}}\n";
    let r = bad(text);
    assert!(r.stderr.contains("`same` is used twice"), "{}", r.stderr);
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = format!(
        "openapi: 3.0.3\nx: {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let r = bad(&deep);
    assert!(r.stderr.contains("recursion limit"), "{}", r.stderr);
    let deep_json = format!(
        "{{\"openapi\": \"3.0.3\", \"x\": {}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    bad(&deep_json);
}

#[test]
fn alias_bombs_are_refused() {
    let mut text = String::from("openapi: 3.0.3\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let p = i - 1;
        text.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    bad(&text);
}

/// A chain of 3000 schemas, each holding the next in a property: the diff
/// walks it with bounded recursion and does not overflow the stack.
#[test]
fn very_long_schema_chains_do_not_overflow_the_stack() {
    let chain = |leaf: &str| {
        let mut s = String::from(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: a\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/S0'}\ncomponents:\n  schemas:\n",
        );
        for i in 0..3000 {
            s.push_str(&format!("    S{i}: {{type: object, properties: {{next: {{$ref: '#/components/schemas/S{}'}}}}}}\n", i + 1));
        }
        s.push_str(&format!("    S3000: {{type: {leaf}}}\n"));
        s
    };
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("old.yml"), chain("string")).expect("write");
    std::fs::write(dir.path().join("new.yml"), chain("integer")).expect("write");
    let r = run_in(dir.path(), &["old.yml", "new.yml", "--no-sdk"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let near = {
        let mut s = chain("string");
        s = s.replace(
            "S150: {type: object, properties: {next:",
            "S150: {type: object, properties: {extra: {type: string}, next:",
        );
        s
    };
    std::fs::write(dir.path().join("near.yml"), near).expect("write");
    let r = run_in(dir.path(), &["old.yml", "near.yml", "--no-sdk"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("response-property-added"), "{}", r.stdout);
}

#[test]
fn the_rule_catalogue_lists_unique_kebab_case_ids() {
    let r = run_in(Path::new(env!("CARGO_MANIFEST_DIR")), &["--rules"]);
    assert_eq!(r.code, 0);
    let ids: Vec<&str> = r
        .stdout
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(ids.len(), xtask::spec_diff::rules::Rule::ALL.len());
    let unique: std::collections::BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "duplicate ids");
    for id in ids {
        assert!(
            id.chars().all(|c| c.is_ascii_lowercase() || c == '-') && !id.starts_with('-'),
            "{id} is not kebab-case"
        );
        assert_eq!(
            xtask::spec_diff::rules::Rule::from_id(id).map(|r| r.id()),
            Some(id)
        );
    }
}

#[test]
fn paths_differing_only_in_parameter_names_are_refused() {
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /db/{id}:\n    get: {operationId: a, responses: {'200': {description: ok}}}\n  /db/{name}:\n    post: {operationId: b, responses: {'200': {description: ok}}}\n";
    let r = bad(text);
    assert!(
        r.stderr.contains("differ only in parameter names"),
        "{}",
        r.stderr
    );
}

#[test]
fn changes_in_shared_components_say_how_many_operations_use_them() {
    let json = diff_case("response-type-changed", &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).expect("valid JSON");
    // Database: listDatabases, getDatabase, updateDatabase
    assert_eq!(v["changes"][0]["affected_operations"], 3, "{}", json.stdout);
    let text = diff_case("response-type-changed", &[]);
    assert!(
        text.stdout
            .contains("[#/components/schemas/Database, used by 3 operations]"),
        "{}",
        text.stdout
    );
    let json = diff_case("request-parameter-type-changed", &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).expect("valid JSON");
    assert_eq!(
        v["changes"][0]["affected_operations"],
        serde_json::Value::Null
    );
}
