//! `GET /api/v1/openapi.json`: the integration API's OpenAPI 3.1 document,
//! generated from the handlers' `#[utoipa::path]` annotations and the types
//! they exchange. Routes are registered through [`super::documented`] only,
//! so that a route cannot be served without being described.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

/// An error of the API, as every 4xx and 5xx answers it.
#[derive(Debug, Clone, serde::Serialize, ToSchema)]
pub struct ErrorBody {
    /// A machine code (`missing_key`, `invalid_json`, `case_not_found`…).
    pub error: String,
    /// What to correct, in English. Never a key or personal data.
    pub message: String,
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Relais integration API",
        version = "1",
        description = "Cases from the lab feed, validated contact lists for the national \
            tracing tool, nurse-visit requests for the nurses' platform, SMS replies from the \
            gateway. Authenticated with an API key \
            (`relais apikey add NAME --rights intake,export,support`) sent as \
            `Authorization: Bearer <key>`, except the gateway's inbound route, which is \
            signed. Errors are JSON `{\"error\": code, \"message\": text}`."
    ),
    modifiers(&ApiKeyScheme),
    tags(
        (name = "intake", description = "Cases from the lab feed (right `intake`)"),
        (name = "export", description = "Validated contact lists (right `export`)"),
        (name = "support", description = "Nurse-visit requests shared with the support cells (right `support`)"),
        (name = "sms", description = "The SMS gateway's inbound messages (signed, no API key)"),
        (name = "meta", description = "This document")
    )
)]
pub struct ApiDoc;

/// The bearer API key, declared once and required by the operations that
/// name it.
struct ApiKeyScheme;

impl Modify for ApiKeyScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme(
                "api_key",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
    }
}

/// The document, written once when the router is built.
static DOCUMENT: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Keeps the document to serve.
pub fn publish(document: &utoipa::openapi::OpenApi) {
    let _ = DOCUMENT.set(document.to_pretty_json().unwrap_or_default());
}

/// This document.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "meta",
    responses((status = 200, description = "The OpenAPI document of this API", content_type = "application/json"))
)]
pub async fn openapi_json() -> impl axum::response::IntoResponse {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        DOCUMENT.get().cloned().unwrap_or_default(),
    )
}
