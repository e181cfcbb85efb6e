//! `relais demo`: demonstration data so that a newcomer can try every
//! journey. The people are invented. Loaded once; every run issues fresh
//! links and fresh staff passwords (only hashes are stored, so the old ones
//! cannot be printed again).

use app::roles::StaffRole;
use app::security::{password::hash_password, token::new_token};
use app::store::cases::{self, NewCase};
use app::store::{staff, Db};
use chrono::{Duration, Utc};
use relais::Lang;
use std::fmt::Write;

/// The reference prefix of demonstration cases. Their phones are in the
/// ranges reserved for fiction (ARCEP +33 6 39 98, Ofcom +44 7700 900).
pub const DEMO_PREFIX: &str = "DEMO-";

struct DemoCase {
    first_name: &'static str,
    last_name: &'static str,
    birth_date: &'static str,
    phone: &'static str,
    lang: Lang,
    /// Days before today.
    sample_days_ago: i64,
    onset_days_ago: Option<i64>,
    what: &'static str,
}

const CASES: &[DemoCase] = &[
    DemoCase {
        first_name: "Camille",
        last_name: "Martin",
        birth_date: "1988-04-12",
        phone: "+33639980101",
        lang: Lang::Fr,
        sample_days_ago: 1,
        onset_days_ago: Some(2),
        what: "symptoms began 2 days ago",
    },
    DemoCase {
        first_name: "Lucas",
        last_name: "Bernard",
        birth_date: "1975-09-30",
        phone: "+33639980102",
        lang: Lang::Fr,
        sample_days_ago: 1,
        onset_days_ago: None,
        what: "no symptoms, tested yesterday",
    },
    DemoCase {
        first_name: "Emily",
        last_name: "Walker",
        birth_date: "1992-01-05",
        phone: "+447700900123",
        lang: Lang::En,
        sample_days_ago: 2,
        onset_days_ago: Some(3),
        what: "English speaker, British mobile",
    },
    DemoCase {
        first_name: "Noé",
        last_name: "Petit",
        birth_date: "2001-06-21",
        phone: "+33639980104",
        lang: Lang::Fr,
        sample_days_ago: 3,
        onset_days_ago: Some(4),
        what: "try five wrong dates of birth to see the lockout",
    },
];

const STAFF: &[(&str, &str, StaffRole)] = &[
    ("demo-tracer", "Dominique Traceur (démo)", StaffRole::Tracer),
    (
        "demo-supervisor",
        "Sacha Superviseur (démo)",
        StaffRole::Supervisor,
    ),
    ("demo-admin", "Alex Admin (démo)", StaffRole::Admin),
];

/// Loads the demo data if absent, issues fresh links and passwords, and
/// returns the text to print.
pub async fn load(db: &Db, public_url: &str) -> anyhow::Result<String> {
    let mut existing = cases::case_ids_with_reference_prefix(db, DEMO_PREFIX).await?;
    if existing.is_empty() {
        let today = Utc::now().date_naive();
        for (i, demo) in CASES.iter().enumerate() {
            let case = NewCase {
                reference: format!("{DEMO_PREFIX}{:04}", i + 1),
                lab_reference: None,
                first_name: demo.first_name.to_owned(),
                last_name: demo.last_name.to_owned(),
                birth_date: demo.birth_date.to_owned(),
                phone: demo.phone.to_owned(),
                lang: demo.lang,
                sample_date: (today - Duration::days(demo.sample_days_ago)).to_string(),
                test_type: "pcr".to_owned(),
                symptom_onset: demo
                    .onset_days_ago
                    .map(|d| (today - Duration::days(d)).to_string()),
            };
            cases::create_case(db, &case).await?;
        }
        existing = cases::case_ids_with_reference_prefix(db, DEMO_PREFIX).await?;
    }

    let mut out = String::new();
    writeln!(
        out,
        "Relais demo — invented people, for trying every journey."
    )?;
    writeln!(out)?;
    writeln!(out, "Case links (confirm the date of birth shown):")?;
    for ((id, reference), demo) in existing.iter().zip(CASES) {
        let token = cases::issue_case_link(db, *id).await?;
        writeln!(
            out,
            "  {reference}  {public_url}/d/{}   born {} — {}",
            token.token, demo.birth_date, demo.what
        )?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "Staff accounts (for the tracer console at {public_url}/staff, not built yet):"
    )?;
    for (username, name, role) in STAFF {
        let password = new_token().token;
        let hash = hash_password(&password)?;
        if !staff::set_password(db, username, &hash).await? {
            staff::create_staff_user(db, username, name, *role, &hash).await?;
        }
        writeln!(
            out,
            "  {:<16} {:<11} password: {password}",
            username,
            role.as_str()
        )?;
    }
    writeln!(out)?;
    writeln!(out, "Link checker on the home page: {public_url}/")?;
    Ok(out)
}
