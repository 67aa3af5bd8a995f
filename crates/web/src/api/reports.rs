//! `/reports/funnel` and `/reports/adverse-impact`: the reports as JSON,
//! through [`multiplier_app::App::funnel_report`] and
//! [`multiplier_app::App::adverse_impact_report`] (the access rule and the
//! small-cell suppression are theirs).

use super::{Failure, Outcome, at};
use crate::AppState;
use crate::auth::CurrentUser;
use axum::Json;
use axum::extract::{Query, State};
use multiplier_app::{AdverseImpactReport, FunnelReport};
use multiplier_core::fairness::{ImpactRow, InstrumentScores, ScoreRow, StepImpact, Table};
use multiplier_core::funnel::{Funnel, FunnelStep, SourceLine, Tally};
use multiplier_store::OpeningId;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(funnel))
        .routes(routes!(adverse_impact))
}

/// One step of the funnel.
#[derive(Debug, Serialize, ToSchema)]
pub struct FunnelStepDto {
    /// A framework stage id, or `hired`.
    pub stage: String,
    pub name: String,
    /// Candidates who reached this step (reaching a later one counts).
    pub reached: u64,
    /// Share of them who reached the next step, 0–1.
    pub conversion: Option<f64>,
    /// Finished stays in this stage that the days are measured on.
    pub stays: u64,
    pub median_days: Option<f64>,
    pub mean_days: Option<f64>,
}

/// A count under a name.
#[derive(Debug, Serialize, ToSchema)]
pub struct TallyDto {
    pub id: String,
    pub label: String,
    pub count: u64,
}

/// Candidates and hires from one source.
#[derive(Debug, Serialize, ToSchema)]
pub struct SourceDto {
    /// `added-by-staff`, `applied` or `imported`.
    pub source: String,
    pub candidates: u64,
    pub hired: u64,
}

/// The funnel of a set of candidates.
#[derive(Debug, Serialize, ToSchema)]
pub struct FunnelDto {
    pub candidates: u64,
    pub steps: Vec<FunnelStepDto>,
    pub hired: u64,
    /// Median days from being added to being hired.
    pub median_days_to_hire: Option<f64>,
    pub mean_days_to_hire: Option<f64>,
    /// Source of hire.
    pub sources: Vec<SourceDto>,
    /// Reasons for rejection.
    pub rejections: Vec<TallyDto>,
    /// Candidates by status now.
    pub statuses: Vec<TallyDto>,
}

/// One opening's funnel.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpeningFunnelDto {
    pub opening: i64,
    pub title: String,
    pub funnel: FunnelDto,
}

/// The funnel report: overall, then per opening.
#[derive(Debug, Serialize, ToSchema)]
pub struct FunnelReportDto {
    /// RFC 3339.
    pub generated_at: String,
    pub opening: Option<i64>,
    pub overall: FunnelDto,
    pub openings: Vec<OpeningFunnelDto>,
}

/// One category's line at one step.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImpactRowDto {
    /// `female`, `white`, `female+white`, … or `undeclared`.
    pub category: String,
    pub label: String,
    /// False for the undeclared line (prefer not to say, or no answer): counted, never judged.
    pub declared: bool,
    /// Null when suppressed (1 to 4 candidates).
    pub applicants: Option<u64>,
    pub selected: Option<u64>,
    pub rate: Option<f64>,
    /// Rate divided by the highest rate among categories judged.
    pub impact_ratio: Option<f64>,
    pub below_four_fifths: bool,
    /// Fewer than 5 candidates: not judged.
    pub too_small: bool,
    pub suppressed: bool,
}

/// One dimension at one step.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImpactTableDto {
    /// `sex`, `race` or `sex+race`.
    pub dimension: String,
    pub rows: Vec<ImpactRowDto>,
    /// The category with the highest rate among those judged.
    pub reference: Option<String>,
    pub highest_rate: Option<f64>,
}

/// The three tables of one step.
#[derive(Debug, Serialize, ToSchema)]
pub struct StepImpactDto {
    /// `overall` or a stage id.
    pub stage: String,
    pub stage_name: String,
    /// The step that counts as selected.
    pub next: String,
    pub next_name: String,
    pub by_sex: ImpactTableDto,
    pub by_race: ImpactTableDto,
    pub by_sex_and_race: ImpactTableDto,
}

