//! `relais::dates` and `relais::date_fields`: dates written `YYYY-MM-DD`,
//! `DD/MM/YYYY`, in three form fields, and instants as UTC text. No panic;
//! a date read is written back and read again the same.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let today = common::day(data);
    let text = String::from_utf8_lossy(data.get(2..).unwrap_or_default());
    if let Some(date) = relais::dates::parse_iso(&text) {
        assert_eq!(
            relais::dates::parse_iso(&relais::dates::iso(date)),
            Some(date),
            "{text:?}"
        );
    }
    if let Some(date) = relais::dates::parse_dmy(&text) {
        assert_eq!(
            relais::dates::parse_dmy(&relais::dates::dmy(date)),
            Some(date),
            "{text:?}"
        );
        let _ = relais::dates::long_date(date, relais::Lang::Fr);
    }
    let [day, month, year] = common::fields::<3>(data.get(2..).unwrap_or_default());
    if let Ok(date) = relais::date_fields::parse_birth_date(&day, &month, &year, today) {
        assert!(date <= today, "{date} after {today}");
    }
    let first_year = u32::from(data.first().copied().unwrap_or(0)) * 10;
    let _ = relais::date_fields::parse_past_date(&day, &month, &year, first_year, today);
    let mut seconds = [0u8; 8];
    for (slot, byte) in seconds.iter_mut().zip(data) {
        *slot = *byte;
    }
    let _ = relais::dates::utc_text(i64::from_le_bytes(seconds));
});
