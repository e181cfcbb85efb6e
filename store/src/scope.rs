//! What a staff member (or an export key) may see: the cases of the
//! départements their organisation covers, plus the cases lent to it; the
//! whole country for the national organisation, which may narrow its view
//! to a région or a département.
//!
//! Every store function that returns cases to staff takes a [`Scope`] (the
//! queues, counts, figures, clusters, exports) or a [`ScopedCase`], the proof
//! that one case is in a scope, which only [`case_in_scope`] makes. A case
//! outside the scope is "not found", never "forbidden": staff must not learn
//! that it exists.

use crate::{Db, StoreError};
use relais::ids::{CaseId, OrganisationId};
use relais::organisation::{Membership, OrganisationKind};
use relais::territory::DepartementCode;

/// A view narrowed to part of what a scope covers: a région or a
/// département.
pub use relais::territory::Zone as Narrow;

/// The cases one organisation's staff may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scope {
    organisation: OrganisationId,
    national: bool,
    narrow: Option<Narrow>,
}

impl Scope {
    /// What the members of an organisation see.
    pub fn of(membership: Membership) -> Scope {
        Scope {
            organisation: membership.organisation,
            national: membership.kind == OrganisationKind::National,
            narrow: None,
        }
    }

    /// The whole country: the operator's command line, the jobs.
    pub fn whole_country() -> Scope {
        Scope {
            organisation: crate::organisations::NATIONAL,
            national: true,
            narrow: None,
        }
    }

    /// The same scope narrowed to a région or a département (within it: a
    /// local scope narrowed to another département sees nothing).
    pub fn narrowed(self, narrow: Option<Narrow>) -> Scope {
        Scope { narrow, ..self }
    }

    pub fn organisation(self) -> OrganisationId {
        self.organisation
    }

    pub fn is_national(self) -> bool {
        self.national
    }

    pub fn narrow(self) -> Option<Narrow> {
        self.narrow
    }

    /// The SQL condition on a `cases` row (named `table` in the query) that
    /// holds for the cases in the scope. Only ids and codes checked when they
    /// were parsed go into the text (digits, and `2A`/`2B`).
    pub fn cases_where(self, table: &str) -> String {
        let mut clause = if self.national {
            "1 = 1".to_owned()
        } else {
            let org = self.organisation.get();
            format!(
                "({table}.departement IN ({}) OR {table}.lent_to = {org})",
                covered_sql(org)
            )
        };
        if let Some(narrow) = self.narrow {
            clause.push_str(" AND ");
            clause.push_str(&narrow_where(narrow, &format!("{table}.departement")));
        }
        clause
    }

    /// The same cases as [`Scope::cases_where`], as disjoint conditions that
    /// each read one index in queue order: one per département the
    /// organisation covers (`covered`, as [`covered_departements`] reads
    /// them), and the cases lent to it from elsewhere. The queues run one
    /// query per part and merge them: a fund's page is then read from its
    /// département's index, however sparse its cases are in the national
    /// queue. The national organisation's one part is [`Scope::cases_where`].
    pub fn parts_where(self, table: &str, covered: &[DepartementCode]) -> Vec<String> {
        let narrow = self
            .narrow
            .map(|n| format!(" AND {}", narrow_where(n, &format!("{table}.departement"))))
            .unwrap_or_default();
        if self.national {
            return vec![self.cases_where(table)];
        }
        let org = self.organisation.get();
        let mut parts: Vec<String> = covered
            .iter()
            .map(|code| format!("{table}.departement = '{}'{narrow}", code.as_str()))
            .collect();
        parts.push(format!(
            "{table}.lent_to = {org} AND {table}.departement NOT IN ({}){narrow}",
            covered_sql(org)
        ));
        parts
    }

    /// The SQL condition on a département column (`column`) that holds for the
    /// départements of the scope (lent cases aside): the figures, which are
    /// kept by département.
    pub fn departements_where(self, column: &str) -> String {
        let mut clause = if self.national {
            "1 = 1".to_owned()
        } else {
            format!("{column} IN ({})", covered_sql(self.organisation.get()))
        };
        if let Some(narrow) = self.narrow {
            clause.push_str(" AND ");
            clause.push_str(&narrow_where(narrow, column));
        }
        clause
    }
}

