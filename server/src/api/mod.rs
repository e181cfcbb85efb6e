//! The integration API for other systems (`/api/v1/`): the lab feed creates
//! cases, the national tracing tool reads validated contact lists. Machine
//! clients: an API key (`Authorization: Bearer …`) instead of a session, no
//! browser origin check (see `http::security::is_machine_api`), and every
//! error as JSON `{"error": code, "message": text}`. Handlers stay thin:
//! parse → core → store → map errors.

pub mod export;
pub mod intake;
pub mod keys;
pub mod openapi;

use crate::http::AppState;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::{Json, Router};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Largest request body of the API: a batch of [`relais::intake::MAX_BATCH`]
/// cases of a few hundred bytes each, with room to spare.
pub const MAX_API_BODY_BYTES: usize = 16 * 1024 * 1024;

/// Every API route with its description: the only way routes are added,
/// so that none is served without being in the document.
pub fn documented() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .routes(routes!(intake::post_cases))
        .routes(routes!(export::case_contacts))
        .routes(routes!(export::contacts_since))
        .routes(routes!(crate::sms::inbound::receive))
        .routes(routes!(openapi::openapi_json))
}

/// The API's routes. Merged by the router after its page-sized body limit,
/// so that a batch may be larger than a form post.
pub fn router() -> Router<AppState> {
    let (routes, document) = documented().split_for_parts();
    openapi::publish(&document);
    routes
        .route("/api/v1/{*rest}", any(not_found))
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_API_BODY_BYTES))
}

async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "no such API endpoint (see the README: POST /api/v1/cases, \
         GET /api/v1/cases/{case_reference}/contacts, GET /api/v1/contacts)",
    )
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this endpoint does not accept this method",
    )
}

/// An API error: its status, a machine code and a message. Messages never
/// carry keys or personal data.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, code, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = openapi::ErrorBody {
            error: self.code.to_owned(),
            message: self.message,
        };
        let mut response = (self.status, Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}

impl From<relais_store::StoreError> for ApiError {
    fn from(e: relais_store::StoreError) -> ApiError {
        tracing::error!(error = %e, "api: store failed");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the request could not be completed; try again later",
        )
    }
}
