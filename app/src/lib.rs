//! The Relais web application: pages, islands, server functions and the
//! translation catalogue, shared by the server (feature `ssr`) and the
//! browser (feature `hydrate`, islands only). With `ssr` it reads and writes
//! through the store crate (`relais_store`), never SQL itself.
#![recursion_limit = "256"]

pub mod citizen;
pub mod components;
pub mod contact;
pub mod desk;
#[cfg(feature = "ssr")]
pub mod enhance;
pub mod error;
pub mod i18n;
pub mod islands;
#[cfg(feature = "ssr")]
pub mod messages;
pub mod pages;
pub mod patient;
pub mod posted;
pub mod routes;
pub mod rules_text;
#[cfg(feature = "ssr")]
pub mod shell;

/// The base of every link the service writes (`RELAIS_PUBLIC_URL`), given
/// to the pages by the server. Never derived from a request's `Host`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl(pub String);

/// Entry point of the WASM module: wakes up the islands of the page, and
/// nothing else (the rest of the page is plain server-rendered HTML).
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
