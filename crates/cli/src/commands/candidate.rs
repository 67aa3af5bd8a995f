//! `multiplier candidate add|edit|show|move|search`.

use crate::context::{Actor, Globals, block_on};
use crate::output::{self, Exit, Format, style, wrap};
use anyhow::Result;
use clap::{Args, Subcommand};
use multiplier_app::{CandidateInput, CandidateView, PageRequest, SearchInput};
use multiplier_core::pipeline::SearchFilter;
use multiplier_store::{CandidateId, OpeningId};
use serde::Serialize;
use std::io::Write;

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Add a candidate to an opening (internal candidates answer the promotion-trap check).
    #[command(
        after_help = "Examples:\n  multiplier candidate add --opening 1 --name \"Dana Reyes\" --email dana@example.com --as priya\n  multiplier candidate add --opening 1 --name \"Sam Ito\" --internal --as priya \\\n      --wants-leadership \"yes: wants to grow others, has run design reviews\" \\\n      --gives-up \"most of their feature work\""
    )]
    Add(AddArgs),
    /// Correct a candidate's details; what you leave out keeps its current value.
    #[command(
        after_help = "Examples:\n  multiplier candidate edit --candidate 3 --name \"Dana Reyes-Ortiz\" --as priya\n  multiplier candidate edit --candidate 3 --email \"\" --as priya          removes the address\n  multiplier candidate edit --candidate 4 --internal --wants-leadership \"yes\" --gives-up \"feature work\" --as priya\n\nThe stage changes with `candidate move`. --external drops the promotion-trap answers.\nThe audit log names the fields that changed, never their values."
    )]
    Edit(EditArgs),
    /// Everything about a candidate you may see: timeline, evidence, references, the scorecards you may read.
    #[command(
        after_help = "Examples:\n  multiplier candidate show 3 --as ana\n  multiplier candidate show 3 --as priya --format json\n\nWhile you owe a scorecard on the candidate, others' scorecards, references, red-flag\nresolutions, decisions and offers stay hidden; the e-mail address is for admins only."
    )]
    Show(ShowArgs),
    /// Move a candidate to another stage.
    #[command(
        after_help = "Examples:\n  multiplier candidate move 3 --stage code-review --as priya"
    )]
    Move(MoveArgs),
    /// Find the candidates you may see by opening, stage, each signal's score, red flags and free text.
    #[command(
        after_help = "Examples:\n  multiplier candidate search --min-technical-depth 3 --min-team-multiplier 3 --as priya\n  multiplier candidate search --opening 1 --stage debrief --as priya\n  multiplier candidate search --flag dismisses-dissent --format json --as priya\n  multiplier candidate search --text \"eager loading\" --as ana\n\nWhile you owe a scorecard on a candidate, their scores are not shown and a filter on\nscores or red flags leaves them out."
    )]
    Search(SearchArgs),
    /// Erase a candidate's personal data, giving a reason; it cannot be undone.
    #[command(
        after_help = "Examples:\n  multiplier candidate erase 3 --reason candidate-request --yes --as priya\n  multiplier candidate erase 7 --reason withdrawn --yes --format json --as priya\n\nReasons: candidate-request, withdrawn, legal-obligation, added-by-mistake.\nThe name becomes \"Erased candidate N\"; the e-mail, the internal-candidate answers,\ndrafts, answers, reviews, evidence, scorecards, references, notes, decisions and\noffers are deleted and overwritten in the database file and its log. The audit log\nkeeps the erasure and its reason, never the data. Hiring managers only."
    )]
    Erase(EraseArgs),
    /// Put a candidate on hold, reject them (with a reason), mark them withdrawn or hired, or make them active again.
    #[command(
        after_help = "Examples:\n  multiplier candidate status 3 on-hold --as priya\n  multiplier candidate status 3 rejected --reason not-enough-depth --as priya\n  multiplier candidate status 3 withdrawn --reason \"took another offer\" --as priya\n  multiplier candidate status 3 hired --as priya\n  multiplier candidate status 3 active --as priya\n\nRejection reasons come from the framework's [[rejection_reason]] list. Hired needs a\nrecorded hire decision and an accepted offer. Rejected, withdrawn and hired candidates\nleave the board (`candidate search --show ended` finds them). Nothing is sent to the\ncandidate. Hiring managers only."
    )]
    Status(super::ats::StatusArgs),
    /// Write a note on a candidate (staff who see the candidate).
    #[command(
        after_help = "Examples:\n  multiplier candidate note 3 \"prefers to start in March\" --as priya\n\nNotes follow the blind rule: others read yours once their own scorecard is in.\nThe audit log records that a note was written, never its text."
    )]
    Note(super::ats::NoteArgs),
    /// The notes on a candidate you may read.
    #[command(after_help = "Examples:\n  multiplier candidate notes 3 --as ana --format json")]
    Notes(super::ats::NotesArgs),
    /// Import candidates from a CSV file (our headers, or a Greenhouse or Lever export).
    #[command(
        after_help = "Examples:\n  multiplier candidate import people.csv --opening 1 --dry-run --as priya\n  multiplier candidate import greenhouse-export.csv --opening 1 --as priya --format json\n\nColumns: name (or First Name + Last Name), email, links; other columns are ignored.\nA row whose e-mail address the opening already has is a duplicate, so running the\nsame file twice creates nothing the second time. Hiring managers only."
    )]
    Import(super::ats::ImportArgs),
}

