//! `multiplier assign`, `scorecard submit|amend|list`, `evidence attach`,
//! `reference add`, `flag resolve`: what interviewers record about a candidate.

use super::candidate::check_stage;
use super::hiring::{Actor, candidate, notes, open_store, pairs, scores, viewer};
use crate::context::{Globals, block_on, read_text};
use crate::output::{self, Exit, Format, style};
use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, Subcommand, ValueEnum};
use multiplier_core::pipeline::{
    FlagResolution, RaisedFlag, Recommendation, Reference, ReferenceKind, Scorecard,
    may_read_others,
};
use multiplier_store::{CandidateId, HiringStore};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  multiplier assign --candidate 3 --stage code-review --interviewer ana --as priya"
)]
pub struct AssignCmd {
    #[arg(long)]
    candidate: CandidateId,
    #[arg(long)]
    stage: String,
    #[arg(long)]
    interviewer: String,
    #[command(flatten)]
    actor: Actor,
}

impl AssignCmd {
    pub fn run(self, globals: &Globals) -> Result<Exit> {
        let fw = globals.framework()?.framework;
        check_stage(&fw, &self.stage)?;
        let actor = self.actor.name()?;
        block_on(async {
            let store = open_store(globals).await?;
            store
                .assign(&actor, self.candidate, &self.stage, self.interviewer.trim())
                .await
                .context("cannot assign the interviewer")
        })??;
        writeln!(
            output::stdout(),
            "{} interviews candidate {} at stage {}; `multiplier kit {}` prints the kit",
            self.interviewer,
            self.candidate,
            self.stage,
            self.stage
        )?;
        Ok(Exit::Fine)
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Rec {
    StrongNo,
    No,
    Yes,
    StrongYes,
}

#[derive(Debug, Args)]
pub struct CardArgs {
    #[arg(long)]
    candidate: CandidateId,
    #[arg(long)]
    stage: String,
    /// A score per signal the stage feeds: SIGNAL=1..4 (repeat).
    #[arg(long = "score", value_name = "SIGNAL=N")]
    scores: Vec<String>,
    /// The evidence behind a score: SIGNAL=TEXT (required for a 1 or a 4).
    #[arg(long = "note", value_name = "SIGNAL=TEXT")]
    notes: Vec<String>,
    /// A red flag you saw: ID=WHAT-YOU-SAW (repeat; ids from `framework show`).
    #[arg(long = "flag", value_name = "ID=TEXT")]
    flags: Vec<String>,
    #[arg(long, value_enum)]
    recommend: Rec,
    #[command(flatten)]
    actor: Actor,
}

#[derive(Debug, Subcommand)]
pub enum ScorecardCmd {
    /// Submit your scorecard for a stage (once; change it later with `amend`).
    #[command(
        after_help = "Examples:\n  multiplier scorecard submit --candidate 3 --stage code-review --as ana \\\n      --score technical-depth=3 --score team-multiplier=4 \\\n      --note team-multiplier=\"explained the N+1 with the query log and linked the ORM docs\" \\\n      --recommend yes"
    )]
    Submit(CardArgs),
    /// Replace your submitted scorecard with a new version, keeping the history.
    #[command(
        after_help = "Examples:\n  multiplier scorecard amend --candidate 3 --stage leadership --as cy --score team-multiplier=3 \\\n      --recommend yes --reason \"re-read my notes on how they handled the dissenting engineer\""
    )]
    Amend {
        #[command(flatten)]
        card: CardArgs,
        /// Why the submitted scorecard is being replaced.
        #[arg(long)]
        reason: String,
    },
    /// The scorecards on a candidate you may read (others' stay hidden until you submit yours).
    #[command(
        after_help = "Examples:\n  multiplier scorecard list --candidate 3 --as ana --format json"
    )]
    List {
        #[arg(long)]
        candidate: CandidateId,
        #[command(flatten)]
        actor: Actor,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

impl ScorecardCmd {
    pub fn run(self, globals: &Globals) -> Result<Exit> {
        let fw = globals.framework()?.framework;
        match self {
            ScorecardCmd::Submit(card) => submit(globals, &fw, card, None),
            ScorecardCmd::Amend { card, reason } => submit(globals, &fw, card, Some(reason)),
            ScorecardCmd::List {
                candidate: id,
                actor,
                format,
            } => {
                let name = actor.name()?;
                let cards = block_on(async {
                    let store = open_store(globals).await?;
                    let (c, o) = candidate(&store, id).await?;
                    let who = viewer(&store, &name, &c, &o).await?;
                    let all = store.scorecards(id).await?;
                    let mine: Vec<_> = all
                        .iter()
                        .filter(|r| r.card.interviewer == name)
                        .cloned()
                        .collect();
                    match may_read_others(&who) {
                        Ok(()) => anyhow::Ok(all),
                        Err(refusal) if mine.is_empty() => Err(anyhow!(refusal)),
                        Err(_) => Ok(mine),
                    }
                })??;
                let mut out = output::stdout();
                if format == Format::Json {
                    output::json(&mut out, &cards)?;
                } else {
                    for r in &cards {
                        let scores: Vec<String> = r
                            .card
                            .scores
                            .iter()
                            .map(|(s, n)| format!("{s} {n}"))
                            .collect();
                        writeln!(
                            out,
                            "{:<22} {:<10} v{} {}",
                            r.card.stage,
                            r.card.interviewer,
                            r.card.version,
                            scores.join(", ")
                        )?;
                    }
                }
                Ok(Exit::Fine)
            }
        }
    }
}

fn submit(
    globals: &Globals,
    fw: &multiplier_core::Framework,
    a: CardArgs,
    reason: Option<String>,
) -> Result<Exit> {
    let name = a.actor.name()?;
    let recommendation = match a.recommend {
        Rec::StrongNo => Recommendation::StrongNo,
        Rec::No => Recommendation::No,
        Rec::Yes => Recommendation::Yes,
        Rec::StrongYes => Recommendation::StrongYes,
    };
    let red_flags = pairs(&a.flags, "red flag")?
        .into_iter()
        .map(|(id, note)| RaisedFlag { id, note })
        .collect();
    let id = a.candidate;
    let stage = a.stage.clone();
    let (version, note) = block_on(async {
        let store = open_store(globals).await?;
        let previous = store
            .scorecards(id)
            .await?
            .into_iter()
            .filter(|r| r.card.stage == stage && r.card.interviewer == name)
            .map(|r| r.card.version)
            .max();
        let version = match (&reason, previous) {
            (None, None) => 1,
            (None, Some(_)) => bail!(
                "you already submitted a scorecard for stage {stage}; a submitted scorecard cannot change: use `multiplier scorecard amend` with a reason"
            ),
            (Some(_), None) => bail!(
                "there is no submitted scorecard of yours for stage {stage} to amend; use `multiplier scorecard submit`"
            ),
            (Some(_), Some(v)) => v + 1,
        };
        let card = Scorecard {
            stage: stage.clone(),
            interviewer: name.clone(),
            scores: scores(&a.scores)?,
            notes: notes(&a.notes)?,
            red_flags,
            recommendation,
            version,
            amendment_reason: reason.clone(),
        };
        let problems = card.problems(fw);
        if !problems.is_empty() {
            let lines: Vec<String> = problems
                .iter()
                .map(|p| format!("  {}: {}", p.field, p.message))
                .collect();
            bail!("the scorecard is not complete:\n{}", lines.join("\n"));
        }
        store
            .submit_scorecard(
                &name,
                id,
                &card,
                if card.version == 1 {
                    multiplier_store::Submission::First
                } else {
                    multiplier_store::Submission::Amendment
                },
            )
            .await
            .context("cannot store the scorecard")?;
        let (c, o) = candidate(&store, id).await?;
        let open = may_read_others(&viewer(&store, &name, &c, &o).await?).is_ok();
        anyhow::Ok((version, open))
    })??;
    let mut out = output::stdout();
    writeln!(
        out,
        "scorecard v{version} for stage {} stored for candidate {id}",
        a.stage
    )?;
    if note {
        writeln!(
            out,
            "{}you may now read the other scorecards on this candidate{:#}",
            style::DIM,
            style::DIM
        )?;
    }
    Ok(Exit::Fine)
}

#[derive(Debug, Subcommand)]
pub enum EvidenceCmd {
    /// Attach a tool's JSON output to a candidate as evidence, with its source.
    #[command(
        after_help = "Examples:\n  multiplier evidence attach --candidate 3 --kind code-review-grade --file grade.json --as priya\n  multiplier evidence attach --candidate 3 --kind assessment-flags --file flags.json --as priya"
    )]
    Attach(EvidenceArgs),
}

