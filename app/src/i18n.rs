//! The translation catalogue (`app/locales/fr.json`, `en.json`), checked at
//! compile time by `leptos_i18n`: a key missing in one language does not
//! build. Pages ask for texts with [`tr!`] and the language of the request.

#[allow(deprecated)]
mod catalogue {
    leptos_i18n::load_locales!();
}

#[cfg(feature = "ssr")]
pub mod completeness;

pub use catalogue::i18n::Locale;
use leptos::prelude::*;
use relais::Lang;

/// The catalogue's locale for a language of the service.
pub fn locale(lang: Lang) -> Locale {
    match lang {
        Lang::Fr => Locale::fr,
        Lang::En => Locale::en,
        Lang::Ar => Locale::ar,
        Lang::Es => Locale::es,
        Lang::Pt => Locale::pt,
        Lang::Tr => Locale::tr,
        Lang::Ro => Locale::ro,
        Lang::Zh => Locale::zh,
    }
}

/// Looks up a text of the catalogue in the given language:
/// `tr!(lang, home.title)` or, with values, `tr!(lang, key, name = value)`.
#[macro_export]
macro_rules! tr {
    ($lang:expr, $($rest:tt)*) => {
        $crate::i18n::__td_string!($crate::i18n::locale($lang), $($rest)*)
    };
}
#[doc(hidden)]
pub use catalogue::i18n::td_string as __td_string;

/// The language of the page being rendered, as chosen by the server for the
/// request (cookie, then `Accept-Language`). French when none was provided.
pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
}

/// The cookie that remembers the language a person chose.
pub const LANG_COOKIE: &str = "relais_lang";

/// A catalogue sentence with `{}` holes filled in order (the catalogue's
/// own interpolation needs a builder per key; plain holes keep it simple).
/// In an Arabic sentence each value keeps its own direction (see
/// [`relais::bidi::fill`]).
pub fn fill(template: &str, values: &[String]) -> String {
    relais::bidi::fill(template, values)
}
