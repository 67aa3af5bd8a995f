//! Voluntary self-identification and the adverse-impact maths (issue 19).
//!
//! A candidate may say which sex and which race/ethnicity category they belong
//! to, in the categories of the US EEO-1 report, or choose "prefer not to say"
//! (the default). Nobody who evaluates ever sees the answer; it only feeds the
//! aggregate tables computed here.
//!
//! For each step of the loop, a category's **selection rate** is the share of the
//! candidates in that category who reached the step and went on to the next one;
//! its **impact ratio** is that rate divided by the highest rate among the
//! categories large enough to judge. A ratio under four fifths (0.8) is flagged.
//! Categories with fewer than [`MIN_GROUP`] candidates at a step are marked too
//! small: they get no ratio and do not count as the reference. "Prefer not to
//! say" and no answer at all are counted together as *undeclared*, shown as
//! counts, and left out of every rate and ratio. The method is in
//! `docs/fairness.md`.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Below this many candidates in a category at a step, the category is too
/// small to judge: no ratio, and not the reference.
pub const MIN_GROUP: u64 = 5;

/// The four-fifths rule: an impact ratio under this is flagged.
pub const FOUR_FIFTHS: f64 = 0.8;

/// The id shared by both questions for "prefer not to say".
pub const PREFER_NOT: &str = "prefer-not-to-say";

/// The category id of the undeclared row (prefer not to say, or no answer).
pub const UNDECLARED: &str = "undeclared";

/// Sex, as the EEO-1 report counts it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Sex {
    Female,
    Male,
    #[default]
    PreferNotToSay,
}

impl Sex {
    pub const ALL: [Sex; 3] = [Sex::Female, Sex::Male, Sex::PreferNotToSay];
    /// The categories judged (everything but "prefer not to say").
    pub const DECLARED: [Sex; 2] = [Sex::Female, Sex::Male];

    pub fn id(self) -> &'static str {
        match self {
            Sex::Female => "female",
            Sex::Male => "male",
            Sex::PreferNotToSay => PREFER_NOT,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Sex::Female => "Female",
            Sex::Male => "Male",
            Sex::PreferNotToSay => "Prefer not to say",
        }
    }

    pub fn is_declared(self) -> bool {
        self != Sex::PreferNotToSay
    }
}

impl FromStr for Sex {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        if s.is_empty() {
            return Ok(Sex::PreferNotToSay);
        }
        Sex::ALL
            .into_iter()
            .find(|x| x.id() == s)
            .ok_or_else(|| format!("`{s}` is not one of the choices: female, male or {PREFER_NOT}"))
    }
}

impl fmt::Display for Sex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// Race/ethnicity, in the EEO-1 report's seven categories.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Race {
    HispanicOrLatino,
    White,
    BlackOrAfricanAmerican,
    NativeHawaiianOrPacificIslander,
    Asian,
    AmericanIndianOrAlaskaNative,
    TwoOrMoreRaces,
    #[default]
    PreferNotToSay,
}

impl Race {
    pub const ALL: [Race; 8] = [
        Race::HispanicOrLatino,
        Race::White,
        Race::BlackOrAfricanAmerican,
        Race::NativeHawaiianOrPacificIslander,
        Race::Asian,
        Race::AmericanIndianOrAlaskaNative,
        Race::TwoOrMoreRaces,
        Race::PreferNotToSay,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Race::HispanicOrLatino => "hispanic-or-latino",
            Race::White => "white",
            Race::BlackOrAfricanAmerican => "black-or-african-american",
            Race::NativeHawaiianOrPacificIslander => "native-hawaiian-or-pacific-islander",
            Race::Asian => "asian",
            Race::AmericanIndianOrAlaskaNative => "american-indian-or-alaska-native",
            Race::TwoOrMoreRaces => "two-or-more-races",
            Race::PreferNotToSay => PREFER_NOT,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Race::HispanicOrLatino => "Hispanic or Latino",
            Race::White => "White",
            Race::BlackOrAfricanAmerican => "Black or African American",
            Race::NativeHawaiianOrPacificIslander => "Native Hawaiian or Other Pacific Islander",
            Race::Asian => "Asian",
            Race::AmericanIndianOrAlaskaNative => "American Indian or Alaska Native",
            Race::TwoOrMoreRaces => "Two or more races",
            Race::PreferNotToSay => "Prefer not to say",
        }
    }

    pub fn is_declared(self) -> bool {
        self != Race::PreferNotToSay
    }
}

