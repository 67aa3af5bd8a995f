//! `multiplier token create|list|revoke`: API tokens, with which a script acts
//! as one account through `Authorization: Bearer` on the JSON API. Account
//! administration: run on the server's machine it acts as the local operator;
//! with `--as` as that account, which must be an admin.

use crate::context::{Actor, Globals, block_on};
use crate::output::{self, Exit, Format, style};
use anyhow::Result;
use clap::{Args, Subcommand};
use multiplier_app::{DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS, TokenDraft};
use multiplier_store::{TokenRecord, TokenScope};
use serde::Serialize;
use std::io::Write;

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Issue a token for an account; it is printed once and never again.
    #[command(
        after_help = "Examples:\n  multiplier token create --for priya --label \"ci\" --scope read-only\n  multiplier token create --for sync-bot --label \"ats sync\" --scope read-write --days 30\n  multiplier token create --for priya --label ci --scope read-only --format json --as priya\n\nThe script sends it as `Authorization: Bearer <token>` to /api/v1 and acts as that\naccount: what it may see and do follows the account's role, and every write through\nit is in the audit log under the account, with a token.use entry naming the token's\nid. A read-only token is refused (403) on every write. Only a hash of the token is\nkept: store it where the script reads secrets; if it is lost, revoke it and issue\nanother."
    )]
    Create(CreateArgs),
    /// List tokens (never the tokens themselves): account, scope, expiry, last use.
    #[command(
        after_help = "Examples:\n  multiplier token list\n  multiplier token list --for priya --format json"
    )]
    List {
        /// Only this account's tokens.
        #[arg(long = "for", value_name = "ACCOUNT")]
        account: Option<String>,
        #[command(flatten)]
        actor: Actor,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Revoke a token at once, by its id (see `multiplier token list`).
    #[command(
        after_help = "Examples:\n  multiplier token revoke 3\n  multiplier token revoke 3 --as priya"
    )]
    Revoke {
        /// The token's id.
        id: i64,
        #[command(flatten)]
        actor: Actor,
    },
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    /// The account the token acts as (an existing one; see `multiplier user list`).
    #[arg(long = "for", value_name = "ACCOUNT")]
    account: String,
    /// What it is for, so it can be recognised and revoked, e.g. "ci" or "ats sync".
    #[arg(long)]
    label: String,
    /// read-only (reads only) or read-write.
    #[arg(long, value_parser = parse_scope)]
    scope: TokenScope,
    /// Its lifetime in days (1 to 365).
    #[arg(long, default_value_t = DEFAULT_TOKEN_DAYS, value_parser = clap::value_parser!(i64).range(1..=MAX_TOKEN_DAYS))]
    days: i64,
    #[command(flatten)]
    actor: Actor,
    #[arg(long, value_enum, default_value_t)]
    format: Format,
}

fn parse_scope(s: &str) -> Result<TokenScope, String> {
    s.parse()
}

/// `token create --format json`: the record and, this once, the token.
#[derive(Serialize)]
struct Issued<'a> {
    token: &'a str,
    #[serde(flatten)]
    record: &'a TokenRecord,
}

fn state(t: &TokenRecord) -> String {
    let now = jiff::Timestamp::now();
    match t.revoked_at {
        Some(at) => format!("revoked {}", at.strftime("%Y-%m-%d")),
        None if !t.is_live(now) => format!("expired {}", t.expires_at.strftime("%Y-%m-%d")),
        None => format!("expires {}", t.expires_at.strftime("%Y-%m-%d")),
    }
}

impl Cmd {
    pub fn run(self, globals: &Globals) -> Result<Exit> {
        let mut out = output::stdout();
        let key = style::KEY;
        match self {
            Cmd::Create(a) => {
                let issued = block_on(async {
                    let (app, who) = globals.administering(&a.actor).await?;
                    let draft = TokenDraft {
                        account: a.account.clone(),
                        label: a.label.clone(),
                        scope: a.scope,
                        days: a.days,
                    };
                    Ok(app.create_token(&who, &draft).await?)
                })?;
                if a.format == Format::Json {
                    output::json(
                        &mut out,
                        &Issued {
                            token: &issued.token,
                            record: &issued.record,
                        },
                    )?;
                } else {
                    let r = &issued.record;
                    writeln!(
                        out,
                        "Token {key}{}{key:#} \"{}\" for {} ({}), {}:\n\n  {}\n\nIt is shown this once: keep it where the script reads its secrets.\nSend it as `Authorization: Bearer <token>`; revoke it with `multiplier token revoke {}`.",
                        r.id,
                        r.label,
                        r.account,
                        r.scope,
                        state(r),
                        issued.token,
                        r.id
                    )?;
                }
            }
            Cmd::List {
                account,
                actor,
                format,
            } => {
                let tokens = block_on(async {
                    let (app, who) = globals.administering(&actor).await?;
                    Ok(app.api_tokens(&who, account.as_deref()).await?)
                })?;
                if format == Format::Json {
                    output::json(&mut out, &tokens)?;
                } else if tokens.is_empty() {
                    writeln!(
                        out,
                        "No API tokens. Issue one: multiplier token create --for NAME --label LABEL --scope read-only"
                    )?;
                } else {
                    for t in &tokens {
                        writeln!(
                            out,
                            "{:>4}  {:<16} {:<20} {:<10} {:<18} {}",
                            t.id,
                            t.account,
                            t.label,
                            t.scope.id(),
                            state(t),
                            t.last_used_at.map_or_else(
                                || "never used".to_string(),
                                |at| format!("last used {}", at.strftime("%Y-%m-%d %H:%M"))
                            )
                        )?;
                    }
                }
            }
            Cmd::Revoke { id, actor } => {
                let revoked = block_on(async {
                    let (app, who) = globals.administering(&actor).await?;
                    Ok(app.revoke_token(&who, id).await?)
                })?;
                writeln!(
                    out,
                    "Token {id} \"{}\" of {} is revoked; requests with it now get 401.",
                    revoked.label, revoked.account
                )?;
            }
        }
        Ok(Exit::Fine)
    }
}
