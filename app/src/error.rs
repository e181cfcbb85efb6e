//! The one error type of the server functions, [`AppError`]: why a request
//! got no answer, in words a page can show. A store failure becomes
//! [`AppError::Unavailable`] (or `NotFound`/`Conflict` when that is what it
//! means) through `From<StoreError>`, which logs the failure and its source
//! chain once, without personal data (store errors never carry any).
//!
//! The HTTP status of a refusal is set where the refusal is decided (the
//! staff check sets 401/403, a missing case 404), so that a server-rendered
//! page and a form post answer the same status as before this type existed.

use serde::{Deserialize, Serialize};
use server_fn_error::{FromServerFnError, JsonEncoding, ServerFnErrorErr};

/// The error types of `server_fn` this module builds on, under one name.
mod server_fn_error {
    pub use leptos::server_fn::codec::JsonEncoding;
    pub use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
}

/// Why a server function did not answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// No live session (staff or case): sign in or open the SMS link again.
    #[error("signed out")]
    SignedOut,
    /// Signed in, but the role does not allow it.
    #[error("forbidden")]
    Forbidden,
    /// What the request names does not exist (or not for this person).
    #[error("not found")]
    NotFound,
    /// Someone else changed or holds it first.
    #[error("conflict")]
    Conflict,
    /// The service could not answer (database down, request cancelled, a
    /// failed internal task); the person may try again later.
    #[error("service unavailable")]
    Unavailable,
    /// The request could not be read (a malformed form or body).
    #[error("bad request")]
    BadRequest,
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_)
            | ServerFnErrorErr::UnsupportedRequestMethod(_) => AppError::BadRequest,
            _ => AppError::Unavailable,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<relais_store::StoreError> for AppError {
    fn from(e: relais_store::StoreError) -> Self {
        use relais_store::StoreError;
        tracing::error!(error = %error_chain(&e), "store failed");
        match e {
            StoreError::NotFound(_) => AppError::NotFound,
            StoreError::AlreadyExists(_) => AppError::Conflict,
            _ => AppError::Unavailable,
        }
    }
}

impl AppError {
    /// The HTTP status this error answers with.
    #[cfg(feature = "ssr")]
    pub fn status(self) -> http::StatusCode {
        use http::StatusCode;
        match self {
            AppError::SignedOut => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Conflict => StatusCode::CONFLICT,
            AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            AppError::BadRequest => StatusCode::BAD_REQUEST,
        }
    }

    /// Sets this error's status on the response being built (the server
    /// function's, or the page's when rendered on the server) and returns
    /// the error, for `return Err(AppError::Forbidden.answer())`.
    #[cfg(feature = "ssr")]
    pub fn answer(self) -> Self {
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(self.status());
        }
        self
    }
}

/// An error and its sources, `outer: inner: innermost`, for the log.
#[cfg(feature = "ssr")]
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(inner) = source {
        let inner_text = inner.to_string();
        // thiserror's `#[error("…: {0}")]` already shows the source.
        if !text.ends_with(&inner_text) {
            text.push_str(": ");
            text.push_str(&inner_text);
        }
        source = inner.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_the_server_fn_encoding() {
        for e in [
            AppError::SignedOut,
            AppError::Forbidden,
            AppError::NotFound,
            AppError::Conflict,
            AppError::Unavailable,
            AppError::BadRequest,
        ] {
            assert_eq!(AppError::de(e.ser()), e);
        }
    }

    #[test]
    fn a_transport_failure_is_unavailable_and_bad_input_a_bad_request() {
        assert_eq!(
            AppError::from_server_fn_error(ServerFnErrorErr::Request("reset".into())),
            AppError::Unavailable
        );
        assert_eq!(
            AppError::from_server_fn_error(ServerFnErrorErr::Args("day".into())),
            AppError::BadRequest
        );
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn store_errors_map_to_what_they_mean() {
        use relais_store::StoreError;
        assert_eq!(
            AppError::from(StoreError::NotFound("case")),
            AppError::NotFound
        );
        assert_eq!(
            AppError::from(StoreError::AlreadyExists("staff account")),
            AppError::Conflict
        );
        assert_eq!(
            AppError::from(StoreError::Internal("task cancelled".into())),
            AppError::Unavailable
        );
        assert_eq!(
            AppError::from(StoreError::Corrupt("cases.sample_date")),
            AppError::Unavailable
        );
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn the_chain_names_every_source_once() {
        let io = std::io::Error::other("disk full");
        let e = relais_store::StoreError::Directory {
            path: "/var/lib/relais".into(),
            source: io,
        };
        let text = error_chain(&e);
        assert_eq!(text.matches("disk full").count(), 1, "{text}");
    }
}
