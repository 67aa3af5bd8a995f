//! Who acts. Every use case takes one of these, and the audit log names it.
//!
//! - An [`Account`]: a person who signed in to the web application, or named an
//!   existing account with `--as` on the command line. Staff use cases take an
//!   `&Account`, so nothing else can reach them.
//! - A [`Visit`]: a candidate behind their private link. The portal's use cases
//!   take an `&Visit`, which only [`crate::App::visit`] makes.
//! - The **local operator**: whoever runs account administration on the
//!   server's own machine (they hold the database file already). Only the
//!   account use cases accept it, through [`Actor::Operator`].

use multiplier_store::{AccountRole, CandidateRecord, PORTAL_ACTOR, PortalLink};
use serde::{Deserialize, Serialize};

/// The name the audit log gives the local operator.
pub const OPERATOR: &str = "local operator";

/// A signed-in person (or one named with `--as`): their name as used in
/// assignments and the audit log, and what their role allows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub name: String,
    pub role: AccountRole,
}

impl Account {
    pub fn is_admin(&self) -> bool {
        self.role == AccountRole::Admin
    }
}

/// A candidate behind a live link: the link and the candidate it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct Visit {
    pub link: PortalLink,
    pub candidate: CandidateRecord,
}

/// Any of the three, for the use cases open to more than one kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Actor {
    Account(Account),
    Candidate(Box<Visit>),
    Operator,
}

impl Actor {
    /// The name the audit log records.
    pub fn audit_name(&self) -> &str {
        match self {
            Actor::Account(a) => &a.name,
            Actor::Candidate(_) => PORTAL_ACTOR,
            Actor::Operator => OPERATOR,
        }
    }

    /// An admin account, or the local operator: who may administer accounts.
    pub fn administers(&self) -> bool {
        match self {
            Actor::Account(a) => a.is_admin(),
            Actor::Operator => true,
            Actor::Candidate(_) => false,
        }
    }
}

impl From<Account> for Actor {
    fn from(a: Account) -> Self {
        Actor::Account(a)
    }
}
