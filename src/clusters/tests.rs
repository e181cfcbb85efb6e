//! Clusters: place keys and grouping on realistic French places, then
//! properties, among them agreement with a plain reference (every pair of
//! visits close enough joined, connected groups counted).

use super::*;
use proptest::prelude::*;

fn day(n: u32) -> Date {
    crate::dates::ymd(2026, 3, n).expect("a March day")
}

fn visit(case_id: i64, kind: &str, name: &str, town: &str, on: u32) -> PlaceVisit {
    PlaceVisit {
        case_id,
        kind: kind.into(),
        name: name.into(),
        town: town.into(),
        visited_on: day(on),
    }
}

fn restaurant(case_id: i64, name: &str, on: u32) -> PlaceVisit {
    visit(case_id, "restaurant", name, "Lyon", on)
}

#[test]
fn place_keys_fold_names_and_drop_leading_articles() {
    let keys = [
        ("Le Café de la Gare", "cafe de la gare"),
        ("  cafe   de la GARE ", "cafe de la gare"),
        ("L'Étoile", "etoile"),
        ("L’ÉTOILE", "etoile"),
        ("etoile", "etoile"),
        (
            "Les Halles de Lyon – Paul Bocuse",
            "halles de lyon paul bocuse",
        ),
        ("La Belle Équipe", "belle equipe"),
        ("Lycée Jean-Moulin", "lycee jean moulin"),
        ("Saint-Étienne", "saint etienne"),
        ("The Crown & Anchor", "crown anchor"),
        ("Le l'Œuf", "oeuf"),
        // The last word is never dropped: a place may be called "Les".
        ("Les", "les"),
        ("LE LA", "la"),
        ("Salle des fêtes", "salle des fetes"),
        ("", ""),
        (" — ", ""),
    ];
    for (text, key) in keys {
        assert_eq!(place_key(text), key, "{text:?}");
    }
}

#[test]
fn one_place_visited_by_three_cases() {
    let visits = [
        restaurant(1, "Le Café de la Gare", 1),
        restaurant(2, "Café de la Gare", 3),
        restaurant(3, "café de la gare ", 6),
        restaurant(2, "Café de la Gare", 6),
        // Too late to chain: 14 days after the last.
        restaurant(4, "Café de la Gare", 20),
    ];
    let clusters = find_clusters(&visits, MAX_GAP_DAYS, MIN_CASES);
    assert_eq!(
        clusters,
        [Cluster {
            kind: "restaurant".into(),
            name: "Café de la Gare".into(),
            town: "Lyon".into(),
            first_day: day(1),
            last_day: day(6),
            cases: 3,
            visits: 4,
        }]
    );
}

#[test]
fn kind_and_town_must_match_too() {
    let visits = [
        restaurant(1, "Le Café de la Gare", 1),
        visit(2, "restaurant", "Le Café de la Gare", "Villeurbanne", 1),
        visit(3, "event", "Le Café de la Gare", "Lyon", 1),
        // The town spelt another way is the same town.
        visit(4, "restaurant", "Café de la gare", "LYON ", 2),
    ];
    let clusters = find_clusters(&visits, MAX_GAP_DAYS, MIN_CASES);
    assert_eq!(clusters.len(), 1);
    assert_eq!(clusters[0].cases, 2);
    // One each: the smallest spelling.
    assert_eq!(clusters[0].name, "Café de la gare");
    assert_eq!(clusters[0].town, "LYON");
}

#[test]
fn one_case_twice_is_no_cluster() {
    let visits = [
        restaurant(7, "Brasserie Georges", 1),
        restaurant(7, "Brasserie Georges", 2),
        restaurant(7, "brasserie georges", 3),
    ];
    assert!(find_clusters(&visits, MAX_GAP_DAYS, MIN_CASES).is_empty());
    // Unless one case is enough.
    let alone = find_clusters(&visits, MAX_GAP_DAYS, 1);
    assert_eq!((alone.len(), alone[0].cases, alone[0].visits), (1, 1, 3));
}

#[test]
fn visits_further_apart_than_the_gap_split() {
    let visits = [
        restaurant(1, "Le Bouchon des Filles", 1),
        restaurant(2, "Le Bouchon des Filles", 4),
        restaurant(3, "Le Bouchon des Filles", 8),
        restaurant(4, "Le Bouchon des Filles", 9),
    ];
    let spans: Vec<(Date, Date)> = find_clusters(&visits, 3, 2)
        .iter()
        .map(|c| (c.first_day, c.last_day))
        .collect();
    // Sorted by cases (2 each), then the latest first.
    assert_eq!(spans, [(day(8), day(9)), (day(1), day(4))]);
    // With a gap of 4 days, one chain.
    assert_eq!(find_clusters(&visits, 4, 2).len(), 1);
    // With no gap at all, only the same day joins.
    assert!(find_clusters(&visits, 0, 2).is_empty());
}

