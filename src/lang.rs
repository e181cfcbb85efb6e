//! The languages the service speaks. French first: it is the default, and
//! every text exists in French before it exists in English.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A language of the user interface and of the messages sent. The staff
/// console speaks the first two; a citizen's pages and texts speak all.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Fr,
    En,
    Ar,
    Es,
    Pt,
    Tr,
    Ro,
    Zh,
}

impl Lang {
    /// Every language, French first: what a citizen may choose.
    pub const ALL: [Lang; 8] = [
        Lang::Fr,
        Lang::En,
        Lang::Ar,
        Lang::Es,
        Lang::Pt,
        Lang::Tr,
        Lang::Ro,
        Lang::Zh,
    ];

    /// The languages of the staff console.
    pub const STAFF: [Lang; 2] = [Lang::Fr, Lang::En];

    /// The BCP 47 code, as written in `lang` attributes and cookies.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
            Lang::Ar => "ar",
            Lang::Es => "es",
            Lang::Pt => "pt",
            Lang::Tr => "tr",
            Lang::Ro => "ro",
            Lang::Zh => "zh",
        }
    }

    /// The code for a document's `lang` attribute: Chinese says which
    /// script (`zh-Hans`), so that a screen reader and the fonts pick the
    /// simplified characters.
    pub fn html_code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-Hans",
            other => other.code(),
        }
    }

    /// The language named in itself, as a person looking for theirs reads it.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Fr => "Français",
            Lang::En => "English",
            Lang::Ar => "العربية",
            Lang::Es => "Español",
            Lang::Pt => "Português",
            Lang::Tr => "Türkçe",
            Lang::Ro => "Română",
            Lang::Zh => "中文（简体）",
        }
    }

    /// Whether the language is written right to left.
    pub fn is_rtl(self) -> bool {
        matches!(self, Lang::Ar)
    }

    /// The `dir` attribute of a document in this language.
    pub fn dir(self) -> &'static str {
        if self.is_rtl() {
            "rtl"
        } else {
            "ltr"
        }
    }

    /// Whether the staff console speaks it.
    pub fn is_staff(self) -> bool {
        Lang::STAFF.contains(&self)
    }

    /// The language the staff console uses for a person who chose `self`:
    /// itself when the console speaks it, else French.
    pub fn for_staff(self) -> Lang {
        if self.is_staff() {
            self
        } else {
            Lang::Fr
        }
    }

    /// Picks the best language from an HTTP `Accept-Language` header,
    /// honouring quality values (the first of equal ones); French when
    /// nothing matches. Only the primary subtag counts: `pt-BR` reads
    /// Portuguese, `zh-TW` Chinese (simplified is closer than French).
    pub fn from_accept_language(header: &str) -> Lang {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut pieces = part.trim().split(';');
            let tag = pieces.next().unwrap_or("").trim();
            let q = pieces
                .filter_map(|p| p.trim().strip_prefix("q="))
                .filter_map(|q| q.trim().parse::<f32>().ok())
                .next()
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            if let Ok(lang) = primary.parse::<Lang>() {
                if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
                    best = Some((q, lang));
                }
            }
        }
        best.map(|(_, l)| l).unwrap_or_default()
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The text was not a language the service speaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown language (expected one of fr, en, ar, es, pt, tr, ro, zh)")]
pub struct UnknownLang;

impl FromStr for Lang {
    type Err = UnknownLang;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let code = s.trim();
        Lang::ALL
            .into_iter()
            .find(|lang| lang.code().eq_ignore_ascii_case(code))
            .ok_or(UnknownLang)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accept_language_picks_highest_quality_known_language() {
        assert_eq!(
            Lang::from_accept_language("en-GB,en;q=0.9,fr;q=0.8"),
            Lang::En
        );
        assert_eq!(
            Lang::from_accept_language("de-DE,fr;q=0.5,en;q=0.4"),
            Lang::Fr
        );
        assert_eq!(Lang::from_accept_language("fr-FR"), Lang::Fr);
        assert_eq!(Lang::from_accept_language("en;q=0.2, fr;q=0.9"), Lang::Fr);
        assert_eq!(Lang::from_accept_language("de, it"), Lang::Fr);
        assert_eq!(Lang::from_accept_language("de, es"), Lang::Es);
        assert_eq!(Lang::from_accept_language("en;q=0"), Lang::Fr);
        assert_eq!(Lang::from_accept_language(""), Lang::Fr);
    }

    #[test]
    fn codes_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(lang.code().parse::<Lang>(), Ok(lang));
        }
        assert_eq!("EN".parse::<Lang>(), Ok(Lang::En));
        assert!("de".parse::<Lang>().is_err());
        assert!("".parse::<Lang>().is_err());
        assert_eq!("zh".parse::<Lang>(), Ok(Lang::Zh));
    }

    #[test]
    fn accept_language_reads_every_language_by_its_primary_subtag() {
        assert_eq!(Lang::from_accept_language("tr-TR,tr;q=0.9"), Lang::Tr);
        assert_eq!(
            Lang::from_accept_language("zh-CN,zh;q=0.9,en;q=0.8"),
            Lang::Zh
        );
        assert_eq!(Lang::from_accept_language("zh-Hant-TW"), Lang::Zh);
        assert_eq!(Lang::from_accept_language("pt-BR"), Lang::Pt);
        assert_eq!(Lang::from_accept_language("ar-MA,fr;q=0.8"), Lang::Ar);
        assert_eq!(
            Lang::from_accept_language("de-DE,ro;q=0.7,es;q=0.7"),
            Lang::Ro
        );
        assert_eq!(Lang::from_accept_language("es-419"), Lang::Es);
    }

    #[test]
    fn only_arabic_is_right_to_left_and_staff_speak_french_and_english() {
        for lang in Lang::ALL {
            assert_eq!(lang.is_rtl(), lang == Lang::Ar);
            assert_eq!(lang.dir(), if lang == Lang::Ar { "rtl" } else { "ltr" });
            assert!(lang.for_staff().is_staff());
            assert_eq!(
                lang.for_staff() == lang,
                matches!(lang, Lang::Fr | Lang::En)
            );
            assert!(lang.html_code().starts_with(lang.code()));
        }
        let names: std::collections::BTreeSet<_> =
            Lang::ALL.iter().map(|l| l.native_name()).collect();
        assert_eq!(names.len(), Lang::ALL.len());
    }

    proptest! {
        #[test]
        fn accept_language_never_panics(header in ".{0,200}") {
            let lang = Lang::from_accept_language(&header);
            prop_assert!(Lang::ALL.contains(&lang));
        }
    }
}
