//! What every generated operation goes through: the check of its path,
//! auth, user agent, timeout, routing, retries, tracing and the reading of
//! its answer.
//!
//! The generated client calls the `ClientHooks` implemented here for each
//! request (progenitor's hooks, required by the generator settings), so an
//! operation added to the spec has its path checked against its template
//! ([`crate::path_template`]), is authenticated, routed, retried, traced and
//! has its answer read before the generated code parses it, with no
//! hand-written code.

use std::fmt;
use std::time::{Duration, Instant};

use std::sync::Arc;

use progenitor_client::{ClientHooks, OperationInfo};
use reqwest::header::{AUTHORIZATION, HeaderValue, USER_AGENT};
use tracing::Instrument as _;

use crate::generated::Client as GeneratedClient;
use crate::{Credentials, RetryPolicy, answer, operation, path_template, redirect, url_text};

/// The configuration the generated client carries for its hooks.
///
/// Not constructible outside the crate; reached through
/// [`Client`](crate::Client).
#[derive(Clone)]
pub struct Transport {
    pub(crate) authorization: HeaderValue,
    pub(crate) user_agent: HeaderValue,
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: RetryPolicy,
    /// The bound on a success body, in bytes.
    pub(crate) max_response_body: usize,
    /// Removed from text the server sends back; also what
    /// [`Client::credentials`](crate::Client::credentials) returns.
    pub(crate) credentials: Credentials,
    /// Whether the HTTP client may follow redirects (one given to
    /// [`ClientBuilder::http_client`](crate::ClientBuilder::http_client)
    /// not shown to have them off), so that a failure to connect no
    /// longer proves a request never left ([`RetryPolicy`]).
    pub(crate) may_follow_redirects: bool,
    /// The base URL of each operation with a server of its own
    /// ([`crate::servers`]), by operation id, checked like the base URL
    /// when the client was built: the refusal's message when it failed.
    pub(crate) operation_bases: Arc<[(&'static str, Result<String, String>)]>,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("authorization", &"<redacted>")
            .field("user_agent", &self.user_agent)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("max_response_body", &self.max_response_body)
            .field("may_follow_redirects", &self.may_follow_redirects)
            .field("operation_bases", &self.operation_bases)
            .finish()
    }
}

/// Why a request is not sent.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Refused {
    /// Its path lost its operation's shape (becomes
    /// [`Error::InvalidInput`](crate::Error::InvalidInput)).
    Input(String),
    /// Its operation cannot be sent with this configuration (becomes
    /// [`Error::Configuration`](crate::Error::Configuration)).
    Configuration(String),
}

impl Transport {
    /// Readies `request` for sending, or refuses it when its path does not
    /// have its operation's shape or its operation's server was refused
    /// when the client was built.
    fn prepare(
        &self,
        request: &mut reqwest::Request,
        base_url: &str,
        operation_id: &str,
    ) -> Result<(), Refused> {
        if let Some(facts) = operation::facts(operation_id) {
            path_template::check(request.url(), base_url, facts.path)
                .map_err(|problem| Refused::Input(format!("{operation_id}: {problem}")))?;
        }
        self.route(request, base_url, operation_id)
            .map_err(Refused::Configuration)?;
        let headers = request.headers_mut();
        headers.insert(AUTHORIZATION, self.authorization.clone());
        headers.insert(USER_AGENT, self.user_agent.clone());
        if let Some(timeout) = self.timeout {
            *request.timeout_mut() = Some(timeout);
        }
        Ok(())
    }

