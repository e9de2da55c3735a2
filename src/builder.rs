//! Configuring a [`Client`].

use std::time::Duration;

use reqwest::header::HeaderValue;

use crate::generated::{Client as GeneratedClient, SPEC_SERVER_URL};
use crate::transport::Transport;
use crate::{Client, Credentials, Environment, Error, RetryPolicy, base_url, http_client};

/// The default connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The default timeout of one attempt, from sending to the end of the body.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// The default bound on a success body: 32 MiB.
///
/// The largest answers of the Upstash API are lists (every database, team
/// member or audit log entry of an account), a few kilobytes per entry:
/// thousands of entries fit with room to spare, and a body that never ends
/// stops costing memory here. Raise it with
/// [`ClientBuilder::max_response_body`] if your account's lists are larger.
pub const DEFAULT_MAX_RESPONSE_BODY: usize = 32 * 1024 * 1024;
/// The `User-Agent` sent unless [`ClientBuilder::user_agent`] replaces it.
pub const DEFAULT_USER_AGENT: &str = concat!("upstash-api-rust/", env!("CARGO_PKG_VERSION"));

/// Builds a [`Client`]; start from [`Client::builder`].
///
/// Everything has a default: credentials and the base URL are read from the
/// environment (see [`Credentials`] and the README's configuration table).
#[derive(Clone)]
#[must_use]
pub struct ClientBuilder {
    credentials: Option<Credentials>,
    base_url: Option<String>,
    allow_insecure_http: bool,
    connect_timeout: Duration,
    timeout: Duration,
    retry: RetryPolicy,
    max_response_body: usize,
    user_agent: Option<String>,
    http_client: Option<reqwest::Client>,
    environment: Option<Environment>,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("credentials", &self.credentials)
            // A base URL may carry a secret (refused by `build`).
            .field(
                "base_url",
                &self.base_url.as_deref().map(crate::url_text::shown_text),
            )
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("max_response_body", &self.max_response_body)
            .field("user_agent", &self.user_agent)
            .field("http_client", &self.http_client)
            .field("environment", &self.environment)
            .finish()
    }
}

impl Default for ClientBuilder {
    fn default() -> ClientBuilder {
        ClientBuilder {
            credentials: None,
            base_url: None,
            allow_insecure_http: false,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            retry: RetryPolicy::default(),
            max_response_body: DEFAULT_MAX_RESPONSE_BODY,
            user_agent: None,
            http_client: None,
            environment: None,
        }
    }
}

impl ClientBuilder {
    /// Uses these credentials instead of looking in the environment.
    pub fn credentials(mut self, credentials: Credentials) -> ClientBuilder {
        self.credentials = Some(credentials);
        self
    }

    /// Sends requests to `url` instead of `UPSTASH_API_URL` or the spec's server.
    pub fn base_url(mut self, url: impl Into<String>) -> ClientBuilder {
        self.base_url = Some(url.into());
        self
    }

    /// Allows a plain `http://` base URL to a non-loopback host.
    ///
    /// Off by default: basic auth over plain HTTP exposes the API key to
    /// anyone on the path.
    pub fn allow_insecure_http(mut self, allow: bool) -> ClientBuilder {
        self.allow_insecure_http = allow;
        self
    }

    /// How long to wait for a connection (default 10 s). Applies to the
    /// HTTP client this builder creates, not to one given with
    /// [`http_client`](ClientBuilder::http_client).
    pub fn connect_timeout(mut self, timeout: Duration) -> ClientBuilder {
        self.connect_timeout = timeout;
        self
    }

    /// How long one attempt may take, from sending the request to the end
    /// of the response body (default 60 s). With retries, a call can take
    /// up to `(max_retries + 1)` times this plus the waits between attempts.
    pub fn timeout(mut self, timeout: Duration) -> ClientBuilder {
        self.timeout = timeout;
        self
    }

