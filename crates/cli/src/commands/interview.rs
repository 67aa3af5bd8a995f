//! `multiplier assign`, `scorecard submit|amend|list`, `evidence attach`,
//! `reference add`, `flag resolve`: what interviewers record about a candidate.

use super::hiring::{notes, pairs, scores};
use crate::context::{Actor, Globals, block_on, read_text};
use crate::output::{self, Exit, Format, style};
use anyhow::{Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use multiplier_app::ScorecardDraft;
use multiplier_core::pipeline::{RaisedFlag, Recommendation, Reference, ReferenceKind};
use multiplier_store::CandidateId;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  multiplier assign --candidate 3 --stage code-review --interviewer ana --as priya\n  multiplier assign --candidate 3 --stage technical-depth --stage leadership --interviewer ana --as priya\n  multiplier assign --candidate 3 --stage leadership --interviewer ana --remove --as priya"
)]
pub struct AssignCmd {
    #[arg(long)]
    candidate: CandidateId,
    /// A stage to assign (repeat for several, assigned in one go).
    #[arg(long, required = true)]
    stage: Vec<String>,
    #[arg(long)]
    interviewer: String,
    /// Take the interviewer off the stage instead (refused once their
    /// scorecard for it is in).
    #[arg(long)]
    remove: bool,
    #[command(flatten)]
    actor: Actor,
}

impl AssignCmd {
    pub fn run(self, globals: &Globals) -> Result<Exit> {
        if self.remove && self.stage.len() != 1 {
            anyhow::bail!("--remove takes exactly one --stage");
        }
        let assignments = block_on(async {
            let (app, me) = globals.acting(&self.actor).await?;
            Ok(if self.remove {
                app.unassign(&me, self.candidate, &self.stage[0], &self.interviewer)
                    .await?
            } else {
                app.assign_stages(&me, self.candidate, &self.stage, &self.interviewer)
                    .await?
            })
        })?;
        let mut out = output::stdout();
        let stages: Vec<&str> = self.stage.iter().map(|s| s.trim()).collect();
        if self.remove {
            writeln!(
                out,
                "{} no longer interviews candidate {} at stage {}",
                self.interviewer.trim(),
                self.candidate,
                stages.join(", ")
            )?;
        } else {
            writeln!(
                out,
                "{} interviews candidate {} at stage {}; `multiplier kit {}` prints the kit",
                self.interviewer.trim(),
                self.candidate,
                stages.join(", "),
                stages.first().copied().unwrap_or_default()
            )?;
        }
        let dim = style::DIM;
        for a in &assignments {
            writeln!(out, "  {dim}{:<22} {}{dim:#}", a.stage, a.interviewer)?;
        }
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
        match self {
            ScorecardCmd::Submit(card) => submit(globals, card, None),
            ScorecardCmd::Amend { card, reason } => submit(globals, card, Some(reason)),
            ScorecardCmd::List {
                candidate: id,
                actor,
                format,
            } => {
                let list = block_on(async {
                    let (app, me) = globals.acting(&actor).await?;
                    Ok(app.scorecards(&me, id).await?)
                })?;
                let mut out = output::stdout();
                if format == Format::Json {
                    output::json(&mut out, &list)?;
                    return Ok(Exit::Fine);
                }
                for r in &list.items {
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
                if let Some(reason) = &list.blind {
                    let dim = style::DIM;
                    writeln!(
                        out,
                        "{dim}{} hidden: {reason}{dim:#}",
                        output::count(list.hidden, "scorecard", "scorecards")
                    )?;
                } else if list.items.is_empty() {
                    writeln!(out, "no scorecards yet")?;
                }
                Ok(Exit::Fine)
            }
        }
    }
}

fn submit(globals: &Globals, a: CardArgs, reason: Option<String>) -> Result<Exit> {
    let draft = ScorecardDraft {
        stage: a.stage,
        scores: scores(&a.scores)?,
        notes: notes(&a.notes)?,
        red_flags: pairs(&a.flags, "red flag")?
            .into_iter()
            .map(|(id, note)| RaisedFlag { id, note })
            .collect(),
        recommendation: match a.recommend {
            Rec::StrongNo => Recommendation::StrongNo,
            Rec::No => Recommendation::No,
            Rec::Yes => Recommendation::Yes,
            Rec::StrongYes => Recommendation::StrongYes,
        },
    };
    let id = a.candidate;
    let record = block_on(async {
        let (app, me) = globals.acting(&a.actor).await?;
        Ok(app
            .submit_scorecard(&me, id, &draft, reason.as_deref())
            .await?)
    })?;
    writeln!(
        output::stdout(),
        "scorecard v{} for stage {} stored for candidate {id}",
        record.card.version,
        record.card.stage
    )?;
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
        let text = read_text(&self.file, "evidence file")?;
        let body: serde_json::Value = serde_json::from_str(&text)
            .with_context(|| format!("{} is not JSON", self.file.display()))?;
        let source = self.file.display().to_string();
        let record = block_on(async {
            let (app, me) = globals.acting(&self.actor).await?;
            Ok(app
                .attach_evidence(&me, self.candidate, &self.kind, &source, &body)
                .await?)
        })?;
        writeln!(
            output::stdout(),
            "{} from {} attached to candidate {} as evidence (not a scorecard)",
            record.kind,
            record.source,
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
        let reference = Reference {
            kind: match self.kind {
                Kind::Engineer => ReferenceKind::Engineer,
                Kind::Manager => ReferenceKind::Manager,
            },
            name: self.name,
            relationship: self.relationship,
            answer: self.answer,
            example: self.example,
            scores: scores(&self.scores)?,
        };
        let record = block_on(async {
            let (app, me) = globals.acting(&self.actor).await?;
            Ok(app.add_reference(&me, self.candidate, &reference).await?)
        })?;
        let mut out = output::stdout();
        writeln!(
            out,
            "{} reference stored for candidate {}",
            record.reference.kind.id(),
            self.candidate
        )?;
        if record.reference.example.is_empty() {
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
        let FlagCmd::Resolve {
            candidate: id,
            flag,
            note,
            actor,
        } = self;
        let resolution = block_on(async {
            let (app, me) = globals.acting(&actor).await?;
            Ok(app.resolve_flag(&me, id, &flag, &note).await?)
        })?;
        writeln!(
            output::stdout(),
            "red flag `{}` resolved for candidate {id}",
            resolution.flag
        )?;
        Ok(Exit::Fine)
    }
}