/// One category's mean on one instrument.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScoreRowDto {
    pub category: String,
    pub label: String,
    pub declared: bool,
    /// Candidates scored; null when suppressed.
    pub n: Option<u64>,
    pub mean: Option<f64>,
    /// The mean minus the mean of every declared candidate scored.
    pub difference: Option<f64>,
    pub too_small: bool,
    pub suppressed: bool,
}

/// An automatic instrument's scores by category.
#[derive(Debug, Serialize, ToSchema)]
pub struct InstrumentDto {
    /// `code-review.issues`, `code-review.prioritization`, `code-review.teaching` (1–4) or `written-assessment.flags` (flags raised).
    pub instrument: String,
    pub declared_mean: Option<f64>,
    pub by_sex: Vec<ScoreRowDto>,
    pub by_race: Vec<ScoreRowDto>,
    pub by_sex_and_race: Vec<ScoreRowDto>,
}

/// The adverse-impact report (method: docs/fairness.md).
#[derive(Debug, Serialize, ToSchema)]
pub struct AdverseImpactDto {
    /// RFC 3339.
    pub generated_at: String,
    pub opening: Option<i64>,
    pub stage: Option<String>,
    pub min_group: u64,
    pub suppressed_below: u64,
    pub four_fifths: f64,
    /// `overall` first, then one per step of the loop.
    pub steps: Vec<StepImpactDto>,
    pub instruments: Vec<InstrumentDto>,
    pub warnings: Vec<String>,
}

fn step(s: &FunnelStep) -> FunnelStepDto {
    FunnelStepDto {
        stage: s.stage.clone(),
        name: s.name.clone(),
        reached: s.reached,
        conversion: s.conversion,
        stays: s.stays,
        median_days: s.median_days,
        mean_days: s.mean_days,
    }
}

fn tally(t: &Tally) -> TallyDto {
    TallyDto {
        id: t.id.clone(),
        label: t.label.clone(),
        count: t.count,
    }
}

fn source(s: &SourceLine) -> SourceDto {
    SourceDto {
        source: s.source.clone(),
        candidates: s.candidates,
        hired: s.hired,
    }
}

impl FunnelDto {
    pub fn new(f: &Funnel) -> Self {
        FunnelDto {
            candidates: f.candidates,
            steps: f.steps.iter().map(step).collect(),
            hired: f.hired,
            median_days_to_hire: f.median_days_to_hire,
            mean_days_to_hire: f.mean_days_to_hire,
            sources: f.sources.iter().map(source).collect(),
            rejections: f.rejections.iter().map(tally).collect(),
            statuses: f.statuses.iter().map(tally).collect(),
        }
    }
}

impl FunnelReportDto {
    pub fn new(r: &FunnelReport) -> Self {
        FunnelReportDto {
            generated_at: at(r.generated_at),
            opening: r.opening.map(|o| o.0),
            overall: FunnelDto::new(&r.overall),
            openings: r
                .openings
                .iter()
                .map(|o| OpeningFunnelDto {
                    opening: o.opening.0,
                    title: o.title.clone(),
                    funnel: FunnelDto::new(&o.funnel),
                })
                .collect(),
        }
    }
}

fn row(r: &ImpactRow) -> ImpactRowDto {
    ImpactRowDto {
        category: r.category.clone(),
        label: r.label.clone(),
        declared: r.declared,
        applicants: r.applicants,
        selected: r.selected,
        rate: r.rate,
        impact_ratio: r.impact_ratio,
        below_four_fifths: r.below_four_fifths,
        too_small: r.too_small,
        suppressed: r.suppressed,
    }
}

fn table(t: &Table) -> ImpactTableDto {
    ImpactTableDto {
        dimension: t.dimension.clone(),
        rows: t.rows.iter().map(row).collect(),
        reference: t.reference.clone(),
        highest_rate: t.highest_rate,
    }
}

