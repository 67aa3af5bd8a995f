//! The hiring loop's rules, pure: scorecards and the blind-feedback rule, the
//! two-signal debrief, the offer and the dated onboarding plan. Every result
//! explains itself; people decide.

mod blind;
mod board;
mod debrief;
mod kit;
mod lifecycle;
mod offer;
mod onboarding;
mod scorecard;
mod search;

pub use blind::{BlindRefusal, Viewer, ViewerRole, may_read_others};
pub use board::{Column, board};
pub use debrief::{
    Debrief, DebriefLine, FlagBadge, FlagLine, FlagResolution, FlagView, Pending, REFERENCES_STAGE,
    Rating, Reference, ReferenceKind, SignalLine, SignalView, Verdict, debrief, flag_badges,
    latest_versions, score_text,
};
pub use kit::{Kit, KitFlag, kit};
pub use lifecycle::{
    CandidateStatus, HireEvidence, OpeningStatus, StatusRefusal, check_opening_change,
    check_status_change,
};
pub use offer::{Offer, OfferError, OfferRequest, offer};
pub use onboarding::{PlanStep, plan};
pub use scorecard::{Outcome, RaisedFlag, Recommendation, Scorecard};
pub use search::{SearchFilter, SearchHit, Searchable, search};
