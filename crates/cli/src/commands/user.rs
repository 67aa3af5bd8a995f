//! `multiplier user add|list|password|role`: the accounts. Run on the server's
//! machine they act as the local operator; with `--as` as that account, which
//! must then be an admin (or, for `password`, the account itself).

use crate::context::{Actor, Globals, block_on};
use crate::output::{self, Exit, Format, style};
use anyhow::{Context, Result, anyhow};
use clap::{Args, Subcommand};
use multiplier_store::AccountRole;
use std::io::{BufRead, IsTerminal, Write};

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Create an account (the first one should be an admin).
    #[command(
        after_help = "Examples:\n  multiplier user add priya --role admin\n  printf '%s\\n' \"$PASSWORD\" | multiplier user add sam --role interviewer --password-stdin\n  multiplier user add lee --role interviewer --as priya\n\nThe name is the one used with --as, in assignments (`multiplier assign`) and as the\nopening's hiring manager; the audit log records who created it (\"local operator\"\nwithout --as)."
    )]
    Add(AddArgs),
    /// List accounts and their roles.
    List {
        #[command(flatten)]
        actor: Actor,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Set a new password for an account.
    #[command(
        after_help = "Examples:\n  multiplier user password priya\n  multiplier user password sam --as sam          your own, as yourself"
    )]
    Password(PasswordArgs),
    /// Change what an account may do: admin (hiring manager) or interviewer.
    #[command(
        after_help = "Examples:\n  multiplier user role sam --role admin\n  multiplier user role priya --role interviewer --as sam\n\nThe last admin cannot be made an interviewer: make another account an admin first."
    )]
    Role(RoleArgs),
    /// Stop an account from signing in or acting; its sessions end at once.
    #[command(
        after_help = "Examples:\n  multiplier user deactivate sam\n  multiplier user deactivate sam --as priya\n\nIts records and its name in the audit log stay; `multiplier user activate` undoes it.\nYou cannot deactivate yourself, nor the last active admin."
    )]
    Deactivate(NameArgs),
    /// Let a deactivated account sign in again.
    #[command(after_help = "Examples:\n  multiplier user activate sam")]
    Activate(NameArgs),
    /// Set or clear the address the product's messages to this person go to.
    #[command(
        after_help = "Examples:\n  multiplier user email sam sam@example.com\n  multiplier user email sam --clear\n  multiplier user email sam sam@example.org --as sam     your own, as yourself\n\nWithout an address a person gets no messages (assignments, invitations, reminders)."
    )]
    Email(EmailArgs),
}

#[derive(Debug, Args)]
pub struct EmailArgs {
    name: String,
    /// The address, like sam@example.com.
    #[arg(required_unless_present = "clear")]
    email: Option<String>,
    /// Remove the address instead.
    #[arg(long, conflicts_with = "email")]
    clear: bool,
    #[command(flatten)]
    actor: Actor,
}

#[derive(Debug, Args)]
pub struct NameArgs {
    name: String,
    #[command(flatten)]
    actor: Actor,
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
    /// Where the product's messages to this person go.
    #[arg(long)]
    email: Option<String>,
    #[command(flatten)]
    actor: Actor,
}

#[derive(Debug, Args)]
pub struct PasswordArgs {
    name: String,
    /// Read the password from the first line of standard input instead of prompting.
    #[arg(long)]
    password_stdin: bool,
    #[command(flatten)]
    actor: Actor,
}

#[derive(Debug, Args)]
pub struct RoleArgs {
    name: String,
    /// admin (hiring manager) or interviewer.
    #[arg(long, value_parser = parse_role)]
    role: AccountRole,
    #[command(flatten)]
    actor: Actor,
}

fn parse_role(s: &str) -> Result<AccountRole, String> {
    s.parse()
}

/// The password from a prompt or standard input, checked for length before
/// anything else happens (the application checks it again and hashes it).
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
    multiplier_app::check_password_strength(&password).map_err(|e| anyhow!(e))?;
    Ok(password)
}

