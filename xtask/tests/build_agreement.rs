//! The build and spec-diff agree on what a spec is: each document below
//! goes through the build's own entry point (`generate_sdk_source`, what
//! `build.rs` runs) and through `cargo xtask spec-diff BASE DOC`. Where the
//! build refuses, spec-diff exits 2 with the build's problem and location,
//! with or without `--fail-on sdk-breaking` and the analysis; where the build
//! accepts, spec-diff compares (exit 0). The gate refuses to accept or pass
//! such a spec.

mod support;

use support::spec_diff;

const BASE: &str = r##"openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /db/{id}:
    get:
      operationId: getDatabase
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Database"}
components:
  schemas:
    Database:
      type: object
      properties:
        name: {type: string}
"##;

/// `BASE` with `from` replaced by `to`; `from` must occur.
fn edited(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "edit does not apply: {from}");
    BASE.replacen(from, to, 1)
}

/// Each case: a name, the document, whether the build accepts it. The
/// cases after "request media types" are refused by the build's typing,
/// normalisations or generator, which spec-diff runs with the Rust API
/// analysis only: `--no-sdk` cannot see those.
fn cases() -> Vec<(&'static str, String, bool)> {
    let database = "    Database:\n      type: object\n";
    vec![
        (
            "a version without its patch number",
            edited("openapi: 3.0.3", "openapi: \"3.0\""),
            false,
        ),
        (
            "OpenAPI 3.1",
            edited("openapi: 3.0.3", "openapi: 3.1.0"),
            false,
        ),
        (
            "Swagger 2.0",
            edited("openapi: 3.0.3", "swagger: \"2.0\""),
            false,
        ),
        (
            "a dangling $ref",
            edited("schemas/Database\"}", "schemas/Missing\"}"),
            false,
        ),
        (
            "an external $ref",
            edited("\"#/components/schemas/Database\"", "\"other.yml#/A\""),
            false,
        ),
        (
            "a cycle of references",
            format!(
                "{}    A: {{$ref: \"#/components/schemas/B\"}}\n    B: {{$ref: \"#/components/schemas/A\"}}\n",
                edited("schemas/Database\"}", "schemas/A\"}")
            ),
            false,
        ),
        (
            "a schema composed of itself",
            edited(
                database,
                "    Database:\n      allOf: [{$ref: \"#/components/schemas/Database\"}]\n      type: object\n",
            ),
            false,
        ),
        (
            "an operationId used twice",
            edited(
                "components:",
                "  /db:\n    get:\n      operationId: getDatabase\n      responses: {\"204\": {description: ok}}\ncomponents:",
            ),
            false,
        ),
        (
            "request media types the generator cannot take",
            edited(
                "      responses:",
                "      requestBody:\n        content:\n          text/csv: {schema: {type: string}}\n      responses:",
            ),
            false,
        ),
        (
            "a pattern that does not compile",
            edited(
                "schema: {type: string}}\n",
                "schema: {type: string}}\n        - {name: q, in: query, schema: {type: string, pattern: \"(unclosed\"}}\n",
            ),
            false,
        ),
        (
            "two success answers of different types",
            edited(
                "      responses:\n",
                "      responses:\n        \"201\":\n          description: created\n          content:\n            application/json:\n              schema: {type: integer}\n",
            ),
            false,
        ),
        (
            "a percent-encoded $ref",
            format!(
                "{}    My Database:\n      type: object\n      properties:\n        size: {{type: integer}}\n",
                edited("schemas/Database\"}", "schemas/My%20Database\"}")
            ),
            true,
        ),
        (
            "a $ref key inside an example and an extension",
            edited(
                database,
                "    Database:\n      example: {$ref: \"#/nowhere\"}\n      x-note: {$ref: \"#/nowhere\"}\n      type: object\n",
            ),
            true,
        ),
    ]
}

/// codegen's corpus of names that collide once they are Rust
/// (`codegen/tests/fixtures/collisions`): `refused-*` the build refuses,
/// `accepted-*` it takes. Each case: the file name, its text, whether the
/// build accepts it.
fn name_collisions() -> Vec<(String, String, bool)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../codegen/tests/fixtures/collisions");
    let mut cases: Vec<(String, String, bool)> = std::fs::read_dir(&dir)
        .expect("the corpus")
        .map(|entry| entry.expect("an entry").path())
        .filter_map(|path| {
            let name = path.file_name()?.to_str()?.to_string();
            let accepted = name.starts_with("accepted-");
            (accepted || name.starts_with("refused-")).then(|| {
                let text = std::fs::read_to_string(&path).expect("read");
                (name, text, accepted)
            })
        })
        .collect();
    cases.sort();
    assert!(cases.len() >= 20, "the corpus is there");
    cases
}

