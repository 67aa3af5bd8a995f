//! `multiplier review grade|signals`: grade a candidate's review of an exercise,
//! explaining every point, and export the grader's word lists.

use super::exercise::load_exercise;
use crate::context::{Globals, read_text};
use crate::output::{self, Exit, style, wrap};
use anyhow::{Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use multiplier_core::review::grader::{CommentResult, DimensionScore, Grade, Location};
use multiplier_core::review::{
    DEFAULT_SIGNALS_SOURCE, DEFAULT_SIGNALS_TOML, DEFAULT_TEACHING_MODEL_SOURCE,
    DEFAULT_TEACHING_MODEL_TOML, Review, ReviewSignals, grade,
};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Grade a review of an exercise: issues found, prioritisation, teaching; every point explained.
    #[command(
        after_help = "Examples:\n  multiplier review grade --exercise orders-n-plus-one --review review.json\n  multiplier review grade --exercise ./my-exercise --review gh-comments.json --format json > grade.json\n  multiplier review grade --exercise invoice-search --review review.json --format html > grade.html\n\nThe review is {\"summary\", \"comments\": [{path, line, body}]} or GitHub's export of\npull-request review comments (GET /repos/O/R/pulls/N/comments). The grade explains;\nthe interviewers score. docs/review-grading.md describes the JSON."
    )]
    Grade(GradeArgs),
    /// Print the grader's and analyzer's word lists and thresholds (TOML), to edit a copy for --signals.
    #[command(
        after_help = "Examples:\n  multiplier review signals --out my-signals.toml\n  multiplier review grade --signals my-signals.toml --exercise cart-pricing --review r.json"
    )]
    Signals(SignalsOut),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum GradeFormat {
    /// For people.
    #[default]
    Text,
    /// The grade as JSON (docs/review-grading.md).
    Json,
    /// A self-contained HTML page.
    Html,
}

#[derive(Debug, Args)]
pub struct SignalsArg {
    /// Use these word lists and thresholds instead of the embedded default (see `review signals`).
    #[arg(
        long = "signals",
        id = "signals",
        env = "MULTIPLIER_REVIEW_SIGNALS",
        value_name = "FILE"
    )]
    file: Option<PathBuf>,
    /// Use these teaching-model weights instead of the embedded ones (a file written
    /// by the `train_teaching` example; it must weigh exactly the signals in use).
    #[arg(
        long = "teaching-model",
        env = "MULTIPLIER_TEACHING_MODEL",
        value_name = "FILE"
    )]
    model: Option<PathBuf>,
}

impl SignalsArg {
    pub fn load(&self) -> Result<(ReviewSignals, String, String)> {
        let (source, text) = match &self.file {
            Some(path) => (
                path.display().to_string(),
                read_text(path, "review-signals file")?,
            ),
            None => (
                DEFAULT_SIGNALS_SOURCE.to_string(),
                DEFAULT_SIGNALS_TOML.to_string(),
            ),
        };
        let (model_source, model_text) = match &self.model {
            Some(path) => (
                path.display().to_string(),
                read_text(path, "teaching-model file")?,
            ),
            None => (
                DEFAULT_TEACHING_MODEL_SOURCE.to_string(),
                DEFAULT_TEACHING_MODEL_TOML.to_string(),
            ),
        };
        let signals =
            ReviewSignals::parse_with_model(&source, &text, &model_source, &model_text)
                .with_context(|| {
                    format!("the review signals in {source} and the teaching model in {model_source} do not load")
                })?;
        Ok((signals, source, text))
    }
}

#[derive(Debug, Args)]
pub struct GradeArgs {
    /// A built-in exercise's slug (see `exercise list`) or an exercise folder.
    #[arg(long, value_name = "SLUG|DIR")]
    exercise: String,
    /// The candidate's review (`-` reads standard input).
    #[arg(long, value_name = "FILE")]
    review: PathBuf,
    #[arg(long, value_enum, default_value_t)]
    format: GradeFormat,
    #[command(flatten)]
    signals: SignalsArg,
}

#[derive(Debug, Args)]
pub struct SignalsOut {
    /// Write here instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Replace FILE if it exists.
    #[arg(long, requires = "out")]
    force: bool,
    #[command(flatten)]
    signals: SignalsArg,
}

impl Cmd {
    pub fn run(self, globals: &Globals) -> Result<Exit> {
        match self {
            Cmd::Grade(args) => args.run(globals),
            Cmd::Signals(args) => {
                let (_, source, text) = args.signals.load()?;
                output::export(&text, &source, args.out.as_deref(), args.force)?;
                Ok(Exit::Fine)
            }
        }
    }
}

