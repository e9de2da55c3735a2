//! Account credentials (email + Developer API key) and where they come from.

use std::fmt;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use reqwest::header::HeaderValue;

use crate::Environment;

/// An Upstash account email and Developer API key.
///
/// Resolution order, first match wins:
/// 1. explicit values ([`Credentials::new`] passed to the builder);
/// 2. `UPSTASH_EMAIL` and `UPSTASH_API_KEY`;
/// 3. the Upstash CLI's saved login: `config.json` (`{"email", "api_key"}`)
///    in `$UPSTASH_CONFIG_HOME`, else `$XDG_CONFIG_HOME/upstash`, else
///    `~/.config/upstash`;
/// 4. the older `~/.upstash.json` (`{"email", "apiKey"}`).
///
/// A CLI file is read only when it is a regular file (or a symlink to one)
/// of at most 64 KiB.
///
/// A source that holds only half a pair (an email without a key, or the
/// reverse) is an error naming the missing half and the place, never a
/// silent fall-through to the next source.
///
/// `Debug` and `Display` show the email and where the pair came from, never
/// the key.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    email: String,
    api_key: String,
    source: CredentialSource,
}

/// Where a [`Credentials`] pair was found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialSource {
    /// Passed in by the program.
    Explicit,
    /// The `UPSTASH_EMAIL` and `UPSTASH_API_KEY` environment variables.
    Environment,
    /// A file saved by the Upstash CLI's `upstash login`.
    CliConfig(PathBuf),
}

impl fmt::Display for CredentialSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CredentialSource::Explicit => f.write_str("explicit credentials"),
            CredentialSource::Environment => f.write_str("UPSTASH_EMAIL/UPSTASH_API_KEY"),
            CredentialSource::CliConfig(path) => write!(f, "{}", path.display()),
        }
    }
}

/// Why no usable credentials were found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialsError {
    /// No source held any credentials.
    NotFound {
        /// Every place that was looked at, in order.
        looked_in: Vec<String>,
    },
    /// A source held one half of the pair.
    Incomplete {
        /// The half that is missing: `"email"` or `"API key"`.
        missing: &'static str,
        /// The source that held the other half.
        source: String,
    },
    /// The credentials cannot be sent: HTTP basic auth cannot carry them.
    Unusable {
        /// Where they came from.
        source: String,
        /// Why.
        reason: String,
    },
    /// A CLI config file exists but cannot be read or is not the expected
    /// JSON, or is not a regular file of at most 64 KiB (a FIFO, a device
    /// such as `/dev/zero`, a symlink to one).
    UnreadableFile {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CredentialsError::NotFound { looked_in } => write!(
                f,
                "no Upstash credentials found (looked in: {}); set UPSTASH_EMAIL and UPSTASH_API_KEY, \
                 run `upstash login`, or pass Credentials to the builder",
                looked_in.join(", ")
            ),
            CredentialsError::Incomplete { missing, source } => write!(
                f,
                "incomplete Upstash credentials: {source} has the {} but no {missing}; \
                 set both or neither",
                if *missing == "email" {
                    "API key"
                } else {
                    "email"
                }
            ),
            CredentialsError::Unusable { source, reason } => {
                write!(f, "unusable Upstash credentials from {source}: {reason}")
            }
            CredentialsError::UnreadableFile { path, reason } => write!(
                f,
                "cannot read Upstash credentials from {}: {reason}",
                path.display()
            ),
        }
    }
}

impl std::error::Error for CredentialsError {}

impl Credentials {
    /// Credentials given explicitly by the program.
    pub fn new(email: impl Into<String>, api_key: impl Into<String>) -> Credentials {
        Credentials {
            email: email.into(),
            api_key: api_key.into(),
            source: CredentialSource::Explicit,
        }
    }

    /// Finds credentials in the process environment and the CLI's files, in
    /// the order given on [`Credentials`].
    pub fn from_environment() -> Result<Credentials, CredentialsError> {
        Credentials::resolve(&Environment::from_process())
    }

