//! What logs and metrics call a request: the pattern of the route it
//! matched, never its URI.

use axum::extract::MatchedPath;

/// The route label of a request with no matched route (a static file under
/// the fallback, a 404).
pub const UNMATCHED: &str = "unmatched";

/// The pattern of the route `request` matched (`/c/{token}`, `/pkg`), or
/// [`UNMATCHED`]: what logs and metrics say of a request. Never its URI,
/// whose path and query carry SMS-link tokens and search terms.
///
/// Every Leptos page and server function is an axum route of its own
/// (`leptos_routes_with_context` adds one per path), so pages have their
/// pattern too.
pub fn route_of<B>(request: &http::Request<B>) -> &str {
    request
        .extensions()
        .get::<MatchedPath>()
        .map_or(UNMATCHED, MatchedPath::as_str)
}
