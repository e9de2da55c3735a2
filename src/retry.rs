//! When a failed attempt is repeated, and how long to wait before it.

use std::hash::{BuildHasher as _, Hasher as _};
use std::time::{Duration, SystemTime};

use reqwest::{Method, StatusCode};

/// How many times, and how patiently, a failed attempt is repeated.
///
/// What is retried, for every operation:
/// - `429 Too Many Requests` and `503 Service Unavailable`: the API did not
///   carry out the request, so repeating it is safe even for a restore;
/// - a failure to connect: the request never left this machine.
///
/// What is retried only for idempotent methods (`GET`, `HEAD`, `PUT`,
/// `DELETE`, `OPTIONS`): `502 Bad Gateway`, `504 Gateway Timeout`, timeouts
/// and connections that broke after the request was sent. A gateway error
/// or a lost connection does not say whether the API acted. For a `POST`
/// such as `restore_backup`, which overwrites a database, a second attempt
/// after the first one did succeed would destroy data written in between, so
/// those outcomes are returned to the caller instead.
///
/// Waits grow exponentially from [`RetryPolicy::initial_backoff`] up to
/// [`RetryPolicy::max_backoff`], with jitter (each wait is drawn between half
/// and all of the exponential value). A `Retry-After` header (seconds or an
/// HTTP date) replaces the computed wait; when it asks for longer than
/// [`RetryPolicy::max_retry_after`], the SDK does not wait at all and
/// returns [`Error::RateLimited`](crate::Error::RateLimited) with the delay,
/// so the caller decides. A `Retry-After` that cannot be read or does not
/// fit (`-5`, `1.5`, `soon`, more seconds than a `u64` holds) counts as
/// longer than that: the answer is returned at once, with no delay.
/// [`RetryPolicy::disabled`] turns retries off.
///
/// No delay the SDK waits or reports is longer than
/// [`RetryPolicy::LONGEST_DELAY`] (one day), whatever the server or the
/// policy's settings ask, so `Instant::now() + delay` cannot overflow.
///
/// Never retried: a redirect (3xx, or an answer from another URL than the
/// request's; see [`Error::Redirected`](crate::Error::Redirected)) and a
/// request that could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// 3 retries, waits from 250 ms up to 8 s, `Retry-After` honoured up to 60 s.
    fn default() -> RetryPolicy {
        RetryPolicy {
            max_retries: 3,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// The longest delay the SDK waits between two attempts or reports in
    /// [`Error::RateLimited`](crate::Error::RateLimited): one day. Longer
    /// waits asked for (by a `Retry-After`) or configured are cut to it.
    pub const LONGEST_DELAY: Duration = Duration::from_secs(24 * 60 * 60);

    /// The default policy (see [`Default`]).
    pub fn new() -> RetryPolicy {
        RetryPolicy::default()
    }

    /// A policy that never retries: every call makes exactly one attempt.
    pub fn disabled() -> RetryPolicy {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// Retries at most `n` times (so at most `n + 1` attempts).
    pub fn with_max_retries(mut self, n: u32) -> RetryPolicy {
        self.max_retries = n;
        self
    }

    /// The wait before the first retry, doubled for each further one.
    pub fn with_initial_backoff(mut self, wait: Duration) -> RetryPolicy {
        self.initial_backoff = wait;
        self
    }

    /// The longest computed wait between two attempts.
    pub fn with_max_backoff(mut self, wait: Duration) -> RetryPolicy {
        self.max_backoff = wait;
        self
    }

    /// The longest `Retry-After` the SDK waits for by itself.
    pub fn with_max_retry_after(mut self, wait: Duration) -> RetryPolicy {
        self.max_retry_after = wait;
        self
    }

    /// How many retries are allowed after the first attempt.
    pub fn max_retries(&self) -> u32 {
        self.max_retries
    }

    /// The wait before the first retry.
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// The longest computed wait.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// The longest `Retry-After` honoured by waiting.
    pub fn max_retry_after(&self) -> Duration {
        self.max_retry_after
    }

    /// Whether to retry after attempt number `attempt` (1-based) ended in
    /// `outcome`, and if so after how long; `redirected`: the outcome is a
    /// redirect or came from where one led ([`crate::redirect::redirected`]),
    /// never retried; `now` dates a `Retry-After` given as an HTTP date.
    ///
    /// `may_follow_redirects`: the HTTP client may follow redirects, so a
    /// failure to connect may be one to where a redirect pointed, after
    /// the request reached the API (reqwest reports it with the request's
    /// own URL): it no longer proves that the request never left.
    pub(crate) fn next_delay(
        &self,
        attempt: u32,
        method: &Method,
        redirected: bool,
        outcome: &reqwest::Result<reqwest::Response>,
        now: SystemTime,
        may_follow_redirects: bool,
    ) -> Option<Duration> {
        if attempt > self.max_retries || redirected {
            return None;
        }
        let idempotent = is_idempotent(method);
        let retryable = match outcome {
            Ok(response) => match response.status() {
                StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE => true,
                StatusCode::BAD_GATEWAY | StatusCode::GATEWAY_TIMEOUT => idempotent,
                _ => false,
            },
            // Not made: sending it again makes it no better.
            Err(e) if e.is_builder() => false,
            // Only a failure to connect says the request never left.
            Err(e) => (e.is_connect() && !may_follow_redirects) || idempotent,
        };
        if !retryable {
            return None;
        }
        let asked = match outcome {
            Ok(response) => retry_after(response.headers(), now),
            Err(_) => RetryAfter::Absent,
        };
        match asked {
            RetryAfter::Unfit => None,
            RetryAfter::Wait(wait) if wait > self.max_retry_after.min(Self::LONGEST_DELAY) => None,
            RetryAfter::Wait(wait) => Some(wait),
            RetryAfter::Absent => Some(self.backoff(attempt)),
        }
    }

    /// The jittered exponential wait before retry number `attempt` (1-based).
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        let exponent = attempt.saturating_sub(1).min(31);
        let full = self
            .initial_backoff
            .saturating_mul(1u32 << exponent)
            .min(self.max_backoff)
            .min(Self::LONGEST_DELAY);
        let half = full / 2;
        let spread = (full - half).as_nanos() as u64;
        let jitter = if spread == 0 {
            0
        } else {
            random_u64() % (spread + 1)
        };
        half + Duration::from_nanos(jitter)
    }
}

fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
    )
}

