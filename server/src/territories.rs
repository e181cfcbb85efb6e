//! The territories a running server checks each case's département
//! against ([`TerritoryCache`]: read from the database when it starts, read
//! again with the periodic jobs so that every node follows an operator's
//! change within minutes), and the `relais territories list | load`
//! commands that show and replace them.

use crate::input::InputError;
use relais::territory::{Territories, TerritoryFile};
use relais_store::territories::{load_territories, replace_territories, Replacement};
use relais_store::{Db, StoreError};
use std::fmt::Write as _;
use std::path::Path;
use std::sync::{Arc, RwLock};

/// The territories in force on this node, shared by the requests. Starts
/// with the shipped lists (what the migration stores) until
/// [`TerritoryCache::refresh`] reads the database's.
#[derive(Clone)]
pub struct TerritoryCache(Arc<RwLock<Arc<Territories>>>);

impl TerritoryCache {
    pub fn new(territories: Territories) -> TerritoryCache {
        TerritoryCache(Arc::new(RwLock::new(Arc::new(territories))))
    }

    /// The lists in force now (kept whole by the caller for its request).
    pub fn get(&self) -> Arc<Territories> {
        match self.0.read() {
            Ok(current) => current.clone(),
            // A writer never panics while holding the lock; the value is
            // whole either way.
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Reads the database's lists and puts them in force.
    pub async fn refresh(&self, db: &Db) -> Result<(), StoreError> {
        let territories = Arc::new(load_territories(db).await?);
        match self.0.write() {
            Ok(mut current) => *current = territories,
            Err(poisoned) => *poisoned.into_inner() = territories,
        }
        Ok(())
    }
}

impl Default for TerritoryCache {
    fn default() -> Self {
        TerritoryCache::new(Territories::shipped())
    }
}

/// `relais territories list`: the counts, then each region and each
/// département with its region.
pub async fn list(db: &Db) -> anyhow::Result<String> {
    let territories = load_territories(db).await?;
    let mut out = format!(
        "{} regions, {} départements\n\nregion  name\n",
        territories.regions().len(),
        territories.departements().len()
    );
    for region in territories.regions() {
        let _ = writeln!(out, "{:<7} {}", region.code, region.name);
    }
    out.push_str("\ndépartement  name                              region\n");
    for d in territories.departements() {
        let region = territories.region(d.region).map_or("", |r| r.name.as_str());
        let _ = writeln!(out, "{:<12} {:<33} {} {region}", d.code, d.name, d.region);
    }
    Ok(out)
}

/// `relais territories load`: reads and checks both files (every problem
/// listed with its file and line: exit code 2, nothing written), then
/// makes the database's lists theirs. A département that cases use must
/// stay in the file.
pub async fn load(db: &Db, departements: &Path, regions: &Path) -> anyhow::Result<String> {
    let read = |path: &Path| {
        std::fs::read_to_string(path)
            .map_err(|e| InputError(format!("cannot read {}: {e}", path.display())))
    };
    let (departements_text, regions_text) = (read(departements)?, read(regions)?);
    let territories = Territories::parse(&regions_text, &departements_text).map_err(|errors| {
        let mut message = String::from("territories refused, nothing was changed:");
        for e in errors.0 {
            let path = match e.file {
                TerritoryFile::Regions => regions,
                TerritoryFile::Departements => departements,
            };
            let _ = match e.line {
                Some(line) => write!(message, "\n{}, line {line}: {}", path.display(), e.problem),
                None => write!(message, "\n{}: {}", path.display(), e.problem),
            };
        }
        InputError(message)
    })?;
    let changes = match replace_territories(db, &territories).await? {
        Replacement::Replaced(changes) => changes,
        Replacement::DepartementsInUse(in_use) => {
            let used: Vec<String> = in_use
                .iter()
                .map(|(code, cases)| format!("{code} ({cases} cases)"))
                .collect();
            return Err(InputError(format!(
                "territories refused, nothing was changed: {} absent from {} but used by \
                 cases; keep {} in the file",
                used.join(", "),
                departements.display(),
                if in_use.len() == 1 { "it" } else { "them" }
            ))
            .into());
        }
    };
    Ok(format!(
        "territories loaded: {} regions ({} added, {} changed, {} removed), {} départements \
         ({} added, {} changed, {} removed)\nRunning servers use them within \
         RELAIS_FIGURES_REFRESH_SECONDS.\n",
        territories.regions().len(),
        changes.regions_added,
        changes.regions_changed,
        changes.regions_removed,
        territories.departements().len(),
        changes.departements_added,
        changes.departements_changed,
        changes.departements_removed,
    ))
}
