//! Latin letters without their accents, for the two places that need plain
//! ASCII from a person's writing: the name-search key ([`crate::desk`]) and
//! SMS texts in GSM-7 ([`crate::sms`]).

/// The lower-case ASCII letters of a Latin-1 Supplement or Latin
/// Extended-A letter (and Romanian ș ț, capital ẞ) without its accent,
/// whatever its case; `None` for any other character.
pub(crate) fn latin_base(c: char) -> Option<&'static str> {
    Some(match c {
        'À'..='Å' | 'à'..='å' | '\u{100}'..='\u{105}' => "a",
        'Æ' | 'æ' => "ae",
        'Ç' | 'ç' | '\u{106}'..='\u{10D}' => "c",
        'Ð' | 'ð' | '\u{10E}'..='\u{111}' => "d",
        'È'..='Ë' | 'è'..='ë' | '\u{112}'..='\u{11B}' => "e",
        '\u{11C}'..='\u{123}' => "g",
        '\u{124}'..='\u{127}' => "h",
        'Ì'..='Ï' | 'ì'..='ï' | '\u{128}'..='\u{131}' => "i",
        '\u{132}' | '\u{133}' => "ij",
        '\u{134}' | '\u{135}' => "j",
        '\u{136}'..='\u{138}' => "k",
        '\u{139}'..='\u{142}' => "l",
        '\u{149}' => "'n",
        'Ñ' | 'ñ' | '\u{143}'..='\u{148}' | '\u{14A}' | '\u{14B}' => "n",
        'Ò'..='Ö' | 'Ø' | 'ò'..='ö' | 'ø' | '\u{14C}'..='\u{151}' => "o",
        'Œ' | 'œ' => "oe",
        '\u{154}'..='\u{159}' => "r",
        '\u{15A}'..='\u{161}' | 'ſ' | 'Ș' | 'ș' => "s",
        'ß' | 'ẞ' => "ss",
        '\u{162}'..='\u{167}' | 'Ț' | 'ț' => "t",
        'Þ' | 'þ' => "th",
        'Ù'..='Ü' | 'ù'..='ü' | '\u{168}'..='\u{173}' => "u",
        '\u{174}' | '\u{175}' => "w",
        'Ý' | 'ý' | 'ÿ' | '\u{176}'..='\u{178}' => "y",
        '\u{179}'..='\u{17E}' => "z",
        _ => return None,
    })
}
