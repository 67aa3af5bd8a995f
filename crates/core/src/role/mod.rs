//! Role intake: the answers that define a Tech Lead role before anything is written
//! about it, parsed against the framework's questions, and the guidance derived
//! from them.
//!
//! A role file is TOML:
//! ```toml
//! title = "Tech Lead, Payments"
//! [context]                       # optional, used when writing the job description
//! team = "Payments backend"
//! stack = "Django, PostgreSQL"
//! scale = "50K daily active users"
//! [answers]
//! coding-share = 50               # or "50%" or "50/50" (coding first)
//! team = { senior = 2, mid = 3 }
//! performance-reviews = false
//! architecture = "monolith"
//! mandate = "legacy-modernisation"
//! main-challenge = "delivery-speed"
//! rituals = ["sprint-planning", "architecture-review"]
//! reports-to = "engineering-manager"
//! ```

mod answers;
mod guidance;

pub use answers::{Answer, Facts, Role, RoleContext, RoleError, Team, parse_split};
pub use guidance::{
    Archetype, Evidence, Finding, FindingKind, Focus, Guidance, LevelSuggestion, RULES,
};