#[test]
fn nameless_places_are_ignored() {
    let visits = [
        visit(1, "private_gathering", "", "Lille", 2),
        visit(2, "private_gathering", " - ", "Lille", 2),
        visit(3, "private_gathering", "?", "Lille", 2),
    ];
    assert!(find_clusters(&visits, MAX_GAP_DAYS, 1).is_empty());
}

#[test]
fn biggest_first_then_latest_then_by_name() {
    let mut visits = Vec::new();
    for case_id in 1..=5 {
        visits.push(visit(
            case_id,
            "private_gathering",
            "Mariage Dupont",
            "Saint-Étienne",
            7,
        ));
    }
    visits.push(visit(10, "school", "École Jules-Ferry", "Nantes", 3));
    visits.push(visit(11, "school", "École Jules-Ferry", "Nantes", 4));
    visits.push(visit(12, "sport", "Salle Omnisports", "Nantes", 4));
    visits.push(visit(13, "sport", "Salle Omnisports", "Nantes", 5));
    visits.push(visit(14, "shop", "Marché de la Croix-Rousse", "Lyon", 5));
    visits.push(visit(15, "shop", "marché de la croix rousse", "Lyon", 5));
    let names: Vec<(String, usize)> = find_clusters(&visits, MAX_GAP_DAYS, MIN_CASES)
        .into_iter()
        .map(|c| (c.name, c.cases))
        .collect();
    assert_eq!(
        names,
        [
            ("Mariage Dupont".to_owned(), 5),
            ("Marché de la Croix-Rousse".to_owned(), 2),
            ("Salle Omnisports".to_owned(), 2),
            ("École Jules-Ferry".to_owned(), 2),
        ]
    );
}

/// Place names spelt several ways, some without a name at all.
fn arb_visit() -> impl Strategy<Value = PlaceVisit> {
    let names = prop::sample::select(vec![
        "Le Café de la Gare",
        "cafe de la gare",
        "CAFÉ DE LA GARE",
        "L'Étoile",
        "etoile",
        "Chez Paul",
        "",
        "—",
    ]);
    let towns = prop::sample::select(vec!["Lyon", "lyon", "Villeurbanne", ""]);
    let kinds = prop::sample::select(vec!["restaurant", "event"]);
    (1_i64..7, kinds, names, towns, 1_u32..=28)
        .prop_map(|(case_id, kind, name, town, on)| visit(case_id, kind, name, town, on))
}

fn arb_visits() -> impl Strategy<Value = Vec<PlaceVisit>> {
    prop::collection::vec(arb_visit(), 0..30)
}

/// The clusters by their definition: visits of one key joined whenever
/// two are at most `gap` days apart, then each connected group counted.
fn reference(visits: &[PlaceVisit], gap: i64, min_cases: usize) -> Vec<Cluster> {
    let key = |v: &PlaceVisit| (v.kind.clone(), place_key(&v.town), place_key(&v.name));
    let kept: Vec<&PlaceVisit> = visits
        .iter()
        .filter(|v| !place_key(&v.name).is_empty())
        .collect();
    let mut group: Vec<usize> = (0..kept.len()).collect();
    fn root(group: &[usize], i: usize) -> usize {
        let mut i = i;
        while group[i] != i {
            i = group[i];
        }
        i
    }
    for a in 0..kept.len() {
        for b in 0..a {
            let close = (kept[a].visited_on - kept[b].visited_on).whole_days().abs() <= gap;
            if close && key(kept[a]) == key(kept[b]) {
                let (ra, rb) = (root(&group, a), root(&group, b));
                group[ra] = rb;
            }
        }
    }
    let mut members: BTreeMap<usize, Vec<&PlaceVisit>> = BTreeMap::new();
    for (i, visit) in kept.iter().enumerate() {
        members.entry(root(&group, i)).or_default().push(visit);
    }
    let spelling = |texts: Vec<&str>| {
        let mut sorted = texts.clone();
        sorted.sort_unstable();
        let count = |t: &str| texts.iter().filter(|x| **x == t).count();
        let best = sorted.iter().map(|t| count(t)).max().unwrap_or(0);
        sorted
            .into_iter()
            .find(|t| count(t) == best)
            .unwrap_or("")
            .to_owned()
    };
    let mut clusters: Vec<Cluster> = members
        .into_values()
        .map(|vs| Cluster {
            kind: vs[0].kind.clone(),
            name: spelling(vs.iter().map(|v| v.name.trim()).collect()),
            town: spelling(vs.iter().map(|v| v.town.trim()).collect()),
            first_day: vs.iter().map(|v| v.visited_on).min().unwrap_or(Date::MIN),
            last_day: vs.iter().map(|v| v.visited_on).max().unwrap_or(Date::MAX),
            cases: vs.iter().map(|v| v.case_id).collect::<BTreeSet<_>>().len(),
            visits: vs.len(),
        })
        .filter(|c| c.cases >= min_cases)
        .collect();
    clusters.sort_by(super::listing_order);
    clusters
}

/// Lower-case French letters and separators, for keys.
fn arb_french_text() -> impl Strategy<Value = String> {
    "[a-zàâäçéèêëîïôöùûüÿœ '’-]{0,24}"
}