    /// Finds credentials in `env` (variables, then the CLI's files under its
    /// home and config folders).
    pub fn resolve(env: &Environment) -> Result<Credentials, CredentialsError> {
        let mut looked_in = vec!["UPSTASH_EMAIL/UPSTASH_API_KEY".to_string()];
        if let Some(found) = from_variables(env)? {
            return Ok(found);
        }
        for file in cli_config_files(env) {
            looked_in.push(file.path.display().to_string());
            if let Some(found) = file.read()? {
                return Ok(found);
            }
        }
        Err(CredentialsError::NotFound { looked_in })
    }

    /// The account email.
    pub fn email(&self) -> &str {
        &self.email
    }

    /// Where these credentials came from.
    pub fn source(&self) -> &CredentialSource {
        &self.source
    }

    /// base64 of `email:api_key`, what follows `Basic ` in the header.
    pub(crate) fn basic_token(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", self.email, self.api_key))
    }

    /// The `Authorization: Basic ...` value, marked sensitive so that
    /// `reqwest` and `http` never print it.
    pub(crate) fn authorization(&self) -> Result<HeaderValue, crate::Error> {
        let mut value =
            HeaderValue::from_str(&format!("Basic {}", self.basic_token())).map_err(|_| {
                crate::Error::InvalidInput {
                    message: "the credentials cannot form an Authorization header".into(),
                }
            })?;
        value.set_sensitive(true);
        Ok(value)
    }

    /// `text` with the API key and the base64 `Authorization` value (with
    /// or without its `=` padding, standard or URL-safe alphabet) replaced
    /// by `<redacted>`: for text that came from elsewhere, such as an error
    /// message in which a server echoed what it was sent.
    pub(crate) fn redact(&self, text: &str) -> String {
        use base64::engine::general_purpose::{STANDARD, URL_SAFE};
        let pair = format!("{}:{}", self.email, self.api_key);
        let padded = [STANDARD.encode(&pair), URL_SAFE.encode(&pair)];
        // Longest first: a padded token contains its unpadded form.
        let mut secrets: Vec<String> = padded.to_vec();
        secrets.extend(padded.iter().map(|t| t.trim_end_matches('=').to_string()));
        if !self.api_key.is_empty() {
            secrets.push(self.api_key.clone());
        }
        let mut clean = text.to_string();
        for secret in &secrets {
            if clean.contains(secret.as_str()) {
                clean = clean.replace(secret.as_str(), "<redacted>");
            }
        }
        // A message cut short ("...") may end in the first part of a secret.
        if let Some(body) = clean.strip_suffix("...") {
            for secret in &secrets {
                if let Some(start) = cut_secret_start(body, secret) {
                    clean = format!("{}<redacted>...", &body[..start]);
                    break;
                }
            }
        }
        clean
    }

    /// Checks both halves are present and usable.
    pub(crate) fn validate(&self) -> Result<(), CredentialsError> {
        let source = self.source.to_string();
        if self.email.trim().is_empty() {
            return Err(CredentialsError::Incomplete {
                missing: "email",
                source,
            });
        }
        if self.api_key.trim().is_empty() {
            return Err(CredentialsError::Incomplete {
                missing: "API key",
                source,
            });
        }
        if self.email.contains(':') {
            return Err(CredentialsError::Unusable {
                source,
                reason: "the email contains `:`, which HTTP basic auth cannot carry (it \
                         separates the email from the API key); check the email"
                    .to_string(),
            });
        }
        Ok(())
    }
}

/// Where `text` ends with the first 4 or more bytes of `secret`, the index
/// that tail starts at.
fn cut_secret_start(text: &str, secret: &str) -> Option<usize> {
    (4..secret.len().min(text.len()) + 1)
        .rev()
        .find(|&n| secret.is_char_boundary(n) && text.ends_with(&secret[..n]))
        .map(|n| text.len() - n)
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("email", &self.email)
            .field("api_key", &"<redacted>")
            .field("source", &self.source)
            .finish()
    }
}

