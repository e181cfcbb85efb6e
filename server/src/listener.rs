//! The HTTP listener: accepts connections and serves the router on each,
//! with what `axum::serve` does not offer — a header-read timeout, so that a
//! client sending its headers byte by byte (or not at all) is disconnected
//! instead of holding a connection and the shutdown — and a bounded grace
//! period for requests in flight when the shutdown signal comes.

use axum::extract::connect_info::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::time::Duration;
use tokio::net::TcpListener;
use tower::ServiceExt;

/// How the listener treats slow clients and the shutdown.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// A request's headers not all received in this time: the connection is
    /// closed (HTTP/1; HTTP/2 has its own keep-alive).
    pub header_read_timeout: Duration,
    /// After the shutdown signal, requests in flight have this long to end;
    /// the connections still open then are dropped.
    pub grace: Duration,
}

impl Limits {
    pub fn from_config(config: &crate::config::Config) -> Limits {
        Limits {
            header_read_timeout: Duration::from_secs(config.header_read_timeout_seconds),
            // A request is answered (408) after its own timeout: past that
            // and a margin, nothing in flight is worth waiting for.
            grace: Duration::from_secs(config.request_timeout_seconds + 5),
        }
    }
}

/// Serves `app` on `listener` until `shutdown` resolves, then lets the
/// requests in flight end (within `limits.grace`). Each request carries the
/// peer's address as `ConnectInfo<SocketAddr>`, as `axum::serve` gives it.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    builder.http2().timer(TokioTimer::new());
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (tcp, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of descriptors, or a connection reset before it was
                    // accepted: wait a little rather than spin.
                    tracing::warn!(error = %e, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // No Nagle delay: a response whose body follows its headers in a
        // second write (a static file) would otherwise wait for the client's
        // delayed ACK, about 40 ms, on every keep-alive request.
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::warn!(error = %e, "could not set TCP_NODELAY");
        }
        let service = app
            .clone()
            .map_request(move |mut request: axum::http::Request<Incoming>| {
                request.extensions_mut().insert(ConnectInfo(peer));
                request
            });
        let connection = builder
            .serve_connection_with_upgrades(TokioIo::new(tcp), TowerToHyperService::new(service))
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A client that goes away, or is too slow with its headers, ends
            // its connection: nothing to report above debug.
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection ended with an error");
            }
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(limits.grace) => {
            tracing::warn!(
                grace_seconds = limits.grace.as_secs(),
                "requests still in flight after the grace period: dropped"
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::SocketAddr;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    async fn started(limits: Limits) -> (SocketAddr, tokio::sync::oneshot::Sender<()>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = Router::new().route(
            "/",
            axum::routing::get(|ConnectInfo(peer): ConnectInfo<SocketAddr>| async move {
                peer.ip().to_string()
            }),
        );
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(serve(listener, app, limits, async {
            let _ = stopped.await;
        }));
        (addr, stop)
    }

    #[tokio::test]
    async fn a_request_is_answered_with_its_peer_address() {
        let limits = Limits {
            header_read_timeout: Duration::from_secs(5),
            grace: Duration::from_secs(1),
        };
        let (addr, _stop) = started(limits).await;
        let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
        tcp.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .await
            .unwrap();
        let mut answer = String::new();
        tcp.read_to_string(&mut answer).await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert!(answer.ends_with("127.0.0.1"), "{answer}");
    }

    #[tokio::test]
    async fn headers_sent_too_slowly_end_the_connection() {
        let limits = Limits {
            header_read_timeout: Duration::from_millis(300),
            grace: Duration::from_secs(1),
        };
        let (addr, _stop) = started(limits).await;
        let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
        tcp.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n")
            .await
            .unwrap();
        let started = std::time::Instant::now();
        let mut answer = Vec::new();
        // The server closes the connection (with or without a 408): the read
        // ends well before the test's own bound.
        let read = tokio::time::timeout(Duration::from_secs(5), tcp.read_to_end(&mut answer)).await;
        assert!(read.is_ok(), "the connection was still open after 5 s");
        assert!(started.elapsed() < Duration::from_secs(3));
        assert!(!String::from_utf8_lossy(&answer).contains(" 200 "));
    }

    #[tokio::test]
    async fn a_silent_connection_does_not_hold_the_shutdown() {
        let limits = Limits {
            header_read_timeout: Duration::from_secs(60),
            grace: Duration::from_millis(300),
        };
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(serve(listener, Router::new(), limits, async {
            let _ = stopped.await;
        }));
        let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
        tcp.write_all(b"GET / HTTP/1.1\r\n").await.unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
        stop.send(()).unwrap();
        let ended = tokio::time::timeout(Duration::from_secs(5), server).await;
        assert!(
            ended.is_ok(),
            "the server was still running 5 s after its shutdown"
        );
    }
}