impl FromStr for Race {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        if s.is_empty() {
            return Ok(Race::PreferNotToSay);
        }
        Race::ALL.into_iter().find(|x| x.id() == s).ok_or_else(|| {
            let ids: Vec<&str> = Race::ALL.iter().map(|r| r.id()).collect();
            format!("`{s}` is not one of the choices: {}", ids.join(", "))
        })
    }
}

impl fmt::Display for Race {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// What a candidate chose to say about themselves. The default says nothing.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct SelfId {
    pub sex: Sex,
    pub race: Race,
}

impl SelfId {
    /// Whether either answer says something.
    pub fn says_anything(&self) -> bool {
        self.sex.is_declared() || self.race.is_declared()
    }
}

/// How candidates sharing one answer (or no answer: `None`) went through the
/// loop: the distinct stages they entered, whether they were hired, how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub self_id: Option<SelfId>,
    /// Stage ids entered at some time (any order).
    pub stages: Vec<String>,
    pub hired: bool,
    pub count: u64,
}

/// A step of the loop: a framework stage, or the final `hired`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    pub id: String,
    pub name: String,
}

/// The id of the last step.
pub const HIRED: &str = "hired";

/// The steps for a framework's stages, in order, then `hired`.
pub fn steps(stages: &[(String, String)]) -> Vec<Step> {
    stages
        .iter()
        .map(|(id, name)| Step {
            id: id.clone(),
            name: name.clone(),
        })
        .chain(std::iter::once(Step {
            id: HIRED.into(),
            name: "Hired".into(),
        }))
        .collect()
}

/// How many steps an outcome reached: the furthest known stage it entered
/// counts, and every step before it (the loop is ordered, so reaching a later
/// stage means passing the earlier ones); hired reaches them all.
pub fn reached(steps: &[Step], o: &Outcome) -> usize {
    if o.hired {
        return steps.len();
    }
    o.stages
        .iter()
        .filter_map(|s| steps.iter().position(|st| st.id == *s && st.id != HIRED))
        .max()
        .map_or(0, |i| i + 1)
}

/// One category's line in a table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImpactRow {
    /// The category id (`female`, `white`, `female+white`, or `undeclared`).
    pub category: String,
    pub label: String,
    /// False for the undeclared line: counted, never judged.
    pub declared: bool,
    /// `None` when suppressed (see [`Table::suppress`]).
    pub applicants: Option<u64>,
    pub selected: Option<u64>,
    pub rate: Option<f64>,
    pub impact_ratio: Option<f64>,
    /// The ratio is under four fifths.
    pub below_four_fifths: bool,
    /// Fewer than [`MIN_GROUP`] applicants: not judged.
    pub too_small: bool,
    /// Counts hidden so that the line cannot point at a person.
    pub suppressed: bool,
}

/// One dimension (sex, race/ethnicity, or both) at one step.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    /// `sex`, `race` or `sex+race`.
    pub dimension: String,
    pub rows: Vec<ImpactRow>,
    /// The category with the highest rate among those judged.
    pub reference: Option<String>,
    /// The highest rate itself.
    pub highest_rate: Option<f64>,
}

impl Table {
    /// Hide the counts of every line with between 1 and `k - 1` applicants
    /// (with its rate): the line is already too small to judge, and its counts
    /// could single a person out.
    pub fn suppress(&mut self, k: u64) {
        for r in &mut self.rows {
            if r.applicants.is_some_and(|n| n > 0 && n < k) {
                r.applicants = None;
                r.selected = None;
                r.rate = None;
                r.suppressed = true;
            }
        }
    }
}

/// The counts of one group before judging: applicants and selected.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub applicants: u64,
    pub selected: u64,
}

