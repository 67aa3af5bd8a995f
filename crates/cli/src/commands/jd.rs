//! `multiplier jd write|lint|words`: job descriptions grounded in the role and its
//! baseline, and an explainable linter.

use crate::context::{Actor, Globals, block_on, read_text};
use crate::output::{self, Exit, Format, style, wrap};
use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use multiplier_core::Role;
use multiplier_core::jd::{
    self, Baseline, DEFAULT_WORDS_SOURCE, DEFAULT_WORDS_TOML, LintReport, LintWords,
};
use multiplier_store::{OpeningId, RoleId};
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Write a job description from a role's intake answers and the team's baseline numbers.
    #[command(
        after_help = "Examples:\n  multiplier jd write --role examples/roles/payments-player-coach.toml\n  multiplier jd write --role 1 --baseline git-metrics.json --baseline pr-metrics.json --as priya\n  multiplier jd write --opening 1 --as priya\n  multiplier jd write --role role.toml --format json\n\nA stored role (--role ID) or an opening needs --as NAME; a role file does not.\nThe description is checked by the linter before it is printed; gaps (facts the\nrole or baseline did not supply) are listed on stderr."
    )]
    Write(WriteArgs),
    /// Check a job description (Markdown or plain text): missing facts, vague and gender-coded wording.
    #[command(
        after_help = "Examples:\n  multiplier jd lint job.md\n  pbpaste | multiplier jd lint -\n  multiplier jd lint job.md --format json\n\nExit codes: 0 no findings, 1 findings, 2 the file cannot be read."
    )]
    Lint(LintArgs),
    /// Print the linter's word and phrase lists (TOML), to edit a copy for --words.
    #[command(
        after_help = "Examples:\n  multiplier jd words --out my-words.toml\n  multiplier jd lint job.md --words my-words.toml"
    )]
    Words(WordsArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum WriteFormat {
    /// Markdown, ready to paste.
    #[default]
    Md,
    /// The sections, the Markdown, the gaps and the lint report.
    Json,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["role", "opening"])))]
pub struct WriteArgs {
    /// A stored role's id (see `role list`) or a role file.
    #[arg(long, value_name = "ID|FILE")]
    role: Option<String>,
    /// An opening: its role, and its first saved metrics snapshots as the baseline
    /// (see `metrics save`) unless --baseline is given.
    #[arg(long, value_name = "ID")]
    opening: Option<OpeningId>,
    /// The JSON of `multiplier metrics git|deploys|prs`; repeat to combine reports.
    #[arg(long, value_name = "FILE")]
    baseline: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t)]
    format: WriteFormat,
    #[command(flatten)]
    words: WordsArg,
    /// Needed for a stored role or an opening.
    #[command(flatten)]
    actor: Actor,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// The job description (`-` reads standard input).
    file: PathBuf,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    #[command(flatten)]
    words: WordsArg,
}

#[derive(Debug, Args)]
pub struct WordsArg {
    /// Use these word lists instead of the embedded default (see `jd words`).
    #[arg(
        long = "words",
        id = "words",
        env = "MULTIPLIER_JD_WORDS",
        value_name = "FILE"
    )]
    words_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct WordsArgs {
    /// Write here instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Replace FILE if it exists.
    #[arg(long, requires = "out")]
    force: bool,
    #[command(flatten)]
    words: WordsArg,
}

impl WordsArg {
    fn load(&self) -> Result<(LintWords, String, String)> {
        let (source, text) = match &self.words_file {
            Some(path) => (
                path.display().to_string(),
                read_text(path, "word-list file")?,
            ),
            None => (
                DEFAULT_WORDS_SOURCE.to_string(),
                DEFAULT_WORDS_TOML.to_string(),
            ),
        };
        let words = LintWords::parse(&source, &text)
            .with_context(|| format!("the word lists in {source} are not valid"))?;
        Ok((words, source, text))
    }
}

impl Cmd {
    pub fn run(self, globals: &Globals) -> Result<Exit> {
        match self {
            Cmd::Lint(args) => {
                let (words, _, _) = args.words.load()?;
                let source = if args.file == Path::new("-") {
                    "<stdin>".to_string()
                } else {
                    args.file.display().to_string()
                };
                let text = read_text(&args.file, "job description")?;
                // The one input cap, as every door applies it.
                multiplier_app::limits::check_input("the job description", "text", text.len())?;
                let report = jd::lint(&text, &words);
                let mut out = output::stdout();
                match args.format {
                    Format::Json => output::json(&mut out, &report)?,
                    Format::Text => print_report(&mut out, &source, &report)?,
                }
                Ok(if report.findings.is_empty() {
                    Exit::Fine
                } else {
                    Exit::Problems
                })
            }
            Cmd::Write(args) => write(globals, &args),
            Cmd::Words(args) => {
                let (_, source, text) = args.words.load()?;
                output::export(&text, &source, args.out.as_deref(), args.force)?;
                Ok(Exit::Fine)
            }
        }
    }
}

