//! The raw body of a posted form (`application/x-www-form-urlencoded`),
//! checked before any page reads it: a value whose percent-encoding is not
//! UTF-8 (`%FF%FE`) would otherwise be read as replacement characters and
//! stored; such a form is refused, naming the field (issue 21).

/// The name of the first field whose name or value is not UTF-8 once
/// decoded, if any: as a page may show it (letters, digits, `_` and `-`,
/// 40 at most; `?` when the name itself is unreadable).
pub fn first_field_not_utf8(body: &[u8]) -> Option<String> {
    for pair in body.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
        let (name, value) = match pair.iter().position(|b| *b == b'=') {
            Some(i) => (&pair[..i], &pair[i + 1..]),
            None => (pair, &pair[..0]),
        };
        let name = decode(name);
        let value_ok = std::str::from_utf8(&decode(value)).is_ok();
        match std::str::from_utf8(&name) {
            Ok(_) if value_ok => continue,
            Ok(name) => return Some(shown(name)),
            Err(_) => return Some("?".to_owned()),
        }
    }
    None
}

/// A field name as a page may show it.
fn shown(name: &str) -> String {
    let kept: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
        .take(40)
        .collect();
    if kept.is_empty() {
        "?".to_owned()
    } else {
        kept
    }
}

/// Percent-decodes `+` and `%XX` (a `%` not followed by two hex digits is
/// kept as it is, as browsers and form_urlencoded do).
fn decode(bytes: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn invalid_utf8_names_the_field() {
        assert_eq!(
            first_field_not_utf8(b"first_name=%FF%FE&last_name=Durand"),
            Some("first_name".into())
        );
        assert_eq!(
            first_field_not_utf8(b"a=ok&last_name=Du%C3"),
            Some("last_name".into())
        );
        assert_eq!(first_field_not_utf8(b"%FF=1"), Some("?".into()));
        assert_eq!(first_field_not_utf8(b"<script>=%FF"), Some("script".into()));
    }

    #[test]
    fn valid_forms_pass() {
        for body in [
            &b""[..],
            b"first_name=Ana%C3%AFs&last_name=L%C3%A9a+Marie",
            b"a=&b&c=%",
            b"x=100%25&y=%zz",
            b"name=%E2%82%AC",
        ] {
            assert_eq!(
                first_field_not_utf8(body),
                None,
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }

    proptest! {
        #[test]
        fn any_text_encoded_by_a_browser_passes(pairs in proptest::collection::vec(("[a-z_]{1,10}", "\\PC{0,20}"), 0..6)) {
            let body = pairs
                .iter()
                .map(|(k, v)| format!("{k}={}", url_encode(v)))
                .collect::<Vec<_>>()
                .join("&");
            prop_assert_eq!(first_field_not_utf8(body.as_bytes()), None);
        }

        #[test]
        fn never_panics(body in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = first_field_not_utf8(&body);
        }
    }

    fn url_encode(text: &str) -> String {
        text.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => (b as char).to_string(),
                b' ' => "+".to_owned(),
                _ => format!("%{b:02X}"),
            })
            .collect()
    }
}
