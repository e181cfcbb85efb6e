//! Reading a rule-set TOML file into a [`RuleSet`], field by field, so that
//! every refusal names the field and the problem. Serde's derive would stop
//! at the first type error with a less precise path, and would not check
//! meaning (ranges, duplicates, test days within the quarantine).

use super::error::{Problem, RuleSetError};
use super::rule_set::{
    Advice, Anchor, Audience, CaseProfile, CaseRules, Condition, ContactMeasures, ContactProfile,
    ContactRules, EarlyRelease, Localized, Right, RuleSet, TestKind, TestRule, WindowRules,
    MAX_DAYS,
};
use crate::names::UnknownName;
use crate::situation::AgeBand;
use std::collections::BTreeSet;
use std::str::FromStr;
use time::Date;
use toml::{Table, Value};

const ROOT_KEYS: &[&str] = &[
    "id",
    "title",
    "effective",
    "window",
    "case",
    "contact",
    "rights",
];
/// Every language's code: `fr` and `en` required, the others optional.
const LOCALIZED_KEYS: &[&str] = &["fr", "en", "ar", "es", "pt", "tr", "ro", "zh"];
const WINDOW_KEYS: &[&str] = &[
    "days_before_onset",
    "days_before_sample",
    "places_days_before_j0",
];
const CASE_KEYS: &[&str] = &[
    "isolation_days",
    "fever_extension_days",
    "early_release",
    "profiles",
];
const CASE_PROFILE_KEYS: &[&str] = &["id", "when", "isolation_days", "early_release"];
const EARLY_RELEASE_KEYS: &[&str] = &["day", "symptom_free_hours"];
const CONDITION_KEYS: &[&str] = &["vaccinated", "age_band"];
const CONTACT_KEYS: &[&str] = &[
    "quarantine",
    "quarantine_days",
    "tests",
    "extension_without_test_days",
    "advice",
    "sworn_statement",
    "profiles",
    "at_risk_exposures",
    "neutralising_protections",
    // The format of 2020 and 2021, still read (see `legacy_contact`).
    "test_days",
    "fully_vaccinated_skip_quarantine",
];
const CONTACT_PROFILE_KEYS: &[&str] = &[
    "id",
    "when",
    "quarantine",
    "quarantine_days",
    "tests",
    "extension_without_test_days",
    "advice",
    "sworn_statement",
];
const TEST_KEYS: &[&str] = &["anchor", "day", "kind", "ends_quarantine", "household_only"];
const RIGHT_KEYS: &[&str] = &["id", "title", "how_to", "applies_to"];

/// The file being read, to name it in every error.
struct Ctx<'a> {
    file: &'a str,
}

impl Ctx<'_> {
    fn err(&self, field: &str, problem: Problem) -> RuleSetError {
        RuleSetError {
            file: self.file.to_owned(),
            field: Some(field.to_owned()),
            problem,
        }
    }
}

type Result<T> = std::result::Result<T, RuleSetError>;

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

