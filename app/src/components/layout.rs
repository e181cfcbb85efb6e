//! The frame of every page: skip link, header with the service name and the
//! language switch, the main landmark, the footer.

use crate::i18n::use_lang;
use crate::tr;
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use relais::Lang;

/// Wraps a page's content in the common landmarks.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let lang = use_lang();
    view! {
        <a class="skip-link" href="#main">{tr!(lang, layout.skip_link)}</a>
        <header class="site-header">
            <div class="wrap header-row">
                <a class="brand" href="/">
                    <span class="brand-name">"Relais"</span>
                    <span class="brand-tagline">{tr!(lang, layout.tagline)}</span>
                </a>
                <LanguageSwitch />
            </div>
        </header>
        // Shown by enhance.js when a request between two pages fails: what
        // the person typed is still on screen.
        <p id="connection-lost" class="wrap connection-lost" role="alert" tabindex="-1" hidden>
            {tr!(lang, layout.connection_lost)}
        </p>
        <main id="main" class="wrap" tabindex="-1">
            {children()}
        </main>
        <footer class="site-footer">
            <div class="wrap">
                {crate::citizen::quit::holds_citizen_session()
                    .then(|| view! { <crate::citizen::quit::QuitForm lang /> })}
                <p>{tr!(lang, layout.footer_help)}</p>
                <p>{tr!(lang, layout.footer_privacy)}</p>
            </div>
        </footer>
    }
}

/// Links to the same page in each other language, each named in itself. A
/// plain link (it works without JavaScript): the server remembers the
/// choice in a cookie (and on the person's case or contact) and sends the
/// person back to where they were. The staff console offers its two.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let lang = use_lang();
    let location = use_location();
    let here = location.pathname.get_untracked();
    let offered: &[Lang] = if here.starts_with("/equipe") {
        &Lang::STAFF
    } else {
        &Lang::ALL
    };
    view! {
        <nav class="lang-switch" aria-label=tr!(lang, layout.lang_nav)>
            <ul>
                {offered
                    .iter()
                    .map(|&other| {
                        let name = other.native_name();
                        // A page whose address holds a link's token switches
                        // on itself: the token never goes into another address.
                        let href = if here.starts_with("/d/") || here.starts_with("/c/") {
                            format!("{}?langue={}", encode_path(&here), other.code())
                        } else {
                            format!("/lang/{}?next={}", other.code(), encode_path(&here))
                        };
                        let current = (other == lang).then_some("true");
                        view! {
                            <li>
                                <a href=href hreflang=other.html_code() lang=other.html_code() dir=other.dir() aria-current=current>
                                    {name}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}

/// Percent-encodes a path for use as a query value.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}