impl GradeArgs {
    fn run(self, globals: &Globals) -> Result<Exit> {
        let framework = globals.framework()?.framework;
        let (signals, _, _) = self.signals.load()?;
        let exercise = load_exercise(&self.exercise)?;
        let source = self.review.display().to_string();
        let text = read_text(&self.review, "review")?;
        let review = Review::parse(&source, &text)
            .with_context(|| format!("cannot read the review {source}"))?;
        // The one input cap, as every door applies it.
        multiplier_app::limits::check_input(
            "the review",
            "review",
            multiplier_app::analysis::review_bytes(&review),
        )?;
        let grade = grade(&exercise, &review, &signals, &framework);
        let mut out = output::stdout();
        match self.format {
            GradeFormat::Json => output::json(&mut out, &grade)?,
            GradeFormat::Text => print_grade(&mut out, &grade)?,
            GradeFormat::Html => writeln!(out, "{}", html(&grade).into_string())?,
        }
        Ok(Exit::Fine)
    }
}

fn at(c: &CommentResult) -> String {
    match c.line {
        Some(line) => format!("{}:{line}", c.path),
        None => c.path.clone(),
    }
}

fn score_line(out: &mut output::Out, name: &str, d: &DimensionScore) -> Result<()> {
    let key = style::KEY;
    writeln!(
        out,
        "  {key}{name:<15}{key:#} {} / 4  ({})",
        d.score, d.signal
    )?;
    writeln!(out, "  {:<15} {}", "", wrap(&d.reason, 18))?;
    if let Some(anchor) = &d.anchor {
        let dim = style::DIM;
        writeln!(out, "  {:<15} {dim}rubric:{dim:#} {}", "", wrap(anchor, 26))?;
    }
    Ok(())
}

fn print_grade(out: &mut output::Out, g: &Grade) -> Result<()> {
    let (head, good, bad, dim, key, warn) = (
        style::HEAD,
        style::GOOD,
        style::BAD,
        style::DIM,
        style::KEY,
        style::WARN,
    );
    writeln!(out, "{head}{}{head:#} ({})", g.title, g.exercise)?;
    writeln!(out, "\n{head}Issues{head:#}")?;
    for i in &g.issues {
        let mark = if i.found {
            format!("{good}found{good:#}  ")
        } else if i.material {
            format!("{bad}MISSED{bad:#} ")
        } else {
            format!("{dim}missed{dim:#} ")
        };
        writeln!(
            out,
            "  {mark} {key}{}{key:#}  {} {} — {}",
            i.id, i.severity, i.category, i.title
        )?;
        let mut how = Vec::new();
        if !i.by.is_empty() {
            let by: Vec<String> = i.by.iter().map(|n| format!("#{n}")).collect();
            how.push(format!("by comment {}", by.join(", ")));
        }
        if let Some(s) = &i.summary_sentence {
            how.push(format!("named in the summary: \"{s}\""));
        }
        if !how.is_empty() {
            writeln!(out, "          {}", wrap(&how.join("; "), 10))?;
        } else {
            writeln!(out, "          {dim}at {}{dim:#}", i.places.join(", "))?;
        }
    }
    writeln!(out, "\n{head}Comments{head:#}")?;
    if g.comments.is_empty() {
        writeln!(out, "  (none)")?;
    }
    for c in &g.comments {
        let verdict = if c.teaching {
            format!("{good}teaches{good:#}")
        } else {
            format!("{warn}corrects{warn:#}")
        };
        let place = match c.location {
            Location::InDiff => String::new(),
            _ => format!(" {bad}[{}]{bad:#}", location_name(c.location)),
        };
        writeln!(
            out,
            "  {key}#{}{key:#} {}{place}  {verdict}  priority {}",
            c.index,
            at(c),
            c.priority.id()
        )?;
        writeln!(out, "     {}", wrap(&c.match_note, 5))?;
        writeln!(
            out,
            "     {dim}teaches with probability {:.0} %{dim:#}",
            c.teaching_probability * 100.0
        )?;
        if !c.signals.is_empty() {
            let found: Vec<String> = c
                .signals
                .iter()
                .map(|s| format!("{} \"{}\" {:+.2}", s.kind, s.text, s.weight))
                .collect();
            writeln!(
                out,
                "     {dim}signals (weight):{dim:#} {}",
                wrap(&found.join("; "), 23)
            )?;
        }
        if !c.missing_signals.is_empty() {
            writeln!(
                out,
                "     {dim}missing:{dim:#} {}",
                c.missing_signals.join(", ")
            )?;
        }
    }
    writeln!(
        out,
        "\n{head}Prioritisation{head:#}  {}",
        if g.prioritization.ok {
            format!("{good}ok{good:#}")
        } else {
            format!("{bad}not ok{bad:#}")
        }
    )?;
    for r in &g.prioritization.reasons {
        let mark = if r.ok {
            format!("{good}+{good:#}")
        } else {
            format!("{bad}-{bad:#}")
        };
        writeln!(out, "  {mark} {}", wrap(&r.message, 4))?;
    }
    writeln!(
        out,
        "\n{head}Scores{head:#} (evidence for the interviewers, who decide)"
    )?;
    score_line(out, "issues", &g.scores.issues)?;
    score_line(out, "prioritization", &g.scores.prioritization)?;
    score_line(out, "teaching", &g.scores.teaching)?;
    if !g.red_flags.is_empty() {
        writeln!(out, "\n{head}Red flags to confirm{head:#}")?;
        for f in &g.red_flags {
            writeln!(
                out,
                "  {warn}{}{warn:#} {}: {}",
                f.id,
                f.title,
                wrap(&f.evidence, 6)
            )?;
        }
    }
    Ok(())
}

