//! `multiplier user add|list|password`: accounts for the web application.

use super::hiring::Actor;
use crate::context::{Globals, block_on};
use crate::output::{self, Exit, Format, style};
use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, Subcommand};
use multiplier_store::{AccountRole, AccountStore};
use multiplier_web::auth::{check_password_strength, hash_password};
use std::io::{BufRead, IsTerminal, Write};

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Create an account (the first one should be an admin).
    #[command(
        after_help = "Examples:\n  multiplier user add priya --role admin\n  printf '%s\\n' \"$PASSWORD\" | multiplier user add sam --role interviewer --password-stdin\n\nThe name is the one used in assignments (`multiplier assign`) and as the opening's\nhiring manager; the audit log records it."
    )]
    Add(AddArgs),
    /// List accounts and their roles.
    List {
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Set a new password for an account.
    #[command(after_help = "Example:\n  multiplier user password priya")]
    Password(PasswordArgs),
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// The person's name, as used everywhere else in multiplier.
    name: String,
    /// admin (hiring manager: openings, decisions, offers, the audit log) or interviewer.
    #[arg(long, value_parser = parse_role)]
    role: AccountRole,
    /// Read the password from the first line of standard input instead of prompting.
    #[arg(long)]
    password_stdin: bool,
    #[command(flatten)]
    actor: Actor,
}

#[derive(Debug, Args)]
pub struct PasswordArgs {
    name: String,
    #[arg(long)]
    password_stdin: bool,
    #[command(flatten)]
    actor: Actor,
}

fn parse_role(s: &str) -> Result<AccountRole, String> {
    s.parse()
}

fn read_password(from_stdin: bool) -> Result<String> {
    let password = if from_stdin || !std::io::stdin().is_terminal() {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("cannot read the password from standard input")?;
        line.trim_end_matches(['\r', '\n']).to_string()
    } else {
        inquire::Password::new("Password:")
            .with_help_message("at least 10 characters; asked twice")
            .prompt()
            .context("no password given")?
    };
    check_password_strength(&password).map_err(|e| anyhow!(e))?;
    Ok(password)
}

impl Cmd {
    pub fn run(self, globals: &Globals) -> Result<Exit> {
        match self {
            Cmd::Add(a) => {
                let name = a.name.trim().to_string();
                if name.is_empty() {
                    bail!("a user needs a name");
                }
                let actor = a.actor.name().unwrap_or_else(|_| "setup".to_string());
                let hash =
                    hash_password(&read_password(a.password_stdin)?).map_err(|e| anyhow!("{e}"))?;
                let id = block_on(async {
                    let store = globals.store().await?;
                    store
                        .add_user(&actor, &name, a.role, &hash)
                        .await
                        .with_context(|| format!("cannot add the user {name}"))
                })??;
                let mut out = output::stdout();
                let key = style::KEY;
                writeln!(
                    out,
                    "Added {key}{name}{key:#} ({}) as user {id}. Sign in at /login after `multiplier serve`.",
                    a.role
                )?;
                Ok(Exit::Fine)
            }
            Cmd::List { format } => {
                let users = block_on(async {
                    let store = globals.store().await?;
                    store.users().await.context("cannot list users")
                })??;
                let mut out = output::stdout();
                if format == Format::Json {
                    output::json(&mut out, &users)?;
                } else if users.is_empty() {
                    writeln!(
                        out,
                        "No users yet. Create the first admin: multiplier user add NAME --role admin"
                    )?;
                } else {
                    for u in &users {
                        writeln!(
                            out,
                            "{:<20} {:<12} since {}",
                            u.name,
                            u.role.id(),
                            u.created_at.strftime("%Y-%m-%d")
                        )?;
                    }
                }
                Ok(Exit::Fine)
            }
            Cmd::Password(p) => {
                let actor = p.actor.name().unwrap_or_else(|_| "setup".to_string());
                let hash =
                    hash_password(&read_password(p.password_stdin)?).map_err(|e| anyhow!("{e}"))?;
                block_on(async {
                    let store = globals.store().await?;
                    store
                        .set_password(&actor, p.name.trim(), &hash)
                        .await
                        .with_context(|| format!("cannot change the password of {}", p.name))
                })??;
                writeln!(output::stdout(), "Password changed for {}.", p.name.trim())?;
                Ok(Exit::Fine)
            }
        }
    }
}