pub(super) fn parse_rule_set(file: &str, text: &str) -> Result<RuleSet> {
    let ctx = Ctx { file };
    let root: Table = text.parse().map_err(|e: toml::de::Error| RuleSetError {
        file: file.to_owned(),
        field: None,
        problem: Problem::Syntax(syntax_message(text, &e)),
    })?;
    check_keys(&ctx, &root, "", ROOT_KEYS)?;

    let id = text_field(&ctx, &root, "", "id")?;
    if !is_machine_name(&id) {
        return Err(ctx.err("id", Problem::InvalidId(id)));
    }
    let title = localized(&ctx, &root, "", "title")?;
    let effective = date(&ctx, &root, "", "effective")?;

    let w = table(&ctx, &root, "", "window", WINDOW_KEYS)?;
    let window = WindowRules {
        days_before_onset: days(&ctx, w, "window", "days_before_onset")?,
        days_before_sample: days(&ctx, w, "window", "days_before_sample")?,
        places_days_before_j0: match w.get("places_days_before_j0") {
            Some(value) => day_value(&ctx, "window.places_days_before_j0", value)?,
            None => super::rule_set::DEFAULT_PLACES_DAYS,
        },
    };

    let c = table(&ctx, &root, "", "case", CASE_KEYS)?;
    let case = case_rules(&ctx, c)?;

    let k = table(&ctx, &root, "", "contact", CONTACT_KEYS)?;
    let contact = ContactRules {
        measures: contact_measures(&ctx, k)?,
        profiles: contact_profiles(&ctx, k)?,
        at_risk_exposures: name_set(&ctx, k, "contact", "at_risk_exposures", false)?,
        neutralising_protections: name_set(&ctx, k, "contact", "neutralising_protections", true)?,
    };

    let rights = rights(&ctx, &root)?;
    Ok(RuleSet {
        id,
        title,
        effective,
        window,
        case,
        contact,
        rights,
        file: file.to_owned(),
        embedded: false,
    })
}

/// toml's own message with the line and column, on one line.
fn syntax_message(text: &str, e: &toml::de::Error) -> String {
    let message = e.message().trim().replace('\n', " ");
    match e.span() {
        Some(span) => {
            let before = text.get(..span.start).unwrap_or(text);
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!("line {line}, column {column}: {message}")
        }
        None => message,
    }
}

/// Lowercase ASCII letters, digits, `-` and `_`, starting with a letter or
/// a digit, at most 64 characters: safe on a command line and in a URL.
fn is_machine_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && s.len() <= 64
}

fn check_keys(ctx: &Ctx<'_>, t: &Table, path: &str, valid: &'static [&'static str]) -> Result<()> {
    match t.keys().find(|k| !valid.contains(&k.as_str())) {
        Some(key) => Err(ctx.err(&join(path, key), Problem::UnknownField { valid })),
        None => Ok(()),
    }
}

fn wrong_type(ctx: &Ctx<'_>, field: &str, expected: &'static str, found: &Value) -> RuleSetError {
    ctx.err(
        field,
        Problem::WrongType {
            expected,
            found: found.type_str(),
        },
    )
}

fn required<'t>(ctx: &Ctx<'_>, t: &'t Table, path: &str, key: &str) -> Result<&'t Value> {
    t.get(key)
        .ok_or_else(|| ctx.err(&join(path, key), Problem::Missing))
}

fn table<'t>(
    ctx: &Ctx<'_>,
    t: &'t Table,
    path: &str,
    key: &str,
    valid: &'static [&'static str],
) -> Result<&'t Table> {
    let field = join(path, key);
    match required(ctx, t, path, key)? {
        Value::Table(inner) => {
            check_keys(ctx, inner, &field, valid)?;
            Ok(inner)
        }
        other => Err(wrong_type(ctx, &field, "table", other)),
    }
}

fn text_field(ctx: &Ctx<'_>, t: &Table, path: &str, key: &str) -> Result<String> {
    let field = join(path, key);
    match required(ctx, t, path, key)? {
        Value::String(s) if s.trim().is_empty() => Err(ctx.err(&field, Problem::Empty)),
        Value::String(s) => Ok(s.trim().to_owned()),
        other => Err(wrong_type(ctx, &field, "string", other)),
    }
}

fn localized(ctx: &Ctx<'_>, t: &Table, path: &str, key: &str) -> Result<Localized> {
    let inner = table(ctx, t, path, key, LOCALIZED_KEYS)?;
    let field = join(path, key);
    let mut more = std::collections::BTreeMap::new();
    for lang in crate::Lang::ALL.into_iter().filter(|l| !l.is_staff()) {
        if inner.contains_key(lang.code()) {
            more.insert(lang, text_field(ctx, inner, &field, lang.code())?);
        }
    }
    Ok(Localized {
        fr: text_field(ctx, inner, &field, "fr")?,
        en: text_field(ctx, inner, &field, "en")?,
        more,
    })
}

