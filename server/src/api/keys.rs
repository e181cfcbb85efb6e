//! API keys on requests: `Authorization: Bearer <key>`. Missing, unknown or
//! revoked → 401; a key without the right the route needs → 403. The key is
//! never logged; the key's name is (it is not a secret).

use super::ApiError;
use axum::http::{header, HeaderMap, StatusCode};
use relais_store::api_keys::{authenticate, ApiKey, ApiRight};
use relais_store::Db;

/// The key presented with the request, if it is in force and has `right`.
pub async fn require(db: &Db, headers: &HeaderMap, right: ApiRight) -> Result<ApiKey, ApiError> {
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|k| !k.is_empty());
    let Some(presented) = presented else {
        return Err(unauthorized(
            "missing_key",
            "an API key is required: Authorization: Bearer <key>",
        ));
    };
    let Some(key) = authenticate(db, presented).await? else {
        tracing::warn!("api: unknown or revoked key refused");
        return Err(unauthorized(
            "invalid_key",
            "this API key is unknown or was revoked",
        ));
    };
    if !key.has(right) {
        tracing::warn!(key = %key.name, right = right.as_str(), "api: key without the right refused");
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            format!("this API key does not have the {} right", right.as_str()),
        ));
    }
    Ok(key)
}

fn unauthorized(code: &'static str, message: &str) -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, code, message)
}
