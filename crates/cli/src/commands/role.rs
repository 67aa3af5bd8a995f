//! `multiplier role new|check|list|show`: role intake and its guidance.

use crate::context::{Actor, Globals, block_on, read_text};
use crate::output::{self, Exit, Format, Out, style, wrap};
use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use multiplier_core::framework::{AnswerKind, Framework, Question};
use multiplier_core::role::{FindingKind, Guidance, Role};
use multiplier_core::source::Problem;
use multiplier_store::{RoleId, RoleRecord};
use serde::Serialize;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Answer the intake questions (in the terminal, or --from a file), see the guidance, store the role.
    #[command(
        after_help = "Examples:\n  multiplier role new --as priya\n  multiplier role new --from examples/roles/payments-player-coach.toml --as priya\n  multiplier --db team.db role new --from role.toml --format json --as priya\n\nStoring a role needs an admin account (--as)."
    )]
    New(NewArgs),
    /// Validate a role file and print its guidance, without storing it.
    #[command(
        after_help = "Examples:\n  multiplier role check examples/roles/platform-leader-coder.toml\n  multiplier role check role.toml --format json\n\nExit codes: 0 no contradictions, 1 problems in the file or contradictions in the answers, 2 unreadable file."
    )]
    Check(CheckArgs),
    /// List stored roles.
    #[command(
        after_help = "Examples:\n  multiplier role list --as priya\n  multiplier --db team.db role list --format json --as ana"
    )]
    List(ListArgs),
    /// Show a stored role with its guidance.
    #[command(
        after_help = "Examples:\n  multiplier role show 1 --as priya\n  multiplier role show 1 --format json --as priya"
    )]
    Show(ShowArgs),
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// Read the answers from this role file instead of asking (`-` reads standard input).
    #[arg(long, value_name = "FILE")]
    from: Option<PathBuf>,
    /// Also write the answers as a role file here (only when asking in the terminal).
    #[arg(long, value_name = "FILE", conflicts_with = "from")]
    save_file: Option<PathBuf>,
    #[command(flatten)]
    actor: Actor,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The role file (`-` reads standard input).
    file: PathBuf,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    actor: Actor,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The role's id, from `multiplier role list`.
    id: RoleId,
    #[command(flatten)]
    actor: Actor,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

/// The JSON of `role check`, `role new` and `role show` (documented in docs/cli.md).
#[derive(Serialize)]
struct RoleReport<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<RoleId>,
    source: &'a str,
    valid: bool,
    problems: &'a [Problem],
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<&'a Role>,
    #[serde(skip_serializing_if = "Option::is_none")]
    guidance: Option<&'a Guidance>,
}

impl Cmd {
    pub fn run(self, globals: &Globals) -> Result<Exit> {
        let loaded = globals.framework()?;
        let fw = &loaded.framework;
        match self {
            Cmd::Check(args) => {
                let source = args.file.display().to_string();
                let text = read_text(&args.file, "role file")?;
                Ok(report_parsed(fw, &source, &text, None, args.format)?.0)
            }
            Cmd::New(args) => block_on(async {
                // Who stores the role is settled before any question is asked.
                let (app, me) = globals.acting(&args.actor).await?;
                let (source, text) = match &args.from {
                    Some(path) => (path.display().to_string(), read_text(path, "role file")?),
                    None => {
                        let text = ask(fw)?;
                        if let Some(path) = &args.save_file {
                            std::fs::write(path, &text)
                                .with_context(|| format!("cannot write {}", path.display()))?;
                        }
                        ("your answers".to_string(), text)
                    }
                };
                let Ok(role) = Role::parse(fw, &source, &text) else {
                    return Ok(report_parsed(fw, &source, &text, None, args.format)?.0);
                };
                let id = app.add_role(&me, &role).await?;
                let (exit, _) = report_parsed(fw, &source, &text, Some(id), args.format)?;
                if args.format == Format::Text {
                    let mut err = anstream::stderr();
                    writeln!(
                        err,
                        "stored as role {id} in {}",
                        multiplier_store::redact(&globals.db)
                    )?;
                }
                Ok(exit)
            }),
            Cmd::List(args) => {
                let records = block_on(async {
                    let (app, me) = globals.acting(&args.actor).await?;
                    Ok(app.roles(&me).await?)
                })?;
                list(fw, &records, args.format)?;
                Ok(Exit::Fine)
            }
            Cmd::Show(args) => {
                let record = block_on(async {
                    let (app, me) = globals.acting(&args.actor).await?;
                    Ok(app.role(&me, args.id).await?)
                })?;
                let source = format!("role {}", record.id);
                Ok(report_parsed(fw, &source, &record.role_toml, Some(record.id), args.format)?.0)
            }
        }
    }
}

