//! `relais org add|list`: the organisations staff and API keys belong to,
//! and `--org` of `relais user add` and `relais apikey add`.

use crate::input::InputError;
use clap::Subcommand;
use relais::organisation::{NewOrganisation, OrganisationError, OrganisationKind};
use relais::territory::{DepartementCode, RegionCode};
use relais_store::organisations::{self, CreateError, Organisation};
use relais_store::Db;

#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// Create an organisation: a fund covers its département(s), an agency
    /// a region, a support cell one département, the national one the whole
    /// country.
    Add {
        /// Its name, as staff see it ("CPAM de la Somme").
        #[arg(long)]
        name: String,
        /// fund, agency, support_cell or national.
        #[arg(long)]
        kind: OrganisationKind,
        /// The départements it covers, separated by commas (80 or 60,80).
        #[arg(long)]
        departements: Option<String>,
        /// Or a region, by its code (32): every département of it.
        #[arg(long)]
        region: Option<String>,
    },
    /// List the organisations with what they cover and their staff.
    List,
}

/// Runs an `org` command and returns what to print.
pub async fn org_command(db: &Db, command: OrgCommand) -> anyhow::Result<String> {
    match command {
        OrgCommand::Add {
            name,
            kind,
            departements,
            region,
        } => {
            let covered = covered(db, departements.as_deref(), region.as_deref()).await?;
            let new = NewOrganisation::new(kind, &name, covered).map_err(|e| {
                InputError(match e {
                    OrganisationError::NoTerritory => {
                        "give --departements or --region: a local organisation covers at \
                         least one département"
                            .to_owned()
                    }
                    other => other.to_string(),
                })
            })?;
            let id = organisations::create(db, &new).await.map_err(|e| match e {
                CreateError::NameTaken => anyhow::Error::from(InputError(format!(
                    "an organisation named {:?} already exists",
                    new.name
                ))),
                CreateError::UnknownDepartement(code) => InputError(format!(
                    "the département {code} is not in the territories (relais territories list)"
                ))
                .into(),
                CreateError::Store(e) => e.into(),
            })?;
            Ok(format!(
                "organisation {:?} ({}) created with id {id}, covering {}\n",
                new.name,
                new.kind.as_str(),
                coverage_text(&new.departements)
            ))
        }
        OrgCommand::List => {
            let mut out = format!(
                "{:<4} {:<13} {:<40} {:>6}  {}\n",
                "id", "kind", "name", "staff", "covers"
            );
            for org in organisations::list(db).await? {
                out.push_str(&format!(
                    "{:<4} {:<13} {:<40} {:>6}  {}\n",
                    org.id,
                    org.kind.as_str(),
                    org.name,
                    org.staff,
                    coverage_text(&org.departements)
                ));
            }
            Ok(out)
        }
    }
}

fn coverage_text(departements: &[DepartementCode]) -> String {
    if departements.is_empty() {
        "the whole country".to_owned()
    } else {
        departements
            .iter()
            .map(|d| d.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// The départements `--departements` and `--region` name, checked against
/// the stored territories.
async fn covered(
    db: &Db,
    departements: Option<&str>,
    region: Option<&str>,
) -> anyhow::Result<Vec<DepartementCode>> {
    let mut out = Vec::new();
    for part in departements
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        out.push(DepartementCode::parse(part).map_err(|_| {
            InputError(format!(
                "--departements: {part:?} is not a département code (01…95, 2A, 2B, 971…976)"
            ))
        })?);
    }
    if let Some(region) = region.map(str::trim).filter(|r| !r.is_empty()) {
        let code = RegionCode::parse(region)
            .map_err(|_| InputError(format!("--region: {region:?} is not a region code (32)")))?;
        let territories = relais_store::territories::load_territories(db).await?;
        if territories.region(code).is_none() {
            return Err(InputError(format!(
                "--region: no region {region} in the territories (relais territories list)"
            ))
            .into());
        }
        out.extend(territories.departements_of(code).map(|d| d.code));
    }
    Ok(out)
}

/// The organisation `--org` names (by name or id); the national one when
/// it is left out.
pub async fn resolve(db: &Db, org: Option<&str>) -> anyhow::Result<Organisation> {
    let wanted = org.map(str::trim).filter(|o| !o.is_empty());
    let found = match wanted {
        Some(name) => organisations::find(db, name).await?,
        None => organisations::get(db, organisations::NATIONAL).await?,
    };
    found.ok_or_else(|| {
        InputError(format!(
            "--org: no organisation {:?} (relais org list)",
            wanted.unwrap_or("national")
        ))
        .into()
    })
}