impl fmt::Display for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (API key from {})", self.email, self.source)
    }
}

fn from_variables(env: &Environment) -> Result<Option<Credentials>, CredentialsError> {
    pair(
        env.get("UPSTASH_EMAIL"),
        env.get("UPSTASH_API_KEY"),
        CredentialSource::Environment,
    )
}

/// Turns two optional halves into credentials, nothing, or an incomplete-pair error.
fn pair(
    email: Option<String>,
    api_key: Option<String>,
    source: CredentialSource,
) -> Result<Option<Credentials>, CredentialsError> {
    match (email, api_key) {
        (Some(email), Some(api_key)) => Ok(Some(Credentials {
            email,
            api_key,
            source,
        })),
        (None, None) => Ok(None),
        (Some(_), None) => Err(CredentialsError::Incomplete {
            missing: "API key",
            source: source.to_string(),
        }),
        (None, Some(_)) => Err(CredentialsError::Incomplete {
            missing: "email",
            source: source.to_string(),
        }),
    }
}

/// One file the CLI may have saved a login in, with the name of its key field.
struct CliConfigFile {
    path: PathBuf,
    key_field: &'static str,
}

fn cli_config_files(env: &Environment) -> Vec<CliConfigFile> {
    let config_dir = env
        .get_path("UPSTASH_CONFIG_HOME")
        .or_else(|| env.get_path("XDG_CONFIG_HOME").map(|d| d.join("upstash")))
        .or_else(|| env.home_dir().map(|h| h.join(".config").join("upstash")));
    let mut files = Vec::new();
    if let Some(dir) = config_dir {
        files.push(CliConfigFile {
            path: dir.join("config.json"),
            key_field: "api_key",
        });
    }
    if let Some(home) = env.home_dir() {
        files.push(CliConfigFile {
            path: home.join(".upstash.json"),
            key_field: "apiKey",
        });
    }
    files
}

impl CliConfigFile {
    /// The credentials in the file; `None` when the file does not exist.
    fn read(&self) -> Result<Option<Credentials>, CredentialsError> {
        let text = match read_small_file(&self.path) {
            Ok(text) => text,
            Err(Unread::Missing) => return Ok(None),
            Err(Unread::Why(reason)) => return Err(self.unreadable(reason)),
        };
        warn_if_shared(&self.path);
        let json: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| self.unreadable(format!("not valid JSON ({e})")))?;
        let field = |name: &str| {
            json.get(name)
                .and_then(|v| v.as_str())
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        match pair(
            field("email"),
            field(self.key_field),
            CredentialSource::CliConfig(self.path.clone()),
        )? {
            Some(found) => Ok(Some(found)),
            None => {
                Err(self.unreadable(format!("it has neither `email` nor `{}`", self.key_field)))
            }
        }
    }

    fn unreadable(&self, reason: String) -> CredentialsError {
        CredentialsError::UnreadableFile {
            path: self.path.clone(),
            reason,
        }
    }
}

/// The most a CLI config file may hold; the CLI writes a few hundred bytes.
const MAX_CONFIG_FILE: u64 = 64 * 1024;

/// Why a file was not read.
enum Unread {
    /// It does not exist.
    Missing,
    /// Anything else, said for the error.
    Why(String),
}