fn day_value(ctx: &Ctx<'_>, field: &str, v: &Value) -> Result<u32> {
    match v {
        Value::Integer(n) if *n < 0 => Err(ctx.err(field, Problem::Negative(*n))),
        Value::Integer(n) => match u32::try_from(*n) {
            Ok(d) if d <= MAX_DAYS => Ok(d),
            _ => Err(ctx.err(
                field,
                Problem::TooLarge {
                    value: *n,
                    max: MAX_DAYS,
                },
            )),
        },
        other => Err(wrong_type(ctx, field, "integer (days)", other)),
    }
}

fn days(ctx: &Ctx<'_>, t: &Table, path: &str, key: &str) -> Result<u32> {
    day_value(ctx, &join(path, key), required(ctx, t, path, key)?)
}

fn boolean(ctx: &Ctx<'_>, t: &Table, path: &str, key: &str) -> Result<bool> {
    match required(ctx, t, path, key)? {
        Value::Boolean(b) => Ok(*b),
        other => Err(wrong_type(ctx, &join(path, key), "boolean", other)),
    }
}

/// A TOML date (`effective = 2021-01-18`) or the same as a string.
fn date(ctx: &Ctx<'_>, t: &Table, path: &str, key: &str) -> Result<Date> {
    let field = join(path, key);
    match required(ctx, t, path, key)? {
        Value::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
            (Some(d), None, None) => crate::dates::ymd(d.year.into(), d.month.into(), d.day.into())
                .ok_or_else(|| ctx.err(&field, Problem::InvalidDate(dt.to_string()))),
            _ => Err(ctx.err(&field, Problem::InvalidDate(dt.to_string()))),
        },
        Value::String(s) => crate::dates::parse_iso(s.trim())
            .ok_or_else(|| ctx.err(&field, Problem::InvalidDate(s.clone()))),
        other => Err(wrong_type(ctx, &field, "date", other)),
    }
}

fn array<'t>(ctx: &Ctx<'_>, t: &'t Table, path: &str, key: &str) -> Result<&'t Vec<Value>> {
    match required(ctx, t, path, key)? {
        Value::Array(items) => Ok(items),
        other => Err(wrong_type(ctx, &join(path, key), "array", other)),
    }
}

fn optional_days(ctx: &Ctx<'_>, t: &Table, path: &str, key: &str) -> Result<Option<u32>> {
    optional(t, key, || days(ctx, t, path, key))
}

/// `read`'s value when `key` is in `t`, `None` when it is absent.
fn optional<T>(t: &Table, key: &str, read: impl FnOnce() -> Result<T>) -> Result<Option<T>> {
    t.contains_key(key).then(read).transpose()
}

fn optional_boolean(ctx: &Ctx<'_>, t: &Table, path: &str, key: &str) -> Result<Option<bool>> {
    optional(t, key, || boolean(ctx, t, path, key))
}

/// An inline or standard table at `key`, if present.
fn optional_table<'t>(
    ctx: &Ctx<'_>,
    t: &'t Table,
    path: &str,
    key: &str,
    valid: &'static [&'static str],
) -> Result<Option<&'t Table>> {
    optional(t, key, || table(ctx, t, path, key, valid))
}