    /// Sends an operation with a server of its own there, or refuses it
    /// when that server failed the base URL's checks.
    fn route(
        &self,
        request: &mut reqwest::Request,
        base_url: &str,
        operation_id: &str,
    ) -> Result<(), String> {
        let Some((_, verdict)) = self
            .operation_bases
            .iter()
            .find(|(id, _)| *id == operation_id)
        else {
            return Ok(());
        };
        let base = verdict.as_ref().map_err(Clone::clone)?;
        let cannot = |why: &str| {
            format!(
                "{operation_id}: the request to {} cannot be sent to its own server {base}: \
                 {why}",
                crate::url_text::shown(request.url())
            )
        };
        let Some(rest) = request.url().as_str().strip_prefix(base_url) else {
            return Err(cannot("its URL does not start with the base URL"));
        };
        let url = reqwest::Url::parse(&format!("{base}{rest}"))
            .map_err(|e| cannot(&format!("the URL cannot be rebuilt ({e})")))?;
        *request.url_mut() = url;
        Ok(())
    }

    async fn execute(
        &self,
        client: &reqwest::Client,
        mut request: reqwest::Request,
        operation_id: &'static str,
    ) -> reqwest::Result<reqwest::Response> {
        let method = request.method().clone();
        // Where this request goes; an outcome from anywhere else is a
        // redirect ([`redirect`]).
        let sent_to = request.url().clone();
        let span = tracing::info_span!(
            "upstash_api.request",
            operation = operation_id,
            method = %method,
            path = request.url().path(),
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        // Without a subscriber the span is disabled: no clock reads for it,
        // and entering and leaving it on every poll would only cost time.
        let listened = !span.is_disabled();
        let started = listened.then(Instant::now);
        let attempts = async {
            let mut attempt: u32 = 1;
            loop {
                let retry_copy = if attempt <= self.retry.max_retries() {
                    RequestCopy::of(&request)
                } else {
                    None
                };
                let attempt_started = tracing::enabled!(tracing::Level::DEBUG).then(Instant::now);
                let outcome = client.execute(request).await.map_err(url_text::clean_error);
                let status = outcome.as_ref().ok().map(|r| r.status().as_u16());
                tracing::debug!(
                    attempt,
                    status,
                    error = outcome.as_ref().err().map(tracing::field::display),
                    elapsed_ms = attempt_started.map(|t| t.elapsed().as_millis() as u64),
                    "attempt finished"
                );
                let redirected = redirect::redirected(&sent_to, &outcome);
                let delay = self.retry.next_delay(
                    attempt,
                    &method,
                    redirected,
                    &outcome,
                    std::time::SystemTime::now(),
                    self.may_follow_redirects,
                );
                match (delay, retry_copy) {
                    (Some(delay), Some(next)) => {
                        tracing::info!(
                            attempt,
                            status,
                            delay_ms = delay.as_millis() as u64,
                            "retrying"
                        );
                        tokio::time::sleep(delay).await;
                        request = next.into_request();
                        attempt += 1;
                    }
                    _ => {
                        if listened {
                            if let Some(status) = status {
                                span.record("status", status);
                            }
                            span.record("attempts", attempt);
                        }
                        let outcome = match outcome {
                            outcome if redirected => {
                                Ok(redirect::answer(&sent_to, method, outcome))
                            }
                            Ok(response) => Ok(answer::prepare(
                                response,
                                operation::facts(operation_id),
                                self.max_response_body,
                                &self.credentials,
                            )
                            .await),
                            Err(e) => Err(e),
                        };
                        if let Some(started) = started {
                            span.record("elapsed_ms", started.elapsed().as_millis() as u64);
                        }
                        return outcome;
                    }
                }
            }
        };
        if listened {
            attempts.instrument(span.clone()).await
        } else {
            attempts.await
        }
    }
}

/// What is kept of a request to send it again. Lighter than
/// `reqwest::Request::try_clone`, which also copies the extensions map
/// (where reqwest keeps the timeout) and is made on every attempt that may
/// be retried, so on nearly every call: the timeout is kept as a value and
/// set again only when the copy is sent.
struct RequestCopy {
    method: reqwest::Method,
    url: reqwest::Url,
    headers: reqwest::header::HeaderMap,
    version: reqwest::Version,
    timeout: Option<Duration>,
    body: Option<Vec<u8>>,
}

impl RequestCopy {
    /// `None` when the body is a stream, which cannot be sent twice.
    fn of(request: &reqwest::Request) -> Option<RequestCopy> {
        let body = match request.body() {
            Some(body) => Some(body.as_bytes()?.to_vec()),
            None => None,
        };
        Some(RequestCopy {
            method: request.method().clone(),
            url: request.url().clone(),
            headers: request.headers().clone(),
            version: request.version(),
            timeout: request.timeout().copied(),
            body,
        })
    }

