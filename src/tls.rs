//! The TLS setup: rustls with the `ring` provider and the platform's trust store.
//!
//! `ring` is chosen over rustls' default `aws-lc-rs` for build time (no
//! CMake, a fraction of the compile) and installed per client, never as a
//! process-wide default, so it cannot clash with the application's choice.

use std::sync::Arc;

use crate::Error;

/// A rustls client configuration that verifies servers with the OS's roots.
pub(crate) fn client_config() -> Result<rustls::ClientConfig, Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls_error = |e: rustls::Error| Error::Configuration {
        message: format!("cannot set up TLS: {e}"),
    };
    let verifier =
        rustls_platform_verifier::Verifier::new(provider.clone()).map_err(tls_error)?;
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(tls_error)?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    Ok(config)
}