#[derive(Debug, Args)]
pub struct EvidenceArgs {
    #[arg(long)]
    candidate: CandidateId,
    /// What it is, e.g. code-review-grade or assessment-flags.
    #[arg(long)]
    kind: String,
    /// The JSON the tool produced.
    #[arg(long)]
    file: PathBuf,
    #[command(flatten)]
    actor: Actor,
}

impl EvidenceCmd {
    pub fn run(self, globals: &Globals) -> Result<Exit> {
        let EvidenceCmd::Attach(args) = self;
        args.run(globals)
    }
}

impl EvidenceArgs {
    fn run(self, globals: &Globals) -> Result<Exit> {
        let actor = self.actor.name()?;
        let text = read_text(&self.file, "evidence file")?;
        let body: serde_json::Value = serde_json::from_str(&text)
            .with_context(|| format!("{} is not JSON", self.file.display()))?;
        let source = self.file.display().to_string();
        block_on(async {
            let store = open_store(globals).await?;
            store
                .add_evidence(&actor, self.candidate, self.kind.trim(), &source, &body)
                .await
                .context("cannot attach the evidence")
        })??;
        writeln!(
            output::stdout(),
            "{} from {source} attached to candidate {} as evidence (not a scorecard)",
            self.kind,
            self.candidate
        )?;
        Ok(Exit::Fine)
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Kind {
    /// A former direct report or peer engineer (weighs more).
    Engineer,
    Manager,
}

#[derive(Debug, Subcommand)]
pub enum ReferenceCmd {
    /// Record one reference around the key question: did their code improve under the candidate's reviews?
    #[command(
        after_help = "Examples:\n  multiplier reference add --candidate 3 --kind engineer --name \"Lee\" --relationship \"reported to Dana for 2 years\" \\\n      --answer \"yes, a lot\" --example \"her review of my first migration taught me to plan rollbacks\" \\\n      --score team-multiplier=4 --as priya"
    )]
    Add(ReferenceArgs),
}

