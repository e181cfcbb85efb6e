//! Rebuilds the app when a translation changes: `leptos_i18n` reads
//! `locales/*.json` at compile time, and cargo does not watch them itself.
fn main() {
    println!("cargo::rerun-if-changed=locales");
}
