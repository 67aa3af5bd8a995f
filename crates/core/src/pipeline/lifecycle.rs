//! Where a candidate and an opening stand, apart from the stage: the candidate's
//! status (active, on hold, or one of the three endings) and the opening's (open,
//! closed, archived), with the moves between them that make sense.
//!
//! The rules, decided here and nowhere else:
//! - active ⇄ on hold, freely;
//! - active or on hold → rejected needs a reason from the framework's
//!   `[[rejection_reason]]` list; → withdrawn (the candidate's own choice) takes
//!   an optional note; → hired needs the latest recorded decision to be *hire*
//!   **and** an accepted offer, so "hired" never claims more than the records
//!   hold;
//! - rejected or withdrawn → active again (a mistake put right, or a candidate
//!   who comes back); hired is final;
//! - an opening: open → closed → open again (reopen); open or closed →
//!   archived; archived → open (reopen). Only an open opening takes candidates.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A candidate's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CandidateStatus {
    Active,
    OnHold,
    Rejected,
    Withdrawn,
    Hired,
}

impl CandidateStatus {
    pub const ALL: [CandidateStatus; 5] = [
        CandidateStatus::Active,
        CandidateStatus::OnHold,
        CandidateStatus::Rejected,
        CandidateStatus::Withdrawn,
        CandidateStatus::Hired,
    ];

    pub fn id(self) -> &'static str {
        match self {
            CandidateStatus::Active => "active",
            CandidateStatus::OnHold => "on-hold",
            CandidateStatus::Rejected => "rejected",
            CandidateStatus::Withdrawn => "withdrawn",
            CandidateStatus::Hired => "hired",
        }
    }

    /// In words, for pages.
    pub fn label(self) -> &'static str {
        match self {
            CandidateStatus::Active => "active",
            CandidateStatus::OnHold => "on hold",
            CandidateStatus::Rejected => "rejected",
            CandidateStatus::Withdrawn => "withdrawn",
            CandidateStatus::Hired => "hired",
        }
    }

    /// Rejected, withdrawn or hired: the candidate has left the pipeline and the
    /// board.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            CandidateStatus::Rejected | CandidateStatus::Withdrawn | CandidateStatus::Hired
        )
    }
}

impl fmt::Display for CandidateStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for CandidateStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let t = s.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        CandidateStatus::ALL
            .into_iter()
            .find(|c| c.id() == t)
            .ok_or_else(|| {
                format!(
                    "`{s}` is not a status; choose one of {}",
                    CandidateStatus::ALL.map(|c| c.id()).join(", ")
                )
            })
    }
}

/// What the records say about a candidate, for the move to hired.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HireEvidence {
    /// The latest recorded decision is *hire*.
    pub hire_decided: bool,
    /// An offer was accepted.
    pub offer_accepted: bool,
}

/// Why a status change is refused, in words for the person asking; `field`
/// names the input at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusRefusal {
    pub field: &'static str,
    pub message: String,
}

/// Whether a candidate may go from `from` to `to` with `reason`; the reason
/// must be one of `reasons` (the framework's ids) when rejecting.
pub fn check_status_change(
    from: CandidateStatus,
    to: CandidateStatus,
    reason: Option<&str>,
    reasons: &[&str],
    hire: HireEvidence,
) -> Result<(), StatusRefusal> {
    use CandidateStatus::*;
    let refuse = |field, message: String| Err(StatusRefusal { field, message });
    if from == to {
        return refuse("status", format!("the candidate is already {}", to.label()));
    }
    if from == Hired {
        return refuse(
            "status",
            "a hired candidate stays hired; record what happened next in a note".to_string(),
        );
    }
    if from.is_terminal() && to != Active {
        return refuse(
            "status",
            format!(
                "a {} candidate can only be made active again first",
                from.label()
            ),
        );
    }
    match to {
        Rejected => match reason {
            None => refuse(
                "reason",
                format!("a rejection needs a reason: one of {}", reasons.join(", ")),
            ),
            Some(r) if !reasons.contains(&r) => refuse(
                "reason",
                format!(
                    "`{r}` is not a rejection reason of the framework; choose one of {}",
                    reasons.join(", ")
                ),
            ),
            Some(_) => Ok(()),
        },
        Hired if !hire.hire_decided => refuse(
            "status",
            "record a hire decision before marking the candidate hired".to_string(),
        ),
        Hired if !hire.offer_accepted => refuse(
            "status",
            "the candidate is hired once an offer is accepted; record the acceptance first"
                .to_string(),
        ),
        _ => Ok(()),
    }
}

