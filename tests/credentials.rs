//! Where credentials come from, in which order, and what a half pair says.

mod support;

use std::fs;
use std::path::Path;

use upstash_api::{CredentialSource, Credentials, CredentialsError, Environment};

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o600)).unwrap();
    }
}

fn cli_config(dir: &Path, email: &str, key: &str) {
    write(
        &dir.join("config.json"),
        &format!(r#"{{"email":"{email}","api_key":"{key}"}}"#),
    );
}

#[test]
fn environment_variables_beat_the_cli_config() {
    let home = tempfile::tempdir().unwrap();
    cli_config(
        &home.path().join(".config/upstash"),
        "file@example.com",
        "file-key",
    );
    let env = Environment::empty()
        .home(home.path())
        .var("UPSTASH_EMAIL", "env@example.com")
        .var("UPSTASH_API_KEY", "env-key");
    let found = Credentials::resolve(&env).unwrap();
    assert_eq!(found.email(), "env@example.com");
    assert_eq!(found.source(), &CredentialSource::Environment);
}

#[test]
fn explicit_credentials_beat_everything() {
    let server = httpmock::MockServer::start();
    let env = Environment::empty()
        .var("UPSTASH_EMAIL", "env@example.com")
        .var("UPSTASH_API_KEY", "env-key");
    let client = upstash_api::Client::builder()
        .environment(env)
        .credentials(Credentials::new("explicit@example.com", "k"))
        .base_url(server.base_url())
        .build()
        .unwrap();
    assert_eq!(client.credentials().email(), "explicit@example.com");
    assert_eq!(client.credentials().source(), &CredentialSource::Explicit);
}

#[test]
fn the_cli_config_folder_is_found_in_order() {
    let root = tempfile::tempdir().unwrap();
    let home = root.path().join("home");
    let xdg = root.path().join("xdg");
    let custom = root.path().join("custom");
    cli_config(&home.join(".config/upstash"), "home@example.com", "k1");
    cli_config(&xdg.join("upstash"), "xdg@example.com", "k2");
    cli_config(&custom, "custom@example.com", "k3");

    let env = Environment::empty().home(&home);
    assert_eq!(
        Credentials::resolve(&env).unwrap().email(),
        "home@example.com"
    );
    let env = env.var("XDG_CONFIG_HOME", &xdg);
    assert_eq!(
        Credentials::resolve(&env).unwrap().email(),
        "xdg@example.com"
    );
    let env = env.var("UPSTASH_CONFIG_HOME", &custom);
    let found = Credentials::resolve(&env).unwrap();
    assert_eq!(found.email(), "custom@example.com");
    assert_eq!(
        found.source(),
        &CredentialSource::CliConfig(custom.join("config.json"))
    );
}

#[test]
fn the_legacy_home_file_is_the_last_resort() {
    let home = tempfile::tempdir().unwrap();
    write(
        &home.path().join(".upstash.json"),
        r#"{"email":"old@example.com","apiKey":"old-key"}"#,
    );
    let env = Environment::empty().home(home.path());
    let found = Credentials::resolve(&env).unwrap();
    assert_eq!(found.email(), "old@example.com");
    // The new location wins when both exist.
    cli_config(&home.path().join(".config/upstash"), "new@example.com", "k");
    assert_eq!(
        Credentials::resolve(&env).unwrap().email(),
        "new@example.com"
    );
}

#[test]
fn half_a_pair_names_the_missing_half_and_the_place() {
    let env = Environment::empty().var("UPSTASH_EMAIL", "me@example.com");
    let err = Credentials::resolve(&env).unwrap_err();
    assert_eq!(
        err,
        CredentialsError::Incomplete {
            missing: "API key",
            source: "UPSTASH_EMAIL/UPSTASH_API_KEY".into()
        }
    );
    assert!(
        err.to_string().contains("has the email but no API key"),
        "{err}"
    );

    let env = Environment::empty().var("UPSTASH_API_KEY", "secret-only");
    let err = Credentials::resolve(&env).unwrap_err();
    assert!(
        err.to_string().contains("has the API key but no email"),
        "{err}"
    );
    assert!(!err.to_string().contains("secret-only"));

    let home = tempfile::tempdir().unwrap();
    let file = home.path().join(".config/upstash/config.json");
    write(&file, r#"{"email":"me@example.com"}"#);
    let err = Credentials::resolve(&Environment::empty().home(home.path())).unwrap_err();
    let shown = err.to_string();
    assert!(shown.contains(&file.display().to_string()), "{shown}");
    assert!(shown.contains("no API key"), "{shown}");
}

#[test]
fn nothing_found_lists_every_place_looked_in() {
    let home = tempfile::tempdir().unwrap();
    let err = Credentials::resolve(&Environment::empty().home(home.path())).unwrap_err();
    let shown = err.to_string();
    assert!(shown.contains("UPSTASH_EMAIL/UPSTASH_API_KEY"), "{shown}");
    assert!(shown.contains(".config/upstash/config.json"), "{shown}");
    assert!(shown.contains(".upstash.json"), "{shown}");
    assert!(shown.contains("upstash login"), "{shown}");
    let built = upstash_api::Client::builder()
        .environment(Environment::empty().home(home.path()))
        .build();
    assert!(matches!(built, Err(upstash_api::Error::Credentials(_))));
}

#[test]
fn a_broken_config_file_is_an_error_not_a_fallthrough() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join(".config/upstash/config.json");
    write(&file, "{not json");
    write(
        &home.path().join(".upstash.json"),
        r#"{"email":"old@example.com","apiKey":"old-key"}"#,
    );
    let err = Credentials::resolve(&Environment::empty().home(home.path())).unwrap_err();
    assert!(
        matches!(err, CredentialsError::UnreadableFile { ref path, .. } if *path == file),
        "{err:?}"
    );
    assert!(err.to_string().contains("not valid JSON"), "{err}");
}

#[test]
fn blank_explicit_halves_are_rejected_at_build() {
    let server = httpmock::MockServer::start();
    let err = upstash_api::Client::builder()
        .environment(Environment::empty())
        .credentials(Credentials::new("me@example.com", "  "))
        .base_url(server.base_url())
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("no API key"), "{err}");
}

