//! The rule-set files (`relais::doctrine`, TOML): any text is read or
//! refused with the file, field and problem, never a panic; a set read is
//! accepted beside the shipped ones or refused the same way.
#![no_main]

use libfuzzer_sys::fuzz_target;
use relais::RuleSets;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match RuleSets::parse_file("fuzz.toml", text) {
        Ok(set) => {
            let _ = set.facts_used().count();
            if let Ok(sets) = RuleSets::with_files([("fuzz.toml", text)]) {
                let _ = sets.select(set.effective);
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
