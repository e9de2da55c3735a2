//! The client: hand-written calls plus access to every generated operation.

use progenitor_client::ResponseValue;

use crate::generated::{Client as GeneratedClient, types};
use crate::transport::with_final_status;
use crate::{ClientBuilder, Credentials, Error, resource_id, response_body, retry};

/// An authenticated client for the Upstash Developer API.
///
/// Cheap to clone (clones share one connection pool). Build it with
/// [`Client::builder`] or [`Client::from_environment`].
#[derive(Clone, Debug)]
pub struct Client {
    api: GeneratedClient,
    credentials: Credentials,
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

    pub(crate) fn from_parts(api: GeneratedClient, credentials: Credentials) -> Client {
        Client { api, credentials }
    }

    /// The generated client, with every operation in the spec as a method
    /// (builder style: `client.api().restore_backup().id(..).body(..).send()`).
    ///
    /// Requests made through it carry the same auth, user agent, timeout,
    /// retries and tracing as the hand-written methods. Turn its errors into
    /// [`Error`] with [`Client::error_from_generated`].
    pub fn api(&self) -> &GeneratedClient {
        &self.api
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        progenitor_client::ClientInfo::baseurl(&self.api)
    }

    /// The account the client acts for (the email, and where the key came from).
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
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
    pub async fn restore_backup(&self, db_id: &str, backup_id: &str) -> Result<(), Error> {
        let db_id = resource_id::path_segment(db_id, "database ID")?;
        let backup_id = resource_id::non_blank(backup_id, "backup ID")?;
        let body = types::RestoreBackupBody {
            backup_id: backup_id.to_string(),
        };
        // Boxed once here so the large generated future is not copied as it
        // moves through the task-local scope (measured: benches/call_overhead.rs).
        let call = Box::pin(self.api.restore_backup().id(db_id).body(body).send());
        match with_final_status(call).await {
            (Ok(_), _) => Ok(()),
            // The documented body is the JSON string "OK"; an unquoted OK, an
            // empty body or any other value still means the restore happened.
            (Err(progenitor_client::Error::InvalidResponsePayload(..)), Some(status))
                if (200..300).contains(&status) =>
            {
                Ok(())
            }
            (Err(progenitor_client::Error::UnexpectedResponse(response)), _)
                if response.status().is_success() =>
            {
                Ok(())
            }
            // The 2xx status line arrived, so the restore was carried out: a
            // body that then breaks off or trickles past the timeout does not
            // undo it, and reporting an error would invite a repeat.
            (Err(progenitor_client::Error::ResponseBodyError(_)), Some(status))
                if (200..300).contains(&status) =>
            {
                Ok(())
            }
            (Err(e), status) => {
                Err(self.redacted(Error::from_generated_with_status(e, status).await))
            }
        }
    }

    /// Turns an error from an operation of the [generated client](Client::api)
    /// into an [`Error`]: the API's message is read from (a bounded part of)
    /// the response body, and this client's credentials are removed from it
    /// should the server echo them.
    pub async fn error_from_generated<E: serde::Serialize>(
        &self,
        error: progenitor_client::Error<E>,
    ) -> Error {
        self.redacted(Error::from_generated(error).await)
    }

    /// A server may echo the credentials it was sent in its message.
    fn redacted(&self, error: Error) -> Error {
        error.redact_server_text(|text| self.credentials.redact(text))
    }
}

impl Error {
    /// Turns an error from a generated operation into an [`Error`], reading
    /// (a bounded part of) an error response's body for the API's message.
    ///
    /// Prefer [`Client::error_from_generated`], which also removes the
    /// client's credentials from text a server echoes back.
    pub async fn from_generated<E: serde::Serialize>(error: progenitor_client::Error<E>) -> Error {
        Error::from_generated_with_status(error, None).await
    }

    async fn from_generated_with_status<E: serde::Serialize>(
        error: progenitor_client::Error<E>,
        status: Option<u16>,
    ) -> Error {
        use progenitor_client::Error as Generated;
        match error {
            Generated::InvalidRequest(message) => Error::InvalidInput { message },
            Generated::Custom(message) => Error::InvalidInput { message },
            Generated::CommunicationError(e) | Generated::InvalidUpgrade(e) => {
                Error::from_reqwest(e)
            }
            Generated::ResponseBodyError(e) => match Error::from_reqwest(e) {
                Error::Transport(e) => Error::UnreadableResponse {
                    status,
                    reason: format!("the body broke off: {e}"),
                },
                other => other,
            },
            Generated::InvalidResponsePayload(_, e) => Error::UnreadableResponse {
                status,
                reason: format!("the body is not the documented JSON ({e})"),
            },
            Generated::ErrorResponse(value) => documented_error(value),
            Generated::UnexpectedResponse(response) => {
                let status = response.status().as_u16();
                if response.status().is_success() {
                    return Error::UnreadableResponse {
                        status: Some(status),
                        reason: "the status is not one the spec documents for this operation"
                            .into(),
                    };
                }
                let retry_after =
                    retry::retry_after(response.headers(), std::time::SystemTime::now());
                let body = response_body::read_bounded(response).await;
                Error::from_status(status, response_body::error_message(&body), retry_after)
            }
        }
    }
}

fn documented_error<E: serde::Serialize>(value: ResponseValue<E>) -> Error {
    let status = value.status().as_u16();
    let retry_after = retry::retry_after(value.headers(), std::time::SystemTime::now());
    let message = serde_json::to_vec(&value.into_inner())
        .ok()
        .and_then(|body| response_body::error_message(&body));
    Error::from_status(status, message, retry_after)
}
