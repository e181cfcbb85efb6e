//! `relais lang list`: the languages the service speaks, each catalogue
//! measured against French (keys missing or in excess, `{}` holes that
//! differ), the rule sets' texts it has, the most parts one of its texts
//! costs, and who translated and reviewed it.

use app::i18n::completeness::report;
use relais::{Lang, RuleSets};

/// The table `relais lang list` prints.
pub fn list(rule_sets: &RuleSets) -> String {
    let link = format!(
        "https://example.fr/c/{}",
        "x".repeat(relais::link_check::TOKEN_LEN)
    );
    let mut out = String::from(
        "lang  name            dir  texts      rules    SMS parts  translated by (on)                    reviewed by (on)\n",
    );
    for c in report() {
        let lang = c.lang;
        let (texts_total, texts_own) = rule_set_texts(rule_sets, lang);
        let parts = relais::outbox::MessageKind::ALL
            .into_iter()
            .map(|kind| relais::sms::encoding::cost(&app::messages::sms_text(kind, lang, &link)).1)
            .max()
            .unwrap_or(0);
        let texts = if c.is_complete() {
            format!("{}/{}", c.expected, c.expected)
        } else {
            format!(
                "{}/{} !",
                c.expected.saturating_sub(c.missing.len()),
                c.expected
            )
        };
        let said = |by: &Option<String>, on: &Option<String>| match (by, on) {
            (Some(by), Some(on)) => format!("{by} ({on})"),
            (Some(by), None) => by.clone(),
            _ => "not reviewed".to_owned(),
        };
        out.push_str(&format!(
            "{:<5} {:<15} {:<4} {:<10} {:<8} {:<10} {:<37} {}\n",
            lang.code(),
            lang.native_name(),
            lang.dir(),
            texts,
            format!("{texts_own}/{texts_total}"),
            parts,
            said(&c.review.translated_by, &c.review.translated_on),
            said(&c.review.reviewed_by, &c.review.reviewed_on),
        ));
        for (what, keys) in [
            ("missing", &c.missing),
            ("extra", &c.extra),
            ("holes differ from French", &c.placeholders),
        ] {
            if !keys.is_empty() {
                out.push_str(&format!("      {what}: {}\n", keys.join(", ")));
            }
        }
    }
    out.push_str(
        "texts: the catalogue's citizen texts (all of them for fr and en, which the staff \
         console also reads); rules: the rule sets' titles and rights written in the language \
         (else French is shown); SMS parts: the most one text costs, with its link.\n",
    );
    out
}

/// How many texts the rule sets have, and how many of them in `lang`.
fn rule_set_texts(rule_sets: &RuleSets, lang: Lang) -> (usize, usize) {
    let texts: Vec<&relais::doctrine::Localized> = rule_sets
        .iter()
        .flat_map(|set| {
            std::iter::once(&set.title).chain(set.rights.iter().flat_map(|r| [&r.title, &r.how_to]))
        })
        .collect();
    let own = texts.iter().filter(|t| t.has(lang)).count();
    (texts.len(), own)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_names_every_language_complete_and_its_rule_texts() {
        let sets = RuleSets::embedded();
        let out = list(&sets);
        for lang in Lang::ALL {
            let line = out
                .lines()
                .find(|l| l.starts_with(&format!("{:<5} ", lang.code())))
                .unwrap_or_else(|| panic!("no line for {lang}: {out}"));
            assert!(line.contains(lang.native_name()), "{line}");
            assert!(!line.contains(" !"), "{lang} incomplete: {out}");
            assert!(line.contains(" 45/45 "), "{line}");
        }
        assert!(out.contains("العربية") && out.contains(" rtl "));
        assert!(!out.contains("missing:"), "{out}");
    }
}
