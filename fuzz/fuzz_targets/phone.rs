//! `relais::phone`: a phone number as typed, to E.164. Any text: no panic;
//! a number read is read again the same from its E.164 form, and written.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = relais::phone::display_phone(text);
    if let Ok(phone) = relais::phone::parse_phone(text) {
        let again = relais::phone::parse_phone(&phone.e164)
            .unwrap_or_else(|e| panic!("{text:?} read as {}, which is refused: {e:?}", phone.e164));
        assert_eq!(again.e164, phone.e164, "{text:?}");
        let _ = relais::phone::display_phone(&phone.e164);
    }
});
