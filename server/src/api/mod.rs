//! The integration API for other systems (`/api/v1/`): the lab feed creates
//! cases, the national tracing tool reads validated contact lists. Machine
//! clients: an API key (`Authorization: Bearer …`) instead of a session, no
//! browser origin check (see `http::security::is_machine_api`), and every
//! error as JSON `{"error": code, "message": text}`. Handlers stay thin:
//! parse → core → store → map errors.
//!
//! This file puts the routes together (each handler in its own module, its
//! errors as [`ApiError`]), with the API's body limit and its fallbacks.

pub mod error;
pub mod export;
pub mod intake;
pub mod keys;
pub mod openapi;
pub mod sms_inbound;
pub mod support;

pub use error::ApiError;
pub use intake::MAX_API_BODY_BYTES;

use crate::http::AppState;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::any;
use axum::Router;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Every API route with its description: the only way routes are added,
/// so that none is served without being in the document.
pub fn documented() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .routes(routes!(intake::post_cases))
        .routes(routes!(export::case_contacts))
        .routes(routes!(export::contacts_since))
        .routes(routes!(support::nurse_visits))
        .routes(routes!(openapi::openapi_json))
        // An SMS is a few hundred bytes: its route refuses a body over
        // 64 KiB before reading it (the other routes take batches).
        .merge(
            OpenApiRouter::new()
                .routes(routes!(sms_inbound::receive))
                .layer(DefaultBodyLimit::max(sms_inbound::MAX_BODY_BYTES)),
        )
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
         GET /api/v1/cases/{case_reference}/contacts, GET /api/v1/contacts, \
         GET /api/v1/support-requests)",
    )
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this endpoint does not accept this method",
    )
}
