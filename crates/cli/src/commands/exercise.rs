//! `multiplier exercise list|show|check|import`: the code-review exercises, built
//! in or in a folder, their keys checked against their diffs, and new exercises
//! drafted from a real range of commits.

use crate::context::{Globals, read_text};
use crate::output::{self, Exit, Format, style, wrap};
use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use multiplier_core::review::anonymize::{AnonymizeFile, Scrubbed, scrub};
use multiplier_core::review::import::{ChangedFile, skeleton, unified_diff};
use multiplier_core::review::{
    BUILTIN, Builtin, Diff, Exercise, ExerciseError, ExerciseSpec, QuestionOverlap, ReviewSignals,
    questions_naming,
};
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// List the built-in exercises.
    #[command(
        after_help = "Examples:\n  multiplier exercise list\n  multiplier exercise list --format json\n\nEach exercise is a pull request with planted issues; `exercise show SLUG` prints its key."
    )]
    List(ListArgs),
    /// Show an exercise: its pull-request description, its key of planted issues, or what the candidate receives.
    #[command(
        after_help = "Examples:\n  multiplier exercise show orders-n-plus-one\n  multiplier exercise show ./my-exercise --format json\n  multiplier exercise show cart-pricing --candidate > for-candidate.md"
    )]
    Show(ShowArgs),
    /// Check an exercise folder: exercise.toml's fields, and every file and line of the key against the diff.
    #[command(
        after_help = "Examples:\n  multiplier exercise check exercises/invoice-search\n  multiplier --framework my.toml exercise check exercises/invoice-search\n\nA planted issue that a written-assessment question of the framework names is a\nwarning: a candidate who answered that question knows what to look for.\n\nExit codes: 0 valid, 1 problems found, 2 the folder cannot be read."
    )]
    Check(CheckArgs),
    /// Draft an exercise from a range of commits of a real repository (diff + skeleton exercise.toml).
    #[command(
        after_help = "Examples:\n  multiplier exercise import --repo ../shop --range main~3..main --out exercises/shop-orders\n  multiplier exercise import --repo . --range v1.2..feature/avatars --out ex/avatars --anonymize scrub.toml\n\nAuthors' and committers' names and email addresses are always replaced; --anonymize\nreplaces the identifiers a TOML file lists (see docs/exercises.md)."
    )]
    Import(ImportArgs),
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// A built-in exercise's slug or an exercise folder.
    #[arg(value_name = "SLUG|DIR")]
    exercise: String,
    /// Print only what the candidate receives: the description and the diff (no key).
    #[arg(long, conflicts_with = "format")]
    candidate: bool,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The exercise folder (holding exercise.toml).
    dir: PathBuf,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The git repository.
    #[arg(long, value_name = "PATH")]
    repo: PathBuf,
    /// The commits to turn into a pull request: BASE..HEAD (ids, branches or tags, with ~N).
    #[arg(long, value_name = "BASE..HEAD")]
    range: String,
    /// The folder to write change.diff and exercise.toml into.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// A TOML file of identifiers to replace and more names to drop.
    #[arg(long, value_name = "FILE")]
    anonymize: Option<PathBuf>,
    /// Replace an existing exercise.toml and change.diff.
    #[arg(long)]
    force: bool,
}

/// A built-in exercise by slug, or an exercise folder.
pub fn load_exercise(what: &str) -> Result<Exercise> {
    if let Some(builtin) = Builtin::find(what) {
        return builtin
            .load()
            .with_context(|| format!("the built-in exercise `{what}` is not valid"));
    }
    let dir = Path::new(what);
    if dir.is_dir() {
        return load_dir(dir)?
            .map_err(|e| anyhow::anyhow!("{e}"))
            .with_context(|| {
                format!(
                    "the exercise in {what} is not valid; run `multiplier exercise check {what}`"
                )
            });
    }
    let slugs: Vec<&str> = BUILTIN.iter().map(|b| b.slug).collect();
    bail!(
        "`{what}` is neither a built-in exercise ({}) nor a folder",
        slugs.join(", ")
    )
}

/// Read an exercise folder. The outer error: the files cannot be read; the inner:
/// what is wrong with them.
fn load_dir(dir: &Path) -> Result<Result<Exercise, ExerciseError>> {
    let toml_path = dir.join("exercise.toml");
    let source = toml_path.display().to_string();
    let text = read_text(&toml_path, "exercise file")?;
    let spec = match ExerciseSpec::parse(&source, &text) {
        Ok(spec) => spec,
        Err(e) => return Ok(Err(e)),
    };
    let diff_path = dir.join(&spec.diff);
    let diff_text = read_text(&diff_path, "exercise's diff")?;
    let slug = dir
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| dir.display().to_string());
    Ok(spec.with_diff(&slug, &diff_path.display().to_string(), &diff_text))
}

