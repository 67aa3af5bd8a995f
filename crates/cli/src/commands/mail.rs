//! `multiplier mail list|show|retry`: the outbox (admins).

use crate::context::{Actor, Globals, block_on};
use crate::output::{self, Exit, Format, style};
use anyhow::{Result, anyhow};
use clap::{Args, Subcommand};
use multiplier_store::MessageState;
use std::io::Write;

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// The outbox, newest first: every message the product wrote and where it is.
    #[command(
        after_help = "Examples:\n  multiplier mail list --as priya\n  multiplier mail list --state failed --as priya\n  multiplier mail list --format json --as priya\n\nStates: pending (waiting for its next attempt), sending (claimed by the worker),\nsent (the SMTP server accepted it), failed (every attempt failed: see `mail show`)."
    )]
    List {
        /// Only messages in this state: pending, sending, sent or failed.
        #[arg(long, value_parser = parse_state)]
        state: Option<MessageState>,
        #[command(flatten)]
        actor: Actor,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// One message as it goes out, with each delivery attempt and its outcome.
    #[command(
        after_help = "Examples:\n  multiplier mail show 12 --as priya\n  multiplier mail show 12 --format json --as priya"
    )]
    Show(IdArgs),
    /// Make a failed or waiting message due now; the running server sends it.
    #[command(
        after_help = "Examples:\n  multiplier mail retry 12 --as priya\n\nA message the mail server accepted is never sent again (refused with exit code 2)."
    )]
    Retry(IdArgs),
    /// Queue the outcome reminders due now (6 and 12 months after a hire's start date).
    #[command(
        after_help = "Examples:\n  multiplier mail remind-outcomes --public-url https://hiring.example.com\n\nFor cron users; `multiplier serve` runs the same scan every five minutes. Each\nreminder goes once, however often this runs. Runs as the local operator."
    )]
    RemindOutcomes {
        /// The address people use to reach the server, for the link in the message.
        #[arg(long, value_name = "URL")]
        public_url: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct IdArgs {
    /// The message's number (see `multiplier mail list`).
    id: i64,
    #[command(flatten)]
    actor: Actor,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

fn parse_state(s: &str) -> Result<MessageState, String> {
    MessageState::parse(s)
}

impl Cmd {
    pub fn run(self, globals: &Globals) -> Result<Exit> {
        let mut out = output::stdout();
        let key = style::KEY;
        match self {
            Cmd::RemindOutcomes { public_url } => {
                let queued = block_on(async {
                    let mut app = globals.app().await?;
                    if let Some(url) = public_url {
                        app = app.with_mail(multiplier_app::MailSettings {
                            public_url: url,
                            ..multiplier_app::MailSettings::default()
                        });
                    }
                    Ok(app.queue_outcome_reminders(jiff::Timestamp::now()).await?)
                })?;
                writeln!(out, "{queued} outcome reminder(s) queued")?;
            }
            Cmd::List {
                state,
                actor,
                format,
            } => {
                let messages = block_on(async {
                    let (app, who) = globals.acting(&actor).await?;
                    Ok(app.outbox(&who, state).await?)
                })?;
                if format == Format::Json {
                    output::json(&mut out, &messages)?;
                } else if messages.is_empty() {
                    writeln!(out, "The outbox is empty.")?;
                } else {
                    for m in &messages {
                        writeln!(
                            out,
                            "{key}{:>5}{key:#} {:<8} {:<20} {:<22} {}",
                            m.id,
                            m.state.id(),
                            m.kind,
                            m.created_at.strftime("%Y-%m-%d %H:%M"),
                            m.subject
                        )?;
                    }
                }
            }
            Cmd::Show(a) | Cmd::Retry(a) if a.id <= 0 => {
                return Err(anyhow!("`{}` is not a message number", a.id));
            }
            Cmd::Show(a) => {
                let view = block_on(async {
                    let (app, who) = globals.acting(&a.actor).await?;
                    Ok(app.outbox_message(&who, a.id).await?)
                })?;
                if a.format == Format::Json {
                    output::json(&mut out, &view)?;
                } else {
                    let m = &view.message;
                    writeln!(
                        out,
                        "{key}message {}{key:#} ({}, {})",
                        m.id,
                        m.kind,
                        m.state.id()
                    )?;
                    writeln!(out, "To:      {} <{}>", m.recipient_name, m.recipient)?;
                    writeln!(out, "Subject: {}", m.subject)?;
                    writeln!(out, "Queued:  {} by {}", m.created_at, m.created_by)?;
                    if m.calendar.is_some() {
                        writeln!(out, "Attached: a calendar invitation (text/calendar)")?;
                    }
                    writeln!(out, "\n{}\n", m.body)?;
                    if view.attempts.is_empty() {
                        writeln!(out, "No delivery attempt yet.")?;
                    }
                    for t in &view.attempts {
                        writeln!(
                            out,
                            "attempt {} at {}: {} ({})",
                            t.attempt, t.at, t.outcome, t.detail
                        )?;
                    }
                }
            }
            Cmd::Retry(a) => {
                let view = block_on(async {
                    let (app, who) = globals.acting(&a.actor).await?;
                    Ok(app.retry_message(&who, a.id).await?)
                })?;
                if a.format == Format::Json {
                    output::json(&mut out, &view)?;
                } else {
                    writeln!(
                        out,
                        "Message {} is due again; the running server's mail worker sends it.",
                        a.id
                    )?;
                }
            }
        }
        Ok(Exit::Fine)
    }
}
