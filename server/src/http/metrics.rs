//! Prometheus metrics: requests and latency by route, and the database pool.
//! Counted per process; a scraper adds the nodes up.

use super::AppState;
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::Instant;

const LATENCY_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The process-wide recorder, installed on first use.
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(
                Matcher::Full("relais_http_request_duration_seconds".to_owned()),
                LATENCY_BUCKETS,
            )
            .map(|b| b.build_recorder())
            .unwrap_or_else(|_| PrometheusBuilder::new().build_recorder());
        let handle = recorder.handle();
        // Fails only if another recorder was installed first; then our
        // handle still renders (empty) text rather than crashing.
        let _ = metrics::set_global_recorder(recorder);
        handle
    })
}

/// Counts every request and its latency, labelled by the route pattern
/// (`/d/{token}`, never the actual URL: it may carry a secret).
pub async fn record(request: Request, next: Next) -> Response {
    let route = super::route::route_of(&request).to_owned();
    let method = method_label(request.method());
    let start = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("relais_http_requests_total",
        "method" => method, "route" => route.clone(), "status" => status)
    .increment(1);
    metrics::histogram!("relais_http_request_duration_seconds",
        "method" => method, "route" => route)
    .record(start.elapsed().as_secs_f64());
    response
}

/// The method as a label: the standard ones, else `OTHER` (a client may
/// send any token as a method; labels must stay a fixed set).
fn method_label(method: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    [
        Method::GET,
        Method::HEAD,
        Method::POST,
        Method::PUT,
        Method::DELETE,
        Method::PATCH,
        Method::OPTIONS,
    ]
    .iter()
    .find(|m| *m == method)
    .map_or("OTHER", |m| m.as_str())
}

/// `GET /metrics`: Prometheus text format. With `RELAIS_METRICS_TOKEN` set,
/// only for `Authorization: Bearer <token>` (401 otherwise).
pub async fn metrics_endpoint(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
) -> Response {
    if let Some(token) = &state.config.metrics_token {
        use secrecy::ExposeSecret;
        let presented = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default();
        if !relais_store::security::token::hashes_match(presented, token.expose_secret()) {
            return (
                axum::http::StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer")],
                "metrics need the bearer token (RELAIS_METRICS_TOKEN)\n",
            )
                .into_response();
        }
    }
    let (open, idle) = state.db.connections();
    metrics::gauge!("relais_db_pool_connections", "backend" => state.db.backend().name())
        .set(open as f64);
    metrics::gauge!("relais_db_pool_idle_connections", "backend" => state.db.backend().name())
        .set(idle as f64);
    // Tracers' views each write an audit line; lines asked for at once
    // share a write: lines per write shows how much.
    let audit = relais_store::audit::line_writes(&state.db);
    metrics::counter!("relais_audit_lines_total").absolute(audit.lines);
    metrics::counter!("relais_audit_line_writes_total").absolute(audit.writes);
    match relais_store::outbox::counts(&state.db).await {
        Ok(counts) => {
            // Every status present, and the usual ones also at zero.
            for usual in ["pending", "sending", "sent", "failed"] {
                if !counts.iter().any(|(status, _)| status == usual) {
                    metrics::gauge!("relais_sms_outbox_messages", "status" => usual).set(0.0);
                }
            }
            for (status, n) in counts {
                metrics::gauge!("relais_sms_outbox_messages", "status" => status).set(n as f64);
            }
        }
        Err(e) => tracing::warn!(error = %e, "metrics: outbox counts unavailable"),
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        handle().render(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_are_a_fixed_set_of_labels() {
        use axum::http::Method;
        assert_eq!(method_label(&Method::GET), "GET");
        assert_eq!(method_label(&Method::POST), "POST");
        assert_eq!(
            method_label(&Method::from_bytes(b"FOOBAR").unwrap()),
            "OTHER"
        );
        assert_eq!(method_label(&Method::CONNECT), "OTHER");
    }
}
