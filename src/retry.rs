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
/// so the caller decides. [`RetryPolicy::disabled`] turns retries off.
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
    /// `outcome`, and if so after how long.
    pub(crate) fn next_delay(
        &self,
        attempt: u32,
        method: &Method,
        outcome: &reqwest::Result<reqwest::Response>,
    ) -> Option<Duration> {
        if attempt > self.max_retries {
            return None;
        }
        let idempotent = is_idempotent(method);
        let retryable = match outcome {
            Ok(response) => match response.status() {
                StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE => true,
                StatusCode::BAD_GATEWAY | StatusCode::GATEWAY_TIMEOUT => idempotent,
                _ => false,
            },
            Err(e) => e.is_connect() || idempotent,
        };
        if !retryable {
            return None;
        }
        let asked = outcome
            .as_ref()
            .ok()
            .and_then(|r| retry_after(r.headers(), SystemTime::now()));
        match asked {
            Some(wait) if wait > self.max_retry_after => None,
            Some(wait) => Some(wait),
            None => Some(self.backoff(attempt)),
        }
    }

    /// The jittered exponential wait before retry number `attempt` (1-based).
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        let exponent = attempt.saturating_sub(1).min(31);
        let full = self
            .initial_backoff
            .saturating_mul(1u32 << exponent)
            .min(self.max_backoff);
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

/// A `Retry-After` value: whole seconds or an HTTP date (relative to `now`).
pub(crate) fn retry_after(
    headers: &reqwest::header::HeaderMap,
    now: SystemTime,
) -> Option<Duration> {
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
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

    fn response(status: u16, retry_after: Option<&str>) -> reqwest::Result<reqwest::Response> {
        let mut builder = http::Response::builder().status(status);
        if let Some(value) = retry_after {
            builder = builder.header(RETRY_AFTER, value);
        }
        Ok(reqwest::Response::from(builder.body("").unwrap()))
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
        ];
        for (method, status, retried) in cases {
            let decision = policy.next_delay(1, &method, &response(status, None));
            assert_eq!(decision.is_some(), retried, "{method} {status}");
        }
    }

    #[test]
    fn attempts_are_bounded_and_retry_after_is_capped() {
        let policy = RetryPolicy::new()
            .with_max_retries(2)
            .with_max_retry_after(Duration::from_secs(5));
        assert!(
            policy
                .next_delay(2, &Method::POST, &response(429, None))
                .is_some()
        );
        assert!(
            policy
                .next_delay(3, &Method::POST, &response(429, None))
                .is_none()
        );
        assert_eq!(
            policy.next_delay(1, &Method::POST, &response(429, Some("4"))),
            Some(Duration::from_secs(4))
        );
        assert_eq!(
            policy.next_delay(1, &Method::POST, &response(429, Some("6"))),
            None
        );
        assert!(
            RetryPolicy::disabled()
                .next_delay(1, &Method::GET, &response(503, None))
                .is_none()
        );
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(7)));
        let later = httpdate::fmt_http_date(now + Duration::from_secs(12));
        headers.insert(RETRY_AFTER, HeaderValue::from_str(&later).unwrap());
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(12)));
        let past = httpdate::fmt_http_date(now - Duration::from_secs(12));
        headers.insert(RETRY_AFTER, HeaderValue::from_str(&past).unwrap());
        assert_eq!(retry_after(&headers, now), Some(Duration::ZERO));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers, now), None);
    }
}