/// Judge one table from its declared categories `(id, label, counts)` and the
/// undeclared counts: rates, the reference (highest rate among categories with
/// at least [`MIN_GROUP`] applicants), ratios and flags.
pub fn judge(dimension: &str, declared: &[(String, String, Counts)], undeclared: Counts) -> Table {
    let rate = |c: &Counts| (c.applicants > 0).then(|| c.selected as f64 / c.applicants as f64);
    let judged = |c: &Counts| c.applicants >= MIN_GROUP;
    let mut reference: Option<(&str, f64)> = None;
    for (id, _, c) in declared {
        if let (true, Some(r)) = (judged(c), rate(c))
            && reference.is_none_or(|(_, best)| r > best)
        {
            reference = Some((id, r));
        }
    }
    let highest = reference.map(|(_, r)| r).filter(|r| *r > 0.0);
    let mut rows: Vec<ImpactRow> = declared
        .iter()
        .map(|(id, label, c)| {
            let r = rate(c);
            let ratio = match (judged(c), r, highest) {
                (true, Some(r), Some(h)) => Some(r / h),
                _ => None,
            };
            ImpactRow {
                category: id.clone(),
                label: label.clone(),
                declared: true,
                applicants: Some(c.applicants),
                selected: Some(c.selected),
                rate: r,
                impact_ratio: ratio,
                below_four_fifths: ratio.is_some_and(|x| x < FOUR_FIFTHS),
                too_small: !judged(c),
                suppressed: false,
            }
        })
        .collect();
    rows.push(ImpactRow {
        category: UNDECLARED.into(),
        label: "Prefer not to say, or no answer".into(),
        declared: false,
        applicants: Some(undeclared.applicants),
        selected: Some(undeclared.selected),
        rate: None,
        impact_ratio: None,
        below_four_fifths: false,
        too_small: false,
        suppressed: false,
    });
    Table {
        dimension: dimension.into(),
        rows,
        reference: reference.map(|(id, _)| id.to_string()),
        highest_rate: reference.map(|(_, r)| r),
    }
}

/// The three tables of one step.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepImpact {
    /// The step candidates reached (`overall`: everyone who applied).
    pub stage: String,
    pub stage_name: String,
    /// The step that counts as selected.
    pub next: String,
    pub next_name: String,
    pub by_sex: Table,
    pub by_race: Table,
    pub by_sex_and_race: Table,
}

impl StepImpact {
    pub fn tables(&self) -> [&Table; 3] {
        [&self.by_sex, &self.by_race, &self.by_sex_and_race]
    }

    pub fn tables_mut(&mut self) -> [&mut Table; 3] {
        [
            &mut self.by_sex,
            &mut self.by_race,
            &mut self.by_sex_and_race,
        ]
    }
}

/// The category key of an intersection.
pub fn both_id(sex: Sex, race: Race) -> String {
    format!("{}+{}", sex.id(), race.id())
}

/// The three tables for the candidates counted by `pick`, which answers, for
/// an outcome, whether it is an applicant and whether it is selected.
fn tables(outcomes: &[Outcome], pick: impl Fn(&Outcome) -> (bool, bool)) -> (Table, Table, Table) {
    let add = |c: &mut Counts, o: &Outcome, sel: bool| {
        c.applicants += o.count;
        if sel {
            c.selected += o.count;
        }
    };
    let mut sex: Vec<(Sex, Counts)> = Sex::DECLARED
        .iter()
        .map(|s| (*s, Counts::default()))
        .collect();
    let races: Vec<Race> = Race::ALL.into_iter().filter(|r| r.is_declared()).collect();
    let mut race: Vec<(Race, Counts)> = races.iter().map(|r| (*r, Counts::default())).collect();
    let mut both: Vec<((Sex, Race), Counts)> = Sex::DECLARED
        .iter()
        .flat_map(|s| races.iter().map(move |r| ((*s, *r), Counts::default())))
        .collect();
    let (mut u_sex, mut u_race, mut u_both) =
        (Counts::default(), Counts::default(), Counts::default());
    for o in outcomes {
        let (applicant, selected) = pick(o);
        if !applicant {
            continue;
        }
        let id = o.self_id.unwrap_or_default();
        match sex.iter_mut().find(|(s, _)| *s == id.sex) {
            Some((_, c)) => add(c, o, selected),
            None => add(&mut u_sex, o, selected),
        }
        match race.iter_mut().find(|(r, _)| *r == id.race) {
            Some((_, c)) => add(c, o, selected),
            None => add(&mut u_race, o, selected),
        }
        match both.iter_mut().find(|(k, _)| *k == (id.sex, id.race)) {
            Some((_, c)) => add(c, o, selected),
            None => add(&mut u_both, o, selected),
        }
    }
    let sex: Vec<_> = sex
        .into_iter()
        .map(|(s, c)| (s.id().to_string(), s.label().to_string(), c))
        .collect();
    let race: Vec<_> = race
        .into_iter()
        .map(|(r, c)| (r.id().to_string(), r.label().to_string(), c))
        .collect();
    let both: Vec<_> = both
        .into_iter()
        .map(|((s, r), c)| (both_id(s, r), format!("{} · {}", s.label(), r.label()), c))
        .collect();
    (
        judge("sex", &sex, u_sex),
        judge("race", &race, u_race),
        judge("sex+race", &both, u_both),
    )
}

