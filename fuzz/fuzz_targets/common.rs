//! What the targets share: the fuzzer's bytes cut into form fields.
// Each target uses what it needs of this file.
#![allow(dead_code)]

/// The input as text (invalid UTF-8 replaced, as a decoded form would be
/// refused before reaching a parser), cut into `n` fields at each `\x1f`
/// (a field left out is empty; the rest goes into the last one).
pub fn fields<const N: usize>(data: &[u8]) -> [String; N] {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(N, '\u{1f}');
    std::array::from_fn(|_| parts.next().unwrap_or_default().to_owned())
}

/// A day from two bytes of the input (2019 to 2030), for "today" and the
/// like: the parsers are relative to a day, which is fuzzed too.
pub fn day(data: &[u8]) -> time::Date {
    let n = u16::from_le_bytes([
        data.first().copied().unwrap_or(0),
        data.get(1).copied().unwrap_or(0),
    ]);
    time::Date::from_calendar_date(2019, time::Month::January, 1)
        .expect("a date")
        .saturating_add(time::Duration::days(i64::from(n % 4383)))
}
