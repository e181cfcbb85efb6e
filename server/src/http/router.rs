//! The router: Leptos pages and server functions, static files, health and
//! metrics, and the layers every response goes through.

use super::page_cache::{self, PageCache};
use super::{errors, figures, health, lang, metrics, posted, scripts, security, AppState};
use app::routes::App;
use app::shell::shell;
use app::PublicUrl;
use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{middleware, Router};
use leptos::prelude::*;
use leptos_axum::{
    file_and_error_handler_with_context, generate_route_list, AxumRouteListing, LeptosRoutes,
};
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{HttpMakeClassifier, TraceLayer};
use tracing::Span;

pub use super::security::MAX_BODY_BYTES;

pub use super::route::{route_of, UNMATCHED};

/// The layer of [`trace_layer`]: nothing logged when a request arrives, an
/// event when its response leaves, and the default classification of
/// failures (5xx).
pub type RequestTrace = TraceLayer<HttpMakeClassifier, MakeRequestSpan, (), OnResponseEvent>;
/// Opens the `request` span of [`trace_layer`].
pub type MakeRequestSpan = fn(&Request) -> Span;
/// Logs the response in [`trace_layer`].
pub type OnResponseEvent = fn(&Response, Duration, &Span);

/// One `request` span per request, with its method and route pattern (see
/// [`route_of`]): every event logged while serving it carries them. The
/// response is an event at DEBUG (status, latency); one per request would
/// drown the log at INFO, and the metrics already count them. A server error
/// (5xx) is also logged at ERROR by the layer's default `on_failure`.
///
/// Applied with `Router::layer`, which wraps each route after routing, so
/// that the matched path is known when the span opens.
pub fn trace_layer() -> RequestTrace {
    fn request_span(request: &Request) -> Span {
        tracing::info_span!(
            "request",
            method = %request.method(),
            route = %route_of(request),
        )
    }
    fn response_event(response: &Response, latency: Duration, _: &Span) {
        tracing::debug!(
            status = response.status().as_u16(),
            latency_ms = latency.as_millis() as u64,
            "response"
        );
    }
    TraceLayer::new_for_http()
        .make_span_with(request_span as MakeRequestSpan)
        .on_request(())
        .on_response(response_event as OnResponseEvent)
}

