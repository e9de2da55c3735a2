//! The client: hand-written calls plus access to every generated operation.

use std::sync::Arc;

use crate::generated::Client as GeneratedClient;
#[cfg(upstash_api_restore_backup)]
use crate::resource_id;
use crate::{ClientBuilder, Credentials, Error};

/// An authenticated client for the Upstash Developer API.
///
/// Cheap to clone: a clone is one reference count, and clones share one
/// connection pool and configuration, so give each task its own. Build it
/// with [`Client::builder`] or [`Client::from_environment`].
#[derive(Clone, Debug)]
pub struct Client {
    /// Everything else (credentials included) is the generated client's
    /// [`Transport`](crate::transport::Transport).
    api: Arc<GeneratedClient>,
}

impl Client {
    /// A builder with every setting at its default.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment alone (credentials,
    /// `UPSTASH_API_URL`), with default timeouts and retries.
    pub fn from_environment() -> Result<Client, Error> {
        Client::builder().build()
    }

    pub(crate) fn from_generated(api: GeneratedClient) -> Client {
        Client { api: Arc::new(api) }
    }

    /// The generated client, with every operation in the spec as a method
    /// (builder style: `client.api().restore_backup().id(..).body(..).send()`).
    ///
    /// Requests made through it carry the same auth, user agent, timeout,
    /// retries and tracing as the hand-written methods, and `?` turns its
    /// errors into [`Error`].
    pub fn api(&self) -> &GeneratedClient {
        &self.api
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        progenitor_client::ClientInfo::baseurl(&*self.api)
    }

    /// The account the client acts for (the email, and where the key came from).
    pub fn credentials(&self) -> &Credentials {
        &progenitor_client::ClientInfo::inner(&*self.api).credentials
    }

    /// Restores the database `db_id` from its backup `backup_id`
    /// (`POST /redis/restore-backup/{id}`).
    ///
    /// This overwrites the database's current data. Empty or blank IDs, and
    /// a `db_id` that cannot be a single path segment (`.`, `..`, one with
    /// `\`), are rejected before any request is sent. Any 2xx answer is
    /// success, whatever its body. A failure that may have reached the API
    /// (timeout, 502, 504, broken connection) is not retried, so a restore is
    /// never repeated behind your back; see [`RetryPolicy`](crate::RetryPolicy).
    ///
    /// This is the generated operation, which checks its path parameter the
    /// same way, with the backup ID checked too and errors that name the
    /// IDs: it behaves as `client.api().restore_backup()...send().await?`
    /// does.
    ///
    /// Present when the spec the crate is generated from has the
    /// `restoreBackup` operation in the shape this method calls (the
    /// vendored `openapi.yml` does; README, "Generating from a spec of your
    /// choosing").
    // Built only then (`cfg` set by build.rs), so the crate compiles for a
    // spec without the operation. The body goes through its builder, never
    // a struct literal, so a field the spec adds to it breaks nothing here;
    // nor is the body type named, which a spec may name otherwise (`$ref`).
    #[cfg(upstash_api_restore_backup)]
    pub async fn restore_backup(&self, db_id: &str, backup_id: &str) -> Result<(), Error> {
        let db_id = resource_id::path_segment(db_id, "database ID")?;
        let backup_id = resource_id::non_blank(backup_id, "backup ID")?;
        self.api()
            .restore_backup()
            .id(db_id)
            .body_map(|body| body.backup_id(backup_id))
            .send()
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Environment;

    #[test]
    fn clones_share_one_configuration_and_the_client_crosses_threads() {
        fn crosses_threads<T: Send + Sync + 'static>() {}
        crosses_threads::<Client>();

        let client = Client::builder()
            .environment(Environment::empty())
            .credentials(Credentials::new("me@example.com", "key"))
            .base_url("http://127.0.0.1:9/v2")
            .build()
            .expect("a complete configuration builds");
        let clone = client.clone();
        assert!(Arc::ptr_eq(&client.api, &clone.api));
        assert_eq!(clone.base_url(), "http://127.0.0.1:9/v2");
        assert_eq!(clone.credentials().email(), "me@example.com");
    }
}
