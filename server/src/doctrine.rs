//! The rule sets the service applies: the embedded ones plus an operator's
//! files from `RELAIS_DOCTRINE_DIR` (every `*.toml`), and the
//! `relais doctrine` commands for health staff.

use crate::input::InputError;
use relais::RuleSets;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Reads every `*.toml` of `dir` (sorted by name) and adds it to the
/// embedded sets. A file with a mistake is refused with a message naming
/// the file, the field and the problem; the server does not start on it.
pub fn load_rule_sets(dir: Option<&Path>) -> anyhow::Result<RuleSets> {
    let Some(dir) = dir else {
        return Ok(RuleSets::embedded());
    };
    let entries = std::fs::read_dir(dir).map_err(|e| {
        InputError(format!(
            "RELAIS_DOCTRINE_DIR={}: cannot read the folder: {e}",
            dir.display()
        ))
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    paths.sort();
    let mut files = Vec::with_capacity(paths.len());
    for path in &paths {
        let text = std::fs::read_to_string(path)
            .map_err(|e| InputError(format!("{}: cannot read the file: {e}", path.display())))?;
        files.push((path.display().to_string(), text));
    }
    RuleSets::with_files(
        files
            .iter()
            .map(|(name, text)| (name.as_str(), text.as_str())),
    )
    .map_err(|e| InputError(format!("rule set refused: {e}")).into())
}

/// `relais doctrine list`: one line per rule set.
pub fn list(rule_sets: &RuleSets) -> String {
    let mut out = String::new();
    for set in rule_sets.iter() {
        let source = if set.embedded {
            "embedded"
        } else {
            set.file.as_str()
        };
        out.push_str(&format!(
            "{:<12} effective {}  {}  ({source})\n",
            set.id,
            set.effective,
            set.title.get(relais::Lang::Fr)
        ));
    }
    out
}

/// `relais doctrine check FILE`: parses one file on its own and with the
/// others; prints what it contains or why it is refused.
pub fn check(path: &Path) -> anyhow::Result<String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| InputError(format!("{}: cannot read the file: {e}", path.display())))?;
    let name = path.display().to_string();
    let set = RuleSets::parse_file(&name, &text).map_err(|e| InputError(e.to_string()))?;
    RuleSets::with_files([(name.as_str(), text.as_str())])
        .map_err(|e| InputError(e.to_string()))?;
    let mut out = format!(
        "{name}: valid rule set {:?}, effective {}: case isolation {} days{}, {} rights\n",
        set.id,
        set.effective,
        set.case.isolation_days,
        release_text(set.case.early_release),
        set.rights.len()
    );
    for p in &set.case.profiles {
        out.push_str(&format!(
            "  case profile {:?} ({}): isolation {} days{}\n",
            p.id,
            condition_text(&p.when),
            p.isolation_days,
            release_text(p.early_release)
        ));
    }
    out.push_str(&format!(
        "  contacts: {}\n",
        measures_text(&set.contact.measures)
    ));
    for p in &set.contact.profiles {
        out.push_str(&format!(
            "  contact profile {:?} ({}): {}\n",
            p.id,
            condition_text(&p.when),
            measures_text(&p.measures)
        ));
    }
    let facts: Vec<&str> = set.facts_used().map(|f| f.as_str()).collect();
    out.push_str(&format!(
        "  facts asked: {}\n",
        if facts.is_empty() {
            "none beyond the dates".to_owned()
        } else {
            facts.join(", ")
        }
    ));
    Ok(out)
}

fn release_text(release: Option<relais::doctrine::EarlyRelease>) -> String {
    release.map_or(String::new(), |r| {
        format!(
            " (early release from day {} with a negative test, {} h without symptoms)",
            r.day, r.symptom_free_hours
        )
    })
}

fn condition_text(when: &relais::doctrine::Condition) -> String {
    let mut parts = Vec::new();
    if let Some(v) = when.vaccinated {
        parts.push(if v { "vaccinated" } else { "not vaccinated" }.to_owned());
    }
    if let Some(bands) = &when.age_band {
        let names: Vec<&str> = bands.iter().map(|b| b.as_str()).collect();
        parts.push(format!("age band {}", names.join(" or ")));
    }
    parts.join(", ")
}

fn measures_text(m: &relais::doctrine::ContactMeasures) -> String {
    let quarantine = match m.quarantine_days {
        Some(days) => format!("quarantine until the last contact + {days}"),
        None => "no quarantine".to_owned(),
    };
    let tests: Vec<String> = m
        .tests
        .iter()
        .map(|t| {
            format!(
                "{} {} + {}{}",
                t.kind,
                t.anchor,
                t.day,
                if t.ends_quarantine { " (ends it)" } else { "" }
            )
        })
        .collect();
    let mut text = format!("{quarantine}; tests: {}", tests.join(", "));
    if m.extension_without_test_days > 0 {
        text.push_str(&format!(
            "; {} more days without the last test",
            m.extension_without_test_days
        ));
    }
    if m.sworn_statement {
        text.push_str("; sworn statement");
    }
    text
}

/// `relais doctrine evaluate`: one JSON scenario on standard input, one JSON
/// result on standard output.
pub fn evaluate(rule_sets: &RuleSets, today: time::Date) -> anyhow::Result<String> {
    let mut input = String::new();
    std::io::stdin()
        .take(1 << 20)
        .read_to_string(&mut input)
        .map_err(|e| InputError(format!("cannot read the scenario on standard input: {e}")))?;
    let result = relais::scenario::evaluate_json(rule_sets, &input, today)
        .map_err(|e| InputError(e.to_string()))?;
    Ok(serde_json::to_string_pretty(&result)? + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_folder_the_embedded_sets_apply() {
        let sets = load_rule_sets(None).unwrap();
        assert!(sets.iter().count() >= 2);
        assert!(list(&sets).contains("embedded"));
    }

    #[test]
    fn the_demo_replay_of_january_2022_is_a_valid_operator_set() {
        let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../doctrine/replay"));
        let sets = load_rule_sets(Some(dir)).unwrap();
        let replay = sets.get("replay-2022-01").expect("the replay set");
        assert!(!replay.embedded);
        let jan = sets.get("2022-01").expect("shipped");
        // The same rules as January 2022, from 1 January 2026.
        assert_eq!((&replay.case, &replay.contact), (&jan.case, &jan.contact));
        assert_eq!(replay.effective, relais::dates::ymd(2026, 1, 1).unwrap());
        assert_eq!(
            sets.select(relais::dates::ymd(2026, 12, 3).unwrap()).id,
            "replay-2022-01"
        );
        assert!(check(&dir.join("replay-2022-01.toml"))
            .unwrap()
            .contains("facts asked"));
    }

    #[test]
    fn a_missing_folder_is_named() {
        let err = load_rule_sets(Some(Path::new("/nonexistent/doctrine"))).unwrap_err();
        let message = err.to_string();
        assert!(message.contains("RELAIS_DOCTRINE_DIR"), "{message}");
        assert!(err.downcast_ref::<InputError>().is_some());
    }

    #[test]
    fn a_broken_file_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("broken.toml");
        std::fs::write(&path, "id = \"x\"\n").unwrap();
        let err = load_rule_sets(Some(dir.path())).unwrap_err().to_string();
        assert!(err.contains("broken.toml"), "{err}");
        let err = check(&path).unwrap_err().to_string();
        assert!(err.contains("broken.toml"), "{err}");
    }
}
