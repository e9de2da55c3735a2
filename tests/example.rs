//! `examples/restore_backup.rs` as a user runs it.

mod support;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use httpmock::Method::POST;
use httpmock::MockServer;

/// The example binary `cargo test` builds next to the test binaries.
fn example() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().unwrap().parent().unwrap();
    dir.join("examples").join("restore_backup")
}

fn command(home: &std::path::Path) -> Command {
    let mut cmd = Command::new(example());
    cmd.env_clear()
        .env("HOME", home)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

#[test]
fn without_credentials_it_restores_against_the_mock() {
    let home = tempfile::tempdir().unwrap();
    let out = command(home.path()).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("No Upstash credentials found"), "{stdout}");
    assert!(stdout.contains("POST /redis/restore-backup/"), "{stdout}");
    assert!(
        stdout.contains("authorization: Basic <redacted>"),
        "{stdout}"
    );
    assert!(stdout.contains("\"backup_id\""), "{stdout}");
    assert!(stdout.contains("Requests the mock received: 1"), "{stdout}");
}

#[test]
fn with_credentials_it_asks_before_restoring() {
    let server = MockServer::start();
    let restore = server.mock(|when, then| {
        when.method(POST)
            .path("/redis/restore-backup/db-9")
            .header("authorization", support::authorization())
            .json_body(serde_json::json!({"backup_id": "bk-1"}));
        then.status(200).body("\"OK\"");
    });
    let home = tempfile::tempdir().unwrap();
    let run = |extra: &[&str], answer: &str| {
        let mut child = command(home.path())
            .env("UPSTASH_EMAIL", support::EMAIL)
            .env("UPSTASH_API_KEY", support::API_KEY)
            .env("UPSTASH_API_URL", server.base_url())
            .args(["--db-id", "db-9", "--backup-id", "bk-1"])
            .args(extra)
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(answer.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let declined = run(&[], "no\n");
    assert!(declined.contains("will be overwritten"), "{declined}");
    assert!(declined.contains("Not restored"), "{declined}");
    restore.assert_calls(0);

    let confirmed = run(&[], "yes\n");
    assert!(
        confirmed.contains("Restored database db-9 from backup bk-1"),
        "{confirmed}"
    );
    restore.assert_calls(1);

    let skipped = run(&["--yes"], "");
    assert!(skipped.contains("Restored database db-9"), "{skipped}");
    restore.assert_calls(2);
}

#[test]
fn half_credentials_are_reported_not_mocked() {
    let home = tempfile::tempdir().unwrap();
    let out = command(home.path())
        .env("UPSTASH_EMAIL", support::EMAIL)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("has the email but no API key"), "{stderr}");
}
