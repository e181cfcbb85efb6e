//! The territories' rules: codes, postcodes, the files' checks and the
//! shipped lists.

use super::*;
use proptest::prelude::*;

fn code(text: &str) -> DepartementCode {
    DepartementCode::parse(text).unwrap_or_else(|_| panic!("{text} is a code"))
}

fn region(text: &str) -> RegionCode {
    RegionCode::parse(text).unwrap_or_else(|_| panic!("{text} is a region code"))
}

fn problems(regions: &str, departements: &str) -> Vec<(TerritoryFile, Option<usize>, Problem)> {
    Territories::parse(regions, departements)
        .expect_err("refused")
        .0
        .into_iter()
        .map(|e| (e.file, e.line, e.problem))
        .collect()
}

const REGIONS: &str = "code,name\n32,Hauts-de-France\n94,Corse\n";

#[test]
fn codes_are_the_101_departements() {
    assert_eq!(DepartementCode::all().count(), 101);
    for n in 1..=95 {
        let text = format!("{n:02}");
        let parsed = DepartementCode::parse(&text);
        if n == 20 {
            assert_eq!(
                parsed,
                Err(NotADepartementCode),
                "20 is 2A and 2B since 1976"
            );
        } else {
            assert_eq!(parsed.map(|c| c.as_str()), Ok(text.as_str()));
        }
    }
    for overseas in ["971", "972", "973", "974", "976"] {
        assert!(code(overseas).is_overseas(), "{overseas}");
    }
    for not_one in [
        "", "0", "00", "1", "96", "99", "975", "977", "978", "98", "2C", "2", "A2", "1A", "0971",
        "٠١", "+1", "-1", "9710",
    ] {
        assert_eq!(
            DepartementCode::parse(not_one),
            Err(NotADepartementCode),
            "{not_one:?}"
        );
    }
    assert!(!code("60").is_overseas());
}

#[test]
fn corsica_is_upper_case_and_codes_are_trimmed() {
    assert_eq!(code("2a"), code("2A"));
    assert_eq!(code("2a").as_str(), "2A");
    assert_eq!(code(" 2b\t").as_str(), "2B");
    assert_eq!(code(" 01 ").as_str(), "01");
    assert_eq!("80".parse::<DepartementCode>(), Ok(code("80")));
    assert_eq!(DepartementCode::try_from("971".to_owned()), Ok(code("971")));
    assert_eq!(format!("{:?}", code("2B")), "DepartementCode(2B)");
    assert_eq!(format!("[{:<4}]", code("2B")), "[2B  ]");
    assert_eq!(format!("[{:>3}]", region("84")), "[ 84]");
}

#[test]
fn codes_are_in_the_official_order() {
    let order: Vec<&str> = DepartementCode::all().map(|c| c.as_str()).collect();
    let at = |c: &str| order.iter().position(|o| *o == c).unwrap();
    assert!(at("19") < at("2A") && at("2A") < at("2B") && at("2B") < at("21"));
    assert!(at("95") < at("971") && at("974") < at("976"));
    assert!(code("19") < code("2A") && code("2B") < code("21"));
}

#[test]
fn codes_travel_as_text_in_json() {
    let json = serde_json::to_string(&code("2A")).unwrap();
    assert_eq!(json, "\"2A\"");
    let back: DepartementCode = serde_json::from_str("\"2a\"").unwrap();
    assert_eq!(back, code("2A"));
    assert!(serde_json::from_str::<DepartementCode>("\"20\"").is_err());
    assert!(serde_json::from_str::<DepartementCode>("60").is_err());
}

#[test]
fn region_codes_are_two_digits() {
    assert_eq!(region("84").as_str(), "84");
    assert_eq!(region(" 01 ").as_str(), "01");
    for bad in ["", "1", "084", "8A", "a1", "٨٤"] {
        assert_eq!(RegionCode::parse(bad), Err(NotARegionCode), "{bad:?}");
    }
}

