//! Texts received by SMS (`relais::sms_reply::parse_reply`) and the GSM-7
//! writing of texts sent (`relais::sms`): never a panic; what is written in
//! GSM-7 is GSM-7, and its parts hold it all.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let reply = relais::sms_reply::parse_reply(&text);
    let _ = format!("{reply:?}");
    let gsm = relais::sms::to_gsm7(&text);
    assert!(relais::sms::is_gsm7(&gsm), "{text:?} → {gsm:?}");
    let segments = relais::sms::segments(&gsm);
    assert_eq!(relais::sms::parts(&gsm), segments.len());
    assert_eq!(segments.concat(), gsm, "the parts hold the whole text");
});