#[test]
fn spec_diff_refuses_exactly_what_the_build_refuses_with_its_message() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("base.yml"), BASE).expect("write");
    assert!(
        upstash_api_codegen::generate_sdk_source(&dir.path().join("base.yml")).is_ok(),
        "the base builds"
    );
    let mut disagreements = Vec::new();
    let collisions = name_collisions()
        .into_iter()
        .map(|(name, text, accepted)| (name, text, accepted, true));
    let cases = cases()
        .into_iter()
        .map(|(name, text, accepted)| (name.to_string(), text, accepted, false));
    for (name, text, accepted, collision) in cases.chain(collisions) {
        let path = dir.path().join("doc.yml");
        std::fs::write(&path, &text).expect("write");
        let build = upstash_api_codegen::generate_sdk_source(&path);
        if build.is_ok() != accepted {
            disagreements.push(format!("{name}: the build says {:?}", build.err()));
            continue;
        }
        // Name collisions are found on the normalised document, with the
        // build's typing, past what `--no-sdk` runs.
        let past_the_checks = collision
            || ["request media types", "a pattern", "two success"]
                .iter()
                .any(|p| name.starts_with(p));
        for extra in [&[][..], &["--fail-on", "sdk-breaking"], &["--no-sdk"]] {
            if past_the_checks && extra == ["--no-sdk"] {
                continue;
            }
            let mut args = vec!["base.yml", "doc.yml"];
            args.extend_from_slice(extra);
            let run = spec_diff(dir.path(), &args);
            let said = format!("stdout:\n{}\nstderr:\n{}", run.stdout, run.stderr);
            match &build {
                // Exit 1: `--fail-on` found what it looks for; compared all the same.
                Ok(_) if run.code == 2 => {
                    disagreements.push(format!(
                        "{name} {extra:?}: build ok, exit {}\n{said}",
                        run.code
                    ));
                }
                Err(e) if run.code != 2 || !run.stderr.contains(&e.problem) => {
                    disagreements.push(format!(
                        "{name} {extra:?}: the build refuses ({e}), spec-diff exit {}\n{said}",
                        run.code
                    ));
                }
                Err(e) => {
                    let located = e
                        .location
                        .as_ref()
                        .is_none_or(|l| run.stderr.contains(l.as_str()));
                    // The same line and column as the build's, when it has one.
                    let file = match e.position {
                        Some(at) => format!("doc.yml:{}:{}: ", at.line, at.column),
                        None => "doc.yml".to_string(),
                    };
                    if !located || !run.stderr.contains(&file) {
                        disagreements.push(format!(
                            "{name}: not located as the build does ({e})\n{said}"
                        ));
                    }
                }
                Ok(_) => {}
            }
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n\n"));
}

/// A repository whose `openapi.yml`, `BASE`, is accepted at 0.1.0.
fn accepted_base() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let manifest = "[package]\nname = \"upstash-api\"\nversion = \"0.1.0\"\nedition = \"2024\"\n";
    std::fs::write(root.join("Cargo.toml"), manifest).expect("write");
    std::fs::write(root.join("openapi.yml"), BASE).expect("write");
    let root_arg = root.to_str().expect("utf-8 path");
    let accept = spec_diff(root, &["--accept", "--root", root_arg]);
    assert_eq!(accept.code, 0, "{}{}", accept.stdout, accept.stderr);
    dir
}

#[test]
fn the_gate_neither_accepts_nor_passes_what_the_build_refuses() {
    let dir = accepted_base();
    let root = dir.path();
    let root_arg = root.to_str().expect("utf-8 path");
    // The accepted spec edited into one the build refuses.
    let refused = edited("openapi: 3.0.3", "openapi: \"3.0\"");
    std::fs::write(root.join("openapi.yml"), &refused).expect("write");
    for command in ["--check", "--accept"] {
        let run = spec_diff(root, &[command, "--root", root_arg]);
        assert_eq!(run.code, 2, "{command}: {}{}", run.stdout, run.stderr);
        let line = 1 + refused
            .lines()
            .position(|l| l.starts_with("openapi:"))
            .expect("openapi");
        let at = format!("openapi.yml:{line}:1: /openapi:");
        assert!(
            run.stderr.contains(&at) && run.stderr.contains("3.0.3"),
            "{command}: {}",
            run.stderr
        );
    }
    let lock = std::fs::read_to_string(root.join("openapi.lock")).expect("lock");
    assert!(
        lock.contains(&sha_of(BASE)),
        "the refused spec was not recorded"
    );
}

fn sha_of(text: &str) -> String {
    xtask::spec_diff::gate::digest(text)
}

#[test]
fn the_gate_neither_accepts_nor_passes_names_that_collide_in_rust() {
    let dir = accepted_base();
    let root = dir.path();
    let root_arg = root.to_str().expect("utf-8 path");
    for (name, text, accepted) in name_collisions() {
        if accepted {
            continue;
        }
        std::fs::write(root.join("openapi.yml"), &text).expect("write");
        let built = upstash_api_codegen::generate_sdk_source(&root.join("openapi.yml"))
            .expect_err("the build refuses");
        let at = built.position.expect("a position");
        let location = built.location.as_deref().expect("a location");
        let said = format!("openapi.yml:{}:{}: {location}:", at.line, at.column);
        for command in ["--check", "--accept"] {
            let run = spec_diff(root, &[command, "--root", root_arg]);
            assert_eq!(
                run.code, 2,
                "{name} {command}: {}{}",
                run.stdout, run.stderr
            );
            assert!(
                run.stderr.contains(&said) && run.stderr.contains(&built.problem),
                "{name} {command}: expected {said} {}\n{}",
                built.problem,
                run.stderr
            );
        }
    }
    let lock = std::fs::read_to_string(root.join("openapi.lock")).expect("lock");
    assert!(lock.contains(&sha_of(BASE)), "no refused spec was recorded");
}
