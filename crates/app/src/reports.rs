//! Reports (issue 19 items 2–4): the hiring funnel and the adverse-impact
//! tables, and the candidate's voluntary self-identification.
//!
//! Who may run them:
//! - **Admins** (hiring managers and administrators) run every report, over
//!   all openings or one.
//! - **An interviewer named as an opening's hiring manager** runs the funnel
//!   of that opening only (they own its loop and already see where each of
//!   its candidates stands). The adverse-impact report is for admins only: it
//!   is read from self-identification, the most sensitive data we keep, and
//!   the fewer people who can slice it the fewer can try to single someone
//!   out.
//! - Everyone else is refused.
//!
//! Small cells: in the adverse-impact report every line (category, or
//! intersection, at a step; or an instrument's mean) counted over 1 to
//! [`MIN_CELL`]` - 1` candidates shows neither its counts nor its rate, in
//! every format and for every viewer. Such a line is also too small to judge
//! (core's [`fairness::MIN_GROUP`], the same number), so nothing of the
//! method is lost. The funnel carries no category and is not suppressed.

use crate::actor::{Account, Visit};
use crate::error::{AppError, AppResult, FieldProblem};
use crate::{App, require_admin};
use jiff::Timestamp;
use multiplier_core::fairness::{
    self, FOUR_FIFTHS, InstrumentScores, MIN_GROUP, Race, SelfId, Sex, Step, StepImpact,
};
use multiplier_core::funnel::{self, Funnel};
use multiplier_store::{HiringStore, OpeningId, PORTAL_ACTOR, ReportStore};
use serde::Serialize;
use std::collections::BTreeMap;

/// Lines counted over fewer candidates than this (and more than none) are
/// shown without counts.
pub const MIN_CELL: u64 = MIN_GROUP;

/// The funnel of one opening.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpeningFunnel {
    pub opening: OpeningId,
    pub title: String,
    pub funnel: Funnel,
}

/// The funnel report: over every opening asked, then per opening.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FunnelReport {
    pub generated_at: Timestamp,
    /// The one opening asked for, if any.
    pub opening: Option<OpeningId>,
    pub overall: Funnel,
    pub openings: Vec<OpeningFunnel>,
}

/// The adverse-impact report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AdverseImpactReport {
    pub generated_at: Timestamp,
    pub opening: Option<OpeningId>,
    /// The one step asked for, if any.
    pub stage: Option<String>,
    /// A category with fewer candidates at a step is not judged.
    pub min_group: u64,
    /// Lines with 1 to `suppressed_below - 1` candidates show no counts.
    pub suppressed_below: u64,
    /// Ratios under this are flagged.
    pub four_fifths: f64,
    /// `overall` first, then one per step of the loop.
    pub steps: Vec<StepImpact>,
    /// The automatic instruments' scores by category.
    pub instruments: Vec<InstrumentScores>,
    /// Plain sentences: flags and what could not be judged.
    pub warnings: Vec<String>,
}

/// Parse the two answers of the self-identification form (blank is
/// "prefer not to say"), adding a problem per unknown value.
pub(crate) fn parse_self_id(problems: &mut Vec<FieldProblem>, sex: &str, race: &str) -> SelfId {
    let sex = sex.parse::<Sex>().unwrap_or_else(|e| {
        problems.push(FieldProblem::new("sex", e));
        Sex::PreferNotToSay
    });
    let race = race.parse::<Race>().unwrap_or_else(|e| {
        problems.push(FieldProblem::new("race", e));
        Race::PreferNotToSay
    });
    SelfId { sex, race }
}

impl App {
    fn report_steps(&self) -> Vec<Step> {
        let stages: Vec<(String, String)> = self
            .framework
            .stages
            .iter()
            .map(|s| (s.id.clone(), s.name.clone()))
            .collect();
        fairness::steps(&stages)
    }

    /// The funnel, over all openings or one (see the module's access rule).
    pub async fn funnel_report(
        &self,
        account: &Account,
        opening: Option<OpeningId>,
    ) -> AppResult<FunnelReport> {
        let titles: BTreeMap<OpeningId, String> = match opening {
            Some(id) => {
                let o = self
                    .store
                    .opening(id)
                    .await?
                    .ok_or_else(|| AppError::NotFound(format!("there is no opening {id}")))?;
                if !account.is_admin() && o.manager != account.name {
                    return Err(AppError::Forbidden(format!(
                        "only an admin or opening {id}'s hiring manager may read its funnel"
                    )));
                }
                BTreeMap::from([(o.id, o.title)])
            }
            None => {
                require_admin(account, "read the funnel of every opening")?;
                self.store
                    .openings()
                    .await?
                    .into_iter()
                    .map(|o| (o.id, o.title))
                    .collect()
            }
        };
        let steps = self.report_steps();
        let reasons: Vec<(String, String)> = self
            .framework
            .rejection_reasons
            .iter()
            .map(|r| (r.id.clone(), r.title.clone()))
            .collect();
        let journeys = self.store.journeys(opening).await?;
        let mut by_opening: BTreeMap<OpeningId, Vec<funnel::Journey>> = BTreeMap::new();
        for (o, j) in &journeys {
            by_opening.entry(*o).or_default().push(j.clone());
        }
        let all: Vec<funnel::Journey> = journeys.into_iter().map(|(_, j)| j).collect();
        Ok(FunnelReport {
            generated_at: Timestamp::now(),
            opening,
            overall: funnel::funnel(&steps, &reasons, &all),
            openings: titles
                .into_iter()
                .map(|(id, title)| OpeningFunnel {
                    opening: id,
                    title,
                    funnel: funnel::funnel(
                        &steps,
                        &reasons,
                        by_opening.get(&id).map_or(&[][..], Vec::as_slice),
                    ),
                })
                .collect(),
        })
    }

