//! `GET /healthz` for load balancers: 200 when the database answers, 503
//! otherwise.

use super::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

pub async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let reachable = state.db.is_reachable().await;
    let status = if reachable {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        status,
        Json(json!({
            "status": if reachable { "ok" } else { "unavailable" },
            "database": {
                "backend": state.db.backend().name(),
                "reachable": reachable,
            },
        })),
    )
}