fn step_impact(s: &StepImpact) -> StepImpactDto {
    StepImpactDto {
        stage: s.stage.clone(),
        stage_name: s.stage_name.clone(),
        next: s.next.clone(),
        next_name: s.next_name.clone(),
        by_sex: table(&s.by_sex),
        by_race: table(&s.by_race),
        by_sex_and_race: table(&s.by_sex_and_race),
    }
}

fn score(r: &ScoreRow) -> ScoreRowDto {
    ScoreRowDto {
        category: r.category.clone(),
        label: r.label.clone(),
        declared: r.declared,
        n: r.n,
        mean: r.mean,
        difference: r.difference,
        too_small: r.too_small,
        suppressed: r.suppressed,
    }
}

fn instrument(i: &InstrumentScores) -> InstrumentDto {
    InstrumentDto {
        instrument: i.instrument.clone(),
        declared_mean: i.declared_mean,
        by_sex: i.by_sex.iter().map(score).collect(),
        by_race: i.by_race.iter().map(score).collect(),
        by_sex_and_race: i.by_sex_and_race.iter().map(score).collect(),
    }
}

impl AdverseImpactDto {
    pub fn new(r: &AdverseImpactReport) -> Self {
        AdverseImpactDto {
            generated_at: at(r.generated_at),
            opening: r.opening.map(|o| o.0),
            stage: r.stage.clone(),
            min_group: r.min_group,
            suppressed_below: r.suppressed_below,
            four_fifths: r.four_fifths,
            steps: r.steps.iter().map(step_impact).collect(),
            instruments: r.instruments.iter().map(instrument).collect(),
            warnings: r.warnings.clone(),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FunnelQuery {
    /// Only this opening.
    pub opening: Option<i64>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImpactQuery {
    /// Only this opening.
    pub opening: Option<i64>,
    /// Only this step: `overall` or a stage id.
    pub stage: Option<String>,
}

fn opening(raw: Option<i64>) -> Result<Option<OpeningId>, Failure> {
    match raw {
        None => Ok(None),
        Some(n) if n > 0 => Ok(Some(OpeningId(n))),
        Some(_) => Err(Failure::field(
            "opening",
            "an opening id is a positive whole number",
        )),
    }
}

/// The hiring funnel, overall and per opening (admins; an opening's hiring manager for that opening).
#[utoipa::path(
    get,
    path = "/reports/funnel",
    tag = "reports",
    params(FunnelQuery),
    security(("session" = [])),
    responses(
        (status = 200, description = "Candidates reaching each stage, conversion, time in stage, time to hire, source of hire, reasons for rejection", body = FunnelReportDto),
        (status = 401, body = Problem),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 422, body = Problem),
    )
)]
async fn funnel(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<FunnelQuery>,
) -> Outcome<Json<FunnelReportDto>> {
    let report = state
        .app
        .funnel_report(&user.account(), opening(q.opening)?)
        .await?;
    Ok(Json(FunnelReportDto::new(&report)))
}

/// Selection rates and impact ratios per step by sex, race/ethnicity and both, with the four-fifths flags, and the automatic instruments' scores by category (admins).
#[utoipa::path(
    get,
    path = "/reports/adverse-impact",
    tag = "reports",
    params(ImpactQuery),
    security(("session" = [])),
    responses(
        (status = 200, description = "The tables; lines of 1 to 4 candidates carry no counts", body = AdverseImpactDto),
        (status = 401, body = Problem),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 422, body = Problem),
    )
)]
async fn adverse_impact(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<ImpactQuery>,
) -> Outcome<Json<AdverseImpactDto>> {
    let report = state
        .app
        .adverse_impact_report(&user.account(), opening(q.opening)?, q.stage.as_deref())
        .await?;
    Ok(Json(AdverseImpactDto::new(&report)))
}

use super::Problem;