    /// The adverse-impact tables (admins), over all openings or one, every
    /// step or the one named (`overall` or a stage id).
    pub async fn adverse_impact_report(
        &self,
        account: &Account,
        opening: Option<OpeningId>,
        stage: Option<&str>,
    ) -> AppResult<AdverseImpactReport> {
        require_admin(account, "read the adverse-impact report")?;
        if let Some(id) = opening
            && self.store.opening(id).await?.is_none()
        {
            return Err(AppError::NotFound(format!("there is no opening {id}")));
        }
        let steps = self.report_steps();
        let stage = stage.map(str::trim).filter(|s| !s.is_empty());
        if let Some(s) = stage
            && s != "overall"
            && !steps.iter().any(|x| x.id == s && x.id != fairness::HIRED)
        {
            let ids: Vec<&str> = steps
                .iter()
                .filter(|x| x.id != fairness::HIRED)
                .map(|x| x.id.as_str())
                .collect();
            return Err(AppError::field(
                "the report",
                "stage",
                format!(
                    "`{s}` is not a step of the loop; choose overall or one of {}",
                    ids.join(", ")
                ),
            ));
        }
        let outcomes = self.store.outcomes(opening).await?;
        let mut tables = fairness::adverse_impact(&steps, &outcomes);
        if let Some(s) = stage {
            tables.retain(|t| t.stage == s);
        }
        let mut warnings = Vec::new();
        for t in &mut tables {
            for table in t.tables() {
                for r in table.rows.iter().filter(|r| r.below_four_fifths) {
                    warnings.push(format!(
                        "{} → {}: {} has an impact ratio of {:.2}, under four fifths of {}",
                        t.stage_name,
                        t.next_name,
                        r.label,
                        r.impact_ratio.unwrap_or_default(),
                        table
                            .reference
                            .as_deref()
                            .and_then(|id| table.rows.iter().find(|x| x.category == id))
                            .map_or("the most selected", |x| x.label.as_str()),
                    ));
                }
                let small = table
                    .rows
                    .iter()
                    .filter(|r| r.declared && r.too_small && r.applicants != Some(0))
                    .count();
                if small > 0 {
                    warnings.push(format!(
                        "{} → {}, by {}: {small} categor{} with fewer than {MIN_GROUP} candidates, too few to judge",
                        t.stage_name,
                        t.next_name,
                        dimension_label(&table.dimension),
                        if small == 1 { "y" } else { "ies" }
                    ));
                }
            }
            for table in t.tables_mut() {
                table.suppress(MIN_CELL);
            }
        }
        let mut instruments = fairness::instrument_scores(&self.store.score_cells(opening).await?);
        for i in &mut instruments {
            i.suppress(MIN_CELL);
        }
        Ok(AdverseImpactReport {
            generated_at: Timestamp::now(),
            opening,
            stage: stage.map(str::to_string),
            min_group: MIN_GROUP,
            suppressed_below: MIN_CELL,
            four_fifths: FOUR_FIFTHS,
            steps: tables,
            instruments,
            warnings,
        })
    }

    /// Record the candidate's own self-identification from the portal
    /// (replacing any earlier answer; "prefer not to say" twice withdraws it).
    pub async fn save_self_id(&self, visit: &Visit, sex: &str, race: &str) -> AppResult<()> {
        let mut problems = Vec::new();
        let id = parse_self_id(&mut problems, sex, race);
        AppError::check("the self-identification", problems)?;
        Ok(self
            .store
            .set_self_id(PORTAL_ACTOR, visit.candidate.id, &id)
            .await?)
    }

    /// When the candidate gave a self-identification, if they did (never what:
    /// the portal does not show it back either).
    pub async fn self_id_given(&self, visit: &Visit) -> AppResult<Option<Timestamp>> {
        Ok(self.store.self_id_given(visit.candidate.id).await?)
    }
}

/// `sex` → "sex", `race` → "race/ethnicity", `sex+race` → "sex and race/ethnicity".
pub fn dimension_label(d: &str) -> &'static str {
    match d {
        "sex" => "sex",
        "race" => "race/ethnicity",
        _ => "sex and race/ethnicity",
    }
}

