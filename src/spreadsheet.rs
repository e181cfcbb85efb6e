//! Cells of the CSV files the service writes, safe to open in a
//! spreadsheet. A name typed by a case or a contact may start with `=`,
//! `+`, `-` or `@` (or a tab or a carriage return, which some spreadsheets
//! skip before such a sign) and would run as a formula when a tracer opens
//! the export: such a cell is written with a leading apostrophe, which the
//! spreadsheet reads as "this is text" (OWASP, CSV injection).

use std::borrow::Cow;

/// The characters that make a spreadsheet read a cell as a formula.
const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `text` as a cell no spreadsheet runs: unchanged, or with an apostrophe
/// before it when it starts like a formula.
pub fn safe_cell(text: &str) -> Cow<'_, str> {
    if text.starts_with(TRIGGERS) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formulas_become_text() {
        assert_eq!(
            safe_cell("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(safe_cell("+33 6"), "'+33 6");
        assert_eq!(safe_cell("-2+3"), "'-2+3");
        assert_eq!(safe_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(safe_cell("\t=1"), "'\t=1");
        assert_eq!(safe_cell("\r=1"), "'\r=1");
        assert!(matches!(safe_cell("Berthe"), Cow::Borrowed("Berthe")));
        assert_eq!(safe_cell(""), "");
        assert_eq!(safe_cell("Jean-Pierre"), "Jean-Pierre");
    }

    proptest! {
        #[test]
        fn no_cell_starts_like_a_formula_and_nothing_is_lost(text in "\\PC{0,12}|[=+@\t\r-].{0,8}") {
            let cell = safe_cell(&text);
            prop_assert!(!cell.starts_with(TRIGGERS));
            let kept = cell.strip_prefix('\'').filter(|_| text.starts_with(TRIGGERS)).unwrap_or(&cell);
            prop_assert_eq!(kept, text.as_str());
        }
    }
}