#[test]
fn postcodes_give_their_departement() {
    let of = |p: &str| departement_of_postcode(p).map(|c| c.as_str());
    assert_eq!(of("80000"), Some("80"));
    assert_eq!(of("60200"), Some("60"));
    assert_eq!(of("01000"), Some("01"));
    assert_eq!(of("75015"), Some("75"));
    assert_eq!(of("95999"), Some("95"));
    // Corsica: Corse-du-Sud below 20200, Haute-Corse to 20699.
    assert_eq!(of("20000"), Some("2A"));
    assert_eq!(of("20090"), Some("2A"));
    assert_eq!(of("20199"), Some("2A"));
    assert_eq!(of("20200"), Some("2B"));
    assert_eq!(of("20600"), Some("2B"));
    assert_eq!(of("20699"), Some("2B"));
    assert_eq!(of("20700"), None);
    assert_eq!(of("20999"), None);
    // Overseas: three digits.
    assert_eq!(of("97100"), Some("971"));
    assert_eq!(
        of("97133"),
        Some("971"),
        "Saint-Barthélemy, served from Guadeloupe"
    );
    assert_eq!(of("97200"), Some("972"));
    assert_eq!(of("97300"), Some("973"));
    assert_eq!(of("97490"), Some("974"));
    assert_eq!(of("97600"), Some("976"));
    assert_eq!(of("97699"), Some("976"));
    for none in [
        "97500", "97599", "97000", "97099", "97700", "97800", "97999", "98000", "98800", "00000",
        "00999", "96000", "99999",
    ] {
        assert_eq!(of(none), None, "{none}");
    }
}

#[test]
fn postcodes_are_five_digits() {
    for bad in [
        "",
        "8000",
        "800000",
        "80 000",
        " 80000",
        "8000O",
        "2A000",
        "８００００",
        "-8000",
    ] {
        assert!(!is_postcode(bad), "{bad:?}");
        assert_eq!(departement_of_postcode(bad), None, "{bad:?}");
    }
    assert!(is_postcode("00000"));
}

#[test]
fn the_shipped_lists_are_complete() {
    let t = Territories::shipped();
    assert_eq!(t.departements().len(), 101);
    assert_eq!(t.regions().len(), 18);
    // Every code of the 101 is there, once, in order.
    let codes: Vec<DepartementCode> = t.departements().iter().map(|d| d.code).collect();
    assert_eq!(codes, DepartementCode::all().collect::<Vec<_>>());
    for d in t.departements() {
        assert!(t.region(d.region).is_some(), "{}", d.code);
        assert!(!d.name.trim().is_empty(), "{}", d.code);
        assert_eq!(d.name.trim(), d.name);
    }
    for r in t.regions() {
        assert!(!r.name.trim().is_empty(), "{}", r.code);
    }
    // The INSEE codes of the regions, and how many départements each has.
    let counts: Vec<(&str, usize)> = t
        .regions()
        .iter()
        .map(|r| (r.code.as_str(), t.departements_of(r.code).count()))
        .collect();
    assert_eq!(
        counts,
        [
            ("01", 1),
            ("02", 1),
            ("03", 1),
            ("04", 1),
            ("06", 1),
            ("11", 8),
            ("24", 6),
            ("27", 8),
            ("28", 5),
            ("32", 5),
            ("44", 10),
            ("52", 5),
            ("53", 4),
            ("75", 12),
            ("76", 13),
            ("84", 12),
            ("93", 6),
            ("94", 2),
        ]
    );
}

#[test]
fn the_shipped_names_are_the_official_ones() {
    let t = Territories::shipped();
    let named = |c: &str| {
        let d = t.departement(code(c)).expect("shipped");
        (
            d.name.as_str(),
            t.region(d.region).expect("region").name.as_str(),
        )
    };
    assert_eq!(named("60"), ("Oise", "Hauts-de-France"));
    assert_eq!(named("80"), ("Somme", "Hauts-de-France"));
    assert_eq!(named("2A"), ("Corse-du-Sud", "Corse"));
    assert_eq!(named("2B"), ("Haute-Corse", "Corse"));
    assert_eq!(named("21"), ("Côte-d'Or", "Bourgogne-Franche-Comté"));
    assert_eq!(
        named("90"),
        ("Territoire de Belfort", "Bourgogne-Franche-Comté")
    );
    assert_eq!(named("75"), ("Paris", "Île-de-France"));
    assert_eq!(
        named("13"),
        ("Bouches-du-Rhône", "Provence-Alpes-Côte d'Azur")
    );
    assert_eq!(named("44"), ("Loire-Atlantique", "Pays de la Loire"));
    assert_eq!(named("974"), ("La Réunion", "La Réunion"));
    assert_eq!(named("976"), ("Mayotte", "Mayotte"));
    let names: Vec<(&str, &str)> = t
        .regions()
        .iter()
        .map(|r| (r.code.as_str(), r.name.as_str()))
        .collect();
    assert!(names.contains(&("84", "Auvergne-Rhône-Alpes")));
    assert!(names.contains(&("24", "Centre-Val de Loire")));
    assert!(names.contains(&("03", "Guyane")));
}