#[cfg(unix)]
#[test]
fn a_file_others_can_read_is_used_with_a_warning() {
    use std::os::unix::fs::PermissionsExt;
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join(".config/upstash");
    cli_config(&dir, "me@example.com", "k");
    let file = dir.join("config.json");
    fs::set_permissions(&file, fs::Permissions::from_mode(0o644)).unwrap();
    let logs = support::logs::capture(|| {
        let found = Credentials::resolve(&Environment::empty().home(home.path())).unwrap();
        assert_eq!(found.email(), "me@example.com");
    });
    assert!(logs.contains("WARN"), "{logs}");
    assert!(logs.contains("readable by other users"), "{logs}");
    assert!(logs.contains("644"), "{logs}");

    fs::set_permissions(&file, fs::Permissions::from_mode(0o600)).unwrap();
    let logs = support::logs::capture(|| {
        Credentials::resolve(&Environment::empty().home(home.path())).unwrap();
    });
    assert!(!logs.contains("readable by other users"), "{logs}");
}

/// The CLI files are read only when they are regular files of at most
/// 64 KiB: a FIFO would block the read forever, `/dev/zero` (or a symlink
/// to it) would fill memory.
#[test]
fn only_small_regular_cli_files_are_read() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("upstash");
    fs::create_dir_all(&dir).unwrap();
    let env = Environment::empty().var("UPSTASH_CONFIG_HOME", &dir);
    let config = dir.join("config.json");
    let refused = |why: &str| {
        // On a thread, so a read that blocks fails the test instead of hanging it.
        let env = env.clone();
        let (sent, received) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = sent.send(Credentials::resolve(&env));
        });
        let outcome = received
            .recv_timeout(std::time::Duration::from_secs(5))
            .unwrap_or_else(|_| panic!("{why}: the read did not end"));
        match outcome {
            Err(e @ CredentialsError::UnreadableFile { .. }) => e.to_string(),
            other => panic!("{why}: {other:?}"),
        }
    };

    let status = std::process::Command::new("mkfifo")
        .arg(&config)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
    let text = refused("a FIFO");
    assert!(text.contains("not a regular file"), "{text}");
    fs::remove_file(&config).unwrap();

    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("/dev/zero", &config).unwrap();
        let text = refused("a symlink to /dev/zero");
        assert!(text.contains("not a regular file"), "{text}");
        fs::remove_file(&config).unwrap();
    }

    let padding = " ".repeat(64 * 1024);
    write(
        &config,
        &format!(r#"{{"email":"a@example.com","api_key":"k"}}{padding}"#),
    );
    let text = refused("an oversized file");
    assert!(text.contains("larger than 65536 bytes"), "{text}");

    // At the bound it is still read.
    let login = r#"{"email":"a@example.com","api_key":"k"}"#;
    write(
        &config,
        &format!("{login}{}", " ".repeat(64 * 1024 - login.len())),
    );
    assert_eq!(Credentials::resolve(&env).unwrap().email(), "a@example.com");
}

#[test]
fn an_email_with_a_colon_cannot_be_sent_and_says_why() {
    let err = upstash_api::Client::builder()
        .environment(Environment::empty())
        .credentials(Credentials::new("dev:ops@example.com", support::API_KEY))
        .base_url("http://127.0.0.1:9")
        .build()
        .unwrap_err();
    let text = err.to_string();
    assert!(
        matches!(
            &err,
            upstash_api::Error::Credentials(CredentialsError::Unusable { .. })
        ),
        "{err:?}"
    );
    assert!(text.contains("contains `:`"), "{text}");
    assert!(text.contains("basic auth"), "{text}");
    assert!(!text.contains(support::API_KEY), "{text}");
}