fn num(v: Option<f64>, places: usize) -> String {
    v.map_or_else(String::new, |x| format!("{x:.places$}"))
}

fn count(v: Option<u64>) -> String {
    v.map_or_else(|| format!("<{MIN_CELL}"), |n| n.to_string())
}

fn csv_text(rows: Vec<Vec<String>>) -> AppResult<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.write_record(&r)
            .map_err(|e| AppError::Internal(format!("cannot write the CSV: {e}")))?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| AppError::Internal(format!("cannot write the CSV: {e}")))?;
    String::from_utf8(bytes).map_err(|e| AppError::Internal(format!("cannot write the CSV: {e}")))
}

impl FunnelReport {
    /// One CSV table: a row per opening (`all` for the overall funnel) and
    /// section (`stage`, `hired`, `source`, `rejection`, `status`,
    /// `time-to-hire`).
    pub fn csv(&self) -> AppResult<String> {
        let mut rows = vec![
            [
                "opening",
                "title",
                "section",
                "item",
                "label",
                "count",
                "conversion",
                "stays",
                "median_days",
                "mean_days",
                "hired",
            ]
            .map(String::from)
            .to_vec(),
        ];
        let all = std::iter::once(("all".to_string(), "All openings".to_string(), &self.overall))
            .chain(
                self.openings
                    .iter()
                    .map(|o| (o.opening.to_string(), o.title.clone(), &o.funnel)),
            );
        for (id, title, f) in all {
            let line = |section: &str, item: &str, label: &str, count: u64| {
                let mut r = vec![
                    id.clone(),
                    title.clone(),
                    section.into(),
                    item.into(),
                    label.into(),
                ];
                r.push(count.to_string());
                r
            };
            for s in &f.steps {
                let mut r = line("stage", &s.stage, &s.name, s.reached);
                r.extend([
                    num(s.conversion, 4),
                    s.stays.to_string(),
                    num(s.median_days, 2),
                    num(s.mean_days, 2),
                    String::new(),
                ]);
                rows.push(r);
            }
            let mut r = line("time-to-hire", "hired", "Days from added to hired", f.hired);
            r.extend([
                String::new(),
                String::new(),
                num(f.median_days_to_hire, 2),
                num(f.mean_days_to_hire, 2),
                String::new(),
            ]);
            rows.push(r);
            for s in &f.sources {
                let mut r = line("source", &s.source, &s.source, s.candidates);
                r.extend([String::new(), String::new(), String::new(), String::new()]);
                r.push(s.hired.to_string());
                rows.push(r);
            }
            for (section, list) in [("rejection", &f.rejections), ("status", &f.statuses)] {
                for t in list {
                    let mut r = line(section, &t.id, &t.label, t.count);
                    r.extend([
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                    ]);
                    rows.push(r);
                }
            }
        }
        csv_text(rows)
    }
}

impl AdverseImpactReport {
    /// One CSV table: a row per step, dimension and category (`selection`),
    /// then a row per instrument, dimension and category (`score`: `stage`
    /// names the instrument, `applicants` the candidates scored, `mean` and
    /// `difference` from the declared mean). Suppressed counts read `<5`.
    pub fn csv(&self) -> AppResult<String> {
        let mut rows = vec![
            [
                "kind",
                "stage",
                "next",
                "dimension",
                "category",
                "label",
                "applicants",
                "selected",
                "rate",
                "impact_ratio",
                "below_four_fifths",
                "too_small",
                "reference",
                "mean",
                "difference",
            ]
            .map(String::from)
            .to_vec(),
        ];
        for s in &self.steps {
            for t in s.tables() {
                for r in &t.rows {
                    rows.push(vec![
                        "selection".into(),
                        s.stage.clone(),
                        s.next.clone(),
                        t.dimension.clone(),
                        r.category.clone(),
                        r.label.clone(),
                        count(r.applicants),
                        count(r.selected),
                        num(r.rate, 4),
                        num(r.impact_ratio, 4),
                        r.below_four_fifths.to_string(),
                        (r.declared && r.too_small).to_string(),
                        (t.reference.as_deref() == Some(r.category.as_str())).to_string(),
                        String::new(),
                        String::new(),
                    ]);
                }
            }
        }
        for i in &self.instruments {
            for (dimension, list) in [
                ("sex", &i.by_sex),
                ("race", &i.by_race),
                ("sex+race", &i.by_sex_and_race),
            ] {
                for r in list {
                    rows.push(vec![
                        "score".into(),
                        i.instrument.clone(),
                        String::new(),
                        dimension.into(),
                        r.category.clone(),
                        r.label.clone(),
                        count(r.n),
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                        (r.declared && r.too_small).to_string(),
                        String::new(),
                        num(r.mean, 4),
                        num(r.difference, 4),
                    ]);
                }
            }
        }
        csv_text(rows)
    }
}
