use super::*;

const R: Rules = Rules::thresholds(8, 5);

fn answers(a: &[Option<&str>]) -> GroupValue {
    GroupValue::Answers(a.iter().map(|x| x.map(str::to_string)).collect())
}

fn group(value: GroupValue, reached: [u64; 6]) -> FunnelCount {
    FunnelCount { region: None, value, reached }
}

fn row<'a>(rows: &'a [UptakeRow], category: &str) -> &'a UptakeRow {
    rows.iter().find(|r| r.category == category).unwrap()
}

#[test]
fn every_dimension_has_categories_and_answers_map_onto_them() {
    for d in Dimension::ALL {
        assert!(!d.categories().is_empty(), "{d}");
    }
    let d = Dimension::Disability;
    assert_eq!(d.categories_of(&answers(&[Some("yes"), Some("yes_a_little")])), vec!["disabled"]);
    assert_eq!(d.categories_of(&answers(&[Some("yes"), Some("not_at_all")])), vec!["not_disabled"]);
    assert_eq!(d.categories_of(&answers(&[Some("no"), None])), vec!["not_disabled"]);
    assert_eq!(d.categories_of(&answers(&[Some("prefer_not_to_say"), None])), vec!["prefer_not_to_say"]);
    assert_eq!(d.categories_of(&answers(&[Some("yes"), None])), vec!["not_answered"]);
    let e = Dimension::EthnicityGroup;
    assert_eq!(e.categories_of(&answers(&[Some("mixed_white_asian")])), vec!["mixed"]);
    assert_eq!(e.categories_of(&answers(&[Some("other_arab")])), vec!["other"]);
    assert_eq!(e.categories_of(&answers(&[None])), vec!["not_answered"]);
    assert_eq!(Dimension::Ethnicity.categories_of(&answers(&[Some("white_roma")])), vec!["white_roma"]);
    let a = Dimension::AgeBand;
    assert_eq!(a.categories_of(&GroupValue::Age(15)), vec!["14_15"]);
    assert_eq!(a.categories_of(&GroupValue::Age(16)), vec!["16_17"]);
    assert_eq!(a.categories_of(&GroupValue::Age(24)), vec!["18_24"]);
    assert_eq!(a.categories_of(&GroupValue::Age(50)), vec!["50_plus"]);
    let c = Dimension::CareExperienced;
    assert_eq!(c.categories_of(&GroupValue::Care { answer: None, in_group: true }), vec!["yes"]);
    assert_eq!(c.categories_of(&GroupValue::Care { answer: Some(false), in_group: false }), vec!["no"]);
    assert_eq!(c.categories_of(&GroupValue::Care { answer: None, in_group: false }), vec!["not_answered"]);
    let u = Dimension::UserGroup;
    assert_eq!(u.categories_of(&GroupValue::UserGroups(vec![])), vec!["none"]);
    let both = GroupValue::UserGroups(vec![UserGroup::Veterans, UserGroup::Unemployed]);
    assert_eq!(u.categories_of(&both), vec!["veterans", "unemployed"]);
}

#[test]
fn one_group_disadvantaged_at_one_stage_is_flagged_there_and_nowhere_else() {
    let fair = [200, 190, 80, 60, 55, 50];
    let unfair = [200, 190, 40, 30, 25, 25]; // half as likely to be offered once entered
    let counts = vec![
        group(answers(&[Some("female")]), fair),
        group(answers(&[Some("male")]), unfair),
        group(answers(&[Some("prefer_not_to_say")]), fair),
        group(answers(&[None]), fair),
    ];
    let (rows, total) = tabulate(Dimension::Sex, &counts, R);
    let found: Vec<(&str, &str, &str)> = flags(&rows).iter().map(|f| (f.category, f.from, f.to)).collect();
    assert_eq!(found, vec![("male", "entered", "offered"), ("male", "applied", "offered")]);
    let male = row(&rows, "male");
    let step = male.transitions.iter().find(|t| t.from == "entered" && t.to == "offered").unwrap();
    assert_eq!(step.impact_ratio, Some(0.5));
    assert_eq!(step.rate.value, Some(0.211));
    assert_eq!(total.counts[0].figure, Figure { count: Some(800), suppressed: false });
    assert!(total.transitions.iter().all(|t| t.impact_ratio.is_none() && !t.flagged));
}

#[test]
fn small_groups_are_never_flagged_and_their_counts_are_suppressed() {
    let counts = vec![
        group(answers(&[Some("female")]), [100, 100, 50, 50, 50, 50]),
        group(answers(&[Some("male")]), [15, 15, 3, 3, 3, 3]),
    ];
    let (rows, _) = tabulate(Dimension::Sex, &counts, R);
    let male = row(&rows, "male");
    assert_eq!(male.counts[2].figure, Figure { count: None, suppressed: true });
    assert!(male.transitions.iter().all(|t| !t.flagged), "15 is under 20, and 3 is suppressed");
    // 15 at `applied` is shown (rounded): 15 stays 15.
    assert_eq!(male.counts[0].figure.count, Some(15));
}

#[test]
fn a_lone_small_cell_takes_a_second_cell_of_its_column_with_it() {
    let counts = vec![
        group(answers(&[Some("female")]), [100, 90, 40, 30, 30, 30]),
        group(answers(&[Some("male")]), [60, 50, 5, 5, 5, 5]),
        group(answers(&[Some("prefer_not_to_say")]), [30, 30, 20, 20, 20, 20]),
    ];
    let (rows, total) = tabulate(Dimension::Sex, &counts, R);
    // The total of `offered` (65) is published, so the male 5 could be recovered: the smallest
    // other non-zero offered count (20, prefer not to say) is suppressed too.
    assert!(row(&rows, "male").counts[2].figure.suppressed);
    assert!(row(&rows, "prefer_not_to_say").counts[2].figure.suppressed);
    assert_eq!(row(&rows, "female").counts[2].figure.count, Some(40));
    assert_eq!(total.counts[2].figure.count, Some(65));
    // Rates from the secondarily suppressed cell are suppressed as well.
    let t = row(&rows, "prefer_not_to_say").transitions.iter().find(|t| t.to == "offered" && t.from == "entered");
    assert!(t.unwrap().rate.suppressed);
}

#[test]
fn overlapping_user_groups_count_in_each_group_and_once_in_the_total() {
    let counts =
        vec![group(GroupValue::UserGroups(vec![UserGroup::Veterans, UserGroup::Unemployed]), [40, 40, 20, 20, 10, 10])];
    let (rows, total) = tabulate(Dimension::UserGroup, &counts, R);
    assert_eq!(row(&rows, "veterans").counts[0].figure.count, Some(40));
    assert_eq!(row(&rows, "unemployed").counts[0].figure.count, Some(40));
    assert_eq!(total.counts[0].figure.count, Some(40));
    assert_eq!(row(&rows, "none").counts[0].figure.count, Some(0));
}