#[test]
fn lookups_answer_only_what_is_in_the_list() {
    let t = Territories::parse(
        REGIONS,
        "code,name,region\n80,Somme,32\n60,Oise,32\n2A,Corse-du-Sud,94\n",
    )
    .expect("valid");
    assert_eq!(
        t.departements()
            .iter()
            .map(|d| d.code.as_str())
            .collect::<Vec<_>>(),
        ["2A", "60", "80"],
        "sorted by code"
    );
    assert_eq!(
        t.departement(code("60")).map(|d| d.name.as_str()),
        Some("Oise")
    );
    assert_eq!(t.departement(code("59")), None);
    assert_eq!(t.region(region("11")), None);
    assert_eq!(
        t.departements_of(region("32"))
            .map(|d| d.code.as_str())
            .collect::<Vec<_>>(),
        ["60", "80"]
    );
    assert_eq!(
        t.departement_of_postcode("80100").map(|d| d.name.as_str()),
        Some("Somme")
    );
    assert_eq!(
        t.departement_of_postcode("20090").map(|d| d.name.as_str()),
        Some("Corse-du-Sud")
    );
    assert_eq!(
        t.departement_of_postcode("59000"),
        None,
        "a département not in the list"
    );
}

#[test]
fn spreadsheet_exports_are_read() {
    let regions = "\u{feff}Code,Name\r\n\"32\",\"Hauts-de-France\"\r\n\r\n94, Corse \r\n";
    let departements = "code,name,region\r\n60,\"Oise, \"\"la belle\"\"\",32\r\n";
    let t = Territories::parse(regions, departements).expect("valid");
    assert_eq!(t.regions()[1].name, "Corse");
    assert_eq!(t.departements()[0].name, "Oise, \"la belle\"");
}

#[test]
fn every_problem_is_given_with_its_file_and_line() {
    let departements = "code,name,region\n\
                        60,Oise,32\n\
                        20,Corse,94\n\
                        80,,32\n\
                        59,Nord,11\n\
                        60,Oise again,32\n\
                        62,Pas-de-Calais\n\
                        2b,\"Haute-Corse,94\n\
                        02,Aisne,3\n";
    use Problem::*;
    use TerritoryFile::Departements as D;
    assert_eq!(
        problems(REGIONS, departements),
        [
            (D, Some(3), DepartementCode("20".into())),
            (D, Some(4), EmptyName),
            (D, Some(5), UnknownRegion("11".into())),
            (
                D,
                Some(6),
                Duplicate {
                    code: "60".into(),
                    first: 2
                }
            ),
            (
                D,
                Some(7),
                Cells {
                    expected: 3,
                    found: 2
                }
            ),
            (D, Some(8), UnclosedQuote),
            (D, Some(9), RegionCode("3".into())),
        ]
    );
    let message = Territories::parse(REGIONS, departements)
        .unwrap_err()
        .to_string();
    assert!(
        message.starts_with("départements file, line 3: `20` is not a département code"),
        "{message}"
    );
    assert_eq!(message.lines().count(), 7);
}

#[test]
fn headers_and_empty_files_are_refused() {
    use Problem::*;
    use TerritoryFile::{Departements as D, Regions as R};
    let departements = "code,name,region\n60,Oise,32\n";
    assert_eq!(
        problems("", departements),
        [
            (R, Some(1), Empty("code,name")),
            (D, Some(2), UnknownRegion("32".into()))
        ]
    );
    assert_eq!(
        problems(REGIONS, "code,nom,region\n60,Oise,32\n"),
        [(D, Some(1), Header("code,name,region"))]
    );
    assert_eq!(
        problems(REGIONS, "60,Oise,32\n"),
        [(D, Some(1), Header("code,name,region"))]
    );
    assert_eq!(
        problems(REGIONS, "\n\ncode,name,region\n\n"),
        [(D, Some(3), NoRows)]
    );
    assert_eq!(
        problems(
            "code,name\n32,Hauts-de-France\n32,Picardie\n84,\u{7}\n",
            departements
        ),
        [
            (
                R,
                Some(3),
                Duplicate {
                    code: "32".into(),
                    first: 2
                }
            ),
            (R, Some(4), ControlInName),
        ]
    );
    let long = format!("code,name\n32,{}\n", "é".repeat(MAX_NAME_CHARS + 1));
    assert_eq!(
        problems(&long, "code,name,region\n"),
        [
            (
                R,
                Some(2),
                LongName {
                    max: MAX_NAME_CHARS
                }
            ),
            (D, Some(1), NoRows),
        ]
    );
}