/// The tables of an array of tables (`[[case.profiles]]`), with their paths.
fn tables<'t>(
    ctx: &Ctx<'_>,
    t: &'t Table,
    path: &str,
    key: &str,
) -> Result<Vec<(String, &'t Table)>> {
    if !t.contains_key(key) {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for (i, v) in array(ctx, t, path, key)?.iter().enumerate() {
        let field = format!("{}[{i}]", join(path, key));
        match v {
            Value::Table(inner) => out.push((field, inner)),
            other => return Err(wrong_type(ctx, &field, "table", other)),
        }
    }
    Ok(out)
}

fn case_rules(ctx: &Ctx<'_>, c: &Table) -> Result<CaseRules> {
    let isolation_days = days(ctx, c, "case", "isolation_days")?;
    let release = early_release(ctx, c, "case", isolation_days)?;
    let mut profiles: Vec<CaseProfile> = Vec::new();
    for (path, p) in tables(ctx, c, "case", "profiles")? {
        check_keys(ctx, p, &path, CASE_PROFILE_KEYS)?;
        let id = profile_id(ctx, p, &path, profiles.iter().map(|q| q.id.as_str()))?;
        let when = condition(ctx, p, &path)?;
        unreachable_after(ctx, &path, &when, profiles.iter().map(|q| (&q.id, &q.when)))?;
        let isolation_days = days(ctx, p, &path, "isolation_days")?;
        profiles.push(CaseProfile {
            early_release: early_release(ctx, p, &path, isolation_days)?,
            id,
            when,
            isolation_days,
        });
    }
    Ok(CaseRules {
        isolation_days,
        fever_extension_days: days(ctx, c, "case", "fever_extension_days")?,
        early_release: release,
        profiles,
    })
}

fn early_release(
    ctx: &Ctx<'_>,
    t: &Table,
    path: &str,
    isolation_days: u32,
) -> Result<Option<EarlyRelease>> {
    let Some(e) = optional_table(ctx, t, path, "early_release", EARLY_RELEASE_KEYS)? else {
        return Ok(None);
    };
    let field = join(path, "early_release");
    let day = days(ctx, e, &field, "day")?;
    if day >= isolation_days {
        return Err(ctx.err(
            &join(&field, "day"),
            Problem::ReleaseNotEarly {
                day,
                isolation_days,
            },
        ));
    }
    let hours = match required(ctx, e, &field, "symptom_free_hours")? {
        Value::Integer(n) if (0..=i64::from(MAX_DAYS) * 24).contains(n) => *n as u32,
        Value::Integer(n) if *n < 0 => {
            return Err(ctx.err(&join(&field, "symptom_free_hours"), Problem::Negative(*n)))
        }
        Value::Integer(n) => {
            return Err(ctx.err(
                &join(&field, "symptom_free_hours"),
                Problem::TooLarge {
                    value: *n,
                    max: MAX_DAYS * 24,
                },
            ))
        }
        other => {
            return Err(wrong_type(
                ctx,
                &join(&field, "symptom_free_hours"),
                "integer (hours)",
                other,
            ))
        }
    };
    Ok(Some(EarlyRelease {
        day,
        symptom_free_hours: hours,
    }))
}

fn profile_id<'a>(
    ctx: &Ctx<'_>,
    p: &Table,
    path: &str,
    mut earlier: impl Iterator<Item = &'a str>,
) -> Result<String> {
    let id = text_field(ctx, p, path, "id")?;
    if !is_machine_name(&id) {
        return Err(ctx.err(&join(path, "id"), Problem::InvalidId(id)));
    }
    if earlier.any(|e| e == id) {
        return Err(ctx.err(&join(path, "id"), Problem::Duplicate(id)));
    }
    Ok(id)
}

fn condition(ctx: &Ctx<'_>, p: &Table, path: &str) -> Result<Condition> {
    let field = join(path, "when");
    let w = table(ctx, p, path, "when", CONDITION_KEYS)?;
    let when = Condition {
        vaccinated: optional_boolean(ctx, w, &field, "vaccinated")?,
        age_band: optional(w, "age_band", || {
            name_set::<AgeBand>(ctx, w, &field, "age_band", false)
        })?,
    };
    if when.is_empty() {
        return Err(ctx.err(&field, Problem::Empty));
    }
    Ok(when)
}

