//! `multiplier offer` (the calculator, optionally recorded for a candidate) and
//! `multiplier offer accept`.

use crate::context::{Actor, Globals, block_on};
use crate::output::{self, Exit, Format, style, wrap};
use anyhow::{Result, anyhow, bail};
use clap::{Args, Subcommand};
use jiff::civil::Date;
use multiplier_core::pipeline::{Offer, OfferRequest, offer};
use multiplier_core::role::parse_split;
use multiplier_store::CandidateId;
use std::io::Write;

#[derive(Debug, Args)]
#[command(
    args_conflicts_with_subcommands = true,
    after_help = "Examples:\n  multiplier offer --level tech-lead --region us --split 70/30 --stage series-a\n  multiplier offer --level staff-lead --region western-europe --split 30/70 --format json\n  multiplier offer --level tech-lead --region remote --split 60 --candidate 3 --as priya\n  multiplier offer accept --candidate 3 --start 2027-01-11 --as priya\n\nIds come from the framework (`multiplier framework show`). --split is coding/leading.\nThe calculator alone needs no account and no database; recording an offer for a\ncandidate (--candidate) and accepting it need --as an admin."
)]
pub struct Cmd {
    #[command(subcommand)]
    action: Option<Action>,
    #[command(flatten)]
    calc: Calc,
}

#[derive(Debug, Subcommand)]
enum Action {
    /// Record that the candidate accepted the latest offer, with their start date.
    Accept {
        #[arg(long)]
        candidate: CandidateId,
        /// The first day, YYYY-MM-DD: the onboarding plan is dated from it.
        #[arg(long)]
        start: Date,
        #[command(flatten)]
        actor: Actor,
    },
}

#[derive(Debug, Args)]
struct Calc {
    /// Level id, e.g. senior-lead, tech-lead, staff-lead.
    #[arg(long)]
    level: Option<String>,
    /// Region id, e.g. remote, us, western-europe.
    #[arg(long)]
    region: Option<String>,
    /// Coding/leading split: 70/30, 70% or 70.
    #[arg(long)]
    split: Option<String>,
    /// Company stage id for equity, e.g. series-a, series-b-plus.
    #[arg(long)]
    stage: Option<String>,
    /// Record the offer for this candidate.
    #[arg(long)]
    candidate: Option<CandidateId>,
    #[command(flatten)]
    actor: Actor,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

impl Cmd {
    pub fn run(self, globals: &Globals) -> Result<Exit> {
        if let Some(Action::Accept {
            candidate: id,
            start,
            actor,
        }) = self.action
        {
            let record = block_on(async {
                let (app, me) = globals.acting(&actor).await?;
                Ok(app.accept_offer(&me, id, start).await?)
            })?;
            writeln!(
                output::stdout(),
                "offer {} accepted; candidate {id} starts on {}: see `multiplier onboarding show --candidate {id}`",
                record.id,
                record.start_date.unwrap_or(start)
            )?;
            return Ok(Exit::Fine);
        }
        let c = self.calc;
        let (Some(level), Some(region), Some(split)) = (&c.level, &c.region, &c.split) else {
            bail!(
                "give --level, --region and --split (e.g. --level tech-lead --region us --split 70/30), or use `offer accept`"
            );
        };
        let coding = parse_split(split).map_err(|e| anyhow!("--split {e}"))?;
        let request = OfferRequest {
            level: level.clone(),
            region: region.clone(),
            coding,
            stage: c.stage.clone(),
        };
        let o: Offer = match c.candidate {
            // The calculator: pure, nothing stored, no account.
            None => offer(&globals.framework()?.framework, &request)?,
            Some(id) => {
                // Recorded for a candidate; what is printed is the same
                // calculation the application stored.
                block_on(async {
                    let (app, me) = globals.acting(&c.actor).await?;
                    app.record_offer(&me, id, &request).await?;
                    Ok(app.quote(&request)?)
                })?
            }
        };
        let mut out = output::stdout();
        if c.format == Format::Json {
            output::json(&mut out, &o)?;
        } else {
            let key = style::KEY;
            writeln!(out, "{key}{} · {}{key:#}", o.level_name, o.region_name)?;
            writeln!(
                out,
                "  band       {}–{} {}",
                o.band_min, o.band_max, o.currency
            )?;
            writeln!(
                out,
                "  suggested  {key}{}–{} {}{key:#} for a {}/{} split",
                o.suggested_min,
                o.suggested_max,
                o.currency,
                o.coding_share,
                100 - o.coding_share
            )?;
            if let (Some(lo), Some(hi)) = (o.equity_min_percent, o.equity_max_percent) {
                writeln!(
                    out,
                    "  equity     {lo}–{hi} % ({})",
                    o.equity_stage.as_deref().unwrap_or_default()
                )?;
            }
            writeln!(out, "\nWhy:")?;
            for line in &o.explanation {
                writeln!(out, "  • {}", wrap(line, 4))?;
            }
            if let Some(id) = c.candidate {
                writeln!(
                    out,
                    "\noffer recorded for candidate {id}; when accepted: `multiplier offer accept --candidate {id} --start YYYY-MM-DD`"
                )?;
            }
        }
        Ok(Exit::Fine)
    }
}