/// Parse a role text and print it with its guidance (or its problems).
/// Exit 1 for problems in the file or contradictions in the answers.
fn report_parsed(
    fw: &Framework,
    source: &str,
    text: &str,
    id: Option<RoleId>,
    format: Format,
) -> Result<(Exit, Option<Role>)> {
    let parsed = Role::parse(fw, source, text);
    let problems = match &parsed {
        Ok(_) => Vec::new(),
        Err(e) => e.0.problems.clone(),
    };
    let role = parsed.ok();
    let guidance = role.as_ref().map(|r| r.guidance(fw));
    let mut out = output::stdout();
    match format {
        Format::Json => output::json(
            &mut out,
            &RoleReport {
                id,
                source,
                valid: role.is_some(),
                problems: &problems,
                role: role.as_ref(),
                guidance: guidance.as_ref(),
            },
        )?,
        Format::Text => match (&role, &guidance) {
            (Some(role), Some(guidance)) => print_role(&mut out, fw, role, guidance, id)?,
            _ => {
                let bad = style::BAD;
                for p in &problems {
                    let loc = p
                        .line
                        .map_or_else(|| source.to_string(), |l| format!("{source}:{l}"));
                    writeln!(
                        out,
                        "{bad}{loc}{bad:#}: {}: {}",
                        p.field,
                        wrap(&p.message, 4)
                    )?;
                }
                writeln!(
                    out,
                    "{} problem(s) in {source}; nothing was stored",
                    problems.len()
                )?;
            }
        },
    }
    let exit = match &guidance {
        Some(g) if !g.has_contradictions() => Exit::Fine,
        _ => Exit::Problems,
    };
    Ok((exit, role))
}