/// An opening's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OpeningStatus {
    Open,
    Closed,
    Archived,
}

impl OpeningStatus {
    pub const ALL: [OpeningStatus; 3] = [
        OpeningStatus::Open,
        OpeningStatus::Closed,
        OpeningStatus::Archived,
    ];

    pub fn id(self) -> &'static str {
        match self {
            OpeningStatus::Open => "open",
            OpeningStatus::Closed => "closed",
            OpeningStatus::Archived => "archived",
        }
    }

    /// Read a stored status; anything unknown counts as open (the column's
    /// default), so an old row never hides an opening.
    pub fn stored(s: &str) -> OpeningStatus {
        s.parse().unwrap_or(OpeningStatus::Open)
    }
}

impl fmt::Display for OpeningStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for OpeningStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let t = s.trim().to_ascii_lowercase();
        OpeningStatus::ALL
            .into_iter()
            .find(|c| c.id() == t)
            .ok_or_else(|| format!("`{s}` is not an opening status (open, closed, archived)"))
    }
}

/// Whether an opening may go from `from` to `to`.
pub fn check_opening_change(from: OpeningStatus, to: OpeningStatus) -> Result<(), String> {
    if from == to {
        return Err(format!("the opening is already {to}"));
    }
    if from == OpeningStatus::Archived && to == OpeningStatus::Closed {
        return Err("an archived opening is reopened, not closed".to_string());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::CandidateStatus::*;
    use super::*;

    const REASONS: [&str; 2] = ["skills", "withdrew-late"];
    const DONE: HireEvidence = HireEvidence {
        hire_decided: true,
        offer_accepted: true,
    };

    #[test]
    fn statuses_read_as_people_type_them() {
        assert_eq!("on hold".parse::<CandidateStatus>(), Ok(OnHold));
        assert_eq!("ON_HOLD".parse::<CandidateStatus>(), Ok(OnHold));
        assert!("fired".parse::<CandidateStatus>().is_err());
        assert!(Hired.is_terminal() && !OnHold.is_terminal());
    }

    #[test]
    fn a_rejection_needs_a_reason_from_the_list() {
        let none = check_status_change(Active, Rejected, None, &REASONS, DONE).unwrap_err();
        assert_eq!(none.field, "reason");
        let wrong =
            check_status_change(Active, Rejected, Some("vibes"), &REASONS, DONE).unwrap_err();
        assert!(wrong.message.contains("skills"));
        assert!(check_status_change(OnHold, Rejected, Some("skills"), &REASONS, DONE).is_ok());
    }

    #[test]
    fn hired_needs_the_decision_and_the_accepted_offer() {
        let no_offer = HireEvidence {
            hire_decided: true,
            offer_accepted: false,
        };
        assert!(check_status_change(Active, Hired, None, &REASONS, no_offer).is_err());
        assert!(
            check_status_change(Active, Hired, None, &REASONS, HireEvidence::default()).is_err()
        );
        assert!(check_status_change(Active, Hired, None, &REASONS, DONE).is_ok());
    }

    #[test]
    fn endings_reopen_only_to_active_and_hired_is_final() {
        assert!(check_status_change(Rejected, Active, None, &REASONS, DONE).is_ok());
        assert!(check_status_change(Withdrawn, OnHold, None, &REASONS, DONE).is_err());
        assert!(check_status_change(Hired, Active, None, &REASONS, DONE).is_err());
        assert!(check_status_change(Active, Active, None, &REASONS, DONE).is_err());
    }

    #[test]
    fn openings_close_reopen_and_archive() {
        use OpeningStatus::*;
        assert!(check_opening_change(Open, Closed).is_ok());
        assert!(check_opening_change(Closed, Open).is_ok());
        assert!(check_opening_change(Closed, Archived).is_ok());
        assert!(check_opening_change(Archived, Open).is_ok());
        assert!(check_opening_change(Archived, Closed).is_err());
        assert!(check_opening_change(Open, Open).is_err());
        assert_eq!(OpeningStatus::stored("weird"), Open);
    }
}