/// What a `Retry-After` header says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RetryAfter {
    /// There is none.
    Absent,
    /// Wait this long (an HTTP date in the past: no wait).
    Wait(Duration),
    /// It cannot be read, or does not fit: counted as longer than any cap.
    Unfit,
}

impl RetryAfter {
    /// The delay to report to the caller, at most
    /// [`RetryPolicy::LONGEST_DELAY`]; none for an unreadable one.
    pub(crate) fn reported(self) -> Option<Duration> {
        match self {
            RetryAfter::Wait(wait) => Some(wait.min(RetryPolicy::LONGEST_DELAY)),
            RetryAfter::Absent | RetryAfter::Unfit => None,
        }
    }
}

/// A `Retry-After` value: whole seconds or an HTTP date (relative to `now`).
pub(crate) fn retry_after(headers: &reqwest::header::HeaderMap, now: SystemTime) -> RetryAfter {
    let Some(value) = headers.get(reqwest::header::RETRY_AFTER) else {
        return RetryAfter::Absent;
    };
    let Ok(value) = value.to_str() else {
        return RetryAfter::Unfit;
    };
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return match value.parse::<u64>() {
            Ok(seconds) => RetryAfter::Wait(Duration::from_secs(seconds)),
            Err(_) => RetryAfter::Unfit,
        };
    }
    match httpdate::parse_http_date(value) {
        Ok(when) => RetryAfter::Wait(when.duration_since(now).unwrap_or(Duration::ZERO)),
        Err(_) => RetryAfter::Unfit,
    }
}

