//! `multiplier candidate add|show|move|search`.

use super::hiring::{Actor, candidate, open_store, viewer};
use crate::context::{Globals, block_on};
use crate::output::{self, Exit, Format, style, wrap};
use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use multiplier_core::pipeline::{SearchFilter, Searchable, may_read_others, search};
use multiplier_store::{AuditFilter, CandidateId, HiringStore, NewCandidate, OpeningId};
use serde::Serialize;
use std::io::Write;

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Add a candidate to an opening (internal candidates answer the promotion-trap check).
    #[command(
        after_help = "Examples:\n  multiplier candidate add --opening 1 --name \"Dana Reyes\" --email dana@example.com\n  multiplier candidate add --opening 1 --name \"Sam Ito\" --internal \\\n      --wants-leadership \"yes: wants to grow others, has run design reviews\" \\\n      --gives-up \"most of their feature work\""
    )]
    Add(AddArgs),
    /// Everything about a candidate: timeline, evidence, references, and the scorecards you may read.
    #[command(
        after_help = "Examples:\n  multiplier candidate show 3 --as ana\n  multiplier candidate show 3 --as priya --format json\n\nOther interviewers' scorecards stay hidden until you have submitted your own."
    )]
    Show(ShowArgs),
    /// Move a candidate to another stage.
    #[command(after_help = "Examples:\n  multiplier candidate move 3 --stage code-review")]
    Move(MoveArgs),
    /// Find candidates by opening, stage, each signal's score, red flags and free text.
    #[command(
        after_help = "Examples:\n  multiplier candidate search --min-technical-depth 3 --min-team-multiplier 3\n  multiplier candidate search --opening 1 --stage debrief\n  multiplier candidate search --flag dismisses-dissent --format json\n  multiplier candidate search --text \"eager loading\""
    )]
    Search(SearchArgs),
}

#[derive(Debug, Args)]
pub struct AddArgs {
    #[arg(long)]
    opening: OpeningId,
    #[arg(long)]
    name: String,
    #[arg(long)]
    email: Option<String>,
    /// Someone already in the company: asks the promotion-trap questions.
    #[arg(long, requires_all = ["wants_leadership", "gives_up"])]
    internal: bool,
    /// Do they want the leadership work itself (reviews, planning, teaching)? In their words.
    #[arg(long, requires = "internal")]
    wants_leadership: Option<String>,
    /// What will they give up for it (coding time, a specialism)?
    #[arg(long, requires = "internal")]
    gives_up: Option<String>,
    /// The stage to start in (default: the framework's first).
    #[arg(long)]
    stage: Option<String>,
    #[command(flatten)]
    actor: Actor,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    id: CandidateId,
    #[command(flatten)]
    actor: Actor,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Debug, Args)]