/// What every Leptos render and server function finds in its context.
fn context_provider(state: &AppState) -> impl Fn() + Clone + Send + Sync + 'static {
    let db = state.db.clone();
    let public_url = PublicUrl(state.config.public_url.clone());
    let rule_sets = state.rule_sets.clone();
    let sign_in_delay = app::desk::auth::SignInDelay(state.config.sign_in_delay_ms);
    // One set of slots for the node's password checks, shared by every
    // request.
    let password_checks =
        relais_store::security::password::PasswordChecks::new(state.config.password_checks);
    let trusted_proxies = state.config.trusted_proxies.clone();
    let second_factor = app::desk::auth::SecondFactorRequired(state.config.second_factor_required);
    move || {
        provide_context(second_factor);
        provide_context(trusted_proxies.clone());
        provide_context(sign_in_delay);
        provide_context(password_checks.clone());
        provide_context(rule_sets.clone());
        provide_context(db.clone());
        provide_context(public_url.clone());
        // The staff console speaks French and English only.
        let lang = use_context::<http::request::Parts>()
            .map(|parts| {
                let lang = lang::request_lang(&parts.headers);
                match parts.uri.path().starts_with("/equipe") {
                    true => lang.for_staff(),
                    false => lang,
                }
            })
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

    // Forms posted to a page's own address (the link checker, the second
    // factor's enrolment): answered with the page, the fields handed over.
    let page = leptos_axum::render_app_async_with_context(context.clone(), {
        let options = options.clone();
        move || shell(options.clone())
    });
    let posted_page = move |request: axum::extract::Request| {
        let render = page.clone();
        async move { posted::render_posted(request, render).await }
    };

    Router::new()
        .route(app::pages::link_check::PATH, post(posted_page.clone()))
        .route(app::desk::paths::SECURITY_PATH, post(posted_page))
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
        .layer(middleware::from_fn(security::form_text_guard))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            lang::language_parameter,
        ))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        // The integration API, after the page-sized body limit: it has its own.
        .merge(crate::api::router())
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security::origin_guard,
        ))
        // A request (its body included) that takes longer is answered 408:
        // a client sending its body byte by byte cannot hold a connection
        // (and the shutdown) for ever.
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            std::time::Duration::from_secs(state.config.request_timeout_seconds),
        ))
        .layer(middleware::from_fn(errors::friendly_errors))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security::headers,
        ))
        // Pages in one brotli call (http::compress); the rest, and clients
        // without brotli, by the generic layer, which skips what is encoded.
        .layer(middleware::from_fn(super::compress::pages))
        .layer(CompressionLayer::new().br(true).gzip(true))
        // Anonymous pages kept compressed (http::page_cache), outside what
        // they skip, inside what counts every request.
        .layer(middleware::from_fn({
            let cache = PageCache::default();
            move |request, next| page_cache::serve(cache.clone(), request, next)
        }))
        .layer(middleware::from_fn(metrics::record))
        .layer(CatchPanicLayer::custom(errors::panic_response))
        // Outermost: the span covers every layer, a panic's 500 included.
        .layer(trace_layer())
        .with_state(state)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::StatusCode;
    use std::sync::{Arc, Mutex};
    use tower::ServiceExt;

    /// Everything the subscriber writes, kept for the assertions.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Captured {
        fn text(&self) -> String {
            String::from_utf8_lossy(&self.0.lock().unwrap_or_else(|e| e.into_inner())).into_owned()
        }
    }

    /// The whole application on an empty SQLite database, with a DEBUG
    /// subscriber (what `RELAIS_LOG=debug` would show) on this test's thread.
    #[tokio::test]
    async fn request_logs_name_the_route_never_the_token() {
        let captured = Captured::default();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_ansi(false)
            .with_writer({
                let captured = captured.clone();
                move || captured.clone()
            })
            .finish();
        let _guard = tracing::subscriber::set_default(subscriber);

        let dir = tempfile::tempdir().expect("temporary folder");
        let database_url = format!("sqlite://{}", dir.path().join("relais.db").display());
        let site_root = dir.path().display().to_string();
        let config = crate::config::Config::from_lookup(|name| match name {
            "RELAIS_DATABASE_URL" => Some(database_url.clone()),
            "RELAIS_SITE_ROOT" => Some(site_root.clone()),
            _ => None,
        })
        .expect("test configuration");
        let db = crate::database::open_database(&config)
            .await
            .expect("an empty database");
        let rule_sets = crate::doctrine::load_rule_sets(None).expect("embedded rule sets");
        let router = build_router(AppState::new(db.clone(), config, rule_sets));

        // 128 random bits in base64url, as an SMS link carries them.
        let token = "Zk3q8PxTQ2mW7vYbNcR1sA";
        for uri in [
            format!("/c/{token}"),
            format!("/d/{token}?lang=fr"),
            format!("/lang/en?next=/c/{token}"),
            format!("/no-such-page/{token}"),
            // A search term is personal data too.
            "/equipe?q=Martine+Delacroix".to_owned(),
        ] {
            let response = router
                .clone()
                .oneshot(Request::get(&uri).body(Body::empty()).expect("request"))
                .await
                .expect("a response");
            assert_ne!(
                response.status(),
                StatusCode::INTERNAL_SERVER_ERROR,
                "{uri}"
            );
        }
        db.close().await;

        let logs = captured.text();
        assert!(!logs.contains(token), "a token reached the logs:\n{logs}");
        assert!(
            !logs.contains("Delacroix"),
            "a search reached the logs:\n{logs}"
        );
        for route in [
            "/c/{token}",
            "/d/{token}",
            "/lang/{code}",
            "/equipe",
            UNMATCHED,
        ] {
            assert!(
                logs.contains(&format!("request{{method=GET route={route}}}")),
                "no span for {route}:\n{logs}"
            );
        }
        assert!(logs.contains("response status="), "{logs}");
        assert!(logs.contains("latency_ms="), "{logs}");
    }
}
