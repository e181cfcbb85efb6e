//! The router: Leptos pages and server functions, static files, health and
//! metrics, and the layers every response goes through.

use super::{errors, figures, health, lang, metrics, scripts, security, AppState};
use app::routes::App;
use app::shell::shell;
use app::PublicUrl;
use axum::http::{header, HeaderValue};
use axum::routing::get;
use axum::{middleware, Router};
use leptos::prelude::*;
use leptos_axum::{
    file_and_error_handler_with_context, generate_route_list, AxumRouteListing, LeptosRoutes,
};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// Largest request body a page or server function accepts.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// What every Leptos render and server function finds in its context.
fn context_provider(state: &AppState) -> impl Fn() + Clone + Send + Sync + 'static {
    let db = state.db.clone();
    let public_url = PublicUrl(state.config.public_url.clone());
    let rule_sets = state.rule_sets.clone();
    let sign_in_delay = app::desk::auth::SignInDelay(state.config.sign_in_delay_ms);
    move || {
        provide_context(sign_in_delay);
        provide_context(rule_sets.clone());
        leptos::nonce::provide_nonce();
        provide_context(db.clone());
        provide_context(public_url.clone());
        let lang = use_context::<http::request::Parts>()
            .map(|parts| lang::request_lang(&parts.headers))
            .unwrap_or_default();
        provide_context(lang);
    }
}

/// The application's routes, walked once per process.
///
/// Walking the routes renders the app with resource loading suppressed
/// through a flag that is global to the process (`leptos_server`'s
/// `SuppressResourceLoad`); a resource of a page being served at that moment
/// by another router of the same process would wait forever (leptos issue
/// 4773). Walking them once, before any router exists, closes that window:
/// the test suite starts many servers in one process while others serve.
pub fn route_list() -> &'static [AxumRouteListing] {
    static ROUTES: std::sync::OnceLock<Vec<AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App))
}

/// Builds the whole application.
pub fn build_router(state: AppState) -> Router {
    // Install the metrics recorder before the first request is counted.
    metrics::handle();
    let routes = route_list().to_vec();
    let context = context_provider(&state);
    let options = state.leptos_options.clone();

    // Hashed file names change with their content: cache them for a year.
    let pkg_cache = if options.hash_files {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let pkg_dir =
        std::path::Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    let pkg = Router::new()
        // Brotli from the `.br` files `cargo leptos build --precompress`
        // writes at maximum quality, when present. Its `.gz` files are larger
        // than the compression layer's gzip, so they are not used.
        .fallback_service(ServeDir::new(pkg_dir).precompressed_br())
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static(pkg_cache),
        ));

    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/metrics", get(metrics::metrics_endpoint))
        .route("/lang/{code}", get(lang::switch_language))
        .route(app::desk::supervision::CSV_PATH, get(figures::figures_csv))
        .route(app::enhance::PATH, get(scripts::enhance_script))
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .nest_service("/pkg", pkg)
        .fallback(file_and_error_handler_with_context::<AppState, _>(
            context, shell,
        ))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        // The integration API, after the page-sized body limit: it has its own.
        .merge(crate::api::router())
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security::origin_guard,
        ))
        .layer(middleware::from_fn(errors::friendly_errors))
        .layer(middleware::from_fn(metrics::record))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security::headers,
        ))
        .layer(CompressionLayer::new().br(true).gzip(true))
        .layer(CatchPanicLayer::custom(errors::panic_response))
        .with_state(state)
}