impl Cmd {
    pub fn run(self, globals: &Globals) -> Result<Exit> {
        let mut out = output::stdout();
        let key = style::KEY;
        match self {
            Cmd::Add(a) => {
                let id = block_on(async {
                    let (app, who) = globals.administering(&a.actor).await?;
                    if let Some(e) = &a.email {
                        multiplier_app::mail::check_address(e).map_err(|m| anyhow!(m))?;
                    }
                    let password = read_password(a.password_stdin)?;
                    let id = app.add_account(&who, &a.name, a.role, &password).await?;
                    if let Some(e) = &a.email {
                        app.set_email(&who, &a.name, Some(e)).await?;
                    }
                    Ok(id)
                })?;
                writeln!(
                    out,
                    "Added {key}{}{key:#} ({}) as user {id}. Sign in at /login after `multiplier serve`.",
                    a.name.trim(),
                    a.role
                )?;
            }
            Cmd::List { actor, format } => {
                let users = block_on(async {
                    let (app, who) = globals.administering(&actor).await?;
                    Ok(app.accounts(&who).await?)
                })?;
                if format == Format::Json {
                    output::json(&mut out, &users)?;
                } else if users.is_empty() {
                    writeln!(
                        out,
                        "No users yet. Create the first admin: multiplier user add NAME --role admin"
                    )?;
                } else {
                    for u in &users {
                        let state = match u.deactivated_at {
                            Some(at) => format!(", deactivated {}", at.strftime("%Y-%m-%d")),
                            None => String::new(),
                        };
                        writeln!(
                            out,
                            "{:<20} {:<12} {:<32} since {}{state}",
                            u.name,
                            u.role.id(),
                            u.email.as_deref().unwrap_or("(no e-mail)"),
                            u.created_at.strftime("%Y-%m-%d")
                        )?;
                    }
                }
            }
            Cmd::Password(p) => {
                block_on(async {
                    let (app, who) = globals.administering(&p.actor).await?;
                    let password = read_password(p.password_stdin)?;
                    Ok(app.set_password(&who, &p.name, &password).await?)
                })?;
                writeln!(out, "Password changed for {}.", p.name.trim())?;
            }
            Cmd::Role(r) => {
                block_on(async {
                    let (app, who) = globals.administering(&r.actor).await?;
                    Ok(app.set_role(&who, &r.name, r.role).await?)
                })?;
                writeln!(out, "{key}{}{key:#} is now {}.", r.name.trim(), r.role)?;
            }
            Cmd::Deactivate(d) => {
                block_on(async {
                    let (app, who) = globals.administering(&d.actor).await?;
                    Ok(app.deactivate_account(&who, &d.name).await?)
                })?;
                writeln!(
                    out,
                    "{key}{}{key:#} is deactivated: it cannot sign in, and its sessions ended.",
                    d.name.trim()
                )?;
            }
            Cmd::Email(e) => {
                block_on(async {
                    let (app, who) = globals.administering(&e.actor).await?;
                    let address = if e.clear { None } else { e.email.as_deref() };
                    Ok(app.set_email(&who, &e.name, address).await?)
                })?;
                match (&e.email, e.clear) {
                    (Some(a), false) => {
                        writeln!(out, "{key}{}{key:#} now gets mail at {a}.", e.name.trim())?
                    }
                    _ => writeln!(
                        out,
                        "{key}{}{key:#} has no e-mail address now and gets no mail.",
                        e.name.trim()
                    )?,
                }
            }
            Cmd::Activate(a) => {
                block_on(async {
                    let (app, who) = globals.administering(&a.actor).await?;
                    Ok(app.activate_account(&who, &a.name).await?)
                })?;
                writeln!(out, "{key}{}{key:#} may sign in again.", a.name.trim())?;
            }
        }
        Ok(Exit::Fine)
    }
}
