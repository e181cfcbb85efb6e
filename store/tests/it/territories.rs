//! The territories in the database: the migration stores the shipped lists,
//! a replacement adds, renames and removes in one go, never a département
//! that cases use, and each case's département reads back with its name.

use crate::common::new_case;
use crate::common::scoped;
use relais::territory::{DepartementCode, Territories};
use relais_store::cases::{create_case, NewCase};
use relais_store::desk::case_file::load_case;
use relais_store::territories::{load_territories, replace_territories, Changes, Replacement};
use relais_store::Db;

per_engine! {
    the_migration_stores_the_shipped_lists => the_migration_stores_the_shipped_lists_sqlite,
        the_migration_stores_the_shipped_lists_postgres;
    a_replacement_adds_renames_and_removes => a_replacement_adds_renames_and_removes_sqlite,
        a_replacement_adds_renames_and_removes_postgres;
    a_departement_in_use_is_never_removed => a_departement_in_use_is_never_removed_sqlite,
        a_departement_in_use_is_never_removed_postgres;
}

fn code(text: &str) -> DepartementCode {
    DepartementCode::parse(text).expect("a département code")
}

/// The shipped lists with these lines of the départements file changed
/// (`None`: removed) and these added.
fn shipped_with(changed: &[(&str, Option<&str>)], added_regions: &[&str]) -> Territories {
    let departements: String = relais::territory::SHIPPED_DEPARTEMENTS_CSV
        .lines()
        .filter_map(|line| {
            let code = line.split(',').next().unwrap_or_default();
            match changed.iter().find(|(c, _)| *c == code) {
                Some((_, replacement)) => replacement.map(str::to_owned),
                None => Some(line.to_owned()),
            }
        })
        .map(|line| line + "\n")
        .collect();
    let mut regions = relais::territory::SHIPPED_REGIONS_CSV.to_owned();
    for line in added_regions {
        regions.push_str(line);
        regions.push('\n');
    }
    Territories::parse(&regions, &departements).expect("valid lists")
}

async fn case_in(db: &Db, reference: &str, departement: Option<&str>) -> relais::ids::CaseId {
    create_case(
        db,
        &NewCase {
            departement: departement.map(code),
            ..new_case(reference)
        },
    )
    .await
    .expect("create a case")
}

async fn the_migration_stores_the_shipped_lists(db: Db) {
    let stored = load_territories(&db).await.unwrap();
    assert_eq!(stored, Territories::shipped(), "{:?}", db.backend());
    assert_eq!(stored.departements().len(), 101);
    assert_eq!(stored.regions().len(), 18);
    // Loading the same lists again changes nothing.
    assert_eq!(
        replace_territories(&db, &Territories::shipped())
            .await
            .unwrap(),
        Replacement::Replaced(Changes::default())
    );
    // A case reads back its département and the name in the list; one
    // without (as every case before) reads back none.
    let oise = case_in(&db, "T-1", Some("60")).await;
    let none = case_in(&db, "T-2", None).await;
    let read = |id| {
        let db = db.clone();
        async move {
            load_case(&db, scoped(&db, id).await)
                .await
                .unwrap()
                .unwrap()
                .departement
        }
    };
    assert_eq!(read(oise).await, Some((code("60"), "Oise".to_owned())));
    assert_eq!(read(none).await, None);
}

async fn a_replacement_adds_renames_and_removes(db: Db) {
    let somme = case_in(&db, "T-3", Some("80")).await;
    let lists = shipped_with(
        &[
            ("80", Some("80,Somme (Amiens),32")),
            ("2B", Some("2B,Haute-Corse,95")),
            ("976", None),
        ],
        &["95,Corse du Nord"],
    );
    let done = replace_territories(&db, &lists).await.unwrap();
    assert_eq!(
        done,
        Replacement::Replaced(Changes {
            regions_added: 1,
            departements_changed: 2,
            departements_removed: 1,
            ..Changes::default()
        }),
        "{:?}",
        db.backend()
    );
    let stored = load_territories(&db).await.unwrap();
    assert_eq!(stored, lists);
    assert_eq!(stored.departement(code("976")), None);
    assert_eq!(
        stored.departement(code("2B")).map(|d| d.region.as_str()),
        Some("95")
    );
    assert_eq!(
        load_case(&db, scoped(&db, somme).await)
            .await
            .unwrap()
            .unwrap()
            .departement,
        Some((code("80"), "Somme (Amiens)".to_owned())),
        "the case page reads the name in force"
    );

    // Back to the shipped lists: Mayotte again, the new region removed.
    let done = replace_territories(&db, &Territories::shipped())
        .await
        .unwrap();
    assert_eq!(
        done,
        Replacement::Replaced(Changes {
            regions_removed: 1,
            departements_added: 1,
            departements_changed: 2,
            ..Changes::default()
        })
    );
    assert_eq!(load_territories(&db).await.unwrap(), Territories::shipped());
}

async fn a_departement_in_use_is_never_removed(db: Db) {
    case_in(&db, "T-4", Some("60")).await;
    case_in(&db, "T-5", Some("60")).await;
    case_in(&db, "T-6", Some("59")).await;
    let lists = shipped_with(
        &[("60", None), ("59", None), ("80", Some("80,Somme!,32"))],
        &[],
    );
    assert_eq!(
        replace_territories(&db, &lists).await.unwrap(),
        Replacement::DepartementsInUse(vec![(code("59"), 1), (code("60"), 2)]),
        "{:?}",
        db.backend()
    );
    assert_eq!(
        load_territories(&db).await.unwrap(),
        Territories::shipped(),
        "nothing written, not even the rename"
    );
    // Unused, a département goes; the database itself then refuses a
    // case in it.
    let lists = shipped_with(&[("976", None)], &[]);
    assert!(matches!(
        replace_territories(&db, &lists).await.unwrap(),
        Replacement::Replaced(_)
    ));
    assert!(
        create_case(
            &db,
            &NewCase {
                departement: Some(code("976")),
                ..new_case("T-7")
            }
        )
        .await
        .is_err(),
        "a case in a département not in the list"
    );
}