/// The text of the regular file at `path` (a symlink to one is followed),
/// of at most [`MAX_CONFIG_FILE`] bytes. Anything else is refused before
/// it is read: a FIFO would block forever, `/dev/zero` would fill memory.
fn read_small_file(path: &Path) -> Result<String, Unread> {
    use std::io::Read as _;
    let io = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::NotFound => Unread::Missing,
        _ => Unread::Why(e.to_string()),
    };
    let not_regular = || {
        Unread::Why(
            "it is not a regular file (a FIFO, a device or a folder?); the CLI saves a plain \
             JSON file there"
                .to_string(),
        )
    };
    // Checked before opening: opening a FIFO waits for a writer.
    if !std::fs::metadata(path).map_err(io)?.is_file() {
        return Err(not_regular());
    }
    let file = std::fs::File::open(path).map_err(io)?;
    // And what was opened, in case the path was swapped in between. (A
    // FIFO swapped in right then blocks the open itself: that takes write
    // access to the user's config folder.)
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(not_regular());
    }
    let too_large = || {
        Unread::Why(format!(
            "it is larger than {MAX_CONFIG_FILE} bytes, more than a CLI login holds"
        ))
    };
    if meta.len() > MAX_CONFIG_FILE {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    file.take(MAX_CONFIG_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_CONFIG_FILE {
        return Err(too_large());
    }
    String::from_utf8(bytes).map_err(|_| Unread::Why("it is not UTF-8 text".to_string()))
}

/// Logs a warning when a credentials file can be read by other users.
fn warn_if_shared(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        if let Ok(meta) = std::fs::metadata(path) {
            let mode = meta.permissions().mode();
            if mode & 0o077 != 0 {
                tracing::warn!(
                    path = %path.display(),
                    mode = format_args!("{:o}", mode & 0o777),
                    "the Upstash credentials file is readable by other users; run `chmod 600` on it"
                );
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

#[cfg(test)]
mod tests {
    use super::Credentials;

    #[test]
    fn whole_and_cut_off_secrets_are_redacted() {
        let c = Credentials::new("me@example.com", "secret-key-123");
        let token = "bWVAZXhhbXBsZS5jb206c2VjcmV0LWtleS0xMjM="; // base64("me@example.com:secret-key-123")
        assert_eq!(
            c.redact(&format!("got {token} and secret-key-123")),
            "got <redacted> and <redacted>"
        );
        assert_eq!(
            c.redact(&format!("got {}...", &token[..10])),
            "got <redacted>..."
        );
        assert_eq!(c.redact("key secret-ke..."), "key <redacted>...");
        assert_eq!(c.redact("nothing sec..."), "nothing sec...");
        assert_eq!(c.redact("plain text"), "plain text");
    }

    #[test]
    fn unpadded_and_url_safe_tokens_are_redacted() {
        use base64::Engine as _;
        use base64::engine::general_purpose::{STANDARD, URL_SAFE};
        // Key chosen so the standard and URL-safe forms differ (`+`, `/`).
        for (email, key) in [
            ("me@example.com", "secret-key-123"),
            ("a@b.c", "k>>>??~~~1"),
        ] {
            let c = Credentials::new(email, key);
            let pair = format!("{email}:{key}");
            for token in [
                STANDARD.encode(&pair),
                URL_SAFE.encode(&pair),
                STANDARD.encode(&pair).trim_end_matches('=').to_string(),
                URL_SAFE.encode(&pair).trim_end_matches('=').to_string(),
            ] {
                let clean = c.redact(&format!("sent Basic {token}, got 401"));
                assert_eq!(clean, "sent Basic <redacted>, got 401", "{token}");
                let cut = c.redact(&format!("sent Basic {}...", &token[..token.len() - 3]));
                assert_eq!(cut, "sent Basic <redacted>...", "{token}");
            }
        }
    }

    #[test]
    fn an_email_with_a_colon_is_refused_and_says_why() {
        let e = Credentials::new("me:you@example.com", "key")
            .validate()
            .unwrap_err();
        let text = e.to_string();
        assert!(
            matches!(e, super::CredentialsError::Unusable { .. }),
            "{e:?}"
        );
        assert!(
            text.contains("`:`") && text.contains("basic auth"),
            "{text}"
        );
        assert!(!text.contains("key".repeat(2).as_str()));
    }
}