    /// Which failures are retried and how (default [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> ClientBuilder {
        self.retry = policy;
        self
    }

    /// The largest success body a call reads, in bytes (default
    /// [`DEFAULT_MAX_RESPONSE_BODY`], 32 MiB).
    ///
    /// A JSON or string answer that goes past it fails the call with
    /// [`Error::UnreadableResponse`] as soon as the bound is passed, so a
    /// body that never ends (a broken proxy, a hostile endpoint) cannot
    /// fill memory. Error bodies are read up to 64 KiB whatever this says;
    /// a raw stream (`ByteStream`) is yours to read piece by piece.
    pub fn max_response_body(mut self, bytes: usize) -> ClientBuilder {
        self.max_response_body = bytes;
        self
    }

    /// Replaces the `User-Agent` (default `upstash-api-rust/<version>`).
    ///
    /// It must be visible ASCII (no CR or LF): [`build`](ClientBuilder::build)
    /// fails with [`Error::Configuration`] naming this setter otherwise.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> ClientBuilder {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Sends requests with this `reqwest::Client` (its proxy, TLS and
    /// connection settings) instead of one the builder creates. Start from
    /// [`http_client_builder`](crate::http_client_builder) to keep the SDK's TLS setup. Auth, the
    /// user agent, the per-attempt timeout and retries still apply.
    ///
    /// Redirects must stay off (`.redirect(reqwest::redirect::Policy::none())`,
    /// which `http_client_builder` sets; `reqwest::Client::builder()`'s
    /// default follows up to 10). The SDK turns every redirect into
    /// [`Error::Redirected`], and an answer that comes from another URL
    /// than the request's (a redirect the client followed) too, never a
    /// success and never retried. But when a client that follows
    /// redirects cannot connect to where one pointed, reqwest reports the
    /// failure with the request's own URL, exactly like a failure to reach
    /// the API. So unless the client's settings show redirects off (as
    /// `http_client_builder`'s do), a failure to connect is not taken to
    /// mean the request never left: it is retried for idempotent methods
    /// only, and a `POST` that failed to connect is returned, not sent again.
    pub fn http_client(mut self, client: reqwest::Client) -> ClientBuilder {
        self.http_client = Some(client);
        self
    }

    /// Reads credentials and `UPSTASH_API_URL` from `environment` instead of
    /// the process's.
    pub fn environment(mut self, environment: Environment) -> ClientBuilder {
        self.environment = Some(environment);
        self
    }

    /// Resolves credentials and the base URL, and builds the client.
    ///
    /// Fails with [`Error::Credentials`] when no complete credentials are
    /// found and with [`Error::Configuration`] for an unusable base URL or
    /// user agent. Sends no request.
    pub fn build(self) -> Result<Client, Error> {
        let environment = self.environment.unwrap_or_else(Environment::from_process);
        let credentials = match self.credentials {
            Some(explicit) => explicit,
            None => Credentials::resolve(&environment)?,
        };
        credentials.validate()?;
        let raw_url = self
            .base_url
            .or_else(|| environment.get("UPSTASH_API_URL"))
            .unwrap_or_else(|| SPEC_SERVER_URL.to_string());
        let base_url = base_url::checked(&raw_url, self.allow_insecure_http)?;
        let user_agent = self.user_agent.as_deref().unwrap_or(DEFAULT_USER_AGENT);
        let user_agent = HeaderValue::from_str(user_agent).map_err(|_| Error::Configuration {
            message: "the user agent given to `ClientBuilder::user_agent` is not a valid header \
                      value: it must be visible ASCII, with no CR, LF or other control character"
                .into(),
        })?;
        let may_follow_redirects = self
            .http_client
            .as_ref()
            .is_some_and(http_client::may_follow_redirects);
        let http = match self.http_client {
            Some(client) => client,
            None => http_client::http_client_builder()?
                .connect_timeout(self.connect_timeout)
                .build()
                .map_err(|e| Error::Configuration {
                    message: format!("cannot create the HTTP client: {e}"),
                })?,
        };
        let operation_bases = crate::servers::operation_bases(
            crate::generated::OPERATIONS,
            &base_url,
            SPEC_SERVER_URL,
            self.allow_insecure_http,
        )
        .into();
        let transport = Transport {
            authorization: credentials.authorization()?,
            user_agent,
            timeout: Some(self.timeout),
            retry: self.retry,
            max_response_body: self.max_response_body,
            credentials,
            may_follow_redirects,
            operation_bases,
        };
        let api = GeneratedClient::new_with_client(&base_url, http, transport);
        Ok(Client::from_generated(api))
    }
}
