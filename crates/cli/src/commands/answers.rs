//! `multiplier answers analyze`: explainable flags on a candidate's written
//! assessment, each with the sentence it rests on.

use super::review::SignalsArg;
use crate::context::{Globals, read_text};
use crate::output::{self, Exit, Format, style, wrap};
use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use multiplier_core::answers::{Answers, analyze};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Flag context-free absolutes, missing alternatives/outcome/hindsight, decisions without process, corrections that do not teach.
    #[command(
        after_help = "Examples:\n  multiplier answers analyze answers.json\n  multiplier answers analyze answers.json --format json > flags.json\n\nThe file is {\"answers\": [{\"question\": \"<question id>\", \"text\": \"...\"}]}; the ids are the\nframework's written-assessment questions (`multiplier framework show`).\nExit codes: 0 no flags, 1 flags raised, 2 the file cannot be read or names an unknown question."
    )]
    Analyze(AnalyzeArgs),
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// The answers (`-` reads standard input).
    file: PathBuf,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
    #[command(flatten)]
    signals: SignalsArg,
}

impl Cmd {
    pub fn run(self, globals: &Globals) -> Result<Exit> {
        let Cmd::Analyze(args) = self;
        let framework = globals.framework()?.framework;
        let (signals, _, _) = args.signals.load()?;
        let source = args.file.display().to_string();
        let text = read_text(&args.file, "answers file")?;
        let answers = Answers::parse(&source, &text, &framework)
            .with_context(|| format!("cannot analyze {source}"))?;
        // The one input cap, as every door applies it.
        multiplier_app::limits::check_input(
            "the answers",
            "answers",
            multiplier_app::analysis::answers_bytes(&answers),
        )?;
        let report = analyze(&answers, &signals);
        let mut out = output::stdout();
        match args.format {
            Format::Json => output::json(&mut out, &report)?,
            Format::Text => {
                let (head, warn, dim, good) = (style::HEAD, style::WARN, style::DIM, style::GOOD);
                for a in &report.answers {
                    writeln!(out, "{head}{}{head:#}", a.question)?;
                    if a.flags.is_empty() {
                        writeln!(out, "  {good}no flags{good:#}")?;
                    }
                    for f in &a.flags {
                        writeln!(out, "  {warn}{}{warn:#} (line {})", f.id, f.line)?;
                        writeln!(out, "    \"{}\"", wrap(&f.evidence, 5))?;
                        writeln!(out, "    {}", wrap(&f.reason, 4))?;
                        writeln!(out, "    {dim}red flag to confirm:{dim:#} {}", f.red_flag)?;
                    }
                }
                let n: usize = report.answers.iter().map(|a| a.flags.len()).sum();
                writeln!(
                    out,
                    "\n{} on {}; flags point at sentences to reread, people decide what they mean",
                    output::count(n, "flag", "flags"),
                    output::count(report.answers.len(), "answer", "answers")
                )?;
            }
        }
        let any = report.answers.iter().any(|a| !a.flags.is_empty());
        Ok(if any { Exit::Problems } else { Exit::Fine })
    }
}