/// Refuses a profile that an earlier one always wins over: each of the
/// earlier condition's criteria is absent or at least as wide.
fn unreachable_after<'a>(
    ctx: &Ctx<'_>,
    path: &str,
    when: &Condition,
    mut earlier: impl Iterator<Item = (&'a String, &'a Condition)>,
) -> Result<()> {
    let covers = |e: &Condition| {
        e.vaccinated.is_none_or(|v| when.vaccinated == Some(v))
            && e.age_band.as_ref().is_none_or(|bands| {
                when.age_band
                    .as_ref()
                    .is_some_and(|mine| mine.is_subset(bands))
            })
    };
    match earlier.find(|(_, e)| covers(e)) {
        Some((id, _)) => Err(ctx.err(
            &join(path, "when"),
            Problem::Unreachable {
                earlier: id.clone(),
            },
        )),
        None => Ok(()),
    }
}

/// The measures of `[contact]` itself: the current keys, or the format of
/// 2020–2021 (`test_days`, `fully_vaccinated_skip_quarantine`), never both.
fn contact_measures(ctx: &Ctx<'_>, k: &Table) -> Result<ContactMeasures> {
    let legacy = ["test_days", "fully_vaccinated_skip_quarantine"];
    let current = ["tests", "profiles", "quarantine"];
    if let Some(old) = legacy.iter().find(|key| k.contains_key(**key)) {
        if let Some(new) = current.iter().find(|key| k.contains_key(**key)) {
            return Err(ctx.err(
                &join("contact", old),
                Problem::Inconsistent(match *new {
                    "tests" => "the old `test_days` format cannot be mixed with `tests`",
                    "profiles" => "the old `test_days` format cannot be mixed with `profiles`",
                    _ => "the old `test_days` format cannot be mixed with `quarantine`",
                }),
            ));
        }
        return legacy_measures(ctx, k);
    }
    measures(ctx, k, "contact")
}

/// `test_days = [0, 7]`: day 0 is "at once" (anchored on the day the
/// contact is informed), any other day counts from the last contact;
/// antigen or PCR tests.
fn legacy_measures(ctx: &Ctx<'_>, k: &Table) -> Result<ContactMeasures> {
    let quarantine_days = days(ctx, k, "contact", "quarantine_days")?;
    let mut tests: Vec<TestRule> = Vec::new();
    let mut seen: Vec<u32> = Vec::new();
    for (i, v) in array(ctx, k, "contact", "test_days")?.iter().enumerate() {
        let field = format!("contact.test_days[{i}]");
        let day = day_value(ctx, &field, v)?;
        if day > quarantine_days {
            return Err(ctx.err(
                &field,
                Problem::TestDayAfterQuarantineEnd {
                    day,
                    quarantine_days,
                },
            ));
        }
        if seen.contains(&day) {
            return Err(ctx.err(&field, Problem::Duplicate(day.to_string())));
        }
        seen.push(day);
        let anchor = if day == 0 {
            Anchor::Informed
        } else {
            Anchor::LastContact
        };
        tests.push(TestRule {
            anchor,
            day,
            kind: TestKind::Lab,
            ends_quarantine: false,
            household_only: false,
        });
    }
    tests.sort_by_key(|t| (t.anchor != Anchor::Informed, t.day));
    Ok(ContactMeasures {
        quarantine_days: Some(quarantine_days),
        tests,
        extension_without_test_days: 0,
        advice: Default::default(),
        sworn_statement: false,
    })
}

/// `[[contact.profiles]]`, or, in the old format, the profile that
/// `fully_vaccinated_skip_quarantine = true` meant.
fn contact_profiles(ctx: &Ctx<'_>, k: &Table) -> Result<Vec<ContactProfile>> {
    if k.contains_key("test_days") || k.contains_key("fully_vaccinated_skip_quarantine") {
        let skip = boolean(ctx, k, "contact", "fully_vaccinated_skip_quarantine")?;
        if !skip {
            return Ok(Vec::new());
        }
        let mut measures = legacy_measures(ctx, k)?;
        measures.quarantine_days = None;
        return Ok(vec![ContactProfile {
            id: "vaccinated".to_owned(),
            when: Condition {
                vaccinated: Some(true),
                age_band: None,
            },
            measures,
        }]);
    }
    let mut profiles: Vec<ContactProfile> = Vec::new();
    for (path, p) in tables(ctx, k, "contact", "profiles")? {
        check_keys(ctx, p, &path, CONTACT_PROFILE_KEYS)?;
        let id = profile_id(ctx, p, &path, profiles.iter().map(|q| q.id.as_str()))?;
        let when = condition(ctx, p, &path)?;
        unreachable_after(ctx, &path, &when, profiles.iter().map(|q| (&q.id, &q.when)))?;
        profiles.push(ContactProfile {
            measures: measures(ctx, p, &path)?,
            id,
            when,
        });
    }
    Ok(profiles)
}

