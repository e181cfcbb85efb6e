//! A fake SMS gateway on loopback, following the `http` provider's contract
//! (`POST` JSON `{id, to, text}` with a bearer secret; 2xx means accepted).

use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the gateway received, in order: (authorization, JSON body).
pub type Received = Arc<Mutex<Vec<(String, serde_json::Value)>>>;

/// How the fake gateway behaves.
#[derive(Debug, Clone, Copy, Default)]
pub struct Behaviour {
    /// It answers 500 to its first `failures` requests (all of them with
    /// `u32::MAX`), then 202.
    pub failures: u32,
    /// It takes this long to answer each request.
    pub delay: Duration,
}

/// Starts a gateway; returns its URL and what it receives.
pub async fn start(behaviour: Behaviour) -> (String, Received) {
    use axum::http::{HeaderMap, StatusCode};
    let received: Received = Arc::default();
    let seen = received.clone();
    let app = axum::Router::new().route(
        "/sms",
        axum::routing::post(
            move |headers: HeaderMap, body: axum::Json<serde_json::Value>| {
                let seen = seen.clone();
                async move {
                    tokio::time::sleep(behaviour.delay).await;
                    let auth = headers
                        .get("authorization")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_owned();
                    let mut seen = seen.lock().unwrap();
                    seen.push((auth, body.0));
                    if (seen.len() as u64) <= u64::from(behaviour.failures) {
                        StatusCode::INTERNAL_SERVER_ERROR
                    } else {
                        StatusCode::ACCEPTED
                    }
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/sms", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, received)
}