/// Print a role, its answers and its explained guidance.
pub fn print_role(
    out: &mut Out,
    fw: &Framework,
    role: &Role,
    g: &Guidance,
    id: Option<RoleId>,
) -> Result<()> {
    let (head, key, dim) = (style::HEAD, style::KEY, style::DIM);
    match id {
        Some(id) => writeln!(out, "{key}{}{key:#}  {dim}(role {id}){dim:#}", role.title)?,
        None => writeln!(out, "{key}{}{key:#}", role.title)?,
    }
    writeln!(out, "  {key}archetype{key:#}        {}", g.archetype.name())?;
    writeln!(out, "                   {}", wrap(&g.archetype_reason, 19))?;
    let level = &g.suggested_level;
    writeln!(
        out,
        "  {key}suggested level{key:#}  {} ({})",
        level.name, level.level
    )?;
    writeln!(out, "                   {}", wrap(&level.reason, 19))?;

    writeln!(out, "\n{head}Answers{head:#}")?;
    for q in &fw.intake.questions {
        if let Some(answer) = role.answers.get(&q.id) {
            writeln!(
                out,
                "  {key}{:<20}{key:#} {}",
                q.id,
                wrap(&answer.describe(Some(q)), 23)
            )?;
        }
    }
    let c = &role.context;
    let context = [
        ("team", &c.team),
        ("product", &c.product),
        ("stack", &c.stack),
        ("scale", &c.scale),
        ("company", &c.company),
        ("location", &c.location),
        ("region", &c.region),
    ];
    if context.iter().any(|(_, v)| v.is_some()) {
        writeln!(out, "\n{head}Context{head:#}")?;
        for (name, value) in context {
            if let Some(v) = value {
                writeln!(out, "  {key}{name:<20}{key:#} {}", wrap(v, 23))?;
            }
        }
    }

    if !g.focus.is_empty() {
        writeln!(out, "\n{head}What to look for in candidates{head:#}")?;
        for f in &g.focus {
            writeln!(out, "  • {key}{}{key:#}", f.answer)?;
            writeln!(out, "    {}", wrap(&f.guidance, 4))?;
        }
    }

    let count = |k| g.findings.iter().filter(|f| f.kind == k).count();
    writeln!(
        out,
        "\n{head}Findings{head:#} ({}, {}, {})",
        output::count(
            count(FindingKind::Contradiction),
            "contradiction",
            "contradictions"
        ),
        output::count(count(FindingKind::Warning), "warning", "warnings"),
        output::count(count(FindingKind::Note), "note", "notes")
    )?;
    if g.findings.is_empty() {
        let good = style::GOOD;
        writeln!(
            out,
            "  {good}none{good:#}: the answers are consistent with one Tech Lead role"
        )?;
    }
    for f in &g.findings {
        let (s, mark) = match f.kind {
            FindingKind::Contradiction => (style::BAD, "✗"),
            FindingKind::Warning => (style::WARN, "!"),
            FindingKind::Note => (style::NOTE, "·"),
        };
        writeln!(
            out,
            "  {s}{mark} {}{s:#}  {dim}[{}]{dim:#}",
            f.kind.id(),
            f.rule
        )?;
        writeln!(out, "    {}", wrap(&f.message, 4))?;
        let evidence: Vec<String> = f
            .evidence
            .iter()
            .map(|e| format!("{} = {}", e.question, e.answer))
            .collect();
        writeln!(
            out,
            "    {dim}rests on:{dim:#} {}",
            wrap(&evidence.join("; "), 14)
        )?;
        writeln!(out, "    {dim}consider:{dim:#} {}", wrap(&f.hint, 14))?;
    }
    Ok(())
}

#[derive(Serialize)]
struct ListRow<'a> {
    id: RoleId,
    title: &'a str,
    created_at: String,
    archetype: Option<&'static str>,
    contradictions: Option<usize>,
    /// Set when the stored answers no longer fit the framework in use.
    error: Option<String>,
}

fn list(fw: &Framework, records: &[RoleRecord], format: Format) -> Result<()> {
    let rows: Vec<ListRow> = records
        .iter()
        .map(|r| {
            let parsed = r.role(fw);
            let guidance = parsed.as_ref().ok().map(|role| role.guidance(fw));
            ListRow {
                id: r.id,
                title: &r.title,
                created_at: r.created_at.to_string(),
                archetype: guidance.as_ref().map(|g| g.archetype.name()),
                contradictions: guidance.as_ref().map(|g| {
                    g.findings
                        .iter()
                        .filter(|f| f.kind == FindingKind::Contradiction)
                        .count()
                }),
                error: parsed.err().map(|e| e.to_string()),
            }
        })
        .collect();
    let mut out = output::stdout();
    if format == Format::Json {
        return output::json(&mut out, &rows);
    }
    if rows.is_empty() {
        writeln!(
            out,
            "no roles yet; add one with `multiplier role new --as NAME`"
        )?;
        return Ok(());
    }
    let key = style::KEY;
    writeln!(
        out,
        "{key}{:>4}  {:<40} {:<14} {:<15} created (UTC){key:#}",
        "id", "title", "archetype", "contradictions"
    )?;
    for r in &rows {
        let created = r
            .created_at
            .get(..16)
            .unwrap_or(&r.created_at)
            .replace('T', " ");
        let archetype = r.archetype.unwrap_or("(unreadable)");
        let contradictions = r
            .contradictions
            .map_or_else(|| "—".to_string(), |n| n.to_string());
        writeln!(
            out,
            "{:>4}  {:<40} {:<14} {:<15} {}",
            r.id, r.title, archetype, contradictions, created
        )?;
    }
    Ok(())
}