fn without_accents(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'à' | 'â' | 'ä' => "a".to_owned(),
            'ç' => "c".to_owned(),
            'é' | 'è' | 'ê' | 'ë' => "e".to_owned(),
            'î' | 'ï' => "i".to_owned(),
            'ô' | 'ö' => "o".to_owned(),
            'ù' | 'û' | 'ü' => "u".to_owned(),
            'ÿ' => "y".to_owned(),
            'œ' => "oe".to_owned(),
            other => other.to_string(),
        })
        .collect()
}

proptest! {
    #[test]
    fn clusters_agree_with_the_reference(
        visits in arb_visits(),
        gap in -1_i64..6,
        min_cases in 0_usize..4,
    ) {
        prop_assert_eq!(find_clusters(&visits, gap, min_cases), reference(&visits, gap, min_cases));
    }

    #[test]
    fn the_order_of_the_visits_does_not_matter(
        (visits, shuffled) in arb_visits().prop_flat_map(|v| (Just(v.clone()), Just(v).prop_shuffle())),
    ) {
        prop_assert_eq!(
            find_clusters(&visits, MAX_GAP_DAYS, MIN_CASES),
            find_clusters(&shuffled, MAX_GAP_DAYS, MIN_CASES)
        );
    }

    #[test]
    fn every_cluster_is_well_formed_and_sorted(
        visits in arb_visits(),
        gap in 0_i64..6,
        min_cases in 1_usize..4,
    ) {
        let clusters = find_clusters(&visits, gap, min_cases);
        let named = visits.iter().filter(|v| !place_key(&v.name).is_empty()).count();
        prop_assert!(clusters.iter().map(|c| c.visits).sum::<usize>() <= named);
        for c in &clusters {
            prop_assert!(c.cases >= min_cases && c.cases <= c.visits);
            prop_assert!(c.first_day <= c.last_day);
            prop_assert!(!place_key(&c.name).is_empty());
        }
        for pair in clusters.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            prop_assert!(a.cases > b.cases || (a.cases == b.cases && a.last_day >= b.last_day));
        }
        // Two clusters of one place are more than the gap apart.
        for a in &clusters {
            for b in &clusters {
                let same = (&a.kind, place_key(&a.town), place_key(&a.name))
                    == (&b.kind, place_key(&b.town), place_key(&b.name));
                if same && a.last_day < b.first_day {
                    prop_assert!((b.first_day - a.last_day).whole_days() > gap);
                }
            }
        }
        // One case is enough: every named visit is in exactly one cluster.
        let all = find_clusters(&visits, gap, 1);
        prop_assert_eq!(all.iter().map(|c| c.visits).sum::<usize>(), named);
    }

    #[test]
    fn one_case_alone_never_makes_a_cluster(
        visits in arb_visits(),
        case_id in any::<i64>(),
        min_cases in 2_usize..5,
    ) {
        let same_case: Vec<PlaceVisit> =
            visits.into_iter().map(|v| PlaceVisit { case_id, ..v }).collect();
        prop_assert!(find_clusters(&same_case, 30, min_cases).is_empty());
    }

    #[test]
    fn a_new_visit_keeps_every_cluster_or_grows_it(
        visits in arb_visits(),
        extra in arb_visit(),
        gap in 0_i64..5,
    ) {
        let before = find_clusters(&visits, gap, MIN_CASES);
        let mut more = visits.clone();
        more.push(extra);
        let after = find_clusters(&more, gap, MIN_CASES);
        let key = |c: &Cluster| (c.kind.clone(), place_key(&c.town), place_key(&c.name));
        for old in &before {
            let kept = after.iter().any(|new| {
                key(new) == key(old)
                    && new.first_day <= old.first_day
                    && new.last_day >= old.last_day
                    && new.cases >= old.cases
                    && new.visits >= old.visits
            });
            prop_assert!(kept, "{:?} lost in {:?}", old, after);
        }
        let visits_in = |cs: &[Cluster]| cs.iter().map(|c| c.visits).sum::<usize>();
        prop_assert!(visits_in(&after) >= visits_in(&before));
    }

    #[test]
    fn place_key_is_idempotent(text in "\\PC{0,30}") {
        let key = place_key(&text);
        prop_assert_eq!(place_key(&key), key.clone());
        prop_assert!(!key.contains(['\'', '-']) && !key.contains("  "));
        prop_assert_eq!(key.trim(), key.as_str());
    }

    #[test]
    fn place_key_ignores_case_and_accents(text in arb_french_text()) {
        let key = place_key(&text);
        prop_assert_eq!(place_key(&text.to_uppercase()), key.clone());
        prop_assert_eq!(place_key(&without_accents(&text)), key.clone());
        let words: Vec<&str> = key.split(' ').collect();
        if words.len() > 1 {
            prop_assert!(!LEADING_ARTICLES.contains(&words[0]), "{:?}", key);
        }
    }
}