    fn into_request(self) -> reqwest::Request {
        let mut request = reqwest::Request::new(self.method, self.url);
        *request.headers_mut() = self.headers;
        *request.version_mut() = self.version;
        if self.timeout.is_some() {
            *request.timeout_mut() = self.timeout;
        }
        *request.body_mut() = self.body.map(reqwest::Body::from);
        request
    }
}

impl ClientHooks<Transport> for GeneratedClient {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        self.inner
            .prepare(request, &self.baseurl, info.operation_id)
            .map_err(|refused| match refused {
                Refused::Input(message) => progenitor_client::Error::InvalidRequest(message),
                // `Custom` is made by no generated code, only here.
                Refused::Configuration(message) => progenitor_client::Error::Custom(message),
            })
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        self.inner
            .execute(&self.client, request, info.operation_id)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::{OperationFacts, SuccessBody};

    fn transport(bases: Vec<(&'static str, Result<String, String>)>) -> Transport {
        Transport {
            authorization: HeaderValue::from_static("Basic eA=="),
            user_agent: HeaderValue::from_static("test"),
            timeout: None,
            retry: RetryPolicy::disabled(),
            max_response_body: crate::DEFAULT_MAX_RESPONSE_BODY,
            credentials: Credentials::new("a@example.com", "key"),
            may_follow_redirects: false,
            operation_bases: bases.into(),
        }
    }

    fn request(url: &str) -> reqwest::Request {
        reqwest::Request::new(reqwest::Method::GET, reqwest::Url::parse(url).unwrap())
    }

    #[test]
    fn auth_and_user_agent_replace_what_a_request_had() {
        let t = transport(Vec::new());
        let mut sent = request("https://h/v2/x");
        sent.headers_mut()
            .insert(AUTHORIZATION, HeaderValue::from_static("Basic other"));
        t.prepare(&mut sent, "https://h/v2", "op").unwrap();
        assert_eq!(sent.headers()[AUTHORIZATION], "Basic eA==");
        assert_eq!(sent.headers()[USER_AGENT], "test");
        assert_eq!(sent.headers().len(), 2);
    }

    /// The second line: with the generated checks out of the way (a request
    /// made by hand), a path that lost its template's shape is not sent.
    #[test]
    fn a_path_without_its_operation_s_shape_is_refused() {
        let t = transport(Vec::new());
        for facts in crate::generated::OPERATIONS {
            let filled = facts
                .path
                .split('/')
                .map(|segment| if segment.contains('{') { "x" } else { segment })
                .collect::<Vec<_>>()
                .join("/");
            let mut good = request(&format!("https://h/v2{filled}"));
            assert_eq!(t.prepare(&mut good, "https://h/v2", facts.id), Ok(()));
            if !facts.path.contains('{') {
                continue;
            }
            // What `..` in the last parameter leaves of the path.
            let cut = filled.rsplit_once('/').map_or("", |(head, _)| head);
            let mut bad = request(&format!("https://h/v2{cut}/"));
            let Err(Refused::Input(error)) = t.prepare(&mut bad, "https://h/v2", facts.id) else {
                panic!("{} with a cut path is not refused as input", facts.id);
            };
            assert!(error.starts_with(facts.id), "{error}");
            assert!(error.contains(facts.path), "{error}");
            assert!(bad.headers().get(AUTHORIZATION).is_none(), "not readied");
        }
    }

    #[test]
    fn only_operations_with_a_server_of_their_own_are_routed() {
        let t = transport(vec![("audit", Ok("https://h".to_string()))]);
        let mut audit = request("https://h/v2/auditlogs?x=1");
        t.prepare(&mut audit, "https://h/v2", "audit").unwrap();
        assert_eq!(audit.url().as_str(), "https://h/auditlogs?x=1");
        let mut other = request("https://h/v2/teams");
        t.prepare(&mut other, "https://h/v2", "teams").unwrap();
        assert_eq!(other.url().as_str(), "https://h/v2/teams");
    }

    #[test]
    fn an_operation_whose_server_was_refused_is_not_sent() {
        let refusal = "audit: refused because".to_string();
        let t = transport(vec![
            ("audit", Err(refusal.clone())),
            ("teams", Ok("https://h".to_string())),
        ]);
        let mut audit = request("https://h/v2/auditlogs");
        assert_eq!(
            t.prepare(&mut audit, "https://h/v2", "audit"),
            Err(Refused::Configuration(refusal))
        );
        assert!(audit.headers().get(AUTHORIZATION).is_none(), "not readied");
        let mut other = request("https://h/v2/teams");
        assert_eq!(t.prepare(&mut other, "https://h/v2", "teams"), Ok(()));
    }

    #[test]
    fn a_url_that_cannot_be_routed_is_an_error_not_the_base_url() {
        let t = transport(vec![("audit", Ok("https://h".to_string()))]);
        let mut elsewhere = request("https://other/v2/auditlogs?key=k");
        let Err(Refused::Configuration(message)) =
            t.prepare(&mut elsewhere, "https://h/v2", "audit")
        else {
            panic!("a URL outside the base URL is routed");
        };
        assert!(message.starts_with("audit: "), "{message}");
        assert!(
            message.contains("does not start with the base URL"),
            "{message}"
        );
        assert!(!message.contains("key=k"), "{message}");
        let t = transport(vec![("audit", Ok("https://h:99999".to_string()))]);
        let mut audit = request("https://h/v2/auditlogs");
        let Err(Refused::Configuration(message)) = t.prepare(&mut audit, "https://h/v2", "audit")
        else {
            panic!("a URL that cannot be rebuilt is routed");
        };
        assert!(message.contains("cannot be rebuilt"), "{message}");
    }

    /// The whole way, through the generated client and `?`: an operation
    /// whose own server was refused when the client was built fails with
    /// `Error::Configuration` naming it, and nothing reaches the network.
    #[tokio::test]
    async fn a_refused_operation_server_fails_the_call_before_sending() {
        let server = httpmock::MockServer::start_async().await;
        let any = server
            .mock_async(|_, then| {
                then.status(200).body("\"OK\"");
            })
            .await;
        let table = [OperationFacts {
            id: "restore_backup",
            path: "/redis/restore-backup/{id}",
            success: SuccessBody::Text,
            success_statuses: &[],
            server: Some("http://restore.example/v1"),
        }];
        let main = crate::generated::SPEC_SERVER_URL;
        let bases = crate::servers::operation_bases(&table, main, main, false);
        let http = crate::http_client_builder().unwrap().build().unwrap();
        let api = GeneratedClient::new_with_client(&server.base_url(), http, transport(bases));
        let error: crate::Error = api
            .restore_backup()
            .id("db")
            .body_map(|body| body.backup_id("bk"))
            .send()
            .await
            .unwrap_err();
        let text = error.to_string();
        assert!(
            matches!(error, crate::Error::Configuration { .. }),
            "{error:?}"
        );
        assert!(
            text.contains("restore_backup: the operation's own server `http://restore.example/v1`"),
            "{text}"
        );
        assert!(text.contains("unencrypted"), "{text}");
        assert!(text.contains("set an https base URL"), "{text}");
        assert!(text.contains("is not sent"), "{text}");
        any.assert_calls_async(0).await;
    }
}
