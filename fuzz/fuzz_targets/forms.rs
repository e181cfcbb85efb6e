//! The citizen forms' parsers: `relais::contact_form::parse_contact` (and
//! the contact's own details), `relais::place_form::parse_place`, and
//! `relais::form_bytes` (a posted body's fields that are not UTF-8). No
//! panic; a refusal always names a field.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use relais::contact_form::ContactFields;
use relais::place_form::{PlaceFields, PlacePeriod};

fuzz_target!(|data: &[u8]| {
    let _ = relais::form_bytes::first_field_not_utf8(data);
    let today = common::day(data);
    let rest = data.get(2..).unwrap_or_default();
    let [first_name, last_name, phone, email, relationship, day, month, year, exposures, protection, minor, guardian_phone, under_12, vaccination, dose_day, dose_month, dose_year] =
        common::fields::<17>(rest);
    let list = |text: &str| text.split(',').map(str::to_owned).collect::<Vec<_>>();
    let contact = ContactFields {
        first_name: first_name.clone(),
        last_name: last_name.clone(),
        phone: phone.clone(),
        email: email.clone(),
        relationship: relationship.clone(),
        day: day.clone(),
        month: month.clone(),
        year: year.clone(),
        exposures: list(&exposures),
        protection: list(&protection),
        minor: minor.clone(),
        guardian_phone,
        under_12,
        vaccination,
        dose_day,
        dose_month,
        dose_year,
    };
    let first_year = 2019 + u32::from(data.first().copied().unwrap_or(0) % 8);
    if let Err(errors) = relais::contact_form::parse_contact(&contact, first_year, today) {
        assert!(errors
            .iter()
            .all(|e| !e.field.is_empty() && !e.code.is_empty()));
    }
    let _ = relais::contact_form::parse_own_details(&first_name, &last_name, &email, &phone);
    let _ = relais::contact_form::clean_text(&first_name);

    let place = PlaceFields {
        kind: relationship,
        name: first_name,
        town: last_name,
        day,
        month,
        year,
        attendance: phone,
        setting: email,
        masks: minor,
    };
    let days_before = u32::from(data.get(1).copied().unwrap_or(0));
    let period = PlacePeriod::before(today, days_before);
    if let Err(errors) = relais::place_form::parse_place(&place, period, today) {
        assert!(errors
            .iter()
            .all(|e| !e.field.is_empty() && !e.code.is_empty()));
    }
});