/// The départements the organisation `org` covers, as a subquery.
fn covered_sql(org: i64) -> String {
    format!("SELECT departement FROM organisation_departements WHERE organisation_id = {org}")
}

fn narrow_where(narrow: Narrow, column: &str) -> String {
    match narrow {
        Narrow::Departement(code) => format!("{column} = '{}'", code.as_str()),
        Narrow::Region(code) => format!(
            "{column} IN (SELECT code FROM departements WHERE region_code = '{}')",
            code.as_str()
        ),
    }
}

/// The départements the scope's organisation covers (none for the national
/// one), for [`Scope::parts_where`].
pub async fn covered_departements(
    db: &Db,
    scope: Scope,
) -> Result<Vec<DepartementCode>, StoreError> {
    if scope.national {
        return Ok(Vec::new());
    }
    let codes: Vec<String> = sqlx::query_scalar(
        "SELECT departement FROM organisation_departements WHERE organisation_id = $1 \
         ORDER BY departement",
    )
    .bind(scope.organisation.get())
    .fetch_all(db.pool())
    .await?;
    codes
        .iter()
        .map(|c| {
            DepartementCode::parse(c)
                .map_err(|_| StoreError::Corrupt("organisation_departements.departement"))
        })
        .collect()
}

/// A case checked to be in a scope: what the desk's store functions take.
/// Only [`case_in_scope`] makes one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScopedCase {
    id: CaseId,
    scope: Scope,
}

impl ScopedCase {
    pub fn id(self) -> CaseId {
        self.id
    }

    pub fn scope(self) -> Scope {
        self.scope
    }
}

/// The case `id` if it exists and is in `scope`; `None` otherwise (the
/// caller answers 404 either way).
pub async fn case_in_scope(
    db: &Db,
    scope: Scope,
    id: CaseId,
) -> Result<Option<ScopedCase>, StoreError> {
    let found: Option<i64> = sqlx::query_scalar(&format!(
        "SELECT id FROM cases WHERE id = $1 AND {}",
        scope.cases_where("cases")
    ))
    .bind(id.get())
    .fetch_optional(db.pool())
    .await?;
    Ok(found.map(|_| ScopedCase { id, scope }))
}

#[cfg(test)]
mod tests {
    use super::*;

    use relais::territory::RegionCode;

    fn scope(kind: OrganisationKind) -> Scope {
        Scope::of(Membership {
            organisation: OrganisationId(7),
            kind,
        })
    }

    #[test]
    fn national_sees_everything_unless_narrowed() {
        let national = scope(OrganisationKind::National);
        assert_eq!(national.cases_where("c"), "1 = 1");
        let somme = DepartementCode::parse("80").expect("80");
        assert_eq!(
            national
                .narrowed(Some(Narrow::Departement(somme)))
                .cases_where("c"),
            "1 = 1 AND c.departement = '80'"
        );
        let hdf = RegionCode::parse("32").expect("32");
        assert!(national
            .narrowed(Some(Narrow::Region(hdf)))
            .departements_where("f.departement")
            .ends_with(
                "f.departement IN (SELECT code FROM departements WHERE region_code = '32')"
            ));
    }

    #[test]
    fn a_fund_sees_its_departements_and_what_is_lent_to_it() {
        let fund = scope(OrganisationKind::Fund);
        let clause = fund.cases_where("cases");
        assert!(clause.contains("organisation_id = 7"), "{clause}");
        assert!(clause.contains("cases.lent_to = 7"), "{clause}");
        assert!(!fund.departements_where("d").contains("lent_to"));
    }

    #[test]
    fn parts_are_one_per_departement_and_the_lent_cases() {
        let codes: Vec<DepartementCode> = ["60", "80"]
            .iter()
            .map(|c| DepartementCode::parse(c).expect("code"))
            .collect();
        let parts = scope(OrganisationKind::Agency).parts_where("c", &codes);
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[0], "c.departement = '60'");
        assert_eq!(parts[1], "c.departement = '80'");
        assert!(parts[2].starts_with("c.lent_to = 7 AND c.departement NOT IN"));
        let national = scope(OrganisationKind::National).parts_where("c", &[]);
        assert_eq!(national, vec!["1 = 1".to_owned()]);
    }
}