fn location_name(l: Location) -> &'static str {
    match l {
        Location::InDiff => "in the diff",
        Location::FileNotInDiff => "file not in the diff",
        Location::LineOutsideDiff => "line outside the diff",
        Location::OldSide => "old side",
        Location::NoLine => "whole file",
    }
}

fn html(g: &Grade) -> maud::Markup {
    use maud::{DOCTYPE, html};
    let dimension = |name: &str, d: &DimensionScore| {
        html! {
            tr {
                th { (name) }
                td.score { (d.score) " / 4" }
                td { (d.signal.id()) }
                td { (d.reason) @if let Some(a) = &d.anchor { br; small { "Rubric: " (a) } } }
            }
        }
    };
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                title { "Review grade: " (g.title) }
                style { "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}.missed{color:#b00020;font-weight:bold}.found{color:#1b5e20}.score{font-weight:bold}blockquote{margin:.3rem 0;color:#444}" }
            }
            body {
                h1 { (g.title) }
                p { "Exercise " code { (g.exercise) } ". The grade explains every point; the interviewers decide the score." }
                h2 { "Scores" }
                table {
                    (dimension("Issues found", &g.scores.issues))
                    (dimension("Prioritisation", &g.scores.prioritization))
                    (dimension("Teaching", &g.scores.teaching))
                }
                h2 { "Planted issues" }
                table {
                    tr { th { "Issue" } th { "Kind" } th { "Result" } th { "Why it matters" } }
                    @for i in &g.issues {
                        tr {
                            td { code { (i.id) } br; (i.title) br; small { (i.places.join(", ")) } }
                            td { (i.severity) " " (i.category) }
                            td {
                                @if i.found {
                                    span.found { "found" }
                                    @if !i.by.is_empty() { " by comment " (i.by.iter().map(|n| format!("#{n}")).collect::<Vec<_>>().join(", ")) }
                                    @if let Some(s) = &i.summary_sentence { br; small { "summary: " (s) } }
                                } @else {
                                    span.missed { "missed" }
                                }
                            }
                            td { (i.explain) }
                        }
                    }
                }
                h2 { "Comments" }
                @for c in &g.comments {
                    h3 { "#" (c.index) " " code { (at(c)) } " — " (if c.teaching { "teaches" } else { "corrects" }) }
                    @if let Some(code) = &c.code { pre { (code) } }
                    blockquote { (c.body) }
                    p { (c.match_note) }
                    p { "Priority: " (c.priority.id()) @if let Some(e) = &c.priority_evidence { " (" (e) ")" } }
                    p { "Teaches with probability " (format!("{:.0}", c.teaching_probability * 100.0)) " %; each signal found moved it by its weight:" }
                    @if !c.signals.is_empty() {
                        ul { @for s in &c.signals { li { (s.kind) ": “" (s.text) "” " (format!("{:+.2}", s.weight)) } } }
                    }
                }
                h2 { "Prioritisation: " (if g.prioritization.ok { "ok" } else { "not ok" }) }
                ul { @for r in &g.prioritization.reasons { li { (if r.ok { "✓ " } else { "✗ " }) (r.message) } } }
                @if !g.red_flags.is_empty() {
                    h2 { "Red flags to confirm" }
                    ul { @for f in &g.red_flags { li { strong { (f.title) } ": " (f.evidence) } } }
                }
            }
        }
    }
}
