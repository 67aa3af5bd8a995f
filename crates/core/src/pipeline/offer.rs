//! The offer: a band from level × region, positioned inside it by the
//! coding/leading split, and equity by company stage, every step explained.

use crate::framework::Framework;
use crate::score::Percent;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq)]
pub struct OfferRequest {
    pub level: String,
    pub region: String,
    /// The coding share of the week.
    pub coding: Percent,
    /// Company stage id for equity (e.g. `series-a`).
    pub stage: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OfferError {
    #[error("`{given}` is not a level; choose one of {known}")]
    Level { given: String, known: String },
    #[error("`{given}` is not a region; choose one of {known}")]
    Region { given: String, known: String },
    #[error("`{given}` is not a company stage; choose one of {known}")]
    Stage { given: String, known: String },
    #[error("the framework has no band for level `{level}` in region `{region}`")]
    NoBand { level: String, region: String },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Offer {
    pub level: String,
    pub level_name: String,
    pub region: String,
    pub region_name: String,
    pub currency: String,
    pub band_min: u32,
    pub band_max: u32,
    /// Where in the band the split places the offer.
    pub suggested_min: u32,
    pub suggested_max: u32,
    pub coding_share: u8,
    pub equity_stage: Option<String>,
    pub equity_min_percent: Option<f64>,
    pub equity_max_percent: Option<f64>,
    pub explanation: Vec<String>,
}

fn round_to(v: f64, step: f64) -> u32 {
    ((v / step).round() * step).clamp(0.0, f64::from(u32::MAX)) as u32
}

/// Compute the offer for `request` from the framework's bands.
pub fn offer(framework: &Framework, request: &OfferRequest) -> Result<Offer, OfferError> {
    let comp = &framework.compensation;
    let ids = |v: Vec<&str>| v.join(", ");
    let level = comp
        .level(&request.level)
        .ok_or_else(|| OfferError::Level {
            given: request.level.clone(),
            known: ids(comp.levels.iter().map(|l| l.id.as_str()).collect()),
        })?;
    let region = comp
        .regions
        .iter()
        .find(|r| r.id == request.region)
        .ok_or_else(|| OfferError::Region {
            given: request.region.clone(),
            known: ids(comp.regions.iter().map(|r| r.id.as_str()).collect()),
        })?;
    let band = comp
        .band(&level.id, &region.id)
        .ok_or_else(|| OfferError::NoBand {
            level: level.id.clone(),
            region: region.id.clone(),
        })?;
    let equity =
        match &request.stage {
            None => None,
            Some(stage) => Some(comp.equity.iter().find(|e| &e.stage == stage).ok_or_else(
                || OfferError::Stage {
                    given: stage.clone(),
                    known: ids(comp.equity.iter().map(|e| e.stage.as_str()).collect()),
                },
            )?),
        };

    // Leadership share 0 % puts the offer at the bottom of the band, 100 % at the top;
    // the suggestion is a window a quarter of the band wide around that point.
    let coding = request.coding.get();
    let leading = f64::from(100 - coding) / 100.0;
    let (min, max) = (f64::from(band.min), f64::from(band.max));
    let width = max - min;
    let point = min + width * leading;
    let half = width / 8.0;
    let lo = (point - half).clamp(min, max - 2.0 * half);
    let hi = (lo + 2.0 * half).min(max);
    let step = if width >= 20_000.0 { 1_000.0 } else { 100.0 };
    let (suggested_min, suggested_max) = (round_to(lo, step), round_to(hi, step));

    let mut explanation = vec![
        format!(
            "{} in {}: the framework's band is {}–{} {} a year.",
            level.name, region.name, band.min, band.max, region.currency
        ),
        format!(
            "A {coding}/{} coding/leading split places the offer {:.0}% of the way up the band (more leading, higher); the suggested window is {suggested_min}–{suggested_max} {}.",
            100 - coding,
            leading * 100.0,
            region.currency
        ),
    ];
    let pc_line = framework.intake.rules.player_coach_min_coding;
    if coding >= pc_line
        && level.id != "senior-lead"
        && let Some(senior) = comp.band("senior-lead", &region.id)
    {
        explanation.push(format!(
            "At {coding}% coding this is a player-coach; where individual contributors are paid well, the senior band ({}–{} {}) is the closer comparison.",
            senior.min, senior.max, region.currency
        ));
    }
    if 100 - coding >= 70
        && level.id != "staff-lead"
        && let Some(staff) = comp.band("staff-lead", &region.id)
    {
        explanation.push(format!(
            "At {}% leading, a company with a formal staff track would place this at or above the staff band ({}–{} {}).",
            100 - coding,
            staff.min,
            staff.max,
            region.currency
        ));
    }
    if let Some(e) = equity {
        explanation.push(format!(
            "Equity at {}: {}–{} % of the company in options.",
            e.name, e.min_percent, e.max_percent
        ));
    }
    explanation.push(comp.note.split_whitespace().collect::<Vec<_>>().join(" "));
    Ok(Offer {
        level: level.id.clone(),
        level_name: level.name.clone(),
        region: region.id.clone(),
        region_name: region.name.clone(),
        currency: region.currency.clone(),
        band_min: band.min,
        band_max: band.max,
        suggested_min,
        suggested_max,
        coding_share: coding,
        equity_stage: equity.map(|e| e.stage.clone()),
        equity_min_percent: equity.map(|e| e.min_percent),
        equity_max_percent: equity.map(|e| e.max_percent),
        explanation,
    })
}
