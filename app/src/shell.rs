//! The HTML document around every page, rendered on the server. It sets the
//! `lang` attribute, loads the one stylesheet, the islands' bootstrap and,
//! on the declaration's pages, its enhancement script.
//!
//! The islands' bootstrap is Leptos' own inline script, rendered once per
//! process ([`islands_boot`]) instead of on every page (Leptos' component
//! reads `hash.txt` from the disk each time). The server allows each inline
//! script of a page by its SHA-256 (`server::http::page_scripts`).

use crate::i18n::use_lang;
use crate::routes::App;
use leptos::prelude::*;
use leptos_meta::MetaTags;
use std::sync::OnceLock;

/// What every page's head needs to start its islands: the module and the
/// WASM to preload, and the inline script that loads them and hydrates the
/// islands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IslandsBoot {
    /// The JavaScript module's address (`/pkg/…js`).
    pub js_href: String,
    /// The WASM's address (`/pkg/…wasm`).
    pub wasm_href: String,
    /// The inline module script, exactly as Leptos writes it.
    pub script: String,
}

impl IslandsBoot {
    /// Reads what Leptos' `HydrationScripts` rendered (without a nonce): its
    /// two `<link>` and its `<script type="module">`. `None` if the markup is
    /// not of that shape.
    pub fn from_rendered(html: &str) -> Option<Self> {
        let js_href = link_href(html, "modulepreload")?;
        let wasm_href = link_href(html, "preload")?;
        let open = html.find("<script")?;
        let body = open + html[open..].find('>')? + 1;
        let end = body + html[body..].find("</script>")?;
        let script = html[body..end].to_owned();
        if script.trim().is_empty() {
            return None;
        }
        Some(Self {
            js_href,
            wasm_href,
            script,
        })
    }
}

/// The `href` of the first `<link rel="{rel}" …>` of `html`.
fn link_href(html: &str, rel: &str) -> Option<String> {
    let marker = format!("rel=\"{rel}\"");
    let mut rest = html;
    while let Some(at) = rest.find("<link") {
        let tag_end = at + rest[at..].find('>')?;
        let tag = &rest[at..tag_end];
        if tag.contains(&marker) {
            let start = tag.find("href=\"")? + "href=\"".len();
            let len = tag[start..].find('"')?;
            return Some(tag[start..start + len].to_owned());
        }
        rest = &rest[tag_end..];
    }
    None
}

/// [`IslandsBoot`] for this process, from Leptos' `HydrationScripts`
/// rendered once with `options` (its file names come from `hash.txt`, read
/// once instead of on every page).
pub fn islands_boot(options: &LeptosOptions) -> &'static IslandsBoot {
    static BOOT: OnceLock<IslandsBoot> = OnceLock::new();
    BOOT.get_or_init(|| {
        let options = options.clone();
        let html =
            Owner::new().with(|| view! { <HydrationScripts options islands=true /> }.to_html());
        IslandsBoot::from_rendered(&html).unwrap_or_else(|| {
            // Only a Leptos upgrade that changed the markup could do this
            // (a test renders it): the pages would still work, without
            // their islands.
            tracing::error!("the islands' bootstrap could not be read from Leptos' markup");
            IslandsBoot {
                js_href: String::new(),
                wasm_href: String::new(),
                script: String::new(),
            }
        })
    })
}

/// The head's part of the islands: what `HydrationScripts` writes, from
/// [`islands_boot`].
#[component]
fn IslandsScripts(options: LeptosOptions) -> impl IntoView {
    // As `HydrationScripts` does in islands mode: only the islands hydrate.
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    let boot = islands_boot(&options);
    view! {
        <link rel="modulepreload" href=boot.js_href.as_str() />
        <link rel="preload" href=boot.wasm_href.as_str() r#as="fetch" r#type="application/wasm" crossorigin="" />
        <script type="module" inner_html=boot.script.as_str()></script>
    }
}

/// The whole document. `options` come from the server's configuration.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = use_lang();
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
                <IslandsScripts options=options.clone() />
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

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> LeptosOptions {
        LeptosOptions::builder().output_name("relais").build()
    }

    #[test]
    fn the_bootstrap_is_read_from_leptos_markup() {
        let boot = islands_boot(&options());
        assert!(boot.js_href.starts_with("/pkg/relais") && boot.js_href.ends_with(".js"));
        assert!(boot.wasm_href.starts_with("/pkg/relais") && boot.wasm_href.ends_with(".wasm"));
        assert!(boot.script.contains("hydrateIslands"), "{}", boot.script);
        assert!(!boot.script.contains("</script"));
        // Its arguments: the module and the WASM named by the links.
        let name = |href: &str| {
            let file = href.rsplit('/').next().unwrap().to_owned();
            file.rsplit_once('.').unwrap().0.to_owned()
        };
        assert!(boot.script.contains(&format!("{:?}", name(&boot.js_href))));
        assert!(boot
            .script
            .contains(&format!("{:?}", name(&boot.wasm_href))));
    }

    #[test]
    fn markup_of_another_shape_is_refused() {
        assert_eq!(IslandsBoot::from_rendered(""), None);
        assert_eq!(
            IslandsBoot::from_rendered(
                r#"<link rel="modulepreload" href="/a.js"><script></script>"#
            ),
            None
        );
        let boot = IslandsBoot::from_rendered(
            r#"<link rel="modulepreload" href="/a.js"><link rel="preload" href="/a.wasm" as="fetch"><script type="module">go()</script>"#,
        )
        .expect("read");
        assert_eq!(
            (boot.js_href.as_str(), boot.wasm_href.as_str()),
            ("/a.js", "/a.wasm")
        );
        assert_eq!(boot.script, "go()");
    }
}