/// The measures in `t` (at `path`), checked together: test days within
/// the quarantine, one ending test on its last day, an extension only
/// with an ending test, a sworn statement only with self-tests.
fn measures(ctx: &Ctx<'_>, t: &Table, path: &str) -> Result<ContactMeasures> {
    let quarantine = optional_boolean(ctx, t, path, "quarantine")?.unwrap_or(true);
    let quarantine_days = if quarantine {
        Some(days(ctx, t, path, "quarantine_days")?)
    } else {
        if t.contains_key("quarantine_days") {
            return Err(ctx.err(
                &join(path, "quarantine_days"),
                Problem::Inconsistent("no quarantine (`quarantine = false`) has no length"),
            ));
        }
        None
    };
    let tests_path = join(path, "tests");
    let mut tests: Vec<TestRule> = Vec::new();
    for (i, v) in array(ctx, t, path, "tests")?.iter().enumerate() {
        let field = format!("{tests_path}[{i}]");
        let test = test_rule(ctx, v, &field, quarantine_days)?;
        if tests
            .iter()
            .any(|o| o.anchor == test.anchor && o.day == test.day)
        {
            return Err(ctx.err(
                &field,
                Problem::Duplicate(format!("{} + {}", test.anchor, test.day)),
            ));
        }
        if test.ends_quarantine && tests.iter().any(|o| o.ends_quarantine) {
            return Err(ctx.err(&field, Problem::SeveralEndingTests));
        }
        tests.push(test);
    }
    let extension_without_test_days =
        optional_days(ctx, t, path, "extension_without_test_days")?.unwrap_or(0);
    if extension_without_test_days > 0 && !tests.iter().any(|t| t.ends_quarantine) {
        return Err(ctx.err(
            &join(path, "extension_without_test_days"),
            Problem::Inconsistent(
                "a quarantine is extended without the test that ends it: mark that test \
                 with `ends_quarantine = true`",
            ),
        ));
    }
    let advice = optional(t, "advice", || {
        name_set::<Advice>(ctx, t, path, "advice", true)
    })?
    .unwrap_or_default();
    let sworn_statement = optional_boolean(ctx, t, path, "sworn_statement")?.unwrap_or(false);
    if sworn_statement && !tests.iter().any(|t| t.kind == TestKind::SelfTest) {
        return Err(ctx.err(
            &join(path, "sworn_statement"),
            Problem::Inconsistent("a sworn statement attests self-tests: list at least one"),
        ));
    }
    Ok(ContactMeasures {
        quarantine_days,
        tests,
        extension_without_test_days,
        advice,
        sworn_statement,
    })
}