#[derive(Serialize)]
struct WriteReport<'a> {
    title: &'a str,
    markdown: String,
    sections: &'a [jd::Section],
    gaps: &'a [String],
    lint: LintReport,
}

/// A stored role's id, when `arg` is a number and no file has that name.
fn stored_id(arg: &str) -> Option<RoleId> {
    if Path::new(arg).exists() {
        None
    } else {
        arg.parse().ok()
    }
}

/// A role from a file.
fn role_file(fw: &multiplier_core::Framework, arg: &str) -> Result<Role> {
    let text = read_text(Path::new(arg), "role file")?;
    Role::parse(fw, arg, &text).with_context(|| {
        format!(
            "the role file {arg} is not valid; `multiplier role check {arg}` lists its problems"
        )
    })
}

/// What a job description is written from when it comes from the database: a
/// stored role, or an opening's role and its saved baseline.
enum Stored {
    Role(RoleId),
    Opening(OpeningId),
}

fn stored(globals: &Globals, actor: &Actor, what: Stored) -> Result<(Role, Baseline)> {
    block_on(async {
        let (app, me) = globals.acting(actor).await?;
        Ok(match what {
            Stored::Role(id) => (app.stored_role(&me, id).await?, Baseline::default()),
            Stored::Opening(id) => app.opening_role(&me, id).await?,
        })
    })
}

fn write(globals: &Globals, args: &WriteArgs) -> Result<Exit> {
    let loaded = globals.framework()?;
    let fw = &loaded.framework;
    let (words, _, _) = args.words.load()?;
    let (role, mut baseline) = match (&args.role, args.opening) {
        (Some(role), _) => match stored_id(role) {
            Some(id) => stored(globals, &args.actor, Stored::Role(id))?,
            None => (role_file(fw, role)?, Baseline::default()),
        },
        (None, Some(opening)) => stored(globals, &args.actor, Stored::Opening(opening))?,
        (None, None) => bail!("give --role ID|FILE or --opening ID"),
    };
    for path in &args.baseline {
        let text = read_text(path, "baseline file")?;
        let one = Baseline::from_json(&text).with_context(|| {
            format!(
                "{} is not a metrics report (JSON from `multiplier metrics`)",
                path.display()
            )
        })?;
        baseline = baseline.merge(one);
    }
    let description = jd::write(fw, &role, &baseline);
    let markdown = description.to_markdown();
    let report = jd::lint(&markdown, &words);
    let mut out = output::stdout();
    match args.format {
        WriteFormat::Json => output::json(
            &mut out,
            &WriteReport {
                title: &description.title,
                markdown,
                sections: &description.sections,
                gaps: &description.gaps,
                lint: report,
            },
        )?,
        WriteFormat::Md => {
            out.write_all(markdown.as_bytes())?;
            let mut err = anstream::stderr();
            let warn = style::WARN;
            for gap in &description.gaps {
                writeln!(err, "{warn}missing:{warn:#} {gap}")?;
            }
            for f in &report.findings {
                writeln!(err, "{warn}lint:{warn:#} {}: {}", f.rule, f.message)?;
            }
        }
    }
    Ok(Exit::Fine)
}

fn print_report(out: &mut output::Out, source: &str, report: &LintReport) -> Result<()> {
    let (bad, dim, key, good) = (style::BAD, style::DIM, style::KEY, style::GOOD);
    if report.findings.is_empty() {
        writeln!(
            out,
            "{good}no findings{good:#}: {source} ({} words)",
            report.summary.words
        )?;
        return Ok(());
    }
    for f in &report.findings {
        let at = f
            .line
            .map_or_else(|| source.to_string(), |l| format!("{source}:{l}"));
        writeln!(out, "{bad}{at}{bad:#} {key}{}{key:#}", f.rule)?;
        if !f.text.is_empty() {
            writeln!(out, "  {dim}found:{dim:#} {}", wrap(&f.text, 9))?;
        }
        writeln!(out, "  {}", wrap(&f.message, 2))?;
        writeln!(out, "  {dim}fix:{dim:#} {}", wrap(&f.hint, 7))?;
    }
    let s = &report.summary;
    writeln!(
        out,
        "\n{} in {source}; {} words, {} masculine-coded, {} feminine-coded",
        output::count(s.findings, "finding", "findings"),
        s.words,
        s.masculine,
        s.feminine
    )?;
    Ok(())
}
