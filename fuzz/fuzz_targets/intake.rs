//! The lab feed's items (`relais::intake`): any JSON item is read
//! (`raw_from_json`) and checked (`parse_case`) or rejected naming its
//! fields, never a panic.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use relais::territory::Territories;
use std::sync::OnceLock;

fn territories() -> &'static Territories {
    static SHIPPED: OnceLock<Territories> = OnceLock::new();
    SHIPPED.get_or_init(Territories::shipped)
}

fuzz_target!(|data: &[u8]| {
    let today = common::day(data);
    let Ok(item) = serde_json::from_slice::<serde_json::Value>(data.get(2..).unwrap_or_default())
    else {
        return;
    };
    match relais::intake::raw_from_json(&item) {
        Ok(raw) => match relais::intake::parse_case(&raw, today, territories()) {
            Ok(case) => {
                assert!(case.phone.starts_with('+'), "{}", case.phone);
                assert!(!case.lab_reference.is_empty());
            }
            Err(errors) => assert!(!errors.is_empty()),
        },
        // Each problem has its reason (its field is the key as sent, which
        // may be any text, "" included).
        Err(errors) => assert!(errors.iter().all(|e| !e.reason.is_empty())),
    }
});