/// The adverse-impact tables: first `overall` (everyone who applied, selected
/// when hired), then one per step that has a next step (candidates who reached
/// the step, selected when they reached the next one).
pub fn adverse_impact(steps: &[Step], outcomes: &[Outcome]) -> Vec<StepImpact> {
    let find = |o: &Outcome| reached(steps, o);
    let mut out = Vec::new();
    if let Some(last) = steps.last() {
        let (a, b, c) = tables(outcomes, |o| (true, find(o) >= steps.len()));
        out.push(StepImpact {
            stage: "overall".into(),
            stage_name: "Everyone who applied".into(),
            next: last.id.clone(),
            next_name: last.name.clone(),
            by_sex: a,
            by_race: b,
            by_sex_and_race: c,
        });
    }
    for (i, pair) in steps.windows(2).enumerate() {
        let (a, b, c) = tables(outcomes, |o| {
            let n = find(o);
            (n > i, n > i + 1)
        });
        out.push(StepImpact {
            stage: pair[0].id.clone(),
            stage_name: pair[0].name.clone(),
            next: pair[1].id.clone(),
            next_name: pair[1].name.clone(),
            by_sex: a,
            by_race: b,
            by_sex_and_race: c,
        });
    }
    out
}

/// The sum of one automatic instrument's scores over candidates sharing an
/// answer (`None`: no answer recorded).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreCell {
    pub self_id: Option<SelfId>,
    /// e.g. `code-review.issues`, `written-assessment.flags`.
    pub instrument: String,
    /// Candidates scored.
    pub n: u64,
    pub sum: f64,
}

/// One category's mean score on one instrument.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreRow {
    pub category: String,
    pub label: String,
    pub declared: bool,
    /// `None` when suppressed.
    pub n: Option<u64>,
    pub mean: Option<f64>,
    /// The mean minus the mean of every declared candidate scored; `None`
    /// when too small.
    pub difference: Option<f64>,
    pub too_small: bool,
    pub suppressed: bool,
}

/// One instrument's means by sex, by race/ethnicity and by both.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InstrumentScores {
    pub instrument: String,
    /// The mean over every declared candidate scored.
    pub declared_mean: Option<f64>,
    pub by_sex: Vec<ScoreRow>,
    pub by_race: Vec<ScoreRow>,
    pub by_sex_and_race: Vec<ScoreRow>,
}

impl InstrumentScores {
    /// Hide the count and mean of every line with 1 to `k - 1` candidates.
    pub fn suppress(&mut self, k: u64) {
        for r in self
            .by_sex
            .iter_mut()
            .chain(self.by_race.iter_mut())
            .chain(self.by_sex_and_race.iter_mut())
        {
            if r.n.is_some_and(|n| n > 0 && n < k) {
                r.n = None;
                r.mean = None;
                r.difference = None;
                r.suppressed = true;
            }
        }
    }
}