#[derive(Serialize)]
struct Listed<'a> {
    slug: &'a str,
    title: String,
    language: String,
    issues: usize,
    material: usize,
    categories: Vec<&'static str>,
}

#[derive(Serialize)]
struct CheckProblem<'a> {
    file: &'a str,
    line: Option<usize>,
    field: &'a str,
    message: &'a str,
}

#[derive(Serialize)]
struct CheckReport<'a> {
    ok: bool,
    problems: Vec<CheckProblem<'a>>,
    warnings: Vec<String>,
    /// Planted issues the framework's written questions name (also in `warnings`).
    named_in_questions: Vec<QuestionOverlap>,
}

impl Cmd {
    pub fn run(self, globals: &Globals) -> Result<Exit> {
        match self {
            Cmd::List(args) => list(args.format),
            Cmd::Show(args) => show(&args),
            Cmd::Check(args) => check(&args, globals),
            Cmd::Import(args) => import(&args),
        }
    }
}

fn list(format: Format) -> Result<Exit> {
    let mut rows = Vec::new();
    for b in BUILTIN {
        let ex = b
            .load()
            .with_context(|| format!("the built-in exercise `{}` is not valid", b.slug))?;
        let mut categories: Vec<&'static str> = ex.issues.iter().map(|i| i.category.id()).collect();
        categories.sort_unstable();
        categories.dedup();
        rows.push(Listed {
            slug: b.slug,
            material: ex
                .issues
                .iter()
                .filter(|i| i.severity.is_material())
                .count(),
            issues: ex.issues.len(),
            title: ex.title,
            language: ex.language,
            categories,
        });
    }
    let mut out = output::stdout();
    match format {
        Format::Json => output::json(&mut out, &rows)?,
        Format::Text => {
            let key = style::KEY;
            for r in &rows {
                writeln!(
                    out,
                    "{key}{:<20}{key:#} {:<11} {} ({} issues, {} material: {})",
                    r.slug,
                    r.language,
                    r.title,
                    r.issues,
                    r.material,
                    r.categories.join(", ")
                )?;
            }
        }
    }
    Ok(Exit::Fine)
}

fn show(args: &ShowArgs) -> Result<Exit> {
    let ex = load_exercise(&args.exercise)?;
    let mut out = output::stdout();
    if args.candidate {
        writeln!(
            out,
            "# {}\n\n{}\n\n```diff\n{}```",
            ex.title,
            ex.summary.trim(),
            ex.diff_text
        )?;
        return Ok(Exit::Fine);
    }
    match args.format {
        Format::Json => output::json(&mut out, &ex)?,
        Format::Text => {
            let (head, key, dim) = (style::HEAD, style::KEY, style::DIM);
            writeln!(
                out,
                "{head}{}{head:#} ({}, {})",
                ex.title, ex.slug, ex.language
            )?;
            writeln!(out, "{}", wrap(ex.summary.trim(), 0))?;
            let files: Vec<String> = ex
                .diff
                .files
                .iter()
                .map(|f| format!("{} (+{} -{})", f.path, f.added, f.removed))
                .collect();
            writeln!(out, "{dim}files:{dim:#} {}", files.join(", "))?;
            writeln!(out, "\n{head}Key{head:#} (for interviewers)")?;
            for i in &ex.issues {
                writeln!(
                    out,
                    "  {key}{}{key:#}  {} {} — {}",
                    i.id, i.severity, i.category, i.title
                )?;
                for p in &i.at {
                    let lines: Vec<String> = p.lines.iter().map(ToString::to_string).collect();
                    writeln!(out, "    at {}:{}", p.file, lines.join(","))?;
                }
                writeln!(
                    out,
                    "    {dim}concepts:{dim:#} {}",
                    wrap(&i.concepts.join(", "), 14)
                )?;
                writeln!(out, "    {}", wrap(i.explain.trim(), 4))?;
            }
        }
    }
    Ok(Exit::Fine)
}

