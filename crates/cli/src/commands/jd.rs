//! `multiplier jd write|lint|words`: job descriptions grounded in the role and its
//! baseline, and an explainable linter.

use crate::context::{Globals, block_on, read_text};
use crate::output::{self, Exit, Format, style, wrap};
use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use multiplier_core::Role;
use multiplier_core::jd::{
    self, Baseline, DEFAULT_WORDS_SOURCE, DEFAULT_WORDS_TOML, LintReport, LintWords,
};
use multiplier_store::{RoleId, RoleStore};
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Write a job description from a role's intake answers and the team's baseline numbers.
    #[command(
        after_help = "Examples:\n  multiplier jd write --role examples/roles/payments-player-coach.toml\n  multiplier jd write --role 1 --baseline git-metrics.json --baseline pr-metrics.json\n  multiplier jd write --role role.toml --format json\n\nThe description is checked by the linter before it is printed; gaps (facts the\nrole or baseline did not supply) are listed on stderr."
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
    opening: Option<multiplier_store::OpeningId>,
    /// The JSON of `multiplier metrics git|deploys|prs`; repeat to combine reports.
    #[arg(long, value_name = "FILE")]
    baseline: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t)]
    format: WriteFormat,
    #[command(flatten)]
    words: WordsArg,
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

/// A role from a file, or from the store when the argument is an id and no such file exists.
fn load_role(globals: &Globals, fw: &multiplier_core::Framework, arg: &str) -> Result<Role> {
    let path = Path::new(arg);
    if !path.exists()
        && let Ok(id) = arg.parse::<RoleId>()
    {
        let record = block_on(async {
            let store = globals.store().await?;
            store.role(id).await.context("cannot read the role")
        })??;
        let Some(record) = record else {
            bail!(
                "there is no role {id} in {} (see `multiplier role list`)",
                multiplier_store::redact(&globals.db)
            );
        };
        return record
            .role(fw)
            .with_context(|| format!("stored role {id} does not fit the framework in use"));
    }
    let text = read_text(path, "role file")?;
    Role::parse(fw, arg, &text).with_context(|| {
        format!(
            "the role file {arg} is not valid; `multiplier role check {arg}` lists its problems"
        )
    })
}

/// An opening's role and the baseline from its earliest snapshot of each kind.
fn saved(
    globals: &Globals,
    fw: &multiplier_core::Framework,
    opening: multiplier_store::OpeningId,
) -> Result<(Role, Baseline)> {
    use multiplier_store::{HiringStore, MetricsStore};
    let (role_id, snapshots) = block_on(async {
        let store = globals.store().await?;
        let o = store.opening(opening).await?.ok_or_else(|| {
            anyhow::anyhow!("there is no opening {opening} (see `multiplier opening list`)")
        })?;
        anyhow::Ok((o.role, store.snapshots(opening).await?))
    })??;
    let role = load_role(globals, fw, &role_id.to_string())?;
    Ok((role, multiplier_store::baseline(&snapshots)?))
}

fn write(globals: &Globals, args: &WriteArgs) -> Result<Exit> {
    let loaded = globals.framework()?;
    let fw = &loaded.framework;
    let (words, _, _) = args.words.load()?;
    let (role, mut baseline) = match (&args.role, args.opening) {
        (Some(role), _) => (load_role(globals, fw, role)?, Baseline::default()),
        (None, Some(opening)) => saved(globals, fw, opening)?,
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