#[derive(Debug, Args)]
pub struct ReferenceArgs {
    #[arg(long)]
    candidate: CandidateId,
    #[arg(long, value_enum)]
    kind: Kind,
    #[arg(long)]
    name: String,
    #[arg(long)]
    relationship: String,
    /// Did their code get better under the candidate's reviews? Their answer.
    #[arg(long)]
    answer: String,
    /// The concrete example they gave (leave out if they could not give one).
    #[arg(long, default_value = "")]
    example: String,
    /// Your 1–4 reading per signal the references stage feeds: SIGNAL=N.
    #[arg(long = "score", value_name = "SIGNAL=N")]
    scores: Vec<String>,
    #[command(flatten)]
    actor: Actor,
}

impl ReferenceCmd {
    pub fn run(self, globals: &Globals) -> Result<Exit> {
        let ReferenceCmd::Add(args) = self;
        args.run(globals)
    }
}

impl ReferenceArgs {
    fn run(self, globals: &Globals) -> Result<Exit> {
        let fw = globals.framework()?.framework;
        let actor = self.actor.name()?;
        let scores = scores(&self.scores)?;
        let feeds = fw
            .stage("references")
            .map(|s| s.signals.clone())
            .unwrap_or_default();
        if let Some(extra) = scores.keys().find(|s| !feeds.contains(s)) {
            bail!("the references stage does not feed `{extra}`");
        }
        let reference = Reference {
            kind: match self.kind {
                Kind::Engineer => ReferenceKind::Engineer,
                Kind::Manager => ReferenceKind::Manager,
            },
            name: self.name.trim().to_string(),
            relationship: self.relationship,
            answer: self.answer,
            example: self.example,
            scores,
        };
        block_on(async {
            let store = open_store(globals).await?;
            store
                .add_reference(&actor, self.candidate, &reference)
                .await
                .context("cannot store the reference")
        })??;
        let mut out = output::stdout();
        writeln!(
            out,
            "{} reference stored for candidate {}",
            reference.kind.id(),
            self.candidate
        )?;
        if reference.example.trim().is_empty() {
            writeln!(
                out,
                "{}no example given: that is itself a signal (red flag `references-cannot-give-examples`){:#}",
                style::WARN,
                style::WARN
            )?;
        }
        Ok(Exit::Fine)
    }
}

#[derive(Debug, Subcommand)]
pub enum FlagCmd {
    /// Resolve a raised red flag, saying what evidence settles it.
    #[command(
        after_help = "Examples:\n  multiplier flag resolve --candidate 3 --flag dismisses-dissent --as priya \\\n      --note \"two former reports describe her changing a design after their objection\""
    )]
    Resolve {
        #[arg(long)]
        candidate: CandidateId,
        #[arg(long)]
        flag: String,
        #[arg(long)]
        note: String,
        #[command(flatten)]
        actor: Actor,
    },
}

impl FlagCmd {
    pub fn run(self, globals: &Globals) -> Result<Exit> {
        let fw = globals.framework()?.framework;
        let FlagCmd::Resolve {
            candidate: id,
            flag,
            note,
            actor,
        } = self;
        let actor = actor.name()?;
        if fw.red_flag(&flag).is_none() {
            bail!("`{flag}` is not a red flag of the framework (see `multiplier framework show`)");
        }
        if note.trim().is_empty() {
            bail!("say what evidence resolves the flag with --note");
        }
        block_on(async {
            let store = open_store(globals).await?;
            let raised = store
                .scorecards(id)
                .await?
                .iter()
                .any(|r| r.card.red_flags.iter().any(|f| f.id == flag));
            if !raised {
                bail!("nobody raised `{flag}` on candidate {id}");
            }
            store
                .resolve_flag(
                    &actor,
                    id,
                    &FlagResolution {
                        flag: flag.clone(),
                        by: actor.clone(),
                        note,
                    },
                )
                .await
                .context("cannot resolve the flag")
        })??;
        writeln!(
            output::stdout(),
            "red flag `{flag}` resolved for candidate {id}"
        )?;
        Ok(Exit::Fine)
    }
}
