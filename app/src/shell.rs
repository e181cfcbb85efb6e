//! The HTML document around every page, rendered on the server. It sets the
//! `lang` attribute, loads the one stylesheet, the islands script and, on
//! the declaration's pages, its enhancement script, and
//! writes the page's Content-Security-Policy with a fresh nonce for the one
//! inline script the islands need.

use crate::i18n::use_lang;
use crate::routes::App;
use leptos::prelude::*;
use leptos_meta::MetaTags;

/// The Content-Security-Policy of an HTML page whose inline script carries
/// `nonce`. WASM needs `'wasm-unsafe-eval'`; nothing is loaded from another
/// origin, and no page may be framed.
pub fn page_csp(nonce: &str) -> String {
    format!(
        "default-src 'none'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         manifest-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    )
}

/// The whole document. `options` come from the server's configuration.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = use_lang();
    let nonce = leptos::nonce::use_nonce();
    if let (Some(nonce), Some(response)) = (
        nonce.as_ref(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) {
        if let Ok(value) = http::HeaderValue::from_str(&page_csp(nonce.as_inner())) {
            response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
        }
    }
    let css = format!("/{}/{}.css", options.site_pkg_dir, css_file_name(&options));
    // The declaration's enhancement, on the pages it acts on only.
    let enhanced = use_context::<http::request::Parts>()
        .is_some_and(|parts| crate::enhance::acts_on(parts.uri.path()));
    view! {
        <!DOCTYPE html>
        <html lang=lang.html_code() dir=lang.dir()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="stylesheet" href=css />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <HydrationScripts options=options.clone() islands=true />
                {enhanced.then(|| view! { <script src=crate::enhance::script_url() defer></script> })}
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The stylesheet's file name, with its content hash when cargo-leptos wrote
/// one (`hash.txt` beside the binary), so that it can be cached for a year.
fn css_file_name(options: &LeptosOptions) -> String {
    static NAME: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    NAME.get_or_init(|| read_css_file_name(options)).clone()
}

fn read_css_file_name(options: &LeptosOptions) -> String {
    let name = options.output_name.to_string();
    if !options.hash_files {
        return name;
    }
    let hashes = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(options.hash_file.as_ref())))
        .and_then(|path| std::fs::read_to_string(path).ok())
        .unwrap_or_default();
    hashes
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(file, _)| file.trim() == "css")
        .map(|(_, hash)| format!("{name}.{}", hash.trim()))
        .unwrap_or(name)
}
