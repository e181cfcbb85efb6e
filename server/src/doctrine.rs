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
    Ok(format!(
        "{name}: valid rule set {:?}, effective {}: case isolation {} days, contact quarantine {} days, {} rights\n",
        set.id,
        set.effective,
        set.case.isolation_days,
        set.contact.quarantine_days,
        set.rights.len()
    ))
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