fn test_rule(
    ctx: &Ctx<'_>,
    v: &Value,
    field: &str,
    quarantine_days: Option<u32>,
) -> Result<TestRule> {
    let t = match v {
        Value::Table(t) => t,
        other => return Err(wrong_type(ctx, field, "table", other)),
    };
    check_keys(ctx, t, field, TEST_KEYS)?;
    let anchor = name(ctx, t, field, "anchor")?;
    let day = days(ctx, t, field, "day")?;
    let kind = name(ctx, t, field, "kind")?;
    let ends_quarantine = optional_boolean(ctx, t, field, "ends_quarantine")?.unwrap_or(false);
    let household_only = optional_boolean(ctx, t, field, "household_only")?.unwrap_or(false);
    if let (Anchor::LastContact, Some(q)) = (anchor, quarantine_days) {
        if day > q {
            return Err(ctx.err(
                &join(field, "day"),
                Problem::TestDayAfterQuarantineEnd {
                    day,
                    quarantine_days: q,
                },
            ));
        }
    }
    if ends_quarantine {
        let Some(q) = quarantine_days else {
            return Err(ctx.err(
                &join(field, "ends_quarantine"),
                Problem::EndingTestWithoutQuarantine,
            ));
        };
        if anchor != Anchor::LastContact || day != q {
            return Err(ctx.err(
                &join(field, "ends_quarantine"),
                Problem::EndingTestNotOnLastDay {
                    anchor: anchor.as_str(),
                    day,
                    quarantine_days: q,
                },
            ));
        }
        if household_only {
            return Err(ctx.err(
                &join(field, "household_only"),
                Problem::Inconsistent(
                    "the test that ends everyone's quarantine cannot be for household members only",
                ),
            ));
        }
    }
    Ok(TestRule {
        anchor,
        day,
        kind,
        ends_quarantine,
        household_only,
    })
}

/// One machine name (an anchor, a test kind).
fn name<T>(ctx: &Ctx<'_>, t: &Table, path: &str, key: &str) -> Result<T>
where
    T: FromStr<Err = UnknownName>,
{
    let field = join(path, key);
    match required(ctx, t, path, key)? {
        Value::String(s) => s
            .parse::<T>()
            .map_err(|e| ctx.err(&field, Problem::UnknownName(e))),
        other => Err(wrong_type(ctx, &field, "string", other)),
    }
}

/// A list of machine names (exposure kinds, protections, audiences).
fn name_set<T>(
    ctx: &Ctx<'_>,
    t: &Table,
    path: &str,
    key: &str,
    allow_empty: bool,
) -> Result<BTreeSet<T>>
where
    T: FromStr<Err = UnknownName> + Ord,
{
    let items = array(ctx, t, path, key)?;
    if items.is_empty() && !allow_empty {
        return Err(ctx.err(&join(path, key), Problem::Empty));
    }
    let mut set = BTreeSet::new();
    for (i, v) in items.iter().enumerate() {
        let field = format!("{}[{i}]", join(path, key));
        let name = match v {
            Value::String(s) => s,
            other => return Err(wrong_type(ctx, &field, "string", other)),
        };
        let parsed = name
            .parse::<T>()
            .map_err(|e| ctx.err(&field, Problem::UnknownName(e)))?;
        if !set.insert(parsed) {
            return Err(ctx.err(&field, Problem::Duplicate(name.clone())));
        }
    }
    Ok(set)
}

fn rights(ctx: &Ctx<'_>, root: &Table) -> Result<Vec<Right>> {
    let items = array(ctx, root, "", "rights")?;
    if items.is_empty() {
        return Err(ctx.err("rights", Problem::Empty));
    }
    let mut rights: Vec<Right> = Vec::with_capacity(items.len());
    for (i, v) in items.iter().enumerate() {
        let path = format!("rights[{i}]");
        let t = match v {
            Value::Table(t) => t,
            other => return Err(wrong_type(ctx, &path, "table", other)),
        };
        check_keys(ctx, t, &path, RIGHT_KEYS)?;
        let id = text_field(ctx, t, &path, "id")?;
        if !is_machine_name(&id) {
            return Err(ctx.err(&join(&path, "id"), Problem::InvalidId(id)));
        }
        if rights.iter().any(|r| r.id == id) {
            return Err(ctx.err(&join(&path, "id"), Problem::Duplicate(id)));
        }
        rights.push(Right {
            title: localized(ctx, t, &path, "title")?,
            how_to: localized(ctx, t, &path, "how_to")?,
            applies_to: name_set::<Audience>(ctx, t, &path, "applies_to", false)?,
            id,
        });
    }
    Ok(rights)
}
