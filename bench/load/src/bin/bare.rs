//! The stack's limit for comparison: axum answering one page's HTML (read
//! from a file at start) as a static string, nothing else.
//!   bare ADDR FILE

use axum::response::Html;
use axum::routing::get;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:3990".into());
    let file = args.next().expect("the page's HTML file");
    let page: &'static str = Box::leak(
        std::fs::read_to_string(file)
            .expect("readable")
            .into_boxed_str(),
    );
    let app = axum::Router::new().route("/", get(move || async move { Html(page) }));
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .expect("a free port");
    axum::serve(listener, app).await.expect("serves");
}