#[test]
fn stored_rows_are_checked_like_a_file() {
    let r = |c: &str, n: &str| Region {
        code: region(c),
        name: n.into(),
    };
    let d = |c: &str, n: &str, reg: &str| Departement {
        code: code(c),
        name: n.into(),
        region: region(reg),
    };
    let t = Territories::new(
        vec![r("94", "Corse"), r("32", "Hauts-de-France")],
        vec![d("80", "Somme", "32"), d("2A", "Corse-du-Sud", "94")],
    )
    .expect("valid");
    assert_eq!(t.regions()[0].code.as_str(), "32");
    let errors = Territories::new(
        vec![r("32", "Hauts-de-France"), r("32", "Picardie")],
        vec![d("80", "Somme", "11")],
    )
    .unwrap_err();
    let message = errors.to_string();
    assert_eq!(
        message,
        "regions: code 32 appears twice\ndépartements: region 11 is not in the regions file"
    );
    assert!(Territories::new(Vec::new(), Vec::new()).is_ok());
    let unnamed = Territories::new(vec![r("32", " ")], Vec::new()).unwrap_err();
    assert_eq!(unnamed.to_string(), "regions: the name is empty");
}

/// The postcodes of a département: Corsica's and overseas ranges, else
/// its two digits followed by any three.
fn postcodes_of(code: DepartementCode) -> BoxedStrategy<String> {
    match code.as_str() {
        "2A" => (20_000u32..=20_199).prop_map(|n| format!("{n:05}")).boxed(),
        "2B" => (20_200u32..=20_699).prop_map(|n| format!("{n:05}")).boxed(),
        c if c.len() == 3 => (0u32..100).prop_map(move |n| format!("{c}{n:02}")).boxed(),
        c => (0u32..1000).prop_map(move |n| format!("{c}{n:03}")).boxed(),
    }
}

fn any_code() -> impl Strategy<Value = DepartementCode> {
    (0..101usize).prop_map(|i| DepartementCode::all().nth(i).unwrap())
}

proptest! {
    /// Every valid code is read back as itself, in either case and
    /// with spaces around it.
    #[test]
    fn every_code_round_trips(code in any_code(), pad in "[ \t]{0,2}") {
        let text = code.as_str();
        prop_assert_eq!(DepartementCode::parse(text), Ok(code));
        prop_assert_eq!(DepartementCode::parse(&format!("{pad}{}{pad}", text.to_lowercase())), Ok(code));
        prop_assert_eq!(code.to_string().parse::<DepartementCode>(), Ok(code));
        let json = serde_json::to_string(&code).unwrap();
        prop_assert_eq!(serde_json::from_str::<DepartementCode>(&json).unwrap(), code);
    }

    /// Every postcode of a shipped département maps to it, and it is in
    /// the shipped list.
    #[test]
    fn postcodes_of_a_departement_map_into_the_list(
        (code, postcode) in any_code().prop_flat_map(|c| (Just(c), postcodes_of(c)))
    ) {
        prop_assert_eq!(departement_of_postcode(&postcode), Some(code));
        let shipped = Territories::shipped();
        prop_assert_eq!(shipped.departement_of_postcode(&postcode).map(|d| d.code), Some(code));
    }

    /// Any five digits map to a département of the shipped list or to
    /// nothing.
    #[test]
    fn any_postcode_maps_into_the_list_or_nowhere(n in 0u32..100_000) {
        let postcode = format!("{n:05}");
        if let Some(code) = departement_of_postcode(&postcode) {
            prop_assert!(Territories::shipped().departement(code).is_some());
            prop_assert!(postcode.starts_with(&code.as_str()[..1]));
        }
    }

    /// Nothing panics on arbitrary text, and what parses is one of the 101.
    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,6}", regions in "\\PC{0,60}", departements in "(\\PC{0,20}\n){0,4}") {
        if let Ok(code) = DepartementCode::parse(&text) {
            prop_assert!(DepartementCode::all().any(|c| c == code));
        }
        let _ = RegionCode::parse(&text);
        let _ = departement_of_postcode(&text);
        let _ = Territories::parse(&regions, &departements);
        let _ = Territories::parse(REGIONS, &format!("code,name,region\n{departements}"));
    }
}