/// Mean scores per category for each instrument in `cells`, in name order.
pub fn instrument_scores(cells: &[ScoreCell]) -> Vec<InstrumentScores> {
    let mut names: Vec<&str> = cells.iter().map(|c| c.instrument.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    names
        .into_iter()
        .map(|name| {
            let mine: Vec<&ScoreCell> = cells.iter().filter(|c| c.instrument == name).collect();
            let mut all = (0u64, 0f64);
            for c in &mine {
                let id = c.self_id.unwrap_or_default();
                if id.sex.is_declared() || id.race.is_declared() {
                    all.0 += c.n;
                    all.1 += c.sum;
                }
            }
            let declared_mean = (all.0 > 0).then(|| all.1 / all.0 as f64);
            let row = |category: String, label: String, declared: bool, n: u64, sum: f64| {
                let mean = (n > 0).then(|| sum / n as f64);
                let too_small = declared && n < MIN_GROUP;
                ScoreRow {
                    category,
                    label,
                    declared,
                    n: Some(n),
                    mean,
                    difference: match (declared && !too_small, mean, declared_mean) {
                        (true, Some(m), Some(d)) => Some(m - d),
                        _ => None,
                    },
                    too_small,
                    suppressed: false,
                }
            };
            let total = |f: &dyn Fn(&SelfId) -> bool| {
                mine.iter()
                    .filter(|c| f(&c.self_id.unwrap_or_default()))
                    .fold((0u64, 0f64), |(n, s), c| (n + c.n, s + c.sum))
            };
            let mut by_sex: Vec<ScoreRow> = Sex::DECLARED
                .iter()
                .map(|s| {
                    let (n, sum) = total(&|id| id.sex == *s);
                    row(s.id().into(), s.label().into(), true, n, sum)
                })
                .collect();
            let (n, sum) = total(&|id| !id.sex.is_declared());
            by_sex.push(row(UNDECLARED.into(), "Undeclared".into(), false, n, sum));
            let mut by_race: Vec<ScoreRow> = Race::ALL
                .iter()
                .filter(|r| r.is_declared())
                .map(|r| {
                    let (n, sum) = total(&|id| id.race == *r);
                    row(r.id().into(), r.label().into(), true, n, sum)
                })
                .collect();
            let (n, sum) = total(&|id| !id.race.is_declared());
            by_race.push(row(UNDECLARED.into(), "Undeclared".into(), false, n, sum));
            let mut by_sex_and_race: Vec<ScoreRow> = Sex::DECLARED
                .iter()
                .flat_map(|s| {
                    Race::ALL
                        .iter()
                        .filter(|r| r.is_declared())
                        .map(move |r| (*s, *r))
                })
                .map(|(s, r)| {
                    let (n, sum) = total(&|id| id.sex == s && id.race == r);
                    row(
                        both_id(s, r),
                        format!("{} · {}", s.label(), r.label()),
                        true,
                        n,
                        sum,
                    )
                })
                .collect();
            let (n, sum) = total(&|id| !id.sex.is_declared() || !id.race.is_declared());
            by_sex_and_race.push(row(UNDECLARED.into(), "Undeclared".into(), false, n, sum));
            InstrumentScores {
                instrument: name.to_string(),
                declared_mean,
                by_sex,
                by_race,
                by_sex_and_race,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn o(sex: Sex, race: Race, stages: &[&str], hired: bool, count: u64) -> Outcome {
        Outcome {
            self_id: Some(SelfId { sex, race }),
            stages: stages.iter().map(|s| s.to_string()).collect(),
            hired,
            count,
        }
    }

    fn three() -> Vec<Step> {
        steps(&[
            ("screen".into(), "Screen".into()),
            ("interview".into(), "Interview".into()),
        ])
    }

    #[test]
    fn categories_parse_from_their_ids_and_blank_is_prefer_not_to_say() {
        for s in Sex::ALL {
            assert_eq!(s.id().parse::<Sex>(), Ok(s));
        }
        for r in Race::ALL {
            assert_eq!(r.id().parse::<Race>(), Ok(r));
        }
        assert_eq!("".parse::<Sex>(), Ok(Sex::PreferNotToSay));
        assert!("martian".parse::<Race>().is_err());
        assert!(!SelfId::default().says_anything());
    }

    #[test]
    fn reaching_a_later_stage_counts_every_earlier_one() {
        let s = three();
        assert_eq!(
            reached(&s, &o(Sex::Male, Race::White, &["interview"], false, 1)),
            2
        );
        assert_eq!(
            reached(&s, &o(Sex::Male, Race::White, &["screen"], false, 1)),
            1
        );
        assert_eq!(
            reached(&s, &o(Sex::Male, Race::White, &["gone"], false, 1)),
            0
        );
        assert_eq!(reached(&s, &o(Sex::Male, Race::White, &[], true, 1)), 3);
    }

    #[test]
    fn a_small_category_is_neither_judged_nor_the_reference() {
        let t = judge(
            "x",
            &[
                (
                    "a".into(),
                    "A".into(),
                    Counts {
                        applicants: 2,
                        selected: 2,
                    },
                ),
                (
                    "b".into(),
                    "B".into(),
                    Counts {
                        applicants: 10,
                        selected: 5,
                    },
                ),
                (
                    "c".into(),
                    "C".into(),
                    Counts {
                        applicants: 10,
                        selected: 3,
                    },
                ),
            ],
            Counts {
                applicants: 4,
                selected: 4,
            },
        );
        assert_eq!(t.reference.as_deref(), Some("b"));
        assert!(t.rows[0].too_small && t.rows[0].impact_ratio.is_none());
        assert_eq!(t.rows[2].impact_ratio, Some(0.6));
        assert!(t.rows[2].below_four_fifths);
        let undeclared = t.rows.last().unwrap();
        assert!(!undeclared.declared && undeclared.rate.is_none());
        assert_eq!(undeclared.applicants, Some(4));
    }

    #[test]
    fn no_one_selected_gives_no_ratio_and_no_flag() {
        let t = judge(
            "x",
            &[(
                "a".into(),
                "A".into(),
                Counts {
                    applicants: 6,
                    selected: 0,
                },
            )],
            Counts::default(),
        );
        assert_eq!(t.rows[0].impact_ratio, None);
        assert!(!t.rows[0].below_four_fifths);
    }

    #[test]
    fn suppression_hides_counts_between_one_and_k_minus_one() {
        let mut t = judge(
            "x",
            &[
                (
                    "a".into(),
                    "A".into(),
                    Counts {
                        applicants: 3,
                        selected: 1,
                    },
                ),
                (
                    "b".into(),
                    "B".into(),
                    Counts {
                        applicants: 0,
                        selected: 0,
                    },
                ),
                (
                    "c".into(),
                    "C".into(),
                    Counts {
                        applicants: 5,
                        selected: 1,
                    },
                ),
            ],
            Counts {
                applicants: 1,
                selected: 0,
            },
        );
        t.suppress(MIN_GROUP);
        assert_eq!(t.rows[0].applicants, None);
        assert!(t.rows[0].suppressed);
        assert_eq!(t.rows[1].applicants, Some(0));
        assert_eq!(t.rows[2].applicants, Some(5));
        assert!(t.rows[3].suppressed, "the undeclared line too");
    }

    #[test]
    fn each_step_counts_those_who_reached_it_and_selects_those_who_went_on() {
        let s = three();
        let outcomes = vec![
            o(Sex::Female, Race::Asian, &["screen"], false, 4),
            o(Sex::Female, Race::Asian, &["interview"], false, 3),
            o(Sex::Female, Race::Asian, &["interview"], true, 1),
        ];
        let all = adverse_impact(&s, &outcomes);
        let names: Vec<&str> = all.iter().map(|x| x.stage.as_str()).collect();
        assert_eq!(names, ["overall", "screen", "interview"]);
        let female = |i: usize| all[i].by_sex.rows[0].clone();
        assert_eq!(
            (female(0).applicants, female(0).selected),
            (Some(8), Some(1))
        );
        assert_eq!(
            (female(1).applicants, female(1).selected),
            (Some(8), Some(4))
        );
        assert_eq!(
            (female(2).applicants, female(2).selected),
            (Some(4), Some(1))
        );
    }

    #[test]
    fn instrument_means_leave_out_the_undeclared_from_the_declared_mean() {
        let cells = vec![
            ScoreCell {
                self_id: Some(SelfId {
                    sex: Sex::Female,
                    race: Race::White,
                }),
                instrument: "t".into(),
                n: 5,
                sum: 15.0,
            },
            ScoreCell {
                self_id: Some(SelfId {
                    sex: Sex::Male,
                    race: Race::White,
                }),
                instrument: "t".into(),
                n: 5,
                sum: 10.0,
            },
            ScoreCell {
                self_id: None,
                instrument: "t".into(),
                n: 2,
                sum: 8.0,
            },
        ];
        let s = &instrument_scores(&cells)[0];
        assert_eq!(s.declared_mean, Some(2.5));
        assert_eq!(s.by_sex[0].mean, Some(3.0));
        assert_eq!(s.by_sex[0].difference, Some(0.5));
        assert_eq!(s.by_sex[1].difference, Some(-0.5));
        assert_eq!(s.by_sex[2].n, Some(2));
        assert_eq!(s.by_sex[2].difference, None);
    }
}