/// Examples for the OpenAPI document, computed by core (the worked example of
/// docs/fairness.md for adverse impact), so they are what the API answers.
pub(super) fn examples() -> Vec<(&'static str, serde_json::Value)> {
    use multiplier_core::fairness::{self, Outcome as Seen, Race, SelfId, Sex};
    use multiplier_core::funnel::{self, Journey};
    let stages = [
        ("screen", "Screen"),
        ("technical-depth", "Technical deep-dive"),
        ("code-review", "Code-review exercise"),
    ]
    .map(|(a, b)| (a.to_string(), b.to_string()));
    let steps = fairness::steps(&stages);
    let t0 = jiff::Timestamp::UNIX_EPOCH + jiff::SignedDuration::from_hours(490_000);
    let day = |d: i64| t0 + jiff::SignedDuration::from_hours(24 * d);
    let journey = |status: &str, path: &[(&str, i64)], hired: Option<i64>| Journey {
        source: if hired.is_some() {
            "applied"
        } else {
            "added-by-staff"
        }
        .into(),
        status: status.into(),
        reason: (status == "rejected").then(|| "not-enough-depth".into()),
        created_at: day(0),
        stages: path.iter().map(|(s, d)| (s.to_string(), day(*d))).collect(),
        hired_at: hired.map(day),
    };
    let journeys = vec![
        journey("rejected", &[("screen", 0)], None),
        journey("active", &[("screen", 0), ("technical-depth", 3)], None),
        journey(
            "hired",
            &[("screen", 0), ("technical-depth", 2), ("code-review", 9)],
            Some(30),
        ),
    ];
    let reasons = vec![(
        "not-enough-depth".to_string(),
        "Technical depth below the bar".to_string(),
    )];
    let f = funnel::funnel(&steps, &reasons, &journeys);
    let report = FunnelReport {
        generated_at: day(31),
        opening: Some(OpeningId(1)),
        overall: f.clone(),
        openings: vec![multiplier_app::OpeningFunnel {
            opening: OpeningId(1),
            title: "Tech Lead, Payments".into(),
            funnel: f,
        }],
    };
    let mut seen = Vec::new();
    for (sex, race, a, s) in [
        (Sex::Female, Race::White, 10, 3),
        (Sex::Female, Race::Asian, 6, 2),
        (Sex::Male, Race::White, 20, 9),
        (Sex::Male, Race::Asian, 14, 6),
        (Sex::Male, Race::HispanicOrLatino, 2, 0),
    ] {
        let id = Some(SelfId { sex, race });
        seen.push(Seen {
            self_id: id,
            stages: vec!["technical-depth".into()],
            hired: false,
            count: a - s,
        });
        seen.push(Seen {
            self_id: id,
            stages: vec!["code-review".into()],
            hired: false,
            count: s,
        });
    }
    let mut impact: Vec<StepImpact> = fairness::adverse_impact(&steps, &seen)
        .into_iter()
        .filter(|s| s.stage == "technical-depth")
        .collect();
    for s in &mut impact {
        for t in s.tables_mut() {
            t.suppress(multiplier_app::MIN_CELL);
        }
    }
    let mut instruments = fairness::instrument_scores(&[fairness::ScoreCell {
        self_id: Some(SelfId {
            sex: Sex::Female,
            race: Race::White,
        }),
        instrument: "code-review.teaching".into(),
        n: 6,
        sum: 16.0,
    }]);
    for i in &mut instruments {
        i.suppress(multiplier_app::MIN_CELL);
    }
    let adverse = AdverseImpactReport {
        generated_at: day(31),
        opening: None,
        stage: Some("technical-depth".into()),
        min_group: fairness::MIN_GROUP,
        suppressed_below: multiplier_app::MIN_CELL,
        four_fifths: fairness::FOUR_FIFTHS,
        steps: impact,
        instruments,
        warnings: vec![
            "Technical deep-dive → Code-review exercise: Female has an impact ratio of 0.75, under four fifths of Male".into(),
        ],
    };
    let value = |v: Result<serde_json::Value, serde_json::Error>| {
        v.unwrap_or_else(|_| serde_json::json!({}))
    };
    vec![
        (
            "FunnelReportDto",
            value(serde_json::to_value(FunnelReportDto::new(&report))),
        ),
        (
            "AdverseImpactDto",
            value(serde_json::to_value(AdverseImpactDto::new(&adverse))),
        ),
    ]
}
