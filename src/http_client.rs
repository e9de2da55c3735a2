//! The HTTP client the SDK creates: reqwest over rustls with the `ring`
//! provider and the platform's trust store.
//!
//! `ring` is chosen over rustls' default `aws-lc-rs` for build time (no
//! CMake, a fraction of the compile) and is handed to each client, never
//! installed as a process-wide default, so it cannot clash with the
//! application's own choice.

use std::sync::Arc;

use crate::Error;

/// A `reqwest::ClientBuilder` with the SDK's TLS setup, to customise (proxy,
/// pool, extra roots) and pass to [`ClientBuilder::http_client`](crate::ClientBuilder::http_client).
///
/// Use it rather than `reqwest::Client::builder()`: this crate builds
/// reqwest without a default crypto provider, so a plain reqwest builder
/// only works when something else in your program enables one.
///
/// It follows no redirects (`reqwest::redirect::Policy::none()`); keep it
/// that way (see [`ClientBuilder::http_client`](crate::ClientBuilder::http_client)).
pub fn http_client_builder() -> Result<reqwest::ClientBuilder, Error> {
    Ok(reqwest::Client::builder()
        .tls_backend_preconfigured(tls_config()?)
        .redirect(reqwest::redirect::Policy::none()))
}

/// A rustls client configuration that verifies servers with the OS's roots.
fn tls_config() -> Result<rustls::ClientConfig, Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls_error = |e: rustls::Error| Error::Configuration {
        message: format!("cannot set up TLS: {e}"),
    };
    let verifier = rustls_platform_verifier::Verifier::new(provider.clone()).map_err(tls_error)?;
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(tls_error)?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    Ok(config)
}

/// Whether `client` may follow redirects: unless its settings say
/// `Policy::none()`. reqwest exposes the policy only in `Debug`
/// (`redirect_policy: "Policy(None)"`, printed when it is not the default);
/// should that text change, every client given is taken to follow them,
/// which costs retries of failed connects for `POST`s, never a repeat.
pub(crate) fn may_follow_redirects(client: &reqwest::Client) -> bool {
    !format!("{client:?}").contains("redirect_policy: \"Policy(None)\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_without_redirects_is_told_from_one_with_them() {
        let none = http_client_builder().unwrap().build().unwrap();
        assert!(!may_follow_redirects(&none));
        for policy in [
            reqwest::redirect::Policy::default(),
            reqwest::redirect::Policy::limited(3),
            reqwest::redirect::Policy::custom(|attempt| attempt.stop()),
        ] {
            let client = http_client_builder()
                .unwrap()
                .redirect(policy)
                .build()
                .unwrap();
            assert!(may_follow_redirects(&client));
        }
    }
}