pub struct MoveArgs {
    id: CandidateId,
    #[arg(long)]
    stage: String,
    #[command(flatten)]
    actor: Actor,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    #[arg(long)]
    opening: Option<OpeningId>,
    #[arg(long)]
    stage: Option<String>,
    /// Technical depth median at least this (1–4).
    #[arg(long, value_name = "SCORE")]
    min_technical_depth: Option<f64>,
    /// Team multiplier median at least this (1–4).
    #[arg(long, value_name = "SCORE")]
    min_team_multiplier: Option<f64>,
    /// Someone raised this red flag.
    #[arg(long, value_name = "ID")]
    flag: Option<String>,
    /// Words in the name, scorecard notes, references or evidence.
    #[arg(long)]
    text: Option<String>,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

pub fn check_stage(fw: &multiplier_core::Framework, stage: &str) -> Result<()> {
    if fw.stage(stage).is_none() {
        let ids: Vec<&str> = fw.stages.iter().map(|s| s.id.as_str()).collect();
        bail!("`{stage}` is not a stage; choose one of {}", ids.join(", "));
    }
    Ok(())
}

#[derive(Serialize)]
struct SearchRow {
    id: CandidateId,
    name: String,
    opening: OpeningId,
    stage: String,
    internal: bool,
    technical_depth: Option<f64>,
    team_multiplier: Option<f64>,
    meets_bar: bool,
    red_flags: Vec<String>,
}

impl Cmd {
    pub fn run(self, globals: &Globals) -> Result<Exit> {
        let fw = globals.framework()?.framework;
        let mut out = output::stdout();
        match self {
            Cmd::Add(args) => {
                let actor = args.actor.name()?;
                let stage = args
                    .stage
                    .clone()
                    .or_else(|| fw.stages.first().map(|s| s.id.clone()))
                    .unwrap_or_default();
                check_stage(&fw, &stage)?;
                if args.name.trim().is_empty() {
                    bail!("the candidate needs a name");
                }
                let new = NewCandidate {
                    opening: args.opening,
                    name: args.name.trim().to_string(),
                    email: args.email.clone(),
                    internal: args.internal,
                    wants_leadership: args.wants_leadership.clone(),
                    gives_up: args.gives_up.clone(),
                    stage,
                };
                let id = block_on(async {
                    let store = open_store(globals).await?;
                    store
                        .add_candidate(&actor, &new)
                        .await
                        .context("cannot add the candidate")
                })??;
                match args.format {
                    Format::Json => output::json(&mut out, &serde_json::json!({ "id": id }))?,
                    Format::Text => writeln!(
                        out,
                        "candidate {id} added to opening {} at stage {}",
                        args.opening, new.stage
                    )?,
                }
            }
            Cmd::Move(args) => {
                let actor = args.actor.name()?;
                check_stage(&fw, &args.stage)?;
                block_on(async {
                    let store = open_store(globals).await?;
                    store
                        .move_candidate(&actor, args.id, &args.stage)
                        .await
                        .context("cannot move the candidate")
                })??;
                writeln!(out, "candidate {} is now at stage {}", args.id, args.stage)?;
            }
            Cmd::Show(args) => return show(globals, &fw, &args),
            Cmd::Search(args) => {
                let filter = SearchFilter {
                    stage: args.stage.clone(),
                    min_technical_depth: args.min_technical_depth,
                    min_team_multiplier: args.min_team_multiplier,
                    flag: args.flag.clone(),
                    text: args.text.clone(),
                };
                let rows = block_on(async {
                    let store = open_store(globals).await?;
                    let mut rows = Vec::new();
                    for c in store.candidates(args.opening).await? {
                        if filter.stage.as_ref().is_some_and(|s| s != &c.stage) {
                            continue;
                        }
                        let cards: Vec<_> = store
                            .scorecards(c.id)
                            .await?
                            .into_iter()
                            .map(|r| r.card)
                            .collect();
                        let refs: Vec<_> = store
                            .references(c.id)
                            .await?
                            .into_iter()
                            .map(|r| r.reference)
                            .collect();
                        let resolutions = store.resolutions(c.id).await?;
                        let evidence: Vec<String> = if filter.text.is_some() {
                            store
                                .evidence(c.id)
                                .await?
                                .iter()
                                .map(|e| format!("{} {} {}", e.kind, e.source, e.body))
                                .collect()
                        } else {
                            Vec::new()
                        };
                        let found = search(
                            &fw,
                            &filter,
                            &Searchable {
                                name: &c.name,
                                stage: &c.stage,
                                cards: &cards,
                                references: &refs,
                                resolutions: &resolutions,
                                evidence: &evidence,
                            },
                        );
                        if let Some(hit) = found {
                            rows.push(SearchRow {
                                id: c.id,
                                name: c.name,
                                opening: c.opening,
                                stage: c.stage,
                                internal: c.internal,
                                technical_depth: hit.technical_depth,
                                team_multiplier: hit.team_multiplier,
                                meets_bar: hit.meets_bar,
                                red_flags: hit.red_flags,
                            });
                        }
                    }
                    anyhow::Ok(rows)
                })??;
                if args.format == Format::Json {
                    output::json(&mut out, &rows)?;
                } else if rows.is_empty() {
                    writeln!(out, "no candidate matches")?;
                } else {
                    let key = style::KEY;
                    let f =
                        |v: Option<f64>| v.map_or_else(|| "—".to_string(), |v| format!("{v:.1}"));
                    writeln!(
                        out,
                        "{key}{:>4}  {:<24} {:>7} {:<20} {:>6} {:>6}  {:<9} red flags{key:#}",
                        "id", "name", "opening", "stage", "depth", "multi", "meets bar"
                    )?;
                    for r in &rows {
                        writeln!(
                            out,
                            "{:>4}  {:<24} {:>7} {:<20} {:>6} {:>6}  {:<9} {}",
                            r.id,
                            r.name,
                            r.opening,
                            r.stage,
                            f(r.technical_depth),
                            f(r.team_multiplier),
                            if r.meets_bar { "yes" } else { "no" },
                            r.red_flags.join(", ")
                        )?;
                    }
                }
            }
        }
        Ok(Exit::Fine)
    }
}

fn show(globals: &Globals, fw: &multiplier_core::Framework, args: &ShowArgs) -> Result<Exit> {
    let name = args.actor.name()?;
    let view = block_on(async {
        let store = open_store(globals).await?;
        let (c, o) = candidate(&store, args.id).await?;
        let who = viewer(&store, &name, &c, &o).await?;
        let cards = store.scorecards(c.id).await?;
        let blind = may_read_others(&who).err();
        let (visible, hidden): (Vec<_>, Vec<_>) = cards
            .into_iter()
            .partition(|r| blind.is_none() || r.card.interviewer == name);
        let timeline = store
            .audit(&AuditFilter {
                subject: Some(format!("candidate:{}", c.id)),
                ..AuditFilter::default()
            })
            .await?;
        anyhow::Ok(serde_json::json!({
            "candidate": c,
            "opening": o,
            "assignments": store.assignments(c.id).await?,
            "scorecards": visible,
            "hidden_scorecards": hidden.len(),
            "blind": blind.map(|b| b.to_string()),
            "evidence": store.evidence(c.id).await?,
            "references": store.references(c.id).await?,
            "decisions": store.decisions(c.id).await?,
            "offers": store.offers(c.id).await?,
            "timeline": timeline,
        }))
    })??;
    let mut out = output::stdout();
    if args.format == Format::Json {
        output::json(&mut out, &view)?;
        return Ok(Exit::Fine);
    }
    let (head, key, dim) = (style::HEAD, style::KEY, style::DIM);
    let c = &view["candidate"];
    let s = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
    let stage_name = fw
        .stage(&s(&c["stage"]))
        .map_or_else(|| s(&c["stage"]), |st| st.name.clone());
    writeln!(
        out,
        "{key}{}{key:#}  {dim}(candidate {}, opening {} \"{}\"){dim:#}",
        s(&c["name"]),
        c["id"],
        view["opening"]["id"],
        s(&view["opening"]["title"])
    )?;
    writeln!(out, "  stage: {stage_name}")?;
    if c["internal"].as_bool() == Some(true) {
        writeln!(
            out,
            "  {key}internal candidate: promotion-trap check{key:#}"
        )?;
        writeln!(
            out,
            "    wants the leadership work: {}",
            wrap(&s(&c["wants_leadership"]), 31)
        )?;
        writeln!(out, "    will give up: {}", wrap(&s(&c["gives_up"]), 18))?;
    }
    let list = |v: &serde_json::Value| v.as_array().cloned().unwrap_or_default();
    writeln!(out, "\n{head}Interviewers{head:#}")?;
    for a in list(&view["assignments"]) {
        writeln!(out, "  {:<22} {}", s(&a["stage"]), s(&a["interviewer"]))?;
    }
    writeln!(out, "\n{head}Scorecards{head:#}")?;
    for r in list(&view["scorecards"]) {
        let card = &r["card"];
        let scores: Vec<String> = card["scores"]
            .as_object()
            .map(|m| m.iter().map(|(k, v)| format!("{k} {v}")).collect())
            .unwrap_or_default();
        writeln!(
            out,
            "  {:<22} {:<10} v{} {}  {}",
            s(&card["stage"]),
            s(&card["interviewer"]),
            card["version"],
            scores.join(", "),
            s(&card["recommendation"])
        )?;
        for (signal, note) in card["notes"].as_object().into_iter().flatten() {
            writeln!(
                out,
                "    {dim}{signal}:{dim:#} {}",
                wrap(note.as_str().unwrap_or_default(), 6)
            )?;
        }
        for flag in list(&card["red_flags"]) {
            writeln!(
                out,
                "    {}red flag {}{:#}: {}",
                style::WARN,
                s(&flag["id"]),
                style::WARN,
                s(&flag["note"])
            )?;
        }
    }
    if let Some(reason) = view["blind"].as_str() {
        writeln!(
            out,
            "  {dim}{} other scorecard(s) hidden: {reason}{dim:#}",
            view["hidden_scorecards"]
        )?;
    }
    writeln!(
        out,
        "\n{head}Evidence{head:#} (automatic; never a scorecard)"
    )?;
    for e in list(&view["evidence"]) {
        writeln!(out, "  {} from {}", s(&e["kind"]), s(&e["source"]))?;
    }
    writeln!(out, "\n{head}References{head:#}")?;
    for r in list(&view["references"]) {
        let r = &r["reference"];
        writeln!(
            out,
            "  {} ({}, {}): {}",
            s(&r["name"]),
            s(&r["kind"]),
            s(&r["relationship"]),
            wrap(&s(&r["answer"]), 6)
        )?;
        if !s(&r["example"]).is_empty() {
            writeln!(
                out,
                "    {dim}example:{dim:#} {}",
                wrap(&s(&r["example"]), 13)
            )?;
        }
    }
    for d in list(&view["decisions"]) {
        writeln!(
            out,
            "\n{head}Decision{head:#}: {} by {} — {}",
            s(&d["outcome"]),
            s(&d["decided_by"]),
            s(&d["rationale"])
        )?;
    }
    writeln!(out, "\n{head}Timeline{head:#}")?;
    for t in list(&view["timeline"]) {
        let at = s(&t["at"]);
        writeln!(
            out,
            "  {dim}{}{dim:#}  {:<10} {:<20} {}",
            at.get(..16).unwrap_or(&at).replace('T', " "),
            s(&t["actor"]),
            s(&t["action"]),
            s(&t["detail"])
        )?;
    }
    Ok(Exit::Fine)
}