/// Ask the intake questions in the terminal; returns the answers as a role file.
fn ask(fw: &Framework) -> Result<String> {
    if !std::io::stdin().is_terminal() {
        bail!(
            "there is no terminal to ask the intake questions on; answer them in a file and pass --from FILE (see examples/roles/)"
        );
    }
    let title = inquire::Text::new("Role title:")
        .with_help_message("e.g. Tech Lead, Payments backend")
        .with_validator(|t: &str| {
            Ok(if t.trim().is_empty() {
                inquire::validator::Validation::Invalid("a title is needed".into())
            } else {
                inquire::validator::Validation::Valid
            })
        })
        .prompt()
        .context("intake cancelled")?;
    let mut answers = toml::Table::new();
    for q in &fw.intake.questions {
        answers.insert(
            q.id.clone(),
            ask_one(q).with_context(|| format!("intake cancelled at `{}`", q.id))?,
        );
    }
    let mut role = toml::Table::new();
    role.insert(
        "title".into(),
        toml::Value::String(title.trim().to_string()),
    );
    role.insert("answers".into(), toml::Value::Table(answers));
    Ok(toml::to_string(&role)?)
}

fn ask_one(q: &Question) -> Result<toml::Value> {
    let labels = || {
        q.choices
            .iter()
            .map(|c| c.label.clone())
            .collect::<Vec<_>>()
    };
    let id_of = |label: &str| {
        q.choices
            .iter()
            .find(|c| c.label == label)
            .map(|c| c.id.clone())
            .unwrap_or_default()
    };
    Ok(match q.kind {
        AnswerKind::Percent => {
            let n = inquire::CustomType::<u8>::new(&q.prompt)
                .with_help_message(&q.help)
                .with_error_message("type a whole number from 0 to 100")
                .with_validator(|n: &u8| {
                    Ok(if *n <= 100 {
                        inquire::validator::Validation::Valid
                    } else {
                        inquire::validator::Validation::Invalid("at most 100".into())
                    })
                })
                .prompt()?;
            toml::Value::Integer(i64::from(n))
        }
        AnswerKind::YesNo => toml::Value::Boolean(
            inquire::Confirm::new(&q.prompt)
                .with_help_message(&q.help)
                .prompt()?,
        ),
        AnswerKind::Choice => {
            let label = inquire::Select::new(&q.prompt, labels())
                .with_help_message(&q.help)
                .prompt()?;
            toml::Value::String(id_of(&label))
        }
        AnswerKind::MultiChoice => {
            let chosen = inquire::MultiSelect::new(&q.prompt, labels())
                .with_help_message(&q.help)
                .prompt()?;
            toml::Value::Array(
                chosen
                    .iter()
                    .map(|l| toml::Value::String(id_of(l)))
                    .collect(),
            )
        }
        AnswerKind::TeamMix => {
            println!("{}", q.prompt);
            let mut counts = toml::Table::new();
            for c in &q.choices {
                let n = inquire::CustomType::<u32>::new(&format!("  {}:", c.label))
                    .with_default(0)
                    .with_help_message(&q.help)
                    .with_error_message("type a head count (0 or more)")
                    .prompt()?;
                counts.insert(c.id.clone(), toml::Value::Integer(i64::from(n)));
            }
            toml::Value::Table(counts)
        }
        AnswerKind::Text => toml::Value::String(
            inquire::Text::new(&q.prompt)
                .with_help_message(&q.help)
                .prompt()?,
        ),
    })
}