fn check(args: &CheckArgs, globals: &Globals) -> Result<Exit> {
    let result = load_dir(&args.dir)?;
    let named_in_questions = match &result {
        Ok(ex) => {
            let framework = globals.framework()?.framework;
            let signals = ReviewSignals::default_signals()
                .context("the embedded review signals are not valid")?;
            questions_naming(ex, &framework.assessment.questions, &signals.matching)
        }
        Err(_) => Vec::new(),
    };
    let mut out = output::stdout();
    let (problems, warnings): (Vec<CheckProblem>, Vec<String>) = match &result {
        Ok(ex) => (
            Vec::new(),
            ex.warnings
                .iter()
                .cloned()
                .chain(named_in_questions.iter().map(QuestionOverlap::message))
                .collect(),
        ),
        Err(err) => (
            err.problems()
                .map(|(file, p)| CheckProblem {
                    file,
                    line: p.line,
                    field: &p.field,
                    message: &p.message,
                })
                .collect(),
            Vec::new(),
        ),
    };
    let report = CheckReport {
        ok: problems.is_empty(),
        problems,
        warnings,
        named_in_questions,
    };
    match args.format {
        Format::Json => output::json(&mut out, &report)?,
        Format::Text => {
            let (good, bad, warn) = (style::GOOD, style::BAD, style::WARN);
            for p in &report.problems {
                let at = p
                    .line
                    .map_or_else(|| p.file.to_string(), |l| format!("{}:{l}", p.file));
                writeln!(out, "{bad}{at}{bad:#} {}: {}", p.field, wrap(p.message, 4))?;
            }
            for w in &report.warnings {
                writeln!(out, "{warn}warning:{warn:#} {w}")?;
            }
            if let Ok(ex) = &result {
                writeln!(
                    out,
                    "{good}valid{good:#}: {} ({} planted issues, every place found in {})",
                    args.dir.display(),
                    ex.issues.len(),
                    ex.diff_file
                )?;
            } else {
                writeln!(
                    out,
                    "\n{} in {}",
                    output::count(report.problems.len(), "problem", "problems"),
                    args.dir.display()
                )?;
            }
        }
    }
    Ok(if report.ok {
        Exit::Fine
    } else {
        Exit::Problems
    })
}

fn import(args: &ImportArgs) -> Result<Exit> {
    let Some((base, head)) = args.range.split_once("..") else {
        bail!(
            "--range must be BASE..HEAD, e.g. main~3..main (got `{}`)",
            args.range
        );
    };
    if base.is_empty() || head.is_empty() || head.starts_with('.') {
        bail!(
            "--range must be BASE..HEAD with both sides named (got `{}`)",
            args.range
        );
    }
    let anonymize = match &args.anonymize {
        Some(path) => {
            let text = read_text(path, "anonymisation file")?;
            AnonymizeFile::parse(&path.display().to_string(), &text).with_context(|| {
                format!("the anonymisation file {} is not valid", path.display())
            })?
        }
        None => AnonymizeFile::default(),
    };
    let change = multiplier_git::range_change(&args.repo, base, head)
        .with_context(|| format!("cannot read {} in {}", args.range, args.repo.display()))?;
    if change.files.is_empty() {
        bail!("{} changes no file in {}", args.range, args.repo.display());
    }
    let files: Vec<ChangedFile> = change
        .files
        .iter()
        .map(|f| ChangedFile {
            path: &f.path,
            before: f.before.as_deref(),
            after: f.after.as_deref(),
        })
        .collect();
    let mut tally = Scrubbed::default();
    let diff_text = scrub(
        &unified_diff(&files),
        &change.people,
        &anonymize,
        &mut tally,
    );
    let messages: Vec<String> = change
        .messages
        .iter()
        .map(|m| scrub(m, &change.people, &anonymize, &mut tally))
        .collect();
    let diff = Diff::parse(&diff_text)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .context("the diff written for the range does not read back")?;
    let toml = skeleton(&diff, "change.diff", &messages);

    let toml_path = args.out.join("exercise.toml");
    let diff_path = args.out.join("change.diff");
    if !args.force && (toml_path.exists() || diff_path.exists()) {
        bail!(
            "{} already holds an exercise; pass --force to replace it",
            args.out.display()
        );
    }
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    std::fs::write(&diff_path, &diff_text)
        .with_context(|| format!("cannot write {}", diff_path.display()))?;
    std::fs::write(&toml_path, &toml)
        .with_context(|| format!("cannot write {}", toml_path.display()))?;
    let mut out = output::stdout();
    writeln!(
        out,
        "wrote {} ({} files, {} to {}) and {}",
        diff_path.display(),
        diff.files.len(),
        &change.base[..change.base.len().min(10)],
        &change.head[..change.head.len().min(10)],
        toml_path.display()
    )?;
    let ids: Vec<String> = tally
        .identifiers
        .iter()
        .map(|(k, n)| format!("{k} ×{n}"))
        .collect();
    writeln!(
        out,
        "anonymised: {} names, {} email addresses{}",
        tally.names,
        tally.emails,
        if ids.is_empty() {
            String::new()
        } else {
            format!(", identifiers {}", ids.join(", "))
        }
    )?;
    writeln!(
        out,
        "next: plant the issues in exercise.toml, then `multiplier exercise check {}`",
        args.out.display()
    )?;
    Ok(Exit::Fine)
}