/// A random number for jitter; std's hasher keys are randomly seeded.
fn random_u64() -> u64 {
    let mut hasher = std::hash::RandomState::new().build_hasher();
    hasher.write_u64(
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0),
    );
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::Url;
    use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};

    #[test]
    fn backoff_grows_and_stays_within_bounds() {
        let policy = RetryPolicy::new()
            .with_initial_backoff(Duration::from_millis(100))
            .with_max_backoff(Duration::from_millis(1000));
        for _ in 0..200 {
            let first = policy.backoff(1);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
            let third = policy.backoff(3);
            assert!(third >= Duration::from_millis(200) && third <= Duration::from_millis(400));
            let capped = policy.backoff(30);
            assert!(capped >= Duration::from_millis(500) && capped <= Duration::from_millis(1000));
        }
    }

    #[test]
    fn jitter_varies() {
        let policy = RetryPolicy::new().with_initial_backoff(Duration::from_secs(1));
        let waits: std::collections::HashSet<_> = (0..50).map(|_| policy.backoff(1)).collect();
        assert!(waits.len() > 1, "jitter produced one value only");
    }

    const SENT: &str = "http://127.0.0.1:9/v2/x";

    fn sent() -> Url {
        Url::parse(SENT).unwrap()
    }

    fn now() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
    }

    fn response(status: u16, retry_after: Option<&str>) -> reqwest::Result<reqwest::Response> {
        use reqwest::ResponseBuilderExt as _;
        let mut builder = http::Response::builder().status(status).url(sent());
        if let Some(value) = retry_after {
            builder = builder.header(RETRY_AFTER, value);
        }
        Ok(reqwest::Response::from(builder.body("").unwrap()))
    }

    fn delay(
        policy: &RetryPolicy,
        attempt: u32,
        method: Method,
        outcome: reqwest::Result<reqwest::Response>,
    ) -> Option<Duration> {
        let redirected = crate::redirect::redirected(&sent(), &outcome);
        policy.next_delay(attempt, &method, redirected, &outcome, now(), false)
    }

    #[test]
    fn which_outcomes_are_retried_for_which_methods() {
        let policy = RetryPolicy::new();
        let cases = [
            (Method::POST, 429, true),
            (Method::POST, 503, true),
            (Method::POST, 502, false),
            (Method::POST, 504, false),
            (Method::PATCH, 504, false),
            (Method::GET, 502, true),
            (Method::GET, 504, true),
            (Method::DELETE, 503, true),
            (Method::PUT, 502, true),
            (Method::GET, 500, false),
            (Method::GET, 404, false),
            (Method::GET, 200, false),
            (Method::GET, 303, false),
            (Method::GET, 307, false),
        ];
        for (method, status, retried) in cases {
            let decision = delay(&policy, 1, method.clone(), response(status, None));
            assert_eq!(decision.is_some(), retried, "{method} {status}");
        }
    }

    #[test]
    fn an_answer_from_another_url_or_an_unbuilt_request_is_not_retried() {
        use reqwest::ResponseBuilderExt as _;
        let policy = RetryPolicy::new();
        let elsewhere = http::Response::builder()
            .status(503)
            .url(Url::parse("http://127.0.0.1:1/y").unwrap())
            .body("")
            .unwrap();
        let outcome = Ok(reqwest::Response::from(elsewhere));
        assert_eq!(delay(&policy, 1, Method::GET, outcome), None);
        let unbuilt = crate::http_client::http_client_builder()
            .unwrap()
            .build()
            .unwrap()
            .get("http://[::1")
            .build()
            .map(|_| ())
            .unwrap_err();
        assert!(unbuilt.is_builder());
        assert_eq!(delay(&policy, 1, Method::GET, Err(unbuilt)), None);
    }

    #[tokio::test]
    async fn a_failed_connect_is_retried_for_a_post_only_without_redirects() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/x", listener.local_addr().unwrap());
        drop(listener);
        let http = crate::http_client::http_client_builder()
            .unwrap()
            .build()
            .unwrap();
        let refused = http.post(&url).send().await;
        assert!(refused.as_ref().is_err_and(|e| e.is_connect()));
        let sent = Url::parse(&url).unwrap();
        let policy = RetryPolicy::new();
        let redirected = crate::redirect::redirected(&sent, &refused);
        let decide =
            |follows| policy.next_delay(1, &Method::POST, redirected, &refused, now(), follows);
        assert!(decide(false).is_some(), "never left: retried");
        assert_eq!(
            decide(true),
            None,
            "may have reached the API through a redirect"
        );
        let get = policy.next_delay(1, &Method::GET, redirected, &refused, now(), true);
        assert!(get.is_some(), "idempotent: retried either way");
    }

    #[test]
    fn attempts_are_bounded_and_retry_after_is_capped() {
        let policy = RetryPolicy::new()
            .with_max_retries(2)
            .with_max_retry_after(Duration::from_secs(5));
        assert!(delay(&policy, 2, Method::POST, response(429, None)).is_some());
        assert!(delay(&policy, 3, Method::POST, response(429, None)).is_none());
        assert_eq!(
            delay(&policy, 1, Method::POST, response(429, Some("4"))),
            Some(Duration::from_secs(4))
        );
        assert_eq!(
            delay(&policy, 1, Method::POST, response(429, Some("6"))),
            None
        );
        assert!(
            delay(
                &RetryPolicy::disabled(),
                1,
                Method::GET,
                response(503, None)
            )
            .is_none()
        );
    }

    /// A value that cannot be read or does not fit counts as longer than
    /// the cap: the answer is returned at once instead of being retried
    /// on the computed backoff.
    #[test]
    fn an_unreadable_or_unfit_retry_after_is_not_waited_for() {
        let policy = RetryPolicy::new().with_max_retry_after(Duration::MAX);
        for value in [
            "99999999999999999999999",
            "-5",
            "1.5",
            "+5",
            "soon",
            "",
            "5 s",
        ] {
            for status in [429, 503] {
                assert_eq!(
                    delay(&policy, 1, Method::GET, response(status, Some(value))),
                    None,
                    "{status} with Retry-After {value:?}"
                );
            }
        }
        // A huge but readable value is past any cap, the cap set to "no limit" included.
        let huge = u64::MAX.to_string();
        assert_eq!(
            delay(&policy, 1, Method::GET, response(429, Some(&huge))),
            None
        );
    }

    #[test]
    fn every_delay_handed_out_is_at_most_a_day() {
        let policy = RetryPolicy::new()
            .with_initial_backoff(Duration::MAX)
            .with_max_backoff(Duration::MAX)
            .with_max_retry_after(Duration::MAX);
        assert!(policy.backoff(40) <= RetryPolicy::LONGEST_DELAY);
        assert!(
            delay(&policy, 1, Method::GET, response(503, None)).unwrap()
                <= RetryPolicy::LONGEST_DELAY
        );
        let two_days = (2 * 24 * 3600).to_string();
        assert_eq!(
            delay(&policy, 1, Method::GET, response(503, Some(&two_days))),
            None
        );
        let mut headers = HeaderMap::new();
        headers.insert(
            RETRY_AFTER,
            HeaderValue::from_str(&u64::MAX.to_string()).unwrap(),
        );
        let reported = retry_after(&headers, now()).reported().unwrap();
        assert_eq!(reported, RetryPolicy::LONGEST_DELAY);
        let _ = std::time::Instant::now() + reported;
        let far =
            httpdate::fmt_http_date(SystemTime::UNIX_EPOCH + Duration::from_secs(253_000_000_000));
        headers.insert(RETRY_AFTER, HeaderValue::from_str(&far).unwrap());
        assert_eq!(
            retry_after(&headers, now()).reported(),
            Some(RetryPolicy::LONGEST_DELAY)
        );
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = now();
        let mut headers = HeaderMap::new();
        assert_eq!(retry_after(&headers, now), RetryAfter::Absent);
        headers.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(
            retry_after(&headers, now),
            RetryAfter::Wait(Duration::from_secs(7))
        );
        let later = httpdate::fmt_http_date(now + Duration::from_secs(12));
        headers.insert(RETRY_AFTER, HeaderValue::from_str(&later).unwrap());
        assert_eq!(
            retry_after(&headers, now),
            RetryAfter::Wait(Duration::from_secs(12))
        );
        let past = httpdate::fmt_http_date(now - Duration::from_secs(12));
        headers.insert(RETRY_AFTER, HeaderValue::from_str(&past).unwrap());
        assert_eq!(retry_after(&headers, now), RetryAfter::Wait(Duration::ZERO));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers, now), RetryAfter::Unfit);
        assert_eq!(RetryAfter::Unfit.reported(), None);
    }
}
