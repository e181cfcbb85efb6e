//! Each language's catalogue against French, the reference: which keys it
//! lacks or has in excess, which texts' `{}` holes differ, and who
//! translated and reviewed it (`app/locales/reviews.json`). What
//! `relais lang list` prints, and what the tests require to be empty.

use relais::Lang;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// The keys only the staff console reads: French and English only.
pub const STAFF_ONLY_PREFIXES: &[&str] = &["desk."];

/// A catalogue file's text, as built into the binary.
pub fn catalogue_text(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => include_str!("../../locales/fr.json"),
        Lang::En => include_str!("../../locales/en.json"),
        Lang::Ar => include_str!("../../locales/ar.json"),
        Lang::Es => include_str!("../../locales/es.json"),
        Lang::Pt => include_str!("../../locales/pt.json"),
        Lang::Tr => include_str!("../../locales/tr.json"),
        Lang::Ro => include_str!("../../locales/ro.json"),
        Lang::Zh => include_str!("../../locales/zh.json"),
    }
}

const REVIEWS: &str = include_str!("../../locales/reviews.json");

/// Who translated a language and who reviewed it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Review {
    pub translated_by: Option<String>,
    pub translated_on: Option<String>,
    pub reviewed_by: Option<String>,
    pub reviewed_on: Option<String>,
}

/// A language's catalogue measured against French.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completeness {
    pub lang: Lang,
    /// The keys French has that this language must have.
    pub expected: usize,
    pub missing: Vec<String>,
    pub extra: Vec<String>,
    /// Texts whose `{}` count differs from French, or with other braces.
    pub placeholders: Vec<String>,
    pub review: Review,
}

impl Completeness {
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty() && self.extra.is_empty() && self.placeholders.is_empty()
    }
}

/// The dotted keys and texts of a catalogue (`contacts.title` …); a file
/// that is not JSON reads as empty.
pub fn flatten(text: &str) -> BTreeMap<String, String> {
    fn walk(prefix: &str, value: &Value, out: &mut BTreeMap<String, String>) {
        match value {
            Value::Object(map) => {
                for (key, inner) in map {
                    let path = match prefix {
                        "" => key.clone(),
                        _ => format!("{prefix}.{key}"),
                    };
                    walk(&path, inner, out);
                }
            }
            Value::String(s) => {
                out.insert(prefix.to_owned(), s.clone());
            }
            other => {
                out.insert(prefix.to_owned(), other.to_string());
            }
        }
    }
    let mut out = BTreeMap::new();
    if let Ok(value) = serde_json::from_str::<Value>(text) {
        walk("", &value, &mut out);
    }
    out
}

/// Whether a key is one of the staff console's.
pub fn is_staff_key(key: &str) -> bool {
    STAFF_ONLY_PREFIXES.iter().any(|p| key.starts_with(p))
}

/// `text`'s holes: how many `{}`, and whether any other brace is there.
fn holes(text: &str) -> (usize, bool) {
    let count = text.matches("{}").count();
    let stray = text.replace("{}", "").contains(['{', '}']);
    (count, stray)
}

/// `lang`'s catalogue text measured against French's.
pub fn measure(lang: Lang, text: &str, french: &str, reviews: &str) -> Completeness {
    let reference = flatten(french);
    let own = flatten(text);
    let wanted = |key: &String| lang.is_staff() || !is_staff_key(key);
    let missing = reference
        .keys()
        .filter(|k| wanted(k) && !own.contains_key(*k))
        .cloned()
        .collect();
    let extra = own
        .keys()
        .filter(|k| !reference.contains_key(*k) || !wanted(k))
        .cloned()
        .collect();
    let placeholders = own
        .iter()
        .filter(|(k, v)| match reference.get(*k) {
            Some(fr) => {
                let (theirs, stray) = holes(v);
                stray || theirs != holes(fr).0
            }
            None => false,
        })
        .map(|(k, _)| k.clone())
        .collect();
    let review = serde_json::from_str::<BTreeMap<String, Value>>(reviews)
        .ok()
        .and_then(|all| all.get(lang.code()).cloned())
        .and_then(|r| serde_json::from_value(r).ok())
        .unwrap_or_default();
    Completeness {
        lang,
        expected: reference.keys().filter(|k| wanted(k)).count(),
        missing,
        extra,
        placeholders,
        review,
    }
}

/// Every language's catalogue, as built into this binary.
pub fn report() -> Vec<Completeness> {
    let french = catalogue_text(Lang::Fr);
    Lang::ALL
        .into_iter()
        .map(|lang| measure(lang, catalogue_text(lang), french, REVIEWS))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalogue_has_exactly_the_keys_and_holes_of_french() {
        for c in report() {
            assert!(c.expected > 400, "{}: {} keys", c.lang, c.expected);
            assert!(c.missing.is_empty(), "{} lacks {:?}", c.lang, c.missing);
            assert!(c.extra.is_empty(), "{} has extra {:?}", c.lang, c.extra);
            assert!(
                c.placeholders.is_empty(),
                "{}: holes differ from French in {:?}",
                c.lang,
                c.placeholders
            );
            assert!(
                c.review.translated_by.is_some(),
                "{}: who translated it?",
                c.lang
            );
            assert!(c.review.translated_on.is_some(), "{}: when?", c.lang);
        }
    }

    #[test]
    fn a_missing_an_extra_key_and_a_different_hole_are_each_found() {
        let french = r#"{"a": {"one": "Un {}", "two": "Deux"}, "desk": {"x": "X"}}"#;
        let good = r#"{"a": {"one": "Bir {}", "two": "İki"}}"#;
        let c = measure(Lang::Tr, good, french, "{}");
        assert!(c.is_complete(), "{c:?}");
        assert_eq!(c.expected, 2);
        let bad = r#"{"a": {"one": "Bir", "three": "Üç"}, "desk": {"x": "X"}}"#;
        let c = measure(Lang::Tr, bad, french, "{}");
        assert_eq!(c.missing, ["a.two"]);
        assert_eq!(c.extra, ["a.three", "desk.x"]);
        assert_eq!(c.placeholders, ["a.one"]);
        let stray = r#"{"a": {"one": "Bir {} {x}", "two": "İki"}}"#;
        assert_eq!(
            measure(Lang::Tr, stray, french, "{}").placeholders,
            ["a.one"]
        );
        // English, a staff language, must have the console's keys too.
        let c = measure(Lang::En, good, french, "{}");
        assert_eq!(c.missing, ["desk.x"]);
    }
}
