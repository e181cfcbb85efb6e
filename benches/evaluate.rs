//! How long the rules take: one contact (what the browser recomputes on
//! every keystroke), a 50-contact case, the same through the JSON scenario
//! of `relais doctrine evaluate`, and parsing the embedded rule sets.
//!
//! Run: `cargo bench -p relais --bench evaluate`.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use relais::rules::assess;
use relais::scenario::evaluate_json;
use relais::{CaseSituation, ContactExposure, ExposureKind, Protection, RuleSets};
use time::Date;

fn day(y: i32, m: u32, d: u32) -> Date {
    relais::dates::ymd(y, m, d).unwrap_or(Date::MIN)
}

fn case() -> CaseSituation {
    CaseSituation::new(Some(day(2021, 1, 20)), day(2021, 1, 21))
}

/// Fifty varied contacts: household, exposures with and without masks,
/// some met after the window closed (all valid for `evaluate_json`).
fn contacts() -> Vec<ContactExposure> {
    (0..50u32)
        .map(|i| {
            let mut c = ContactExposure::met_on(day(2021, 1, 18 + i % 5));
            c.household = i % 10 == 0;
            c.exposures.insert(ExposureKind::ALL[i as usize % 4]);
            if i % 3 == 0 {
                c.exposures.insert(ExposureKind::FaceToFace);
            }
            if i % 4 == 0 {
                c.protection.insert(Protection::ALL[i as usize % 3]);
            }
            c
        })
        .collect()
}

fn scenario_json(contacts: &[ContactExposure]) -> String {
    format!(
        r#"{{"case": {{"symptom_onset": "2021-01-20", "sample_date": "2021-01-21"}}, "contacts": {}}}"#,
        serde_json::to_string(contacts).unwrap_or_default()
    )
}

fn bench(c: &mut Criterion) {
    let sets = RuleSets::embedded();
    let case = case();
    let contacts = contacts();
    let one = &contacts[3];

    c.bench_function(
        "one contact (window, isolation, classification, quarantine)",
        |b| b.iter(|| assess(&sets, black_box(&case)).assess_contact(black_box(one))),
    );
    c.bench_function("50-contact case", |b| {
        b.iter(|| {
            let a = assess(&sets, black_box(&case));
            black_box(&contacts)
                .iter()
                .map(|c| a.assess_contact(c))
                .collect::<Vec<_>>()
        })
    });
    let json = scenario_json(&contacts);
    let today = day(2021, 2, 1);
    c.bench_function(
        "evaluate_json, 50-contact case (parse + check + rules + JSON)",
        |b| b.iter(|| evaluate_json(&sets, black_box(&json), today)),
    );
    c.bench_function("RuleSets::embedded (parse both TOML files)", |b| {
        b.iter(RuleSets::embedded)
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
