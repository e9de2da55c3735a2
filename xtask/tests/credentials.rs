//! An operation server that moves where requests, and the credentials in
//! their `authorization` header, go is named by spec-diff
//! (`credentials-destination-changed`) and by the gate, which fails
//! `--check` until the spec is accepted and names the new origin again on
//! `--accept`.

mod support;

use support::spec_diff;

const SPEC: &str = r##"openapi: 3.0.3
info: {title: t, version: "1"}
servers: [{url: "https://api.upstash.com/v2"}]
paths:
  /db/{id}:
    get:
      operationId: getDatabase
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses: {"204": {description: ok}}
"##;

fn moved(to: &str) -> String {
    SPEC.replacen(
        "      operationId: getDatabase\n",
        &format!("      operationId: getDatabase\n      servers: [{{url: \"{to}\"}}]\n"),
        1,
    )
}

#[test]
fn a_server_on_another_origin_is_named_and_plain_http_is_called_clear_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("old.yml"), SPEC).expect("write");
    for (to, changed, clear) in [
        ("https://api.upstash.com/v1", false, false),
        ("https://api.upstash.com:443/v2", false, false),
        ("https://api.upstash.com:8443/v2", true, false),
        ("https://elsewhere.example.com/v2", true, false),
        ("http://api.upstash.com/v2", true, true),
        ("http://127.0.0.1:8080", true, false),
    ] {
        std::fs::write(dir.path().join("new.yml"), moved(to)).expect("write");
        let run = spec_diff(dir.path(), &["old.yml", "new.yml", "--no-sdk"]);
        let said = run.stdout.contains("credentials-destination-changed");
        assert_eq!(said, changed, "{to}: {}", run.stdout);
        assert_eq!(
            run.stdout.contains("clear text"),
            clear,
            "{to}: {}",
            run.stdout
        );
    }
}

#[test]
fn the_gate_fails_check_until_the_new_origin_is_accepted_and_names_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let manifest = |v: &str| {
        format!("[package]\nname = \"upstash-api\"\nversion = \"{v}\"\nedition = \"2024\"\n")
    };
    std::fs::write(root.join("Cargo.toml"), manifest("0.1.0")).expect("write");
    std::fs::write(root.join("openapi.yml"), SPEC).expect("write");
    let root_arg = root.to_str().expect("utf-8 path");
    let accept = spec_diff(root, &["--accept", "--root", root_arg]);
    assert_eq!(accept.code, 0, "{}{}", accept.stdout, accept.stderr);
    std::fs::write(
        root.join("openapi.yml"),
        moved("https://elsewhere.example.com"),
    )
    .expect("write");
    std::fs::write(root.join("Cargo.toml"), manifest("0.2.0")).expect("write");
    let check = spec_diff(root, &["--check", "--root", root_arg]);
    assert_eq!(check.code, 1, "{}{}", check.stdout, check.stderr);
    for expected in [
        "would send the API credentials",
        "credentials-destination-changed",
        "GET /db/{id}: requests and their credentials now go to `https://elsewhere.example.com`",
    ] {
        assert!(
            check.stderr.contains(expected),
            "{expected}: {}",
            check.stderr
        );
    }
    // A plain --accept does not take the new origin in passing.
    let accept = spec_diff(root, &["--accept", "--root", root_arg]);
    assert_eq!(accept.code, 1, "{}{}", accept.stdout, accept.stderr);
    assert!(
        accept.stderr.contains("not accepted")
            && accept.stderr.contains("https://elsewhere.example.com")
            && accept.stderr.contains("--accept --allow-new-origin"),
        "{}",
        accept.stderr
    );
    let check = spec_diff(root, &["--check", "--root", root_arg]);
    assert_eq!(check.code, 1, "still not accepted: {}", check.stdout);
    let accept = spec_diff(
        root,
        &["--accept", "--allow-new-origin", "--root", root_arg],
    );
    assert_eq!(accept.code, 0, "{}{}", accept.stdout, accept.stderr);
    assert!(
        accept.stdout.contains("would send the API credentials")
            && accept.stdout.contains("https://elsewhere.example.com"),
        "{}",
        accept.stdout
    );
    let check = spec_diff(root, &["--check", "--root", root_arg]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
}
