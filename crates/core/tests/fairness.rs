//! The worked example of docs/fairness.md, checked against figures computed by
//! hand. If a number here changes, the document is wrong too.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use multiplier_core::fairness::{
    MIN_GROUP, Outcome, Race, SelfId, Sex, StepImpact, Table, adverse_impact, steps,
};

/// At `technical-depth` (applicants) → `code-review` (selected): `applicants`
/// reached technical depth, `selected` of them reached the code review.
fn people(sex: Sex, race: Race, applicants: u64, selected: u64) -> Vec<Outcome> {
    let id = Some(SelfId { sex, race });
    vec![
        Outcome {
            self_id: id,
            stages: vec!["technical-depth".into()],
            hired: false,
            count: applicants - selected,
        },
        Outcome {
            self_id: id,
            stages: vec!["code-review".into()],
            hired: false,
            count: selected,
        },
    ]
}

fn example() -> StepImpact {
    let s = steps(&[
        ("screen".into(), "Screen".into()),
        ("technical-depth".into(), "Technical depth".into()),
        ("code-review".into(), "Code review".into()),
    ]);
    let mut all = Vec::new();
    for (sex, race, a, sel) in [
        (Sex::Female, Race::White, 10, 3),
        (Sex::Female, Race::Asian, 6, 2),
        (Sex::Female, Race::BlackOrAfricanAmerican, 4, 1),
        (Sex::Male, Race::White, 20, 9),
        (Sex::Male, Race::Asian, 14, 6),
        (Sex::Male, Race::BlackOrAfricanAmerican, 4, 1),
        (Sex::Male, Race::HispanicOrLatino, 2, 0),
        (Sex::PreferNotToSay, Race::PreferNotToSay, 5, 2),
    ] {
        all.extend(people(sex, race, a, sel));
    }
    adverse_impact(&s, &all)
        .into_iter()
        .find(|x| x.stage == "technical-depth")
        .expect("the technical-depth step")
}

fn row<'a>(t: &'a Table, id: &str) -> &'a multiplier_core::fairness::ImpactRow {
    t.rows.iter().find(|r| r.category == id).expect(id)
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-9)
}

#[test]
fn the_worked_example_by_sex_matches_the_hand_computation() {
    let x = example();
    assert_eq!(x.next, "code-review");
    let f = row(&x.by_sex, "female");
    let m = row(&x.by_sex, "male");
    assert_eq!((f.applicants, f.selected), (Some(20), Some(6)));
    assert_eq!((m.applicants, m.selected), (Some(40), Some(16)));
    assert!(close(f.rate, 0.30) && close(m.rate, 0.40));
    assert_eq!(x.by_sex.reference.as_deref(), Some("male"));
    assert!(close(f.impact_ratio, 0.75), "0.30 / 0.40");
    assert!(f.below_four_fifths);
    assert!(close(m.impact_ratio, 1.0) && !m.below_four_fifths);
    let u = row(&x.by_sex, "undeclared");
    assert_eq!((u.applicants, u.selected, u.rate), (Some(5), Some(2), None));
}

#[test]
fn the_worked_example_by_race_matches_the_hand_computation() {
    let x = example();
    let t = &x.by_race;
    let w = row(t, "white");
    let a = row(t, "asian");
    let b = row(t, "black-or-african-american");
    let h = row(t, "hispanic-or-latino");
    assert_eq!((w.applicants, w.selected), (Some(30), Some(12)));
    assert_eq!((a.applicants, a.selected), (Some(20), Some(8)));
    assert_eq!((b.applicants, b.selected), (Some(8), Some(2)));
    // White and Asian tie at 0.40; the first in the EEO-1 order is named.
    assert!(close(t.highest_rate, 0.40));
    assert!(close(w.impact_ratio, 1.0) && close(a.impact_ratio, 1.0));
    assert!(close(b.rate, 0.25) && close(b.impact_ratio, 0.625) && b.below_four_fifths);
    assert!(h.too_small && h.impact_ratio.is_none() && !h.below_four_fifths);
    assert_eq!(h.applicants, Some(2));
    assert_eq!(
        row(&x.by_race, "hispanic-or-latino").applicants,
        Some(MIN_GROUP - 3)
    );
}

#[test]
fn the_worked_example_intersections_match_the_hand_computation() {
    let x = example();
    let t = &x.by_sex_and_race;
    assert_eq!(t.reference.as_deref(), Some("male+white"));
    assert!(close(t.highest_rate, 0.45), "9 / 20");
    let fw = row(t, "female+white");
    assert!(close(fw.rate, 0.30) && close(fw.impact_ratio, 0.30 / 0.45));
    assert!(fw.below_four_fifths, "0.667 < 0.8");
    let fa = row(t, "female+asian");
    assert!(
        close(fa.impact_ratio, (2.0 / 6.0) / 0.45) && fa.below_four_fifths,
        "0.741"
    );
    let ma = row(t, "male+asian");
    assert!(
        close(ma.impact_ratio, (6.0 / 14.0) / 0.45) && !ma.below_four_fifths,
        "0.952"
    );
    for small in [
        "female+black-or-african-american",
        "male+black-or-african-american",
        "male+hispanic-or-latino",
    ] {
        assert!(row(t, small).too_small, "{small}");
        assert!(row(t, small).impact_ratio.is_none(), "{small}");
    }
    // After suppression the small lines show no counts at all.
    let mut shown = t.clone();
    shown.suppress(MIN_GROUP);
    assert_eq!(row(&shown, "male+hispanic-or-latino").applicants, None);
    assert_eq!(row(&shown, "female+white").applicants, Some(10));
}
