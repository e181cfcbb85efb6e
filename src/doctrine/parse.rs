//! Reading a rule-set TOML file into a [`RuleSet`], field by field, so that
//! every refusal names the field and the problem. Serde's derive would stop
//! at the first type error with a less precise path, and would not check
//! meaning (ranges, duplicates, test days within the quarantine).

use super::error::{Problem, RuleSetError};
use super::rule_set::{
    Audience, CaseRules, ContactRules, Localized, Right, RuleSet, WindowRules, MAX_DAYS,
};
use crate::names::UnknownName;
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
const LOCALIZED_KEYS: &[&str] = &["fr", "en"];
const WINDOW_KEYS: &[&str] = &[
    "days_before_onset",
    "days_before_sample",
    "places_days_before_j0",
];
const CASE_KEYS: &[&str] = &["isolation_days", "fever_extension_days"];
const CONTACT_KEYS: &[&str] = &[
    "quarantine_days",
    "test_days",
    "fully_vaccinated_skip_quarantine",
    "at_risk_exposures",
    "neutralising_protections",
];
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
    let case = CaseRules {
        isolation_days: days(&ctx, c, "case", "isolation_days")?,
        fever_extension_days: days(&ctx, c, "case", "fever_extension_days")?,
    };

    let k = table(&ctx, &root, "", "contact", CONTACT_KEYS)?;
    let quarantine_days = days(&ctx, k, "contact", "quarantine_days")?;
    let contact = ContactRules {
        quarantine_days,
        test_days: test_days(&ctx, k, quarantine_days)?,
        fully_vaccinated_skip_quarantine: boolean(
            &ctx,
            k,
            "contact",
            "fully_vaccinated_skip_quarantine",
        )?,
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
    Ok(Localized {
        fr: text_field(ctx, inner, &field, "fr")?,
        en: text_field(ctx, inner, &field, "en")?,
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

fn test_days(ctx: &Ctx<'_>, t: &Table, quarantine_days: u32) -> Result<Vec<u32>> {
    let mut result = Vec::new();
    for (i, v) in array(ctx, t, "contact", "test_days")?.iter().enumerate() {
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
        if result.contains(&day) {
            return Err(ctx.err(&field, Problem::Duplicate(day.to_string())));
        }
        result.push(day);
    }
    result.sort_unstable();
    Ok(result)
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
