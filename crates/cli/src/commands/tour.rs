//! `multiplier tour`: a guided first look for a newcomer.

use crate::commands::role::print_role;
use crate::context::Globals;
use crate::output::{self, Exit, style, wrap};
use anyhow::{Context, Result};
use clap::Args;
use multiplier_core::Role;
use std::io::Write;

/// The example roles shipped in examples/roles/, embedded so the tour runs anywhere.
pub const EXAMPLES: [(&str, &str); 2] = [
    (
        "examples/roles/payments-player-coach.toml",
        include_str!("../../../../examples/roles/payments-player-coach.toml"),
    ),
    (
        "examples/roles/platform-leader-coder.toml",
        include_str!("../../../../examples/roles/platform-leader-coder.toml"),
    ),
];

#[derive(Debug, Args)]
pub struct Cmd {}

impl Cmd {
    pub fn run(self, globals: &Globals) -> Result<Exit> {
        let loaded = globals.framework()?;
        let fw = &loaded.framework;
        let mut out = output::stdout();
        let (head, key, dim) = (style::HEAD, style::KEY, style::DIM);
        writeln!(out, "{head}multiplier: a guided tour{head:#}\n")?;
        writeln!(
            out,
            "{}",
            wrap(
                &format!(
                    "The hiring framework in use is \"{} {}\" ({}). It is data: export it with `multiplier framework export`, edit it, and pass it back with --framework.",
                    fw.meta.name, fw.meta.version, loaded.source
                ),
                0
            )
        )?;
        writeln!(out, "\nA hire needs both signals, each on its own:")?;
        for s in &fw.signals {
            let bar = fw.decision.bar(s.id).map_or_else(String::new, |b| {
                format!(" (bar {:.1}, {}+ raters)", b.bar.get(), b.min_raters)
            });
            writeln!(
                out,
                "  {key}{}{key:#}{bar}: {}",
                s.name,
                wrap(&s.description, 4)
            )?;
        }
        writeln!(out, "\nThe loop, in order:")?;
        for (i, s) in fw.stages.iter().enumerate() {
            let feeds = if s.signals.is_empty() {
                String::new()
            } else {
                format!(
                    "  {dim}→ {}{dim:#}",
                    s.signals
                        .iter()
                        .map(|x| x.id())
                        .collect::<Vec<_>>()
                        .join(" + ")
                )
            };
            writeln!(out, "  {:>2}. {}{feeds}", i + 1, s.name)?;
        }
        writeln!(
            out,
            "\n{}",
            wrap(
                "Everything starts with the role. Here are the two bundled example roles, checked against the framework: each finding names its rule and the answers it rests on.",
                0
            )
        )?;
        for (path, text) in EXAMPLES {
            let role = Role::parse(fw, path, text).with_context(|| {
                format!("the bundled example {path} does not fit the framework in use")
            })?;
            let guidance = role.guidance(fw);
            writeln!(out, "\n{dim}── {path} ──{dim:#}")?;
            print_role(&mut out, fw, &role, &guidance, None)?;
        }
        writeln!(out, "\n{head}Next{head:#}")?;
        for (cmd, what) in [
            (
                "multiplier user add NAME --role admin",
                "your account (then act as it with --as NAME)",
            ),
            (
                "multiplier role new --as NAME",
                "answer the intake questions for your own role",
            ),
            (
                "multiplier role check FILE",
                "check a role file without storing it",
            ),
            (
                "multiplier jd write --role FILE",
                "a job description grounded in the role, checked by the linter",
            ),
            (
                "multiplier metrics git REPO --deploy-tags 'v*'",
                "the team's delivery baseline from its git history",
            ),
            (
                "multiplier opening new --role ID --as NAME",
                "start hiring: candidates, kits, blind scorecards, the debrief",
            ),
            (
                "multiplier framework show",
                "read the whole framework: stages, rubrics, red flags, bands",
            ),
            ("multiplier --help", "every command, with examples"),
        ] {
            writeln!(out, "  {key}{cmd:<48}{key:#} {what}")?;
        }
        Ok(Exit::Fine)
    }
}