#[derive(Debug, Args)]
pub struct EraseArgs {
    id: CandidateId,
    /// Why: candidate-request, withdrawn, legal-obligation or added-by-mistake.
    #[arg(long, value_parser = multiplier_app::ErasureReason::parse)]
    reason: multiplier_app::ErasureReason,
    /// Confirm that the erasure cannot be undone.
    #[arg(long, required = true)]
    yes: bool,
    #[command(flatten)]
    actor: Actor,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

/// `candidate erase --format json`.
#[derive(Debug, Serialize)]
struct ErasedJson {
    candidate: CandidateId,
    reason: multiplier_app::ErasureReason,
    #[serde(flatten)]
    erased: multiplier_store::Erased,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    #[arg(long)]
    opening: OpeningId,
    #[arg(long)]
    name: String,
    #[arg(long)]
    email: Option<String>,
    /// Someone already in the company: needs the promotion-trap answers below.
    #[arg(long)]
    internal: bool,
    /// Do they want the leadership work itself (reviews, planning, teaching)? In their words.
    #[arg(long)]
    wants_leadership: Option<String>,
    /// What will they give up for it (coding time, a specialism)?
    #[arg(long)]
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
pub struct EditArgs {
    #[arg(long)]
    candidate: CandidateId,
    #[arg(long)]
    name: Option<String>,
    /// The new address; an empty one removes it.
    #[arg(long)]
    email: Option<String>,
    /// Mark the candidate as already in the company (needs the promotion-trap answers).
    #[arg(long, conflicts_with = "external")]
    internal: bool,
    /// Mark the candidate as coming from outside (drops the promotion-trap answers).
    #[arg(long)]
    external: bool,
    /// Do they want the leadership work itself? In their words.
    #[arg(long)]
    wants_leadership: Option<String>,
    /// What will they give up for it?
    #[arg(long)]
    gives_up: Option<String>,
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
    /// Words in the name, scorecard notes, references, the candidate's answers
    /// and review, or other evidence (each word, or the start of one).
    #[arg(long)]
    text: Option<String>,
    /// By status: current (active and on hold, the default), ended (rejected, withdrawn, hired) or all.
    #[arg(long, default_value = "current")]
    show: multiplier_app::Shown,
    /// Only candidates with a red flag nobody resolved yet.
    #[arg(long, conflicts_with = "no_unresolved_flags")]
    unresolved_flags: bool,
    /// Only candidates whose raised red flags are all resolved (or none raised).
    #[arg(long)]
    no_unresolved_flags: bool,
    /// Only candidates with code-review evidence.
    #[arg(long)]
    code_review: bool,
    /// Only candidates added in the last N months.
    #[arg(long, value_name = "N")]
    months: Option<u32>,
    /// Rows per page, 1–200.
    #[arg(long, default_value_t = multiplier_app::DEFAULT_LIMIT)]
    limit: u32,
    /// Where the page starts: the cursor printed after the previous page.
    #[arg(long)]
    cursor: Option<String>,
    #[command(flatten)]
    actor: Actor,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

/// `candidate search --format json`: one page (documented in docs/cli.md).
#[derive(Serialize)]
struct SearchPage<'a> {
    items: Vec<SearchRow<'a>>,
    /// Pass as `--cursor` for the next page; null on the last.
    next: Option<&'a str>,
}

/// One row of `candidate search --format json` (documented in docs/cli.md).
#[derive(Serialize)]
struct SearchRow<'a> {
    id: CandidateId,
    name: &'a str,
    opening: OpeningId,
    opening_title: &'a str,
    stage: &'a str,
    internal: bool,
    /// `None` (with `meets_bar`) while the blind rule hides the scores.
    technical_depth: Option<f64>,
    team_multiplier: Option<f64>,
    meets_bar: Option<bool>,
    red_flags: &'a [String],
    blind: Option<&'a str>,
    /// Where the words were found, the matched words between `[` and `]`
    /// (text searches only).
    matched: Option<String>,
}

impl Cmd {
    pub fn run(self, globals: &Globals) -> Result<Exit> {
        let mut out = output::stdout();
        match self {
            Cmd::Status(args) => return super::ats::status(args, globals),
            Cmd::Note(args) => return super::ats::note(args, globals),
            Cmd::Notes(args) => return super::ats::notes(args, globals),
            Cmd::Import(args) => return super::ats::import(args, globals),
            Cmd::Add(args) => {
                let input = CandidateInput {
                    name: args.name,
                    email: args.email,
                    internal: args.internal,
                    wants_leadership: args.wants_leadership,
                    gives_up: args.gives_up,
                    stage: args.stage,
                };
                let id = block_on(async {
                    let (app, me) = globals.acting(&args.actor).await?;
                    Ok(app.add_candidate(&me, args.opening, &input).await?)
                })?;
                match args.format {
                    Format::Json => output::json(&mut out, &serde_json::json!({ "id": id }))?,
                    Format::Text => writeln!(
                        out,
                        "candidate {id} added to opening {}; `multiplier candidate show {id}` shows them",
                        args.opening
                    )?,
                }
            }
            Cmd::Edit(args) => {
                let id = args.candidate;
                let record = block_on(async {
                    let (app, me) = globals.acting(&args.actor).await?;
                    let current = app.candidate(&me, id).await?.candidate;
                    let internal = if args.internal {
                        true
                    } else if args.external {
                        false
                    } else {
                        current.internal
                    };
                    let (wants_leadership, gives_up) = if internal {
                        (
                            args.wants_leadership.or(current.wants_leadership),
                            args.gives_up.or(current.gives_up),
                        )
                    } else {
                        (args.wants_leadership, args.gives_up)
                    };
                    let input = CandidateInput {
                        name: args.name.unwrap_or(current.name),
                        email: args.email.or(current.email),
                        internal,
                        wants_leadership,
                        gives_up,
                        stage: None,
                    };
                    Ok(app.edit_candidate(&me, id, &input).await?)
                })?;
                match args.format {
                    Format::Json => output::json(&mut out, &record)?,
                    Format::Text => writeln!(
                        out,
                        "candidate {id} is now {}{}{}",
                        record.name,
                        record
                            .email
                            .as_deref()
                            .map_or_else(String::new, |e| format!(" <{e}>")),
                        if record.internal { " (internal)" } else { "" }
                    )?,
                }
            }
            Cmd::Erase(args) => {
                let erased = block_on(async {
                    let (app, me) = globals.acting(&args.actor).await?;
                    Ok(app
                        .erase_candidate(&me, args.id, args.yes, Some(args.reason))
                        .await?)
                })?;
                if args.format == Format::Json {
                    output::json(
                        &mut out,
                        &ErasedJson {
                            candidate: args.id,
                            reason: args.reason,
                            erased,
                        },
                    )?;
                } else {
                    writeln!(
                        out,
                        "candidate {} erased ({}): {} draft(s), {} evidence record(s) and {} other record(s) deleted, {} link(s) revoked",
                        args.id,
                        args.reason,
                        erased.work_deleted,
                        erased.evidence_deleted,
                        erased.records_deleted,
                        erased.links_revoked
                    )?;
                    if !erased.flushed {
                        writeln!(
                            out,
                            "note: readers kept the database's log busy; run `multiplier retention run` later to empty it"
                        )?;
                    }
                }
            }
            Cmd::Move(args) => {
                let record = block_on(async {
                    let (app, me) = globals.acting(&args.actor).await?;
                    Ok(app.move_candidate(&me, args.id, &args.stage).await?)
                })?;
                writeln!(
                    out,
                    "candidate {} is now at stage {}",
                    record.id, record.stage
                )?;
            }
            Cmd::Show(args) => {
                let (view, fw) = block_on(async {
                    let (app, me) = globals.acting(&args.actor).await?;
                    Ok((app.candidate(&me, args.id).await?, app.framework_arc()))
                })?;
                match args.format {
                    Format::Json => output::json(&mut out, &view)?,
                    Format::Text => show(&mut out, &fw, &view)?,
                }
            }
            Cmd::Search(args) => {
                let input = SearchInput {
                    opening: args.opening,
                    filter: SearchFilter {
                        stage: args.stage,
                        min_technical_depth: args.min_technical_depth,
                        min_team_multiplier: args.min_team_multiplier,
                        flag: args.flag,
                        text: args.text,
                    },
                    shown: args.show,
                    unresolved_flags: match (args.unresolved_flags, args.no_unresolved_flags) {
                        (true, _) => Some(true),
                        (_, true) => Some(false),
                        _ => None,
                    },
                    code_review: args.code_review,
                    months: args.months,
                    page: PageRequest {
                        limit: Some(args.limit),
                        cursor: args.cursor,
                    },
                };
                let found = block_on(async {
                    let (app, me) = globals.acting(&args.actor).await?;
                    Ok(app.search(&me, &input).await?)
                })?;
                let rows: Vec<SearchRow> = found
                    .rows
                    .iter()
                    .map(|r| SearchRow {
                        id: r.candidate.id,
                        name: &r.candidate.name,
                        opening: r.candidate.opening,
                        opening_title: &r.opening_title,
                        stage: &r.candidate.stage,
                        internal: r.candidate.internal,
                        technical_depth: r.hit.as_ref().and_then(|h| h.technical_depth),
                        team_multiplier: r.hit.as_ref().and_then(|h| h.team_multiplier),
                        meets_bar: r.hit.as_ref().map(|h| h.meets_bar),
                        red_flags: r.hit.as_ref().map_or(&[], |h| h.red_flags.as_slice()),
                        blind: r.blind.as_deref(),
                        matched: r
                            .matched
                            .as_ref()
                            .map(|m| format!("{}: {}", m.source, m.text_marked("[", "]"))),
                    })
                    .collect();
                if args.format == Format::Json {
                    output::json(
                        &mut out,
                        &SearchPage {
                            items: rows,
                            next: found.next.as_deref(),
                        },
                    )?;
                } else if rows.is_empty() {
                    writeln!(out, "no candidate matches")?;
                } else {
                    print_rows(&mut out, &rows)?;
                    if let Some(next) = &found.next {
                        writeln!(out, "next page: --cursor {next}")?;
                    }
                }
            }
        }
        Ok(Exit::Fine)
    }
}

fn print_rows(out: &mut output::Out, rows: &[SearchRow]) -> Result<()> {
    let (key, dim) = (style::KEY, style::DIM);
    let f = |v: Option<f64>| v.map_or_else(|| "—".to_string(), |v| format!("{v:.1}"));
    writeln!(
        out,
        "{key}{:>4}  {:<24} {:>7} {:<20} {:>6} {:>6}  {:<9} red flags{key:#}",
        "id", "name", "opening", "stage", "depth", "multi", "meets bar"
    )?;
    for r in rows {
        let meets = match r.meets_bar {
            Some(true) => "yes",
            Some(false) => "no",
            None => "—",
        };
        let flags = match r.blind {
            Some(_) => format!("{dim}hidden until your scorecard is in{dim:#}"),
            None => r.red_flags.join(", "),
        };
        writeln!(
            out,
            "{:>4}  {:<24} {:>7} {:<20} {:>6} {:>6}  {:<9} {flags}",
            r.id,
            r.name,
            r.opening,
            r.stage,
            f(r.technical_depth),
            f(r.team_multiplier),
            meets,
        )?;
        if let Some(m) = &r.matched {
            writeln!(out, "      {dim}{m}{dim:#}")?;
        }
    }
    Ok(())
}

/// The candidate as the application shaped it for this viewer: everything in
/// `view` is printed, and nothing else is looked up.
fn show(
    out: &mut output::Out,
    fw: &multiplier_core::Framework,
    view: &CandidateView,
) -> Result<()> {
    let (head, key, dim, warn) = (style::HEAD, style::KEY, style::DIM, style::WARN);
    let c = &view.candidate;
    let stage_name = fw
        .stage(&c.stage)
        .map_or_else(|| c.stage.clone(), |st| st.name.clone());
    writeln!(
        out,
        "{key}{}{key:#}  {dim}(candidate {}, opening {} \"{}\"){dim:#}",
        c.name, c.id, view.opening.id, view.opening.title
    )?;
    writeln!(out, "  stage: {stage_name}")?;
    writeln!(
        out,
        "  status: {}{} · source: {}",
        c.status,
        c.status_reason
            .as_deref()
            .map_or_else(String::new, |r| format!(" ({r})")),
        c.source
    )?;
    if let Some(email) = &c.email {
        writeln!(out, "  e-mail: {email}")?;
    }
    if c.internal {
        writeln!(
            out,
            "  {key}internal candidate: promotion-trap check{key:#}"
        )?;
        writeln!(
            out,
            "    wants the leadership work: {}",
            wrap(c.wants_leadership.as_deref().unwrap_or("—"), 31)
        )?;
        writeln!(
            out,
            "    will give up: {}",
            wrap(c.gives_up.as_deref().unwrap_or("—"), 18)
        )?;
    }
    let sight = &view.sight;
    if !sight.pending.is_empty() {
        writeln!(
            out,
            "  {warn}you owe a scorecard for: {}{warn:#}",
            sight.pending.join(", ")
        )?;
    }

    writeln!(out, "\n{head}Interviewers{head:#}")?;
    for a in &view.assignments {
        writeln!(
            out,
            "  {:<22} {:<12} {}",
            a.stage,
            a.interviewer,
            if a.submitted {
                "scorecard in"
            } else {
                "scorecard owed"
            }
        )?;
    }

    writeln!(out, "\n{head}Scorecards{head:#}")?;
    for r in &view.scorecards {
        let card = &r.card;
        let scores: Vec<String> = card
            .scores
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        let rec = serde_json::to_value(card.recommendation)?;
        writeln!(
            out,
            "  {:<22} {:<10} v{} {}  {}",
            card.stage,
            card.interviewer,
            card.version,
            scores.join(", "),
            rec.as_str().unwrap_or_default()
        )?;
        if let Some(reason) = &card.amendment_reason {
            writeln!(out, "    {dim}amended:{dim:#} {}", wrap(reason, 13))?;
        }
        for (signal, note) in &card.notes {
            writeln!(out, "    {dim}{signal}:{dim:#} {}", wrap(note, 6))?;
        }
        for flag in &card.red_flags {
            writeln!(out, "    {warn}red flag {}{warn:#}: {}", flag.id, flag.note)?;
        }
    }
    if let Some(reason) = &sight.blind {
        let hidden = match view.hidden_scorecards {
            0 => "others' scorecards stay hidden".to_string(),
            n => format!("{} hidden", output::count(n, "scorecard", "scorecards")),
        };
        writeln!(out, "  {dim}{hidden}: {reason}{dim:#}")?;
    }

    writeln!(
        out,
        "\n{head}Evidence{head:#} (automatic; never a scorecard)"
    )?;
    for e in &view.evidence {
        writeln!(out, "  {} from {}", e.kind, e.source)?;
    }
    if view.hidden_evidence > 0 {
        writeln!(
            out,
            "  {dim}{} from the tools (grades, flags) hidden until your scorecard is in{dim:#}",
            output::count(view.hidden_evidence, "record", "records")
        )?;
    }

    writeln!(out, "\n{head}References{head:#}")?;
    for r in &view.references {
        let kind = r.reference.kind.id();
        let r = &r.reference;
        writeln!(
            out,
            "  {} ({kind}, {}): {}",
            r.name,
            r.relationship,
            wrap(&r.answer, 6)
        )?;
        if !r.example.is_empty() {
            writeln!(out, "    {dim}example:{dim:#} {}", wrap(&r.example, 13))?;
        }
    }
    if view.hidden_references > 0 {
        writeln!(
            out,
            "  {dim}{} hidden until your scorecard is in{dim:#}",
            output::count(view.hidden_references, "reference", "references")
        )?;
    }

    if !view.resolutions.is_empty() {
        writeln!(out, "\n{head}Resolved red flags{head:#}")?;
        for r in &view.resolutions {
            writeln!(out, "  {} by {}: {}", r.flag, r.by, wrap(&r.note, 6))?;
        }
    }
    for d in &view.decisions {
        writeln!(
            out,
            "\n{head}Decision{head:#}: {} by {}{} — {}",
            d.outcome.id(),
            d.decided_by,
            if d.meets_bar {
                ""
            } else {
                " (the policy said: does not meet the bar)"
            },
            d.rationale
        )?;
    }
    for o in &view.offers {
        writeln!(
            out,
            "\n{head}Offer{head:#} {}: {}{}",
            o.id,
            o.status,
            o.start_date
                .map_or_else(String::new, |d| format!(", starts {d}"))
        )?;
    }

    if !view.notes.is_empty() || view.hidden_notes > 0 {
        writeln!(out, "\n{head}Notes{head:#}")?;
        for n in &view.notes {
            writeln!(out, "  {dim}{}{dim:#}: {}", n.author, n.body)?;
        }
        if view.hidden_notes > 0 {
            writeln!(
                out,
                "  {dim}{} note(s) by others hidden until your scorecard is in{dim:#}",
                view.hidden_notes
            )?;
        }
    }
    for f in &view.files {
        writeln!(
            out,
            "\n{head}CV{head:#} {} ({} bytes): download it from the candidate page",
            f.file_name, f.size
        )?;
    }

    writeln!(out, "\n{head}Timeline{head:#}")?;
    for t in &view.timeline {
        let at = t.at.to_string();
        writeln!(
            out,
            "  {dim}{}{dim:#}  {:<10} {:<20} {}",
            at.get(..16).unwrap_or(&at).replace('T', " "),
            t.actor,
            t.action,
            t.detail
        )?;
    }
    Ok(())
}
